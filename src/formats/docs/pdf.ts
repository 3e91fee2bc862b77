/**
 * PDF text layer through pdf.js (the `unpdf` serverless build), one part per page (`page:N`).
 *
 * Items are joined by their geometry: no separator between glyphs that touch on the same line or
 * stack in the same column (Microsoft Print-to-PDF places CJK glyphs one by one), a space for a
 * gap, a newline otherwise. pdf.js's own spaces inside CJK runs are kept: the marking normaliser
 * removes whitespace between CJK characters. Pages without text but with images → gap
 * `no-text-layer` (OCR needed); a password → gap `encrypted`. The time budget and the abort signal
 * are checked between pages and bound every pdf.js call.
 */
import type { Ctx } from './context.js';
import { StopError, errorMessage } from './context.js';
import { DEFAULT_PDF_BUDGET, screenPdf } from './pdf-budget.js';

interface Item {
  str: string;
  transform: number[];
  width: number;
  hasEOL: boolean;
}

/** Joins text items of one page by geometry. */
export function joinItems(items: Item[]): string {
  const out: string[] = [];
  let prev: { along: number; across: number; w: number; size: number } | undefined;
  for (const it of items) {
    if (typeof it.str !== 'string' || it.str === '') continue;
    const t = it.transform;
    const a = t[0] ?? 1;
    const b = t[1] ?? 0;
    const x = t[4] ?? 0;
    const y = t[5] ?? 0;
    const size = Math.hypot(t[2] ?? 0, t[3] ?? 0) || Math.hypot(a, b) || 10;
    // project onto the text direction (rotated pages and rotated text included)
    const norm = Math.hypot(a, b) || 1;
    const ux = a / norm;
    const uy = b / norm;
    const along = x * ux + y * uy;
    const across = -x * uy + y * ux;
    if (prev) {
      const s = Math.max(size, prev.size);
      const dAcross = Math.abs(across - prev.across);
      const gap = along - (prev.along + prev.w);
      if (dAcross < 0.35 * s && gap > -0.5 * s && gap < 0.2 * s) {
        /* touching on the same line */
      } else if (dAcross < 0.35 * s && gap >= 0.2 * s && gap < 4 * s) out.push(' ');
      else if (Math.abs(along - prev.along) < 0.35 * s && prev.across - across > 0 && prev.across - across < 1.7 * s && [...it.str.trim()].length === 1) {
        /* one glyph per line in a column */
      } else out.push('\n');
    }
    out.push(it.str);
    prev = { along, across, w: it.width, size };
  }
  return out.join('');
}

// ---------------------------------------------------------------- synthetic CMaps
//
// Non-embedded CJK fonts (STSong-Light + UniGB-UCS2-H, as iText and many Chinese report tools
// write) need Adobe's predefined CMaps, which this kit does not ship. pdf.js reads the text of such
// a font as code → CID (the encoding CMap) → Unicode (the `<Registry>-<Ordering>-UCS2` CMap). We
// serve consistent stand-ins in which the CID *is* the Unicode code point: identity for the UCS2 /
// UTF16 encodings, TextDecoder-derived tables for GBK/Big5/Shift-JIS/EUC-KR encodings, and an
// identity CID → Unicode map. Glyph shapes and widths come out wrong, which text extraction does
// not need. The UCS2 map is served only to a document that has asked for one of these encodings
// (an Identity-H font without ToUnicode has real CIDs, which the identity would misread).

const cmapCache = new Map<string, Uint8Array>();

function cmapText(name: string, codespace: string[], body: string[], kind: 'cid' | 'bf'): Uint8Array {
  const lines = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    `/CMapName /${name} def`,
    `${codespace.length} begincodespacerange`,
    ...codespace,
    'endcodespacerange',
  ];
  for (let i = 0; i < body.length; i += 100) {
    const chunk = body.slice(i, i + 100);
    const tag = kind === 'bf' ? 'bfrange' : chunk[0]!.split(' ').length === 3 ? 'cidrange' : 'cidchar';
    lines.push(`${chunk.length} begin${tag}`, ...chunk, `end${tag}`);
  }
  lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end', '');
  return new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
}

const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

function identityEncoding(name: string): Uint8Array {
  const body: string[] = [];
  for (let hi = 0; hi < 256; hi++) body.push(`<${hex2(hi)}00> <${hex2(hi)}FF> ${hi * 256}`);
  return cmapText(name, ['<0000> <FFFF>'], body, 'cid');
}

