/**
 * Character encodings: BOM, UTF-16 without BOM, strict UTF-8, GB18030 (superset of GBK/GB2312),
 * and Windows code pages by number. Node 20 has full ICU, so TextDecoder knows gb18030, big5, …
 */

import { isUtf8 as isUtf8Native } from 'node:buffer';

const decoders = new Map<string, TextDecoder | null>();

/** A TextDecoder for a WHATWG label, or null when the label is unknown. Cached. */
export function decoderFor(label: string): TextDecoder | null {
  const key = label.trim().toLowerCase();
  let d = decoders.get(key);
  if (d === undefined) {
    try {
      // GB2312/GBK text in the wild uses GBK/GB18030 characters: decode with the superset.
      const real = key === 'gb2312' || key === 'gbk' || key === 'cp936' || key === 'x-gbk' || key === 'euc-cn' ? 'gb18030' : key;
      d = new TextDecoder(real);
    } catch {
      d = null;
    }
    decoders.set(key, d);
  }
  return d;
}

/** Decodes with a charset label; unknown labels fall back to `fallback` (default GB18030). */
export function decodeAs(bytes: Uint8Array, label: string | undefined, fallback = 'gb18030'): string {
  const d = (label && decoderFor(label)) || decoderFor(fallback) || decoderFor('utf-8')!;
  return d.decode(bytes);
}

/** Strict UTF-8 (no overlongs, no surrogates): one SIMD pass, no decoding. */
export function isUtf8(bytes: Uint8Array): boolean {
  return isUtf8Native(bytes);
}

/** Valid UTF-8, allowing a multi-byte sequence cut off at the very end (a head of a file). */
export function isUtf8Prefix(bytes: Uint8Array): boolean {
  if (isUtf8(bytes)) return true;
  // drop up to 3 trailing bytes of an unfinished sequence
  for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
    const b = bytes[bytes.length - cut]!;
    if ((b & 0xc0) === 0xc0) return isUtf8(bytes.subarray(0, bytes.length - cut));
    if ((b & 0xc0) !== 0x80) break;
  }
  return false;
}

export function bomOf(bytes: Uint8Array): { label: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', length: 2 };
  return undefined;
}

/** Windows code page number → WHATWG label. */
export function codepageLabel(cp: number): string | undefined {
  switch (cp) {
    case 936:
    case 54936:
      return 'gb18030';
    case 950:
      return 'big5';
    case 932:
      return 'shift_jis';
    case 949:
      return 'euc-kr';
    case 65001:
      return 'utf-8';
    case 1200:
      return 'utf-16le';
    case 1201:
      return 'utf-16be';
    case 20127:
      return 'us-ascii';
    case 28591:
      return 'iso-8859-1';
    case 10000:
      return 'macintosh';
    case 874:
      return 'windows-874';
    default:
      if (cp >= 1250 && cp <= 1258) return `windows-${cp}`;
      if (cp >= 28592 && cp <= 28606) return `iso-8859-${cp - 28590}`;
      return undefined;
  }
}

/** RTF / Windows font charset number → code page. */
export function charsetCodepage(charset: number): number | undefined {
  switch (charset) {
    case 0:
      return 1252;
    case 128:
      return 932;
    case 129:
      return 949;
    case 134:
      return 936;
    case 136:
      return 950;
    case 161:
      return 1253;
    case 162:
      return 1254;
    case 177:
      return 1255;
    case 178:
      return 1256;
    case 186:
      return 1257;
    case 204:
      return 1251;
    case 222:
      return 874;
    case 238:
      return 1250;
    default:
      return undefined;
  }
}

/** Share of characters that look like real text (CJK, ASCII printable, common punctuation). */
function plausibility(s: string): number {
  let good = 0;
  let n = 0;
  for (let i = 0; i < s.length && n < 4096; i++) {
    const c = s.charCodeAt(i);
    n++;
    if (
      (c >= 0x20 && c < 0x7f) ||
      c === 0x09 ||
      c === 0x0a ||
      c === 0x0d ||
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0x3000 && c <= 0x303f) ||
      (c >= 0xff00 && c <= 0xffef) ||
      (c >= 0x2000 && c <= 0x27bf) ||
      (c >= 0xa0 && c <= 0x17f)
    )
      good++;
  }
  return n === 0 ? 0 : good / n;
}

/** Share of CJK characters (ideographs, CJK punctuation, full-width forms). */
function cjkShare(s: string): number {
  let n = 0;
  let c = 0;
  for (let i = 0; i < s.length && n < 4096; i++, n++) {
    const x = s.charCodeAt(i);
    if ((x >= 0x4e00 && x <= 0x9fff) || (x >= 0x3000 && x <= 0x303f) || (x >= 0xff00 && x <= 0xffef) || (x >= 0x3400 && x <= 0x4dbf)) c++;
  }
  return n === 0 ? 0 : c / n;
}

