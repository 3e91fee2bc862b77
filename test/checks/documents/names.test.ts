// File names as the disk has them: bytes. A GBK name (a Windows zip unpacked on Linux, a FAT
// volume mounted with the wrong iocharset) is not UTF-8; Node decodes it to U+FFFD and opening
// that name fails (or opens another file). The walk lists and opens by the bytes, shows the name
// decoded (GB18030) or escaped, never with a raw control character, and keeps the bytes
// (`pathBytes`). The files here are made with Buffer paths: the real bytes on the disk.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { child, errorReason, listFolder, shownName } from '../../../src/checks/documents/listing.js';
import { FAST_STOP, nativeWalk } from '../../../src/checks/documents/native.js';
import { DocWalk, type WalkTotals } from '../../../src/checks/documents/pool.js';
import { byteNeedles, needleChars } from '../../../src/checks/documents/prefilter.js';
import { FolderScanner, type WalkInit, type WalkMessage } from '../../../src/checks/documents/worker.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';
import { at, gbk, makeNamesTree } from './_names-tree.js';

const BIN = new URL('../../../bin/baomi.js', import.meta.url).pathname;
const WORKER = new URL('../../../dist/checks/documents/worker-main.js', import.meta.url);
const native = nativeWalk();

let dir: string;
let root: string;
/** Host paths longer than PATH_MAX below this folder (made with relative `cd`s). */
let deep = { dir: '', fileName: '', plain: '', subdir: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-names-'));
  root = join(dir, 'tree');
  mkdirSync(root);
  const t = makeNamesTree(root);
  deep = { dir: t.deepDir, fileName: t.longFile, plain: t.longPlain, subdir: t.longDir };
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

function walk(javascriptOnly: boolean, workers = 2): Promise<WalkTotals> {
  const { progress: _p, ...rest } = init(javascriptOnly);
  return new DocWalk(WORKER, rest, workers).run([{ t: '/', h: root }]);
}

/** Nothing a terminal acts on: no C0/C1 control, no DEL, no bidirectional override. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('names that are not UTF-8', () => {
  it('are shown decoded as GB18030 when plausible, else escaped, never with a raw control character', () => {
    expect(shownName(gbk('机密文件.docx'))).toEqual({ text: '机密文件.docx', enc: 'gb18030' });
    // the bytes of the example (c3dc bbfa = 密机) decode as such
    expect(shownName(Buffer.from('c3dcbbfacec4bcfe2e646f6378', 'hex')).text).toBe('密机文件.docx');
    expect(shownName(Buffer.from('r\xe9sum\xe9.txt', 'latin1'))).toEqual({ text: 'r\\xe9sum\\xe9.txt', enc: 'escaped' });
    expect(shownName(Buffer.from([0xff, 0xfe, 0x41]))).toEqual({ text: '\\xff\\xfeA', enc: 'escaped' });
    expect(shownName('line\nbreak')).toEqual({ text: 'line\\x0abreak', enc: 'escaped' });
    expect(shownName('a\\b\x1b')).toEqual({ text: 'a\\x5cb\\x1b', enc: 'escaped' }); // one reading only
    expect(shownName('x\u202ey')).toEqual({ text: 'x\\u202ey', enc: 'escaped' });
    expect(shownName('普通 name.txt')).toEqual({ text: '普通 name.txt' });
    // a UTF-8 name inside a GBK folder: shown as is, the whole path's bytes kept
    const sub = child({ t: '/', h: '/x' }, gbk('资料'));
    expect(sub).toMatchObject({ t: '/资料', enc: 'gb18030' });
    const f = child(sub, 'memo.txt');
    expect(f.t).toBe('/资料/memo.txt');
    expect(Buffer.from(f.tb!).toString('hex')).toBe(Buffer.concat([Buffer.from('/'), gbk('资料'), Buffer.from('/memo.txt')]).toString('hex'));
    expect(Buffer.from(f.h as Uint8Array)).toEqual(at('/x', gbk('资料'), 'memo.txt'));
  });

  it('a folder is listed by its bytes: every name opens as itself', () => {
    const l = listFolder({ t: '/', h: root }, new Set());
    const names = l.files.map((n) => (typeof n === 'string' ? n : `bytes:${Buffer.from(n).toString('hex')}`));
    expect(names).toContain('ordinary.txt');
    expect(names).toContain(`bytes:${gbk('机密文件.docx').toString('hex')}`);
    expect(names).not.toContain('\ufffd');
    for (const n of l.files) expect(readFileSync(child({ t: '/', h: root }, n).h as string | Buffer).length).toBeGreaterThan(0);
    // byte order: d… (64) < 源码 (d4 b4) < 资料 (d7 ca)
    expect(l.subdirs.map((s) => s.t)).toEqual([`/${'d'.repeat(200)}`, '/源码', '/资料']);
  });

  it('a GBK-named document is read: its marking found, the name decoded, the bytes kept; a GBK-named one without a marking gives nothing', async () => {
    for (const javascriptOnly of [true, false]) {
      const t = await walk(javascriptOnly);
      const doc = t.records.find((r) => r.path === '/机密文件.docx');
      expect(doc, `javascriptOnly=${javascriptOnly}`).toBeDefined();
      expect(doc!.markings.map((m) => m.text)).toEqual(['机密★10年']);
      expect(doc!.format).toBe('docx');
      expect(doc!.pathBytes).toBe(at('', gbk('机密文件.docx')).toString('hex'));
      expect(doc!.pathEncoding).toBe('gb18030');
      expect(doc!.sha256).toMatch(/^[0-9a-f]{64}$/);
      // the negative: read (no gap), no record
      expect(t.records.find((r) => r.path === '/工作总结.docx')).toBeUndefined();
      expect(t.gaps.filter((g) => !g.path.startsWith(deep.dir))).toEqual([]);
      // every record and gap printable
      for (const x of [...t.records, ...t.gaps]) expect(JSON.stringify(x)).not.toMatch(RAW_CONTROL);
      for (const x of [...t.records.map((r) => r.path), ...t.gaps.map((g) => g.path + g.reason)]) expect(x).not.toMatch(RAW_CONTROL);
      const shown = t.records.map((r) => [r.path, r.pathEncoding ?? 'exact', r.markings.map((m) => m.level).join()]).sort();
      expect(shown).toEqual(
        [
          ['/bell\\x07\\u202eevil.txt', 'escaped', '机密'],
          ['/line\\x0abreak.txt', 'escaped', '秘密'],
          ['/ordinary.txt', 'exact', '秘密'],
          ['/r\\xe9sum\\xe9.txt', 'escaped', '机密'],
          ['/机密★5年 会议纪要.txt', 'gb18030', '机密'],
          ['/机密文件.docx', 'gb18030', '机密'],
          ['/资料/memo.txt', 'gb18030', '秘密'],
          ['/资料/会议纪要.txt', 'gb18030', '机密'],
          [`${deep.dir}/short.txt`, 'exact', '秘密'],
        ].sort(),
      );
      // the marking of the GBK name is in the name
      expect(t.records.find((r) => r.path === '/机密★5年 会议纪要.txt')!.markings[0]!.part).toBe('file-name');
      // 2 docx + 2 in 资料 + 1 + 30 + 2 + 3 + 2 at the top, short.txt and the two long names below
      expect(t.counts.files).toBe(2 + 2 + 1 + 30 + 2 + 3 + 2 + 3);
      expect(t.counts.symlinks).toBe(1);
    }
  }, 60_000);

  it('paths over PATH_MAX are gaps (ENAMETOOLONG) for both readers, said without raw bytes of the host path', async () => {
    const t = await walk(false);
    expect(t.gaps.map((g) => [g.path, g.kind, g.reason]).sort()).toEqual(
      [
        [`${deep.dir}/${deep.fileName}`, 'unreadable', 'ENAMETOOLONG: name too long, open'],
        [`${deep.dir}/${deep.plain}`, 'unreadable', 'ENAMETOOLONG: name too long, open'],
        [`${deep.dir}/${deep.subdir}`, 'unreadable', 'folder not listed: ENAMETOOLONG: name too long, scandir'],
      ].sort(),
    );
  }, 60_000);

  it('the native and the JavaScript walk find the same: records, gaps, counts, formats', async () => {
    const [js, nat] = [await walk(true, 1), await walk(false, 3)];
    const view = (t: WalkTotals): unknown => ({
      records: t.records.map((r) => JSON.stringify(r)).sort(),
      gaps: t.gaps.map((g) => JSON.stringify(g)).sort(),
      files: t.counts.files,
      bytes: t.counts.bytes,
      symlinks: t.counts.symlinks,
      byFormat: t.counts.byFormat,
      folders: t.walk.folders,
    });
    expect(view(nat)).toEqual(view(js));
    expect(js.records.length).toBe(9);
    expect(js.gaps.length).toBe(3);
  }, 60_000);

  it.runIf(native !== undefined)('the native path reads names given as bytes, and stops where JavaScript cannot open', () => {
    const ini = init();
    const slots = new Float64Array(ini.progress);
    const buf = Buffer.alloc(256 * 1024 + 64);
    const res = new Float64Array(5);
    const needles = ini.needles.map((n) => Buffer.from(n));
    const src = at(root, gbk('源码'));
    const names = Array.from({ length: 30 }, (_, i) => gbk(`文件${i}.c`)).sort(Buffer.compare);
    // a Buffer folder and Buffer names, and the same bytes as plain Uint8Arrays (as they cross threads)
    native!.fastRun(src, names, 0, names.length, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([30, FAST_STOP.end]);
    native!.fastRun(new Uint8Array(src), names.map((n) => new Uint8Array(n)), 0, names.length, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([30, FAST_STOP.end]);
    // the name decoded (U+FFFD) is another file: not found
    native!.fastRun(src, [names[0]!.toString('utf8')], 0, 1, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([0, FAST_STOP.open]);
    // a NUL inside a name never opens a shorter one
    native!.fastRun(root, [Buffer.from('plain.c\0x')], 0, 1, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([0, FAST_STOP.open]);
    native!.fastRun(root, ['plain.c\0x'], 0, 1, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([0, FAST_STOP.open]);
    native!.fastRun(root, ['plain.c'], 0, 1, needles, 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([1, FAST_STOP.end]);
    // a path over PATH_MAX: openat could read it, JavaScript cannot: neither does
    native!.fastRun(root + deep.dir, [deep.fileName, 'short.txt'], 0, 2, [], 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([0, FAST_STOP.open]);
    native!.fastRun(root + deep.dir, ['short.txt'], 0, 1, [], 3, slots, buf, res);
    expect([res[0], res[2]]).toEqual([1, FAST_STOP.end]);
  });

  it('an error names no host path and carries no raw control character', () => {
    let err: unknown;
    try {
      readFileSync(Buffer.from('/nonexistent/\x1b[2J\n'));
    } catch (e) {
      err = e;
    }
    expect(errorReason(err)).toBe('ENOENT: no such file or directory, open');
  });

  it('files given by their bytes as they arrive from another thread (plain Uint8Arrays: a split folder, a root that is a file) are read', async () => {
    for (const javascriptOnly of [true, false]) {
      const messages: WalkMessage[] = [];
      const folder = at(root, gbk('资料'));
      const files = [new Uint8Array(gbk('会议纪要.txt')), 'memo.txt'];
      await new FolderScanner(init(javascriptOnly), (m) => messages.push(m)).folder({ id: 1, t: '/资料', h: new Uint8Array(folder), tb: new Uint8Array(at('', gbk('资料'))), enc: 'gb18030', files });
      expect(messages.flatMap((m) => m.records.map((r) => [r.path, r.pathBytes, r.markings[0]!.text]))).toEqual([
        ['/资料/会议纪要.txt', at('', gbk('资料'), gbk('会议纪要.txt')).toString('hex'), '机密★5年'],
        ['/资料/memo.txt', at('', gbk('资料'), 'memo.txt').toString('hex'), '秘密★1年'],
      ]);
      const plain: WalkMessage[] = [];
      const src = Array.from({ length: 30 }, (_, i) => new Uint8Array(gbk(`文件${i}.c`)));
      await new FolderScanner(init(javascriptOnly), (m) => plain.push(m)).folder({ id: 2, t: '/源码', h: new Uint8Array(at(root, gbk('源码'))), files: src });
      expect(plain.reduce((n, m) => n + m.counts.files, 0)).toBe(30);
      expect(plain.flatMap((m) => [...m.records, ...m.gaps])).toEqual([]);
    }
  });
});

describe('names that are not UTF-8, in a scan', () => {
  it('the finding of a GBK-named document shows the name decoded and its bytes; a GBK-named one without a marking gives none; nothing printed is raw', async () => {
    const work = await mkdtemp(join(tmpdir(), 'baomi-names-scan-'));
    try {
      const r = join(work, 'root');
      execFileSync('cp', ['-r', new URL('../../../fixtures/roots/debian12-ws', import.meta.url).pathname, r]);
      mkdirSync(join(r, 'home', 'docs'), { recursive: true });
      // the bytes on the disk: GBK names (copied by Buffer paths), and a name with control characters
      const docs = join(r, 'home', 'docs');
      copyFileSync(new URL('../../../fixtures/documents/labelled/w02-page-header.docx', import.meta.url).pathname, at(docs, gbk('机密文件.docx')));
      copyFileSync(new URL('../../../fixtures/documents/labelled/n01-secrecy-work-summary.docx', import.meta.url).pathname, at(docs, gbk('工作总结.docx')));
      writeFileSync(join(docs, 'esc\x1b[2Jx\nnote.txt'), '秘密★1年\n');
      const run = (format: string[]): ReturnType<typeof spawnSync> =>
        spawnSync(process.execPath, [BIN, 'scan', '--root', r, '--out', join(work, 'out'), '--profile', 'nonclassified', '--only', 'document-classified-marking', ...format], {
          encoding: 'utf8',
          env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
          timeout: 300_000,
        });
      const json = run(['--format', 'json']);
      const rep = JSON.parse(String(json.stdout)) as { findings: Array<{ evidence: Record<string, unknown> }>; coverage: Array<{ path?: string }> };
      const ev = rep.findings.map((f) => f.evidence).sort((a, b) => String(a['path']).localeCompare(String(b['path'])));
      expect(ev.map((e) => [e['path'], e['pathBytes'], e['pathEncoding']])).toEqual([
        ['/home/docs/esc\\x1b[2Jx\\x0anote.txt', Buffer.from('/home/docs/esc\x1b[2Jx\nnote.txt').toString('hex'), 'escaped'],
        ['/home/docs/机密文件.docx', at('/home/docs', gbk('机密文件.docx')).toString('hex'), 'gb18030'],
      ]);
      expect((ev[1]!['markings'] as Array<{ text: string }>).map((m) => m.text)).toEqual(['机密★10年']);
      // the negative was read, not a gap
      expect(rep.coverage.filter((c) => c.path?.startsWith('/home/docs/'))).toEqual([]);
      const text = run([]);
      expect(String(text.stdout)).toContain('path: /home/docs/机密文件.docx');
      expect(String(text.stdout)).toContain(`pathBytes: ${at('/home/docs', gbk('机密文件.docx')).toString('hex')}`);
      // eslint-disable-next-line no-control-regex
      expect(String(text.stdout)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    } finally {
      execFileSync('rm', ['-rf', work]);
    }
  }, 300_000);
});
