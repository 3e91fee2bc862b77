import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anchorFromMtime,
  anchorFromRotationDate,
  assignSyslogYears,
  correlateUsbEvents,
  journalEventLine,
  journalUsbLine,
  KernelEventScanner,
  parseRadioKernelMessage,
  readLogLinesFrom,
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

// Kernel lines that name a radio. Each is written from the driver's own format string (dev_printk:
// "<driver> <device>: …", netdev_printk: "<driver> <device> <iface>: …", pr_fmt "<module>: …", BT_INFO
// "Bluetooth: …", bt_dev_info "Bluetooth: hciN: …", mac80211/mlme.c sdata_info "<iface>: …").
const RADIO: Array<[string, string, string | undefined, string | undefined, string]> = [
  // line, kind:driver, device, iface, what
  ['brcmfmac: F1 signature read @0x18000000=0x15264345', 'wifi:brcmfmac', undefined, undefined, 'driver'],
  ['brcmfmac: brcmf_fw_alloc_request: using brcm/brcmfmac43455-sdio for chip BCM4345/6', 'wifi:brcmfmac', undefined, undefined, 'firmware'],
  ['brcmfmac: brcmf_c_preinit_dcmds: Firmware: BCM4345/6 wl0: Oct 28 2020 19:28:10 version 7.45.229 (617f1f5 CY) FWID 01-2dbd9d2e', 'wifi:brcmfmac', undefined, undefined, 'firmware'],
  ['brcmfmac mmc1:0001:1: Direct firmware load for brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.bin failed with error -2', 'wifi:brcmfmac', 'mmc1:0001:1', undefined, 'driver'],
  ['iwlwifi 0000:00:14.3: loaded firmware version 66.f1c864e0.0 QuZ-a0-hr-b0-66.ucode op_mode iwlmvm', 'wifi:iwlwifi', '0000:00:14.3', undefined, 'firmware'],
  ['iwlwifi 0000:00:14.3: Detected Intel(R) Wi-Fi 6 AX201 160MHz, REV=0x351', 'wifi:iwlwifi', '0000:00:14.3', undefined, 'driver'],
  ['iwlwifi 0000:00:14.3 wlp0s20f3: renamed from wlan0', 'wifi:iwlwifi', '0000:00:14.3', 'wlp0s20f3', 'driver'],
  ['ath9k 0000:02:00.0 wlp2s0: renamed from wlan0', 'wifi:ath9k', '0000:02:00.0', 'wlp2s0', 'driver'],
  ['ath9k_htc 1-1.2:1.0: ath9k_htc: HTC initialized with 33 credits', 'wifi:ath9k_htc', '1-1.2:1.0', undefined, 'driver'],
  ['ath10k_pci 0000:3a:00.0: qca6174 hw3.2 target 0x05030000 chip_id 0x00340aff sub 1a56:1535', 'wifi:ath10k_pci', '0000:3a:00.0', undefined, 'driver'],
  ['ath11k_pci 0000:55:00.0: chip_id 0x2 chip_family 0xb board_id 0xff soc_id 0x400c0200', 'wifi:ath11k_pci', '0000:55:00.0', undefined, 'driver'],
  ['ath12k_pci 0000:03:00.0: fw_version 0x1009f0a2 fw_build_timestamp 2024-02-24 07:24 fw_build_id WLAN.HMT.1.0.c5-00481', 'wifi:ath12k_pci', '0000:03:00.0', undefined, 'driver'],
  ['rt2800usb 1-1.3:1.0 wlx00c0ca5a3e71: renamed from wlan1', 'wifi:rt2800usb', '1-1.3:1.0', 'wlx00c0ca5a3e71', 'driver'],
  ['rtl8xxxu 1-2:1.0: RTL8192EU rev A (SMIC) romver 0, 2T2R, TX queues 3, WiFi=1, BT=0, GPS=0, HI PA=0', 'wifi:rtl8xxxu', '1-2:1.0', undefined, 'driver'],
  ['rtw_8822ce 0000:02:00.0: Firmware version 9.9.4, H2C version 15', 'wifi:rtw_8822ce', '0000:02:00.0', undefined, 'driver'],
  ['rtw89_8852be 0000:02:00.0: loaded firmware rtw89/rtw8852b_fw-1.bin', 'wifi:rtw89_8852be', '0000:02:00.0', undefined, 'firmware'],
  ['rtl8192cu: Chip version 0x10', 'wifi:rtl8192cu', undefined, undefined, 'driver'],
  ['r8188eu 1-1:1.0: Firmware Version 11, SubVersion 1, Signature 0x88e1', 'wifi:r8188eu', '1-1:1.0', undefined, 'driver'],
  ['mt7601u 1-1:1.0: ASIC revision: 76010001 MAC revision: 76010500', 'wifi:mt7601u', '1-1:1.0', undefined, 'driver'],
  ['mt76x0u 1-1:1.0: ASIC revision: 76100002 MAC revision: 76502000', 'wifi:mt76x0u', '1-1:1.0', undefined, 'driver'],
  ['mt76x2u 2-1:1.0: ASIC revision: 76120044', 'wifi:mt76x2u', '2-1:1.0', undefined, 'driver'],
  ['mt7921e 0000:02:00.0: ASIC revision: 79610010', 'wifi:mt7921e', '0000:02:00.0', undefined, 'driver'],
  ['mt7921u 2-1:1.3: HW/SW Version: 0x8a108a10, Build Time: 20230526130917a', 'wifi:mt7921u', '2-1:1.3', undefined, 'driver'],
  ['ieee80211 phy1: rt2x00_set_rt: Info - RT chipset 3070, rev 0201 detected', 'wifi:rt2x00', undefined, 'phy1', 'phy'],
  ["ieee80211 phy0: Selected rate control algorithm 'minstrel_ht'", 'wifi:mac80211', undefined, 'phy0', 'phy'],
  ['wlan0: associated', 'wifi:wireless-interface', undefined, 'wlan0', 'association'],
  ['wlp2s0: authenticate with 5c:02:14:aa:bb:cc', 'wifi:wireless-interface', undefined, 'wlp2s0', 'association'],
  ['IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready', 'wifi:wireless-interface', undefined, 'wlan0', 'link'],
  ['Bluetooth: hci0: BCM: chip id 107', 'bluetooth:bluetooth', undefined, 'hci0', 'controller'],
  ['Bluetooth: hci0: Found device firmware: intel/ibt-19-0-4.sfi', 'bluetooth:bluetooth', undefined, 'hci0', 'controller'],
  ['hci_uart_bcm serial0-0: supply vbat not found, using dummy regulator', 'bluetooth:hci_uart_bcm', 'serial0-0', undefined, 'driver'],
  ['btusb 1-10:1.0: quirks 0x0', 'bluetooth:btusb', '1-10:1.0', undefined, 'driver'],
];

