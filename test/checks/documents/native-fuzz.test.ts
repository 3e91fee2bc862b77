// Issue 13 item 4: the native reader fails closed. It kept the first 64 byte needles and dropped the
// rest without a word (31 unit keywords give 276 needles); now it takes every needle. And a
// randomized comparison (seeded, so a failure is replayed by its seed): many keyword sets of up to
// 200 keywords, CJK and ASCII, over a generated tree of texts in UTF-8, GBK, UTF-16 (LE/BE, with and
// without a BOM), binaries and names holding keywords — the walk with the native reader and with
// BAOMI_NATIVE=0 (all JavaScript) must give the same records (paths, markings) and the same gaps.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_STOP, nativeWalk } from '../../../src/checks/documents/native.js';
import { byteNeedles, gbkBytes } from '../../../src/checks/documents/prefilter.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';
import { NATIVE_REQUIRED } from '../../_helpers/oracles.js';

const DIST = new URL('../../../dist/', import.meta.url).href;
const required = NATIVE_REQUIRED;
const native = nativeWalk();
const SEED = Number(process.env['BAOMI_FUZZ_SEED'] ?? 0x13a4);
const SETS = 16;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// characters keywords are made of (all in GBK), and filler that holds none of them
const POOL = [...'天河星辰工程计划项目数据中心北京上海研发测试系统安全网络通信卫星导航海洋天文地质能源材料先进制造精密仪器光电雷达'];
const FILLER = [...'这是一段普通的文字用于填充正文的内容我们今天讨论下午开会时间地点'];
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789';

type Enc = 'utf-8' | 'gbk' | 'utf-16le' | 'utf-16le-bom' | 'utf-16be-bom';
function encode(s: string, enc: Enc): Buffer {
  if (enc === 'utf-8') return Buffer.from(s, 'utf8');
  if (enc === 'gbk') return Buffer.concat([...s].map((ch) => gbkBytes(ch) ?? Buffer.from('?')));
  const le = Buffer.from(s, 'utf16le');
  if (enc === 'utf-16le') return le;
  if (enc === 'utf-16le-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
}

let dir: string;
let keywordSets: string[][] = [];
const FILES = 48;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-native-fuzz-'));
  const rnd = mulberry32(SEED);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const cjkWord = (): string => Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(POOL)).join('');
  const asciiWord = (): string => Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => pick([...ALNUM])).join('');
  // keyword sets: sizes from 1 to 200, the last ones large (over 64 needles: what the C reader dropped)
  const sizes = [1, 3, 8, 31, 64, 100, 150, 200];
  keywordSets = Array.from({ length: SETS }, (_, i) => {
    const n = i < sizes.length ? sizes[i]! : 1 + Math.floor(rnd() * 200);
    const ascii = rnd() < 0.3;
    return [...new Set(Array.from({ length: n }, () => (ascii && rnd() < 0.5 ? asciiWord() : cjkWord())))];
  });
  // words the files are made of: keywords of the sets (so some are found) and near misses
  const words = [...new Set(keywordSets.flat())];
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const enc = pick<Enc>(['utf-8', 'utf-8', 'gbk', 'gbk', 'utf-16le', 'utf-16le-bom', 'utf-16be-bom']);
    const kind = rnd();
    const lines: string[] = [];
    const nLines = 5 + Math.floor(rnd() * 60);
    for (let l = 0; l < nLines; l++) {
      const r = rnd();
      if (r < 0.12) lines.push(pick(words));
      else if (r < 0.16) lines.push('秘密★1年');
      else if (r < 0.2) lines.push(`${pick(FILLER)}${pick(words)}${pick(FILLER)}`);
      else if (r < 0.3) lines.push(`${asciiWord()} ${asciiWord()} = ${Math.floor(rnd() * 1e6)};`);
      else lines.push(Array.from({ length: 5 + Math.floor(rnd() * 40) }, () => pick(FILLER)).join(''));
    }
    let body = encode(lines.join('\n') + '\n', enc);
    if (kind < 0.35) {
      // big: past the fast path's 256 KiB pieces, a keyword line near a piece border or at the end
      const pad = encode(`${Array.from({ length: 60 }, () => pick(FILLER)).join('')}\n`, enc.startsWith('utf-16') ? 'utf-16le' : enc);
      const border = 256 * 1024 * (1 + Math.floor(rnd() * 2)) + Math.floor(rnd() * 16) - 8;
      const n = Math.ceil(border / pad.length) + Math.floor(rnd() * 3);
      const filler = Buffer.alloc(n * pad.length, pad);
      const at = rnd() < 0.5 ? filler.length : border - (border % (enc.startsWith('utf') && enc !== 'utf-8' ? 2 : 1));
      const cut = enc === 'utf-8' || enc === 'gbk' ? filler.subarray(0, at).lastIndexOf(0x0a) + 1 : at - (at % pad.length);
      const head = enc.endsWith('-bom') ? body.subarray(0, 2) : Buffer.alloc(0);
      const rest = enc.endsWith('-bom') ? body.subarray(2) : body;
      const swap = enc === 'utf-16be-bom';
      const fill = swap ? Buffer.from(filler.subarray(0, cut)).swap16() : filler.subarray(0, cut);
      body = Buffer.concat([head, fill, rest]);
    } else if (kind < 0.45) {
      // an executable with keyword bytes in it
      body = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rnd() * 256))), Buffer.from('\n'), body, Buffer.from([0, 0, 0])]);
    }
    const named = rnd() < 0.15 ? pick(words) : '';
    const folder = pick(['', 'sub', join('sub', 'deeper')]);
    writeFileSync(join(tree, folder, `${String(f).padStart(2, '0')}${named}.${kind < 0.45 && kind >= 0.35 ? 'bin' : 'txt'}`), body);
  }
}, 60_000);
afterAll(async () => {
  if (process.env['BAOMI_FUZZ_KEEP'] === '1') console.log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
});

