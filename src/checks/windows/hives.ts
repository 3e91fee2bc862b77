// Registry hives of a Windows target, opened once per scan and shared by the probes that need
// them. Offline: `Windows/System32/config/<NAME>` (and each user's NTUSER.DAT) read through the
// Target, with the transaction logs beside them (`.LOG1`/`.LOG2`, XP `.LOG`) replayed when the hive
// is dirty — as Windows does when it loads it. Live on Windows: `reg save` copies into the kit's
// scratch folder (a consistent hive: nothing to replay; never the inspected machine's %TEMP%), read
// by the same reader — the live registry files are locked by the running system.
import { ProbeGapError, type CoverageItem } from '../../engine/types.js';
import { checkHiveIntegrity, Hive, HiveError, openHiveWithLogs, readBaseBlock, transactionLogNames, type LogFileInput, type ReplayResult } from '../../formats/regf.js';
import type { Target } from '../../target/types.js';
import { asWindowsLive } from '../../target/windows-live.js';
import { profileList } from './reg.js';

/** Hive files can be large (SOFTWARE of a busy machine: 100–300 MB); refuse absurd ones. */
const MAX_HIVE_BYTES = 1024 * 1024 * 1024;
/** A transaction log is at most a few times the dirty data of a hive; refuse absurd ones. */
const MAX_LOG_BYTES = 512 * 1024 * 1024;

export type SystemHiveName = 'SYSTEM' | 'SOFTWARE' | 'SAM' | 'SECURITY';

export interface OpenedHive {
  hive: Hive;
  /** Where it came from: target path offline, `HKLM\\NAME (reg save)` live. */
  source: string;
  /** Offline: the transaction logs beside the hive and what replaying them did (absent live). */
  logs?: HiveLogs;
}

