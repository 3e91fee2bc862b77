/** Registry value type numbers and names. */

/** Well-known registry value types (`REG_*`). Other numbers (e.g. device-property types `0xFFFF00NN`) are kept as is. */
export const RegType = {
  REG_NONE: 0,
  REG_SZ: 1,
  REG_EXPAND_SZ: 2,
  REG_BINARY: 3,
  REG_DWORD: 4,
  REG_DWORD_BIG_ENDIAN: 5,
  REG_LINK: 6,
  REG_MULTI_SZ: 7,
  REG_RESOURCE_LIST: 8,
  REG_FULL_RESOURCE_DESCRIPTOR: 9,
  REG_RESOURCE_REQUIREMENTS_LIST: 10,
  REG_QWORD: 11,
} as const;

const NAMES: readonly string[] = Object.keys(RegType);

/**
 * Name of a value type: `REG_SZ`, `REG_DWORD`, … for the well-known types (0–11),
 * otherwise `REG_0x` + 8 uppercase hex digits, e.g. `REG_0xFFFF0012` for a device property.
 */
export function regTypeName(type: number): string {
  const known = type >= 0 && type < NAMES.length ? NAMES[type] : undefined;
  return known ?? `REG_0x${(type >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** True for the device-property value types `0xFFFFxxxx` Windows stores under `…\Properties\{fmtid}\NNNN`. */
export function isDevicePropertyType(type: number): boolean {
  return type >>> 16 === 0xffff;
}
