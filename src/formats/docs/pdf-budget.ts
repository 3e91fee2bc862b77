/**
 * A PDF's expansion budget, checked before the PDF engine (PDFium, pdf.ts) sees the file. A reader
 * decodes a stream whole (pdf.js, used before, doubled a buffer until the data ended): a 2 MB PDF
 * holding a 2 GiB Flate stream took a scan to 4.36 GB. So every stream is decoded here first, through its filter chain
 * (Flate, LZW, RunLength, ASCIIHex, ASCII85), by a decoder that counts and stops at the budget while
 * decoding (never inflate-then-check); declared object counts (object streams' /N, the cross
 * reference's /Size) are held to a budget too. Over a budget → a named gap, and PDFium is not run.
 *
 * Not screened: the image codecs (DCT, JPX, JBIG2, CCITT: decoded only to paint, not for text),
 * and the streams of an encrypted PDF (their bytes are ciphertext here) — for those, PDFium's own
 * memory cap (pdf.ts PDFIUM_HEAP_CAP) is the bound.
 */
import { constants as zc, createInflate, inflateSync } from 'node:zlib';
import type { GapKind } from './types.js';

export interface PdfBudget {
  /** Bytes one stream may decode to. */
  streamBytes: number;
  /** Bytes all streams other than images may decode to together. */
  totalBytes: number;
  /** Objects the file may declare (object streams' /N together, a cross-reference's /Size). */
  objects: number;
}

export const DEFAULT_PDF_BUDGET: PdfBudget = { streamBytes: 96 * 1024 * 1024, totalBytes: 384 * 1024 * 1024, objects: 4 * 1024 * 1024 };

export interface PdfOverBudget {
  kind: GapKind;
  reason: string;
}

const STREAM = Buffer.from('stream', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');

/** Bytes a zlib stream inflates to, counted as it inflates, stopping past `cap` (then cap + 1 or more). */
export function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  // small outputs are common: one synchronous call whose output is bounded while it inflates
  try {
    return Promise.resolve(inflateSync(data, { maxOutputLength: Math.min(cap + 1, 4 * 1024 * 1024), finishFlush: zc.Z_SYNC_FLUSH }).length);
  } catch {
    // bigger (or damaged): stream it, counting and dropping each piece
  }
  return new Promise((resolve) => {
    const z = createInflate({ chunkSize: 64 * 1024, finishFlush: zc.Z_SYNC_FLUSH });
    let n = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      z.destroy();
      resolve(n);
    };
    z.on('data', (c: Buffer) => {
      n += c.length;
      if (n > cap) finish();
    });
    z.on('end', finish);
    z.on('error', finish);
    z.on('close', finish);
    z.end(data);
  });
}

/** PDF LZW (12-bit codes, early change 1 by default); counts only, or keeps the output up to `cap`. */
export function lzwDecode(data: Uint8Array, cap: number, keep: boolean, earlyChange = 1): { size: number; out?: Buffer } {
  const prefix = new Int32Array(4096);
  const last = new Uint8Array(4096);
  const len = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    last[i] = i;
    len[i] = 1;
  }
  let next = 258;
  let bits = 9;
  let prev = -1;
  let size = 0;
  const chunks: Buffer[] = [];
  let acc = 0;
  let accBits = 0;
  const emit = (code: number): number => {
    const l = len[code]!;
    size += l;
    if (keep && size <= cap) {
      const b = Buffer.allocUnsafe(l);
      for (let c = code, k = l - 1; k >= 0; k--, c = prefix[c]!) b[k] = last[c]!;
      chunks.push(b);
    }
    let c = code;
    while (prefix[c]! >= 0) c = prefix[c]!;
    return last[c]!;
  };
  for (let i = 0; i < data.length && size <= cap; i++) {
    acc = (acc << 8) | data[i]!;
    accBits += 8;
    while (accBits >= bits && size <= cap) {
      const code = (acc >>> (accBits - bits)) & ((1 << bits) - 1);
      accBits -= bits;
      acc &= (1 << accBits) - 1;
      if (code === 256) {
        next = 258;
        bits = 9;
        prev = -1;
        continue;
      }
      if (code === 257) return { size, ...(keep ? { out: Buffer.concat(chunks) } : {}) };
      let first: number;
      if (code < next) first = emit(code);
      else if (code === next && prev >= 0) {
        // the code being defined: prev's string and its own first byte
        let c = prev;
        while (prefix[c]! >= 0) c = prefix[c]!;
        first = last[c]!;
        if (next < 4096) {
          prefix[next] = prev;
          last[next] = first;
          len[next] = len[prev]! + 1;
          next++;
        }
        emit(code);
        prev = code;
        if (next + earlyChange >= 1 << bits && bits < 12) bits++;
        continue;
      } else return { size, ...(keep ? { out: Buffer.concat(chunks) } : {}) }; // damaged: the reader stops too
      if (prev >= 0 && next < 4096) {
        prefix[next] = prev;
        last[next] = first;
        len[next] = len[prev]! + 1;
        next++;
      }
      prev = code;
      if (next + earlyChange >= 1 << bits && bits < 12) bits++;
    }
  }
  return { size, ...(keep ? { out: Buffer.concat(chunks) } : {}) };
}