function tableEncoding(name: string, label: string, singles: Array<[number, number]>, leads: [number, number], trails: [number, number], codespace: string[]): Uint8Array {
  const dec = new TextDecoder(label);
  const body: string[] = [];
  for (const [lo, hi] of singles) {
    for (let b = lo; b <= hi; b++) {
      const s = dec.decode(Uint8Array.of(b));
      if (s.length === 1 && s !== '\uFFFD') body.push(`<${hex2(b)}> ${s.charCodeAt(0)}`);
    }
  }
  for (let l = leads[0]; l <= leads[1]; l++) {
    for (let t = trails[0]; t <= trails[1]; t++) {
      const s = dec.decode(Uint8Array.of(l, t));
      if (s.length === 1 && s !== '\uFFFD') body.push(`<${hex4(l * 256 + t)}> ${s.charCodeAt(0)}`);
    }
  }
  return cmapText(name, codespace, body, 'cid');
}

function identityUcs2(name: string): Uint8Array {
  const body: string[] = [];
  for (let hi = 0; hi < 256; hi++) if (hi < 0xd8 || hi > 0xdf) body.push(`<${hex2(hi)}00> <${hex2(hi)}FF> <${hex2(hi)}00>`);
  return cmapText(name, ['<0000> <FFFF>'], body, 'bf');
}

/** The stand-in CMap for a predefined CMap name, or undefined. */
export function syntheticCMap(name: string): Uint8Array | undefined {
  const hit = cmapCache.get(name);
  if (hit) return hit;
  let data: Uint8Array | undefined;
  if (/^Uni(GB|CNS|JIS|KS)-(UCS2|UTF16)-[HV]$/.test(name)) data = identityEncoding(name);
  else if (/^(GBK-EUC|GBK2K|GBKp-EUC|GBpc-EUC|GB-EUC|GBT-EUC|GBTpc-EUC)-[HV]$/.test(name))
    data = tableEncoding(name, 'gbk', [[0, 0x80]], [0x81, 0xfe], [0x40, 0xfe], ['<00> <80>', '<8140> <FEFE>']);
  else if (/^(B5pc|ETen-B5|ETenms-B5|HKscs-B5|B5)-[HV]$/.test(name))
    data = tableEncoding(name, 'big5', [[0, 0x80]], [0x81, 0xfe], [0x40, 0xfe], ['<00> <80>', '<8140> <FEFE>']);
  else if (/^(90ms-RKSJ|90msp-RKSJ|83pv-RKSJ|90pv-RKSJ)-[HV]$/.test(name))
    data = tableEncoding(name, 'shift_jis', [[0, 0x80], [0xa0, 0xdf]], [0x81, 0xfc], [0x40, 0xfc], ['<00> <80>', '<A0> <DF>', '<8140> <9FFC>', '<E040> <FCFC>']);
  else if (/^(KSC-EUC|KSCms-UHC|KSCpc-EUC|KSCms-UHC-HW)-[HV]$/.test(name))
    data = tableEncoding(name, 'euc-kr', [[0, 0x80]], [0x81, 0xfe], [0x41, 0xfe], ['<00> <80>', '<8141> <FEFE>']);
  else if (/^Adobe-(GB1|CNS1|Japan1|Korea1)-UCS2$/.test(name)) data = identityUcs2(name);
  if (data) cmapCache.set(name, data);
  return data;
}

/** pdf.js BinaryDataFactory serving the synthetic CMaps (one instance per document). */
class SyntheticCMapFactory {
  private servedEncoding = false;
  constructor(_opts: unknown) {}
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    if (kind !== 'cMapUrl') throw new Error(`no ${kind} data in this build`);
    const name = filename.replace(/\.bcmap$/, '');
    const isUcs2 = name.endsWith('-UCS2');
    if (isUcs2 && !this.servedEncoding) throw new Error(`CMap ${name} not available`);
    const data = syntheticCMap(name);
    if (!data) throw new Error(`CMap ${name} not available`);
    if (!isUcs2) this.servedEncoding = true;
    return data;
  }
}

/** pdf.js operations still running: on a time-out they get a moment to settle before the document is destroyed. */
const running = new Set<Promise<unknown>>();

