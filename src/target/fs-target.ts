// The one Target implementation: a root directory on the host (`/` when live, the mount point of
// the inspected disk when offline), read-only, paths resolved inside it. Only a live target execs.
import { constants, lstatSync, type Stats } from 'node:fs';
import { lstat as fsLstat, open as fsOpen, readFile as hostReadFile, realpath, stat as fsStat, type FileHandle } from 'node:fs/promises';
import { detectOs } from './detect.js';
import { execRunner, type CommandRunner } from './runner.js';
import { collectUnlisted, noteUnlisted } from './unlisted.js';
export type { AccessTimeNotes } from './types.js';
import { isUtf8 } from 'node:buffer';
import { accessTimeCounts, countFileWithoutNoatime, LIST_KIND, listDirSync, O_NOATIME, specialModeName } from './open-sync.js';
import { normalizeTargetPath, printable, resolveInRoot, resolveInRootBytes, shownName, splitTargetPath } from './resolve.js';
import {
  TargetError,
  type AccessTimeNotes,
  type DirEntry,
  type EntryKind,
  type ExecOptions,
  type ExecResult,
  type FileStat,
  type Mode,
  type Target,
  type TargetFile,
  type TargetOs,
  type WalkEntry,
  type WalkOptions,
} from './types.js';

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function kindOf(s: Stats): EntryKind {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  return 'other';
}

function toStat(s: Stats): FileStat {
  return { kind: kindOf(s), size: s.size, mtime: s.mtime.toISOString(), mtimeMs: s.mtimeMs, mode: s.mode };
}

/**
 * Node's message without the host path it quotes (the target path is named already; the host one
 * may be decoded lossily and hold a raw control character of a file name).
 */
function hostless(err: unknown, msg: string): string {
  const e = err as NodeJS.ErrnoException | undefined;
  return printable(e?.syscall && e.path !== undefined ? msg.replace(/^([\s\S]*?), (\w+) '[\s\S]*'$/, '$1, $2') : msg);
}

