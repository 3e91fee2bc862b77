// Issue 13 item 3: `scan` and `inspect` agree on plain text, whatever its size. A 3 MB text with
// 秘密★1年 on its own line past the first MiB was found by inspect (scanFile) and not by the scan's
// walk, which decoded each 1 MiB byte window on its own (a window starting inside a character was
// taken for GB18030) and added byte positions to character offsets. Now both decode the text as one
// stream and match it in findMarkings' windows (text-stream.ts TextWindows).
//
// Property: a marking placed at many offsets — the start, the fast path's 256 KiB pieces, the 1 MiB
// read pieces, findMarkings' character windows (PART_WINDOW − overlap, + margin), each ±1..3, and the
// last KiB of a 50 MB file — in UTF-8, GBK and UTF-16LE, as a file and as a zip member, is found by
// the walk (dist, both readers, in a child process as a scan runs it) and by scanFile as inspect
// calls it, with the same markings at the same offsets. The unit of `offset`: UTF-16 code units of
// the decoded text (a BOM not counted), as MarkingHit.offset — the test checks each against the
// place it was put.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gbkBytes } from '../../../src/checks/documents/prefilter.js';
import { scanFile } from '../../../src/checks/documents/scan-file.js';
import { loadMarkingGrammar, PART_WINDOW, rawPrefilter } from '../../../src/formats/markings.js';

const DIST = new URL('../../../dist/', import.meta.url).href;
const grammar = loadMarkingGrammar();
const MARK = '秘密★1年';
// filler holding no keyword character (the grammar's raw prefilter passes over it): text that is
// not ASCII, so characters and bytes differ in every encoding
const LINE = '这是一段普通的文字，用于填充测试文件的正文。abc 123 数据表格\n';

type Enc = 'utf-8' | 'gbk' | 'utf-16le';
const ENCS: Enc[] = ['utf-8', 'gbk', 'utf-16le'];

function encode(s: string, enc: Enc): Buffer {
  if (enc === 'utf-8') return Buffer.from(s, 'utf8');
  if (enc === 'utf-16le') return Buffer.from(s, 'utf16le');
  return Buffer.concat([...s].map((ch) => gbkBytes(ch)!));
}
const BOM: Record<Enc, Buffer> = { 'utf-8': Buffer.alloc(0), gbk: Buffer.alloc(0), 'utf-16le': Buffer.from([0xff, 0xfe]) };

interface Case {
  file: string;
  enc: Enc;
  /** Character offsets of the markings in the decoded text. */
  chars: number[];
  bytes: Buffer;
}

/**
 * A text of about `size` bytes in `enc` with MARK on its own line at each place: a place is a byte
 * offset ('b', of the marking's first byte) or a character offset ('c'); filler lines, then line
 * feeds up to the place exactly.
 */
function makeText(enc: Enc, size: number, places: Array<['b' | 'c', number]>): { bytes: Buffer; chars: number[] } {
  const line = encode(LINE, enc);
  const lc = LINE.length;
  const nl = encode('\n', enc);
  const mark = encode(`${MARK}\n`, enc);
  const pieces: Buffer[] = [BOM[enc]];
  let bytes = BOM[enc].length;
  let chars = 0;
  const out: number[] = [];
  const fill = (toBytes: number, toChars: number): void => {
    // whole filler lines, then line feeds
    const k = Math.max(0, Math.min(Math.floor((toBytes - bytes - nl.length) / line.length), Math.floor((toChars - chars - 1) / lc)));
    if (k > 0) {
      pieces.push(Buffer.alloc(k * line.length, line));
      bytes += k * line.length;
      chars += k * lc;
    }
    const pad = Math.max(0, Math.min((toBytes - bytes) / nl.length, toChars - chars));
    if (!Number.isInteger(pad)) throw new Error(`place ${toBytes} not reachable in ${enc}`);
    if (pad > 0) {
      pieces.push(Buffer.alloc(pad * nl.length, nl));
      bytes += pad * nl.length;
      chars += pad;
    }
  };
  // in the order they come in the file (a character place at its byte estimate)
  const key = ([k, v]: ['b' | 'c', number]): number => (k === 'b' ? v : (v * line.length) / lc);
  for (const [kind, at] of [...places].sort((a, b) => key(a) - key(b))) {
    if (kind === 'b') fill(at, Infinity);
    else fill(Infinity, at);
    if ((kind === 'b' && bytes !== at) || (kind === 'c' && chars !== at)) throw new Error(`place ${kind}${at} missed (${bytes} bytes, ${chars} chars)`);
    out.push(chars);
    pieces.push(mark);
    bytes += mark.length;
    chars += MARK.length + 1;
  }
  if (size > bytes) fill(size - nl.length * 2, Infinity);
  return { bytes: Buffer.concat(pieces), chars: out };
}

