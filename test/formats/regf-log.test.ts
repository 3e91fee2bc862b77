/**
 * Transaction-log replay (src/formats/regf/log.ts) on real data: the corpus hive `win10-SYSTEM_B` with
 * the `.LOG1`/`.LOG2` Windows wrote beside it (new format), checked against listings of the same hive
 * after an independent replay (yarp, see fixtures/windows/PROVENANCE.md); an old-format log built in
 * the exact on-disk layout from the real XP hive `plaso-xp-NTUSER.DAT`; damaged logs; random logs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Hive,
  HiveError,
  baseBlockChecksum,
  checkHiveIntegrity,
  marvin32,
  openHiveWithLogs,
  readBaseBlock,
  readLogEntries,
  replayTransactionLogs,
  transactionLogNames,
  type LogFileInput,
} from '../../src/formats/regf.js';
import { HIVES_DIR, diffListings, listHive, loadHiveBytes, parseRegFile, type Listing } from './_regfile.js';

const HB = 0x1000;
const SAMSUNG = 'ControlSet001\\Enum\\USB\\VID_04E8&PID_61F5\\MSFT3012345679FD0B';
const PREFIX = 'HKEY_LOCAL_MACHINE\\SYSTEM';

function logs(...names: Array<'LOG1' | 'LOG2'>): LogFileInput[] {
  return names.map((n) => ({ name: `win10-SYSTEM_B.${n}`, data: loadHiveBytes(`win10-SYSTEM_B.${n}`) }));
}

/** Listing of `key` and everything below it. */
function listing(hive: Hive, key: string): Listing {
  const k = hive.getKey(key);
  expect(k, key).toBeDefined();
  const l = listHive(hive, k!, PREFIX);
  expect(l.unreadable).toEqual([]);
  expect(l.keyErrors).toEqual([]);
  return l.listing;
}

