// Probe `software.installed` — the programs installed on the machine, as its own records list them,
// each marked with the categories of the checklist's software list (rules/data/software.yaml) it
// matches; and, for each kind of required protection (antivirus, host audit), which programs
// provide it. Rules judge (rules/software.yaml).
// Windows (offline, or live via reg save): Uninstall keys of SOFTWARE, SOFTWARE\WOW6432Node and each
// user's NTUSER.DAT. Linux (live and offline, the same files): dpkg status, the rpm database
// (rpmdb.sqlite, read in a worker), flatpak, snap.
import { S } from '../../engine/shape.js';
import type { CoverageItem, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { hiveGapError, hiveNotes, systemHive, userHive, userHivePaths } from '../windows/hives.js';
import { CATEGORIES, classify, loadCatalogue, PROTECTION_CATEGORIES, type SoftwareCategory } from './_catalogue.js';
import { dpkgPackages, flatpakApps, rpmPackages, snapPackages } from './installed.linux.js';
import { UNINSTALL_KEYS, uninstallEntries, USER_UNINSTALL_KEY } from './installed.windows.js';
import type { InstalledProgram, ProtectionSummary } from './types.js';

/** Programs listed per source at most (a real machine has a few hundred to a few thousand). */
export const MAX_ENTRIES = 50_000;

export interface SoftwareParams {
  /** The unit's protection products, by category: a program counts when its name contains one of these (case-insensitive). */
  accept?: Partial<Record<SoftwareCategory, string[]>>;
}

async function windowsPrograms(ctx: ProbeContext, coverage: CoverageItem[]): Promise<InstalledProgram[]> {
  const { target } = ctx;
  const sw = await systemHive(target, 'SOFTWARE');
  if (!sw.ok) throw hiveGapError(sw, 'SOFTWARE hive');
  coverage.push(...hiveNotes(sw.value));
  const out: InstalledProgram[] = [];
  for (const k of UNINSTALL_KEYS) {
    const r = uninstallEntries(sw.value.hive, k.path, sw.value.source, { scope: k.scope, arch: k.arch }, MAX_ENTRIES);
    out.push(...r.programs);
    if (r.truncated) coverage.push({ kind: 'partial', path: `${sw.value.source}: ${k.path}`, reason: `${r.keys} Uninstall entries, over the ${MAX_ENTRIES} budget: the rest were not listed`, blocking: true });
  }
  for (const u of await userHivePaths(target)) {
    const h = await userHive(target, u.path);
    if (!h.ok) {
      // One user's unreadable hive is a gap for that user's programs; the machine's list stands.
      coverage.push({ ...h.gap, reason: `programs installed for user ${u.user} not listed: ${h.gap.reason}`, blocking: true });
      continue;
    }
    coverage.push(...hiveNotes(h.value));
    const r = uninstallEntries(h.value.hive, USER_UNINSTALL_KEY, h.value.source, { scope: 'one-user', user: u.user }, MAX_ENTRIES);
    out.push(...r.programs);
    if (r.truncated) coverage.push({ kind: 'partial', path: `${h.value.source}: ${USER_UNINSTALL_KEY}`, reason: `${r.keys} Uninstall entries, over the ${MAX_ENTRIES} budget`, blocking: true });
  }
  return out;
}

/** `judgeable` false: a whole package database was not read, so "no antivirus" cannot be said. */
async function linuxPrograms(ctx: ProbeContext, coverage: CoverageItem[]): Promise<{ programs: InstalledProgram[]; judgeable: boolean }> {
  const { target } = ctx;
  const budget = { maxEntries: MAX_ENTRIES, signal: ctx.signal };
  const out: InstalledProgram[] = [];
  const dpkg = await dpkgPackages(target, coverage, budget);
  if (dpkg) out.push(...dpkg);
  // An unreadable or cut-short dpkg list cannot say "no antivirus".
  let judgeable = !coverage.some((c) => c.blocking && c.path === '/var/lib/dpkg/status');
  const rpm = await rpmPackages(target, coverage, budget);
  out.push(...rpm.programs);
  if (!rpm.judgeable) judgeable = false;
  out.push(...(await flatpakApps(target, coverage, budget)));
  out.push(...(await snapPackages(target, coverage, budget)));
  if (!dpkg && !rpm.found && out.length === 0) {
    coverage.push({ kind: 'not-found', path: '/var/lib/dpkg/status', reason: 'no package database found (dpkg, rpm, flatpak, snap): installed software could not be listed', blocking: true });
    judgeable = false;
  }
  return { programs: out, judgeable };
}

/** The programs that provide a protection: by the unit's names when given, else by the list's defaults. */
export function protectionSummaries(programs: readonly InstalledProgram[], accept: SoftwareParams['accept']): ProtectionSummary[] {
  return PROTECTION_CATEGORIES.map((category) => {
    const names = accept?.[category]?.map((n) => n.toLowerCase()).filter((n) => n !== '');
    const hits = programs.filter((p) => (names && names.length > 0 ? names.some((n) => p.name.toLowerCase().includes(n)) : p.categories.includes(category)));
    const products = [...new Set(hits.map((p) => (p.version ? `${p.name} ${p.version}` : p.name)))].sort();
    return { kind: 'protection', category, acceptedFrom: names && names.length > 0 ? 'params' : 'defaults', products, count: products.length, programsListed: programs.length };
  });
}

export const softwareInstalledProbe: Probe = {
  id: 'software.installed',
  description: 'Installed software (Windows Uninstall keys, dpkg, rpm, flatpak, snap), marked by the checklist software list; required protection present.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['kind', 'system', 'id', 'category'],
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      accept: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(PROTECTION_CATEGORIES.map((c) => [c, { type: 'array', items: { type: 'string', minLength: 1 } }])),
      },
    },
  },
  observes: S.obj({
    kind: S.enum('program', 'protection'),
    name: S.str,
    version: S.str,
    publisher: S.str,
    installDate: S.time,
    dateIs: S.enum('installed-or-upgraded'),
    location: S.str,
    system: S.enum('windows-uninstall', 'dpkg', 'rpm', 'flatpak', 'snap'),
    scope: S.enum('all-users', 'one-user'),
    user: S.str,
    arch: S.str,
    hidden: S.bool,
    id: S.str,
    categories: S.list(S.enum(...CATEGORIES)),
    matched: S.list(S.obj({ id: S.str, zh: S.str, en: S.str })),
    source: S.str,
    // kind: protection
    category: S.enum(...CATEGORIES),
    acceptedFrom: S.enum('params', 'defaults'),
    products: S.strs,
    count: S.num,
    programsListed: S.num,
  }),
  timeoutMs: 120_000,
  async collect(ctx: ProbeContext, params: Record<string, unknown>): Promise<ProbeResult> {
    const coverage: CoverageItem[] = [];
    const { programs, judgeable } = ctx.target.os.family === 'windows' ? { programs: await windowsPrograms(ctx, coverage), judgeable: true } : await linuxPrograms(ctx, coverage);
    const cat = loadCatalogue();
    for (const p of programs) {
      const hits = classify(cat, p);
      p.categories = [...new Set(hits.map((h) => h.category))];
      p.matched = hits.map((h) => ({ id: h.id, zh: h.names.zh, en: h.names.en }));
    }
    programs.sort((a, b) => a.system.localeCompare(b.system) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    // Without the package list there is nothing to say about protection (the gap says why).
    const summaries = judgeable ? protectionSummaries(programs, (params as SoftwareParams).accept) : [];
    return { status: 'ok', observations: [...programs, ...summaries], inventory: { software: programs.map(({ categories: _c, matched: _m, kind: _k, ...rest }) => rest) }, coverage };
  },
};
