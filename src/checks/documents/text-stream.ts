// Plain text read window by window, and big .gz files read as a stream: the parts of the document
// walk that never hold a whole file (see worker.ts for the walk itself).
import { isAscii } from 'node:buffer';
import { readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sniffDocument } from '../../formats/docs/sniff.js';
import { bomOf, decodeText, decoderFor, guessUtf16, isUtf8Prefix } from '../../formats/docs/text.js';
import { findMarkings, PART_MARGIN, PART_OVERLAP, PART_WINDOW, type MarkingHit } from '../../formats/markings.js';
import { mayHoldKeyword, foldChar, gbkBytes, needleNeighbours, type NeedleEncoding, type NeedleForm } from './prefilter.js';
import type { FileScan, FoundMarking } from './scan-file.js';
import type { WalkInit } from './worker.js';

/** Plain text is read in pieces of this size (bounded memory whatever the file size). */
export const CHUNK = 1024 * 1024;
export const OVERLAP = 4096;
/** A .gz file whose content is bigger than this is decompressed as a stream, not in memory. */
export const GZ_STREAM_BYTES = 4 * 1024 * 1024;
/** A decompressed stream past this size and 1000 times the file is a bomb (gzip cannot do better than ~1032:1). */
const GZ_BOMB_BYTES = 16 * 1024 * 1024 * 1024;

/** The content size a gzip file gives in its trailer (modulo 4 GiB; the last member's only). */
export function gzipInnerSize(fd: number, size: number): number {
  if (size < 18) return 0;
  const b = Buffer.alloc(4);
  readSync(fd, b, 0, 4, size - 4);
  return b.readUInt32LE(0);
}

type ScanFileModule = typeof import('./scan-file.js');
let scanFileModule: Promise<ScanFileModule> | undefined;
/** The extraction library (pdf.js, OLE, zip…) is loaded on the first document, not at start. */
export function loadScanFile(): Promise<ScanFileModule> {
  scanFileModule ??= import('./scan-file.js');
  return scanFileModule;
}

/** What the stream readers need from the worker. */
export interface StreamContext {
  init: Pick<WalkInit, 'grammar' | 'keywords' | 'maxFileBytes' | 'fileTimeoutMs'>;
  needles: Buffer[];
  /** Progress for the watchdog. */
  beat(): void;
  /** SHA-256 of the whole file (evidence). */
  hash(fd: number): string;
}

/**
 * Markings of a text that is read in pieces, and of names. The text is never matched by byte
 * windows: it is decoded as ONE stream (TextWindows) and matched in the very windows findMarkings
 * cuts a long part into (PART_WINDOW characters, each hit taken from one window only), so a
 * marking gets the same verdict and offset whether the text came whole (inspect, a small file) or
 * in pieces (the walk, a big file, an archive member read in slices). Offsets of `text` hits are
 * in UTF-16 code units of the decoded text (as MarkingHit.offset); names' are in the name.
 * `inner` is the path inside the file ('' for the file).
 */
export class TextMarkings {
  readonly markings: FoundMarking[] = [];
  /** Mentions (kept only when asked: inspect). */
  readonly mentions: FoundMarking[] = [];

  constructor(
    private readonly init: Pick<WalkInit, 'grammar' | 'keywords'>,
    _needles: Buffer[],
    private readonly inner: string,
    private readonly keepMentions = false,
  ) {}

  /** Names to check (the first and the rest as `file-name`, the second as `original-name`). */
  names(names: ReadonlyArray<string | undefined>): void {
    const [first, original, ...rest] = names;
    const parts: Array<{ name: string; text: string }> = [];
    if (first) parts.push({ name: 'file-name', text: first });
    if (original) parts.push({ name: 'original-name', text: original });
    for (const r of rest) if (r) parts.push({ name: 'file-name', text: r });
    if (parts.length > 0) this.take(findMarkings(parts, this.init.grammar, { keywords: this.init.keywords, mentions: this.keepMentions }), 0, -Infinity, Infinity);
  }

