// scanFile on archives whose text members are too big to hold: they are decompressed and matched
// window by window (Info-ZIP and GNU tar make the archives).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFile } from '../../../src/checks/documents/scan-file.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';

let dir: string;
let log: Buffer;
let at: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-scanfile-'));
  // 40 MB of log lines that do not compress 100:1 (ids from a fixed LCG), a marking at ~30 MB
  const lines: string[] = [];
  let x = 12345;
  let size = 0;
  while (size < 30_000_000) {
    x = (x * 1103515245 + 12345) >>> 0;
    const l = `2026-12-05 10:00:00 INFO request id=${x} user=${x % 977} status=200\n`;
    lines.push(l);
    size += l.length;
  }
  const head = Buffer.from(lines.join(''));
  at = head.length + 1;
  log = Buffer.concat([head, Buffer.from('\n机密★10年\n'), head.subarray(0, 10_000_000)]);
  await mkdir(join(dir, 'in'), { recursive: true });
  await writeFile(join(dir, 'in', 'app.log'), log);
  await writeFile(join(dir, 'in', 'readme.txt'), 'nothing here\n');
  execFileSync('zip', ['-q', join(dir, 'logs.zip'), 'app.log', 'readme.txt'], { cwd: join(dir, 'in') });
  execFileSync('tar', ['-cf', join(dir, 'logs.tar'), '-C', join(dir, 'in'), 'app.log', 'readme.txt']);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scanFile: big text members', () => {
  for (const archive of ['logs.zip', 'logs.tar']) {
    it(`${archive}: a 40 MB log member is matched in windows, past an 8 MiB hold budget`, async () => {
      const bytes = readFileSync(join(dir, archive));
      const r = await scanFile(bytes, { name: archive, grammar: loadMarkingGrammar(), maxExpandedBytes: 8 * 1024 * 1024 });
      // held whole, it would be over the budget: a too-large gap and no marking
      expect(r.gaps).toEqual([]);
      expect(r.markings.map((m) => [m.level, m.text, m.inner, m.offset])).toEqual([['机密', '机密★10年', 'app.log', at]]);
      expect(log.subarray(at, at + 14).toString()).toBe('机密★10年');
    }, 30_000);
  }

  it('a damaged deflate stream in a big member is a corrupt gap (bad data or a wrong length), not an error', async () => {
    const bytes = Buffer.from(readFileSync(join(dir, 'logs.zip')));
    // overwrite compressed data in the middle of app.log's stream
    bytes.fill(0xff, 2_000_000, 2_000_400);
    const r = await scanFile(bytes, { name: 'logs.zip', grammar: loadMarkingGrammar(), maxExpandedBytes: 8 * 1024 * 1024 });
    // listed against the archive, the member named in the reason (as for members read whole)
    expect(r.gaps.map((g) => [g.inner, g.kind])).toEqual([['', 'corrupt']]);
    expect(r.gaps[0]!.reason).toMatch(/^(inflate failed|member expanded to \d+ bytes).*\(app\.log\)$/);
  }, 30_000);
});
