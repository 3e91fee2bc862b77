/**
 * OLE compound files (via `cfb`): Word (.doc/.wps), Excel (.xls/.et), PowerPoint (.ppt/.dps),
 * Outlook .msg, password-protected OOXML (EncryptionInfo + EncryptedPackage), and embedded objects
 * (ObjectPool / MBD storages: `package` streams are OOXML files, `\x01Ole10Native` wraps a packaged
 * file, sub-storages holding a whole document are rebuilt as standalone OLE files) → embedded.
 * Property sets (`\x05SummaryInformation`, `\x05DocumentSummaryInformation` incl. user-defined
 * properties such as WPS's `KSOProductBuildVer`) → `properties` part and meta.producer.
 */
import * as CFB from 'cfb';
import type { Ctx } from './context.js';
import { errorMessage } from './context.js';
import { extractWordBinary } from './doc.js';
import { extractPptStream } from './ppt.js';
import { oleKind } from './sniff.js';
import { codepageLabel, cutNul, decodeAs, isUtf8 } from './text.js';
import type { DocFormat } from './types.js';
import { extractBiff } from './xls.js';
import { htmlToText } from './html.js';
import { u16, u32 } from './bytes.js';


export interface OleFile {
  /** Stream and storage paths relative to the root ('WordDocument', 'ObjectPool/_123/package'). */
  paths: string[];
  stream(path: string): Uint8Array | undefined;
  storages: string[];
}

function toU8(c: unknown): Uint8Array | undefined {
  if (c instanceof Uint8Array) return c;
  if (Array.isArray(c)) return Uint8Array.from(c as number[]);
  return undefined;
}

export function openOle(bytes: Uint8Array): OleFile {
  const cfb = CFB.read(bytes, { type: 'buffer' });
  const streams = new Map<string, Uint8Array>();
  const lower = new Map<string, Uint8Array>();
  const storages: string[] = [];
  const paths: string[] = [];
  cfb.FileIndex.forEach((e, i) => {
    const full = cfb.FullPaths[i] ?? '';
    const rel = full.replace(/^[^/]*\//, ''); // drop "Root Entry/"
    if (!rel) return;
    if (e.type === 2) {
      const c = toU8(e.content) ?? new Uint8Array(0);
      const size = typeof e.size === 'number' ? Math.min(e.size, c.length) : c.length;
      const b = c.subarray(0, size);
      streams.set(rel, b);
      if (!lower.has(rel.toLowerCase())) lower.set(rel.toLowerCase(), b);
      paths.push(rel);
    } else if (e.type === 1) {
      storages.push(rel.replace(/\/$/, ''));
      paths.push(rel);
    }
  });
  return {
    paths,
    storages,
    stream: (p) => streams.get(p) ?? lower.get(p.toLowerCase()),
  };
}

/** Top-level stream names of an OLE file (for the kind). */
export function topNames(ole: OleFile): string[] {
  return ole.paths.filter((p) => !p.includes('/') || (p.endsWith('/') && p.indexOf('/') === p.length - 1)).map((p) => p.replace(/\/$/, ''));
}

// ---------------------------------------------------------------- property sets (MS-OLEPS)

interface Prop {
  id: number;
  name?: string;
  value: string | number;
}

function readPropertySets(b: Uint8Array): Prop[][] {
  if (b.length < 48 || u16(b, 0) !== 0xfffe) return [];
  const n = Math.min(u32(b, 24), 4);
  const sets: Prop[][] = [];
  for (let s = 0; s < n; s++) {
    const off = u32(b, 28 + s * 20 + 16);
    if (off + 8 > b.length) break;
    const count = Math.min(u32(b, off + 4), 1000);
    let cp = 'windows-1252';
    const props: Prop[] = [];
    const entries: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) entries.push([u32(b, off + 8 + i * 8), u32(b, off + 12 + i * 8)]);
    // code page first (id 1)
    for (const [id, po] of entries) if (id === 1 && u32(b, off + po) === 2) cp = codepageLabel(u16(b, off + po + 4)) ?? cp;
    let dict = new Map<number, string>();
    for (const [id, po] of entries) {
      const p = off + po;
      if (p + 8 > b.length) continue;
      if (id === 0) {
        // dictionary: names of user-defined properties
        const nd = Math.min(u32(b, p), 1000);
        let q = p + 4;
        dict = new Map();
        for (let k = 0; k < nd && q + 8 <= b.length; k++) {
          const pid = u32(b, q);
          const len = u32(b, q + 4);
          q += 8;
          if (cp === 'utf-16le') {
            dict.set(pid, cutNul(decodeAs(b.subarray(q, q + len * 2), 'utf-16le')));
            q += len * 2;
            q = (q + 3) & ~3;
          } else {
            dict.set(pid, cutNul(decodeAs(b.subarray(q, q + len), cp)));
            q += len;
          }
        }
        continue;
      }
      const vt = u16(b, p);
      let value: string | number | undefined;
      if (vt === 0x1e) {
        const len = u32(b, p + 4);
        const raw = b.subarray(p + 8, Math.min(b.length, p + 8 + len));
        // some writers declare 1252 and store UTF-8
        value = cutNul(decodeAs(raw, cp === 'windows-1252' && isUtf8(raw) ? 'utf-8' : cp));
      } else if (vt === 0x1f) {
        const len = u32(b, p + 4);
        value = cutNul(decodeAs(b.subarray(p + 8, Math.min(b.length, p + 8 + len * 2)), 'utf-16le'));
      } else if (vt === 2) value = u16(b, p + 4);
      else if (vt === 3) value = u32(b, p + 4) | 0;
      if (value !== undefined) props.push({ id, value });
    }
    for (const pr of props) {
      const nm = dict.get(pr.id);
      if (nm) pr.name = nm;
    }
    sets.push(props);
  }
  return sets;
}

