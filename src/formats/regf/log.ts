/**
 * Registry transaction-log replay: what Windows does when it loads a hive whose base block is dirty.
 *
 * Two log formats exist (see M. Suhanov, "Windows registry file format specification", section
 * "Format of transaction log files"; this is an independent implementation):
 *
 * - **new** (Windows 8.1 and later, file type 6): a copy of the base block in the first 512 bytes, then
 *   `HvLE` log entries at 512-byte boundaries. Each entry carries a sequence number, the hive-bins data
 *   size at the time, a list of (offset, size) dirty-page references and the pages, and two Marvin32
 *   hashes (of the entry header and of the rest). A log's entries are valid while their sequence
 *   numbers run on from the log's base block without a gap and their hashes verify.
 * - **old** (before 8.1, file type 1 or 2, `.LOG` on XP, `.LOG1/.LOG2` on Vista/7): the base-block copy,
 *   a `DIRT` vector at 512 (one bit per 512-byte page of the hive bins) and the dirty pages in bit order.
 *
 * Replay never modifies its inputs: it copies the primary file into a new buffer, applies the
 * selected entries, writes the applied sequence number (to both sequence fields), the hive-bins
 * data size, file type 0 and a fresh checksum into the base block, and returns the buffer for
 * {@link Hive.open}. Every length and offset read from a log is checked against its buffer and
 * against the budget; the work is linear in the size of the logs.
 */
import { HBIN_START } from './constants.js';
import { marvin32 } from './marvin.js';

/** Format of a transaction log file. */
export type LogFormat = 'new' | 'old';

/** One log file given to {@link replayTransactionLogs}: its name (for messages) and bytes. */
export interface LogFileInput {
  name: string;
  data: Uint8Array;
}

/** Limits of {@link replayTransactionLogs}. */
export interface ReplayOptions {
  /** Largest hive a log may grow the primary to (bytes, base block included; default 1 GiB). */
  maxHiveBytes?: number;
  /** Most log entries applied in total (default 1,000,000). */
  maxEntries?: number;
  /** Logs longer than this are refused (default 1 GiB). */
  maxLogBytes?: number;
}

/** A log file that contributed to the replay. */
export interface AppliedLog {
  name: string;
  format: LogFormat;
  /** Log entries applied (old format: 1 — the whole dirty vector). */
  entries: number;
  /** Pages written (new format: dirty-page references; old format: 512-byte pages). */
  pages: number;
  /** Sequence numbers of the first and last entries applied (new format). */
  firstSequence?: number;
  lastSequence?: number;
}

/**
 * A problem with one log file. `damage` is true when the log holds (or claims to hold) newer changes
 * that could not be applied — a corrupt entry where the next one was expected, a truncated dirty-page
 * area, a gap between the two logs — as opposed to a log that is simply stale or empty.
 */
export interface LogProblem {
  name: string;
  reason: string;
  damage: boolean;
}

/** Outcome of {@link replayTransactionLogs}. */
export interface ReplayResult {
  /** The primary file needed replay: sequence numbers differ or the base-block checksum is wrong. */
  dirty: boolean;
  /** Some log data was applied; {@link ReplayResult.bytes} then holds the recovered hive. */
  replayed: boolean;
  /** The recovered hive (a new buffer; the inputs are never modified). */
  bytes?: Buffer;
  /** Logs applied, in the order applied. */
  applied: AppliedLog[];
  /** Total log entries applied. */
  entries: number;
  /** The primary's sequence numbers before, and the one written after replay. */
  primarySequence: number;
  secondarySequence: number;
  finalSequence?: number;
  /** Hive-bins data size before and after. */
  hiveBinsDataSizeBefore: number;
  hiveBinsDataSizeAfter?: number;
  /** The primary's base block was invalid and was taken from a log. */
  baseBlockRecovered: boolean;
  /** Why a log was not used or not used in full. */
  problems: LogProblem[];
  /** True when some problem is damage (newest changes may be missing even after replay). */
  damaged: boolean;
}

/** Decoded base block of a log file (or of a primary), as far as replay needs it. */
export interface LogBaseBlock {
  primarySequence: number;
  secondarySequence: number;
  lastWrittenLow: number;
  lastWrittenHigh: number;
  minorVersion: number;
  fileType: number;
  rootCellOffset: number;
  hiveBinsDataSize: number;
  clusteringFactor: number;
  checksumValid: boolean;
}

