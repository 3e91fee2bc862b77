/**
 * Registry keys (`nk` records) and their subkey lists (`lf`, `lh`, `li`, `ri`).
 */
import { HiveError } from './errors.js';
import type { Cell, Hive } from './hive.js';
import { HBIN_START, NO_OFFSET } from './constants.js';
import { filetimeParts, filetimePartsMs, msToIso } from './util.js';
import { RegValue } from './value.js';

/** Flag bits of a key record. */
export const KeyFlags = {
  /** Volatile key (not stored on disk; never seen in files). */
  VOLATILE: 0x0001,
  /** Mount point of another hive. */
  HIVE_EXIT: 0x0002,
  /** Root key of the hive. */
  HIVE_ENTRY: 0x0004,
  /** Key cannot be deleted. */
  NO_DELETE: 0x0008,
  /** Symbolic link (its `SymbolicLinkValue` value holds the target). */
  SYM_LINK: 0x0010,
  /** Name stored in an 8-bit code page (Latin-1) instead of UTF-16LE. */
  COMP_NAME: 0x0020,
} as const;

/** Most errors kept per key; further ones are summarised by one `E_HIVE_LIMIT` error. */
const MAX_ERRORS_PER_KEY = 64;
/** How deep `ri` (index root) lists may nest; Windows uses one level. */
const MAX_LIST_NESTING = 4;
/** Minimum size of a key record before the name. */
const NK_FIXED = 76;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * A registry key, decoded from its `nk` cell. Construction reads only the fixed record and the name;
 * subkeys, values and the class name are read on demand (subkey/value cell offsets are cached per instance).
 *
 * Problems in the key's subkey or value lists do not throw: the readable entries are returned and each
 * problem is appended to {@link RegKey.errors} (see {@link RegKey.partial}).
 */
export class RegKey {
  /** The hive this key belongs to. */
  readonly hive: Hive;
  /** Offset of the key cell, relative to the hive bins. Unique per key: use it as identity. */
  readonly offset: number;
  /** Key name as stored (Latin-1 for compressed names, else UTF-16LE). */
  readonly name: string;
  /** Full path from the hive root, backslash-separated, without a leading backslash (`''` for the root). */
  readonly path: string;
  /** Record flags, see {@link KeyFlags}. */
  readonly flags: number;
  /** Low and high 32 bits of the last write FILETIME. */
  private readonly ftLow: number;
  private readonly ftHigh: number;
  /** Offset of the parent key cell (meaningless for the root). */
  readonly parentOffset: number;
  /** Number of (stable) subkeys declared in the record. */
  readonly subkeyCount: number;
  /** Number of values declared in the record. */
  readonly valueCount: number;
  /** Offset of the subkey list cell (`0xffffffff` when none). */
  readonly subkeyListOffset: number;
  /** Offset of the value list cell (`0xffffffff` when none). */
  readonly valueListOffset: number;
  /** Offset of the class name cell (`0xffffffff` when none). */
  readonly classNameOffset: number;
  /** Byte length of the class name. */
  readonly classNameLength: number;
  /**
   * Problems met while reading this key's subkey/value lists or walking below it. Filled lazily by
   * {@link RegKey.subkeys}, {@link RegKey.values}, {@link Hive.walk}; empty for a healthy key.
   */
  readonly errors: HiveError[] = [];

  private subkeyOffsetCache: number[] | undefined;
  private valueOffsetCache: number[] | undefined;

