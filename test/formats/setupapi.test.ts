/**
 * Tests of the SetupAPI log parser on the two real logs in fixtures/windows/logs (Windows 10 and 11),
 * re-encoded and damaged variants of them, and a Windows XP setupapi.log sample.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hive } from '../../src/formats/regf.js';
import {
  decodeSetupapiBytes,
  isDeviceId,
  parseSetupapiLog,
  parseUsbstorInstanceId,
  setupapiTimestamp,
  type SetupapiLog,
} from '../../src/formats/setupapi.js';
import { LOGS_DIR, loadHiveBytes } from './_regfile.js';

const WIN10 = readFileSync(join(LOGS_DIR, 'plaso-win10-setupapi.dev.log'));
const WIN11 = readFileSync(join(LOGS_DIR, 'museum-win11-setupapi.dev.log'));
const USB_ID = 'SWD\\WPDBUSENUM\\_??_USBSTOR#Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07#99E2116A&0#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}';
/** Section kinds that stage or manage driver packages: never a device. */
const STAGING = /^(Setup Import Driver Package|SetupCopyOEMInf|Import Driver Package|Stage Driver Updates|Unstage Driver Updates|Install Driver Updates|Uninstall Driver Updates|Device Install \(DiInstallDriver\)|Sysprep)/;

const usbStorage = (log: SetupapiLog) => log.devices.filter((d) => parseUsbstorInstanceId(d.instanceId) !== undefined);

/** Independent count of section titles with a plain regular expression over the raw text. */
function countTitles(buf: Buffer): number {
  return buf.toString('latin1').split(/\r?\n/).filter((l) => /^>>> {2}\[.*\]$/.test(l)).length;
}

describe('setupapi.dev.log of Windows 10 (plaso corpus)', () => {
  const log = parseSetupapiLog(WIN10);

  it('reads the header and every section, complete', () => {
    expect(log.format).toBe('dev.log');
    expect(log.encoding).toBe('utf-8');
    expect(log.header['OS Version']).toBe('10.0.10240');
    expect(log.header['Architecture']).toBe('amd64');
    expect(log.sections.length).toBe(countTitles(WIN10));
    expect(log.sections.length).toBe(194);
    expect(log.sections.every((s) => s.complete && s.start !== undefined && s.end !== undefined && s.status !== undefined)).toBe(true);
    expect(log.sections[0]!.start).toBe('2015-11-22T17:59:28.110');
    expect(log.sections.at(-1)!.end).toBe('2016-11-22T23:50:58.236');
    expect(log.bootSessions[0]).toBe('2015-11-22T17:58:03.498');
    expect(log.partial).toBe(false);
    expect(log.warnings).toEqual([]);
  });

  it('yields exactly one USB storage install: the Generic Flash Disk at 2016-11-22 23:50:30.938 (local time)', () => {
    const usb = usbStorage(log);
    expect(usb).toEqual([
      {
        instanceId: USB_ID,
        idType: 'instance',
        kind: 'Device Install (Hardware initiated)',
        action: 'install',
        start: '2016-11-22T23:50:30.938',
        end: '2016-11-22T23:50:58.236',
        status: 'SUCCESS',
        timezone: 'local',
        line: expect.any(Number),
      },
    ]);
    expect(parseUsbstorInstanceId(usb[0]!.instanceId)).toMatchObject({ type: 'Disk', vendor: 'Generic', product: 'Flash Disk', revision: '8.07', serial: '99E2116A', instance: '99E2116A&0', serialGenerated: false });
    expect(WIN10.toString('latin1').split(/\r?\n/)[usb[0]!.line - 1]).toBe(`>>>  [Device Install (Hardware initiated) - ${USB_ID}]`);
  });

  it('does not report driver staging (bth.inf, bthleenum.inf, usbstor.inf, VBox INFs) as devices', () => {
    const text = WIN10.toString('latin1');
    // The staging really is in the log…
    expect(text).toMatch(/Stage Driver Package: .*\\bth\.inf\}/);
    expect(text).toMatch(/Stage Driver Package: .*\\bthleenum\.inf\}/);
    expect(text).toMatch(/Stage Driver Package: .*\\usbstor\.inf\}/);
    // …and none of it becomes a device.
    expect(log.devices.filter((d) => /\.inf|bth|^[A-Z]:\\/i.test(d.instanceId))).toEqual([]);
    expect(log.devices.filter((d) => STAGING.test(d.kind))).toEqual([]);
    const staging = log.sections.filter((s) => STAGING.test(s.kind));
    expect(staging.length).toBe(2 + 4 + 3 + 3 + 77 + 77 + 4 + 1);
    // Every device comes from a device-install title with a device ID subject.
    expect(log.devices.map((d) => d.kind).sort()).toEqual([
      'Device Install (Hardware initiated)',
      'Device Install (Hardware initiated)',
      'Device Install (Hardware initiated)',
      'Device Install (UpdateDriverForPlugAndPlayDevices)',
      'Device Install (UpdateDriverForPlugAndPlayDevices)',
    ]);
    expect(log.devices.filter((d) => d.kind.includes('UpdateDriver')).map((d) => [d.instanceId, d.idType])).toEqual([
      ['PCI\\VEN_80EE&DEV_CAFE&SUBSYS_00000000&REV_00', 'hardware'],
      ['PCI\\VEN_80EE&DEV_BEEF&SUBSYS_00000000&REV_00', 'hardware'],
    ]);
  });
});

