// Device ↔ ledger matching: one row must account for the whole device.
import { describe, expect, it } from 'vitest';
import type { UsbDeviceRecord } from '../../src/checks/usb/types.js';
import { machineEntry, matchDevice, parseLedger, serialKey, isSynthesizedSerial } from '../../src/ledger/index.js';
import type { Ledger } from '../../src/ledger/index.js';

const LEDGER_YAML = `
computers:
  - { id: PC-1, type: 台式机, hostname: BM-PC-001, serial: PF1ABCDE, class: 涉密, level: 秘密, usb: 否 }   # 3
  - { id: PC-2, hostname: nw-pc-002.corp.local, machineId: "{3F2A9C1E-5B7D-4E0F-8A6B-2C4D1E3F5A7B}", class: 内网 }
  - { id: PC-3, hostname: shared-name, serial: SER-3, class: 非涉密 }
  - { id: PC-4, hostname: shared-name, serial: SER-4, class: 非涉密 }
  - { id: PC-5, hostname: oem-box, serial: To be filled by O.E.M., class: 内网 }
media:
  - { id: A, type: U盘, vendor: Kingston, serial: KING-0001, vid: "0951", pid: "1666", class: 涉密（机密） }        # 9
  - { id: B, type: U盘, vendor: SanDisk, serial: SAND-0002, vid: "0781", pid: "5581", class: 涉密（秘密） }         # 10
  - { id: C, type: 移动硬盘, serial: "aa04 0127-0001 2345", class: 内网 }                                         # 11
  - { id: D, type: U盘, serial: "RETIRED-9&0", vid: "090c", pid: "1000", class: 非涉密, status: 报废 }            # 12
  - { id: E, type: U盘, serial: "0123456789ABCDEF", vid: "0781", pid: "5567", class: 涉密 }                       # 13
  - { id: F, type: U盘, serial: "0123456789abcdef", vid: "090c", pid: "1000", class: 非涉密 }                     # 14
  - { id: G, type: U盘, serial: "TWIN-1", class: 涉密 }                                                           # 15
  - { id: H, type: 移动硬盘, serial: "TWIN-1", class: 内网 }                                                      # 16
  - { id: I, type: U盘, serial: "BOTH-1", class: 涉密, status: 丢失 }                                             # 17
  - { id: J, type: U盘, serial: "BOTH-1", class: 涉密, status: 在用 }                                             # 18
  - { id: K, type: U盘, serial: "ABS-1", class: 机密级 }                                                          # 19
  - { id: L, type: U盘, serial: "ABS-2", class: 绝密 }                                                            # 20
`;

let ledger: Ledger;
async function load(): Promise<Ledger> {
  if (!ledger) {
    const r = await parseLedger('t.yaml', Buffer.from(LEDGER_YAML));
    // G/H and I/J share serials, PC-3/PC-4 a host name, on purpose: the matcher must still be sound.
    expect(r.problems.filter((p) => p.code !== 'duplicate-serial' && p.code !== 'duplicate-hostname')).toEqual([]);
    ledger = r.ledger!;
  }
  return ledger;
}

function dev(d: Partial<UsbDeviceRecord>): UsbDeviceRecord {
  return { key: 'usb:test', serialUnique: true, storage: true, phone: false, sources: [], ...d };
}

interface Case {
  name: string;
  device: Partial<UsbDeviceRecord>;
  want: { status: string; id?: string; matchedBy?: string; crossClass?: boolean; inUse?: boolean; levelAbove?: boolean; reason?: RegExp };
}

