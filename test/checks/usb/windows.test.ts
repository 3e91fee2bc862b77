import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inquiryIds, serialFromDevicePath, usbstorSerial, windowsUsbHistory } from '../../../src/checks/usb/windows.js';
import { Hive } from '../../../src/formats/regf.js';
import { parseSetupapiLog } from '../../../src/formats/setupapi.js';
import { fixtureBytes, FIXTURES, HIVES, SOFTWARE_SAMPLE } from '../../_helpers/windows-root.js';

const hive = (f: string) => Hive.open(fixtureBytes(join(HIVES, f)));

/** Storage device serials in an oracle listing: the instance keys directly under USBSTOR\<device>. */
function oracleUsbstorSerials(name: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(HIVES, `${name}.usbstor.oracle.reg`), 'utf8');
  } catch {
    return []; // no USBSTOR key in that hive (itself an oracle fact)
  }
  return [...text.matchAll(/^\[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Enum\\USBSTOR\\[^\\\]]+\\([^\\\]]+)\]$/gm)].map((m) => usbstorSerial(m[1]!).serial);
}

describe('helpers', () => {
  it('serials, inquiry strings, device paths', () => {
    expect(usbstorSerial('AA951D0000007252&0')).toEqual({ serial: 'AA951D0000007252', unique: true });
    expect(usbstorSerial('7&2a6b3c1d&0')).toEqual({ serial: '7&2a6b3c1d&0', unique: false });
    expect(inquiryIds('Disk&Ven_SanDisk&Prod_Extreme_SSD&Rev_1009')).toEqual({ vendor: 'SanDisk', product: 'Extreme SSD', revision: '1009' });
    expect(serialFromDevicePath('_??_USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}')).toBe('AA951D0000007252');
  });
});

