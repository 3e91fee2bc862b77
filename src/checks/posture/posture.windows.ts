// Security settings of a Windows machine, read from its hives (the same keys offline and live):
// Winlogon automatic logon, the Guest account's control bits (SAM F value only — the V value, where
// the password hashes are, is never read), screen lock (per user, and the machine inactivity limit),
// Remote Desktop, shares, firewall profiles, AutoRun, and USB storage disabled by the USBSTOR service.
// Policy keys (SOFTWARE\Policies, NTUSER Software\Policies) override local settings, as Group Policy does.
import type { Hive } from '../../formats/regf.js';
import { bytes, key, multi, num, str } from '../windows/reg.js';
import type { PostureFact } from './types.js';

const WINLOGON = 'Microsoft\\Windows NT\\CurrentVersion\\Winlogon';
const GUEST = 'SAM\\Domains\\Account\\Users\\000001F5';
/** Account control bits in a SAM user's F value (offset 0x38): disabled. */
export const ACB_DISABLED = 0x0001;

export function autoLogon(sw: Hive, source: string): PostureFact {
  const k = key(sw, WINLOGON);
  const enabled = str(k, 'AutoAdminLogon') === '1';
  const user = str(k, 'DefaultUserName');
  // Only whether a password is stored: its text is never copied into an observation.
  const passwordStored = str(k, 'DefaultPassword') !== undefined;
  return { kind: 'auto-logon', enabled, ...(user ? { user } : {}), passwordStored, source: `${source}: ${k?.path ?? WINLOGON}` };
}

/** The Guest account (RID 501): enabled unless ACB_DISABLED is set in F. Undefined when F is missing or short. */
export function guestAccount(sam: Hive, source: string): PostureFact | undefined {
  const k = key(sam, GUEST);
  const f = bytes(k, 'F');
  if (!f || f.length < 0x3a) return undefined;
  const flags = Buffer.from(f.buffer, f.byteOffset, f.length).readUInt16LE(0x38);
  return { kind: 'guest-account', user: 'Guest', enabled: (flags & ACB_DISABLED) === 0, accountFlags: flags, source: `${source}: ${k!.path} (F)` };
}

function desktopValue(user: Hive, name: string): { value?: string; policy: boolean } {
  const pol = str(key(user, 'Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop'), name);
  if (pol !== undefined) return { value: pol, policy: true };
  const v = str(key(user, 'Control Panel\\Desktop'), name);
  return v !== undefined ? { value: v, policy: false } : { policy: false };
}

export function machineInactivityLimit(sw: Hive): number | undefined {
  const v = num(key(sw, 'Microsoft\\Windows\\CurrentVersion\\Policies\\System'), 'InactivityTimeoutSecs');
  return v !== undefined && v > 0 ? v : undefined;
}

/**
 * One user's screen lock: the screen saver locks when it is active and secure (password on resume);
 * `lockAfterSec` is the idle time after which the screen locks — the screen saver's or the
 * machine inactivity limit, whichever comes first; absent when nothing locks it.
 */
export function screenLock(user: Hive, userName: string, source: string, machineLimit: number | undefined): PostureFact {
  const active = desktopValue(user, 'ScreenSaveActive');
  const secure = desktopValue(user, 'ScreenSaverIsSecure');
  const timeout = desktopValue(user, 'ScreenSaveTimeOut');
  const timeoutSec = timeout.value !== undefined && /^\d+$/.test(timeout.value) ? Number(timeout.value) : undefined;
  const locks = active.value === '1' && secure.value === '1' && (timeoutSec ?? 0) > 0;
  const candidates = [locks ? timeoutSec! : Infinity, machineLimit ?? Infinity];
  const lockAfter = Math.min(...candidates);
  return {
    kind: 'screen-lock',
    user: userName,
    screenSaverActive: active.value === '1',
    screenSaverSecure: secure.value === '1',
    ...(timeoutSec !== undefined ? { screenSaverTimeoutSec: timeoutSec } : {}),
    ...(machineLimit !== undefined ? { machineInactivitySec: machineLimit } : {}),
    ...(Number.isFinite(lockAfter) ? { lockAfterSec: lockAfter } : {}),
    setBy: active.policy || secure.policy || timeout.policy ? 'policy' : 'local',
    source,
  };
}

