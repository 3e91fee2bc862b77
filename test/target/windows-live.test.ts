// The live Windows target's glue, on Linux: the parsers of the commands it runs (documented output
// formats), Windows path handling with path.win32 semantics (drive letters, \\?\ paths, case), and
// the target itself over folders standing in for drives with a RecordedRunner. No probe runs here
// (nothing is sent anywhere): the scans are in test/cli/scan-windows-live.test.ts, under unshare -rn.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInsideHost } from '../../src/cli/scan.js';
import { windowsAbsoluteLink } from '../../src/target/resolve.js';
import { commandKey, RecordedRunner } from '../../src/target/runner.js';
import { TargetError } from '../../src/target/types.js';
import {
  DRIVES_SCRIPT,
  parseDrivesJson,
  parseElevated,
  parseLastAccess,
  parseLoadedUserSids,
  parseWmicDrivesCsv,
  POWERSHELL,
  powershellJsonArgs,
  splitDrivePath,
  WindowsLiveTarget,
  windowsPathToTarget,
  WMIC,
  WMIC_DRIVES_ARGS,
} from '../../src/target/windows-live.js';
import { DRIVES_JSON, makeLiveMachine, REG_QUERY_HKU, USER_SID, whoamiGroups } from '../_helpers/windows-live-machine.js';

describe('parsers of the commands the live target runs', () => {
  it('Win32_LogicalDisk from ConvertTo-Json: a list, a single object (not wrapped), nothing, garbage', () => {
    expect(parseDrivesJson(DRIVES_JSON).map((d) => `${d.letter}:${d.type}`)).toEqual(['C:fixed', 'D:fixed', 'E:removable', 'K:removable', 'Z:network']);
    expect(parseDrivesJson(DRIVES_JSON).find((d) => d.letter === 'Z')?.provider).toBe('\\\\fileserver\\share');
    expect(parseDrivesJson('\uFEFF{"DeviceID":"c:","DriveType":3,"FileSystem":"NTFS","VolumeName":""}')).toEqual([{ letter: 'C', type: 'fixed', fileSystem: 'NTFS' }]);
    expect(parseDrivesJson('  \r\n')).toEqual([]);
    expect(() => parseDrivesJson('Get-CimInstance : Access denied')).toThrow();
    expect(() => parseDrivesJson('[1,2]')).toThrow(/not a list of drives/);
    // a label with a control character is shown escaped; an unknown DriveType is `unknown`
    const [odd] = parseDrivesJson('[{"DeviceID":"F:","DriveType":9,"VolumeName":"a\\u001b[31mb"}]');
    expect(odd).toMatchObject({ letter: 'F', type: 'unknown' });
    expect(odd!.label).not.toMatch(/\u001b/);
  });

  it('wmic logicaldisk /format:csv, also as UTF-16 read as UTF-8 (NULs between the letters)', () => {
    const csv = '\r\nNode,DeviceID,DriveType,FileSystem,ProviderName,VolumeName\r\nPC01,C:,3,NTFS,,Windows\r\nPC01,D:,3,NTFS,,Data\r\nPC01,E:,2,FAT32,,\r\nPC01,Z:,4,NTFS,\\\\srv\\s,\r\n';
    const cases = [csv, [...csv].map((c) => `${c}\u0000`).join('')];
    for (const text of cases) expect(parseWmicDrivesCsv(text).map((d) => `${d.letter}:${d.type}`)).toEqual(['C:fixed', 'D:fixed', 'E:removable', 'Z:network']);
    expect(cases).toHaveLength(2);
    expect(() => parseWmicDrivesCsv('No Instance(s) Available.')).toThrow(/header/);
  });

  it('whoami /groups: elevated by the High or System mandatory label, not by group names', () => {
    expect(parseElevated(whoamiGroups(true))).toBe(true);
    expect(parseElevated(whoamiGroups(false))).toBe(false);
    expect(parseElevated('"Mandatory Label\\System Mandatory Level","Label","S-1-16-16384",""')).toBe(true);
    // localized group names do not matter; a SID in another column's text does not count
    expect(parseElevated('"强制标签\\高强制级别","标签","S-1-16-12288",""')).toBe(true);
    expect(parseElevated('"S-1-16-122880","Alias","S-1-5-32-545",""')).toBe(false);
  });

  it('reg query HKU: user SIDs (local and Azure AD), not services, .DEFAULT or _Classes', () => {
    expect(parseLoadedUserSids(REG_QUERY_HKU)).toEqual([USER_SID]);
    expect(parseLoadedUserSids('HKEY_USERS\\S-1-12-1-111-222-333-444\r\nHKEY_USERS\\s-1-5-21-1-2-3-500\r\n')).toEqual(['S-1-12-1-111-222-333-444', 'S-1-5-21-1-2-3-500']);
  });

  it('fsutil behavior query disablelastaccess: 0/2 updated, 1/3 not, anything else unknown', () => {
    const cases: Array<[string, string | undefined]> = [
      ['DisableLastAccess = 0', 'updated'],
      ['DisableLastAccess = 1', 'not-updated'],
      ['DisableLastAccess = 2  (System Managed, Enabled)', 'updated'],
      ['DisableLastAccess = 3  (System Managed, Disabled)', 'not-updated'],
      ['错误: 拒绝访问。', undefined],
    ];
    for (const [text, want] of cases) expect(parseLastAccess(text)).toBe(want);
    expect(cases).toHaveLength(5);
  });
});

