/**
 * Little-endian integers from a byte array, for the binary formats (zip, OLE, Word, Excel,
 * PowerPoint, recycle bin). Bounds-safe: past the end reads as zero, so damaged input gives wrong
 * numbers the callers check, never an exception.
 */
export const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
export const u32 = (b: Uint8Array, o: number): number => (u16(b, o) + u16(b, o + 2) * 0x10000) >>> 0;
/** Exact up to 2^53 (sizes and offsets); beyond, approximate. */
export const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 0x100000000;