const SUMMARY_NAMES: Record<number, string> = { 2: 'title', 3: 'subject', 4: 'author', 5: 'keywords', 6: 'comments', 8: 'lastAuthor' };
const DOCSUMMARY_NAMES: Record<number, string> = { 2: 'category', 14: 'manager', 15: 'company' };

export function oleProperties(ole: OleFile, ctx: Ctx, prefix = ''): void {
  const lines: string[] = [];
  let app: string | undefined;
  const si = ole.stream(`${prefix}\u0005SummaryInformation`);
  if (si) {
    for (const p of readPropertySets(si)[0] ?? []) {
      if (p.id === 18 && typeof p.value === 'string') app = p.value.trim();
      const n = SUMMARY_NAMES[p.id];
      if (n && typeof p.value === 'string' && p.value.trim()) lines.push(`${n}: ${p.value.trim()}`);
    }
  }
  const dsi = ole.stream(`${prefix}\u0005DocumentSummaryInformation`);
  let kso: string | undefined;
  if (dsi) {
    const sets = readPropertySets(dsi);
    for (const p of sets[0] ?? []) {
      const n = DOCSUMMARY_NAMES[p.id];
      if (n && typeof p.value === 'string' && p.value.trim()) lines.push(`${n}: ${p.value.trim()}`);
    }
    for (const p of sets[1] ?? []) {
      if (p.name === 'KSOProductBuildVer' && typeof p.value === 'string') kso = p.value;
      if (p.name && typeof p.value === 'string' && p.value.trim()) lines.push(`${p.name}: ${p.value.trim()}`);
    }
  }
  if (!prefix) {
    if (kso) ctx.meta.producer = `WPS Office ${kso}`;
    else if (app) ctx.meta.producer = app;
  }
  ctx.part(prefix ? `${prefix}properties` : 'properties', lines.join('\n'));
}

// ---------------------------------------------------------------- embedded objects