  /**
   * @internal Use {@link Hive.root}, {@link Hive.getKey}, {@link RegKey.subkeys}.
   * @param parentPath path of the parent key, or `null` for the root key.
   * @throws {HiveError} when the cell is not a readable `nk` record.
   */
  constructor(hive: Hive, offset: number, parentPath: string | null) {
    const cell = hive.cell(offset, 'key');
    const buf = hive.buf;
    const s = cell.start;
    if (cell.length < NK_FIXED || buf[s] !== 0x6e || buf[s + 1] !== 0x6b) {
      throw new HiveError('E_HIVE_RECORD', `key: cell at ${hex(offset)} is not a key (nk) record`, { fileOffset: s });
    }
    const nameLength = buf.readUInt16LE(s + 72);
    if (NK_FIXED + nameLength > cell.length) {
      throw new HiveError('E_HIVE_RECORD', `key at ${hex(offset)}: name length ${nameLength} exceeds the cell`, { fileOffset: s + 72 });
    }
    this.hive = hive;
    this.offset = offset;
    this.flags = buf.readUInt16LE(s + 2);
    this.ftLow = buf.readUInt32LE(s + 4);
    this.ftHigh = buf.readUInt32LE(s + 8);
    this.parentOffset = buf.readUInt32LE(s + 16);
    this.subkeyCount = buf.readUInt32LE(s + 20);
    this.subkeyListOffset = buf.readUInt32LE(s + 28);
    this.valueCount = buf.readUInt32LE(s + 36);
    this.valueListOffset = buf.readUInt32LE(s + 40);
    this.classNameOffset = buf.readUInt32LE(s + 48);
    this.classNameLength = buf.readUInt16LE(s + 74);
    const n0 = s + NK_FIXED;
    this.name = this.flags & KeyFlags.COMP_NAME ? buf.toString('latin1', n0, n0 + nameLength) : buf.toString('utf16le', n0, n0 + nameLength);
    this.path = parentPath === null ? '' : parentPath === '' ? this.name : `${parentPath}\\${this.name}`;
  }

  /** Last write time as a raw FILETIME (100-ns ticks since 1601-01-01 UTC). */
  get lastWriteFiletime(): bigint {
    return (BigInt(this.ftHigh) << 32n) | BigInt(this.ftLow);
  }

  /** Last write time, ISO 8601 UTC with millisecond precision. */
  get lastWrite(): string {
    return msToIso(filetimePartsMs(this.ftLow, this.ftHigh));
  }

  /** Last write time as a `Date` (millisecond precision). */
  get lastWriteDate(): Date {
    return filetimeParts(this.ftLow, this.ftHigh);
  }

  /** True when some subkeys or values could not be read (see {@link RegKey.errors}). */
  get partial(): boolean {
    return this.errors.length > 0;
  }

  /** True for the root key of the hive. */
  get isRoot(): boolean {
    return this.path === '';
  }

  /** @internal Record a problem (bounded). */
  addError(e: HiveError): void {
    if (this.errors.length < MAX_ERRORS_PER_KEY) this.errors.push(e);
    else if (this.errors.length === MAX_ERRORS_PER_KEY) {
      this.errors.push(new HiveError('E_HIVE_LIMIT', `${this.path}: more errors not recorded`));
    }
  }

  private record(e: unknown): void {
    if (e instanceof HiveError) this.addError(e);
    else throw e;
  }

  /** Claim a list cell for this key; false (and an error recorded) when another key already uses it. */
  private claim(listOffset: number, kind: string): boolean {
    const other = this.hive.claimList(listOffset, this.offset);
    if (other === undefined) return true;
    this.addError(new HiveError('E_HIVE_CYCLE', `${this.path}: ${kind} list ${hex(listOffset)} is already used by the key at ${hex(other)} (cross-linked)`, { fileOffset: HBIN_START + listOffset }));
    return false;
  }

  /**
   * The key's class name (UTF-16LE, often empty; some keys such as `Lsa\JD` hide data there),
   * `undefined` when there is none or it cannot be read (the error is recorded).
   */
  className(): string | undefined {
    if (this.classNameOffset === NO_OFFSET || this.classNameLength === 0) return undefined;
    try {
      const cell = this.hive.cell(this.classNameOffset, 'class name');
      if (this.classNameLength > cell.length) {
        throw new HiveError('E_HIVE_RECORD', `${this.path}: class name longer than its cell`, { fileOffset: cell.start });
      }
      return this.hive.buf.toString('utf16le', cell.start, cell.start + this.classNameLength);
    } catch (e) {
      this.record(e);
      return undefined;
    }
  }

