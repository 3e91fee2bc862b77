/**
 * Types of the document text-extraction library (`src/formats/docs`).
 *
 * The contract: given a file's bytes, `extractText` sniffs the real type and returns every text
 * part it can find (body, headers, footers, notes, comments, text boxes, deleted text, sheet
 * names, slide notes, properties…), the embedded files it found (zip members, mail attachments,
 * OLE / OOXML embeddings) for the caller to recurse into, and the *gaps*: what could not be read
 * and why. It never throws on bad input.
 */

/** The real type of a file, sniffed from its bytes (the name only breaks ties). */
export type DocFormat =
  | 'text' // plain text (any of the encodings in `text.ts`)
  | 'docx' // OOXML WordprocessingML (.docx .docm .dotx .dotm, WPS .wps saved as OOXML)
  | 'xlsx' // OOXML SpreadsheetML (.xlsx .xlsm .xltx, WPS .et saved as OOXML)
  | 'pptx' // OOXML PresentationML (.pptx .pptm .ppsx .potx, WPS .dps saved as OOXML)
  | 'odt'
  | 'ods'
  | 'odp'
  | 'doc' // OLE Word 97-2003 binary (WordDocument stream)
  | 'wps' // the same, named .wps/.wpt (WPS Office 2003+ writes Word binary files)
  | 'xls' // OLE Excel 97-2003 (BIFF8) or Excel 5/95 (BIFF5) workbook
  | 'et' // the same, named .et/.ett (WPS Spreadsheets)
  | 'ppt' // OLE PowerPoint 97-2003
  | 'dps' // the same, named .dps/.dpt (WPS Presentation)
  | 'ole' // another OLE compound file (embedded object, Outlook .msg, encrypted OOXML, …)
  | 'pdf'
  | 'ofd' // GB/T 33190 (a zip of XML)
  | 'rtf'
  | 'html'
  | 'xml' // another XML document (Word 2003 XML, flat ODF …): tags stripped like HTML
  | 'eml' // RFC 5322 / MIME message (also .mht / .mhtml)
  | 'msg' // Outlook message (OLE)
  | 'zip'
  | 'gzip'
  | 'tar' // ustar / GNU / pax / v7 tar: regular-file members embedded (a .tar.gz is gzip, then tar)
  | 'rar' // recognised, not unpacked
  | '7z' // recognised, not unpacked
  | 'recycle-info' // Windows Recycle Bin `$I…` file (or XP `INFO2`)
  | 'image' // a picture (text only through OCR)
  | 'binary' // another recognised or unrecognisable binary format
  | 'unknown'; // empty or unreadable

export interface TextPart {
  /**
   * Where the text came from. Conventions:
   * - the path inside a zip package for XML parts: `word/document.xml`, `word/header1.xml`,
   *   `word/footnotes.xml`, `word/comments.xml`, `content.xml`, `styles.xml`,
   *   `Doc_0/Pages/Page_0/Content.xml`; suffixes `#deleted` (tracked deletions) and `#textboxes`
   * - `sheet:NAME`, `sheet-names`, `header-footer:NAME`, `comments:NAME`
   * - `page:N` (1-based), `slide:N`, `notes:N`, `annot:N`, `template:ID`
   * - `body`, `headers`, `footnotes`, `endnotes`, `comments`, `textboxes`, `header-textboxes` (.doc)
   * - `subject`, `headers`, `part 2 (text/plain; charset=gbk)` (mail)
   * - `properties` (title, subject, keywords, custom properties … as `name: value` lines)
   * - `file-name` (the base name passed in `opts.name`), `original-path` (recycle bin)
   */
  name: string;
  text: string;
}

/** A file found inside the document, for the caller to extract in turn (with its own depth limit). */
export interface Embedded {
  /** Path inside the container: `word/embeddings/oleObject1.bin`, a zip member path, a mail attachment's file name. */
  name: string;
  bytes: Uint8Array;
  /**
   * With `ExtractOptions.lazyEmbedded`, members of plain archives come unread: `bytes` is empty and
   * `load()` decompresses the member (null when it cannot be read; the gap is then added to the
   * result's `gaps`). The caller reads them one at a time, so memory holds one member, not all.
   */
  load?: () => Uint8Array | null;
  /** Lazy members: the member's first bytes, cheaply (null when unknown), so pictures and executables need not be expanded. */
  head?: () => Uint8Array | null;
  /** Lazy members: gives back to the expansion budget what load() took, once the member is done with. */
  release?: () => void;
  /**
   * Lazy members that can be read in pieces: the expanded size (-1 when unknown) and the content
   * decompressed as it is read, so that big text need not be held whole (gaps go to the result's
   * `gaps` as with load()).
   */
  stream?: { size: number; pieces: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array> };
}

