// Coordinator of the document walk: a fixed set of worker threads (one per core) walks the tree
// folder by folder. The coordinator keeps the stack of folders still to do (depth first, so it
// stays small), gives each worker a couple of folders at a time, and gathers what they report.
// A watchdog reads each worker's progress slots (shared memory): a worker with no progress for
// longer than the per-file budget — a hung read, a parser in an endless loop — is terminated and
// replaced, the file it was on is listed as a gap, and its folder resumes from the worker's last
// report, without that file. The same happens when a worker dies (out of memory, a crash in a
// parser). When the stack is empty and a worker idles, busy workers are asked (a flag in the same
// shared memory) to give back half of the folder they are in: a folder of big files is shared.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { accessTimeBuffer } from '../../target/open-sync.js';
import { child, listFolder, rawFields, type Listing, type Place } from './listing.js';
import type { DirTask, FileRecord, WalkCounts, WalkGap, WalkInit, WalkMessage } from './worker.js';

/** Folders queued per worker, so that it never waits for the next one. */
const DEPTH = 2;
/** At most this many folders are listed by the coordinator at the start (see prelist). */
const PRELIST_FOLDERS = 64;
/**
 * Heap cap per worker (BAOMI_WORKER_HEAP_MB): V8 collects harder near it — without it, garbage
 * from an 8 MB web page kept a worker at 200 MB — and a file that still needs more kills only its
 * worker (listed as a gap, the worker replaced).
 */
const WORKER_HEAP_MB = Number(process.env['BAOMI_WORKER_HEAP_MB'] ?? 0) || 96;
const WORKER_LIMITS = { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 };

export interface WalkTotals {
  records: FileRecord[];
  gaps: WalkGap[];
  counts: WalkCounts;
  /** Folders listed, folders shared between workers, workers replaced after a hang or a crash. */
  walk: { folders: number; splits: number; restarts: number };
  /** Set when the walk was stopped (its signal aborted) before the end: what it found until then is kept. */
  stopped?: { foldersLeft: number };
}

interface Slot {
  worker: Worker;
  /** The worker's thread id (what it writes into the big-document turn; kept: Worker.threadId is -1 once it has exited). */
  threadId: number;
  slots: Float64Array;
  /** Folders given and not yet done, in the order the worker runs them. */
  assigned: Array<DirTask & { next: number }>;
  dead: boolean;
}

/** A folder's place alone (not the task's other fields). */
function place(p: Place): Place {
  return { t: p.t, h: p.h, ...(p.tb ? { tb: p.tb, enc: p.enc ?? 'escaped' } : {}) };
}

export class DocWalk {
  private readonly stack: DirTask[] = [];
  private readonly workers: Slot[] = [];
  private nextId = 1;
  private readonly totals: WalkTotals = { records: [], gaps: [], counts: { files: 0, bytes: 0, symlinks: 0, embeddedPictures: 0, byFormat: {} }, walk: { folders: 0, splits: 0, restarts: 0 } };
  private finish?: () => void;
  private fail?: (err: unknown) => void;
  private watchdog?: NodeJS.Timeout;
  private closing = false;
  /** One big document at a time when memory is short (worker.ts takeBigTurn): the thread id of the worker reading one, 0 when none. */
  private readonly bigTurnMemory = new SharedArrayBuffer(4);
  private readonly bigTurn = new Int32Array(this.bigTurnMemory);

  constructor(
    private readonly workerUrl: URL,
    private readonly init: Omit<WalkInit, 'progress'>,
    readonly size = Number(process.env['BAOMI_WORKERS'] ?? 0) || Math.max(1, availableParallelism()),
    private readonly onProgress?: (counts: WalkCounts) => void,
  ) {}

  /** Walk these folders (or single files of a folder: `files`) and resolve with everything the workers found. */
  async run(roots: Array<Omit<DirTask, 'id'>>, signal?: AbortSignal): Promise<WalkTotals> {
    for (const r of [...roots].reverse()) this.stack.push({ ...r, id: this.nextId++ });
    const done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    // Stopped (Ctrl-C, the time budget): end with what was found so far, and say how much was left.
    const onAbort = (): void => {
      this.totals.stopped = { foldersLeft: this.stack.length + this.workers.reduce((n, w) => n + w.assigned.length, 0) };
      this.finish?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
      this.prelist();
      this.watchdog = setInterval(() => this.watch(), Math.min(1000, Math.max(50, this.init.fileTimeoutMs / 4)));
      this.dispatch();
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      clearInterval(this.watchdog);
      this.closing = true;
      await Promise.all(this.workers.map((w) => w.worker.terminate()));
    }
    return this.totals;
  }

  /**
   * While the worker threads start (tens of milliseconds), the coordinator lists the first levels
   * of the tree itself, breadth first: each folder's files become a task of their own (read, not
   * listed again, by a worker) and its subfolders are tasks. The workers then find the stack full
   * instead of waiting for the top folders to be listed one round trip at a time.
   */
  private prelist(): void {
    const want = 4 * this.size;
    const skip = new Set(this.init.skip);
    const todo = this.stack.splice(0).reverse(); // in the order they would have been taken
    const ready: DirTask[] = [];
    let listed = 0;
    while (todo.length > 0 && listed < PRELIST_FOLDERS && ready.length + todo.length < want) {
      const f = todo.shift()!;
      if (f.files || f.from !== undefined || f.failed) {
        ready.push(f);
        continue;
      }
      let l: Listing;
      try {
        l = listFolder(f, skip);
      } catch {
        ready.push(f); // the worker lists it again and reports why it cannot
        continue;
      }
      listed++;
      this.totals.walk.folders++;
      this.totals.counts.symlinks += l.symlinks;
      for (const sp of l.specials) {
        const at = child(f, sp.name);
        this.totals.gaps.push({ kind: 'not-regular', path: at.t, ...rawFields(at), reason: `${sp.what}: not read (only regular files are)` });
      }
      if (l.files.length > 0) ready.push({ ...place(f), id: f.id, files: l.files });
      for (const sub of l.subdirs) todo.push({ ...sub, id: this.nextId++ });
    }
    ready.push(...todo);
    this.stack.push(...ready.reverse());
  }

