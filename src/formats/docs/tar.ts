/**
 * Tar archives held in memory: POSIX ustar (name joined to the `prefix` field), GNU tar (long
 * names 'L', long link names 'K', base-256 numbers, sparse members 'S'), pax extended headers
 * ('x' per member: `path`, `size`; 'g' global: skipped) and pre-POSIX (v7) headers.
 *
 * Tar stores members as they are, so each regular file is handed over as a subarray of the
 * archive: no copy, nothing to reserve against the expansion budget. Every header's checksum is
 * verified; a bad one or a member cut short is a `corrupt` gap and the walk stops there (what
 * follows a damaged header cannot be located reliably).
 */
import type { Ctx } from './context.js';
import { memorySource, slicesOf, type ByteSource } from './zip.js';
import { decodeAs, isUtf8, latin1 } from './text.js';

const BLOCK = 512;
/** Long names and pax headers beyond this are damage or abuse: no path is this long. */
const MAX_META_BYTES = 1024 * 1024;

/** Typeflags with no data records (POSIX: the size field is ignored for them). */
const NO_DATA = new Set(['1', '2', '3', '4', '5', '6']);
/** Extension headers describing the member that follows: GNU long name, pax (POSIX 'x', Solaris 'X'). */
const EXTENSION = new Set(['L', 'x', 'X']);
/** Typeflags that describe something other than a file's content: their data is skipped. */
const SKIPPED = new Set(['K', 'g', 'D', 'V', 'N', 'A', 'E', 'I']);

/** What extension headers ('L', 'x') said about the member that follows them. */
interface Pending {
  longName?: Uint8Array;
  paxPath?: Uint8Array;
  paxSize?: number;
  /** GNU sparse members written in pax format (`GNU.sparse.*` keywords). */
  paxSparse?: boolean;
  sparseName?: Uint8Array;
}

/** Bytes [start, start + len) up to the first NUL (C string in a fixed-size field). */
function field(b: Uint8Array, start: number, len: number): Uint8Array {
  const f = b.subarray(start, start + len);
  const nul = f.indexOf(0);
  return nul < 0 ? f : f.subarray(0, nul);
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * A numeric header field: octal digits (leading spaces allowed, ended by a space or NUL) or, when
 * the first byte's high bit is set, GNU base-256 big-endian (for values octal cannot hold, such
 * as sizes of 8 GiB and more). Null when malformed or negative; `strict` also refuses a blank field.
 */
export function parseNumeric(f: Uint8Array, strict = false): number | null {
  const b0 = f[0] ?? 0;
  if (b0 & 0x80) {
    if (b0 & 0x40) return null; // negative (two's complement): no size is negative
    let v = b0 & 0x3f;
    // past 2^53 the value loses precision, but it is then far beyond any data at hand anyway
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    return v;
  }
  let i = 0;
  while (i < f.length && f[i] === 0x20) i++;
  const first = i;
  let v = 0;
  while (i < f.length && f[i]! >= 0x30 && f[i]! <= 0x37) v = v * 8 + (f[i++]! - 0x30);
  if (i < f.length && f[i] !== 0 && f[i] !== 0x20) return null;
  if (i === first && strict) return null;
  return v;
}

/**
 * Does this 512-byte header carry a valid checksum? The sum of its bytes with the checksum field
 * counted as spaces, as unsigned bytes or (some old tars) signed ones: GNU tar accepts both.
 */
export function tarChecksumOk(h: Uint8Array): boolean {
  if (h.length < BLOCK) return false;
  const recorded = parseNumeric(h.subarray(148, 156), true);
  if (recorded === null) return false;
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const c = h[i]!;
    unsigned += c;
    signed += c < 0x80 ? c : c - 256;
  }
  return recorded === unsigned || recorded === signed;
}

/**
 * Is this the start of a tar archive? ustar / GNU magic at 257 with a valid checksum; or a v7
 * header (no magic): valid checksum, a name, strictly octal numeric fields, an old typeflag and an
 * empty magic field — together too unlikely by chance to be anything else.
 */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < BLOCK) return false;
  const h = head.subarray(0, BLOCK);
  if (latin1(h.subarray(257, 262)) === 'ustar') return tarChecksumOk(h);
  if (h[0] === 0 || !isZero(h.subarray(257, 263))) return false;
  const t = h[156]!;
  if (t !== 0 && (t < 0x30 || t > 0x37)) return false;
  for (const [at, len] of [[100, 8], [108, 8], [116, 8], [124, 12], [136, 12]] as const) {
    if (parseNumeric(h.subarray(at, at + len), true) === null || h[at]! & 0x80) return false;
  }
  return tarChecksumOk(h);
}

