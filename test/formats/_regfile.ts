/**
 * Test helpers: a parser for the `.reg` listings written by `hivexregedit --export` (the oracle of the
 * regf reader tests), the same listing built from our reader, a comparator, and fixture loading.
 *
 * hivexregedit writes: a `Windows Registry Editor Version 5.00` line; per key a `[PREFIX\path]` line,
 * its values sorted by name, then a blank line; values as `@=` (default) or `"name"=` (with `\` and `"`
 * escaped by a backslash) followed by `dword:xxxxxxxx` (type 4 with exactly 4 bytes) or
 * `hex(N):xx,xx,…` (all other types, N in hex, strings as UTF-16LE bytes). Regedit's own forms
 * (`hex:`, `"string"`, `\` line continuations) and hivex's `str(N):"…"` form are accepted too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hive, RegKey } from '../../src/formats/regf.js';

/** Repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `fixtures/windows/hives`. */
export const HIVES_DIR = join(ROOT, 'fixtures', 'windows', 'hives');
/** `fixtures/windows/logs`. */
export const LOGS_DIR = join(ROOT, 'fixtures', 'windows', 'logs');

/** One value of a listing: type number and raw data bytes. */
export interface ListedValue {
  type: number;
  data: Uint8Array;
}

/** A listing: full key path (with prefix) → value name → value. Key order is not significant. */
export type Listing = Map<string, Map<string, ListedValue>>;

/** Which value syntaxes a parsed file used (to document and check what occurs in the oracle files). */
export interface ListingForms {
  dword: number;
  hexN: number;
  hex: number;
  string: number;
  strN: number;
  defaultValue: number;
  continuation: number;
}

function parseHexBytes(s: string, where: string): Uint8Array {
  const t = s.replace(/[\s,]/g, '');
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) throw new Error(`${where}: bad hex data`);
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

function utf16z(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s + '\0', 'utf16le'));
}

/** Parse a quoted string starting at `s[0] === '"'`; returns the unescaped text and the rest after the closing quote. */
function parseQuoted(s: string, where: string): [string, string] {
  let out = '';
  let i = 1;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) throw new Error(`${where}: dangling backslash`);
      out += n;
      i++;
    } else if (c === '"') {
      return [out, s.slice(i + 1)];
    } else out += c;
  }
  throw new Error(`${where}: unterminated string`);
}

/**
 * Parse a hivexregedit/regedit export. Throws on any line it does not understand, so a listing is
 * never silently half-read.
 */
export function parseRegFile(text: string): { listing: Listing; order: string[]; forms: ListingForms } {
  const listing: Listing = new Map();
  const order: string[] = [];
  const forms: ListingForms = { dword: 0, hexN: 0, hex: 0, string: 0, strN: 0, defaultValue: 0, continuation: 0 };
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // Join `\`-continued lines.
  const lines: Array<{ text: string; no: number }> = [];
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    const no = i + 1;
    while (line.endsWith('\\') && /^(@|").*=(hex|hex\([0-9a-fA-F]+\)):/.test(line) && i + 1 < raw.length) {
      forms.continuation++;
      line = line.slice(0, -1) + raw[++i]!.trim();
    }
    lines.push({ text: line, no });
  }
  let current: Map<string, ListedValue> | undefined;
  for (const { text: line, no } of lines) {
    const where = `line ${no}`;
    if (line === '' || line === 'Windows Registry Editor Version 5.00' || line === 'REGEDIT4') continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw new Error(`${where}: bad key line`);
      const path = line.slice(1, -1);
      if (listing.has(path)) throw new Error(`${where}: key listed twice: ${path}`);
      current = new Map();
      listing.set(path, current);
      order.push(path);
      continue;
    }
    if (!current) throw new Error(`${where}: value outside a key`);
    let name: string;
    let rest: string;
    if (line.startsWith('@=')) {
      name = '';
      rest = line.slice(2);
      forms.defaultValue++;
    } else if (line.startsWith('"')) {
      [name, rest] = parseQuoted(line, where);
      if (!rest.startsWith('=')) throw new Error(`${where}: missing '='`);
      rest = rest.slice(1);
    } else throw new Error(`${where}: unrecognised line: ${line.slice(0, 60)}`);
    let value: ListedValue;
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^dword:([0-9a-fA-F]{8})$/))) {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(parseInt(m[1]!, 16));
      value = { type: 4, data: Uint8Array.from(b) };
      forms.dword++;
    } else if ((m = rest.match(/^hex\(([0-9a-fA-F]+)\):(.*)$/))) {
      value = { type: parseInt(m[1]!, 16) >>> 0, data: parseHexBytes(m[2]!, where) };
      forms.hexN++;
    } else if ((m = rest.match(/^hex:(.*)$/))) {
      value = { type: 3, data: parseHexBytes(m[1]!, where) };
      forms.hex++;
    } else if ((m = rest.match(/^str\(([0-9a-fA-F]+)\):(".*")$/))) {
      value = { type: parseInt(m[1]!, 16), data: utf16z(parseQuoted(m[2]!, where)[0]) };
      forms.strN++;
    } else if (rest.startsWith('"')) {
      const [s, after] = parseQuoted(rest, where);
      if (after !== '') throw new Error(`${where}: junk after string`);
      value = { type: 1, data: utf16z(s) };
      forms.string++;
    } else throw new Error(`${where}: unrecognised value data: ${rest.slice(0, 40)}`);
    if (current.has(name)) throw new Error(`${where}: value ${JSON.stringify(name)} listed twice`);
    current.set(name, value);
  }
  return { listing, order, forms };
}