function runLength(data: Uint8Array, cap: number, keep: boolean): { size: number; out?: Buffer } {
  let size = 0;
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length && size <= cap; ) {
    const l = data[i]!;
    if (l === 128) break;
    if (l < 128) {
      const piece = data.subarray(i + 1, i + 2 + l);
      size += piece.length;
      if (keep) chunks.push(Buffer.from(piece));
      i += 2 + l;
    } else {
      size += 257 - l;
      if (keep && i + 1 < data.length) chunks.push(Buffer.alloc(257 - l, data[i + 1]!));
      i += 2;
    }
  }
  return { size, ...(keep ? { out: Buffer.concat(chunks) } : {}) };
}

function asciiHex(data: Uint8Array): Buffer {
  const s = Buffer.from(data).toString('latin1');
  const end = s.indexOf('>');
  const hex = (end >= 0 ? s.slice(0, end) : s).replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
}

function ascii85(data: Uint8Array): Buffer {
  const s = Buffer.from(data).toString('latin1');
  const end = s.indexOf('~>');
  const t = (end >= 0 ? s.slice(0, end) : s).replace(/\s+/g, '');
  const out: number[] = [];
  let group: number[] = [];
  for (const ch of t) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const v = ch.charCodeAt(0) - 33;
    if (v < 0 || v > 84) continue;
    group.push(v);
    if (group.length === 5) {
      let n = 0;
      for (const g of group) n = n * 85 + g;
      out.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
      group = [];
    }
  }
  if (group.length > 1) {
    const k = group.length;
    while (group.length < 5) group.push(84);
    let n = 0;
    for (const g of group) n = n * 85 + g;
    const bytes = [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    out.push(...bytes.slice(0, k - 1));
  }
  return Buffer.from(out);
}

/** Bytes a stream decodes to through its filters, stopping past `cap`; image codecs end the chain (their input size is given). */
export async function decodedSize(data: Uint8Array, filters: readonly string[], cap: number): Promise<number> {
  let cur: Uint8Array = data;
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i]!;
    const last = i === filters.length - 1;
    if (f === 'FlateDecode' || f === 'Fl') {
      if (last) return inflatedSize(cur, cap);
      try {
        cur = inflateSync(cur, { maxOutputLength: cap + 1, finishFlush: zc.Z_SYNC_FLUSH });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return cap + 1;
        return cur.length;
      }
    } else if (f === 'LZWDecode' || f === 'LZW') {
      const r = lzwDecode(cur, cap, !last);
      if (last || r.size > cap) return r.size;
      cur = r.out!;
    } else if (f === 'RunLengthDecode' || f === 'RL') {
      const r = runLength(cur, cap, !last);
      if (last || r.size > cap) return r.size;
      cur = r.out!;
    } else if (f === 'ASCIIHexDecode' || f === 'AHx') cur = asciiHex(cur);
    else if (f === 'ASCII85Decode' || f === 'A85') cur = ascii85(cur);
    else return cur.length;
  }
  return cur.length;
}

