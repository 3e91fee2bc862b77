// The work of one worker thread of the document walk (the thread's entry is worker-main.ts). The
// coordinator (pool.ts) hands it one folder at a time; the worker lists it, reads every regular
// file in it (read-only, O_NOATIME, never following a symbolic link) and sends back, per folder,
// only what matters: files with markings, what could not be read, counts, and the subfolders to
// walk next. No message per file: on a disk of small files the messages, not the reading, were the
// cost.
//
// The bulk of a disk (source, logs, binaries) takes the fast path: no container magic, no escapes
// and none of the keyword characters in any encoding → only the name can carry a marking. Every
// other file is sniffed and, when it is a document, extracted — the extraction library is loaded on
// first need, so a worker starts in milliseconds.
//
// Robustness: the worker writes the folder, the file index and a progress time into shared memory
// and reports what it found at least every quarter second after a document. A file that hangs or
// kills the worker is then found by the coordinator, listed as a gap, and the folder is resumed
// from the last report, skipping that file. Load balance: when another worker is idle the
// coordinator raises a flag in the same memory and this worker gives back half of its folder.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, readSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { threadId } from 'node:worker_threads';
import { runInNewContext } from 'node:vm';
import { findMarkings, type MarkingGrammar } from '../../formats/markings.js';
import { sniffDocument } from '../../formats/docs/sniff.js';
import { parseRecycleInfo } from '../../formats/docs/recycle.js';
import type { DocFormat } from '../../formats/docs/types.js';
import type { ByteSource } from '../../formats/docs/zip.js';
import { openNoAtimeSync, specialModeName } from '../../target/open-sync.js';
import { asBytes, child, errorReason, hostArg, listFolder, rawFields, printable, shownName, type Listing, type PathEncoding, type Place, type RawPath } from './listing.js';
import { FAST_STOP, nativeWalk, type NativeWalk } from './native.js';
import { hasContainerMagic, hasEscapes, mayBeMail, mayBeMarkup, mayHoldKeyword, needleForms, type NeedleForm } from './prefilter.js';
import type { FileScan, FoundMarking } from './scan-file.js';
import { CHUNK, GZ_STREAM_BYTES, gzipInnerSize, loadScanFile, OVERLAP, scanBinaryFile, scanGzipStream, TextMarkings, TextWindows } from './text-stream.js';

/** What the coordinator gives every worker once. */
export interface WalkInit {
  grammar: MarkingGrammar;
  keywords: string[];
  /** Byte needles of the keywords in every encoding (prefilter.byteNeedles). */
  needles: Uint8Array[];
  /** The needle characters themselves (a file name without any of them cannot hold a marking). */
  needleChars: string[];
  /** Target paths of folders not to enter (live: virtual file systems). */
  skip: string[];
  maxFileBytes: number;
  fileTimeoutMs: number;
  /** Float64 slots shared with the coordinator: [task id, file index, progress time ms, 1 = please split]. */
  progress: SharedArrayBuffer;
  /** Do not use the native fast path (tests compare both). */
  javascriptOnly?: boolean;
  /** Int32 shared by all workers: the thread id of the one reading a big document under memory pressure, 0 when none. */
  bigTurn?: SharedArrayBuffer;
}

/** A folder to read: its target path as shown, its host path, and its raw target path when the shown one is not exact (see Place). */
export interface DirTask extends Place {
  id: number;
  /** Only these files of the folder, in this order (a file given as a root, or half of a folder split between workers); no subfolders. */
  files?: RawPath[];
  /** Resume: files before this index (in name order) were already reported. */
  from?: number;
  /** Files from this index on were handed to another worker. */
  to?: number;
  /** Resume: the entries at these indexes hung or crashed the worker — list them as gaps, do not retry. */
  failed?: Array<{ index: number; kind: string; reason: string }>;
}

