/**
 * PDF text layer through PDFium built to WebAssembly (`@embedpdf/pdfium`, MIT; PDFium
 * BSD-3-Clause/Apache-2.0): one part per page (`page:N`), annotation texts (`annot:N`), form field
 * values (`form:N`), the document information (`properties`). Measured against pdf.js and poppler in
 * docs/pdf-extraction.md: it reads non-embedded CJK fonts with Adobe's CMaps built in and joins the
 * glyphs of a page by their geometry itself.
 *
 * Gaps: a password → `encrypted`; a file PDFium cannot open → `corrupt`; no text on any page, or
 * pages showing images without text → `no-text-layer` (OCR needed); the expansion budgets are
 * screened before PDFium sees the file (pdf-budget.ts).
 *
 * Bounds. A WebAssembly call is synchronous: no timer and no AbortSignal can interrupt it, only
 * terminating its thread can. So PDFium runs in a thread of its own (pdf-thread.ts; one per thread
 * that reads PDFs: the main thread of `baomi inspect`, each worker of the document walk), which
 * checks the time budget between pages and is terminated when the budget (plus a second) has run
 * out or the caller aborts; the pages read until then are kept. The walk's watchdog (pool.ts) stays
 * behind it: its budget is longer.
 *
 * Memory: WebAssembly memory never shrinks, and a dropped instance is not reliably collected (an
 * aborted one stayed resident). Growth past PDFIUM_HEAP_CAP is refused (the file → gap
 * `too-large`), and after a document that left the engine over PDFIUM_RECYCLE, or broken, the
 * thread is terminated — that gives its memory back — and the next document gets a new one. The
 * module is compiled once per process and handed to each new thread.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, workerData } from 'node:worker_threads';
import type { Ctx } from './context.js';
import { StopError, errorMessage } from './context.js';
import { DEFAULT_PDF_BUDGET, screenPdf } from './pdf-budget.js';
import type { ExtractMeta, GapKind } from './types.js';

const MB = 1024 * 1024;
/** Hard cap on one engine's WebAssembly memory (BAOMI_PDFIUM_HEAP_MB): growth past it is refused. */
export const PDFIUM_HEAP_CAP = (Number(process.env['BAOMI_PDFIUM_HEAP_MB'] ?? 0) || 128) * MB;
/** After a document, an engine whose memory has grown past this is dropped (BAOMI_PDFIUM_RECYCLE_MB). */
export const PDFIUM_RECYCLE = (Number(process.env['BAOMI_PDFIUM_RECYCLE_MB'] ?? 0) || 48) * MB;
/** Longest metadata, annotation or field string read (bytes of UTF-16). */
const MAX_STRING_BYTES = 4 * MB;
/** Page objects looked at, per empty page, for an image (form XObjects included). */
const MAX_OBJECTS = 10_000;

const FPDF_ERR_FORMAT = 3;
const FPDF_ERR_PASSWORD = 4;
const FPDF_ERR_SECURITY = 5;
const FPDF_PAGEOBJ_IMAGE = 3;
const FPDF_PAGEOBJ_FORM = 5;
const FPDF_ANNOT_POPUP = 16;
const FPDF_ANNOT_WIDGET = 20;

/**
 * Where the PDFium WebAssembly binary is read from — the one place that decides it:
 * 1. `BAOMI_PDFIUM_WASM` (a path), when set;
 * 2. `pdfium.wasm` beside this module, when there is one (a bundle of the CLI ships the binary next
 *    to the bundle: `import.meta.url` is then the bundle's);
 * 3. the `@embedpdf/pdfium` package's own `dist/pdfium.wasm`, resolved as Node resolves the package.
 * Always a file on disk: never a URL.
 */
export function pdfiumWasmPath(): string {
  const env = process.env['BAOMI_PDFIUM_WASM'];
  if (env) return env;
  const beside = fileURLToPath(new URL('./pdfium.wasm', import.meta.url));
  if (statSync(beside, { throwIfNoEntry: false })?.isFile()) return beside;
  return createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm');
}

// ------------------------------------------------------------------------------ the engine

type Pdfium = Awaited<ReturnType<typeof import('@embedpdf/pdfium').init>>;

interface Engine {
  m: Pdfium;
  /** Bytes of WebAssembly memory the instance holds. */
  memory: () => number;
  state: {
    /** Growth past PDFIUM_HEAP_CAP was refused. */
    refused: boolean;
    /** Growth below the cap failed (the system gave no more memory). */
    growFailed: boolean;
    /** The module aborted or trapped (out of memory…): not to be used again. */
    broken: boolean;
  };
}