  /**
   * Offsets of the subkey cells, in list order (Windows keeps lists sorted by uppercase name).
   * Follows `lf`, `lh`, `li` and `ri` lists; each list cell and each subkey offset is taken once
   * (repeats are reported as `E_HIVE_CYCLE`), list lengths are bounded by their cell sizes, and a list
   * cell already used by another key of the hive (cross-linked) is refused with `E_HIVE_CYCLE`, so
   * the work of a full walk stays linear in the file size even on hostile input.
   */
  subkeyOffsets(): readonly number[] {
    if (this.subkeyOffsetCache) return this.subkeyOffsetCache;
    const out: number[] = [];
    this.subkeyOffsetCache = out;
    if (this.subkeyCount === 0) return out;
    // Sets are only needed once an ri list combines several lists; duplicates inside one list are
    // caught by the walk's visited set (and are bounded by the list cell size).
    let seenLists: Set<number> | undefined;
    let seenKeys: Set<number> | undefined;
    const hive = this.hive;
    const buf = hive.buf;
    const addKey = (off: number, at: number): void => {
      if (off === this.offset || seenKeys?.has(off)) {
        this.addError(new HiveError('E_HIVE_CYCLE', `${this.path}: subkey list refers to ${off === this.offset ? 'the key itself' : `cell ${hex(off)} twice`}`, { fileOffset: at }));
        return;
      }
      seenKeys?.add(off);
      out.push(off);
    };
    const readList = (listOffset: number, depth: number): void => {
      if (depth > 0) {
        seenLists ??= new Set<number>([this.subkeyListOffset]);
        seenKeys ??= new Set<number>(out);
        if (seenLists.has(listOffset)) {
          this.addError(new HiveError('E_HIVE_CYCLE', `${this.path}: subkey list ${hex(listOffset)} referenced more than once`, { fileOffset: HBIN_START + listOffset }));
          return;
        }
        seenLists.add(listOffset);
      }
      if (!this.claim(listOffset, 'subkey')) return;
      let cell: Cell;
      try {
        cell = hive.cell(listOffset, () => `${this.path || '(root)'}: subkey list`);
      } catch (e) {
        this.record(e);
        return;
      }
      const s = cell.start;
      const sig = buf.toString('latin1', s, s + 2);
      const declared = buf.readUInt16LE(s + 2);
      const entrySize = sig === 'lf' || sig === 'lh' ? 8 : sig === 'li' || sig === 'ri' ? 4 : 0;
      if (entrySize === 0) {
        this.addError(new HiveError('E_HIVE_RECORD', `${this.path}: subkey list at ${hex(listOffset)} has unknown signature ${JSON.stringify(sig)}`, { fileOffset: s }));
        return;
      }
      const fits = Math.floor((cell.length - 4) / entrySize);
      let count = declared;
      if (declared > fits) {
        this.addError(new HiveError('E_HIVE_RECORD', `${this.path}: ${sig} list at ${hex(listOffset)} declares ${declared} entries but its cell holds ${fits}`, { fileOffset: s + 2 }));
        count = fits;
      }
      if (sig === 'ri') {
        if (depth >= MAX_LIST_NESTING) {
          this.addError(new HiveError('E_HIVE_LIMIT', `${this.path}: ri lists nested too deeply`, { fileOffset: s }));
          return;
        }
        for (let i = 0; i < count; i++) readList(buf.readUInt32LE(s + 4 + i * 4), depth + 1);
        return;
      }
      for (let i = 0; i < count; i++) {
        const at = s + 4 + i * entrySize;
        addKey(buf.readUInt32LE(at), at);
      }
    };
    readList(this.subkeyListOffset, 0);
    if (out.length !== this.subkeyCount && this.errors.length === 0) {
      this.addError(new HiveError('E_HIVE_RECORD', `${this.path}: key declares ${this.subkeyCount} subkeys, lists hold ${out.length}`));
    }
    return out;
  }