interface SetResult {
  needles: number;
  records: string[];
  gaps: string[];
  reader: string;
}

function walkAll(useNative: boolean): Promise<SetResult[]> {
  const script = `
    const { DocWalk } = await import('${DIST}checks/documents/pool.js');
    const { byteNeedles, needleChars } = await import('${DIST}checks/documents/prefilter.js');
    const { loadMarkingGrammar } = await import('${DIST}formats/markings.js');
    const { walkReader } = await import('${DIST}checks/documents/native.js');
    const grammar = loadMarkingGrammar();
    const sets = ${JSON.stringify(keywordSets)};
    const out = [];
    for (const keywords of sets) {
      const all = [...grammar.keywords, ...keywords];
      const init = { grammar, keywords, needles: byteNeedles(all), needleChars: needleChars(all), skip: [], maxFileBytes: 48 << 20, fileTimeoutMs: 120000 };
      const t = await new DocWalk(new URL('${DIST}checks/documents/worker-main.js'), init, 2).run([{ t: '/', h: ${JSON.stringify(join(dir, 'tree'))} }]);
      out.push({
        needles: init.needles.length,
        reader: walkReader(),
        records: t.records.map((r) => JSON.stringify({ path: r.path, format: r.format, markings: r.markings })).sort(),
        gaps: t.gaps.map((g) => JSON.stringify(g)).sort(),
      });
    }
    console.log(JSON.stringify(out));
  `;
  const file = join(dir, `walk-${useNative}.mjs`);
  writeFileSync(file, script);
  const env = { ...process.env };
  if (useNative) delete env['BAOMI_NATIVE'];
  else env['BAOMI_NATIVE'] = '0';
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [file], { env });
    // bytes first, decoded once: a piece of the pipe may end inside a character
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => stdout.push(d));
    p.stderr.on('data', (d: Buffer) => stderr.push(d));
    p.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(Buffer.concat(stdout).toString('utf8').trim().split('\n').pop()!) as SetResult[]) : reject(new Error(`walk exited ${code}: ${Buffer.concat(stderr).toString('utf8')}`)),
    );
  });
}

