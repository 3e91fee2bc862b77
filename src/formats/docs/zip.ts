/**
 * Zip reading for OOXML, ODF, OFD and plain .zip archives, with zip-bomb guards.
 *
 * Central directory first (ZIP64 aware, data prepended to the archive tolerated); when there is
 * none (a truncated file), the local headers are walked instead. Names are UTF-8 when flag bit 11
 * is set or they are valid UTF-8, else GBK/GB18030 (Windows Chinese zip tools), and the Info-ZIP
 * Unicode Path extra field wins when present. Members are inflated with node:zlib and a hard
 * output cap, so a bomb stops at the cap instead of filling memory.
 */
import { Readable } from 'node:stream';
import { constants as zc, createInflateRaw, inflateRawSync } from 'node:zlib';
import type { Ctx } from './context.js';
import { errorMessage } from './context.js';
import { decodeAs, isUtf8 } from './text.js';
import { DEFAULT_LIMITS } from './types.js';
import { u16, u32, u64 } from './bytes.js';

/** Bytes read at a time when a member is read in pieces. */
const PIECE = 1024 * 1024;

/** [start, end) of a source in PIECE-sized reads (a member streamed: stored data, or the input of an inflate). */
export function* slicesOf(src: ByteSource, start: number, end: number): Generator<Uint8Array> {
  for (let p = start; p < end; p += PIECE) yield src.read(p, Math.min(PIECE, end - p));
}

/** A member that expanded to another size than its header declares. */
function sizeMismatch(ctx: Ctx, e: ZipEntry, got: number): void {
  ctx.gap('corrupt', `member expanded to ${got} bytes, ${e.size} declared (truncated or damaged)`, e.name);
}

/**
 * Where a zip's bytes come from: memory, or a file read by position (a big archive is then never
 * held whole — only its directory and one member at a time).
 */
export interface ByteSource {
  readonly size: number;
  /** Bytes [pos, pos + len) clamped to the source (shorter at the end). */
  read(pos: number, len: number): Uint8Array;
}

export function memorySource(b: Uint8Array): ByteSource {
  return { size: b.length, read: (pos, len) => b.subarray(Math.min(pos, b.length), Math.min(b.length, pos + len)) };
}

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

/** Offset of the end-of-central-directory record in `b` (the archive's tail), or -1. */
function findEocd(b: Uint8Array): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) return i;
  }
  return -1;
}

