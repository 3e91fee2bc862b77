/** Bad input never throws: truncations, bit flips and random bytes come back as results with gaps. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../src/formats/docs/index.js';
import { FIX, fixture } from './_helpers.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const files = [
  ...readdirSync(FIX + 'made').filter((f) => !/\.pdf$|bomb/.test(f)).map((f) => `made/${f}`),
  'corpus/ofd/n.ofd',
  'corpus/office/testWPSAttachment.doc',
  'corpus/office/testWPSAttachment.xls',
];

function valid(r: Awaited<ReturnType<typeof extractText>>): void {
  expect(typeof r.format).toBe('string');
  expect(Array.isArray(r.parts) && Array.isArray(r.embedded) && Array.isArray(r.gaps)).toBe(true);
  for (const p of r.parts) expect(typeof p.text).toBe('string');
}

describe('robustness', () => {
  it('truncated copies of every fixture', async () => {
    for (const f of files) {
      const b = fixture(f);
      for (const frac of [0.05, 0.3, 0.6, 0.95]) valid(await extractText(b.slice(0, Math.floor(b.length * frac)), { name: f }));
    }
  }, 120_000);

  it('bit-flipped copies of every fixture', async () => {
    const r = rng(42);
    for (const f of files) {
      for (let k = 0; k < 4; k++) {
        const b = fixture(f).slice();
        for (let i = 0; i < 1 + b.length / 200; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
        valid(await extractText(b, { name: f }));
      }
    }
  }, 120_000);

  it('random bytes behind every magic number', async () => {
    const r = rng(7);
    const magics = ['PK\x03\x04', '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1', '%PDF-1.4\n', '{\\rtf1', '\x1f\x8b\x08\x00', 'From: a\r\nTo: b\r\nSubject: c\r\n\r\n', '<html><body>', '\x02\0\0\0\0\0\0\0'];
    for (const m of magics) {
      for (let k = 0; k < 5; k++) {
        const b = new Uint8Array(64 + Math.floor(r() * 4000));
        for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
        b.set(Buffer.from(m, 'latin1'));
        valid(await extractText(b));
      }
    }
  }, 120_000);

  it('a damaged docx and doc give gaps, not exceptions', async () => {
    const doc = fixture('made/writer.doc').slice(0, 6000);
    const r = await extractText(doc);
    expect(r.gaps.length).toBeGreaterThan(0);
    const deep = new Uint8Array(Buffer.from('{\\rtf1' + '{'.repeat(5000) + 'x' + '}'.repeat(5000) + '}', 'latin1'));
    const r2 = await extractText(deep);
    expect(r2.gaps[0]).toMatchObject({ kind: 'corrupt' });
  });
});
