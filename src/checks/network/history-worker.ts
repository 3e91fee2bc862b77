/**
 * Browser histories are summarised in a worker thread that can be stopped.
 *
 * SQLite (sql.js) is synchronous: on the main thread, a history made to stall its reader — a
 * b-tree whose interior pages all point at the same child (10^15 rows in a few kilobytes), a
 * schema that makes every read evaluate an expensive expression — holds the event loop for good,
 * and no timer, no AbortSignal, no probe budget can interrupt it. Here every database is read by
 * {@link HistoryReader.read} in a worker (`history-worker-main.ts`): the WAL replay, the open, the
 * schema check and the queries. When the database's time budget runs out, or the caller's
 * AbortSignal fires, the worker is terminated (`worker.terminate()` stops a thread in the middle
 * of WebAssembly) and the next database gets a fresh one.
 *
 * Memory: the worker's JavaScript heap is capped (`resourceLimits.maxOldGenerationSizeMb`; V8
 * ends the thread, not the process, when it is reached), SQLite's heap is capped inside it
 * (`PRAGMA hard_heap_limit`, with temporary tables in that heap), and the image is bounded by the
 * caller's file-size cap.
 *
 * The worker runs the built JavaScript; under the test runner (TypeScript sources) it is taken
 * from `dist/` (as the document walk does): `npm run build` first.
 */
import { Worker } from 'node:worker_threads';
import type { HistoryResult, ParseHistoryOptions } from '../../formats/browser-history.js';

/** Default time budget of one database (open, WAL replay, schema check, queries). */
export const DEFAULT_DB_TIMEOUT_MS = 30_000;
/** Default cap on the worker's JavaScript heap (old generation), in MiB. */
export const DEFAULT_WORKER_HEAP_MB = 256;
/** Time a fresh worker may take to start and load the SQLite engine (not part of a database's budget). */
const STARTUP_TIMEOUT_MS = 20_000;

/** A job as posted to the worker. */
export interface HistoryJob {
  id: number;
  db: Uint8Array;
  wal?: Uint8Array;
  opts: Omit<ParseHistoryOptions, 'wal'>;
}

/** What the worker posts back. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: HistoryResult }
  | { type: 'failed'; id: number; message: string };

/** The summary (or the parser's own failure), or why the read was stopped. */
export type BoundedHistoryResult =
  | { ok: true; result: HistoryResult; elapsedMs: number }
  | {
      ok: false;
      /** `timeout`: the budget ran out; `out-of-memory`: the worker's heap cap was reached; `crash`: it died otherwise. */
      kind: 'timeout' | 'out-of-memory' | 'crash';
      message: string;
      elapsedMs: number;
    };

export interface HistoryReaderOptions {
  /** Cap on the worker's JavaScript heap, MiB (default {@link DEFAULT_WORKER_HEAP_MB}). */
  heapMb?: number;
  /** Worker entry (default: `history-worker-main.js` beside this module, or in `dist/` under the test runner). */
  workerUrl?: URL;
}

export interface ReadBudget {
  /** Time budget of this database, ms (default {@link DEFAULT_DB_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Aborting terminates the worker and rejects with the signal's reason. */
  signal?: AbortSignal;
}

function defaultWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../../dist/checks/network/history-worker-main.js', import.meta.url)
    : new URL('./history-worker-main.js', import.meta.url);
}

/** Whole ArrayBuffer of `b` when it owns one (then transferred, not copied), else a copy. */
function transferable(b: Buffer): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) {
    return new Uint8Array(b.buffer, 0, b.byteLength);
  }
  return new Uint8Array(b);
}

/**
 * One worker at a time, reused from one database to the next while it behaves; replaced after a
 * time-out, a crash or an out-of-memory end. Call {@link close} when done.
 */
export class HistoryReader {
  /** The worker, from its start (ready or not) until it is discarded. */
  private worker: Worker | undefined;
  /** Resolves when {@link worker} has loaded SQLite. */
  private starting: Promise<Worker> | undefined;
  private nextId = 1;
  private readonly heapMb: number;
  private readonly url: URL;
  /** Workers started (1 when nothing had to be stopped). */
  started = 0;

  constructor(opts: HistoryReaderOptions = {}) {
    this.heapMb = opts.heapMb ?? DEFAULT_WORKER_HEAP_MB;
    this.url = opts.workerUrl ?? defaultWorkerUrl();
  }

  private discard(): void {
    const w = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    if (w !== undefined) void w.terminate().catch(() => undefined);
  }