describe('setupapi.dev.log of Windows 11 (DFIRArtifactMuseum corpus)', () => {
  const log = parseSetupapiLog(WIN11);

  it('has no USB storage, Bluetooth or Wi-Fi device; VMware PCI devices, two removals, failed updates', () => {
    expect(log.format).toBe('dev.log');
    expect(log.header['OS Version']).toBe('10.0.22000');
    expect(log.sections.length).toBe(countTitles(WIN11));
    expect(log.partial).toBe(false);
    expect(usbStorage(log)).toEqual([]);
    expect(log.devices.filter((d) => /USBSTOR|WPDBUSENUM|BTH|USB\\VID_/i.test(d.instanceId))).toEqual([]);
    expect(log.devices.length).toBe(11);
    expect(log.devices.filter((d) => /VEN_15AD/i.test(d.instanceId)).length).toBe(6);
    expect(log.devices.filter((d) => d.action === 'remove').map((d) => d.kind)).toEqual(['Delete Device', 'Delete Device']);
    expect(log.devices.filter((d) => d.status?.startsWith('FAILURE(0xe000020b)')).length).toBe(5);
    expect(log.devices.filter((d) => STAGING.test(d.kind))).toEqual([]);
    expect(log.sections.filter((s) => s.kind === 'Setup Import Driver Package').length).toBe(2);
  });
});

describe('encodings', () => {
  const reference = parseSetupapiLog(WIN10).devices;

  it('UTF-16LE with BOM, UTF-16LE without BOM, UTF-16BE with BOM, UTF-8 with BOM give the same result', () => {
    const text = WIN10.toString('latin1');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const variants: Array<[Buffer, string]> = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'utf-16le'],
      [le, 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), WIN10]), 'utf-8'],
    ];
    for (const [bytes, enc] of variants) {
      const log = parseSetupapiLog(bytes);
      expect(log.encoding).toBe(enc);
      expect(log.devices).toEqual(reference);
      expect(log.partial).toBe(false);
    }
  });

  it('ANSI logs (not UTF-8) are decoded with the ANSI code page, GBK by default', () => {
    // "设备" in GBK is C9 E8 B1 B8; invalid as UTF-8.
    const bytes = Buffer.concat([Buffer.from('     dvi:      DevDesc - '), Buffer.from([0xc9, 0xe8, 0xb1, 0xb8]), Buffer.from('\r\n')]);
    expect(decodeSetupapiBytes(bytes)).toEqual({ text: '     dvi:      DevDesc - 设备\r\n', encoding: 'gbk' });
    expect(decodeSetupapiBytes(Buffer.from([0x41, 0xe9, 0x0d, 0x0a]), { ansiEncoding: 'windows-1252' })).toEqual({ text: 'Aé\r\n', encoding: 'windows-1252' });
  });
});

