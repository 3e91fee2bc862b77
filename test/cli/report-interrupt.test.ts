// Nothing lost on interrupt (issue 14): Ctrl-C (SIGINT to a real `baomi scan` process) in the middle
// of the document walk leaves a signed partial report that holds the documents found before the
// interrupt — not an empty "interrupted" probe — with a blocking gap saying the walk was cut short;
// the text report names the scan it belongs to (the id the HTML carries as its baomi-scan-id meta).
//
// The tree: the committed offline root fixtures/roots/debian12-ws, plus 20 plain-text documents
// marked 机密★ written by this test in /home/zhang/a (walked first: folders are taken in name order)
// and 30,000 unmarked plain-text files in /home/zhang/big (so that the walk takes seconds).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { englishLeaks } from '../report/_leaks.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
const ROOT = join(REPO, 'fixtures', 'roots', 'debian12-ws');
const MARKED = 20;
const FOLDERS = 30;
const PER_FOLDER = 1000;

let work: string;
let root: string;
const env = (): NodeJS.ProcessEnv => ({ ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), LANG: 'C', NO_COLOR: '1' });

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` (npm test does)');
  work = await mkdtemp(join(tmpdir(), 'baomi-interrupt-'));
  root = join(work, 'root');
  await cp(ROOT, root, { recursive: true, verbatimSymlinks: true });
  const early = join(root, 'home', 'zhang', 'a');
  await mkdir(early, { recursive: true });
  for (let i = 0; i < MARKED; i++) {
    await writeFile(join(early, `通知${String(i).padStart(2, '0')}.txt`), `机密★10年\n关于第 ${i} 项工作的通知\n正文。\n`);
  }
  const filler = '普通文本内容，没有密级标志。'.repeat(200);
  for (let d = 0; d < FOLDERS; d++) {
    const dir = join(root, 'home', 'zhang', 'big', `d${String(d).padStart(2, '0')}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: PER_FOLDER }, (_, f) => writeFile(join(dir, `f${f}.txt`), filler)));
  }
}, 180_000);

describe('SIGINT in the middle of the document walk', () => {
  it('leaves a signed partial report with the documents found before, and a gap saying the walk was cut', async () => {
    const out = join(work, 'out');
    const child = spawn(process.execPath, [BIN, 'scan', '--root', root, '--out', out, '--format', 'json', '--lang', 'zh'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // The class line is printed once identity has run, just before the walk starts.
    await new Promise<void>((res) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/未指定|no class given|--profile/.test(stderr)) res();
      });
    });
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout.length).toBeGreaterThan(0);

    const files = await readdir(out);
    const jsonPath = join(out, files.find((f) => f.endsWith('.json'))!);
    const rep = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(rep.summary.complete).toBe(false);
    // The walk was cut: not every file was read…
    const scanned = rep.inventory.documentScan;
    expect(scanned.files).toBeLessThan(FOLDERS * PER_FOLDER);
    // …its probe ran out as interrupted, keeping what it found…
    const probe = rep.probes.find((p: { id: string }) => p.id === 'documents.markings');
    expect(probe).toMatchObject({ status: 'timeout', msg: { key: 'probe.interrupted-partial' } });
    expect(probe.observations).toBeGreaterThanOrEqual(MARKED);
    // …the documents found before the interrupt are findings of the report…
    const docs = rep.findings.filter((f: { ruleId: string }) => f.ruleId === 'document-classified-marking');
    const early = docs.filter((f: { evidence: { path: string } }) => f.evidence.path.startsWith('/home/zhang/a/'));
    expect(early).toHaveLength(MARKED);
    expect(early[0].evidence.maxLevel).toBe('机密');
    // …and a blocking gap says the walk did not reach the end (incomplete, never clean).
    const gap = rep.coverage.find((c: { kind: string }) => c.kind === 'interrupted');
    expect(gap).toMatchObject({ probe: 'documents.markings', blocking: true });

    // The text report: tied to its scan, the findings in it, the interrupt in words.
    const txt = await readFile(jsonPath.replace(/\.json$/, '.txt'), 'utf8');
    expect(txt).toContain(`报告编号: ${rep.scan.id}`);
    const html = await readFile(jsonPath.replace(/\.json$/, '.html'), 'utf8');
    expect(html).toContain(`<meta name="baomi-scan-id" content="${rep.scan.id}">`);
    expect(txt).toContain('通知00.txt');
    expect(txt).toMatch(/检查项 documents\.markings: 超时 — 检查被中断；保留了中断前的 \d+ 项结果 \[!\]/);
    expect(txt).toContain('检查中途停止（被中断或超时），未读完');
    // an interrupted report in Chinese is Chinese too
    expect(englishLeaks(txt, rep as Report).map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);

    const v = spawnSync(process.execPath, [BIN, 'verify', jsonPath], { encoding: 'utf8', env: env() });
    expect(v.status).toBe(0);
    expect(v.stdout.match(/^OK /gm)).toHaveLength(3);
  }, 180_000);
});