const cases: Case[] = [
  {
    name: 'exact serial, VID and PID',
    device: { serial: 'KING-0001', vid: '0951', pid: '1666' },
    want: { status: 'registered', id: 'A', matchedBy: 'serial+ids', inUse: true },
  },
  {
    name: 'case and space differences in the serial',
    device: { serial: 'king 0001', vid: '0951', pid: '1666' },
    want: { status: 'registered', id: 'A', matchedBy: 'serial+ids' },
  },
  {
    name: 'VID/PID in upper case on the device',
    device: { serial: 'KING-0001', vid: '0951', pid: '1666'.toUpperCase() },
    want: { status: 'registered', id: 'A' },
  },
  {
    name: 'the ledger wrote the serial with spaces and dashes; the device has a Windows &0 suffix',
    device: { serial: 'AA04012700012345&0' },
    want: { status: 'registered', id: 'C', matchedBy: 'serial' },
  },
  {
    name: 'the ledger row carries an &0 suffix, the device none',
    device: { serial: 'retired-9', vid: '090c', pid: '1000' },
    want: { status: 'registered', id: 'D', inUse: false, reason: /报废.*not in use/ },
  },
  {
    name: 'TRAP: vendor/ids of row A with the serial of row B is not registered',
    device: { serial: 'SAND-0002', vid: '0951', pid: '1666', vendor: 'Kingston', product: 'DataTraveler 3.0' },
    want: { status: 'unregistered', reason: /t\.yaml:10.*0781:5581.*0951:1666/ },
  },
  {
    name: 'TRAP: serial of row A with the PID of row B is not registered',
    device: { serial: 'KING-0001', vid: '0951', pid: '5581' },
    want: { status: 'unregistered', reason: /t\.yaml:9/ },
  },
  {
    name: 'VID/PID mismatch with the only row of that serial',
    device: { serial: 'KING-0001', vid: '0781', pid: '1666' },
    want: { status: 'unregistered' },
  },
  {
    name: 'a serial in no row',
    device: { serial: 'NOT-IN-LEDGER', vid: '0951', pid: '1666' },
    want: { status: 'unregistered', reason: /no ledger row/ },
  },
  {
    name: "a computer row's hardware serial does not register a stick",
    device: { serial: 'PF1ABCDE' },
    want: { status: 'unregistered' },
  },
  {
    name: 'generic serial shared by two sticks, told apart by VID/PID (row E)',
    device: { serial: '0123456789ABCDEF', vid: '0781', pid: '5567' },
    want: { status: 'registered', id: 'E' },
  },
  {
    name: 'generic serial shared by two sticks, told apart by VID/PID (row F)',
    device: { serial: '0123456789ABCDEF', vid: '090c', pid: '1000' },
    want: { status: 'registered', id: 'F' },
  },
  {
    name: 'generic serial, device without VID/PID: both rows fit, classes differ',
    device: { serial: '0123456789ABCDEF' },
    want: { status: 'unjudgeable', reason: /t\.yaml:13, t\.yaml:14.*different classes/ },
  },
  {
    name: 'device without VID/PID against a row with them: matched on the serial alone, said so',
    device: { serial: 'KING-0001' },
    want: { status: 'registered', id: 'A', matchedBy: 'serial', reason: /serial alone/ },
  },
  {
    name: 'two rows with the same serial and different classes',
    device: { serial: 'TWIN-1' },
    want: { status: 'unjudgeable', reason: /different classes/ },
  },
  {
    name: 'two rows with the same serial, one lost and one in use: the one in use',
    device: { serial: 'BOTH-1' },
    want: { status: 'registered', id: 'J', inUse: true },
  },
  {
    name: 'serialUnique false',
    device: { serial: '7&1a2b3c4d&0', serialUnique: false },
    want: { status: 'unjudgeable', reason: /not unique/ },
  },
  {
    name: 'a synthesised serial (second character &) even when marked unique',
    device: { serial: '7&1a2b3c4d&0&1', serialUnique: true },
    want: { status: 'unjudgeable', reason: /not unique/ },
  },
  {
    name: 'no serial',
    device: { serialUnique: false },
    want: { status: 'unjudgeable', reason: /no serial/ },
  },
];