/** One `HvLE` entry of a new-format log, as found by {@link readLogEntries}. */
export interface LogEntryInfo {
  /** Offset of the entry in the log file. */
  offset: number;
  size: number;
  flags: number;
  sequence: number;
  hiveBinsDataSize: number;
  /** Dirty pages: offset relative to the hive bins, size, and where the bytes sit in the log file. */
  pages: Array<{ offset: number; size: number; at: number }>;
}

/** Entries of one log file and why the list ended. */
export interface LogEntries {
  entries: LogEntryInfo[];
  /** Why reading stopped: a normal end (no further entry, a stale one) or a defect. */
  end: string;
  /** The end is a defect of the entry that should have come next (bad hash, impossible size, …). */
  damaged: boolean;
}

const LOG_HEADER = 512;
const SECTOR = 512;
const PAGE = 4096;
const GIB = 1024 * 1024 * 1024;

/** XOR-32 checksum of the first 508 bytes as Windows stores it (0 and 0xffffffff are remapped). */
export function baseBlockChecksum(buf: Uint8Array): number {
  const dv = new DataView(buf.buffer, buf.byteOffset, 508);
  let x = 0;
  for (let i = 0; i < 508; i += 4) x ^= dv.getUint32(i, true);
  x >>>= 0;
  if (x === 0xffffffff) return 0xfffffffe;
  if (x === 0) return 1;
  return x;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

function sig(b: Uint8Array, at: number, s: string): boolean {
  if (at < 0 || at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** `a` comes at or after `b` in 32-bit sequence-number order (wrap-around aware). */
function seqAtLeast(a: number, b: number): boolean {
  return ((a - b) >>> 0) < 0x80000000;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * Decode a base block (of a primary or a log). Returns `undefined` when there is no `regf` signature
 * or fewer than 512 bytes.
 */
export function readBaseBlock(b: Uint8Array): LogBaseBlock | undefined {
  if (b.length < LOG_HEADER || !sig(b, 0, 'regf')) return undefined;
  return {
    primarySequence: u32(b, 4),
    secondarySequence: u32(b, 8),
    lastWrittenLow: u32(b, 12),
    lastWrittenHigh: u32(b, 16),
    minorVersion: u32(b, 24),
    fileType: u32(b, 28),
    rootCellOffset: u32(b, 36),
    hiveBinsDataSize: u32(b, 40),
    clusteringFactor: u32(b, 44),
    checksumValid: baseBlockChecksum(b) === u32(b, 508),
  };
}

/** Format of a log file from its base block, or `undefined` when it is not a usable log. */
export function logFormat(bb: LogBaseBlock): LogFormat | undefined {
  if (bb.fileType === 6) return 'new';
  if (bb.fileType === 1 || bb.fileType === 2) return 'old';
  return undefined;
}

/**
 * The `HvLE` entries of a new-format log whose sequence numbers run on from the log's base block
 * (`firstSequence`) without a gap, each fully validated (size, hashes, hive-bins size, page list)
 * before it is listed. Reading stops at the first entry that is absent, stale or invalid.
 */
export function readLogEntries(log: Uint8Array, firstSequence: number, opts: { maxHiveBytes?: number; maxEntries?: number } = {}): LogEntries {
  const maxHive = opts.maxHiveBytes ?? GIB;
  const maxEntries = opts.maxEntries ?? 1_000_000;
  const entries: LogEntryInfo[] = [];
  let expected = firstSequence >>> 0;
  let o = LOG_HEADER;
  // Some writers put the first entry at the second *sector* of a large-sector disk.
  if (!sig(log, o, 'HvLE')) {
    const cf = log.length >= 48 ? u32(log, 44) : 1;
    if (cf > 1 && cf <= 64 && sig(log, cf * SECTOR, 'HvLE')) o = cf * SECTOR;
  }
  const stop = (end: string, damaged: boolean): LogEntries => ({ entries, end, damaged });
  while (true) {
    if (entries.length >= maxEntries) return stop(`entry limit of ${maxEntries} reached`, true);
    if (o + 40 > log.length) return stop(entries.length ? 'end of file' : 'no log entries', false);
    if (!sig(log, o, 'HvLE')) return stop(entries.length ? `no further entry at ${hex(o)}` : 'no log entries', false);
    const size = u32(log, o + 4);
    const seq = u32(log, o + 12);
    const where = `entry ${seq} at ${hex(o)}`;
    // An entry with another sequence number is an older one left in the file (already applied): a
    // normal end. Only the entry that should come next can be damage.
    if (seq !== expected) {
      return stop(entries.length ? `next entry has sequence ${seq}, not ${expected} (stale)` : `first entry has sequence ${seq}, not the log's ${expected}`, false);
    }
    if (size < SECTOR || size % SECTOR !== 0) return stop(`${where}: invalid size ${size}`, true);
    if (o + size > log.length) return stop(`${where}: truncated (${size} bytes declared, ${log.length - o} present)`, true);
    const [h1lo, h1hi] = marvin32(log, o + 40, o + size);
    const [h2lo, h2hi] = marvin32(log, o, o + 32);
    if (h2lo !== u32(log, o + 32) || h2hi !== u32(log, o + 36)) return stop(`${where}: header hash (Hash-2) mismatch`, true);
    if (h1lo !== u32(log, o + 24) || h1hi !== u32(log, o + 28)) return stop(`${where}: data hash (Hash-1) mismatch`, true);
    const flags = u32(log, o + 8);
    const hbs = u32(log, o + 16);
    if (hbs === 0 || hbs % PAGE !== 0) return stop(`${where}: invalid hive bins data size ${hex(hbs)}`, true);
    if (HBIN_START + hbs > maxHive) return stop(`${where}: hive bins data size ${hex(hbs)} over the budget of ${maxHive} bytes`, true);
    const count = u32(log, o + 20);
    if (count === 0 || 40 + count * 8 > size) return stop(`${where}: invalid dirty page count ${count}`, true);
    const pages: LogEntryInfo['pages'] = [];
    let at = o + 40 + count * 8;
    let bad: string | undefined;
    for (let i = 0; i < count; i++) {
      const pOff = u32(log, o + 40 + i * 8);
      const pSize = u32(log, o + 44 + i * 8);
      if (pSize === 0 || pOff % SECTOR !== 0 || pOff + pSize > hbs) {
        bad = `page ${i} (offset ${hex(pOff)}, size ${pSize}) outside the hive bins (${hex(hbs)})`;
        break;
      }
      if (at + pSize > o + size) {
        bad = `page ${i} runs past the end of the entry`;
        break;
      }
      pages.push({ offset: pOff, size: pSize, at });
      at += pSize;
    }
    if (bad) return stop(`${where}: ${bad}`, true);
    entries.push({ offset: o, size, flags, sequence: seq, hiveBinsDataSize: hbs, pages });
    expected = (expected + 1) >>> 0;
    o += size;
  }
}

interface NewLog {
  name: string;
  bb: LogBaseBlock;
  data: Uint8Array;
  read: LogEntries;
}

interface Plan {
  /** Entries to apply, in order, with the log they come from. */
  steps: Array<{ log: NewLog; entry: LogEntryInfo }>;
  applied: AppliedLog[];
}

function newFormatPlan(primary: LogBaseBlock, logs: NewLog[], baseRecovered: boolean, problems: LogProblem[]): Plan {
  // Windows applies the log whose base block has the lower sequence number first, then the other
  // when its entries continue the first one's.
  const ordered = [...logs].sort((a, b) => (a.bb.primarySequence === b.bb.primarySequence ? 0 : seqAtLeast(a.bb.primarySequence, b.bb.primarySequence) ? 1 : -1));
  const steps: Plan['steps'] = [];
  const applied: AppliedLog[] = [];
  // With a sound primary base block, entries from its secondary sequence number on are new. A gap
  // between that number and the first log entry is normal: a partial reconcile writes pages to the
  // primary without updating its base block.
  let next: number | undefined = baseRecovered ? undefined : primary.secondarySequence;
  let last: number | undefined;
  // With a recovered base block, only the newest log is used (as Windows does).
  const use = baseRecovered ? ordered.slice(-1) : ordered;
  // A log that ended on a defect: the newest changes may be missing, unless the next log goes on
  // from the same sequence number (the defective entry was then superseded).
  let pending: LogProblem | undefined;
  for (const log of use) {
    const fresh = log.read.entries.filter((e) => next === undefined || seqAtLeast(e.sequence, next));
    if (fresh.length > 0 && last !== undefined && fresh[0]!.sequence !== ((last + 1) >>> 0)) {
      problems.push({ name: log.name, reason: `its entries start at sequence ${fresh[0]!.sequence}, not ${(last + 1) >>> 0}: not applied (entries in between are missing)`, damage: true });
      break;
    }
    if (fresh.length > 0 && pending) {
      pending.damage = false;
      pending.reason += ` (superseded: ${log.name} goes on from sequence ${fresh[0]!.sequence})`;
    }
    pending = undefined;
    if (log.read.damaged) {
      // Only a defect where a new entry was due matters; one in a stale log does not.
      const due = (log.bb.primarySequence + log.read.entries.length) >>> 0;
      const matters = next === undefined || seqAtLeast(due, next);
      pending = { name: log.name, reason: `replay stopped at ${log.read.end}${log.read.entries.length ? ` after ${log.read.entries.length} valid entries` : ''}`, damage: matters };
      problems.push(pending);
    }
    if (fresh.length === 0) {
      if (!log.read.damaged) {
        const n = log.read.entries.length;
        problems.push({ name: log.name, reason: n ? `${n} entries, all already in the primary file (sequence ${log.read.entries[0]!.sequence}–${log.read.entries[n - 1]!.sequence} < ${next})` : log.read.end, damage: false });
      }
      continue;
    }
    for (const entry of fresh) steps.push({ log, entry });
    applied.push({
      name: log.name,
      format: 'new',
      entries: fresh.length,
      pages: fresh.reduce((n, e) => n + e.pages.length, 0),
      firstSequence: fresh[0]!.sequence,
      lastSequence: fresh[fresh.length - 1]!.sequence,
    });
    last = fresh[fresh.length - 1]!.sequence;
    next = (last + 1) >>> 0;
  }
  return { steps, applied };
}

/** A new buffer of `length` bytes holding `src` and zeros after it (no zero-fill of the copied part). */
function copyInto(src: Uint8Array, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  const n = Math.min(src.length, length);
  out.set(src.subarray(0, n));
  out.fill(0, n);
  return out;
}

function finishBaseBlock(out: Buffer, seq: number, hbs: number): void {
  put32(out, 4, seq);
  put32(out, 8, seq);
  put32(out, 28, 0);
  put32(out, 40, hbs);
  put32(out, 508, baseBlockChecksum(out));
}

/**
 * Replay the transaction logs of a dirty hive. `logs` are the candidate files beside it (`.LOG1`,
 * `.LOG2`, and `.LOG` for XP-era hives), in any order; the format and order are decided from their
 * base blocks, as Windows does. A clean primary is returned untouched (`dirty: false`); a dirty one
 * with no usable log gives `replayed: false` and the reasons in `problems`. Never throws on bad data.
 */
export function replayTransactionLogs(primaryData: Uint8Array, logs: readonly LogFileInput[], options: ReplayOptions = {}): ReplayResult {
  const maxHive = options.maxHiveBytes ?? GIB;
  const maxLog = options.maxLogBytes ?? GIB;
  const primary = readBaseBlock(primaryData);
  const problems: LogProblem[] = [];
  const result = (extra: Partial<ReplayResult>): ReplayResult => ({
    dirty: true,
    replayed: false,
    applied: [],
    entries: 0,
    primarySequence: primary?.primarySequence ?? 0,
    secondarySequence: primary?.secondarySequence ?? 0,
    hiveBinsDataSizeBefore: primary?.hiveBinsDataSize ?? 0,
    baseBlockRecovered: false,
    problems,
    damaged: problems.some((p) => p.damage),
    ...extra,
  });
  if (!primary || primaryData.length < HBIN_START) {
    problems.push({ name: '(primary)', reason: 'not a registry hive', damage: true });
    return result({ damaged: true });
  }
  const dirty = primary.primarySequence !== primary.secondarySequence || !primary.checksumValid;
  if (!dirty) return result({ dirty: false });

  const newLogs: NewLog[] = [];
  const oldLogs: Array<{ name: string; bb: LogBaseBlock; data: Uint8Array }> = [];
  for (const l of logs) {
    const d = l.data;
    if (d.length === 0) {
      problems.push({ name: l.name, reason: 'empty', damage: false });
      continue;
    }
    if (d.length > maxLog) {
      problems.push({ name: l.name, reason: `larger than the budget of ${maxLog} bytes`, damage: true });
      continue;
    }
    const bb = readBaseBlock(d);
    if (!bb) {
      problems.push({ name: l.name, reason: 'not a transaction log (no regf base block)', damage: true });
      continue;
    }
    const fmt = logFormat(bb);
    if (!fmt) {
      problems.push({ name: l.name, reason: `not a transaction log (file type ${bb.fileType})`, damage: true });
      continue;
    }
    if (!bb.checksumValid || bb.primarySequence !== bb.secondarySequence) {
      problems.push({ name: l.name, reason: `its base block is ${bb.checksumValid ? 'itself dirty (sequence numbers differ)' : 'corrupt (checksum mismatch)'}: the log was not completely written`, damage: true });
      continue;
    }
    if (fmt === 'new') newLogs.push({ name: l.name, bb, data: d, read: readLogEntries(d, bb.primarySequence, { maxHiveBytes: maxHive, ...(options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {}) }) });
    else oldLogs.push({ name: l.name, bb, data: d });
  }

  const baseRecovered = !primary.checksumValid;
  if (newLogs.length > 0) {
    const plan = newFormatPlan(primary, newLogs, baseRecovered, problems);
    for (const o of oldLogs) problems.push({ name: o.name, reason: 'old-format log beside new-format logs: not used', damage: false });
    if (plan.steps.length === 0) return result({ damaged: problems.some((p) => p.damage) });
    let maxHbs = 0;
    for (const s of plan.steps) maxHbs = Math.max(maxHbs, s.entry.hiveBinsDataSize);
    const out = copyInto(primaryData, Math.max(primaryData.length, HBIN_START + maxHbs));
    if (baseRecovered) {
      // Take the base block from the log that is applied.
      const src = plan.steps[0]!.log.data;
      out.fill(0, 0, HBIN_START);
      out.set(src.subarray(0, LOG_HEADER), 0);
    }
    let flags = u32(out, 144);
    for (const { log, entry } of plan.steps) {
      for (const p of entry.pages) out.set(log.data.subarray(p.at, p.at + p.size), HBIN_START + p.offset);
      flags = ((flags & ~1) | (entry.flags & 1)) >>> 0;
    }
    const lastStep = plan.steps[plan.steps.length - 1]!;
    const lastLog = lastStep.log.bb;
    // Fields a later log base block carries for the hive as it was when the entries were written.
    put32(out, 12, lastLog.lastWrittenLow);
    put32(out, 16, lastLog.lastWrittenHigh);
    put32(out, 36, lastLog.rootCellOffset);
    put32(out, 144, flags);
    const finalHbs = lastStep.entry.hiveBinsDataSize;
    finishBaseBlock(out, lastStep.entry.sequence, finalHbs);
    // The buffer ends where the hive bins end when the log grew the hive; otherwise keep the padding.
    const bytes = out.length > HBIN_START + finalHbs && out.length > primaryData.length ? out.subarray(0, HBIN_START + finalHbs) : out;
    return result({
      replayed: true,
      bytes,
      applied: plan.applied,
      entries: plan.steps.length,
      finalSequence: lastStep.entry.sequence,
      hiveBinsDataSizeAfter: finalHbs,
      baseBlockRecovered: baseRecovered,
      damaged: problems.some((p) => p.damage),
    });
  }

  if (oldLogs.length > 0) return replayOld(primaryData, primary, oldLogs, maxHive, problems, result);
  if (logs.length === 0) problems.push({ name: '(none)', reason: 'no transaction log beside the hive', damage: true });
  return result({ damaged: true });
}

function replayOld(
  primaryData: Uint8Array,
  primary: LogBaseBlock,
  logs: Array<{ name: string; bb: LogBaseBlock; data: Uint8Array }>,
  maxHive: number,
  problems: LogProblem[],
  result: (extra: Partial<ReplayResult>) => ReplayResult,
): ReplayResult {
  const stamp = (b: LogBaseBlock): bigint => (BigInt(b.lastWrittenHigh) << 32n) | BigInt(b.lastWrittenLow);
  // A log applies when it was written for this state of the primary: not older than it.
  const eligible = logs.filter((l) => {
    if (!primary.checksumValid || stamp(l.bb) >= stamp(primary)) return true;
    problems.push({ name: l.name, reason: 'written before the primary file\'s last write: already applied', damage: false });
    return false;
  });
  eligible.sort((a, b) => (a.bb.primarySequence === b.bb.primarySequence ? 0 : seqAtLeast(a.bb.primarySequence, b.bb.primarySequence) ? -1 : 1));
  for (const log of eligible) {
    const d = log.data;
    const hbs = log.bb.hiveBinsDataSize;
    const fail = (reason: string): void => {
      problems.push({ name: log.name, reason, damage: true });
    };
    if (hbs === 0 || hbs % PAGE !== 0 || HBIN_START + hbs > maxHive) {
      fail(`invalid hive bins data size ${hex(hbs)}`);
      continue;
    }
    let dirt = LOG_HEADER;
    if (!sig(d, dirt, 'DIRT')) {
      const cf = log.bb.clusteringFactor;
      if (cf > 1 && cf <= 64 && sig(d, cf * SECTOR, 'DIRT')) dirt = cf * SECTOR;
      else {
        fail('no DIRT dirty vector at offset 512');
        continue;
      }
    }
    const bits = hbs / SECTOR;
    const bitmapBytes = bits / 8;
    if (dirt + 4 + bitmapBytes > d.length) {
      fail(`truncated dirty vector (${bitmapBytes} bytes needed)`);
      continue;
    }
    const pagesStart = Math.ceil((dirt + 4 + bitmapBytes) / SECTOR) * SECTOR;
    let count = 0;
    for (let i = 0; i < bitmapBytes; i++) {
      let v = d[dirt + 4 + i]!;
      while (v) {
        count += v & 1;
        v >>>= 1;
      }
    }
    if (count === 0) {
      fail('dirty vector marks no page');
      continue;
    }
    if (pagesStart + count * SECTOR > d.length) {
      fail(`truncated: ${count} dirty pages marked, ${Math.max(0, Math.floor((d.length - pagesStart) / SECTOR))} present`);
      continue;
    }
    const out = copyInto(primaryData, Math.max(primaryData.length, HBIN_START + hbs));
    if (!primary.checksumValid) out.set(d.subarray(0, LOG_HEADER), 0);
    // Write the pages; runs of dirty pages that begin a hive bin must carry that bin's header.
    let k = 0;
    let badBin: string | undefined;
    for (let bit = 0; bit < bits && !badBin; bit++) {
      if (!((d[dirt + 4 + (bit >>> 3)]! >>> (bit & 7)) & 1)) continue;
      const src = pagesStart + k * SECTOR;
      const rel = bit * SECTOR;
      if (rel % PAGE === 0 && sig(d, src, 'hbin') && u32(d, src + 4) !== rel) badBin = `dirty hive bin at ${hex(rel)} says it is at ${hex(u32(d, src + 4))}`;
      out.set(d.subarray(src, src + SECTOR), HBIN_START + rel);
      k++;
    }
    if (badBin) {
      fail(`invalid dirty hive bin: ${badBin}`);
      continue;
    }
    put32(out, 12, log.bb.lastWrittenLow);
    put32(out, 16, log.bb.lastWrittenHigh);
    put32(out, 36, log.bb.rootCellOffset);
    const seq = primary.checksumValid ? primary.primarySequence : log.bb.primarySequence;
    finishBaseBlock(out, seq, hbs);
    for (const other of eligible) if (other !== log) problems.push({ name: other.name, reason: `not needed: ${log.name} was applied`, damage: false });
    return result({
      replayed: true,
      bytes: out,
      applied: [{ name: log.name, format: 'old', entries: 1, pages: count }],
      entries: 1,
      finalSequence: seq,
      hiveBinsDataSizeAfter: hbs,
      baseBlockRecovered: !primary.checksumValid,
      damaged: problems.some((p) => p.damage),
    });
  }
  return result({ damaged: true });
}
