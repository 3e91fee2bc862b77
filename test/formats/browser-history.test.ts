/**
 * Browser history summaries on the real databases in fixtures/browsers (see PROVENANCE.md there),
 * with the numbers checked by hand with the sqlite3 CLI; when sqlite3 is installed the first/last
 * visit times and visit counts are also recomputed here, independently (raw integers from sqlite3,
 * converted with BigInt), on copies in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE3 } from '../_helpers/sqlite.js';
import {
  extractHost,
  isHistoryFailure,
  isInternetUrl,
  parseBrowserHistory,
  sniffSqlite,
  webkitMicrosToIso,
  type HistoryResult,
  type HistorySummary,
} from '../../src/formats/browser-history.js';

const F = join(import.meta.dirname, '..', '..', 'fixtures', 'browsers');
const PLASO_CHROME = join(F, 'chrome', 'plaso-History');
const DFIR_CHROME = join(F, 'chrome', 'dfirlabs-History-63.0.3239.108');
const PLASO_FF = join(F, 'firefox', 'plaso-places.sqlite');
const DFIR_FF = join(F, 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite');
const DFIR_FF_WAL = join(F, 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite-wal');


const tmp = mkdtempSync(join(tmpdir(), 'baomi-hist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** sqlite3 on a temp copy (with the -wal beside it when given): one row of integers. */
function sqlite3Row(file: string, sql: string, wal?: string): bigint[] {
  const d = join(tmp, `c${n++}`);
  mkdirSync(d, { recursive: true });
  copyFileSync(file, join(d, 'db'));
  if (wal !== undefined) copyFileSync(wal, join(d, 'db-wal'));
  const out = execFileSync('sqlite3', ['-readonly', '-separator', ' ', join(d, 'db'), sql], { encoding: 'utf8' }).trim();
  return out.split(' ').map((s) => BigInt(s));
}

/** Independent conversion: integer microseconds (since `epochOffsetUs` before 1970) → ISO, ms floored. */
function isoFromMicros(us: bigint, epochOffsetUs: bigint): string {
  return new Date(Number((us - epochOffsetUs) / 1000n)).toISOString();
}

function ok(r: HistoryResult): HistorySummary {
  if (isHistoryFailure(r)) throw new Error(`expected a summary, got ${r.error.kind}: ${r.error.message}`);
  return r;
}

describe('isInternetUrl / extractHost', () => {
  const table: Array<[string, boolean]> = [
    ['https://www.google.com/search?q=x', true],
    ['http://news.google.com/', true],
    ['ftp://ftp.debian.org/debian/', true],
    ['http://199.73.28.114:53/', true],
    ['https://203.0.113.8/', true],
    ['http://[2001:4860:4860::8888]/', true],
    ['http://例子.中国/', true],
    ['http://192.168.1.10/', false],
    ['http://10.0.0.1', false],
    ['http://172.16.5.4/', false],
    ['http://172.32.0.1/', true],
    ['http://169.254.1.1/', false],
    ['http://100.64.0.1/', false],
    ['http://127.0.0.1:3000/', false],
    ['http://0x7f.1/', false], // WHATWG-normalised 127.0.0.1
    ['http://[::1]/', false],
    ['http://[fe80::1]/', false],
    ['http://[fd00::1]/', false],
    ['http://[::ffff:192.168.0.1]/', false],
    ['http://localhost:8080', false],
    ['http://foo.localhost/', false],
    ['http://intranet/', false],
    ['http://intranet./', false],
    ['http://oa.corp', false],
    ['http://printer.local/', false],
    ['http://nas.lan/', false],
    ['http://wiki.internal/', false],
    ['http://portal.intranet/', false],
    ['http://router.home.arpa/', false],
    ['http://controller.shieldbase.local/', false],
    ['file:///C:/x', false],
    ['chrome://settings', false],
    ['edge://settings', false],
    ['about:blank', false],
    ['data:text/html,hi', false],
    ['javascript:void(0)', false],
    ['place:sort=8&maxResults=10', false],
    ['moz-extension://abcd/page.html', false],
    ['chrome-extension://abcd/page.html', false],
    ['view-source:https://www.google.com/', false],
    ['not a url', false],
    ['', false],
  ];
  it.each(table)('%s → %s', (url, expected) => {
    expect(isInternetUrl(url)).toBe(expected);
  });

  it('hosts are lower-cased, port and trailing dot dropped, www. kept, IDN shown in Unicode', () => {
    expect(extractHost('HTTPS://WWW.Google.COM:443/x')).toBe('www.google.com');
    expect(extractHost('http://Example.ORG./')).toBe('example.org');
    expect(extractHost('http://xn--fsqu00a.xn--fiqs8s/')).toBe('例子.中国');
    expect(extractHost('http://[2001:DB8::1]:8080/')).toBe('[2001:db8::1]');
    expect(extractHost('about:blank')).toBeUndefined();
    expect(extractHost('garbage')).toBeUndefined();
  });
});

