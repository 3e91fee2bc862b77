// The annual report assembled: the reports of a period read one at a time (a few in flight), each
// reduced to a compact record (src/annual/read.ts) and kept only as the latest scan of its machine;
// then counted by class, unit, department, rule and severity, compared with the previous period
// (./compare.ts) and correlated across machines (./correlate.ts). Nothing holds a whole report
// beyond the moment it is read.
import type { KeyObject } from 'node:crypto';
import { PROFILES, type Profile } from '../engine/vocab.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import type { Ledger } from '../ledger/types.js';
import { DEFAULT_BUDGET, keyRing, readReport, walkReports, type KeyRing, type ReadBudget } from './read.js';
import { compare } from './compare.js';
import { correlate, MANY_MACHINES } from './correlate.js';
import { ANNUAL_SCHEMA, type Annual, type Count, type Duplicate, type Exclusion, type MachineRecord, type RuleCount } from './types.js';

export interface Period {
  machines: Map<string, MachineRecord>;
  excluded: Exclusion[];
  duplicates: Duplicate[];
  /** Report files found (.json), verified (signature good), counted (after the year filter). */
  found: number;
  verified: number;
  counted: number;
  titles: Map<string, { zh: string; en: string }>;
}

// Reading is synchronous (src/annual/read.ts) and shares one scratch buffer: one report at a time.
const CONCURRENCY = 1;

/** Read every report under the folders; keep the latest scan of each machine. */
export async function readPeriod(dirs: string[], ring: KeyRing, opts: { year?: number; budget?: ReadBudget } = {}): Promise<Period> {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const p: Period = { machines: new Map(), excluded: [], duplicates: [], found: 0, verified: 0, counted: 0, titles: new Map() };
  const keep = (r: MachineRecord): void => {
    if (opts.year !== undefined && new Date(r.startedAt).getUTCFullYear() !== opts.year) {
      p.excluded.push({ file: r.file, kind: 'other-year', detail: r.startedAt });
      return;
    }
    p.counted++;
    const old = p.machines.get(r.key);
    if (old === undefined) {
      p.machines.set(r.key, r);
      return;
    }
    // The latest scan of a machine stands; the earlier one is named (ties: the later file name).
    const newer = r.startedAt > old.startedAt || (r.startedAt === old.startedAt && r.file > old.file);
    const [kept, dropped] = newer ? [r, old] : [old, r];
    p.machines.set(r.key, kept);
    p.duplicates.push({ key: r.key, hostname: kept.hostname, kept: { file: kept.file, startedAt: kept.startedAt }, dropped: { file: dropped.file, startedAt: dropped.startedAt } });
  };
  const inFlight = new Set<Promise<void>>();
  for await (const c of walkReports(dirs, budget)) {
    if ('exclusion' in c) {
      p.excluded.push(c.exclusion);
      continue;
    }
    p.found++;
    const job = readReport(c.file, ring, budget).then((res) => {
      if ('kind' in res) {
        p.excluded.push(res);
        return;
      }
      p.verified++;
      for (const [id, t] of Object.entries(res.titles)) if (!p.titles.has(id)) p.titles.set(id, t);
      keep(res.record);
    });
    const tracked = job.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  p.excluded.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  p.duplicates.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.dropped.startedAt < b.dropped.startedAt ? -1 : 1));
  return p;
}

const zeroProfiles = (): Record<Profile, number> => Object.fromEntries(PROFILES.map((x) => [x, 0])) as Record<Profile, number>;
const zeroSeverities = (): Record<Severity, number> => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/** One collator: `localeCompare` builds one per call, which dominated sorting 50,000 machines. */
export const ZH = new Intl.Collator('zh');

/** Null-safe ordering of unit / department names (named first, in Chinese collation order; unnamed last). */
export function byName(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return ZH.compare(a, b);
}

