import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anchorFromMtime,
  anchorFromRotationDate,
  assignSyslogYears,
  correlateUsbEvents,
  journalUsbLine,
  parseIsoTimestamp,
  parseJournalJsonLine,
  parseLogLine,
  parseUsbKernelMessage,
  scanKernelLog,
  splitKernelMessage,
  type NaiveStamp,
} from '../../src/formats/kernel-log.js';
import { FIXTURES } from '../_helpers/windows-root.js';

const LOGS = join(FIXTURES, 'linux', 'usb-logs');
const at = (m: number, d: number, time = '12:00:00'): NaiveStamp => {
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  return { month: m, day: d, hour, minute, second };
};
const utc = (s: string): number => Date.parse(s);

describe('parseLogLine — the three syslog forms', () => {
  it('traditional: year-less local time, host, program, message', () => {
    expect(parseLogLine('Nov 23 14:05:01 host kernel: [12345.678901] usb 1-1: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00')).toEqual({
      form: 'syslog',
      naive: { month: 11, day: 23, hour: 14, minute: 5, second: 1 },
      host: 'host',
      program: 'kernel',
      message: '[12345.678901] usb 1-1: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00',
    });
    expect(parseLogLine('Jan  8 14:30:00 ws-0412 CRON[10212]: (root) CMD (x)')).toMatchObject({ naive: { month: 1, day: 8 }, program: 'CRON', message: '(root) CMD (x)' });
    expect(parseLogLine('Jan  8 14:30:00 kernel: usb 1-1: Product: X')).toMatchObject({ host: '', program: 'kernel', message: 'usb 1-1: Product: X' });
    expect(parseLogLine('Dec 12 09:13:40 ws-0412 kernel: usb 1-2: Product: Cruzer Blade\r')?.message).toBe('usb 1-2: Product: Cruzer Blade');
  });

  it('RFC 3339 (rsyslog default on Debian 12+/Ubuntu 24.04): instant in UTC and local wall clock', () => {
    const l = parseLogLine('2024-11-23T14:05:01.123456+08:00 host kernel: usb 1-1: Product: Cruzer Blade')!;
    expect(l.form).toBe('rfc3339');
    expect(new Date(l.utcMs!).toISOString()).toBe('2024-11-23T06:05:01.123Z');
    expect(new Date(l.localMs!).toISOString()).toBe('2024-11-23T14:05:01.123Z');
    expect(l).toMatchObject({ host: 'host', program: 'kernel', message: 'usb 1-1: Product: Cruzer Blade' });
    expect(parseIsoTimestamp('2024-01-01T00:00:00Z')?.utcMs).toBe(utc('2024-01-01T00:00:00Z'));
    expect(parseIsoTimestamp('2024-01-01T00:00:00-0530')?.utcMs).toBe(utc('2024-01-01T05:30:00Z'));
    expect(parseIsoTimestamp('2023-02-29T00:00:00Z')).toBeUndefined();
  });

  it('RFC 5424: nil and present structured data, BOM before the message', () => {
    expect(parseLogLine('<6>1 2024-11-23T14:05:01.123+08:00 host kernel - - - usb 1-1: Product: X')).toMatchObject({
      form: 'rfc5424',
      host: 'host',
      program: 'kernel',
      message: 'usb 1-1: Product: X',
    });
    expect(parseLogLine('<6>1 2024-11-23T14:05:01.123+08:00 h kernel - - [timeQuality tzKnown="1" a="x\\]y"][b c="d"] usb 1-1: Product: Y')?.message).toBe('usb 1-1: Product: Y');
    expect(parseLogLine('<6>1 2024-11-23T14:05:01.123+08:00 h kernel - - - \uFEFFusb 1-1: Product: Z')?.message).toBe('usb 1-1: Product: Z');
    expect(parseLogLine('<6>1 - h kernel - - - usb 1-1: Product: Z')).toBeUndefined();
  });

  it('anything else is not a line', () => {
    for (const s of ['', 'garbage', 'Foo 12 10:00:00 h kernel: x', '2024-13-01T00:00:00Z h kernel: x', 'Nov 23 25:00:00 h kernel: x']) {
      expect(parseLogLine(s)).toBeUndefined();
    }
  });

  it('printk time prefix', () => {
    expect(splitKernelMessage('[ 3508.354551] usb 1-2: Product: X')).toEqual({ monoUs: 3508354551, text: 'usb 1-2: Product: X' });
    expect(splitKernelMessage('[    0.000000] Linux version 6.1')).toEqual({ monoUs: 0, text: 'Linux version 6.1' });
    expect(splitKernelMessage('usb 1-2: Product: X')).toEqual({ text: 'usb 1-2: Product: X' });
  });
});

