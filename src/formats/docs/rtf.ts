/**
 * RTF → text. Control words are dropped; `\uN` escapes decoded (with their `\ucN` fallback
 * skipped); `\'hh` bytes and literal 8-bit text decoded in the code page of the current font's
 * `\fcharset` (134 → GBK) or else the document's `\ansicpgN`; destinations that hold no document
 * text (font/colour/style tables, pictures, field instructions, `\*` unknowns…) are skipped.
 * Headers/footers → `headers`, footnotes → `footnotes`, annotations → `comments`, `\info` →
 * `properties`, WordArt text (`gtextUNICODE`, Word's watermarks) kept, `\objdata` → embedded.
 */
import type { Ctx } from './context.js';
import { charsetCodepage, codepageLabel, decodeAs } from './text.js';
import { u32 } from './bytes.js';

type Bucket = 'body' | 'headers' | 'footnotes' | 'comments' | 'properties' | 'skip' | 'objdata' | 'sn' | 'sv' | 'fonttbl';

interface State {
  bucket: Bucket;
  uc: number;
  font: number;
  dbchFont: number;
  dbch: boolean;
  /** inside a `\*` group whose destination is not yet known */
  star: boolean;
  /** 1 inside `\upr` (ANSI + Unicode pair: read only the `\ud` half), 2 inside its `\ud` */
  upr: number;
  first: boolean;
}

const SKIP_DEST = new Set([
  'colortbl', 'stylesheet', 'pict', 'themedata', 'colorschememapping', 'datastore', 'latentstyles',
  'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'mmathPr', 'fldinst', 'filetbl',
  'revtbl', 'pgdsctbl', 'wgrffmtfilter', 'bkmkstart', 'bkmkend', 'shprslt', 'nonshppict', 'shppict',
  'atnid', 'atnauthor', 'atndate', 'atnref', 'atrfstart', 'atrfend', 'pn', 'pntext', 'pntxta', 'pntxtb',
  'listtext', 'protusertbl', 'userprops', 'docvar', 'xmlopen', 'xmlclose', 'xmlattrname', 'xmlattrvalue',
  'ftnsep', 'ftnsepc', 'aftnsep', 'aftnsepc', 'template', 'objclass', 'objname', 'passwordhash',
  'fchars', 'lchars', 'tc', 'tcn', 'xe', 'blipuid', 'password', 'operator', 'category',
]);
const HEADER_DEST = new Set(['header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl', 'footerr', 'footerf']);
const INFO_FIELDS = new Set(['title', 'subject', 'keywords', 'doccomm', 'author', 'company', 'manager', 'hlinkbase']);
const SPECIAL: Record<string, string> = {
  par: '\n', line: '\n', sect: '\n', page: '\n', row: '\n', cell: '\t', nestcell: '\t', tab: '\t',
  emdash: '—', endash: '–', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', bullet: '•',
  emspace: ' ', enspace: ' ', qmspace: ' ', zwj: '', zwnj: '', ltrmark: '', rtlmark: '',
};

