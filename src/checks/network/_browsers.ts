/**
 * Target-side discovery of browser history databases, for every user of the inspected machine, in
 * the target's own OS layout (never the host's), and their summaries (see `formats/browser-history`).
 *
 * Every file is read through the Target into memory — the database and the `-wal` beside it — and
 * parsed there: nothing is opened in place by SQLite, nothing is written. A file that cannot be read
 * or parsed is a coverage item (path + reason), never silently skipped.
 *
 * The histories belong to the people inspected: each is summarised in a worker thread
 * (`history-worker.ts`) with a time budget of its own ({@link CollectBrowserHistoryOptions.timeoutMs})
 * inside one for all of them ({@link CollectBrowserHistoryOptions.totalTimeoutMs}, below the probe's);
 * one that does not finish in time is stopped and is a blocking `timeout` gap, one that needs more
 * memory than allowed a `too-large` gap, one whose schema is not what a browser writes (a view or
 * a generated column in place of a history table) a `corrupt` gap — and the others are still read.
 *
 * Where the paths come from (each confirmed in at least one public source; "unconfirmed" entries are
 * searched too, since a wrong guess costs one directory lookup, and their schema is checked anyway):
 *
 * - Chrome / Edge / Chromium / Brave / Vivaldi / Opera / Yandex / CocCoc, Windows and Linux user-data
 *   dirs: HackBrowserData (moonD4rk/HackBrowserData, `browser/browser_windows.go`,
 *   `browser/browser_linux.go`, commit d9eff0c937dcffdbef278f1a10b93b0d6fd8625b, MIT); ForensicArtifacts
 *   `ChromiumBasedBrowsersHistoryDatabaseFile`. Profiles are `Default`, `Profile N`, `Guest Profile`,
 *   `System Profile`; Opera keeps `History` directly in `Opera Stable` (older) or in `Default` (newer).
 * - 360安全浏览器 (360 Secure Browser) Windows `AppData/Roaming/360se6/User Data`; 360极速浏览器
 *   `AppData/Local/360Chrome/Chrome/User Data` and 360极速X `AppData/Local/360ChromeX/Chrome/User Data`;
 *   QQ浏览器 `AppData/Local/Tencent/QQBrowser/User Data`: HackBrowserData (same files and older
 *   revisions), and several public browser-data tools that read `…/360se6/User Data/Default/History`.
 * - 搜狗高速浏览器 (Sogou Explorer): its Chromium profile `AppData/Roaming/SogouExplorer/Webkit/Default`
 *   (HackBrowserData `sogouProfilePath`), newer builds `AppData/Local/Sogou/SogouExplorer/User Data`
 *   (a Rust port of HackBrowserData's table). Its own history store `SogouExplorer/HistoryUrl3.db`
 *   (table `UserRankUrl`, per the public "Pillager" tool) has a schema we could not confirm: it is
 *   reported as found but unsupported, not parsed by guesswork.
 * - Linux 360 browser (browser360-cn-stable on UOS/Kylin): `~/.config/browser360` (also `360chrome`,
 *   `360browser/browser` in older builds) — public browser-import code for 国产化 Linux; unconfirmed
 *   beyond that. 奇安信可信浏览器 (QAX browser, preinstalled on Kylin/UOS): `~/.config/qaxbrowser`
 *   (several public Kylin projects use `~/.config/qaxbrowser/Default/…`). deepin/UOS browser
 *   (org.deepin.browser): `~/.config/browser` (deepin-autotest/pytest-youqu-playwright `conf.py`, and a
 *   public desktop-awareness daemon reading `~/.config/browser/<profile>/History`).
 *   `~/.config/deepin/deepin-browser` and `~/.config/uos-browser` are unconfirmed guesses.
 * - Firefox: `~/.mozilla/firefox/<profile>/places.sqlite`, Windows
 *   `AppData/Roaming/Mozilla/Firefox/Profiles/<profile>/places.sqlite` (Mozilla support "Profiles - Where
 *   Firefox stores your bookmarks…"); snap `~/snap/firefox/common/.mozilla/firefox`; flatpak
 *   `~/.var/app/org.mozilla.firefox/.mozilla/firefox`; `profiles.ini` entries with `IsRelative=0`.
 *
 * Besides the named browsers, a sweep looks for any other Chromium-based browser by its layout
 * (`~/.config/<vendor>[/<product>]/<profile>/History`, `AppData/{Local,Roaming}/<vendor>[/<product>]/User
 * Data/<profile>/History`). A sweep hit that is not a SQLite file is ignored (many programs keep a file
 * called `History`); one that is SQLite but unreadable is reported like any other.
 */
