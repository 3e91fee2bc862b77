// One folder of the document walk listed: its regular files and subfolders in name order, its
// symbolic links counted (never followed). Used by the workers and, for the first levels of the
// tree while the workers start, by the coordinator.
//
// Names are listed as the file system holds them: bytes. A name that is UTF-8 is kept as a string
// (it opens as written); any other (a GBK name unpacked from a Windows zip, a FAT volume mounted
// with the wrong iocharset) is kept as its bytes, so that it opens as itself — Node would decode it
// to U+FFFD and open nothing, or another file. What the report shows of such a name is decoded
// best-effort (shownName) and the raw bytes go with it (`pathBytes`).
import { isUtf8 } from 'node:buffer';
import { readdirSync, type Dirent } from 'node:fs';
import { countFolderWithoutNoatime, LIST_KIND, nativeFs, specialKindName } from '../../target/open-sync.js';
import { printable, shownName, type PathEncoding } from '../../target/resolve.js';

export { escapeUnsafe, isUnsafe, printable, shownName, type PathEncoding } from '../../target/resolve.js';

/** A name or host path: a string when its bytes are UTF-8 (exactly those bytes), else the bytes. */
export type RawPath = string | Uint8Array;

/**
 * Where a folder (or a file) is: its target path as shown (`t`), its host path (`h`) and, when the
 * shown path is not exactly the bytes (a component not UTF-8 or holding a control character),
 * the target path's raw bytes (`tb`) and how it was shown (`enc`).
 */
export interface Place {
  t: string;
  h: RawPath;
  tb?: Uint8Array;
  enc?: PathEncoding;
}

export interface Listing {
  /** Names of the regular files, in byte order. */
  files: RawPath[];
  /** Subfolders not skipped, in byte order. */
  subdirs: Place[];
  symlinks: number;
  /** FIFOs, sockets and devices: never opened (a FIFO blocks a reader, a device never ends); the walk lists them as gaps. */
  specials: Array<{ name: RawPath; what: string }>;
}

export function asBytes(p: RawPath): Buffer {
  if (typeof p === 'string') return Buffer.from(p);
  return Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

/** A host path as fs takes it (bytes that crossed a thread arrive as a plain Uint8Array). */
export function hostArg(p: RawPath): string | Buffer {
  return typeof p === 'string' ? p : asBytes(p);
}

const SLASH = Buffer.from('/');

/** The place of `name` in the folder `p` (the name as listed: string when UTF-8, else bytes). */
export function child(p: Place, name: RawPath): Place {
  const shown = shownName(name);
  const t = p.t === '/' ? `/${shown.text}` : `${p.t}/${shown.text}`;
  const h = typeof name === 'string' && typeof p.h === 'string' ? (p.h.endsWith('/') ? `${p.h}${name}` : `${p.h}/${name}`) : joinBytes(asBytes(p.h), asBytes(name));
  if (!shown.enc && !p.tb) return { t, h };
  const enc: PathEncoding = shown.enc === 'escaped' || p.enc === 'escaped' ? 'escaped' : 'gb18030';
  return { t, h, tb: joinBytes(p.tb ? asBytes(p.tb) : Buffer.from(p.t), asBytes(name)), enc };
}

function joinBytes(dir: Buffer, name: Buffer): Buffer {
  return dir.length > 0 && dir[dir.length - 1] === 0x2f ? Buffer.concat([dir, name]) : Buffer.concat([dir, SLASH, name]);
}

/** The fields a record or a gap carries for a place whose shown path is not its bytes. */
export function rawFields(p: Place): { pathBytes?: string; pathEncoding?: PathEncoding } {
  return p.tb ? { pathBytes: asBytes(p.tb).toString('hex'), pathEncoding: p.enc ?? 'escaped' } : {};
}

/**
 * An error as a gap's reason: Node puts the host path in its messages, decoded lossily and with
 * any control character of the name raw; the gap names the path already, so it is left out.
 */
export function errorReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const msg = e?.message ?? String(err);
  const short = e?.syscall && e.path !== undefined ? msg.replace(/^([\s\S]*?), (\w+) '[\s\S]*'$/, '$1, $2') : msg;
  return printable(short);
}

/**
 * Throws what readdir throws (the caller lists the folder as a gap). With the native part, the
 * folder is listed without moving its access time (O_NOATIME, see target/open-sync.ts), in byte
 * order of the names (sorted in C), names that are not UTF-8 as bytes. Without it, names are
 * listed as strings (Node's fast path) and the folder again as bytes only when one of them did not
 * decode (U+FFFD). Names in name order, or in byte order for a folder with a name that is not
 * UTF-8 — the same order on every run either way, so that a resumed folder skips exactly what was
 * done.
 */
export function listFolder(p: Place, skip: ReadonlySet<string>): Listing {
  const host = hostArg(p.h);
  const n = nativeFs();
  if (n) return listFolderNative(p, n.listDir(host), skip);
  const entries = readdirSync(host, { withFileTypes: true });
  countFolderWithoutNoatime();
  if (entries.some((e) => e.name.includes('\ufffd'))) return listFolderBytes(p, host, skip);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Listing = { files: [], subdirs: [], symlinks: 0, specials: [] };
  for (const e of entries) add(out, p, e.name, e, skip);
  return out;
}

function add(out: Listing, p: Place, name: RawPath, e: Dirent | Dirent<Buffer>, skip: ReadonlySet<string>): void {
  if (e.isDirectory()) {
    const sub = child(p, name);
    if (!skip.has(sub.t)) out.subdirs.push(sub);
  } else if (e.isSymbolicLink()) out.symlinks++;
  else if (e.isFile()) out.files.push(name);
  else out.specials.push({ name, what: e.isFIFO() ? specialKindName(LIST_KIND.fifo) : e.isSocket() ? specialKindName(LIST_KIND.socket) : e.isCharacterDevice() ? specialKindName(LIST_KIND.char) : e.isBlockDevice() ? specialKindName(LIST_KIND.block) : 'not a regular file' });
}

/** The folder listed as bytes: a name that is UTF-8 kept as a string, any other as its bytes. */
function listFolderBytes(p: Place, host: string | Buffer, skip: ReadonlySet<string>): Listing {
  const entries = readdirSync(host, { withFileTypes: true, encoding: 'buffer' });
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  const out: Listing = { files: [], subdirs: [], symlinks: 0, specials: [] };
  for (const e of entries) add(out, p, isUtf8(e.name) ? e.name.toString('utf8') : e.name, e, skip);
  return out;
}

/** The native listing: names in byte order (strings when UTF-8, else Buffers), with their kinds. */
function listFolderNative(p: Place, [names, kinds]: [Array<string | Buffer>, Uint8Array], skip: ReadonlySet<string>): Listing {
  const out: Listing = { files: [], subdirs: [], symlinks: 0, specials: [] };
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const kind = kinds[i]!;
    if (kind === LIST_KIND.file) out.files.push(name);
    else if (kind === LIST_KIND.dir) {
      const sub = child(p, name);
      if (!skip.has(sub.t)) out.subdirs.push(sub);
    } else if (kind === LIST_KIND.symlink) out.symlinks++;
    else out.specials.push({ name, what: specialKindName(kind) });
  }
  return out;
}