/** UTF-16 without BOM: by the NUL-byte pattern, or (all-CJK text) by which decoding reads as text. */
export function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 8192) & ~1;
  if (n < 4) return undefined;
  // no NUL at all (nearly all text): neither the NUL pattern nor the all-CJK test below applies
  if (Buffer.from(bytes.buffer, bytes.byteOffset, n).indexOf(0) < 0) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.1 && evenZero < pairs * 0.01) return 'utf-16le';
  if (evenZero > pairs * 0.1 && oddZero < pairs * 0.01) return 'utf-16be';
  // all-CJK UTF-16 has no NULs: accept when the decoding reads as text and GB18030 does not
  if (oddZero + evenZero === 0 || n < 8) return undefined;
  const sl = decodeAs(bytes.subarray(0, n), 'utf-16le');
  const sb = decodeAs(bytes.subarray(0, n), 'utf-16be');
  const le = plausibility(sl);
  const be = plausibility(sb);
  if (le > 0.95 && le > be && cjkShare(sl) > 0.3) return 'utf-16le';
  if (be > 0.95 && cjkShare(sb) > 0.3) return 'utf-16be';
  return undefined;
}

export interface DecodedText {
  text: string;
  encoding: string;
}

/**
 * Decodes a plain-text file: BOM → UTF-16 by NUL pattern → strict UTF-8 → GB18030 (or UTF-16 when
 * that reads better, for BOM-less all-CJK UTF-16).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bomOf(bytes);
  if (bom) return { text: decodeAs(bytes.subarray(bom.length), bom.label), encoding: bom.label };
  const u16 = guessUtf16(bytes);
  if (u16) return { text: decodeAs(bytes, u16), encoding: u16 };
  if (isUtf8(bytes)) return { text: decodeAs(bytes, 'utf-8'), encoding: 'utf-8' };
  const gb = decodeAs(bytes, 'gb18030');
  if (bytes.length % 2 === 0) {
    const pg = plausibility(gb);
    if (pg < 0.9) {
      const le = decodeAs(bytes, 'utf-16le');
      const be = decodeAs(bytes, 'utf-16be');
      const pl = plausibility(le);
      const pb = plausibility(be);
      if (pl > pg && pl >= pb && pl > 0.9 && cjkShare(le) > 0.3) return { text: le, encoding: 'utf-16le' };
      if (pb > pg && pb > 0.9 && cjkShare(be) > 0.3) return { text: be, encoding: 'utf-16be' };
    }
  }
  return { text: gb, encoding: 'gb18030' };
}

/** BOM-less, NUL-less UTF-16 (all CJK): the UTF-16LE reading is text and the GB18030 one is not. */
function utf16Plausible(b: Uint8Array): boolean {
  const n = b.length & ~1;
  if (n < 8) return false;
  const s = decodeAs(b.subarray(0, n), 'utf-16le');
  const le = plausibility(s);
  return le > 0.95 && cjkShare(s) > 0.5 && le > plausibility(decodeAs(b.subarray(0, n), 'gb18030'));
}

/** A NUL or a control byte other than tab, line feed, carriage return, form feed and escape. */
const CONTROL_BYTE = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/;

/** Does a head of bytes look like text (not binary)? */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  if (bomOf(head)) return true;
  if (guessUtf16(head)) return true;
  const n = Math.min(head.length, 8192);
  let ctl = 0;
  // nearly all text has no NUL or control byte: one regex pass (native) instead of the loop
  const controls = CONTROL_BYTE.test(latin1(head.subarray(0, n)));
  for (let i = 0; controls && i < n; i++) {
    const b = head[i]!;
    if (b === 0) return utf16Plausible(head.subarray(0, n));
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) ctl++;
  }
  if (ctl > n * 0.01) return utf16Plausible(head.subarray(0, n));
  if (isUtf8Prefix(head.subarray(0, n))) return true;
  // not UTF-8: accept when the GB18030 reading is mostly plausible text
  return plausibility(decodeAs(head.subarray(0, n), 'gb18030')) > 0.8;
}

/** Latin-1 view of bytes (one char per byte), for byte-exact parsing of mixed-encoding formats. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function latin1Bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** UTF-16LE string from bytes (odd trailing byte ignored). */
export function utf16le(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end > bytes.length) end = bytes.length;
  if (start >= end) return '';
  const len = (end - start) & ~1;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, len).toString('utf16le');
}

/** Drops a trailing NUL and everything after it. */
export function cutNul(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** The extension of a name, lower case without the dot ('' when none). */
export function extOf(name: string | undefined): string {
  if (!name) return '';
  const base = baseName(name);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i + 1).toLowerCase();
}

export function baseName(name: string): string {
  const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return i < 0 ? name : name.slice(i + 1);
}
