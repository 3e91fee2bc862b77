import { requireTool, skipWithout } from '../../_helpers/oracles.js';
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyLogName, linuxUsbAttached, linuxUsbHistory, orderLogFiles, phoneBasis } from '../../../src/checks/usb/linux.js';
import type { UsbDeviceRecord } from '../../../src/checks/usb/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { FIXTURES } from '../../_helpers/windows-root.js';

const LOGS = join(FIXTURES, 'linux', 'usb-logs');
const DAY = 86400_000;

/** A temp root holding a copy of a fixture's var/log, with the given mtimes (ISO instants) set. */
async function root(fixture: string, mtimes: Record<string, string>, shiftMs = 0): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baomi-usblog-'));
  await cp(join(LOGS, fixture), dir, { recursive: true });
  for (const [name, iso] of Object.entries(mtimes)) {
    const t = new Date(Date.parse(iso) + shiftMs);
    await utimes(join(dir, 'var', 'log', name), t, t);
  }
  return dir;
}

// The Debian 11 workstation rotates weekly at 06:25 local (+08:00); each file was last written then.
const NEWYEAR_MTIMES = {
  'syslog.3.gz': '2023-12-20T22:25:04Z',
  'syslog.2.gz': '2023-12-27T22:25:03Z',
  'syslog.1': '2024-01-03T22:25:03Z',
  syslog: '2024-01-09T09:40:12Z',
  'kern.log': '2024-01-09T09:40:12Z',
};

const byKey = (records: UsbDeviceRecord[]) => new Map(records.map((r) => [r.key, r]));
const SANDISK = 'usb:0781:5567:4C530001230718117142';

async function history(dir: string, opts: Parameters<typeof linuxUsbHistory>[1] = {}) {
  return linuxUsbHistory(await FsTarget.open('offline', dir), { pathEnv: '/nonexistent', ...opts });
}

