/**
 * Document text extraction: `sniffDocument` tells the real type of a file from its bytes,
 * `extractText` returns its text parts, embedded files and gaps. See `types.ts` for the contract.
 *
 * ```ts
 * const r = await extractText(bytes, { name: 'D:/公文/通知.docx', signal });
 * for (const p of r.parts) match(p.text);          // body, headers, comments, deleted text, …
 * for (const e of r.embedded) recurse(e.bytes, e.name, depth + 1);   // the caller limits depth
 * for (const g of r.gaps) report(g);               // encrypted, no-text-layer, zip-bomb, …
 * ```
 */
import { gunzipSync } from 'node:zlib';
import { Ctx, StopError, errorMessage } from './context.js';
import { extractEml } from './eml.js';
import { htmlToText } from './html.js';
import { extractOdf } from './odf.js';
import { extractOfd } from './ofd.js';
import { extractOle } from './ole.js';
import { extractDocx, extractPptx, extractXlsx } from './ooxml.js';
import { extractPdf } from './pdf.js';
import { parseInfo2, parseRecycleInfo } from './recycle.js';
import { extractRtf } from './rtf.js';
import { sniffDocument, zipKind } from './sniff.js';
import { extractTar } from './tar.js';
import { baseName, decodeAs, decodeText, extOf, isUtf8 } from './text.js';
import type { DocFormat, ExtractOptions, ExtractResult } from './types.js';
import { DEFAULT_LIMITS } from './types.js';
import { Zip } from './zip.js';

export type { DocFormat, Embedded, ExtractMeta, ExtractOptions, ExtractResult, Gap, GapKind, RecycleInfo, TextPart } from './types.js';
export { DEFAULT_LIMITS } from './types.js';
export { sniffDocument } from './sniff.js';
export { parseInfo2, parseRecycleInfo } from './recycle.js';
export { decodeText } from './text.js';

function extractZipMembers(zip: Zip, ctx: Ctx): void {
  for (const e of zip.entries) {
    if (e.isDir) continue;
    ctx.check();
    if (!ctx.countMember()) return;
    ctx.embedLazy(e.name, () => zip.read(e), () => zip.peek(e), { size: e.size, pieces: () => zip.pieces(e) });
  }
}

function extractGzip(bytes: Uint8Array, ctx: Ctx, name: string | undefined): void {
  // FNAME (flag bit 3) holds the original name
  let inner = name ? baseName(name).replace(/\.(gz|tgz)$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : '')) : 'content';
  const flg = bytes[3] ?? 0;
  if (flg & 0x08) {
    let p = 10;
    if (flg & 0x04) p += 2 + ((bytes[10] ?? 0) | ((bytes[11] ?? 0) << 8));
    const end = bytes.indexOf(0, p);
    if (end > p) {
      const raw = bytes.subarray(p, end);
      inner = decodeAs(raw, isUtf8(raw) ? 'utf-8' : 'gb18030');
    }
  }
  const ratioCap = Math.max(DEFAULT_LIMITS.ratioFloorBytes, bytes.length * ctx.maxRatio);
  const budget = ctx.maxExpandedBytes - ctx.expanded;
  const limit = Math.min(ratioCap, budget);
  try {
    const out = gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
    if (ctx.reserve(out.length, inner)) ctx.embed(inner, new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      ctx.gap(limit === ratioCap ? 'zip-bomb' : 'too-large', `gzip content expands past ${limit} bytes; stopped`, inner);
    } else ctx.gap('corrupt', `gzip unreadable: ${errorMessage(e)}`);
  }
}