describe('matchDevice', () => {
  it.each(cases)('$name', async ({ device, want }) => {
    const l = await load();
    const m = matchDevice(l, dev(device));
    expect(m.status).toBe(want.status);
    if (want.id !== undefined) expect(m.entry?.id).toBe(want.id);
    if (want.status !== 'registered') expect(m.entry).toBeUndefined();
    if (want.matchedBy !== undefined) expect(m.matchedBy).toBe(want.matchedBy);
    if (want.inUse !== undefined) expect(m.entry?.inUse).toBe(want.inUse);
    if (want.reason !== undefined) expect(m.reason).toMatch(want.reason);
    if (m.reason !== undefined) expect(m.reasonZh).toBeTruthy();
  });
});

describe('the match is a fact, not a verdict', () => {
  // Whether the row's class fits the machine is judged by the rules against the machine context:
  // test/engine/enrich.test.ts.
  it('the same device matches the same row whatever machine it was found on', async () => {
    const l = await load();
    const m = matchDevice(l, dev({ serial: 'RETIRED-9', vid: '090c', pid: '1000' }));
    expect(m.status).toBe('registered');
    expect(Object.keys(m)).not.toContain('crossClass');
  });

  it('the entry summary is JSON and names where the row is', async () => {
    const l = await load();
    const m = matchDevice(l, dev({ serial: 'KING-0001', vid: '0951', pid: '1666' }));
    expect(JSON.parse(JSON.stringify(m))).toEqual({
      status: 'registered',
      matchedBy: 'serial+ids',
      entry: { id: 'A', type: 'U盘', serial: 'KING-0001', class: 'classified', level: '机密', inUse: true, at: 't.yaml:9' },
    });
  });
});

describe('machineEntry', () => {
  it('by host name (any case, FQDN or not), machine id (braces, case), hardware serial', async () => {
    const l = await load();
    expect(machineEntry(l, { hostname: 'BM-PC-001' })?.id).toBe('PC-1');
    expect(machineEntry(l, { hostname: 'bm-pc-001.unit.local' })?.id).toBe('PC-1');
    expect(machineEntry(l, { hostname: 'NW-PC-002' })?.id).toBe('PC-2');
    expect(machineEntry(l, { machineId: '3f2a9c1e5b7d4e0f8a6b2c4d1e3f5a7b' })?.id).toBe('PC-2');
    expect(machineEntry(l, { hardwareSerial: 'pf1abcde' })?.id).toBe('PC-1');
    expect(l.entries.find((e) => e.id === 'PC-1')?.usbStorageAllowed).toBe(false);
  });

  it('a row whose hardware serial differs is another machine, whatever its host name', async () => {
    const l = await load();
    expect(machineEntry(l, { hostname: 'BM-PC-001', hardwareSerial: 'OTHER123' })).toBeUndefined();
  });

  it('a shared host name is ambiguous unless the serial decides', async () => {
    const l = await load();
    expect(machineEntry(l, { hostname: 'shared-name' })).toBeUndefined();
    expect(machineEntry(l, { hostname: 'shared-name', hardwareSerial: 'SER-4' })?.id).toBe('PC-4');
  });

  it('BIOS placeholder serials identify nothing', async () => {
    const l = await load();
    expect(machineEntry(l, { hardwareSerial: 'To be filled by O.E.M.' })).toBeUndefined();
    expect(machineEntry(l, { hostname: 'oem-box', hardwareSerial: 'Default string' })?.id).toBe('PC-5');
    expect(machineEntry(l, {})).toBeUndefined();
  });
});

describe('serial helpers', () => {
  it.each([
    ['aa04 0127-0001&0', 'AA0401270001'],
    ['AA0401270001&1', 'AA0401270001'],
    ['  ｋｉｎｇ－０００１ ', 'KING0001'], // full-width, as typed with a Chinese IME
    ['4C530001230925108261', '4C530001230925108261'],
  ])('serialKey(%s) = %s', (s, k) => {
    expect(serialKey(s)).toBe(k);
  });

  it('isSynthesizedSerial', () => {
    expect(isSynthesizedSerial('7&1a2b3c4d&0&1')).toBe(true);
    expect(isSynthesizedSerial('6&2F0B5E8&0')).toBe(true);
    expect(isSynthesizedSerial('AA04012700012345&0')).toBe(false);
  });
});