describe('parseUsbKernelMessage — kernel formats', () => {
  it('hub.c: new device, ids, strings, disconnect; bus paths with ports behind hubs', () => {
    expect(parseUsbKernelMessage('usb 2-1.4: new SuperSpeed Gen 1 USB device number 12 using xhci_hcd')).toEqual({ type: 'new', busPath: '2-1.4', speed: 'SuperSpeed Gen 1', devnum: 12, hcd: 'xhci_hcd' });
    expect(parseUsbKernelMessage('usb 3-10: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00')).toEqual({ type: 'found', busPath: '3-10', vid: '0781', pid: '5567', bcdDevice: '1.00' });
    expect(parseUsbKernelMessage('usb 1-1: New USB device found, idVendor=04E8, idProduct=6860')).toEqual({ type: 'found', busPath: '1-1', vid: '04e8', pid: '6860' });
    expect(parseUsbKernelMessage('usb usb1: New USB device found, idVendor=1d6b, idProduct=0002, bcdDevice= 6.01')).toMatchObject({ type: 'found', busPath: 'usb1' });
    expect(parseUsbKernelMessage('usb 1-1: New USB device strings: Mfr=1, Product=2, SerialNumber=0')).toEqual({ type: 'strings', busPath: '1-1', mfr: 1, product: 2, serial: 0 });
    expect(parseUsbKernelMessage('usb 1-1: SerialNumber: 4C530001230718117142 ')).toEqual({ type: 'string', busPath: '1-1', field: 'serial', value: '4C530001230718117142' });
    expect(parseUsbKernelMessage('usb 1-1: Manufacturer:  SanDisk')).toEqual({ type: 'string', busPath: '1-1', field: 'manufacturer', value: 'SanDisk' });
    expect(parseUsbKernelMessage('usb 1-1: USB disconnect, device number 5')).toEqual({ type: 'disconnect', busPath: '1-1', devnum: 5 });
    expect(parseUsbKernelMessage('usb 1-1: device descriptor read/64, error -71')).toBeUndefined();
  });

  it('storage: usb-storage, uas, SCSI inquiry in the fixed widths (blank vendor too), sd disks', () => {
    expect(parseUsbKernelMessage('usb-storage 1-1:1.0: USB Mass Storage device detected')).toEqual({ type: 'storage', busPath: '1-1', driver: 'usb-storage' });
    expect(parseUsbKernelMessage('scsi host6: usb-storage 1-1:1.0')).toEqual({ type: 'scsi-host', host: 6, driver: 'usb-storage', busPath: '1-1' });
    expect(parseUsbKernelMessage('scsi host2: uas')).toEqual({ type: 'scsi-host', host: 2, driver: 'uas' });
    expect(parseUsbKernelMessage('scsi 6:0:0:0: Direct-Access     SanDisk  Cruzer Blade     1.00 PQ: 0 ANSI: 6')).toEqual({
      type: 'scsi-inquiry', host: 6, deviceType: 'Direct-Access', vendor: 'SanDisk', model: 'Cruzer Blade', revision: '1.00',
    });
    expect(parseUsbKernelMessage('scsi 8:0:0:0: Direct-Access              USB DISK         1100 PQ: 0 ANSI: 0 CCS')).toEqual({
      type: 'scsi-inquiry', host: 8, deviceType: 'Direct-Access', vendor: '', model: 'USB DISK', revision: '1100',
    });
    expect(parseUsbKernelMessage('scsi 3:0:0:0: CD-ROM            HUAWEI   Mass Storage     2.31 PQ: 0 ANSI: 2')).toMatchObject({ deviceType: 'CD-ROM', vendor: 'HUAWEI', model: 'Mass Storage' });
    expect(parseUsbKernelMessage('sd 6:0:0:0: [sdb] Attached SCSI removable disk')).toEqual({ type: 'scsi-disk', host: 6, disk: 'sdb', removable: true });
    expect(parseUsbKernelMessage('sd 2:0:0:0: [sdc] Attached SCSI disk')).toEqual({ type: 'scsi-disk', host: 2, disk: 'sdc', removable: false });
    expect(parseUsbKernelMessage('sd 6:0:0:0: [sdb] 30529536 512-byte logical blocks: (15.6 GB/14.6 GiB)')).toEqual({ type: 'scsi-capacity', host: 6, disk: 'sdb', bytes: 30529536 * 512 });
  });

  it('hubs, HID, CDC ACM, ipheth, boot; other lines are not USB', () => {
    expect(parseUsbKernelMessage('hub 1-4:1.0: USB hub found')).toEqual({ type: 'hub', busPath: '1-4' });
    expect(parseUsbKernelMessage('hub 1-0:1.0: USB hub found')).toEqual({ type: 'hub', busPath: '1-0' });
    expect(parseUsbKernelMessage('input: Logitech USB Keyboard as /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/0003:046D:C31C.0001/input/input5')).toEqual({ type: 'hid', busPath: '1-3', name: 'Logitech USB Keyboard' });
    expect(parseUsbKernelMessage('cdc_acm 1-2:1.0: ttyACM0: USB ACM device')).toEqual({ type: 'acm', busPath: '1-2', tty: 'ttyACM0' });
    expect(parseUsbKernelMessage('ipheth 1-1:4.2: Apple iPhone USB Ethernet device attached')).toEqual({ type: 'iphone-net', busPath: '1-1' });
    expect(parseUsbKernelMessage('Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org)')).toEqual({ type: 'boot' });
    expect(parseUsbKernelMessage('usbcore: registered new interface driver usb-storage')).toBeUndefined();
    expect(parseUsbKernelMessage('EXT4-fs (sda1): mounted filesystem')).toBeUndefined();
  });
});

