// Issue 12 item 6 (PDF): a 2 MB PDF holding a 2 GiB Flate stream and an object stream claiming 10⁹
// objects took a scan to 4.36 GB and was reported as "no text layer". Now the walk, run in a child
// process as a scan runs it, reports a named gap saying which budget, and its peak resident size
// stays under the README's bound for the walk (300 MB).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuePdf } from '../formats/docs/_pdf-bomb.js';

const DIST = new URL('../../dist/', import.meta.url).href;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-pdfbomb-'));
  await mkdir(join(dir, 'tree'));
  await writeFile(join(dir, 'tree', 'bomb.pdf'), issuePdf());
  await writeFile(join(dir, 'tree', 'memo.txt'), '秘密★1年\n关于召开会议的通知\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a PDF made to explode', () => {
  it('is a zip-bomb gap naming the per-stream budget, and the walk stays under 300 MB', () => {
    const script = `
      const { DocWalk } = await import('${DIST}checks/documents/pool.js');
      const { byteNeedles, needleChars } = await import('${DIST}checks/documents/prefilter.js');
      const { loadMarkingGrammar } = await import('${DIST}formats/markings.js');
      const grammar = loadMarkingGrammar();
      const init = { grammar, keywords: [], needles: byteNeedles(grammar.keywords), needleChars: needleChars(grammar.keywords), skip: [], maxFileBytes: 48 << 20, fileTimeoutMs: 120000 };
      const t = await new DocWalk(new URL('${DIST}checks/documents/worker-main.js'), init, 2).run([{ t: '/', h: ${JSON.stringify(join(dir, 'tree'))} }]);
      console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, records: t.records.map((r) => r.path), gaps: t.gaps }));
    `;
    // a file, not --eval: worker threads inherit the flags (--input-type would stop them)
    const file = join(dir, 'walk.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { maxRssKb: number; records: string[]; gaps: Array<{ kind: string; path: string; reason: string }> };
    expect(out.records).toEqual(['/memo.txt']);
    expect(out.gaps).toHaveLength(1);
    expect(out.gaps[0]).toMatchObject({ kind: 'zip-bomb', path: '/bomb.pdf' });
    expect(out.gaps[0]!.reason).toMatch(/per-stream budget/);
    console.log(`walk over the PDF bomb: peak RSS ${Math.round(out.maxRssKb / 1024)} MB`);
    expect(out.maxRssKb * 1024).toBeLessThan(300 * 1024 * 1024);
  }, 120_000);
});