import type { CoverageItem } from '../../engine/types.js';
import { TargetError, type Target } from '../../target/types.js';
import {
  isHistoryFailure,
  sniffSqlite,
  type ParseHistoryOptions,
  type HistoryFamily,
  type HistoryUrl,
  type HostCount,
} from '../../formats/browser-history.js';
import { DEFAULT_DB_TIMEOUT_MS, HistoryReader } from './history-worker.js';

/** Default cap on one history database (and on its `-wal`), in bytes. */
export const DEFAULT_MAX_HISTORY_BYTES = 256 * 1024 * 1024;

export interface BrowserHistoryItem {
  /** Home folder name (`root` for `/root`). */
  user: string;
  /** Browser name, e.g. `Google Chrome`, `360 Secure Browser (360安全浏览器)`, `Chromium-based (vendor/product)`. */
  browser: string;
  /** Profile folder name (`Default`, `Profile 1`, `c81od3v4.default-release`…). */
  profile: string;
  /** Target path of the database. */
  path: string;
  family: HistoryFamily;
  schemaVersion: number | null;
  totalVisits: number;
  internetVisits: number;
  internetHosts: number;
  firstVisit: string | null;
  lastVisit: string | null;
  firstInternetVisit: string | null;
  lastInternetVisit: string | null;
  topHosts: HostCount[];
  /** Evidence `full` only: visited internet URLs. */
  urls?: HistoryUrl[];
  urlsTruncated?: boolean;
  /** Target path of the `-wal` that was replayed, or null when there was none (or it was empty). */
  wal: string | null;
  warnings: string[];
}

export interface CollectBrowserHistoryOptions {
  evidence?: 'minimal' | 'full';
  signal?: AbortSignal;
  /** Cap per file (database and `-wal` each). Default {@link DEFAULT_MAX_HISTORY_BYTES}. */
  maxBytes?: number;
  /** Cap on URLs per item at evidence `full` (default 5000). */
  maxUrls?: number;
  /** Time budget of one database, ms (default {@link DEFAULT_DB_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Time budget of all databases together, ms, counted from the start (default {@link DEFAULT_TOTAL_TIMEOUT_MS}). */
  totalTimeoutMs?: number;
  /** Cap on the reading worker's JavaScript heap, MiB (default `DEFAULT_WORKER_HEAP_MB` of history-worker.ts). */
  workerHeapMb?: number;
  /** Cap on SQLite's heap, bytes (default `DEFAULT_SQLITE_HEAP_BYTES` of formats/browser-history.ts). */
  sqliteHeapBytes?: number;
}

/**
 * Default time for all history databases of a scan: below the `network.history` probe's 120 s, so
 * that histories made to exhaust it leave the ones read before them, and the rest of the probe, in
 * the report.
 */
export const DEFAULT_TOTAL_TIMEOUT_MS = 90_000;

export interface BrowserHistoryCollection {
  items: BrowserHistoryItem[];
  coverage: CoverageItem[];
}

type Layout = 'linux' | 'windows';

interface Home {
  user: string;
  path: string;
  layout: Layout;
}

interface Location {
  browser: string;
  /** Glob relative to the home folder; the segment before the file name is the profile. */
  pattern: string;
  /** Sweep patterns: non-SQLite hits are ignored, the browser name comes from the path. */
  sweep?: boolean;
  /** Known to be a format we do not parse: reported as found but unsupported. */
  unsupported?: string;
}