// Real lines that name no radio: module banners and registrations, the Bluetooth core and protocol
// modules, the 802.11 stack, wired NICs, and look-alikes.
const NOT_RADIO = [
  'usbcore: registered new interface driver brcmfmac',
  'usbcore: registered new interface driver btusb',
  'usbcore: registered new interface driver rt2800usb',
  'iwlwifi: Intel(R) Wireless WiFi driver for Linux',
  'iwlwifi: Copyright(c) 2003- 2015 Intel Corporation',
  '8188eu: loading out-of-tree module taints kernel.',
  'r8188eu: module is from the staging directory, the quality is unknown, you have been warned.',
  'brcmfmac: brcmfmac_module_init No platform data available.',
  'cfg80211: Loading compiled-in X.509 certificates for regulatory database',
  "cfg80211: Loaded X.509 cert 'sforshee: 00b28ddf47aef9cea7'",
  'cfg80211: failed to load regulatory.db',
  'platform regulatory.0: firmware: direct-loading firmware regulatory.db',
  'Bluetooth: Core ver 2.22',
  'Bluetooth: HCI device and connection manager initialized',
  'Bluetooth: HCI socket layer initialized',
  'Bluetooth: L2CAP socket layer initialized',
  'Bluetooth: SCO socket layer initialized',
  'Bluetooth: HCI UART driver ver 2.3',
  'Bluetooth: HCI UART protocol H4 registered',
  'Bluetooth: BNEP (Ethernet Emulation) ver 1.3',
  'Bluetooth: RFCOMM TTY layer initialized',
  'NET: Registered PF_BLUETOOTH protocol family',
  'r8169 0000:02:00.0 enp2s0: renamed from eth0',
  'IPv6: ADDRCONF(NETDEV_CHANGE): enp2s0: link becomes ready',
  'e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None',
  'usb 1-1.3: New USB device found, idVendor=148f, idProduct=3070, bcdDevice= 1.01',
  'wl: module license \'MIXED/Proprietary\' taints kernel.',
  'mac80211_hwsim: initializing netlink',
];

