// A running Windows machine as the live target sees it, on Linux: folders stand in for the drives
// (C:, D:, a removable E:, the kit K:), and a RecordedRunner answers the commands the live target
// runs with outputs in their documented formats. `reg save` copies a fixture hive (the corpus
// SYSTEM, the checklist SOFTWARE with a ProfileList merged in by hivexregedit, a checklist
// NTUSER.DAT) to the file it is given — which must lie in the scratch folder on the kit. The SAM is
// never asked for: a running machine's guest account comes from CIM.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandKey, RecordedRunner, type RecordedRun, type RecordedSpec } from '../../src/target/runner.js';
import {
  DRIVES_SCRIPT,
  FSUTIL,
  FSUTIL_LASTACCESS,
  POWERSHELL,
  powershellJsonArgs,
  REG,
  REG_QUERY_USERS,
  WHOAMI,
  WHOAMI_ARGS,
  WindowsLiveTarget,
} from '../../src/target/windows-live.js';
import { FIXTURES, fixtureBytes, HIVES, makeWindowsRoot } from './windows-root.js';
import { HOSTNAME_CMD, MACHINE_GUID_ARGS } from '../../src/checks/identity/windows.js';
import { PS_HARDWARE } from '../../src/checks/identity/windows-live.js';
import { PS_LOCAL_ACCOUNTS } from '../../src/checks/posture/posture.js';
import { NETSTAT_KEY, PS_NET_ADAPTERS, PS_PROCESSES, PS_USB_PNP, psKey } from '../../src/checks/windows/live.js';

export const USER_SID = 'S-1-5-21-3623811015-3361044348-30300820-1001';
export const OTHER_SID = 'S-1-5-21-3623811015-3361044348-30300820-1002';

/** Win32_LogicalDisk through ConvertTo-Json -Compress (DriveType 3 fixed, 2 removable, 4 network). */
export const DRIVES_JSON = JSON.stringify([
  { DeviceID: 'C:', DriveType: 3, FileSystem: 'NTFS', VolumeName: '系统', ProviderName: null },
  { DeviceID: 'D:', DriveType: 3, FileSystem: 'NTFS', VolumeName: '资料', ProviderName: null },
  { DeviceID: 'E:', DriveType: 2, FileSystem: 'FAT32', VolumeName: 'U盘', ProviderName: null },
  { DeviceID: 'K:', DriveType: 2, FileSystem: 'exFAT', VolumeName: 'BAOMI', ProviderName: null },
  { DeviceID: 'Z:', DriveType: 4, FileSystem: 'NTFS', VolumeName: 'share', ProviderName: '\\\\fileserver\\share' },
]);

/** `whoami /groups /fo csv /nh` of an elevated administrator (High Mandatory Level) or a plain user (Medium). */
export function whoamiGroups(elevated: boolean): string {
  return [
    '"Everyone","Well-known group","S-1-1-0","Mandatory group, Enabled by default, Enabled group"',
    '"BUILTIN\\Administrators","Alias","S-1-5-32-544","' + (elevated ? 'Mandatory group, Enabled by default, Enabled group, Group owner' : 'Group used for deny only') + '"',
    '"BUILTIN\\Users","Alias","S-1-5-32-545","Mandatory group, Enabled by default, Enabled group"',
    elevated
      ? '"Mandatory Label\\High Mandatory Level","Label","S-1-16-12288",""'
      : '"Mandatory Label\\Medium Mandatory Level","Label","S-1-16-8192",""',
    '',
  ].join('\r\n');
}

/** `reg query HKU` while one user is logged on. */
export const REG_QUERY_HKU = ['', 'HKEY_USERS\\.DEFAULT', 'HKEY_USERS\\S-1-5-19', 'HKEY_USERS\\S-1-5-20', `HKEY_USERS\\${USER_SID}`, `HKEY_USERS\\${USER_SID}_Classes`, 'HKEY_USERS\\S-1-5-18', ''].join('\r\n');

/** What a machine is, serialisable: the child process under `unshare -rn` rebuilds the runner from it. */
export interface MachineSpec {
  drives: Record<string, string>;
  kitLetter: string;
  recorded: RecordedSpec;
}

export interface LiveMachine {
  base: string;
  drives: Record<string, string>;
  kit: string;
  spec: MachineSpec;
  runner: RecordedRunner;
  open(scratch: string): Promise<WindowsLiveTarget>;
}

/** `reg save` recorded: the key's fixture hive is copied to the file asked for; a key not given (or no rights) fails as reg does. */
function regSaves(hives: Record<string, string>, elevated: boolean): NonNullable<RecordedSpec['patterns']> {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out: NonNullable<RecordedSpec['patterns']> = elevated
    ? Object.entries(hives).map(([key, from]) => ({ match: `^reg save ${esc(key)} \\S.* /y$`, run: { stdout: 'The operation completed successfully.\r\n', writes: { argIndex: 2, from } } }))
    : [];
  out.push({ match: '^reg save ', run: { exitCode: 1, stderr: 'ERROR: A required privilege is not held by the client.\r\n' } });
  return out;
}

