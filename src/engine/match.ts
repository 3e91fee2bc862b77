// Declarative matching of one observation against a rule's `match` condition.
//
// Semantics (documented in README "Writing rules"):
// - `field` is a dotted path; where it passes through an array, every element is looked at, so a
//   leaf holds when ANY of the values found satisfies it (as MongoDB queries do).
// - A missing field (or null) satisfies only `exists: false`.
// - Several operators in one leaf must all hold. `all` / `any` / `none` / `not` combine leaves.
// - `gt`/`gte`/`lt`/`lte` compare numbers with numbers and strings with strings (ISO times sort
//   as text); a number against a string never matches.
// - A leaf tests an observation `field`, or a value of the machine context (`context:
//   machine.class`). An operand written `{ context: machine.levelRank }` is that value of the
//   machine context (resolved once per scan, ./context.ts); a missing context value matches nothing.
// - `some: <condition>` holds when at least one element of the array at `field` satisfies the
//   condition (the element is the observation the inner condition looks at); `every` when there is
//   at least one element and all do. Element-wise tests keep two facts of one element together
//   (`sources: some: {kind: setupapi, firstSeen: …}`), which a flattened path cannot.
import { RE2JS } from 're2js';
import type { Condition, ContextRef, FieldCondition } from './types.js';

const OPERATORS = ['equals', 'in', 'regex', 'exists', 'gt', 'gte', 'lt', 'lte', 'some', 'every'] as const;

/** Values of the machine context a rule may refer to (`{ machine: { class, level, levelRank, … } }`). */
export type MatchContext = Record<string, unknown>;

export function isContextRef(v: unknown): v is ContextRef {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as ContextRef).context === 'string';
}

/** Operators present on a leaf (`flags` is a modifier of `regex`, not an operator). */
export function leafOperators(c: FieldCondition): string[] {
  return OPERATORS.filter((op) => Object.hasOwn(c, op));
}

/** A compiled rule regex: only `test` is needed. */
export interface RuleRegex {
  test(s: string): boolean;
}

const regexCache = new Map<string, RuleRegex>();

/**
 * Compile (and cache) a rule regex with RE2 semantics (re2js): matching takes time linear in the
 * input whatever the pattern, so a unit's rule such as `^(a+)+$` cannot hang a scan on a crafted
 * host name. RE2 has no backreferences or lookaround; such a pattern is refused when the rules
 * load (file:line), as any invalid one. Flags: i (case), m (multi-line), s (dot matches newline);
 * u is accepted and always on (RE2 matches Unicode text). Throws for an invalid pattern.
 */
export function compileRegex(source: string, flags = ''): RuleRegex {
  const key = `${flags}/${source}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    let f = 0;
    for (const c of flags) {
      if (c === 'i') f |= RE2JS.CASE_INSENSITIVE;
      else if (c === 'm') f |= RE2JS.MULTILINE;
      else if (c === 's') f |= RE2JS.DOTALL;
      else if (c !== 'u') throw new SyntaxError(`unknown regex flag "${c}" (i, m, s, u)`);
    }
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(source, f);
    } catch (err) {
      throw new SyntaxError(`${(err as Error).message} (rule regexes use RE2 syntax: no backreferences, no lookaround)`);
    }
    re = { test: (s: string) => compiled.matcher(s).find() };
    regexCache.set(key, re);
  }
  return re;
}

/** Every value found at a dotted path, flattening arrays on the way and at the end. */
export function fieldValues(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      if (Array.isArray(v)) {
        for (const el of v) pushProp(next, el, part);
      } else {
        pushProp(next, v, part);
      }
    }
    current = next;
  }
  const out: unknown[] = [];
  for (const v of current) {
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out.filter((v) => v !== undefined && v !== null);
}

function pushProp(into: unknown[], v: unknown, key: string): void {
  if (v !== null && typeof v === 'object' && Object.hasOwn(v, key)) {
    into.push((v as Record<string, unknown>)[key]);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function compare(v: unknown, bound: number | string): number | undefined {
  if (typeof v === 'number' && typeof bound === 'number') return v - bound;
  if (typeof v === 'bigint' && typeof bound === 'number') return Number(v) - bound;
  if (typeof v === 'string' && typeof bound === 'string') return v < bound ? -1 : v > bound ? 1 : 0;
  return undefined;
}

const MISSING = Symbol('missing');

/** An operand's value: itself, or the machine context's value it names (MISSING when absent). */
function operand(x: unknown, ctx: MatchContext): unknown {
  if (!isContextRef(x)) return x;
  const v = fieldValues(ctx, x.context);
  return v.length === 0 ? MISSING : v[0];
}

function valueHolds(v: unknown, c: FieldCondition, ctx: MatchContext): boolean {
  if (Object.hasOwn(c, 'equals')) {
    const want = operand(c.equals, ctx);
    if (want === MISSING || !deepEqual(v, want)) return false;
  }
  if (c.in !== undefined && !c.in.some((x) => deepEqual(v, operand(x, ctx)))) return false;
  if (c.regex !== undefined) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
    if (!compileRegex(c.regex, c.flags).test(String(v))) return false;
  }
  const checks: Array<[unknown, (d: number) => boolean]> = [
    [c.gt, (d) => d > 0],
    [c.gte, (d) => d >= 0],
    [c.lt, (d) => d < 0],
    [c.lte, (d) => d <= 0],
  ];
  for (const [written, ok] of checks) {
    if (written === undefined) continue;
    const bound = operand(written, ctx);
    if (typeof bound !== 'number' && typeof bound !== 'string') return false;
    const d = compare(v, bound);
    if (d === undefined || !ok(d)) return false;
  }
  return true;
}

function leafHolds(obs: unknown, c: FieldCondition, ctx: MatchContext): boolean {
  const values = c.context !== undefined ? fieldValues(ctx, c.context) : fieldValues(obs, c.field ?? '');
  if (c.exists !== undefined && c.exists !== values.length > 0) return false;
  if (c.some !== undefined || c.every !== undefined) {
    const els = values; // arrays at the path are flattened into their elements: what some/every look at
    if (c.some !== undefined && !els.some((el) => matches(el, c.some!, ctx))) return false;
    if (c.every !== undefined && (els.length === 0 || !els.every((el) => matches(el, c.every!, ctx)))) return false;
  }
  const valueOps = leafOperators(c).filter((op) => op !== 'exists' && op !== 'some' && op !== 'every');
  if (valueOps.length === 0) return true;
  return values.some((v) => valueHolds(v, c, ctx));
}

/** Does this observation satisfy the condition (judged against the machine context `ctx`)? */
export function matches(obs: unknown, cond: Condition, ctx: MatchContext = {}): boolean {
  if ('all' in cond) return cond.all.every((c) => matches(obs, c, ctx));
  if ('any' in cond) return cond.any.some((c) => matches(obs, c, ctx));
  if ('none' in cond) return !cond.none.some((c) => matches(obs, c, ctx));
  if ('not' in cond) return !matches(obs, cond.not, ctx);
  return leafHolds(obs, cond, ctx);
}
