/**
 * HTML (and other XML documents: Word 2003 XML, flat ODF, …) → text. Charset from the BOM, then
 * `<meta charset>` / `http-equiv` / the XML declaration, then strict UTF-8, else GB18030. Script,
 * style, comments and Word's `<xml>` islands are dropped; block elements become line breaks, table
 * cells tabs, inline elements nothing (so text split over `<span>`s stays joined); entities are
 * decoded (named and numeric).
 */
import { bomOf, decodeAs, isUtf8 } from './text.js';
import { validCodePoint } from './xml.js';

const ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', trade: '™',
  middot: '·', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  sbquo: '‚', bdquo: '„', bull: '•', times: '×', divide: '÷', yen: '¥', cent: '¢', pound: '£',
  euro: '€', sect: '§', para: '¶', deg: '°', plusmn: '±', laquo: '«', raquo: '»', emsp: ' ',
  ensp: ' ', thinsp: ' ', zwj: '', zwnj: '', shy: '', iexcl: '¡', iquest: '¿', frac12: '½',
  frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', micro: 'µ', larr: '←', rarr: '→',
  uarr: '↑', darr: '↓', hearts: '♥', star: '☆', starf: '★', bigstar: '★', check: '✓', cross: '✗',
  prime: '′', Prime: '″', permil: '‰', dagger: '†', Dagger: '‡', lsaquo: '‹', rsaquo: '›',
  oline: '‾', frasl: '⁄', le: '≤', ge: '≥', ne: '≠', infin: '∞', radic: '√', sum: '∑', minus: '−',
};

export function decodeHtmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return validCodePoint(cp) && cp !== 0 ? String.fromCodePoint(cp) : '';
    }
    const v = ENTITIES[e] ?? ENTITIES[e.toLowerCase()];
    return v ?? m;
  });
}

const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'section', 'article',
  'header', 'footer', 'blockquote', 'pre', 'hr', 'title', 'dt', 'dd', 'ul', 'ol', 'form', 'nav',
  'aside', 'main', 'figure', 'figcaption', 'caption', 'address', 'center', 'body', 'option',
  // XML documents
  'h', 'para', 'line-break', 'tab-stop',
]);
const CELL = new Set(['td', 'th', 'tab']);

/** Sniffs the charset of HTML bytes. */
export function htmlCharset(bytes: Uint8Array): string {
  const bom = bomOf(bytes);
  if (bom) return bom.label;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head) ?? /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)/.exec(head);
  if (m) return m[1]!.toLowerCase();
  return isUtf8(bytes) ? 'utf-8' : 'gb18030';
}

/** Tags and text are turned into text this many characters at a time (bounded garbage per step). */
const SEGMENT = 256 * 1024;

/**
 * Markup string → text. `xml` mode: element names by local name, no script/style semantics.
 * `segment`: how many characters tags are replaced in at a time (tests pass Infinity).
 */
export function markupToText(src: string, xml = false, segment = SEGMENT): string {
  // Constructs that can span anything go first, over the whole string.
  let s = src
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, t: string) => t.replace(/</g, '&lt;'));
  s = xml
    ? s.replace(/<([\w.-]+:)?(binData|binaryData|binary-data|instrText)\b[^>]*>[\s\S]*?<\/([\w.-]+:)?\2\s*>/g, '')
    : s.replace(/<(script|style|xml|template|noscript|svg)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, '');
  s = s.replace(/<!DOCTYPE[^>]*>/gi, '').replace(/<\?[\s\S]*?\?>/g, '');
  if (s.length <= segment) return tagsToText(s, xml).trim();
  // A big page (an 8 MB manual) in segments cut before a tag: the per-tag replacement of the
  // whole string at once needed more than 100 MB of heap. A cut inside an attribute value that
  // holds a "<" costs a few characters of attribute text, nothing more.
  const out: string[] = [];
  for (let at = 0; at < s.length; ) {
    let end = Math.min(s.length, at + segment);
    if (end < s.length) {
      const lt = s.lastIndexOf('<', end);
      if (lt > at) end = lt;
    }
    out.push(tagsToText(s.slice(at, end), xml));
    at = end;
  }
  // the line clean-up again over the joins (a segment may end in a line break and the next start with a tab)
  return out.join('').replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Whitespace collapsed (HTML semantics), tags → line breaks / tabs / nothing, entities decoded. */
function tagsToText(s: string, xml: boolean): string {
  s = s.replace(/[\s\u0085]+/g, ' ');
  s = s.replace(/<\/?([A-Za-z][\w:.-]*)(?:"[^"]*"|'[^']*'|[^'">])*>/g, (_m, tag: string) => {
    const i = tag.indexOf(':');
    const l = (i < 0 ? tag : tag.slice(i + 1)).toLowerCase();
    if (BLOCK.has(l) || (xml && l === 'p')) return '\n';
    if (CELL.has(l)) return '\t';
    return '';
  });
  s = decodeHtmlEntities(s);
  return s.replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{3,}/g, '\n\n');
}

export function htmlToText(bytes: Uint8Array, charsetHint?: string, xml = false): { text: string; encoding: string } {
  const bom = bomOf(bytes);
  let enc = bom ? bom.label : htmlCharset(bytes);
  if (!bom && charsetHint && !/<meta[^>]+charset/i.test(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1'))) enc = charsetHint.toLowerCase();
  if (enc === 'utf-8' && !bom && !isUtf8(bytes)) enc = 'gb18030';
  const src = decodeAs(bytes.subarray(bom?.length ?? 0), enc);
  return { text: markupToText(src, xml), encoding: enc };
}