export function countsOf(m: Map<string, number>): Count[] {
  return [...m.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

export interface AnnualOptions {
  dirs: string[];
  previousDirs?: string[];
  keys: KeyObject[];
  keyFiles: string[];
  ledgers?: Array<{ file: string; ledger: Ledger }>;
  year?: number;
  lang: 'zh' | 'en';
  toolVersion: string;
  budget?: ReadBudget;
  now?: Date;
  manyThreshold?: number;
}

export async function buildAnnual(o: AnnualOptions): Promise<Annual> {
  const ring = keyRing(o.keys);
  const cur = await readPeriod(o.dirs, ring, { ...(o.year !== undefined ? { year: o.year } : {}), ...(o.budget ? { budget: o.budget } : {}) });
  const prev = o.previousDirs && o.previousDirs.length > 0 ? await readPeriod(o.previousDirs, ring, o.budget ? { budget: o.budget } : {}) : undefined;
  return assemble(cur, prev, o);
}

/** Department from the ledger's computer row when the report names none (the scan was given --ledger, not --department). */
function fillDepartments(machines: Iterable<MachineRecord>, ledgers: Array<{ ledger: Ledger }>): void {
  const byId = new Map<string, string>();
  for (const { ledger } of ledgers) for (const e of ledger.entries) if (e.isComputer && e.department) byId.set(e.id, e.department);
  for (const m of machines) if (m.department === null && m.ledgerRowId !== undefined && byId.has(m.ledgerRowId)) m.department = byId.get(m.ledgerRowId)!;
}

export function assemble(cur: Period, prev: Period | undefined, o: AnnualOptions): Annual {
  const machines = [...cur.machines.values()];
  fillDepartments(machines, o.ledgers ?? []);
  if (prev) fillDepartments(prev.machines.values(), o.ledgers ?? []);
  machines.sort((a, b) => byName(a.unit, b.unit) || byName(a.department, b.department) || byName(a.hostname, b.hostname) || (a.key < b.key ? -1 : 1));

  const byProfile = zeroProfiles();
  const findingsByProfile = zeroProfiles();
  const bySeverity = zeroSeverities();
  const units = new Map<string, Annual['machines']['byUnit'][number]>();
  const depts = new Map<string, Annual['machines']['byDepartment'][number]>();
  const rules = new Map<string, RuleCount>();
  const gapKinds = new Map<string, number>();
  const probes = new Map<string, number>();
  let withFindings = 0;
  let incomplete = 0;
  let assumed = 0;
  let total = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const m of machines) {
    byProfile[m.profile]++;
    if (m.profileSource === 'default') assumed++;
    const n = m.findings.length;
    total += n;
    findingsByProfile[m.profile] += n;
    if (n > 0) withFindings++;
    if (!m.complete) incomplete++;
    if (first === null || m.startedAt < first) first = m.startedAt;
    if (last === null || m.startedAt > last) last = m.startedAt;
    const uk = m.unit ?? '\u0000';
    const u = units.get(uk) ?? { unit: m.unit, machines: 0, byProfile: zeroProfiles(), findings: 0, withFindings: 0 };
    u.machines++;
    u.byProfile[m.profile]++;
    u.findings += n;
    if (n > 0) u.withFindings++;
    units.set(uk, u);
    const dk = `${uk}\u0001${m.department ?? '\u0000'}`;
    const d = depts.get(dk) ?? { unit: m.unit, department: m.department, machines: 0, findings: 0, withFindings: 0 };
    d.machines++;
    d.findings += n;
    if (n > 0) d.withFindings++;
    depts.set(dk, d);
    const seen = new Set<string>();
    for (const f of m.findings) {
      bySeverity[f.severity]++;
      const r = rules.get(f.ruleId) ?? { ruleId: f.ruleId, title: cur.titles.get(f.ruleId) ?? { zh: f.ruleId, en: f.ruleId }, severity: zeroSeverities(), findings: 0, machines: 0 };
      r.findings++;
      r.severity[f.severity]++;
      if (!seen.has(f.ruleId)) {
        r.machines++;
        seen.add(f.ruleId);
      }
      rules.set(f.ruleId, r);
    }
    for (const k of Object.keys(m.gaps)) gapKinds.set(k, (gapKinds.get(k) ?? 0) + 1);
    for (const p of new Set(m.probesNotDone.map((x) => x.probe))) probes.set(p, (probes.get(p) ?? 0) + 1);
  }
  // Most findings first; then the more severe; then by rule id.
  const bySev = (a: RuleCount, b: RuleCount): number => {
    for (const s of SEVERITIES) if (a.severity[s] !== b.severity[s]) return b.severity[s] - a.severity[s];
    return 0;
  };
  const byRule = [...rules.values()].sort((a, b) => b.findings - a.findings || bySev(a, b) || (a.ruleId < b.ruleId ? -1 : 1));

  const year = o.year ?? (last !== null ? new Date(last).getUTCFullYear() : null);
  return {
    schema: ANNUAL_SCHEMA,
    tool: { name: 'baomi', version: o.toolVersion },
    generatedAt: (o.now ?? new Date()).toISOString(),
    lang: o.lang,
    year,
    period: { first, last },
    sources: { dirs: o.dirs, previousDirs: o.previousDirs ?? [], keys: o.keyFiles, ledgers: (o.ledgers ?? []).map((l) => l.file) },
    reports: { found: cur.found, verified: cur.verified, counted: cur.counted, excluded: cur.excluded.length },
    excluded: cur.excluded,
    duplicates: cur.duplicates,
    machines: {
      total: machines.length,
      byProfile,
      profileAssumed: assumed,
      byUnit: [...units.values()].sort((a, b) => byName(a.unit, b.unit)),
      byDepartment: [...depts.values()].sort((a, b) => byName(a.unit, b.unit) || byName(a.department, b.department)),
      withFindings,
      withoutFindings: machines.length - withFindings,
      incomplete,
    },
    findings: { total, bySeverity, byRule, byProfile: findingsByProfile },
    notChecked: { gapKinds: countsOf(gapKinds), probes: countsOf(probes) },
    ...(prev ? { rectification: compare(cur, prev) } : {}),
    correlation: correlate(machines, o.ledgers ?? [], o.manyThreshold ?? MANY_MACHINES),
    appendix: machines,
  };
}
