// Entry of the worker thread that reads browser histories (see history-worker.ts): it loads the
// SQLite engine, says it is ready, then summarises one database per message — WAL replay, open,
// schema check, queries — all of it synchronous, which is why it runs here, where the coordinator
// can terminate it at the time budget.
import { parentPort } from 'node:worker_threads';
import { loadSqlJs, parseBrowserHistory, type ParseHistoryOptions } from '../../formats/browser-history.js';
import type { HistoryJob, WorkerReply } from './history-worker.js';

const port = parentPort!;

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

port.on('message', (job: HistoryJob) => {
  const opts: ParseHistoryOptions = { ...job.opts };
  if (job.wal !== undefined) opts.wal = asBuffer(job.wal);
  parseBrowserHistory(asBuffer(job.db), opts).then(
    (result) => port.postMessage({ type: 'done', id: job.id, result } satisfies WorkerReply),
    (err: unknown) =>
      port.postMessage({ type: 'failed', id: job.id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
  );
});

// A failed load is reported by parseBrowserHistory itself (kind `engine`): ready either way.
loadSqlJs().then(
  () => port.postMessage({ type: 'ready' } satisfies WorkerReply),
  () => port.postMessage({ type: 'ready' } satisfies WorkerReply),
);
