// The native fast path (native/fastwalk.c) against the JavaScript one it stands in for: on every
// branch of the prefilter it either rules a file out exactly as JavaScript would, or stops and
// leaves that file to JavaScript — never the other way round. A stop for a keyword's bytes
// ("needle") is one where JavaScript's fast path would give up too; the walk test below checks
// that skipping it there changes nothing.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_STOP, nativeWalk } from '../../../src/checks/documents/native.js';
import { DocWalk, type WalkTotals } from '../../../src/checks/documents/pool.js';
import { byteNeedles, needleChars } from '../../../src/checks/documents/prefilter.js';
import { FolderScanner, type WalkInit, type WalkMessage } from '../../../src/checks/documents/worker.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';
import { makeNamesTree } from './_names-tree.js';
import { NATIVE_REQUIRED } from '../../_helpers/oracles.js';

const WORKER = new URL('../../../dist/checks/documents/worker-main.js', import.meta.url);
const native = nativeWalk();
// CI builds it (BAOMI_NATIVE_REQUIRED=1): there a missing addon is a failure, not a skip.
const required = NATIVE_REQUIRED;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-native-'));
});
afterAll(() => {
  // rm(1) removes paths over PATH_MAX (Node's rm does not)
  execFileSync('rm', ['-rf', dir]);
});

function init(javascriptOnly = false): WalkInit {
  const grammar = loadMarkingGrammar();
  const all = [...grammar.keywords, '天河'];
  return { grammar, keywords: ['天河'], needles: byteNeedles(all), needleChars: needleChars(all), skip: [], maxFileBytes: 48 << 20, fileTimeoutMs: 60_000, progress: new SharedArrayBuffer(32), javascriptOnly };
}

const FAST = 256 * 1024;

/** A v7 tar header (no magic) with a valid checksum, as `tar --format=v7` writes. */
function v7Header(): Buffer {
  const h = Buffer.alloc(512);
  h.write('notes.txt', 0, 'latin1');
  h.write('0000644\0', 100, 'latin1');
  h.write('0001750\0', 108, 'latin1');
  h.write('0001750\0', 116, 'latin1');
  h.write('00000000005\0', 124, 'latin1');
  h.write('14717067700\0', 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h[156] = 0x30;
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return Buffer.concat([h, Buffer.from('hello'), Buffer.alloc(1024 - 5 + 507)]);
}

/** Files for every branch, with what the native path must do with each: rule it out (its size) or stop. */
function cases(): Array<{ name: string; bytes: Buffer; native: 'clean' | 'stop' | 'needle' | 'binary' | 'image' }> {
  const ascii = (n: number): Buffer => Buffer.from('int main(void) { return 0; }\n'.repeat(Math.ceil(n / 29)).slice(0, n));
  const elf = Buffer.alloc(4096, 0x11);
  elf.write('\x7fELF', 0, 'latin1');
  elf[257] = 0; // a v7 tar test must not take it (the checksum does not hold)
  const straddle = Buffer.concat([ascii(FAST - 1), Buffer.from('密'), ascii(100)]); // 密 = E5 AF 86 across the border
  // an executable and a picture whose bytes happen to hold a needle (密 in GBK: C3 DC)
  const elfNeedle = Buffer.concat([elf, Buffer.from([0xc3, 0xdc]), Buffer.from('<b>&#1;</b>')]);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 0x41), Buffer.from([0xc6, 0x5b])]);
  const escapeStraddle = Buffer.concat([Buffer.from('<p>'), ascii(FAST - 4), Buffer.from('&#23494;')]);
  return [
    { name: 'a-empty', bytes: Buffer.alloc(0), native: 'clean' },
    { name: 'b-source.c', bytes: ascii(5000), native: 'clean' },
    { name: 'c-big.log', bytes: ascii(3 * FAST + 17), native: 'clean' },
    { name: 'd-exact.log', bytes: ascii(2 * FAST), native: 'clean' },
    { name: 'e-latin.txt', bytes: Buffer.from('caf\u00e9 na\u00efve r\u00e9sum\u00e9\n'.repeat(100), 'latin1'), native: 'clean' },
    { name: 'f-chinese-no-keyword.txt', bytes: Buffer.from('会议通知：请各部门落实年度计划。\n'.repeat(50)), native: 'clean' },
    { name: 'g-elf', bytes: elf, native: 'clean' },
    { name: 'g2-elf-needle', bytes: elfNeedle, native: 'needle' },
    { name: 'g3-png-needle.png', bytes: png, native: 'needle' },
    { name: 'h-utf8-keyword.txt', bytes: Buffer.from('通知\n秘密★1年\n'), native: 'needle' },
    { name: 'i-gbk-keyword.txt', bytes: Buffer.from([0xc3, 0xd8, 0xc3, 0xdc, 0xa1, 0xef, 0x0a]), native: 'needle' }, // 秘密★ in GBK
    { name: 'j-utf16le.txt', bytes: Buffer.from('\ufeff秘密★1年', 'utf16le'), native: 'stop' },
    { name: 'k-straddle.txt', bytes: straddle, native: 'needle' },
    { name: 'l-escape-straddle.html', bytes: escapeStraddle, native: 'stop' },
    { name: 'm-zip.bin', bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), ascii(100)]), native: 'stop' },
    { name: 'n-late-pdf.bin', bytes: Buffer.concat([ascii(500), Buffer.from('%PDF-1.7\n')]), native: 'stop' },
    { name: 'o-ole.bin', bytes: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), ascii(600)]), native: 'stop' },
    { name: 'p-rtf.rtf', bytes: Buffer.from('{\\rtf1\\ansi hello}'), native: 'stop' },
    { name: 'q-gzip.gz', bytes: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), native: 'stop' },
    { name: 'r-v7.tar', bytes: v7Header(), native: 'stop' },
    { name: 's-mail.eml', bytes: Buffer.from('From: a@b.c\nSubject: =?gbk?B?w9g=?=\n\nbody\n'), native: 'stop' },
    { name: 't-header-like.txt', bytes: Buffer.from('Note: this is plain text\n'), native: 'stop' },
    { name: 'u-markup-escape.xml', bytes: Buffer.from('<a>&#23494;</a>\n'), native: 'stop' },
    { name: 'v-markup-no-escape.xml', bytes: Buffer.from('<a>hello</a>\n'.repeat(20)), native: 'clean' },
    { name: 'w-nul-start.bin', bytes: Buffer.concat([Buffer.alloc(4), ascii(100)]), native: 'stop' },
    { name: 'x-unit-keyword.txt', bytes: Buffer.from('天河 project\n'), native: 'needle' },
    { name: 'y-rar.rar', bytes: Buffer.from('Rar!\x1a\x07\x00', 'latin1'), native: 'stop' },
    { name: 'z-7z.7z', bytes: Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), native: 'stop' },
  ];
}

