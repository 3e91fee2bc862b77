// The rpm database (rpm >= 4.16: `rpmdb.sqlite`, the Packages table of header blobs) read in a worker
// thread that is terminated when its time budget runs out or the probe is aborted (SQLite cannot be
// interrupted on the main thread; see ../network/history-worker.ts for the same reasoning). Under the
// test runner the worker runs from dist/ (`npm run build` first), as the other workers do.
import { Worker } from 'node:worker_threads';
import type { RpmPackage } from './_rpm-header.js';

export interface RpmJob {
  db: Uint8Array;
  maxEntries: number;
  heapBytes: number;
}

export type RpmReply = { type: 'done'; packages: RpmPackage[]; bad: number; truncated: boolean } | { type: 'failed'; message: string };

export type RpmReadResult = { ok: true; packages: RpmPackage[]; bad: number; truncated: boolean } | { ok: false; kind: 'timeout' | 'corrupt' | 'crash'; message: string };

export const RPM_TIMEOUT_MS = 30_000;
const HEAP_MB = 256;
const SQLITE_HEAP_BYTES = 64 * 1024 * 1024;

function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../../dist/checks/software/rpm-worker-main.js', import.meta.url) : new URL('./rpm-worker-main.js', import.meta.url);
}

/** Read the packages of an rpmdb.sqlite image, bounded in time and memory. */
export function readRpmDb(db: Buffer, opts: { maxEntries: number; timeoutMs?: number; signal?: AbortSignal }): Promise<RpmReadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerUrl(), { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 16 } });
    let settled = false;
    const finish = (r: RpmReadResult | { abort: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void w.terminate().catch(() => undefined);
      if ('abort' in r) reject(r.abort);
      else resolve(r);
    };
    const timeoutMs = opts.timeoutMs ?? RPM_TIMEOUT_MS;
    const timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `rpm database not read within ${timeoutMs} ms` }), timeoutMs);
    const onAbort = (): void => finish({ abort: opts.signal!.reason });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    w.on('message', (m: RpmReply) => finish(m.type === 'done' ? { ok: true, packages: m.packages, bad: m.bad, truncated: m.truncated } : { ok: false, kind: 'corrupt', message: m.message }));
    w.on('error', (err) => finish({ ok: false, kind: 'crash', message: err.message }));
    w.on('exit', (code) => finish({ ok: false, kind: 'crash', message: `the rpm reader stopped (exit code ${code})` }));
    const copy = new Uint8Array(db.byteLength);
    copy.set(db);
    w.postMessage({ db: copy, maxEntries: opts.maxEntries, heapBytes: SQLITE_HEAP_BYTES } satisfies RpmJob, [copy.buffer]);
  });
}