describe('sniffSqlite', () => {
  it('recognises the 16-byte SQLite 3 header only', () => {
    expect(sniffSqlite(readFileSync(PLASO_CHROME).subarray(0, 16))).toBe(true);
    expect(sniffSqlite(Buffer.from('SQLite format 3'))).toBe(false); // 15 bytes, no NUL
    expect(sniffSqlite(Buffer.from('SQLite format 2\0'))).toBe(false);
    expect(sniffSqlite(Buffer.alloc(0))).toBe(false);
  });
});

describe('Chromium History', () => {
  it('plaso Chrome History: schema 20, 69 visits of 55 URLs, 14 public hosts, top hosts, times', async () => {
    const r = ok(await parseBrowserHistory(readFileSync(PLASO_CHROME), { evidence: 'full' }));
    expect(r.family).toBe('chromium');
    expect(r.schemaVersion).toBe(20);
    expect(r.totalVisits).toBe(69);
    expect(r.internetVisits).toBe(69);
    expect(r.internetHosts).toBe(14);
    expect(r.firstVisit).toBe('2011-04-07T12:03:11.000Z');
    expect(r.lastVisit).toBe('2011-05-23T08:37:27.061Z');
    expect(r.firstInternetVisit).toBe(r.firstVisit);
    expect(r.lastInternetVisit).toBe(r.lastVisit);
    expect(r.topHosts).toEqual([
      { host: 'googleads.g.doubleclick.net', visits: 26 },
      { host: 'chrome.google.com', visits: 9 },
      { host: 'en.softsia.com', visits: 9 },
      { host: 'www.google.ch', visits: 6 },
      { host: 'start.ubuntu.com', visits: 4 },
      { host: 'www.google.com', visits: 3 },
      { host: 'dfptools.doubleclick.net', visits: 2 },
      { host: 'fls.doubleclick.net', visits: 2 },
      { host: 'www.java.com', visits: 2 },
      { host: 'www.symantec.com', visits: 2 },
    ]);
    expect(r.urls).toHaveLength(55);
    expect(r.urls!.reduce((s, u) => s + u.visits, 0)).toBe(69);
    expect(r.warnings).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/"title"/);
    if (SQLITE3) {
      const [visits, joined, min, max] = sqlite3Row(
        PLASO_CHROME,
        'SELECT (SELECT count(*) FROM visits), (SELECT count(*) FROM visits v JOIN urls u ON u.id = v.url), min(visit_time), max(visit_time) FROM visits',
      );
      expect([Number(visits), Number(joined)]).toEqual([69, 69]);
      expect(r.firstVisit).toBe(isoFromMicros(min!, 11644473600000000n));
      expect(r.lastVisit).toBe(isoFromMicros(max!, 11644473600000000n));
    }
  });

  it('minimal evidence has no URL list', async () => {
    const r = ok(await parseBrowserHistory(readFileSync(PLASO_CHROME)));
    expect(r.urls).toBeUndefined();
    const capped = ok(await parseBrowserHistory(readFileSync(PLASO_CHROME), { evidence: 'full', maxUrls: 3 }));
    expect(capped.urls).toHaveLength(3);
    expect(capped.urlsTruncated).toBe(true);
  });

  it('dfirlabs Chrome 63 History: schema 37, 1 visit to raw.githubusercontent.com', async () => {
    const r = ok(await parseBrowserHistory(readFileSync(DFIR_CHROME), { evidence: 'full' }));
    expect(r.family).toBe('chromium');
    expect(r.schemaVersion).toBe(37);
    expect(r.totalVisits).toBe(1);
    expect(r.internetVisits).toBe(1);
    expect(r.topHosts).toEqual([{ host: 'raw.githubusercontent.com', visits: 1 }]);
    expect(r.firstVisit).toBe('2018-01-21T17:26:34.486Z');
    expect(r.lastVisit).toBe('2018-01-21T17:26:34.486Z');
    expect(r.urls).toEqual([
      {
        url: 'https://raw.githubusercontent.com/dfirlabs/chrome-specimens/master/generate-specimens.sh',
        host: 'raw.githubusercontent.com',
        visits: 1,
        firstVisit: '2018-01-21T17:26:34.486Z',
        lastVisit: '2018-01-21T17:26:34.486Z',
      },
    ]);
    expect(r.syncedVisits).toBe(0);
    if (SQLITE3) {
      const [t] = sqlite3Row(DFIR_CHROME, 'SELECT visit_time FROM visits');
      expect(r.firstVisit).toBe(isoFromMicros(t!, 11644473600000000n));
    }
  });

  it('WebKit time conversion is exact around the epochs', () => {
    expect(webkitMicrosToIso(11644473600000000)).toBeUndefined(); // 1970-01-01 itself is "no time"
    expect(webkitMicrosToIso(11644473600001000)).toBe('1970-01-01T00:00:00.001Z');
    expect(webkitMicrosToIso(0)).toBeUndefined();
  });
});

