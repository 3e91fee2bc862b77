// Probe `security.posture` — the machine's protective settings (自查自评 四(七)6 身份鉴别、访问授权、
// 违规外联监控、移动存储介质管控): automatic logon, the guest account, screen lock, Remote Desktop,
// shares, firewall, AutoRun and USB storage blocked (Windows, from SOFTWARE, SYSTEM, SAM and each
// NTUSER.DAT); empty passwords, SSH, display-manager autologin, firewall and USB storage (Linux, from
// /etc); the systems the boot menu offers (GRUB grub.cfg, Windows BCD). Facts only; rules/posture.yaml judges.
import { S } from '../../engine/shape.js';
import type { CoverageItem, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { hiveGapError, hiveNotes, systemHive, userHive, userHivePaths } from '../windows/hives.js';
import { bootMenus } from './boot.js';
import { liveGap, psStr, runPowerShellJson } from '../windows/live.js';
import { linuxPosture } from './posture.linux.js';
import { autoLogon, autorun, firewallProfiles, guestAccount, machineInactivityLimit, remoteDesktop, screenLock, shares, usbStoragePolicy } from './posture.windows.js';
import type { PostureFact } from './types.js';

const MAX_SHARES = 10_000;

/** Local accounts of a running Windows (any user may list them): the guest is the one whose SID ends in -501. */
export const PS_LOCAL_ACCOUNTS = "Get-CimInstance Win32_UserAccount -Filter 'LocalAccount=True' | Select-Object Name,SID,Disabled";

/** The guest account of a running Windows from Win32_UserAccount (a pure function of the answer). */
export function guestFromAccounts(rows: ReadonlyArray<Record<string, unknown>>): PostureFact | undefined {
  const g = rows.find((r) => typeof r['SID'] === 'string' && /^S-1-5-21-[\d-]+-501$/.test(r['SID']));
  if (!g || typeof g['Disabled'] !== 'boolean') return undefined;
  return { kind: 'guest-account', user: psStr(g, 'Name') ?? 'Guest', enabled: !g['Disabled'], source: 'Win32_UserAccount (PowerShell CIM)' };
}

async function liveGuestAccount(ctx: ProbeContext, coverage: CoverageItem[]): Promise<PostureFact[]> {
  try {
    const g = guestFromAccounts(await runPowerShellJson(ctx.target, PS_LOCAL_ACCOUNTS, { timeoutMs: 60_000 }));
    if (g) return [g];
    coverage.push({ kind: 'not-recorded', path: 'Win32_UserAccount', reason: 'no local account with the guest SID (-501) was listed: guest account not checked', blocking: true, rules: ['posture-guest-enabled'] });
  } catch (err) {
    coverage.push({ ...liveGap(err, 'guest account not checked', true), rules: ['posture-guest-enabled'] });
  }
  return [];
}

async function windowsPosture(ctx: ProbeContext, coverage: CoverageItem[]): Promise<PostureFact[]> {
  const { target } = ctx;
  const sw = await systemHive(target, 'SOFTWARE');
  if (!sw.ok) throw hiveGapError(sw, 'SOFTWARE hive');
  const sys = await systemHive(target, 'SYSTEM');
  if (!sys.ok) throw hiveGapError(sys, 'SYSTEM hive');
  coverage.push(...hiveNotes(sw.value), ...hiveNotes(sys.value));
  const S_ = sw.value;
  const Y = sys.value;
  const out: PostureFact[] = [autoLogon(S_.hive, S_.source)];

  // A running machine is asked through CIM: copying its SAM hive (reg save) would put the
  // accounts' password hashes on the kit, even for a moment.
  const sam = target.mode === 'live' ? undefined : await systemHive(target, 'SAM');
  if (sam === undefined) out.push(...(await liveGuestAccount(ctx, coverage)));
  else if (!sam.ok) coverage.push({ ...sam.gap, reason: `guest account not checked: ${sam.gap.reason}`, blocking: true });
  else {
    coverage.push(...hiveNotes(sam.value));
    const g = guestAccount(sam.value.hive, sam.value.source);
    if (g) out.push(g);
    else coverage.push({ kind: 'not-recorded', path: `${sam.value.source}: SAM\\Domains\\Account\\Users\\000001F5`, reason: 'no Guest account record (F value) in the SAM hive: guest account not checked', blocking: true });
  }

  const limit = machineInactivityLimit(S_.hive);
  const users = await userHivePaths(target);
  for (const u of users) {
    const h = await userHive(target, u.path);
    if (!h.ok) {
      coverage.push({ ...h.gap, reason: `screen lock of user ${u.user} not checked: ${h.gap.reason}`, blocking: true });
      continue;
    }
    coverage.push(...hiveNotes(h.value));
    out.push(screenLock(h.value.hive, u.user, h.value.source, limit));
  }
  out.push(remoteDesktop(Y.hive, S_.hive, Y.source, S_.source));
  out.push(...shares(Y.hive, Y.source, MAX_SHARES));
  out.push(...firewallProfiles(Y.hive, S_.hive, Y.source, S_.source));
  out.push(autorun(S_.hive, S_.source));
  const usb = usbStoragePolicy(Y.hive, Y.source);
  if (usb) out.push(usb);
  return out;
}

export const securityPostureProbe: Probe = {
  id: 'security.posture',
  description: 'Protective settings: automatic logon, guest account, screen lock, remote desktop, shares, firewall, AutoRun, USB storage blocked; on Linux empty passwords, SSH, autologin, firewall.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['kind', 'user', 'name', 'profile', 'manager', 'loader', 'source'],
  observes: S.obj({
    kind: S.enum('auto-logon', 'guest-account', 'screen-lock', 'remote-desktop', 'share', 'firewall', 'autorun', 'usb-storage-policy', 'empty-password', 'ssh', 'boot-menu'),
    enabled: S.bool,
    user: S.str,
    passwordStored: S.bool,
    manager: S.enum('gdm', 'lightdm', 'sddm'),
    loader: S.enum('grub', 'bcd'),
    systems: S.strs,
    otherSystems: S.num,
    how: S.enum('automatic', 'timed'),
    accountFlags: S.num,
    screenSaverActive: S.bool,
    screenSaverSecure: S.bool,
    screenSaverTimeoutSec: S.num,
    machineInactivitySec: S.num,
    lockAfterSec: S.num,
    setBy: S.enum('policy', 'local', 'default'),
    name: S.str,
    path: S.str,
    shareType: S.enum('disk', 'printer', 'other'),
    hidden: S.bool,
    profile: S.enum('domain', 'private', 'public', 'host-firewall'),
    tools: S.strs,
    noDriveTypeAutoRun: S.num,
    allDrivesOff: S.bool,
    removableOff: S.bool,
    blocked: S.bool,
    start: S.num,
    permitRootLogin: S.str,
    permitEmptyPasswords: S.bool,
    source: S.str,
  }),
  timeoutMs: 60_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const coverage: CoverageItem[] = [];
    const facts = ctx.target.os.family === 'windows' ? await windowsPosture(ctx, coverage) : await linuxPosture(ctx.target, coverage);
    facts.push(...(await bootMenus(ctx.target, coverage)));
    return { status: 'ok', observations: facts, inventory: { posture: facts }, coverage };
  },
};
