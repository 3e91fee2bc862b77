// Chroot-style path resolution: a target-absolute path is walked component by component under
// the root on the host; `..` never climbs above the root and every symlink (absolute or relative)
// is re-resolved inside the root, so nothing a probe reads can lie outside the inspected disk.
import { isUtf8 } from 'node:buffer';
import { lstat, readlink } from 'node:fs/promises';
import { listDirSync } from './open-sync.js';
import { join } from 'node:path';
import { TargetError } from './types.js';

/** Linux's own limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/** Split a target path into its components; backslashes count as separators too. */
export function splitTargetPath(path: string): string[] {
  return path.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

/** Normalise a target path to `/a/b` form, applying `..` lexically but never above `/`. */
export function normalizeTargetPath(path: string): string {
  const out: string[] = [];
  for (const c of splitTargetPath(path)) {
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

/**
 * Resolve `path` under `root` (a host directory). Returns the host path. Components that do not
 * exist are kept as written (the caller's open/stat then reports ENOENT for them). Throws
 * TargetError E_NOT_UTF8 when the host path is not UTF-8 (a symlink on the way points at a name
 * in another encoding): it has no string that opens it — resolveInRootBytes has its bytes.
 */
export async function resolveInRoot(
  root: string,
  path: string,
  followLast = true,
  caseInsensitive = false,
): Promise<string> {
  const host = await resolveInRootBytes(root, path, followLast, caseInsensitive);
  if (!isUtf8(host)) {
    throw new TargetError('E_IO', path, `${path}: resolves to a host path that is not UTF-8 (a name in another encoding on the way)`);
  }
  return host.toString('utf8');
}

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = Buffer.from('.');
const DOTDOT = Buffer.from('..');

/**
 * A path's components as bytes. A backslash separates too where the bytes are UTF-8 (a Windows
 * path written by a probe or a link); in other bytes 0x5c may be the second byte of a GBK
 * character, and only `/` separates.
 */
function splitBytes(b: Buffer): Buffer[] {
  const backslash = isUtf8(b);
  const out: Buffer[] = [];
  let from = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === SLASH || (backslash && b[i] === BACKSLASH)) {
      const c = b.subarray(from, i);
      if (c.length > 0 && !c.equals(DOT)) out.push(c);
      from = i + 1;
    }
  }
  return out;
}

/** On Windows a drive's root is `C:\`: its trailing backslash is the separator already. */
const HOST_BACKSLASH_SEPARATES = process.platform === 'win32';

function joinHost(root: Buffer, parts: readonly Buffer[]): Buffer {
  const all: Buffer[] = [root];
  for (const p of parts) all.push(Buffer.from('/'), p);
  const last = root[root.length - 1];
  const endsWithSep = last === SLASH || (HOST_BACKSLASH_SEPARATES && last === BACKSLASH);
  return all.length === 1 ? root : Buffer.concat(root.length > 0 && endsWithSep ? [root, ...all.slice(2)] : all);
}

/**
 * A link target that is absolute in Windows terms — `C:\Users\x`, `\\?\C:\x` (what a junction or a
 * Windows symlink reads as) — with its drive part removed: re-rooted at the target's root like a
 * `/…` link. A link to another drive therefore stays on this one (confined, maybe not found).
 */
export function windowsAbsoluteLink(link: Buffer): Buffer | undefined {
  const head = link.subarray(0, 8).toString('latin1');
  const m = /^(?:[\\/]{2}[?.][\\/]|\\\?\?\\)?[A-Za-z]:(?:[\\/]|$)/.exec(head);
  return m ? Buffer.concat([Buffer.from('/'), link.subarray(m[0].length)]) : undefined;
}

/**
 * The same resolution on bytes: `path` as a string (UTF-8) or as bytes (a name that is not
 * UTF-8), links read as bytes, the host path returned as bytes — what a Buffer path opens. The
 * guarantees are those of resolveInRoot: `..` never climbs above the root, every symlink is
 * re-resolved inside it, at most MAX_SYMLINKS are followed.
 */
export async function resolveInRootBytes(
  root: string,
  path: string | Uint8Array,
  followLast = true,
  caseInsensitive = false,
): Promise<Buffer> {
  const rootBytes = Buffer.from(join(root));
  const done: Buffer[] = [];
  let pending = typeof path === 'string' ? splitTargetPath(path).map((c) => Buffer.from(c)) : splitBytes(Buffer.from(path.buffer, path.byteOffset, path.byteLength));
  let links = 0;
  while (pending.length > 0) {
    const [comp, ...rest] = pending as [Buffer, ...Buffer[]];
    pending = rest;
    if (comp.equals(DOTDOT)) {
      done.pop();
      continue;
    }
    const isLast = pending.length === 0;
    const host = joinHost(rootBytes, [...done, comp]);
    let isLink = false;
    try {
      isLink = (await lstat(host)).isSymbolicLink();
    } catch {
      // Windows disks are case-insensitive but a Linux mount of them is not: `WINDOWS/system32`
      // on an XP disk must answer for `/Windows/System32`.
      const found = caseInsensitive ? await findCaseInsensitive(joinHost(rootBytes, done), comp) : undefined;
      if (found !== undefined) {
        pending = [found, ...pending];
        continue;
      }
      // Missing or unreadable: keep it as written and let the caller's open/stat fail on it. The
      // components after it are still checked one by one (a later `..` may lead back to real ones).
      done.push(comp);
      continue;
    }
    if (!isLink || (isLast && !followLast)) {
      done.push(comp);
      continue;
    }
    if (++links > MAX_SYMLINKS) {
      throw new TargetError('E_LOOP', shownTarget([...done, comp]), `too many levels of symbolic links`);
    }
    let link: Buffer = await readlink(host, { encoding: "buffer" });
    link = windowsAbsoluteLink(link) ?? link;
    if (link[0] === SLASH || link[0] === BACKSLASH) done.length = 0; // absolute link: re-rooted at the target's root
    pending = [...splitBytes(link), ...pending];
  }
  return joinHost(rootBytes, done);
}

/** A target path from components, for messages (names that are not UTF-8 decoded lossily). */
function shownTarget(parts: readonly Buffer[]): string {
  return '/' + parts.map((p) => p.toString('utf8')).join('/');
}

/** ASCII letters folded (what a case-insensitive lookup of a name in another encoding can fold). */
function foldBytes(b: Buffer): string {
  return isUtf8(b) ? b.toString('utf8').toLowerCase() : b.toString('latin1').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

async function findCaseInsensitive(hostDir: Buffer, name: Buffer): Promise<Buffer | undefined> {
  const lower = foldBytes(name);
  try {
    // listed without moving the folder's access time where the kernel allows it (open-sync.ts)
    const names = listDirSync(hostDir).names.map((n) => (typeof n === 'string' ? Buffer.from(n) : n));
    return names.find((n) => !n.equals(name) && isUtf8(n) === isUtf8(name) && foldBytes(n) === lower);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Names as the disk has them, as a report shows them. A name is bytes; one that is not UTF-8 (a
// GBK name unpacked from a Windows zip, a FAT volume mounted with the wrong iocharset) has no
// exact string. It is shown decoded as GB18030 when that is plausible, else with its invalid bytes
// as \xNN; a control character (or a bidirectional override) in any name is shown escaped, never
// raw: a file name must not drive the officer's terminal.

/** How a shown path differs from the bytes: decoded as GB18030 (GBK), or bytes shown as \xNN. */
export type PathEncoding = 'gb18030' | 'escaped';

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
export function shownName(name: string | Uint8Array): { text: string; enc?: PathEncoding } {
  if (typeof name === 'string') return UNSAFE.test(name) ? { text: escapeUnsafe(name), enc: 'escaped' } : { text: name };
  const b = Buffer.from(name.buffer, name.byteOffset, name.byteLength);
  if (isUtf8(b)) return shownName(b.toString('utf8'));
  const gbk = readGb18030(b);
  return gbk !== undefined ? { text: gbk, enc: 'gb18030' } : { text: escapeBytes(b), enc: 'escaped' };
}
