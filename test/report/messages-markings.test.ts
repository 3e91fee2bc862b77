// Every reason the marking grammar can give has its Chinese (src/report/messages-markings.ts): the
// reasons are read from the grammar's source (each `reasons.push(…)`, with the alternatives of a
// conditional and the values of kindOf), so a new reason without a translation fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markingReasonWords } from '../../src/report/messages-markings.js';

const SRC = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'formats', 'markings.ts'), 'utf8');

/** The reason texts the grammar's source can produce (templates filled with a sample value). */
function grammarReasons(): string[] {
  const out = new Set<string>();
  for (const m of SRC.matchAll(/reasons\.push\(([^;]*)\);/g)) {
    for (const lit of m[1]!.matchAll(/'([^']*)'|`([^`]*)`/g)) {
      const text = lit[1] ?? lit[2]!;
      if (lit[2] !== undefined && text.includes('${kindOf(')) {
        for (const k of ['cell', 'space', 'line']) out.add(text.replace(/\$\{kindOf\([^}]*\)\}/, k));
      } else out.add(text.replace(/\$\{[^}]*\}/g, 'X'));
    }
  }
  // the ternaries give boundary kinds and levels compared against, not reasons
  for (const x of ['space', 'edge', 'line']) out.delete(x);
  return [...out].sort();
}

describe('marking reasons in Chinese', () => {
  it('every reason the grammar can give is listed, with no English left in its Chinese', () => {
    const reasons = grammarReasons();
    const unknown = reasons.filter((r) => !markingReasonWords(r).known);
    expect(unknown).toEqual([]);
    for (const r of reasons) expect(markingReasonWords(r).zh.replace(/「[^」]*」/g, ''), r).not.toMatch(/[A-Za-z]{2,}/);
    expect(reasons.length).toBeGreaterThanOrEqual(30);
  });

  it('a reason not listed is shown quoted, never dropped', () => {
    expect(markingReasonWords('something new')).toEqual({ zh: '「something new」', en: 'something new', known: false });
    expect(markingReasonWords('hard negative: 保密工作').zh).toBe('排除用语：「保密工作」');
  });
});
