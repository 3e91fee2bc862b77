/**
 * JSON-friendly rendering of keys and values (used by `baomi inspect FILE --key PATH --json`).
 */
import { HiveError } from './errors.js';
import type { RegKey } from './key.js';
import { toHex } from './util.js';
import type { RegValue, RegValueData } from './value.js';

/** A value rendered for JSON. */
export interface RegValueJson {
  /** Value name, `''` for the default value. */
  name: string;
  /** Type name: `REG_SZ`, `REG_DWORD`, … or `REG_0xFFFF0012` for other numbers. */
  type: string;
  /**
   * `REG_SZ`/`REG_EXPAND_SZ`/`REG_LINK`: string; `REG_MULTI_SZ`: string[]; `REG_DWORD`/`REG_DWORD_BIG_ENDIAN`: number;
   * `REG_QWORD`: number when ≤ 2^53−1, else a decimal string; anything else (binary, device properties,
   * wrong-sized numbers): lowercase hex string. `null` when the data cannot be read (see `error`).
   */
  data: string | string[] | number | null;
  /** Why the data could not be read. */
  error?: string;
}

/** A key rendered for JSON. Keys that were not expanded (depth limit) carry no `values`/`subkeys`. */
export interface RegKeyJson {
  /** Full path from the hive root (no leading backslash). */
  path: string;
  /** Key name. */
  name: string;
  /** Last write time, ISO 8601 UTC. */
  lastWrite: string;
  /** Declared number of subkeys. */
  subkeyCount: number;
  /** Declared number of values. */
  valueCount: number;
  /** Values, when the key was expanded. */
  values?: RegValueJson[];
  /** Subkeys (expanded when recursive, else summaries without values/subkeys). */
  subkeys?: RegKeyJson[];
  /** Problems reading this key's lists (messages), when any. */
  errors?: string[];
}

/** Options of {@link keyToJson}. */
export interface KeyToJsonOptions {
  /** Expand subkeys recursively (default false: subkeys are listed as summaries). */
  recursive?: boolean;
  /** With `recursive`, levels below the key to expand (default 512). Deeper keys are summaries. */
  maxDepth?: number;
}

/** Render one value for JSON (never throws for unreadable data: `data: null` plus `error`). */
export function valueToJson(v: RegValue): RegValueJson {
  let data: RegValueData;
  try {
    data = v.data;
  } catch (e) {
    if (e instanceof HiveError) return { name: v.name, type: v.typeName, data: null, error: e.message };
    throw e;
  }
  let out: RegValueJson['data'];
  if (typeof data === 'string' || typeof data === 'number' || Array.isArray(data)) out = data;
  else if (typeof data === 'bigint') out = data <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(data) : data.toString();
  else out = toHex(data);
  return { name: v.name, type: v.typeName, data: out };
}

function summary(key: RegKey): RegKeyJson {
  return { path: key.path, name: key.name, lastWrite: key.lastWrite, subkeyCount: key.subkeyCount, valueCount: key.valueCount };
}

/**
 * Render a key (its values, and its subkeys as summaries or — with `recursive` — fully) as plain JSON data.
 * Safe on corrupt hives: each key cell is expanded once (cycles are skipped and reported in `errors`) and
 * recursion is bounded by `maxDepth`.
 */
export function keyToJson(key: RegKey, options: KeyToJsonOptions = {}): RegKeyJson {
  const maxDepth = options.recursive ? (options.maxDepth ?? 512) : 0;
  const visited = new Set<number>();
  const expand = (k: RegKey, depth: number): RegKeyJson => {
    visited.add(k.offset);
    const out = summary(k);
    out.values = k.values().map(valueToJson);
    out.subkeys = k.subkeys().map((s) => {
      if (depth >= maxDepth) return summary(s);
      if (visited.has(s.offset)) {
        k.addError(new HiveError('E_HIVE_CYCLE', `${k.path}: subkey cell 0x${s.offset.toString(16)} already visited`));
        return summary(s);
      }
      return expand(s, depth + 1);
    });
    if (k.errors.length > 0) out.errors = k.errors.map((e) => e.message);
    return out;
  };
  return expand(key, 0);
}
