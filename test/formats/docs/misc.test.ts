import { describe, expect, it } from 'vitest';
import { extractText, parseInfo2, parseRecycleInfo, sniffDocument } from '../../../src/formats/docs/index.js';
import { fixture, partText } from './_helpers.js';

describe('Recycle Bin', () => {
  it('$I version 1 (Vista–8.1)', () => {
    expect(parseRecycleInfo(fixture('made/$IABC123.docx'))).toEqual({
      version: 1,
      originalPath: 'C:\\Users\\张三\\Desktop\\会议通知.docx',
      originalSize: 12345,
      deletedAt: '2025-01-01T00:00:00.000Z',
    });
  });
  it('$I version 2 (Windows 10+)', () => {
    expect(parseRecycleInfo(fixture('made/$IXYZ789.xlsx'))).toEqual({
      version: 2,
      originalPath: 'D:\\资料\\年度总结 TKRECYCLE.xlsx',
      originalSize: 678,
      deletedAt: '2025-01-01T01:00:00.000Z',
    });
  });
  it('XP INFO2 records', () => {
    expect(parseInfo2(fixture('made/INFO2'))).toEqual([
      { version: 0, originalPath: 'C:\\Documents and Settings\\user\\桌面\\旧文件.doc', originalSize: 4096, index: 1, drive: 2, deletedAt: '2025-01-01T00:00:00.000Z' },
    ]);
  });
  it('not a $I file → null; extractText gives the original path as a part', async () => {
    expect(parseRecycleInfo(new Uint8Array(10))).toBeNull();
    expect(parseRecycleInfo(new Uint8Array(600))).toBeNull();
    const r = await extractText(fixture('made/$IXYZ789.xlsx'), { name: '$IXYZ789.xlsx' });
    expect(r.format).toBe('recycle-info');
    expect(partText(r, 'original-path')).toBe('D:\\资料\\年度总结 TKRECYCLE.xlsx');
  });
});

describe('sniffDocument', () => {
  const cases: Array<[string, string, string?]> = [
    ['made/writer.docx', 'docx'],
    ['made/writer.doc', 'doc'],
    ['made/writer.odt', 'odt'],
    ['made/writer.rtf', 'rtf'],
    ['made/writer.pdf', 'pdf'],
    ['made/calc.xlsx', 'xlsx'],
    ['made/calc.xls', 'xls'],
    ['made/calc.ods', 'ods'],
    ['made/impress.pptx', 'pptx'],
    ['made/impress.ppt', 'ppt'],
    ['made/impress.odp', 'odp'],
    ['made/mail.eml', 'eml'],
    ['made/page-gbk.html', 'html'],
    ['made/text-gbk.txt', 'text'],
    ['made/archive.zip', 'zip'],
    ['made/notes.txt.gz', 'gzip'],
    ['made/scan.png', 'image'],
    ['made/$IABC123.docx', 'recycle-info'],
    ['corpus/ofd/n.ofd', 'ofd'],
    ['corpus/office/testWPSAttachment.xls', 'xls'],
    ['corpus/office/testWPSAttachment.pptx', 'pptx'],
  ];
  for (const [f, kind] of cases) {
    it(`${f} → ${kind} (whole file, misleading name)`, () => {
      expect(sniffDocument(fixture(f), 'x.txt')).toBe(kind);
    });
  }
  it('from the first 64 KiB only (an OLE directory past the head falls back to the extension)', () => {
    for (const [f, kind] of cases) expect(sniffDocument(fixture(f).subarray(0, 65536), f), f).toBe(kind);
    expect(sniffDocument(fixture('made/impress.ppt').subarray(0, 65536))).toBe('ole');
  });
  it('the name breaks ties: .wps/.et/.dps for Word/Excel/PowerPoint binaries', () => {
    expect(sniffDocument(fixture('made/writer.doc'), '通知.wps')).toBe('wps');
    expect(sniffDocument(fixture('made/calc.xls'), '表.et')).toBe('et');
    expect(sniffDocument(fixture('made/impress.ppt'), '演示.dps')).toBe('dps');
    expect(sniffDocument(new Uint8Array(0))).toBe('unknown');
    expect(sniffDocument(new Uint8Array([0x4d, 0x5a, 0x90, 0]))).toBe('binary');
  });
});

