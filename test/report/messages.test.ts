// The message catalogue: every entry in both languages, and words for every coverage kind a probe
// emits (found by reading the sources: `kind: '…'` in a coverage push, `ctx.gap('…'`).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COVERAGE_KINDS, FIELD_LABELS_ZH, VALUE_WORDS_ZH } from '../../src/report/messages.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Coverage kinds the code emits: `coverage.push({ kind: 'x'`, `gaps.push({ kind: 'x'`, `extra.push({ … kind: 'x'`, `ctx.gap('x'`. */
function emittedKinds(): Set<string> {
  const out = new Set<string>();
  for (const f of sources(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:coverage|gaps|extra)\.push\(\{[^}]{0,200}?\bkind: '([a-z-]+)'/g)) out.add(m[1]!);
    for (const m of text.matchAll(/\.gap\('([a-z-]+)'/g)) out.add(m[1]!);
  }
  return out;
}

describe('message catalogue', () => {
  it('every coverage kind has Chinese and English words', () => {
    for (const [k, w] of Object.entries(COVERAGE_KINDS)) {
      expect(w.zh.trim(), k).not.toBe('');
      expect(w.en.trim(), k).not.toBe('');
      expect(w.zh, k).toMatch(/\p{Script=Han}/u);
    }
    for (const [k, w] of [...Object.entries(FIELD_LABELS_ZH), ...Object.entries(VALUE_WORDS_ZH)]) expect(w.trim(), k).not.toBe('');
  });
  it('every coverage kind a probe emits has words here', () => {
    const kinds = emittedKinds();
    expect(kinds.size).toBeGreaterThan(20);
    const missing = [...kinds].filter((k) => COVERAGE_KINDS[k] === undefined).sort();
    expect(missing).toEqual([]);
  });
});