export type GapKind =
  | 'encrypted'
  | 'no-text-layer'
  | 'unsupported'
  | 'corrupt'
  | 'too-large'
  | 'zip-bomb'
  | 'timeout'
  | 'partial';

/** Something that could not be read: "could not check" must never look like "clean". */
export interface Gap {
  kind: GapKind;
  reason: string;
  /** The part or member it concerns, when it concerns one. */
  part?: string;
}

export interface ExtractMeta {
  /** Producing application, e.g. `WPS Office 2052-11.1.0.10700`, `LibreOffice/7.4`, `Microsoft Office Word`. */
  producer?: string;
  /** Pages (PDF, OFD) or slides / sheets where known. */
  pages?: number;
  /** Character encoding the text was decoded from (text, HTML, RTF, mail). */
  encoding?: string;
}

export interface ExtractResult {
  format: DocFormat;
  parts: TextPart[];
  embedded: Embedded[];
  gaps: Gap[];
  meta?: ExtractMeta;
}

export interface ExtractOptions {
  /** File name or path (only the base name is used): extension tie-break and the `file-name` part. */
  name?: string;
  /** Add a `file-name` part holding the base name of `name` (default true). */
  fileNamePart?: boolean;
  /** Larger inputs are not parsed (gap `too-large`); default 256 MiB. */
  maxBytes?: number;
  /**
   * Cap on the bytes decompressed from this file (zip members, streams) and held at once; default
   * 512 MiB. Lazy members (lazyEmbedded) give their share back when released.
   */
  maxExpandedBytes?: number;
  /** A member expanding more than this ratio *and* past 10 MiB is a zip bomb; default 100. */
  maxRatio?: number;
  /** Cap on zip members / mail parts / OLE streams looked at; default 20,000. */
  maxMembers?: number;
  /** Cap on the characters of text returned (all parts together); default 64 Mi characters. */
  maxTextChars?: number;
  /** Time budget for this file in milliseconds (default 120,000; 0 = none). */
  timeoutMs?: number;
  /** Abort: extraction stops at the next check and returns what it has, with a `timeout` gap. */
  signal?: AbortSignal;
  /** Leave the members of plain archives (zip) unread, with a `load()` each (see Embedded). */
  lazyEmbedded?: boolean;
  /**
   * The whole file, read by position, when `bytes` is only its head: zip-based formats (OOXML, ODF,
   * OFD, .zip) and tar are then read from it member by member and never held whole.
   */
  archiveSource?: import('./zip.js').ByteSource;
}

export const DEFAULT_LIMITS = {
  maxBytes: 256 * 1024 * 1024,
  maxExpandedBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  /** Members smaller than this are never called a bomb whatever their ratio. */
  ratioFloorBytes: 10 * 1024 * 1024,
  maxMembers: 20_000,
  maxTextChars: 64 * 1024 * 1024,
  timeoutMs: 120_000,
} as const;

/** The result of parsing a Recycle Bin `$I` file (or one record of an XP `INFO2` file). */
export interface RecycleInfo {
  /** 1 = Vista–8.1 (fixed 260-character path), 2 = Windows 10+ (length-prefixed path), 0 = XP INFO2 record. */
  version: number;
  /** The path the file had before deletion, e.g. `C:\Users\张三\Desktop\报告.docx`. */
  originalPath: string;
  /** Size of the deleted file in bytes. */
  originalSize: number;
  /** Deletion time, ISO 8601 UTC (undefined when the FILETIME is 0 or out of range). */
  deletedAt?: string;
  /** XP INFO2 only: the record index (the deleted file is `Dc<index><ext>`) and the drive number (0 = A:). */
  index?: number;
  drive?: number;
}