/** Member names: UTF-8 when valid, else GB18030 (names written by Chinese Windows or GBK locales). */
function decodeName(raw: Uint8Array): string {
  return decodeAs(raw, isUtf8(raw) ? 'utf-8' : 'gb18030');
}

/** The name in the header itself: ustar joins `prefix` (offset 345) and `name` with a slash. */
function headerName(h: Uint8Array): Uint8Array {
  const name = field(h, 0, 100);
  // "ustar\0" is POSIX (prefix present); GNU's "ustar  \0" uses those bytes for times instead
  if (latin1(h.subarray(257, 263)) !== 'ustar\0') return name;
  // star's variant keeps two timestamps after a 131-byte prefix and ends the block with "tar\0"
  const prefixLen = latin1(h.subarray(508, 512)) === 'tar\0' ? 131 : 155;
  const prefix = field(h, 345, prefixLen);
  if (prefix.length === 0) return name;
  const out = new Uint8Array(prefix.length + 1 + name.length);
  out.set(prefix, 0);
  out[prefix.length] = 0x2f;
  out.set(name, prefix.length + 1);
  return out;
}

/**
 * Reads pax records (`LEN KEY=VALUE\n`, LEN counting the whole record) into `p`. False when a
 * record is malformed: the records before it are kept.
 */
function parsePax(data: Uint8Array, p: Pending): boolean {
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) return true; // NUL padding some writers leave after the last record
    let q = at;
    let len = 0;
    while (q < data.length && data[q]! >= 0x30 && data[q]! <= 0x39 && q - at < 16) len = len * 10 + (data[q++]! - 0x30);
    if (q === at || data[q] !== 0x20 || len <= q - at + 1 || at + len > data.length || data[at + len - 1] !== 0x0a) return false;
    const rec = data.subarray(q + 1, at + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) return false;
    const key = latin1(rec.subarray(0, eq));
    const value = rec.subarray(eq + 1);
    // an empty value deletes the keyword: the header's own field counts again
    if (key === 'path') p.paxPath = value.length ? value : undefined;
    else if (key === 'size') {
      const s = latin1(value);
      p.paxSize = /^\d{1,20}$/.test(s) ? Number(s) : undefined;
    } else if (key === 'GNU.sparse.name') p.sparseName = value;
    else if (key.startsWith('GNU.sparse.')) p.paxSparse = true;
    at += len;
  }
  return true;
}

/** One header with its size and where its data lies. */
interface Entry {
  pos: number;
  h: Uint8Array;
  type: string;
  size: number;
  dataStart: number;
  /** Where the next header starts (data padded to whole blocks). */
  next: number;
}

/** Walks the archive header by header; each step returns false to stop (with a gap, or at the end). */
class TarWalk {
  private pending: Pending = {};
  private readonly size: number;

  /** `inMemory`: members are views on it; else (a file read by position) each is read when wanted, within the budget. */
  constructor(
    private readonly src: ByteSource,
    private readonly ctx: Ctx,
    private readonly inMemory: boolean,
  ) {
    this.size = src.size;
  }

  run(): void {
    let pos = 0;
    while (pos < this.size) {
      this.ctx.check();
      const e = this.header(pos);
      if (!e) return;
      if (!this.entry(e)) return;
      pos = e.next;
    }
  }

  /** Reads and checks the header at `pos`; null at the end of the archive or on damage (gap). */
  private header(pos: number): Entry | null {
    const h = this.src.read(pos, BLOCK);
    // one zero block ends the archive (GNU tar stops there too, only warning when a second is missing)
    if (isZero(h)) return null;
    if (h.length < BLOCK) return this.corrupt(`tar archive ends inside a header at byte ${pos} (truncated)`);
    if (!tarChecksumOk(h)) return this.corrupt(`tar header at byte ${pos} has a bad checksum; the rest of the archive was not read`);
    const declared = parseNumeric(h.subarray(124, 136));
    if (declared === null) return this.corrupt(`tar header at byte ${pos} has an unreadable size field; the rest of the archive was not read`);
    const type = String.fromCharCode(h[156]!);
    let dataStart = pos + BLOCK;
    if (type === 'S') {
      // GNU sparse: more sparse-map blocks may follow the header before the data
      dataStart = skipSparseMap(this.src, h, dataStart);
      if (dataStart < 0) return this.corrupt(`tar sparse map after byte ${pos} is cut short (truncated archive)`);
    }
    // a pax `size` overrides the size field of the member it precedes (not of another extension header)
    const paxSize = EXTENSION.has(type) ? undefined : this.pending.paxSize;
    const size = NO_DATA.has(type) ? 0 : paxSize ?? declared;
    return { pos, h, type, size, dataStart, next: dataStart + Math.ceil(size / BLOCK) * BLOCK };
  }

