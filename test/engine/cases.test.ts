// Every built-in rule's worked examples (rules/*.yaml `cases:`): each gives its expected verdict,
// and each rule has at least one case that fires and one that does not.
import { describe, expect, it } from 'vitest';
import { PROBE_MAP } from '../../src/checks/index.js';
import { runCases, verdict } from '../../src/engine/cases.js';
import { BUILTIN_RULES_DIR, formatProblem, loadRules } from '../../src/engine/rules.js';

const loaded = await loadRules([{ path: BUILTIN_RULES_DIR, builtin: true }], PROBE_MAP);
const results = runCases(loaded.rules);
const EVERY_OBSERVATION = new Set(['internet-connection-live', 'wireless-adapter-present', 'wireless-history']);

describe('built-in rule cases', () => {
  it('load without problems, and there are as many as written', () => {
    expect(loaded.problems.map((p) => formatProblem(p))).toEqual([]);
    expect(loaded.rules.length).toBe(32);
    // Counted so that a case silently dropped (or a rule losing its table) fails here.
    expect(results.length).toBe(loaded.rules.reduce((n, r) => n + (r.cases?.length ?? 0), 0));
    expect(results.length).toBeGreaterThanOrEqual(60);
  });

  it.each(results.map((r) => [`${r.rule}: ${r.name}`, r] as const))('%s', (_name, r) => {
    expect(r.got, `${r.at}`).toBe(r.want);
  });

  it.each(loaded.rules.map((r) => [r.id, r] as const))('%s has a case that fires and a case that does not', (_id, rule) => {
    const cases = rule.cases ?? [];
    expect(cases.some((c) => c.expect !== 'none')).toBe(true);
    // These three fire on every observation of their probe (a radio, a wireless trace, a public
    // connection): their negatives are the probes' own (zero findings on real machines without).
    if (!EVERY_OBSERVATION.has(rule.id)) expect(cases.some((c) => c.expect === 'none')).toBe(true);
  });

  it('a rule changed to judge wrongly is caught by its cases', () => {
    const rule = loaded.rules.find((r) => r.id === 'document-classified-marking')!;
    // The old mistake: any state-secret marking is a finding, whatever the machine's level.
    const wrong = { ...rule, match: { field: 'stateSecret', equals: true } };
    const failing = (wrong.cases ?? []).filter((c) => verdict(wrong, c) !== c.expect);
    expect(failing.map((c) => c.name)).toEqual(['a 机密 document on a 机密 computer', 'a 秘密 document on a 绝密 computer']);
  });
});
