// A rule's worked examples (`cases:` in its YAML): a machine, an observation as the probe (and the
// engine's joins) would give it, and the verdict the rule must reach. Run by `baomi rules test` and
// by the test suite for every built-in rule, so a rule edit that changes a verdict is caught.
import { contextValues, type MachineContext } from './context.js';
import { matches } from './match.js';
import { severityFor } from './run.js';
import type { Rule, RuleCase, Severity } from './types.js';
import { levelRank } from './vocab.js';

export interface CaseResult {
  rule: string;
  name: string;
  /** Where the case is written: file and line of its rule. */
  at: string;
  want: Severity | 'none';
  got: Severity | 'none';
  passed: boolean;
}

/** The machine context of a case: classified at 秘密 unless it says otherwise. */
export function caseContext(c: RuleCase): MachineContext {
  const cls = c.machine?.class ?? 'classified';
  const level = cls === 'classified' ? (c.machine?.level ?? '秘密') : undefined;
  return {
    class: cls,
    ...(level ? { level } : {}),
    levelRank: levelRank(level),
    ...(c.machine?.usbStorageAllowed !== undefined ? { usbStorageAllowed: c.machine.usbStorageAllowed } : {}),
    source: 'flag',
    reason: { zh: '规则用例', en: 'rule case' },
    warnings: [],
  };
}

/** The verdict a rule reaches on one case: the severity of its finding, or `none`. */
export function verdict(rule: Rule, c: RuleCase): Severity | 'none' {
  const ctx = caseContext(c);
  if (!rule.profiles.includes(ctx.class)) return 'none';
  return matches(c.observation, rule.match, contextValues(ctx)) ? severityFor(rule, ctx.class) : 'none';
}

export function runCases(rules: readonly Rule[]): CaseResult[] {
  const out: CaseResult[] = [];
  for (const rule of rules) {
    for (const c of rule.cases ?? []) {
      const got = verdict(rule, c);
      out.push({ rule: rule.id, name: c.name, at: `${rule.source.file}:${rule.source.line}`, want: c.expect, got, passed: got === c.expect });
    }
  }
  return out;
}
