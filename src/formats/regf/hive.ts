/**
 * The hive (regf file) itself: base-block checks, lazy cell access, path lookup and walking.
 *
 * Nothing is parsed up front except the 4 KiB base block, the first hive-bin header and the
 * root key record; keys and values are decoded on demand from their cell offsets.
 */
import { HBIN_START, NO_OFFSET } from './constants.js';
import { HiveError } from './errors.js';
import { RegKey } from './key.js';
import { filetimeToIso, utf16leUntilNul } from './util.js';

export { HBIN_START, NO_OFFSET } from './constants.js';

/** Decoded base block (file header) of a hive. */
export interface HiveHeader {
  /** Always `regf`. */
  signature: 'regf';
  /** Primary sequence number, incremented when a write starts. */
  primarySequence: number;
  /** Secondary sequence number, set equal to the primary one when a write completes. */
  secondarySequence: number;
  /** Last write of the hive file, ISO 8601 UTC. */
  lastWritten: string;
  /** Last write of the hive file as a raw FILETIME. */
  lastWrittenFiletime: bigint;
  /** Major format version (1). */
  majorVersion: number;
  /** Minor format version (3 = NT4/XP, 5 = Vista and later; big-data records need ≥ 4). */
  minorVersion: number;
  /** File type: 0 = primary hive (only this is accepted), 1/2/6 = transaction logs. */
  fileType: number;
  /** File format: 1 = direct memory load. */
  fileFormat: number;
  /** Offset of the root key cell, relative to the start of the hive bins (0x1000). */
  rootCellOffset: number;
  /** Declared size of the hive-bins data (bytes after the base block). */
  hiveBinsDataSize: number;
  /** Clustering factor (normally 1). */
  clusteringFactor: number;
  /** Partial file name stored by Windows (last 31 characters of the hive path), may be empty. */
  fileName: string;
  /** Stored XOR checksum of the first 508 bytes. */
  checksum: number;
  /** Whether {@link HiveHeader.checksum} matches the computed one. */
  checksumValid: boolean;
}

/** Options of {@link Hive.open}. */
export interface HiveOpenOptions {
  /** A label for messages (e.g. the file name). */
  name?: string;
}

/** Options of {@link Hive.walk}. */
export interface WalkOptions {
  /** Depth below the start key not to descend past (default 512, Windows' own limit). */
  maxDepth?: number;
  /** Stop after yielding this many keys (default: unlimited). */
  maxKeys?: number;
}

/** A cell located in the hive bins (internal). */
export interface Cell {
  /** Offset relative to the hive bins (what other records store). */
  offset: number;
  /** Absolute file offset of the cell data (after its 4-byte size field). */
  start: number;
  /** Number of data bytes in the cell (cell size minus the size field). */
  length: number;
}