/** `\x01Ole10Native`: size, flags, label, file path, …, data. Returns the packaged file. */
export function parseOle10Native(b: Uint8Array): { name: string; data: Uint8Array } | null {
  try {
    const total = u32(b, 0);
    let p = 4;
    if (total > b.length - 4 + 8) return null;
    p += 2;
    const zstr = (): Uint8Array => {
      const e = b.indexOf(0, p);
      if (e < 0) throw new Error('no terminator');
      const s = b.subarray(p, e);
      p = e + 1;
      return s;
    };
    const label = zstr();
    const path = zstr();
    p += 4; // reserved u16 + u16
    const tmpLen = u32(b, p);
    p += 4 + tmpLen;
    const size = u32(b, p);
    p += 4;
    if (p + size > b.length) return null;
    const dec = (x: Uint8Array): string => decodeAs(x, isUtf8(x) ? 'utf-8' : 'gb18030');
    const raw = dec(label) || dec(path).replace(/^.*[\\/]/, '');
    return { name: raw || 'Ole10Native', data: b.subarray(p, p + size) };
  } catch {
    return null;
  }
}

const DOC_STREAMS = ['WordDocument', 'Workbook', 'Book', 'PowerPoint Document', 'EncryptedPackage'];

function rebuildStorage(ole: OleFile, storage: string): Uint8Array | null {
  try {
    const n = CFB.utils.cfb_new();
    const pre = `${storage}/`;
    for (const p of ole.paths) {
      if (!p.startsWith(pre) || p.endsWith('/')) continue;
      const s = ole.stream(p);
      if (s) CFB.utils.cfb_add(n, `/${p.slice(pre.length)}`, Buffer.from(s));
    }
    const out = CFB.write(n, { type: 'buffer' }) as Uint8Array;
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return null;
  }
}

export function oleEmbeddings(ole: OleFile, ctx: Ctx, skipRoots: string[] = []): void {
  const done: string[] = [];
  const storages = [...ole.storages].sort((a, b) => a.split('/').length - b.split('/').length);
  for (const st of storages) {
    if (done.some((d) => st.startsWith(`${d}/`)) || skipRoots.some((d) => st === d || st.startsWith(`${d}/`))) continue;
    const has = (n: string): Uint8Array | undefined => ole.stream(`${st}/${n}`);
    let found = false;
    const pkg = has('package') ?? has('Package');
    if (pkg && pkg.length) {
      if (!ctx.countMember()) return;
      ctx.embed(`${st}/package`, pkg);
      found = true;
    }
    const native = has('\u0001Ole10Native');
    if (native && native.length) {
      if (!ctx.countMember()) return;
      const f = parseOle10Native(native);
      ctx.embed(f ? `${st}/${f.name}` : `${st}/\u0001Ole10Native`, f ? f.data : native);
      found = true;
    }
    const contents = has('CONTENTS');
    if (contents && contents.length) {
      if (!ctx.countMember()) return;
      ctx.embed(`${st}/CONTENTS`, contents);
      found = true;
    }
    if (!found && DOC_STREAMS.some((n) => has(n))) {
      if (!ctx.countMember()) return;
      const b = rebuildStorage(ole, st);
      if (b && ctx.reserve(b.length, st)) {
        ctx.embed(st, b);
        found = true;
      }
    }
    if (found) done.push(st);
  }
}

// ---------------------------------------------------------------- Outlook .msg

function msgString(ole: OleFile, prefix: string, prop: string): string | undefined {
  const w = ole.stream(`${prefix}__substg1.0_${prop}001F`);
  if (w) return cutNul(decodeAs(w, 'utf-16le'));
  const a = ole.stream(`${prefix}__substg1.0_${prop}001E`);
  if (a) return cutNul(decodeAs(a, isUtf8(a) ? 'utf-8' : 'gb18030'));
  return undefined;
}

