// A tiny PNG reader for tests: 8-bit RGB or RGBA, not interlaced (what Chromium's --screenshot
// writes). Chunks are read, the IDAT stream inflated with node:zlib and the scanline filters undone.
import { inflateSync } from 'node:zlib';

export interface Png {
  width: number;
  height: number;
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  channels: number;
  pixels: Buffer;
}

export function decodePng(buf: Buffer): Png {
  if (!buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    off += 12 + len;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${data[12]}`);
      channels = colour === 2 ? 3 : 4;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter} on line ${y}`);
      out[i] = (line[i]! + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Pixels that are not (near) white, and those close to a given colour, in a rectangle (whole image by default). */
export function countPixels(png: Png, near?: [number, number, number], box = { x: 0, y: 0, w: png.width, h: png.height }): { nonWhite: number; near: number; total: number } {
  let nonWhite = 0;
  let nearN = 0;
  for (let y = box.y; y < Math.min(png.height, box.y + box.h); y++) {
    for (let x = box.x; x < Math.min(png.width, box.x + box.w); x++) {
      const i = (y * png.width + x) * png.channels;
      const r = png.pixels[i]!;
      const g = png.pixels[i + 1]!;
      const b = png.pixels[i + 2]!;
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      if (near && Math.abs(r - near[0]) + Math.abs(g - near[1]) + Math.abs(b - near[2]) < 60) nearN++;
    }
  }
  return { nonWhite, near: nearN, total: box.w * box.h };
}
