/**
 * Word 97-2003 binary (.doc, and .wps from WPS Office 2003+, which writes the same format).
 *
 * FIB → table stream (`1Table`/`0Table` by flag 0x0200 at 0x0A) → Clx at fcClx/lcbClx → PlcPcd:
 * each piece is UTF-16LE at fc, or 8-bit (cp1252) at fc/2 when bit 30 of fc is set. The document
 * text is one character-position space holding, in order, the main text, footnotes, headers and
 * footers, (macro), comments, endnotes, text boxes and header text boxes, with their lengths in
 * the FIB (ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx). Field
 * instructions (between 0x13 and 0x14) are dropped; field results are kept.
 */
import type { Ctx } from './context.js';
import { decodeAs } from './text.js';
import { u16, u32 } from './bytes.js';


export interface Fib {
  ident: number;
  flags: number;
  encrypted: boolean;
  obfuscated: boolean;
  tableName: '0Table' | '1Table';
  ccp: number[]; // ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx
  fcClx: number;
  lcbClx: number;
}

export function readFib(w: Uint8Array): Fib | null {
  if (w.length < 0x200) return null;
  const ident = u16(w, 0);
  if (ident !== 0xa5ec && ident !== 0xa5dc) return null;
  const flags = u16(w, 0x0a);
  const csw = u16(w, 0x20);
  const rgLw = 0x22 + csw * 2 + 2;
  const cslw = u16(w, 0x22 + csw * 2);
  const ccp: number[] = [];
  for (let i = 0; i < 8; i++) ccp.push(u32(w, rgLw + (3 + i) * 4));
  const blob = rgLw + cslw * 4 + 2;
  return {
    ident,
    flags,
    encrypted: (flags & 0x0100) !== 0,
    obfuscated: (flags & 0x8000) !== 0,
    tableName: flags & 0x0200 ? '1Table' : '0Table',
    ccp,
    fcClx: u32(w, blob + 33 * 8),
    lcbClx: u32(w, blob + 33 * 8 + 4),
  };
}

interface Piece {
  cpStart: number;
  cpEnd: number;
  fc: number;
  compressed: boolean;
}

export function readPieces(table: Uint8Array, fcClx: number, lcbClx: number): Piece[] {
  const end = Math.min(table.length, fcClx + lcbClx);
  let p = fcClx;
  while (p < end) {
    const clxt = table[p];
    if (clxt === 0x01) {
      p += 3 + u16(table, p + 1); // Prc: cbGrpprl + grpprl
    } else if (clxt === 0x02) {
      const lcb = u32(table, p + 1);
      const start = p + 5;
      const n = Math.floor((lcb - 4) / 12);
      if (n <= 0 || start + lcb > table.length) throw new Error('piece table runs past the table stream');
      const pieces: Piece[] = [];
      for (let i = 0; i < n; i++) {
        const cpStart = u32(table, start + i * 4);
        const cpEnd = u32(table, start + (i + 1) * 4);
        const pcd = start + (n + 1) * 4 + i * 8;
        const fcRaw = u32(table, pcd + 2);
        const compressed = (fcRaw & 0x40000000) !== 0;
        const fc = fcRaw & 0x3fffffff;
        if (cpEnd > cpStart) pieces.push({ cpStart, cpEnd, fc: compressed ? fc / 2 : fc, compressed });
      }
      return pieces;
    } else {
      throw new Error(`bad Clx entry type ${clxt ?? 'EOF'}`);
    }
  }
  throw new Error('no piece table in the Clx');
}

const cp1252 = new TextDecoder('windows-1252');

/** The raw character stream [0, cpLimit) assembled from the pieces. */
export function assembleText(word: Uint8Array, pieces: Piece[], cpLimit: number): string {
  const chunks: string[] = [];
  let cp = 0;
  for (const pc of [...pieces].sort((a, b) => a.cpStart - b.cpStart)) {
    if (pc.cpStart >= cpLimit) break;
    if (pc.cpStart > cp) chunks.push(' '.repeat(Math.min(pc.cpStart - cp, 1 << 20)));
    const n = Math.min(pc.cpEnd, cpLimit) - pc.cpStart;
    if (pc.compressed) {
      const s = Math.min(word.length, pc.fc);
      chunks.push(cp1252.decode(word.subarray(s, Math.min(word.length, s + n))));
    } else {
      const s = Math.min(word.length, pc.fc);
      const e = Math.min(word.length, pc.fc + n * 2) & ~1;
      chunks.push(Buffer.from(word.buffer, word.byteOffset + s, Math.max(0, e - s)).toString('utf16le'));
    }
    cp = pc.cpStart + n;
  }
  return chunks.join('');
}

