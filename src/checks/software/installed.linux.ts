// Installed packages of a Linux machine, from the package managers' own records (the same files
// live and offline): dpkg's status file, flatpak's deployments (system and per user), snapd's
// mounted snaps, and whether an rpm database is there.
import type { CoverageItem } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import type { InstalledProgram } from './types.js';

/** dpkg status of a large desktop: 5–10 MB; refuse absurd ones. */
export const MAX_STATUS_BYTES = 64 * 1024 * 1024;

export interface Budget {
  maxEntries: number;
  signal?: AbortSignal;
}

function program(p: Pick<InstalledProgram, 'name' | 'system' | 'scope' | 'id' | 'source'> & Record<string, unknown>): InstalledProgram {
  return { ...p, kind: 'program', categories: [], matched: [] };
}

/** Paragraphs of a dpkg status file: the fields baomi needs, of packages whose Status says installed. */
export function parseDpkgStatus(text: string, max: number): { packages: Array<Record<string, string>>; truncated: boolean; paragraphs: number } {
  const packages: Array<Record<string, string>> = [];
  let paragraphs = 0;
  let truncated = false;
  for (const para of text.split(/\n[ \t]*\n/)) {
    if (para.trim() === '') continue;
    paragraphs++;
    const f: Record<string, string> = {};
    for (const line of para.split('\n')) {
      const m = /^(Package|Status|Version|Maintainer|Architecture):[ \t]*(.*)$/.exec(line);
      if (m) f[m[1]!] = m[2]!.trim();
    }
    // "install ok installed", "hold ok installed"; not "deinstall ok config-files" (removed, config kept).
    if (!f['Package'] || !/\sinstalled$/.test(f['Status'] ?? '')) continue;
    if (packages.length >= max) {
      truncated = true;
      break;
    }
    packages.push(f);
  }
  return { packages, truncated, paragraphs };
}

async function mtimeDay(target: Target, path: string): Promise<string | undefined> {
  try {
    const st = await target.lstat(path);
    return st.mtime.slice(0, 10);
  } catch {
    return undefined;
  }
}

export async function dpkgPackages(target: Target, coverage: CoverageItem[], budget: Budget): Promise<InstalledProgram[] | undefined> {
  const path = '/var/lib/dpkg/status';
  if (!(await target.exists(path))) return undefined;
  let text: string;
  try {
    text = await target.readText(path, { maxBytes: MAX_STATUS_BYTES });
  } catch (err) {
    coverage.push({ kind: (err as { code?: string }).code === 'E_TOO_LARGE' ? 'too-large' : 'unreadable', path, reason: `dpkg status not read: ${(err as Error).message}`, blocking: true });
    return [];
  }
  const parsed = parseDpkgStatus(text, budget.maxEntries);
  if (parsed.paragraphs > 0 && parsed.packages.length === 0 && !/\nStatus:/.test(`\n${text}`)) {
    coverage.push({ kind: 'corrupt', path, reason: 'dpkg status has no Status fields: not a dpkg status file', blocking: true });
  }
  if (parsed.truncated) coverage.push({ kind: 'partial', path, reason: `more than ${budget.maxEntries} installed packages: the rest were not listed`, blocking: true });
  const out: InstalledProgram[] = [];
  for (const f of parsed.packages) {
    if (budget.signal?.aborted) break;
    const name = f['Package']!;
    const arch = f['Architecture'];
    // The file list dpkg (re)writes when it unpacks a package: its date is the last install or upgrade.
    const date = (arch ? await mtimeDay(target, `/var/lib/dpkg/info/${name}:${arch}.list`) : undefined) ?? (await mtimeDay(target, `/var/lib/dpkg/info/${name}.list`));
    out.push(program({
      name,
      ...(f['Version'] ? { version: f['Version'] } : {}),
      ...(f['Maintainer'] ? { publisher: f['Maintainer'] } : {}),
      ...(date ? { installDate: date, dateIs: 'installed-or-upgraded' } : {}),
      system: 'dpkg',
      scope: 'all-users',
      ...(arch ? { arch } : {}),
      id: name,
      source: path,
    }));
  }
  return out;
}

/** Flatpak deployments: `<installation>/app/<app id>/<arch>/<branch>/active`. */
export async function flatpakApps(target: Target, coverage: CoverageItem[], budget: Budget): Promise<InstalledProgram[]> {
  const installs: Array<{ dir: string; scope: 'all-users' | 'one-user'; user?: string }> = [{ dir: '/var/lib/flatpak', scope: 'all-users' }];
  for (const home of [...(await target.glob('/home/*')), '/root']) {
    const dir = `${home}/.local/share/flatpak`;
    if (await target.exists(dir)) installs.push({ dir, scope: 'one-user', user: home.slice(home.lastIndexOf('/') + 1) });
  }
  const out: InstalledProgram[] = [];
  for (const inst of installs) {
    let actives: string[];
    try {
      actives = await target.glob(`${inst.dir}/app/*/*/*/active`);
    } catch (err) {
      coverage.push({ kind: 'unreadable', path: `${inst.dir}/app`, reason: `flatpak applications not listed: ${(err as Error).message}`, blocking: true });
      continue;
    }
    for (const a of actives) {
      if (out.length >= budget.maxEntries) {
        coverage.push({ kind: 'partial', path: `${inst.dir}/app`, reason: `more than ${budget.maxEntries} flatpak deployments: the rest were not listed`, blocking: true });
        return out;
      }
      const parts = a.slice(inst.dir.length + '/app/'.length).split('/');
      const [id, arch, branch] = parts as [string, string, string];
      const date = await mtimeDay(target, a);
      out.push(program({
        name: id,
        version: branch,
        ...(date ? { installDate: date, dateIs: 'installed-or-upgraded' } : {}),
        system: 'flatpak',
        scope: inst.scope,
        ...(inst.user ? { user: inst.user } : {}),
        arch,
        id: `${inst.user ? `${inst.user}:` : ''}${id}`,
        source: a,
      }));
    }
  }
  return out;
}

