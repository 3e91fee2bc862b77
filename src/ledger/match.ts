// Device ↔ ledger (台账) matching. A device is registered only when ONE ledger row accounts for the
// whole device: its serial, and the row's VID/PID when the row has them. (Matching attributes
// separately — an allowed vendor from one row and an allowed serial from another — lets an
// unregistered stick pass; this never does.)
import type { UsbDeviceRecord } from '../checks/usb/types.js';
import type { Profile } from '../engine/types.js';
import {
  type Ledger,
  type LedgerEntry,
  type LedgerLocation,
  type LedgerMatch,
  type LedgerMatchEntry,
} from './types.js';

import { serialKey } from '../engine/vocab.js';
export { serialKey };

/**
 * True for a serial Windows made up because the device reports none (or one it cannot trust): its
 * second character is `&` (`7&1a2b3c4d&0`). It differs between computers and ports, so it cannot be
 * matched to a ledger row.
 */
export function isSynthesizedSerial(serial: string): boolean {
  return serial.trim().charAt(1) === '&';
}

/** `0781`, `0x0781`, `VID_0781`, `0781h` → `0781`; undefined when not 4 hex digits. */
export function normalizeUsbId(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = v
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/^(?:vid|pid)[_:=\s]?/, '')
    .replace(/^0x/, '')
    .replace(/h$/, '');
  return /^[0-9a-f]{4}$/.test(s) ? s : undefined;
}

export function formatLocation(at: LedgerLocation): string {
  return `${at.file}${at.sheet !== undefined ? `[${at.sheet}]` : ''}${at.row > 0 ? `:${at.row}` : ''}`;
}

function summary(e: LedgerEntry): LedgerMatchEntry {
  return {
    id: e.id,
    type: e.type,
    ...(e.serial !== undefined ? { serial: e.serial } : {}),
    class: e.class,
    ...(e.level !== undefined ? { level: e.level } : {}),
    ...(e.owner !== undefined ? { owner: e.owner } : {}),
    ...(e.status !== undefined ? { status: e.status } : {}),
    inUse: e.inUse,
    at: formatLocation(e.at),
  };
}

const rowsOf = (es: LedgerEntry[]): string => es.map((e) => formatLocation(e.at)).join(', ');

function classLabel(c: Profile, level?: string): string {
  return level !== undefined ? `${c} (${level})` : c;
}

/**
 * How a USB device found on a machine stands against the ledger.
 *
 * - `unjudgeable` when the device has no serial, or Windows synthesised one (`serialUnique: false`,
 *   or second character `&`), or when several ledger rows fit it with different classes.
 * - `unregistered` when no media row has its serial, or every row with its serial has a VID/PID that
 *   differs from the device's (the reason then names the row: a typo, or a different device).
 * - `registered` otherwise, with the row; `entry.inUse` false (and a reason) when the row says the
 *   medium is retired, destroyed or lost. Whether its class fits the machine's is judged by the
 *   rules, against the machine context (src/engine/context.ts), not here.
 *
 * Only media rows are considered (not computer rows). When the ledger row has VID/PID but the device
 * record has none, the match rests on the serial alone (`matchedBy: 'serial'`, with a reason).
 */
export function matchDevice(ledger: Ledger, device: UsbDeviceRecord): LedgerMatch {
  const serial = device.serial?.trim();
  if (serial === undefined || serial === '') {
    return {
      status: 'unjudgeable',
      reason: 'the device reports no serial number, so it cannot be matched to a ledger row',
      reasonZh: '该设备无序列号，无法与台账逐条比对',
    };
  }
  if (!device.serialUnique || isSynthesizedSerial(serial)) {
    return {
      status: 'unjudgeable',
      reason: `the serial "${serial}" is not unique (made up by Windows for a device without a usable serial), so it cannot be matched to a ledger row`,
      reasonZh: `序列号"${serial}"不唯一（设备无可用序列号，由 Windows 生成），无法与台账比对`,
    };
  }
  const key = serialKey(serial);
  if (key === '') {
    return { status: 'unjudgeable', reason: `the serial "${serial}" is empty once normalised`, reasonZh: `序列号"${serial}"规范化后为空` };
  }
  const sameSerial = ledger.entries.filter((e) => !e.isComputer && e.serialKey === key);
  if (sameSerial.length === 0) {
    return { status: 'unregistered', reason: `no ledger row has the serial "${serial}"`, reasonZh: `台账中没有序列号为"${serial}"的介质` };
  }
  const dvid = normalizeUsbId(device.vid);
  const dpid = normalizeUsbId(device.pid);
  const agrees = (e: LedgerEntry): boolean =>
    (e.vid === undefined || dvid === undefined || e.vid === dvid) && (e.pid === undefined || dpid === undefined || e.pid === dpid);
  const fits = sameSerial.filter(agrees);
  if (fits.length === 0) {
    const e = sameSerial[0]!;
    const ids = `${e.vid ?? '?'}:${e.pid ?? '?'}`;
    const dids = `${dvid ?? '?'}:${dpid ?? '?'}`;
    return {
      status: 'unregistered',
      reason: `ledger row ${rowsOf(sameSerial)} has the serial "${serial}" but VID:PID ${ids}; this device is ${dids}: a different device with the same serial (or a mistake in the ledger)`,
      reasonZh: `台账第 ${rowsOf(sameSerial)} 行序列号相同，但 VID:PID 为 ${ids}，本设备为 ${dids}：是另一设备（或台账填写有误）`,
    };
  }
  const inUse = fits.filter((e) => e.inUse);
  const chosen = inUse.length > 0 ? inUse : fits;
  const classes = new Set(chosen.map((e) => classLabel(e.class, e.level)));
  if (classes.size > 1) {
    return {
      status: 'unjudgeable',
      reason: `ledger rows ${rowsOf(chosen)} all fit this device but give different classes (${[...classes].join(', ')})`,
      reasonZh: `台账第 ${rowsOf(chosen)} 行都与该设备相符，但密级不同（${[...classes].join('、')}）`,
    };
  }
  const e = chosen[0]!;
  const compared = (e.vid !== undefined && dvid !== undefined) || (e.pid !== undefined && dpid !== undefined);
  const notes: string[] = [];
  const notesZh: string[] = [];
  if (!e.inUse) {
    notes.push(`the ledger row says "${e.status ?? ''}": registered, but not in use`);
    notesZh.push(`台账记载为"${e.status ?? ''}"：已登记，但不应在用`);
  }
  if (!compared && (e.vid !== undefined || e.pid !== undefined)) {
    notes.push('the device record has no VID/PID to compare with the ledger row: matched on the serial alone');
    notesZh.push('设备记录无 VID/PID，仅按序列号比对');
  }
  if (chosen.length > 1) {
    notes.push(`also fits ledger rows ${rowsOf(chosen.slice(1))}`);
    notesZh.push(`同时与台账第 ${rowsOf(chosen.slice(1))} 行相符`);
  }
  return {
    status: 'registered',
    entry: summary(e),
    matchedBy: compared ? 'serial+ids' : 'serial',
    ...(notes.length > 0 ? { reason: notes.join('; '), reasonZh: notesZh.join('；') } : {}),
  };
}

