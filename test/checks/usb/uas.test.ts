// UAS disks (USB Attached SCSI: most USB SSDs), issue 11 item 2a. Windows names them by `MSFT30` + the
// serial the device reports; some bridges report the hex of the ASCII serial printed on the device.
// The same device must carry the same serial on Windows and Linux, and match its ledger row.
import { requireTool, skipWithout } from '../../_helpers/oracles.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxUsbHistory } from '../../../src/checks/usb/linux.js';
import { usbSerial } from '../../../src/checks/usb/types.js';
import { windowsSerial, windowsUsbHistory } from '../../../src/checks/usb/windows.js';
import { Hive } from '../../../src/formats/regf.js';
import { matchDevice } from '../../../src/ledger/match.js';
import { parseLedger } from '../../../src/ledger/read.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { fixtureBytes, HIVES, makeWindowsRoot } from '../../_helpers/windows-root.js';

const hive = (f: string) => Hive.open(fixtureBytes(join(HIVES, f)));
/** matchDevice with or without its machine-class argument (the class judgement is moving to the engine). */
const match = (ledger: Parameters<typeof matchDevice>[0], d: Parameters<typeof matchDevice>[1]): ReturnType<typeof matchDevice> =>
  (matchDevice as (...a: unknown[]) => ReturnType<typeof matchDevice>)(ledger, d, 'classified');

describe('serials', () => {
  it('usbSerial: the hex of an ASCII serial label is decoded; other hex is kept', () => {
    expect(usbSerial('313735303835343230333437')).toEqual({ serial: '175085420347', raw: '313735303835343230333437' });
    expect(usbSerial('12345679FD0B')).toEqual({ serial: '12345679FD0B' });
    expect(usbSerial('160087320341700000F9')).toEqual({ serial: '160087320341700000F9' }); // 0x16 is no character
    expect(usbSerial('AA010215170355310594')).toEqual({ serial: 'AA010215170355310594' });
    expect(usbSerial('4C530001230718117142')).toEqual({ serial: '4C530001230718117142' }); // "LS" then NUL
    expect(usbSerial('3132')).toEqual({ serial: '3132' }); // too short to tell from a number
    expect(usbSerial('6162636465666768')).toEqual({ serial: '6162636465666768' }); // "abcdefgh": text, not a label
  });

  it('windowsSerial: MSFT30 removed, then decoded; the raw instance part kept', () => {
    expect(windowsSerial('MSFT30313735303835343230333437')).toEqual({ serial: '175085420347', unique: true, raw: 'MSFT30313735303835343230333437' });
    expect(windowsSerial('MSFT3012345679FD0B')).toEqual({ serial: '12345679FD0B', unique: true, raw: 'MSFT3012345679FD0B' });
    expect(windowsSerial('MSFT30160087320341700000F9&0')).toEqual({ serial: '160087320341700000F9', unique: true, raw: 'MSFT30160087320341700000F9' });
    expect(windowsSerial('AA951D0000007252&0')).toEqual({ serial: 'AA951D0000007252', unique: true });
    expect(windowsSerial('7&2a6b3c1d&0')).toEqual({ serial: '7&2a6b3c1d&0', unique: false });
  });
});

