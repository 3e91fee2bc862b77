// Crafted PDFs for the expansion budgets (issue 12 item 6): real PDF syntax, exact xref offsets.
import { constants as zc, deflateRawSync, deflateSync } from 'node:zlib';

/** A zlib stream of `mib` MiB of zeros, built from one flushed 1 MiB block repeated (~1 KB each): 2 GiB in ~2 MB without deflating 2 GiB. */
export function zerosFlate(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zc.Z_FULL_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0));
  const n = mib * 1024 * 1024;
  // Adler-32 of n zeros: a = 1, b = n mod 65521
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((n % 65521) << 16) | 1) >>> 0);
  const parts: Buffer[] = [Buffer.from([0x78, 0x9c])];
  for (let i = 0; i < mib; i++) parts.push(block);
  parts.push(end, adler);
  return Buffer.concat(parts);
}

/** A one-page PDF whose objects are given as [dictionary, stream data?]; object 1 is the catalog, 2 the pages, 3 the page (contents = object 4). */
export function makePdf(objects: Array<[string, Buffer?]>, pageExtra = ''): Buffer {
  const all: Array<[string, Buffer?]> = [
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R${pageExtra} >>`],
    ...objects,
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = chunks[0]!.length;
  const offsets: number[] = [];
  all.forEach(([dict, data], i) => {
    offsets.push(pos);
    const b = data
      ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n${dict.replace('>>', ` /Length ${data.length} >>`)}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')])
      : Buffer.from(`${i + 1} 0 obj\n${dict}\nendobj\n`, 'latin1');
    chunks.push(b);
    pos += b.length;
  });
  const xref = [`xref\n0 ${all.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${pos}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** The issue's file: a 2 GiB Flate content stream and an object stream claiming 10⁹ objects, ~2 MB. */
export function issuePdf(): Buffer {
  return makePdf([['<< /Filter /FlateDecode >>', zerosFlate(2048)], ['<< /Type /ObjStm /N 1000000000 /First 4 /Filter /FlateDecode >>', deflateSync(Buffer.from('6 0 null'))]]);
}

/** A small real page: "Hello" drawn in Helvetica (a PDF within every budget). */
export function helloPdf(): Buffer {
  return makePdf([['<< /Filter /FlateDecode >>', deflateSync(Buffer.from('BT /F1 24 Tf 72 700 Td (Hello 秘密) Tj ET'))]], ' /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>');
}
