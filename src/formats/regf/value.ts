/**
 * Registry values (`vk` records) and their data, including big-data (`db`) records.
 */
import { decodeDeviceProperty, type DeviceProperty } from './devprop.js';
import { HiveError } from './errors.js';
import type { Cell, Hive } from './hive.js';
import { HBIN_START } from './constants.js';
import { isDevicePropertyType, RegType, regTypeName } from './types.js';
import { utf16leMulti, utf16leUntilNul } from './util.js';

/** Minimum size of a value record before the name. */
const VK_FIXED = 20;
/** Payload bytes per big-data segment. */
const DB_SEGMENT = 16344;
/** Values at most this long never use big-data records. */
const DB_THRESHOLD = 16344;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * Decoded value data:
 * - `REG_SZ`, `REG_EXPAND_SZ`, `REG_LINK` → `string` (UTF-16LE up to the first NUL);
 * - `REG_MULTI_SZ` → `string[]` (up to the first empty string);
 * - `REG_DWORD`, `REG_DWORD_BIG_ENDIAN` of exactly 4 bytes → `number` (unsigned);
 * - `REG_QWORD` of exactly 8 bytes → `bigint` (unsigned);
 * - everything else (binary, resource lists, device properties `0xFFFF00NN`, wrong-sized numbers) → the raw bytes.
 */
export type RegValueData = string | string[] | number | bigint | Uint8Array;

/**
 * A registry value, decoded from its `vk` cell. Construction reads the record and its name only;
 * the data is read when {@link RegValue.raw} / {@link RegValue.data} is accessed.
 */
export class RegValue {
  /** The hive this value belongs to. */
  readonly hive: Hive;
  /** Offset of the value cell, relative to the hive bins. */
  readonly offset: number;
  /** Path of the key holding this value. */
  readonly keyPath: string;
  /** Value name; `''` for the default value (shown as `@` or "(Default)" by Windows tools). */
  readonly name: string;
  /** Raw type number, e.g. 1 for `REG_SZ` or `0xFFFF0012` for a device-property string. */
  readonly type: number;
  /** Record flags (bit 0: name stored in Latin-1). */
  readonly flags: number;
  /** Declared data length in bytes. */
  readonly dataSize: number;
  /** True when the data (≤ 4 bytes) is stored in the record's offset field itself. */
  readonly dataInline: boolean;
  /** Offset of the data cell (or the inline data bytes as a number when {@link RegValue.dataInline}). */
  readonly dataOffset: number;

  /**
   * @internal Use {@link RegKey.values} / {@link RegKey.value}.
   * @throws {HiveError} when the cell is not a readable `vk` record.
   */
  constructor(hive: Hive, offset: number, keyPath: string) {
    const cell = hive.cell(offset, () => `${keyPath || '(root)'}: value`);
    const buf = hive.buf;
    const s = cell.start;
    if (cell.length < VK_FIXED || buf[s] !== 0x76 || buf[s + 1] !== 0x6b) {
      throw new HiveError('E_HIVE_RECORD', `${keyPath || '(root)'}: cell at ${hex(offset)} is not a value (vk) record`, { fileOffset: s });
    }
    const nameLength = buf.readUInt16LE(s + 2);
    if (VK_FIXED + nameLength > cell.length) {
      throw new HiveError('E_HIVE_RECORD', `${keyPath || '(root)'}: value at ${hex(offset)} has a name longer than its cell`, { fileOffset: s + 2 });
    }
    this.hive = hive;
    this.offset = offset;
    this.keyPath = keyPath;
    const size = buf.readUInt32LE(s + 4);
    this.dataInline = size >= 0x80000000;
    this.dataSize = this.dataInline ? size - 0x80000000 : size;
    this.dataOffset = buf.readUInt32LE(s + 8);
    this.type = buf.readUInt32LE(s + 12);
    this.flags = buf.readUInt16LE(s + 16);
    const n0 = s + VK_FIXED;
    this.name = this.flags & 1 ? buf.toString('latin1', n0, n0 + nameLength) : buf.toString('utf16le', n0, n0 + nameLength);
  }

  /** `REG_SZ`, `REG_DWORD`, … or `REG_0xFFFF0012` for other type numbers (see {@link regTypeName}). */
  get typeName(): string {
    return regTypeName(this.type);
  }

  /**
   * The data bytes (a fresh copy each time).
   * @throws {HiveError} `E_HIVE_DATA`/`E_HIVE_OFFSET`/`E_HIVE_CELL` when the data cannot be read.
   */
  get raw(): Uint8Array {
    const view = this.view();
    const out = new Uint8Array(view.length);
    out.set(view);
    return out;
  }

