/**
 * Excel 97-2003 (BIFF8) and Excel 5/95 (BIFF5) workbooks (.xls, WPS .et).
 *
 * Workbook globals: BOUNDSHEET8 (sheet names), SST (shared strings, read across CONTINUE records
 * with the per-record high-byte flag), CODEPAGE, FILEPASS (→ gap `encrypted`). Each sheet
 * substream: LABELSST, LABEL, RSTRING, STRING (formula results) in row order, HEADER/FOOTER, and
 * TXO + CONTINUE (comments and text boxes).
 */
import type { Ctx } from './context.js';
import { codepageLabel, decodeAs } from './text.js';
import { u16, u32 } from './bytes.js';


interface Rec {
  type: number;
  off: number; // offset of the record header in the stream
  data: Uint8Array;
}

function* records(s: Uint8Array): Generator<Rec> {
  let p = 0;
  while (p + 4 <= s.length) {
    const type = u16(s, p);
    const len = u16(s, p + 2);
    if (p + 4 + len > s.length) {
      yield { type, off: p, data: s.subarray(p + 4) };
      return;
    }
    yield { type, off: p, data: s.subarray(p + 4, p + 4 + len) };
    p += 4 + len;
  }
}

/** Reads across a record and its CONTINUE records. */
class SegReader {
  private seg = 0;
  private off = 0;
  constructor(private readonly segs: Uint8Array[]) {}
  private cur(): Uint8Array | undefined {
    while (this.seg < this.segs.length && this.off >= this.segs[this.seg]!.length) {
      this.seg++;
      this.off = 0;
    }
    return this.segs[this.seg];
  }
  eof(): boolean {
    return this.cur() === undefined;
  }
  u8(): number {
    const c = this.cur();
    if (!c) throw new RangeError('end of record');
    return c[this.off++]!;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u16() + this.u16() * 0x10000) >>> 0;
  }
  skip(n: number): void {
    while (n > 0) {
      const c = this.cur();
      if (!c) throw new RangeError('end of record');
      const k = Math.min(n, c.length - this.off);
      this.off += k;
      n -= k;
    }
  }
  /** `cch` characters; crossing into a CONTINUE record re-reads the high-byte flag. */
  chars(cch: number, high: boolean): string {
    const parts: string[] = [];
    let need = cch;
    while (need > 0) {
      let c = this.segs[this.seg];
      if (!c) throw new RangeError('string runs past the record');
      if (this.off >= c.length) {
        // the characters continue in the next CONTINUE record, which starts with a flag byte
        this.seg++;
        this.off = 0;
        c = this.segs[this.seg];
        if (!c || c.length === 0) throw new RangeError('string runs past the record');
        high = (c[this.off++]! & 1) === 1;
        continue;
      }
      const avail = high ? (c.length - this.off) >> 1 : c.length - this.off;
      if (avail <= 0) {
        this.off = c.length;
        continue;
      }
      const k = Math.min(need, avail);
      if (high) {
        parts.push(Buffer.from(c.buffer, c.byteOffset + this.off, k * 2).toString('utf16le'));
        this.off += k * 2;
      } else {
        parts.push(Buffer.from(c.buffer, c.byteOffset + this.off, k).toString('latin1'));
        this.off += k;
      }
      need -= k;
    }
    return parts.join('');
  }
  /** XLUnicodeRichExtendedString (SST entries). */
  richString(): string {
    const cch = this.u16();
    const flags = this.u8();
    const rich = flags & 0x08 ? this.u16() : 0;
    const ext = flags & 0x04 ? this.u32() : 0;
    const s = this.chars(cch, (flags & 1) === 1);
    if (rich) this.skip(rich * 4);
    if (ext) this.skip(ext);
    return s;
  }
}

/** XLUnicodeString at `o` within one record: cch u16, flags u8, chars. */
function xlString(d: Uint8Array, o: number, biff5: boolean, cp: string): string {
  const cch = u16(d, o);
  if (biff5) return decodeAs(d.subarray(o + 2, o + 2 + cch), cp);
  const flags = d[o + 2] ?? 0;
  let p = o + 3;
  if (flags & 0x08) p += 2;
  if (flags & 0x04) p += 4;
  if (flags & 1) return Buffer.from(d.buffer, d.byteOffset + p, Math.min(cch * 2, Math.max(0, d.length - p)) & ~1).toString('utf16le');
  return Buffer.from(d.buffer, d.byteOffset + p, Math.min(cch, Math.max(0, d.length - p))).toString('latin1');
}

interface Sheet {
  name: string;
  pos: number;
  type: number;
}