describe('Firefox places.sqlite', () => {
  it('plaso places.sqlite: 92 places but only 1 visit (news.google.com)', async () => {
    const r = ok(await parseBrowserHistory(readFileSync(PLASO_FF), { evidence: 'full' }));
    expect(r.family).toBe('firefox');
    expect(r.schemaVersion).toBe(10);
    expect(r.totalVisits).toBe(1);
    expect(r.internetVisits).toBe(1);
    expect(r.topHosts).toEqual([{ host: 'news.google.com', visits: 1 }]);
    expect(r.firstVisit).toBe('2011-07-01T11:16:21.371Z');
    expect(r.urls!.map((u) => u.url)).toEqual(['http://news.google.com/']);
    if (SQLITE3) {
      const [places, visits, min] = sqlite3Row(PLASO_FF, 'SELECT (SELECT count(*) FROM moz_places), count(*), min(visit_date) FROM moz_historyvisits');
      expect([Number(places), Number(visits)]).toEqual([92, 1]);
      expect(r.firstVisit).toBe(isoFromMicros(min!, 0n));
    }
  });

  it('dfirlabs Firefox 67 without its WAL: 1 visit; with it: 4 visits incl. the Google search', async () => {
    const db = readFileSync(DFIR_FF);
    const alone = ok(await parseBrowserHistory(db));
    expect(alone.schemaVersion).toBe(52);
    expect(alone.totalVisits).toBe(1);
    expect(alone.topHosts).toEqual([{ host: 'www.mozilla.org', visits: 1 }]);

    const r = ok(await parseBrowserHistory(db, { wal: readFileSync(DFIR_FF_WAL), evidence: 'full' }));
    expect(r.totalVisits).toBe(4);
    expect(r.internetVisits).toBe(4);
    expect(r.internetHosts).toBe(3);
    expect(r.topHosts).toEqual([
      { host: 'www.mozilla.org', visits: 2 },
      { host: 'raw.githubusercontent.com', visits: 1 },
      { host: 'www.google.com', visits: 1 },
    ]);
    expect(r.urls!.map((u) => u.url)).toContain('https://www.google.com/search?client=firefox-b-d&q=plaso+log2timeline');
    expect(r.firstVisit).toBe('2019-05-30T17:24:40.189Z');
    expect(r.lastVisit).toBe('2019-05-30T17:24:43.834Z');
    expect(r.wal).toEqual({ framesApplied: 48, framesIgnored: 18, commits: 7 });
    expect(r.warnings).toEqual([]);
    if (SQLITE3) {
      const [places, visits, min, max] = sqlite3Row(
        DFIR_FF,
        'SELECT (SELECT count(*) FROM moz_places), count(*), min(visit_date), max(visit_date) FROM moz_historyvisits',
        DFIR_FF_WAL,
      );
      expect([Number(places), Number(visits)]).toEqual([9, 4]);
      expect(r.firstVisit).toBe(isoFromMicros(min!, 0n));
      expect(r.lastVisit).toBe(isoFromMicros(max!, 0n));
    }
  });

  it('a damaged WAL still gives a summary, with the WAL warning', async () => {
    const wal = readFileSync(DFIR_FF_WAL);
    const r = ok(await parseBrowserHistory(readFileSync(DFIR_FF), { wal: wal.subarray(0, 32 + 40 * 32792 + 5000) }));
    expect(r.totalVisits).toBe(3);
    expect(r.warnings.join('\n')).toMatch(/WAL replay stopped: frame 41 is truncated/);
  });
});

