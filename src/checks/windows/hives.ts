// Registry hives of a Windows target, opened once per scan and shared by the probes that need
// them. Offline: `Windows/System32/config/<NAME>` (and each user's NTUSER.DAT) read through the
// Target. Live on Windows: `reg save` copies into a temp folder, read by the same reader — the
// live registry files are locked by the running system.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoverageItem } from '../../engine/types.js';
import { Hive, HiveError } from '../../formats/regf.js';
import type { Target } from '../../target/types.js';

/** Hive files can be large (SOFTWARE of a busy machine: 100–300 MB); refuse absurd ones. */
const MAX_HIVE_BYTES = 1024 * 1024 * 1024;

export type SystemHiveName = 'SYSTEM' | 'SOFTWARE' | 'SAM' | 'SECURITY';

export interface OpenedHive {
  hive: Hive;
  /** Where it came from: target path offline, `HKLM\\NAME (reg save)` live. */
  source: string;
}

/** Outcome of opening a hive: the hive, or why not (as a coverage item ready for the report). */
export type HiveResult = { ok: true; value: OpenedHive } | { ok: false; gap: CoverageItem };

const cache = new WeakMap<Target, Map<string, Promise<HiveResult>>>();

function cached(target: Target, key: string, open: () => Promise<HiveResult>): Promise<HiveResult> {
  let m = cache.get(target);
  if (m === undefined) {
    m = new Map();
    cache.set(target, m);
  }
  let p = m.get(key);
  if (p === undefined) {
    p = open();
    m.set(key, p);
  }
  return p;
}

function parse(buf: Buffer, source: string): HiveResult {
  try {
    const hive = Hive.open(buf, { name: source });
    return { ok: true, value: { hive, source } };
  } catch (err) {
    const code = err instanceof HiveError ? err.code : 'E_HIVE';
    return { ok: false, gap: { kind: 'corrupt', path: source, reason: `registry hive unreadable (${code}): ${(err as Error).message}` } };
  }
}

/** Notes a hive's condition that a reader of the report should know (dirty, truncated). */
export function hiveNotes(h: OpenedHive): CoverageItem[] {
  const out: CoverageItem[] = [];
  if (h.hive.dirty) {
    out.push({
      kind: 'dirty-hive',
      path: h.source,
      reason: 'hive was not cleanly written (sequence numbers differ): the newest changes may be only in its .LOG1/.LOG2 transaction logs, which were not replayed',
    });
  }
  if (h.hive.truncated) out.push({ kind: 'corrupt', path: h.source, reason: 'hive file is truncated: keys past the end are missing' });
  return out;
}

async function regSave(target: Target, name: SystemHiveName): Promise<HiveResult> {
  const dir = await mkdtemp(join(tmpdir(), 'baomi-hive-'));
  const file = join(dir, name);
  const source = `HKLM\\${name} (reg save)`;
  try {
    const r = await target.exec('reg', ['save', `HKLM\\${name}`, file, '/y'], { timeoutMs: 120_000 });
    if (r.exitCode !== 0) {
      return { ok: false, gap: { kind: 'unreadable', path: source, reason: `reg save failed (administrator rights needed): ${(r.stderr || r.stdout).trim()}` } };
    }
    return parse(await readFile(file), source);
  } catch (err) {
    return { ok: false, gap: { kind: 'unreadable', path: source, reason: `reg save could not run: ${(err as Error).message}` } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readHiveFile(target: Target, path: string): Promise<HiveResult> {
  let buf: Buffer;
  try {
    buf = await target.readFile(path, { maxBytes: MAX_HIVE_BYTES });
  } catch (err) {
    const missing = (err as { code?: string }).code === 'E_NOT_FOUND';
    return { ok: false, gap: { kind: missing ? 'missing' : 'unreadable', path, reason: missing ? 'registry hive not found' : `registry hive unreadable: ${(err as Error).message}` } };
  }
  return parse(buf, path);
}

/** A machine hive (HKLM\NAME) of a Windows target. */
export function systemHive(target: Target, name: SystemHiveName): Promise<HiveResult> {
  return cached(target, name, () =>
    target.mode === 'live' ? regSave(target, name) : readHiveFile(target, `/Windows/System32/config/${name}`),
  );
}

/** A user hive (NTUSER.DAT) at a target path; live, the file of a logged-on user is locked. */
export function userHive(target: Target, path: string): Promise<HiveResult> {
  return cached(target, `user:${path.toLowerCase()}`, () => readHiveFile(target, path));
}

/** Each user's NTUSER.DAT on a Windows disk (Vista+ `Users`, XP `Documents and Settings`). */
export async function userHivePaths(target: Target): Promise<Array<{ user: string; path: string; folder: string }>> {
  const out: Array<{ user: string; path: string; folder: string }> = [];
  for (const folder of [...(await target.glob('/Users/*')), ...(await target.glob('/Documents and Settings/*'))]) {
    const path = `${folder}/NTUSER.DAT`;
    if (await target.exists(path)) out.push({ user: folder.slice(folder.lastIndexOf('/') + 1), path, folder });
  }
  return out;
}
