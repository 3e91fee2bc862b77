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
  /** Exact names of the Windows Uninstall subkey (winget's `ProductCode`), lower-cased. */
  keys: Set<string>;
  packages: Set<string>;
  /** Where each name was confirmed (a repository and path, a package index). */
  confirmed: string[];
  /** Names not confirmed by any source read, and what was searched for them. */
  unconfirmed: string[];
}

/** A string or a list of strings in the YAML; anything else is a problem. */
function strings(v: unknown): string[] | undefined {
  if (v === undefined) return [];
  if (typeof v === 'string') return v === '' ? undefined : [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '')) return v as string[];
  return undefined;
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
    const confirmed = strings(e['confirmed']);
    const unconfirmed = strings(e['unconfirmed']);
    if (confirmed === undefined || unconfirmed === undefined) problems.push(`${at}: confirmed and unconfirmed are a text or a list of texts`);
    else if (confirmed.length + unconfirmed.length === 0) problems.push(`${at}: say where the names were confirmed (confirmed) or what was searched without confirming them (unconfirmed)`);
    const display: RegExp[] = [];
    for (const d of (e['display'] as unknown[] | undefined) ?? []) {
      try {
        display.push(new RegExp(String(d), 'iu'));
      } catch (err) {
        problems.push(`${at}: display ${JSON.stringify(d)}: ${(err as Error).message}`);
      }
    }
    const packages = new Set(((e['packages'] as unknown[] | undefined) ?? []).map((p) => String(p)));
    const keys = new Set(((e['keys'] as unknown[] | undefined) ?? []).map((k) => String(k).toLowerCase()));
    if (display.length === 0 && packages.size === 0 && keys.size === 0) problems.push(`${at}: neither display, keys nor packages: it can never match`);
    entries.push({
      id: String(id),
      category: category as SoftwareCategory,
      names: { zh: String(names?.zh), en: String(names?.en) },
      display,
      keys,
      packages,
      confirmed: confirmed ?? [],
      unconfirmed: unconfirmed ?? [],
    });
  }
  for (const c of CATEGORIES) if (!doc.categories?.[c]?.zh || !doc.categories[c]?.en) problems.push(`categories.${c}: zh and en names required`);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join('; ')}`);
  const cat = { categories: doc.categories as Catalogue['categories'], entries };
  if (path === join(BUILTIN_RULES_DIR, 'data', 'software.yaml')) cached = cat;
  return cat;
}

/**
 * The catalogue entries a program matches: Windows programs by their display name or the exact
 * name of their Uninstall subkey (`id`, after the user's name for a per-user program), packages by
 * their exact package name (dpkg, rpm, flatpak id, snap name).
 */
export function classify(cat: Catalogue, p: { name: string; system: string; id?: string; user?: string }): CatalogueEntry[] {
  if (p.system !== 'windows-uninstall') return cat.entries.filter((e) => e.packages.has(p.name));
  const key = p.id === undefined ? undefined : (p.user !== undefined && p.id.startsWith(`${p.user}:`) ? p.id.slice(p.user.length + 1) : p.id).toLowerCase();
  return cat.entries.filter((e) => e.display.some((r) => r.test(p.name)) || (key !== undefined && e.keys.has(key)));
}
