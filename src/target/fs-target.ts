// The one Target implementation: a root directory on the host (`/` when live, the mount point of
// the inspected disk when offline), read-only, paths resolved inside it. Only a live target execs.
import { execFile } from 'node:child_process';
import { constants, lstatSync, type Stats } from 'node:fs';
import { lstat as fsLstat, open as fsOpen, opendir, readdir, stat as fsStat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { detectOs } from './detect.js';
import { normalizeTargetPath, resolveInRoot, splitTargetPath } from './resolve.js';
import {
  TargetError,
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
/** O_NOATIME keeps the inspected files' access times as they were; Linux allows it to the owner/root. */
const O_NOATIME: number = (constants as Record<string, number>)['O_NOATIME'] ?? 0;

function kindOf(s: Stats): EntryKind {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  return 'other';
}

function toStat(s: Stats): FileStat {
  return { kind: kindOf(s), size: s.size, mtime: s.mtime.toISOString(), mtimeMs: s.mtimeMs, mode: s.mode };
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
    case 'EACCES':
    case 'EPERM':
      return new TargetError('E_ACCESS', path, `${path}: permission denied`, { cause: err });
    default:
      return new TargetError('E_IO', path, `${path}: ${msg}`, { cause: err });
  }
}

/** Open read-only; O_NOATIME where permitted (EPERM when we do not own the file and are not root). */
export async function openNoAtime(hostPath: string): Promise<FileHandle> {
  if (O_NOATIME !== 0) {
    try {
      return await fsOpen(hostPath, constants.O_RDONLY | O_NOATIME);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  return fsOpen(hostPath, constants.O_RDONLY);
}

export class FsTarget implements Target {
  private constructor(
    readonly mode: Mode,
    readonly root: string,
    readonly os: TargetOs,
  ) {}

  /** Open a target; `root` must be an existing directory (TargetError E_ROOT otherwise). */
  static async open(mode: Mode, root: string): Promise<FsTarget> {
    let s: Stats;
    try {
      s = await fsStat(root);
    } catch (err) {
      throw new TargetError('E_ROOT', root, `root ${root} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    if (!s.isDirectory()) throw new TargetError('E_ROOT', root, `root ${root} is not a directory`);
    const os = await detectOs((p) => resolveInRoot(root, p, true, true));
    return new FsTarget(mode, root, os);
  }

  resolve(path: string, opts: { followLast?: boolean } = {}): Promise<string> {
    return resolveInRoot(this.root, path, opts.followLast ?? true, this.os.family === 'windows');
  }

  private async host(path: string, followLast = true): Promise<string> {
    try {
      return await this.resolve(path, { followLast });
    } catch (err) {
      throw targetError(err, path);
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await fsStat(await this.host(path));
      return true;
    } catch {
      return false;
    }
  }

  async stat(path: string): Promise<FileStat> {
    const h = await this.host(path);
    try {
      return toStat(await fsStat(h));
    } catch (err) {
      throw targetError(err, path);
    }
  }

  async lstat(path: string): Promise<FileStat> {
    const h = await this.host(path, false);
    try {
      return toStat(await fsLstat(h));
    } catch (err) {
      throw targetError(err, path);
    }
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const h = await this.host(path);
    try {
      const ents = await readdir(h, { withFileTypes: true });
      return ents
        .map((e) => ({
          name: e.name,
          kind: (e.isFile() ? 'file' : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'symlink' : 'other') as EntryKind,
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      throw targetError(err, path);
    }
  }

  async open(path: string): Promise<TargetFile> {
    const h = await this.host(path);
    let fh: FileHandle;
    try {
      fh = await openNoAtime(h);
      const s = await fh.stat();
      if (s.isDirectory()) {
        await fh.close();
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
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
      throw targetError(err, path);
    }
  }

  async readFile(path: string, opts: { maxBytes?: number } = {}): Promise<Buffer> {
    const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const f = await this.open(path);
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

  async readText(path: string, opts: { maxBytes?: number } = {}): Promise<string> {
    const buf = await this.readFile(path, opts);
    const text = buf.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async *walk(path: string, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
    const start = await this.host(path);
    const startTarget = normalizeTargetPath(path);
    // Depth-first with an explicit stack of folders: memory grows with depth, not with size.
    const stack: Array<{ t: string; h: string }> = [{ t: startTarget, h: start }];
    while (stack.length > 0) {
      opts.signal?.throwIfAborted();
      const { t, h } = stack.pop()!;
      let dir;
      try {
        dir = await opendir(h, { bufferSize: 256 });
      } catch (err) {
        yield { path: t, hostPath: h, kind: 'dir', size: 0, mtimeMs: 0, error: targetError(err, t).message };
        continue;
      }
      const subdirs: Array<{ t: string; h: string }> = [];
      try {
        for await (const e of dir) {
          const ct = t === '/' ? `/${e.name}` : `${t}/${e.name}`;
          const ch = join(h, e.name);
          if (e.isDirectory()) {
            if (!opts.skip?.(ct)) subdirs.push({ t: ct, h: ch });
          } else if (e.isFile()) {
            try {
              // Synchronous on purpose: one quick syscall per file; the promise round trip through
              // the thread pool cost more than the call itself on large trees.
              const s = lstatSync(ch);
              yield { path: ct, hostPath: ch, kind: 'file', size: s.size, mtimeMs: s.mtimeMs };
            } catch (err) {
              yield { path: ct, hostPath: ch, kind: 'file', size: 0, mtimeMs: 0, error: targetError(err, ct).message };
            }
          } else if (e.isSymbolicLink()) {
            yield { path: ct, hostPath: ch, kind: 'symlink', size: 0, mtimeMs: 0 };
          }
        }
      } catch (err) {
        yield { path: t, hostPath: h, kind: 'dir', size: 0, mtimeMs: 0, error: `listing stopped: ${targetError(err, t).message}` };
      }
      // Reverse so that the walk visits folders in name order.
      subdirs.sort((a, b) => (a.t < b.t ? 1 : a.t > b.t ? -1 : 0));
      stack.push(...subdirs);
    }
  }

  async glob(pattern: string): Promise<string[]> {
    const parts = splitTargetPath(pattern);
    const ci = this.os.family === 'windows';
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
        } catch {
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
    const timeout = opts.timeoutMs ?? 10_000;
    return new Promise((resolvePromise, reject) => {
      execFile(
        file,
        [...args],
        {
          timeout,
          killSignal: 'SIGKILL',
          maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024,
          env: { ...process.env, LC_ALL: 'C', ...(opts.env ?? {}) },
          encoding: 'utf8',
          windowsHide: true,
        },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: unknown }) | null;
          if (e && typeof e.code === 'string') {
            // Spawn failure (ENOENT: program missing) is not a program result.
            reject(new TargetError('E_EXEC', file, `cannot run ${file}: ${e.message}`, { cause: err }));
            return;
          }
          resolvePromise({
            stdout,
            stderr,
            exitCode: e ? (typeof e.code === 'number' ? e.code : null) : 0,
            signal: e?.signal ?? null,
            timedOut: Boolean(e?.killed && e.signal === 'SIGKILL'),
          });
        },
      );
    });
  }
}

function joinTarget(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function globToRegExp(part: string, caseInsensitive: boolean): RegExp {
  const src = part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${src}$`, caseInsensitive ? 'i' : '');
}
