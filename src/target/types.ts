// The Target: the machine under inspection, seen read-only. Every file access of a probe goes
// through it, so a probe cannot tell (and must not care) whether it reads a live system or a
// disk mounted from a boot kit, except through `mode` and `os`.

/** How the machine is being inspected. */
export type Mode = 'live' | 'offline';

/** Operating-system family of the target, detected from its root, never from the host. */
export type OsFamily = 'linux' | 'windows' | 'unknown';

export interface TargetOs {
  family: OsFamily;
  /** What the detection was based on, e.g. `/etc/os-release` or `/Windows/System32/config`. */
  detectedFrom: string | null;
}

/** What a directory entry is, after `lstat` (symlinks are not followed). */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

export interface DirEntry {
  /** The name as shown: decoded (GB18030) or escaped when it is not UTF-8 or holds a control character. */
  name: string;
  kind: EntryKind;
  /** Then, the name's exact bytes (open the entry by them, not by `name`). */
  nameBytes?: Buffer;
}

export interface FileStat {
  kind: EntryKind;
  size: number;
  mtime: string;
  mtimeMs: number;
  mode: number;
}

/** One entry of a walk: a regular file, or something the walk could not or would not enter. */
export interface WalkEntry {
  /** Target-absolute path. */
  path: string;
  /**
   * Host path to open (inside the root; no symlink on the way: the walk never follows one). A
   * Buffer when a name on the way is not UTF-8: it has no exact string.
   */
  hostPath: string | Buffer;
  /** The target path's bytes, when `path` shows them decoded or escaped (a name not UTF-8, or with a control character). */
  pathBytes?: Buffer;
  kind: EntryKind;
  size: number;
  mtimeMs: number;
  /** Why the entry was not read (permission denied, …): the caller lists it as a gap. */
  error?: string;
}

export interface WalkOptions {
  /** Target paths of folders not to enter (virtual file systems, other mounts…). */
  skip?: (path: string) => boolean;
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
}

export interface ExecOptions {
  /** Kill the command after this many ms (default 10 s). */
  timeoutMs?: number;
  /** Cap on captured stdout/stderr bytes each (default 16 MiB). */
  maxBuffer?: number;
  env?: Record<string, string>;
}

/** A read-only open file: positional reads only. */
export interface TargetFile {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * What reading a target may have done to access times (see FsTarget.accessTimeNotes): files and
 * folders opened without O_NOATIME (the kernel refuses it on what the scan does not own, unless it
 * runs as root), and whether the root's mount keeps access times anyway (read-only, or noatime).
 */
export interface AccessTimeNotes {
  /** Files read without O_NOATIME: their access times may have changed (relatime: at most once a day). */
  filesWithoutNoatime: number;
  /** Folders listed without O_NOATIME (not the owner and not root, or no native listing). */
  foldersWithoutNoatime: number;
  /**
   * How the root is mounted, when known: `read-only` or `noatime` (no access time can change,
   * whatever the counts say), else `atime` (relatime, strictatime…: the counts are what changed).
   */
  mount?: 'read-only' | 'noatime' | 'atime';
  /** Reading any file may change its access time, and no count is kept (a running Windows with NTFS last-access updates on). */
  everyRead?: boolean;
}

export interface Target {
  readonly mode: Mode;
  /** Host path of the target's root (`/` when live). */
  readonly root: string;
  readonly os: TargetOs;
  /**
   * Host path for a target-absolute path, resolved inside the root like a chroot: `..` stops at
   * the root, symlinks (absolute or relative) are resolved inside the root. `followLast: false`
   * leaves a final symlink unresolved (for lstat). Throws TargetError on loops (ELOOP).
   */
  resolve(path: string, opts?: { followLast?: boolean }): Promise<string>;
  exists(path: string): Promise<boolean>;
  stat(path: string): Promise<FileStat>;
  lstat(path: string): Promise<FileStat>;
  readDir(path: string): Promise<DirEntry[]>;
  /** Whole file, refused (TargetError E_TOO_LARGE) when bigger than `maxBytes` (default 64 MiB). */
  readFile(path: string, opts?: { maxBytes?: number }): Promise<Buffer>;
  /** Whole file decoded as UTF-8 (BOM stripped). */
  readText(path: string, opts?: { maxBytes?: number }): Promise<string>;
  open(path: string): Promise<TargetFile>;
  /**
   * Every regular file below `path`, depth-first, streaming (memory does not grow with the tree).
   * Symlinks are yielded as `symlink` entries and never followed (no loops, no escape);
   * unreadable folders are yielded with `error`.
   */
  walk(path: string, opts?: WalkOptions): AsyncGenerator<WalkEntry>;
  /** Target paths matching a pattern whose segments may hold `*` and `?` (no `**`). */
  glob(pattern: string): Promise<string[]>;
  /**
   * Files and folders read without O_NOATIME since the target was opened, and how its root is
   * mounted: what the report says about access times reading may have changed.
   */
  accessTimeNotes?(): Promise<AccessTimeNotes>;
  /** Run a program on the live machine. Offline targets throw TargetError E_NOT_LIVE. */
  exec(file: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

export type TargetErrorCode =
  | 'E_NOT_FOUND'
  | 'E_LOOP'
  | 'E_NOT_DIR'
  | 'E_IS_DIR'
  | 'E_TOO_LARGE'
  | 'E_ACCESS'
  | 'E_NOT_LIVE'
  | 'E_EXEC'
  | 'E_IO'
  | 'E_ROOT';

/** An expected failure of a target access, carrying the target-absolute path. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    readonly code: TargetErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