/** Deterministic PRNG (mulberry32), so a failing fuzz case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('new-format logs (Windows 8.1+): win10-SYSTEM_B.LOG1/.LOG2', () => {
  it('every HvLE entry of both real logs verifies (Marvin32 hashes, sizes, page lists), sequence numbers run on', () => {
    const l1 = loadHiveBytes('win10-SYSTEM_B.LOG1');
    const l2 = loadHiveBytes('win10-SYSTEM_B.LOG2');
    const b1 = readBaseBlock(l1)!;
    const b2 = readBaseBlock(l2)!;
    expect([b1.fileType, b1.primarySequence, b1.secondarySequence, b1.checksumValid]).toEqual([6, 2107, 2107, true]);
    expect([b2.fileType, b2.primarySequence, b2.secondarySequence, b2.checksumValid]).toEqual([6, 2111, 2111, true]);
    const e1 = readLogEntries(l1, b1.primarySequence);
    const e2 = readLogEntries(l2, b2.primarySequence);
    expect(e1.damaged).toBe(false);
    expect(e2.damaged).toBe(false);
    expect(e1.entries.map((e) => e.sequence)).toEqual([2107, 2108, 2109, 2110]);
    expect(e2.entries.map((e) => e.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => 2111 + i));
    // The hive grew twice while these entries were written.
    expect([...new Set(e2.entries.map((e) => e.hiveBinsDataSize))]).toEqual([0xbd3000, 0xbf6000, 0xc02000]);
    // Hash-2 covers the first 32 bytes of the entry (including Hash-1).
    const first = e1.entries[0]!;
    expect(marvin32(l1, first.offset, first.offset + 32)).toEqual([l1.readUInt32LE(first.offset + 32), l1.readUInt32LE(first.offset + 36)]);
  });

  it('replay reveals the Samsung Portable SSD T5 and equals the recovered-with-logs oracle listings (USB, SCSI, WPDBUSENUM, MountedDevices)', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const before = Hive.open(primary);
    expect(before.dirty).toBe(true);
    expect(before.getKey(SAMSUNG)).toBeUndefined();
    const t0 = performance.now();
    const r = replayTransactionLogs(primary, logs('LOG1', 'LOG2'));
    const ms = performance.now() - t0;
    console.log(`win10-SYSTEM_B: replay of ${r.entries} entries (${r.applied.map((a) => `${a.name} ${a.pages} pages`).join(', ')}) in ${ms.toFixed(0)} ms`);
    expect(r).toMatchObject({ dirty: true, replayed: true, entries: 24, primarySequence: 1622, secondarySequence: 1621, finalSequence: 2130, damaged: false, baseBlockRecovered: false });
    expect(r.problems).toEqual([]);
    expect(r.applied.map((a) => [a.name, a.entries, a.firstSequence, a.lastSequence])).toEqual([
      ['win10-SYSTEM_B.LOG1', 4, 2107, 2110],
      ['win10-SYSTEM_B.LOG2', 20, 2111, 2130],
    ]);
    // The input is untouched; the new base block is clean, grown, and has a valid checksum.
    expect(primary.readUInt32LE(4)).toBe(1622);
    const out = r.bytes!;
    expect(out.readUInt32LE(4)).toBe(2130);
    expect(out.readUInt32LE(8)).toBe(2130);
    expect(out.readUInt32LE(40)).toBe(0xc02000);
    expect(out.readUInt32LE(508)).toBe(baseBlockChecksum(out));
    const hive = Hive.open(out, { name: 'SYSTEM_B+logs' });
    expect(hive.dirty).toBe(false);
    expect(hive.warnings).toEqual([]);
    expect(hive.header.checksumValid).toBe(true);
    expect(hive.getKey(SAMSUNG)?.value('Service')?.data).toBe('UASPStor');
    for (const topic of ['usb', 'scsi', 'wpdbusenum', 'mounteddevices']) {
      const oracle = parseRegFile(readFileSync(join(HIVES_DIR, `win10-SYSTEM_B.recovered-with-logs.${topic}.oracle.reg`), 'latin1')).listing;
      const root = [...oracle.keys()].reduce((a, b) => (a.length <= b.length ? a : b)).slice(PREFIX.length + 1);
      const mine = listing(hive, root);
      expect(diffListings(oracle, mine), topic).toEqual([]);
      expect(mine.size, topic).toBe(oracle.size);
    }
    // The replayed hive reads without a single error, like the primary.
    const integrity = checkHiveIntegrity(hive);
    expect(integrity.unreadableCells).toBe(0);
    expect(integrity.complete).toBe(true);
    expect(integrity.keys).toBeGreaterThan(33000);
  });

  it('the order the logs are given in does not matter: Windows orders them by sequence number', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const a = replayTransactionLogs(primary, logs('LOG1', 'LOG2'));
    const b = replayTransactionLogs(primary, logs('LOG2', 'LOG1'));
    expect(Buffer.compare(a.bytes!, b.bytes!)).toBe(0);
  });

  it('with one log only, its entries are applied and the other log is not invented', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const one = replayTransactionLogs(primary, logs('LOG1'));
    expect(one).toMatchObject({ replayed: true, entries: 4, finalSequence: 2110, damaged: false });
    // LOG1 alone does not hold the SSD (it arrived later, in LOG2's entries).
    expect(Hive.open(one.bytes!).getKey(SAMSUNG)).toBeUndefined();
    const two = replayTransactionLogs(primary, logs('LOG2'));
    expect(two).toMatchObject({ replayed: true, entries: 20, finalSequence: 2130 });
  });

  it('a clean hive is not touched even when logs with newer entries sit beside it', () => {
    const clean = loadHiveBytes('win7-SYSTEM');
    const r = replayTransactionLogs(clean, logs('LOG1', 'LOG2'));
    expect(r).toMatchObject({ dirty: false, replayed: false, entries: 0 });
    expect(r.bytes).toBeUndefined();
  });

  it('a dirty hive without logs, or with logs of nothing applicable, is reported as not replayed', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const none = replayTransactionLogs(primary, []);
    expect(none).toMatchObject({ dirty: true, replayed: false, damaged: true });
    expect(none.problems[0]!.reason).toMatch(/no transaction log/);
    // A log whose entries are all older than the primary's secondary sequence number is stale.
    const log1 = Buffer.from(loadHiveBytes('win10-SYSTEM_B.LOG1'));
    const p = Buffer.from(primary);
    p.writeUInt32LE(3000, 4);
    p.writeUInt32LE(2999, 8);
    p.writeUInt32LE(baseBlockChecksum(p), 508);
    const stale = replayTransactionLogs(p, [{ name: 'LOG1', data: log1 }]);
    expect(stale).toMatchObject({ replayed: false, damaged: false });
    expect(stale.problems[0]!.reason).toMatch(/already in the primary/);
  });

  it('a corrupt entry stops the replay there: earlier entries applied, the damage said', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const log2 = Buffer.from(loadHiveBytes('win10-SYSTEM_B.LOG2'));
    const entries = readLogEntries(log2, 2111).entries;
    // Flip one byte inside a dirty page of the 5th entry of LOG2 (sequence 2115): its Hash-1 fails.
    const bad = entries[4]!;
    log2[bad.pages[0]!.at + 100]! ^= 0xff;
    const r = replayTransactionLogs(primary, [...logs('LOG1'), { name: 'win10-SYSTEM_B.LOG2', data: log2 }]);
    expect(r).toMatchObject({ replayed: true, entries: 8, finalSequence: 2114, damaged: true });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ name: 'win10-SYSTEM_B.LOG2', damage: true });
    expect(r.problems[0]!.reason).toMatch(/entry 2115 at 0x5e000: data hash \(Hash-1\) mismatch/);
    // Hash-2 protects the header: a changed sequence field of the same entry.
    const log2b = Buffer.from(loadHiveBytes('win10-SYSTEM_B.LOG2'));
    log2b[bad.offset + 8]! ^= 0x01; // flags
    const r2 = replayTransactionLogs(primary, [...logs('LOG1'), { name: 'L2', data: log2b }]);
    expect(r2).toMatchObject({ entries: 8, damaged: true });
    expect(r2.problems[0]!.reason).toMatch(/Hash-2/);
    // A torn write at the first entry of the newest log: only LOG1's entries, damage said.
    const log2c = Buffer.from(loadHiveBytes('win10-SYSTEM_B.LOG2'));
    log2c[entries[0]!.pages[0]!.at]! ^= 0x55;
    const r3 = replayTransactionLogs(primary, [...logs('LOG1'), { name: 'L2', data: log2c }]);
    expect(r3).toMatchObject({ replayed: true, entries: 4, finalSequence: 2110, damaged: true });
    expect(Hive.open(r3.bytes!).getKey(SAMSUNG)).toBeUndefined();
  });

  it('a gap between the two logs stops the replay after the first one (damage: entries are missing)', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    // Renumber LOG2 as if it started at 2112: its base block says so, its entries are re-hashed.
    const log2 = Buffer.from(loadHiveBytes('win10-SYSTEM_B.LOG2'));
    const entries = readLogEntries(log2, 2111).entries;
    log2.writeUInt32LE(2112, 4);
    log2.writeUInt32LE(2112, 8);
    log2.writeUInt32LE(baseBlockChecksum(log2), 508);
    for (const e of entries) {
      log2.writeUInt32LE(e.sequence + 1, e.offset + 12);
      const [a, b] = marvin32(log2, e.offset, e.offset + 32);
      log2.writeUInt32LE(a, e.offset + 32);
      log2.writeUInt32LE(b, e.offset + 36);
    }
    expect(readLogEntries(log2, 2112).entries).toHaveLength(20);
    const r = replayTransactionLogs(primary, [...logs('LOG1'), { name: 'L2', data: log2 }]);
    expect(r).toMatchObject({ entries: 4, finalSequence: 2110, damaged: true });
    expect(r.problems[0]!.reason).toMatch(/start at sequence 2112, not 2111/);
  });

  it('a log whose base block is itself dirty or corrupt is not used', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const log2 = Buffer.from(loadHiveBytes('win10-SYSTEM_B.LOG2'));
    log2.writeUInt32LE(2112, 4); // primary != secondary, checksum now wrong too
    const r = replayTransactionLogs(primary, [...logs('LOG1'), { name: 'L2', data: log2 }]);
    expect(r).toMatchObject({ entries: 4, damaged: true });
    expect(r.problems.find((p) => p.name === 'L2')!.reason).toMatch(/not completely written/);
  });

  it('a hive-bins size over the budget is refused, not allocated', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const r = replayTransactionLogs(primary, logs('LOG1', 'LOG2'), { maxHiveBytes: 0xbd3000 + HB });
    // Entry 2118 grows the hive to 0xbf6000: over the budget, the replay stops before it.
    expect(r).toMatchObject({ finalSequence: 2117, damaged: true });
    expect(r.problems[0]!.reason).toMatch(/over the budget/);
  });

  it('openHiveWithLogs opens the replayed hive, or the primary as is with the reasons', () => {
    const primary = loadHiveBytes('win10-SYSTEM_B');
    const ok = openHiveWithLogs(primary, logs('LOG1', 'LOG2'), { name: 'SYSTEM' });
    expect(ok.replay.replayed).toBe(true);
    expect(ok.hive.getKey(SAMSUNG)).toBeDefined();
    const no = openHiveWithLogs(primary, [], { name: 'SYSTEM' });
    expect(no.replay.replayed).toBe(false);
    expect(no.hive.dirty).toBe(true);
  });

  it('log file names beside a hive are matched case-insensitively, in LOG1, LOG2, LOG order', () => {
    expect(transactionLogNames('SYSTEM', ['system.log2', 'SYSTEM', 'System.LOG1', 'SYSTEM.LOG', 'SOFTWARE.LOG1', 'SYSTEM.LOG1.bak'])).toEqual(['System.LOG1', 'system.log2', 'SYSTEM.LOG']);
    expect(transactionLogNames('NTUSER.DAT', ['ntuser.dat.LOG1', 'NTUSER.DAT.LOG2', 'ntuser.ini'])).toEqual(['ntuser.dat.LOG1', 'NTUSER.DAT.LOG2']);
  });
});

// ---------------------------------------------------------------------------------------------
/**
 * An old-format (Windows XP–7) transaction log, in the exact layout of the format: the first 512 bytes
 * of the base block with file type 1 and a fresh checksum, the `DIRT` signature at 512 followed by one
 * bit per 512-byte page of the hive bins (hive-bins size / 4096 bytes), then — from the next 512-byte
 * boundary — the dirty pages in bit order. The pages are the real hive's; `primary` is that hive with
 * those 4 KiB blocks destroyed and its primary sequence number advanced, as after a crash mid-write.
 */