  /**
   * One window of the text as findMarkings cuts a long part: `text` starts at character `start`;
   * hits are kept in [from, to) (text offsets).
   */
  textWindow(text: string, start: number, from: number, to: number): void {
    const hits = findMarkings([{ name: 'text', text }], this.init.grammar, { keywords: this.init.keywords, mentions: this.keepMentions, continued: start > 0 });
    this.take(hits, start, from, to);
  }

  private take(hits: MarkingHit[], start: number, from: number, to: number): void {
    for (const h of hits) {
      const offset = h.part === 'text' ? h.offset + start : h.offset;
      if (h.part === 'text' && !(offset >= from && offset < to)) continue;
      const m: FoundMarking = { level: h.level, text: h.text, inner: this.inner, part: h.part, offset, pattern: h.pattern, verdict: h.verdict, reasons: h.reasons };
      if (h.verdict === 'marking' || h.level === 'keyword') this.markings.push(m);
      else if (this.keepMentions) this.mentions.push(m);
    }
  }
}


/** Bytes the encoding of a text is decided on (the whole text when it is no longer). */
export const HEAD_BYTES = CHUNK;

/**
 * The encoding of a text from its first bytes — decodeText's rules (BOM, UTF-16, UTF-8, GB18030 or
 * BOM-less UTF-16), so a text of up to HEAD_BYTES is decoded exactly as decodeText decodes it;
 * `whole`: the head is the whole text (else a character cut at its end is allowed).
 */
export function textEncoding(head: Uint8Array, whole: boolean): { label: string; skip: number } {
  const bom = bomOf(head);
  if (bom) return { label: bom.label, skip: bom.length };
  if (whole) return { label: decodeText(head).encoding, skip: 0 };
  const u16 = guessUtf16(head);
  if (u16) return { label: u16, skip: 0 };
  if (isUtf8Prefix(head)) return { label: 'utf-8', skip: 0 };
  return { label: decodeText(head.subarray(0, head.length & ~1)).encoding, skip: 0 };
}

/**
 * A text that arrives in pieces (a file read CHUNK by CHUNK, a decompressed stream, an archive
 * member read in slices), decoded as one stream (the encoding decided once, on its head) and
 * matched in findMarkings' windows (PART_WINDOW characters, PART_OVERLAP between them, each hit
 * from the window where it has PART_MARGIN characters of context): exactly what findMarkings does
 * with the whole decoded text, in memory of one window whatever the text's size.
 */
export class TextWindows {
  private head: Buffer[] = [];
  private headLen = 0;
  private decoder: TextDecoder | undefined;
  /** Decoded text not yet dropped; buf[0] is character `base` of the text. */
  private buf = '';
  private base = 0;
  /** Characters of the text so far. */
  chars = 0;

  private readonly names: ReadonlyArray<string | undefined>;