/** The checklist `violations` SOFTWARE hive with a ProfileList (hivexregedit --merge): 张三 logged on, 李四 not. */
function softwareWithProfiles(work: string): Buffer {
  const hive = join(work, 'SOFTWARE');
  execFileSync('sh', ['-c', `xz -dc "$0" > "$1"`, join(FIXTURES, 'checklist', 'windows', 'violations', 'SOFTWARE.xz'), hive]);
  const utf16 = (s: string): string => [...Buffer.from(`${s}\0`, 'utf16le')].map((b) => b.toString(16).padStart(2, '0')).join(',');
  const reg = [
    'Windows Registry Editor Version 5.00',
    '',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList]',
    '',
    `[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\${USER_SID}]`,
    `"ProfileImagePath"=hex(2):${utf16('C:\\Users\\张三')}`,
    '',
    `[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\${OTHER_SID}]`,
    `"ProfileImagePath"=hex(2):${utf16('%SystemDrive%\\Users\\李四')}`,
    '',
  ].join('\r\n');
  const regFile = join(work, 'profiles.reg');
  execFileSync('sh', ['-c', 'printf "%s" "$1" > "$0"', regFile, reg]);
  execFileSync('hivexregedit', ['--merge', '--prefix', 'HKEY_LOCAL_MACHINE\\SOFTWARE', hive, regFile]);
  return execFileSync('cat', [hive], { maxBuffer: 256 << 20 });
}

/**
 * A reg save copy is a consistent hive (equal sequence numbers, nothing to replay). The corpus SYSTEM
 * hives were copied from disks with the hive dirty; hivex's own writer (`hivexsh -w`, commit) writes
 * the same keys back as a consistent hive.
 */
export function consistentHive(file: string): string {
  execFileSync('hivexsh', ['-w', file], { input: 'commit\n' });
  return file;
}

export interface MachineOptions {
  elevated?: boolean;
  /** Extra recorded commands (connections, USB, adapters), by commandKey. */
  extra?: RecordedSpec['exact'];
  /** Files to put on the drives: `C:/Users/张三/Desktop/a.txt` → content. */
  files?: Record<string, string | Buffer>;
}

export async function makeLiveMachine(opts: MachineOptions = {}): Promise<LiveMachine> {
  const elevated = opts.elevated ?? true;
  const base = await mkdtemp(join(tmpdir(), 'baomi-winlive-'));
  const drives: Record<string, string> = {};
  for (const l of ['C', 'D', 'E', 'K']) {
    drives[l] = join(base, l);
    await mkdir(drives[l], { recursive: true });
  }
  // The system drive: the hive files in use are locked on a running machine; here they hold zeros,
  // so a scan that read them instead of the reg save copies would report them damaged.
  const config = join(drives['C']!, 'Windows', 'System32', 'config');
  await mkdir(config, { recursive: true });
  for (const n of ['SYSTEM', 'SOFTWARE', 'SAM', 'SECURITY']) await writeFile(join(config, n), Buffer.alloc(8192));
  await mkdir(join(drives['C']!, 'Users', '张三'), { recursive: true });
  await writeFile(join(drives['C']!, 'Users', '张三', 'NTUSER.DAT'), Buffer.alloc(8192)); // loaded: locked
  await mkdir(join(drives['C']!, 'Users', '李四'), { recursive: true });
  await writeFile(join(drives['C']!, 'Users', '李四', 'NTUSER.DAT'), fixtureBytes(join(HIVES, 'plaso-win7-NTUSER-WIN7.DAT'))); // not loaded: a file
  for (const [p, content] of Object.entries(opts.files ?? {})) {
    const m = /^([A-Z]):\/(.*)$/.exec(p)!;
    const host = join(drives[m[1]!]!, m[2]!);
    await mkdir(dirname(host), { recursive: true });
    await writeFile(host, content);
  }
  const work = await mkdtemp(join(tmpdir(), 'baomi-winlive-hives-'));
  const put = async (name: string, bytes: Buffer): Promise<string> => {
    await writeFile(join(work, name), bytes);
    return join(work, name);
  };
  const hives: Record<string, string> = {
    'HKLM\\SYSTEM': consistentHive(await put('SYSTEM', fixtureBytes(join(HIVES, 'win10-SYSTEM_B.xz')))),
    'HKLM\\SOFTWARE': await put('SOFTWARE.saved', softwareWithProfiles(work)),
    [`HKU\\${USER_SID}`]: await put('NTUSER.DAT', fixtureBytes(join(FIXTURES, 'checklist', 'windows', 'violations', 'NTUSER.DAT.xz'))),
  };
  const exact: RecordedSpec['exact'] = {
    [commandKey(POWERSHELL, powershellJsonArgs(DRIVES_SCRIPT))]: { stdout: DRIVES_JSON },
    [commandKey(WHOAMI, WHOAMI_ARGS)]: { stdout: whoamiGroups(elevated) },
    [commandKey(REG, REG_QUERY_USERS)]: { stdout: REG_QUERY_HKU },
    [commandKey(FSUTIL, FSUTIL_LASTACCESS)]: { stdout: 'DisableLastAccess = 3  (System Managed, Disabled)\r\n' },
    // what any user may read: the computer name, and the MachineGuid value (reg query's layout)
    [commandKey(HOSTNAME_CMD, [])]: { stdout: 'SM-CWK-07\r\n' },
    [commandKey(REG, MACHINE_GUID_ARGS)]: { stdout: '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    4C4C4544-0042-3510-8052-B4C04F4D4E31\r\n\r\n' },
    ...liveFixtureCommands(),
    ...opts.extra,
  };
  const spec: MachineSpec = { drives, kitLetter: 'K', recorded: { exact, patterns: regSaves(hives, elevated) } };
  const runner = RecordedRunner.fromSpec(spec.recorded);
  return {
    base,
    drives,
    kit: drives['K']!,
    spec,
    runner,
    open: (scratch) => WindowsLiveTarget.open({ runner, scratch, kitLetter: 'K', hostRootOf: (l) => drives[l] ?? join(base, `missing-${l}`) }),
  };
}

