/**
 * Issue 12, item 4: a crafted browser history must not hang the scan. Before this change, the
 * histories below held the event loop (sql.js is synchronous) for half an hour to forever, and the
 * probe's 120 s budget could not interrupt them. Now each database is read in a worker that is
 * terminated at its time budget (or when the probe is aborted), what the schema check recognises is
 * refused before any query, SQLite's and the worker's heaps are capped — and the other histories of
 * the disk are still read.
 *
 * The databases are built here (./sqlite-hostile.ts) and put in the homes of an offline Linux root,
 * next to real ones (fixtures/browsers). The worker runs dist/: `npm run build` first.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectBrowserHistory } from '../../src/checks/network/_browsers.js';
import { networkHistoryProbe } from '../../src/checks/network/history.js';
import { HistoryReader, parseBrowserHistoryBounded } from '../../src/checks/network/history-worker.js';
import type { CoverageItem, ProbeOk } from '../../src/engine/types.js';
import { isHistoryFailure } from '../../src/formats/browser-history.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { CHROME_TABLES, chromeHistory, ENDLESS, EXPENSIVE_VISIT_TIME, indexBomb, manyUrls, tableBomb } from './sqlite-hostile.js';

const F = join(import.meta.dirname, '..', '..', 'fixtures', 'browsers');
const PLASO_CHROME = readFileSync(join(F, 'chrome', 'plaso-History'));
const DFIR_FF = readFileSync(join(F, 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite'));
const DFIR_FF_WAL = readFileSync(join(F, 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite-wal'));

const BUDGET = 2000;
/** Start of the worker, reading the files, the databases that are not stalled: generous, for a loaded 2-core CI box. */
const SLACK = 10_000;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function makeRoot(files: Record<string, Buffer | string>): string {
  const root = mkdtempSync(join(tmpdir(), 'baomi-hostile-sqlite-'));
  roots.push(root);
  for (const [p, content] of Object.entries({ 'etc/os-release': 'NAME="UnionTech OS Desktop"\nID=uos\n', ...files })) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

const CHROME = (user: string): string => `home/${user}/.config/google-chrome/Default/History`;
let BOMB: Buffer;
let hostileRoot: string;

beforeAll(async () => {
  BOMB = await indexBomb(2); // 4 × 10^9 index entries: half an hour of sql.js
  hostileRoot = makeRoot({
    [CHROME('alice')]: PLASO_CHROME,
    [CHROME('bob')]: BOMB,
    [CHROME('carol')]: await chromeHistory({}, { visits: 10_000, rewrite: { visits: CHROME_TABLES.visits.replace('visit_time INTEGER NOT NULL', EXPENSIVE_VISIT_TIME) } }),
    [CHROME('dave')]: await chromeHistory({ meta: `CREATE VIEW meta AS SELECT 'version' AS key, n AS value FROM (${ENDLESS})` }),
    [CHROME('erin')]: await tableBomb(1),
    'home/frank/.mozilla/firefox/x.default/places.sqlite': DFIR_FF,
    'home/frank/.mozilla/firefox/x.default/places.sqlite-wal': DFIR_FF_WAL,
  });
});

const gap = (coverage: CoverageItem[], user: string): CoverageItem | undefined => coverage.find((c) => c.path?.startsWith(`/home/${user}/`));

describe('hostile browser histories in an offline root', () => {
  it('a b-tree bomb is stopped at its budget (timeout gap), recognised ones refused, a sort bomb ends at the heap cap; the real histories are read', async () => {
    const target = await FsTarget.open('offline', hostileRoot);
    const t = performance.now();
    const { items, coverage } = await collectBrowserHistory(target, { timeoutMs: BUDGET, sqliteHeapBytes: 16 * 1024 * 1024 });
    const took = performance.now() - t;
    expect(took).toBeGreaterThanOrEqual(BUDGET - 50);
    expect(took).toBeLessThan(BUDGET + SLACK);

    expect(items.map((i) => [i.user, i.family, i.totalVisits, i.internetVisits])).toEqual([
      ['alice', 'chromium', 69, 69],
      ['frank', 'firefox', 4, 4],
    ]);
    expect(gap(coverage, 'bob')).toEqual({
      kind: 'timeout',
      path: '/home/bob/.config/google-chrome/Default/History',
      reason: `Google Chrome history not read within ${BUDGET} ms: stopped (a database made to stall its reader, or too big to read in time)`,
      blocking: true,
    });
    expect(gap(coverage, 'carol')).toMatchObject({ kind: 'corrupt', blocking: true });
    expect(gap(coverage, 'carol')!.reason).toMatch(/^Google Chrome history refused: not queried: column `visit_time` of `visits` is a generated column/);
    expect(gap(coverage, 'dave')).toMatchObject({ kind: 'corrupt', blocking: true });
    expect(gap(coverage, 'dave')!.reason).toMatch(/`meta` is a view, not a table/);
    expect(gap(coverage, 'erin')).toMatchObject({ kind: 'too-large', blocking: true });
    expect(gap(coverage, 'erin')!.reason).toMatch(/SQLite ran out of its memory budget/);
    expect(coverage).toHaveLength(4);
  });

  it('the probe: status ok within its params\' budget, the stalled history a blocking timeout gap, the others observed', async () => {
    const target = await FsTarget.open('offline', hostileRoot);
    const ctx = { target, signal: new AbortController().signal, log: pino({ level: 'silent' }), options: { profile: 'classified' as const } };
    const t = performance.now();
    const res = (await networkHistoryProbe.collect(ctx, { databaseTimeoutMs: BUDGET })) as ProbeOk;
    expect(performance.now() - t).toBeLessThan(BUDGET + SLACK);
    expect(res.status).toBe('ok');
    expect(res.observations.map((o) => [o['user'], o['totalVisits']])).toEqual([
      ['alice', 69],
      ['frank', 4],
    ]);
    expect(gap(res.coverage!, 'bob')).toMatchObject({ kind: 'timeout', blocking: true });
  });

  it('several stalled histories share the total budget: the ones after it is spent are named, not read', async () => {
    const root = makeRoot({ [CHROME('a')]: BOMB, [CHROME('b')]: BOMB, [CHROME('c')]: BOMB, [CHROME('d')]: PLASO_CHROME });
    const target = await FsTarget.open('offline', root);
    const t = performance.now();
    const { items, coverage } = await collectBrowserHistory(target, { timeoutMs: 1500, totalTimeoutMs: 2500 });
    expect(performance.now() - t).toBeLessThan(2500 + SLACK);
    expect(coverage.map((c) => [c.path?.split('/')[2], c.kind])).toEqual([
      ['a', 'timeout'],
      ['b', 'timeout'],
      ['c', 'timeout'],
      ['d', 'timeout'],
    ]);
    expect(coverage[0]!.reason).toMatch(/not read within 1500 ms/);
    expect(coverage[2]!.reason).toBe('Google Chrome history not read: the 2500 ms given to browser histories were spent on the ones before it');
    expect(items).toEqual([]);
  });
});

describe('refusals are never taken for another program\'s file', () => {
  it('a history whose visits table is a view, where only the sweep finds it (unknown Chromium browser), is a gap, not skipped', async () => {
    const view = await chromeHistory({ visits: `CREATE VIEW visits AS SELECT n AS id, 1 AS url, n AS visit_time FROM (${ENDLESS})` }, { indexes: false });
    const root = makeRoot({ 'home/x/.config/SomeVendor/SomeBrowser/Default/History': view });
    const { items, coverage } = await collectBrowserHistory(await FsTarget.open('offline', root), { timeoutMs: BUDGET });
    expect(items).toEqual([]);
    expect(coverage).toEqual([
      {
        kind: 'corrupt',
        path: '/home/x/.config/SomeVendor/SomeBrowser/Default/History',
        reason:
          'Chromium-based (SomeVendor/SomeBrowser) history refused: not queried: `visits` is a view, not a table — no browser writes this; a history built to stall or mislead its reader',
        blocking: true,
      },
    ]);
  });
});

describe('the reading worker', () => {
  it('an AbortSignal terminates it mid-query: read() rejects with the reason at once; the next read gets a fresh worker', async () => {
    const reader = new HistoryReader();
    try {
      const ac = new AbortController();
      const reason = new Error('probe budget spent');
      setTimeout(() => ac.abort(reason), 1000);
      const t = performance.now();
      await expect(reader.read(Buffer.from(BOMB), undefined, {}, { timeoutMs: 600_000, signal: ac.signal })).rejects.toBe(reason);
      expect(performance.now() - t).toBeLessThan(1000 + 3000);
      const r = await reader.read(Buffer.from(PLASO_CHROME), undefined, {}, { timeoutMs: 30_000 });
      expect(r.ok && !isHistoryFailure(r.result) && r.result.totalVisits).toBe(69);
      expect(reader.started).toBe(2);
    } finally {
      await reader.close();
    }
  });

  it('one file on its own (as `baomi inspect` reads one): the bomb a timeout result, a real history the same summary as in-thread', async () => {
    const t = performance.now();
    expect(await parseBrowserHistoryBounded(Buffer.from(BOMB), {}, { timeoutMs: 1000 })).toMatchObject({ ok: false, kind: 'timeout', message: 'not read within 1000 ms: stopped' });
    expect(performance.now() - t).toBeLessThan(1000 + SLACK);
    const ff = await parseBrowserHistoryBounded(Buffer.from(DFIR_FF), { wal: Buffer.from(DFIR_FF_WAL), evidence: 'full' });
    expect(ff.ok && !isHistoryFailure(ff.result) && [ff.result.totalVisits, ff.result.urls?.length, ff.result.wal]).toEqual([4, 4, { framesApplied: 48, framesIgnored: 18, commits: 7 }]);
  });

  it('a result bigger than its heap cap ends the worker (V8 out of memory), a too-large gap, not the process', async () => {
    // 100,000 distinct URLs of ~200 characters: tens of MB of rows in the worker's JavaScript heap.
    const root = makeRoot({ [CHROME('big')]: await manyUrls(100_000), [CHROME('small')]: PLASO_CHROME });
    const target = await FsTarget.open('offline', root);
    const { items, coverage } = await collectBrowserHistory(target, { workerHeapMb: 12, timeoutMs: 60_000 });
    expect(coverage).toEqual([
      {
        kind: 'too-large',
        path: '/home/big/.config/google-chrome/Default/History',
        reason: 'Google Chrome history not read: reading it needed more than the 12 MiB allowed (a database made to exhaust memory, or too big)',
        blocking: true,
      },
    ]);
    expect(items.map((i) => [i.user, i.totalVisits])).toEqual([['small', 69]]);
  }, 60_000);
});