/**
 * Build the same listing from our reader: `start` and every key below it, each value's type and raw
 * bytes, key paths written as `prefix + '\' + key.path` like hivexregedit does.
 * Values whose data cannot be read are reported in `unreadable` (hivexregedit would have failed).
 */
export function listHive(hive: Hive, start: RegKey, prefix: string): { listing: Listing; unreadable: string[]; keyErrors: string[] } {
  const listing: Listing = new Map();
  const unreadable: string[] = [];
  const keyErrors: string[] = [];
  const keys: RegKey[] = [];
  for (const key of hive.walk(start)) {
    keys.push(key);
    const values = new Map<string, ListedValue>();
    for (const v of key.values()) {
      try {
        values.set(v.name, { type: v.type, data: v.raw });
      } catch (e) {
        unreadable.push(`${key.path}: ${v.name}: ${(e as Error).message}`);
      }
    }
    listing.set(`${prefix}\\${key.path}`, values);
  }
  // A key's list errors are recorded when the walk expands it, i.e. after it was yielded.
  for (const key of keys) for (const e of key.errors) keyErrors.push(e.message);
  return { listing, unreadable, keyErrors };
}

/** Differences between two listings (empty when identical): missing/extra keys, values, types, data. */
export function diffListings(expected: Listing, actual: Listing, limit = 20): string[] {
  const out: string[] = [];
  const push = (s: string): void => {
    if (out.length < limit) out.push(s);
  };
  for (const k of expected.keys()) if (!actual.has(k)) push(`missing key ${k}`);
  for (const k of actual.keys()) if (!expected.has(k)) push(`extra key ${k}`);
  for (const [k, ev] of expected) {
    const av = actual.get(k);
    if (!av) continue;
    for (const n of ev.keys()) if (!av.has(n)) push(`${k}: missing value ${JSON.stringify(n)}`);
    for (const n of av.keys()) if (!ev.has(n)) push(`${k}: extra value ${JSON.stringify(n)}`);
    for (const [n, e] of ev) {
      const a = av.get(n);
      if (!a) continue;
      if (a.type !== e.type) push(`${k}: value ${JSON.stringify(n)}: type ${a.type.toString(16)} != ${e.type.toString(16)}`);
      if (Buffer.compare(Buffer.from(a.data), Buffer.from(e.data)) !== 0) {
        push(`${k}: value ${JSON.stringify(n)}: data differs (${a.data.length} vs ${e.data.length} bytes)`);
      }
    }
  }
  return out;
}

const hiveCache = new Map<string, Buffer>();

/**
 * Bytes of a fixture hive (`fixtures/windows/hives/NAME`, or `NAME.xz` decompressed with `xz -dc`).
 * Cached per test file.
 */
