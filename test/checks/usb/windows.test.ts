import { requireTool, skipWithout } from '../../_helpers/oracles.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inquiryIds, localToUtc, serialFromDevicePath, usbstorSerial, windowsSerial, windowsUsbHistory, windowsZone } from '../../../src/checks/usb/windows.js';
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
    // UAS disks, under Enum\SCSI; their USB instance ids MSFT30160087320341700000F9 and MSFT30313735303835343230333437
    // (the second the hex of the ASCII serial 175085420347)
    ['win10-1709-SYSTEM', ['160087320341700000F9', '175085420347']],
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
    // firstSeen: its removal (0067) at 09:22:13 precedes its install dates (12:11:31): see the firstSeen tests.
    expect(byKey['usb:0781:5580:AA010215170355310594']).toMatchObject({ storage: true, volumeLabels: ['ESD-USB'], volumeSerials: ['581F-2620'], firstSeen: '2018-03-27T09:22:13.088Z' });
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
    // The hive's zone converts it: the merged firstSeen is UTC, so the record does not say its times are local.
    expect(r.firstSeen).toBe('2016-11-23T04:50:30.938Z');
    expect(r.timesAreLocal).toBeUndefined();
  });

  it.skipIf(skipWithout('hivexregedit'))('MountPoints2 of a user hive names who mounted the stick (hive written by hivexregedit)', async () => {
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

// ---------------------------------------------------------------------------------------------
// firstSeen is the earliest of every install-time record (issue 11, 2d).

const hasHivex = spawnSync('hivexregedit', ['--help']).error === undefined;

/** A copy of a corpus hive with a .reg merged into it by hivexregedit (an independent writer). */
async function editedHive(name: string, reg: string): Promise<Hive> {
  const dir = await mkdtemp(join(tmpdir(), 'baomi-edit-'));
  const file = join(dir, 'SYSTEM');
  await writeFile(file, fixtureBytes(join(HIVES, `${name}.xz`)));
  await writeFile(join(dir, 'edit.reg'), `Windows Registry Editor Version 5.00\r\n\r\n${reg}`);
  const r = spawnSync('hivexregedit', ['--merge', '--prefix', 'HKEY_LOCAL_MACHINE\\SYSTEM', file, join(dir, 'edit.reg')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Hive.open(readFileSync(file));
}

describe('firstSeen: the earliest of 0064, 0065, 0066, 0067, the key write and setupapi', () => {
  it('win10-SYSTEM_B Dell Bluetooth module: property 0064 is 2 h 49 min before 0065, and is firstSeen', () => {
    const recs = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' } });
    const bt = recs.find((r) => r.key === 'usb:413c:8197:28E347017777')!;
    // oracle (win10-SYSTEM_B.usb.oracle.reg): 0064 = 2018-03-27 09:22:48.845, 0065 = 12:11:45.118 (UTC)
    expect(bt.firstSeen).toBe('2018-03-27T09:22:48.845Z');
    expect(bt.sources[0]).toMatchObject({ kind: 'usb', firstSeen: '2018-03-27T09:22:48.845Z', lastSeen: '2018-03-27T21:45:44.051Z' });
  });

  it('win10-SYSTEM_B SanDisk AA0102…: removed (0067) at 09:22:13, before its install dates 12:11:31: it was there first', () => {
    const recs = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' } });
    const r = recs.find((x) => x.serial === 'AA010215170355310594')!;
    expect(r.firstSeen).toBe('2018-03-27T09:22:13.088Z');
    expect(r.lastRemoved).toBe('2018-03-27T09:22:13.088Z');
    const usbstor = r.sources.find((s) => s.kind === 'usbstor')!;
    expect(usbstor).toMatchObject({ firstSeen: '2018-03-27T09:22:13.088Z', lastSeen: '2018-03-27T12:13:16.365Z' });
    expect(usbstor.detail?.['firstSeenFrom']).toBe('0067');
  });

  it.skipIf(skipWithout('hivexregedit'))('the instance key\'s last write counts when the property dates are later (win7 HP stick, dates moved to 2013)', async () => {
    const later = 'hex(3):00,00,2c,f1,b2,e7,cd,01'; // FILETIME 2013-01-01T00:00:00Z
    const props = (k: string) =>
      ['00000064', '00000065'].map((p) => `[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Enum\\${k}\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}\\${p}\\00000000]\r\n"Data"=${later}\r\n`).join('\r\n');
    const h = await editedHive('win7-SYSTEM', `${props('USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024\\AA951D0000007252&0')}\r\n${props('USB\\VID_03F0&PID_3207\\AA951D0000007252')}\r\n`);
    const [r] = windowsUsbHistory({ system: { hive: h, source: 'SYSTEM' } }).filter((x) => x.storage);
    // key last writes (win7-SYSTEM): USB instance 2012-04-07 10:31:37.625, USBSTOR instance …37.640; hivex left them alone.
    expect(r!.sources.map((s) => [s.kind, s.firstSeen, s.detail?.['firstSeenFrom']])).toEqual([
      ['usb', '2012-04-07T10:31:37.625Z', 'key last write'],
      ['usbstor', '2012-04-07T10:31:37.640Z', 'key last write'],
      ['mounteddevices', undefined, undefined],
    ]);
    expect(r!.firstSeen).toBe('2012-04-07T10:31:37.625Z');
    expect(r!.lastSeen).toBe('2013-01-01T00:00:00.000Z');
  });

  const setupapiFor = (serialPart: string, start?: string): ReturnType<typeof parseSetupapiLog>['devices'] => {
    let text = readFileSync(join(FIXTURES, 'windows', 'logs', 'plaso-win10-setupapi.dev.log'), 'utf8')
      .replace('SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07#99E2116A&0#', `SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_SanDisk&Prod_Extreme&Rev_0001#${serialPart}&0#`);
    if (start) text = text.replace('>>>  Section start 2016/11/22 23:50:30.938', `>>>  Section start ${start}`);
    const devices = parseSetupapiLog(text).devices;
    expect(devices.some((d) => d.instanceId.includes(serialPart))).toBe(true);
    return devices;
  };

  it('setupapi earlier than 0064: firstSeen is the setupapi time in UTC, converted with the hive\'s zone (Eastern, EST in November)', () => {
    const recs = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' }, setupapi: { devices: setupapiFor('AA010603160707470215'), source: 'setupapi.dev.log' } });
    const r = recs.find((x) => x.serial === 'AA010603160707470215')!;
    const s = r.sources.find((x) => x.kind === 'setupapi')!;
    // The source keeps the log's own local time, and says what it is in UTC (Bias 300 min, no DST on 22 Nov 2016).
    expect(s).toMatchObject({ firstSeen: '2016-11-22T23:50:30.938', timesAreLocal: true, firstSeenUtc: '2016-11-23T04:50:30.938Z' });
    expect(r.firstSeen).toBe('2016-11-23T04:50:30.938Z');
    // Every merged time is UTC now: the record does not claim local times.
    expect(r.timesAreLocal).toBeUndefined();
  });

  it('setupapi 2 h "before" 0064 in wall-clock digits but after it in UTC (EDT, UTC-4): 0064 stays first', () => {
    // 0064 of this stick is 2018-03-27 09:22:21.949 UTC; 08:00 EDT is 12:00 UTC.
    const recs = windowsUsbHistory({ system: { hive: hive('win10-SYSTEM_B.xz'), source: 'SYSTEM' }, setupapi: { devices: setupapiFor('AA010603160707470215', '2018/03/27 08:00:00.000'), source: 'setupapi.dev.log' } });
    const r = recs.find((x) => x.serial === 'AA010603160707470215')!;
    expect(r.sources.find((x) => x.kind === 'setupapi')).toMatchObject({ firstSeen: '2018-03-27T08:00:00.000', firstSeenUtc: '2018-03-27T12:00:00.000Z' });
    expect(r.firstSeen).toBe('2018-03-27T09:22:21.769Z');
  });
});

describe('firstSeen when the hive has no zone (TimeZoneInformation removed with hivexregedit)', () => {
  const noZone = () => editedHive('win10-SYSTEM_B', '[-HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\TimeZoneInformation]\r\n');
  const log = (start?: string) => {
    let text = readFileSync(join(FIXTURES, 'windows', 'logs', 'plaso-win10-setupapi.dev.log'), 'utf8').replace(
      'SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07#99E2116A&0#',
      'SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_SanDisk&Prod_Extreme&Rev_0001#AA010603160707470215&0#',
    );
    if (start) text = text.replace('>>>  Section start 2016/11/22 23:50:30.938', `>>>  Section start ${start}`);
    return parseSetupapiLog(text).devices;
  };

  it.skipIf(skipWithout('hivexregedit'))('a local time more than 14 h before every UTC time is surely first: kept as local, and the record says so', async () => {
    const h = await noZone();
    expect(windowsZone(h)).toBeUndefined();
    const r = windowsUsbHistory({ system: { hive: h, source: 'SYSTEM' }, setupapi: { devices: log(), source: 'setupapi.dev.log' } }).find((x) => x.serial === 'AA010603160707470215')!;
    expect(r.firstSeen).toBe('2016-11-22T23:50:30.938');
    expect(r.timesAreLocal).toBe(true);
    expect(r.sources.find((s) => s.kind === 'setupapi')!.firstSeenUtc).toBeUndefined();
  });

  it.skipIf(skipWithout('hivexregedit'))('a local time within 14 h of a UTC time cannot be ordered without the zone: the exact UTC time is kept', async () => {
    const h = await noZone();
    const r = windowsUsbHistory({ system: { hive: h, source: 'SYSTEM' }, setupapi: { devices: log('2018/03/27 08:00:00.000'), source: 'setupapi.dev.log' } }).find((x) => x.serial === 'AA010603160707470215')!;
    expect(r.firstSeen).toBe('2018-03-27T09:22:21.769Z');
    expect(r.timesAreLocal).toBeUndefined();
    expect(r.sources.find((s) => s.kind === 'setupapi')).toMatchObject({ firstSeen: '2018-03-27T08:00:00.000', timesAreLocal: true });
  });
});

describe('windowsZone / localToUtc: the machine\'s zone from TimeZoneInformation', () => {
  it('Eastern (win10-SYSTEM_B): DST from the 2nd Sunday of March 02:00 to the 1st Sunday of November 02:00', () => {
    const z = windowsZone(hive('win10-SYSTEM_B.xz'))!;
    expect(z).toMatchObject({ name: 'Eastern Standard Time', bias: 300 });
    expect(localToUtc('2016-03-13T01:59:59', z)).toBe('2016-03-13T06:59:59.000Z');
    expect(localToUtc('2016-03-13T03:00:00', z)).toBe('2016-03-13T07:00:00.000Z');
    expect(localToUtc('2016-11-06T00:30:00.5', z)).toBe('2016-11-06T04:30:00.500Z');
    expect(localToUtc('2016-11-06T02:30:00', z)).toBe('2016-11-06T07:30:00.000Z');
    expect(localToUtc('not a time', z)).toBeUndefined();
  });
  it('a zone without DST (China Standard Time, Bias -480)', () => {
    const z = { name: 'China Standard Time', bias: -480, standardBias: 0, daylightBias: 0 };
    expect(localToUtc('2024-07-01T08:00:00', z)).toBe('2024-07-01T00:00:00.000Z');
  });
});
