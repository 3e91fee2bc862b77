// Byte-level prefilter for plain text: before any decoding, look for one character of every
// marking keyword (and unit keyword) as raw bytes in each encoding a text file may use — UTF-8,
// GBK/GB18030, UTF-16LE/BE. A file with none of them cannot hold a marking, whatever its
// encoding, so it is not decoded at all. (gitleaks' lesson: literal checks before regexes.)
// Each keyword's needle is a single character of it, so spacing or line breaks between the
// characters of a marking cannot hide it from the prefilter.

import { isAscii } from 'node:buffer';

let gbkTable: Map<string, Uint8Array> | undefined;

/** GBK bytes of a character (TextDecoder decodes GBK; the reverse map is built once). */
function gbk(ch: string): Uint8Array | undefined {
  if (gbkTable === undefined) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const c = dec.decode(new Uint8Array([a, b]));
        if (c.length === 1 && c !== '\ufffd' && !gbkTable.has(c)) gbkTable.set(c, new Uint8Array([a, b]));
      }
    }
  }
  return gbkTable.get(ch);
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
  const chars = new Set<string>();
  for (const k of keywords) {
    const ch = needleChar(k);
    if (!ch) continue;
    chars.add(ch);
    const fw = fullWidth(ch);
    if (fw) chars.add(fw);
    if (/^[a-z]$/i.test(ch)) chars.add(ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
  }
  const out = new Map<string, Buffer>();
  for (const ch of chars) {
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

/** Starts of containers whose text is compressed or encoded (zip, PDF, OLE, RTF, gzip, rar, 7z). */
const CONTAINER_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('%PDF', 'latin1'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.from('{\\rtf', 'latin1'), Buffer.from([0x1f, 0x8b]), Buffer.from('Rar!', 'latin1'), Buffer.from([0x37, 0x7a, 0xbc, 0xaf])];
/** Escapes that can spell a character without its bytes: HTML entities, MIME encoded words, RTF. */
const ESCAPES = [Buffer.from('&#', 'latin1'), Buffer.from('=?', 'latin1'), Buffer.from('\\u', 'latin1'), Buffer.from("\\'", 'latin1'), Buffer.from('base64', 'latin1'), Buffer.from('quoted-printable', 'latin1')];

/**
 * True when the bytes may hide text from a raw byte search: a container format, or escapes that
 * write characters without their bytes. Such files always go through full extraction.
 */
export function needsExtraction(head: Buffer): boolean {
  return hasContainerMagic(head) || hasEscapes(head);
}

export function hasContainerMagic(head: Buffer): boolean {
  for (const m of CONTAINER_MAGIC) if (head.length >= m.length && head.subarray(0, m.length).equals(m)) return true;
  return false;
}

/** UTF-16 text without a BOM needs no escape check: each needle is searched in UTF-16 too. */
export function hasEscapes(bytes: Buffer): boolean {
  for (const e of ESCAPES) if (bytes.indexOf(e) >= 0) return true;
  return false;
}