function computeChecksum(buf: Buffer): number {
  let x = 0;
  for (let i = 0; i < 508; i += 4) x ^= buf.readUInt32LE(i);
  x >>>= 0;
  if (x === 0xffffffff) return 0xfffffffe;
  if (x === 0) return 1;
  return x;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Split a backslash-separated key path into components (leading/trailing/double backslashes ignored). */
export function splitKeyPath(path: string): string[] {
  return path.split('\\').filter((p) => p.length > 0);
}

/**
 * A read-only Windows registry hive (regf format, versions 1.2–1.6).
 *
 * ```ts
 * const hive = Hive.open(bytes, { name: 'SYSTEM' });
 * const usbstor = hive.getKey('CurrentControlSet\\Enum\\USBSTOR');
 * for (const dev of usbstor?.subkeys() ?? []) console.log(dev.name, dev.lastWrite);
 * ```
 *
 * Malformed content raises {@link HiveError} (from `open`) or is recorded in
 * {@link RegKey.errors} (broken lists: the readable part is still returned).
 */
export class Hive {
  /** Label given at open time. */
  readonly name: string | undefined;
  /** The decoded base block. */
  readonly header: HiveHeader;
  /**
   * True when the primary and secondary sequence numbers differ: Windows did not finish a write
   * (the newest changes are in the `.LOG1/.LOG2` files, which this reader does not replay).
   * The primary file is read as is.
   */
  readonly dirty: boolean;
  /** True when the file is shorter than the declared hive-bins size (reads past the end fail with {@link HiveError}). */
  readonly truncated: boolean;
  /** Non-fatal header problems (bad checksum, size mismatch, …). */
  readonly warnings: readonly string[];
  /** @internal The hive bytes (never written to). */
  readonly buf: Buffer;
  /** @internal Absolute end of the readable hive-bins data. */
  readonly binsEnd: number;
  /** List cell offset → offset of the key that uses it (see {@link Hive.claimList}). */
  private readonly listOwners = new Map<number, number>();

  private constructor(buf: Buffer, header: HiveHeader, binsEnd: number, truncated: boolean, warnings: string[], name: string | undefined) {
    this.buf = buf;
    this.header = header;
    this.binsEnd = binsEnd;
    this.truncated = truncated;
    this.warnings = warnings;
    this.name = name;
    this.dirty = header.primarySequence !== header.secondarySequence;
  }

  /**
   * Open a hive held in memory. Only the base block, the first bin header and the root key are checked;
   * the rest is read lazily. The bytes are not copied and never modified; do not modify them while the
   * hive is in use.
   *
   * @throws {HiveError} `E_HIVE_TRUNCATED`, `E_HIVE_SIGNATURE`, `E_HIVE_VERSION`, `E_HIVE_FILE_TYPE`,
   *   or the error of the root key record (`E_HIVE_OFFSET`, `E_HIVE_CELL`, `E_HIVE_RECORD`).
   */
  static open(data: Uint8Array, options: HiveOpenOptions = {}): Hive {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const label = options.name ? `${options.name}: ` : '';
    if (buf.length >= 4 && buf.toString('latin1', 0, 4) !== 'regf') {
      throw new HiveError('E_HIVE_SIGNATURE', `${label}not a registry hive (signature is not "regf")`, { fileOffset: 0 });
    }
    if (buf.length < HBIN_START + 32) {
      throw new HiveError('E_HIVE_TRUNCATED', `${label}file too short for a hive (${buf.length} bytes)`, { fileOffset: 0 });
    }
    const ft = (BigInt(buf.readUInt32LE(16)) << 32n) | BigInt(buf.readUInt32LE(12));
    const checksum = buf.readUInt32LE(508);
    const header: HiveHeader = {
      signature: 'regf',
      primarySequence: buf.readUInt32LE(4),
      secondarySequence: buf.readUInt32LE(8),
      lastWrittenFiletime: ft,
      lastWritten: filetimeToIso(ft),
      majorVersion: buf.readUInt32LE(20),
      minorVersion: buf.readUInt32LE(24),
      fileType: buf.readUInt32LE(28),
      fileFormat: buf.readUInt32LE(32),
      rootCellOffset: buf.readUInt32LE(36),
      hiveBinsDataSize: buf.readUInt32LE(40),
      clusteringFactor: buf.readUInt32LE(44),
      fileName: utf16leUntilNul(buf.subarray(48, 112)),
      checksum,
      checksumValid: computeChecksum(buf) === checksum,
    };
    if (header.majorVersion !== 1) {
      throw new HiveError('E_HIVE_VERSION', `${label}unsupported hive format version ${header.majorVersion}.${header.minorVersion}`, { fileOffset: 20 });
    }
    if (header.fileType !== 0) {
      throw new HiveError('E_HIVE_FILE_TYPE', `${label}not a primary hive file (file type ${header.fileType}; transaction logs are not hives)`, { fileOffset: 28 });
    }
    const warnings: string[] = [];
    if (!header.checksumValid) warnings.push('base block checksum mismatch');
    if (header.minorVersion < 2 || header.minorVersion > 6) warnings.push(`unusual minor version ${header.minorVersion}`);
    if (header.fileFormat !== 1) warnings.push(`unusual file format ${header.fileFormat}`);
    const available = buf.length - HBIN_START;
    let binsSize = header.hiveBinsDataSize;
    let truncated = false;
    if (binsSize === 0 || binsSize % 0x1000 !== 0) {
      warnings.push(`invalid hive bins data size ${hex(binsSize)}; using the file length`);
      binsSize = available;
    } else if (binsSize > available) {
      warnings.push(`file truncated: hive bins data size ${hex(binsSize)} but only ${hex(available)} bytes present`);
      binsSize = available;
      truncated = true;
    }
    if (buf.toString('latin1', HBIN_START, HBIN_START + 4) !== 'hbin') {
      throw new HiveError('E_HIVE_SIGNATURE', `${label}no hive bin at offset 0x1000`, { fileOffset: HBIN_START });
    }
    const hive = new Hive(buf, header, HBIN_START + binsSize, truncated, warnings, options.name);
    try {
      hive.root();
    } catch (e) {
      if (e instanceof HiveError) {
        throw new HiveError(e.code, `${label}root key: ${e.message}`, { fileOffset: e.fileOffset, cause: e });
      }
      throw e;
    }
    return hive;
  }

  /** Size of the hive file in bytes. */
  get byteLength(): number {
    return this.buf.length;
  }

  /** The root key (path `''`). Never throws after a successful {@link Hive.open}. */
  root(): RegKey {
    return new RegKey(this, this.header.rootCellOffset, null);
  }

  /**
   * Look a key up by path relative to the hive root, case-insensitively.
   * Components are separated by backslashes; a leading backslash is optional
   * (`'ControlSet001\\Enum\\USBSTOR'` ≡ `'\\ControlSet001\\Enum\\USBSTOR'`; `''` is the root).
   * A first component `CurrentControlSet` that does not exist in the file (offline SYSTEM hives never
   * have it) is resolved through `Select\Current` (see {@link Hive.resolvePath}).
   * Returns `undefined` when the key does not exist or a key on the way cannot be read.
   */
  getKey(path: string): RegKey | undefined {
    const found = this.lookup(splitKeyPath(path));
    if (found) return found;
    const first = splitKeyPath(path)[0];
    if (first !== undefined && first.toUpperCase() === 'CURRENTCONTROLSET') {
      const resolved = this.resolvePath(path);
      if (resolved !== path) return this.lookup(splitKeyPath(resolved));
    }
    return undefined;
  }

  private lookup(parts: string[]): RegKey | undefined {
    let key: RegKey | undefined = this.root();
    for (const part of parts) {
      key = key.subkey(part);
      if (!key) return undefined;
    }
    return key;
  }

  /**
   * Name of the control set Windows boots with, from `Select\Current` (e.g. `ControlSet001`),
   * or `undefined` when the hive has no usable `Select` key (i.e. it is not a SYSTEM hive).
   */
  currentControlSet(): string | undefined {
    const select = this.lookup(['Select']);
    const v = select?.value('Current');
    if (!v || v.error) return undefined;
    const n = v.data;
    if (typeof n !== 'number' || n < 1 || n > 999) return undefined;
    return `ControlSet${String(n).padStart(3, '0')}`;
  }

  /**
   * Replace a leading `CurrentControlSet` component (case-insensitive) by the control set named in
   * `Select\Current`, e.g. `'CurrentControlSet\\Enum\\USB'` → `'ControlSet001\\Enum\\USB'`.
   * Other paths, and paths in hives without `Select\Current`, are returned unchanged
   * except that a leading backslash is removed.
   */
  resolvePath(path: string): string {
    const parts = splitKeyPath(path);
    const first = parts[0];
    if (first === undefined || first.toUpperCase() !== 'CURRENTCONTROLSET') return parts.join('\\');
    const cs = this.currentControlSet();
    if (!cs) return parts.join('\\');
    return [cs, ...parts.slice(1)].join('\\');
  }

  /**
   * Depth-first (pre-order) walk over `start` (default: the root) and all keys below it.
   * Safe on corrupt hives: each key cell is visited at most once (a key reached twice — a cycle or a
   * cross-linked list — is skipped and an `E_HIVE_CYCLE` error is added to the parent's
   * {@link RegKey.errors}); depth is capped by `maxDepth` (an `E_HIVE_LIMIT` error is added to keys
   * whose subkeys were not expanded).
   */
  *walk(start?: RegKey, options: WalkOptions = {}): Generator<RegKey, void, undefined> {
    const maxDepth = options.maxDepth ?? 512;
    const maxKeys = options.maxKeys ?? Number.POSITIVE_INFINITY;
    const first = start ?? this.root();
    const visited = new Set<number>([first.offset]);
    const stack: Array<{ key: RegKey; depth: number }> = [{ key: first, depth: 0 }];
    let count = 0;
    while (stack.length > 0) {
      const { key, depth } = stack.pop()!;
      yield key;
      if (++count >= maxKeys) return;
      if (key.subkeyCount === 0) continue;
      if (depth >= maxDepth) {
        key.addError(new HiveError('E_HIVE_LIMIT', `${key.path}: subkeys not walked, depth limit ${maxDepth} reached`));
        continue;
      }
      const subs = key.subkeys();
      for (let i = subs.length - 1; i >= 0; i--) {
        const sub = subs[i]!;
        if (visited.has(sub.offset)) {
          key.addError(new HiveError('E_HIVE_CYCLE', `${key.path}: subkey cell ${hex(sub.offset)} already visited (cycle or cross-linked list)`, { fileOffset: HBIN_START + sub.offset }));
          continue;
        }
        visited.add(sub.offset);
        stack.push({ key: sub, depth: depth + 1 });
      }
    }
  }

  /**
   * @internal Record that the list cell at `listOffset` belongs to the key at `keyOffset`.
   * Returns the other key's offset when a different key already uses that cell (lists are never shared
   * in a sound hive; refusing the second user keeps the total work of a walk linear in the file size).
   */
  claimList(listOffset: number, keyOffset: number): number | undefined {
    const owner = this.listOwners.get(listOffset);
    if (owner === undefined) {
      this.listOwners.set(listOffset, keyOffset);
      return undefined;
    }
    return owner === keyOffset ? undefined : owner;
  }

  /**
   * @internal Locate the allocated cell at a relative `offset`.
   * @throws {HiveError} `E_HIVE_OFFSET` (null, misaligned or outside the bins), `E_HIVE_CELL` (free, too small, too long).
   */
  cell(offset: number, what: string | (() => string)): Cell {
    const abs = HBIN_START + offset;
    const fail = (code: 'E_HIVE_OFFSET' | 'E_HIVE_CELL', msg: string): HiveError =>
      new HiveError(code, `${typeof what === 'string' ? what : what()}: ${msg}`, { fileOffset: abs });
    if (offset === NO_OFFSET) throw fail('E_HIVE_OFFSET', 'no cell (offset 0xffffffff)');
    if (offset % 4 !== 0) throw fail('E_HIVE_OFFSET', `misaligned cell offset ${hex(offset)}`);
    if (abs + 8 > this.binsEnd) {
      throw fail('E_HIVE_OFFSET', `cell offset ${hex(offset)} outside the hive bins (size ${hex(this.binsEnd - HBIN_START)})`);
    }
    const size = this.buf.readInt32LE(abs);
    if (size >= 0) throw fail('E_HIVE_CELL', `cell at ${hex(offset)} is not allocated (size field ${size})`);
    const len = -size;
    if (len < 8) throw fail('E_HIVE_CELL', `cell at ${hex(offset)} too small (${len} bytes)`);
    if (abs + len > this.binsEnd) throw fail('E_HIVE_CELL', `cell at ${hex(offset)} of ${len} bytes runs past the end of the hive bins`);
    return { offset, start: abs + 4, length: len - 4 };
  }
}