/** Chromium user-data folders: `[browser, user-data dir relative to the home]`. */
const LINUX_CHROMIUM: ReadonlyArray<readonly [string, string]> = [
  ['Google Chrome', '.config/google-chrome'],
  ['Google Chrome Beta', '.config/google-chrome-beta'],
  ['Google Chrome Dev', '.config/google-chrome-unstable'],
  ['Chromium', '.config/chromium'],
  ['Microsoft Edge', '.config/microsoft-edge'],
  ['Microsoft Edge Beta', '.config/microsoft-edge-beta'],
  ['Microsoft Edge Dev', '.config/microsoft-edge-dev'],
  ['Brave', '.config/BraveSoftware/Brave-Browser'],
  ['Vivaldi', '.config/vivaldi'],
  ['Opera', '.config/opera'],
  ['Yandex Browser', '.config/yandex-browser'],
  ['360 Secure Browser (360安全浏览器)', '.config/browser360'],
  ['360 Secure Browser (360安全浏览器)', '.config/browser360-cn'],
  ['360 Secure Browser (360安全浏览器)', '.config/360chrome'],
  ['360 Secure Browser (360安全浏览器)', '.config/360browser/browser'],
  ['QAX Browser (奇安信可信浏览器)', '.config/qaxbrowser'],
  ['QAX Browser (奇安信可信浏览器)', '.config/qianxin'],
  ['QAX Browser (奇安信可信浏览器)', '.config/com.qianxin.browser-stable'],
  ['deepin Browser (deepin/UOS 浏览器)', '.config/browser'],
  ['deepin Browser (deepin/UOS 浏览器)', '.config/deepin/deepin-browser'],
  ['UOS Browser (UOS 浏览器)', '.config/uos-browser'],
  ['Chromium (snap)', 'snap/chromium/common/chromium'],
  ['Google Chrome (flatpak)', '.var/app/com.google.Chrome/config/google-chrome'],
  ['Chromium (flatpak)', '.var/app/org.chromium.Chromium/config/chromium'],
  ['Microsoft Edge (flatpak)', '.var/app/com.microsoft.Edge/config/microsoft-edge'],
  ['Brave (flatpak)', '.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser'],
];

const LINUX_FIREFOX: ReadonlyArray<readonly [string, string]> = [
  ['Firefox', '.mozilla/firefox'],
  ['Firefox (snap)', 'snap/firefox/common/.mozilla/firefox'],
  ['Firefox (flatpak)', '.var/app/org.mozilla.firefox/.mozilla/firefox'],
  ['LibreWolf', '.librewolf'],
  ['Waterfox', '.waterfox'],
];

/** Windows: relative to the user's home; `{L}` = local app data, `{R}` = roaming app data. */
const WINDOWS_CHROMIUM: ReadonlyArray<readonly [string, string]> = [
  ['Google Chrome', '{L}/Google/Chrome/User Data'],
  ['Google Chrome Beta', '{L}/Google/Chrome Beta/User Data'],
  ['Google Chrome Canary', '{L}/Google/Chrome SxS/User Data'],
  ['Microsoft Edge', '{L}/Microsoft/Edge/User Data'],
  ['Microsoft Edge Beta', '{L}/Microsoft/Edge Beta/User Data'],
  ['Microsoft Edge Dev', '{L}/Microsoft/Edge Dev/User Data'],
  ['Chromium', '{L}/Chromium/User Data'],
  ['Brave', '{L}/BraveSoftware/Brave-Browser/User Data'],
  ['Vivaldi', '{L}/Vivaldi/User Data'],
  ['Yandex Browser', '{L}/Yandex/YandexBrowser/User Data'],
  ['CocCoc', '{L}/CocCoc/Browser/User Data'],
  ['Opera', '{R}/Opera Software/Opera Stable'],
  ['Opera GX', '{R}/Opera Software/Opera GX Stable'],
  ['360 Secure Browser (360安全浏览器)', '{R}/360se6/User Data'],
  ['360 Speed Browser (360极速浏览器)', '{L}/360Chrome/Chrome/User Data'],
  ['360 Speed Browser X (360极速浏览器X)', '{L}/360ChromeX/Chrome/User Data'],
  ['QQ Browser (QQ浏览器)', '{L}/Tencent/QQBrowser/User Data'],
  ['Sogou Explorer (搜狗高速浏览器)', '{R}/SogouExplorer/Webkit'],
  ['Sogou Explorer (搜狗高速浏览器)', '{L}/Sogou/SogouExplorer/User Data'],
  ['DCBrowser', '{L}/DCBrowser/User Data'],
];