  /** All readable subkeys, in list order. Unreadable entries are skipped and recorded in {@link RegKey.errors}. */
  subkeys(): RegKey[] {
    const res: RegKey[] = [];
    for (const off of this.subkeyOffsets()) {
      try {
        res.push(new RegKey(this.hive, off, this.path));
      } catch (e) {
        this.record(e);
      }
    }
    return res;
  }

  /** Names of the readable subkeys, in list order. */
  subkeyNames(): string[] {
    return this.subkeys().map((k) => k.name);
  }

  /** The direct subkey called `name` (case-insensitive), or `undefined`. */
  subkey(name: string): RegKey | undefined {
    const want = name.toUpperCase();
    const buf = this.hive.buf;
    for (const off of this.subkeyOffsets()) {
      // Compare the stored name first; build the key only for a match (or to record why it is unreadable).
      const abs = HBIN_START + off;
      if (off % 4 === 0 && abs + 4 + NK_FIXED <= this.hive.binsEnd) {
        const size = -buf.readInt32LE(abs);
        const s = abs + 4;
        const nameLength = buf.readUInt16LE(s + 72);
        if (size - 4 >= NK_FIXED && buf[s] === 0x6e && buf[s + 1] === 0x6b && NK_FIXED + nameLength <= size - 4 && abs + size <= this.hive.binsEnd) {
          const n0 = s + NK_FIXED;
          const stored = buf.readUInt16LE(s + 2) & KeyFlags.COMP_NAME ? buf.toString('latin1', n0, n0 + nameLength) : buf.toString('utf16le', n0, n0 + nameLength);
          if (stored !== name && stored.toUpperCase() !== want) continue;
        }
      }
      try {
        const k = new RegKey(this.hive, off, this.path);
        if (k.name === name || k.name.toUpperCase() === want) return k;
      } catch (e) {
        this.record(e);
      }
    }
    return undefined;
  }

  /** Offsets of the value cells, in list order (bounded by the value list cell size; a value list cell used by another key is refused). */
  valueOffsets(): readonly number[] {
    if (this.valueOffsetCache) return this.valueOffsetCache;
    const out: number[] = [];
    this.valueOffsetCache = out;
    if (this.valueCount === 0) return out;
    if (!this.claim(this.valueListOffset, 'value')) return out;
    let cell: Cell;
    try {
      cell = this.hive.cell(this.valueListOffset, () => `${this.path || '(root)'}: value list`);
    } catch (e) {
      this.record(e);
      return out;
    }
    const fits = Math.floor(cell.length / 4);
    let count = this.valueCount;
    if (count > fits) {
      this.addError(new HiveError('E_HIVE_RECORD', `${this.path}: key declares ${count} values but its value list holds ${fits}`, { fileOffset: cell.start }));
      count = fits;
    }
    for (let i = 0; i < count; i++) out.push(this.hive.buf.readUInt32LE(cell.start + i * 4));
    return out;
  }

  /** All readable values, in list order. Unreadable value records are skipped and recorded in {@link RegKey.errors}. */
  values(): RegValue[] {
    const res: RegValue[] = [];
    for (const off of this.valueOffsets()) {
      try {
        res.push(new RegValue(this.hive, off, this.path));
      } catch (e) {
        this.record(e);
      }
    }
    return res;
  }

  /** The value called `name` (case-insensitive; `''` is the default value), or `undefined`. */
  value(name: string): RegValue | undefined {
    const want = name.toUpperCase();
    for (const v of this.values()) {
      if (v.name === name || v.name.toUpperCase() === want) return v;
    }
    return undefined;
  }

  /** The parent key, or `undefined` for the root or when the parent cannot be read. */
  parent(): RegKey | undefined {
    if (this.isRoot) return undefined;
    const cut = this.path.lastIndexOf('\\');
    const parentPath = cut < 0 ? '' : this.path.slice(0, cut);
    const cut2 = parentPath.lastIndexOf('\\');
    try {
      return new RegKey(this.hive, this.parentOffset, parentPath === '' ? null : cut2 < 0 ? '' : parentPath.slice(0, cut2));
    } catch (e) {
      this.record(e);
      return undefined;
    }
  }
}