function oldFormatCase(name: string, blocks: number[], stamp?: number): { truth: Buffer; primary: Buffer; log: Buffer } {
  const truth = loadHiveBytes(name);
  const hbs = truth.readUInt32LE(40);
  const primary = Buffer.from(truth);
  for (const b of blocks) primary.fill(0, HB + b * 4096, HB + (b + 1) * 4096);
  primary.writeUInt32LE(truth.readUInt32LE(8) + 1, 4);
  primary.writeUInt32LE(baseBlockChecksum(primary), 508);
  const bitmap = Buffer.alloc(hbs / 4096);
  for (const b of blocks) bitmap[b] = 0xff; // 8 sectors of 512 bytes per 4 KiB block
  const pagesAt = Math.ceil((512 + 4 + bitmap.length) / 512) * 512;
  const sorted = [...blocks].sort((a, b) => a - b);
  const log = Buffer.alloc(pagesAt + sorted.length * 4096);
  truth.copy(log, 0, 0, 512);
  log.writeUInt32LE(1, 28); // file type: transaction log
  if (stamp !== undefined) {
    log.writeUInt32LE(stamp, 12);
    log.writeUInt32LE(0, 16);
  }
  log.writeUInt32LE(baseBlockChecksum(log), 508);
  log.write('DIRT', 512, 'latin1');
  bitmap.copy(log, 516);
  sorted.forEach((b, i) => truth.copy(log, pagesAt + i * 4096, HB + b * 4096, HB + (b + 1) * 4096));
  return { truth, primary, log };
}