/** Runs `p` against the time budget and the abort signal. */
async function bounded<T>(p: Promise<T>, ctx: Ctx): Promise<T> {
  running.add(p);
  void p.then(
    () => running.delete(p),
    () => running.delete(p),
  );
  ctx.check();
  const ms = ctx.remainingMs();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_res, rej) => {
    if (Number.isFinite(ms)) timer = setTimeout(() => rej(new StopError('timeout', 'time budget for this file exceeded')), Math.max(0, ms));
    if (ctx.signal) {
      onAbort = () => rej(new StopError('timeout', 'aborted by the caller'));
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([p, stop]);
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) ctx.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * pdf.js rejects promises it created internally (text-content streams) with "Transport destroyed"
 * / "Worker was destroyed" when a document is destroyed early — after a time-out here — and
 * nobody can hold those promises. Swallow exactly those; anything else stays fatal as by default.
 */
let guardInstalled = false;
function guardPdfjsTeardown(): void {
  if (guardInstalled) return;
  guardInstalled = true;
  process.on('unhandledRejection', (reason) => {
    const msg = (reason as { message?: unknown } | null)?.message;
    if (typeof msg === 'string' && /^(Transport destroyed|Worker was destroyed)$/.test(msg)) return;
    throw reason;
  });
}

export async function extractPdf(bytes: Uint8Array, ctx: Ctx): Promise<void> {
  guardPdfjsTeardown();
  // pdf.js decodes each stream whole: the budgets are checked first, while decoding (pdf-budget.ts)
  const streamBytes = Math.max(1, Math.min(DEFAULT_PDF_BUDGET.streamBytes, ctx.maxExpandedBytes - ctx.expanded));
  const over = await screenPdf(bytes, { streamBytes, totalBytes: 4 * streamBytes, objects: DEFAULT_PDF_BUDGET.objects }, () => ctx.check());
  if (over) {
    ctx.gap(over.kind, `PDF ${over.reason}`);
    return;
  }
  const { getResolvedPDFJS } = await import('unpdf');
  const pdfjs = await getResolvedPDFJS();
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy
  const data = new Uint8Array(bytes);
  const task = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
    password: '',
    useWasm: false,
    useWorkerFetch: false,
    cMapUrl: 'synthetic/',
    cMapPacked: false,
    BinaryDataFactory: SyntheticCMapFactory,
  } as Parameters<typeof pdfjs.getDocument>[0]);
  task.promise.catch(() => undefined);
  try {
    let doc;
    try {
      doc = await bounded(task.promise, ctx);
    } catch (e) {
      if (e instanceof StopError) throw e;
      const name = (e as { name?: string }).name;
      if (name === 'PasswordException') {
        ctx.gap('encrypted', 'PDF needs a password to open');
        return;
      }
      ctx.gap('corrupt', `PDF unreadable: ${errorMessage(e)}`);
      return;
    }
    ctx.meta.pages = doc.numPages;
    try {
      const md = await bounded(doc.getMetadata(), ctx);
      const info = (md.info ?? {}) as Record<string, unknown>;
      const producer = [info['Producer'], info['Creator']].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      if (producer.length) ctx.meta.producer = producer.join(' / ');
      const lines: string[] = [];
      for (const k of ['Title', 'Subject', 'Keywords', 'Author']) {
        const v = info[k];
        if (typeof v === 'string' && v.trim()) lines.push(`${k.toLowerCase()}: ${v.trim()}`);
      }
      ctx.part('properties', lines.join('\n'));
    } catch (e) {
      if (e instanceof StopError) throw e;
    }
    const empty: number[] = [];
    let withText = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      ctx.check();
      try {
        const page = await bounded(doc.getPage(n), ctx);
        const tc = await bounded(page.getTextContent(), ctx);
        const text = joinItems(tc.items as Item[]);
        if (/\S/.test(text)) {
          withText++;
          ctx.part(`page:${n}`, text);
        } else empty.push(n);
        page.cleanup();
      } catch (e) {
        if (e instanceof StopError) throw e;
        ctx.gap('corrupt', `page unreadable: ${errorMessage(e)}`, `page:${n}`);
      }
    }
    if (doc.numPages > 0 && withText === 0) {
      ctx.gap('no-text-layer', 'no text layer (scanned or image-only PDF): not inspectable without OCR');
    } else if (empty.length) {
      // a blank page is not a gap; a page showing an image without text is
      const imagePages: number[] = [];
      const OPS = pdfjs.OPS as Record<string, number>;
      const imageOps = new Set([OPS['paintImageXObject'], OPS['paintInlineImageXObject'], OPS['paintImageMaskXObject'], OPS['paintImageXObjectRepeat']].filter((v): v is number => typeof v === 'number'));
      for (const n of empty.slice(0, 200)) {
        try {
          const page = await bounded(doc.getPage(n), ctx);
          const ops = await bounded(page.getOperatorList(), ctx);
          if (ops.fnArray.some((f: number) => imageOps.has(f))) imagePages.push(n);
          page.cleanup();
        } catch (e) {
          if (e instanceof StopError) throw e;
        }
      }
      if (imagePages.length) {
        ctx.gap('no-text-layer', `page${imagePages.length > 1 ? 's' : ''} ${imagePages.join(', ')} show${imagePages.length > 1 ? '' : 's'} images without a text layer: not inspectable without OCR`);
      }
    }
  } finally {
    // Destroying with operations in flight makes pdf.js reject promises no one holds; let quick
    // ones finish first (a real hang is cut after 200 ms, and the guard above covers it).
    if (running.size > 0) await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 200).unref())]);
    task.destroy().catch(() => undefined);
  }
}
