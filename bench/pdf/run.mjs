// PDF text extraction: baomi's extractor against poppler's pdftotext on the same PDFs and cores.
//
//   python3 scripts/make-bench-pdfs.py                 # → /tmp/baomi-bench-pdfs (313 PDFs, 42 MB)
//   npm run build                                      # baomi's extractor, from dist/
//   node bench/pdf/run.mjs [--dir D] [--jobs 2] [--engines pdftotext,baomi] [--runs 3] [--json F]
//
// Engines (each runs `jobs` processes at once: one per core):
//   pdftotext  poppler's pdftotext, one subprocess per file (`pdftotext -enc UTF-8 FILE -`): the reference
//   baomi      baomi's own extractText from the built dist/ (BAOMI_DIST=… for another build: the
//              pdf.js build before the switch was measured so), as scans use it — PDFium in its thread
// The candidates measured before the switch (docs/pdf-extraction.md) can still be run:
//   pdfium     @hyzyla/pdfium (npm install --prefix /tmp/pdfium-try @hyzyla/pdfium; PDFIUM_DIR=…)
//   embedpdf   @embedpdf/pdfium used bare, FPDFText per page (EMBEDPDF_DIR=…, default: this repo's)
//   pdfjs-raw  pdf.js (unpdf) with getTextContent only (npm install --prefix /tmp/unpdf-try unpdf@1.7.0; UNPDF_DIR=…)
// Node engines run in `jobs` worker processes fed from one queue (largest files first); the wall
// time includes starting them; CPU time (user + system, summed over the processes and their
// threads; for pdftotext from /usr/bin/time, in a separate pass) is the fairer figure on a machine
// others share. Peak RSS is per process (the largest worker with its threads, or the largest
// pdftotext process measured with /usr/bin/time). Completeness is judged against pdftotext: per
// page, the set of CJK characters (and of Latin words) the engine found out of those pdftotext found.
import { fork, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = new URL('../..', import.meta.url).pathname;
let DIR;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

async function loadEngine(engine) {
  if (engine === 'baomi' || engine === 'pdfjs') {
    const dist = process.env.BAOMI_DIST ?? join(ROOT, 'dist');
    const { extractText } = await import(pathToFileURL(join(dist, 'formats/docs/index.js')).href);
    return async (bytes) => {
      const res = await extractText(new Uint8Array(bytes), { name: 'x.pdf', fileNamePart: false });
      const pages = [];
      for (const p of res.parts) {
        const m = /^page:(\d+)$/.exec(p.name ?? p.source ?? p.id ?? '');
        if (m) pages[Number(m[1]) - 1] = (pages[Number(m[1]) - 1] ?? '') + p.text;
      }
      const n = res.meta?.pages ?? pages.length;
      for (let i = 0; i < n; i++) pages[i] ??= '';
      return pages;
    };
  }
  if (engine === 'pdfjs-raw') {
    const dir = process.env.UNPDF_DIR ?? '/tmp/unpdf-try';
    const { getResolvedPDFJS } = await import(pathToFileURL(join(dir, 'node_modules/unpdf/dist/index.mjs')).href);
    const pdfjs = await getResolvedPDFJS();
    return async (bytes) => {
      const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, useWasm: false }).promise;
      const pages = [];
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const tc = await page.getTextContent();
        pages.push(tc.items.map((it) => (it.str ?? '') + (it.hasEOL ? '\n' : '')).join(''));
        page.cleanup();
      }
      await doc.destroy();
      return pages;
    };
  }
  if (engine === 'pdfium') {
    const dir = process.env.PDFIUM_DIR ?? '/tmp/pdfium-try';
    const { PDFiumLibrary } = await import(pathToFileURL(join(dir, 'node_modules/@hyzyla/pdfium/dist/index.esm.js')).href);
    const lib = await PDFiumLibrary.init();
    return async (bytes) => {
      const doc = await lib.loadDocument(new Uint8Array(bytes));
      const pages = [];
      try {
        for (const page of doc.pages()) pages.push(page.getText());
      } finally {
        doc.destroy();
      }
      return pages;
    };
  }
  if (engine === 'embedpdf') {
    const dir = process.env.EMBEDPDF_DIR ?? ROOT;
    const pkg = join(dir, 'node_modules/@embedpdf/pdfium/dist');
    const { init } = await import(pathToFileURL(join(pkg, 'index.js')).href);
    const m = await init({ wasmBinary: readFileSync(join(pkg, 'pdfium.wasm')) });
    if (m.PDFiumExt_Init) m.PDFiumExt_Init();
    else m.FPDF_InitLibrary();
    const { wasmExports, HEAPU8, UTF16ToString } = m.pdfium;
    return async (bytes) => {
      const ptr = wasmExports.malloc(bytes.length);
      m.pdfium.HEAPU8.set(bytes, ptr);
      const doc = m.FPDF_LoadMemDocument(ptr, bytes.length, '');
      const pages = [];
      try {
        if (!doc) throw new Error(`FPDF_LoadMemDocument: error ${m.FPDF_GetLastError()}`);
        const n = m.FPDF_GetPageCount(doc);
        for (let i = 0; i < n; i++) {
          const page = m.FPDF_LoadPage(doc, i);
          const tp = m.FPDFText_LoadPage(page);
          const c = m.FPDFText_CountChars(tp);
          let text = '';
          if (c > 0) {
            const buf = wasmExports.malloc((c + 1) * 2);
            m.FPDFText_GetText(tp, 0, c, buf);
            text = UTF16ToString(buf);
            wasmExports.free(buf);
          }
          pages.push(text);
          m.FPDFText_ClosePage(tp);
          m.FPDF_ClosePage(page);
        }
      } finally {
        if (doc) m.FPDF_CloseDocument(doc);
        wasmExports.free(ptr);
      }
      void HEAPU8;
      return pages;
    };
  }
  throw new Error(`unknown engine ${engine}`);
}

