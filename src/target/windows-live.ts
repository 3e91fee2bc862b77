// A running Windows machine, inspected from the kit stick (or any drive not inspected), writing
// nothing on it. One Target over several drives:
//
// - Target paths are `/`-separated. The system drive is the root: `/Windows/System32/config/SYSTEM`,
//   `/Users/张三/NTUSER.DAT` name the same files as on the same disk scanned offline, so the probes
//   and the reports read them alike. Another drive is `/D:/…` (`/C:/…` is the system drive too).
// - Each drive is an FsTarget over its root (`D:\`), so every open goes through the same confined
//   resolver, refuses what is not a regular file and keeps to its budgets.
// - The document walk's roots are the fixed drives (Win32_LogicalDisk DriveType 3), RAM disks and
//   drives of no known type — not the kit's own, not removable, network or optical drives (they are
//   listed as not scanned; `--paths E:\` asks for one).
// - Registry hives in use are locked: `reg save` copies them into the scratch folder — on the kit,
//   never the inspected machine — where the offline parser reads them; each copy is deleted once
//   read. Users' hives that are not loaded are plain files on the disk.
// - Every program runs through one CommandRunner (src/target/runner.ts): tests replace it with
//   recorded outputs and map drive letters to folders, so this whole path runs on Linux.
import { win32 } from 'node:path';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FsTarget } from './fs-target.js';
import { printable } from './resolve.js';
import { execRunner, POWERSHELL, powershellJsonArgs, type CommandRunner } from './runner.js';
import { collectUnlisted, noteUnlisted } from './unlisted.js';
import {
  TargetError,
  type AccessTimeNotes,
  type DirEntry,
  type ExecOptions,
  type ExecResult,
  type FileStat,
  type Target,
  type TargetFile,
  type TargetOs,
  type WalkEntry,
  type WalkOptions,
} from './types.js';

/** Win32_LogicalDisk.DriveType, as documented (0 unknown … 6 RAM disk). */
export type DriveType = 'unknown' | 'no-root' | 'removable' | 'fixed' | 'network' | 'cdrom' | 'ram';
const DRIVE_TYPES: readonly DriveType[] = ['unknown', 'no-root', 'removable', 'fixed', 'network', 'cdrom', 'ram'];

export interface WindowsDrive {
  /** Upper-case letter, no colon. */
  letter: string;
  type: DriveType;
  fileSystem?: string;
  label?: string;
  /** Network drives: the share (`\\server\share`). */
  provider?: string;
}

/** A drive the document walk does not enter by default, and why. */
export interface SkippedDrive {
  drive: WindowsDrive;
  why: 'kit' | 'not-fixed' | 'unreadable';
  /** Why a fixed drive could not be opened (BitLocker-locked, no file system…). */
  error?: string;
}

export { POWERSHELL, powershellJsonArgs };
export const DRIVES_SCRIPT = 'Get-CimInstance Win32_LogicalDisk | Select-Object DeviceID,DriveType,FileSystem,VolumeName,ProviderName';
/** Windows before PowerShell 3 (no Get-CimInstance), or PowerShell blocked: wmic, where it still exists. */
export const WMIC = 'wmic';
export const WMIC_DRIVES_ARGS = ['logicaldisk', 'get', 'DeviceID,DriveType,FileSystem,ProviderName,VolumeName', '/format:csv'];
export const WHOAMI = 'whoami';
export const WHOAMI_ARGS = ['/groups', '/fo', 'csv', '/nh'];
export const REG = 'reg';
export const REG_QUERY_USERS = ['query', 'HKU'];
export const FSUTIL = 'fsutil';
export const FSUTIL_LASTACCESS = ['behavior', 'query', 'disablelastaccess'];

/** Budget for a hive copy read back from the scratch folder. */
const MAX_HIVE_BYTES = 1024 * 1024 * 1024;