export function remoteDesktop(sys: Hive, sw: Hive, sysSource: string, swSource: string): PostureFact {
  const pol = num(key(sw, 'Policies\\Microsoft\\Windows NT\\Terminal Services'), 'fDenyTSConnections');
  if (pol !== undefined) return { kind: 'remote-desktop', enabled: pol === 0, setBy: 'policy', source: `${swSource}: Policies\\Microsoft\\Windows NT\\Terminal Services` };
  const k = key(sys, 'CurrentControlSet\\Control\\Terminal Server');
  const v = num(k, 'fDenyTSConnections');
  // Absent: Windows' default is 1 (connections denied).
  return { kind: 'remote-desktop', enabled: v === 0, setBy: v === undefined ? 'default' : 'local', source: `${sysSource}: ${k?.path ?? 'CurrentControlSet\\Control\\Terminal Server'}` };
}

/** Shares created on the machine (the automatic admin shares C$, ADMIN$, IPC$ are not stored here). */
export function shares(sys: Hive, source: string, max: number): PostureFact[] {
  const k = key(sys, 'CurrentControlSet\\Services\\LanmanServer\\Shares');
  if (!k) return [];
  let values;
  try {
    values = k.values();
  } catch {
    return [];
  }
  const out: PostureFact[] = [];
  for (const v of values.slice(0, max)) {
    const fields = new Map<string, string>();
    for (const line of multi(k, v.name) ?? []) {
      const i = line.indexOf('=');
      if (i > 0) fields.set(line.slice(0, i), line.slice(i + 1));
    }
    const type = Number(fields.get('Type') ?? '0');
    out.push({
      kind: 'share',
      name: v.name,
      ...(fields.get('Path') ? { path: fields.get('Path')! } : {}),
      shareType: (type & 0xff) === 1 ? 'printer' : (type & 0xff) === 0 ? 'disk' : 'other',
      hidden: v.name.endsWith('$'),
      source: `${source}: ${k.path}`,
    });
  }
  return out;
}

const FW_PROFILES = [
  ['DomainProfile', 'domain'],
  ['StandardProfile', 'private'],
  ['PublicProfile', 'public'],
] as const;

export function firewallProfiles(sys: Hive, sw: Hive, sysSource: string, swSource: string): PostureFact[] {
  return FW_PROFILES.map(([keyName, profile]) => {
    const polKey = `Policies\\Microsoft\\WindowsFirewall\\${keyName}`;
    const pol = num(key(sw, polKey), 'EnableFirewall');
    if (pol !== undefined) return { kind: 'firewall', profile, enabled: pol !== 0, setBy: 'policy', source: `${swSource}: ${polKey}` };
    const localKey = `CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\${keyName}`;
    const k = key(sys, localKey);
    const v = num(k, 'EnableFirewall');
    // Absent: Windows Firewall is on by default.
    return { kind: 'firewall', profile, enabled: v !== 0, setBy: v === undefined ? 'default' : 'local', source: `${sysSource}: ${k?.path ?? localKey}` };
  });
}

/** NoDriveTypeAutoRun (HKLM policy): a bit per drive type; 0xFF turns AutoRun off on every drive, 0x04 on removable ones. */
export function autorun(sw: Hive, source: string): PostureFact {
  const p = 'Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer';
  const v = num(key(sw, p), 'NoDriveTypeAutoRun');
  // Absent: Windows' default 0x91 (unknown, network and 0x80 drive types only).
  const eff = v ?? 0x91;
  return {
    kind: 'autorun',
    ...(v !== undefined ? { noDriveTypeAutoRun: v } : {}),
    allDrivesOff: (eff & 0xff) === 0xff,
    removableOff: (eff & 0x04) !== 0,
    setBy: v === undefined ? 'default' : 'policy',
    source: `${source}: ${p}`,
  };
}

/** USBSTOR service Start: 4 = disabled (USB mass storage cannot be used), 3 = loaded on demand. */
export function usbStoragePolicy(sys: Hive, source: string): PostureFact | undefined {
  const k = key(sys, 'CurrentControlSet\\Services\\USBSTOR');
  const start = num(k, 'Start');
  if (start === undefined) return undefined;
  return { kind: 'usb-storage-policy', blocked: start === 4, start, source: `${source}: ${k!.path}` };
}

