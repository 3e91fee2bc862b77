/**
 * RFC 5322 / MIME messages (.eml, .mht): headers unfolded and decoded (RFC 2047 encoded words,
 * raw 8-bit headers as UTF-8 or GB18030); multipart bodies walked; base64 / quoted-printable
 * decoded; text/plain and text/html parts decoded with their charset (GB2312/GBK → GB18030) into
 * parts named `part N (text/plain; charset=gbk)`; attachments (and nested messages) → embedded
 * under their decoded file names (RFC 2231 `filename*`, continuations, encoded words).
 */
import type { Ctx } from './context.js';
import { htmlToText } from './html.js';
import { decodeAs, isUtf8, latin1Bytes } from './text.js';

interface Header {
  name: string;
  value: string; // raw (latin1 view of the bytes), unfolded
}

function splitHead(s: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(s);
  if (!m) return { head: s, body: '' };
  return { head: s.slice(0, m.index), body: s.slice(m.index + m[0].length) };
}

function parseHeaders(head: string): Header[] {
  const out: Header[] = [];
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    out.push({ name: line.slice(0, c).trim().toLowerCase(), value: line.slice(c + 1).trim() });
  }
  return out;
}

/** Raw 8-bit header text (latin1 view) → string: UTF-8 when valid, else GB18030. */
function raw8(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  const b = latin1Bytes(s);
  return decodeAs(b, isUtf8(b) ? 'utf-8' : 'gb18030');
}

function charsetOf(label: string): string {
  return label.replace(/\*.*$/, '').trim().toLowerCase() || 'utf-8';
}

function qpDecode(s: string, header = false): Uint8Array {
  if (header) s = s.replace(/_/g, ' ');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d /* = */) {
      const h = s.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(h)) {
        out.push(parseInt(h, 16));
        i += 2;
        continue;
      }
      // soft line break
      const m = /^[ \t]*\r?\n/.exec(s.slice(i + 1, i + 40));
      if (m) {
        i += m[0].length;
        continue;
      }
    }
    out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}

/** RFC 2047 encoded words (adjacent ones joined), raw 8-bit elsewhere. */
export function decodeHeader(value: string): string {
  const re = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
  const pieces: string[] = [];
  let last = 0;
  let prevEncoded = false;
  let pending: { cs: string; bytes: number[] } | null = null;
  const flushPending = (): void => {
    if (pending) {
      pieces.push(decodeAs(Uint8Array.from(pending.bytes), pending.cs));
      pending = null;
    }
  };
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const between = value.slice(last, m.index);
    if (!(prevEncoded && /^\s*$/.test(between))) {
      flushPending();
      pieces.push(raw8(between));
    }
    const cs = charsetOf(m[1]!);
    const data = m[2]!.toUpperCase() === 'B' ? new Uint8Array(Buffer.from(m[3]!, 'base64')) : qpDecode(m[3]!, true);
    // join adjacent words of the same charset at the byte level (a character may be split)
    const p = pending as { cs: string; bytes: number[] } | null;
    if (p && p.cs === cs) p.bytes.push(...data);
    else {
      flushPending();
      pending = { cs, bytes: [...data] };
    }
    last = m.index + m[0].length;
    prevEncoded = true;
  }
  flushPending();
  pieces.push(raw8(value.slice(last)));
  return pieces.join('');
}

interface ContentType {
  type: string;
  params: Map<string, string>;
}