function hasJournalctl(): boolean {
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(d, 'journalctl'), constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

describe('log discovery', () => {
  it('recognises the kernel logs and their rotations, oldest first', () => {
    expect(classifyLogName('syslog.2.gz')).toEqual({ name: 'syslog.2.gz', family: 'syslog', rotation: 'numbered', number: 2, compression: 'gz' });
    expect(classifyLogName('messages-20240303')).toEqual({ name: 'messages-20240303', family: 'messages', rotation: 'dated', date: '20240303' });
    expect(classifyLogName('kern.log')).toEqual({ name: 'kern.log', family: 'kern.log', rotation: 'current' });
    for (const n of ['auth.log', 'syslog.gz', 'syslog.old', 'messages-2024', 'dpkg.log.1']) expect(classifyLogName(n)).toBeUndefined();
    const order = orderLogFiles(['syslog', 'syslog.10.gz', 'syslog.1', 'syslog.2.gz', 'auth.log', 'messages', 'messages-20240310.gz', 'messages-20240303', 'kern.log.1']);
    expect(order.get('syslog')!.map((e) => e.name)).toEqual(['syslog.10.gz', 'syslog.2.gz', 'syslog.1', 'syslog']);
    expect(order.get('messages')!.map((e) => e.name)).toEqual(['messages-20240303', 'messages-20240310.gz', 'messages']);
    expect(order.get('kern.log')!.map((e) => e.name)).toEqual(['kern.log.1']);
  });

  it('phones: known ids, phone makers, class 06, names; not Samsung SSDs or Huawei modems', () => {
    expect(phoneBasis('2717', 'ff48', [])).toMatch(/2717:ff48/);
    expect(phoneBasis('22d9', '9999', [])).toMatch(/OPPO/);
    expect(phoneBasis('2717', '4106', [])).toBeUndefined(); // Xiaomi Wi-Fi adapter
    expect(phoneBasis('04e8', '6860', [])).toMatch(/04e8:6860/);
    expect(phoneBasis('04e8', '4001', ['PSSD T7', 'Samsung'])).toBeUndefined();
    expect(phoneBasis('12d1', '1f01', ['HUAWEI_MOBILE'])).toBeUndefined();
    expect(phoneBasis('1234', '5678', ['MTP'])).toBe('name "MTP"');
    expect(phoneBasis('1234', '5678', ['SAMSUNG_Android'])).toBe('name "SAMSUNG_Android"');
    expect(phoneBasis('1234', '5678', ['USB Headphones', 'Microphone'])).toBeUndefined();
    expect(phoneBasis('1234', '5678', ['Android Phone'])).toBe('name "Android Phone"');
    expect(phoneBasis('1234', '5678', [], ['06'])).toMatch(/class 06/);
    expect(phoneBasis('046d', 'c31c', ['USB Keyboard', 'Logitech'], ['03'])).toBeUndefined();
  });
});

describe('linuxUsbHistory — Debian 11, syslog rotated over New Year', () => {
  it('one record per device, years from each file\'s mtime, connections merged across files', async () => {
    const { records, coverage } = await history(await root('debian11-newyear', NEWYEAR_MTIMES));
    const m = byKey(records);
    expect([...m.keys()]).toEqual([
      'usb:046d:c31c:noserial',
      SANDISK,
      'usb:090c:1000:noserial',
      'usb:0951:1666:60A44C3FAE22F0C0B9C50B8E',
      'usb:0951:1666:E0D55EA574B7F4B0C8A10D2B',
      'usb:2717:ff48:9A7C3E21',
    ]); // no hub (05e3:0608), no root hub (1d6b), no "dead:beef" logged by a user program

    const s = m.get(SANDISK)!;
    expect(s).toMatchObject({
      vid: '0781', pid: '5567', serial: '4C530001230718117142', serialUnique: true,
      vendor: 'SanDisk', product: 'Cruzer Blade', revision: '1.00', manufacturer: 'SanDisk', usbProduct: 'Cruzer Blade',
      storage: true, phone: false, interfaceClasses: ['08'],
      firstSeen: '2023-12-18T09:13:40', lastSeen: '2024-01-08T14:10:05', lastRemoved: '2024-01-08T14:52:44',
      timesAreLocal: true, connections: 3,
    });
    expect(s.sources).toEqual([
      { kind: 'kernel-log', source: '/var/log/syslog.3.gz', firstSeen: '2023-12-18T09:13:40', lastSeen: '2023-12-18T09:13:40', lastRemoved: '2023-12-18T09:40:02', connections: 1, timesAreLocal: true, detail: { yearFrom: 'file mtime', busPaths: ['1-2'], disks: ['sdb'], storageDriver: 'usb-storage', removable: true, sizeBytes: 15631122432 } },
      { kind: 'kernel-log', source: '/var/log/syslog.1', firstSeen: '2023-12-29T10:02:11', lastSeen: '2023-12-29T10:02:11', lastRemoved: '2023-12-29T11:45:30', connections: 1, timesAreLocal: true, detail: { yearFrom: 'file mtime', busPaths: ['1-2'], disks: ['sdb'], storageDriver: 'usb-storage', removable: true, sizeBytes: 15631122432 } },
      { kind: 'kernel-log', source: '/var/log/kern.log', firstSeen: '2024-01-08T14:10:05', lastSeen: '2024-01-08T14:10:05', lastRemoved: '2024-01-08T14:52:44', connections: 1, timesAreLocal: true, detail: { yearFrom: 'file mtime', busPaths: ['1-1'], disks: ['sdb'], storageDriver: 'usb-storage', removable: true, sizeBytes: 15631122432 } },
      { kind: 'kernel-log', source: '/var/log/syslog', firstSeen: '2024-01-08T14:10:05', lastSeen: '2024-01-08T14:10:05', lastRemoved: '2024-01-08T14:52:44', connections: 1, timesAreLocal: true, detail: { yearFrom: 'file mtime', busPaths: ['1-1'], disks: ['sdb'], storageDriver: 'usb-storage', removable: true, sizeBytes: 15631122432 } },
    ]);

    // Two sticks of one model stay two devices; one was pulled after the weekly rotation (removal in syslog.1).
    const ka = m.get('usb:0951:1666:E0D55EA574B7F4B0C8A10D2B')!;
    const kb = m.get('usb:0951:1666:60A44C3FAE22F0C0B9C50B8E')!;
    expect(ka).toMatchObject({ vendor: 'Kingston', product: 'DataTraveler 3.0', revision: 'PMAP', storage: true, firstSeen: '2023-12-27T17:55:20', lastRemoved: '2023-12-28T08:31:15', connections: 1 });
    expect(ka.sources.map((x) => [x.source, x.connections ?? 0, x.lastRemoved ?? null])).toEqual([
      ['/var/log/syslog.2.gz', 1, null],
      ['/var/log/syslog.1', 0, '2023-12-28T08:31:15'],
    ]);
    expect(kb).toMatchObject({ firstSeen: '2023-12-27T17:56:02', lastRemoved: '2023-12-27T18:20:11' });

    // After New Year, in the file that spans it.
    expect(m.get('usb:090c:1000:noserial')).toMatchObject({
      serialUnique: false, storage: true, manufacturer: 'SMI Corporation', product: 'USB DISK', firstSeen: '2024-01-02T09:20:33', lastRemoved: '2024-01-02T09:41:07',
    });
    expect(m.get('usb:090c:1000:noserial')!.serial).toBeUndefined();
    expect(m.get('usb:090c:1000:noserial')!.vendor).toBeUndefined();

    expect(m.get('usb:2717:ff48:9A7C3E21')).toMatchObject({ phone: true, storage: false, serial: '9a7c3e21', manufacturer: 'Xiaomi', product: 'Redmi Note 8 Pro', firstSeen: '2023-12-22T14:31:07' });
    expect(m.get('usb:2717:ff48:9A7C3E21')!['phoneBasis']).toBe('phone/media-player id 2717:ff48 (usb.ids, libmtp)');

    // The keyboard is at each of the 6 boots: kern.log and syslog hold the same last boot, counted once.
    expect(m.get('usb:046d:c31c:noserial')).toMatchObject({ storage: false, phone: false, interfaceClasses: ['03'], serialUnique: false, connections: 6, firstSeen: '2023-12-18T08:05:13', lastSeen: '2024-01-08T08:30:01' });

    expect(coverage).toEqual([
      { kind: 'not-recorded', path: '/var/log/syslog.3.gz', reason: 'the kernel logs reach back to 2023-12-14T06:25:05 (/var/log/syslog.3.gz): USB connections before that are not recorded on this machine', blocking: false },
    ]);
  });

  it('the years follow the mtimes: the same files written a year later', async () => {
    const { records } = await history(await root('debian11-newyear', NEWYEAR_MTIMES, 366 * DAY));
    expect(byKey(records).get(SANDISK)).toMatchObject({ firstSeen: '2024-12-18T09:13:40', lastSeen: '2025-01-08T14:10:05' });
    expect(byKey(records).get('usb:090c:1000:noserial')!.firstSeen).toBe('2025-01-02T09:20:33');
  });

  it('a truncated .gz: coverage names it, the lines before the damage are used', async () => {
    const dir = await root('debian11-newyear', NEWYEAR_MTIMES);
    const gz = join(dir, 'var', 'log', 'syslog.2.gz');
    const full = gunzipSync(await readFile(gz)).toString('utf8');
    expect(full.indexOf('idVendor=2717')).toBeLessThan(full.length * 0.3);
    expect(full.indexOf('60A44C3FAE22F0C0B9C50B8E')).toBeGreaterThan(full.length * 0.85);
    await truncate(gz, Math.floor((await readFile(gz)).length * 0.6));
    await utimes(gz, new Date(NEWYEAR_MTIMES['syslog.2.gz']), new Date(NEWYEAR_MTIMES['syslog.2.gz']));
    const { records, coverage } = await history(dir);
    const m = byKey(records);
    expect(m.get('usb:2717:ff48:9A7C3E21')).toMatchObject({ phone: true, firstSeen: '2023-12-22T14:31:07' });
    expect(m.has('usb:0951:1666:60A44C3FAE22F0C0B9C50B8E')).toBe(false);
    // Kingston A's removal is in syslog.1 — its attach was lost with the damage, so nothing is made up
    expect(m.has('usb:0951:1666:E0D55EA574B7F4B0C8A10D2B')).toBe(false);
    const c = coverage.find((x) => x.kind === 'corrupt')!;
    expect(c).toMatchObject({ path: '/var/log/syslog.2.gz' });
    expect(c.reason).toMatch(/^\/var\/log\/syslog\.2\.gz: decompression failed after \d+ bytes \(unexpected end of file\); the \d+ lines before the damage were read/);
    expect(c.blocking).toBeUndefined();
  });

  it('caps: a log over the limit is read from its newest end; a .gz over it from its oldest', async () => {
    const dir = await root('debian11-newyear', NEWYEAR_MTIMES);
    const { records, coverage } = await history(dir, { maxLogBytes: 8000 });
    expect(coverage.filter((c) => c.kind === 'too-large').map((c) => c.path)).toEqual(['/var/log/syslog.3.gz', '/var/log/syslog.2.gz', '/var/log/syslog.1', '/var/log/syslog']);
    expect(records.length).toBeGreaterThan(0);
  });

  it('a log written after the scan time (clock ahead) is reported; an aborted scan stops', async () => {
    const dir = await root('debian11-newyear', NEWYEAR_MTIMES);
    const { coverage } = await history(dir, { now: new Date('2024-01-02T00:00:00Z') });
    expect(coverage.filter((c) => c.kind === 'clock').map((c) => c.path)).toEqual(['/var/log/kern.log', '/var/log/syslog.1', '/var/log/syslog']);
    const ac = new AbortController();
    ac.abort();
    await expect(history(dir, { signal: ac.signal })).rejects.toThrow();
  });

  it('xz-compressed rotations are reported, not silently skipped', async () => {
    const dir = await root('debian11-newyear', NEWYEAR_MTIMES);
    await writeFile(join(dir, 'var', 'log', 'syslog.4.xz'), 'not read');
    const { coverage } = await history(dir);
    expect(coverage).toContainEqual({ kind: 'unsupported', path: '/var/log/syslog.4.xz', reason: '/var/log/syslog.4.xz is compressed with xz, which is not decoded: its USB lines were not read' });
  });
});

describe('linuxUsbHistory — other distributions', () => {
  it('Kylin/RHEL messages-YYYYMMDD: the date in the name gives the year (leap day), not a copied mtime', async () => {
    const dir = await root('kylin-leapday', { 'messages-20240303': '2026-01-01T00:00:00Z', messages: '2024-03-10T01:00:00Z' });
    const { records } = await history(dir);
    const m = byKey(records);
    const netac = m.get('usb:0dd8:e007:A200000000013071')!;
    expect(netac).toMatchObject({ vendor: 'Netac', product: 'OnlyDisk', storage: true, phone: false, firstSeen: '2024-02-29T10:15:32', lastRemoved: '2024-02-29T10:48:09' });
    expect(netac.sources[0]!.detail).toMatchObject({ yearFrom: 'date in file name' });
    // Huawei: a modem in its CD-ROM mode is storage, not a phone; a P10 is a phone
    expect(m.get('usb:12d1:1f01:noserial')).toMatchObject({ storage: true, phone: false, vendor: 'HUAWEI', product: 'Mass Storage', firstSeen: '2024-03-01T09:30:00' });
    expect(m.get('usb:12d1:107e:8BN0217A14003712')).toMatchObject({ phone: true, storage: false, usbProduct: 'VTR-AL00', firstSeen: '2024-03-05T09:40:00', lastRemoved: '2024-03-05T09:46:40' });
  });

  it('Ubuntu 24.04 RFC 3339 logs: UTC times, UAS disk, iPhone; syslog and kern.log counted once', async () => {
    const dir = await root('ubuntu2404-rfc3339', { syslog: '2024-11-23T06:50:03Z', 'kern.log': '2024-11-23T06:50:03Z' });
    const { records } = await history(dir);
    const m = byKey(records);
    const t7 = m.get('usb:04e8:4001:S5TANS0R812345D')!;
    expect(t7).toMatchObject({ vendor: 'Samsung', product: 'PSSD T7', revision: '0', storage: true, phone: false, connections: 1, firstSeen: '2024-11-23T06:05:01.144Z', lastRemoved: '2024-11-23T06:40:12.881Z' });
    expect(t7.timesAreLocal).toBeUndefined();
    expect(t7.sources.map((s) => [s.source, s.connections, s.detail?.['storageDriver'], s.detail?.['removable']])).toEqual([
      ['/var/log/kern.log', 1, 'uas', false],
      ['/var/log/syslog', 1, 'uas', false],
    ]);
    expect(m.get('usb:05ac:12a8:00008110001A2C3E0E91801E')).toMatchObject({ phone: true, storage: false, manufacturer: 'Apple Inc.', product: 'iPhone' });
  });

  it('RFC 5424 messages', async () => {
    const { records } = await history(await root('rfc5424', { messages: '2024-11-23T06:31:00Z' }));
    expect(records.map((r) => [r.key, r.firstSeen, r.lastRemoved])).toEqual([[SANDISK, '2024-11-23T06:05:01.251Z', '2024-11-23T06:30:12.018Z']]);
  });

  it('nothing to read: a blocking gap, not a clean result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-usblog-'));
    await mkdir(join(dir, 'var', 'log'), { recursive: true });
    await writeFile(join(dir, 'var', 'log', 'dpkg.log'), '');
    const { records, coverage } = await history(dir);
    expect(records).toEqual([]);
    expect(coverage).toEqual([expect.objectContaining({ kind: 'not-recorded', blocking: true })]);
  });
});

