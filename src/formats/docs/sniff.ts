/**
 * Sniffing the real type of a file from its first bytes (or all of them): magic numbers first,
 * the container's member / stream names next, the content of text files after that; the name's
 * extension only breaks ties (.wps vs .doc, a zip too short to tell, …).
 */
import type { DocFormat } from './types.js';
import { looksLikeTar } from './tar.js';
import { decodeAs, extOf, looksLikeText, bomOf, guessUtf16 } from './text.js';
import { zipNamesFromHead } from './zip.js';
import { u16, u32 } from './bytes.js';

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(b: Uint8Array, sig: ArrayLike<number>, at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** Bytes [start, end) as Latin-1, clamped to the view (a short file must not read past its end, nor throw). */
function ascii(b: Uint8Array, start: number, end: number): string {
  const s = Math.min(start, b.length);
  return Buffer.from(b.buffer, b.byteOffset + s, Math.max(0, Math.min(end, b.length) - s)).toString('latin1');
}

const OOXML_EXT: Record<string, 'docx' | 'xlsx' | 'pptx'> = {
  docx: 'docx', docm: 'docx', dotx: 'docx', dotm: 'docx', wps: 'docx', wpt: 'docx',
  xlsx: 'xlsx', xlsm: 'xlsx', xltx: 'xlsx', xltm: 'xlsx', et: 'xlsx', ett: 'xlsx',
  pptx: 'pptx', pptm: 'pptx', ppsx: 'pptx', potx: 'pptx', potm: 'pptx', ppsm: 'pptx', dps: 'pptx', dpt: 'pptx',
};

/** The OOXML / ODF / OFD kind of a zip from its member names (and the ODF `mimetype` content). */
export function zipKind(names: string[], mimetype: string | undefined, ext: string): DocFormat {
  const lower = names.map((n) => n.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase());
  if (lower.includes('ofd.xml')) return 'ofd';
  if (mimetype) {
    const m = mimetype.trim();
    if (m.startsWith('application/vnd.oasis.opendocument.text')) return 'odt';
    if (m.startsWith('application/vnd.oasis.opendocument.spreadsheet')) return 'ods';
    if (m.startsWith('application/vnd.oasis.opendocument.presentation')) return 'odp';
    if (m.startsWith('application/vnd.oasis.opendocument.graphics')) return 'odp';
  }
  const has = (p: string): boolean => lower.some((n) => n.startsWith(p));
  const ct = lower.includes('[content_types].xml');
  if (has('word/')) return 'docx';
  if (has('xl/')) return 'xlsx';
  if (has('ppt/')) return 'pptx';
  if (lower.includes('content.xml') && lower.includes('meta-inf/manifest.xml')) {
    if (ext === 'ods' || ext === 'ots') return 'ods';
    if (ext === 'odp' || ext === 'otp' || ext === 'odg') return 'odp';
    return 'odt';
  }
  if (ct && OOXML_EXT[ext]) return OOXML_EXT[ext]!;
  return 'zip';
}

/** Finds 128-byte-aligned OLE directory entries whose name is one of `names` in the bytes at hand. */
export function oleStreamNames(head: Uint8Array): Set<string> {
  const found = new Set<string>();
  for (let p = 512; p + 128 <= head.length; p += 128) {
    const len = head[p + 64]! | (head[p + 65]! << 8);
    const type = head[p + 66];
    if (len < 4 || len > 64 || len % 2 !== 0 || (type !== 1 && type !== 2 && type !== 5)) continue;
    if (head[p + len - 2] !== 0 || head[p + len - 1] !== 0) continue;
    const name = Buffer.from(head.buffer, head.byteOffset + p, len - 2).toString('utf16le');
    if (/^[\x01-\x7e\u0080-\uffff]+$/.test(name)) found.add(name);
  }
  return found;
}

/**
 * Names of the root storage's children, read through the FAT and the directory's red-black tree;
 * null when the bytes at hand do not cover what is needed (then `oleStreamNames` guesses).
 */
export function oleRootNames(b: Uint8Array): string[] | null {
  if (b.length < 512) return null;
  const shift = u16(b, 30);
  if (shift !== 9 && shift !== 12) return null;
  const ss = 1 << shift;
  const sectorOff = (n: number): number => (n + 1) * ss;
  // FAT sector numbers: 109 in the header, then the DIFAT chain
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const v = u32(b, 76 + i * 4);
    if (v >= 0xfffffffa) break;
    fatSectors.push(v);
  }
  let difat = u32(b, 68);
  for (let guard = 0; difat < 0xfffffffa && guard < 10000; guard++) {
    const o = sectorOff(difat);
    if (o + ss > b.length) return null;
    for (let i = 0; i < ss / 4 - 1; i++) {
      const v = u32(b, o + i * 4);
      if (v < 0xfffffffa) fatSectors.push(v);
    }
    difat = u32(b, o + ss - 4);
  }
  const next = (sec: number): number | null => {
    const per = ss / 4;
    const fs = fatSectors[Math.floor(sec / per)];
    if (fs === undefined) return null;
    const o = sectorOff(fs) + (sec % per) * 4;
    if (o + 4 > b.length) return null;
    return u32(b, o);
  };
  const entries: number[] = []; // byte offsets of directory entries, in index order
  let sec = u32(b, 48);
  for (let guard = 0; sec < 0xfffffffa; guard++) {
    if (guard > 100000) return null;
    const o = sectorOff(sec);
    if (o + ss > b.length) return null;
    for (let k = 0; k < ss / 128; k++) entries.push(o + k * 128);
    const n = next(sec);
    if (n === null) return null;
    sec = n;
  }
  const name = (i: number): string => {
    const o = entries[i]!;
    const len = Math.min(64, u16(b, o + 64));
    return len >= 2 ? Buffer.from(b.buffer, b.byteOffset + o, len - 2).toString('utf16le') : '';
  };
  if (!entries.length || b[entries[0]! + 66] !== 5) return null;
  const out: string[] = [];
  const stack = [u32(b, entries[0]! + 76)];
  const seen = new Set<number>();
  while (stack.length) {
    const i = stack.pop()!;
    if (i >= entries.length || seen.has(i)) continue;
    seen.add(i);
    out.push(name(i));
    stack.push(u32(b, entries[i]! + 68), u32(b, entries[i]! + 72));
  }
  return out;
}