let compiled: Promise<WebAssembly.Module> | undefined;
let current: Promise<Engine> | undefined;

/** The compiled PDFium module (compiled once per process: threads are given it, see startThread). */
function compiledPdfium(): Promise<WebAssembly.Module> {
  const given = (workerData as { pdfiumModule?: unknown } | null)?.pdfiumModule;
  compiled ??= given instanceof WebAssembly.Module ? Promise.resolve(given) : WebAssembly.compile(readFileSync(pdfiumWasmPath()));
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

async function newEngine(): Promise<Engine> {
  const wasm = await compiledPdfium();
  const { init } = await import('@embedpdf/pdfium');
  const state = { refused: false, growFailed: false, broken: false };
  // This (debug) build defines a warning getter on globalThis for every symbol it leaves out, each
  // a closure over the instance: the first instance would never be collected, its memory with it.
  const globals = new Set(Reflect.ownKeys(globalThis));
  let memory: WebAssembly.Memory | undefined;
  const m = await init({
    print: () => undefined,
    printErr: () => undefined,
    onAbort: () => {
      state.broken = true;
    },
    instantiateWasm: (imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) => {
      const env = imports['env'] as Record<string, unknown>;
      const grow = env['emscripten_resize_heap'] as (n: number) => number;
      const capped = {
        ...env,
        emscripten_resize_heap: (requested: number) => {
          if (requested >>> 0 > PDFIUM_HEAP_CAP) {
            state.refused = true;
            return 0;
          }
          const ok = grow(requested);
          if (!ok) state.growFailed = true;
          return ok;
        },
      };
      void WebAssembly.instantiate(wasm, { ...imports, env: capped, wasi_snapshot_preview1: capped }).then((inst) => {
        memory = inst.exports['memory'] as WebAssembly.Memory;
        receive(inst, wasm);
      });
      return {};
    },
  } as Parameters<typeof import('@embedpdf/pdfium').init>[0]);
  for (const k of Reflect.ownKeys(globalThis)) {
    const d = globals.has(k) ? undefined : Object.getOwnPropertyDescriptor(globalThis, k);
    if (d?.configurable && d.get && !d.set) Reflect.deleteProperty(globalThis, k);
  }
  m.PDFiumExt_Init();
  return { m, memory: () => memory?.buffer.byteLength ?? 0, state };
}

/** The engine of this thread (created on first need, and again after it was dropped). */
function engine(): Promise<Engine> {
  current ??= newEngine().catch((e: unknown) => {
    current = undefined;
    throw e;
  });
  return current;
}

/** Drops the engine when it is broken or its memory has grown past PDFIUM_RECYCLE; true when it did. */
function recycle(e: Engine): boolean {
  if (!e.state.broken && e.memory() <= PDFIUM_RECYCLE) return false;
  current = undefined;
  return true;
}

/** Loads this thread's engine now (the PDFium thread does before its first document). */
export async function pdfiumReady(): Promise<void> {
  await engine();
}

/** WebAssembly memory of this thread's engine (0 when none), for tests and the bench. */
export async function pdfiumMemory(): Promise<number> {
  return current ? (await current).memory() : 0;
}

// ------------------------------------------------------------------------------ one document

/** What a document's reading writes to: the extraction context, or a thread's messages. */
export interface PdfSink {
  part(name: string, text: string): void;
  gap(kind: GapKind, reason: string, part?: string): void;
  readonly meta: ExtractMeta;
  /** Throws a StopError past the time budget or on abort. */
  check(): void;
}

const utf16 = new TextDecoder('utf-16le');

/** Text lines as the rest of baomi writes them (PDFium ends lines with \r\n). */
function lines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/**
 * Reads one document with the engine, synchronously between sink.check() calls. Always closes
 * what it opened and frees what it allocated.
 */
function readDocument(e: Engine, bytes: Uint8Array, sink: PdfSink): void {
  const m = e.m;
  const { malloc, free } = m.pdfium.wasmExports;
  const heap = (): Uint8Array => m.pdfium.HEAPU8;
  /** A UTF-16 string from a PDFium getter called as get(buf, bytes) → bytes needed (with the NUL). */
  const str = (get: (buf: number, len: number) => number): string => {
    const need = get(0, 0);
    if (!(need > 2)) return '';
    const len = Math.min(need, MAX_STRING_BYTES) & ~1;
    const buf = malloc(len);
    if (!buf) return '';
    try {
      const got = Math.min(get(buf, len), len);
      return got > 2 ? utf16.decode(heap().subarray(buf, buf + got - 2)) : '';
    } finally {
      free(buf);
    }
  };

  let ptr = 0;
  let box = 0;
  let doc = 0;
  let formInfo = 0;
  let form = 0;
  /** Copies `data` into the engine's memory and opens it (0 when it cannot). */
  const load = (data: Uint8Array): number => {
    if (ptr) free(ptr);
    ptr = malloc(Math.max(1, data.length));
    if (!ptr) throw new RangeError(`no memory for a PDF of ${data.length} bytes`);
    heap().set(data, ptr);
    return m.FPDF_LoadMemDocument(ptr, data.length, '');
  };
  try {
    doc = load(bytes);
    let err = doc ? 0 : m.FPDF_GetLastError();
    if (err === FPDF_ERR_FORMAT) {
      // A file cut short (a partial download, a file carved from free space) has lost its trailer
      // and PDFium then does not look for the catalog: name it in a trailer of our own, and PDFium
      // rebuilds the cross-reference table from the objects that are there.
      const repaired = withTrailer(bytes);
      if (repaired) {
        doc = load(repaired);
        if (doc) sink.gap('partial', 'PDF damaged or cut short (no usable cross-reference trailer): read what is left');
        else err = m.FPDF_GetLastError();
      }
    }
    if (!doc) {
      if (err === FPDF_ERR_PASSWORD) sink.gap('encrypted', 'PDF needs a password to open');
      else if (err === FPDF_ERR_SECURITY) sink.gap('encrypted', 'PDF encrypted with a security handler the reader does not support');
      else sink.gap('corrupt', `PDF unreadable (PDFium error ${err})`);
      return;
    }
    const pages = m.FPDF_GetPageCount(doc);
    sink.meta.pages = pages;
    const meta = (tag: string): string => str((b, n) => m.FPDF_GetMetaText(doc, tag, b, n)).trim();
    const producer = [meta('Producer'), meta('Creator')].filter((v) => v !== '');
    if (producer.length) sink.meta.producer = producer.join(' / ');
    const props: string[] = [];
    for (const k of ['Title', 'Subject', 'Keywords', 'Author']) {
      const v = meta(k);
      if (v) props.push(`${k.toLowerCase()}: ${v}`);
    }
    sink.part('properties', props.join('\n'));
    // the form-fill environment gives fields' values as the form holds them (inherited /V included)
    formInfo = m.PDFiumExt_OpenFormFillInfo();
    form = formInfo ? m.PDFiumExt_InitFormFillEnvironment(doc, formInfo) : 0;

    box = malloc(32);
    if (!box) throw new RangeError('no memory for a character box');
    const empty: number[] = [];
    const unreadable: number[] = [];
    let withText = 0;
    for (let i = 0; i < pages; i++) {
      sink.check();
      const n = i + 1;
      const page = m.FPDF_LoadPage(doc, i);
      if (!page) {
        unreadable.push(n);
        continue;
      }
      try {
        const tp = m.FPDFText_LoadPage(page);
        let text = '';
        // no text page: PDFium ran out of memory (a failed malloc returns null, it does not throw)
        if (!tp) unreadable.push(n);
        if (tp) {
          try {
            const count = m.FPDFText_CountChars(tp);
            // with a count of 0 the buffer would be left unwritten
            if (count > 0) {
              const buf = malloc((count + 1) * 2);
              if (!buf) throw new RangeError('no memory for the page text');
              try {
                const got = m.FPDFText_GetText(tp, 0, count, buf);
                if (got > 1) text = layoutGaps(m, tp, utf16.decode(heap().subarray(buf, buf + (got - 1) * 2)), box);
              } finally {
                free(buf);
              }
            }
          } finally {
            m.FPDFText_ClosePage(tp);
          }
        }
        if (/\S/.test(text)) {
          withText++;
          sink.part(`page:${n}`, lines(text));
        } else if (hasImage(m, page)) empty.push(n);
        readAnnotations(m, page, form, n, str, sink);
      } finally {
        m.FPDF_ClosePage(page);
      }
    }
    if (unreadable.length) sink.gap('corrupt', `${unreadable.length === 1 ? 'page' : 'pages'} ${listPages(unreadable)} unreadable`);
    if (pages > 0 && withText === 0 && unreadable.length < pages) {
      sink.gap('no-text-layer', 'no text layer (scanned or image-only PDF): not inspectable without OCR');
    } else if (empty.length) {
      sink.gap('no-text-layer', `page${empty.length > 1 ? 's' : ''} ${listPages(empty)} show${empty.length > 1 ? '' : 's'} images without a text layer: not inspectable without OCR`);
    }
  } finally {
    if (form) m.PDFiumExt_ExitFormFillEnvironment(form);
    if (formInfo) m.PDFiumExt_CloseFormFillInfo(formInfo);
    if (doc) m.FPDF_CloseDocument(doc);
    if (ptr) free(ptr);
    if (box) free(box);
  }
}

/** A gap on a line wider than this many em is a layout gap (see layoutGaps). */
const LAYOUT_GAP_EM = 1.5;

/** Whitespace, line and cell breaks (UTF-16 code units). */
function blank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3000 || c === 0xa0;
}

