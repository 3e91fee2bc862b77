// PDFium's bounds (src/formats/docs/pdf.ts): a WebAssembly call cannot be interrupted, so PDFium
// runs in a thread that is terminated at the time budget or on abort; its memory is capped, and
// an engine that grew past the recycling mark is replaced by a new thread. The PDFs are made here:
// one page holding hundreds of thousands of text objects (a few KB of Flate; PDFium needs seconds
// and tens of MB of memory for it).
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractText } from '../../../src/formats/docs/index.js';
import { pdfThreadsStarted } from '../../../src/formats/docs/pdf.js';
import { buildPdf, oneRun, pagesPdf } from './_pdf-make.js';
import { partText } from './_helpers.js';

/** One page of `n` text objects in Helvetica: PDFium takes ~10 µs and ~300 bytes per object. */
function heavyPage(n: number): Buffer {
  const content = Buffer.from('BT /F2 9 Tf 72 700 Td (TKHEAVY) Tj ET\n'.repeat(n), 'latin1');
  return buildPdf([
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    ['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>'],
    ['<< /Filter /FlateDecode >>', deflateSync(content)],
  ]);
}

const small = pagesPdf([oneRun('会议通知')]);

beforeAll(() => {
  // read by the PDFium thread when it starts (the first extraction below)
  process.env['BAOMI_PDFIUM_HEAP_MB'] = '64';
  process.env['BAOMI_PDFIUM_RECYCLE_MB'] = '24';
});

describe('PDFium bounds', () => {
  it('a page that outlasts the time budget: the thread is terminated after a second of grace, and the next file is read', async () => {
    // a heap cap this page cannot reach, so that time, not memory, stops it (the cap is read when
    // a thread starts; the 64 MB of the other tests is back for the thread after this one's)
    process.env['BAOMI_PDFIUM_HEAP_MB'] = '1024';
    await extractText(small); // the thread is up: its start is not in the budget below
    const before = pdfThreadsStarted();
    // untimed, the page takes several seconds; the budget runs out in the middle of it
    const t0 = Date.now();
    const r = await extractText(heavyPage(2_000_000), { timeoutMs: 300 });
    process.env['BAOMI_PDFIUM_HEAP_MB'] = '64';
    const ms = Date.now() - t0;
    // 600,000 objects were once read whole in 1.32 s, just past the 1.3 s of budget and grace: 2,000,000
    expect(r.gaps, JSON.stringify({ ms, threads: pdfThreadsStarted() - before, parts: r.parts.map((p) => `${p.name}:${p.text.length}`) })).toEqual([{ kind: 'timeout', reason: 'time budget for this file exceeded' }]);
    expect(ms).toBeGreaterThanOrEqual(300 + 1000);
    expect(ms).toBeLessThan(300 + 1000 + 1500);
    const next = await extractText(small);
    expect(partText(next, 'page:1')).toBe('会议通知');
    expect(pdfThreadsStarted()).toBeGreaterThan(before);
  }, 30_000);

  it('an abort in the middle of a page stops it at once', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 300);
    const r = await extractText(heavyPage(600_000), { signal: ac.signal });
    expect(r.gaps).toEqual([{ kind: 'timeout', reason: 'aborted by the caller' }]);
    expect(Date.now() - t0).toBeLessThan(300 + 1500);
  }, 30_000);

  it('memory past the cap is refused: gap too-large, and the next file gets a fresh engine', async () => {
    await extractText(small);
    const before = pdfThreadsStarted();
    const r = await extractText(heavyPage(1_000_000));
    expect(r.gaps).toEqual([{ kind: 'too-large', reason: 'the PDF reader needed more than 64 MB of memory; stopped' }]);
    const next = await extractText(small);
    expect(partText(next, 'page:1')).toBe('会议通知');
    expect(pdfThreadsStarted()).toBe(before + 1);
  }, 60_000);

  it('an engine grown past the recycling mark is replaced after its document; one that did not is kept', async () => {
    await extractText(small);
    const before = pdfThreadsStarted();
    await extractText(small);
    expect(pdfThreadsStarted()).toBe(before);
    const r = await extractText(heavyPage(100_000));
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'page:1')).toContain('TKHEAVY');
    await extractText(small);
    expect(pdfThreadsStarted()).toBe(before + 1);
  }, 60_000);
});
