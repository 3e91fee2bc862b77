// The document walk's coordinator and workers on real trees made here: every file counted once
// whatever the number of workers, folders shared between workers, and a file that hangs or crashes
// its worker listed as a gap while the rest of its folder is still read.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocWalk, type WalkTotals } from '../../../src/checks/documents/pool.js';
import { byteNeedles, needleChars } from '../../../src/checks/documents/prefilter.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';

const WORKER = new URL('../../../dist/checks/documents/worker-main.js', import.meta.url);
const FAULTY = new URL('./faulty-worker.mjs', import.meta.url);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-walk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function init(fileTimeoutMs = 60_000) {
  const grammar = loadMarkingGrammar();
  const all = [...grammar.keywords, '天河'];
  return { grammar, keywords: ['天河'], needles: byteNeedles(all), needleChars: needleChars(all), skip: ['/skipped'], maxFileBytes: 48 << 20, fileTimeoutMs };
}

async function walk(root: string, workers: number, url = WORKER, fileTimeoutMs?: number): Promise<WalkTotals> {
  return new DocWalk(url, init(fileTimeoutMs), workers).run([{ t: '/', h: root }]);
}

const paths = (t: WalkTotals): string[] => t.records.map((r) => r.path).sort();

describe('DocWalk', () => {
  it('counts every file once and finds the same markings with one worker or three', async () => {
    const root = join(dir, 'tree');
    for (let d = 0; d < 12; d++) {
      await mkdir(join(root, `d${d}`, 'sub'), { recursive: true });
      for (let f = 0; f < 40; f++) await writeFile(join(root, `d${d}`, `f${f}.txt`), `line ${d}/${f}\n`.repeat(50));
      await writeFile(join(root, `d${d}`, 'sub', 'memo.txt'), d % 3 === 0 ? '秘密★1年\n\n关于天河项目的通知\n' : '我们要做好保密工作。\n');
    }
    await mkdir(join(root, 'skipped'));
    await writeFile(join(root, 'skipped', 'x.txt'), '绝密★长期\n');
    await symlink('/etc/passwd', join(root, 'link'));
    execFileSync('mkfifo', [join(root, 'fifo')]);
    const one = await walk(root, 1);
    const three = await walk(root, 3);
    for (const t of [one, three]) {
      expect(t.counts.files).toBe(12 * 41);
      expect(t.counts.symlinks).toBe(1);
      expect(t.walk.folders).toBe(1 + 12 * 2);
      // the FIFO is never opened (it would wait for a writer), and named as not read
      expect(t.gaps).toEqual([{ kind: 'not-regular', path: '/fifo', reason: 'a FIFO (named pipe): not read (only regular files are)' }]);
    }
    expect(paths(one)).toEqual(['/d0/sub/memo.txt', '/d3/sub/memo.txt', '/d6/sub/memo.txt', '/d9/sub/memo.txt']);
    expect(paths(three)).toEqual(paths(one));
    const memo = one.records.find((r) => r.path === '/d0/sub/memo.txt')!;
    expect(memo.markings.map((m) => [m.level, m.text])).toEqual([
      ['秘密', '秘密★1年'],
      ['keyword', '天河'],
    ]);
    expect(memo.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(one.counts.bytes).toBe(three.counts.bytes);
  });

  it('shares a folder of big files between idle workers, and still reads each file once', async () => {
    const root = join(dir, 'big');
    await mkdir(join(root, 'logs'), { recursive: true });
    const line = 'Nov 23 10:00:00 host kernel: eth0: link up, 1000 Mbps, full duplex\n';
    for (let f = 0; f < 24; f++) await writeFile(join(root, 'logs', `syslog.${String(f).padStart(2, '0')}`), line.repeat(Math.ceil((4 << 20) / line.length)));
    await writeFile(join(root, 'logs', 'syslog.99'), `${line}机密★10年\n`);
    const t = await walk(root, 2);
    expect(t.counts.files).toBe(25);
    expect(t.walk.splits).toBeGreaterThan(0);
    expect(paths(t)).toEqual(['/logs/syslog.99']);
  });

  it('lists a file that hangs or crashes its worker and reads the rest of the folder', async () => {
    const root = join(dir, 'faulty');
    await mkdir(join(root, 'd'), { recursive: true });
    for (const n of ['a.txt', 'crash.txt', 'hang.txt', 'm.txt', 'z.txt']) await writeFile(join(root, 'd', n), n === 'z.txt' || n === 'a.txt' ? `机密★5年\n${n}\n` : 'plain\n');
    const t = await walk(root, 1, FAULTY, 300);
    expect(t.counts.files).toBe(5);
    expect(paths(t)).toEqual(['/d/a.txt', '/d/z.txt']);
    expect(t.gaps.map((g) => [g.path, g.kind])).toEqual([
      ['/d/crash.txt', 'unreadable'],
      ['/d/hang.txt', 'timeout'],
    ]);
    expect(t.gaps[0]!.reason).toMatch(/simulated crash/);
    expect(t.walk.restarts).toBe(2);
  }, 20_000);

  it('a worker that dies holding the turn for big documents does not stop the others from reading them', async () => {
    const root = join(dir, 'turn');
    const src = join(dir, 'turn-src');
    await mkdir(join(root, 'd'), { recursive: true });
    await mkdir(src, { recursive: true });
    await writeFile(join(root, 'd', 'hold-turn.bin'), 'plain\n');
    // a 5 MB zip (Info-ZIP): a big document, which needs the turn
    const noise = Buffer.alloc(5 << 20);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((i * 2654435761) >>> 0, i);
    await writeFile(join(src, 'media.bin'), noise);
    await writeFile(join(src, 'note.txt'), '机密★5年\n');
    execFileSync('zip', ['-q', '-0', join(root, 'd', 'z-big.zip'), 'media.bin', 'note.txt'], { cwd: src });
    await rm(src, { recursive: true });
    // the turn is taken whatever the memory in use (BAOMI_TURN_MB is read when a worker starts)
    process.env['BAOMI_TURN_MB'] = '1';
    try {
      const t = await walk(root, 2, FAULTY, 300);
      expect(t.gaps.map((g) => [g.path, g.kind])).toEqual([['/d/hold-turn.bin', 'timeout']]);
      expect(t.records.map((r) => [r.path, r.markings.map((m) => m.level)])).toEqual([['/d/z-big.zip', ['机密']]]);
    } finally {
      delete process.env['BAOMI_TURN_MB'];
    }
  }, 20_000);

  it('the walk (prefilter, fast path, workers) finds exactly the labelled levels in every file of the labelled set', async () => {
    const lab = new URL('../../../fixtures/documents/labelled/', import.meta.url).pathname;
    const labels = JSON.parse(readFileSync(join(lab, 'labels.json'), 'utf8')) as Array<{ file: string; expected: Array<{ level: string }> }>;
    const t = await new DocWalk(WORKER, { ...init(), keywords: [] }, 2).run([{ t: '/', h: lab }]);
    const found = new Map(t.records.map((r) => [r.path.slice(1), [...new Set(r.markings.map((m) => m.level))].sort()]));
    const wrong = labels.filter((l) => JSON.stringify(found.get(l.file) ?? []) !== JSON.stringify([...new Set(l.expected.map((e) => e.level))].sort()));
    expect(wrong.map((l) => `${l.file}: expected ${JSON.stringify(l.expected.map((e) => e.level))}, walk found ${JSON.stringify(found.get(l.file) ?? [])}`)).toEqual([]);
    expect(t.counts.files).toBeGreaterThanOrEqual(labels.length);
  });

  it('a docx inside a v7 tar (no magic, compressed member) is not passed over by the fast path', async () => {
    const root = join(dir, 'v7');
    await mkdir(join(root, 'in'), { recursive: true });
    const lab = new URL('../../../fixtures/documents/labelled/', import.meta.url).pathname;
    const labels = JSON.parse(readFileSync(join(lab, 'labels.json'), 'utf8')) as Array<{ file: string; format: string; expected: Array<{ level: string }> }>;
    const docx = labels.find((l) => l.format === 'docx' && l.expected.some((e) => e.level === '机密'))!;
    await writeFile(join(root, 'in', 'memo.docx'), readFileSync(join(lab, docx.file)));
    execFileSync('tar', ['--format=v7', '-cf', join(root, 'old.tar'), '-C', join(root, 'in'), 'memo.docx']);
    await rm(join(root, 'in'), { recursive: true });
    const t = await walk(root, 1);
    expect(t.records.map((r) => [r.path, r.format, r.markings.find((m) => m.level === '机密')?.inner])).toEqual([['/old.tar', 'tar', 'memo.docx']]);
    // evidence: the hash of the file as it is on disk
    expect(t.records[0]!.sha256).toBe(createHash('sha256').update(readFileSync(join(root, 'old.tar'))).digest('hex'));
  });

  it('a big .gz is read as a stream: text past any in-memory cap, a tar inside, an executable skipped, a cut file a gap', async () => {
    const root = join(dir, 'gz');
    await mkdir(root, { recursive: true });
    // 40 MB of log with a marking at 36 MB (the in-memory path capped text at 16 Mi characters)
    const line = 'Nov 23 10:00:00 host kernel: ok\n';
    const log = Buffer.concat([Buffer.from(line.repeat(Math.floor(36_000_000 / line.length))), Buffer.from('机密★10年\n'), Buffer.from(line.repeat(100_000))]);
    const at = log.indexOf(Buffer.from('机密★10年'));
    await writeFile(join(root, 'syslog.1.gz'), gzipSync(log));
    // a tar of a marked docx and 6 MB of filler, gzipped: collected and extracted
    const lab = new URL('../../../fixtures/documents/labelled/', import.meta.url).pathname;
    const labels = JSON.parse(readFileSync(join(lab, 'labels.json'), 'utf8')) as Array<{ file: string; format: string; expected: Array<{ level: string }> }>;
    const docx = labels.find((l) => l.format === 'docx' && l.expected.some((e) => e.level === '绝密'))!;
    await mkdir(join(root, 'in'), { recursive: true });
    await writeFile(join(root, 'in', 'memo.docx'), readFileSync(join(lab, docx.file)));
    await writeFile(join(root, 'in', 'filler.bin'), Buffer.alloc(6 << 20, 1));
    execFileSync('tar', ['-czf', join(root, 'backup.tgz'), '-C', join(root, 'in'), 'filler.bin', 'memo.docx']);
    await rm(join(root, 'in'), { recursive: true });
    // an executable: known from its first bytes, its (marked) name still checked
    const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(8 << 20, 7)]);
    await writeFile(join(root, '秘密★1年-tool.gz'), gzipSync(elf));
    // a cut .gz: what came before the cut is read, the rest is a gap
    const cut = gzipSync(Buffer.concat([Buffer.from('秘密★5年\n'), Buffer.from(line.repeat(400_000))]));
    await writeFile(join(root, 'cut.log.gz'), cut.subarray(0, cut.length - 5000));
    const t = await walk(root, 2);
    const rec = (p: string) => t.records.find((r) => r.path === p)?.markings.map((m) => [m.level, m.inner, m.part, m.offset]);
    expect(rec('/syslog.1.gz')).toEqual([['机密', 'syslog.1', 'text', at]]);
    expect(rec('/backup.tgz')?.filter((m) => m[0] === '绝密').map((m) => m[1])).toEqual(['backup.tar!/memo.docx']);
    // the name of the file, and the name of what it holds (as the in-memory path reports it)
    expect(rec('/秘密★1年-tool.gz')).toEqual([
      ['秘密', '', 'file-name', 0],
      ['秘密', '秘密★1年-tool', 'file-name', 0],
    ]);
    expect(rec('/cut.log.gz')).toEqual([['秘密', 'cut.log', 'text', 0]]);
    expect(t.gaps.map((g) => [g.path, g.kind])).toEqual([['/cut.log.gz', 'corrupt']]);
  });

  it('a zip over the file budget is read by position, member by member (Info-ZIP made it)', async () => {
    const root = join(dir, 'bigzip');
    const src = join(dir, 'bigzip-src');
    await mkdir(root, { recursive: true });
    await mkdir(src, { recursive: true });
    const lab = new URL('../../../fixtures/documents/labelled/', import.meta.url).pathname;
    const labels = JSON.parse(readFileSync(join(lab, 'labels.json'), 'utf8')) as Array<{ file: string; format: string; expected: Array<{ level: string }> }>;
    const docx = labels.find((l) => l.format === 'docx' && l.expected.some((e) => e.level === '机密'))!;
    await writeFile(join(src, 'memo.docx'), readFileSync(join(lab, docx.file)));
    await writeFile(join(src, 'note.txt'), '绝密★启用前\n');
    const noise = Buffer.alloc(52 << 20);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((i * 2654435761) >>> 0, i);
    await writeFile(join(src, 'media.bin'), noise);
    execFileSync('zip', ['-q', '-0', join(root, 'deck.zip'), 'media.bin'], { cwd: src });
    execFileSync('zip', ['-q', join(root, 'deck.zip'), 'memo.docx', 'note.txt'], { cwd: src });
    await rm(src, { recursive: true });
    const t = await walk(root, 1);
    const r = t.records.find((x) => x.path === '/deck.zip')!;
    expect(r.size).toBeGreaterThan(48 << 20);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.markings.filter((m) => m.part !== 'file-name').map((m) => [m.level, m.inner.split('#')[0]])).toEqual(expect.arrayContaining([['机密', 'memo.docx'], ['绝密', 'note.txt']]));
    expect(t.gaps).toEqual([]);
  });

  it('a tar over the file budget (a backup) is read by position too', async () => {
    const root = join(dir, 'bigtar');
    const src = join(dir, 'bigtar-src');
    await mkdir(root, { recursive: true });
    await mkdir(join(src, 'home'), { recursive: true });
    const noise = Buffer.alloc(50 << 20);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((i * 2246822519) >>> 0, i);
    await writeFile(join(src, 'home', 'disk.img'), noise);
    await writeFile(join(src, 'home', 'z-note.txt'), '秘密★6个月\n');
    execFileSync('tar', ['-cf', join(root, 'backup.tar'), '-C', src, 'home']);
    await rm(src, { recursive: true });
    const t = await walk(root, 1);
    const r = t.records.find((x) => x.path === '/backup.tar')!;
    expect(r.markings.map((m) => [m.level, m.inner, m.part])).toEqual([['秘密', 'home/z-note.txt', 'text']]);
    expect(t.gaps).toEqual([]);
  });

  it('walks single files given as roots, and lists a root it cannot list', async () => {
    const root = join(dir, 'single');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'a.txt'), '秘密★\n');
    await writeFile(join(root, 'b.txt'), '秘密★\n');
    const t = await new DocWalk(WORKER, init(), 2).run([
      { t: '/', h: root, files: ['b.txt'] },
      { t: '/missing', h: join(root, 'missing') },
    ]);
    expect(paths(t)).toEqual(['/b.txt']);
    expect(t.counts.files).toBe(1);
    expect(t.gaps.map((g) => [g.path, g.kind])).toEqual([['/missing', 'unreadable']]);
  });
});