describe('Windows paths as target paths (path.win32 semantics)', () => {
  it('drive letters, either slash, case, \\\\?\\ long paths, .. kept inside the drive', () => {
    const cases: Array<[string, string | undefined]> = [
      ['C:\\Users\\张三\\Desktop', '/Users/张三/Desktop'],
      ['c:/users/x/', '/users/x'],
      ['C:\\', '/'],
      ['C:', '/'],
      ['D:\\资料\\2026', '/D:/资料/2026'],
      ['d:\\', '/D:'],
      ['\\\\?\\C:\\Very\\Long\\Path', '/Very/Long/Path'],
      ['\\\\?\\D:\\x', '/D:/x'],
      ['C:\\a\\..\\..\\..\\Windows', '/Windows'],
      ['\\\\?\\UNC\\server\\share\\x', undefined],
      ['\\\\server\\share\\x', undefined],
      ['relative\\path', undefined],
      ['\\Windows', undefined],
    ];
    for (const [p, want] of cases) expect(windowsPathToTarget(p, 'C'), p).toBe(want);
    expect(cases).toHaveLength(13);
    // another system drive
    expect(windowsPathToTarget('D:\\Windows', 'D')).toBe('/Windows');
    expect(windowsPathToTarget('C:\\x', 'D')).toBe('/C:/x');
  });

  it('splitDrivePath: /D:/x is drive D, /C:/x drive C, a plain path the system drive', () => {
    expect(splitDrivePath('/D:/资料/a.txt')).toEqual({ letter: 'D', rest: '/资料/a.txt' });
    expect(splitDrivePath('/d:')).toEqual({ letter: 'D', rest: '/' });
    expect(splitDrivePath('/Users/x')).toEqual({ rest: '/Users/x' });
    expect(splitDrivePath('/D:x')).toEqual({ rest: '/D:x' }); // not a drive: a name with a colon
  });

  it('a junction or Windows symlink target is re-rooted inside the target', () => {
    const cases: Array<[string, string | undefined]> = [
      ['C:\\Users\\', '/Users\\'],
      ['\\\\?\\C:\\Users\\x', '/Users\\x'],
      ['\\??\\C:\\ProgramData', '/ProgramData'],
      ['../relative', undefined],
      ['/abs', undefined],
    ];
    for (const [link, want] of cases) expect(windowsAbsoluteLink(Buffer.from(link))?.toString(), link).toBe(want);
    expect(cases).toHaveLength(5);
  });

  it('isInsideHost on win32: case-insensitive, either slash, \\\\?\\ prefix', () => {
    expect(isInsideHost('C:\\Reports\\x', 'C:\\', 'win32')).toBe(true);
    expect(isInsideHost('c:/reports', 'C:\\', 'win32')).toBe(true);
    expect(isInsideHost('\\\\?\\C:\\r', 'C:\\', 'win32')).toBe(true);
    expect(isInsideHost('K:\\results', 'C:\\', 'win32')).toBe(false);
    expect(isInsideHost('D:\\Data2', 'D:\\Data', 'win32')).toBe(false);
    expect(isInsideHost('/mnt/a/b', '/mnt/a', 'linux')).toBe(true);
  });
});