  constructor(
    private readonly text: TextMarkings,
    /** The names matched after the text, at end() (a string: one name). */
    names: string | ReadonlyArray<string | undefined>,
  ) {
    this.names = typeof names === 'string' ? [names] : names;
  }

  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.decoder === undefined) {
      this.head.push(Buffer.from(chunk));
      this.headLen += chunk.length;
      if (this.headLen > HEAD_BYTES) this.decide(false);
      return;
    }
    this.push(this.decoder.decode(chunk, { stream: true }));
  }

  /** The end of the text. */
  end(): void {
    if (this.decoder === undefined) this.decide(true);
    if (this.decoder !== undefined) this.push(this.decoder.decode());
    this.finish();
    // after the text, as findMarkings orders the parts of a document (text, then its names)
    this.text.names(this.names);
  }

  /** BOM and UTF-16 are looked for at the start of the text only. */
  private atStart = true;

  /**
   * Decides the encoding on the bytes held (HEAD_BYTES of them, or the whole text: then exactly as
   * decodeText decides). ASCII reads the same in UTF-8 and GB18030: a long ASCII start (a log's
   * English lines before its Chinese ones) is decoded as it is, and the choice waits for the first
   * other byte and a head after it.
   */
  private decide(whole: boolean): void {
    let bytes = Buffer.concat(this.head);
    this.head = [];
    this.headLen = 0;
    if (bytes.length === 0) return;
    if (this.atStart) {
      this.atStart = false;
      if (whole) return this.use(textEncoding(bytes, true), bytes, whole, false);
      const head = bytes.subarray(0, HEAD_BYTES);
      const bom = bomOf(head);
      if (bom) return this.use({ label: bom.label, skip: bom.length }, bytes, whole, false);
      const u16 = guessUtf16(head);
      if (u16) return this.use({ label: u16, skip: 0 }, bytes, whole, false);
    } else if (whole) {
      return this.use({ label: decodeText(bytes).encoding, skip: 0 }, bytes, whole, true);
    }
    const p = isAscii(bytes) ? -1 : bytes.findIndex((b) => b >= 0x80);
    if (p < 0) {
      this.push(bytes.toString('latin1'));
      return;
    }
    if (p > 0) {
      this.push(bytes.subarray(0, p).toString('latin1'));
      bytes = bytes.subarray(p);
      if (bytes.length <= HEAD_BYTES) {
        // a head's worth after the first non-ASCII byte before choosing
        this.head = [bytes];
        this.headLen = bytes.length;
        return;
      }
    }
    const h = bytes.subarray(0, HEAD_BYTES);
    this.use({ label: isUtf8Prefix(h) ? 'utf-8' : decodeText(h.subarray(0, h.length & ~1)).encoding, skip: 0 }, bytes, whole, true);
  }

  private use(enc: { label: string; skip: number }, bytes: Buffer, whole: boolean, inside: boolean): void {
    // a decoder of its own: a streaming decoder keeps state between pieces (decoderFor's are
    // shared); inside the text a BOM's bytes are a character, not a mark to drop
    this.decoder = new TextDecoder(decoderFor(enc.label)?.encoding ?? 'utf-8', { ignoreBOM: inside });
    this.push(this.decoder.decode(bytes.subarray(enc.skip), { stream: !whole }));
  }

  private push(s: string): void {
    if (s.length === 0) return;
    this.buf += s;
    this.chars += s.length;
    // a window is matched once text runs past it (then it is not the last one)
    while (this.buf.length > PART_WINDOW) {
      this.window(false);
      this.buf = this.buf.slice(PART_WINDOW - PART_OVERLAP);
      this.base += PART_WINDOW - PART_OVERLAP;
    }
  }

  private finish(): void {
    if (this.buf.length > 0) this.window(true);
    this.buf = '';
  }

  /** findMarkings' window at `base` (see there): the same bounds, the same `continued`. */
  private window(last: boolean): void {
    const start = this.base;
    const text = last ? this.buf : this.buf.slice(0, PART_WINDOW);
    const from = start === 0 ? 0 : start + PART_MARGIN;
    const to = last ? start + text.length : start + PART_WINDOW - PART_OVERLAP + PART_MARGIN;
    this.text.textWindow(text, start, from, to);
  }
}

/**
 * A big .gz file, decompressed as a stream instead of in memory: text inside (rotated logs) is
 * matched window by window like plain text, whatever its size; pictures and executables are
 * known from their first bytes and not decompressed further; anything else (a document, a tar)
 * is collected up to the file budget and extracted. Memory stays a few windows per worker.
 */