async function run(bytes: Uint8Array, ctx: Ctx, opts: ExtractOptions): Promise<void> {
  const ext = extOf(opts.name);
  let format = sniffDocument(bytes, opts.name);
  ctx.format = format;
  if (bytes.length > (opts.maxBytes ?? DEFAULT_LIMITS.maxBytes)) {
    ctx.gap('too-large', `file of ${bytes.length} bytes is larger than the ${opts.maxBytes ?? DEFAULT_LIMITS.maxBytes}-byte limit; not parsed`);
    return;
  }
  ctx.check();
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    // OLE: Office binaries, and password-protected OOXML (sniffed as docx/xlsx/pptx by its name)
    extractOle(bytes, ctx, ext);
    return;
  }
  switch (format) {
    case 'docx':
    case 'xlsx':
    case 'pptx':
    case 'odt':
    case 'ods':
    case 'odp':
    case 'ofd':
    case 'zip': {
      const zip = Zip.open(opts.archiveSource ?? bytes, ctx);
      // the whole central directory is known now: sniff again exactly
      const mt = zip.get('mimetype');
      const mimetype = mt && mt.method === 0 && mt.size < 200 ? decodeAs(zip.read(mt) ?? new Uint8Array(0), 'utf-8') : undefined;
      format = zipKind(
        zip.entries.map((e) => e.name),
        mimetype,
        ext,
      );
      ctx.format = format;
      if (format === 'docx') extractDocx(zip, ctx);
      else if (format === 'xlsx') extractXlsx(zip, ctx);
      else if (format === 'pptx') extractPptx(zip, ctx);
      else if (format === 'odt' || format === 'ods' || format === 'odp') extractOdf(zip, ctx, format);
      else if (format === 'ofd') extractOfd(zip, ctx);
      else extractZipMembers(zip, ctx);
      return;
    }
    case 'doc':
    case 'wps':
    case 'xls':
    case 'et':
    case 'ppt':
    case 'dps':
    case 'msg':
    case 'ole':
      extractOle(bytes, ctx, ext);
      return;
    case 'pdf':
      await extractPdf(bytes, ctx);
      return;
    case 'rtf':
      extractRtf(bytes, ctx);
      return;
    case 'html':
    case 'xml': {
      const r = htmlToText(bytes, undefined, format === 'xml');
      ctx.meta.encoding = r.encoding;
      ctx.part('text', r.text);
      return;
    }
    case 'eml':
      extractEml(bytes, ctx);
      return;
    case 'text': {
      const r = decodeText(bytes);
      ctx.meta.encoding = r.encoding;
      ctx.part('text', r.text);
      return;
    }
    case 'recycle-info': {
      const one = parseRecycleInfo(bytes);
      if (one) ctx.part('original-path', one.originalPath);
      else {
        const recs = parseInfo2(bytes);
        ctx.part('original-path', recs.map((r) => r.originalPath).join('\n'));
      }
      return;
    }
    case 'gzip':
      extractGzip(bytes, ctx, opts.name);
      return;
    case 'tar':
      extractTar(opts.archiveSource ?? bytes, ctx);
      return;
    case 'rar':
    case '7z':
      ctx.gap('unsupported', `${format === 'rar' ? 'RAR' : '7-Zip'} archive: members not unpacked`);
      return;
    case 'image':
      ctx.gap('no-text-layer', 'picture: not inspectable without OCR');
      return;
    case 'binary':
      ctx.gap('unsupported', 'binary file of a kind that holds no extractable document text');
      return;
    default:
      if (bytes.length) ctx.gap('unsupported', 'unrecognised content');
  }
}

/**
 * Extracts the text of one file. Never throws: damage, limits, encryption, time-outs and aborts
 * come back as gaps, with whatever was read before them.
 */
export async function extractText(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const ctx = new Ctx(opts);
  try {
    if (opts.name && opts.fileNamePart !== false) ctx.part('file-name', baseName(opts.name));
    await run(bytes, ctx, opts);
  } catch (e) {
    if (e instanceof StopError) ctx.gap(e.kind, e.message);
    else ctx.gap('corrupt', `${ctx.format} parser stopped: ${errorMessage(e)}`);
  }
  const res: ExtractResult = { format: ctx.format, parts: ctx.parts, embedded: ctx.embedded, gaps: ctx.gaps };
  if (Object.keys(ctx.meta).length) res.meta = ctx.meta;
  return res;
}