describe('assignSyslogYears — years from the anchor, walking backwards', () => {
  it('Dec → Jan: the year goes down when, reading backwards, the month goes up', () => {
    const anchor = anchorFromMtime(utc('2024-01-03T22:25:03Z')); // Jan 4 06:25:03 +08:00
    expect(assignSyslogYears([at(12, 28), at(12, 31, '23:59:59'), at(1, 1, '00:00:03'), at(1, 4, '06:25:03')], anchor)).toEqual([
      '2023-12-28T12:00:00', '2023-12-31T23:59:59', '2024-01-01T00:00:03', '2024-01-04T06:25:03',
    ]);
  });

  it('the newest line may be up to 14 h ahead of the mtime (local zone east of UTC)', () => {
    // mtime 2024-12-31T16:30Z is 2025-01-01 00:30 in +08:00
    expect(assignSyslogYears([at(12, 31, '23:50:00'), at(1, 1, '00:29:00')], anchorFromMtime(utc('2024-12-31T16:30:00Z')))).toEqual(['2024-12-31T23:50:00', '2025-01-01T00:29:00']);
    // west of UTC: mtime 2025-01-01T05:00Z is Dec 31 19:00 in -10:00
    expect(assignSyslogYears([at(12, 31, '19:00:00')], anchorFromMtime(utc('2025-01-01T05:00:00Z')))).toEqual(['2024-12-31T19:00:00']);
  });

  it('a leap day lands in a leap year', () => {
    expect(assignSyslogYears([at(2, 28), at(2, 29), at(3, 1)], anchorFromMtime(utc('2024-03-01T13:00:00Z')))).toEqual(['2024-02-28T12:00:00', '2024-02-29T12:00:00', '2024-03-01T12:00:00']);
    // mtime in 2025: Mar 2 is 2025, the Feb 29 before it can only be 2024
    expect(assignSyslogYears([at(2, 29), at(3, 2)], anchorFromMtime(utc('2025-03-05T00:00:00Z')))).toEqual(['2024-02-29T12:00:00', '2025-03-02T12:00:00']);
    expect(assignSyslogYears([at(2, 29)], anchorFromMtime(utc('2027-06-01T00:00:00Z')))).toEqual(['2024-02-29T12:00:00']);
  });

  it('lines a little out of order keep their year; ISO lines re-anchor the walk', () => {
    expect(assignSyslogYears([at(1, 1, '00:00:05'), at(12, 31, '23:59:58'), at(1, 1, '00:00:09')], anchorFromMtime(utc('2024-01-01T00:00:00Z')))).toEqual([
      '2024-01-01T00:00:05', '2023-12-31T23:59:58', '2024-01-01T00:00:09',
    ]);
    // a file whose format changed to RFC 3339: the ISO line gives the year of the lines before it
    expect(assignSyslogYears([at(12, 30), { localMs: utc('2022-01-02T10:00:00Z') }, at(6, 1)], anchorFromMtime(utc('2024-07-01T00:00:00Z')))).toEqual([
      '2021-12-30T12:00:00', '2022-01-02T10:00:00', '2024-06-01T12:00:00',
    ]);
  });

  it('no anchor, no year (never a guess)', () => {
    expect(assignSyslogYears([at(1, 1), null, at(5, 5)], undefined)).toEqual([undefined, undefined, undefined]);
  });

  it('logrotate dateext names', () => {
    expect(anchorFromRotationDate('20240303')).toEqual({ latestLocalMs: utc('2024-03-04T23:59:59Z'), basis: 'file-name-date' });
    expect(anchorFromRotationDate('20230229')).toBeUndefined();
  });
});