describe('WindowsLiveTarget over folders standing in for drives', () => {
  it('routes / to the system drive and /D: to D:, case-insensitively; walk and glob keep the drive prefix', async () => {
    const m = await makeLiveMachine({ files: { 'D:/资料/报告.txt': 'x', 'C:/Users/张三/Desktop/a.txt': 'y' } });
    const scratch = join(m.kit, 'scratch');
    const t = await m.open(scratch);
    expect(t.os).toMatchObject({ family: 'windows' });
    expect(await t.readText('/users/张三/DESKTOP/A.TXT')).toBe('y');
    expect(await t.readText('/C:/Users/张三/Desktop/a.txt')).toBe('y');
    expect(await t.readText('/D:/资料/报告.txt')).toBe('x');
    expect(await t.exists('/D:/资料')).toBe(true);
    expect(await t.exists('/Q:/x')).toBe(false);
    await expect(t.readFile('/Q:/x')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const walked: string[] = [];
    for await (const e of t.walk('/D:')) walked.push(e.path);
    expect(walked).toEqual(['/D:/资料/报告.txt']);
    expect(await t.glob('/D:/*')).toEqual(['/D:/资料']);
    expect(t.documentRoots()).toEqual({
      roots: ['/', '/D:'],
      skipped: [
        { drive: expect.objectContaining({ letter: 'E', type: 'removable' }), why: 'not-fixed' },
        { drive: expect.objectContaining({ letter: 'K' }), why: 'kit' },
        { drive: expect.objectContaining({ letter: 'Z', type: 'network' }), why: 'not-fixed' },
      ],
    });
    expect(t.targetPathOf('D:\\资料')).toBe('/D:/资料');
    expect(t.targetPathOf('Z:\\share')).toBeUndefined(); // a network drive is not opened
    expect(t.inspectedHostRoots()).toEqual([m.drives['C'], m.drives['D']]);
    // nothing is made in the scratch folder until a hive is saved
    expect(existsSync(scratch)).toBe(false);
  });

  it('reg save: a copy in the scratch folder, read and deleted; without rights a needs-admin failure', async () => {
    const m = await makeLiveMachine();
    const t = await m.open(join(m.kit, 'scratch'));
    const ok = await t.saveHive(`HKU\\${USER_SID}`);
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.bytes.subarray(0, 4).toString('latin1')).toBe('regf');
      expect(ok.file.startsWith(join(m.kit, 'scratch'))).toBe(true);
      expect(existsSync(ok.file)).toBe(false);
    }
    const u = await makeLiveMachine({ elevated: false });
    const ut = await u.open(join(u.kit, 'scratch'));
    expect(await ut.saveHive('HKLM\\SYSTEM')).toEqual({ ok: false, needsAdmin: true, reason: 'reg save HKLM\\SYSTEM needs administrator rights (not run as administrator)' });
    expect(await ut.elevated()).toBe(false);
  });

  it('drive listing falls back to wmic, then to the system drive alone (said so); a fixed drive that cannot be opened is listed', async () => {
    const base = await mkdtemp(join(tmpdir(), 'baomi-winlive-drv-'));
    await mkdir(join(base, 'C', 'Windows', 'System32', 'config'), { recursive: true });
    const hostRootOf = (l: string): string => join(base, l);
    const wmic = '\r\nNode,DeviceID,DriveType,FileSystem,ProviderName,VolumeName\r\nPC,C:,3,NTFS,,\r\nPC,D:,3,,,\r\n';
    const viaWmic = await WindowsLiveTarget.open({
      scratch: join(base, 's'),
      hostRootOf,
      runner: RecordedRunner.of({ [commandKey(POWERSHELL, powershellJsonArgs(DRIVES_SCRIPT))]: { exitCode: 1, stderr: 'blocked by policy' }, [commandKey(WMIC, WMIC_DRIVES_ARGS)]: { stdout: wmic } }),
    });
    expect(viaWmic.driveListing.via).toBe('wmic');
    expect(viaWmic.driveListing.problems[0]).toMatch(/blocked by policy/);
    // D: is fixed but has no folder here (a BitLocker-locked volume): not a root, and said so
    expect(viaWmic.documentRoots()).toEqual({ roots: ['/'], skipped: [{ drive: { letter: 'D', type: 'fixed' }, why: 'unreadable', error: expect.stringMatching(/cannot be read/) }] });
    const none = await WindowsLiveTarget.open({ scratch: join(base, 's'), hostRootOf, runner: RecordedRunner.of({}) });
    expect(none.driveListing.via).toBe('probe');
    expect(none.driveListing.problems).toHaveLength(2);
    expect(none.documentRoots().roots).toEqual(['/']);
    // a system drive without Windows is refused
    const empty = await mkdtemp(join(tmpdir(), 'baomi-winlive-nowin-'));
    await expect(WindowsLiveTarget.open({ scratch: join(base, 's'), hostRootOf: () => empty, runner: RecordedRunner.of({}) })).rejects.toBeInstanceOf(TargetError);
  });

  it('files locked by the running system (EBUSY) are read errors that say so', async () => {
    const { targetError } = await import('../../src/target/fs-target.js');
    const e = targetError(Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' }), '/pagefile.sys');
    expect(e.message).toBe('/pagefile.sys: in use by the running system (locked), not read');
  });
});

