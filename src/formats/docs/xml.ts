/**
 * A small, fast, non-validating XML scanner for the text-bearing parts of OOXML, ODF and OFD.
 * No DTD processing (so no entity-expansion bombs); the five predefined entities and numeric
 * references are decoded. Element names are passed as qualified names (`w:t`); `local()` strips
 * the prefix.
 */
import { bomOf, decodeAs } from './text.js';

export interface XmlHandler {
  /** `attrs` is the raw attribute text; read one with `attr()`. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Text between tags, already entity-decoded (CDATA passed as is). */
  text(text: string): void;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.charCodeAt(0) === 35) {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return validCodePoint(cp) ? String.fromCodePoint(cp) : '';
    }
    return NAMED[e] ?? m;
  });
}

export function validCodePoint(cp: number): boolean {
  return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
}

export function local(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** Reads one attribute (by qualified or local name) from raw attribute text. */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const i = attrs.indexOf(name, from);
    if (i < 0) return undefined;
    from = i + name.length;
    const before = i === 0 ? ' ' : attrs[i - 1]!;
    if (before !== ' ' && before !== '\t' && before !== '\n' && before !== '\r' && before !== ':') continue;
    let j = i + name.length;
    while (attrs[j] === ' ' || attrs[j] === '\t' || attrs[j] === '\n' || attrs[j] === '\r') j++;
    if (attrs[j] !== '=') continue;
    j++;
    while (attrs[j] === ' ' || attrs[j] === '\t' || attrs[j] === '\n' || attrs[j] === '\r') j++;
    const q = attrs[j];
    if (q !== '"' && q !== "'") continue;
    const end = attrs.indexOf(q, j + 1);
    if (end < 0) return undefined;
    return decodeXmlEntities(attrs.slice(j + 1, end));
  }
}

/** Decodes an XML part's bytes: BOM, then the encoding declaration (GB2312 OFDs exist), else UTF-8. */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const bom = bomOf(bytes);
  if (bom) return decodeAs(bytes.subarray(bom.length), bom.label);
  if (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0x3f) return decodeAs(bytes, 'utf-16le');
  if (bytes[0] === 0 && bytes[1] === 0x3c) return decodeAs(bytes, 'utf-16be');
  if (bytes[0] === 0x3c && bytes[1] === 0x3f) {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(200, bytes.length)).toString('latin1');
    const m = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
    if (m && !/^utf-?8$/i.test(m[1]!)) return decodeAs(bytes, m[1]!, 'utf-8');
  }
  return decodeAs(bytes, 'utf-8');
}

/**
 * Scans `xml`, calling the handler. Malformed input never throws: an unterminated construct ends
 * the scan.
 */
export function scanXml(xml: string, h: XmlHandler): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      if (i < n) h.text(decodeXmlEntities(xml.slice(i)));
      return;
    }
    if (lt > i) h.text(decodeXmlEntities(xml.slice(i, lt)));
    const c = xml.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const e = xml.indexOf('-->', lt + 4);
        if (e < 0) return;
        i = e + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const e = xml.indexOf(']]>', lt + 9);
        if (e < 0) return;
        h.text(xml.slice(lt + 9, e));
        i = e + 3;
      } else {
        // <!DOCTYPE …> possibly with an internal subset [ … ]
        let j = lt + 2;
        let depth = 0;
        for (; j < n; j++) {
          const ch = xml[j];
          if (ch === '[') depth++;
          else if (ch === ']') depth--;
          else if (ch === '>' && depth <= 0) break;
        }
        i = j + 1;
      }
      continue;
    }
    if (c === 63 /* ? */) {
      const e = xml.indexOf('?>', lt + 2);
      if (e < 0) return;
      i = e + 2;
      continue;
    }
    // find the end of the tag, honouring quotes
    let j = lt + 1;
    let q = 0;
    for (; j < n; j++) {
      const ch = xml.charCodeAt(j);
      if (q) {
        if (ch === q) q = 0;
      } else if (ch === 34 || ch === 39) q = ch;
      else if (ch === 62) break;
    }
    if (j >= n) return;
    if (c === 47 /* / */) {
      h.close(xml.slice(lt + 2, j).trim());
    } else {
      let k = lt + 1;
      while (k < j) {
        const ch = xml.charCodeAt(k);
        if (ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 47 || ch === 62) break;
        k++;
      }
      const name = xml.slice(lt + 1, k);
      const self = xml.charCodeAt(j - 1) === 47;
      const attrs = xml.slice(k, self ? j - 1 : j);
      h.open(name, attrs, self);
      if (self) h.close(name);
    }
    i = j + 1;
  }
}

/** All text content of elements with the given local name, in document order. */
export function elementTexts(xml: string, localName: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let buf = '';
  scanXml(xml, {
    open(name) {
      if (local(name) === localName) {
        if (depth === 0) buf = '';
        depth++;
      }
    },
    close(name) {
      if (local(name) === localName && depth > 0) {
        depth--;
        if (depth === 0) out.push(buf);
      }
    },
    text(t) {
      if (depth > 0) buf += t;
    },
  });
  return out;
}