/** A file with at least one marking or keyword. */
export interface FileRecord {
  /** Target path as shown: decoded (GB18030) or escaped where it is not UTF-8 or holds a control character. */
  path: string;
  /** Then: the target path's raw bytes (hex), and how `path` was made from them. */
  pathBytes?: string;
  pathEncoding?: PathEncoding;
  size: number;
  mtimeMs: number;
  sha256: string;
  format: DocFormat;
  originalPath?: string;
  markings: Array<Pick<FoundMarking, 'level' | 'text' | 'inner' | 'part' | 'offset' | 'pattern'>>;
}

export interface WalkGap {
  kind: string;
  path: string;
  /** As in FileRecord. */
  pathBytes?: string;
  pathEncoding?: PathEncoding;
  reason: string;
}

export interface WalkCounts {
  files: number;
  bytes: number;
  symlinks: number;
  embeddedPictures: number;
  byFormat: Record<string, number>;
}

/** Worker → coordinator: what was found since the last message; `done` closes the folder. */
export interface WalkMessage {
  task: number;
  /** Entries before this index are accounted for. */
  next: number;
  done: boolean;
  /** Subfolders, on `done`. */
  subdirs?: Place[];
  /** Files from `to` on are given back, to be read by an idle worker. */
  split?: { files: RawPath[]; to: number };
  counts: WalkCounts;
  records: FileRecord[];
  gaps: WalkGap[];
}

/**
 * A document (not plain text) over BIG_DOC_BYTES, started while the process is over TURN_ABOVE
 * resident (BAOMI_TURN_MB), waits for the walk's one turn for big documents: each one adds tens
 * of MB for a moment (buffers, inflated members, parser heaps), and two at once in two workers
 * were what took the walk past 300 MB. With memory to spare they run side by side.
 */
