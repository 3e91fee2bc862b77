// One file → its markings: extract text (src/formats/docs), recurse into what it embeds (zip
// members, mail attachments, OLE/OOXML embeddings) within depth and size limits, and run the
// marking grammar (src/formats/markings) on every part. Pure over bytes: used by the worker
// threads of the document walk and by `baomi inspect`. Evidence never carries surrounding text.
import { createHash } from 'node:crypto';
import { extractText, sniffDocument, type DocFormat, type GapKind } from '../../formats/docs/index.js';
import { StopError } from '../../formats/docs/context.js';
import type { ByteSource } from '../../formats/docs/zip.js';
import { byteNeedles, needleForms } from './prefilter.js';
import { BinaryMarkings, CHUNK, OVERLAP, TextMarkings, TextWindows } from './text-stream.js';
import { baseName } from '../../formats/docs/text.js';
import { findMarkings, type MarkingGrammar, type MarkingHit } from '../../formats/markings.js';


export interface FoundMarking {
  level: MarkingHit['level'];
  /** The marking exactly as found. */
  text: string;
  /** `a.zip!/b.docx` style path of the (embedded) file it is in, relative to the scanned file; '' for the file itself. */
  inner: string;
  part: string;
  offset: number;
  pattern: string;
  verdict: MarkingHit['verdict'];
  reasons: string[];
}

export interface FileGap {
  /** '' for the file itself, else the embedded path. */
  inner: string;
  kind: GapKind;
  reason: string;
}

export interface FileScan {
  format: DocFormat;
  /** SHA-256 of the file when it has a marking (or with `detail`); '' otherwise. */
  sha256: string;
  markings: FoundMarking[];
  /** Mentions (marking-like words that are not markings): counted, and kept for `inspect`. */
  mentions: FoundMarking[];
  gaps: FileGap[];
  /** Text parts read, with sizes (for `inspect`). */
  parts: Array<{ inner: string; name: string; chars: number }>;
  embeddedFiles: number;
  /** Not decoded: the bytes hold no keyword character in any encoding (only the name was checked). */
  prefiltered?: boolean;
}

export interface ScanFileOptions {
  /** The file's name (for the `file-name` part and the format tie-break). */
  name: string;
  /** An extra name to match (the original name of a Recycle Bin `$R` file). */
  originalName?: string;
  grammar: MarkingGrammar;
  keywords?: string[];
  /** How deep to follow embedded files (zip in zip …); default 4. */
  maxDepth?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Cap on bytes decompressed from this file and everything in it (memory bound); default 96 MiB. */
  maxExpandedBytes?: number;
  /** Keep mentions and part lists (inspect); the walk leaves them out. */
  detail?: boolean;
  /**
   * A big zip-based file read by position (`bytes` is then its head only): read member by member,
   * never whole. `sha256` is left empty (the caller hashes the file).
   */
  archiveSource?: ByteSource;
}

/** A member past this size known as text from its head is decompressed as a stream (see visit). */
const TEXT_WINDOWS_FROM = 4 * 1024 * 1024;
/** The head the walk sniffs a file with (worker.ts slowPath): plain text is told by it. */
const TEXT_HEAD = 4096;

/** Formats whose content is not text (pictures, executables…): only the name is checked. */
const OPAQUE: ReadonlySet<DocFormat> = new Set(['image', 'binary']);

