/**
 * Read-only Windows registry hive (regf) reader — pure TypeScript, lazy, safe on corrupt input.
 *
 * ```ts
 * import { openHiveFile, keyToJson } from './formats/regf.js';
 * const hive = await openHiveFile('/mnt/win/Windows/System32/config/SYSTEM');
 * const key = hive.getKey('CurrentControlSet\\Enum\\USBSTOR'); // resolved through Select\Current
 * console.log(hive.dirty, key && keyToJson(key, { recursive: true }));
 * ```
 *
 * Format references: the libyal "Windows NT Registry File (REGF) format" notes and the behaviour of
 * hivex, against whose `hivexregedit --export` listings this reader is tested.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HiveError } from './regf/errors.js';
import { Hive, type HiveOpenOptions } from './regf/hive.js';
import { replayTransactionLogs, type LogFileInput, type ReplayOptions, type ReplayResult } from './regf/log.js';

export { HiveError, isHiveError, type HiveErrorCode } from './regf/errors.js';
export { Hive, HBIN_START, NO_OFFSET, splitKeyPath, type HiveHeader, type HiveOpenOptions, type WalkOptions } from './regf/hive.js';
export { RegKey, KeyFlags } from './regf/key.js';
export { RegValue, decodeValueData, type RegValueData } from './regf/value.js';
export { RegType, regTypeName, isDevicePropertyType } from './regf/types.js';
export { decodeDeviceProperty, formatGuid, type DeviceProperty } from './regf/devprop.js';
export { keyToJson, valueToJson, type KeyToJsonOptions, type RegKeyJson, type RegValueJson } from './regf/json.js';
export { filetimeToDate, filetimeToIso } from './regf/util.js';
export {
  replayTransactionLogs,
  readLogEntries,
  readBaseBlock,
  logFormat,
  baseBlockChecksum,
  type AppliedLog,
  type LogBaseBlock,
  type LogEntries,
  type LogEntryInfo,
  type LogFileInput,
  type LogFormat,
  type LogProblem,
  type ReplayOptions,
  type ReplayResult,
} from './regf/log.js';
export { marvin32 } from './regf/marvin.js';
export { checkHiveIntegrity, type HiveIntegrity, type IntegrityOptions } from './regf/integrity.js';

function ioError(path: string, e: unknown): HiveError {
  const msg = e instanceof Error ? e.message : String(e);
  return new HiveError('E_HIVE_IO', `${path}: cannot read hive file: ${msg}`, { cause: e });
}

/**
 * Read a hive file (opened read-only, `O_RDONLY`) and open it. The name defaults to the path.
 * @throws {HiveError} `E_HIVE_IO` when the file cannot be read (the fs error is the `cause`), or any {@link Hive.open} error.
 */
export async function openHiveFile(path: string, options: HiveOpenOptions = {}): Promise<Hive> {
  let data: Buffer;
  try {
    data = await readFile(path, { flag: 'r' });
  } catch (e) {
    throw ioError(path, e);
  }
  return Hive.open(data, { name: options.name ?? path });
}

/** Synchronous {@link openHiveFile}. */
export function openHiveFileSync(path: string, options: HiveOpenOptions = {}): Hive {
  let data: Buffer;
  try {
    data = readFileSync(path, { flag: 'r' });
  } catch (e) {
    throw ioError(path, e);
  }
  return Hive.open(data, { name: options.name ?? path });
}

/** The suffixes of a hive's transaction logs: `.LOG1`/`.LOG2` (Vista and later), `.LOG` (XP). */
export const LOG_SUFFIXES = ['.LOG1', '.LOG2', '.LOG'] as const;

/**
 * Names (as they are in `names`) of the transaction logs of the hive called `hiveName`, matched
 * case-insensitively (`SYSTEM` → `SYSTEM.LOG1`, `system.log2`, `SYSTEM.LOG`), in suffix order.
 */