const ATTACH = `Dec 12 09:13:40 ws kernel: [ 3508.204117] usb 1-2: new high-speed USB device number 4 using xhci_hcd
Dec 12 09:13:40 ws kernel: [ 3508.354551] usb 1-2: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00
Dec 12 09:13:40 ws kernel: [ 3508.354557] usb 1-2: New USB device strings: Mfr=1, Product=2, SerialNumber=3
Dec 12 09:13:40 ws kernel: [ 3508.354560] usb 1-2: Product: Cruzer Blade
Dec 12 09:13:40 ws kernel: [ 3508.354562] usb 1-2: Manufacturer: SanDisk
Dec 12 09:13:40 ws kernel: [ 3508.354564] usb 1-2: SerialNumber: 4C530001230718117142
Dec 12 09:13:40 ws zhang: usb 1-2: SerialNumber: FAKE
Dec 12 09:13:40 ws kernel: [ 3508.356021] usb-storage 1-2:1.0: USB Mass Storage device detected
Dec 12 09:13:40 ws kernel: [ 3508.356342] scsi host6: usb-storage 1-2:1.0
Dec 12 09:13:40 ws kernel: [ 3508.400000] usb 1-4: new high-speed USB device number 5 using xhci_hcd
Dec 12 09:13:40 ws kernel: [ 3508.500000] usb 1-4: New USB device found, idVendor=05e3, idProduct=0608, bcdDevice=60.90
Dec 12 09:13:40 ws kernel: [ 3508.500010] hub 1-4:1.0: USB hub found
Dec 12 09:13:41 ws kernel: [ 3509.372911] scsi 6:0:0:0: Direct-Access     SanDisk  Cruzer Blade     1.00 PQ: 0 ANSI: 6
Dec 12 09:13:41 ws kernel: [ 3509.374120] sd 6:0:0:0: [sdb] 30529536 512-byte logical blocks: (15.6 GB/14.6 GiB)
Dec 12 09:13:41 ws kernel: [ 3509.394512] sd 6:0:0:0: [sdb] Attached SCSI removable disk
Dec 12 09:20:00 ws kernel: [ 3888.000000] usb 1-3: new full-speed USB device number 6 using xhci_hcd
Dec 12 09:20:00 ws kernel: [ 3888.100000] usb 1-3: device descriptor read/64, error -71
Dec 12 09:20:01 ws kernel: [ 3889.000000] usb 1-3: USB disconnect, device number 6
Dec 12 09:40:02 ws kernel: [ 5090.118204] usb 1-2: USB disconnect, device number 4
`;

