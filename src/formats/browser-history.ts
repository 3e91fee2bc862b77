/**
 * Browser history databases (SQLite) summarised for the internet-use check:
 *
 * - **Chromium family** (`History`: Chrome, Edge, Chromium, Brave, 360, QQ, Qianxin, deepin…): tables
 *   `urls(id, url, …)`, `visits(id, url → urls.id, visit_time, …)` and `meta(key, value)` whose
 *   `version` row is the schema version. `visit_time` is microseconds since 1601-01-01 UTC (WebKit).
 * - **Firefox family** (`places.sqlite`): `moz_places(id, url, …)` and
 *   `moz_historyvisits(id, place_id → moz_places.id, visit_date, …)`; `PRAGMA user_version` is the
 *   schema version; `visit_date` is microseconds since 1970-01-01 UTC.
 *
 * Visits are counted from the visits tables joined to their URL table (a URL row alone — typed,
 * bookmarked, synced — is not a visit). Page titles are never read. The database is given as bytes
 * (plus its `-wal` when there is one, replayed by `sqlite-wal.ts`) and opened in memory with sql.js,
 * so the inspected files are never opened by SQLite and never changed. Any SQLite problem gives a
 * {@link HistoryFailure}, never an exception.
 *
 * The file belongs to the person inspected, and SQLite runs what the schema says. Before any query,
 * the schema is read from `sqlite_master` and a history whose tables are not plain tables — a view,
 * a virtual table, a generated column (an expression SQLite evaluates on every read: one can take
 * seconds per row) — is refused (`refused`): no browser writes one. SQLite's own heap is capped
 * (`PRAGMA hard_heap_limit`, {@link ParseHistoryOptions.heapLimitBytes}); going over it is
 * `out-of-memory`. What cannot be recognised — a b-tree whose pages point many times at the same
 * child, claiming 10^15 rows in a few kilobytes — can only be bounded in time: this function is
 * synchronous SQLite, so callers that read untrusted files run it in a worker they can terminate
 * (`checks/network/history-worker.ts`).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { domainToUnicode } from 'node:url';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { applyWal, type WalApplyResult } from './sqlite-wal.js';

export type HistoryFamily = 'chromium' | 'firefox';

export interface HostCount {
  host: string;
  visits: number;
}

/** One visited internet URL (evidence level `full` only). */
export interface HistoryUrl {
  url: string;
  host: string;
  visits: number;
  firstVisit: string | null;
  lastVisit: string | null;
}

export interface HistorySummary {
  family: HistoryFamily;
  /** Chromium `meta.version`, Firefox `PRAGMA user_version`; null when unreadable. */
  schemaVersion: number | null;
  /** Visits in the visits table whose URL row exists. */
  totalVisits: number;
  /** Of those, visits to internet URLs (see {@link isInternetUrl}). */
  internetVisits: number;
  /** Distinct internet hosts visited. */
  internetHosts: number;
  /** Earliest / latest visit of any kind (ISO 8601 UTC, millisecond precision). */
  firstVisit?: string;
  lastVisit?: string;
  /** Earliest / latest internet visit. */
  firstInternetVisit?: string;
  lastInternetVisit?: string;
  /** Internet hosts by visits, most first (ties by name), at most 10. */
  topHosts: HostCount[];
  /** Visited internet URLs, most visited first (evidence `full` only; at most `maxUrls`). */
  urls?: HistoryUrl[];
  /** True when `urls` was cut at `maxUrls`. */
  urlsTruncated?: boolean;
  /** Chromium: visits that came from another device through sync (`visit_source.source = 0`). */
  syncedVisits?: number;
  /** What the WAL replay did (present when `-wal` bytes were given). */
  wal?: { framesApplied: number; framesIgnored: number; commits: number };
  /** Problems that did not stop the summary (corrupt WAL tail, orphan visits, odd times…). */
  warnings: string[];
}