/** Turn a host fs error into a TargetError that names the target path, not the host one. */
export function targetError(err: unknown, path: string): TargetError {
  if (err instanceof TargetError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const msg = (err as Error | undefined)?.message ?? String(err);
  switch (code) {
    case 'ENOENT':
      return new TargetError('E_NOT_FOUND', path, `${path}: no such file or directory`, { cause: err });
    case 'ELOOP':
      return new TargetError('E_LOOP', path, `${path}: too many levels of symbolic links`, { cause: err });
    case 'ENOTDIR':
      return new TargetError('E_NOT_DIR', path, `${path}: not a directory`, { cause: err });
    case 'EISDIR':
      return new TargetError('E_IS_DIR', path, `${path}: is a directory`, { cause: err });
    case 'EBUSY':
      return new TargetError('E_ACCESS', path, `${path}: in use by the running system (locked), not read`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new TargetError('E_ACCESS', path, `${path}: permission denied`, { cause: err });
    default:
      return new TargetError('E_IO', path, `${path}: ${hostless(err, msg)}`, { cause: err });
  }
}

/** A FIFO put where a file was expected must not block the open (no effect on a regular file). */
const O_NONBLOCK: number = constants.O_NONBLOCK ?? 0;
/** The path is resolved inside the root first; a symbolic link still in its last place is not followed. */
const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;

/**
 * Open read-only; O_NOATIME where permitted (EPERM when we do not own the file and are not root:
 * then without it, counted — see open-sync.ts). `hostPath` as a Buffer: a path whose names are
 * not UTF-8, opened by its bytes.
 */
export async function openNoAtime(hostPath: string | Buffer, extraFlags = 0): Promise<FileHandle> {
  if (O_NOATIME !== 0) {
    try {
      return await fsOpen(hostPath, constants.O_RDONLY | O_NOATIME | extraFlags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  const fh = await fsOpen(hostPath, constants.O_RDONLY | extraFlags);
  if (O_NOATIME !== 0) countFileWithoutNoatime();
  return fh;
}


/** A target path given as bytes, as messages show it (each name decoded or escaped: see shownName). */
export function shownTargetPath(path: string | Uint8Array): string {
  if (typeof path === 'string') return path;
  const b = Buffer.from(path.buffer, path.byteOffset, path.byteLength);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === 0x2f) {
      parts.push(shownName(b.subarray(from, i)).text);
      from = i + 1;
    }
  }
  return parts.join('/');
}

export class FsTarget implements Target {
  /** accessTimeCounts() when the target was opened: this target's reads are what came after. */
  private readonly atimeBase = accessTimeCounts();
  private constructor(
    readonly mode: Mode,
    readonly root: string,
    readonly os: TargetOs,
    private readonly runner: CommandRunner,
    private readonly caseInsensitive: boolean,
  ) {}

  /**
   * Files and folders read without O_NOATIME since this target was opened (by this process: every
   * thread, the native and the JavaScript readers), and how the root is mounted. Non-zero counts on
   * an `atime` mount: reading changed up to that many access times (run as root, or mount the disk
   * read-only or with noatime, as the kit does). Counts are per process: scan one target at a time.
   */
  async accessTimeNotes(): Promise<AccessTimeNotes> {
    const now = accessTimeCounts();
    const notes: AccessTimeNotes = { filesWithoutNoatime: now.files - this.atimeBase.files, foldersWithoutNoatime: now.folders - this.atimeBase.folders };
    const mount = await mountKind(this.root);
    return mount ? { ...notes, mount } : notes;
  }

  /** Open a target; `root` must be an existing directory (TargetError E_ROOT otherwise). */
  static async open(mode: Mode, root: string, opts: { runner?: CommandRunner; caseInsensitive?: boolean } = {}): Promise<FsTarget> {
    let s: Stats;
    try {
      s = await fsStat(root);
    } catch (err) {
      throw new TargetError('E_ROOT', root, `root ${root} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    if (!s.isDirectory()) throw new TargetError('E_ROOT', root, `root ${root} is not a directory`);
    const os = await detectOs((p) => resolveInRoot(root, p, true, true));
    return new FsTarget(mode, root, os, opts.runner ?? execRunner, opts.caseInsensitive ?? os.family === 'windows');
  }

  resolve(path: string, opts: { followLast?: boolean } = {}): Promise<string> {
    return resolveInRoot(this.root, path, opts.followLast ?? true, this.caseInsensitive);
  }

  /**
   * The host path as bytes, for a target path given as a string or as bytes (names that are not
   * UTF-8, as readDir's `nameBytes` or walk's `pathBytes` give them): resolved as resolve() does,
   * confined to the root in the same way.
   */
  resolveBytes(path: string | Uint8Array, opts: { followLast?: boolean } = {}): Promise<Buffer> {
    return resolveInRootBytes(this.root, path, opts.followLast ?? true, this.caseInsensitive);
  }

  /** Every method takes a target path as a string or as bytes (a name that is not UTF-8) and resolves it to bytes. */
  private async host(path: string | Uint8Array, followLast = true): Promise<Buffer> {
    try {
      return await this.resolveBytes(path, { followLast });
    } catch (err) {
      throw targetError(err, shownTargetPath(path));
    }
  }

  async exists(path: string | Uint8Array): Promise<boolean> {
    try {
      await fsStat(await this.host(path));
      return true;
    } catch {
      return false;
    }
  }

  async stat(path: string | Uint8Array): Promise<FileStat> {
    const h = await this.host(path);
    try {
      return toStat(await fsStat(h));
    } catch (err) {
      throw targetError(err, shownTargetPath(path));
    }
  }

  async lstat(path: string | Uint8Array): Promise<FileStat> {
    const h = await this.host(path, false);
    try {
      return toStat(await fsLstat(h));
    } catch (err) {
      throw targetError(err, shownTargetPath(path));
    }
  }

  /**
   * Entries in byte order of their names. A name that is not UTF-8, or holds a control character,
   * is shown decoded or escaped in `name` and given exactly in `nameBytes`: open it by the bytes
   * (`Buffer.concat([dir, '/', nameBytes])`), never by `name`.
   */
  async readDir(path: string | Uint8Array): Promise<DirEntry[]> {
    const h = await this.host(path);
    try {
      const { names, kinds } = listDirSync(h);
      return names
        .map((n, i) => ({ b: typeof n === 'string' ? Buffer.from(n) : n, name: n, kind: entryKind(kinds[i]!) }))
        .sort((a, b) => Buffer.compare(a.b, b.b))
        .map((e) => {
          const shown = shownName(e.name);
          return shown.enc ? { name: shown.text, kind: e.kind, nameBytes: e.b } : { name: shown.text, kind: e.kind };
        });
    } catch (err) {
      throw targetError(err, shownTargetPath(path));
    }
  }

  /**
   * Only a regular file opens (a directory is E_IS_DIR; a FIFO, socket or device E_IO, refused
   * before it is opened: opening a FIFO waits for a writer, a device never ends). Resolved inside
   * the root, then opened without following a last symbolic link (O_NOFOLLOW), without blocking,
   * and checked again on the open file (the same file the path named, still regular).
   */
  async open(path: string | Uint8Array): Promise<TargetFile> {
    const h = await this.host(path);
    const shown = shownTargetPath(path);
    let fh: FileHandle;
    try {
      const pre = await fsLstat(h);
      if (pre.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (!pre.isFile()) throw new TargetError('E_IO', shown, `${shown}: ${specialModeName(pre.mode)}, not read: not a regular file`);
      fh = await openNoAtime(h, O_NONBLOCK | O_NOFOLLOW);
      const s = await fh.stat();
      if (s.isDirectory()) {
        await fh.close();
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      }
      if (!s.isFile() || s.ino !== pre.ino || s.dev !== pre.dev) {
        await fh.close();
        throw new TargetError('E_IO', shown, `${shown}: ${s.isFile() ? 'replaced while it was opened, not read' : `${specialModeName(s.mode)}, not read: not a regular file`}`);
      }
      return {
        size: s.size,
        async read(position: number, length: number): Promise<Buffer> {
          // Pseudo-files (/proc, /sys) report size 0 but have content: read up to `length` then.
          const want = s.size === 0 ? length : Math.min(length, s.size - position);
          const buf = Buffer.alloc(Math.max(0, want));
          let off = 0;
          while (off < buf.length) {
            const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
            if (bytesRead === 0) break;
            off += bytesRead;
          }
          return off === buf.length ? buf : buf.subarray(0, off);
        },
        close: () => fh.close(),
      };
    } catch (err) {
      throw targetError(err, shown);
    }
  }

  async readFile(pathIn: string | Uint8Array, opts: { maxBytes?: number } = {}): Promise<Buffer> {
    const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const f = await this.open(pathIn);
    const path = shownTargetPath(pathIn);
    try {
      if (f.size > max) {
        throw new TargetError('E_TOO_LARGE', path, `${path}: ${f.size} bytes is over the ${max}-byte limit`);
      }
      // Files in /proc and /sys report size 0 (or 4096) but have content: read until EOF.
      if (f.size === 0 || path.startsWith('/proc/') || path.startsWith('/sys/')) {
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
          const b = await f.read(total, 64 * 1024);
          if (b.length === 0) break;
          chunks.push(b);
          total += b.length;
          if (total > max) throw new TargetError('E_TOO_LARGE', path, `${path}: over the ${max}-byte limit`);
        }
        return Buffer.concat(chunks);
      }
      return await f.read(0, f.size);
    } catch (err) {
      throw targetError(err, path);
    } finally {
      await f.close().catch(() => undefined);
    }
  }

  async readText(path: string | Uint8Array, opts: { maxBytes?: number } = {}): Promise<string> {
    const buf = await this.readFile(path, opts);
    const text = buf.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /**
   * Names are listed as bytes: an entry whose path is not UTF-8 (or holds a control character)
   * has `path` shown decoded or escaped, `pathBytes` exact and a Buffer `hostPath` that opens it.
   */
  async *walk(path: string, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
    const start = await this.host(path);
    const startTarget = normalizeTargetPath(path);
    interface Folder {
      t: string;
      h: Buffer;
      tb?: Buffer;
    }
    const entry = (f: Folder, kind: EntryKind, size: number, mtimeMs: number, error?: string): WalkEntry => ({
      path: f.t,
      hostPath: f.tb && !isUtf8(f.h) ? f.h : f.h.toString('utf8'),
      ...(f.tb ? { pathBytes: f.tb } : {}),
      kind,
      size,
      mtimeMs,
      ...(error !== undefined ? { error } : {}),
    });
    // Depth-first with an explicit stack of folders: memory grows with depth, not with size.
    const stack: Folder[] = [{ t: startTarget, h: start }];
    while (stack.length > 0) {
      opts.signal?.throwIfAborted();
      const f = stack.pop()!;
      let listed;
      try {
        // The whole folder at once (memory grows with a folder's size, not the tree's), without
        // moving its access time where the kernel allows it (open-sync.ts listDirSync).
        listed = listDirSync(f.h);
      } catch (err) {
        yield entry(f, 'dir', 0, 0, targetError(err, f.t).message);
        continue;
      }
      const subdirs: Folder[] = [];
      try {
        for (let i = 0; i < listed.names.length; i++) {
          const n = listed.names[i]!;
          const kind = listed.kinds[i]!;
          const c = childFolder(f, typeof n === 'string' ? Buffer.from(n) : n);
          if (kind === LIST_KIND.dir) {
            if (!opts.skip?.(c.t)) subdirs.push(c);
          } else if (kind === LIST_KIND.file) {
            try {
              // Synchronous on purpose: one quick syscall per file; the promise round trip through
              // the thread pool cost more than the call itself on large trees.
              const s = lstatSync(c.h);
              yield entry(c, 'file', s.size, s.mtimeMs);
            } catch (err) {
              yield entry(c, 'file', 0, 0, targetError(err, c.t).message);
            }
          } else if (kind === LIST_KIND.symlink) {
            yield entry(c, 'symlink', 0, 0);
          }
        }
      } catch (err) {
        yield entry(f, 'dir', 0, 0, `listing stopped: ${targetError(err, f.t).message}`);
      }
      // Reverse so that the walk visits folders in byte order of their names.
      subdirs.sort((a, b) => Buffer.compare(b.h, a.h));
      stack.push(...subdirs);
    }
  }

  async glob(pattern: string): Promise<string[]> {
    const parts = splitTargetPath(pattern);
    const ci = this.caseInsensitive;
    let paths = ['/'];
    for (const part of parts) {
      const next: string[] = [];
      const re = /[*?]/.test(part) ? globToRegExp(part, ci) : undefined;
      for (const dir of paths) {
        if (re === undefined) {
          const p = joinTarget(dir, part);
          if (await this.exists(p)) next.push(p);
          continue;
        }
        let ents: DirEntry[];
        try {
          ents = await this.readDir(dir);
        } catch (err) {
          // Not there is not a gap; there but not listable is (what it holds was not looked at).
          const code = (err as TargetError).code;
          if (code !== 'E_NOT_FOUND' && code !== 'E_NOT_DIR') noteUnlisted(dir);
          continue;
        }
        for (const e of ents) if (re.test(e.name)) next.push(joinTarget(dir, e.name));
      }
      paths = next;
    }
    return paths;
  }

  exec(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.mode !== 'live') {
      return Promise.reject(new TargetError('E_NOT_LIVE', file, `cannot run ${file}: offline targets run no programs`));
    }
    return this.runner.run(file, args, opts);
  }
}

function entryKind(k: number): EntryKind {
  return k === LIST_KIND.file ? 'file' : k === LIST_KIND.dir ? 'dir' : k === LIST_KIND.symlink ? 'symlink' : 'other';
}

/**
 * How the file system holding `root` is mounted, from /proc/self/mountinfo (the longest mount
 * point above the root's real path): read-only, noatime, or updating access times; undefined when
 * it cannot be told (no /proc, not Linux).
 */
export async function mountKind(root: string, mountinfo?: string): Promise<AccessTimeNotes['mount']> {
  let text = mountinfo;
  let real: string;
  try {
    text ??= await hostReadFile('/proc/self/mountinfo', 'utf8');
    real = await realpath(root);
  } catch {
    return undefined;
  }
  let best: { point: string; opts: string[] } | undefined;
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 10 || dash < 6) continue;
    const point = f[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const inside = point === '/' || real === point || real.startsWith(`${point}/`);
    // mounts listed later are on top of earlier ones at the same point
    if (inside && (!best || point.length >= best.point.length)) best = { point, opts: [...f[5]!.split(','), ...(f[dash + 3] ?? '').split(',')] };
  }
  if (!best) return undefined;
  if (best.opts.includes('ro')) return 'read-only';
  if (best.opts.includes('noatime')) return 'noatime';
  return 'atime';
}

/** A folder's entry: host path by the bytes; the target path shown (see shownName), its bytes kept when that is not exact. */
function childFolder(f: { t: string; h: Buffer; tb?: Buffer }, name: Buffer): { t: string; h: Buffer; tb?: Buffer } {
  const shown = shownName(isUtf8(name) ? name.toString('utf8') : name);
  const sep = Buffer.from('/');
  const h = Buffer.concat(f.h.length > 0 && f.h[f.h.length - 1] === 0x2f ? [f.h, name] : [f.h, sep, name]);
  const t = joinTarget(f.t, shown.text);
  if (!shown.enc && !f.tb) return { t, h };
  const tb = f.tb ?? Buffer.from(f.t);
  return { t, h, tb: Buffer.concat(tb.length > 0 && tb[tb.length - 1] === 0x2f ? [tb, name] : [tb, sep, name]) };
}

function joinTarget(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function globToRegExp(part: string, caseInsensitive: boolean): RegExp {
  const src = part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${src}$`, caseInsensitive ? 'i' : '');
}