describe('parseRadioKernelMessage — what is a radio', () => {
  it(`${RADIO.length} radio lines are recognised, with driver, device, interface and kind of line`, () => {
    expect(RADIO.length).toBe(32);
    for (const [line, kd, device, iface, what] of RADIO) {
      const e = parseRadioKernelMessage(line);
      expect(e, line).toBeDefined();
      expect(`${e!.kind}:${e!.driver}`, line).toBe(kd);
      expect(e!.device, line).toBe(device);
      expect(e!.iface, line).toBe(iface);
      expect(e!.what, line).toBe(what);
    }
  });
  it(`${NOT_RADIO.length} lines that only look related are not`, () => {
    expect(NOT_RADIO.length).toBe(28);
    expect(NOT_RADIO.filter((l) => parseRadioKernelMessage(l) !== undefined)).toEqual([]);
  });
  it('firmware and chip named in the line', () => {
    expect(parseRadioKernelMessage(RADIO[1]![0])!.detail).toBe('brcm/brcmfmac43455-sdio (BCM4345/6)');
    expect(parseRadioKernelMessage(RADIO[4]![0])!.detail).toBe('QuZ-a0-hr-b0-66.ucode');
    expect(parseRadioKernelMessage(RADIO[23]![0])!.detail).toBe('3070');
  });
  it('the plaso corpus syslog (real, no radio) has no radio line', () => {
    const text = readFileSync(join(FIXTURES, 'roots', 'debian12-ws', 'var', 'log', 'syslog'), 'utf8');
    const s = new KernelEventScanner('/var/log/syslog', parseRadioKernelMessage);
    for (const l of text.split('\n')) s.push(l);
    const scan = s.finish(anchorFromMtime(Date.parse('2013-01-01T00:00:00Z')));
    expect(scan.kernelLines).toBeGreaterThan(0);
    expect(scan.events).toEqual([]);
  });
});

describe('KernelEventScanner and readLogLinesFrom', () => {
  it('bare dmesg lines (with or without "kernel: ") have a monotonic time and no wall-clock time', () => {
    const s = new KernelEventScanner('/var/log/dmesg', parseRadioKernelMessage);
    s.push('[    3.612345] kernel: iwlwifi 0000:00:14.3: Detected Intel(R) Wi-Fi 6 AX201 160MHz, REV=0x351');
    s.push('[    4.101112] Bluetooth: hci0: Found device firmware: intel/ibt-19-0-4.sfi');
    s.push('[    4.200000] kernel: Bluetooth: Core ver 2.22');
    const scan = s.finish(undefined);
    expect(scan.dmesgLines).toBe(3);
    expect(scan.events.map((e) => [e.event.driver, e.monoUs, e.time ?? null, e.line])).toEqual([
      ['iwlwifi', 3612345, null, 1],
      ['bluetooth', 4101112, null, 2],
    ]);
  });
  it('syslog lines get their year from the anchor; other programs imitating the kernel are ignored', () => {
    const s = new KernelEventScanner('/var/log/kern.log', parseRadioKernelMessage);
    s.push('Dec 31 23:59:00 pi kernel: [    5.311812] brcmfmac: F1 signature read @0x18000000=0x15264345');
    s.push('Jan  1 00:00:10 pi pi: brcmfmac: F1 signature read @0x18000000=0x15264345');
    s.push('Jan  1 00:01:00 pi kernel: [   70.000000] wlan0: associated');
    const scan = s.finish(anchorFromRotationDate('20240101'));
    expect(scan.events.map((e) => [e.event.driver, e.time])).toEqual([
      ['brcmfmac', '2023-12-31T23:59:00'],
      ['wireless-interface', '2024-01-01T00:01:00'],
    ]);
  });
  it('journal entries are timed in UTC', () => {
    const l = journalEventLine({ realtimeUs: 1717200004120011, message: 'mt7921e 0000:02:00.0: ASIC revision: 79610010', monoUs: 4120011 }, '/var/log/journal', parseRadioKernelMessage);
    expect(l).toMatchObject({ time: '2024-06-01T00:00:04.120Z', local: false, monoUs: 4120011, event: { driver: 'mt7921e' } });
  });
  it('gzip: all lines; a damaged stream gives the lines before the damage and says so; a plain file over the cap keeps its tail', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const gz = gzipSync(Buffer.from(text));
    const src = (b: Buffer) => ({ size: b.length, read: async (p: number, n: number) => b.subarray(p, p + n) });
    const all: string[] = [];
    expect(await readLogLinesFrom(src(gz), true, 1 << 20, (l) => all.push(l))).toEqual({ bytes: text.length });
    expect(all.length).toBe(2000);
    const cut: string[] = [];
    const r = await readLogLinesFrom(src(gz.subarray(0, gz.length >> 1)), true, 1 << 20, (l) => cut.push(l));
    expect(r.corrupt).toMatch(/unexpected end of file/);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(2000);
    expect(cut.every((l, i) => l === `line ${i}`)).toBe(true);
    const tail: string[] = [];
    expect((await readLogLinesFrom(src(Buffer.from(text)), false, 100, (l) => tail.push(l))).capped).toBe('tail');
    expect(tail.at(-1)).toBe('line 1999');
    expect(tail.every((l) => /^line \d+$/.test(l))).toBe(true);
  });
});