describe('win10-1709-SYSTEM: two UAS disks (SanDisk Extreme SSD, JMicron/Silicon-Power)', () => {
  const recs = () => windowsUsbHistory({ system: { hive: hive('win10-1709-SYSTEM.xz'), source: 'SYSTEM' } });

  it('the SanDisk Extreme SSD: decoded serial, raw instance id shown, USB and SCSI entries one record', () => {
    const ssd = recs().find((r) => r.vid === '0781' && r.pid === '558c')!;
    expect(ssd).toMatchObject({
      key: 'usb:0781:558c:175085420347',
      serial: '175085420347',
      serialRaw: 'MSFT30313735303835343230333437',
      serialUnique: true,
      storage: true,
      vendor: 'SanDisk',
      product: 'Extreme SSD',
    });
    expect(ssd.sources.map((s) => [s.kind, s.detail?.['instanceId']])).toEqual([
      ['usb', 'USB\\VID_0781&PID_558C\\MSFT30313735303835343230333437'],
      ['scsi', 'SCSI\\Disk&Ven_SanDisk&Prod_Extreme_SSD\\000000'],
    ]);
  });

  it('the JMicron bridge: not a hex label, so the serial is what follows MSFT30', () => {
    const hdd = recs().find((r) => r.vid === '152d' && r.pid === '0567')!;
    expect(hdd).toMatchObject({ key: 'usb:152d:0567:160087320341700000F9', serial: '160087320341700000F9', serialRaw: 'MSFT30160087320341700000F9', storage: true });
  });

  it('a ledger row with the serial printed on the SSD matches it (a non-classified SSD: cross-class on a classified machine)', async () => {
    const yaml = `media:\n  - id: SSD-7\n    type: 移动硬盘\n    serial: "175085420347"\n    vid: "0781"\n    pid: "558c"\n    class: 非涉密\n    status: 在用\n`;
    const { ledger, problems } = await parseLedger('ledger.yaml', Buffer.from(yaml));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const ssd = recs().find((r) => r.vid === '0781' && r.pid === '558c')!;
    // Registered, with the row's class: the engine then judges it against the machine's class (today's
    // main reported it unregistered, a medium finding, instead of the cross-class high one).
    expect(match(ledger!, ssd)).toMatchObject({ status: 'registered', matchedBy: 'serial+ids', entry: { id: 'SSD-7', class: 'nonclassified' } });
    // A ledger that wrote down what Windows shows (the instance id) is not what the label says: no match.
    const raw = await parseLedger('ledger.yaml', Buffer.from(yaml.replace('"175085420347"', '"MSFT30313735303835343230333437"')));
    expect(match(raw.ledger!, ssd).status).toBe('unregistered');
  });

  it.skipIf(skipWithout('hivexregedit'))('a SCSI instance named MSFT30… with no ContainerID joins its USB entry by the decoded serial', async () => {
    // Written with hivexregedit into a copy of win7-SYSTEM (no UAS disk of its own): the USB entry as in
    // win10-1709 (service UASPStor), and a SCSI disk whose instance id is the MSFT30 name.
    const dir = await mkdtemp(join(tmpdir(), 'baomi-uas-'));
    const file = join(dir, 'SYSTEM');
    await writeFile(file, fixtureBytes(join(HIVES, 'win7-SYSTEM.xz')));
    const E = 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Enum';
    const sz = (s: string) => `hex(1):${[...Buffer.from(`${s}\0`, 'utf16le')].map((b) => b.toString(16).padStart(2, '0')).join(',')}`;
    const reg = [
      'Windows Registry Editor Version 5.00',
      '',
      `[${E}\\USB\\VID_0781&PID_558C]`,
      '',
      `[${E}\\USB\\VID_0781&PID_558C\\MSFT30313735303835343230333437]`,
      `"Service"=${sz('UASPStor')}`,
      '',
      `[${E}\\SCSI\\Disk&Ven_SanDisk&Prod_Extreme_SSD]`,
      '',
      `[${E}\\SCSI\\Disk&Ven_SanDisk&Prod_Extreme_SSD\\MSFT30313735303835343230333437]`,
      `"Service"=${sz('disk')}`,
      `"FriendlyName"=${sz('SanDisk Extreme SSD SCSI Disk Device')}`,
      '',
    ].join('\r\n');
    await writeFile(join(dir, 'uas.reg'), reg);
    const r = spawnSync('hivexregedit', ['--merge', '--prefix', 'HKEY_LOCAL_MACHINE\\SYSTEM', file, join(dir, 'uas.reg')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const recs = windowsUsbHistory({ system: { hive: Hive.open(readFileSync(file)), source: 'SYSTEM' } }).filter((x) => x.vid === '0781' && x.pid === '558c');
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ serial: '175085420347', serialRaw: 'MSFT30313735303835343230333437', storage: true, vendor: 'SanDisk', product: 'Extreme SSD' });
    expect(recs[0]!.sources.map((s) => s.kind)).toEqual(['usb', 'scsi']);
  });
});