  /** A ready worker (SQLite loaded), started when there is none. */
  private ready(signal?: AbortSignal): Promise<Worker> {
    if (this.starting === undefined) {
      this.started++;
      const w = new Worker(this.url, {
        resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 16 },
      });
      // Never an unhandled 'error' (it would end the process); an idle worker that dies is forgotten.
      w.on('error', () => undefined);
      w.on('exit', () => {
        if (this.worker === w) {
          this.worker = undefined;
          this.starting = undefined;
        }
      });
      this.worker = w;
      this.starting = new Promise<Worker>((resolve, reject) => {
        const timer = setTimeout(() => fail(new Error(`the SQLite worker did not start within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
        const done = (): void => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', fail);
          w.off('exit', onExit);
        };
        const fail = (err: Error): void => {
          done();
          if (this.worker === w) this.discard();
          else void w.terminate().catch(() => undefined);
          reject(err);
        };
        const onMessage = (m: WorkerReply): void => {
          if (m.type !== 'ready') return;
          done();
          resolve(w);
        };
        const onExit = (code: number): void => fail(new Error(`the SQLite worker exited while starting (code ${code})`));
        w.on('message', onMessage);
        w.once('error', fail);
        w.once('exit', onExit);
      });
    }
    const starting = this.starting;
    if (signal === undefined) return starting;
    return new Promise<Worker>((resolve, reject) => {
      const onAbort = (): void => {
        this.discard();
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      starting.then(
        (w) => {
          signal.removeEventListener('abort', onAbort);
          resolve(w);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  /** Start the worker now (it loads SQLite while the caller reads files); errors surface at {@link read}. */
  warm(): void {
    this.ready().catch(() => undefined);
  }

  /**
   * Summarise one database in the worker, within `budget.timeoutMs` (counted from the moment the
   * worker has it; starting a worker is not counted). `db` and `wal` are handed over (their memory
   * is moved to the worker when they own it): do not use them afterwards. Rejects only when
   * `budget.signal` fires (with its reason); every other outcome is a result.
   */
  async read(db: Buffer, wal: Buffer | undefined, opts: Omit<ParseHistoryOptions, 'wal'>, budget: ReadBudget = {}): Promise<BoundedHistoryResult> {
    const { signal } = budget;
    const timeoutMs = budget.timeoutMs ?? DEFAULT_DB_TIMEOUT_MS;
    signal?.throwIfAborted();
    let w: Worker;
    try {
      w = await this.ready(signal);
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason;
      return { ok: false, kind: 'crash', message: err instanceof Error ? err.message : String(err), elapsedMs: 0 };
    }
    const id = this.nextId++;
    const job: HistoryJob = { id, db: transferable(db), opts };
    const transfer: ArrayBuffer[] = [job.db.buffer as ArrayBuffer];
    if (wal !== undefined) {
      job.wal = transferable(wal);
      if (job.wal.buffer !== job.db.buffer) transfer.push(job.wal.buffer as ArrayBuffer);
    }
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);

    return new Promise<BoundedHistoryResult>((resolve, reject) => {
      let settled = false;
      const finish = (r: BoundedHistoryResult | { abort: unknown }, keepWorker: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (!keepWorker) this.discard();
        if ('abort' in r) reject(r.abort);
        else resolve(r);
      };
      const onMessage = (m: WorkerReply): void => {
        if (m.type === 'done' && m.id === id) finish({ ok: true, result: m.result, elapsedMs: elapsed() }, true);
        else if (m.type === 'failed' && m.id === id) finish({ ok: false, kind: 'crash', message: m.message, elapsedMs: elapsed() }, false);
      };
      const onError = (err: Error & { code?: string }): void => {
        const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish(
          oom
            ? { ok: false, kind: 'out-of-memory', message: `reading it needed more than the ${this.heapMb} MiB allowed`, elapsedMs: elapsed() }
            : { ok: false, kind: 'crash', message: `the worker reading it stopped: ${err.message}`, elapsedMs: elapsed() },
          false,
        );
      };
      const onExit = (code: number): void =>
        finish({ ok: false, kind: 'crash', message: `the worker reading it exited (code ${code})`, elapsedMs: elapsed() }, false);
      const onAbort = (): void => finish({ abort: signal?.reason }, false);
      const timer = setTimeout(
        () => finish({ ok: false, kind: 'timeout', message: `not read within ${timeoutMs} ms: stopped`, elapsedMs: elapsed() }, false),
        timeoutMs,
      );
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        w.postMessage(job, transfer);
      } catch (err) {
        finish({ ok: false, kind: 'crash', message: `could not hand the database to the worker: ${(err as Error).message}`, elapsedMs: 0 }, false);
      }
    });
  }

  /** Stop the worker (if any). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    if (w !== undefined) await w.terminate().catch(() => undefined);
  }
}

/**
 * One database, in a worker of its own, within `budget` (for a single file, e.g. `baomi inspect`):
 * the same result as `parseBrowserHistory`, or why it was stopped.
 */
export async function parseBrowserHistoryBounded(
  db: Buffer,
  opts: ParseHistoryOptions = {},
  budget: ReadBudget & { heapMb?: number } = {},
): Promise<BoundedHistoryResult> {
  const reader = new HistoryReader(budget.heapMb !== undefined ? { heapMb: budget.heapMb } : {});
  const { wal, ...rest } = opts;
  try {
    return await reader.read(db, wal, rest, budget);
  } finally {
    await reader.close();
  }
}
