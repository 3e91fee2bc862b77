// Probe `network.history` — traces of past internet use: browser histories of every user
// (Chromium family, Firefox; counts, first/last internet visit and top hosts — full URLs only with
// `--evidence full`), Windows network profiles (NetworkList, SOFTWARE hive) and the URLs typed
// into Internet Explorer's address bar (each user's NTUSER.DAT `TypedURLs`).
// Observations: {kind: 'browser' | 'network-profile' | 'typed-urls', …} (see below).
import { S } from '../../engine/shape.js';
import type { CoverageItem, Observation, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { extractHost, isInternetUrl } from '../../formats/browser-history.js';
import type { Target } from '../../target/types.js';
import { networkProfiles } from '../windows/networklist.js';
import { hiveNotes, systemHive, userHive, userHivePaths } from '../windows/hives.js';
import { key, str } from '../windows/reg.js';
import { collectBrowserHistory } from './_browsers.js';

/** TypedURLs of one user hive: url1…urlN. Hosts always; URLs only with full evidence. */
export function typedUrls(hive: import('../../formats/regf.js').Hive): string[] {
  const k = key(hive, 'Software\\Microsoft\\Internet Explorer\\TypedURLs');
  if (!k) return [];
  let names: string[] = [];
  try {
    names = k.values().map((v) => v.name).filter((n) => /^url\d+$/i.test(n));
  } catch {
    return [];
  }
  names.sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  return names.map((n) => str(k, n)).filter((u): u is string => u !== undefined);
}

async function windowsTraces(target: Target, full: boolean, coverage: CoverageItem[]): Promise<Observation[]> {
  const out: Observation[] = [];
  const soft = await systemHive(target, 'SOFTWARE');
  if (soft.ok) {
    coverage.push(...hiveNotes(soft.value));
    for (const p of networkProfiles(soft.value.hive)) {
      out.push({ kind: 'network-profile', ...p, timesAreLocal: true, source: `${soft.value.source}: ${p.keyPath}` });
    }
  } else {
    coverage.push({ ...soft.gap, reason: `${soft.gap.reason}: Windows network profiles (NetworkList) not checked`, blocking: true });
  }
  for (const u of await userHivePaths(target)) {
    const h = await userHive(target, u.path);
    if (!h.ok) {
      // Live, a logged-on user's hive is copied by reg save: a failure is a gap there too.
      coverage.push({ ...h.gap, blocking: true });
      continue;
    }
    coverage.push(...hiveNotes(h.value));
    const urls = typedUrls(h.value.hive);
    if (urls.length === 0) continue;
    const internet = urls.filter(isInternetUrl);
    const hosts = [...new Set(internet.map((x) => extractHost(x)).filter((x): x is string => x !== undefined))];
    out.push({
      kind: 'typed-urls',
      user: u.user,
      typed: urls.length,
      internetTyped: internet.length,
      hosts,
      ...(full ? { urls } : {}),
      source: `${u.path}: Software\\Microsoft\\Internet Explorer\\TypedURLs`,
    });
  }
  return out;
}

/**
 * Time budgets of the browser histories (see ./_browsers.ts): each database, and all of them
 * together — below this probe's own 120 s, so that a history made to stall its reader is a named
 * gap and the rest of the probe is still in the report.
 */
const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    databaseTimeoutMs: { type: 'integer', minimum: 100 },
    historyTimeoutMs: { type: 'integer', minimum: 100 },
  },
};

export const networkHistoryProbe: Probe = {
  id: 'network.history',
  description: 'Traces of past internet use: browser histories of every user, Windows network profiles, typed URLs.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  paramsSchema,
  identity: ['kind', 'path', 'guid', 'source'],
  // One shape for the three kinds (browser, network-profile, typed-urls): each fills its own fields.
  observes: S.obj({
    kind: S.enum('browser', 'network-profile', 'typed-urls'),
    // browser (./_browsers.ts BrowserHistoryItem)
    user: S.str,
    browser: S.str,
    profile: S.str,
    path: S.str,
    family: S.enum('chromium', 'firefox'),
    schemaVersion: S.num,
    totalVisits: S.num,
    internetVisits: S.num,
    internetHosts: S.num,
    firstVisit: S.time,
    lastVisit: S.time,
    firstInternetVisit: S.time,
    lastInternetVisit: S.time,
    topHosts: S.list(S.obj({ host: S.str, visits: S.num })),
    urls: S.oneOf(S.strs, S.list(S.obj({ url: S.str, host: S.str, visits: S.num, firstVisit: S.time, lastVisit: S.time }))),
    urlsTruncated: S.bool,
    wal: S.str,
    warnings: S.strs,
    // network-profile (../windows/networklist.ts NetworkProfile)
    name: S.str,
    description: S.str,
    guid: S.str,
    nameType: S.num,
    medium: S.enum('wireless', 'wired', 'mobile', 'other'),
    category: S.num,
    created: S.time,
    lastConnected: S.time,
    gatewayMac: S.str,
    dnsSuffix: S.str,
    managed: S.bool,
    keyPath: S.str,
    timesAreLocal: S.bool,
    // typed-urls
    typed: S.num,
    internetTyped: S.num,
    hosts: S.strs,
    source: S.str,
  }),
  timeoutMs: 120_000,
  async collect(ctx: ProbeContext, params: Record<string, unknown> = {}): Promise<ProbeResult> {
    const { target } = ctx;
    const full = ctx.options.evidence === 'full';
    const coverage: CoverageItem[] = [];
    const budget: { timeoutMs?: number; totalTimeoutMs?: number } = {};
    if (typeof params['databaseTimeoutMs'] === 'number') budget.timeoutMs = params['databaseTimeoutMs'];
    if (typeof params['historyTimeoutMs'] === 'number') budget.totalTimeoutMs = params['historyTimeoutMs'];
    const browsers = await collectBrowserHistory(target, { evidence: full ? 'full' : 'minimal', signal: ctx.signal, ...budget });
    coverage.push(...browsers.coverage);
    const out: Observation[] = browsers.items.map((b) => ({ kind: 'browser', ...b }));
    if (target.os.family === 'windows') {
      out.push(...(await windowsTraces(target, full, coverage)));
      // Internet Explorer / legacy Edge keep history in an ESE database this version does not read.
      for (const p of await target.glob('/Users/*/AppData/Local/Microsoft/Windows/WebCache/WebCacheV01.dat')) {
        coverage.push({ kind: 'unsupported-format', path: p, reason: 'Internet Explorer / legacy Edge history (ESE database) is not read; its typed URLs are' });
      }
    }
    return { status: 'ok', observations: out, inventory: { internetHistory: out }, coverage };
  },
};