describe('the same SSD on Linux', () => {
  it('the kernel log shows the serial the device reports (the hex); the record has the same key as on Windows', async () => {
    // Kernel lines in the formats of drivers/usb/core/hub.c and uas.c (see fixtures/linux/usb-logs/PROVENANCE.md);
    // the ids, strings and serial are those Windows recorded for this SSD in win10-1709-SYSTEM.
    const dir = await mkdtemp(join(tmpdir(), 'baomi-uas-linux-'));
    await mkdir(join(dir, 'var', 'log'), { recursive: true });
    await mkdir(join(dir, 'etc'), { recursive: true });
    const lines = [
      '2024-11-23T14:05:01.123456+08:00 ub-2404 kernel: usb 2-1: new SuperSpeed USB device number 2 using xhci_hcd',
      '2024-11-23T14:05:01.144210+08:00 ub-2404 kernel: usb 2-1: New USB device found, idVendor=0781, idProduct=558c, bcdDevice=10.12',
      '2024-11-23T14:05:01.144215+08:00 ub-2404 kernel: usb 2-1: New USB device strings: Mfr=2, Product=3, SerialNumber=1',
      '2024-11-23T14:05:01.144217+08:00 ub-2404 kernel: usb 2-1: Product: Extreme SSD',
      '2024-11-23T14:05:01.144219+08:00 ub-2404 kernel: usb 2-1: Manufacturer: SanDisk',
      '2024-11-23T14:05:01.144221+08:00 ub-2404 kernel: usb 2-1: SerialNumber: 313735303835343230333437',
      '2024-11-23T14:05:01.151002+08:00 ub-2404 kernel: scsi host2: uas',
      '2024-11-23T14:05:01.153310+08:00 ub-2404 kernel: scsi 2:0:0:0: Direct-Access     SanDisk  Extreme SSD      1012 PQ: 0 ANSI: 6',
      '2024-11-23T14:05:01.160331+08:00 ub-2404 kernel: sd 2:0:0:0: [sdb] Attached SCSI disk',
      '',
    ].join('\n');
    await writeFile(join(dir, 'var', 'log', 'kern.log'), lines);
    const { records } = await linuxUsbHistory(await FsTarget.open('offline', dir), { pathEnv: '/nonexistent' });
    const win = windowsUsbHistory({ system: { hive: hive('win10-1709-SYSTEM.xz'), source: 'SYSTEM' } }).find((r) => r.vid === '0781' && r.pid === '558c')!;
    const lin = records.find((r) => r.vid === '0781' && r.pid === '558c')!;
    expect(lin).toMatchObject({ serial: '175085420347', serialRaw: '313735303835343230333437', storage: true });
    expect(lin.key).toBe(win.key);
  });
});

describe('end to end: baomi scan of the win10-1709 disk with the SSD in the ledger as non-classified', () => {
  it('a classified machine: the SSD is cross-class use (high), not "unregistered"', async () => {
    const root = await makeWindowsRoot({ system: 'win10-1709-SYSTEM.xz' });
    const work = await mkdtemp(join(tmpdir(), 'baomi-uas-scan-'));
    const ledger = join(work, 'ledger.yaml');
    await writeFile(ledger, `unit: 某某单位\nmedia:\n  - id: SSD-7\n    type: 移动硬盘\n    serial: "175085420347"\n    vid: "0781"\n    pid: "558c"\n    class: 非涉密\n    status: 在用\n`);
    const out = join(work, 'out');
    const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'baomi.js');
    const r = spawnSync(process.execPath, [bin, 'scan', '--root', root, '--ledger', ledger, '--profile', 'classified', '--out', out, '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
      timeout: 120_000,
    });
    const file = (await readdir(out)).find((x) => x.endsWith('.json'));
    expect(file, r.stderr).toBeDefined();
    const rep = JSON.parse(await readFile(join(out, file!), 'utf8')) as {
      findings: Array<{ ruleId: string; severity: string; evidence: Record<string, unknown> }>;
      inventory: { usbDevices: Array<Record<string, unknown>> };
    };
    const ssd = 'usb:0781:558c:175085420347';
    expect(rep.findings.filter((f) => f.evidence['key'] === ssd).map((f) => [f.ruleId, f.severity])).toEqual([['usb-storage-cross-class', 'high']]);
    expect(rep.inventory.usbDevices.find((d) => d['key'] === ssd)).toMatchObject({ serial: '175085420347', serialRaw: 'MSFT30313735303835343230333437' });
  }, 130_000);
});