describe('damaged logs', () => {
  it('a log cut inside the USB section still reports the device, without end, and is partial', () => {
    const text = WIN10.toString('latin1');
    const at = text.indexOf('Section start 2016/11/22 23:50:30.938');
    const cut = parseSetupapiLog(Buffer.from(text.slice(0, at + 2000), 'latin1'));
    const usb = usbStorage(cut);
    expect(usb.length).toBe(1);
    expect(usb[0]!.start).toBe('2016-11-22T23:50:30.938');
    expect(usb[0]!.end).toBeUndefined();
    expect(usb[0]!.status).toBeUndefined();
    expect(cut.partial).toBe(true);
    expect(cut.warnings.join('\n')).toMatch(/has no end/);
    // A cut inside the title line loses the section but nothing else.
    const titleAt = text.indexOf(`>>>  [Device Install (Hardware initiated) - SWD\\WPDBUSENUM`);
    const cut2 = parseSetupapiLog(Buffer.from(text.slice(0, titleAt + 30), 'latin1'));
    expect(usbStorage(cut2)).toEqual([]);
    expect(cut2.devices.length).toBe(4);
  });

  it('never throws on truncations at any point, garbage, NUL runs or empty input', () => {
    let seed = 42;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 200; i++) {
      const n = Math.floor(rnd() * WIN10.length);
      const log = parseSetupapiLog(WIN10.subarray(0, n));
      expect(log.devices.length).toBeLessThanOrEqual(5);
    }
    const garbage = Buffer.alloc(200_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rnd() * 256);
    const g = parseSetupapiLog(garbage);
    expect(g.devices).toEqual([]);
    expect(g.partial).toBe(true);
    expect(parseSetupapiLog(new Uint8Array(0))).toMatchObject({ devices: [], sections: [], partial: false });
    // Junk spliced into the middle of a real log: the device is still found, the log is flagged.
    const text = WIN10.toString('latin1');
    const mid = text.indexOf('[Boot Session: 2016/11/22');
    const spliced = Buffer.concat([Buffer.from(text.slice(0, mid), 'latin1'), Buffer.alloc(300), garbage.subarray(0, 5000), Buffer.from('\r\n' + text.slice(mid), 'latin1')]);
    const s = parseSetupapiLog(spliced);
    expect(usbStorage(s).map((d) => d.instanceId)).toEqual([USB_ID]);
    expect(s.partial).toBe(true);
    // Broken section lines.
    const broken = parseSetupapiLog(Buffer.from('>>>  [Device Install (Hardware initiated) - USB\\VID_1234&PID_5678\\SN1]\r\n>>>  Section start 2016/13/45 99:00:00.000\r\n<<<  [Exit status: SUCCESS]\r\n'));
    expect(broken.devices).toMatchObject([{ instanceId: 'USB\\VID_1234&PID_5678\\SN1', start: undefined, status: 'SUCCESS' }]);
    expect(broken.partial).toBe(true);
    const noBracket = parseSetupapiLog(Buffer.from('>>>  [Device Install (Hardware initiated) - USB\\VID_1234&PID_5678\\SN1\r\n>>>  Section start 2016/11/22 23:50:30.938\r\n'));
    expect(noBracket.devices).toEqual([]);
    expect(noBracket.warnings).toContain('unreadable section title at line 1');
  });
});

describe('Windows XP setupapi.log', () => {
  // Layout as documented in Microsoft's "Troubleshooting Device Installation with the SetupAPI Log File" (XP/2003).
  const XP = [
    '[SetupAPI Log]',
    'OS Version = 5.1.2600 Service Pack 2',
    'Platform ID = 2 (NT)',
    'Service Pack = 2.0',
    'Suite = 0x0100',
    'Product Type = 1',
    'Architecture = x86',
    '[2005/03/21 14:55:59 1064.1]',
    '#-198 Command line processed: C:\\WINDOWS\\system32\\services.exe',
    '#I060 Set selected driver.',
    '[2005/03/21 14:56:04 1064.3 Driver Install]',
    '#-019 Searching for hardware ID(s): usbstor\\disksandisk_cruzer_micro_0.1_,usbstor\\disksandisk_cruzer_micro_,usbstor\\disksandisk_,usbstor\\sandisk_cruzer_micro_0,sandisk_cruzer_micro_0,usbstor\\gendisk,gendisk',
    '#-198 Command line processed: C:\\WINDOWS\\system32\\services.exe',
    '#I022 Found "GenDisk" in C:\\WINDOWS\\inf\\disk.inf; Device: "Disk drive"; Driver: "Disk drive"; Provider: "Microsoft"; Mfg: "(Standard disk drives)"; Section name: "disk_install".',
    '#-166 Device install function: DIF_INSTALLDEVICE.',
    '#I123 Doing full install of "USBSTOR\\DISK&VEN_SANDISK&PROD_CRUZER_MICRO&REV_0.1\\0002183F6C4C&0".',
    '#I121 Device install of "USBSTOR\\DISK&VEN_SANDISK&PROD_CRUZER_MICRO&REV_0.1\\0002183F6C4C&0" finished successfully.',
    '[2005/03/22 09:01:10 812.7 Driver Install]',
    '#I124 Doing copy-only install of "USB\\VID_0781&PID_5151\\0002183F6C4C".',
    '#E360 An unsigned or incorrectly signed file "c:\\x.sys" will be installed.',
    '',
  ].join('\r\n');

  it('finds the devices in #I12x lines with their section time', () => {
    const log = parseSetupapiLog(Buffer.from(XP, 'latin1'));
    expect(log.format).toBe('xp');
    expect(log.header['OS Version']).toBe('5.1.2600 Service Pack 2');
    expect(log.sections.length).toBe(3);
    expect(log.devices).toEqual([
      { instanceId: 'USBSTOR\\DISK&VEN_SANDISK&PROD_CRUZER_MICRO&REV_0.1\\0002183F6C4C&0', idType: 'instance', kind: 'Driver Install', action: 'install', start: '2005-03-21T14:56:04', end: undefined, status: 'SUCCESS', timezone: 'local', line: 11 },
      { instanceId: 'USB\\VID_0781&PID_5151\\0002183F6C4C', idType: 'instance', kind: 'Driver Install', action: 'install', start: '2005-03-22T09:01:10', end: undefined, status: 'ERROR', timezone: 'local', line: 18 },
    ]);
    expect(parseUsbstorInstanceId(log.devices[0]!.instanceId)).toMatchObject({ vendor: 'SANDISK', product: 'CRUZER MICRO', revision: '0.1', serial: '0002183F6C4C' });
    expect(log.partial).toBe(false);
  });
});

