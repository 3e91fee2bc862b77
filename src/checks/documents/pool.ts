// A fixed pool of worker threads (one per core) with a bounded number of jobs in flight. A job
// that overruns its time budget has its worker terminated and replaced: one pathological file
// cannot stall the walk.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerBatchReply, WorkerJob, WorkerReply } from './worker.js';

export type PoolReply = WorkerReply | WorkerBatchReply | { id: number; ok: false; error: string; timedOut: true };
type Pending = { resolve: (r: PoolReply) => void; timer: NodeJS.Timeout; worker: Slot };

interface Slot {
  worker: Worker;
  /** Jobs sent and not yet answered: a few are queued per worker so it never waits for the next. */
  busy: number;
}

/** Jobs queued per worker (the message round trip is then hidden behind work). */
const DEPTH = 8;

export class DocPool {
  private slots: Slot[] = [];
  private waiting: Array<() => void> = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly workerUrl: URL,
    private readonly keywords: string[],
    readonly size = Number(process.env["BAOMI_WORKERS"] ?? 0) || Math.max(1, availableParallelism()),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    // A heap cap per worker keeps the walk's memory bounded whatever the disk holds: V8 collects
    // harder near it, and a file that still needs more kills only its worker (listed, replaced).
    const slot: Slot = {
      worker: new Worker(this.workerUrl, { workerData: { keywords: this.keywords }, resourceLimits: { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 } }),
      busy: 0,
    };
    slot.worker.on('message', (r: WorkerReply | WorkerBatchReply) => this.settle(r.id, r));
    slot.worker.on('error', (err) => {
      for (const [id, p] of this.pending) if (p.worker === slot) this.settle(id, { id, ok: false, error: `worker crashed: ${err.message}` });
      this.replace(slot);
    });
    slot.worker.unref();
    return slot;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    void slot.worker.terminate();
    this.slots[i] = this.spawn();
    this.release();
  }

  private settle(id: number, r: PoolReply): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.worker.busy--;
    this.release();
    p.resolve(r);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
  }

  /** Run one job or a batch; resolves (never rejects) with the worker's reply, or a timeout/crash reply. */
  async run(job: Omit<WorkerJob, 'id'> | { batch: WorkerJob[] }, budgetMs: number): Promise<PoolReply> {
    const free = (): Slot | undefined => {
      let best: Slot | undefined;
      for (const s of this.slots) if (s.busy < DEPTH && (!best || s.busy < best.busy)) best = s;
      return best;
    };
    let slot = free();
    while (!slot) {
      await new Promise<void>((r) => this.waiting.push(r));
      slot = free();
    }
    slot.busy++;
    const id = this.nextId++;
    const s = slot;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle(id, { id, ok: false, error: `did not finish within ${budgetMs} ms`, timedOut: true });
        this.replace(s);
      }, budgetMs);
      this.pending.set(id, { resolve, timer, worker: s });
      s.worker.postMessage({ ...job, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
