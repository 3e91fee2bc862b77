// Entry of the PDFium thread (see pdf.ts, readPdfInThread): documents arrive one at a time, their
// parts and gaps go back as they are read, so that what was read before a time-out is kept.
import { parentPort } from 'node:worker_threads';
import { StopError, errorMessage } from './context.js';
import { pdfiumReady, readPdfHere, type PdfThreadJob, type PdfThreadReply } from './pdf.js';
import type { ExtractMeta, GapKind } from './types.js';

const port = parentPort!;
const send = (r: PdfThreadReply): void => port.postMessage(r);

let chain: Promise<void> = Promise.resolve();
port.on('message', (job: PdfThreadJob) => {
  chain = chain.then(async () => {
    const meta: ExtractMeta = {};
    let stop: { kind: GapKind; message: string } | undefined;
    let recycle = false;
    try {
      recycle = await readPdfHere(job.bytes, {
        meta,
        part: (name, text) => send({ id: job.id, type: 'part', name, text }),
        gap: (kind, reason, part) => send({ id: job.id, type: 'gap', kind, reason, ...(part === undefined ? {} : { part }) }),
        check: () => {
          if (Date.now() > job.deadline) throw new StopError('timeout', 'time budget for this file exceeded');
        },
      });
    } catch (e) {
      stop = e instanceof StopError ? { kind: e.kind, message: e.message } : { kind: 'corrupt', message: `PDF reader stopped: ${errorMessage(e)}` };
    }
    send({ id: job.id, type: 'done', meta, ...(stop ? { stop } : {}), ...(recycle ? { recycle } : {}) });
  });
});

// compile the engine before the first document: its start is not part of a file's time budget
pdfiumReady().then(
  () => port.postMessage({ type: 'ready' }),
  (e: unknown) => port.postMessage({ type: 'error', error: errorMessage(e) }),
);