export async function scanGzipStream(fd: number, name: string, originalName: string | undefined, size: number, c: StreamContext): Promise<FileScan> {
  const inner = name.replace(/\.(gz|tgz)$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : '')) || 'content';
  const out: FileScan = { format: 'gzip', sha256: '', markings: [], mentions: [], gaps: [], parts: [], embeddedFiles: 1, };
  // the names first (the file's own, the recycle bin's original, the inner one)
  const names = new TextMarkings(c.init, c.needles, '');
  names.names([name, originalName]);
  out.markings.push(...names.markings);
  const text = new TextMarkings(c.init, c.needles, inner);
  type Mode = 'head' | 'text' | 'collect' | 'skip';
  let mode = 'head' as Mode; // (set in the closures below: no narrowing)
  let head: Buffer[] = [];
  let headBytes = 0;
  const windows = new TextWindows(text, inner);
  let total = 0;
  const collected: Buffer[] = [];
  const decide = (): void => {
    const h = Buffer.concat(head);
    head = [];
    const f = sniffDocument(h.subarray(0, 65536), inner);
    if (f === 'text') {
      mode = 'text';
      windows.feed(h);
    } else if (f === 'image' || f === 'binary') {
      mode = 'skip';
      text.names([inner]);
    } else {
      mode = 'collect';
      collected.push(h);
    }
  };
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // read with the worker's own positional reads (the file descriptor stays ours to close)
  const src = Readable.from(
    (function* () {
      for (let pos = 0; ; ) {
        const b = Buffer.allocUnsafe(1024 * 1024);
        const n = readSync(fd, b, 0, b.length, pos);
        if (n === 0) return;
        pos += n;
        yield b.subarray(0, n);
      }
    })(),
  );
  try {
    for await (const chunk of src.pipe(gunzip) as AsyncIterable<Buffer>) {
      c.beat();
      total += chunk.length;
      if (total > GZ_BOMB_BYTES && total > size * 1000) {
        out.gaps.push({ inner: '', kind: 'zip-bomb', reason: `gzip content expands past ${total} bytes (over 1000:1); stopped` });
        break;
      }
      if (mode === 'head') {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= 65536) decide();
      } else if (mode === 'text') windows.feed(chunk);
      else if (mode === 'collect') {
        if (total > c.init.maxFileBytes) {
          out.gaps.push({ inner, kind: 'too-large', reason: `expands past the ${c.init.maxFileBytes}-byte budget: only the names were checked` });
          collected.length = 0;
          mode = 'skip';
          break;
        }
        collected.push(chunk);
      } else break;
    }
  } catch (err) {
    out.gaps.push({ inner: '', kind: 'corrupt', reason: `gzip unreadable: ${(err as Error).message}` });
  } finally {
    src.destroy();
    gunzip.destroy();
  }
  if (mode === 'head' && headBytes > 0) decide();
  if (mode === 'text') windows.end();
  if (mode === 'text' || mode === 'skip') out.markings.push(...text.markings);
  if (mode === 'collect' && collected.length > 0) {
    const { scanFile } = await loadScanFile();
    const s = await scanFile(Buffer.concat(collected), { name: inner, grammar: c.init.grammar, keywords: c.init.keywords, timeoutMs: c.init.fileTimeoutMs });
    const prefix = (x: string): string => (x ? `${inner}!/${x}` : inner);
    out.markings.push(...s.markings.map((m) => ({ ...m, inner: prefix(m.inner) })));
    out.gaps.push(...s.gaps.map((g) => ({ ...g, inner: prefix(g.inner) })));
    out.embeddedFiles += s.embeddedFiles;
  }
  out.sha256 = out.markings.length > 0 ? c.hash(fd) : '';
  return out;
}

type FindHits = (buf: Buffer, n: number, needles: Buffer[], out: Int32Array) => number;
let findHitsFn: FindHits | null | undefined;
/** The addon's findHits, when it is built (the addon is optional: JavaScript searches then). */
function nativeFindHits(): FindHits | undefined {
  if (findHitsFn === undefined) {
    // BAOMI_NATIVE=0 turns off every native part (native.ts): the JavaScript reader is all JavaScript
    findHitsFn = null;
    if (process.env['BAOMI_NATIVE'] !== '0') {
      try {
        const m = createRequire(import.meta.url)('../../../build/Release/baomi_native.node') as { findHits?: FindHits };
        findHitsFn = m.findHits ?? null;
      } catch {
        findHitsFn = null;
      }
    }
  }
  return findHitsFn ?? undefined;
}