export function extractRtf(bytes: Uint8Array, ctx: Ctx): void {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const n = src.length;
  const out: Record<string, string[]> = { body: [], headers: [], footnotes: [], comments: [], properties: [] };
  const fonts = new Map<number, number>(); // font → code page
  let ansiCp = 1252;
  let st: State = { bucket: 'body', uc: 1, font: -1, dbchFont: -1, dbch: false, star: false, first: true, upr: 0 };
  const stack: State[] = [];
  let bytesBuf: number[] = [];
  let bytesCp = 0;
  let skipFallback = 0;
  let fontDef = -1; // font being defined in the font table
  let snName = '';
  let svBuf: string[] = [];
  let objHex: string[] = [];
  let infoField = '';
  const emit = (s: string): void => {
    const b = st.bucket;
    if (b === 'body' || b === 'headers' || b === 'footnotes' || b === 'comments') out[b]!.push(s);
    else if (b === 'properties' && infoField) out.properties!.push(s);
    else if (b === 'sn') snName += s;
    else if (b === 'sv') svBuf.push(s);
  };
  const cpNow = (): number => {
    const f = st.dbch && st.dbchFont >= 0 ? st.dbchFont : st.font;
    const fcp = fonts.get(f);
    if (fcp !== undefined && fcp !== 1252) return fcp;
    return ansiCp;
  };
  const flush = (): void => {
    if (!bytesBuf.length) return;
    const s = decodeAs(Uint8Array.from(bytesBuf), codepageLabel(bytesCp) ?? 'windows-1252');
    bytesBuf = [];
    emit(s);
  };
  const addByte = (b: number): void => {
    const cp = cpNow();
    if (bytesBuf.length && cp !== bytesCp) flush();
    bytesCp = cp;
    bytesBuf.push(b);
  };
  let i = 0;
  let steps = 0;
  while (i < n) {
    if (++steps % 200000 === 0) ctx.check();
    const ch = src.charCodeAt(i);
    if (ch === 0x7b /* { */) {
      flush();
      stack.push(st);
      st = { ...st, star: false, first: true };
      if (stack.length > 1000) throw new Error('RTF groups nested deeper than 1000');
      skipFallback = 0;
      i++;
      continue;
    }
    if (ch === 0x7d /* } */) {
      flush();
      const closing = st;
      if (closing.bucket === 'sv' && /^gtext(UNICODE)?$/i.test(snName.trim())) {
        const t = svBuf.join('');
        st = stack.pop() ?? st;
        emit(`\n${t}\n`);
      } else {
        st = stack.pop() ?? st;
      }
      if (closing.bucket === 'objdata' && st.bucket !== 'objdata') {
        const hex = objHex.join('').replace(/[^0-9a-fA-F]/g, '');
        objHex = [];
        if (hex.length > 16) {
          const data = Buffer.from(hex.length % 2 ? hex.slice(0, -1) : hex, 'hex');
          const native = ole1Native(new Uint8Array(data));
          if (ctx.countMember() && ctx.reserve(data.length, 'objdata')) ctx.embed(`objdata/${ctx.embedded.length + 1}`, native ?? new Uint8Array(data));
        }
      }
      if (closing.bucket === 'properties' && infoField) {
        out.properties!.push('\n');
        infoField = '';
      }
      if (closing.bucket === 'sn') svBuf = [];
      if (closing.bucket === 'fonttbl' && fontDef >= 0 && st.bucket === 'fonttbl') fontDef = -1;
      skipFallback = 0;
      i++;
      continue;
    }
    if (ch === 0x5c /* \ */) {
      const c2 = src[i + 1];
      if (c2 === undefined) break;
      const isAlpha = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
      if (isAlpha(src.charCodeAt(i + 1))) {
        let j = i + 1;
        while (j < n && j - i < 40 && isAlpha(src.charCodeAt(j))) j++;
        const word = src.slice(i + 1, j);
        let param: number | undefined;
        {
          let k = j;
          if (src.charCodeAt(k) === 0x2d) k++;
          const d0 = k;
          while (k < n && k - d0 < 10 && src.charCodeAt(k) >= 0x30 && src.charCodeAt(k) <= 0x39) k++;
          if (k > d0) {
            param = parseInt(src.slice(j, k), 10);
            j = k;
          }
        }
        if (src[j] === ' ') j++;
        i = j;
        const wasFirst = st.first;
        st.first = false;
        // \bin N: raw binary follows
        if (word === 'bin' && param !== undefined && param > 0) {
          flush();
          i += param;
          continue;
        }
        if (word === 'u' && param !== undefined) {
          flush();
          if (skipFallback) skipFallback = 0;
          emit(String.fromCharCode(param < 0 ? param + 65536 : param));
          skipFallback = st.uc;
          continue;
        }
        skipFallback = 0;
        if (st.bucket === 'skip') continue;
        // destinations
        if (wasFirst || st.star) {
          if (word === 'fonttbl') {
            flush();
            st.bucket = 'fonttbl';
            continue;
          }
          if (HEADER_DEST.has(word)) {
            flush();
            st.bucket = 'headers';
            st.star = false;
            continue;
          }
          if (word === 'footnote') {
            flush();
            st.bucket = 'footnotes';
            st.star = false;
            continue;
          }
          if (word === 'annotation') {
            flush();
            st.bucket = 'comments';
            st.star = false;
            continue;
          }
          if (word === 'info') {
            flush();
            st.bucket = 'properties';
            infoField = '';
            continue;
          }
          if (word === 'upr' || word === 'ud') {
            st.upr = word === 'upr' ? 1 : 2;
            st.star = false;
            continue;
          }
          if (st.bucket === 'properties' && INFO_FIELDS.has(word) && st.upr === 1) {
            flush();
            st.bucket = 'skip';
            continue;
          }
          if (st.bucket === 'properties' && INFO_FIELDS.has(word)) {
            flush();
            infoField = word;
            out.properties!.push(`${word}: `);
            continue;
          }
          if (word === 'objdata') {
            flush();
            st.bucket = 'objdata';
            continue;
          }
          if (word === 'sn') {
            flush();
            snName = '';
            st.bucket = 'sn';
            continue;
          }
          if (word === 'sv') {
            flush();
            svBuf = [];
            st.bucket = /^gtext(UNICODE)?$/i.test(snName.trim()) ? 'sv' : 'skip';
            continue;
          }
          if (SKIP_DEST.has(word) || (st.bucket === 'properties' && !INFO_FIELDS.has(word))) {
            flush();
            st.bucket = 'skip';
            continue;
          }
          if (st.star && !['shpinst', 'shptxt', 'fldrslt', 'shp', 'sp', 'shpgrp', 'ud', 'upr', 'objdata', 'result'].includes(word)) {
            flush();
            st.bucket = 'skip';
            continue;
          }
          st.star = false;
        }
        switch (word) {
          case 'ansicpg':
            if (param) ansiCp = param;
            break;
          case 'pc':
            ansiCp = 437;
            break;
          case 'pca':
            ansiCp = 850;
            break;
          case 'mac':
            ansiCp = 10000;
            break;
          case 'uc':
            st.uc = Math.max(0, Math.min(param ?? 1, 10));
            break;
          case 'f':
            if (st.bucket === 'fonttbl') fontDef = param ?? -1;
            else {
              flush();
              st.font = param ?? -1;
            }
            break;
          case 'af':
            st.dbchFont = param ?? -1;
            break;
          case 'dbch':
            flush();
            st.dbch = true;
            break;
          case 'loch':
          case 'hich':
            flush();
            st.dbch = false;
            break;
          case 'fcharset':
            if (st.bucket === 'fonttbl' && fontDef >= 0 && param !== undefined) {
              const cp = charsetCodepage(param);
              if (cp) fonts.set(fontDef, cp);
            }
            break;
          case 'cpg':
            if (st.bucket === 'fonttbl' && fontDef >= 0 && param) fonts.set(fontDef, param);
            break;
          default: {
            const sp = SPECIAL[word];
            if (sp !== undefined) {
              flush();
              emit(sp);
            }
          }
        }
        continue;
      }
      // control symbols
      if (c2 === "'") {
        const hex = src.slice(i + 2, i + 4);
        i += 4;
        st.first = false;
        if (skipFallback) {
          skipFallback--;
          continue;
        }
        const b = parseInt(hex, 16);
        if (Number.isNaN(b) || st.bucket === 'skip' || st.bucket === 'fonttbl') continue;
        if (st.bucket === 'objdata') continue;
        addByte(b);
        continue;
      }
      i += 2;
      st.first = false;
      if (c2 === '*') {
        st.star = true;
        st.first = true;
        continue;
      }
      if (st.bucket === 'skip' || st.bucket === 'fonttbl') continue;
      if (skipFallback) {
        skipFallback--;
        continue;
      }
      if (c2 === '\\' || c2 === '{' || c2 === '}') addByte(c2.charCodeAt(0));
      else if (c2 === '~') {
        flush();
        emit(' ');
      } else if (c2 === '_') {
        flush();
        emit('-');
      } else if (c2 === '\n' || c2 === '\r') {
        flush();
        emit('\n');
      } else if (c2 === '\t') {
        flush();
        emit('\t');
      }
      continue;
    }
    // plain text
    if (ch === 0x0d || ch === 0x0a) {
      i++;
      continue;
    }
    if (!skipFallback && st.bucket !== 'objdata' && st.bucket !== 'skip' && st.bucket !== 'fonttbl') {
      // a run of literal text at once
      let j = i + 1;
      while (j < n) {
        const c = src.charCodeAt(j);
        if (c === 0x5c || c === 0x7b || c === 0x7d || c === 0x0d || c === 0x0a) break;
        j++;
      }
      st.first = false;
      const cp = cpNow();
      if (bytesBuf.length && cp !== bytesCp) flush();
      bytesCp = cp;
      for (let k = i; k < j; k++) bytesBuf.push(src.charCodeAt(k));
      i = j;
      continue;
    }
    i++;
    st.first = false;
    if (st.bucket === 'objdata') {
      objHex.push(String.fromCharCode(ch));
      continue;
    }
    if (st.bucket === 'skip' || st.bucket === 'fonttbl') continue;
    if (skipFallback) {
      skipFallback--;
      continue;
    }
    addByte(ch);
  }
  flush();
  const label = codepageLabel(ansiCp);
  if (label) ctx.meta.encoding = label;
  ctx.part('body', out.body!.join(''));
  ctx.part('headers', out.headers!.join(''));
  ctx.part('footnotes', out.footnotes!.join(''));
  ctx.part('comments', out.comments!.join(''));
  ctx.part('properties', out.properties!.join('').replace(/\n{2,}/g, '\n'));
}

/** OLE1 object (RTF `\objdata`): header, class/topic/item names, then the native data (often an OLE file). */
function ole1Native(b: Uint8Array): Uint8Array | null {
  let p = 8; // OLEVersion, FormatID
  for (let k = 0; k < 3; k++) {
    const len = u32(b, p);
    if (len > 4096) return null;
    p += 4 + len;
  }
  const size = u32(b, p);
  p += 4;
  if (size === 0 || p + size > b.length) return null;
  return b.subarray(p, p + size);
}
