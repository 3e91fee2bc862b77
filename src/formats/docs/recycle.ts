/**
 * Windows Recycle Bin metadata.
 *
 * `$Recycle.Bin\<SID>\$I<random><ext>` (Vista and later) describes `$R<random><ext>` beside it:
 * - version 1 (Vista – 8.1): u64 version=1, u64 original size, FILETIME deletion time, then the
 *   original path as 260 UTF-16LE characters (NUL padded): 544 bytes in all;
 * - version 2 (Windows 10+): u64 version=2, u64 size, FILETIME, u32 path length in characters
 *   (with the NUL), then the path.
 * `RECYCLER\<SID>\INFO2` (XP): a 20-byte header (version 5, record size 800 at offset 12), then
 * records: 260-byte ANSI path, u32 index (file is `Dc<index><ext>`), u32 drive, FILETIME, u32 size,
 * 520-byte UTF-16 path.
 */
import type { RecycleInfo } from './types.js';
import { cutNul, utf16le } from './text.js';
import { u32, u64 } from './bytes.js';


/** FILETIME (100 ns since 1601-01-01 UTC) as two u32 halves → ISO string. */
export function filetimeToIso(b: Uint8Array, o: number): string | undefined {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (lo === 0 && hi === 0) return undefined;
  const ms = (hi * 0x100000000 + lo) / 10000 - 11644473600000;
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) return undefined;
  const d = new Date(Math.floor(ms));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Parses a `$I` file; null when the bytes are not one. */
export function parseRecycleInfo(bytes: Uint8Array): RecycleInfo | null {
  if (bytes.length < 24) return null;
  const version = u64(bytes, 0);
  if (version !== 1 && version !== 2) return null;
  const originalSize = u64(bytes, 8);
  const deletedAt = filetimeToIso(bytes, 16);
  let path: string;
  if (version === 1) {
    if (bytes.length < 26) return null;
    path = cutNul(utf16le(bytes, 24, Math.min(bytes.length, 24 + 520)));
  } else {
    if (bytes.length < 30) return null;
    const chars = u32(bytes, 24);
    if (chars === 0 || chars > 32768) return null;
    path = cutNul(utf16le(bytes, 28, Math.min(bytes.length, 28 + chars * 2)));
  }
  if (!path) return null;
  const info: RecycleInfo = { version, originalPath: path, originalSize };
  if (deletedAt) info.deletedAt = deletedAt;
  return info;
}

/** Parses an XP `INFO2` file into its records (deleted entries included: their path's first byte is 0). */
export function parseInfo2(bytes: Uint8Array): RecycleInfo[] {
  if (bytes.length < 20 || u32(bytes, 0) !== 5) return [];
  const recSize = u32(bytes, 12);
  if (recSize < 280 || recSize > 4096) return [];
  const out: RecycleInfo[] = [];
  for (let p = 20; p + recSize <= bytes.length && out.length < 100000; p += recSize) {
    const index = u32(bytes, p + 260);
    const drive = u32(bytes, p + 264);
    const deletedAt = filetimeToIso(bytes, p + 268);
    const originalSize = u32(bytes, p + 276);
    let path = recSize >= 800 ? cutNul(utf16le(bytes, p + 280, p + 800)) : '';
    if (!path) {
      const ansi = bytes.subarray(p, p + 260);
      const end = ansi.indexOf(0, 1);
      path = new TextDecoder('gb18030').decode(ansi.subarray(0, end < 0 ? 260 : end));
    }
    const info: RecycleInfo = { version: 0, originalPath: path, originalSize, index, drive };
    if (deletedAt) info.deletedAt = deletedAt;
    out.push(info);
  }
  return out;
}
