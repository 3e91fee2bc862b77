// `baomi results list` as text: a table whose cells are separated by real tabs, with whatever came
// from the results folder (a host name, a report name: written by the scanned disk's own data) made
// printable cell by cell. The index.jsonl here is written by the test (synthetic, not from the corpus).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliContext } from '../../src/cli/common.js';
import { resultsListCommand } from '../../src/cli/results.js';

async function run(dir: string, lang: 'zh' | 'en'): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await resultsListCommand(dir, {}, cliContext(lang)), out };
  } finally {
    spy.mockRestore();
  }
}

describe('results list (text)', () => {
  afterEach(() => vi.restoreAllMocks());
  it('keeps the tabs between cells and escapes control characters inside them; a missing report exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-results-'));
    const entry = {
      schema: 'baomi.kit-index/1', time: '2026-12-06T08:00:00Z', machine: { hostname: 'evil\x1b[2Jhost\tx' }, profile: 'classified', level: '机密',
      root: '/mnt/a', report: 'gone.json', sha256: '0'.repeat(64), findings: 2, complete: true, exitCode: 1, keyId: 'sha256:00',
    };
    await writeFile(join(dir, 'index.jsonl'), `${JSON.stringify(entry)}\n`);
    for (const lang of ['zh', 'en'] as const) {
      const { code, out } = await run(dir, lang);
      expect(code).toBe(1);
      expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      const lines = out.trimEnd().split('\n');
      const header = lines.find((l) => l.startsWith(lang === 'zh' ? '时间\t' : 'time\t'))!;
      expect(header.split('\t')).toHaveLength(7);
      const row = lines.find((l) => l.includes('gone.json'))!;
      const cells = row.split('\t');
      expect(cells).toHaveLength(7);
      expect(cells[1]).not.toBe('evil\x1b[2Jhost\tx');
      expect(cells[1]).toMatch(/^evil.+host.+x$/);
      expect(cells[5]).toMatch(lang === 'zh' ? /^报告缺失/ : /^report missing/);
      expect(cells[6]).toBe('gone.json');
    }
  });
});
