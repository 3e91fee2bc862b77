/**
 * Decoding of device-property values (`DEVPROPTYPE`), which Windows stores in the SYSTEM hive
 * under `Enum\…\<instance>\Properties\{fmtid}\NNNN` with registry type `0xFFFF0000 | DEVPROPTYPE`.
 * Example: `{83da6326-97a6-4088-9453-a1923f573b29}\0064` (install date) is `0xFFFF0010` (FILETIME).
 */
import { asBuffer, filetimeToIso, utf16leMulti, utf16leUntilNul } from './util.js';
import { isDevicePropertyType } from './types.js';

const BASE_TYPES: Record<number, string> = {
  0x00: 'EMPTY',
  0x01: 'NULL',
  0x02: 'SBYTE',
  0x03: 'BYTE',
  0x04: 'INT16',
  0x05: 'UINT16',
  0x06: 'INT32',
  0x07: 'UINT32',
  0x08: 'INT64',
  0x09: 'UINT64',
  0x0a: 'FLOAT',
  0x0b: 'DOUBLE',
  0x0c: 'DECIMAL',
  0x0d: 'GUID',
  0x0e: 'CURRENCY',
  0x0f: 'DATE',
  0x10: 'FILETIME',
  0x11: 'BOOLEAN',
  0x12: 'STRING',
  0x13: 'SECURITY_DESCRIPTOR',
  0x14: 'SECURITY_DESCRIPTOR_STRING',
  0x15: 'DEVPROPKEY',
  0x16: 'DEVPROPTYPE',
  0x17: 'BINARY',
  0x18: 'ERROR',
  0x19: 'NTSTATUS',
  0x1a: 'STRING_INDIRECT',
};

/** A decoded device property. */
export interface DeviceProperty {
  /** The DEVPROPTYPE (low 16 bits of the registry type), e.g. `0x12` for STRING, `0x2012` for STRING_LIST. */
  devpropType: number;
  /** Name such as `STRING`, `FILETIME`, `STRING_LIST`, `BYTE_ARRAY`, or `0x…` when unknown. */
  typeName: string;
  /**
   * Decoded value: strings for STRING/STRING_INDIRECT/SECURITY_DESCRIPTOR_STRING, `string[]` for lists of strings,
   * ISO 8601 UTC for FILETIME, `{xxxxxxxx-…}` for GUID, `boolean` for BOOLEAN, `number` for ≤32-bit integers,
   * `bigint` for 64-bit integers, else the raw bytes.
   */
  value: string | string[] | number | bigint | boolean | Uint8Array;
}

/** Format 16 little-endian GUID bytes as `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` (lowercase). */
export function formatGuid(b: Uint8Array): string {
  const buf = asBuffer(b);
  const h = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  const tail = buf.subarray(8, 16).toString('hex');
  return `{${h(buf.readUInt32LE(0), 8)}-${h(buf.readUInt16LE(4), 4)}-${h(buf.readUInt16LE(6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}}`;
}

/**
 * Decode a device-property value from its registry type and raw bytes.
 * Returns `undefined` when `type` is not a device-property type (`0xFFFFxxxx`).
 * Never throws: when the size does not fit the declared type, the raw bytes are returned.
 */
export function decodeDeviceProperty(type: number, raw: Uint8Array): DeviceProperty | undefined {
  if (!isDevicePropertyType(type)) return undefined;
  const devpropType = type & 0xffff;
  const base = devpropType & 0x0fff;
  const mod = devpropType & 0xf000;
  const baseName = BASE_TYPES[base] ?? `0x${base.toString(16)}`;
  const typeName = mod === 0x2000 ? `${baseName}_LIST` : mod === 0x1000 ? `${baseName}_ARRAY` : mod === 0 ? baseName : `0x${devpropType.toString(16)}`;
  const buf = asBuffer(raw);
  const res = (value: DeviceProperty['value']): DeviceProperty => ({ devpropType, typeName, value });
  if (mod === 0x2000 && (base === 0x12 || base === 0x1a)) return res(utf16leMulti(buf));
  if (mod !== 0) return res(Uint8Array.from(buf));
  switch (base) {
    case 0x12:
    case 0x14:
    case 0x1a:
      return res(utf16leUntilNul(buf));
    case 0x10:
      return buf.length === 8 ? res(filetimeToIso(buf.readBigUInt64LE(0))) : res(Uint8Array.from(buf));
    case 0x0d:
      return buf.length === 16 ? res(formatGuid(buf)) : res(Uint8Array.from(buf));
    case 0x11:
      return buf.length === 1 ? res(buf[0] !== 0) : res(Uint8Array.from(buf));
    case 0x02:
      return buf.length === 1 ? res(buf.readInt8(0)) : res(Uint8Array.from(buf));
    case 0x03:
      return buf.length === 1 ? res(buf.readUInt8(0)) : res(Uint8Array.from(buf));
    case 0x04:
      return buf.length === 2 ? res(buf.readInt16LE(0)) : res(Uint8Array.from(buf));
    case 0x05:
      return buf.length === 2 ? res(buf.readUInt16LE(0)) : res(Uint8Array.from(buf));
    case 0x06:
      return buf.length === 4 ? res(buf.readInt32LE(0)) : res(Uint8Array.from(buf));
    case 0x07:
    case 0x16:
    case 0x18:
    case 0x19:
      return buf.length === 4 ? res(buf.readUInt32LE(0)) : res(Uint8Array.from(buf));
    case 0x08:
      return buf.length === 8 ? res(buf.readBigInt64LE(0)) : res(Uint8Array.from(buf));
    case 0x09:
      return buf.length === 8 ? res(buf.readBigUInt64LE(0)) : res(Uint8Array.from(buf));
    default:
      return res(Uint8Array.from(buf));
  }
}