const BIG_DOC_BYTES = 4 * 1024 * 1024;
const TURN_ABOVE = (Number(process.env['BAOMI_TURN_MB'] ?? 0) || 200) * 1024 * 1024;
/** Zip-based files and tars over this size are read by position (directory / headers, then member by member), not whole. */
const ZIP_BY_POSITION_BYTES = 8 * 1024 * 1024;
const ZIP_FAMILY: ReadonlySet<string> = new Set(['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'ofd', 'tar']);
/** A file read by position (what is there: shorter at its end); `onRead` marks progress. */
function fileSource(fd: number, size: number, onRead?: (bytes: number) => void): ByteSource {
  return {
    size,
    read: (pos, len) => {
      const b = Buffer.allocUnsafe(Math.max(0, Math.min(len, size - pos)));
      let off = 0;
      while (off < b.length) {
        const n = readSync(fd, b, off, b.length - off, pos + off);
        if (n === 0) break;
        off += n;
      }
      onRead?.(off);
      return b.subarray(0, off);
    },
  };
}

/** Resident size of the whole process above which a worker collects at once (see relieve; BAOMI_RSS_SOFT_MB). */
const RSS_SOFT = (Number(process.env['BAOMI_RSS_SOFT_MB'] ?? 0) || 224) * 1024 * 1024;
let fullGc: (() => void) | undefined;
/** The fast path's read size. */
const FAST_READ = 256 * 1024;

function emptyCounts(): WalkCounts {
  return { files: 0, bytes: 0, symlinks: 0, embeddedPictures: 0, byFormat: {} };
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
/** A symbolic link put in a file's place after the listing is not followed (the native path does the same). */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** The text of a name that is looked at for markings: the name itself, or its bytes decoded (see shownName). */
function nameText(name: RawPath): string {
  return typeof name === 'string' ? name : shownName(name).text;
}

/** The walk's work in one worker (a class so that tests can drive it without a thread). */
/**
 * Files a running Windows holds locked for as long as it runs (target paths, case-insensitive): the
 * paging, swap and hibernation files at a drive's root, the registry hives and their logs, users'
 * NTUSER.DAT / UsrClass.dat and their logs.
 */
export function lockedByWindows(path: string): boolean {
  return /^(?:\/[A-Z]:)?\/(?:pagefile\.sys|swapfile\.sys|hiberfil\.sys|DumpStack\.log\.tmp)$/i.test(path) ||
    /^\/Windows\/System32\/config\/(?:SYSTEM|SOFTWARE|SAM|SECURITY|DEFAULT|BBI|COMPONENTS|DRIVERS|ELAM)(?:\.LOG\d?)?$/i.test(path) ||
    /^\/(?:Users|Documents and Settings)\/[^/]+\/(?:NTUSER\.DAT|AppData\/Local\/Microsoft\/Windows\/UsrClass\.dat)(?:\.LOG\d?|\{[^/]*)?$/i.test(path);
}

/** Folders a running Windows lets no administrator open (target paths, case-insensitive). */
export function protectedByWindows(path: string): boolean {
  return /^(?:\/[A-Z]:)?\/System Volume Information$/i.test(path) || /^\/Windows\/System32\/LogFiles\/WMI\/RtBackup$/i.test(path);
}

export class FolderScanner {
  private readonly shared = Buffer.allocUnsafe(CHUNK + OVERLAP);
  /**
   * The fast path reads FAST_READ bytes after the last `overlap` bytes of the previous piece, so
   * that a needle or an escape across a border is still seen whole.
   */
  private readonly overlap: number;
  private readonly fastBuf: Buffer;
  /** The native fast path (undefined: JavaScript only), its result slots, and where it last stopped. */
  private readonly native: NativeWalk | undefined;
  private readonly nativeRes = new Float64Array(6);
  /** Where the file being read first showed a needle's bytes (none before: a binary is searched from there). */
  private needleAt = 0;
  /** The needles with their characters and encodings (binaries are searched hit by hit). */
  readonly forms: NeedleForm[];
  /** The next offset holding data (lseek SEEK_DATA), -1 when only a hole follows; undefined without the addon. */
  readonly dataFrom: ((fd: number, pos: number) => number) | undefined;
  /** The walk's turn for big documents (see takeBigTurn). */
  private readonly bigTurn: Int32Array;
  /** When relieve() last collected, and the resident size after it. */
  private lastRelief = { rss: 0, at: 0 };
  /** The first 64 KiB of a file, for the sniffer (the fast path's buffer has moved on by then). */
  private readonly headBuf = Buffer.allocUnsafe(65536);
  private readonly slots: Float64Array;
  private readonly skip: Set<string>;
  readonly needles: Buffer[];
  private counts = emptyCounts();
  private records: FileRecord[] = [];
  private gaps: WalkGap[] = [];
  /** A document was read since the last message. */
  private dirty = false;
  private lastFlush = 0;

  constructor(
    readonly init: WalkInit,
    private readonly post: (m: WalkMessage) => void,
  ) {
    this.slots = new Float64Array(init.progress);
    this.skip = new Set(init.skip);
    this.needles = init.needles.map((n) => Buffer.from(n.buffer, n.byteOffset, n.byteLength));
    this.forms = needleForms([...init.grammar.keywords, ...init.keywords]);
    // skipping holes is not the fast path: the JavaScript reader uses it too when the addon is there
    this.dataFrom = (nativeWalk() as (NativeWalk & { dataFrom?: (fd: number, pos: number) => number }) | undefined)?.dataFrom;
    // escapes are up to 4 bytes (&\0#\0), needles up to 4 (UTF-8)
    this.overlap = Math.max(4, ...this.needles.map((n) => n.length)) - 1;
    this.fastBuf = this.shared.subarray(0, FAST_READ + this.overlap);
    this.native = init.javascriptOnly ? undefined : nativeWalk();
    this.bigTurn = new Int32Array(init.bigTurn ?? new SharedArrayBuffer(4));
  }

  private flush(task: DirTask, next: number, done: boolean, subdirs?: Place[], split?: { files: RawPath[]; to: number }): void {
    this.post({ task: task.id, next, done, ...(subdirs ? { subdirs } : {}), ...(split ? { split } : {}), counts: this.counts, records: this.records, gaps: this.gaps });
    this.lastFlush = Date.now();
    this.dirty = false;
    this.counts = emptyCounts();
    this.records = [];
    this.gaps = [];
  }

  private mark(task: number, index: number): void {
    this.slots[0] = task;
    this.slots[1] = index;
    this.slots[2] = Date.now();
  }

  /** Progress inside one long file (a big log read in pieces): the watchdog measures time without progress. */
  beat(): void {
    this.slots[2] = Date.now();
  }

  /**
   * Waits for the walk's one turn for a big document (the shared word holds the thread id of the
   * worker that has it; the coordinator frees it when that worker dies). Waiting is progress: the
   * watchdog times the document, not the wait.
   */
  private takeBigTurn(): void {
    for (;;) {
      const holder = Atomics.compareExchange(this.bigTurn, 0, 0, threadId);
      if (holder === 0 || holder === threadId) return;
      Atomics.wait(this.bigTurn, 0, holder, 250);
      this.beat();
    }
  }

  private endBigTurn(): void {
    Atomics.compareExchange(this.bigTurn, 0, threadId, 0);
    Atomics.notify(this.bigTurn, 0, 1);
  }

  async folder(task: DirTask): Promise<void> {
    this.mark(task.id, -1);
    let files: RawPath[];
    let subdirs: Place[] = [];
    let symlinks = 0;
    if (task.files) files = task.files;
    else {
      try {
        let specials: Listing['specials'];
        ({ files, subdirs, symlinks, specials } = listFolder(task, this.skip));
        // FIFOs, sockets, devices: never opened, named (a FIFO named like a document is not a clean document)
        for (const sp of specials) {
          const at = child(task, sp.name);
          this.gaps.push({ kind: 'not-regular', path: at.t, ...rawFields(at), reason: `${sp.what}: not read (only regular files are)` });
        }
      } catch (err) {
        // A folder only Windows itself may open (restore points and shadow copies): listed, not
        // blocking — any other folder that cannot be listed (one its owner locked) stays blocking.
        const code = (err as NodeJS.ErrnoException).code;
        const system = (code === 'EACCES' || code === 'EPERM') && protectedByWindows(task.t);
        this.gaps.push(system
          ? { kind: 'in-use-system', path: task.t, ...rawFields(task), reason: 'only Windows itself may open this folder (restore points, shadow copies): scan offline with the kit to read it' }
          : { kind: 'unreadable', path: task.t, ...rawFields(task), reason: `folder not listed: ${errorReason(err)}` });
        this.flush(task, 0, true, []);
        return;
      }
    }
    const recycleDir = /\/\$Recycle\.Bin\/[^/]+$/i.test(task.t);
    // The native fast path takes runs of files whose names need no look (worked out once per
    // folder, not again at every stop). `stop`: the file it last gave up on — read below, not by
    // it again — and whether for a keyword's bytes (JavaScript's fast path would give up too).
    let runEnd = -1;
    let stop = { at: -1, needle: false, from: 0 };
    let end = Math.min(task.to ?? files.length, files.length);
    for (let i = task.from ?? 0; i < end; i++) {
      // Another worker is idle: give it the second half of what is left here.
      if (this.slots[3] === 1 && end - i > 1) {
        this.slots[3] = 0;
        const mid = i + Math.ceil((end - i) / 2);
        this.flush(task, i, false, undefined, { files: files.slice(mid, end), to: mid });
        end = mid;
      }
      const raw = files[i]!;
      const failed = task.failed?.find((f) => f.index === i);
      if (failed) {
        const at = child(task, raw);
        this.counts.files++;
        this.gaps.push({ kind: failed.kind, path: at.t, ...rawFields(at), reason: failed.reason });
        continue;
      }
      this.mark(task.id, i);
      if (this.native && i !== stop.at) {
        if (runEnd <= i) runEnd = this.plainRun(files, i, recycleDir, task.failed);
        if (runEnd > i) {
          const res = this.nativeRes;
          this.native.fastRun(task.h, files, i, Math.min(runEnd, end), this.needles, this.overlap, this.slots, this.fastBuf, res);
          const [reached = 0, bytes = 0, why = 0, binaries = 0, images = 0] = res;
          this.counts.files += reached - i;
          this.counts.bytes += bytes;
          this.add('no-keyword-bytes', reached - i - binaries - images);
          this.add('binary', binaries);
          this.add('image', images);
          stop = { at: why === FAST_STOP.end || why === FAST_STOP.split ? -1 : reached, needle: why === FAST_STOP.needle, from: res[5] ?? 0 };
          if (reached > i) {
            // the loop's top (a split, a failed index) applies to the file it stopped at
            i = reached - 1;
            continue;
          }
        }
      }
      const name = nameText(raw);
      const recycled = recycleDir && name.startsWith('$R') ? child(task, typeof raw === 'string' ? `$I${raw.slice(2)}` : Buffer.concat([Buffer.from('$I'), asBytes(raw).subarray(2)])).h : undefined;
      this.needleAt = i === stop.at && stop.needle ? stop.from : 0;
      await this.file(child(task, raw), name, recycled, i === stop.at && stop.needle);
      // After a document, report what is known (a crash later then repeats little); at most ~4 times a second.
      if (this.dirty && Date.now() - this.lastFlush > 250) this.flush(task, i + 1, false);
    }
    this.mark(0, -1);
    this.slots[2] = 0;
    this.counts.symlinks += symlinks;
    this.flush(task, end, true, subdirs);
  }

  /**
   * One file: `at` where it is, `name` its name as looked at for markings (decoded when not UTF-8),
   * `recycleInfo` the host path of its $I file. `needle`: the native path found a keyword's bytes
   * in it (the fast path would give up: skip it).
   */
  protected async file(at: Place, name: string, recycleInfo: RawPath | undefined, needle = false): Promise<void> {
    const t = at.t;
    const raw = rawFields(at);
    let fd: number;
    try {
      fd = openNoAtimeSync(hostArg(at.h), O_NONBLOCK | O_NOFOLLOW);
    } catch (err) {
      this.counts.files++;
      // A running Windows keeps its memory files and loaded registry hives locked: listed, not a
      // gap that blocks (the registry is read from reg save copies; the kit reads them offline).
      const kind = (err as NodeJS.ErrnoException).code === 'EBUSY' && lockedByWindows(t) ? 'in-use-system' : 'unreadable';
      this.gaps.push({ kind, path: t, ...raw, reason: kind === 'in-use-system' ? 'kept locked by the running Windows (memory or registry file): scan offline with the kit to read it' : errorReason(err) });
      return;
    }
    let slow: { size: number; mtimeMs: number } | undefined;
    try {
      // Only a regular file is read: the listing's type is the directory entry's, which a crafted
      // disk can make up (a device listed as a file never ends; a FIFO blocks).
      const st = fstatSync(fd);
      if (!st.isFile()) {
        this.counts.files++;
        this.gaps.push({ kind: 'not-regular', path: t, ...raw, reason: `${specialModeName(st.mode)}: not read (only regular files are)` });
        return;
      }
      const originalPath = recycleInfo ? this.recycleOriginal(recycleInfo) : undefined;
      const read = needle ? -1 : this.fastPath(fd);
      if (read >= 0) {
        this.counts.files++;
        this.counts.bytes += read;
        this.count('no-keyword-bytes');
        this.nameOnly(at, name, originalPath, fd, 'unknown');
        return;
      }
      this.counts.files++;
      this.counts.bytes += st.size;
      slow = { size: st.size, mtimeMs: st.mtimeMs };
      await this.slowPath(fd, at, name, originalPath, st.size, st.mtimeMs);
    } catch (err) {
      this.gaps.push({ kind: 'unreadable', path: t, ...raw, reason: errorReason(err) });
    } finally {
      if (slow) {
        try {
          const after = fstatSync(fd);
          if (after.size !== slow.size || after.mtimeMs !== slow.mtimeMs) this.gaps.push({ kind: 'changed', path: t, ...raw, reason: 'the file changed while it was read: the result may be incomplete' });
        } catch {
          // closed under us: nothing more to say
        }
      }
      closeSync(fd);
    }
  }

  /**
   * Keeps the process under its memory bound. Buffers a document leaves behind (whole files,
   * inflated members) are garbage only when V8 next collects, and V8 lets each worker hold tens
   * of MB of them; with a worker per core that was what took the walk past 300 MB. So after each
   * document, and every few MB inside a long one, a worker looks at the process's resident size
   * (cheap) and, above RSS_SOFT, collects its own heap at once and has glibc give the freed memory
   * back — at most once per 16 MB of growth or per second, so live data cannot make it thrash.
   */
  private relieve(): void {
    const rss = process.memoryUsage.rss();
    if (rss < RSS_SOFT) return;
    const now = Date.now();
    if (rss < this.lastRelief.rss + 16 * 1024 * 1024 && now - this.lastRelief.at < 1000) return;
    // the collector is not exposed to workers by a flag: turn it on and fetch it once
    if (fullGc === undefined) {
      setFlagsFromString('--expose-gc');
      fullGc = runInNewContext('gc') as () => void;
    }
    fullGc();
    this.native?.trim();
    this.lastRelief = { rss: process.memoryUsage.rss(), at: now };
  }

  private count(format: string): void {
    this.add(format, 1);
  }

  private add(format: string, n: number): void {
    if (n > 0) this.counts.byFormat[format] = (this.counts.byFormat[format] ?? 0) + n;
  }

  /**
   * Where the run of files from `from` ends whose names can hold no marking and ask for nothing
   * else (not a recycled file, not one that stopped a worker before): the fast path may take them
   * unseen.
   */
  private plainRun(files: readonly RawPath[], from: number, recycleDir: boolean, failed: DirTask['failed']): number {
    let j = from;
    for (; j < files.length; j++) {
      const name = nameText(files[j]!);
      if (recycleDir && name.startsWith('$R')) break;
      if (this.init.needleChars.some((c) => name.includes(c))) break;
      if (failed?.some((f) => f.index === j)) break;
    }
    return j;
  }

  /**
   * The file's size when no byte of it can belong to a keyword (and nothing in it hides text);
   * -1 when it needs a closer look. Read in pieces small enough to stay in the CPU cache between
   * the copy and the search; each piece is searched with the last bytes of the one before.
   * (native/fastwalk.c does the same for runs of files.)
   */
  private fastPath(fd: number): number {
    const buf = this.fastBuf;
    this.needleAt = 0;
    let markup = false;
    let kept = 0;
    for (let size = 0, pieces = 0; ; pieces++) {
      const r = readSync(fd, buf, kept, FAST_READ, size);
      if (r === 0) return size;
      const n = kept + r;
      const chunk = buf.subarray(0, n);
      if (size === 0) {
        // Containers hide their text (compressed, encoded); so may mail (base64, quoted-printable).
        if (hasContainerMagic(chunk)) return -1;
        if (mayBeMail(chunk) && this.sniffHides(fd)) return -1;
        markup = mayBeMarkup(chunk);
      }
      // HTML, XML and RTF can spell a character with escapes (&#23494;, \u23494) anywhere in the
      // file. Escape syntax alone is common in source code, so only then is the head sniffed,
      // exactly as extraction would: a text file with `&#` in it is still plain text.
      if (markup && hasEscapes(chunk)) {
        if (this.sniffHides(fd)) return -1;
        markup = false;
      }
      if (mayHoldKeyword(chunk, this.needles)) {
        this.needleAt = Math.max(0, size - kept);
        return -1;
      }
      size += r;
      if (r < FAST_READ) return size;
      // A piece of zeros may be a hole of a sparse file (5 GB of nothing costs no disk but reads at
      // the speed of zeros): go on at the next data, as native/fastwalk.c does.
      if (buf[kept] === 0 && this.dataFrom && chunk.subarray(kept + 1).equals(chunk.subarray(kept, n - 1))) {
        const d = this.dataFrom(fd, size);
        if (d < 0) return fstatSync(fd).size;
        size = Math.max(size, d);
      }
      if ((pieces & 3) === 3) this.beat();
      kept = Math.min(this.overlap, n);
      buf.copyWithin(0, n - kept, n);
    }
  }

  /** Would extraction take this file for something other than plain text (mail, markup, RTF…)? */
  private sniffHides(fd: number): boolean {
    const n = readSync(fd, this.headBuf, 0, this.headBuf.length, 0);
    const f = sniffDocument(this.headBuf.subarray(0, n), undefined);
    return f !== 'text' && f !== 'binary' && f !== 'image';
  }

  /** Only the names can hold a marking: check them (cheaply: most names hold no needle character). */
  private nameOnly(at: Place, name: string, originalPath: string | undefined, fd: number, format: DocFormat): void {
    const originalName = originalPath?.split(/[\\/]/).pop();
    const names = originalName ? `${name}\n${originalName}` : name;
    if (!this.init.needleChars.some((c) => names.includes(c))) return;
    const parts = [{ name: 'file-name', text: name }, ...(originalName ? [{ name: 'original-name', text: originalName }] : [])];
    const hits = findMarkings(parts, this.init.grammar, { keywords: this.init.keywords, mentions: false });
    if (hits.length === 0) return;
    const st = fstatSync(fd);
    this.records.push({
      path: at.t,
      ...rawFields(at),
      size: st.size,
      mtimeMs: st.mtimeMs,
      sha256: '',
      format,
      ...(originalPath ? { originalPath } : {}),
      markings: hits.map((m) => ({ level: m.level, text: m.text, inner: '', part: m.part, offset: m.offset, pattern: m.pattern })),
    });
  }

  private recycleOriginal(infoHostPath: RawPath): string | undefined {
    try {
      const fd = openNoAtimeSync(hostArg(infoHostPath), O_NONBLOCK | O_NOFOLLOW, false);
      try {
        if (!fstatSync(fd).isFile()) return undefined; // a FIFO or a device as the $I record
        const b = Buffer.alloc(1 << 16);
        const n = readSync(fd, b, 0, b.length, 0);
        const original = parseRecycleInfo(b.subarray(0, n))?.originalPath;
        return original === undefined ? undefined : printable(original);
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
  }

  private async slowPath(fd: number, at: Place, name: string, originalPath: string | undefined, size: number, mtimeMs: number): Promise<void> {
    const t = at.t;
    const head = Buffer.alloc(Math.min(4096, size));
    readSync(fd, head, 0, head.length, 0);
    const format = sniffDocument(head, name);
    // Pictures and executables hold no text to decode, but their bytes are searched all the same:
    // a NUL or a header must not hide a marking (text-stream.ts BinaryMarkings).
    if (format === 'image' || format === 'binary') {
      const scan = scanBinaryFile(fd, size, this.needleAt, format, [name, originalPath?.split(/[\\/]/).pop()], this);
      this.count(format);
      if (scan.markings.length > 0) this.records.push({ path: t, ...rawFields(at), size, mtimeMs, sha256: scan.sha256, format, ...(originalPath ? { originalPath } : {}), markings: scan.markings.map((m) => ({ level: m.level, text: printable(m.text), inner: '', part: m.part, offset: m.offset, pattern: m.pattern })) });
      return;
    }
    this.dirty = true;
    this.beat();
    const originalName = originalPath?.split(/[\\/]/).pop();
    const opts = { name, ...(originalName ? { originalName } : {}), grammar: this.init.grammar, keywords: this.init.keywords, timeoutMs: this.init.fileTimeoutMs };
    let scan: FileScan;
    const big = format !== 'text' && size > BIG_DOC_BYTES && process.memoryUsage.rss() > TURN_ABOVE;
    if (big) this.takeBigTurn();
    try {
      if (format === 'text') scan = this.scanChunks(fd, name, originalName);
      else if (format === 'gzip' && (size > GZ_STREAM_BYTES || gzipInnerSize(fd, size) > GZ_STREAM_BYTES)) scan = await scanGzipStream(fd, name, originalName, size, this);
      else if (ZIP_FAMILY.has(format) && size > ZIP_BY_POSITION_BYTES) {
        // A big zip (a 60 MB wheel, a 200 MB slide deck with video) or tar (a backup) is read by
        // position: its directory or headers, then one member at a time — never whole, whatever its size.
        const { scanFile } = await loadScanFile();
        let read = 0;
        const source = fileSource(fd, size, (n) => {
          this.beat();
          // a long archive: members come and go, their buffers pile up between collections
          if ((read += n) >= 8 * 1024 * 1024) {
            read = 0;
            this.relieve();
          }
        });
        scan = await scanFile(source.read(0, 65536), { ...opts, archiveSource: source });
        if (scan.markings.length > 0) scan.sha256 = this.hash(fd);
      } else if (size > this.init.maxFileBytes) {
        const { scanFile } = await loadScanFile();
        scan = { ...(await scanFile(new Uint8Array(0), opts)), sha256: '', gaps: [{ inner: '', kind: 'too-large', reason: `${size} bytes is over the ${this.init.maxFileBytes}-byte budget: only the name was checked` }] };
      } else {
        const { scanFile } = await loadScanFile();
        scan = await scanFile(fileSource(fd, size).read(0, size), opts);
      }
    } finally {
      if (big) this.endBigTurn();
    }
    // text is read in bounded pieces: nothing to collect after it
    if (format !== 'text') this.relieve();
    this.count(scan.format);
    for (const g of scan.gaps) {
      // Pictures inside documents and archives (icons, photos in a .jar or a web page) are counted
      // in one line, or they would bury the gaps that matter; scanned PDFs stay listed.
      if (g.kind === 'no-text-layer' && g.inner && /^picture/.test(g.reason)) {
        this.counts.embeddedPictures++;
        continue;
      }
      this.gaps.push({ kind: g.kind, path: g.inner ? `${t}!/${printable(g.inner)}` : t, ...rawFields(at), reason: printable(g.reason) });
    }
    if (scan.markings.length > 0) {
      this.records.push({
        path: t,
        ...rawFields(at),
        size,
        mtimeMs,
        sha256: scan.sha256,
        format: scan.format,
        ...(originalPath ? { originalPath } : {}),
        markings: scan.markings.map((m) => ({ level: m.level, text: printable(m.text), inner: printable(m.inner), part: m.part, offset: m.offset, pattern: m.pattern })),
      });
    }
  }

  /**
   * A plain-text file, read CHUNK bytes at a time with an overlap (a marking split by a chunk border
   * is still seen); a chunk with no keyword character in any encoding is not decoded at all. Plain
   * text needs no extraction library: decode and match.
   */
  private scanChunks(fd: number, name: string, originalName: string | undefined): FileScan {
    const found = new TextMarkings(this.init, this.needles, '');
    // one stream, the same windows as scanFile (and inspect) use: see TextWindows
    const windows = new TextWindows(found, [name, originalName]);
    const buf = this.shared.subarray(0, CHUNK);
    for (let pos = 0; ; pos += CHUNK) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      this.beat();
      windows.feed(buf.subarray(0, n));
      if (n < buf.length) break;
    }
    windows.end();
    // Hash only what is evidence: a file with a marking (re-read; such files are few).
    return { format: 'text', sha256: found.markings.length > 0 ? this.hash(fd) : '', markings: found.markings, mentions: [], gaps: [], parts: [], embeddedFiles: 0 };
  }

  /** The buffer binaries are read in (see scanBinaryFile). */
  get pieceBuffer(): Buffer {
    return this.shared;
  }

  hash(fd: number): string {
    const h = createHash('sha256');
    // a sparse file's holes are hashed as the zeros they read as, without reading them
    const zeros = this.dataFrom ? Buffer.alloc(this.shared.length) : undefined;
    const size = zeros ? fstatSync(fd).size : 0;
    for (let pos = 0; ; ) {
      const d = zeros && pos < size ? this.dataFrom!(fd, pos) : pos;
      if (d !== pos) {
        const to = d < 0 ? size : d;
        for (; pos < to; pos += Math.min(zeros!.length, to - pos)) h.update(zeros!.subarray(0, Math.min(zeros!.length, to - pos)));
        continue;
      }
      const n = readSync(fd, this.shared, 0, this.shared.length, pos);
      if (n === 0) break;
      h.update(this.shared.subarray(0, n));
      pos += n;
    }
    return h.digest('hex');
  }
}
