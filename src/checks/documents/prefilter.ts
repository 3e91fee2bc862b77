// Byte-level prefilter for plain text: before any decoding, look for one character of every
// marking keyword (and unit keyword) as raw bytes in each encoding a text file may use — UTF-8,
// GBK/GB18030, UTF-16LE/BE. A file with none of them cannot hold a marking, whatever its
// encoding, so it is not decoded at all. (gitleaks' lesson: literal checks before regexes.)
// Each keyword's needle is a single character of it, so spacing or line breaks between the
// characters of a marking cannot hide it from the prefilter.

import { isAscii } from 'node:buffer';
import { looksLikeTar } from '../../formats/docs/tar.js';

let gbkChars: string[] | undefined;

/**
 * GBK bytes of a character. TextDecoder decodes GBK but nothing encodes it: every two-byte code
 * is decoded once (each followed by a newline, so that an invalid pair cannot shift the rest) and
 * the character is looked up by position.
 */
function gbk(ch: string): Uint8Array | undefined {
  if (gbkChars === undefined) {
    const pairs = new Uint8Array(126 * 190 * 3);
    let n = 0;
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        pairs[n++] = a;
        pairs[n++] = b;
        pairs[n++] = 0x0a;
      }
    }
    gbkChars = new TextDecoder('gbk').decode(pairs.subarray(0, n)).split('\n');
  }
  const k = ch === '\ufffd' ? -1 : gbkChars.indexOf(ch);
  if (k < 0) return undefined;
  // pair k: lead 0x81 + k / 190, trail 0x40 + k % 190 skipping 0x7f
  const lead = 0x81 + Math.floor(k / 190);
  const t = k % 190;
  return new Uint8Array([lead, t < 0x3f ? 0x40 + t : 0x41 + t]);
}

/** GBK bytes of a character (undefined when GBK has no two-byte code for it). */
export function gbkBytes(ch: string): Buffer | undefined {
  const g = ch.length === 1 && ch.charCodeAt(0) < 0x80 ? Buffer.from(ch, 'latin1') : gbk(ch);
  return g ? Buffer.from(g) : undefined;
}

/** The character that stands for a keyword: 密 when it has one (every state-secret level does), else its first. */
export function needleChar(keyword: string): string {
  if (keyword.includes('密')) return '密';
  const first = [...keyword][0] ?? '';
  return first;
}

function fullWidth(ch: string): string | undefined {
  const c = ch.codePointAt(0)!;
  return c >= 0x21 && c <= 0x7e ? String.fromCodePoint(c + 0xfee0) : undefined;
}

/** Byte patterns to look for, in every encoding, for these keywords. */
export function byteNeedles(keywords: readonly string[]): Buffer[] {
  const out = new Map<string, Buffer>();
  for (const ch of needleChars(keywords)) {
    const forms: Uint8Array[] = [Buffer.from(ch, 'utf8'), Buffer.from(ch, 'utf16le'), Buffer.from(ch, 'utf16le').swap16()];
    const g = gbk(ch);
    if (g) forms.push(g);
    for (const f of forms) out.set(Buffer.from(f).toString('hex'), Buffer.from(f));
  }
  return [...out.values()];
}

/** True when any needle occurs in the bytes (Buffer.indexOf: a fast native search). */
export function mayHoldKeyword(bytes: Buffer, needles: readonly Buffer[]): boolean {
  // Pure ASCII bytes (source, logs) cannot hold a needle that has a byte ≥ 0x80 — every CJK one
  // in every encoding does — so one SIMD pass (isAscii) replaces a search per needle.
  const ascii = isAscii(bytes);
  for (const n of needles) {
    if (ascii && !isAscii(n)) continue;
    if (bytes.indexOf(n) >= 0) return true;
  }
  return false;
}

/**
 * Escapes that can spell a character without its bytes: HTML/XML numeric entities (also in
 * UTF-16), MIME encoded words, RTF \uN and \'hh. (Base64 and quoted-printable bodies come with a
 * mail header, which the walk checks for separately.)
 */
const ESCAPES = [Buffer.from('&#', 'latin1'), Buffer.from('&\0#\0', 'latin1'), Buffer.from('\0&\0#', 'latin1'), Buffer.from('=?', 'latin1'), Buffer.from('\\u', 'latin1'), Buffer.from("\\'", 'latin1')];
const PDF = Buffer.from('%PDF-', 'latin1');

/**
 * Starts of containers whose text is compressed or encoded: zip (PK 03 04 / 05 06 / 07 08), PDF,
 * OLE, RTF, gzip, rar, 7z, tar (v7 too). Plain byte tests: this runs on every file of the disk.
 */
export function hasContainerMagic(h: Buffer): boolean {
  const b0 = h[0];
  const b1 = h[1];
  if (b0 === 0x50 && b1 === 0x4b && ((h[2] === 3 && h[3] === 4) || (h[2] === 5 && h[3] === 6) || (h[2] === 7 && h[3] === 8))) return true;
  if (b0 === 0xd0 && b1 === 0xcf && h[2] === 0x11 && h[3] === 0xe0) return true;
  if (b0 === 0x7b && b1 === 0x5c && h[2] === 0x72 && h[3] === 0x74 && h[4] === 0x66) return true; // {\rtf
  if (b0 === 0x1f && b1 === 0x8b) return true;
  if (b0 === 0x52 && b1 === 0x61 && h[2] === 0x72 && h[3] === 0x21) return true; // Rar!
  if (b0 === 0x37 && b1 === 0x7a && h[2] === 0xbc && h[3] === 0xaf) return true;
  // tar (ustar / GNU): members are stored as they are, but a .docx or .zip member is compressed
  if (h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72) return true;
  // a v7 tar has no magic: its magic field is zero (a cheap test before the header check)
  if (h.length >= 512 && h[257] === 0 && h[0] !== 0 && looksLikeTar(h)) return true;
  // A PDF may start with a little junk (the sniffer looks for %PDF- in the first KiB).
  return h.subarray(0, 1024 + PDF.length).indexOf(PDF) >= 0;
}

