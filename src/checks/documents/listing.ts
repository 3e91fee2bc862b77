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
import { readdirSync } from 'node:fs';

/** A name or host path: a string when its bytes are UTF-8 (exactly those bytes), else the bytes. */
export type RawPath = string | Uint8Array;

/** How a shown path differs from the bytes: decoded as GB18030 (GBK), or bytes shown as \xNN. */
export type PathEncoding = 'gb18030' | 'escaped';

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
}

/**
 * What a terminal or a text report must not receive raw: C0 and C1 controls, DEL, and the
 * bidirectional overrides and isolates (they reorder what is printed after them).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_G = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function asBytes(p: RawPath): Buffer {
  if (typeof p === 'string') return Buffer.from(p);
  return Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

/** A host path as fs takes it (bytes that crossed a thread arrive as a plain Uint8Array). */
export function hostArg(p: RawPath): string | Buffer {
  return typeof p === 'string' ? p : asBytes(p);
}

function escapeChar(c: string): string {
  const n = c.codePointAt(0)!;
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Text with every unsafe character (and the backslash, so that an escape reads one way only) escaped. */
export function escapeUnsafe(s: string): string {
  return s.replace(UNSAFE_ALL, escapeChar);
}

/** Text with every unsafe character escaped (a reason, a member's name inside an archive). */
export function printable(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_G, escapeChar) : s;
}

/** Does this text hold a character a terminal must not receive raw? */
export function isUnsafe(s: string): boolean {
  return UNSAFE.test(s);
}

let gb18030: TextDecoder | null | undefined;

/**
 * The bytes read as GB18030 (which contains GBK and GB2312) when that is a plausible reading: the
 * bytes are valid GB18030, the text holds CJK ideographs and nothing unsafe or private-use, and
 * most of its two-byte characters are in GB2312's rows (the common characters: names written on a
 * Chinese Windows). A Latin-1 name ("r\xe9sum\xe9") is often valid GB18030 too, but its pairs are
 * an accented letter and an ASCII one, outside those rows: it is not taken for Chinese.
 */
function readGb18030(b: Buffer): string | undefined {
  if (gb18030 === undefined) {
    try {
      gb18030 = new TextDecoder('gb18030', { fatal: true });
    } catch {
      gb18030 = null; // a Node built without full ICU: names are shown escaped
    }
  }
  if (!gb18030) return undefined;
  let text: string;
  try {
    text = gb18030.decode(b);
  } catch {
    return undefined;
  }
  if (!/[\u3400-\u9fff]/.test(text) || UNSAFE.test(text) || /[\ue000-\uf8ff\ufffd]/.test(text)) return undefined;
  let pairs = 0;
  let common = 0;
  for (let i = 0; i < b.length; ) {
    const lead = b[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trail = b[i + 1] ?? 0;
    if (trail >= 0x30 && trail <= 0x39) {
      i += 4; // a four-byte GB18030 sequence
      pairs++;
      continue;
    }
    pairs++;
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe) common++;
    i += 2;
  }
  return common * 2 >= pairs ? text : undefined;
}

/** Invalid UTF-8 bytes as \xNN, the valid parts as text (unsafe characters escaped). */
function escapeBytes(b: Buffer): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    // the longest valid UTF-8 run from i
    let j = i;
    while (j < b.length) {
      const c = b[j]!;
      const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      if (len === 0 || j + len > b.length || !isUtf8(b.subarray(j, j + len))) break;
      j += len;
    }
    if (j > i) out += escapeUnsafe(b.toString('utf8', i, j));
    if (j < b.length) out += `\\x${b[j]!.toString(16).padStart(2, '0')}`;
    i = j + 1;
  }
  return out;
}

/**
 * A name as the report shows it. `exact`: the name itself (UTF-8, nothing unsafe in it). Else
 * decoded as GB18030 when that is plausible, or with its invalid bytes and unsafe characters
 * written as \xNN (\uNNNN above U+00FF), the backslash as \x5c: never a raw control character.
 */
export function shownName(name: RawPath): { text: string; enc?: PathEncoding } {
  if (typeof name === 'string') return UNSAFE.test(name) ? { text: escapeUnsafe(name), enc: 'escaped' } : { text: name };
  const b = asBytes(name);
  if (isUtf8(b)) return shownName(b.toString('utf8'));
  const gbk = readGb18030(b);
  return gbk !== undefined ? { text: gbk, enc: 'gb18030' } : { text: escapeBytes(b), enc: 'escaped' };
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

/** Throws what readdir throws (the caller lists the folder as a gap). */
export function listFolder(p: Place, skip: ReadonlySet<string>): Listing {
  const entries = readdirSync(hostArg(p.h), { withFileTypes: true, encoding: 'buffer' });
  // Byte order: the same on every run, so a resumed folder skips exactly what was done.
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  const files: RawPath[] = [];
  const subdirs: Place[] = [];
  let symlinks = 0;
  for (const e of entries) {
    const name: RawPath = isUtf8(e.name) ? e.name.toString('utf8') : e.name;
    if (e.isDirectory()) {
      const sub = child(p, name);
      if (!skip.has(sub.t)) subdirs.push(sub);
    } else if (e.isSymbolicLink()) symlinks++;
    else if (e.isFile()) files.push(name);
    // sockets, FIFOs and devices hold no documents (and opening a FIFO could block)
  }
  return { files, subdirs, symlinks };
}