  /** Handles one entry; false to stop. */
  private entry(e: Entry): boolean {
    const end = e.dataStart + e.size;
    const complete = end <= this.size;
    if (EXTENSION.has(e.type)) return this.extension(e);
    // 'g' (pax global) and GNU/Solaris extensions: nothing a member's content depends on
    if (SKIPPED.has(e.type)) return complete || this.stop(`tar entry at byte ${e.pos} runs past the end of the data (truncated archive)`);
    const meta = this.pending;
    this.pending = {};
    const name = decodeName(meta.paxPath ?? meta.longName ?? headerName(e.h));
    if (e.type === 'S' || e.type === 'M' || meta.paxSparse) {
      const what = e.type === 'M' ? 'continues a member from a previous volume' : 'is a sparse file';
      this.ctx.gap('unsupported', `tar member ${what}: not read`, meta.sparseName ? decodeName(meta.sparseName) : name);
    } else if (!NO_DATA.has(e.type) && !name.endsWith('/')) {
      // links, directories, devices, FIFOs carry no content; old tars mark directories with a
      // slash. Unknown typeflags are read as regular files, as POSIX asks and GNU tar does.
      return this.member(e, name);
    }
    return complete || this.stop(`tar entry at byte ${e.pos} runs past the end of the data (truncated archive)`);
  }

  /** A regular file: handed over lazily as a subarray (a member cut short: what is there, and a gap). */
  private member(e: Entry, name: string): boolean {
    const { src, ctx } = this;
    if (!ctx.countMember()) return false;
    const start = Math.min(e.dataStart, this.size);
    const stop = Math.min(e.dataStart + e.size, this.size);
    const load = this.inMemory
      ? (): Uint8Array => src.read(start, stop - start)
      : (): Uint8Array | null => (ctx.reserve(stop - start, name) ? src.read(start, stop - start) : null);
    // stored as it is: pieces are plain reads by position
    ctx.embedLazy(name, load, () => src.read(start, Math.min(stop - start, 65536)), { size: stop - start, pieces: () => slicesOf(src, start, stop) });
    if (e.dataStart + e.size <= this.size) return true;
    // the part that is there is still read: a marking on page one is still a finding
    ctx.gap('corrupt', `tar member cut short: ${stop - start} of ${e.size} bytes present (truncated archive)`, name);
    return false;
  }

  /** 'L' (GNU long name) and 'x'/'X' (pax) headers: remembered for the member that follows. */
  private extension(e: Entry): boolean {
    const what = e.type === 'L' ? 'long-name' : 'pax';
    if (e.size > MAX_META_BYTES) return this.stop(`tar ${what} header at byte ${e.pos} claims ${e.size} bytes; the rest of the archive was not read`);
    if (e.dataStart + e.size > this.size) return this.stop(`tar ${what} header at byte ${e.pos} is cut short (truncated archive)`);
    const data = this.src.read(e.dataStart, e.size);
    if (e.type === 'L') this.pending.longName = field(data, 0, data.length);
    else if (!parsePax(data, this.pending)) this.ctx.gap('corrupt', `malformed pax extended header at byte ${e.pos}; partly ignored`);
    return true;
  }

  /** Damage past which nothing can be located: a gap, and the walk stops (false / null). */
  private stop(reason: string): false {
    this.ctx.gap('corrupt', reason);
    return false;
  }

  private corrupt(reason: string): null {
    this.stop(reason);
    return null;
  }
}

/**
 * Skips the extension blocks of a GNU sparse header (flag at 482 in the header, at 504 in each
 * extension block). Returns where the data starts, or -1 when the blocks run past the end.
 */
function skipSparseMap(src: ByteSource, h: Uint8Array, at: number): number {
  let more = h[482] !== 0;
  while (more) {
    if (at + BLOCK > src.size) return -1;
    more = src.read(at + 504, 1)[0] !== 0;
    at += BLOCK;
  }
  return at;
}

/**
 * Reads a tar archive, in memory or read by position (a big backup is then never held whole):
 * regular files become (lazy) embedded files. Never throws on bad input.
 */
export function extractTar(input: Uint8Array | ByteSource, ctx: Ctx): void {
  const inMemory = input instanceof Uint8Array;
  new TarWalk(inMemory ? memorySource(input) : input, ctx, inMemory).run();
}