describe('old-format logs (Windows XP–7: base block + DIRT vector + dirty pages)', () => {
  const NAME = 'plaso-xp-NTUSER.DAT';
  const RECENT = 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs';

  it('replay restores the destroyed blocks byte for byte; the RecentDocs listing equals its hivexregedit oracle', () => {
    const real = Hive.open(loadHiveBytes(NAME));
    const block = Math.floor(real.getKey(RECENT)!.offset / 4096);
    // Block 0 holds the first hive bin header and the root key: without the log the hive does not open.
    const { truth, primary, log } = oldFormatCase(NAME, [0, block]);
    expect(() => Hive.open(primary)).toThrow(/no hive bin/);
    const r = replayTransactionLogs(primary, [{ name: 'NTUSER.DAT.LOG', data: log }]);
    expect(r).toMatchObject({ dirty: true, replayed: true, entries: 1, damaged: false });
    expect(r.applied).toEqual([{ name: 'NTUSER.DAT.LOG', format: 'old', entries: 1, pages: 16 }]);
    const out = r.bytes!;
    expect(Buffer.compare(out.subarray(HB), truth.subarray(HB))).toBe(0);
    const hive = Hive.open(out);
    expect(hive.dirty).toBe(false);
    expect(hive.header.checksumValid).toBe(true);
    const oracle = parseRegFile(readFileSync(join(HIVES_DIR, `${NAME}.recentdocs.oracle.reg`), 'latin1')).listing;
    const mine = listHive(hive, hive.getKey(RECENT)!, 'HKEY_CURRENT_USER');
    expect(diffListings(oracle, mine.listing)).toEqual([]);
    expect(checkHiveIntegrity(hive).unreadableCells).toBe(0);
  });

  it('a truncated old log, one with a misplaced hive bin, or an older one is not applied', () => {
    const { primary, log } = oldFormatCase(NAME, [0, 3]);
    const cut = replayTransactionLogs(primary, [{ name: 'LOG', data: log.subarray(0, log.length - 512) }]);
    expect(cut).toMatchObject({ replayed: false, damaged: true });
    expect(cut.problems[0]!.reason).toMatch(/truncated: 16 dirty pages marked, 15 present/);
    const moved = Buffer.from(log);
    const pagesAt = moved.indexOf('hbin', 1024, 'latin1');
    moved.writeUInt32LE(0x5000, pagesAt + 4);
    const mv = replayTransactionLogs(primary, [{ name: 'LOG', data: moved }]);
    expect(mv).toMatchObject({ replayed: false, damaged: true });
    expect(mv.problems[0]!.reason).toMatch(/invalid dirty hive bin/);
    const older = oldFormatCase(NAME, [0, 3], 0x1000);
    const od = replayTransactionLogs(older.primary, [{ name: 'LOG', data: older.log }]);
    expect(od).toMatchObject({ replayed: false });
    expect(od.problems[0]!.reason).toMatch(/already applied/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('hostile logs: bounded, never throws', () => {
  const primary = loadHiveBytes('win10-SYSTEM_B');

  it('random bytes, random bytes behind a valid log base block, and random mutations of the real logs', () => {
    const rand = rng(0x5eed);
    const realLog2 = loadHiveBytes('win10-SYSTEM_B.LOG2').subarray(0, 0x60000);
    const header = Buffer.from(realLog2.subarray(0, 512));
    const t0 = performance.now();
    let replayed = 0;
    for (let i = 0; i < 90; i++) {
      const kind = i % 3;
      let data: Buffer;
      if (kind === 0) {
        data = Buffer.alloc(Math.floor(rand() * 70000));
        for (let j = 0; j < data.length; j++) data[j] = Math.floor(rand() * 256);
      } else if (kind === 1) {
        // A valid base block, then HvLE headers with random fields (sizes, counts, page lists).
        data = Buffer.alloc(512 + 8192 * 4);
        header.copy(data);
        for (let j = 512; j < data.length; j++) data[j] = Math.floor(rand() * 256);
        for (let o = 512; o + 40 < data.length; o += 512 * (1 + Math.floor(rand() * 8))) {
          data.write('HvLE', o, 'latin1');
          data.writeUInt32LE(2111 + Math.floor(rand() * 2), o + 12);
          if (rand() < 0.5) data.writeUInt32LE([0xffffffff, 0, 512, 0x7ffffe00][Math.floor(rand() * 4)]!, o + 4);
          if (rand() < 0.5) data.writeUInt32LE([0xffffffff, 0, 0x1000, 0xfffff000][Math.floor(rand() * 4)]!, o + 16);
          if (rand() < 0.5) data.writeUInt32LE([0xffffffff, 0, 1, 0x1fffffff][Math.floor(rand() * 4)]!, o + 20);
        }
      } else {
        data = Buffer.from(realLog2);
        for (let m = 0; m < 1 + Math.floor(rand() * 8); m++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
      }
      const r = replayTransactionLogs(primary, [{ name: `fuzz${i}`, data }, ...(rand() < 0.5 ? logs('LOG1') : [])], { maxHiveBytes: 64 * 1024 * 1024 });
      if (r.replayed) {
        replayed++;
        // Whatever was applied opens as a hive or is refused with a typed error.
        try {
          Hive.open(r.bytes!);
        } catch (e) {
          expect(e).toBeInstanceOf(HiveError);
        }
      }
      expect(r.bytes === undefined || r.bytes.length <= 64 * 1024 * 1024).toBe(true);
    }
    const ms = performance.now() - t0;
    console.log(`90 hostile logs replayed in ${ms.toFixed(0)} ms (${replayed} applied something)`);
    expect(ms).toBeLessThan(60_000);
  });

  it('a log of nothing but 512-byte HvLE stubs is walked in linear time', () => {
    const data = Buffer.alloc(512 + 512 * 20000);
    loadHiveBytes('win10-SYSTEM_B.LOG2').copy(data, 0, 0, 512);
    for (let o = 512; o < data.length; o += 512) data.write('HvLE', o, 'latin1');
    const t0 = performance.now();
    const r = replayTransactionLogs(primary, [{ name: 'stubs', data }]);
    expect(r.replayed).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('not a hive, empty logs, foreign files as logs', () => {
    expect(replayTransactionLogs(Buffer.from('nothing'), [])).toMatchObject({ replayed: false, damaged: true });
    const r = replayTransactionLogs(primary, [
      { name: 'empty', data: Buffer.alloc(0) },
      { name: 'hive-as-log', data: loadHiveBytes('win7-SYSTEM').subarray(0, 8192) },
      { name: 'text', data: Buffer.from('regf but not really') },
    ]);
    expect(r.replayed).toBe(false);
    expect(r.problems.map((p) => p.reason)).toEqual(['empty', 'not a transaction log (file type 0)', 'not a transaction log (no regf base block)']);
  });
});