/** Reads bytes of a file (or of a buffer) at a position into `buf`; returns how many (0 at the end). */
export type ReadAt = (buf: Buffer, pos: number) => number;

/** Bytes decoded on each side of a hit in a binary for the grammar (≥ 256 characters in any encoding). */
const BIN_WINDOW = 768;
/** Bytes decoded on each side of a hit for the neighbour test (see needleNeighbours). */
const BIN_NEAR = 48;
/** Control characters of a binary (NUL-terminated strings, headers) read as line breaks. */
const CONTROLS = /[\x00-\x06\x08\x0e-\x1f\x7f]/g;
/** Skipped when looking for a needle's neighbour: what the normaliser drops between CJK characters, and controls. */
const SKIPPED = /^[\x00-\x20\x7f\x85\xa0\xad\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]$/u;
/** Reasons the grammar gives a strong form (see markings.ts judge). */
const STRONG = new Set(['star follows the level', '密级 label', 'ticked box', 'notice follows (注意保存 …)']);
/** …and a place at the start of a line (or of a string between NULs). */
const LINE_START = /^(standalone|starts its|set apart by spaces)/;

const decoders = new Map<NeedleEncoding, TextDecoder>();
function decode(b: Uint8Array, enc: NeedleEncoding): string {
  let d = decoders.get(enc);
  if (d === undefined) decoders.set(enc, (d = new TextDecoder(enc)));
  return d.decode(b);
}

/** Bytes of `s` in `enc` (GB18030: 2 a character outside ASCII, 4 a surrogate pair). */
function byteLength(s: string, enc: NeedleEncoding): number {
  if (enc === 'utf-8') return Buffer.byteLength(s, 'utf8');
  if (enc !== 'gb18030') return s.length * 2;
  let n = 0;
  for (let i = 0; i < s.length; i++) n += s.charCodeAt(i) < 0x80 ? 1 : 2;
  return n;
}

/**
 * Where to start decoding bytes that end at a character boundary `end`, about `back` bytes before it:
 * UTF-16 keeps the parity of `end`; GB18030 starts after a byte below 0x40 (never part of a
 * two-byte character) when there is one, else keeps the parity; UTF-8 resynchronises by itself.
 */
function alignedStart(b: Uint8Array, end: number, back: number, enc: NeedleEncoding): number {
  let s = Math.max(0, end - back);
  if (enc === 'utf-16le' || enc === 'utf-16be') return s + ((end - s) & 1);
  if (enc === 'gb18030') {
    for (let i = s; i < end; i++) if (b[i]! < 0x40) return i + 1;
    return s + ((end - s) & 1);
  }
  return s;
}

const WIN = Buffer.allocUnsafe(2 * BIN_WINDOW + 16);
/** Per needle form (a worker keeps its forms): the bytes of its neighbours (see quickNeighbour). */
const QUICK = new WeakMap<NeedleForm, { left: Buffer[]; right: Buffer[] }>();
/** Hits of one piece from the native search (random bytes: ~100 a MiB; a piece with more is searched again in JavaScript). */
const FOUND = new Int32Array(1 << 16);

/**
 * Markings in a file taken as binary (an executable, a picture, text made to look like one by a NUL
 * or a header): the sniffer decided it has no text to decode, but its bytes are searched all the
 * same. Every hit of a needle is judged in the needle's own encoding: first its neighbours (a
 * keyword needs one of its characters next to the needle, whitespace skipped: random bytes and
 * program strings almost never pass), then a window of bytes around it is decoded and given to the
 * same grammar as text. In a binary only a marking's line shape counts: a strong form (level ★
 * period, a 密级 label…) at the start of a line or NUL-separated string — or any marking the grammar
 * accepts within the file's first characters — and unit keywords. Offsets are byte offsets.
 */