// ------------------------------------------------------------------ main side
function listPdfs(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listPdfs(p));
    else if (e.name.toLowerCase().endsWith('.pdf')) out.push(p);
  }
  return out;
}

function runPdftotext(files, jobs, measureRss) {
  return new Promise((resolve) => {
    const results = new Map();
    let next = 0;
    let running = 0;
    let rss = 0;
    let cpu = 0;
    const t0 = performance.now();
    const launch = () => {
      while (running < jobs && next < files.length) {
        const file = files[next++];
        running++;
        const cmd = measureRss ? '/usr/bin/time' : 'pdftotext';
        const argv = measureRss ? ['-f', '%M %U %S', 'pdftotext', '-enc', 'UTF-8', file, '-'] : ['-enc', 'UTF-8', file, '-'];
        const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks = [];
        const errs = [];
        const s = performance.now();
        child.stdout.on('data', (c) => chunks.push(c));
        child.stderr.on('data', (c) => errs.push(c));
        child.on('close', (code) => {
          const text = Buffer.concat(chunks).toString('utf8');
          const pages = text.split('\f');
          if (pages.length && pages[pages.length - 1] === '') pages.pop();
          if (measureRss) {
            const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(Buffer.concat(errs).toString());
            if (m) {
              rss = Math.max(rss, Number(m[1]));
              cpu += Number(m[2]) + Number(m[3]);
            }
          }
          results.set(file, { pages, ms: performance.now() - s, error: code ? `exit ${code}` : undefined });
          running--;
          if (results.size === files.length) resolve({ results, wall: performance.now() - t0, rss, cpu });
          else launch();
        });
      }
    };
    launch();
  });
}

