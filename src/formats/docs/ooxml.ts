/**
 * OOXML (.docx/.docm/.dotx, .xlsx/.xlsm, .pptx/.pptm; also WPS files saved as OOXML).
 *
 * Word: text joined across runs within a paragraph (proofing marks, bookmarks and run properties
 * are simply not text), paragraphs → newline, `w:tab` → tab, `w:br`/`w:cr` → newline; tracked
 * deletions (`w:delText`, `w:moveFrom`) go to a `#deleted` part; text boxes (`w:txbxContent` from
 * VML `v:textbox` or DrawingML `wps:txbx`) to a `#textboxes` part, once (the `mc:Fallback` copy of
 * an `mc:AlternateContent` is skipped); VML WordArt (`v:textpath string=…`, how Word writes
 * watermarks) is text. Field instructions (`w:instrText`) are dropped, field results kept.
 */
import type { Ctx } from './context.js';
import { attr, decodeXmlBytes, elementTexts, local, scanXml } from './xml.js';
import type { Zip } from './zip.js';

/** Reads a member as XML text; undefined when absent or unreadable. */
export function readXml(zip: Zip, path: string): string | undefined {
  const b = zip.readPath(path);
  return b ? decodeXmlBytes(b) : undefined;
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** Resolves a relationship / OFD target against a base directory ('a/b/'), normalising '..'. */
export function resolvePath(baseDir: string, target: string): string {
  const t = target.replace(/\\/g, '/');
  const joined = t.startsWith('/') ? t.slice(1) : baseDir + t;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

export interface Rel {
  id: string;
  type: string;
  target: string;
}

/** Relationships of a part (`word/document.xml` → `word/_rels/document.xml.rels`), targets resolved. */
export function readRels(zip: Zip, partPath: string): Rel[] {
  const dir = dirOf(partPath);
  const base = partPath.slice(dir.length);
  const xml = readXml(zip, `${dir}_rels/${base}.rels`);
  if (!xml) return [];
  const rels: Rel[] = [];
  scanXml(xml, {
    open(name, a) {
      if (local(name) !== 'Relationship') return;
      const id = attr(a, 'Id');
      const target = attr(a, 'Target');
      if (!id || !target || attr(a, 'TargetMode') === 'External') return;
      rels.push({ id, type: attr(a, 'Type') ?? '', target: resolvePath(dir, target) });
    },
    close() {},
    text() {},
  });
  return rels;
}

// ---------------------------------------------------------------- WordprocessingML

export interface WordText {
  main: string;
  deleted: string;
  textboxes: string;
}

/** Text of one WordprocessingML part (document, header, footer, footnotes, comments, …). */
export function wordText(xml: string): WordText {
  const main: string[] = [];
  const deleted: string[] = [];
  const boxes: string[] = [];
  const stack: string[] = [];
  /** Output targets: main, or a text box being read (nested boxes flatten into the outer box). */
  const targets: string[][] = [main];
  let boxDepth = 0;
  let skipAt = -1; // depth at which a skipped subtree started
  let textMode = 0; // 1 = w:t, 2 = deleted text
  let delDepth = 0; // inside w:del / w:moveFrom
  let delSincePara = false;
  const alt: boolean[] = []; // per mc:AlternateContent: a Choice was taken

  const out = (): string[] => targets[targets.length - 1]!;

  scanXml(xml, {
    open(name, attrs, self) {
      if (skipAt >= 0) {
        if (!self) stack.push(name);
        return;
      }
      const l = local(name);
      const parent = stack.length ? local(stack[stack.length - 1]!) : '';
      switch (l) {
        case 't':
          textMode = delDepth > 0 ? 2 : 1;
          break;
        case 'delText':
          textMode = 2;
          break;
        case 'instrText':
        case 'delInstrText':
          textMode = 0;
          break;
        case 'tab':
          if (parent === 'r') out().push('\t');
          break;
        case 'br':
        case 'cr':
          if (parent === 'r') out().push('\n');
          break;
        case 'noBreakHyphen':
          out().push('-');
          break;
        case 'del':
        case 'moveFrom':
          if (!self) delDepth++;
          break;
        case 'txbxContent':
          if (!self) {
            boxDepth++;
            if (boxDepth === 1) targets.push(boxes);
          }
          break;
        case 'textpath': {
          const s = attr(attrs, 'string');
          if (s) out().push(`\n${s}\n`);
          break;
        }
        case 'AlternateContent':
          if (!self) alt.push(false);
          break;
        case 'Choice':
          if (alt.length && alt[alt.length - 1]) skipAt = stack.length;
          else if (alt.length) alt[alt.length - 1] = true;
          break;
        case 'Fallback':
          if (alt.length && alt[alt.length - 1]) skipAt = stack.length;
          break;
      }
      if (!self) stack.push(name);
    },
    close(name) {
      if (skipAt >= 0) {
        stack.pop();
        if (stack.length === skipAt) skipAt = -1;
        return;
      }
      stack.pop();
      const l = local(name);
      switch (l) {
        case 't':
        case 'delText':
        case 'instrText':
        case 'delInstrText':
          textMode = 0;
          break;
        case 'p':
          out().push('\n');
          if (delSincePara) {
            deleted.push('\n');
            delSincePara = false;
          }
          break;
        case 'del':
        case 'moveFrom':
          if (delDepth > 0) delDepth--;
          break;
        case 'txbxContent':
          if (boxDepth > 0) {
            boxDepth--;
            if (boxDepth === 0) targets.pop();
          }
          break;
        case 'AlternateContent':
          alt.pop();
          break;
      }
    },
    text(t) {
      if (skipAt >= 0 || textMode === 0) return;
      if (textMode === 2) {
        deleted.push(t);
        delSincePara = true;
      } else out().push(t);
    },
  });
  return { main: main.join(''), deleted: deleted.join(''), textboxes: boxes.join('') };
}

/** Text of DrawingML (slides, charts, SmartArt data, spreadsheet drawings): `a:p` → line. */
export function drawingText(xml: string): string {
  const out: string[] = [];
  let inT = 0;
  let skip = 0;
  scanXml(xml, {
    open(name, _a, self) {
      const l = local(name);
      if (self) {
        if (l === 'br') out.push('\n');
        return;
      }
      if (l === 't') inT++;
      else if (l === 'rPh') skip++; // phonetic guide in shared strings
    },
    close(name) {
      const l = local(name);
      if (l === 't') inT = Math.max(0, inT - 1);
      else if (l === 'rPh') skip = Math.max(0, skip - 1);
      else if (l === 'p' || l === 'si' || l === 'comment' || l === 'cm' || l === 'tc') out.push('\n');
    },
    text(t) {
      if (inT > 0 && skip === 0) out.push(t);
    },
  });
  return out.join('');
}

// ---------------------------------------------------------------- properties

/** docProps/core.xml, app.xml, custom.xml → a `properties` part; the producer → meta. */
export function ooxmlProperties(zip: Zip, ctx: Ctx): void {
  const lines: string[] = [];
  const core = readXml(zip, 'docProps/core.xml');
  if (core) {
    for (const k of ['title', 'subject', 'keywords', 'description', 'category', 'contentStatus', 'creator', 'lastModifiedBy']) {
      for (const v of elementTexts(core, k)) if (v.trim()) lines.push(`${k}: ${v.trim()}`);
    }
  }
  const app = readXml(zip, 'docProps/app.xml');
  if (app) {
    const application = elementTexts(app, 'Application')[0]?.trim();
    const version = elementTexts(app, 'AppVersion')[0]?.trim();
    if (application) ctx.meta.producer = version ? `${application} ${version}` : application;
    for (const k of ['Company', 'Manager']) {
      for (const v of elementTexts(app, k)) if (v.trim()) lines.push(`${k}: ${v.trim()}`);
    }
  }
  const custom = readXml(zip, 'docProps/custom.xml');
  if (custom) {
    let current: string | undefined;
    let buf = '';
    let depth = 0;
    scanXml(custom, {
      open(name, a, self) {
        if (local(name) === 'property') {
          current = attr(a, 'name');
          buf = '';
          depth = 0;
        } else if (current !== undefined && !self) depth++;
      },
      close(name) {
        if (local(name) === 'property') {
          if (current !== undefined && buf.trim()) lines.push(`${current}: ${buf.trim()}`);
          current = undefined;
        } else if (depth > 0) depth--;
      },
      text(t) {
        if (current !== undefined && depth > 0) buf += t;
      },
    });
  }
  if (lines.length) ctx.part('properties', lines.join('\n'));
}

/** Members under `…/embeddings/` (and OLE objects elsewhere) → ctx.embedded. */
export function ooxmlEmbeddings(zip: Zip, ctx: Ctx): void {
  for (const e of zip.entries) {
    if (e.isDir) continue;
    const n = e.name.replace(/\\/g, '/');
    if (!/(^|\/)embeddings\//i.test(n)) continue;
    if (!ctx.countMember()) return;
    const b = zip.read(e);
    if (b && b.length) ctx.embed(n, b);
  }
}

// ---------------------------------------------------------------- docx

const WORD_SKIP = /^word\/(styles|stylesWithEffects|settings|fontTable|webSettings|numbering|people|commentsExtended|commentsIds|commentsExtensible)\.xml$/i;

function wordOrder(path: string): number {
  const p = path.toLowerCase();
  if (/^word\/document\d*\.xml$/.test(p)) return 0;
  if (/^word\/header\d*\.xml$/.test(p)) return 1;
  if (/^word\/footer\d*\.xml$/.test(p)) return 2;
  if (/^word\/footnotes\.xml$/.test(p)) return 3;
  if (/^word\/endnotes\.xml$/.test(p)) return 4;
  if (/^word\/comments\.xml$/.test(p)) return 5;
  if (/^word\/glossary\//.test(p)) return 6;
  return 7;
}

function numKey(path: string): number {
  const m = /(\d+)\.xml$/i.exec(path);
  return m ? parseInt(m[1]!, 10) : 0;
}

export function extractDocx(zip: Zip, ctx: Ctx): void {
  const paths = zip.entries
    .map((e) => e.name.replace(/\\/g, '/'))
    .filter((n) => /^word\/.*\.xml$/i.test(n) && !/\/_rels\//.test(n) && !/^word\/theme\//i.test(n) && !WORD_SKIP.test(n))
    .sort((a, b) => wordOrder(a) - wordOrder(b) || numKey(a) - numKey(b) || a.localeCompare(b));
  if (!paths.some((p) => wordOrder(p) === 0)) ctx.gap('corrupt', 'no main document part (word/document.xml) in the package');
  for (const path of paths) {
    ctx.check();
    const xml = readXml(zip, path);
    if (xml === undefined) continue;
    const order = wordOrder(path);
    if (order === 7 && /^word\/(charts|diagrams)\//i.test(path)) {
      ctx.part(path, drawingText(xml));
      continue;
    }
    const w = wordText(xml);
    ctx.part(path, w.main);
    ctx.part(`${path}#textboxes`, w.textboxes);
    ctx.part(`${path}#deleted`, w.deleted);
  }
  ooxmlProperties(zip, ctx);
  ooxmlEmbeddings(zip, ctx);
}

// ---------------------------------------------------------------- xlsx

/** Strips header/footer codes: &L &C &R → tab, &P &N &D &T &F &A &Z &G, fonts &"…", sizes &12, colours &K…, && → &. */
export function stripHeaderFooterCodes(s: string): string {
  return s
    .replace(/&&/g, '\u0000')
    .replace(/&[LCR]/g, '\t')
    .replace(/&"[^"]*"/g, '')
    .replace(/&K(?:[0-9A-Fa-f]{6}|\d{2}[+-]\d{3})/g, '')
    .replace(/&\d+/g, '')
    .replace(/&[PNDTFAZGBIUESXYHO]/g, '')
    .replace(/\u0000/g, '&')
    .replace(/^\t+/, '');
}

interface SheetRef {
  name: string;
  path: string | undefined;
}

export function extractXlsx(zip: Zip, ctx: Ctx): void {
  const wbPath = zip.get('xl/workbook.xml') ? 'xl/workbook.xml' : zip.entries.find((e) => /^xl\/workbook\d*\.xml$/i.test(e.name))?.name;
  const sheets: SheetRef[] = [];
  if (wbPath) {
    const rels = new Map(readRels(zip, wbPath).map((r) => [r.id, r.target]));
    const wb = readXml(zip, wbPath) ?? '';
    scanXml(wb, {
      open(name, a) {
        if (local(name) !== 'sheet') return;
        const n = attr(a, 'name') ?? '';
        const rid = attr(a, 'r:id') ?? attr(a, 'id');
        sheets.push({ name: n, path: rid ? rels.get(rid) : undefined });
      },
      close() {},
      text() {},
    });
  } else ctx.gap('corrupt', 'no workbook part (xl/workbook.xml) in the package');
  if (sheets.length) {
    ctx.part('sheet-names', sheets.map((s) => s.name).join('\n'));
    ctx.meta.pages = sheets.length;
  }
  // shared strings
  const sst: string[] = [];
  const sstPath = zip.entries.find((e) => /^xl\/sharedStrings\d*\.xml$/i.test(e.name))?.name;
  if (sstPath) {
    const xml = readXml(zip, sstPath);
    if (xml) {
      let cur: string[] | null = null;
      let inT = 0;
      let rph = 0;
      scanXml(xml, {
        open(name, _a, self) {
          const l = local(name);
          if (l === 'si') {
            cur = [];
            if (self) sst.push('');
          } else if (!self && l === 't') inT++;
          else if (!self && l === 'rPh') rph++;
        },
        close(name) {
          const l = local(name);
          if (l === 'si' && cur) {
            sst.push(cur.join(''));
            cur = null;
          } else if (l === 't') inT = Math.max(0, inT - 1);
          else if (l === 'rPh') rph = Math.max(0, rph - 1);
        },
        text(t) {
          if (cur && inT && !rph) cur.push(t);
        },
      });
    }
  }
  const used = new Uint8Array(sst.length);
  const seenPaths = new Set<string>();
  const allSheets = sheets.filter((s) => s.path);
  // worksheets not listed in the workbook (damaged file): read them too
  for (const e of zip.entries) {
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name) && !allSheets.some((s) => s.path === e.name)) allSheets.push({ name: e.name, path: e.name });
  }
  for (const sh of allSheets) {
    ctx.check();
    const path = sh.path!;
    if (seenPaths.has(path)) continue;
    seenPaths.add(path);
    const xml = readXml(zip, path);
    if (xml === undefined) continue;
    const lines: string[] = [];
    let row: string[] = [];
    let cellType = '';
    let inV = false;
    let inIsT = 0;
    let inIs = false;
    let val = '';
    const hf: string[] = [];
    let inHf = false;
    let hfBuf = '';
    scanXml(xml, {
      open(name, a, self) {
        const l = local(name);
        if (l === 'c') {
          cellType = attr(a, 't') ?? 'n';
          val = '';
        } else if (l === 'v' && !self) inV = true;
        else if (l === 'is' && !self) inIs = true;
        else if (l === 't' && inIs && !self) inIsT++;
        else if (/^(odd|even|first)(Header|Footer)$/.test(l) && !self) {
          inHf = true;
          hfBuf = '';
        }
      },
      close(name) {
        const l = local(name);
        if (l === 'v') inV = false;
        else if (l === 't') inIsT = Math.max(0, inIsT - 1);
        else if (l === 'is') inIs = false;
        else if (l === 'c') {
          if (cellType === 's') {
            const i = parseInt(val, 10);
            if (i >= 0 && i < sst.length) {
              row.push(sst[i]!);
              used[i] = 1;
            }
          } else if (cellType === 'inlineStr' || cellType === 'str') {
            if (val) row.push(val);
          }
          cellType = '';
        } else if (l === 'row') {
          if (row.length) lines.push(row.join('\t'));
          row = [];
        } else if (inHf && /^(odd|even|first)(Header|Footer)$/.test(l)) {
          inHf = false;
          const s = stripHeaderFooterCodes(hfBuf).trim();
          if (s) hf.push(s);
        }
      },
      text(t) {
        if (inHf) hfBuf += t;
        else if (inV || inIsT) val += t;
      },
    });
    if (row.length) lines.push(row.join('\t'));
    ctx.part(`sheet:${sh.name}`, lines.join('\n'));
    ctx.part(`header-footer:${sh.name}`, hf.join('\n'));
  }
  if (sst.length) {
    const unused: string[] = [];
    for (let i = 0; i < sst.length; i++) if (!used[i]) unused.push(sst[i]!);
    ctx.part(`${sstPath}#unreferenced`, unused.join('\n'));
  }
  // comments, threaded comments, drawings (text boxes), charts
  for (const e of zip.entries) {
    const n = e.name;
    if (/^xl\/(comments\d*\.xml|threadedComments\/[^/]+\.xml|drawings\/[^/]+\.xml|charts\/chart[^/]*\.xml)$/i.test(n)) {
      ctx.check();
      const xml = readXml(zip, n);
      if (xml) ctx.part(n, /threadedComments/i.test(n) ? elementTexts(xml, 'text').join('\n') : drawingText(xml));
    }
  }
  ooxmlProperties(zip, ctx);
  ooxmlEmbeddings(zip, ctx);
}

// ---------------------------------------------------------------- pptx

export function extractPptx(zip: Zip, ctx: Ctx): void {
  const presPath = zip.get('ppt/presentation.xml') ? 'ppt/presentation.xml' : undefined;
  let slides: string[] = [];
  if (presPath) {
    const rels = new Map(readRels(zip, presPath).map((r) => [r.id, r.target]));
    const xml = readXml(zip, presPath) ?? '';
    scanXml(xml, {
      open(name, a) {
        if (local(name) !== 'sldId') return;
        const rid = attr(a, 'r:id') ?? attr(a, 'id');
        const t = rid ? rels.get(rid) : undefined;
        if (t) slides.push(t);
      },
      close() {},
      text() {},
    });
  }
  const listed = new Set(slides);
  const extra = zip.entries
    .map((e) => e.name)
    .filter((n) => /^ppt\/slides\/[^/]+\.xml$/i.test(n) && !listed.has(n))
    .sort((a, b) => numKey(a) - numKey(b));
  if (!slides.length && !extra.length) ctx.gap('corrupt', 'no slides found in the presentation package');
  slides = [...slides, ...extra];
  ctx.meta.pages = slides.length;
  const notesSeen = new Set<string>();
  slides.forEach((path, i) => {
    ctx.check();
    const xml = readXml(zip, path);
    if (xml !== undefined) ctx.part(`slide:${i + 1}`, drawingText(xml));
    for (const r of readRels(zip, path)) {
      if (/\/notesSlide$/.test(r.type)) {
        notesSeen.add(r.target);
        const nx = readXml(zip, r.target);
        if (nx) ctx.part(`notes:${i + 1}`, drawingText(nx));
      } else if (/\/(chart|diagramData)$/.test(r.type)) {
        const cx = readXml(zip, r.target);
        if (cx) ctx.part(`slide:${i + 1}:${r.target}`, drawingText(cx));
      }
    }
  });
  for (const e of zip.entries) {
    const n = e.name;
    if (/^ppt\/notesSlides\/[^/]+\.xml$/i.test(n) && !notesSeen.has(n)) {
      const x = readXml(zip, n);
      if (x) ctx.part(n, drawingText(x));
    } else if (/^ppt\/comments\/[^/]+\.xml$/i.test(n)) {
      const x = readXml(zip, n);
      if (x) ctx.part(n, /modernComment/i.test(n) ? drawingText(x) : elementTexts(x, 'text').join('\n'));
    } else if (/^ppt\/(slideMasters|slideLayouts|notesMasters|handoutMasters)\/[^/]+\.xml$/i.test(n)) {
      const x = readXml(zip, n);
      if (x) ctx.part(n, drawingText(x));
    }
  }
  ooxmlProperties(zip, ctx);
  ooxmlEmbeddings(zip, ctx);
}