describe('limits and options', () => {
  it('maxBytes: not parsed, gap too-large, format still sniffed', async () => {
    const r = await extractText(fixture('made/writer.docx'), { maxBytes: 1000 });
    expect(r.format).toBe('docx');
    expect(r.gaps[0]).toMatchObject({ kind: 'too-large' });
    expect(r.parts).toEqual([]);
  });
  it('maxTextChars: output capped, gap partial', async () => {
    const r = await extractText(fixture('made/writer.docx'), { maxTextChars: 20, fileNamePart: false });
    expect(r.parts.reduce((n, p) => n + p.text.length, 0)).toBe(20);
    expect(r.gaps).toContainEqual(expect.objectContaining({ kind: 'partial' }));
  });
  it('maxExpandedBytes: parts beyond the budget are gaps', async () => {
    const r = await extractText(fixture('made/writer.docx'), { maxExpandedBytes: 4000 });
    expect(r.gaps.some((g) => g.kind === 'too-large')).toBe(true);
  });
  it('fileNamePart: the base name as a part, off on request', async () => {
    expect(partText(await extractText(fixture('made/text-utf8.txt'), { name: 'D:\\秘密\\通知.txt' }), 'file-name')).toBe('通知.txt');
    expect((await extractText(fixture('made/text-utf8.txt'), { name: 'a.txt', fileNamePart: false })).parts.map((p) => p.name)).toEqual(['text']);
  });
  it('rar / 7z / pictures / executables: recognised, with a gap saying why there is no text', async () => {
    expect((await extractText(new Uint8Array(Buffer.from('Rar!\x1a\x07\x01\x00xxxx', 'latin1')))).gaps[0]).toMatchObject({ kind: 'unsupported' });
    expect((await extractText(fixture('made/scan.png'))).gaps[0]).toMatchObject({ kind: 'no-text-layer' });
    expect((await extractText(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0]))).format).toBe('binary');
  });
});

describe('text versus binary', () => {
  it('repeated control bytes are binary, not BOM-less UTF-16', () => {
    expect(sniffDocument(new Uint8Array(8192).fill(1))).toBe('binary');
    expect(sniffDocument(new Uint8Array(8192).fill(0))).toBe('binary');
    const mixed = new Uint8Array(4096);
    for (let i = 0; i < mixed.length; i += 2) mixed[i] = 0x41 + (i % 7);
    expect(sniffDocument(mixed)).toBe('text'); // ASCII as UTF-16LE without BOM
  });
});

describe('sniffing cost', () => {
  // found on a real disk: a robot description (URDF) in a Python wheel, thirty comment lines after
  // the XML declaration, took minutes to sniff and its worker was stopped by the watchdog
  it('an XML file opening with many comment lines is sniffed at once; comments then <html> is still HTML', () => {
    const comments = Array.from({ length: 40 }, (_, i) => `<!-- licence line ${i}${' '.repeat(40)}-->`).join('\n');
    const t0 = performance.now();
    expect(sniffDocument(Buffer.from(`<?xml version="1.0" ?>\n${comments}\n<robot name="m"><link/></robot>\n`), 'm.urdf')).toBe('xml');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(sniffDocument(Buffer.from(`<?xml version="1.0"?>\n${comments}\n<!DOCTYPE html>\n<html><body><p>x</p></body></html>`), 'p.xhtml')).toBe('html');
  });
});

describe('short files', () => {
  // found on a real disk: Python's email test data has base64 parts two bytes long
  it('a file of a few bytes is sniffed without reading past its end (alone or as a view on a bigger buffer)', async () => {
    for (let n = 0; n <= 16; n++) {
      const alone = new Uint8Array(n).fill(0x5d);
      const big = new Uint8Array(64).fill(0x4d); // 'M': a view must not see its neighbours' "MZ"
      const view = big.subarray(10, 10 + n).fill(0x5d);
      expect(sniffDocument(alone, 'x.bin'), String(n)).toBe(sniffDocument(view, 'x.bin'));
      const r = await extractText(alone, { name: 'part-1.octet-stream' });
      expect(r.gaps.filter((g) => g.kind === 'corrupt'), String(n)).toEqual([]);
    }
  });
});

describe('big markup', () => {
  // A generated page in the shape of a big manual (an 8 MB one needed over 100 MB of heap when
  // every tag was replaced in one pass); the marking is written with character references.
  const page = (rows: number): string =>
    `<html><head><style>p{}</style></head><body>\n${'<p class="x">item <b>bold</b> &amp; <a href="#a>b">link</a></p>\n<table><tr><td>甲</td><td>乙</td></tr></table>\n'.repeat(rows)}<p>&#26426;&#23494;&#9733;10&#24180;</p>\n</body></html>`;

  it('is read in segments with the same text as in one piece', async () => {
    const { markupToText } = await import('../../../src/formats/docs/html.js');
    const big = page(40_000);
    expect(big.length).toBeGreaterThan(4 * 256 * 1024);
    const whole = markupToText(big, false, Infinity);
    expect(whole.endsWith('\n机密★10年')).toBe(true);
    expect(markupToText(big)).toBe(whole);
    // cuts at every possible place relative to the tags
    for (const seg of [1000, 1001, 4097, 65_537]) expect(markupToText(page(300), false, seg), String(seg)).toBe(markupToText(page(300), false, Infinity));
  });

  it('fits a worker with a 64 MB heap (the one-pass replacement did not)', async () => {
    const { Worker } = await import('node:worker_threads');
    const url = new URL('../../../dist/formats/docs/html.js', import.meta.url).href;
    const w = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       import(workerData.url).then((m) => parentPort.postMessage(m.markupToText(workerData.page).split('\\n').pop()));`,
      { eval: true, workerData: { url, page: page(60_000) }, resourceLimits: { maxOldGenerationSizeMb: 64 } },
    );
    const tail = await new Promise((resolve, reject) => {
      w.on('message', resolve);
      w.on('error', reject);
    });
    expect(tail).toBe('机密★10年');
    await w.terminate();
  });
});