describe('the native reader fails closed (issue 13 item 4)', () => {
  it.skipIf(!native && !required)('fastRun takes every needle: a file holding only the 200th stops it', async () => {
    expect(native, 'the native addon is required here (BAOMI_NATIVE_REQUIRED=1)').toBeDefined();
    const d = join(dir, 'one');
    mkdirSync(d, { recursive: true });
    const grammar = loadMarkingGrammar();
    const keywords = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x4e00 + 7 * i) + '号');
    const needles = byteNeedles([...grammar.keywords, ...keywords]);
    expect(needles.length).toBeGreaterThan(600);
    // the last keyword's character, alone in a file, in each encoding
    const last = keywords[keywords.length - 1]![0]!;
    const files = ['u8.txt', 'gbk.txt', 'u16.txt'];
    writeFileSync(join(d, files[0]!), `plain text ${last} here\n`);
    writeFileSync(join(d, files[1]!), Buffer.concat([Buffer.from('plain text '), gbkBytes(last)!, Buffer.from(' here\n')]));
    writeFileSync(join(d, files[2]!), Buffer.concat([Buffer.from('ab'), Buffer.from(`${last}x`, 'utf16le')]));
    const slots = new Float64Array(4);
    const res = new Float64Array(6);
    const buf = Buffer.alloc(256 * 1024 + 64);
    for (let i = 0; i < files.length; i++) {
      native!.fastRun(d, files, i, files.length, needles, 3, slots, buf, res);
      expect([res[0], res[2]], files[i]).toEqual([i, FAST_STOP.needle]);
    }
    // and a file without it goes through
    writeFileSync(join(d, 'zz.txt'), 'plain text only\n');
    native!.fastRun(d, ['zz.txt'], 0, 1, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([1, FAST_STOP.end]);
    // a folder path of PATH_MAX bytes or more is not opened (as JavaScript cannot open it), as a name's
    native!.fastRun(`${d}/${'.//'.repeat(1400)}`, ['zz.txt'], 0, 1, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([0, FAST_STOP.open]);
  });

  it.skipIf(!native && !required)(`native and JavaScript readers give the same records and gaps over ${SETS} random keyword sets (seed ${SEED})`, async () => {
    const t0 = Date.now();
    const [nat, js] = await Promise.all([walkAll(true), walkAll(false)]);
    const ms = Date.now() - t0;
    expect(nat).toHaveLength(SETS);
    expect(js).toHaveLength(SETS);
    let compared = 0;
    let found = 0;
    for (let i = 0; i < SETS; i++) {
      expect(nat[i]!.reader, 'the first walk used the native reader').toBe('native');
      expect(js[i]!.reader).toMatch(/^javascript/);
      // on a difference, a short account (the records can be long): which paths, how many markings, the first that differ
      const diff = (a: string[], b: string[]): string[] =>
        a.filter((x) => !b.includes(x)).map((x) => {
          const r = JSON.parse(x) as { path: string; format: string; markings: Array<{ offset: number; text: string; part: string }> };
          const other = b.map((y) => JSON.parse(y) as typeof r).find((y) => y.path === r.path);
          const first = r.markings.findIndex((m, k) => JSON.stringify(m) !== JSON.stringify(other?.markings[k]));
          return `${r.path} ${r.format}: ${r.markings.length} vs ${other?.markings.length ?? 'none'}; first differing #${first}: ${JSON.stringify(r.markings[first])} vs ${JSON.stringify(other?.markings[first])}`;
        });
      expect(diff(nat[i]!.records, js[i]!.records), `set ${i} (${keywordSets[i]!.length} keywords, ${nat[i]!.needles} needles): native records not in javascript's`).toEqual([]);
      expect(diff(js[i]!.records, nat[i]!.records), `set ${i}: javascript records not in native's`).toEqual([]);
      expect(nat[i]!.gaps, `set ${i}: gaps`).toEqual(js[i]!.gaps);
      compared++;
      found += nat[i]!.records.filter((r) => r.includes('"keyword"')).length;
    }
    expect(compared).toBe(SETS);
    // the comparison means something: sets past 64 needles, and unit keywords found
    expect(Math.max(...nat.map((r) => r.needles))).toBeGreaterThan(64 * 4);
    expect(found).toBeGreaterThan(SETS);
    console.log(`native ≡ javascript: ${compared} keyword sets (${keywordSets.map((k) => k.length).join(', ')} keywords; up to ${Math.max(...nat.map((r) => r.needles))} needles) × ${FILES} files; ${found} records with unit keywords; ${ms} ms`);
  }, 240_000);
});