const WINDOWS_FIREFOX: ReadonlyArray<readonly [string, string]> = [
  ['Firefox', '{R}/Mozilla/Firefox/Profiles'],
  ['Waterfox', '{R}/Waterfox/Profiles'],
  ['LibreWolf', '{R}/librewolf/Profiles'],
];

/** Windows app-data roots: Vista and later, then XP/2003 (`Documents and Settings`). */
const WINDOWS_APPDATA: ReadonlyArray<{ L: string; R: string }> = [
  { L: 'AppData/Local', R: 'AppData/Roaming' },
  { L: 'Local Settings/Application Data', R: 'Application Data' },
];

function linuxLocations(): Location[] {
  const out: Location[] = [];
  for (const [browser, dir] of LINUX_CHROMIUM) {
    out.push({ browser, pattern: `${dir}/*/History` });
    if (browser === 'Opera') out.push({ browser, pattern: `${dir}/History` });
  }
  for (const [browser, dir] of LINUX_FIREFOX) out.push({ browser, pattern: `${dir}/*/places.sqlite` });
  out.push(
    { browser: '', pattern: '.config/*/History', sweep: true },
    { browser: '', pattern: '.config/*/*/History', sweep: true },
    { browser: '', pattern: '.config/*/*/*/History', sweep: true },
  );
  return out;
}

function windowsLocations(): Location[] {
  const out: Location[] = [];
  for (const { L, R } of WINDOWS_APPDATA) {
    const sub = (p: string): string => p.replace('{L}', L).replace('{R}', R);
    for (const [browser, dir] of WINDOWS_CHROMIUM) {
      out.push({ browser, pattern: `${sub(dir)}/*/History` });
      if (browser.startsWith('Opera')) out.push({ browser, pattern: `${sub(dir)}/History` });
    }
    for (const [browser, dir] of WINDOWS_FIREFOX) out.push({ browser, pattern: `${sub(dir)}/*/places.sqlite` });
    const sogou = 'Sogou Explorer (搜狗高速浏览器)';
    const why = "Sogou Explorer's own history database (HistoryUrl3.db): format not supported, its visits were not examined";
    out.push(
      { browser: sogou, pattern: `${R}/SogouExplorer/HistoryUrl3.db`, unsupported: why },
      { browser: sogou, pattern: `${R}/SogouExplorer/*/HistoryUrl3.db`, unsupported: why },
      { browser: '', pattern: `${L}/*/User Data/*/History`, sweep: true },
      { browser: '', pattern: `${L}/*/*/User Data/*/History`, sweep: true },
      { browser: '', pattern: `${R}/*/User Data/*/History`, sweep: true },
      { browser: '', pattern: `${R}/*/*/User Data/*/History`, sweep: true },
      { browser: '', pattern: `${R}/*/Profiles/*/places.sqlite`, sweep: true },
      { browser: '', pattern: `${R}/*/*/Profiles/*/places.sqlite`, sweep: true },
    );
  }
  return out;
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function parentName(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '' : baseName(p.slice(0, i));
}

async function isDir(target: Target, p: string): Promise<boolean> {
  try {
    return (await target.stat(p)).kind === 'dir';
  } catch {
    return false;
  }
}

/** Dedupe key of a target path: the host path it resolves to (junctions/symlinks collapse). */
async function keyOf(target: Target, p: string, layout: Layout): Promise<string> {
  let k: string;
  try {
    k = await target.resolve(p);
  } catch {
    k = p;
  }
  return layout === 'windows' ? k.toLowerCase() : k;
}

/** Home folders from `/etc/passwd` (uid 0 and uid ≥ 1000), besides `/home/*` and `/root`. */
async function passwdHomes(target: Target): Promise<string[]> {
  let text: string;
  try {
    text = await target.readText('/etc/passwd', { maxBytes: 4 * 1024 * 1024 });
  } catch {
    return [];
  }
  const homes: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    const uid = Number(f[2]);
    const home = f[5];
    if (home === undefined || !home.startsWith('/') || home === '/' || !Number.isInteger(uid)) continue;
    if (uid === 0 || (uid >= 1000 && uid < 65534)) homes.push(home);
  }
  return homes;
}

