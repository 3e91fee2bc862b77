/**
 * Zip reading for OOXML, ODF, OFD and plain .zip archives, with zip-bomb guards.
 *
 * Central directory first (ZIP64 aware, data prepended to the archive tolerated); when there is
 * none (a truncated file), the local headers are walked instead. Names are UTF-8 when flag bit 11
 * is set or they are valid UTF-8, else GBK/GB18030 (Windows Chinese zip tools), and the Info-ZIP
 * Unicode Path extra field wins when present. Members are inflated with node:zlib and a hard
 * output cap, so a bomb stops at the cap instead of filling memory.
 */
import { constants as zc, inflateRawSync } from 'node:zlib';
import type { Ctx } from './context.js';
import { errorMessage } from './context.js';
import { decodeAs, isUtf8 } from './text.js';
import { DEFAULT_LIMITS } from './types.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDir: boolean;
  encrypted: boolean;
}

const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, o: number): number => (u16(b, o) + u16(b, o + 2) * 0x10000) >>> 0;
const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 0x100000000;

function decodeName(raw: Uint8Array, flags: number, extra: Uint8Array): string {
  // Info-ZIP Unicode Path extra field (0x7075): version 1, CRC32 of the raw name, UTF-8 name
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = u16(extra, p);
    const len = u16(extra, p + 2);
    if (id === 0x7075 && len >= 5 && extra[p + 4] === 1) {
      return decodeAs(extra.subarray(p + 9, p + 4 + len), 'utf-8');
    }
    p += 4 + len;
  }
  if (flags & 0x800 || isUtf8(raw)) return decodeAs(raw, 'utf-8');
  return decodeAs(raw, 'gb18030');
}

function findEocd(b: Uint8Array): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) return i;
  }
  return -1;
}