/** Parses the central directory; null when there is none to be found. Throws on absurd structure. */
function readCentral(src: ByteSource, maxEntries: number): ZipEntry[] | null {
  // the tail holds the EOCD (its comment is at most 64 KiB) and the ZIP64 locator before it
  const tailStart = Math.max(0, src.size - 22 - 0xffff - 20);
  const tail = src.read(tailStart, src.size - tailStart);
  const rel = findEocd(tail);
  if (rel < 0) return null;
  const eocd = tailStart + rel;
  let count = u16(tail, rel + 10);
  let cdSize = u32(tail, rel + 12);
  let cdOffset = u32(tail, rel + 16);
  const loc = rel - 20;
  if (loc >= 0 && u32(tail, loc) === 0x07064b50) {
    const z64 = u64(tail, loc + 8);
    const rec = src.read(z64, 56);
    if (rec.length === 56 && u32(rec, 0) === 0x06064b50) {
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
  }
  // data prepended to the archive (self-extractors) shifts every offset by the same amount
  const delta = eocd - (cdOffset + cdSize);
  let p = cdOffset + (delta > 0 ? delta : 0);
  if (u32(src.read(p, 4), 0) !== 0x02014b50) {
    p = cdOffset;
    if (u32(src.read(p, 4), 0) !== 0x02014b50) return count === 0 ? [] : null;
  }
  const shift = p - cdOffset;
  // the directory runs up to the EOCD (or the ZIP64 record before it)
  const b = src.read(p, Math.max(0, eocd - p));
  const out: ZipEntry[] = [];
  let q = 0;
  while (q + 46 <= b.length && u32(b, q) === 0x02014b50) {
    if (out.length >= maxEntries) break;
    const flags = u16(b, q + 8);
    const method = u16(b, q + 10);
    let compressedSize = u32(b, q + 20);
    let size = u32(b, q + 24);
    const nameLen = u16(b, q + 28);
    const extraLen = u16(b, q + 30);
    const commentLen = u16(b, q + 32);
    let localOffset = u32(b, q + 42);
    const raw = b.subarray(q + 46, q + 46 + nameLen);
    const extra = b.subarray(q + 46 + nameLen, q + 46 + nameLen + extraLen);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = u16(extra, e);
      const len = u16(extra, e + 2);
      if (id === 1) {
        let x = e + 4;
        if (size === 0xffffffff) (size = u64(extra, x)), (x += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(extra, x)), (x += 8);
        if (localOffset === 0xffffffff) localOffset = u64(extra, x);
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
    q += 46 + nameLen + extraLen + commentLen;
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
    private readonly src: ByteSource,
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

  /**
   * Opens an archive held in memory or read by position (ByteSource); throws (→ gap `corrupt`)
   * when no member can be found at all.
   */
  static open(input: Uint8Array | ByteSource, ctx: Ctx): Zip {
    const cap = ctx.maxMembers + 1;
    let src = input instanceof Uint8Array ? memorySource(input) : input;
    let entries = readCentral(src, cap);
    let recovered = false;
    if (entries === null) {
      // no directory: walk the local headers, which needs the whole archive in memory
      if (!(input instanceof Uint8Array) && src.size > ctx.maxExpandedBytes) throw new Error(`zip central directory missing and the archive (${src.size} bytes) is too big to walk its local headers`);
      const bytes = input instanceof Uint8Array ? input : src.read(0, src.size);
      src = memorySource(bytes);
      entries = readLocal(bytes, cap);
      recovered = true;
      if (entries.length === 0) throw new Error('not a zip archive: no central directory and no local headers');
      ctx.gap('corrupt', 'zip central directory missing (truncated?); members recovered from local headers');
    }
    if (entries.length > ctx.maxMembers) {
      ctx.gap('zip-bomb', `archive lists more than ${ctx.maxMembers} members; only the first ${ctx.maxMembers} were considered`);
      entries = entries.slice(0, ctx.maxMembers);
    }
    return new Zip(src, ctx, entries, recovered);
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
    const at = this.locate(e);
    if (at === null) return null;
    const { start, compLen, ratioCap } = at;
    const budget = ctx.maxExpandedBytes - ctx.expanded;
    if (e.size > budget || compLen > budget) {
      ctx.gap('too-large', `member of ${Math.max(e.size, compLen)} bytes exceeds the remaining expansion budget (${budget} bytes)`, e.name);
      return null;
    }
    const comp = this.src.read(start, compLen);
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
      sizeMismatch(ctx, e, out.length);
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  /**
   * Where a member's data is and how far it may expand; null (with a gap) when it is encrypted,
   * its local header is missing, or it declares a bomb's ratio.
   */
  private locate(e: ZipEntry): { start: number; compLen: number; ratioCap: number } | null {
    const ctx = this.ctx;
    if (e.encrypted) {
      ctx.gap('encrypted', `zip member is encrypted${e.method === 99 ? ' (AES)' : ''}`, e.name);
      return null;
    }
    const start = this.dataStart(e);
    if (start < 0) {
      ctx.gap('corrupt', 'local header not found at the offset the central directory gives', e.name);
      return null;
    }
    const size = this.src.size;
    if (e.compressedSize >= 0 && start + e.compressedSize > size) {
      ctx.gap('corrupt', 'member data runs past the end of the file (truncated)', e.name);
    }
    const compLen = Math.max(0, e.compressedSize >= 0 ? Math.min(e.compressedSize, size - start) : size - start);
    const floor = DEFAULT_LIMITS.ratioFloorBytes;
    const ratioCap = Math.max(floor, (e.compressedSize >= 0 ? e.compressedSize : compLen) * ctx.maxRatio);
    if (e.size > ratioCap) {
      ctx.gap('zip-bomb', `member declares ${e.size} bytes from ${e.compressedSize} (ratio over ${ctx.maxRatio}:1); not expanded`, e.name);
      return null;
    }
    return { start, compLen, ratioCap };
  }

  /**
   * A member's content in pieces, decompressed as it is read (1 MiB of compressed data at a time):
   * for text too big to hold whole. Nothing is held, so the expansion budget does not apply; the
   * ratio guard does.
   */
  async *pieces(e: ZipEntry): AsyncGenerator<Uint8Array> {
    const ctx = this.ctx;
    if (e.isDir) return;
    const at = this.locate(e);
    if (at === null) return;
    const { start, compLen, ratioCap } = at;
    if (e.method === 0) {
      yield* slicesOf(this.src, start, start + compLen);
      return;
    }
    if (e.method !== 8) {
      ctx.gap('unsupported', `compression method ${e.method} not supported`, e.name);
      return;
    }
    const input = Readable.from(slicesOf(this.src, start, start + compLen));
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    let total = 0;
    let whole = true;
    try {
      for await (const out of input.pipe(inflate) as AsyncIterable<Buffer>) {
        total += out.length;
        if (total > ratioCap) {
          ctx.gap('zip-bomb', `member expands past ${ratioCap} bytes (ratio over ${ctx.maxRatio}:1); stopped`, e.name);
          whole = false;
          break;
        }
        yield out;
      }
    } catch (err) {
      ctx.gap('corrupt', `inflate failed: ${errorMessage(err)}`, e.name);
      whole = false;
    } finally {
      input.destroy();
      inflate.destroy();
    }
    if (whole && e.size >= 0 && total !== e.size) sizeMismatch(ctx, e, total);
  }

  /**
   * The first bytes of a member without decompressing all of it (for the sniffer): a stored
   * member's start, or what the first 16 KiB of its deflate stream expand to. Null when that
   * cannot be told cheaply (encrypted, damaged, another method); no gap — read() says why.
   */
  peek(e: ZipEntry): Uint8Array | null {
    if (e.isDir || e.encrypted) return null;
    const start = this.dataStart(e);
    if (start < 0) return null;
    const avail = e.compressedSize >= 0 ? Math.min(e.compressedSize, this.src.size - start) : this.src.size - start;
    if (e.method === 0) return this.src.read(start, Math.min(avail, 65536));
    if (e.method !== 8) return null;
    try {
      const out = inflateRawSync(this.src.read(start, Math.min(avail, 16384)), { maxOutputLength: 8 * 1024 * 1024, finishFlush: zc.Z_SYNC_FLUSH });
      return out.subarray(0, 65536);
    } catch {
      return null;
    }
  }

  /** Where a member's data starts (after its local header), or -1 when the header is not there. */
  private dataStart(e: ZipEntry): number {
    const h = this.src.read(e.localOffset, 30);
    if (h.length < 30 || u32(h, 0) !== 0x04034b50) return -1;
    return e.localOffset + 30 + u16(h, 26) + u16(h, 28);
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
  const central = readCentral(memorySource(head), max);
  if (central && central.length) return { names: central.map((e) => e.name), ...(firstData ? { firstData } : {}) };
  const names: string[] = [];
  for (const e of readLocal(head, max)) {
    names.push(e.name);
  }
  return { names, ...(firstData ? { firstData } : {}) };
}