/** Parses `type/sub; a=b; c="d"; e*=utf-8''%E6%96; f*0*=…` with RFC 2231 continuations. */
export function parseParams(value: string): ContentType {
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  const ext = new Map<string, Array<{ n: number; v: string; enc: boolean }>>();
  const re = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  const rest = semi < 0 ? '' : value.slice(semi);
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    let key = m[1]!.toLowerCase();
    let v = m[2]!.trim();
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    const cm = /^(.+?)\*(\d+)?(\*)?$/.exec(key);
    if (cm) {
      key = cm[1]!;
      const list = ext.get(key) ?? [];
      list.push({ n: cm[2] ? parseInt(cm[2], 10) : 0, v, enc: cm[3] === '*' || (!cm[2] && m[1]!.endsWith('*')) });
      ext.set(key, list);
    } else params.set(key, v);
  }
  for (const [key, list] of ext) {
    list.sort((a, b) => a.n - b.n);
    let cs = 'utf-8';
    const bytes: number[] = [];
    list.forEach((p, idx) => {
      let v = p.v;
      if (p.enc) {
        if (idx === 0) {
          const q = /^([^']*)'[^']*'(.*)$/.exec(v);
          if (q) {
            cs = charsetOf(q[1]! || 'utf-8');
            v = q[2]!;
          }
        }
        for (let i = 0; i < v.length; i++) {
          if (v[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(v.slice(i + 1, i + 3))) {
            bytes.push(parseInt(v.slice(i + 1, i + 3), 16));
            i += 2;
          } else bytes.push(v.charCodeAt(i) & 0xff);
        }
      } else for (const b of latin1Bytes(v)) bytes.push(b);
    });
    params.set(key, decodeAs(Uint8Array.from(bytes), cs));
  }
  return { type, params };
}

function transferDecode(body: string, cte: string): Uint8Array {
  const e = cte.trim().toLowerCase();
  if (e === 'base64') return new Uint8Array(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  if (e === 'quoted-printable') return qpDecode(body);
  return latin1Bytes(body);
}

function textCharset(cs: string | undefined, bytes: Uint8Array): string {
  if (cs) return charsetOf(cs);
  return isUtf8(bytes) ? 'utf-8' : 'gb18030';
}

export function extractEml(bytes: Uint8Array, ctx: Ctx): void {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let leaf = 0;
  let anon = 0;
  const walk = (entity: string, depth: number, top: boolean): void => {
    ctx.check();
    if (!ctx.countMember()) return;
    const { head, body } = splitHead(entity.replace(/^From [^\n]*\n/, ''));
    const headers = parseHeaders(head);
    const h = (n: string): string | undefined => headers.find((x) => x.name === n)?.value;
    if (top) {
      const subject = h('subject');
      if (subject !== undefined) ctx.part('subject', decodeHeader(subject));
      const lines: string[] = [];
      for (const n of ['from', 'to', 'cc', 'date']) {
        const v = h(n);
        if (v) lines.push(`${n}: ${decodeHeader(v)}`);
      }
      ctx.part('headers', lines.join('\n'));
    }
    const ct = parseParams(h('content-type') ?? 'text/plain');
    const cd = parseParams(h('content-disposition') ?? '');
    const cte = h('content-transfer-encoding') ?? '7bit';
    const fname = cd.params.get('filename') ?? ct.params.get('name');
    if (ct.type.startsWith('multipart/') && depth < 20) {
      const boundary = ct.params.get('boundary');
      if (!boundary) {
        ctx.gap('corrupt', 'multipart part without a boundary');
        return;
      }
      const delim = `--${boundary}`;
      const lines = body.split(/\r?\n/);
      let cur: string[] | null = null;
      const parts: string[] = [];
      for (const line of lines) {
        if (line.startsWith(delim)) {
          if (cur) parts.push(cur.join('\n'));
          if (line.slice(delim.length).startsWith('--')) {
            cur = null;
            break;
          }
          cur = [];
        } else if (cur) cur.push(line);
      }
      if (cur) parts.push(cur.join('\n'));
      for (const p of parts) walk(p, depth + 1, false);
      return;
    }
    const data = transferDecode(body, cte);
    const attachment = /^attachment/i.test(cd.type) || (fname !== undefined && !/^inline/i.test(cd.type));
    if (!attachment && (ct.type === 'text/plain' || ct.type === 'text/html' || ct.type === '' || ct.type === 'text')) {
      leaf++;
      const cs = textCharset(ct.params.get('charset'), data);
      const label = `part ${leaf} (${ct.type || 'text/plain'}; charset=${cs})`;
      if (ct.type === 'text/html') ctx.part(label, htmlToText(data, cs).text);
      else ctx.part(label, decodeAs(data, cs));
      if (!ctx.meta.encoding) ctx.meta.encoding = cs;
      return;
    }
    if (!data.length) return;
    const name = fname ? decodeHeader(fname) : ct.type === 'message/rfc822' ? `message-${++anon}.eml` : `part-${++anon}.${ct.type.split('/')[1]?.replace(/[^a-z0-9.+-]/gi, '') || 'bin'}`;
    if (!ctx.reserve(data.length, name)) return;
    ctx.embed(name, data);
  };
  walk(src, 0, true);
}
