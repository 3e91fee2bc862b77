// The software list of the checklist (rules/data/software.yaml): which installed programs are remote
// control, cloud sync, instant messaging, virtualisation, antivirus or host audit. The probe only
// marks a program with the categories of the entries it matches; rules judge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUILTIN_RULES_DIR } from '../../engine/rules.js';

export const CATEGORIES = ['remote-control', 'cloud-sync', 'instant-messaging', 'virtualization', 'antivirus', 'host-audit'] as const;
export type SoftwareCategory = (typeof CATEGORIES)[number];
/** The categories the checklist requires present (protection), as opposed to forbidden ones. */
export const PROTECTION_CATEGORIES: readonly SoftwareCategory[] = ['antivirus', 'host-audit'];

export interface CatalogueEntry {
  id: string;
  category: SoftwareCategory;
  names: { zh: string; en: string };
  display: RegExp[];
  packages: Set<string>;
  confirmed: string;
}

export interface Catalogue {
  categories: Record<SoftwareCategory, { zh: string; en: string }>;
  entries: CatalogueEntry[];
}

let cached: Catalogue | undefined;

/** Load and check a catalogue file (default: the built-in one). Throws with every problem at once. */
export function loadCatalogue(path = join(BUILTIN_RULES_DIR, 'data', 'software.yaml')): Catalogue {
  if (cached && path === join(BUILTIN_RULES_DIR, 'data', 'software.yaml')) return cached;
  const doc = parse(readFileSync(path, 'utf8')) as { categories?: Record<string, { zh: string; en: string }>; software?: unknown[] };
  const problems: string[] = [];
  const entries: CatalogueEntry[] = [];
  const ids = new Set<string>();
  for (const [i, raw] of (doc.software ?? []).entries()) {
    const e = raw as Record<string, unknown>;
    const at = `software[${i}]${typeof e['id'] === 'string' ? ` (${e['id']})` : ''}`;
    const id = e['id'];
    const category = e['category'];
    const names = e['names'] as { zh?: unknown; en?: unknown } | undefined;
    if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) problems.push(`${at}: id must be lower-case words joined by -`);
    else if (ids.has(id)) problems.push(`${at}: id repeated`);
    else ids.add(id);
    if (!CATEGORIES.includes(category as SoftwareCategory)) problems.push(`${at}: category must be one of ${CATEGORIES.join(', ')}`);
    if (typeof names?.zh !== 'string' || typeof names.en !== 'string' || !names.zh || !names.en) problems.push(`${at}: names needs zh and en`);
    if (typeof e['confirmed'] !== 'string' || e['confirmed'] === '') problems.push(`${at}: confirmed (where the names were confirmed) is required`);
    const display: RegExp[] = [];
    for (const d of (e['display'] as unknown[] | undefined) ?? []) {
      try {
        display.push(new RegExp(String(d), 'iu'));
      } catch (err) {
        problems.push(`${at}: display ${JSON.stringify(d)}: ${(err as Error).message}`);
      }
    }
    const packages = new Set(((e['packages'] as unknown[] | undefined) ?? []).map((p) => String(p)));
    if (display.length === 0 && packages.size === 0) problems.push(`${at}: neither display nor packages: it can never match`);
    entries.push({ id: String(id), category: category as SoftwareCategory, names: { zh: String(names?.zh), en: String(names?.en) }, display, packages, confirmed: String(e['confirmed']) });
  }
  for (const c of CATEGORIES) if (!doc.categories?.[c]?.zh || !doc.categories[c]?.en) problems.push(`categories.${c}: zh and en names required`);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join('; ')}`);
  const cat = { categories: doc.categories as Catalogue['categories'], entries };
  if (path === join(BUILTIN_RULES_DIR, 'data', 'software.yaml')) cached = cat;
  return cat;
}

/**
 * The catalogue entries a program matches: Windows programs by their display name, packages by
 * their exact package name (dpkg, rpm, flatpak id, snap name).
 */
export function classify(cat: Catalogue, p: { name: string; system: string }): CatalogueEntry[] {
  const windows = p.system === 'windows-uninstall';
  return cat.entries.filter((e) => (windows ? e.display.some((r) => r.test(p.name)) : e.packages.has(p.name)));
}
