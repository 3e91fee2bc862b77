// Plain text read window by window, and big .gz files read as a stream: the parts of the document
// walk that never hold a whole file (see worker.ts for the walk itself).
import { readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sniffDocument } from '../../formats/docs/sniff.js';
import { decodeText } from '../../formats/docs/text.js';
import { findMarkings } from '../../formats/markings.js';
import { mayHoldKeyword } from './prefilter.js';
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
 * Markings in plain text read window by window (a file in pieces, a decompressed stream):
 * windows with no keyword byte in any encoding are not decoded; a marking found twice in the
 * overlap of two windows is kept once. `inner` is the path inside the file ('' for the file).
 */
export class TextMarkings {
  readonly markings: FoundMarking[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly init: Pick<WalkInit, 'grammar' | 'keywords'>,
    private readonly needles: Buffer[],
    private readonly inner: string,
  ) {}

  /** `pos`: offset of the window in the text; `names`: names to check with it (once per file). */
  window(chunk: Buffer, pos: number, names: Array<string | undefined> | undefined): void {
    const parts: Array<{ name: string; text: string }> = [];
    if (chunk.length > 0 && (names !== undefined || mayHoldKeyword(chunk, this.needles))) parts.push({ name: 'text', text: decodeText(chunk).text });
    if (names) {
      const [first, original, ...rest] = names;
      if (first) parts.push({ name: 'file-name', text: first });
      if (original) parts.push({ name: 'original-name', text: original });
      for (const r of rest) if (r) parts.push({ name: 'file-name', text: r });
    }
    if (parts.length === 0) return;
    // a window after the first is not the start of the text: near-start evidence does not apply
    for (const h of findMarkings(parts, this.init.grammar, { keywords: this.init.keywords, mentions: false, continued: pos > 0 })) {
      if (h.verdict !== 'marking' && h.level !== 'keyword') continue;
      const offset = h.part === 'text' ? h.offset + pos : h.offset;
      const key = `${h.part}:${offset}:${h.text}`;
      if (this.seen.has(key)) continue; // found again in the overlap
      this.seen.add(key);
      this.markings.push({ level: h.level, text: h.text, inner: this.inner, part: h.part, offset, pattern: h.pattern, verdict: h.verdict, reasons: h.reasons });
    }
  }
}

/**
 * Text that arrives in pieces (a decompressed stream, an archive member read in slices) cut into
 * CHUNK windows with an OVERLAP for TextMarkings: memory is one window whatever the text's size.
 */
export class TextWindows {
  private readonly win = Buffer.allocUnsafe(CHUNK + OVERLAP);
  private len = 0;
  /** Offset in the text of win[0]. */
  private pos = 0;

  constructor(
    private readonly text: TextMarkings,
    /** The name matched with the first window. */
    private readonly name: string,
  ) {}

  feed(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) {
      const n = Math.min(chunk.length - at, this.win.length - this.len);
      this.win.set(chunk.subarray(at, at + n), this.len);
      this.len += n;
      at += n;
      if (this.len === this.win.length) this.flush(false);
    }
  }

  /** The last window. */
  end(): void {
    this.flush(true);
  }

  private flush(final: boolean): void {
    if (this.len === 0) return;
    this.text.window(this.win.subarray(0, this.len), this.pos, this.pos === 0 ? [this.name] : undefined);
    if (final) return;
    // keep the overlap: a marking across the border is seen by the next window
    this.win.copy(this.win, 0, this.len - OVERLAP, this.len);
    this.pos += this.len - OVERLAP;
    this.len = OVERLAP;
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
  names.window(Buffer.alloc(0), 0, [name, originalName]);
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
      text.window(Buffer.alloc(0), 0, [inner]);
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