export type HistoryErrorKind =
  /** The bytes are not a SQLite 3 database (header missing). */
  | 'not-sqlite'
  /** SQLite reports the file is not a database or is malformed. */
  | 'corrupt'
  /** A SQLite database, but neither Chromium nor Firefox history. */
  | 'unsupported-schema'
  /** The SQLite engine (sql.js wasm) could not be loaded. */
  | 'engine'
  /** Any other SQLite error. */
  | 'sqlite-error'
  /** A history-shaped database whose tables are views, virtual tables or have generated columns. */
  | 'refused'
  /** SQLite needed more heap than {@link ParseHistoryOptions.heapLimitBytes}. */
  | 'out-of-memory';

export interface HistoryFailure {
  error: { kind: HistoryErrorKind; message: string };
  warnings: string[];
}

export type HistoryResult = HistorySummary | HistoryFailure;

export function isHistoryFailure(r: HistoryResult): r is HistoryFailure {
  return 'error' in r;
}

export interface ParseHistoryOptions {
  /** Bytes of the `-wal` file beside the database, when there is one. */
  wal?: Buffer;
  /** `full` adds the visited internet URLs. Default `minimal`. */
  evidence?: 'minimal' | 'full';
  /** Cap on `urls` (default 5000). */
  maxUrls?: number;
  /** Cap on SQLite's own heap (`PRAGMA hard_heap_limit`), default {@link DEFAULT_SQLITE_HEAP_BYTES}. */
  heapLimitBytes?: number;
}

