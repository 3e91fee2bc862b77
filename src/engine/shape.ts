// What a probe observes, as data. Each probe declares the shape of one observation; rules are
// checked against it when they load (a misspelt `field`, `key` or `evidence` path, or an `equals`
// value outside a field's known values, is an error with file and line — never a rule that silently
// never fires), and the engine checks every observation against it (a probe that starts emitting a
// field nobody declared is caught by the tests, not by an officer).
//
// A shape is one of:
//   'string' | 'number' | 'boolean' | 'time' (ISO 8601 text) | 'any' (not looked into)
//   { enum: [...] }                 one of these strings
//   { list: <shape> }               an array of that shape (paths pass through arrays)
//   { fields: { name: <shape> }, open?: true }   an object; `open` allows fields not listed
//   { oneOf: [<shape>, …] }          any of these (e.g. a string or a list of strings)

import { cliText, cliWords } from '../report/messages-cli.js';
export type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'time'
  | 'any'
  | { enum: readonly string[] }
  | { list: Shape }
  | { fields: Readonly<Record<string, Shape>>; open?: boolean }
  | { oneOf: readonly Shape[] };

/** Shorthands for probe declarations. */
export const S = {
  str: 'string' as const,
  num: 'number' as const,
  bool: 'boolean' as const,
  time: 'time' as const,
  any: 'any' as const,
  strs: { list: 'string' } as Shape,
  enum: (...values: string[]): Shape => ({ enum: values }),
  list: (of: Shape): Shape => ({ list: of }),
  obj: (fields: Record<string, Shape>, open = false): Shape => (open ? { fields, open } : { fields }),
  oneOf: (...shapes: Shape[]): Shape => ({ oneOf: shapes }),
};

/** Lists are transparent to paths, as they are to matching (./match.ts fieldValues); also an array's element shape. */
export function unlist(s: Shape): Shape {
  let cur = s;
  while (typeof cur === 'object' && 'list' in cur) cur = cur.list;
  return cur;
}

/**
 * The shapes a dotted path can reach, or a message saying where the path leaves the shape.
 * `any` and open objects accept whatever follows.
 */
export function resolvePath(shape: Shape, path: string): { ok: true; shapes: Shape[] } | { ok: false; message: string; zh: string } {
  let current: Shape[] = [shape];
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next: Shape[] = [];
    const known: string[] = [];
    let open = false;
    const visit = (s: Shape): void => {
      const u = unlist(s);
      if (u === 'any') {
        open = true;
        next.push('any');
      } else if (typeof u === 'object' && 'oneOf' in u) {
        u.oneOf.forEach(visit);
      } else if (typeof u === 'object' && 'fields' in u) {
        const f = u.fields[part];
        if (f !== undefined) next.push(f);
        else if (u.open) {
          open = true;
          next.push('any');
        }
        known.push(...Object.keys(u.fields));
      }
    };
    current.forEach(visit);
    if (next.length === 0) {
      const at = parts.slice(0, i).join('.');
      if (known.length === 0) {
        const w = cliWords('rp.noFields', { at, path });
        return { ok: false, message: w.en, zh: w.zh };
      }
      const near = nearest(part, known);
      const text = (lang: 'zh' | 'en'): string =>
        cliText('rp.unknownPath', lang, {
          part,
          where: (at ? cliText('rp.inField', lang, { at }) : '') + (near ? cliText('rp.didYouMean', lang, { near }) : ''),
          known: lang === 'zh' ? [...new Set(known)].sort().map((k) => `「${k}」`).join('') : [...new Set(known)].sort().join(', '),
        });
      return { ok: false, message: text('en'), zh: text('zh') };
    }
    current = open ? ['any'] : next;
  }
  return { ok: true, shapes: current };
}

/** Enumerated values a resolved path may take, or undefined when it is not an enumeration. */
export function enumValues(shapes: Shape[]): Set<string> | undefined {
  const out = new Set<string>();
  const visit = (s: Shape): boolean => {
    const u = unlist(s);
    if (typeof u === 'object' && 'enum' in u) {
      u.enum.forEach((v) => out.add(v));
      return true;
    }
    if (typeof u === 'object' && 'oneOf' in u) return u.oneOf.every(visit);
    return false;
  };
  return shapes.every(visit) ? out : undefined;
}

/** Where an observation leaves its shape (empty when it conforms). At most `max` messages. */
export function conforms(value: unknown, shape: Shape, path = '', max = 20): string[] {
  const out: string[] = [];
  check(value, shape, path, out, max);
  return out;
}

function check(v: unknown, s: Shape, path: string, out: string[], max: number): void {
  if (out.length >= max || v === undefined || v === null) return;
  const at = path || '(observation)';
  if (s === 'any') return;
  if (typeof s === 'string') {
    const ok =
      s === 'string' ? typeof v === 'string'
      : s === 'number' ? typeof v === 'number'
      : s === 'boolean' ? typeof v === 'boolean'
      : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v);
    if (!ok) out.push(`${at}: ${JSON.stringify(v)?.slice(0, 60)} is not a ${s}`);
    return;
  }
  if ('enum' in s) {
    if (typeof v !== 'string' || !s.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)?.slice(0, 60)} is not one of ${s.enum.join(', ')}`);
    return;
  }
  if ('oneOf' in s) {
    if (!s.oneOf.some((x) => conforms(v, x, path, 1).length === 0)) out.push(`${at}: ${JSON.stringify(v)?.slice(0, 60)} fits none of its shapes`);
    return;
  }
  if ('list' in s) {
    if (!Array.isArray(v)) {
      out.push(`${at}: not a list`);
      return;
    }
    v.forEach((el, i) => check(el, s.list, `${path}[${i}]`, out, max));
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    out.push(`${at}: not an object`);
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const f = s.fields[k];
    const p = path ? `${path}.${k}` : k;
    if (f === undefined) {
      if (!s.open) out.push(`${p}: field not declared in the probe's shape`);
    } else {
      check(x, f, p, out, max);
    }
    if (out.length >= max) return;
  }
}

/** The closest known name (edit distance ≤ 2), for "did you mean". */
function nearest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of new Set(known)) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