export class BinaryMarkings {
  readonly markings: FoundMarking[] = [];
  private readonly seen = new Set<string>();
  private readonly near: Map<string, ReturnType<typeof needleNeighbours>>;
  private readonly overlap: number;
  private readonly win = WIN;
  private readonly found = FOUND;
  /** Hits looked at, and hits whose window was decoded (for measuring). */
  hits = 0;
  windows = 0;

  constructor(
    private readonly init: Pick<WalkInit, 'grammar' | 'keywords'>,
    private readonly forms: readonly NeedleForm[],
    private readonly inner = '',
  ) {
    const all = [...init.grammar.keywords, ...init.keywords];
    this.near = new Map(forms.map((f) => [f.ch, needleNeighbours(all, f.ch)]));
    this.overlap = Math.max(1, ...forms.map((f) => f.bytes.length)) - 1;
  }

  /** Searches bytes [from, size) read through `read`, `piece` a buffer of at least CHUNK + 8 bytes to read into. */
  scan(read: ReadAt, size: number, from: number, piece: Buffer, beat?: () => void, dataFrom?: (pos: number) => number): void {
    const findHits = this.forms.length <= 64 && this.forms.every((f) => f.bytes.length >= 2) ? nativeFindHits() : undefined;
    const len = Math.min(piece.length, CHUNK + this.overlap);
    const buf = piece.subarray(0, len);
    const needles = this.forms.map((f) => f.bytes);
    for (let pos = from; pos < size; pos += len - this.overlap) {
      const n = read(buf, pos);
      if (n === 0) break;
      beat?.();
      const chunk = buf.subarray(0, n);
      this.chunk = chunk;
      this.chunkPos = pos;
      const last = pos + n >= size || n < len;
      // hits starting in the overlap are found again by the next piece
      const limit = last ? n : n - this.overlap;
      const got = findHits ? findHits(chunk, n, needles, this.found) : -1;
      if (got >= 0 && got < this.found.length) {
        // the native search (native/fastwalk.c findHits): every needle's positions in one call
        for (let k = 0; k < got; k++) {
          const v = this.found[k]!;
          const i = v >>> 6;
          if (i < limit) this.hit(read, size, pos + i, this.forms[v & 63]!);
        }
      } else if (mayHoldKeyword(chunk, needles)) {
        // (also a piece with more hits than the native search's room: dense needles, searched here)
        for (const f of this.forms) {
          for (let i = chunk.indexOf(f.bytes); i >= 0 && i < limit; i = chunk.indexOf(f.bytes, i + 1)) this.hit(read, size, pos + i, f);
        }
      }
      this.chunk = Buffer.alloc(0);
      if (last) break;
      // a piece of zeros may be a hole of a sparse file: go on at the next data
      if (dataFrom && chunk[0] === 0 && chunk.subarray(1).equals(chunk.subarray(0, n - 1))) {
        const d = dataFrom(pos + n);
        if (d < 0) break;
        if (d - this.overlap > pos + n - this.overlap) pos = d - len;
      }
    }
  }