/**
 * PDFium writes one space for any gap on a line, a word's or a column's alike. The marking grammar
 * tells a label set apart in a layout (`办公室      内部资料      第1页` in a running header, the
 * columns of a table) by a run of two spaces or more, and keeps words on one line across a single
 * space, full-width included (`第一章　秘密`; markings.ts strongBoundary). So a space between
 * glyphs of one line more than LAYOUT_GAP_EM em apart — wider than one full-width space — becomes
 * two. `box` is 32 bytes of engine memory for a character's box (FS_RECTF).
 */
function layoutGaps(m: Pdfium, tp: number, text: string, box: number): string {
  let out = '';
  let from = 0;
  // the loose box: from the glyph's origin over its advance (a narrow glyph's bearing is no gap)
  const charBox = (ci: number): [number, number, number, number] | undefined => {
    if (!m.FPDFText_GetLooseCharBox(tp, ci, box)) return undefined;
    const h = m.pdfium.HEAPF32;
    const i = box >> 2;
    // FS_RECTF: left, top, right, bottom → left, right, bottom, top
    return [h[i]!, h[i + 2]!, h[i + 3]!, h[i + 1]!];
  };
  for (let t = text.indexOf(' '); t >= 0; t = text.indexOf(' ', t + 1)) {
    if (t === 0 || t + 1 >= text.length || blank(text.charCodeAt(t - 1)) || blank(text.charCodeAt(t + 1))) continue;
    const ia = m.FPDFText_GetCharIndexFromTextIndex(tp, t - 1);
    const ib = m.FPDFText_GetCharIndexFromTextIndex(tp, t + 1);
    if (ia < 0 || ib < 0) continue;
    const a = charBox(ia);
    const b = charBox(ib);
    if (!a || !b) continue;
    const em = Math.max(m.FPDFText_GetFontSize(tp, ia), m.FPDFText_GetFontSize(tp, ib));
    const sameLine = Math.abs((a[2] + a[3]) / 2 - (b[2] + b[3]) / 2) < 0.5 * em;
    if (em > 0 && sameLine && b[0] - a[1] > LAYOUT_GAP_EM * em) {
      out += `${text.slice(from, t)}  `;
      from = t + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The file with a trailer naming its last catalog object appended, or undefined when it has none. */
function withTrailer(bytes: Uint8Array): Uint8Array | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let root: string | undefined;
  for (let at = buf.indexOf('/Catalog', 0, 'latin1'); at >= 0; at = buf.indexOf('/Catalog', at + 8, 'latin1')) {
    // the object it is in: the last "N G obj" in the 2 KB before it
    const before = buf.subarray(Math.max(0, at - 2048), at).toString('latin1');
    if (!/\/Type\s*$/.test(before)) continue;
    const objs = [...before.matchAll(/(?:^|[^\d])(\d{1,10})\s+(\d{1,5})\s+obj\b/g)];
    const last = objs[objs.length - 1];
    if (last && !before.slice(last.index).includes('endobj')) root = `${last[1]} ${last[2]} R`;
  }
  if (!root) return undefined;
  return Buffer.concat([bytes, Buffer.from(`\nendstream\nendobj\ntrailer\n<< /Root ${root} >>\n%%EOF\n`, 'latin1')]);
}

function listPages(ns: number[]): string {
  return ns.length > 200 ? `${ns.slice(0, 200).join(', ')} … (${ns.length})` : ns.join(', ');
}

/** Does the page draw an image (directly or in a form XObject)? Counts no more than MAX_OBJECTS objects. */
function hasImage(m: Pdfium, page: number): boolean {
  let seen = 0;
  const walk = (count: number, get: (i: number) => number, depth: number): boolean => {
    for (let i = 0; i < count && seen < MAX_OBJECTS; i++, seen++) {
      const obj = get(i);
      if (!obj) continue;
      const type = m.FPDFPageObj_GetType(obj);
      if (type === FPDF_PAGEOBJ_IMAGE) return true;
      if (type === FPDF_PAGEOBJ_FORM && depth < 8 && walk(m.FPDFFormObj_CountObjects(obj), (j) => m.FPDFFormObj_GetObject(obj, j), depth + 1)) return true;
    }
    return false;
  };
  return walk(m.FPDFPage_CountObjects(page), (i) => m.FPDFPage_GetObject(page, i), 0);
}

/** Annotations' /Contents → `annot:N`; form fields' values → `form:N` (each distinct text once per page). */
function readAnnotations(m: Pdfium, page: number, form: number, n: number, str: (get: (buf: number, len: number) => number) => string, sink: PdfSink): void {
  const count = m.FPDFPage_GetAnnotCount(page);
  if (count <= 0) return;
  const notes = new Set<string>();
  const fields = new Set<string>();
  for (let i = 0; i < Math.min(count, MAX_OBJECTS); i++) {
    const a = m.FPDFPage_GetAnnot(page, i);
    if (!a) continue;
    try {
      const subtype = m.FPDFAnnot_GetSubtype(a);
      if (subtype === FPDF_ANNOT_WIDGET) {
        let v = form ? str((b, len) => m.FPDFAnnot_GetFormFieldValue(form, a, b, len)) : '';
        if (!v) v = str((b, len) => m.FPDFAnnot_GetStringValue(a, 'V', b, len));
        if (/\S/.test(v)) fields.add(lines(v).trim());
      }
      if (subtype !== FPDF_ANNOT_POPUP || notes.size === 0) {
        const c = str((b, len) => m.FPDFAnnot_GetStringValue(a, 'Contents', b, len));
        if (/\S/.test(c)) notes.add(lines(c).trim());
      }
    } finally {
      m.FPDFPage_CloseAnnot(a);
    }
  }
  sink.part(`annot:${n}`, [...notes].join('\n'));
  sink.part(`form:${n}`, [...fields].join('\n'));
}

/**
 * Reads one document in this thread (the walk's workers, and the PDFium thread). Errors of the
 * engine itself (out of memory, a trap) become gaps and drop the engine; a StopError passes.
 * True when the engine was dropped afterwards (broken, or grown past PDFIUM_RECYCLE).
 */
export async function readPdfHere(bytes: Uint8Array, sink: PdfSink): Promise<boolean> {
  const e = await engine();
  sink.check();
  // A refused or failed growth makes PDFium's malloc return null, which most of its calls survive
  // by skipping what they were reading: whether or not it threw, this document was not read whole.
  e.state.refused = false;
  e.state.growFailed = false;
  let threw: unknown;
  try {
    readDocument(e, bytes, sink);
  } catch (err) {
    if (err instanceof StopError) throw err;
    threw = err;
  }
  if (e.state.refused || e.state.growFailed) {
    e.state.broken = true;
    sink.gap('too-large', e.state.refused ? `the PDF reader needed more than ${PDFIUM_HEAP_CAP / MB} MB of memory; stopped` : 'the PDF reader could not get more memory from the system; not read whole');
  } else if (threw !== undefined) {
    e.state.broken = true;
    sink.gap('corrupt', `PDF reader stopped: ${errorMessage(threw)}`);
  }
  return recycle(e);
}

// ------------------------------------------------------------------------------ where it runs

/** Messages of the PDFium thread (pdf-thread.ts). */
export type PdfThreadReply =
  | { id: number; type: 'part'; name: string; text: string }
  | { id: number; type: 'gap'; kind: GapKind; reason: string; part?: string }
  | { id: number; type: 'done'; meta: ExtractMeta; stop?: { kind: GapKind; message: string }; recycle?: boolean };

export interface PdfThreadJob {
  id: number;
  bytes: Uint8Array;
  /** Epoch ms after which the thread stops between pages (Infinity: none). */
  deadline: number;
}

/** Time a fresh PDFium thread may take to start and compile the engine (not part of a file's budget). */
const THREAD_START_MS = 30_000;
/** After the budget, the thread has this long to stop by itself before it is terminated. */
const THREAD_GRACE_MS = 1_000;

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  dead: boolean;
}

let thread: Thread | undefined;
let jobIds = 0;
let threadsStarted = 0;

/** PDFium threads started by this thread so far (tests: a recycled engine means a new thread). */
export function pdfThreadsStarted(): number {
  return threadsStarted;
}

function threadUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../../dist/formats/docs/pdf-thread.js', import.meta.url) : new URL('./pdf-thread.js', import.meta.url);
}