describe('windowsUsbHistory on the corpus hives', () => {
  it.each([
    ['win7-SYSTEM', []],
    ['win10-SYSTEM_B', []],
    ['win10-1709-SYSTEM', ['MSFT30160087320341700000F9', 'MSFT30313735303835343230333437']], // UAS disks, under Enum\SCSI
    ['vbox-SYSTEM_2', []],
  ])('%s: exactly the oracle\'s storage devices (USBSTOR + UAS)', (name, uas) => {
    const recs = windowsUsbHistory({ system: { hive: hive(`${name}.xz`), source: 'SYSTEM' } });
    const storage = recs.filter((r) => r.storage).map((r) => r.serial).sort();
    expect(storage).toEqual([...oracleUsbstorSerials(name), ...uas].sort());
    for (const r of recs.filter((x) => x.storage)) {
      expect(r.firstSeen, r.key).toMatch(/^20\d\d-/);
      expect(r.lastSeen, r.key).toMatch(/^20\d\d-/);
    }
  });

  it('win7: HP v100w as E:, with VID/PID and first/last times (Windows 7 property layout)', () => {
    const [r] = windowsUsbHistory({ system: { hive: hive('win7-SYSTEM.xz'), source: 'SYSTEM' } }).filter((x) => x.storage);
    expect(r).toMatchObject({
      key: 'usb:03f0:3207:AA951D0000007252', vid: '03f0', pid: '3207', serial: 'AA951D0000007252', serialUnique: true,
      vendor: 'HP', product: 'v100w', revision: '1024', driveLetters: ['E:'], firstSeen: '2011-04-01T04:52:37.607Z',
    });
    expect(r!.sources.map((s) => s.kind)).toEqual(['usb', 'usbstor', 'mounteddevices']);
  });

  it('win10-SYSTEM_B + SOFTWARE: two SanDisk Extreme sticks with labels, letter, volume serial; an MTP phone', () => {
    const soft = Hive.open(fixtureBytes(SOFTWARE_SAMPLE));
    const recs = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' }, software: { hive: soft, source: 'SOFTWARE' } });
    const byKey = Object.fromEntries(recs.map((r) => [r.key, r]));
    expect(byKey['usb:0781:5580:AA010215170355310594']).toMatchObject({ storage: true, volumeLabels: ['ESD-USB'], volumeSerials: ['581F-2620'], firstSeen: '2018-03-27T12:11:31.923Z' });
    expect(byKey['usb:0781:5580:AA010603160707470215']).toMatchObject({ storage: true, volumeLabels: ['CloudLog'], driveLetters: ['D:'] });
    expect(byKey['usb:2717:ff48:6D5C1A2B']).toMatchObject({ phone: true, storage: false, product: 'Redmi Note 8 Pro' });
    // non-storage USB devices are kept for the inventory, not as storage
    expect(byKey['usb:413c:8197:28E347017777']).toMatchObject({ storage: false, phone: false });
  });

  it('win10-1709: UAS disks linked to their USB entries by ContainerID; VMware virtual disks are not USB', () => {
    const recs = windowsUsbHistory({ system: { hive: hive('win10-1709-SYSTEM.xz'), source: 'SYSTEM' } });
    const ssd = recs.find((r) => r.vid === '0781' && r.pid === '558c')!;
    expect(ssd).toMatchObject({ storage: true, vendor: 'SanDisk', product: 'Extreme SSD', lastRemoved: '2020-03-20T17:45:20.585Z' });
    expect(ssd.sources.map((s) => s.kind)).toEqual(['usb', 'scsi']);
    expect(recs.some((r) => r.vendor === 'VMware')).toBe(false);
  });

  it('setupapi first-install times join by serial (both USBSTOR and WPDBUSENUM ids)', () => {
    const text = readFileSync(join(FIXTURES, 'windows', 'logs', 'plaso-win10-setupapi.dev.log'), 'utf8');
    // The corpus log's one stick (Generic Flash Disk 99E2116A) is in no corpus hive: no false join.
    const plain = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' }, setupapi: { devices: parseSetupapiLog(text).devices, source: 'setupapi.dev.log' } });
    expect(plain.flatMap((r) => r.sources).some((s) => s.kind === 'setupapi')).toBe(false);
    // The same real section with the instance id of a SanDisk stick of this hive (format unchanged).
    const edited = text
      .replace('SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07#99E2116A&0#', 'SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_SanDisk&Prod_Extreme&Rev_0001#AA010603160707470215&0#');
    expect(edited).not.toBe(text);
    const recs = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' }, setupapi: { devices: parseSetupapiLog(edited).devices, source: 'setupapi.dev.log' } });
    const r = recs.find((x) => x.serial === 'AA010603160707470215')!;
    expect(r.sources.find((s) => s.kind === 'setupapi')).toMatchObject({ firstSeen: '2016-11-22T23:50:30.938', timesAreLocal: true });
    expect(r.timesAreLocal).toBe(true);
  });

  it.skipIf(spawnSync('hivexregedit', ['--help']).error !== undefined)('MountPoints2 of a user hive names who mounted the stick (hive written by hivexregedit)', async () => {
    // win7-NTUSER.DAT is the same machine as win7-SYSTEM; add the stick's volume to its MountPoints2.
    const dir = await mkdtemp(join(tmpdir(), 'baomi-mp2-'));
    const file = join(dir, 'NTUSER.DAT');
    await writeFile(file, readFileSync(join(HIVES, 'win7-NTUSER.DAT')));
    const reg = join(dir, 'add.reg');
    await writeFile(reg, 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\MountPoints2\\{eba74da6-5bb2-11e0-95d1-000c2971073c}]\r\n"BaseClass"="Drive"\r\n');
    const r = spawnSync('hivexregedit', ['--merge', '--prefix', 'HKEY_CURRENT_USER', file, reg], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const recs = windowsUsbHistory({
      system: { hive: hive('win7-SYSTEM.xz'), source: 'SYSTEM' },
      userHives: [{ user: 'nfury', hive: Hive.open(readFileSync(file)), source: '/Users/nfury/NTUSER.DAT' }],
    });
    const hp = recs.find((x) => x.serial === 'AA951D0000007252')!;
    expect(hp.users).toEqual(['nfury']);
    expect(hp.sources.find((s) => s.kind === 'mountpoints2')!.source).toBe('/Users/nfury/NTUSER.DAT: Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\MountPoints2\\{eba74da6-5bb2-11e0-95d1-000c2971073c}');
  });
});