describe('scanKernelLog + correlateUsbEvents', () => {
  it('one attach per "New USB device found": strings, storage, SCSI inquiry, disk, removal; other programs ignored', () => {
    const scan = scanKernelLog(ATTACH, '/var/log/syslog', anchorFromMtime(utc('2023-12-12T02:00:00Z')));
    expect(scan).toMatchObject({ lines: 19, kernelLines: 18, undated: 0, oldest: '2023-12-12T09:13:40', newest: '2023-12-12T09:40:02', yearBasis: 'mtime' });
    const attaches = correlateUsbEvents(scan.events);
    expect(attaches).toHaveLength(2);
    const [stick, hub] = attaches;
    expect(stick).toMatchObject({
      busPath: '1-2', devnum: 4, speed: 'high-speed', vid: '0781', pid: '5567', bcdDevice: '1.00',
      manufacturer: 'SanDisk', product: 'Cruzer Blade', serial: '4C530001230718117142',
      storage: true, storageDriver: 'usb-storage', hub: false, interfaceClasses: ['08'],
      scsi: { deviceType: 'Direct-Access', vendor: 'SanDisk', model: 'Cruzer Blade', revision: '1.00' },
      disks: ['sdb'], removable: true, sizeBytes: 30529536 * 512,
      connected: { time: '2023-12-12T09:13:40', local: true, monoUs: 3508354551, source: '/var/log/syslog', line: 2 },
      removed: { time: '2023-12-12T09:40:02', local: true, line: 19 },
    });
    expect(hub).toMatchObject({ busPath: '1-4', hub: true, interfaceClasses: ['09'] });
  });

  it('year-less lines without an anchor are counted but have no time', () => {
    const scan = scanKernelLog(ATTACH, 'x', undefined);
    expect(scan.undated).toBe(scan.events.length);
    const [stick] = correlateUsbEvents(scan.events);
    expect(stick!.connected.time).toBeUndefined();
    expect(stick!.serial).toBe('4C530001230718117142');
  });

  it('UAS: "scsi hostN: uas" names no bus path and goes to the device attached just before', () => {
    const text = `2024-11-23T14:05:01.144210+08:00 ub kernel: usb 2-1: New USB device found, idVendor=04e8, idProduct=4001, bcdDevice= 1.00
2024-11-23T14:05:01.144221+08:00 ub kernel: usb 2-1: SerialNumber: S5TANS0R812345D
2024-11-23T14:05:01.151002+08:00 ub kernel: scsi host2: uas
2024-11-23T14:05:01.153310+08:00 ub kernel: scsi 2:0:0:0: Direct-Access     Samsung  PSSD T7          0    PQ: 0 ANSI: 6
2024-11-23T14:05:01.160331+08:00 ub kernel: sd 2:0:0:0: [sdb] Attached SCSI disk
`;
    const [t7] = correlateUsbEvents(scanKernelLog(text, 'k', undefined).events);
    expect(t7).toMatchObject({ storage: true, storageDriver: 'uas', removable: false, disks: ['sdb'], scsi: { vendor: 'Samsung', model: 'PSSD T7', revision: '0' } });
    expect(t7!.connected).toMatchObject({ time: '2024-11-23T06:05:01.144Z', local: false });
  });

  it('a reboot forgets open attaches: a disconnect after it does not close a device of the previous boot', () => {
    const text = `Dec 12 09:13:40 ws kernel: [ 100.000000] usb 1-2: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00
Dec 12 10:00:00 ws kernel: [    0.000000] Linux version 6.1.0
Dec 12 10:05:00 ws kernel: [  300.000000] usb 1-2: USB disconnect, device number 4
`;
    const [a] = correlateUsbEvents(scanKernelLog(text, 'k', anchorFromMtime(utc('2023-12-13T00:00:00Z'))).events);
    expect(a!.removed).toBeUndefined();
  });

  it('RFC 5424 fixture file', () => {
    const text = readFileSync(join(LOGS, 'rfc5424', 'var', 'log', 'messages'), 'utf8');
    const scan = scanKernelLog(text, '/var/log/messages', undefined);
    expect(scan.forms).toEqual({ syslog: 0, rfc3339: 0, rfc5424: 13 });
    const attaches = correlateUsbEvents(scan.events);
    expect(attaches).toHaveLength(1);
    expect(attaches[0]).toMatchObject({
      vid: '0781', serial: '4C530001230718117142', product: 'Cruzer Blade', storage: true, disks: ['sdb'],
      connected: { time: '2024-11-23T06:05:01.251Z' }, removed: { time: '2024-11-23T06:30:12.018Z' },
    });
  });
});

