/** Small helpers shared by the regf modules: FILETIME conversion and hex formatting. */

/** Milliseconds between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH_MS = 11644473600000;

/**
 * Convert a Windows FILETIME (100-ns ticks since 1601-01-01 UTC) to a `Date`.
 * Precision is reduced to milliseconds. Every 64-bit FILETIME maps to a valid `Date`.
 */
export function filetimeToDate(ft: bigint): Date {
  // Floor division (FILETIMEs are unsigned), so times before 1970 round down like Date does.
  return new Date(Number(ft / 10000n) - FILETIME_UNIX_EPOCH_MS);
}

/**
 * `Date` of a FILETIME given as low/high 32-bit halves, computed exactly in doubles
 * (2^32 = 429496 × 10000 + 7296, so no intermediate exceeds 2^53).
 */
export function filetimeParts(low: number, high: number): Date {
  return new Date(filetimePartsMs(low, high));
}

/** Unix milliseconds of a FILETIME given as low/high 32-bit halves (exact, see {@link filetimeParts}). */
export function filetimePartsMs(low: number, high: number): number {
  return high * 429496 + Math.floor((high * 7296 + low) / 10000) - FILETIME_UNIX_EPOCH_MS;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/**
 * ISO 8601 UTC string of Unix milliseconds, same output as `Date#toISOString` but cheaper
 * (days → civil date after H. Hinnant's algorithm); falls back to `Date` outside years 0–9999.
 */
export function msToIso(ms: number): string {
  const days = Math.floor(ms / 86400000);
  let rem = ms - days * 86400000;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) return new Date(ms).toISOString();
  const h = Math.floor(rem / 3600000);
  rem -= h * 3600000;
  const mi = Math.floor(rem / 60000);
  rem -= mi * 60000;
  const sec = Math.floor(rem / 1000);
  const milli = rem - sec * 1000;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}.${pad(milli, 3)}Z`;
}

/** Convert a FILETIME to an ISO 8601 UTC string with millisecond precision (e.g. `2016-11-22T23:50:30.938Z`). */
export function filetimeToIso(ft: bigint): string {
  return filetimeToDate(ft).toISOString();
}

/** Lowercase hex string of `bytes` without separators (e.g. `"0a1b"`). */
export function toHex(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('hex');
}

/** `bytes` as a Buffer sharing the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decode UTF-16LE bytes up to (not including) the first NUL code unit.
 * A trailing odd byte is ignored.
 */
export function utf16leUntilNul(bytes: Uint8Array): string {
  const buf = asBuffer(bytes);
  const s = buf.toString('utf16le', 0, buf.length - (buf.length % 2));
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * Decode a REG_MULTI_SZ payload (UTF-16LE strings separated by NUL, terminated by an empty string).
 * Stops at the first empty string, like Windows and hivex do.
 */
export function utf16leMulti(bytes: Uint8Array): string[] {
  const buf = asBuffer(bytes);
  const parts = buf.toString('utf16le', 0, buf.length - (buf.length % 2)).split('\0');
  const end = parts.indexOf('');
  return end < 0 ? parts : parts.slice(0, end);
}