async function findHomes(target: Target, layout: Layout): Promise<Home[]> {
  const candidates: string[] = [];
  if (layout === 'linux') {
    candidates.push(...(await target.glob('/home/*')), '/root', ...(await passwdHomes(target)));
  } else {
    const skip = new Set(['all users', 'default user']);
    for (const p of [...(await target.glob('/Users/*')), ...(await target.glob('/Documents and Settings/*'))]) {
      if (!skip.has(baseName(p).toLowerCase())) candidates.push(p);
    }
  }
  const seen = new Set<string>();
  const homes: Home[] = [];
  for (const p of candidates) {
    if (!(await isDir(target, p))) continue;
    const k = await keyOf(target, p, layout);
    if (seen.has(k)) continue;
    seen.add(k);
    homes.push({ user: baseName(p), path: p, layout });
  }
  return homes;
}

function join(home: string, rel: string): string {
  return home === '/' ? `/${rel}` : `${home}/${rel}`;
}

/** A Windows path from profiles.ini (`C:\Users\x\…`) as a target path; the drive letter is dropped. */
function iniPathToTarget(p: string, layout: Layout): string | undefined {
  if (layout === 'windows') {
    const m = /^[A-Za-z]:[\\/](.*)$/.exec(p);
    return m?.[1] !== undefined ? `/${m[1].replace(/\\/g, '/')}` : undefined;
  }
  return p.startsWith('/') ? p : undefined;
}