describe('errors are results, never exceptions', () => {
  it('random bytes → not-sqlite', async () => {
    const r = await parseBrowserHistory(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    expect(isHistoryFailure(r) && r.error.kind).toBe('not-sqlite');
  });

  it('a SQLite header over garbage → corrupt', async () => {
    const junk = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(8192, 0x41)]);
    const r = await parseBrowserHistory(junk);
    expect(isHistoryFailure(r) && r.error.kind).toBe('corrupt');
  });

  it('a real History cut in half → a failure or a summary, never a throw', async () => {
    const full = readFileSync(PLASO_CHROME);
    for (const len of [100, 1024, 4096, 20000, 40000, full.length - 1]) {
      const r = await parseBrowserHistory(full.subarray(0, len));
      expect(r).toBeDefined();
      if (isHistoryFailure(r)) expect(['corrupt', 'sqlite-error', 'unsupported-schema']).toContain(r.error.kind);
    }
  });

  it('pages overwritten with noise → corrupt or a summary, never a throw', async () => {
    const bad = Buffer.from(readFileSync(PLASO_CHROME));
    for (let i = 4096; i < bad.length; i += 4096) bad.fill(0xa5, i + 8, i + 200);
    const r = await parseBrowserHistory(bad);
    expect(r).toBeDefined();
  });

  it('a SQLite database of another program → unsupported-schema', async () => {
    // The WAL image of the dfirlabs pair is Firefox; make a non-history database with sql.js itself.
    const { loadSqlJs } = await import('../../src/formats/browser-history.js');
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)');
    const bytes = Buffer.from(db.export());
    db.close();
    const r = await parseBrowserHistory(bytes);
    expect(isHistoryFailure(r) && r.error).toEqual({ kind: 'unsupported-schema', message: 'neither Chromium nor Firefox history (tables: notes)' });
  });

  it('an empty file → unsupported-schema (no tables)', async () => {
    const r = await parseBrowserHistory(Buffer.alloc(0));
    expect(isHistoryFailure(r) && r.error.kind).toBe('unsupported-schema');
  });
});