describe('native fast path', () => {
  it('is built where the build must provide it (CI), and says why when it is not', () => {
    if (required) expect(native).toBeDefined();
    if (!native) console.warn('native fast path not built: only the JavaScript reader is tested');
  });

  it.runIf(native !== undefined)('rules out exactly the files JavaScript rules out, and stops at the rest', async () => {
    const root = join(dir, 'branches');
    await mkdir(root, { recursive: true });
    const all = cases();
    for (const c of all) await writeFile(join(root, c.name), c.bytes);
    const ini = init();
    const slots = new Float64Array(ini.progress);
    const buf = Buffer.alloc(FAST + 64);
    const res = new Float64Array(5);
    const names = all.map((c) => c.name);
    const needles = ini.needles.map((n) => Buffer.from(n));
    const got: string[] = [];
    for (let i = 0; i < names.length; i++) {
      native!.fastRun(root, names, i, i + 1, needles, 3, slots, buf, res);
      const clean = res[0] === i + 1 && res[2] === FAST_STOP.end;
      const kind = res[3] === 1 ? 'binary' : res[4] === 1 ? 'image' : 'clean';
      got.push(`${names[i]}: ${clean ? kind : res[2] === FAST_STOP.needle ? 'needle' : 'stop'}${clean ? ` ${res[1]}` : ''}`);
      if (!clean) expect(res[0]).toBe(i);
      if (!clean && res[2] !== FAST_STOP.needle) expect(res[2]).toBe(FAST_STOP.content);
    }
    expect(got).toEqual(all.map((c) => `${c.name}: ${c.native}${c.native !== 'stop' && c.native !== 'needle' ? ` ${c.bytes.length}` : ''}`));
    // progress for the watchdog: the last file tried, and a recent time
    expect(slots[1]).toBe(names.length - 1);
    expect(Date.now() - slots[2]!).toBeLessThan(10_000);
  });

  it.runIf(native !== undefined)('a run stops at the first file JavaScript must see, and at a split request', async () => {
    const root = join(dir, 'run');
    await mkdir(root, { recursive: true });
    const names = ['a.c', 'b.c', 'c.txt', 'd.c'];
    await writeFile(join(root, 'a.c'), 'int a;\n');
    await writeFile(join(root, 'b.c'), 'int bb;\n');
    await writeFile(join(root, 'c.txt'), '机密★5年\n');
    await writeFile(join(root, 'd.c'), 'int d;\n');
    const ini = init();
    const slots = new Float64Array(ini.progress);
    const res = new Float64Array(5);
    const buf = Buffer.alloc(FAST + 64);
    native!.fastRun(root, names, 0, 4, ini.needles.map((n) => Buffer.from(n)), 3, slots, buf, res);
    expect([...res]).toEqual([2, 7 + 8, FAST_STOP.needle, 0, 0]);
    slots[3] = 1;
    native!.fastRun(root, names, 3, 4, ini.needles.map((n) => Buffer.from(n)), 3, slots, buf, res);
    expect([...res]).toEqual([3, 0, FAST_STOP.split, 0, 0]);
    slots[3] = 0;
    native!.fastRun(root, ['missing.c'], 0, 1, [], 3, slots, buf, res);
    expect([...res]).toEqual([0, 0, FAST_STOP.open, 0, 0]);
    expect(() => native!.fastRun(root, names, 0, 1, [], 3, new Float64Array(2), buf, res)).toThrow(/slots/);
  });

  it('a keyword across the fast path\'s 256 KiB read border is found (both readers)', async () => {
    const root = join(dir, 'border');
    await mkdir(root, { recursive: true });
    // "秘密★1年" on its own line, its 密 split by the border (E5 | AF 86)
    const pad = Buffer.from('x'.repeat(FAST - 5) + '\n');
    const text = Buffer.concat([pad, Buffer.from('秘密★1年\n'), Buffer.from('tail\n')]);
    expect(text.indexOf(Buffer.from('密'))).toBe(FAST - 1);
    await writeFile(join(root, 'long.txt'), text);
    for (const javascriptOnly of [true, false]) {
      const messages: WalkMessage[] = [];
      await new FolderScanner(init(javascriptOnly), (m) => messages.push(m)).folder({ id: 1, t: '/', h: root });
      expect(messages.flatMap((m) => m.records.map((r) => [r.path, r.markings.map((k) => k.text)]))).toEqual([['/long.txt', ['秘密★1年']]]);
    }
  });

  it('the walk finds the same with the native reader and without it (labelled set, every branch above, names as disks have them)', async () => {
    const root = join(dir, 'both');
    await mkdir(join(root, 'branches'), { recursive: true });
    // GBK, Latin-1 and control-character names, paths over PATH_MAX, ordinary names (_names-tree.ts)
    await mkdir(join(root, 'names'));
    const names = makeNamesTree(join(root, 'names'));
    for (const c of cases()) await writeFile(join(root, 'branches', c.name), c.bytes);
    const lab = new URL('../../../fixtures/documents/labelled/', import.meta.url).pathname;
    execFileSync('cp', ['-r', lab, join(root, 'labelled')]);
    const run = (javascriptOnly: boolean): Promise<WalkTotals> => {
      const { progress: _p, ...rest } = init(javascriptOnly);
      return new DocWalk(WORKER, rest, 2).run([{ t: '/', h: root }]);
    };
    const [js, nat] = [await run(true), await run(false)];
    const view = (t: WalkTotals): unknown => ({
      records: t.records.map((r) => JSON.stringify(r)).sort(),
      gaps: t.gaps.map((g) => JSON.stringify(g)).sort(),
      files: t.counts.files,
      bytes: t.counts.bytes,
      // the same formats counted, whichever reader ruled a file out
      byFormat: t.counts.byFormat,
      symlinks: t.counts.symlinks,
      folders: t.walk.folders,
    });
    expect(view(nat)).toEqual(view(js));
    expect(js.records.length).toBeGreaterThan(40);
    // what the names tree must give either way: GBK names read and shown decoded, the deep paths gaps
    expect(js.records.filter((r) => r.pathBytes).map((r) => r.path).sort()).toEqual(
      ['/names/bell\\x07\\u202eevil.txt', '/names/line\\x0abreak.txt', '/names/r\\xe9sum\\xe9.txt', '/names/机密★5年 会议纪要.txt', '/names/机密文件.docx', '/names/资料/memo.txt', '/names/资料/会议纪要.txt'].sort(),
    );
    expect(js.gaps.map((g) => g.path).filter((p) => p.startsWith('/names/')).sort()).toEqual([`/names${names.deepDir}/${names.longDir}`, `/names${names.deepDir}/${names.longFile}`, `/names${names.deepDir}/${names.longPlain}`].sort());
  }, 60_000);

  it.runIf(native !== undefined)('tunes and trims glibc malloc', () => {
    // glibc on the machines baomi runs on (Debian): both calls take effect
    expect(native!.tuneMalloc(2)).toBe(true);
    expect(typeof native!.trim()).toBe('boolean');
  });
});
