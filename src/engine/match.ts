// Declarative matching of one observation against a rule's `match` condition.
//
// Semantics (documented in README "Writing rules"):
// - `field` is a dotted path; where it passes through an array, every element is looked at, so a
//   leaf holds when ANY of the values found satisfies it (as MongoDB queries do).
// - A missing field (or null) satisfies only `exists: false`.
// - Several operators in one leaf must all hold. `all` / `any` / `none` / `not` combine leaves.
// - `gt`/`gte`/`lt`/`lte` compare numbers with numbers and strings with strings (ISO times sort
//   as text); a number against a string never matches.
import type { Condition, FieldCondition } from './types.js';

const OPERATORS = ['equals', 'in', 'regex', 'exists', 'gt', 'gte', 'lt', 'lte'] as const;

/** Operators present on a leaf (`flags` is a modifier of `regex`, not an operator). */
export function leafOperators(c: FieldCondition): string[] {
  return OPERATORS.filter((op) => Object.hasOwn(c, op));
}

const regexCache = new Map<string, RegExp>();

/** Compile (and cache) a rule regex. Throws SyntaxError for an invalid one. */
export function compileRegex(source: string, flags = ''): RegExp {
  const f = flags.includes('u') ? flags : flags + 'u';
  const key = `${f}/${source}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    re = new RegExp(source, f);
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

function valueHolds(v: unknown, c: FieldCondition): boolean {
  if (Object.hasOwn(c, 'equals') && !deepEqual(v, c.equals)) return false;
  if (c.in !== undefined && !c.in.some((x) => deepEqual(v, x))) return false;
  if (c.regex !== undefined) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
    if (!compileRegex(c.regex, c.flags).test(String(v))) return false;
  }
  const checks: Array<[number | string | undefined, (d: number) => boolean]> = [
    [c.gt, (d) => d > 0],
    [c.gte, (d) => d >= 0],
    [c.lt, (d) => d < 0],
    [c.lte, (d) => d <= 0],
  ];
  for (const [bound, ok] of checks) {
    if (bound === undefined) continue;
    const d = compare(v, bound);
    if (d === undefined || !ok(d)) return false;
  }
  return true;
}

function leafHolds(obs: unknown, c: FieldCondition): boolean {
  const values = fieldValues(obs, c.field);
  if (c.exists !== undefined && c.exists !== values.length > 0) return false;
  const valueOps = leafOperators(c).filter((op) => op !== 'exists');
  if (valueOps.length === 0) return true;
  return values.some((v) => valueHolds(v, c));
}

/** Does this observation satisfy the condition? */
export function matches(obs: unknown, cond: Condition): boolean {
  if ('all' in cond) return cond.all.every((c) => matches(obs, c));
  if ('any' in cond) return cond.any.some((c) => matches(obs, c));
  if ('none' in cond) return !cond.none.some((c) => matches(obs, c));
  if ('not' in cond) return !matches(obs, cond.not);
  return leafHolds(obs, cond);
}