/** Snaps: snapd keeps each installed revision as `/var/lib/snapd/snaps/<name>_<revision>.snap`. */
export async function snapPackages(target: Target, _coverage: CoverageItem[], budget: Budget): Promise<InstalledProgram[]> {
  const dir = '/var/lib/snapd/snaps';
  if (!(await target.exists(dir))) return [];
  const newest = new Map<string, { rev: number; path: string }>();
  for (const p of await target.glob(`${dir}/*.snap`)) {
    const m = /\/([a-z0-9][a-z0-9-]*)_(x?\d+)\.snap$/.exec(p);
    if (!m) continue;
    const rev = Number(m[2]!.replace(/^x/, ''));
    const cur = newest.get(m[1]!);
    if (!cur || rev > cur.rev) newest.set(m[1]!, { rev, path: p });
    if (newest.size >= budget.maxEntries) break;
  }
  const out: InstalledProgram[] = [];
  for (const [name, { rev, path }] of [...newest].sort((a, b) => a[0].localeCompare(b[0]))) {
    const date = await mtimeDay(target, path);
    out.push(program({ name, version: `revision ${rev}`, ...(date ? { installDate: date, dateIs: 'installed-or-upgraded' } : {}), system: 'snap', scope: 'all-users', id: name, source: path }));
  }
  return out;
}

/** rpm databases are 10–200 MB on a full system; refuse absurd ones. */
export const MAX_RPMDB_BYTES = 512 * 1024 * 1024;

/**
 * Packages of the rpm database: `rpmdb.sqlite` (rpm >= 4.16; Fedora, RHEL 9, openEuler, Kylin…) read
 * in a worker with its write-ahead log applied; the older Berkeley DB (`Packages`) and ndb
 * (`Packages.db`) formats are a named gap. `judgeable` false when packages may be missing.
 */
export async function rpmPackages(target: Target, coverage: CoverageItem[], budget: Budget): Promise<{ programs: InstalledProgram[]; judgeable: boolean; found: boolean }> {
  const { applyWal } = await import('../../formats/sqlite-wal.js');
  const { readRpmDb } = await import('./rpm-db.js');
  for (const path of ['/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite']) {
    if (!(await target.exists(path))) continue;
    let db: Buffer;
    let wal: Buffer | undefined;
    try {
      db = await target.readFile(path, { maxBytes: MAX_RPMDB_BYTES });
      if (await target.exists(`${path}-wal`)) wal = await target.readFile(`${path}-wal`, { maxBytes: MAX_RPMDB_BYTES });
    } catch (err) {
      const code = (err as { code?: string }).code;
      coverage.push({ kind: code === 'E_TOO_LARGE' ? 'too-large' : 'unreadable', path, reason: `rpm database not read: ${(err as Error).message}`, blocking: true });
      return { programs: [], judgeable: false, found: true };
    }
    let judgeable = true;
    if (wal !== undefined && wal.length > 0) {
      const applied = applyWal(db, wal);
      db = applied.image;
      if (applied.warnings.length > 0) {
        coverage.push({ kind: 'partial', path: `${path}-wal`, reason: `rpm database write-ahead log not fully applied: ${applied.warnings.join('; ')}`, blocking: true });
        judgeable = false;
      }
    }
    const r = await readRpmDb(db, { maxEntries: budget.maxEntries, ...(budget.signal ? { signal: budget.signal } : {}) });
    if (!r.ok) {
      coverage.push({ kind: r.kind === 'timeout' ? 'timeout' : 'corrupt', path, reason: `rpm database not read: ${r.message}`, blocking: true });
      return { programs: [], judgeable: false, found: true };
    }
    if (r.bad > 0) coverage.push({ kind: 'corrupt', path, reason: `${r.bad} package header(s) could not be read`, blocking: true });
    if (r.truncated) coverage.push({ kind: 'partial', path, reason: `more than ${budget.maxEntries} packages: the rest were not listed`, blocking: true });
    const programs = r.packages.map((p) =>
      program({
        name: p.name,
        ...(p.version ? { version: `${p.epoch ? `${p.epoch}:` : ''}${p.version}${p.release ? `-${p.release}` : ''}` } : {}),
        ...(p.vendor ? { publisher: p.vendor } : {}),
        ...(p.installTime ? { installDate: new Date(p.installTime * 1000).toISOString().slice(0, 10) } : {}),
        system: 'rpm',
        scope: 'all-users',
        ...(p.arch ? { arch: p.arch } : {}),
        id: p.arch ? `${p.name}.${p.arch}` : p.name,
        source: path,
      }),
    );
    return { programs, judgeable: judgeable && r.bad === 0 && !r.truncated, found: true };
  }
  for (const path of ['/var/lib/rpm/Packages', '/var/lib/rpm/Packages.db', '/usr/lib/sysimage/rpm/Packages.db']) {
    if (await target.exists(path)) {
      coverage.push({ kind: 'unsupported', path, reason: 'rpm database in the Berkeley DB or ndb format (rpm < 4.16): not read, rpm packages are not listed', blocking: true });
      return { programs: [], judgeable: false, found: true };
    }
  }
  return { programs: [], judgeable: true, found: false };
}