describe('files a running Windows keeps locked', () => {
  it('memory, hibernation and registry files are named as such (not a blocking gap); other files are not', async () => {
    const { lockedByWindows } = await import('../../src/checks/documents/worker.js');
    const cases: Array<[string, boolean]> = [
      ['/pagefile.sys', true],
      ['/D:/pagefile.sys', true],
      ['/HIBERFIL.SYS', true],
      ['/swapfile.sys', true],
      ['/Windows/System32/config/SYSTEM', true],
      ['/windows/system32/config/software.LOG1', true],
      ['/Users/张三/NTUSER.DAT', true],
      ['/Users/张三/ntuser.dat.LOG2', true],
      ['/Users/张三/NTUSER.DAT{53b39e88-18c4-11ea-a811-000d3aa4692b}.TM.blf', true],
      ['/Users/张三/AppData/Local/Microsoft/Windows/UsrClass.dat', true],
      ['/Users/张三/Desktop/pagefile.sys', false],
      ['/Users/张三/Documents/NTUSER.DAT.docx', false],
      ['/Windows/System32/config/SYSTEM.bak', false],
      ['/D:/资料/报告.docx', false],
    ];
    for (const [p, want] of cases) expect(lockedByWindows(p), p).toBe(want);
    expect(cases).toHaveLength(14);
    const { protectedByWindows } = await import('../../src/checks/documents/worker.js');
    const folders: Array<[string, boolean]> = [
      ['/System Volume Information', true],
      ['/D:/system volume information', true],
      ['/Windows/System32/LogFiles/WMI/RtBackup', true],
      ['/Users/张三/System Volume Information', false],
      ['/Users/张三/Documents/隐藏', false],
      ['/$Recycle.Bin/S-1-5-21-1-2-3-1002', false],
    ];
    for (const [p, want] of folders) expect(protectedByWindows(p), p).toBe(want);
    expect(folders).toHaveLength(6);
  });
});

describe('the machine named without administrator rights', () => {
  it('reg query … /v MachineGuid: the value line, lower-cased; anything else is no id', async () => {
    const { parseMachineGuid } = await import('../../src/checks/identity/windows.js');
    const cases: Array<[string, string | undefined]> = [
      ['\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    4C4C4544-0042-3510-8052-B4C04F4D4E31\r\n\r\n', '4c4c4544-0042-3510-8052-b4c04f4d4e31'],
      ['    MachineGuid    REG_SZ    not-a-guid\r\n', undefined],
      ['错误: 系统找不到指定的注册表项或值。\r\n', undefined],
      ['    OtherGuid    REG_SZ    4C4C4544-0042-3510-8052-B4C04F4D4E31\r\n', undefined],
    ];
    for (const [text, want] of cases) expect(parseMachineGuid(text)).toBe(want);
    expect(cases).toHaveLength(4);
  });
});

