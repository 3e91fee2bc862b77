// PDF text through PDFium (src/formats/docs/pdf.ts). Fixtures: fixtures/documents/made (see its
// PROVENANCE.md); the other PDFs are made here by _pdf-make.ts / _pdf-bomb.ts.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../src/formats/docs/index.js';
import { issuePdf } from './_pdf-bomb.js';
import { glyphByGlyph, oneRun, pagesPdf, pdfString } from './_pdf-make.js';
import { fixture, partText } from './_helpers.js';

/** An 8×8 grey image drawn over the page (what a scanner writes, in small). */
const IMAGE_PAGE = 'q 595 0 0 842 0 0 cm /Im1 Do Q';
const imageResources = (obj: number): string => ` /Resources << /XObject << /Im1 ${obj} 0 R >> >>`;
const greyImage: [string, Buffer] = ['<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode >>', deflateSync(Buffer.alloc(64, 0x80))];

describe('PDF', () => {
  it('encrypted with a user password → gap encrypted', async () => {
    const r = await extractText(fixture('made/encrypted.pdf'));
    expect(r.format).toBe('pdf');
    expect(r.parts.filter((p) => p.name.startsWith('page:'))).toEqual([]);
    expect(r.gaps).toEqual([{ kind: 'encrypted', reason: 'PDF needs a password to open' }]);
  });

  it('encrypted with an owner password only: readable, no gap', async () => {
    const r = await extractText(fixture('made/owner-only.pdf'));
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'page:1')).toContain('TKPDF-BODY');
  });

  it('image-only (img2pdf scan) → no-text-layer, "not inspectable without OCR"', async () => {
    const r = await extractText(fixture('made/scan.pdf'));
    expect(r.gaps).toEqual([{ kind: 'no-text-layer', reason: expect.stringContaining('not inspectable without OCR') }]);
  });

  it('a scanned page among text pages is named; a blank page is not a gap', async () => {
    const pdf = pagesPdf([oneRun('第一页正文'), IMAGE_PAGE, ''], { pageExtra: (i) => (i === 1 ? imageResources(9) : ''), more: [greyImage] });
    const r = await extractText(pdf);
    expect(partText(r, 'page:1')).toBe('第一页正文');
    expect(r.meta?.pages).toBe(3);
    expect(r.gaps).toEqual([{ kind: 'no-text-layer', reason: 'page 2 shows images without a text layer: not inspectable without OCR' }]);
  });

  it('non-embedded CJK fonts with predefined CMaps (STSong-Light/UniGB-UCS2-H, GBK-EUC-H) are read', async () => {
    expect(partText(await extractText(fixture('made/stsong.pdf')), 'page:1')).toBe('会议通知 TKSTSONG');
    expect(partText(await extractText(fixture('made/gbk-euc.pdf')), 'page:1')).toBe('通知 TKGBKEUC');
  });

  // @hyzyla/pdfium returned an empty page for this (docs/pdf-extraction.md): one glyph per BT…ET,
  // each placed by Tm, in a non-embedded CID font — how Print-to-PDF and Chinese report tools write
  it('one glyph per text object in a non-embedded CID font: the whole line, in order', async () => {
    const r = await extractText(pagesPdf([glyphByGlyph('秘密★1年'), glyphByGlyph('关于保密检查的通知', 72, 730)]));
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'page:1')).toBe('秘密★1年');
    expect(partText(r, 'page:2')).toBe('关于保密检查的通知');
    // both on one page, two lines
    const two = await extractText(pagesPdf([`${glyphByGlyph('秘密★1年')}\n${glyphByGlyph('关于保密检查的通知', 72, 730)}`]));
    expect(partText(two, 'page:1')).toBe('秘密★1年\n关于保密检查的通知');
  });

  it('a layout gap on a line (> 1.5 em) is two spaces, a one-em space stays one (the grammar tells a label set apart by two)', async () => {
    const header = `${oneRun('办公室', 72, 800, 10)}\n${oneRun('内部资料', 200, 800, 10)}\n${oneRun('第 1 页', 400, 800, 10)}`;
    const r = await extractText(pagesPdf([header]));
    expect(partText(r, 'page:1')).toBe('办公室  内部资料  第 1 页');
  });

  it('annotation texts → annot:N (a popup repeating its parent is not read twice)', async () => {
    const pdf = pagesPdf([oneRun('正文'), oneRun('第二页')], {
      pageExtra: (i) => (i === 1 ? ' /Annots [7 0 R 8 0 R 9 0 R]' : ''),
      more: [
        [`<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents ${pdfString('批注：机密★10年')} /Popup 8 0 R >>`],
        [`<< /Type /Annot /Subtype /Popup /Rect [100 100 200 200] /Parent 7 0 R /Contents ${pdfString('批注：机密★10年')} >>`],
        [`<< /Type /Annot /Subtype /FreeText /Rect [300 300 400 320] /DA (/Helv 12 Tf 0 g) /Contents (TKFREETEXT) >>`],
      ],
    });
    const r = await extractText(pdf);
    expect(r.parts.map((p) => p.name)).toEqual(['page:1', 'page:2', 'annot:2']);
    expect(partText(r, 'annot:2')).toBe('批注：机密★10年\nTKFREETEXT');
    expect(r.gaps).toEqual([]);
  });

  it('form field values → form:N, a value on the widget and one inherited from its field alike', async () => {
    const pdf = pagesPdf([oneRun('审批表')], {
      catalogExtra: ' /AcroForm << /Fields [5 0 R 7 0 R] >>',
      pageExtra: () => ' /Annots [5 0 R 6 0 R]',
      more: [
        [`<< /Type /Annot /Subtype /Widget /FT /Tx /T (level) /Rect [100 700 300 720] /V ${pdfString('绝密★长期')} /P 3 0 R >>`],
        ['<< /Type /Annot /Subtype /Widget /Rect [100 650 300 670] /Parent 7 0 R /P 3 0 R >>'],
        [`<< /FT /Tx /T (remark) /V ${pdfString('仅限内部')} /Kids [6 0 R] >>`],
      ],
    });
    const r = await extractText(pdf);
    expect(partText(r, 'page:1')).toBe('审批表');
    expect(partText(r, 'form:1').split('\n').sort()).toEqual(['仅限内部', '绝密★长期'].sort());
  });

  it('the document information → properties, the producer → meta', async () => {
    const pdf = pagesPdf([oneRun('正文')], { more: [[`<< /Title ${pdfString('秘密★1年 会议纪要')} /Author (TKAUTHOR) /Producer (TKPRODUCER) >>`]] });
    // an /Info entry in the trailer: _pdf-make writes none, so add one
    const withInfo = Buffer.from(pdf.toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Info 5 0 R'), 'latin1');
    const r = await extractText(withInfo);
    expect(partText(r, 'properties')).toBe('title: 秘密★1年 会议纪要\nauthor: TKAUTHOR');
    expect(r.meta?.producer).toBe('TKPRODUCER');
  });

  it('does not detach the caller’s buffer', async () => {
    const b = fixture('made/writer.pdf');
    await extractText(b);
    expect(b.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(b.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('an already aborted signal stops before any page; a damaged PDF is a gap', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await extractText(fixture('made/writer.pdf'), { signal: ac.signal });
    expect(r.gaps).toEqual([{ kind: 'timeout', reason: 'aborted by the caller' }]);
    const broken = fixture('made/writer.pdf').slice(0, 2000);
    const r2 = await extractText(broken);
    expect(r2.format).toBe('pdf');
    expect(r2.gaps.length).toBeGreaterThan(0);
  });

  it('not a PDF past its header → gap corrupt naming the PDFium error; truncated → what is left and a gap partial', async () => {
    const junk = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x41)]);
    const r = await extractText(junk);
    expect(r.format).toBe('pdf');
    expect(r.parts.filter((p) => p.name !== 'properties')).toEqual([]);
    expect(r.gaps).toEqual([{ kind: 'corrupt', reason: expect.stringMatching(/^PDF unreadable \(PDFium error \d+\)$/) }]);
    // cut short before its cross-reference table and trailer (a partial download, a file carved
    // from free space): the catalog named in a trailer of our own, PDFium rebuilds the rest
    const whole = pagesPdf([oneRun('第一页'), oneRun('第二页 TKLAST')]);
    const rc = await extractText(whole.subarray(0, whole.indexOf('xref')));
    expect(partText(rc, /^page:/)).toBe('第一页\n第二页 TKLAST');
    expect(rc.gaps).toEqual([{ kind: 'partial', reason: 'PDF damaged or cut short (no usable cross-reference trailer): read what is left' }]);
    // cut inside the last page's content stream: the first page is read
    const cut = await extractText(whole.subarray(0, whole.lastIndexOf('\nstream\n') + 11));
    expect(partText(cut, 'page:1')).toBe('第一页');
    expect(partText(cut, /^page:/)).not.toContain('TKLAST');
    expect(cut.gaps.map((g) => g.kind)).toContain('partial');
    // cut before its catalog (LibreOffice writes it last): nothing to rebuild from
    const writer = fixture('made/writer.pdf');
    const w = await extractText(writer.slice(0, writer.length >> 1));
    expect(w.gaps).toEqual([{ kind: 'corrupt', reason: 'PDF unreadable (PDFium error 3)' }]);
  });

  it('a PDF bomb (2 GiB Flate stream, 10⁹ objects claimed) is a zip-bomb gap before PDFium sees it', async () => {
    const r = await extractText(issuePdf());
    expect(r.format).toBe('pdf');
    expect(r.parts.filter((p) => p.name.startsWith('page:'))).toEqual([]);
    expect(r.gaps).toEqual([{ kind: 'zip-bomb', reason: expect.stringMatching(/^PDF .*per-stream budget/) }]);
  });

  it('a time budget of 1 ms gives a timeout gap, not a throw', async () => {
    const r = await extractText(fixture('corpus/pdf/Test3.pdf'), { timeoutMs: 1 });
    expect(r.gaps.some((g) => g.kind === 'timeout')).toBe(true);
  });
});
