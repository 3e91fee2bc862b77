// Synchronous read-only opens and folder listings for worker threads (dedicated threads: blocking
// is what they are for), in a module of its own so that a worker loads nothing else of the target
// layer. Also the one count of what was read without O_NOATIME, shared by every thread.
//
// Access times: reading a file, and listing a folder, moves its access time (under relatime when
// it is older than a day or than the last change) — on an inspected disk that is a write, and it
// erases when its owner last looked at the file. O_NOATIME prevents it; Linux allows it to the
// file's owner and to root. Node can pass it to open() but not to readdir(): folders are listed by
// the native part (native/fastwalk.c listDir) when it is built, by Node's readdir (counted) else.
// What could not get O_NOATIME is counted here, so that the report can say how many access times
// reading may have changed (FsTarget.accessTimeNotes).
import { isUtf8 } from 'node:buffer';
import { constants, openSync, readdirSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread, workerData } from 'node:worker_threads';

/** O_NOATIME keeps the inspected files' access times as they were; Linux allows it to the owner/root. */
export const O_NOATIME: number = (constants as Record<string, number>)['O_NOATIME'] ?? 0;

/**
 * [files, folders] opened without O_NOATIME by JavaScript, in memory shared by the main thread and
 * the walk's workers: the coordinator passes it to each worker as `workerData.accessTimes`
 * (pool.ts), and a worker's copy of this module counts into it.
 */
const shared: SharedArrayBuffer = (() => {
  const given = isMainThread ? undefined : (workerData as { accessTimes?: unknown } | null | undefined)?.accessTimes;
  return given instanceof SharedArrayBuffer && given.byteLength >= 8 ? given : new SharedArrayBuffer(8);
})();
const counts = new Int32Array(shared);

/** The shared counters, to hand to a worker thread as `workerData.accessTimes`. */
export function accessTimeBuffer(): SharedArrayBuffer {
  return shared;
}

/** A file was opened without O_NOATIME (the kernel refused it): its access time may change. */
export function countFileWithoutNoatime(): void {
  Atomics.add(counts, 0, 1);
}

/** A folder was listed without O_NOATIME (no native listing, or the kernel refused it). */
export function countFolderWithoutNoatime(): void {
  Atomics.add(counts, 1, 1);
}

/** Entry kinds of a raw listing (native/fastwalk.c listDir's K_*). */
export const LIST_KIND = { unknown: 0, file: 1, dir: 2, symlink: 3, fifo: 4, socket: 5, char: 6, block: 7 } as const;

/** What a kind other than file, folder or link is, in words (a gap's reason). */
export function specialKindName(kind: number): string {
  switch (kind) {
    case LIST_KIND.fifo:
      return 'a FIFO (named pipe)';
    case LIST_KIND.socket:
      return 'a socket';
    case LIST_KIND.char:
      return 'a character device';
    case LIST_KIND.block:
      return 'a block device';
    default:
      return 'not a regular file';
  }
}

/** What a file that is not regular is, by its stat mode, in words (a gap's reason). */
export function specialModeName(mode: number): string {
  const t = mode & constants.S_IFMT;
  if (t === constants.S_IFDIR) return 'a folder';
  if (t === constants.S_IFLNK) return 'a symbolic link';
  if (t === constants.S_IFIFO) return specialKindName(LIST_KIND.fifo);
  if (t === constants.S_IFSOCK) return specialKindName(LIST_KIND.socket);
  if (t === constants.S_IFCHR) return specialKindName(LIST_KIND.char);
  if (t === constants.S_IFBLK) return specialKindName(LIST_KIND.block);
  return 'not a regular file';
}

/** A folder's entries: names (a string when UTF-8, else the bytes) and their LIST_KIND (native: in byte order of the names). */
export interface RawListing {
  names: Array<string | Buffer>;
  kinds: Uint8Array;
}

interface NativeFs {
  listDir(path: string | Uint8Array): [Array<string | Buffer>, Buffer];
  atimeCounts(): [number, number];
}

let native: NativeFs | null | undefined;

/** The native listing (undefined: not built, or BAOMI_NATIVE=0, as for the walk's fast path). */
export function nativeFs(): NativeFs | undefined {
  if (native === undefined) {
    native = null;
    if (process.env['BAOMI_NATIVE'] !== '0') {
      try {
        // the same path from src/ (tests) and dist/ (the built tool)
        const m = createRequire(import.meta.url)('../../build/Release/baomi_native.node') as Partial<NativeFs>;
        if (typeof m.listDir === 'function' && typeof m.atimeCounts === 'function') native = m as NativeFs;
      } catch {
        // not built: Node's readdir lists, and the folders are counted
      }
    }
  }
  return native ?? undefined;
}

/**
 * Open read-only; O_NOATIME where permitted (EPERM when we do not own the file and are not root:
 * opened without it, and counted). Tried on every open: a scan not run as root still keeps the
 * access times of the files it owns. `hostPath` as a Buffer: a path whose names are not UTF-8,
 * opened by its bytes. Readers of a target pass O_NONBLOCK | O_NOFOLLOW too, and fstat before
 * reading (only a regular file is read). `counted: false`: a file the walk reads (and counts) on
 * its own too (a recycle bin's $I record, read for the $R file beside it).
 */
export function openNoAtimeSync(hostPath: string | Buffer, extraFlags = 0, counted = true): number {
  if (O_NOATIME !== 0) {
    try {
      return openSync(hostPath, constants.O_RDONLY | O_NOATIME | extraFlags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  const fd = openSync(hostPath, constants.O_RDONLY | extraFlags);
  if (O_NOATIME !== 0 && counted) countFileWithoutNoatime();
  return fd;
}

function kindOfDirent(e: Dirent | Dirent<Buffer>): number {
  if (e.isFile()) return LIST_KIND.file;
  if (e.isDirectory()) return LIST_KIND.dir;
  if (e.isSymbolicLink()) return LIST_KIND.symlink;
  if (e.isFIFO()) return LIST_KIND.fifo;
  if (e.isSocket()) return LIST_KIND.socket;
  if (e.isCharacterDevice()) return LIST_KIND.char;
  if (e.isBlockDevice()) return LIST_KIND.block;
  return LIST_KIND.unknown;
}

/**
 * A folder's entries, listed without moving its access time where the kernel allows it (native
 * listDir: O_NOATIME, O_NOFOLLOW, O_NONBLOCK); without the native part, Node's readdir (counted).
 * Throws as readdir does (code ENOENT, ENOTDIR, EACCES, ELOOP…).
 */
export function listDirSync(hostPath: string | Buffer): RawListing {
  const n = nativeFs();
  if (n) {
    const [names, kinds] = n.listDir(hostPath);
    return { names, kinds };
  }
  return listDirJs(hostPath);
}

/** listDirSync without the native part: Node's readdir, which moves the folder's access time (counted). */
export function listDirJs(hostPath: string | Buffer): RawListing {
  const ents = readdirSync(hostPath, { withFileTypes: true, encoding: 'buffer' });
  countFolderWithoutNoatime();
  const kinds = new Uint8Array(ents.length);
  const names = ents.map((e, i) => {
    kinds[i] = kindOfDirent(e);
    return isUtf8(e.name) ? e.name.toString('utf8') : e.name;
  });
  return { names, kinds };
}

/** Files and folders opened without O_NOATIME by this process so far, every thread and both readers. */
export function accessTimeCounts(): { files: number; folders: number } {
  const [nf, nd] = nativeFs()?.atimeCounts() ?? [0, 0];
  return { files: Atomics.load(counts, 0) + nf, folders: Atomics.load(counts, 1) + nd };
}