function makeZip(members: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let off = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const comp = deflateRawSync(m.data, { level: 1 });
    const crc = crc32(m.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(m.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(m.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(off, 42);
    locals.push(lh, name, comp);
    centrals.push(ch, name);
    off += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

const FAST_READ = 256 * 1024;
const CHUNK = 1024 * 1024;
const STEP = PART_WINDOW - 4096; // findMarkings' window step (PART_WINDOW − PART_OVERLAP)
const DELTAS = [-3, -2, -1, 0, 1, 2, 3];

let dir: string;
const cases: Case[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-scan-inspect-'));
  mkdirSync(join(dir, 'tree'));
  expect(rawPrefilter(grammar).test(LINE)).toBe(false);
  for (const enc of ENCS) {
    const zipped: Array<{ name: string; data: Buffer }> = [];
    for (const d of DELTAS) {
      // UTF-16: a character starts at an even byte (after the BOM): odd deltas are moved by one
      const b = (x: number): number => (enc === 'utf-16le' ? x + d - ((x + d) & 1) : x + d);
      const places: Array<['b' | 'c', number]> = [
        ...(d === 0 ? [['b', BOM[enc].length] as ['b', number]] : []),
        ['b', b(FAST_READ)],
        ['b', b(CHUNK)],
        ['b', b(2 * CHUNK + FAST_READ)],
        ['b', b(3 * CHUNK - 14)], // straddling the border
        // findMarkings' windows (characters): a window's start, its margin, the end of the first
        ['c', STEP + d + 8],
        ['c', STEP + 1024 + d],
        ['c', 2 * STEP + 1024 + d],
        ['c', PART_WINDOW - 5 + d], // the marking's end at the first window's end
      ];
      // dedupe places that collapsed onto each other (UTF-16 deltas)
      const seen = new Set<string>();
      const uniq = places.filter(([k, v]) => !seen.has(`${k}${v}`) && seen.add(`${k}${v}`));
      const t = makeText(enc, 8 * 1024 * 1024, uniq);
      const file = `${enc}_d${d}.txt`;
      writeFileSync(join(dir, 'tree', file), t.bytes);
      cases.push({ file, enc, chars: t.chars, bytes: t.bytes });
      if (d === -3 || d === 0 || d === 2) zipped.push({ name: file, data: t.bytes });
    }
    // the last KiB of a 50 MB text
    const big = makeText(enc, 50 * 1024 * 1024, [['b', 50 * 1024 * 1024 - 600]]);
    const bigFile = `${enc}_50mb.txt`;
    writeFileSync(join(dir, 'tree', bigFile), big.bytes);
    cases.push({ file: bigFile, enc, chars: big.chars, bytes: big.bytes });
    writeFileSync(join(dir, 'tree', `${enc}.zip`), makeZip(zipped));
  }
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Row = [string, string, string, number];

function walk(native: boolean): Map<string, Row[]> {
  const script = `
    const { DocWalk } = await import('${DIST}checks/documents/pool.js');
    const { byteNeedles, needleChars } = await import('${DIST}checks/documents/prefilter.js');
    const { loadMarkingGrammar } = await import('${DIST}formats/markings.js');
    const grammar = loadMarkingGrammar();
    const init = { grammar, keywords: [], needles: byteNeedles(grammar.keywords), needleChars: needleChars(grammar.keywords), skip: [], maxFileBytes: 64 << 20, fileTimeoutMs: 120000 };
    const t = await new DocWalk(new URL('${DIST}checks/documents/worker-main.js'), init, 2).run([{ t: '/', h: ${JSON.stringify(join(dir, 'tree'))} }]);
    console.log(JSON.stringify({ records: t.records.map((r) => ({ path: r.path, markings: r.markings })), gaps: t.gaps, reader: t.reader }));
  `;
  const file = join(dir, `walk-${native}.mjs`);
  writeFileSync(file, script);
  const env = { ...process.env };
  if (native) delete env['BAOMI_NATIVE'];
  else env['BAOMI_NATIVE'] = '0';
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 240_000, env, maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { records: Array<{ path: string; markings: Array<{ inner: string; part: string; text: string; offset: number }> }>; gaps: unknown[] };
  expect(out.gaps).toEqual([]);
  const m = new Map<string, Row[]>();
  for (const rec of out.records) m.set(rec.path.slice(1), rec.markings.map((x) => [x.inner, x.part, x.text, x.offset] as Row).sort());
  return m;
}

async function inspect(file: string): Promise<Row[]> {
  const r = await scanFile(readFileSync(join(dir, 'tree', file)), { name: file, grammar, keywords: [], detail: true });
  expect(r.gaps).toEqual([]);
  return r.markings.map((x) => [x.inner, x.part, x.text, x.offset] as Row).sort();
}

describe('scan ≡ inspect on plain text (issue 13 item 3)', () => {
  it('a marking at the start, at piece and window borders ±1..3 and in the last KiB of 50 MB: the same markings, at the placed offset (UTF-16 code units)', async () => {
    const t0 = Date.now();
    const expected = new Map<string, Row[]>();
    let placed = 0;
    for (const c of cases) {
      expected.set(c.file, c.chars.map((at) => ['', 'text', MARK, at] as Row).sort());
      placed += c.chars.length;
    }
    for (const enc of ENCS) {
      const rows: Row[] = [];
      for (const c of cases.filter((x) => x.enc === enc && (x.file.endsWith('_d-3.txt') || x.file.endsWith('_d0.txt') || x.file.endsWith('_d2.txt')))) {
        for (const at of c.chars) rows.push([c.file, 'text', MARK, at]);
        placed += c.chars.length;
      }
      expected.set(`${enc}.zip`, rows.sort());
    }
    // inspect: scanFile as `baomi inspect` calls it
    const inspected = new Map<string, Row[]>();
    for (const f of expected.keys()) inspected.set(f, await inspect(f));
    const tInspect = Date.now() - t0;
    expect(inspected).toEqual(expected);
    // scan: the walk, with each reader
    const t1 = Date.now();
    const native = walk(true);
    const tNative = Date.now() - t1;
    const t2 = Date.now();
    const js = walk(false);
    const tJs = Date.now() - t2;
    expect(native).toEqual(expected);
    expect(js).toEqual(expected);
    console.log(`scan ≡ inspect: ${expected.size} files (${cases.length} texts, 3 zips), ${placed} markings placed; inspect ${tInspect} ms, walk native ${tNative} ms, walk javascript ${tJs} ms`);
    expect(expected.size).toBe(ENCS.length * (DELTAS.length + 2));
  }, 300_000);
});