/** Parses the central directory; null when there is none to be found. Throws on absurd structure. */
function readCentral(b: Uint8Array, maxEntries: number): ZipEntry[] | null {
  const eocd = findEocd(b);
  if (eocd < 0) return null;
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  // ZIP64 end of central directory locator sits right before the EOCD
  const loc = eocd - 20;
  if (loc >= 0 && u32(b, loc) === 0x07064b50) {
    const z64 = u64(b, loc + 8);
    if (z64 + 56 <= b.length && u32(b, z64) === 0x06064b50) {
      count = u64(b, z64 + 32);
      cdSize = u64(b, z64 + 40);
      cdOffset = u64(b, z64 + 48);
    }
  }
  // data prepended to the archive (self-extractors): shift every offset
  const delta = eocd - (cdOffset + cdSize);
  let p = cdOffset + (delta > 0 ? delta : 0);
  if (u32(b, p) !== 0x02014b50) {
    p = cdOffset;
    if (u32(b, p) !== 0x02014b50) return count === 0 ? [] : null;
  }
  const shift = p - cdOffset;
  const out: ZipEntry[] = [];
  while (p + 46 <= b.length && u32(b, p) === 0x02014b50) {
    if (out.length >= maxEntries) break;
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    let compressedSize = u32(b, p + 20);
    let size = u32(b, p + 24);
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    let localOffset = u32(b, p + 42);
    const raw = b.subarray(p + 46, p + 46 + nameLen);
    const extra = b.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    // ZIP64 extended information extra field
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = u16(extra, e);
      const len = u16(extra, e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) (size = u64(extra, q)), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(extra, q)), (q += 8);
        if (localOffset === 0xffffffff) localOffset = u64(extra, q);
      }
      e += 4 + len;
    }
    const name = decodeName(raw, flags, extra);
    out.push({
      name,
      method,
      flags,
      compressedSize,
      size,
      localOffset: localOffset + shift,
      isDir: name.endsWith('/') || name.endsWith('\\'),
      encrypted: (flags & 1) === 1 || method === 99,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Walks local file headers (no central directory: truncated or damaged archive). */
function readLocal(b: Uint8Array, maxEntries: number): ZipEntry[] {
  const out: ZipEntry[] = [];
  let p = 0;
  while (p + 30 <= b.length && out.length < maxEntries) {
    if (u32(b, p) !== 0x04034b50) {
      const next = Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf('PK\x03\x04', p + 1, 'latin1');
      if (next < 0) break;
      p = next;
      continue;
    }
    const flags = u16(b, p + 6);
    const method = u16(b, p + 8);
    const compressedSize = u32(b, p + 18);
    const size = u32(b, p + 22);
    const nameLen = u16(b, p + 26);
    const extraLen = u16(b, p + 28);
    const raw = b.subarray(p + 30, p + 30 + nameLen);
    const extra = b.subarray(p + 30 + nameLen, p + 30 + nameLen + extraLen);
    const name = decodeName(raw, flags, extra);
    const dataStart = p + 30 + nameLen + extraLen;
    const sizesKnown = !(flags & 8) || compressedSize > 0;
    out.push({
      name,
      method,
      flags,
      compressedSize: sizesKnown ? compressedSize : -1,
      size: sizesKnown ? size : -1,
      localOffset: p,
      isDir: name.endsWith('/'),
      encrypted: (flags & 1) === 1 || method === 99,
    });
    p = sizesKnown ? dataStart + compressedSize : dataStart + 1;
  }
  return out;
}

export class Zip {
  readonly entries: ZipEntry[];
  /** True when the central directory was missing and local headers were walked. */
  readonly recovered: boolean;
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLower = new Map<string, ZipEntry>();

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly ctx: Ctx,
    entries: ZipEntry[],
    recovered: boolean,
  ) {
    this.entries = entries;
    this.recovered = recovered;
    for (const e of entries) {
      const key = e.name.replace(/\\/g, '/');
      if (!this.byName.has(key)) this.byName.set(key, e);
      const lower = key.toLowerCase();
      if (!this.byLower.has(lower)) this.byLower.set(lower, e);
    }
  }

  /** Opens an archive; throws (→ gap `corrupt`) when no member can be found at all. */
  static open(bytes: Uint8Array, ctx: Ctx): Zip {
    const cap = ctx.maxMembers + 1;
    let entries = readCentral(bytes, cap);
    let recovered = false;
    if (entries === null) {
      entries = readLocal(bytes, cap);
      recovered = true;
      if (entries.length === 0) throw new Error('not a zip archive: no central directory and no local headers');
      ctx.gap('corrupt', 'zip central directory missing (truncated?); members recovered from local headers');
    }
    if (entries.length > ctx.maxMembers) {
      ctx.gap('zip-bomb', `archive lists more than ${ctx.maxMembers} members; only the first ${ctx.maxMembers} were considered`);
      entries = entries.slice(0, ctx.maxMembers);
    }
    return new Zip(bytes, ctx, entries, recovered);
  }

  /** Finds a member by path: exact, then without a leading '/', then case-insensitively. */
  get(path: string): ZipEntry | undefined {
    let p = path.replace(/\\/g, '/');
    while (p.startsWith('/')) p = p.slice(1);
    return this.byName.get(p) ?? this.byLower.get(p.toLowerCase());
  }

  /**
   * Decompresses a member. Returns null (with a gap) when it is encrypted, uses an unsupported
   * method, breaks a cap, or is corrupt. `quiet` suppresses the gap for optional members.
   */
  read(e: ZipEntry): Uint8Array | null {
    const ctx = this.ctx;
    ctx.check();
    if (e.isDir) return new Uint8Array(0);
    if (e.encrypted) {
      ctx.gap('encrypted', `zip member is encrypted${e.method === 99 ? ' (AES)' : ''}`, e.name);
      return null;
    }
    const b = this.bytes;
    const p = e.localOffset;
    if (u32(b, p) !== 0x04034b50) {
      ctx.gap('corrupt', 'local header not found at the offset the central directory gives', e.name);
      return null;
    }
    const start = p + 30 + u16(b, p + 26) + u16(b, p + 28);
    const end = e.compressedSize >= 0 ? Math.min(b.length, start + e.compressedSize) : b.length;
    if (e.compressedSize >= 0 && start + e.compressedSize > b.length) {
      ctx.gap('corrupt', 'member data runs past the end of the file (truncated)', e.name);
    }
    const comp = b.subarray(start, end);
    const floor = DEFAULT_LIMITS.ratioFloorBytes;
    const ratioCap = Math.max(floor, (e.compressedSize >= 0 ? e.compressedSize : comp.length) * ctx.maxRatio);
    const budget = ctx.maxExpandedBytes - ctx.expanded;
    if (e.size > ratioCap) {
      ctx.gap('zip-bomb', `member declares ${e.size} bytes from ${e.compressedSize} (ratio over ${ctx.maxRatio}:1); not expanded`, e.name);
      return null;
    }
    if (e.size > budget) {
      ctx.gap('too-large', `member of ${e.size} bytes exceeds the remaining expansion budget (${budget} bytes)`, e.name);
      return null;
    }
    if (e.method === 0) {
      if (!ctx.reserve(comp.length, e.name)) return null;
      return comp;
    }
    if (e.method !== 8) {
      ctx.gap('unsupported', `compression method ${e.method} not supported`, e.name);
      return null;
    }
    const limit = Math.min(ratioCap, budget);
    let out: Buffer;
    try {
      out = inflateRawSync(comp, { maxOutputLength: Math.max(1, limit), finishFlush: zc.Z_SYNC_FLUSH });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        if (limit === ratioCap) ctx.gap('zip-bomb', `member expands past ${ratioCap} bytes (ratio over ${ctx.maxRatio}:1); stopped`, e.name);
        else ctx.gap('too-large', `expanded-size budget of ${ctx.maxExpandedBytes} bytes exhausted`, e.name);
        return null;
      }
      ctx.gap('corrupt', `inflate failed: ${errorMessage(err)}`, e.name);
      return null;
    }
    if (!ctx.reserve(out.length, e.name)) return null;
    if (e.size >= 0 && out.length !== e.size) {
      ctx.gap('corrupt', `member expanded to ${out.length} bytes, ${e.size} declared (truncated or damaged)`, e.name);
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  /**
   * The first bytes of a member without decompressing all of it (for the sniffer): a stored
   * member's start, or what the first 16 KiB of its deflate stream expand to. Null when that
   * cannot be told cheaply (encrypted, damaged, another method); no gap — read() says why.
   */
  peek(e: ZipEntry): Uint8Array | null {
    if (e.isDir || e.encrypted) return null;
    const b = this.bytes;
    const p = e.localOffset;
    if (u32(b, p) !== 0x04034b50) return null;
    const start = p + 30 + u16(b, p + 26) + u16(b, p + 28);
    const end = e.compressedSize >= 0 ? Math.min(b.length, start + e.compressedSize) : b.length;
    if (e.method === 0) return b.subarray(start, Math.min(end, start + 65536));
    if (e.method !== 8) return null;
    try {
      const out = inflateRawSync(b.subarray(start, Math.min(end, start + 16384)), { maxOutputLength: 8 * 1024 * 1024, finishFlush: zc.Z_SYNC_FLUSH });
      return out.subarray(0, 65536);
    } catch {
      return null;
    }
  }

  /** Reads a member by path; undefined when absent, null when unreadable (gap recorded). */
  readPath(path: string): Uint8Array | null | undefined {
    const e = this.get(path);
    if (!e) return undefined;
    return this.read(e);
  }
}

/** Names of members from a zip's first bytes (for sniffing without the whole file). */
export function zipNamesFromHead(head: Uint8Array, max = 64): { names: string[]; firstData?: Uint8Array } {
  // the first local header: ODF puts an uncompressed `mimetype` member there
  let firstData: Uint8Array | undefined;
  if (u32(head, 0) === 0x04034b50 && u16(head, 8) === 0) {
    const start = 30 + u16(head, 26) + u16(head, 28);
    const size = u32(head, 18);
    if (size > 0 && size < 512) firstData = head.subarray(start, Math.min(head.length, start + size));
  }
  const central = readCentral(head, max);
  if (central && central.length) return { names: central.map((e) => e.name), ...(firstData ? { firstData } : {}) };
  const names: string[] = [];
  for (const e of readLocal(head, max)) {
    names.push(e.name);
  }
  return { names, ...(firstData ? { firstData } : {}) };
}