/** The transaction logs of an offline hive and what replay did with them. */
export interface HiveLogs {
  /** The primary file's base block was dirty (sequence numbers differ or bad checksum). */
  dirty: boolean;
  /** Log files found beside the hive (target paths). */
  found: string[];
  /** Log files whose entries were applied, in order. */
  applied: string[];
  /** Log entries applied (0 when none). */
  entries: number;
  /** Sequence numbers: the primary's secondary one before, the one after replay. */
  fromSequence?: number;
  toSequence?: number;
  /** Why a log was not used, or not used in full. */
  problems: string[];
  /** Newer changes than those applied may exist but could not be applied. */
  damaged: boolean;
  /** The full replay outcome (the recovered bytes are not kept). */
  replay: Omit<ReplayResult, 'bytes'>;
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

function unreadableHive(source: string, err: unknown): HiveResult {
  const code = err instanceof HiveError ? err.code : 'E_HIVE';
  return { ok: false, gap: { kind: 'corrupt', path: source, reason: `registry hive unreadable (${code}): ${(err as Error).message}`, blocking: true } };
}

function parse(buf: Buffer, source: string): HiveResult {
  try {
    const hive = Hive.open(buf, { name: source });
    return { ok: true, value: { hive, source } };
  } catch (err) {
    return unreadableHive(source, err);
  }
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * Open a hive read from the target, replaying `logs` when it is dirty (see `openHiveWithLogs`).
 * Exported for tests and for callers that read the files themselves.
 */
export function openWithLogs(buf: Buffer, source: string, logs: LogFileInput[], found: string[] = logs.map((l) => l.name), unread: string[] = []): HiveResult {
  let opened;
  try {
    opened = openHiveWithLogs(buf, logs, { name: source, maxHiveBytes: MAX_HIVE_BYTES, maxLogBytes: MAX_LOG_BYTES });
  } catch (err) {
    return unreadableHive(source, err);
  }
  const { bytes: _bytes, ...replay } = opened.replay;
  const problems = replay.problems.map((p) => (p.name === '(none)' ? p.reason : `${baseName(p.name)}: ${p.reason}`));
  if (replay.dirty) problems.push(...unread);
  const logsInfo: HiveLogs = {
    dirty: replay.dirty,
    found,
    applied: replay.applied.map((a) => a.name),
    entries: replay.entries,
    ...(replay.dirty ? { fromSequence: replay.secondarySequence } : {}),
    ...(replay.finalSequence !== undefined ? { toSequence: replay.finalSequence } : {}),
    problems,
    damaged: replay.damaged || (replay.dirty && unread.length > 0),
    replay,
  };
  return { ok: true, value: { hive: opened.hive, source, logs: logsInfo } };
}

function seqRange(l: HiveLogs): string {
  return l.toSequence !== undefined ? `sequence ${l.fromSequence ?? '?'} → ${l.toSequence}` : '';
}

/**
 * Notes on a hive's condition for the report's coverage. Blocking (the scan is then incomplete):
 * a dirty hive whose logs are missing, unusable or damaged (`dirty-hive`), a hive with cells that
 * could not be read (`hive-damaged`, from a full walk, once per hive), a truncated hive
 * (`hive-truncated`). Informational: a dirty hive cleanly replayed from its logs (`hive-replayed`),
 * a damage check cut short by its budget (`hive-check-incomplete`).
 */
export function hiveNotes(h: OpenedHive): CoverageItem[] {
  const out: CoverageItem[] = [];
  const l = h.logs;
  if (l?.dirty && l.entries > 0) {
    const files = l.applied.map(baseName).join(' + ');
    const what = `hive was not cleanly written (dirty); its transaction logs were replayed as Windows does when loading it: ${l.entries} log entr${l.entries === 1 ? 'y' : 'ies'} from ${files}${seqRange(l) ? ` (${seqRange(l)})` : ''}`;
    if (l.damaged) {
      out.push({
        kind: 'dirty-hive',
        path: h.source,
        reason: `${what}, but the replay stopped early — the newest changes may be missing: ${l.problems.join('; ')}`,
        blocking: true,
      });
    } else {
      out.push({ kind: 'hive-replayed', path: h.source, reason: what, blocking: false });
    }
  } else if (l?.dirty || (!l && h.hive.dirty)) {
    const why = !l
      ? 'its transaction logs were not read'
      : l.found.length === 0
        ? 'no transaction log (.LOG1/.LOG2/.LOG) was found beside it'
        : `its transaction logs could not be used (${l.problems.join('; ') || 'no applicable entry'})`;
    out.push({
      kind: 'dirty-hive',
      path: h.source,
      reason: `hive was not cleanly written (sequence numbers ${h.hive.header.primarySequence}/${h.hive.header.secondarySequence} differ): the newest changes may be missing — ${why}`,
      blocking: true,
    });
  }
  if (h.hive.truncated) out.push({ kind: 'hive-truncated', path: h.source, reason: 'hive file is truncated: keys past the end are missing', blocking: true });
  const integrity = checkHiveIntegrity(h.hive);
  if (integrity.unreadableCells > 0) {
    out.push({
      kind: 'hive-damaged',
      path: h.source,
      reason:
        `hive is damaged: ${integrity.unreadableCells} cell${integrity.unreadableCells === 1 ? '' : 's'} could not be read ` +
        `(${integrity.keyProblems} in the key tree under ${integrity.keysWithProblems} key${integrity.keysWithProblems === 1 ? '' : 's'}, ${integrity.valueDataProblems} value data); ` +
        `${integrity.keys} keys and ${integrity.values} values were read${integrity.examples.length ? `; e.g. ${integrity.examples.slice(0, 2).join('; ')}` : ''}`,
      blocking: true,
    });
  }
  if (!integrity.complete) {
    out.push({ kind: 'hive-check-incomplete', path: h.source, reason: `damage check stopped at its limit after ${integrity.keys} keys (${integrity.ms} ms)`, blocking: false });
  }
  return out;
}

/**
 * A hive of the running Windows machine, copied by `reg save` into the kit's scratch folder and read
 * there by the offline parser (a consistent copy: nothing to replay). Without administrator rights
 * the copy fails: a `needs-admin` gap, blocking — the checks on this hive could not be made.
 */
async function savedHive(target: Target, key: string, source: string): Promise<HiveResult> {
  const live = asWindowsLive(target);
  if (!live) {
    return { ok: false, gap: { kind: 'unreadable', path: source, reason: `${source}: a live registry is read only on a running Windows machine`, blocking: true } };
  }
  const r = await live.saveHive(key);
  if (!r.ok) return { ok: false, gap: { kind: r.needsAdmin ? 'needs-admin' : 'unreadable', path: source, reason: r.reason, blocking: true } };
  return parse(r.bytes, source);
}

/**
 * The hive, or a probe failure carrying its gap (needs-admin, unreadable, corrupt…) for a probe that
 * can do nothing without it. `label` names it in the message (`SYSTEM hive`).
 */
export function hiveOrFail(r: HiveResult, label: string): OpenedHive {
  if (r.ok) return r.value;
  throw hiveGapError(r, label);
}

/** The probe failure for a hive that could not be had (`throw hiveGapError(r, 'SYSTEM hive')`). */
export function hiveGapError(r: { ok: false; gap: CoverageItem }, label: string): ProbeGapError {
  return new ProbeGapError(`${label}: ${r.gap.reason}`, r.gap);
}

/** Target paths of the transaction logs beside a hive, matched case-insensitively. */
export async function findHiveLogs(target: Target, path: string): Promise<string[]> {
  const cut = path.lastIndexOf('/');
  const dir = cut <= 0 ? '/' : path.slice(0, cut);
  const name = path.slice(cut + 1);
  let names: string[];
  try {
    names = (await target.readDir(dir)).filter((e) => e.kind === 'file').map((e) => e.name);
  } catch {
    return [];
  }
  return transactionLogNames(name, names).map((n) => (dir === '/' ? `/${n}` : `${dir}/${n}`));
}

async function readHiveFile(target: Target, path: string): Promise<HiveResult> {
  let buf: Buffer;
  try {
    buf = await target.readFile(path, { maxBytes: MAX_HIVE_BYTES });
  } catch (err) {
    const missing = (err as { code?: string }).code === 'E_NOT_FOUND';
    return { ok: false, gap: { kind: missing ? 'missing' : 'unreadable', path, reason: missing ? 'registry hive not found' : `registry hive unreadable: ${(err as Error).message}` } };
  }
  // Logs are read only when the hive needs them (sequence numbers differ or the checksum is bad).
  const bb = readBaseBlock(buf);
  if (!bb || (bb.primarySequence === bb.secondarySequence && bb.checksumValid)) return parse(buf, path);
  const found = await findHiveLogs(target, path);
  const logs: LogFileInput[] = [];
  const unread: string[] = [];
  for (const f of found) {
    try {
      logs.push({ name: f, data: await target.readFile(f, { maxBytes: MAX_LOG_BYTES }) });
    } catch (err) {
      unread.push(`${baseName(f)}: not read (${(err as Error).message})`);
    }
  }
  return openWithLogs(buf, path, logs, found, unread);
}

/** A machine hive (HKLM\NAME) of a Windows target. */
export function systemHive(target: Target, name: SystemHiveName): Promise<HiveResult> {
  return cached(target, name, () =>
    target.mode === 'live' ? savedHive(target, `HKLM\\${name}`, `HKLM\\${name} (reg save)`) : readHiveFile(target, `/Windows/System32/config/${name}`),
  );
}

/**
 * A user hive (NTUSER.DAT) at a target path. Live, the hive of a user logged on now is loaded and its
 * file locked: it is saved from `HKU\<SID>` instead (the SID whose ProfileList folder holds the
 * file); a user not logged on has a plain file.
 */
export function userHive(target: Target, path: string): Promise<HiveResult> {
  return cached(target, `user:${path.toLowerCase()}`, async () => {
    const sid = target.mode === 'live' ? await loadedSidOf(target, path) : undefined;
    return sid !== undefined ? savedHive(target, `HKU\\${sid}`, `HKU\\${sid} (reg save of ${path})`) : readHiveFile(target, path);
  });
}

/** ProfileList: each account's SID and its profile folder as a target path (from the SOFTWARE hive). */
export function profileFolders(software: Hive, targetPathOf: (windowsPath: string) => string | undefined, systemDrive = 'C:'): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of profileList(software)) {
    if (u.profilePath === undefined) continue;
    const t = targetPathOf(u.profilePath.replace(/%SystemDrive%/gi, systemDrive).replace(/%SystemRoot%/gi, `${systemDrive}\\Windows`));
    if (t !== undefined) out.set(u.sid, t);
  }
  return out;
}

/** The SID of the loaded user hive whose profile folder holds `path`, on a running Windows machine. */
async function loadedSidOf(target: Target, path: string): Promise<string | undefined> {
  const live = asWindowsLive(target);
  if (!live) return undefined;
  const { sids } = await live.loadedUserSids();
  if (sids.length === 0) return undefined;
  const sw = await systemHive(target, 'SOFTWARE');
  if (!sw.ok) return undefined;
  const folders = profileFolders(sw.value.hive, (p) => live.targetPathOf(p));
  const folder = path.slice(0, path.lastIndexOf('/')).toLowerCase();
  return sids.find((sid) => folders.get(sid)?.toLowerCase() === folder);
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