function driveOf(deviceId: unknown, type: unknown, fs: unknown, label: unknown, provider: unknown): WindowsDrive | undefined {
  const m = typeof deviceId === 'string' ? /^([A-Za-z]):$/.exec(deviceId.trim()) : null;
  if (!m) return undefined;
  const n = typeof type === 'number' ? type : typeof type === 'string' && /^\d+$/.test(type.trim()) ? Number(type.trim()) : 0;
  const d: WindowsDrive = { letter: m[1]!.toUpperCase(), type: DRIVE_TYPES[n] ?? 'unknown' };
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? printable(v.trim()) : undefined);
  const f = str(fs);
  const l = str(label);
  const p = str(provider);
  if (f) d.fileSystem = f;
  if (l) d.label = l;
  if (p) d.provider = p;
  return d;
}

/** Win32_LogicalDisk rows from ConvertTo-Json (one object alone is not wrapped in an array). Throws on anything else. */
export function parseDrivesJson(text: string): WindowsDrive[] {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') return [];
  const v: unknown = JSON.parse(t);
  const rows = Array.isArray(v) ? v : [v];
  const out: WindowsDrive[] = [];
  for (const r of rows) {
    if (r === null || typeof r !== 'object') throw new Error('not a list of drives');
    const o = r as Record<string, unknown>;
    const d = driveOf(o['DeviceID'], o['DriveType'], o['FileSystem'], o['VolumeName'], o['ProviderName']);
    if (d) out.push(d);
  }
  return out;
}

/** `wmic logicaldisk get … /format:csv`: a blank line, a header (Node,DeviceID,…), one row per drive. */
export function parseWmicDrivesCsv(text: string): WindowsDrive[] {
  // wmic may write UTF-16: read as UTF-8 its ASCII shows with NULs between the letters.
  const lines = text.replace(/\u0000/g, '').split(/\r*\n/).map((l) => l.trim()).filter((l) => l !== '');
  const header = lines.shift()?.split(',');
  if (!header || !header.includes('DeviceID')) throw new Error('no header line with DeviceID');
  const col = (row: string[], name: string): string | undefined => row[header.indexOf(name)];
  const out: WindowsDrive[] = [];
  for (const line of lines) {
    const row = line.split(',');
    const d = driveOf(col(row, 'DeviceID'), col(row, 'DriveType'), col(row, 'FileSystem'), col(row, 'VolumeName'), col(row, 'ProviderName'));
    if (d) out.push(d);
  }
  return out;
}

/**
 * `whoami /groups /fo csv /nh`: the process runs elevated when its token holds the High (S-1-16-12288)
 * or System (S-1-16-16384) mandatory label. Group names are localized; the SIDs are not.
 */
export function parseElevated(text: string): boolean {
  return /"S-1-16-(12288|16384)"/.test(text);
}

/** `reg query HKU`: the SIDs of loaded user hives (local S-1-5-21-…, Azure AD S-1-12-1-…), `_Classes` left out. */
export function parseLoadedUserSids(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r*\n/)) {
    const m = /^HKEY_USERS\\(S-1-(?:5-21|12-1)(?:-\d+)+)\s*$/i.exec(line.trim());
    if (m) out.push(m[1]!.toUpperCase());
  }
  return out;
}

/**
 * `fsutil behavior query disablelastaccess`: `DisableLastAccess = N` (0/2: NTFS updates last-access
 * times, 1/3: it does not; 2 and 3 are "system managed", Windows 10 1803+). Undefined when not found.
 */
export function parseLastAccess(text: string): 'updated' | 'not-updated' | undefined {
  const m = /DisableLastAccess\s*=\s*(\d+)/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n === 1 || n === 3 ? 'not-updated' : 'updated';
}

/**
 * A Windows path (`C:\Users\x`, `c:/users/x`, `\\?\C:\x`) as a target path: the system drive's
 * paths are rooted at `/`, another drive's at `/D:`. Undefined for what is not on a drive letter
 * (UNC shares, relative paths, device paths).
 */