describe('a history built to stall or exhaust its reader', () => {
  // Built with sql.js from the Chrome 63 schema (test/hostile/sqlite-hostile.ts). Each of the refused
  // ones, queried as today's main queried them, takes minutes to forever; here the schema is read
  // first and they are refused in milliseconds.
  const refused = async (bytes: Buffer): Promise<string> => {
    const t = performance.now();
    const r = await parseBrowserHistory(bytes);
    expect(performance.now() - t).toBeLessThan(5000);
    if (!isHistoryFailure(r)) throw new Error(`expected a refusal, got a summary of ${r.totalVisits} visits`);
    expect(r.error.kind).toBe('refused');
    return r.error.message;
  };

  it('a generated visit_time (a third of a second per row read: 10,000 rows, an hour) is refused before any query', async () => {
    const { chromeHistory, EXPENSIVE_VISIT_TIME, CHROME_TABLES } = await import('../hostile/sqlite-hostile.js');
    const visits = CHROME_TABLES.visits.replace('visit_time INTEGER NOT NULL', EXPENSIVE_VISIT_TIME);
    expect(await refused(await chromeHistory({}, { visits: 10_000, rewrite: { visits } }))).toBe(
      'not queried: column `visit_time` of `visits` is a generated column — no browser writes this; a history built to stall or mislead its reader',
    );
  });

  it('meta, visit_source or visits as a view over an endless recursive CTE; urls as an FTS4 table: refused, each named', async () => {
    const { chromeHistory, ENDLESS } = await import('../hostile/sqlite-hostile.js');
    const view = (name: string, cols: string): string => `CREATE VIEW ${name} AS SELECT ${cols} FROM (${ENDLESS})`;
    expect(await refused(await chromeHistory({ meta: view('meta', `'version' AS key, n AS value`) }))).toMatch(/^not queried: `meta` is a view, not a table — /);
    expect(await refused(await chromeHistory({ visit_source: view('visit_source', 'n AS id, 0 AS source') }))).toMatch(/`visit_source` is a view/);
    expect(await refused(await chromeHistory({ visits: view('Visits', 'n AS id, 1 AS url, n AS visit_time') }, { indexes: false }))).toMatch(/`Visits` is a view/);
    expect(await refused(await chromeHistory({ urls: 'CREATE VIRTUAL TABLE urls USING fts4(id, url, title, visit_count, typed_count, last_visit_time, hidden)' }, { indexes: false }))).toMatch(/`urls` is a virtual table/);
  });

  it('Firefox: a generated visit_date is refused; a name with control characters is printed escaped', async () => {
    const { firefoxHistory } = await import('../hostile/sqlite-hostile.js');
    const bytes = await firefoxHistory(
      'CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, place_id INTEGER, visit_date INTEGER GENERATED ALWAYS AS (id * 1000) STORED, "x\x1b[2J" INTEGER AS (1))',
    );
    expect(await refused(bytes)).toBe(
      'not queried: column `visit_date` of `moz_historyvisits` is a generated column; column `x\\x1b[2J` of `moz_historyvisits` is a generated column — no browser writes this; a history built to stall or mislead its reader',
    );
  });

  it('the real Chrome schema is not refused (the same builder, nothing swapped): 100 visits', async () => {
    const { chromeHistory } = await import('../hostile/sqlite-hostile.js');
    expect(ok(await parseBrowserHistory(await chromeHistory())).totalVisits).toBe(100);
  });

  it("SQLite's heap is capped: a visits table claiming 34 million rows in 36 KiB (GROUP BY sorts them all) ends as out-of-memory, not a process of gigabytes", async () => {
    const { tableBomb } = await import('../hostile/sqlite-hostile.js');
    const r = await parseBrowserHistory(await tableBomb(1), { heapLimitBytes: 32 * 1024 * 1024 });
    expect(isHistoryFailure(r) && r.error).toEqual({ kind: 'out-of-memory', message: 'SQLite: out of memory' });
    // and the cap is per call: the next read with the default cap is whole
    expect(ok(await parseBrowserHistory(readFileSync(PLASO_CHROME))).totalVisits).toBe(69);
  });
});
