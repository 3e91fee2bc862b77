/**
 * Fuzz test of the regf reader: seeded, reproducible mutations of real corpus hives (bit flips,
 * overwritten record fields with hostile values, random spans, header damage, truncation). For every
 * mutated hive, open + bounded full walk + decoding of every value must either succeed or throw
 * HiveError — any other exception (RangeError, TypeError, …) fails — and finish within a time bound.
 *
 * Reproduce one case: BAOMI_FUZZ_SEED=<seed> BAOMI_FUZZ_CASES=<n> npx vitest run test/formats/regf.fuzz.test.ts
 */
import { describe, expect, it } from 'vitest';
import { HBIN_START, Hive, HiveError, keyToJson, type RegKey } from '../../src/formats/regf.js';
import { loadHiveBytes } from './_regfile.js';

const SEED = Number(process.env['BAOMI_FUZZ_SEED'] ?? 0x5eed2024);
const CASES = Number(process.env['BAOMI_FUZZ_CASES'] ?? 2000);
/** Per-case time bound (ms). A clean walk of these hives takes a few ms. */
const CASE_LIMIT_MS = 1500;

/** mulberry32: small, fast, seedable PRNG returning uint32. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

interface Target {
  label: string;
  /** Private mutable copy; every case restores the bytes it changed. */
  bytes: Buffer;
  root: number;
  /** Relative offsets of the cells that hold structure: keys, values, lists, data. */
  cells: number[];
  keys: number[];
  /** Keys and values of the clean (re-rooted) hive. */
  clean: { keys: number; values: number };
}

/**
 * A corpus hive whose base block is made to point at `rootPath` (re-rooting, with the checksum fixed),
 * so that a full walk covers one real subtree of a few hundred keys: this keeps each case cheap
 * while the structures stay real (lf/lh/ri lists, db big data, device properties, Latin-1 names).
 */
function prepare(name: string, rootPath: string): Target {
  const bytes = Buffer.from(loadHiveBytes(name));
  const start = Hive.open(bytes).getKey(rootPath);
  if (!start) throw new Error(`${name}: no ${rootPath}`);
  bytes.writeUInt32LE(start.offset, 36);
  let x = 0;
  for (let i = 0; i < 508; i += 4) x ^= bytes.readUInt32LE(i);
  bytes.writeUInt32LE(x >>> 0 || 1, 508);
  const hive = Hive.open(bytes);
  const cells = new Set<number>();
  const keys: number[] = [];
  let values = 0;
  for (const k of hive.walk()) {
    keys.push(k.offset);
    cells.add(k.offset);
    if (k.subkeyCount > 0) cells.add(k.subkeyListOffset);
    if (k.valueCount > 0) cells.add(k.valueListOffset);
    for (const v of k.values()) {
      values++;
      cells.add(v.offset);
      if (!v.dataInline && v.dataSize > 0) {
        cells.add(v.dataOffset);
        const d = HBIN_START + v.dataOffset + 4;
        if (v.dataSize > 16344 && bytes.toString('latin1', d, d + 2) === 'db') cells.add(bytes.readUInt32LE(d + 4));
      }
    }
  }
  return { label: `${name}:${rootPath || '\\'}`, bytes, root: hive.header.rootCellOffset, cells: [...cells], keys, clean: { keys: keys.length, values } };
}

