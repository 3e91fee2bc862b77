// `baomi inspect` and the Windows offline scan, end to end through the built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, FIXTURES, HIVES, makeWindowsRoot } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;

function baomi(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface KeyJson { path: string; subkeys?: KeyJson[]; values?: Array<{ name: string; type: string; data: unknown }> }
function paths(k: KeyJson): string[] {
  return [k.path, ...(k.subkeys ?? []).flatMap(paths)];
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-inspect-'));
});

describe('baomi scan --root <Windows disk>', () => {
  it("reports the SYSTEM hive's ComputerName as the machine's host name", async () => {
    const root = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz' });
    const out = join(work, 'win-out');
    const r = baomi(['scan', '--root', root, '--out', out, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const rep = JSON.parse(r.stdout);
    expect(rep.machine.hostname).toBe('DESKTOP-PM6C56D');
    expect(rep.scan.os).toEqual({ family: 'windows', detectedFrom: '/Windows/System32/config' });
    expect(rep.machine.hardware.uuid).toBe('4c4c4544-0042-3210-804d-c4c04f4e3232');
    expect((await readdir(out)).some((f) => f.startsWith('DESKTOP-PM6C56D-'))).toBe(true);
    expect(r.code).toBe(1); // its Wi-Fi and Bluetooth adapters are findings on the default (classified) profile
  });
});

describe('baomi inspect', () => {
  let system: string;
  beforeAll(async () => {
    system = join(work, 'SYSTEM');
    await writeFile(system, fixtureBytes(join(HIVES, 'win10-SYSTEM_B.xz')));
  });

  it('--key …USBSTOR --json lists exactly the keys of the oracle listing', async () => {
    const r = baomi(['inspect', system, '--key', 'ControlSet001\\Enum\\USBSTOR', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as KeyJson;
    const oracle = (await readFile(join(HIVES, 'win10-SYSTEM_B.usbstor.oracle.reg'), 'utf8'))
      .split(/\r?\n/)
      .filter((l) => l.startsWith('['))
      .map((l) => l.slice(1, -1).replace(/^HKEY_LOCAL_MACHINE\\SYSTEM\\/, ''));
    expect(paths(json).sort()).toEqual(oracle.sort());
    const devices = json.subkeys!.flatMap((d) => d.subkeys!.map((s) => `${d.path.split('\\').pop()}\\${s.path.split('\\').pop()}`));
    expect(devices).toEqual([
      'Disk&Ven_SanDisk&Prod_Extreme&Rev_0001\\AA010215170355310594&0',
      'Disk&Ven_SanDisk&Prod_Extreme&Rev_0001\\AA010603160707470215&0',
    ]);
    const first = json.subkeys![0]!.subkeys![0]!;
    expect(first.values!.find((v) => v.name === 'FriendlyName')).toEqual({ name: 'FriendlyName', type: 'REG_SZ', data: 'SanDisk Extreme USB Device' });
  });

  it('text output resolves CurrentControlSet and decodes device-property dates', () => {
    const r = baomi(['inspect', system, '--key', 'CurrentControlSet\\Enum\\USBSTOR']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CurrentControlSet = ControlSet001');
    expect(r.stdout).toMatch(/\\0064\]  last write .*\n\s+@ REG_0xFFFF0010 = "2018-03-27T\d\d:\d\d:\d\d\.\d{3}Z"  \(FILETIME\)/);
    expect(r.stdout).toContain('DIRTY');
  });

  it('a setupapi log: the device installs, not driver staging', () => {
    const r = baomi(['inspect', join(FIXTURES, 'windows', 'logs', 'plaso-win10-setupapi.dev.log'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { devices: Array<{ instanceId: string; start: string }> };
    const usb = j.devices.filter((d) => /USBSTOR/i.test(d.instanceId));
    expect(usb).toHaveLength(1);
    expect(usb[0]!.start).toBe('2016-11-22T23:50:30.938');
    expect(j.devices.some((d) => /bth\.inf|usbstor\.inf/i.test(d.instanceId))).toBe(false);
  });

  it('a Firefox history with its WAL beside it: visits only in the WAL are counted', () => {
    const r = baomi(['inspect', join(FIXTURES, 'browsers', 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite'), '--json', '--urls']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { totalVisits: number; internetVisits: number; urls: Array<{ url: string }>; walFile: string };
    expect(j).toMatchObject({ totalVisits: 4, internetVisits: 4 });
    expect(j.walFile).toMatch(/places\.sqlite-wal$/);
    expect(j.urls.some((u) => u.url.includes('q=plaso+log2timeline'))).toBe(true);
  });

  it('a WLAN profile XML', () => {
    const r = baomi(['inspect', join(FIXTURES, 'windows', 'wlan', '{5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}', '{2B8D4F6A-1C3E-4A5B-9D7F-0E2C4A6B8D1F}.xml')]);
    expect(r.stdout).toContain('SSID "办公室WiFi", connection manual, authentication WPA2PSK');
  });

  it('a SYSTEM hive with --usb: its USB devices merged per physical device', () => {
    const r = baomi(['inspect', system, '--usb', '--json']);
    expect(r.code).toBe(0);
    const recs = JSON.parse(r.stdout) as Array<{ key: string; storage: boolean }>;
    expect(recs.filter((x) => x.storage).map((x) => x.key)).toEqual(['usb:0781:5580:AA010215170355310594', 'usb:0781:5580:AA010603160707470215']);
  });

  it('a rotated, gzipped kernel log: its USB devices with dated connects', () => {
    const r = baomi(['inspect', join(FIXTURES, 'linux', 'usb-logs', 'debian11-newyear', 'var', 'log', 'syslog.3.gz')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^storage usb:0781:5567:4C530001230718117142  SanDisk Cruzer Blade\n\s+first \d{4}-12-18T09:13:40/m);
  });

  it('a document: format, parts read, markings with why, near misses with why not', () => {
    const lab = join(FIXTURES, 'documents', 'labelled');
    const yes = baomi(['inspect', join(lab, 'w01-body-first-line.docx')]);
    expect(yes.stdout).toMatch(/format docx/);
    expect(yes.stdout).toMatch(/word\/document\.xml  \(\d+ characters\)/);
    expect(yes.stdout).toMatch(/秘密  "秘密★1年"  in word\/document\.xml @0  — counted: .*star follows the level/);
    const no = JSON.parse(baomi(['inspect', join(lab, 'n02-rule-text.docx'), '--json']).stdout) as { markings: unknown[]; nearMisses: Array<{ reasons: string[] }> };
    expect(no.markings).toEqual([]);
    expect(no.nearMisses.some((m) => m.reasons.includes('inside quotation'))).toBe(true);
    // in Chinese, the why and the why not are Chinese
    const zh = baomi(['inspect', join(lab, 'w01-body-first-line.docx'), '--lang', 'zh']);
    expect(zh.stdout).toMatch(/秘密  「秘密★1年」  位于 word\/document\.xml @0  — 计入：.*密级后有★/);
    const zhNo = baomi(['inspect', join(lab, 'n02-rule-text.docx'), '--lang', 'zh']);
    expect(zhNo.stdout).toMatch(/未计入：.*在引号中/);
    for (const line of `${zh.stdout}\n${zhNo.stdout}`.split('\n').filter((l) => /计入：/.test(l))) {
      expect(line.split('计入：')[1]!.replace(/「[^」]*」/g, ''), line).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it('exit 2 for a missing key, a missing file, an unknown type, a corrupt hive', async () => {
    expect(baomi(['inspect', system, '--key', 'NoSuch\\Key']).code).toBe(2);
    expect(baomi(['inspect', join(work, 'nope')]).code).toBe(2);
    const junk = join(work, 'junk.bin');
    await writeFile(junk, Buffer.from('hello world'));
    expect(baomi(['inspect', junk]).stdout).toMatch(/format text/); // any other file is read as a document
    const bad = join(work, 'bad.hive');
    const b = fixtureBytes(join(HIVES, 'vbox-SYSTEM_2.xz')).subarray(0, 8192);
    b.writeUInt32LE(0xfffffff0, 0x24); // root cell offset far outside the file
    await writeFile(bad, b);
    const r = baomi(['inspect', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a readable registry hive \(E_HIVE_/);
  });
});