describe('helpers', () => {
  it('parseUsbstorInstanceId handles every form of a USB storage ID', () => {
    expect(parseUsbstorInstanceId('USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024\\AA951D0000007252&0')).toEqual({
      type: 'Disk',
      vendor: 'HP',
      product: 'v100w',
      revision: '1024',
      instance: 'AA951D0000007252&0',
      serial: 'AA951D0000007252',
      serialGenerated: false,
      raw: 'Disk&Ven_HP&Prod_v100w&Rev_1024',
    });
    expect(parseUsbstorInstanceId('STORAGE\\VOLUME\\_??_USBSTOR#DISK&VEN_SANDISK&PROD_EXTREME&REV_0001#AA010215170355310594&0#{53F56307-B6BF-11D0-94F2-00A0C91EFB8B}')).toMatchObject({ vendor: 'SANDISK', product: 'EXTREME', serial: 'AA010215170355310594' });
    expect(parseUsbstorInstanceId('USBSTOR\\CdRom&Ven_Generic&Prod_Virtual_CDROM&Rev_1.00\\7&2a6d0f0b&0')).toMatchObject({ type: 'CdRom', product: 'Virtual CDROM', serial: '7&2a6d0f0b', serialGenerated: true });
    expect(parseUsbstorInstanceId('USB\\VID_0781&PID_5580\\AA010215170355310594')).toBeUndefined();
    expect(parseUsbstorInstanceId('PCI\\VEN_8086&DEV_100F')).toBeUndefined();
  });

  it('parseUsbstorInstanceId reads the MountedDevices entry of the win7-SYSTEM hive', () => {
    const v = Hive.open(loadHiveBytes('win7-SYSTEM')).getKey('MountedDevices')!.value('\\DosDevices\\E:')!;
    const id = Buffer.from(v.raw).toString('utf16le');
    expect(parseUsbstorInstanceId(id)).toMatchObject({ vendor: 'HP', product: 'v100w', revision: '1024', serial: 'AA951D0000007252' });
  });

  it('timestamps and device IDs', () => {
    expect(setupapiTimestamp('2016/11/22 23:50:30.938')).toBe('2016-11-22T23:50:30.938');
    expect(setupapiTimestamp('2005/3/1 04:56:04')).toBe('2005-03-01T04:56:04');
    expect(setupapiTimestamp('2016/00/22 23:50:30.938')).toBeUndefined();
    expect(setupapiTimestamp('garbage')).toBeUndefined();
    expect(isDeviceId('USB\\VID_0781&PID_5580\\AA01')).toBe(true);
    expect(isDeviceId('*VMW0003')).toBe(true);
    expect(isDeviceId('{5d624f94-8850-40c3-a3fa-a4fd2080baf3}\\vwifimp_wfd\\5&1')).toBe(true);
    expect(isDeviceId('C:\\Windows\\INF\\usbstor.inf')).toBe(false);
    expect(isDeviceId('oem12.inf')).toBe(false);
    expect(isDeviceId('{804b345a-ffd7-854c-a1b5-ca9598907846}')).toBe(false);
  });
});