export function windowsPathToTarget(path: string, systemLetter: string): string | undefined {
  let p = path.trim();
  if (/^[\\/]{2}[?.][\\/]/.test(p)) {
    p = p.slice(4);
    if (/^UNC[\\/]/i.test(p)) return undefined;
  }
  const m = /^([A-Za-z]):(?:[\\/]|$)(.*)$/s.exec(p);
  if (!m) return undefined;
  const letter = m[1]!.toUpperCase();
  const rest = win32.normalize(`\\${m[2]!}`).replace(/\\/g, '/').replace(/\/+$/, '');
  const prefix = letter === systemLetter.toUpperCase() ? '' : `/${letter}:`;
  return `${prefix}${rest}` || '/';
}

/** Split a target path into its drive (undefined: the system drive) and the path on that drive. */
export function splitDrivePath(path: string): { letter?: string; rest: string } {
  const m = /^[\\/]*([A-Za-z]):(?:[\\/]+(.*))?$/s.exec(path);
  if (!m) return { rest: path };
  return { letter: m[1]!.toUpperCase(), rest: `/${m[2] ?? ''}` };
}

export interface WindowsLiveOptions {
  runner?: CommandRunner;
  /** Folder for `reg save` copies: on the kit (BAOMI_KIT_TMP), never on an inspected drive. Created when missing. */
  scratch: string;
  /** The drive the tool runs from (the kit): never scanned. */
  kitLetter?: string;
  /** The system drive (`%SystemDrive%`), default C. */
  systemLetter?: string;
  /** Host folder of a drive's root; default `X:\`. Tests map letters to folders. */
  hostRootOf?: (letter: string) => string;
}

export type SavedHive = { ok: true; bytes: Buffer; file: string } | { ok: false; needsAdmin: boolean; reason: string };

/** The live Windows target (see the top of this file). */
export class WindowsLiveTarget implements Target {
  readonly mode = 'live' as const;
  readonly os: TargetOs;
  readonly root: string;
  private elevatedP?: Promise<boolean | undefined>;
  private loadedP?: Promise<{ sids: string[]; error?: string }>;
  private saves = 0;
  private readonly saved: Array<{ key: string; ok: boolean }> = [];

