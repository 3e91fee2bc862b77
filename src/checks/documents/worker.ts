// Worker thread of the document walk: reads one file (read-only, O_NOATIME), extracts its text and
// finds markings. Files are handed over by host path (the walk resolved them inside the root and
// never follows symlinks). Big plain-text files are read in overlapping chunks, so memory stays
// bounded whatever their size.
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { findMarkings, loadMarkingGrammar } from '../../formats/markings.js';
import { byteNeedles, hasContainerMagic, hasEscapes, mayHoldKeyword } from './prefilter.js';
import { sniffDocument, type DocFormat } from '../../formats/docs/index.js';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openNoAtimeSync } from '../../target/fs-target.js';
import { scanFile, type FileScan } from './scan-file.js';

export interface WorkerJob {
  id: number;
  hostPath: string;
  name: string;
  originalName?: string;
  size: number;
  maxFileBytes: number;
  timeoutMs: number;
}

export type WorkerReply = { id: number; ok: true; scan: FileScan; changed: boolean } | { id: number; ok: false; error: string };

/** Several small files in one message: the message round trip costs more than reading them. */
export interface WorkerBatch {
  id: number;
  batch: WorkerJob[];
}

export interface WorkerBatchReply {
  id: number;
  ok: true;
  batch: WorkerReply[];
}

const { keywords } = workerData as { keywords: string[] };
const grammar = loadMarkingGrammar();
const needles = byteNeedles([...grammar.keywords, ...keywords]);
/** Plain text is read in pieces of this size (bounded memory whatever the file size). */
const CHUNK = 4 * 1024 * 1024;
const OVERLAP = 4096;
/** One read buffer per worker (a worker runs one job at a time): no per-file allocation. */
const shared = Buffer.allocUnsafe(CHUNK + OVERLAP);

/** Only the file name, for text that holds no keyword character in any encoding. */
function nameOnly(job: WorkerJob): FileScan {
  const parts = [{ name: 'file-name', text: job.name }, ...(job.originalName ? [{ name: 'original-name', text: job.originalName }] : [])];
  const markings = findMarkings(parts, grammar, { keywords, mentions: false }).map((h) => ({ level: h.level, text: h.text, inner: '', part: h.part, offset: h.offset, pattern: h.pattern, verdict: h.verdict, reasons: h.reasons }));
  return { format: 'unknown', sha256: '', markings, mentions: [], gaps: [], parts: [], embeddedFiles: 0, prefiltered: true };
}

/**
 * The fast path for the bulk of a disk (source, logs, binaries): no container magic, no escapes,
 * and none of the keyword characters in any encoding → only the file name can carry a marking.
 */
function noKeywordBytes(job: WorkerJob): boolean {
  const fd = openNoAtimeSync(job.hostPath);
  try {
    for (let pos = 0; ; pos += CHUNK) {
      const bytesRead = readSync(fd, shared, 0, shared.length, pos);
      if (bytesRead === 0) return true;
      const chunk = shared.subarray(0, bytesRead);
      if (pos === 0 && hasContainerMagic(chunk)) return false;
      // Markup and mail can spell characters with escapes anywhere in the file: they always go
      // through extraction; so does a first chunk that already uses escapes.
      if (pos === 0 && (looksLikeMarkupOrMail(chunk) || hasEscapes(chunk))) return false;
      if (mayHoldKeyword(chunk, needles)) return false;
      if (bytesRead < shared.length) return true;
    }
  } finally {
    closeSync(fd);
  }
}

/** HTML / XML (first non-blank byte `<`) or a mail message (a Content-Type header). */
function looksLikeMarkupOrMail(head: Buffer): boolean {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x3c) return true;
  return head.subarray(0, 65536).toString('latin1').toLowerCase().includes('content-type:');
}

function readAll(job: WorkerJob): { bytes?: Buffer; chunks?: boolean; opaque?: DocFormat; changed: boolean } {
  const fd = openNoAtimeSync(job.hostPath);
  try {
    const st = fstatSync(fd);
    const changed = st.size !== job.size;
    const head = Buffer.alloc(Math.min(4096, st.size));
    readSync(fd, head, 0, head.length, 0);
    // Plain text is read in pieces (prefiltered as bytes); anything else over the budget is a gap.
    const fmt = sniffDocument(head, job.name);
    if (fmt === 'text') return { chunks: true, changed };
    // Pictures and executables hold no text to read: their name is all there is to check.
    if (fmt === 'image' || fmt === 'binary') return { opaque: fmt, changed };
    if (st.size > job.maxFileBytes) return { changed };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: off === buf.length ? buf : buf.subarray(0, off), changed: changed || off !== st.size };
  } finally {
    closeSync(fd);
  }
}