describe('hardware identity of a running Windows machine', () => {
  it('product, BIOS, board, disks and physical cards from one CIM answer; placeholders and zero MACs are no identity', async () => {
    const { applyWindowsHardware } = await import('../../src/checks/identity/windows-live.js');
    const obs = { sources: {}, macs: [], disks: [] } as Parameters<typeof applyWindowsHardware>[1];
    applyWindowsHardware(
      {
        product: { Vendor: 'To be filled by O.E.M.', Name: 'System Product Name', IdentifyingNumber: 'Default string', UUID: '03000200-0400-0500-0006-000700080009' },
        bios: { SerialNumber: 'MXL1234ABC' },
        board: { Manufacturer: 'ASUSTeK COMPUTER INC.', Product: 'PRIME B450M-A', SerialNumber: '190123456789' },
        disks: { Index: 1, Model: 'WDC WD10EZEX', SerialNumber: '  WD-WCC6Y1234567 ', Size: '1000202273280' },
        nics: [{ Name: 'Realtek PCIe GbE', NetConnectionID: '以太网', MACAddress: '00-00-00-00-00-00' }, { Name: 'x', MACAddress: 'not-a-mac' }, { Name: 'Intel Wi-Fi', NetConnectionID: 'WLAN', MACAddress: 'A4-34-D9-12-34-56' }],
      },
      obs,
    );
    // the product says nothing real (a white box): the BIOS serial stands
    expect(obs.hardware).toEqual({ serial: 'MXL1234ABC', boardVendor: 'ASUSTeK COMPUTER INC.', boardName: 'PRIME B450M-A', boardSerial: '190123456789' });
    expect(obs.disks).toEqual([{ name: 'PhysicalDrive1', model: 'WDC WD10EZEX', serial: 'WD-WCC6Y1234567', sizeBytes: 1000202273280, source: 'PowerShell CIM (Win32_DiskDrive)' }]);
    expect(obs.macs.map((m) => [m.mac, m.iface])).toEqual([['a4:34:d9:12:34:56', 'WLAN']]);
  });
});

describe('which drives are walked', () => {
  it('fixed, RAM and drives of no known type are; removable, network and optical are not, nor the kit', async () => {
    const base = await mkdtemp(join(tmpdir(), 'baomi-winlive-types-'));
    for (const l of ['C', 'D', 'R', 'U', 'E', 'F', 'K']) await mkdir(join(base, l), { recursive: true });
    await mkdir(join(base, 'C', 'Windows', 'System32', 'config'), { recursive: true });
    const drives = JSON.stringify([
      { DeviceID: 'C:', DriveType: 3 }, { DeviceID: 'D:', DriveType: 3 }, { DeviceID: 'R:', DriveType: 6 }, { DeviceID: 'U:', DriveType: 0 },
      { DeviceID: 'E:', DriveType: 2 }, { DeviceID: 'F:', DriveType: 5 }, { DeviceID: 'K:', DriveType: 3 }, { DeviceID: 'Z:', DriveType: 4 },
    ]);
    const t = await WindowsLiveTarget.open({ scratch: join(base, 's'), kitLetter: 'K', hostRootOf: (l) => join(base, l), runner: RecordedRunner.of({ [commandKey(POWERSHELL, powershellJsonArgs(DRIVES_SCRIPT))]: { stdout: drives } }) });
    const { roots, skipped } = t.documentRoots();
    expect(roots).toEqual(['/', '/D:', '/R:', '/U:']);
    expect(skipped.map((s) => `${s.drive.letter}:${s.why}`)).toEqual(['E:not-fixed', 'F:not-fixed', 'K:kit', 'Z:not-fixed']);
  });
});

describe('the guest account of a running Windows (CIM, never a copy of the SAM)', () => {
  it('the account whose SID ends in -501; none, or no Disabled flag, is no fact', async () => {
    const { guestFromAccounts } = await import('../../src/checks/posture/posture.js');
    const sid = (rid: number): string => `S-1-5-21-1-2-3-${rid}`;
    expect(guestFromAccounts([{ Name: 'Administrator', SID: sid(500), Disabled: true }, { Name: '来宾', SID: sid(501), Disabled: false }])).toEqual({ kind: 'guest-account', user: '来宾', enabled: true, source: 'Win32_UserAccount (PowerShell CIM)' });
    expect(guestFromAccounts([{ Name: 'Guest', SID: sid(501), Disabled: true }])?.enabled).toBe(false);
    expect(guestFromAccounts([{ Name: 'Guest', SID: sid(501), Disabled: 'False' }])).toBeUndefined();
    expect(guestFromAccounts([{ Name: 'x', SID: sid(1501), Disabled: false }, { Name: 'y', SID: 'S-1-5-32-501', Disabled: false }])).toBeUndefined();
  });
});