/** Open, walk everything (bounded), decode everything. Throws whatever the reader throws. */
function exercise(buf: Buffer): { keys: number; values: number; errors: number } {
  const hive = Hive.open(buf, { name: 'fuzz' });
  let keys = 0;
  let values = 0;
  let errors = 0;
  const walked: RegKey[] = [];
  for (const k of hive.walk(undefined, { maxKeys: 200_000 })) {
    walked.push(k);
    keys++;
    k.lastWrite;
    k.className();
    for (const v of k.values()) {
      values++;
      v.typeName;
      try {
        v.data;
        v.deviceProperty();
      } catch (e) {
        if (!(e instanceof HiveError)) throw e;
        errors++;
      }
    }
  }
  for (const k of walked) {
    for (const e of k.errors) if (!(e instanceof HiveError)) throw new Error(`non-HiveError recorded: ${String(e)}`);
    errors += k.errors.length;
  }
  hive.getKey('CurrentControlSet\\Enum\\USBSTOR');
  hive.getKey('Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs');
  hive.currentControlSet();
  JSON.stringify(keyToJson(hive.root()));
  if (walked.length > 0) JSON.stringify(keyToJson(walked[Math.min(5, walked.length - 1)]!, { recursive: true, maxDepth: 3 }));
  walked[walked.length - 1]?.parent();
  return { keys, values, errors };
}

const SPECIAL32 = [0, 1, 4, 8, 0x20, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0x80000004, 0x80000008, 0xfffffff8, 0xffffffff, 0x00ffffff, 0x3fd8, 0x3fd9];