/** The document kind of an OLE file from its stream names. */
export function oleKind(names: Set<string> | string[], ext: string, exact = true): DocFormat {
  const s = names instanceof Set ? names : new Set(names);
  const byExt = (): DocFormat | undefined => {
    if (ext === 'doc' || ext === 'dot') return 'doc';
    if (ext === 'wps' || ext === 'wpt') return 'wps';
    if (ext === 'xls' || ext === 'xlt') return 'xls';
    if (ext === 'et' || ext === 'ett') return 'et';
    if (ext === 'ppt' || ext === 'pps' || ext === 'pot') return 'ppt';
    if (ext === 'dps' || ext === 'dpt') return 'dps';
    if (ext === 'msg') return 'msg';
    return undefined;
  };
  // names guessed from a head may belong to embedded storages: the extension goes first then
  if (!exact || s.size === 0) {
    const k = byExt();
    if (k) return k;
  }
  if (s.has('WordDocument')) return ext === 'wps' || ext === 'wpt' ? 'wps' : 'doc';
  if (s.has('Workbook') || s.has('Book') || s.has('WORKBOOK') || s.has('BOOK')) return ext === 'et' || ext === 'ett' ? 'et' : 'xls';
  if (s.has('PowerPoint Document')) return ext === 'dps' || ext === 'dpt' ? 'dps' : 'ppt';
  if (s.has('EncryptedPackage')) return OOXML_EXT[ext] ?? 'ole';
  if ([...s].some((n) => n.startsWith('__substg1.0_'))) return 'msg';
  return 'ole';
}