  private hit(read: ReadAt, size: number, at: number, f: NeedleForm): void {
    this.hits++;
    const nb = this.near.get(f.ch)!;
    if (!nb.any) {
      // bytes first: a neighbour's bytes right there → decode; plain other bytes on both sides → not a keyword
      const quick = this.quickNeighbour(read, size, at, f);
      if (quick === false || (quick === undefined && !this.neighbour(read, size, at, f, nb))) return;
    }
    this.windows++;
    const start0 = Math.max(0, at - BIN_WINDOW);
    const w = this.bytesAt(read, start0, 2 * BIN_WINDOW + 16);
    const rel = at - start0;
    const s = alignedStart(w, rel, BIN_WINDOW, f.encoding);
    const before = decode(w.subarray(s, rel), f.encoding).replace(CONTROLS, '\n');
    const after = decode(w.subarray(rel), f.encoding).replace(CONTROLS, '\n');
    const text = before + after;
    const hitIdx = before.length;
    const start = start0 + s;
    for (const h of findMarkings([{ name: 'bytes', text }], this.init.grammar, { keywords: this.init.keywords, mentions: false, continued: start > 0 })) {
      // each marking is taken from a needle of its own (the others find it again)
      if (!(h.offset <= hitIdx && hitIdx < h.offset + h.text.length)) continue;
      const shaped = h.level === 'keyword' || (h.verdict === 'marking' && (h.reasons.includes('near start of part') || (h.reasons.some((r) => STRONG.has(r)) && h.reasons.some((r) => LINE_START.test(r)))));
      if (!shaped) continue;
      const offset = at - byteLength(h.text.slice(0, hitIdx - h.offset), f.encoding);
      const key = `${offset}:${h.text}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.markings.push({ level: h.level, text: h.text, inner: this.inner, part: `bytes:${f.encoding}`, offset, pattern: h.pattern, verdict: h.verdict, reasons: h.reasons });
    }
  }

  /** The piece being searched and where it starts (windows inside it are not read again). */
  private chunk: Buffer = Buffer.alloc(0);
  private chunkPos = 0;

  /** Up to `len` bytes from `start` (fewer at the end of the file): from the piece at hand when they are in it. */
  private bytesAt(read: ReadAt, start: number, len: number): Buffer {
    const rel = start - this.chunkPos;
    if (rel >= 0 && rel + len <= this.chunk.length) return this.chunk.subarray(rel, rel + len);
    const n = read(this.win, start);
    return this.win.subarray(0, Math.min(n, len));
  }

  /** Per form: the bytes of its needle's neighbours in its encoding (see quickNeighbour). */
  private readonly quick = QUICK;

  /**
   * The neighbour test on bytes: true when a neighbour's bytes touch the needle, false when the
   * bytes on both sides can be neither a neighbour nor whitespace, undefined when whitespace or a
   * control may stand between (then the decoding test decides).
   */
  private quickNeighbour(read: ReadAt, size: number, at: number, f: NeedleForm): boolean | undefined {
    let q = this.quick.get(f);
    if (q === undefined) {
      const nb = this.near.get(f.ch)!;
      const forms = (set: Set<string>): Buffer[] => {
        const out: Buffer[] = [];
        for (const c of set) {
          for (const v of new Set([c, c.toUpperCase(), ...[c, c.toUpperCase()].map((x) => (x.length === 1 && x.charCodeAt(0) >= 0x21 && x.charCodeAt(0) <= 0x7e ? String.fromCharCode(x.charCodeAt(0) + 0xfee0) : x))])) {
            const b = f.encoding === 'utf-8' ? Buffer.from(v, 'utf8') : f.encoding === 'utf-16le' ? Buffer.from(v, 'utf16le') : f.encoding === 'utf-16be' ? Buffer.from(v, 'utf16le').swap16() : gbkBytes(v);
            if (b) out.push(b);
            else return []; // a neighbour GB18030 spells in 4 bytes: no quick answer
          }
        }
        return out;
      };
      q = { left: forms(nb.left), right: forms(nb.right) };
      if ((nb.left.size > 0 && q.left.length === 0) || (nb.right.size > 0 && q.right.length === 0)) q = { left: [], right: [] };
      this.quick.set(f, q);
    }
    if (q.left.length === 0 && q.right.length === 0) return undefined;
    const start0 = Math.max(0, at - 8);
    const w = this.bytesAt(read, start0, 16 + f.bytes.length);
    const rel = at - start0;
    const after = rel + f.bytes.length;
    for (const b of q.left) if (rel >= b.length && w.subarray(rel - b.length, rel).equals(b)) return true;
    for (const b of q.right) if (w.subarray(after, after + b.length).equals(b)) return true;
    // what stands right before and right after: could it be whitespace or a control (or the edge)?
    const maybeSpace = (i: number, before: boolean): boolean => {
      if (before ? i <= 0 && start0 === 0 : i >= w.length && start0 + w.length >= size) return false;
      if (before ? i < 2 : i + 2 > w.length) return true;
      if (f.encoding === 'utf-16le' || f.encoding === 'utf-16be') {
        const u = f.encoding === 'utf-16le' ? w.readUInt16LE(before ? i - 2 : i) : w.readUInt16BE(before ? i - 2 : i);
        return SKIPPED.test(String.fromCharCode(u));
      }
      const b = w[before ? i - 1 : i]!;
      if (b <= 0x20 || b === 0x7f) return true;
      if (f.encoding === 'utf-8') return before ? b >= 0x80 && b <= 0xbf : b === 0xc2 || b === 0xe1 || b === 0xe2 || b === 0xe3 || b === 0xef;
      // GB18030: the ideographic space A1 A1, or a four-byte sequence (digits in second and fourth place)
      return b === 0xa1 || (before ? b >= 0x30 && b <= 0x39 : b >= 0x81 && b <= 0x84);
    };
    return maybeSpace(rel, true) || maybeSpace(after, false) ? undefined : false;
  }

  /** Does a character a keyword needs stand next to the needle (whitespace and controls skipped)? */
  private neighbour(read: ReadAt, size: number, at: number, f: NeedleForm, nb: ReturnType<typeof needleNeighbours>): boolean {
    const start0 = Math.max(0, at - BIN_NEAR);
    const w = this.bytesAt(read, start0, 2 * BIN_NEAR + f.bytes.length);
    const rel = at - start0;
    if (nb.left.size > 0) {
      const s = alignedStart(w, rel, BIN_NEAR, f.encoding);
      const chars = Array.from(decode(w.subarray(s, rel), f.encoding));
      let i = chars.length - 1;
      while (i >= 0 && SKIPPED.test(chars[i]!)) i--;
      // whitespace up to the start of what was read: the neighbour may be further (look closely)
      if (i < 0 ? start0 + s > 0 : nb.left.has(foldChar(chars[i]!))) return true;
    }
    if (nb.right.size > 0) {
      const chars = Array.from(decode(w.subarray(rel + f.bytes.length), f.encoding));
      let i = 0;
      while (i < chars.length && SKIPPED.test(chars[i]!)) i++;
      if (i >= chars.length ? start0 + w.length < size : nb.right.has(foldChar(chars[i]!))) return true;
    }
    return false;
  }
}

/**
 * A file taken as binary or picture by the walk: its names, and its bytes from `from` on (what lies
 * before held no needle) searched by BinaryMarkings. Memory: one piece and one window.
 */
export function scanBinaryFile(
  fd: number,
  size: number,
  from: number,
  format: 'binary' | 'image',
  names: [string, string | undefined],
  c: StreamContext & { forms: readonly NeedleForm[]; pieceBuffer: Buffer; dataFrom: ((fd: number, pos: number) => number) | undefined },
): FileScan {
  const out: FileScan = { format, sha256: '', markings: [], mentions: [], gaps: [], parts: [], embeddedFiles: 0 };
  const nameHits = new TextMarkings(c.init, c.needles, '');
  nameHits.names(names);
  const bin = new BinaryMarkings(c.init, c.forms);
  const read: ReadAt = (buf, pos) => {
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, pos + off);
      if (n === 0) break;
      off += n;
    }
    return off;
  };
  bin.scan(read, size, from, c.pieceBuffer, () => c.beat(), c.dataFrom ? (pos) => c.dataFrom!(fd, pos) : undefined);
  out.markings.push(...nameHits.markings, ...bin.markings);
  if (out.markings.length > 0) out.sha256 = c.hash(fd);
  return out;
}