/** A root with the fixture journal (a real journal file written by systemd-journal-remote) and, optionally, the same boot in syslog. */
async function journalRoot(withSyslog: boolean, journal?: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baomi-usbjournal-'));
  const machine = (await readFile(join(LOGS, 'journal', 'MACHINE_ID'), 'utf8')).trim();
  const jdir = join(dir, 'var', 'log', 'journal', machine);
  await mkdir(jdir, { recursive: true });
  await writeFile(join(jdir, 'system.journal'), journal ?? gunzipSync(await readFile(join(LOGS, 'journal', 'system.journal.gz'))));
  if (withSyslog) {
    await cp(join(LOGS, 'journal', 'syslog'), join(dir, 'var', 'log', 'syslog'));
    const t = new Date('2024-11-23T07:00:00Z');
    await utimes(join(dir, 'var', 'log', 'syslog'), t, t);
  }
  return dir;
}

describe('linuxUsbHistory — systemd journal through the kit\'s journalctl', () => {
  it.skipIf(skipWithout('journalctl'))('reads every boot of a real journal file; a connection also in syslog is counted once', async () => {
    const { records, coverage } = await linuxUsbHistory(await FsTarget.open('offline', await journalRoot(true)));
    expect(records).toHaveLength(1); // dead:beef came from a user program, not the kernel
    const s = records[0]!;
    expect(s).toMatchObject({ key: SANDISK, connections: 2, storage: true, vendor: 'SanDisk', firstSeen: '2024-11-23T06:05:01.252Z', lastSeen: '2024-11-25T01:36:40.251Z', lastRemoved: '2024-11-23T06:35:12.019Z', timesAreLocal: true });
    expect(s.sources.map((x) => [x.kind, x.source, x.connections, x.firstSeen, x.lastSeen, x.timesAreLocal ?? false])).toEqual([
      ['journal', '/var/log/journal', 2, '2024-11-23T06:05:01.252Z', '2024-11-25T01:36:40.251Z', false],
      ['kernel-log', '/var/log/syslog', 1, '2024-11-23T14:05:01', '2024-11-23T14:05:01', true],
    ]);
    expect(coverage.filter((c) => c.kind !== 'not-recorded' || c.blocking)).toEqual([]);
  });

  it('journalctl missing on the kit: said in coverage (not blocking), syslog still read', async () => {
    const { records, coverage } = await history(await journalRoot(true), { pathEnv: '/nonexistent' });
    expect(coverage).toContainEqual({ kind: 'missing-tool', path: '/var/log/journal', reason: 'the systemd journal in /var/log/journal was not read: journalctl is not installed on the inspecting system (kit)', blocking: false });
    expect(coverage.some((c) => c.blocking)).toBe(false);
    expect(records[0]).toMatchObject({ key: SANDISK, connections: 1 });
  });

  it('journalctl given by path but absent; the journal the only source: the history is a blocking gap', async () => {
    const { records, coverage } = await history(await journalRoot(false), { journalctl: '/nonexistent/journalctl' });
    expect(records).toEqual([]);
    expect(coverage.map((c) => [c.kind, c.blocking])).toEqual([
      ['missing-tool', false],
      ['not-recorded', true],
    ]);
    expect(coverage[0]!.reason).toMatch(/at \/nonexistent\/journalctl$/);
  });

  it.skipIf(skipWithout('journalctl'))('an unreadable journal file: coverage says so', async () => {
    const { coverage } = await linuxUsbHistory(await FsTarget.open('offline', await journalRoot(false, Buffer.alloc(4096, 0x5a))));
    expect(coverage).toContainEqual(expect.objectContaining({ kind: 'unreadable', path: '/var/log/journal', blocking: false }));
    expect(coverage).toContainEqual(expect.objectContaining({ kind: 'not-recorded', blocking: true }));
  });

  it.skipIf(skipWithout('journalctl'))('journalctl is bounded in time', async () => {
    // A "journalctl" that never answers.
    const dir = await mkdtemp(join(tmpdir(), 'baomi-slowjctl-'));
    const slow = join(dir, 'journalctl');
    await writeFile(slow, `#!/bin/sh\nexec '${process.execPath}' -e 'setTimeout(() => {}, 30000)'\n`, { mode: 0o755 });
    const started = Date.now();
    const { coverage } = await history(await journalRoot(false), { journalctl: slow, journalTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(coverage[0]).toMatchObject({ kind: 'timeout', path: '/var/log/journal', blocking: false });
  });
});

describe('linuxUsbAttached — live sysfs', () => {
  it('fixture usb-laptop: sticks with their block devices, keyboard, phones behind a hub; hubs left out', async () => {
    const { records, coverage } = await linuxUsbAttached(await FsTarget.open('live', join(FIXTURES, 'sysfs', 'usb-laptop')));
    expect(coverage).toEqual([]);
    expect(records.map((r) => [r.key, r.storage, r.phone, r.interfaceClasses])).toEqual([
      ['usb:046d:c31c:noserial', false, false, ['03']],
      ['usb:04e8:4001:S5TANS0R812345D', true, false, ['08']],
      ['usb:05ac:12a8:00008110001A2C3E0E91801E', false, true, ['06', 'ff']],
      [SANDISK, true, false, ['08']],
      ['usb:2717:ff48:9A7C3E21', false, true, ['ff']],
    ]);
    const m = byKey(records);
    expect(m.get(SANDISK)).toMatchObject({
      attachedNow: true, serialUnique: true, manufacturer: 'SanDisk', vendor: 'SanDisk', product: 'Cruzer Blade', revision: '1.00', usbProduct: 'Cruzer Blade',
      sources: [{ kind: 'sysfs', source: '/sys/bus/usb/devices/1-2', detail: { busPath: '1-2', busnum: 1, devnum: 4, speedMbps: 480, drivers: ['usb-storage'], blockDevices: ['sdb'], sizeBytes: 30529536 * 512, removable: true } }],
    });
    expect(m.get('usb:04e8:4001:S5TANS0R812345D')).toMatchObject({ vendor: 'Samsung', product: 'PSSD T7', revision: '0' });
    expect(m.get('usb:04e8:4001:S5TANS0R812345D')!.sources[0]!.detail).toMatchObject({ drivers: ['uas'], blockDevices: ['sdc'], removable: false, sizeBytes: 1953525168 * 512 });
    expect(m.get('usb:05ac:12a8:00008110001A2C3E0E91801E')!['phoneBasis']).toBe('phone/media-player id 05ac:12a8 (usb.ids, libmtp)');
    expect(m.get('usb:046d:c31c:noserial')).toMatchObject({ serialUnique: false, attachedNow: true });
  });

  it('no USB bus in sysfs: said in coverage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-nousb-'));
    await mkdir(join(dir, 'sys', 'bus', 'pci', 'devices'), { recursive: true });
    const { records, coverage } = await linuxUsbAttached(await FsTarget.open('live', dir));
    expect(records).toEqual([]);
    expect(coverage).toEqual([{ kind: 'not-recorded', path: '/sys/bus/usb/devices', reason: expect.stringMatching(/^sysfs has no USB bus/), blocking: false }]);
  });

  it('this machine: whatever its hardware (none, some, no USB bus), well-formed records and gaps, never a throw', async () => {
    const { records, coverage } = await linuxUsbAttached(await FsTarget.open('live', '/'));
    for (const r of records) expect(r.key).toMatch(/^usb:[0-9a-f]{4}:[0-9a-f]{4}:/);
    for (const c of coverage) expect(typeof c.reason).toBe('string');
  });
});

// Keep the fixture generator honest: the committed logs are what make.mjs writes (the journal file has
// random ids, so only the text files are compared).
describe('fixtures', () => {
  it('make.mjs writes the committed text logs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-usbmake-'));
    await cp(join(LOGS, 'make.mjs'), join(dir, 'make.mjs'));
    execFileSync(process.execPath, [join(dir, 'make.mjs'), '--no-journal'], { stdio: 'ignore' });
    for (const f of ['debian11-newyear/var/log/syslog', 'debian11-newyear/var/log/syslog.1', 'debian11-newyear/var/log/syslog.2.gz', 'kylin-leapday/var/log/messages-20240303', 'ubuntu2404-rfc3339/var/log/syslog', 'rfc5424/var/log/messages', 'journal/export.txt', 'journal/syslog']) {
      expect((await readFile(join(dir, f))).equals(await readFile(join(LOGS, f))), f).toBe(true);
    }
  });
});