export function loadHiveBytes(name: string): Buffer {
  const cached = hiveCache.get(name);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(HIVES_DIR, name));
  } catch {
    bytes = execFileSync('xz', ['-dc', join(HIVES_DIR, `${name}.xz`)], { maxBuffer: 256 * 1024 * 1024 });
  }
  hiveCache.set(name, bytes);
  return bytes;
}

/** The corpus hives (names without `.xz`) and the prefix their oracle listings use. */
export const CORPUS_HIVES: ReadonlyArray<{ name: string; prefix: string; kind: 'SYSTEM' | 'NTUSER' }> = [
  { name: 'win7-SYSTEM', prefix: 'HKEY_LOCAL_MACHINE\\SYSTEM', kind: 'SYSTEM' },
  { name: 'win10-SYSTEM_B', prefix: 'HKEY_LOCAL_MACHINE\\SYSTEM', kind: 'SYSTEM' },
  { name: 'win10-1709-SYSTEM', prefix: 'HKEY_LOCAL_MACHINE\\SYSTEM', kind: 'SYSTEM' },
  { name: 'vbox-SYSTEM_2', prefix: 'HKEY_LOCAL_MACHINE\\SYSTEM', kind: 'SYSTEM' },
  { name: 'win7-NTUSER.DAT', prefix: 'HKEY_CURRENT_USER', kind: 'NTUSER' },
  { name: 'plaso-win7-NTUSER-WIN7.DAT', prefix: 'HKEY_CURRENT_USER', kind: 'NTUSER' },
  { name: 'plaso-xp-NTUSER.DAT', prefix: 'HKEY_CURRENT_USER', kind: 'NTUSER' },
  { name: 'win10-NTUSER_BAGMRU.DAT', prefix: 'HKEY_CURRENT_USER', kind: 'NTUSER' },
];

/** Oracle topics (from the corpus MANIFEST) → key path in the hive. */
export const TOPICS: Readonly<Record<string, { key: string; kind: 'SYSTEM' | 'NTUSER' }>> = {
  usbstor: { key: 'ControlSet001\\Enum\\USBSTOR', kind: 'SYSTEM' },
  usb: { key: 'ControlSet001\\Enum\\USB', kind: 'SYSTEM' },
  scsi: { key: 'ControlSet001\\Enum\\SCSI', kind: 'SYSTEM' },
  wpdbusenum: { key: 'ControlSet001\\Enum\\SWD\\WPDBUSENUM', kind: 'SYSTEM' },
  bthport: { key: 'ControlSet001\\Services\\BTHPORT\\Parameters\\Devices', kind: 'SYSTEM' },
  pci: { key: 'ControlSet001\\Enum\\PCI', kind: 'SYSTEM' },
  netclass: { key: 'ControlSet001\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}', kind: 'SYSTEM' },
  btclass: { key: 'ControlSet001\\Control\\Class\\{e0cbf06c-cd8b-4647-bb8a-263b43f0f974}', kind: 'SYSTEM' },
  mounteddevices: { key: 'MountedDevices', kind: 'SYSTEM' },
  select: { key: 'Select', kind: 'SYSTEM' },
  computername: { key: 'ControlSet001\\Control\\ComputerName\\ComputerName', kind: 'SYSTEM' },
  'tcpip-interfaces': { key: 'ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces', kind: 'SYSTEM' },
  mountpoints2: { key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\MountPoints2', kind: 'NTUSER' },
  recentdocs: { key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs', kind: 'NTUSER' },
  typedurls: { key: 'Software\\Microsoft\\Internet Explorer\\TypedURLs', kind: 'NTUSER' },
};

/**
 * hivexregedit (Perl) prints key paths and value names as Perl strings without an output encoding:
 * characters up to U+00FF come out as single Latin-1 bytes, strings with wider characters as UTF-8.
 * Reading its output as Latin-1 and passing our listing through this gives comparable names.
 */
export function perlLatin1(listing: Listing): Listing {
  const enc = (s: string): string => (/[^\x00-\xff]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s);
  const out: Listing = new Map();
  for (const [path, values] of listing) {
    out.set(enc(path), new Map([...values].map(([n, v]) => [enc(n), v])));
  }
  return out;
}
