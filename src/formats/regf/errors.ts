/**
 * Typed errors raised by the registry hive (regf) reader.
 *
 * Every problem caused by the *content* of a hive (bad signature, offsets out
 * of range, absurd sizes, cycles, …) is reported as a {@link HiveError}; the
 * reader never lets a `RangeError`/`TypeError` escape for malformed input.
 */

/**
 * Machine-readable reason of a {@link HiveError}.
 *
 * - `E_HIVE_TRUNCATED` – the file ends before a required structure (base block, first hive bin).
 * - `E_HIVE_SIGNATURE` – wrong magic: base block is not `regf`, first bin is not `hbin`.
 * - `E_HIVE_VERSION`   – unsupported major format version (only 1.x exists).
 * - `E_HIVE_FILE_TYPE` – the file is not a primary hive (e.g. a transaction `.LOG1`).
 * - `E_HIVE_OFFSET`    – a cell offset points outside the hive bins or is misaligned.
 * - `E_HIVE_CELL`      – the referenced cell is unallocated (free), too small, or runs past the data.
 * - `E_HIVE_RECORD`    – a record inside a cell is malformed (wrong `nk`/`vk`/list signature,
 *                        name or list longer than its cell, subkey count mismatch).
 * - `E_HIVE_DATA`      – value data cannot be read (inline length > 4, length larger than its
 *                        cell and not a big-data record, broken `db` segment list).
 * - `E_HIVE_CYCLE`     – a subkey list or the key tree refers back to something already visited.
 * - `E_HIVE_LIMIT`     – a safety limit was hit (nesting depth, number of errors kept).
 * - `E_HIVE_IO`        – the hive file could not be read from disk (see `cause`).
 */
export type HiveErrorCode =
  | 'E_HIVE_TRUNCATED'
  | 'E_HIVE_SIGNATURE'
  | 'E_HIVE_VERSION'
  | 'E_HIVE_FILE_TYPE'
  | 'E_HIVE_OFFSET'
  | 'E_HIVE_CELL'
  | 'E_HIVE_RECORD'
  | 'E_HIVE_DATA'
  | 'E_HIVE_CYCLE'
  | 'E_HIVE_LIMIT'
  | 'E_HIVE_IO';

/** Error raised for malformed or unreadable hive content. */
export class HiveError extends Error {
  /** Machine-readable reason. */
  readonly code: HiveErrorCode;
  /** Absolute file offset of the structure at fault, when known. */
  readonly fileOffset: number | undefined;

  constructor(code: HiveErrorCode, message: string, options?: { fileOffset?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HiveError';
    this.code = code;
    this.fileOffset = options?.fileOffset;
  }
}

/** True when `e` is a {@link HiveError}. */
export function isHiveError(e: unknown): e is HiveError {
  return e instanceof HiveError;
}
