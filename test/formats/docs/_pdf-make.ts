// Small PDFs made by the tests (real PDF syntax, exact cross-reference offsets): one glyph per text
// object in a non-embedded CID font, annotations, form fields, many pages.
import { deflateSync } from 'node:zlib';

/** A PDF of these objects, numbered from 1 in order; object 1 is the catalog. */
export function buildPdf(objects: Array<[string, Buffer?]>): Buffer {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach(([dict, data], i) => {
    offsets.push(pos);
    const b = data
      ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n${dict.replace(/>>\s*$/, ` /Length ${data.length} >>`)}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')])
      : Buffer.from(`${i + 1} 0 obj\n${dict}\nendobj\n`, 'latin1');
    chunks.push(b);
    pos += b.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${pos}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** A PDF text string in UTF-16BE with a BOM, as hex: <FEFF…>. */
export function pdfString(s: string): string {
  const b = Buffer.from(s, 'utf16le').swap16();
  return `<FEFF${b.toString('hex').toUpperCase()}>`;
}

/** STSong-Light with UniGB-UCS2-H, not embedded: the font iText and Chinese report tools write (needs Adobe's CMaps). */
export const STSONG = '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 >>] >>';

/**
 * One page per entry of `pages`, each a content stream (Flate); font F1 is STSong-Light
 * (UniGB-UCS2-H), F2 Helvetica. `pageExtra` adds to every page dictionary (the same for each),
 * `catalogExtra` to the catalog, `more` are objects numbered after the pages (from 3 + 2 × pages).
 */
export function pagesPdf(pages: string[], opts: { pageExtra?: (i: number) => string; catalogExtra?: string; more?: Array<[string, Buffer?]>; info?: string } = {}): Buffer {
  const n = pages.length;
  const kids = pages.map((_, i) => `${3 + 2 * i} 0 R`).join(' ');
  const objs: Array<[string, Buffer?]> = [
    [`<< /Type /Catalog /Pages 2 0 R${opts.catalogExtra ?? ''} >>`],
    [`<< /Type /Pages /Kids [${kids}] /Count ${n} /Resources << /Font << /F1 ${STSONG} /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>`],
  ];
  pages.forEach((content, i) => {
    objs.push([`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${4 + 2 * i} 0 R${opts.pageExtra?.(i) ?? ''} >>`]);
    objs.push(['<< /Filter /FlateDecode >>', deflateSync(Buffer.from(content, 'latin1'))]);
  });
  objs.push(...(opts.more ?? []));
  return buildPdf(objs);
}

/** Content drawing `text` one glyph per BT…ET, each placed by its own Tm (the Microsoft Print-to-PDF way), in F1. */
export function glyphByGlyph(text: string, x0 = 72, y = 760, size = 10.5): string {
  return [...text]
    .map((ch, i) => `BT /F1 ${size} Tf 1 0 0 1 ${(x0 + i * size).toFixed(2)} ${y} Tm <${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}> Tj ET`)
    .join('\n');
}

/** Content drawing `text` in one Tj in F1 (UCS-2 hex). */
export function oneRun(text: string, x = 72, y = 760, size = 12): string {
  return `BT /F1 ${size} Tf ${x} ${y} Td <${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}> Tj ET`;
}