/** Default cap on SQLite's heap while summarising one history (the image itself is not in it). */
export const DEFAULT_SQLITE_HEAP_BYTES = 64 * 1024 * 1024;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** True when `head` starts with the 16-byte SQLite 3 header `"SQLite format 3\0"`. */
export function sniffSqlite(head: Buffer | Uint8Array): boolean {
  if (head.length < 16) return false;
  for (let i = 0; i < 16; i++) if (head[i] !== SQLITE_HEADER[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// URL classification

const INTERNET_SCHEMES = new Set(['http:', 'https:', 'ftp:']);

/** Name suffixes that never resolve on the public internet (intranet / local conventions). */
const LOCAL_SUFFIXES = ['.local', '.lan', '.internal', '.intranet', '.corp', '.home.arpa', '.localdomain', '.localhost'];

/**
 * Host of a URL as reported: lower-cased, without port or trailing dot, IDN shown in Unicode,
 * IPv6 in brackets; `www.` is kept. Undefined when the URL cannot be parsed or has no host.
 */
export function extractHost(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  let host = u.hostname.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return undefined;
  if (host.includes('xn--')) {
    const uni = domainToUnicode(host);
    if (uni !== '') host = uni;
  }
  return host;
}

function parseIpv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** True for IPv4 addresses that are not reachable on the public internet. */
function ipv4IsNonPublic(p: readonly number[]): boolean {
  const a = p[0] ?? 0;
  const b = p[1] ?? 0;
  return (
    a === 0 || // "this network"
    a === 10 || // RFC 1918
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // RFC 6598 shared address space (carrier-grade NAT)
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) || // RFC 1918
    (a === 192 && b === 168) || // RFC 1918
    a >= 224 // multicast, reserved, broadcast
  );
}

/** IPv6 literal (without brackets) → true when loopback, unspecified, link-local, ULA, site-local, or mapped non-public v4. */
function ipv6IsNonPublic(addr: string): boolean {
  const a = addr.toLowerCase();
  if (a === '::1' || a === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1] !== undefined) {
    const v4 = parseIpv4(mapped[1]);
    return v4 === undefined || ipv4IsNonPublic(v4);
  }
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (mappedHex?.[1] !== undefined && mappedHex[2] !== undefined) {
    const hi = parseInt(mappedHex[1], 16);
    const lo = parseInt(mappedHex[2], 16);
    return ipv4IsNonPublic([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const first = parseInt(a.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local (deprecated)
    (first & 0xff00) === 0xff00 // multicast
  );
}

/** True when a host (as from {@link extractHost}) is on the public internet. */
export function isInternetHost(host: string): boolean {
  if (host === '') return false;
  if (host.startsWith('[')) return !ipv6IsNonPublic(host.slice(1, -1));
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return !ipv4IsNonPublic(v4);
  if (host === 'localhost') return false;
  if (!host.includes('.')) return false; // single-label name: intranet (WINS/DNS search suffix)
  for (const s of LOCAL_SUFFIXES) if (host.endsWith(s)) return false;
  return true;
}

/**
 * Whether a visited URL is internet use: an http/https/ftp URL whose host is not loopback, not a
 * private / link-local / CGNAT IP literal, not `localhost`, not a single-label intranet name and not
 * under `.local`, `.lan`, `.internal`, `.intranet`, `.corp`, `.home.arpa`, `.localdomain`. Every
 * other scheme (file:, chrome:, about:, edge:, data:, javascript:, place:, moz-extension:, …) is not.
 * IPv4 literals are judged after WHATWG normalisation (`http://0x7f.1/` is 127.0.0.1).
 */
export function isInternetUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!INTERNET_SCHEMES.has(u.protocol)) return false;
  const host = extractHost(url);
  return host !== undefined && isInternetHost(host);
}

// ---------------------------------------------------------------------------------------------
// sql.js

let sqlModule: Promise<SqlJsStatic> | undefined;

/** The sql.js module, initialised once (its wasm found next to the package's JS in `node_modules`). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (sqlModule === undefined) {
    sqlModule = (async () => {
      const require = createRequire(import.meta.url);
      const wasmPath = require.resolve('sql.js/dist/sql-wasm.wasm');
      const bin = await readFile(wasmPath);
      const wasmBinary = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
      return initSqlJs({ wasmBinary });
    })();
    // A failed load is not cached: a later call may try again.
    sqlModule.catch(() => {
      sqlModule = undefined;
    });
  }
  return sqlModule;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function classifySqliteError(err: unknown): HistoryErrorKind {
  const msg = errorMessage(err).toLowerCase();
  if (msg.includes('out of memory')) return 'out-of-memory';
  if (msg.includes('not a database') || msg.includes('malformed') || msg.includes('corrupt')) return 'corrupt';
  return 'sqlite-error';
}

function all(db: Database, sql: string): SqlValue[][] {
  const res = db.exec(sql);
  return res[0]?.values ?? [];
}

function num(v: SqlValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Unix microseconds → ISO 8601 UTC with milliseconds (floored), or undefined when out of range. */
export function unixMicrosToIso(us: number): string | undefined {
  if (!Number.isFinite(us) || us <= 0) return undefined;
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Microseconds between 1601-01-01 and 1970-01-01 (WebKit / Windows FILETIME epoch offset). */
export const WEBKIT_EPOCH_OFFSET_US = 11_644_473_600_000_000;

/** Chromium `visit_time` → ISO 8601 UTC. */
export function webkitMicrosToIso(t: number): string | undefined {
  return unixMicrosToIso(t - WEBKIT_EPOCH_OFFSET_US);
}

interface UrlRow {
  url: string;
  visits: number;
  /** Unix microseconds. */
  first: number | undefined;
  last: number | undefined;
}

function detectFamily(tables: ReadonlySet<string>): HistoryFamily | undefined {
  if (tables.has('urls') && tables.has('visits')) return 'chromium';
  if (tables.has('moz_places') && tables.has('moz_historyvisits')) return 'firefox';
  return undefined;
}

/** The objects a summary queries, per family (SQLite names are case-insensitive: compared lower-cased). */
const QUERIED: Record<HistoryFamily, readonly string[]> = {
  chromium: ['urls', 'visits', 'meta', 'visit_source'],
  firefox: ['moz_places', 'moz_historyvisits'],
};

interface SchemaObject {
  type: string;
  name: string;
  sql: string;
}

/** Tables and views from `sqlite_master` (its own rows only: nothing of the history is evaluated). */
function schemaObjects(db: Database): SchemaObject[] {
  return all(db, `SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view')`).map((r) => ({
    type: String(r[0]),
    name: String(r[1]),
    sql: typeof r[2] === 'string' ? r[2] : '',
  }));
}

/** A name as it may be printed: quoted, control characters escaped, cut at 60 characters. */
function shown(name: string): string {
  const cut = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  return `\`${cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}\``;
}

/**
 * Why the objects a summary would query are not what a browser writes — a view, a virtual table, a
 * generated column (hidden 2/3 in `PRAGMA table_xinfo`) or a hidden column — or an empty list.
 * Only the schema is read: `table_xinfo` parses the CREATE statement and evaluates nothing.
 */
function hostileSchema(db: Database, family: HistoryFamily, objects: readonly SchemaObject[]): string[] {
  const reasons: string[] = [];
  for (const want of QUERIED[family]) {
    for (const o of objects) {
      if (o.name.toLowerCase() !== want) continue;
      if (o.type === 'view') {
        reasons.push(`${shown(o.name)} is a view, not a table`);
        continue;
      }
      if (/^\s*create\s+virtual\s+table\b/i.test(o.sql)) {
        reasons.push(`${shown(o.name)} is a virtual table`);
        continue;
      }
      const cols = all(db, `PRAGMA table_xinfo("${o.name.replace(/"/g, '""')}")`);
      for (const c of cols) {
        const hidden = num(c[6]) ?? 0;
        if (hidden === 0) continue;
        const what = hidden === 1 ? 'a hidden column' : 'a generated column';
        reasons.push(`column ${shown(String(c[1]))} of ${shown(o.name)} is ${what}`);
      }
    }
  }
  return reasons;
}

/**
 * Per-URL visit aggregates. Times are shifted to Unix microseconds inside SQLite, where the
 * arithmetic is exact 64-bit (a WebKit time exceeds 2^53; its Unix equivalent does not).
 */
function urlRows(db: Database, family: HistoryFamily): UrlRow[] {
  const sql =
    family === 'chromium'
      ? `SELECT u.url, COUNT(*),
           MIN(CASE WHEN v.visit_time > 0 THEN v.visit_time END) - ${WEBKIT_EPOCH_OFFSET_US},
           MAX(CASE WHEN v.visit_time > 0 THEN v.visit_time END) - ${WEBKIT_EPOCH_OFFSET_US}
         FROM visits v JOIN urls u ON u.id = v.url GROUP BY v.url`
      : `SELECT p.url, COUNT(*),
           MIN(CASE WHEN v.visit_date > 0 THEN v.visit_date END),
           MAX(CASE WHEN v.visit_date > 0 THEN v.visit_date END)
         FROM moz_historyvisits v JOIN moz_places p ON p.id = v.place_id GROUP BY v.place_id`;
  return all(db, sql).map((r) => ({
    url: typeof r[0] === 'string' ? r[0] : r[0] instanceof Uint8Array ? Buffer.from(r[0]).toString('utf8') : '',
    visits: num(r[1]) ?? 0,
    first: num(r[2]),
    last: num(r[3]),
  }));
}

function schemaVersion(db: Database, family: HistoryFamily, warnings: string[]): number | null {
  try {
    if (family === 'chromium') {
      const v = all(db, `SELECT value FROM meta WHERE key = 'version'`)[0]?.[0];
      const n = typeof v === 'string' ? Number(v) : num(v ?? undefined);
      if (n === undefined || !Number.isFinite(n)) {
        warnings.push('Chromium meta table has no version row');
        return null;
      }
      return n;
    }
    return num(all(db, 'PRAGMA user_version')[0]?.[0]) ?? null;
  } catch (err) {
    warnings.push(`schema version unreadable: ${errorMessage(err)}`);
    return null;
  }
}

function orphanVisits(db: Database, family: HistoryFamily): number {
  const sql =
    family === 'chromium'
      ? 'SELECT COUNT(*) FROM visits v LEFT JOIN urls u ON u.id = v.url WHERE u.id IS NULL'
      : 'SELECT COUNT(*) FROM moz_historyvisits v LEFT JOIN moz_places p ON p.id = v.place_id WHERE p.id IS NULL';
  return num(all(db, sql)[0]?.[0]) ?? 0;
}

const MIN_US = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);
const MAX_US = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

function summarise(db: Database, family: HistoryFamily, opts: ParseHistoryOptions, warnings: string[]): HistorySummary {
  const rows = urlRows(db, family);
  const version = schemaVersion(db, family, warnings);
  const orphans = orphanVisits(db, family);
  if (orphans > 0) warnings.push(`${orphans} visit(s) point to a missing URL row and are not counted`);

  let total = 0;
  let internet = 0;
  let first: number | undefined;
  let last: number | undefined;
  let firstNet: number | undefined;
  let lastNet: number | undefined;
  const hosts = new Map<string, number>();
  const netUrls: HistoryUrl[] = [];
  const hostCache = new Map<string, boolean>();

  for (const r of rows) {
    total += r.visits;
    first = MIN_US(first, r.first);
    last = MAX_US(last, r.last);
    let isNet = false;
    let host: string | undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(r.url);
    } catch {
      parsed = undefined;
    }
    if (parsed !== undefined && INTERNET_SCHEMES.has(parsed.protocol)) {
      host = extractHost(r.url);
      if (host !== undefined) {
        let verdict = hostCache.get(host);
        if (verdict === undefined) {
          verdict = isInternetHost(host);
          hostCache.set(host, verdict);
        }
        isNet = verdict;
      }
    }
    if (!isNet || host === undefined) continue;
    internet += r.visits;
    firstNet = MIN_US(firstNet, r.first);
    lastNet = MAX_US(lastNet, r.last);
    hosts.set(host, (hosts.get(host) ?? 0) + r.visits);
    if (opts.evidence === 'full') {
      netUrls.push({
        url: r.url,
        host,
        visits: r.visits,
        firstVisit: r.first === undefined ? null : (unixMicrosToIso(r.first) ?? null),
        lastVisit: r.last === undefined ? null : (unixMicrosToIso(r.last) ?? null),
      });
    }
  }

  const iso = (us: number | undefined): string | undefined => {
    if (us === undefined) return undefined;
    const s = unixMicrosToIso(us);
    if (s === undefined) warnings.push(`visit time ${us} µs is out of range`);
    return s;
  };

  const topHosts = [...hosts.entries()]
    .map(([host, visits]) => ({ host, visits }))
    .sort((a, b) => b.visits - a.visits || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0))
    .slice(0, 10);

  const summary: HistorySummary = {
    family,
    schemaVersion: version,
    totalVisits: total,
    internetVisits: internet,
    internetHosts: hosts.size,
    topHosts,
    warnings,
  };
  const fv = iso(first);
  const lv = iso(last);
  const fnv = iso(firstNet);
  const lnv = iso(lastNet);
  if (fv !== undefined) summary.firstVisit = fv;
  if (lv !== undefined) summary.lastVisit = lv;
  if (fnv !== undefined) summary.firstInternetVisit = fnv;
  if (lnv !== undefined) summary.lastInternetVisit = lnv;

  if (family === 'chromium') {
    try {
      const hasSource = all(db, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'visit_source'`).length > 0;
      if (hasSource) {
        summary.syncedVisits =
          num(all(db, 'SELECT COUNT(*) FROM visit_source s JOIN visits v ON v.id = s.id WHERE s.source = 0')[0]?.[0]) ?? 0;
      }
    } catch (err) {
      warnings.push(`visit_source unreadable: ${errorMessage(err)}`);
    }
  }

  if (opts.evidence === 'full') {
    const max = opts.maxUrls ?? 5000;
    netUrls.sort((a, b) => b.visits - a.visits || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    summary.urls = netUrls.slice(0, max);
    if (netUrls.length > max) summary.urlsTruncated = true;
  }
  return summary;
}

/**
 * Summarise a browser history database given as bytes (and its `-wal` bytes, if any). Never throws
 * on content: a non-SQLite file, a corrupt database or an unknown schema gives a {@link HistoryFailure}.
 */
export async function parseBrowserHistory(dbBytes: Buffer, opts: ParseHistoryOptions = {}): Promise<HistoryResult> {
  const warnings: string[] = [];
  const fail = (kind: HistoryErrorKind, message: string): HistoryFailure => ({ error: { kind, message }, warnings });

  if (dbBytes.length > 0 && !sniffSqlite(dbBytes)) return fail('not-sqlite', 'not a SQLite 3 database (no "SQLite format 3" header)');
  if (dbBytes.length === 0 && (opts.wal === undefined || opts.wal.length === 0)) {
    return fail('unsupported-schema', 'empty database file (no tables)');
  }

  let replay: WalApplyResult | undefined;
  let image: Buffer;
  if (opts.wal !== undefined) {
    replay = applyWal(dbBytes, opts.wal);
    warnings.push(...replay.warnings);
    image = replay.image;
  } else {
    replay = undefined;
    image = applyWal(dbBytes, undefined).image; // rollback-mode copy: sql.js needs no WAL
  }

  let SQL: SqlJsStatic;
  try {
    SQL = await loadSqlJs();
  } catch (err) {
    return fail('engine', `SQLite engine (sql.js) could not be loaded: ${errorMessage(err)}`);
  }

  let db: Database | undefined;
  try {
    db = new SQL.Database(image);
    // SQLite's heap capped, sorts and temporary tables kept in it (not in files of the engine's
    // in-memory file system, which no cap would reach).
    all(db, `PRAGMA hard_heap_limit = ${Math.max(1, Math.floor(opts.heapLimitBytes ?? DEFAULT_SQLITE_HEAP_BYTES))}`);
    all(db, 'PRAGMA temp_store = MEMORY');
    const objects = schemaObjects(db);
    const tables = new Set(objects.filter((o) => o.type === 'table').map((o) => o.name));
    // Views count here, so that one standing in for a history table is refused, not taken for another program's file.
    const family = detectFamily(new Set(objects.map((o) => o.name.toLowerCase())));
    if (family === undefined) {
      const names = [...tables].sort().slice(0, 8).join(', ');
      return fail('unsupported-schema', `neither Chromium nor Firefox history (tables: ${names || 'none'})`);
    }
    const hostile = hostileSchema(db, family, objects);
    if (hostile.length > 0) {
      const more = hostile.length > 5 ? ` (and ${hostile.length - 5} more)` : '';
      return fail(
        'refused',
        `not queried: ${hostile.slice(0, 5).join('; ')}${more} — no browser writes this; a history built to stall or mislead its reader`,
      );
    }
    if (family === 'chromium' && !objects.some((o) => o.name.toLowerCase() === 'meta')) warnings.push('Chromium history without a meta table');
    const summary = summarise(db, family, opts, warnings);
    if (replay !== undefined) {
      summary.wal = { framesApplied: replay.framesApplied, framesIgnored: replay.framesIgnored, commits: replay.commits };
    }
    return summary;
  } catch (err) {
    return fail(classifySqliteError(err), `SQLite: ${errorMessage(err)}`);
  } finally {
    try {
      db?.close();
    } catch {
      // closing a broken handle must not mask the result
    }
  }
}