export async function scanFile(bytes: Uint8Array, opts: ScanFileOptions): Promise<FileScan> {
  const out: FileScan = {
    format: 'unknown',
    sha256: '',
    markings: [],
    mentions: [],
    gaps: [],
    parts: [],
    embeddedFiles: 0,
  };
  const maxDepth = opts.maxDepth ?? 4;
  let expanded = 0;
  let needles: Buffer[] | undefined;
  const visit = async (data: Uint8Array, name: string, inner: string, depth: number): Promise<void> => {
    // Plain text — a file, a member, whatever its size — is decoded as one stream and matched in
    // findMarkings' windows by TextWindows, the one path the walk reads text with (scanChunks):
    // scan and inspect cannot differ on it (issue 13 item 3), and no whole-text copy is made.
    if (data.length > 0 && sniffDocument(data.subarray(0, TEXT_HEAD), name) === 'text') {
      needles ??= byteNeedles([...opts.grammar.keywords, ...(opts.keywords ?? [])]);
      const tm = new TextMarkings({ grammar: opts.grammar, keywords: opts.keywords ?? [] }, needles, inner, opts.detail ?? false);
      const windows = new TextWindows(tm, inner === '' ? [baseName(name), opts.originalName] : [baseName(name)]);
      for (let pos = 0; pos < data.length; pos += CHUNK) windows.feed(data.subarray(pos, pos + CHUNK));
      windows.end();
      if (inner === '') out.format = 'text';
      out.markings.push(...tm.markings);
      out.mentions.push(...tm.mentions);
      if (opts.detail) {
        // the parts extraction would list: the text, then the names
        out.parts.push({ inner, name: 'text', chars: windows.chars }, { inner, name: 'file-name', chars: baseName(name).length });
        if (inner === '' && opts.originalName) out.parts.push({ inner, name: 'original-name', chars: opts.originalName.length });
      }
      return;
    }
    const res = await extractText(data, {
      name,
      lazyEmbedded: true,
      ...(inner === '' && opts.archiveSource ? { archiveSource: opts.archiveSource } : {}),
      // One budget for the file and all it embeds, so memory stays bounded per worker.
      maxExpandedBytes: Math.max(1, (opts.maxExpandedBytes ?? 96 * 1024 * 1024) - expanded),
      maxTextChars: 16 * 1024 * 1024,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (inner === '') out.format = res.format;
    const parts = res.parts;
    if (inner === '' && opts.originalName) parts.push({ name: 'original-name', text: opts.originalName });
    if (opts.detail) for (const p of parts) out.parts.push({ inner, name: p.name, chars: p.text.length });
    const gapsOf = (from: number): void => {
      for (const g of res.gaps.slice(from)) {
        // An image or executable has no text to read: that is not a gap in the check.
        if (g.kind === 'unsupported' && OPAQUE.has(res.format)) continue;
        // the part (a zip or tar member, an XML part) goes into the reason: the path stays the file's
        out.gaps.push({ inner, kind: g.kind, reason: g.part ? `${g.reason} (${g.part})` : g.reason });
      }
    };
    gapsOf(0);
    let gapsSeen = res.gaps.length;
    for (const h of findMarkings(parts, opts.grammar, { keywords: opts.keywords ?? [], mentions: opts.detail ?? false })) {
      const m: FoundMarking = { level: h.level, text: h.text, inner, part: h.part, offset: h.offset, pattern: h.pattern, verdict: h.verdict, reasons: h.reasons };
      if (h.verdict === 'marking' || h.level === 'keyword') out.markings.push(m);
      else out.mentions.push(m);
    }
    // A picture or an executable has no text to decode, but its bytes are searched all the same
    // (a NUL or a header must not hide a marking): hit by hit, in each encoding (BinaryMarkings).
    if (OPAQUE.has(res.format) && data.length > 0) {
      const bin = new BinaryMarkings({ grammar: opts.grammar, keywords: opts.keywords ?? [] }, needleForms([...opts.grammar.keywords, ...(opts.keywords ?? [])]), inner);
      const src = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      bin.scan((buf, pos) => src.copy(buf, 0, pos, Math.min(src.length, pos + buf.length)), src.length, 0, Buffer.allocUnsafe(CHUNK + OVERLAP));
      out.markings.push(...bin.markings);
    }
    res.parts = [];
    const embedded = res.embedded;
    res.embedded = [];
    // what extraction already expanded (mail attachments, OLE objects…) is held until visited
    let held = 0;
    for (const e of embedded) held += e.bytes.length;
    expanded += held;
    for (let k = 0; k < embedded.length; k++) {
      const e = embedded[k]!;
      embedded[k] = { name: e.name, bytes: new Uint8Array(0) }; // let what was read go as we go
      // …and goes back to the budget once dropped here (the budget bounds what is held at once)
      expanded -= e.bytes.length;
      held -= e.bytes.length;
      out.embeddedFiles++;
      const path = inner === '' ? e.name : `${inner}!/${e.name}`;
      if (depth >= maxDepth) {
        out.gaps.push({ inner: path, kind: 'too-large', reason: `nested deeper than ${maxDepth} levels: not opened` });
        continue;
      }
      let data = e.bytes;
      if (e.load) {
        // A picture or an executable inside an archive is known from its first bytes: only its
        // name is checked, and it is not expanded (a 100 MB library in a wheel stays compressed).
        const head = e.head?.();
        const kind = head && head.length > 0 ? sniffDocument(head, e.name) : undefined;
        if (kind === 'image' || kind === 'binary') {
          if (kind === 'image') out.gaps.push({ inner: path, kind: 'no-text-layer', reason: 'picture: not inspectable without OCR' });
          await visit(new Uint8Array(0), e.name, path, depth + 1);
          continue;
        }
        // Big text (a 28 MB generated header in a wheel, a log in a backup) is decompressed and
        // matched window by window: memory holds a window, not the member.
        if (kind === 'text' && e.stream && e.stream.size > TEXT_WINDOWS_FROM) {
          needles ??= byteNeedles([...opts.grammar.keywords, ...(opts.keywords ?? [])]);
          const tm = new TextMarkings({ grammar: opts.grammar, keywords: opts.keywords ?? [] }, needles, path, opts.detail ?? false);
          const windows = new TextWindows(tm, [baseName(e.name)]);
          for await (const piece of e.stream.pieces()) windows.feed(piece);
          windows.end();
          out.markings.push(...tm.markings);
          out.mentions.push(...tm.mentions);
          if (opts.detail) out.parts.push({ inner: path, name: 'text', chars: windows.chars });
          gapsOf(gapsSeen);
          gapsSeen = res.gaps.length;
          continue;
        }
        // Archive members are decompressed one at a time (memory holds one member, not all).
        try {
          const loaded = e.load();
          if (loaded === null) continue;
          data = loaded;
        } catch (err) {
          out.gaps.push({ inner: path, kind: err instanceof StopError ? err.kind : 'corrupt', reason: (err as Error).message });
          if (err instanceof StopError) break;
          continue;
        } finally {
          // what reading the member reported (encrypted, bomb, corrupt…)
          gapsOf(gapsSeen);
          gapsSeen = res.gaps.length;
        }
        expanded += data.length;
        try {
          await visit(data, e.name, path, depth + 1);
        } finally {
          // done with it: what it held goes back to the budget of what is held at once
          expanded -= data.length;
          e.release?.();
        }
        continue;
      }
      await visit(data, e.name, path, depth + 1);
    }
  };
  await visit(bytes, opts.name, '', 0);
  // Only evidence is hashed (a file with a marking, or one an officer inspects): on a disk most
  // documents have none, and hashing each was work the walk did not need.
  if (!opts.archiveSource && (out.markings.length > 0 || opts.detail)) out.sha256 = createHash('sha256').update(bytes).digest('hex');
  return out;
}