const MAIL_HEADERS = /^(received|from|to|subject|date|message-id|mime-version|return-path|delivered-to|content-type|reply-to|cc|x-[a-z0-9-]+|dkim-signature|authentication-results|sender|thread-index|thread-topic|x-mailer|user-agent|in-reply-to|references|content-transfer-encoding)\s*:/i;

/** A MIME message: the first lines are headers (at least two known ones, or MIME-Version). */
export function looksLikeMail(text: string): boolean {
  const lines = text.slice(0, 4096).split(/\r?\n/);
  let known = 0;
  let mime = false;
  for (let i = 0; i < lines.length && i < 60; i++) {
    const l = lines[i]!;
    if (l === '') break;
    if (/^[ \t]/.test(l)) continue; // folded
    if (i === 0 && /^From [^ ]+ /.test(l)) continue; // mbox separator
    if (!/^[!-9;-~]+\s*:/.test(l)) return false;
    if (MAIL_HEADERS.test(l)) known++;
    if (/^mime-version\s*:/i.test(l) || /^content-type\s*:\s*multipart\//i.test(l)) mime = true;
  }
  return known >= 3 || (mime && known >= 2);
}

/**
 * What follows an XML declaration and any comments, with a leading `<!doctype ` folded to `<`.
 * A loop, not a regex: `(<!--[\s\S]*?-->\s*)*` backtracked exponentially on a file of thirty
 * comment lines (a robot description in a Python wheel took minutes to sniff).
 */
function afterDeclAndComments(t: string): string {
  let i = t.indexOf('?>');
  if (i < 0) return '';
  i += 2;
  for (;;) {
    while (i < t.length && /\s/.test(t[i]!)) i++;
    if (!t.startsWith('<!--', i)) break;
    const end = t.indexOf('-->', i + 4);
    if (end < 0) return '';
    i = end + 3;
  }
  const rest = t.slice(i);
  return /^<!doctype\s+/.test(rest) ? `<${rest.replace(/^<!doctype\s+/, '')}` : rest;
}

export function looksLikeHtml(text: string): boolean {
  const t = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (/^<!doctype\s+html/.test(t) || t.startsWith('<html')) return true;
  if (t.startsWith('<?xml') && afterDeclAndComments(t).startsWith('<html')) return true;
  return /<(html|head|body)[\s>]/.test(t) && /<\/?(p|div|br|meta|title|table|span|body)[\s>/]/.test(t);
}

function looksLikeXml(text: string): boolean {
  const t = text.slice(0, 1024).replace(/^\uFEFF/, '').trimStart();
  return t.startsWith('<?xml') || /^<[A-Za-z_][\w.:-]*[\s>]/.test(t);
}

/** Is this a Windows Recycle Bin `$I` file (version 1 or 2)? */
export function looksLikeRecycleInfo(b: Uint8Array): boolean {
  if (b.length < 30) return false;
  const v = b[0];
  if ((v !== 1 && v !== 2) || b[1] !== 0 || b[2] !== 0 || b[3] !== 0 || b[4] !== 0 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0) return false;
  const at = v === 1 ? 24 : 28;
  if (b.length < at + 6) return false;
  const c0 = b[at]!;
  const isPath =
    b[at + 1] === 0 &&
    b[at + 3] === 0 &&
    b[at + 5] === 0 &&
    ((((c0 | 0x20) >= 0x61 && (c0 | 0x20) <= 0x7a) && b[at + 2] === 0x3a && b[at + 4] === 0x5c) || (c0 === 0x5c && b[at + 2] === 0x5c));
  return isPath;
}

/** XP `INFO2` (Recycler): version 5, record size 800. */
export function looksLikeInfo2(b: Uint8Array): boolean {
  return b.length >= 20 && b[0] === 5 && b[1] === 0 && b[2] === 0 && b[3] === 0 && b[12] === 0x20 && b[13] === 3 && b[14] === 0 && b[15] === 0;
}

/**
 * The real type of a file. `head` is its first bytes (64 KiB is plenty for most formats) or the
 * whole file (then zip and OLE are told apart exactly); `name` is only a tie-break.
 */
export function sniffDocument(head: Uint8Array, name?: string): DocFormat {
  const ext = extOf(name);
  if (head.length === 0) return 'unknown';
  // containers
  if (startsWith(head, [0x50, 0x4b]) && (startsWith(head, [3, 4], 2) || startsWith(head, [5, 6], 2) || startsWith(head, [7, 8], 2))) {
    const { names, firstData } = zipNamesFromHead(head, 4096);
    const mimetype = names[0] === 'mimetype' && firstData ? ascii(firstData, 0, firstData.length) : undefined;
    const k = zipKind(names, mimetype, ext);
    if (k === 'zip' && names.length <= 1) {
      if (ext === 'ofd') return 'ofd';
      if (OOXML_EXT[ext]) return OOXML_EXT[ext]!;
    }
    return k;
  }
  if (startsWith(head, OLE_MAGIC)) {
    const root = oleRootNames(head);
    return oleKind(root ?? oleStreamNames(head), ext, root !== null);
  }
  // tar before the checks below: its first bytes are a member's name and its second block that
  // member's content, so a tar of a PDF (or of a file named "MZ…") would be taken for that member
  if (looksLikeTar(head)) return 'tar';
  const pdfAt = ascii(head, 0, 1024).indexOf('%PDF-');
  if (pdfAt >= 0) return 'pdf';
  const bom = bomOf(head);
  const skip = bom?.label === 'utf-8' ? 3 : 0;
  if (ascii(head, skip, skip + 5) === '{\\rtf') return 'rtf';
  if (looksLikeRecycleInfo(head)) return 'recycle-info';
  if (looksLikeInfo2(head) && (ext === '' || /^info2?$/i.test(name ? name.replace(/^.*[\\/]/, '') : ''))) return 'recycle-info';
  // pictures
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47]) || startsWith(head, [0xff, 0xd8, 0xff]) || ascii(head, 0, 4) === 'GIF8') return 'image';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0]) || startsWith(head, [0x4d, 0x4d, 0, 0x2a])) return 'image';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image';
  if (ascii(head, 0, 2) === 'BM' && head.length > 26 && head[14]! >= 12 && head[15] === 0 && ['bmp', 'dib', ''].includes(ext)) return 'image';
  // archives and other binaries
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (ascii(head, 0, 6) === 'Rar!\x1a\x07') return 'rar';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  // ar archives (static libraries .a, .deb packages): a text-like header, binary members
  if (ascii(head, 0, 8) === '!<arch>\n' || ascii(head, 0, 8) === '!<thin>\n') return 'binary';
  if (
    ascii(head, 0, 2) === 'MZ' ||
    ascii(head, 0, 4) === '\x7fELF' ||
    ascii(head, 0, 16) === 'SQLite format 3\0' ||
    ascii(head, 0, 4) === 'regf' ||
    ascii(head, 0, 3) === 'BZh' ||
    startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]) ||
    startsWith(head, [0x28, 0xb5, 0x2f, 0xfd]) ||
    ascii(head, 4, 8) === 'ftyp' ||
    ascii(head, 0, 4) === 'OggS' ||
    ascii(head, 0, 3) === 'ID3'
  )
    return 'binary';
  // text formats
  if (!looksLikeText(head)) return 'binary';
  const label = bom ? bom.label : guessUtf16(head) ?? 'utf-8';
  let text = decodeAs(head.subarray(bom?.length ?? 0, Math.min(head.length, 16384)), label);
  if (label === 'utf-8' && text.includes('\uFFFD')) text = decodeAs(head.subarray(0, Math.min(head.length, 16384)), 'gb18030');
  if (text.trimStart().startsWith('{\\rtf')) return 'rtf';
  if (looksLikeMail(text)) return 'eml';
  if (looksLikeHtml(text)) return 'html';
  if (looksLikeXml(text)) return ext === 'htm' || ext === 'html' || ext === 'xhtml' ? 'html' : 'xml';
  return 'text';
}