  private spawn(): Slot {
    const progress = new SharedArrayBuffer(4 * 8);
    // accessTimes: what the worker opens without O_NOATIME is counted with the main thread's (target/open-sync.ts)
    const worker = new Worker(this.workerUrl, {
      workerData: { walk: { ...this.init, progress, bigTurn: this.bigTurnMemory } satisfies WalkInit, accessTimes: accessTimeBuffer() },
      resourceLimits: WORKER_LIMITS,
    });
    const slot: Slot = { worker, threadId: worker.threadId, slots: new Float64Array(progress), assigned: [], dead: false };
    worker.on('message', (m: WalkMessage) => this.receive(slot, m));
    worker.on('error', (err) => this.lose(slot, 'crash', `the worker reading it stopped: ${err.message}`));
    worker.on('exit', () => this.lose(slot, 'crash', 'the worker reading it exited'));
    return slot;
  }

  private receive(slot: Slot, m: WalkMessage): void {
    if (slot.dead) return;
    const c = this.totals.counts;
    c.files += m.counts.files;
    c.bytes += m.counts.bytes;
    c.symlinks += m.counts.symlinks;
    c.embeddedPictures += m.counts.embeddedPictures;
    for (const [k, v] of Object.entries(m.counts.byFormat)) c.byFormat[k] = (c.byFormat[k] ?? 0) + v;
    this.totals.records.push(...m.records);
    this.totals.gaps.push(...m.gaps);
    const task = slot.assigned.find((a) => a.id === m.task);
    if (task) task.next = m.next;
    if (m.split && task) {
      // The worker gave back the end of its folder for an idle worker.
      task.to = m.split.to;
      this.totals.walk.splits++;
      this.stack.push({ ...place(task), id: this.nextId++, files: m.split.files });
    }
    if (m.done) {
      if (!task?.files) this.totals.walk.folders++;
      slot.assigned = slot.assigned.filter((a) => a.id !== m.task);
      // Reversed: the stack pops the first subfolder first (name order within a folder).
      for (let i = (m.subdirs?.length ?? 0) - 1; i >= 0; i--) {
        this.stack.push({ ...m.subdirs![i]!, id: this.nextId++ });
      }
    }
    this.onProgress?.(c);
    this.dispatch();
  }

  private dispatch(): void {
    for (const w of this.workers) {
      while (!w.dead && w.assigned.length < DEPTH && this.stack.length > 0) {
        const task = this.stack.pop()!;
        w.assigned.push({ ...task, next: task.from ?? 0 });
        w.worker.postMessage(task);
      }
    }
    if (this.stack.length > 0) return;
    if (this.workers.every((w) => w.assigned.length === 0)) {
      this.finish?.();
      return;
    }
    // Nothing left to give and a worker idle: ask the busy ones to split what they are reading.
    if (this.workers.some((w) => !w.dead && w.assigned.length === 0)) {
      for (const w of this.workers) if (w.assigned.length > 0) w.slots[3] = 1;
    }
  }

  /** The per-file budget plus slack for the extraction's own time-out to answer first. */
  private get budget(): number {
    return this.init.fileTimeoutMs + Math.min(5_000, this.init.fileTimeoutMs);
  }

  /** A worker with no progress for longer than the per-file budget is stopped; its file becomes a gap. */
  private watch(): void {
    const now = Date.now();
    for (const w of this.workers) {
      const since = w.slots[2]!;
      if (!w.dead && w.assigned.length > 0 && since > 0 && now - since > this.budget) {
        this.lose(w, 'timeout', `no progress within ${this.budget} ms: the read was stopped`);
      }
    }
  }

  /** The worker is gone (terminated, crashed): list the file it was on, resume its folders elsewhere. */
  private lose(slot: Slot, kind: 'timeout' | 'crash', reason: string): void {
    if (slot.dead || this.closing) return;
    slot.dead = true;
    this.totals.walk.restarts++;
    void slot.worker.terminate();
    // it may have died holding the turn for big documents: the others must not wait for it
    if (Atomics.compareExchange(this.bigTurn, 0, slot.threadId, 0) === slot.threadId) Atomics.notify(this.bigTurn, 0);
    const [current, ...queued] = slot.assigned;
    slot.assigned = [];
    if (current) {
      const index = slot.slots[0] === current.id ? slot.slots[1]! : -1;
      const { next, ...task } = current;
      if (index < 0) {
        // It stopped while listing the folder (a hung network share, say): the folder is the gap.
        this.totals.gaps.push({ kind: kind === 'timeout' ? 'timeout' : 'unreadable', path: current.t, ...rawFields(current), reason: `folder not listed: ${reason}` });
      } else {
        // Failures accumulate: a folder that stops the worker at several files still gets done.
        this.stack.push({ ...task, from: next, failed: [...(task.failed ?? []), { index, kind: kind === 'timeout' ? 'timeout' : 'unreadable', reason }] });
      }
    }
    for (const q of queued.reverse()) {
      const { next: _next, ...task } = q;
      this.stack.push(task);
    }
    const i = this.workers.indexOf(slot);
    if (i >= 0) this.workers[i] = this.spawn();
    this.dispatch();
  }
}