  /**
   * The decoded data (see {@link RegValueData}); byte arrays are fresh copies.
   * @throws {HiveError} when the data cannot be read.
   */
  get data(): RegValueData {
    const view = this.view();
    const d = decodeValueData(this.type, view);
    if (d !== view) return d;
    const out = new Uint8Array(view.length);
    out.set(view);
    return out;
  }

  /** The error reading the data would raise, or `undefined` when the data is readable. Never throws. */
  get error(): HiveError | undefined {
    try {
      this.view();
      return undefined;
    } catch (e) {
      if (e instanceof HiveError) return e;
      throw e;
    }
  }

  /** For device-property values (`0xFFFFxxxx`), the decoded property; else `undefined`. @throws {HiveError} when the data cannot be read. */
  deviceProperty(): DeviceProperty | undefined {
    if (!isDevicePropertyType(this.type)) return undefined;
    return decodeDeviceProperty(this.type, this.raw);
  }

  private where(): string {
    return `${this.keyPath || '(root)'}: value ${JSON.stringify(this.name)}`;
  }

  /** The data as a read-only view into the hive (or a new buffer for big data). Never hand it out. */
  private view(): Buffer {
    const hive = this.hive;
    const buf = hive.buf;
    const len = this.dataSize;
    if (this.dataInline) {
      if (len > 4) throw new HiveError('E_HIVE_DATA', `${this.where()}: inline data of ${len} bytes (max 4)`);
      const at = hive.cell(this.offset, 'value').start + 8;
      return buf.subarray(at, at + len);
    }
    if (len === 0) return buf.subarray(0, 0);
    if (len > hive.binsEnd - HBIN_START) {
      throw new HiveError('E_HIVE_DATA', `${this.where()}: declared data length ${len} is larger than the hive`);
    }
    const cell = hive.cell(this.dataOffset, () => `${this.where()}: data`);
    if (len <= cell.length) return buf.subarray(cell.start, cell.start + len);
    if (len > DB_THRESHOLD && cell.length >= 8 && buf[cell.start] === 0x64 && buf[cell.start + 1] === 0x62) {
      return this.readBigData(cell, len);
    }
    throw new HiveError('E_HIVE_DATA', `${this.where()}: declared data length ${len} exceeds its cell (${cell.length} bytes)`, { fileOffset: cell.start });
  }

  private readBigData(db: Cell, len: number): Buffer {
    const hive = this.hive;
    const buf = hive.buf;
    const count = buf.readUInt16LE(db.start + 2);
    const list = hive.cell(buf.readUInt32LE(db.start + 4), () => `${this.where()}: big-data segment list`);
    if (count === 0 || count * 4 > list.length) {
      throw new HiveError('E_HIVE_DATA', `${this.where()}: big-data record with ${count} segments (list cell holds ${Math.floor(list.length / 4)})`, { fileOffset: db.start });
    }
    // First pass: locate and size the segments, so nothing is allocated for data that is not there.
    const parts: Array<[number, number]> = [];
    let total = 0;
    for (let i = 0; i < count && total < len; i++) {
      const seg = hive.cell(buf.readUInt32LE(list.start + i * 4), () => `${this.where()}: big-data segment ${i}`);
      const take = Math.min(len - total, seg.length, DB_SEGMENT);
      parts.push([seg.start, take]);
      total += take;
    }
    if (total < len) {
      throw new HiveError('E_HIVE_DATA', `${this.where()}: big-data segments hold ${total} of ${len} declared bytes`, { fileOffset: db.start });
    }
    const out = Buffer.alloc(len);
    let pos = 0;
    for (const [start, take] of parts) {
      out.set(buf.subarray(start, start + take), pos);
      pos += take;
    }
    return out;
  }
}

/** Decode raw value bytes according to the registry type (see {@link RegValueData}). Never throws. */
export function decodeValueData(type: number, raw: Uint8Array): RegValueData {
  switch (type) {
    case RegType.REG_SZ:
    case RegType.REG_EXPAND_SZ:
    case RegType.REG_LINK:
      return utf16leUntilNul(raw);
    case RegType.REG_MULTI_SZ:
      return utf16leMulti(raw);
    case RegType.REG_DWORD:
      return raw.length === 4 ? new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0, true) : raw;
    case RegType.REG_DWORD_BIG_ENDIAN:
      return raw.length === 4 ? new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0, false) : raw;
    case RegType.REG_QWORD:
      return raw.length === 8 ? new DataView(raw.buffer, raw.byteOffset, 8).getBigUint64(0, true) : raw;
    default:
      return raw;
  }
}