export function extractBiff(book: Uint8Array, ctx: Ctx): void {
  const recs = [...records(book)];
  if (!recs.length || recs[0]!.type !== 0x0809) {
    // BIFF2-4 BOFs are 0x0009/0x0209/0x0409
    ctx.gap('unsupported', 'workbook stream does not start with a BIFF5/BIFF8 BOF record');
    return;
  }
  const biff5 = u16(recs[0]!.data, 0) === 0x0500;
  let cp = 'windows-1252';
  const sheets: Sheet[] = [];
  const sst: string[] = [];
  // --- globals
  let i = 1;
  for (; i < recs.length; i++) {
    const r = recs[i]!;
    if (r.type === 0x000a) break; // EOF of globals
    if (r.type === 0x002f) {
      ctx.gap('encrypted', 'workbook is encrypted (FILEPASS record): password protected, or write-protected with the default password');
      return;
    }
    if (r.type === 0x0042) cp = codepageLabel(u16(r.data, 0)) ?? cp;
    else if (r.type === 0x0085) {
      const pos = u32(r.data, 0);
      const type = r.data[5] ?? 0;
      const cch = r.data[6] ?? 0;
      let name: string;
      if (biff5) name = decodeAs(r.data.subarray(7, 7 + cch), cp);
      else {
        const high = ((r.data[7] ?? 0) & 1) === 1;
        name = high ? Buffer.from(r.data.buffer, r.data.byteOffset + 8, Math.min(cch * 2, r.data.length - 8) & ~1).toString('utf16le') : Buffer.from(r.data.buffer, r.data.byteOffset + 8, Math.min(cch, r.data.length - 8)).toString('latin1');
      }
      sheets.push({ name, pos, type });
    } else if (r.type === 0x00fc) {
      const segs = [r.data.subarray(8)];
      const total = u32(r.data, 4);
      let j = i + 1;
      while (j < recs.length && recs[j]!.type === 0x003c) segs.push(recs[j++]!.data);
      const rd = new SegReader(segs);
      try {
        for (let k = 0; k < total && !rd.eof(); k++) sst.push(rd.richString());
      } catch {
        ctx.gap('corrupt', `shared string table ends early (${sst.length} of ${total} strings read)`);
      }
    }
  }
  if (sheets.length) {
    ctx.part('sheet-names', sheets.map((s) => s.name).join('\n'));
    ctx.meta.pages = sheets.length;
  }
  const used = new Uint8Array(sst.length);
  const byPos = new Map(sheets.map((s) => [s.pos, s]));
  // --- sheet substreams
  let sheetIdx = -1;
  let depth = 0;
  let name = '';
  let lines: string[] = [];
  let row: string[] = [];
  let lastRow = -1;
  let hf: string[] = [];
  let notes: string[] = [];
  const flushSheet = (): void => {
    if (row.length) lines.push(row.join('\t'));
    if (name) {
      ctx.part(`sheet:${name}`, lines.join('\n'));
      ctx.part(`header-footer:${name}`, hf.join('\n'));
      ctx.part(`comments:${name}`, notes.join('\n'));
    }
    lines = [];
    row = [];
    lastRow = -1;
    hf = [];
    notes = [];
  };
  const cell = (rw: number, text: string): void => {
    if (rw !== lastRow && row.length) {
      lines.push(row.join('\t'));
      row = [];
    }
    lastRow = rw;
    if (text) row.push(text);
  };
  for (i = i + 1; i < recs.length; i++) {
    const r = recs[i]!;
    const d = r.data;
    if (r.type === 0x0809) {
      depth++;
      if (depth === 1) {
        sheetIdx++;
        const s = byPos.get(r.off) ?? sheets[sheetIdx];
        name = s?.name ?? `#${sheetIdx + 1}`;
      }
      continue;
    }
    if (r.type === 0x000a) {
      depth--;
      if (depth === 0) flushSheet();
      if (depth < 0) depth = 0;
      continue;
    }
    if (depth !== 1) continue;
    switch (r.type) {
      case 0x00fd: {
        const isst = u32(d, 6);
        if (isst < sst.length) {
          used[isst] = 1;
          cell(u16(d, 0), sst[isst]!);
        }
        break;
      }
      case 0x0204:
      case 0x00d6:
        cell(u16(d, 0), xlString(d, 6, biff5, cp));
        break;
      case 0x0207:
        cell(lastRow, xlString(d, 0, biff5, cp));
        break;
      case 0x0014:
      case 0x0015:
        if (d.length > 0) {
          const s = biff5 ? decodeAs(d.subarray(1, 1 + (d[0] ?? 0)), cp) : xlString(d, 0, false, cp);
          const t = s.replace(/&&/g, '\u0000').replace(/&[LCR]/g, '\t').replace(/&"[^"]*"/g, '').replace(/&\d+/g, '').replace(/&[PNDTFAZGBIUESXYHOK]/g, '').replace(/\u0000/g, '&').trim();
          if (t) hf.push(t);
        }
        break;
      case 0x01b6: {
        const cch = u16(d, 10);
        const segs: Uint8Array[] = [];
        let j = i + 1;
        while (j < recs.length && recs[j]!.type === 0x003c) segs.push(recs[j++]!.data);
        if (cch > 0 && segs.length) {
          try {
            const first = segs[0]!;
            const rd = new SegReader([first.subarray(1), ...segs.slice(1)]);
            notes.push(rd.chars(cch, ((first[0] ?? 0) & 1) === 1));
          } catch {
            /* damaged text object: skip */
          }
        }
        break;
      }
    }
  }
  if (depth > 0) flushSheet();
  const unused: string[] = [];
  for (let k = 0; k < sst.length; k++) if (!used[k]) unused.push(sst[k]!);
  ctx.part('shared-strings#unreferenced', unused.join('\n'));
}