export function transactionLogNames(hiveName: string, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const suffix of LOG_SUFFIXES) {
    const want = (hiveName + suffix).toLowerCase();
    const hit = names.find((n) => n.toLowerCase() === want);
    if (hit !== undefined) out.push(hit);
  }
  return out;
}

/** A hive opened with its transaction logs replayed when it was dirty. */
export interface HiveWithLogs {
  /** The hive as Windows would load it: replayed when logs could be applied, else the primary as is. */
  hive: Hive;
  /** What replay did (or why not); `dirty: false` for a clean primary. */
  replay: ReplayResult;
}

/**
 * Open a hive held in memory, replaying `logs` first when its base block is dirty (see
 * {@link replayTransactionLogs}). When nothing could be applied, or the replayed result does not open,
 * the primary is opened as is and `replay.replayed` is false (with the reason in `replay.problems`).
 * @throws {HiveError} only when the primary itself cannot be opened.
 */
export function openHiveWithLogs(primary: Uint8Array, logs: readonly LogFileInput[], options: HiveOpenOptions & ReplayOptions = {}): HiveWithLogs {
  const replay = replayTransactionLogs(primary, logs, options);
  const name = options.name;
  if (replay.replayed && replay.bytes) {
    try {
      return { hive: Hive.open(replay.bytes, name === undefined ? {} : { name }), replay };
    } catch (e) {
      if (!(e instanceof HiveError)) throw e;
      const failed: ReplayResult = {
        ...replay,
        replayed: false,
        damaged: true,
        problems: [...replay.problems, { name: replay.applied.map((a) => a.name).join(' + '), reason: `the replayed hive does not open (${e.code}): ${e.message}`, damage: true }],
      };
      delete failed.bytes;
      return { hive: Hive.open(primary, name === undefined ? {} : { name }), replay: failed };
    }
  }
  return { hive: Hive.open(primary, name === undefined ? {} : { name }), replay };
}

/**
 * {@link openHiveFile} with the logs beside the file (`PATH.LOG1`, `PATH.LOG2`, `PATH.LOG`, any case)
 * replayed when the hive is dirty. `logs: false` opens the primary as is. Logs larger than
 * `maxLogBytes` (default 1 GiB) are not read.
 */
export async function openHiveFileWithLogs(path: string, options: HiveOpenOptions & ReplayOptions & { logs?: boolean } = {}): Promise<HiveWithLogs & { logFiles: string[] }> {
  let data: Buffer;
  try {
    data = await readFile(path, { flag: 'r' });
  } catch (e) {
    throw ioError(path, e);
  }
  const name = options.name ?? path;
  if (options.logs === false) {
    const hive = Hive.open(data, { name });
    const replay = replayTransactionLogs(data, []);
    replay.problems = replay.dirty ? [{ name: '(not read)', reason: 'transaction logs not read, as asked', damage: true }] : [];
    return { hive, replay, logFiles: [] };
  }
  let names: string[] = [];
  try {
    names = readdirSync(dirname(path));
  } catch {
    names = [];
  }
  const logFiles = transactionLogNames(basename(path), names).map((n) => join(dirname(path), n));
  const logs: LogFileInput[] = [];
  const unread: string[] = [];
  for (const f of logFiles) {
    try {
      const d = await readFile(f, { flag: 'r' });
      if (d.length <= (options.maxLogBytes ?? 1024 * 1024 * 1024)) logs.push({ name: f, data: d });
      else unread.push(`${f}: larger than the budget`);
    } catch (e) {
      unread.push(`${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const opened = openHiveWithLogs(data, logs, { ...options, name });
  if (opened.replay.dirty) {
    for (const u of unread) opened.replay.problems.push({ name: u.slice(0, u.indexOf(': ')), reason: `not read: ${u.slice(u.indexOf(': ') + 2)}`, damage: true });
    if (unread.length) opened.replay.damaged = true;
  }
  return { ...opened, logFiles };
}
