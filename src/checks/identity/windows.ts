// Windows identity from the registry hives (offline from the disk; live through `reg save`):
// SYSTEM — ComputerName, HardwareConfig (SMBIOS UUID, vendor, model), network adapters, last
// shutdown; SOFTWARE — product name / build / install date, MachineGuid, user profiles.
// Every value names its source as "<hive>: <key path>".
import type { CoverageItem } from '../../engine/types.js';
import type { Hive } from '../../formats/regf.js';
import type { Target } from '../../target/types.js';
import { NET_CLASS } from '../windows/devices.js';
import { hiveNotes, systemHive, userHivePaths, type OpenedHive } from '../windows/hives.js';
import { bytes, filetimeIso, key, num, profileList, str, subkeys, unixIso } from '../windows/reg.js';
import { cleanValue } from './hardware.js';
import { normaliseMac } from './linux.js';
import type { IdentityObservation, MacAddress } from './types.js';


export interface WindowsAdapter {
  name: string;
  /** Subkey of the network class, e.g. `0007`. */
  classKey: string;
  componentId?: string;
  netCfgInstanceId?: string;
  /** Only where the MAC was overridden (`NetworkAddress`): Windows does not record the burnt-in MAC. */
  mac?: string;
}

export interface WindowsUser {
  sid: string;
  profilePath?: string;
  source: string;
}

function src(h: OpenedHive, keyPath: string | undefined): string {
  return `${h.source}: ${keyPath ?? ''}`;
}

/** ComputerName, hardware, adapters, shutdown time and time zone from a SYSTEM hive. */
export function systemIdentity(h: OpenedHive, obs: IdentityObservation): void {
  const hive: Hive = h.hive;
  const cn = key(hive, 'CurrentControlSet\\Control\\ComputerName\\ComputerName');
  const tcpip = key(hive, 'CurrentControlSet\\Services\\Tcpip\\Parameters');
  const name = str(cn, 'ComputerName') ?? str(tcpip, 'NV Hostname') ?? str(tcpip, 'Hostname');
  if (name) {
    obs.hostname = name;
    obs.sources['hostname'] = src(h, str(cn, 'ComputerName') ? cn?.path : tcpip?.path);
  }
  const domain = str(tcpip, 'NV Domain') ?? str(tcpip, 'Domain');
  if (domain) obs['domain'] = domain;

  const hwRoot = key(hive, 'HardwareConfig');
  const last = str(hwRoot, 'LastConfig');
  const cfg = last ? key(hive, `HardwareConfig\\${last}`) : undefined;
  const sysInfo = key(hive, 'CurrentControlSet\\Control\\SystemInformation');
  const hw: NonNullable<IdentityObservation['hardware']> = {};
  const uuid = last ? cleanValue(last.replace(/^\{|\}$/g, '')) : undefined;
  if (uuid && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(uuid)) {
    hw.uuid = uuid.toLowerCase();
    obs.sources['hardware.uuid'] = src(h, hwRoot?.path) + ' LastConfig';
  }
  const vendor = cleanValue(str(cfg, 'SystemManufacturer') ?? str(sysInfo, 'SystemManufacturer'));
  const model = cleanValue(str(cfg, 'SystemProductName') ?? str(sysInfo, 'SystemProductName'));
  if (vendor) hw.vendor = vendor;
  if (model) hw.model = model;
  if (vendor || model) obs.sources['hardware.model'] = src(h, (str(cfg, 'SystemProductName') ? cfg : sysInfo)?.path);
  const boardVendor = cleanValue(str(cfg, 'BaseBoardManufacturer'));
  const boardName = cleanValue(str(cfg, 'BaseBoardProduct'));
  if (boardVendor) hw.boardVendor = boardVendor;
  if (boardName) hw.boardName = boardName;
  if (Object.keys(hw).length > 0) obs.hardware = hw;

  const adapters: WindowsAdapter[] = [];
  const macs: MacAddress[] = [];
  const netClass = key(hive, `CurrentControlSet\\Control\\Class\\${NET_CLASS}`);
  for (const k of subkeys(netClass)) {
    if (!/^\d{4}$/.test(k.name)) continue;
    const desc = str(k, 'DriverDesc');
    if (!desc) continue;
    const a: WindowsAdapter = { name: desc, classKey: k.name };
    const comp = str(k, 'ComponentId') ?? str(k, 'MatchingDeviceId');
    if (comp) a.componentId = comp;
    const guid = str(k, 'NetCfgInstanceId');
    if (guid) a.netCfgInstanceId = guid;
    const na = str(k, 'NetworkAddress');
    if (na && /^[0-9a-f]{12}$/i.test(na.replace(/[-:]/g, ''))) {
      a.mac = normaliseMac(na.replace(/[-:]/g, '').replace(/(..)(?!$)/g, '$1:'));
      macs.push({ mac: a.mac, iface: desc, source: src(h, k.path) + ' NetworkAddress' });
    }
    adapters.push(a);
  }
  obs['adapters'] = adapters;
  obs.macs = macs;
  if (adapters.length > 0) obs.sources['adapters'] = src(h, netClass?.path);

  const win = key(hive, 'CurrentControlSet\\Control\\Windows');
  const shutdown = filetimeIso(bytes(win, 'ShutdownTime'));
  if (shutdown) {
    obs['lastShutdown'] = shutdown;
    obs.sources['lastShutdown'] = src(h, win?.path) + ' ShutdownTime';
  }
  const tz = key(hive, 'CurrentControlSet\\Control\\TimeZoneInformation');
  const tzName = str(tz, 'TimeZoneKeyName') ?? str(tz, 'StandardName');
  if (tzName) obs['timeZone'] = tzName;
}

