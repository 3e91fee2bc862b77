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
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { HiveError } from './regf/errors.js';
import { Hive, type HiveOpenOptions } from './regf/hive.js';

export { HiveError, isHiveError, type HiveErrorCode } from './regf/errors.js';
export { Hive, HBIN_START, NO_OFFSET, splitKeyPath, type HiveHeader, type HiveOpenOptions, type WalkOptions } from './regf/hive.js';
export { RegKey, KeyFlags } from './regf/key.js';
export { RegValue, decodeValueData, type RegValueData } from './regf/value.js';
export { RegType, regTypeName, isDevicePropertyType } from './regf/types.js';
export { decodeDeviceProperty, formatGuid, type DeviceProperty } from './regf/devprop.js';
export { keyToJson, valueToJson, type KeyToJsonOptions, type RegKeyJson, type RegValueJson } from './regf/json.js';
export { filetimeToDate, filetimeToIso } from './regf/util.js';

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
