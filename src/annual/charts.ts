// Charts of the annual report, drawn here without a library: horizontal bars, one colour per series.
// As SVG (inline in the HTML, and in the .docx beside its picture) with the category names, and as a
// PNG (the picture in .xlsx and the .docx fallback) with the values and row numbers only, drawn
// with a small digit font: the names are in the table printed beside it, row for row.
import { deflateSync } from 'node:zlib';
import type { Chart } from './document.js';

export const SERIES_COLOURS: ReadonlyArray<[number, number, number]> = [[0x09, 0x69, 0xda], [0xbc, 0x4c, 0x00]];
/** With two series the first is the previous period (grey), the second this one (blue). */
function colours(n: number): Array<[number, number, number]> {
  return n === 1 ? [SERIES_COLOURS[0]!] : [[0x8c, 0x95, 0x9f], SERIES_COLOURS[0]!];
}
const hex = (c: [number, number, number]): string => `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;

function escXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SVG_W = 720;
const LABEL_W = 260;
const BAR_H = 16;
const GAP = 8;

/** Category names shortened for the chart (the tables carry them whole). */
function short(s: string, max = 24): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

export function chartSvg(c: Chart, clean: (s: string) => string = (s) => s): string {
  const cols = colours(c.series.length);
  const max = Math.max(1, ...c.series.flatMap((s) => s.values));
  const group = c.series.length * BAR_H + GAP;
  const legend = c.series.length > 1 ? 22 : 0;
  const h = 30 + legend + c.categories.length * group + 10;
  const plotW = SVG_W - LABEL_W - 60;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escXml(clean(c.title))}" width="${SVG_W}" height="${h}" viewBox="0 0 ${SVG_W} ${h}" font-family="Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, SimHei, sans-serif" font-size="12">`);
  parts.push(`<rect x="0" y="0" width="${SVG_W}" height="${h}" fill="#ffffff"/>`);
  parts.push(`<text x="4" y="18" font-size="14" font-weight="bold" fill="#1f2328">${escXml(clean(c.title))}</text>`);
  if (legend) {
    c.series.forEach((s, i) => {
      const x = LABEL_W + i * 160;
      parts.push(`<rect x="${x}" y="28" width="12" height="12" fill="${hex(cols[i]!)}"/><text x="${x + 16}" y="38" fill="#1f2328">${escXml(clean(s.name))}</text>`);
    });
  }
  c.categories.forEach((cat, i) => {
    const y0 = 30 + legend + i * group;
    parts.push(`<text x="${LABEL_W - 6}" y="${y0 + (c.series.length * BAR_H) / 2 + 4}" text-anchor="end" fill="#1f2328"><title>${escXml(clean(cat))}</title>${escXml(clean(short(cat)))}</text>`);
    c.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const w = Math.round((v / max) * plotW);
      const y = y0 + j * BAR_H;
      parts.push(`<rect class="bar" data-v="${v}" x="${LABEL_W}" y="${y + 1}" width="${Math.max(w, v > 0 ? 1 : 0)}" height="${BAR_H - 2}" fill="${hex(cols[j]!)}"/>`);
      parts.push(`<text x="${LABEL_W + w + 4}" y="${y + BAR_H - 4}" fill="#1f2328">${v}</text>`);
    });
  });
  parts.push(`<line x1="${LABEL_W}" y1="${30 + legend - 2}" x2="${LABEL_W}" y2="${h - 8}" stroke="#57606a"/>`);
  parts.push('</svg>');
  return parts.join('');
}

// ───────────────────────── PNG ─────────────────────────

const DIGITS: Record<string, string> = {
  '0': '111101101101111', '1': '010110010010111', '2': '111001111100111', '3': '111001111001111', '4': '101101111001001',
  '5': '111100111001111', '6': '111100111101111', '7': '111001001001001', '8': '111101111101111', '9': '111101111001111', '.': '000000000000010',
};

let crcTable: Uint32Array | undefined;
function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

class Canvas {
  readonly px: Buffer;
  constructor(readonly w: number, readonly h: number) {
    this.px = Buffer.alloc(w * h * 3, 0xff);
  }
  rect(x: number, y: number, w: number, h: number, c: [number, number, number]): void {
    for (let j = Math.max(0, y); j < Math.min(this.h, y + h); j++) {
      for (let i = Math.max(0, x); i < Math.min(this.w, x + w); i++) {
        const o = (j * this.w + i) * 3;
        this.px[o] = c[0];
        this.px[o + 1] = c[1];
        this.px[o + 2] = c[2];
      }
    }
  }
  /** Digits at (x, y), 3×5 cells of `s` pixels; returns the width drawn. */
  digits(text: string, x: number, y: number, s: number, c: [number, number, number]): number {
    let cx = x;
    for (const ch of text) {
      const g = DIGITS[ch];
      if (g === undefined) continue;
      for (let r = 0; r < 5; r++) for (let q = 0; q < 3; q++) if (g[r * 3 + q] === '1') this.rect(cx + q * s, y + r * s, s, s, c);
      cx += 4 * s;
    }
    return cx - x;
  }
  png(): Buffer {
    const raw = Buffer.alloc((this.w * 3 + 1) * this.h);
    for (let j = 0; j < this.h; j++) {
      raw[j * (this.w * 3 + 1)] = 0;
      this.px.copy(raw, j * (this.w * 3 + 1) + 1, j * this.w * 3, (j + 1) * this.w * 3);
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.w, 0);
    ihdr.writeUInt32BE(this.h, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  }
}

export const PNG_W = 640;

/** The chart as a PNG: row numbers (1, 2, … as in the table beside it), bars, and each bar's value. */
export function chartPng(c: Chart): { png: Buffer; width: number; height: number } {
  const cols = colours(c.series.length);
  const s = 2;
  const barH = 14;
  const group = c.series.length * barH + 8;
  const top = 10;
  const h = top + Math.max(1, c.categories.length) * group + 10;
  const cv = new Canvas(PNG_W, h);
  const left = 44;
  const plotW = PNG_W - left - 70;
  const max = Math.max(1, ...c.series.flatMap((x) => x.values));
  const ink: [number, number, number] = [0x1f, 0x23, 0x28];
  cv.rect(left - 2, top - 4, 1, h - top, [0x57, 0x60, 0x6a]);
  c.categories.forEach((_, i) => {
    const y0 = top + i * group;
    cv.digits(String(i + 1), 6, y0 + (c.series.length * barH) / 2 - 5, s, ink);
    c.series.forEach((ser, j) => {
      const v = ser.values[i] ?? 0;
      const w = Math.round((v / max) * plotW);
      const y = y0 + j * barH;
      cv.rect(left, y + 1, Math.max(w, v > 0 ? 1 : 0), barH - 2, cols[j]!);
      cv.digits(String(v), left + w + 5, y + 2, s, ink);
    });
  });
  return { png: cv.png(), width: PNG_W, height: h };
}