/** Product, build, install date, MachineGuid and user profiles from a SOFTWARE hive. */
export function softwareIdentity(h: OpenedHive, obs: IdentityObservation): void {
  const hive = h.hive;
  const cv = key(hive, 'Microsoft\\Windows NT\\CurrentVersion');
  const product = str(cv, 'ProductName');
  if (product) {
    const build = str(cv, 'CurrentBuild') ?? str(cv, 'CurrentBuildNumber');
    const ubr = num(cv, 'UBR');
    // Windows 11 still says "Windows 10" in ProductName; the build number tells them apart.
    const name = /^Windows 10/.test(product) && build !== undefined && Number(build) >= 22000 ? product.replace(/^Windows 10/, 'Windows 11') : product;
    obs.os = {
      family: 'windows',
      name,
      ...(str(cv, 'DisplayVersion') ?? str(cv, 'ReleaseId') ?? str(cv, 'CSDVersion') ?? str(cv, 'CurrentVersion')
        ? { version: (str(cv, 'DisplayVersion') ?? str(cv, 'ReleaseId') ?? str(cv, 'CSDVersion') ?? str(cv, 'CurrentVersion'))! }
        : {}),
      ...(build ? { build: ubr !== undefined ? `${build}.${ubr}` : build } : {}),
      ...(str(cv, 'EditionID') ? { id: str(cv, 'EditionID')! } : {}),
    };
    const installed = filetimeIso(bytes(cv, 'InstallTime')) ?? unixIso(num(cv, 'InstallDate'));
    if (installed) obs.os.installDate = installed;
    obs.sources['os'] = src(h, cv?.path);
    const owner = str(cv, 'RegisteredOwner');
    const org = str(cv, 'RegisteredOrganization');
    if (owner) obs['registeredOwner'] = owner;
    if (org) obs['registeredOrganization'] = org;
  }
  const crypto = key(hive, 'Microsoft\\Cryptography');
  const guid = str(crypto, 'MachineGuid');
  if (guid) {
    obs.machineId = guid.toLowerCase();
    obs.sources['machineId'] = src(h, crypto?.path) + ' MachineGuid';
  }
  const users: WindowsUser[] = profileList(hive).map((u) => ({ sid: u.key.name, ...(u.profilePath ? { profilePath: u.profilePath } : {}), source: src(h, u.key.path) }));
  if (users.length > 0) obs['users'] = users;
}

/** `hostname` (the computer name) and the MachineGuid value, as these commands print them. */
export const HOSTNAME_CMD = 'hostname';
export const MACHINE_GUID_ARGS = ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid'];

/** `reg query … /v MachineGuid`: the line `    MachineGuid    REG_SZ    <guid>`. */
export function parseMachineGuid(text: string): string | undefined {
  return /^\s*MachineGuid\s+REG_SZ\s+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\s*$/m.exec(text)?.[1]?.toLowerCase();
}

/**
 * A running Windows machine whose hives could not be copied (no administrator rights): its name and
 * MachineGuid are still there to read — `hostname`, and `reg query` of one value any user may read —
 * so that the ledger can find the machine and the report is named after it.
 */
async function liveNames(target: Target, obs: IdentityObservation, coverage: CoverageItem[]): Promise<void> {
  if (obs.hostname === undefined) {
    try {
      const r = await target.exec(HOSTNAME_CMD, [], { timeoutMs: 15_000 });
      const name = r.exitCode === 0 ? r.stdout.split(/\r?\n/)[0]!.trim() : '';
      if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name)) {
        obs.hostname = name;
        obs.sources['hostname'] = 'hostname (command)';
      } else coverage.push({ kind: 'not-collected', reason: 'the computer name could not be read (hostname)' });
    } catch {
      coverage.push({ kind: 'not-collected', reason: 'the computer name could not be read (hostname did not run)' });
    }
  }
  if (obs.machineId === undefined) {
    try {
      const r = await target.exec('reg', MACHINE_GUID_ARGS, { timeoutMs: 15_000 });
      const guid = r.exitCode === 0 ? parseMachineGuid(r.stdout) : undefined;
      if (guid !== undefined) {
        obs.machineId = guid;
        obs.sources['machineId'] = 'HKLM\\SOFTWARE\\Microsoft\\Cryptography MachineGuid (reg query)';
      }
    } catch {
      // the SOFTWARE gap already says the MachineGuid is unknown
    }
  }
}

export async function windowsIdentity(target: Target, coverage: CoverageItem[]): Promise<IdentityObservation> {
  const obs: IdentityObservation = { sources: {}, macs: [], disks: [] };
  const sys = await systemHive(target, 'SYSTEM');
  if (sys.ok) {
    coverage.push(...hiveNotes(sys.value));
    systemIdentity(sys.value, obs);
  } else {
    coverage.push({ ...sys.gap, blocking: true });
  }
  const soft = await systemHive(target, 'SOFTWARE');
  if (soft.ok) {
    coverage.push(...hiveNotes(soft.value));
    softwareIdentity(soft.value, obs);
  } else {
    coverage.push({ ...soft.gap, reason: `${soft.gap.reason}: OS product, build, install date, MachineGuid and user profiles unknown` });
  }
  if (!obs.os) obs.os = { family: 'windows', name: 'Windows' };
  if (target.mode === 'live' && (obs.hostname === undefined || obs.machineId === undefined)) await liveNames(target, obs, coverage);
  if (target.mode === 'offline') {
    const folders = (await userHivePaths(target)).map((u) => u.folder);
    if (folders.length > 0) obs['profileFolders'] = folders;
  }
  if (obs.macs.length === 0) {
    coverage.push({ kind: 'not-recorded', reason: 'Windows records no MAC address of its adapters in the registry (only overrides); scan live to record them' });
  }
  return obs;
}
