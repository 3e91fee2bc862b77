/**
 * How much of a hive can be read: a bounded full walk that counts the keys and values read and the
 * cells that could not be (the reader records those in {@link RegKey.errors} and {@link RegValue.error}).
 */
import type { Hive } from './hive.js';
import type { RegKey } from './key.js';

/** Limits of {@link checkHiveIntegrity}. */
export interface IntegrityOptions {
  /** Stop after this many keys (default 5,000,000). */
  maxKeys?: number;
  /** Stop after this many milliseconds (default 60 s). */
  timeBudgetMs?: number;
  /** Keep at most this many example problems (default 5). */
  examples?: number;
}

/** Result of {@link checkHiveIntegrity}. */
export interface HiveIntegrity {
  /** Keys read. */
  keys: number;
  /** Values whose record was read. */
  values: number;
  /** Cells that could not be read: key errors (subkeys, value records, lists) plus unreadable value data. */
  unreadableCells: number;
  /** Of those, the problems recorded on keys (broken lists, unreadable subkey/value records). */
  keyProblems: number;
  /** Of those, values whose data could not be read. */
  valueDataProblems: number;
  /** Keys with at least one problem. */
  keysWithProblems: number;
  /** A few problems, as the reader worded them. */
  examples: string[];
  /** False when the walk stopped at a limit (the counts then cover only the part walked). */
  complete: boolean;
  /** Milliseconds spent. */
  ms: number;
}

const results = new WeakMap<Hive, HiveIntegrity>();

/**
 * Walk the whole hive once (every key, every value record, every value's data located — not decoded)
 * and count what could not be read. Cached per {@link Hive} object, so several probes sharing a hive
 * pay once. Linear in the hive size; never throws on bad content.
 */
export function checkHiveIntegrity(hive: Hive, options: IntegrityOptions = {}): HiveIntegrity {
  const cached = results.get(hive);
  if (cached) return cached;
  const maxKeys = options.maxKeys ?? 5_000_000;
  const budget = options.timeBudgetMs ?? 60_000;
  const maxExamples = options.examples ?? 5;
  const t0 = performance.now();
  let keys = 0;
  let values = 0;
  let valueDataProblems = 0;
  let complete = true;
  const examples: string[] = [];
  let keyProblems = 0;
  let keysWithProblems = 0;
  // A key's list errors are recorded when the walk expands it, i.e. just after it was yielded: count
  // them when the next key comes (no key is kept longer, so memory does not grow with the hive).
  const tally = (k: RegKey): void => {
    if (k.errors.length === 0) return;
    keysWithProblems++;
    keyProblems += k.errors.length;
    for (const e of k.errors) if (examples.length < maxExamples) examples.push(e.message);
  };
  let prev: RegKey | undefined;
  for (const key of hive.walk(undefined, { maxKeys })) {
    if (prev) tally(prev);
    prev = key;
    keys++;
    for (const v of key.values()) {
      values++;
      const err = v.error;
      if (err) {
        valueDataProblems++;
        if (examples.length < maxExamples) examples.push(err.message);
      }
    }
    if ((keys & 1023) === 0 && performance.now() - t0 > budget) {
      complete = false;
      break;
    }
  }
  if (keys >= maxKeys) complete = false;
  // When the loop ran to its end, the walk's last step expanded the last key.
  if (prev) tally(prev);
  const out: HiveIntegrity = {
    keys,
    values,
    unreadableCells: keyProblems + valueDataProblems,
    keyProblems,
    valueDataProblems,
    keysWithProblems,
    examples,
    complete,
    ms: Math.round(performance.now() - t0),
  };
  results.set(hive, out);
  return out;
}