/**
 * A plain-text file, read CHUNK bytes at a time with an overlap (a marking split by a chunk border
 * is still seen); a chunk with no keyword character in any encoding is not decoded at all.
 */
async function scanChunks(job: WorkerJob): Promise<FileScan> {
  const fd = openNoAtimeSync(job.hostPath);
  let total: FileScan | undefined;
  try {
    const buf = shared;
    for (let pos = 0; ; pos += CHUNK) {
      const bytesRead = readSync(fd, buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (!mayHoldKeyword(chunk, needles)) {
        total ??= nameOnly(job);
        if (bytesRead < buf.length) break;
        continue;
      }
      const s = await scanFile(chunk, { name: job.name, ...(job.originalName ? { originalName: job.originalName } : {}), grammar, keywords, timeoutMs: job.timeoutMs, maxDepth: 0 });
      const isName = (part: string): boolean => part === 'file-name' || part === 'original-name';
      for (const m of s.markings) if (!isName(m.part)) m.offset += pos;
      const seen = new Set(total?.markings.map((m) => `${m.part}:${m.offset}:${m.text}`));
      if (!total) total = s;
      else {
        total.markings.push(...s.markings.filter((m) => !seen.has(`${m.part}:${m.offset}:${m.text}`)));
        total.gaps.push(...s.gaps);
      }
      if (bytesRead < buf.length) break;
    }
  } finally {
    closeSync(fd);
  }
  total ??= nameOnly(job);
  total.format = 'text';
  // Hash only what is evidence: a file with a marking (re-read; such files are few).
  total.sha256 = total.markings.length > 0 ? hashFile(job.hostPath) : '';
  return total;
}

function hashFile(hostPath: string): string {
  const h = createHash('sha256');
  const fd = openNoAtimeSync(hostPath);
  try {
    const buf = shared;
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

// Jobs are queued by the pool; run them one at a time (they share the read buffer).
let chain: Promise<void> = Promise.resolve();
parentPort!.on('message', (msg: WorkerJob | WorkerBatch) => {
  chain = chain.then(async () => {
    if ('batch' in msg) {
      const out: WorkerReply[] = [];
      for (const job of msg.batch) out.push(await runJob(job));
      parentPort!.postMessage({ id: msg.id, ok: true, batch: out } satisfies WorkerBatchReply);
    } else {
      parentPort!.postMessage(await runJob(msg));
    }
  });
});

function runJob(job: WorkerJob): Promise<WorkerReply> {
  return (async (): Promise<WorkerReply> => {
    try {
      if (noKeywordBytes(job)) return { id: job.id, ok: true, scan: nameOnly(job), changed: false };
      const r = readAll(job);
      if (r.chunks) return { id: job.id, ok: true, scan: await scanChunks(job), changed: r.changed };
      if (r.opaque) return { id: job.id, ok: true, scan: { ...nameOnly(job), format: r.opaque, prefiltered: false }, changed: r.changed };
      if (!r.bytes) {
        return {
          id: job.id,
          ok: true,
          changed: r.changed,
          scan: {
            ...(await scanFile(new Uint8Array(0), { name: job.name, ...(job.originalName ? { originalName: job.originalName } : {}), grammar, keywords })),
            sha256: '',
            gaps: [{ inner: '', kind: 'too-large', reason: `${job.size} bytes is over the ${job.maxFileBytes}-byte budget: only the name was checked` }],
          },
        };
      }
      const scan = await scanFile(r.bytes, { name: job.name, ...(job.originalName ? { originalName: job.originalName } : {}), grammar, keywords, timeoutMs: job.timeoutMs });
      return { id: job.id, ok: true, scan, changed: r.changed };
    } catch (err) {
      return { id: job.id, ok: false, error: (err as Error).message };
    }
  })();
}
