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

const REMOVE_HTML = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)\]\]>|<(script|style|xml|template|noscript|svg)\b[^>]*>[\s\S]*?(?:<\/\2\s*>|$)|<!DOCTYPE[^>]*>|<\?[\s\S]*?\?>/gi;
const REMOVE_XML = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)\]\]>|<([\w.-]+:)?(binData|binaryData|binary-data|instrText)\b[^>]*>[\s\S]*?<\/([\w.-]+:)?\3\s*>|<![Dd][Oo][Cc][Tt][Yy][Pp][Ee][^>]*>|<\?[\s\S]*?\?>/g;

/** Tags and text are turned into text this many characters at a time (bounded garbage per step). */
const SEGMENT = 256 * 1024;

/**
 * Markup string → text. `xml` mode: element names by local name, no script/style semantics.
 * `segment`: how many characters tags are replaced in at a time (tests pass Infinity).
 *
 * Memory: a 15 MB page is a 30 MB string, and every whole-string pass is another copy. So the
 * constructs that can span anything — comments, CDATA (kept, its "<" escaped so that it stays
 * text), script/style/… elements (HTML) or binary-data elements (XML), DOCTYPE, processing
 * instructions — are found in one scan (whichever starts first wins, as a browser reads them), the
 * text between them is turned into text a segment at a time (cut before a tag), and the pieces are
 * joined once, the whitespace across each join cleaned as the whole text would be.
 */
export function markupToText(src: string, xml = false, segment = SEGMENT): string {
  const re = new RegExp((xml ? REMOVE_XML : REMOVE_HTML).source, xml ? 'g' : 'gi');
  const out: string[] = [];
  let pending = '';
  const emit = (final: boolean): void => {
    while (pending.length > segment || (final && pending.length > 0)) {
      let end = pending.length;
      if (end > segment) {
        end = segment;
        const lt = pending.lastIndexOf('<', end);
        if (lt > 0) end = lt;
      }
      out.push(tagsToText(pending.slice(0, end), xml));
      pending = pending.slice(end);
    }
  };
  let last = 0;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    pending += src.slice(last, m.index);
    if (m[1] !== undefined) pending += m[1].replace(/</g, '&lt;');
    last = m.index + m[0].length;
    if (pending.length > segment) emit(false);
  }
  pending += src.slice(last);
  emit(true);
  return joinClean(out);
}

/** Joins text pieces; a whitespace run across a join that holds a line break becomes one or two line breaks. */
function joinClean(pieces: string[]): string {
  const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a;
  for (let k = 1; k < pieces.length; k++) {
    const a = pieces[k - 1]!;
    const b = pieces[k]!;
    let i = a.length;
    while (i > 0 && isWs(a.charCodeAt(i - 1))) i--;
    let j = 0;
    while (j < b.length && isWs(b.charCodeAt(j))) j++;
    let nl = 0;
    for (let x = i; x < a.length; x++) if (a.charCodeAt(x) === 0x0a) nl++;
    for (let x = 0; x < j; x++) if (b.charCodeAt(x) === 0x0a) nl++;
    if (nl === 0) continue;
    pieces[k - 1] = a.slice(0, i);
    pieces[k] = '\n'.repeat(Math.min(nl, 2)) + b.slice(j);
  }
  return pieces.join('').trim();
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