// ── One drive, for a probe's own tests ──

export const LIVE_FIXTURES = join(FIXTURES, 'windows-live');

/** A recorded output of fixtures/windows-live/. */
export function liveFixture(name: string): string {
  return readFileSync(join(LIVE_FIXTURES, name), 'utf8');
}

/** The recorded outputs of fixtures/windows-live/, keyed as the probes run them. */
export function liveFixtureCommands(): Record<string, RecordedRun> {
  return {
    [NETSTAT_KEY]: { stdout: liveFixture('netstat-ano.txt') },
    [psKey(PS_PROCESSES)]: { stdout: liveFixture('get-process.json') },
    [psKey(PS_USB_PNP)]: { stdout: liveFixture('win32-pnpentity-usb.json') },
    [psKey(PS_NET_ADAPTERS)]: { stdout: liveFixture('get-netadapter.json') },
    [psKey(PS_HARDWARE)]: { stdout: liveFixture('win32-hardware.json') },
    [psKey(PS_LOCAL_ACCOUNTS)]: { stdout: liveFixture('win32-useraccount.json') },
  };
}

export interface FakeWinLiveSpec {
  /** Hives `reg save` hands out: name (SYSTEM, SOFTWARE) → fixture under fixtures/windows/hives, or a path. */
  hives?: Partial<Record<'SYSTEM' | 'SOFTWARE', string>>;
  /** Recorded outputs by command key (default: {@link liveFixtureCommands}); `undefined` removes one. */
  commands?: Record<string, RecordedRun | undefined>;
  /** Files of the system drive: target path (no leading slash) → content. */
  files?: Record<string, string | Buffer>;
}

/**
 * The real live Windows target (src/target/windows-live.ts) over one folder as the system drive C:,
 * answering from the recorded outputs; the drive list is left unrecorded (C: alone is used, and
 * said so). `reg save` copies the fixture hive, made consistent as a real copy is.
 */
export async function fakeWinLive(spec: FakeWinLiveSpec = {}): Promise<{ target: WindowsLiveTarget; runner: RecordedRunner; root: string }> {
  const root = await makeWindowsRoot({ files: spec.files ?? {} });
  await mkdir(join(root, 'Windows', 'System32', 'config'), { recursive: true }); // a system drive
  const work = await mkdtemp(join(tmpdir(), 'baomi-fakewin-'));
  const table = { ...liveFixtureCommands(), ...(spec.commands ?? {}) };
  const saved: Partial<Record<'SYSTEM' | 'SOFTWARE', string>> = {};
  for (const [name, hive] of Object.entries(spec.hives ?? {}) as Array<['SYSTEM' | 'SOFTWARE', string]>) {
    const file = join(work, name);
    await writeFile(file, fixtureBytes(hive.includes('/') ? hive : join(HIVES, hive)));
    saved[name] = consistentHive(file);
  }
  const runner = new RecordedRunner((key, file, args) => {
    if (key in table) return table[key];
    const name = /^HKLM\\(SYSTEM|SOFTWARE)$/i.exec(args[1] ?? '')?.[1]?.toUpperCase() as 'SYSTEM' | 'SOFTWARE' | undefined;
    if (file === 'reg' && args[0] === 'save' && args.length === 4 && args[3] === '/y') {
      const from = name ? saved[name] : undefined;
      if (from === undefined) return { exitCode: 1, stderr: 'ERROR: Access is denied.\r\n' };
      return { stdout: 'The operation completed successfully.\r\n', writes: { argIndex: 2, from } };
    }
    return undefined;
  });
  const target = await WindowsLiveTarget.open({ runner, scratch: join(work, 'scratch'), hostRootOf: () => root });
  runner.calls.length = 0; // what the probes run, not the drive listing of the target's opening
  return { target, runner, root };
}