/**
 * Could the sniffer take this for HTML, XML or RTF — the formats whose escapes extraction decodes?
 * They need a `<` in their first 4096 characters, or a `{` first. (UTF-16 is left to mayBeMail.)
 */
export function mayBeMarkup(h: Buffer): boolean {
  if (h.subarray(0, 8192).indexOf(0x3c) >= 0) return true;
  let i = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf ? 3 : 0;
  while (h[i] === 0x20 || h[i] === 0x09 || h[i] === 0x0a || h[i] === 0x0d) i++;
  return h[i] === 0x7b;
}

/**
 * Could this be a mail message? The sniffer takes a file for mail only when its first line is a
 * header (\`Name: value\`) or an mbox \`From \` line, so anything else cannot be one. UTF-16 files are
 * left to the sniffer.
 */
export function mayBeMail(h: Buffer): boolean {
  let i = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf ? 3 : 0;
  if ((h[0] === 0xff && h[1] === 0xfe) || (h[0] === 0xfe && h[1] === 0xff) || h[1] === 0 || h[0] === 0) return true;
  if (h[i] === 0x46 && h[i + 1] === 0x72 && h[i + 2] === 0x6f && h[i + 3] === 0x6d && h[i + 4] === 0x20) return true; // From
  const start = i;
  while (i < h.length && h[i]! >= 0x21 && h[i]! <= 0x7e && h[i] !== 0x3a) i++;
  if (i === start) return false;
  while (h[i] === 0x20 || h[i] === 0x09) i++;
  return h[i] === 0x3a;
}

/** UTF-16 text without a BOM needs no escape check: each needle is searched in UTF-16 too. */
export function hasEscapes(bytes: Buffer): boolean {
  for (const e of ESCAPES) if (bytes.indexOf(e) >= 0) return true;
  return false;
}

/** The needle characters of these keywords as text (with full-width and case forms), for names. */
export function needleChars(keywords: readonly string[]): string[] {
  const chars = new Set<string>();
  for (const k of keywords) {
    const ch = needleChar(k);
    if (!ch) continue;
    chars.add(ch);
    const fw = fullWidth(ch);
    if (fw) chars.add(fw);
    if (/^[a-z]$/i.test(ch)) {
      chars.add(ch.toLowerCase());
      chars.add(ch.toUpperCase());
    }
  }
  return [...chars];
}

/** An encoding a needle is searched in (the label TextDecoder decodes it with). */
export type NeedleEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** One needle with what it stands for: the character, and the encoding its bytes are in. */
export interface NeedleForm {
  bytes: Buffer;
  encoding: NeedleEncoding;
  ch: string;
}

/** The needles of byteNeedles, each with its character and encoding (for decoding around a hit in a binary). */
export function needleForms(keywords: readonly string[]): NeedleForm[] {
  const out: NeedleForm[] = [];
  const seen = new Set<string>();
  for (const ch of needleChars(keywords)) {
    const forms: Array<[Uint8Array | undefined, NeedleEncoding]> = [
      [Buffer.from(ch, 'utf8'), 'utf-8'],
      [Buffer.from(ch, 'utf16le'), 'utf-16le'],
      [Buffer.from(ch, 'utf16le').swap16(), 'utf-16be'],
      [gbk(ch), 'gb18030'],
    ];
    for (const [b, encoding] of forms) {
      if (!b) continue;
      const key = `${encoding}:${Buffer.from(b).toString('hex')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ bytes: Buffer.from(b), encoding, ch });
    }
  }
  return out;
}

/**
 * What must stand next to a needle character for a keyword to be there: for each keyword holding
 * it, the keyword's character before it (`left`) and after it (`right`), folded (full-width →
 * ASCII, lower case). `any`: a keyword is that character alone (then no neighbour is needed).
 * Every match of the marking grammar contains a keyword (its loader checks), and the normaliser
 * only drops whitespace and zero-width characters between a keyword's characters: so a needle hit
 * with neither neighbour, whitespace skipped, cannot be part of a marking.
 */
export function needleNeighbours(keywords: readonly string[], ch: string): { left: Set<string>; right: Set<string>; any: boolean } {
  const left = new Set<string>();
  const right = new Set<string>();
  let any = false;
  const c = foldChar(ch);
  for (const k of keywords) {
    const chars = [...k].map(foldChar);
    for (let i = 0; i < chars.length; i++) {
      if (chars[i] !== c) continue;
      if (chars.length === 1) any = true;
      if (i > 0) left.add(chars[i - 1]!);
      if (i < chars.length - 1) right.add(chars[i + 1]!);
    }
  }
  return { left, right, any };
}

/** Full-width ASCII → ASCII, lower case (neighbour tests only: a superset of what the normaliser equates). */
export function foldChar(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0xff01 && c <= 0xff5e ? String.fromCodePoint(c - 0xfee0) : ch).toLowerCase();
}
