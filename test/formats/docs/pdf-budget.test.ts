// A PDF's expansion budgets (issue 12 item 6): every stream decoded through its filters by a
// counter that stops at the budget while decoding; declared object counts held to a budget;
// going over is a named gap saying which budget — not "no text layer" — and pdf.js is not run.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodedSize, inflatedSize, lzwDecode, screenPdf } from '../../../src/formats/docs/pdf-budget.js';
import { extractText } from '../../../src/formats/docs/index.js';
import { helloPdf, issuePdf, makePdf, zerosFlate } from './_pdf-bomb.js';

const MiB = 1024 * 1024;

describe('PDF expansion budgets', () => {
  it('the issue file (2 MB: a 2 GiB Flate stream, an object stream claiming 10⁹ objects) is a zip-bomb gap naming the per-stream budget', async () => {
    const pdf = issuePdf();
    expect(pdf.length).toBeLessThan(3 * MiB);
    const t0 = Date.now();
    const over = await screenPdf(pdf);
    expect(over?.kind).toBe('zip-bomb');
    expect(over?.reason).toMatch(/FlateDecode stream of [\d,]+ bytes decodes past the 96 MiB per-stream budget/);
    expect(Date.now() - t0).toBeLessThan(5000);
    const res = await extractText(pdf, { name: 'bomb.pdf', maxExpandedBytes: 96 * MiB });
    expect(res.format).toBe('pdf');
    expect(res.gaps.map((g) => g.kind)).toEqual(['zip-bomb']);
    expect(res.gaps[0]!.reason).toMatch(/^PDF a FlateDecode stream/);
    expect(res.gaps.some((g) => /no text layer/.test(g.reason))).toBe(false);
  });

  it('an object stream claiming 10⁹ objects alone is a zip-bomb gap naming the object budget', async () => {
    const pdf = makePdf([['<< /Filter /FlateDecode >>', deflateSync(Buffer.from('BT ET'))], ['<< /Type /ObjStm /N 1000000000 /First 4 /Filter /FlateDecode >>', deflateSync(Buffer.from('6 0 null'))]]);
    const over = await screenPdf(pdf);
    expect(over).toEqual({ kind: 'zip-bomb', reason: 'object streams declare 1,000,000,000 objects, over the 4,194,304-object budget: not opened' });
  });

  it('a cross-reference stream or a trailer declaring 10⁹ objects is a gap too', async () => {
    const xs = makePdf([['<< /Type /XRef /Size 1000000000 /W [1 2 1] /Filter /FlateDecode >>', deflateSync(Buffer.alloc(8))]]);
    expect((await screenPdf(xs))?.reason).toMatch(/cross-reference stream declares 1,000,000,000 objects/);
    const tr = Buffer.from(helloPdf().toString('latin1').replace(/\/Size \d+/, '/Size 1000000000'), 'latin1');
    expect((await screenPdf(tr))?.reason).toMatch(/trailer declares 1,000,000,000 objects/);
  });

  it('Flate in Flate, RunLength and LZW are decoded and counted too; a budget exceeded by a modest ratio is too-large', async () => {
    const twice = deflateSync(zerosFlate(200)); // 200 MiB behind two layers
    expect(twice.length).toBeLessThan(64 * 1024);
    expect((await screenPdf(makePdf([['<< /Filter [/FlateDecode /FlateDecode] >>', twice]])))?.kind).toBe('zip-bomb');
    // RunLength: 2 bytes → 128 (64:1): 4 MiB → 256 MiB, past the budget at a ratio under 32:1
    const rl = Buffer.alloc(4 * MiB);
    for (let i = 0; i < rl.length; i += 2) rl[i] = 129;
    const over = await screenPdf(makePdf([['<< /Filter /RunLengthDecode >>', rl]]));
    expect(over?.kind).toBe('too-large');
    expect(over?.reason).toMatch(/RunLengthDecode stream of 4,194,304 bytes decodes past the 96 MiB per-stream budget: not opened/);
    // LZW of "-----A---B" (the PDF reference's example, early change 1)
    const lzw = Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
    expect(lzwDecode(lzw, 1000, true).out?.toString('latin1')).toBe('-----A---B');
    expect(await decodedSize(lzw, ['LZWDecode'], 1000)).toBe(10);
  });

  it('counting stops at the budget while inflating (a 2 GiB stream is not inflated whole)', async () => {
    const z = zerosFlate(2048);
    const t0 = Date.now();
    const n = await inflatedSize(z, 8 * MiB);
    expect(n).toBeGreaterThan(8 * MiB);
    expect(n).toBeLessThan(16 * MiB);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await inflatedSize(zerosFlate(3), 8 * MiB)).toBe(3 * MiB);
  });

  it('a PDF within its budgets is screened clean and read as before', async () => {
    const pdf = helloPdf();
    expect(await screenPdf(pdf)).toBeUndefined();
    const res = await extractText(pdf, { name: 'hello.pdf' });
    expect(res.gaps).toEqual([]);
    expect(res.parts.map((p) => p.text).join('\n')).toContain('Hello');
  });
});