/** Word's special characters → plain text; field instructions removed. */
export function cleanWordText(s: string): string {
  const out: string[] = [];
  // field stack: true while inside an instruction (before its separator)
  const fields: boolean[] = [];
  let run = 0;
  const flush = (i: number): void => {
    if (i > run) out.push(s.slice(run, i));
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20) {
      if (fields.length && fields[fields.length - 1]) run = i + 1;
      continue;
    }
    flush(i);
    run = i + 1;
    const inInstr = fields.length > 0 && fields[fields.length - 1];
    switch (c) {
      case 0x13:
        fields.push(true);
        break;
      case 0x14:
        if (fields.length) fields[fields.length - 1] = false;
        break;
      case 0x15:
        fields.pop();
        break;
      default:
        if (inInstr) break;
        if (c === 0x0d || c === 0x0b || c === 0x0c || c === 0x0e) out.push('\n');
        else if (c === 0x07) out.push('\t');
        else if (c === 0x09) out.push('\t');
        else if (c === 0x1e) out.push('-');
        else if (c === 0x0a) out.push('\n');
    }
  }
  flush(s.length);
  return out.join('').replace(/\t\n/g, '\n');
}

const STORIES = ['body', 'footnotes', 'headers', 'macro', 'comments', 'endnotes', 'textboxes', 'header-textboxes'];

/** Extracts all stories; `stream(name)` gives an OLE stream's bytes. */
export function extractWordBinary(stream: (name: string) => Uint8Array | undefined, ctx: Ctx, prefix = ''): void {
  const word = stream('WordDocument');
  if (!word) {
    ctx.gap('corrupt', 'WordDocument stream missing');
    return;
  }
  const fib = readFib(word);
  if (!fib) {
    ctx.gap('corrupt', 'WordDocument stream has no valid FIB');
    return;
  }
  if (fib.encrypted || fib.obfuscated) {
    ctx.gap('encrypted', fib.obfuscated ? 'Word document is XOR-obfuscated (password protected)' : 'Word document is encrypted (password protected)');
    return;
  }
  if (fib.ident === 0xa5dc) {
    // Word 6/95: text is 8-bit between fcMin and fcMac (no piece table for simple files)
    const fcMin = u32(word, 0x18);
    const fcMac = u32(word, 0x1c);
    const bytes = word.subarray(Math.min(fcMin, word.length), Math.min(fcMac, word.length));
    ctx.part(`${prefix}body`, cleanWordText(decodeAs(bytes, 'gb18030')));
    ctx.gap('partial', 'Word 6/95 file: text read as one 8-bit block (GB18030), stories not separated');
    return;
  }
  const table = stream(fib.tableName);
  if (!table) {
    ctx.gap('corrupt', `${fib.tableName} stream missing`);
    return;
  }
  const pieces = readPieces(table, fib.fcClx, fib.lcbClx);
  const total = fib.ccp.reduce((a, b) => a + b, 0);
  const limit = Math.min(total + 1, Math.max(...pieces.map((p) => p.cpEnd)));
  if (limit > ctx.maxTextChars) ctx.gap('partial', 'document text longer than the text cap');
  const raw = assembleText(word, pieces, Math.min(limit, ctx.maxTextChars));
  let cp = 0;
  fib.ccp.forEach((n, i) => {
    if (n > 0 && STORIES[i] !== 'macro') ctx.part(`${prefix}${STORIES[i]}`, cleanWordText(raw.slice(cp, cp + n)));
    cp += n;
  });
  if (raw.length < Math.min(total, ctx.maxTextChars) - 1) ctx.gap('corrupt', `piece table covers ${raw.length} of ${total} characters`);
}