function filtersOf(dict: string): string[] {
  const m = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict);
  if (!m) return [];
  return [...m[1]!.matchAll(/\/([A-Za-z0-9]+)/g)].map((x) => x[1]!);
}

const MiB = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/**
 * The first budget this PDF goes over, or undefined. `check` is called between streams (the time
 * budget). Streams are found by their `stream` … `endstream` keywords, with the dictionary before
 * them (what a reader would decode, damaged cross-references included).
 */
export async function screenPdf(bytes: Uint8Array, budget: PdfBudget = DEFAULT_PDF_BUDGET, check?: () => void): Promise<PdfOverBudget | undefined> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encrypted = buf.indexOf('/Encrypt', 0, 'latin1') >= 0;
  let total = 0;
  let objects = 0;
  let streams = 0;
  for (let p = buf.indexOf(STREAM); p >= 0; p = buf.indexOf(STREAM, p + STREAM.length)) {
    if (p >= 3 && buf[p - 3] === 0x65 && buf[p - 2] === 0x6e && buf[p - 1] === 0x64) continue; // endstream
    let start = p + STREAM.length;
    if (buf[start] === 0x0d) start++;
    if (buf[start] !== 0x0a && buf[start - 1] !== 0x0d) continue;
    if (buf[start] === 0x0a) start++;
    const head = buf.subarray(Math.max(0, p - 4096), p).toString('latin1');
    const objAt = head.lastIndexOf('obj');
    const dict = objAt >= 0 ? head.slice(objAt + 3) : head;
    if (!dict.includes('>>')) continue;
    let end = -1;
    const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    if (direct) {
      const e = start + Number(direct[1]);
      if (e <= buf.length && buf.subarray(e, e + 32).indexOf(ENDSTREAM) >= 0) end = e;
    }
    if (end < 0) end = buf.indexOf(ENDSTREAM, start);
    if (end < 0) end = buf.length;
    streams++;
    if ((streams & 63) === 0) check?.();
    const type = /\/Type\s*\/(\w+)/.exec(dict)?.[1];
    if (type === 'ObjStm') {
      const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? 0);
      objects += n;
      if (objects > budget.objects) return { kind: 'zip-bomb', reason: `object streams declare ${objects.toLocaleString('en')} objects, over the ${budget.objects.toLocaleString('en')}-object budget: not opened` };
    }
    if (type === 'XRef') {
      const size = Number(/\/Size\s+(\d+)/.exec(dict)?.[1] ?? 0);
      if (size > budget.objects) return { kind: 'zip-bomb', reason: `the cross-reference stream declares ${size.toLocaleString('en')} objects, over the ${budget.objects.toLocaleString('en')}-object budget: not opened` };
    }
    const filters = filtersOf(dict);
    if (filters.length === 0 || encrypted) continue;
    const data = buf.subarray(start, end);
    const size = await decodedSize(data, filters, budget.streamBytes);
    if (size > budget.streamBytes) {
      // at least this ratio (decoding stopped at the budget): past 32:1 it is made to explode
      const ratio = data.length > 0 ? Math.floor(budget.streamBytes / data.length) : Infinity;
      return {
        kind: ratio >= 32 ? 'zip-bomb' : 'too-large',
        reason: `a ${filters.join('+')} stream of ${data.length.toLocaleString('en')} bytes decodes past the ${MiB(budget.streamBytes)} per-stream budget${ratio >= 32 ? ` (over ${ratio.toLocaleString('en')}:1)` : ''}: not opened`,
      };
    }
    if (!/\/Subtype\s*\/Image/.test(dict)) {
      total += size;
      if (total > budget.totalBytes) return { kind: 'too-large', reason: `its streams decode past the ${MiB(budget.totalBytes)} budget for all streams together: not opened` };
    }
  }
  for (const m of buf.toString('latin1', Math.max(0, buf.length - 65536)).matchAll(/trailer\s*<<[\s\S]*?\/Size\s+(\d+)/g)) {
    const size = Number(m[1]);
    if (size > budget.objects) return { kind: 'zip-bomb', reason: `the trailer declares ${size.toLocaleString('en')} objects, over the ${budget.objects.toLocaleString('en')}-object budget: not opened` };
  }
  return undefined;
}