/** Firefox profiles configured outside the usual folder (`profiles.ini`, `IsRelative=0`). */
async function firefoxIniProfiles(target: Target, home: Home): Promise<string[]> {
  const inis =
    home.layout === 'linux'
      ? ['.mozilla/firefox/profiles.ini']
      : WINDOWS_APPDATA.map(({ R }) => `${R}/Mozilla/Firefox/profiles.ini`);
  const out: string[] = [];
  for (const rel of inis) {
    let text: string;
    try {
      text = await target.readText(join(home.path, rel), { maxBytes: 1024 * 1024 });
    } catch {
      continue;
    }
    for (const section of text.split(/^\s*\[/m)) {
      const path = /^\s*Path\s*=\s*(.+?)\s*$/im.exec(section)?.[1];
      const relative = /^\s*IsRelative\s*=\s*(\d)/im.exec(section)?.[1];
      if (path === undefined || relative !== '0') continue;
      const t = iniPathToTarget(path, home.layout);
      if (t !== undefined) out.push(`${t.replace(/\/+$/, '')}/places.sqlite`);
    }
  }
  return out;
}

interface Candidate {
  user: string;
  browser: string;
  path: string;
  sweep: boolean;
  unsupported?: string;
}

function sweepBrowserName(path: string, home: string): string {
  // …/<vendor>[/<product>]/User Data/<profile>/History or ~/.config/<vendor>[/…]/<profile>/History
  const rel = path.slice(home.length + 1).split('/');
  rel.pop(); // file
  rel.pop(); // profile
  if (rel[rel.length - 1]?.toLowerCase() === 'user data' || rel[rel.length - 1]?.toLowerCase() === 'profiles') rel.pop();
  const start = rel.findIndex((s) => /^(\.config|local|roaming|application data)$/i.test(s));
  const vendor = rel.slice(start + 1).join('/');
  return path.endsWith('places.sqlite') ? `Firefox-based (${vendor})` : `Chromium-based (${vendor})`;
}

function coverageFromError(err: unknown, path: string, what: string): CoverageItem {
  if (err instanceof TargetError) {
    if (err.code === 'E_TOO_LARGE') return { kind: 'too-large', path, reason: `${what} is too large to read: ${err.message}`, blocking: true };
    if (err.code === 'E_ACCESS') return { kind: 'unreadable', path, reason: `${what} cannot be read: permission denied`, blocking: true };
    return { kind: 'unreadable', path, reason: `${what} cannot be read: ${err.message}`, blocking: true };
  }
  return { kind: 'unreadable', path, reason: `${what} cannot be read: ${err instanceof Error ? err.message : String(err)}`, blocking: true };
}

/** Read a whole file through the target, refusing files above `maxBytes` before reading them. */
async function readCapped(target: Target, path: string, maxBytes: number): Promise<Buffer> {
  const st = await target.stat(path);
  if (st.kind !== 'file') throw new TargetError('E_IS_DIR', path, `${path}: not a regular file`);
  if (st.size > maxBytes) {
    throw new TargetError('E_TOO_LARGE', path, `${path} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
  }
  return target.readFile(path, { maxBytes });
}

/**
 * Find and summarise every browser history database of every user of `target`. Unreadable,
 * corrupt, too-large and unsupported files are returned as coverage items.
 */
export async function collectBrowserHistory(
  target: Target,
  opts: CollectBrowserHistoryOptions = {},
): Promise<BrowserHistoryCollection> {
  const reader = new HistoryReader(opts.workerHeapMb !== undefined ? { heapMb: opts.workerHeapMb } : {});
  try {
    return await collect(target, opts, reader);
  } finally {
    await reader.close();
  }
}

async function collect(target: Target, opts: CollectBrowserHistoryOptions, reader: HistoryReader): Promise<BrowserHistoryCollection> {
  const deadline = performance.now() + (opts.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS);
  const perDb = opts.timeoutMs ?? DEFAULT_DB_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_HISTORY_BYTES;
  const items: BrowserHistoryItem[] = [];
  const coverage: CoverageItem[] = [];
  const layouts: Layout[] =
    target.os.family === 'linux' ? ['linux'] : target.os.family === 'windows' ? ['windows'] : ['linux', 'windows'];

  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const layout of layouts) {
    const locations = layout === 'linux' ? linuxLocations() : windowsLocations();
    for (const home of await findHomes(target, layout)) {
      opts.signal?.throwIfAborted();
      for (const loc of locations) {
        for (const p of await target.glob(join(home.path, loc.pattern))) {
          const k = await keyOf(target, p, layout);
          if (seen.has(k)) continue;
          seen.add(k);
          const c: Candidate = {
            user: home.user,
            browser: loc.sweep === true ? sweepBrowserName(p, home.path) : loc.browser,
            path: p,
            sweep: loc.sweep === true,
          };
          if (loc.unsupported !== undefined) c.unsupported = loc.unsupported;
          candidates.push(c);
        }
      }
      for (const p of await firefoxIniProfiles(target, home)) {
        const k = await keyOf(target, p, layout);
        if (seen.has(k)) continue;
        if (!(await target.exists(p))) {
          coverage.push({
            kind: 'not-found',
            path: p,
            reason: 'Firefox profiles.ini names a profile outside the home folder that is not on this disk',
          });
          continue;
        }
        seen.add(k);
        candidates.push({ user: home.user, browser: 'Firefox', path: p, sweep: false });
      }
    }
  }

  // The worker starts (and compiles SQLite) while the first files are read.
  if (candidates.some((c) => c.unsupported === undefined)) reader.warm();
  for (const c of candidates) {
    opts.signal?.throwIfAborted();
    if (c.unsupported !== undefined) {
      coverage.push({ kind: 'unsupported-format', path: c.path, reason: c.unsupported, blocking: true });
      continue;
    }
    let db: Buffer;
    try {
      db = await readCapped(target, c.path, maxBytes);
    } catch (err) {
      if (c.sweep && err instanceof TargetError && err.code === 'E_IS_DIR') continue;
      coverage.push(coverageFromError(err, c.path, `${c.browser} history`));
      continue;
    }
    if (c.sweep && !sniffSqlite(db)) continue; // some other program's file called History
    if (db.length === 0 && !(await target.exists(`${c.path}-wal`))) {
      // SQLite reads an empty file as an empty database: no history (browser installed, never used).
      coverage.push({ kind: 'empty', path: c.path, reason: `${c.browser} history file is empty (no history recorded)` });
      continue;
    }

    const walPath = `${c.path}-wal`;
    let wal: Buffer | undefined;
    const warnings: string[] = [];
    if (await target.exists(walPath)) {
      try {
        wal = await readCapped(target, walPath, maxBytes);
      } catch (err) {
        coverage.push(coverageFromError(err, walPath, `${c.browser} history write-ahead log`));
        warnings.push('the -wal beside the database could not be read: its recent visits are missing');
      }
    }
    try {
      const journal = await target.stat(`${c.path}-journal`);
      if (journal.kind === 'file' && journal.size > 0) {
        warnings.push('a non-empty rollback journal (-journal) is beside the database: a transaction may have been cut off');
      }
    } catch {
      // no journal: the usual case
    }

    const parseOpts: Omit<ParseHistoryOptions, 'wal'> = { evidence: opts.evidence ?? 'minimal' };
    if (opts.maxUrls !== undefined) parseOpts.maxUrls = opts.maxUrls;
    if (opts.sqliteHeapBytes !== undefined) parseOpts.heapLimitBytes = opts.sqliteHeapBytes;
    const walUsed = wal !== undefined && wal.length > 0; // (db and wal are handed to the worker below)
    const left = Math.floor(deadline - performance.now());
    if (left <= 0) {
      coverage.push({
        kind: 'timeout',
        path: c.path,
        reason: `${c.browser} history not read: the ${opts.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS} ms given to browser histories were spent on the ones before it`,
        blocking: true,
      });
      continue;
    }
    const timeoutMs = Math.min(perDb, left);
    const bounded = await reader.read(db, wal, parseOpts, { timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (!bounded.ok) {
      const reason =
        bounded.kind === 'timeout'
          ? `${c.browser} history not read within ${timeoutMs} ms: stopped (a database made to stall its reader, or too big to read in time)`
          : bounded.kind === 'out-of-memory'
            ? `${c.browser} history not read: ${bounded.message} (a database made to exhaust memory, or too big)`
            : `${c.browser} history not read: ${bounded.message}`;
      const kind = bounded.kind === 'timeout' ? 'timeout' : bounded.kind === 'out-of-memory' ? 'too-large' : 'unreadable';
      coverage.push({ kind, path: c.path, reason, blocking: true });
      continue;
    }
    const r = bounded.result;
    if (isHistoryFailure(r)) {
      const kind =
        r.error.kind === 'engine'
          ? 'missing-tool'
          : r.error.kind === 'unsupported-schema'
            ? 'unsupported-format'
            : r.error.kind === 'out-of-memory'
              ? 'too-large'
              : 'corrupt';
      if (c.sweep && r.error.kind === 'unsupported-schema') continue; // a SQLite file of another program
      const what = r.error.kind === 'refused' ? 'history refused' : r.error.kind === 'out-of-memory' ? 'history not read: SQLite ran out of its memory budget' : 'history';
      coverage.push({ kind, path: c.path, reason: `${c.browser} ${what}: ${r.error.message}`, blocking: true });
      continue;
    }
    warnings.push(...r.warnings);
    if (walUsed && (r.wal?.framesApplied ?? 0) === 0 && r.warnings.some((w) => w.startsWith('WAL'))) {
      coverage.push({
        kind: 'corrupt',
        path: walPath,
        reason: `${c.browser} history write-ahead log unusable (${r.warnings.join('; ')}): recent visits may be missing`,
        blocking: true,
      });
    } else if (walUsed && r.warnings.some((w) => w.startsWith('WAL'))) {
      coverage.push({
        kind: 'partial',
        path: walPath,
        reason: `${c.browser} history write-ahead log damaged after its last good commit (${r.warnings.join('; ')}); replayed up to there`,
      });
    }
    const item: BrowserHistoryItem = {
      user: c.user,
      browser: c.browser,
      profile: parentName(c.path),
      path: c.path,
      family: r.family,
      schemaVersion: r.schemaVersion,
      totalVisits: r.totalVisits,
      internetVisits: r.internetVisits,
      internetHosts: r.internetHosts,
      firstVisit: r.firstVisit ?? null,
      lastVisit: r.lastVisit ?? null,
      firstInternetVisit: r.firstInternetVisit ?? null,
      lastInternetVisit: r.lastInternetVisit ?? null,
      topHosts: r.topHosts,
      wal: walUsed ? walPath : null,
      warnings,
    };
    if (r.urls !== undefined) item.urls = r.urls;
    if (r.urlsTruncated === true) item.urlsTruncated = true;
    items.push(item);
  }

  const order = (x: BrowserHistoryItem): string => `${x.user}\0${x.path}`;
  items.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { items, coverage };
}