function extractMsg(ole: OleFile, ctx: Ctx): void {
  const subject = msgString(ole, '', '0037');
  if (subject) ctx.part('subject', subject);
  const hdr = ['0C1A', '0E04', '0E03'].map((p) => msgString(ole, '', p)).filter((s): s is string => !!s);
  ctx.part('headers', hdr.join('\n'));
  const body = msgString(ole, '', '1000');
  if (body) ctx.part('body', body);
  const html = ole.stream('__substg1.0_10130102');
  if (html) ctx.part('body-html', htmlToText(html).text);
  if (ole.stream('__substg1.0_10090102') && !body && !html) ctx.gap('unsupported', 'message body is compressed RTF only', 'body');
  for (const st of ole.storages) {
    if (!/^__attach_version1\.0_#[0-9A-F]{8}$/i.test(st)) continue;
    const name = msgString(ole, `${st}/`, '3707') ?? msgString(ole, `${st}/`, '3704') ?? st;
    const data = ole.stream(`${st}/__substg1.0_37010102`);
    if (data && data.length) {
      if (!ctx.countMember()) return;
      ctx.embed(name, data);
    } else if (ole.paths.some((p) => p.startsWith(`${st}/__substg1.0_3701000D`))) {
      const b = rebuildStorage(ole, `${st}/__substg1.0_3701000D`);
      if (b) ctx.embed(`${name}.msg`, b);
    }
  }
}

// ---------------------------------------------------------------- entry

export function extractOle(bytes: Uint8Array, ctx: Ctx, ext: string): DocFormat {
  let ole: OleFile;
  try {
    ole = openOle(bytes);
  } catch (e) {
    ctx.gap('corrupt', `OLE compound file unreadable: ${errorMessage(e)}`);
    return ctx.format;
  }
  const top = topNames(ole);
  const kind = oleKind(top, ext);
  ctx.format = kind;
  ctx.check();
  switch (kind) {
    case 'doc':
    case 'wps':
      extractWordBinary((n) => ole.stream(n), ctx);
      break;
    case 'xls':
    case 'et': {
      const book = ole.stream('Workbook') ?? ole.stream('Book');
      if (book) extractBiff(book, ctx);
      break;
    }
    case 'ppt':
    case 'dps': {
      const d = ole.stream('PowerPoint Document');
      if (d) extractPptStream(d, ole.stream('Current User'), ctx);
      break;
    }
    case 'msg':
      extractMsg(ole, ctx);
      break;
    default:
      if (ole.stream('EncryptedPackage') && ole.stream('EncryptionInfo')) {
        const info = ole.stream('EncryptionInfo')!;
        const v = `${u16(info, 0)}.${u16(info, 2)}`;
        const scheme = v === '4.4' ? 'agile' : v === '3.2' || v === '4.2' || v === '3.3' || v === '4.3' ? 'standard' : `version ${v}`;
        ctx.gap('encrypted', `password-protected Office Open XML document (ECMA-376 ${scheme} encryption)`);
      } else if (kind === 'ole') {
        const names = top.filter((n) => !n.startsWith('\u0005') && !n.startsWith('\u0001') && !n.startsWith('\u0003'));
        if (!names.some((n) => /^(package|CONTENTS|Ole10Native)$/i.test(n)) && !ole.storages.length) {
          ctx.gap('unsupported', `OLE file with streams ${names.slice(0, 8).join(', ') || '(none)'}: no text extractor`);
        }
        const pkg = ole.stream('package') ?? ole.stream('Package');
        if (pkg && pkg.length) ctx.embed('package', pkg);
        const native = ole.stream('\u0001Ole10Native');
        if (native && native.length) {
          const f = parseOle10Native(native);
          ctx.embed(f ? f.name : '\u0001Ole10Native', f ? f.data : native);
        }
        const contents = ole.stream('CONTENTS');
        if (contents && contents.length) ctx.embed('CONTENTS', contents);
      }
  }
  ctx.check();
  oleProperties(ole, ctx);
  oleEmbeddings(ole, ctx, kind === 'msg' ? ole.storages.filter((s) => s.startsWith('__attach') || s.startsWith('__recip') || s.startsWith('__nameid')) : []);
  return kind;
}