  private constructor(
    private readonly drives: ReadonlyMap<string, { drive: WindowsDrive; fs: FsTarget }>,
    readonly allDrives: readonly WindowsDrive[],
    private readonly systemLetter: string,
    private readonly kitLetter: string | undefined,
    private readonly runner: CommandRunner,
    readonly scratch: string,
    /** How the drives were listed, and what failed on the way (for the report). */
    readonly driveListing: { via: 'powershell' | 'wmic' | 'probe'; problems: string[] },
    private readonly openErrors: ReadonlyMap<string, string> = new Map(),
  ) {
    const sys = drives.get(systemLetter)!;
    this.os = { family: 'windows', detectedFrom: `${systemLetter}:${sys.fs.os.detectedFrom ?? ''}`.replace(/\//g, '\\') };
    this.root = sys.fs.root;
  }

  /**
   * Open the running machine: list its drives (PowerShell, else wmic), open each that has a file
   * system, and check the system drive is Windows. Throws TargetError E_ROOT when the system drive
   * cannot be opened or holds no Windows.
   */
  static async open(opts: WindowsLiveOptions): Promise<WindowsLiveTarget> {
    const runner = opts.runner ?? execRunner;
    const hostRootOf = opts.hostRootOf ?? ((l: string) => `${l}:\\`);
    const systemLetter = (opts.systemLetter ?? 'C').toUpperCase();
    const problems: string[] = [];
    let listed: WindowsDrive[] | undefined;
    let via: 'powershell' | 'wmic' | 'probe' = 'powershell';
    try {
      const r = await runner.run(POWERSHELL, powershellJsonArgs(DRIVES_SCRIPT), { timeoutMs: 60_000 });
      if (r.exitCode === 0) listed = parseDrivesJson(r.stdout);
      else problems.push(`PowerShell Win32_LogicalDisk: exit ${r.exitCode ?? r.signal}: ${printable((r.stderr || r.stdout).trim().slice(0, 300))}`);
    } catch (err) {
      problems.push(`PowerShell Win32_LogicalDisk: ${printable((err as Error).message)}`);
    }
    if (listed === undefined) {
      via = 'wmic';
      try {
        const r = await runner.run(WMIC, WMIC_DRIVES_ARGS, { timeoutMs: 60_000 });
        if (r.exitCode === 0) listed = parseWmicDrivesCsv(r.stdout);
        else problems.push(`wmic logicaldisk: exit ${r.exitCode ?? r.signal}`);
      } catch (err) {
        problems.push(`wmic logicaldisk: ${printable((err as Error).message)}`);
      }
    }
    if (listed === undefined) {
      // Neither could say: the system drive alone — the walk covers it, and the report says (a
      // blocking gap) that the other drives could not be listed.
      via = 'probe';
      listed = [{ letter: systemLetter, type: 'fixed' }];
    }
    if (!listed.some((d) => d.letter === systemLetter)) listed.push({ letter: systemLetter, type: 'fixed' });
    const drives = new Map<string, { drive: WindowsDrive; fs: FsTarget }>();
    const openErrors = new Map<string, string>();
    for (const d of listed.sort((a, b) => a.letter.localeCompare(b.letter))) {
      // Network shares and optical drives are not this machine's disks: not opened at all.
      if (drives.has(d.letter) || d.type === 'no-root' || d.type === 'network' || d.type === 'cdrom') continue;
      try {
        drives.set(d.letter, { drive: d, fs: await FsTarget.open('live', hostRootOf(d.letter), { runner, caseInsensitive: true }) });
      } catch (err) {
        if (d.letter === systemLetter) throw err;
        openErrors.set(d.letter, printable((err as Error).message));
      }
    }
    const sys = drives.get(systemLetter)!;
    if (sys.fs.os.family !== 'windows') {
      throw new TargetError('E_ROOT', `${systemLetter}:\\`, `${systemLetter}:\\ holds no Windows (no Windows\\System32)`);
    }
    return new WindowsLiveTarget(drives, listed, systemLetter, opts.kitLetter?.toUpperCase(), runner, opts.scratch, { via, problems }, openErrors);
  }

  /** The drive and the FsTarget a target path is on (E_NOT_FOUND for a drive not on this machine). */
  private route(path: string | Uint8Array): { fs: FsTarget; rest: string | Uint8Array; prefix: string } {
    if (typeof path !== 'string') {
      const b = Buffer.from(path.buffer, path.byteOffset, path.byteLength);
      const m = /^\/([A-Za-z]):(?=\/|$)/.exec(b.subarray(0, 4).toString('latin1'));
      const letter = m?.[1]?.toUpperCase();
      const d = this.drives.get(letter ?? this.systemLetter);
      if (!d) throw new TargetError('E_NOT_FOUND', `${letter}:`, `${letter}: no such drive`);
      const rest = m ? b.subarray(3) : b;
      return { fs: d.fs, rest: rest.length === 0 ? '/' : rest, prefix: letter && letter !== this.systemLetter ? `/${letter}:` : '' };
    }
    const { letter, rest } = splitDrivePath(path);
    const d = this.drives.get(letter ?? this.systemLetter);
    if (!d) throw new TargetError('E_NOT_FOUND', path, `${path}: no drive ${letter}: on this machine`);
    return { fs: d.fs, rest, prefix: letter && letter !== this.systemLetter ? `/${letter}:` : '' };
  }

  async resolve(path: string, opts?: { followLast?: boolean }): Promise<string> {
    const r = this.route(path);
    return r.fs.resolve(r.rest as string, opts);
  }
  async exists(path: string): Promise<boolean> {
    try {
      const r = this.route(path);
      return await r.fs.exists(r.rest);
    } catch {
      return false;
    }
  }
  async stat(path: string): Promise<FileStat> {
    const r = this.route(path);
    return r.fs.stat(r.rest);
  }
  async lstat(path: string): Promise<FileStat> {
    const r = this.route(path);
    return r.fs.lstat(r.rest);
  }
  async readDir(path: string): Promise<DirEntry[]> {
    const r = this.route(path);
    return r.fs.readDir(r.rest);
  }
  async readFile(path: string, opts?: { maxBytes?: number }): Promise<Buffer> {
    const r = this.route(path);
    return r.fs.readFile(r.rest, opts);
  }
  async readText(path: string, opts?: { maxBytes?: number }): Promise<string> {
    const r = this.route(path);
    return r.fs.readText(r.rest, opts);
  }
  async open(path: string): Promise<TargetFile> {
    const r = this.route(path);
    return r.fs.open(r.rest);
  }
  async *walk(path: string, opts?: WalkOptions): AsyncGenerator<WalkEntry> {
    const r = this.route(path);
    const skip = opts?.skip;
    for await (const e of r.fs.walk(r.rest as string, { ...opts, ...(skip ? { skip: (p: string) => skip(r.prefix + p) } : {}) })) {
      yield r.prefix === '' ? e : { ...e, path: r.prefix + e.path, ...(e.pathBytes ? { pathBytes: Buffer.concat([Buffer.from(r.prefix), e.pathBytes]) } : {}) };
    }
  }
  async glob(pattern: string): Promise<string[]> {
    const r = this.route(pattern);
    if (r.prefix === '') return r.fs.glob(r.rest as string);
    // the drive's own paths are noted with its prefix
    const unlisted = new Set<string>();
    const found = await collectUnlisted(unlisted, () => r.fs.glob(r.rest as string));
    for (const d of unlisted) noteUnlisted(r.prefix + d);
    return found.map((p) => r.prefix + p);
  }

  /**
   * NTFS may update a file's last-access time when it is read (DisableLastAccess 0 or 2): then any
   * file the scan read may have moved (the document readers open files by their host paths, so no
   * count is kept). When fsutil cannot tell, assume it does.
   */
  async accessTimeNotes(): Promise<AccessTimeNotes> {
    let mode: 'updated' | 'not-updated' | undefined;
    try {
      const res = await this.runner.run(FSUTIL, FSUTIL_LASTACCESS, { timeoutMs: 15_000 });
      mode = parseLastAccess(res.stdout);
    } catch {
      mode = undefined;
    }
    return { filesWithoutNoatime: 0, foldersWithoutNoatime: 0, mount: mode === 'not-updated' ? 'noatime' : 'atime', everyRead: true };
  }

  exec(file: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.runner.run(file, args, opts);
  }

  /** A host path (`D:\资料`, `\\?\C:\x`) as a target path; undefined when it is on no drive of this machine. */
  targetPathOf(hostPath: string): string | undefined {
    const t = windowsPathToTarget(hostPath, this.systemLetter);
    if (t === undefined) return undefined;
    const { letter } = splitDrivePath(t);
    return this.drives.has(letter ?? this.systemLetter) ? t : undefined;
  }

  /** Drives the document walk enters (`/` for the system drive, `/D:` …), and those it leaves out. */
  documentRoots(): { roots: string[]; skipped: SkippedDrive[] } {
    const roots: string[] = [];
    const skipped: SkippedDrive[] = [];
    for (const d of this.allDrives) {
      if (d.letter === this.kitLetter) skipped.push({ drive: d, why: 'kit' });
      // removable, network and optical drives are not this machine's disks; a RAM disk, or a drive
      // whose type Windows did not say, is walked (a document kept there is still on this machine)
      else if ((d.type === 'removable' || d.type === 'network' || d.type === 'cdrom' || d.type === 'no-root') && d.letter !== this.systemLetter) skipped.push({ drive: d, why: 'not-fixed' });
      else if (this.drives.has(d.letter)) roots.push(d.letter === this.systemLetter ? '/' : `/${d.letter}:`);
      else skipped.push({ drive: d, why: 'unreadable', error: this.openErrors.get(d.letter) ?? 'not opened' });
    }
    return { roots, skipped };
  }

  /** Host roots of the drives inspected (the report may not be written there). */
  inspectedHostRoots(): string[] {
    const { roots } = this.documentRoots();
    return roots.map((r) => this.route(r).fs.root);
  }

  /** Whether this process runs elevated (undefined: whoami could not tell). */
  elevated(): Promise<boolean | undefined> {
    this.elevatedP ??= this.runner
      .run(WHOAMI, WHOAMI_ARGS, { timeoutMs: 15_000 })
      .then((r) => (r.exitCode === 0 ? parseElevated(r.stdout) : undefined))
      .catch(() => undefined);
    return this.elevatedP;
  }

  /** SIDs of the user hives loaded now (logged-on users and services running as them). */
  loadedUserSids(): Promise<{ sids: string[]; error?: string }> {
    this.loadedP ??= this.runner
      .run(REG, REG_QUERY_USERS, { timeoutMs: 30_000 })
      .then((r) => (r.exitCode === 0 ? { sids: parseLoadedUserSids(r.stdout) } : { sids: [], error: `reg query HKU: exit ${r.exitCode}` }))
      .catch((err: unknown) => ({ sids: [], error: printable((err as Error).message) }));
    return this.loadedP;
  }

  /**
   * `reg save <key>` into the scratch folder, read back (within the budget) and deleted. A failure
   * says whether administrator rights were missing (the usual cause: saving needs SeBackupPrivilege).
   */
  async saveHive(key: string): Promise<SavedHive> {
    const r = await this.saveHiveOnce(key);
    this.saved.push({ key, ok: r.ok });
    return r;
  }

  /** What this scan read of the running machine, for the report: drives, registry copies, rights. */
  async reading(): Promise<LiveWindowsReading> {
    const { roots, skipped } = this.documentRoots();
    const elevated = await this.elevated();
    return {
      drives: [
        ...roots.map((r) => ({ letter: r === '/' ? this.systemLetter : r.slice(1, 2), scanned: true })),
        ...skipped.map((s) => ({ letter: s.drive.letter, scanned: false, type: s.drive.type, why: s.why })),
      ].sort((a, b) => a.letter.localeCompare(b.letter)),
      registryCopies: [...this.saved],
      scratch: this.scratch,
      ...(elevated !== undefined ? { elevated } : {}),
    };
  }

  private async saveHiveOnce(key: string): Promise<SavedHive> {
    const file = join(this.scratch, `hive-${++this.saves}-${key.replace(/[^A-Za-z0-9-]+/g, '_')}`);
    try {
      await mkdir(this.scratch, { recursive: true });
      const r = await this.runner.run(REG, ['save', key, file, '/y'], { timeoutMs: 180_000 });
      if (r.exitCode !== 0) {
        const elevated = await this.elevated();
        const said = printable((r.stderr || r.stdout).trim().slice(0, 300));
        return elevated === false
          ? { ok: false, needsAdmin: true, reason: `reg save ${key} needs administrator rights (not run as administrator)` }
          : { ok: false, needsAdmin: false, reason: `reg save ${key} failed (exit ${r.exitCode ?? r.signal})${said ? `: ${said}` : ''}` };
      }
      const s = await stat(file);
      if (!s.isFile()) return { ok: false, needsAdmin: false, reason: `reg save ${key}: no file was written` };
      if (s.size > MAX_HIVE_BYTES) return { ok: false, needsAdmin: false, reason: `reg save ${key}: ${s.size} bytes is over the ${MAX_HIVE_BYTES}-byte limit` };
      return { ok: true, bytes: await readFile(file), file };
    } catch (err) {
      return { ok: false, needsAdmin: false, reason: `reg save ${key} could not run: ${printable((err as Error).message)}` };
    } finally {
      await rm(file, { force: true }).catch(() => undefined);
    }
  }
}

/** What a live Windows scan read (in the report's scan section). */
export interface LiveWindowsReading {
  drives: Array<{ letter: string; scanned: boolean; type?: DriveType; why?: SkippedDrive['why'] }>;
  /** `reg save` copies made (into `scratch`, deleted once read), and whether each worked. */
  registryCopies: Array<{ key: string; ok: boolean }>;
  scratch: string;
  /** Whether the scan ran as administrator (absent: whoami could not tell). */
  elevated?: boolean;
}

/** The live Windows target behind a Target, when it is one. */
export function asWindowsLive(target: Target): WindowsLiveTarget | undefined {
  return target instanceof WindowsLiveTarget ? target : undefined;
}