describe('regf fuzz (seeded mutations of corpus hives)', () => {
  it(`${CASES} mutated hives: only HiveError, never a hang (seed 0x${SEED.toString(16)})`, () => {
    const targets = [
      prepare('plaso-xp-NTUSER.DAT', 'Software\\Microsoft\\Windows'), // XP format 1.3, lf, Latin-1 names, 19 KB one-cell value
      prepare('win10-SYSTEM_B', 'ControlSet001\\Control\\DeviceContainers'), // lh, device properties, db big data
      prepare('win7-SYSTEM', 'ControlSet001\\Control\\Session Manager'), // lh, 56 KB db value
      prepare('win7-SYSTEM', 'ControlSet001\\Control\\CriticalDeviceDatabase'), // ri index root, 2549 keys
      prepare('plaso-xp-NTUSER.DAT', ''), // a whole hive (1127 keys)
    ];
    // Case mix per 40 cases: 14, 12, 12, 1, 1 (the last two targets are 5–10× costlier to walk).
    const mix = [...Array<number>(14).fill(0), ...Array<number>(12).fill(1), ...Array<number>(12).fill(2), 3, 4];
    const rnd = prng(SEED);
    const pick = <T,>(a: readonly T[]): T => a[rnd() % a.length]!;
    const failures: string[] = [];
    const outcomes = { clean: 0, partial: 0, rejected: 0 };
    const codes = new Map<string, number>();
    let slowest = 0;
    const t0 = performance.now();

    for (let c = 0; c < CASES; c++) {
      const t = targets[mix[c % mix.length]!]!;
      const buf = t.bytes;
      const undo: Array<[number, number]> = [];
      const put8 = (pos: number, v: number): void => {
        if (pos < 0 || pos >= buf.length) return;
        undo.push([pos, buf[pos]!]);
        buf[pos] = v & 0xff;
      };
      const put32 = (pos: number, v: number): void => {
        for (let i = 0; i < 4; i++) put8(pos + i, (v >>> (8 * i)) & 0xff);
      };
      const ops: string[] = [];
      let end = buf.length;
      const nOps = 1 + (rnd() % 3);
      for (let o = 0; o < nOps; o++) {
        const kind = rnd() % 100;
        if (kind < 20) {
          const pos = HBIN_START + (rnd() % (buf.length - HBIN_START));
          put8(pos, buf[pos]! ^ (1 << (rnd() % 8)));
          ops.push(`flip@${pos}`);
        } else if (kind < 60) {
          // Hostile value in a structural field: cell size, signature, counts, offsets, lengths.
          const cell = pick(t.cells);
          const pos = HBIN_START + cell + 4 * (rnd() % 21); // size field .. byte 80 of the record
          const r = rnd() % 4;
          const v = r === 0 ? pick(SPECIAL32) : r === 1 ? pick(t.keys) : r === 2 ? pick(t.cells) : rnd();
          put32(pos, v);
          ops.push(`u32@${pos}=0x${v.toString(16)}`);
        } else if (kind < 72) {
          const cell = pick(t.cells);
          const pos = HBIN_START + cell + 4 + (rnd() % 80);
          const v = pick([0, 0xffff, 0x7fff, rnd() & 0xffff]);
          put8(pos, v);
          put8(pos + 1, v >>> 8);
          ops.push(`u16@${pos}=0x${v.toString(16)}`);
        } else if (kind < 80) {
          const cell = pick(t.cells);
          const pos = HBIN_START + cell + (rnd() % 64);
          const len = 1 + (rnd() % 64);
          const fill = rnd() % 3;
          for (let i = 0; i < len; i++) put8(pos + i, fill === 0 ? 0 : fill === 1 ? 0xff : rnd());
          ops.push(`span@${pos}+${len}`);
        } else if (kind < 88) {
          const pos = rnd() % 512;
          put8(pos, rnd());
          ops.push(`hdr@${pos}`);
        } else if (kind < 94) {
          // Make a key's subkey list point to itself / the root / another key's list.
          const k = pick(t.keys);
          const v = pick([k, t.root, pick(t.cells)]);
          put32(HBIN_START + k + 4 + 28, v);
          ops.push(`sublist@${k}=0x${v.toString(16)}`);
        } else {
          end = HBIN_START + (rnd() % (buf.length - HBIN_START + 64)) - 64;
          ops.push(`truncate@${end}`);
        }
      }
      const view = buf.subarray(0, Math.max(0, end));
      const s = performance.now();
      try {
        const r = exercise(view);
        if (r.errors > 0) outcomes.partial++;
        else outcomes.clean++;
      } catch (e) {
        if (e instanceof HiveError) {
          outcomes.rejected++;
          codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        } else {
          failures.push(`case ${c} ${t.label} [${ops.join(' ')}]: ${(e as Error)?.stack ?? String(e)}`);
        }
      }
      const ms = performance.now() - s;
      if (ms > slowest) slowest = ms;
      if (ms > CASE_LIMIT_MS) failures.push(`case ${c} ${t.label} [${ops.join(' ')}]: took ${ms.toFixed(0)} ms`);
      for (let i = undo.length - 1; i >= 0; i--) buf[undo[i]![0]] = undo[i]![1];
      if (failures.length >= 5) break;
    }
    const total = performance.now() - t0;
    console.log(
      `regf fuzz: ${CASES} cases in ${(total / 1000).toFixed(1)} s: read cleanly ${outcomes.clean}, read with errors ${outcomes.partial}, rejected ${outcomes.rejected} ` +
        `(${[...codes].map(([k, v]) => `${k}:${v}`).join(' ')}), slowest case ${slowest.toFixed(0)} ms`,
    );
    expect(failures).toEqual([]);
    // The mutations must reach the error paths (thrown and recorded), or the test proves little.
    expect(outcomes.partial).toBeGreaterThan(CASES / 4);
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.clean).toBeGreaterThan(0);
    // The fixture copies were restored: clean walks still match.
    for (const t of targets) expect(exercise(t.bytes).errors).toBe(0);
  }, 120_000);

  it('the re-rooted fuzz bases read cleanly (sanity of the harness)', () => {
    const t = prepare('win7-SYSTEM', 'ControlSet001\\Control\\CriticalDeviceDatabase');
    expect(t.clean).toEqual({ keys: 2549, values: 7779 });
    const before = t.bytes.toString('base64');
    expect(exercise(t.bytes)).toEqual({ keys: 2549, values: 7779, errors: 0 });
    expect(t.bytes.toString('base64')).toBe(before);
    const xp = prepare('plaso-xp-NTUSER.DAT', '');
    expect(exercise(xp.bytes)).toEqual({ keys: 1127, values: 5602, errors: 0 });
  });
});