/** Hardware serials that identify nothing (BIOS placeholders). */
const PLACEHOLDER_SERIALS = new Set([
  'TOBEFILLEDBYO.E.M.',
  'DEFAULTSTRING',
  'SYSTEMSERIALNUMBER',
  'CHASSISSERIALNUMBER',
  'NONE',
  'N/A',
  'NA',
  'NULL',
  '0',
  '00000000',
  '0000000000',
  '123456789',
  '0123456789',
  '1234567890',
  'INVALID',
  'NOTAPPLICABLE',
  'NOTSPECIFIED',
  'OEM',
]);

function hwKey(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const k = serialKey(s);
  return k === '' || PLACEHOLDER_SERIALS.has(k) ? undefined : k;
}

function idKey(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const k = s.normalize('NFKC').trim().toLowerCase().replace(/[{}\-\s]/g, '');
  return k === '' ? undefined : k;
}

function hostKey(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const k = s.normalize('NFKC').trim().toLowerCase();
  return k === '' ? undefined : k;
}

function hostsEqual(a: string, b: string): boolean {
  if (a === b) return true;
  // `pc-01` and `pc-01.corp.local`: compare the first label when only one side is qualified.
  if (a.includes('.') !== b.includes('.')) return a.split('.')[0] === b.split('.')[0];
  return false;
}

/**
 * The computer row for the machine being inspected. A row is a candidate when none of its
 * identifiers contradicts the machine's (a row with another hardware serial is another machine,
 * whatever its host name). Among candidates: a hardware-serial match wins, then a machine-id match,
 * then a host-name match; undefined when nothing matches or the match is ambiguous (two rows).
 * BIOS placeholder serials ("To be filled by O.E.M.", "Default string") are ignored.
 */
export function machineEntry(
  ledger: Ledger,
  identity: { hostname?: string; machineId?: string; hardwareSerial?: string },
): LedgerEntry | undefined {
  return machineRow(ledger, identity)?.entry;
}

/** `machineEntry`, and by which identifier the row was chosen. */
export function machineRow(
  ledger: Ledger,
  identity: { hostname?: string; machineId?: string; hardwareSerial?: string },
): { entry: LedgerEntry; by: 'hardwareSerial' | 'machineId' | 'hostname' } | undefined {
  const hs = hwKey(identity.hardwareSerial);
  const mid = idKey(identity.machineId);
  const host = hostKey(identity.hostname);
  const candidates = ledger.entries.filter((e) => {
    if (!e.isComputer) return false;
    const es = hwKey(e.serial);
    const em = idKey(e.machineId);
    const eh = hostKey(e.hostname);
    if (hs !== undefined && es !== undefined && es !== hs) return false;
    if (mid !== undefined && em !== undefined && em !== mid) return false;
    if (host !== undefined && eh !== undefined && !hostsEqual(host, eh)) return false;
    return (
      (hs !== undefined && es === hs) || (mid !== undefined && em === mid) || (host !== undefined && eh !== undefined && hostsEqual(host, eh))
    );
  });
  const pick = (pred: (e: LedgerEntry) => boolean): LedgerEntry | undefined | null => {
    const found = candidates.filter(pred);
    if (found.length === 1) return found[0];
    if (found.length > 1) return null; // ambiguous
    return undefined;
  };
  const ways: Array<['hardwareSerial' | 'machineId' | 'hostname', (e: LedgerEntry) => boolean]> = [
    ['hardwareSerial', (e) => hs !== undefined && hwKey(e.serial) === hs],
    ['machineId', (e) => mid !== undefined && idKey(e.machineId) === mid],
    ['hostname', () => true],
  ];
  for (const [by, pred] of ways) {
    const r = pick(pred);
    if (r === null) return undefined;
    if (r !== undefined) return { entry: r, by };
  }
  return undefined;
}