describe('journalctl -o json', () => {
  it('recorded output of journalctl on the fixture journal', () => {
    const lines = readFileSync(join(LOGS, 'journal', 'journalctl-output.json'), 'utf8').trim().split('\n');
    const entries = lines.map(parseJournalJsonLine);
    expect(entries.every((e) => e !== undefined)).toBe(true);
    expect(entries).toHaveLength(20);
    const found = entries.find((e) => e!.message.includes('New USB device found'))!;
    expect(found).toEqual({
      realtimeUs: Date.parse('2024-11-23T06:05:01.252Z') * 1000 + 73,
      message: 'usb 1-1: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00',
      monoUs: 18301250873,
      bootId: 'b7d3a1c04e2f4e6aa1f0c9e8d7b6a501',
    });
    expect(journalUsbLine(found, '/var/log/journal')).toMatchObject({ time: '2024-11-23T06:05:01.252Z', local: false, monoUs: 18301250873, boot: 'b7d3a1c04e2f4e6aa1f0c9e8d7b6a501' });
    const attaches = correlateUsbEvents(entries.map((e) => journalUsbLine(e!, 'j')).filter((l) => l !== undefined));
    expect(attaches.map((a) => [a.busPath, a.connected.time, a.removed?.time])).toEqual([
      ['1-1', '2024-11-23T06:05:01.252Z', '2024-11-23T06:35:12.019Z'],
      ['1-2', '2024-11-25T01:36:40.251Z', undefined],
    ]);
  });

  it('byte-array messages, repeated fields, and non-JSON lines', () => {
    const bytes = [...Buffer.from('usb 1-1: Product: Caf\u00e9')];
    expect(parseJournalJsonLine(JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000000000', MESSAGE: bytes }))?.message).toBe('usb 1-1: Product: Caf\u00e9');
    expect(parseJournalJsonLine(JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000000000', MESSAGE: ['a', 'b'] }))?.message).toBe('a');
    expect(parseJournalJsonLine('-- No entries --')).toBeUndefined();
    expect(parseJournalJsonLine('{"MESSAGE":"x"}')).toBeUndefined();
    expect(parseJournalJsonLine('{broken')).toBeUndefined();
  });
});