function startThread(wasm: WebAssembly.Module): Thread {
  const worker = new Worker(threadUrl(), { workerData: { pdfiumModule: wasm }, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
  worker.unref();
  threadsStarted++;
  const t: Thread = { worker, dead: false, ready: Promise.resolve() };
  t.ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the PDF reader did not start')), THREAD_START_MS);
    timer.unref();
    worker.once('message', (m: { type?: string; error?: string }) => {
      clearTimeout(timer);
      if (m.type === 'ready') resolve();
      else reject(new Error(m.error ?? 'the PDF reader did not start'));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  t.ready.catch(() => undefined);
  const gone = (): void => {
    t.dead = true;
    if (thread === t) thread = undefined;
  };
  worker.on('error', gone);
  worker.on('exit', gone);
  return t;
}

function retire(t: Thread): void {
  t.dead = true;
  if (thread === t) thread = undefined;
  void t.worker.terminate();
}

/** One document in the PDFium thread, its parts and gaps applied to ctx as they come. */
async function readPdfInThread(bytes: Uint8Array, ctx: Ctx): Promise<void> {
  ctx.check();
  let t: Thread;
  try {
    const wasm = await compiledPdfium();
    t = thread && !thread.dead ? thread : (thread = startThread(wasm));
    await t.ready;
  } catch (e) {
    if (thread) retire(thread);
    ctx.gap('unsupported', `PDF reader unavailable: ${errorMessage(e)}`);
    return;
  }
  ctx.check();
  const id = ++jobIds;
  const ms = ctx.remainingMs();
  const job: PdfThreadJob = { id, bytes: new Uint8Array(bytes), deadline: Number.isFinite(ms) ? Date.now() + ms : Infinity };
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (err: StopError): void => {
      // the thread is in the middle of a page: only terminating it stops it
      finish();
      retire(t);
      reject(err);
    };
    const onAbort = (): void => stop(new StopError('timeout', 'aborted by the caller'));
    const onMessage = (r: PdfThreadReply): void => {
      if (r.id !== id) return;
      if (r.type === 'part') ctx.part(r.name, r.text);
      else if (r.type === 'gap') ctx.gap(r.kind, r.reason, r.part);
      else {
        Object.assign(ctx.meta, r.meta);
        finish();
        // its engine was dropped: the memory of a WebAssembly instance comes back for sure only
        // with its thread, so the next document gets a new one
        if (r.recycle) retire(t);
        if (r.stop) reject(new StopError(r.stop.kind, r.stop.message));
        else resolve();
      }
    };
    const onExit = (): void => {
      finish();
      ctx.gap('corrupt', 'the PDF reader stopped (out of memory or a crash) while reading this file');
      resolve();
    };
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      t.worker.off('message', onMessage);
      t.worker.off('exit', onExit);
      t.worker.unref();
    };
    t.worker.ref();
    t.worker.on('message', onMessage);
    t.worker.on('exit', onExit);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(ms)) timer = setTimeout(() => stop(new StopError('timeout', 'time budget for this file exceeded')), Math.max(0, ms) + THREAD_GRACE_MS);
    t.worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
  });
}

export async function extractPdf(bytes: Uint8Array, ctx: Ctx): Promise<void> {
  // the budgets are checked first, while decoding (pdf-budget.ts)
  const streamBytes = Math.max(1, Math.min(DEFAULT_PDF_BUDGET.streamBytes, ctx.maxExpandedBytes - ctx.expanded));
  const over = await screenPdf(bytes, { streamBytes, totalBytes: 4 * streamBytes, objects: DEFAULT_PDF_BUDGET.objects }, () => ctx.check());
  if (over) {
    ctx.gap(over.kind, `PDF ${over.reason}`);
    return;
  }
  await readPdfInThread(bytes, ctx);
}