function runNode(engine, files, jobs) {
  return new Promise((resolve, reject) => {
    const results = new Map();
    const rss = [];
    let cpu = 0;
    let next = 0;
    let exited = 0;
    const t0 = performance.now();
    for (let w = 0; w < jobs; w++) {
      const child = fork(new URL(import.meta.url).pathname, ['--worker', engine], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
      const feed = () => {
        if (next < files.length) child.send({ file: files[next++] });
        else child.send({ done: true });
      };
      child.on('message', (m) => {
        if (m.ready) return feed();
        if (m.rss !== undefined) {
          cpu += m.cpu;
          return rss.push(m.rss);
        }
        results.set(m.file, m);
        feed();
      });
      child.on('exit', (code) => {
        if (++exited === jobs) {
          if (results.size !== files.length) reject(new Error(`${engine}: ${results.size}/${files.length} files, worker exit ${code}`));
          else resolve({ results, wall: performance.now() - t0, rss: Math.max(...rss, 0), cpu });
        }
      });
    }
  });
}

const HAN = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/gu;
const hanSet = (s) => new Set(s.match(HAN) ?? []);
const wordSet = (s) => new Set((s.match(/[A-Za-z]{3,}|\d{3,}/g) ?? []).map((w) => w.toLowerCase()));

/** Compares an engine's pages with the reference (pdftotext) pages. */
function compare(ref, got) {
  const c = { refPages: 0, refTextPages: 0, gotTextPages: 0, missedPages: 0, extraPages: 0, han: 0, hanFound: 0, words: 0, wordsFound: 0, hanExtra: 0, pageCountDiffers: false };
  const worst = [];
  for (const [file, r] of ref) {
    const g = got.get(file);
    const rp = r.pages;
    const gp = g?.pages ?? [];
    if (rp.length !== gp.length) c.pageCountDiffers = true;
    let fileHan = 0;
    let fileHanFound = 0;
    for (let i = 0; i < Math.max(rp.length, gp.length); i++) {
      const rt = rp[i] ?? '';
      const gt = gp[i] ?? '';
      if (i < rp.length) c.refPages++;
      const rHas = /\S/.test(rt);
      const gHas = /\S/.test(gt);
      if (rHas) c.refTextPages++;
      if (gHas) c.gotTextPages++;
      if (rHas && !gHas) c.missedPages++;
      if (!rHas && gHas) c.extraPages++;
      const rh = hanSet(rt);
      const gh = hanSet(gt);
      let f = 0;
      for (const ch of rh) if (gh.has(ch)) f++;
      for (const ch of gh) if (!rh.has(ch)) c.hanExtra++;
      c.han += rh.size;
      c.hanFound += f;
      fileHan += rh.size;
      fileHanFound += f;
      const rw = wordSet(rt);
      const gw = wordSet(gt);
      c.words += rw.size;
      for (const w of rw) if (gw.has(w)) c.wordsFound++;
    }
    if (fileHan && fileHanFound / fileHan < 0.99) worst.push(`${relative(DIR, file)} ${(100 * fileHanFound / fileHan).toFixed(1)}%`);
    if (g?.error) worst.push(`${relative(DIR, file)} error: ${g.error}`);
  }
  c.worst = worst;
  return c;
}

async function main() {
  DIR = opt('dir', '/tmp/baomi-bench-pdfs');
  const jobs = Number(opt('jobs', '2'));
  const runs = Number(opt('runs', '3'));
  const engines = opt('engines', 'pdftotext,baomi').split(',');
  if (!existsSync(DIR)) throw new Error(`${DIR} missing: python3 scripts/make-bench-pdfs.py ${DIR}`);
  const files = listPdfs(DIR).sort((a, b) => statSync(b).size - statSync(a).size);
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  console.log(`${files.length} PDFs, ${(bytes / 1e6).toFixed(1)} MB, ${jobs} processes at once, best of ${runs} runs\n`);
  const rows = [];
  let ref;
  for (const engine of ['pdftotext', ...engines.filter((e) => e !== 'pdftotext')]) {
    let best;
    for (let r = 0; r < runs; r++) {
      const res = engine === 'pdftotext' ? await runPdftotext(files, jobs, false) : await runNode(engine, files, jobs);
      if (!best || res.wall < best.wall) best = { ...res, cpu: Math.min(res.cpu ?? Infinity, best?.cpu ?? Infinity) };
      else if (res.cpu < best.cpu) best.cpu = res.cpu;
    }
    if (engine === 'pdftotext') {
      const m = await runPdftotext(files, jobs, true);
      best.rss = m.rss;
      best.cpu = m.cpu;
      ref = best.results;
    }
    // per-category times: the folder under DIR
    const cat = {};
    for (const [file, r] of best.results) {
      const k = relative(DIR, file).split('/')[0];
      cat[k] = (cat[k] ?? 0) + r.ms;
    }
    const cmp = compare(ref, best.results);
    const row = {
      engine,
      seconds: best.wall / 1000,
      filesPerSec: files.length / (best.wall / 1000),
      mbPerSec: bytes / 1e6 / (best.wall / 1000),
      peakRssMB: best.rss / 1024,
      cpuSeconds: best.cpu,
      errors: [...best.results.values()].filter((r) => r.error).length,
      ...cmp,
      perFolderCpuSec: Object.fromEntries(Object.entries(cat).map(([k, v]) => [k, +(v / 1000).toFixed(2)])),
    };
    rows.push(row);
    if (!engines.includes(engine)) continue;
    console.log(`${engine.padEnd(10)} ${row.seconds.toFixed(2)} s wall, ${row.cpuSeconds.toFixed(2)} s CPU  ${row.filesPerSec.toFixed(1)} files/s  ${row.mbPerSec.toFixed(2)} MB/s  peak RSS ${row.peakRssMB.toFixed(0)} MB/process  errors ${row.errors}`);
    console.log(`           pages with text ${row.gotTextPages}/${row.refTextPages} (missed ${row.missedPages}, extra ${row.extraPages}); CJK chars ${(100 * row.hanFound / Math.max(1, row.han)).toFixed(2)}% (+${row.hanExtra} not in pdftotext); Latin words ${(100 * row.wordsFound / Math.max(1, row.words)).toFixed(2)}%`);
    console.log(`           time by folder (sum over processes, s): ${JSON.stringify(row.perFolderCpuSec)}`);
    if (row.worst.length) console.log(`           below 99% or failed: ${row.worst.slice(0, 12).join('; ')}${row.worst.length > 12 ? ` … (${row.worst.length})` : ''}`);
  }
  const base = rows[0].seconds;
  console.log('\nratio to pdftotext, wall: ' + rows.map((r) => `${r.engine} ${(r.seconds / base).toFixed(2)}×`).join(', '));
  console.log('ratio to pdftotext, CPU:  ' + rows.map((r) => `${r.engine} ${(r.cpuSeconds / rows[0].cpuSeconds).toFixed(2)}×`).join(', '));
  const out = opt('json');
  if (out) writeFileSync(out, JSON.stringify({ files: files.length, bytes, jobs, rows }, null, 2));
}

// ------------------------------------------------------------------ worker side
if (args[0] === '--worker') {
  const engine = args[1];
  const extract = await loadEngine(engine);
  process.send({ ready: true });
  process.on('message', async (m) => {
    if (m.done) {
      const u = process.resourceUsage();
      process.send({ rss: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }, () => process.exit(0));
      return;
    }
    const t0 = performance.now();
    let pages = [];
    let error;
    try {
      pages = await extract(readFileSync(m.file));
    } catch (e) {
      error = String(e?.message ?? e);
    }
    process.send({ file: m.file, pages, error, ms: performance.now() - t0 });
  });
} else {
  await main();
}
