/**
 * OFD (GB/T 33190-2016): a zip of XML. OFD.xml → DocBody → DocRoot (Document.xml) → Pages →
 * each page's Content.xml; text lives in `ofd:TextCode` elements grouped in `ofd:TextObject`s.
 *
 * Per page: `page:N` holds one line per visual line (TextObjects whose baselines agree are joined
 * without a separator, since producers split words, even single characters, across objects), and
 * `page:N#joined` all the page's text with no separator at all (a marking split over objects in any
 * layout is still contiguous there). Annotations (incl. watermarks) → `annot:N`; template pages →
 * `template:ID`; DocInfo and CustomData → `properties`; attachments → embedded. Any other XML
 * member holding TextCode that the structure did not reach is read too (named by its path).
 */
import type { Ctx } from './context.js';
import { dirOf, readXml, resolvePath } from './ooxml.js';
import { attr, elementTexts, local, scanXml } from './xml.js';
import type { Zip } from './zip.js';

interface TextObj {
  text: string;
  /** Baseline estimate (boundary top + first TextCode Y) and font size, for line grouping. */
  y: number;
  x: number;
  size: number;
  ctm: boolean;
}

/** TextObjects of one OFD content / annotation / template XML. */
export function ofdTextObjects(xml: string): TextObj[] {
  const objs: TextObj[] = [];
  let cur: TextObj | null = null;
  let depth = 0; // TextObject nesting (should be 1)
  let inCode = false;
  let codeY = NaN;
  let codeX = NaN;
  let bx = 0;
  let by = 0;
  scanXml(xml, {
    open(name, a, self) {
      const l = local(name);
      if (l === 'TextObject') {
        if (self) return;
        depth++;
        if (depth === 1) {
          const b = (attr(a, 'Boundary') ?? '').trim().split(/\s+/).map(Number);
          bx = b[0] ?? 0;
          by = b[1] ?? 0;
          const size = Number(attr(a, 'Size') ?? '0') || 0;
          cur = { text: '', y: by, x: bx, size, ctm: attr(a, 'CTM') !== undefined };
          codeY = NaN;
          codeX = NaN;
        }
      } else if (l === 'TextCode' && cur && !self) {
        inCode = true;
        if (Number.isNaN(codeY)) {
          codeY = Number(attr(a, 'Y') ?? '0') || 0;
          codeX = Number(attr(a, 'X') ?? '0') || 0;
          cur.y = by + codeY;
          cur.x = bx + codeX;
        }
      }
    },
    close(name) {
      const l = local(name);
      if (l === 'TextCode') inCode = false;
      else if (l === 'TextObject' && depth > 0) {
        depth--;
        if (depth === 0 && cur) {
          if (cur.text) objs.push(cur);
          cur = null;
        }
      }
    },
    text(t) {
      if (inCode && cur) cur.text += t;
    },
  });
  return objs;
}

/** Lines from TextObjects: consecutive objects on the same baseline join with no separator. */
export function ofdLines(objs: TextObj[]): string {
  const lines: string[] = [];
  let line = '';
  let prev: TextObj | undefined;
  for (const o of objs) {
    if (prev && !o.ctm && !prev.ctm && Math.abs(o.y - prev.y) <= Math.max(0.5, 0.4 * Math.max(o.size, prev.size)) && o.x >= prev.x) {
      line += o.text;
    } else {
      if (prev) lines.push(line);
      line = o.text;
    }
    prev = o;
  }
  if (prev) lines.push(line);
  return lines.join('\n');
}

function pathAttrOrText(xml: string, elem: string, attrName: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let buf = '';
  scanXml(xml, {
    open(name, a, self) {
      if (local(name) !== elem) return;
      const v = attr(a, attrName);
      if (v) out.push(v);
      else if (!self) {
        depth++;
        buf = '';
      }
    },
    close(name) {
      if (local(name) === elem && depth > 0) {
        depth--;
        if (buf.trim()) out.push(buf.trim());
      }
    },
    text(t) {
      if (depth) buf += t;
    },
  });
  return out;
}

export function extractOfd(zip: Zip, ctx: Ctx): void {
  const visited = new Set<string>();
  const lookup = (base: string, target: string): string | undefined => {
    const t = target.trim();
    if (!t) return undefined;
    for (const cand of [resolvePath(base, t), resolvePath('', t)]) {
      const e = zip.get(cand);
      if (e) return e.name;
    }
    return undefined;
  };
  const ofdXml = readXml(zip, 'OFD.xml');
  if (ofdXml === undefined) {
    ctx.gap('corrupt', 'OFD.xml missing or unreadable');
  }
  const props: string[] = [];
  const docRoots: string[] = [];
  if (ofdXml) {
    for (const k of ['Title', 'Author', 'Subject', 'Abstract', 'Keyword', 'DocUsage']) {
      for (const v of elementTexts(ofdXml, k)) if (v.trim()) props.push(`${k}: ${v.trim()}`);
    }
    let cdName: string | undefined;
    let buf = '';
    scanXml(ofdXml, {
      open(name, a) {
        if (local(name) === 'CustomData') {
          cdName = attr(a, 'Name') ?? '';
          buf = '';
        }
      },
      close(name) {
        if (local(name) === 'CustomData' && cdName !== undefined) {
          if (buf.trim()) props.push(`${cdName}: ${buf.trim()}`);
          cdName = undefined;
        }
      },
      text(t) {
        if (cdName !== undefined) buf += t;
      },
    });
    const creator = elementTexts(ofdXml, 'Creator')[0]?.trim();
    const ver = elementTexts(ofdXml, 'CreatorVersion')[0]?.trim();
    if (creator) ctx.meta.producer = ver ? `${creator} ${ver}` : creator;
    for (const r of elementTexts(ofdXml, 'DocRoot')) {
      const p = lookup('', r);
      if (p) docRoots.push(p);
      else ctx.gap('corrupt', `DocRoot ${r.trim()} not found in the package`);
    }
  }
  if (props.length) ctx.part('properties', props.join('\n'));
  if (!docRoots.length) {
    const guess = zip.entries.find((e) => /^Doc_\d+\/Document\.xml$/i.test(e.name));
    if (guess) docRoots.push(guess.name);
  }
  let pageNo = 0;
  const multiDoc = docRoots.length > 1;
  docRoots.forEach((docPath, di) => {
    visited.add(docPath);
    const docXml = readXml(zip, docPath);
    if (!docXml) return;
    const docDir = dirOf(docPath);
    const prefix = multiDoc ? `doc:${di + 1}:` : '';
    // pages, in order
    const pageIdToNo = new Map<string, number>();
    const pages: string[] = [];
    scanXml(docXml, {
      open(name, a) {
        if (local(name) !== 'Page') return;
        const loc = attr(a, 'BaseLoc');
        if (!loc) return;
        pages.push(loc);
        const id = attr(a, 'ID');
        if (id) pageIdToNo.set(id, pages.length);
      },
      close() {},
      text() {},
    });
    for (const loc of pages) {
      ctx.check();
      pageNo++;
      const p = lookup(docDir, loc);
      if (!p) {
        ctx.gap('corrupt', `page ${loc} not found in the package`, `${prefix}page:${pageNo}`);
        continue;
      }
      visited.add(p);
      const xml = readXml(zip, p);
      if (!xml) continue;
      const objs = ofdTextObjects(xml);
      ctx.part(`${prefix}page:${pageNo}`, ofdLines(objs));
      if (objs.length > 1) ctx.part(`${prefix}page:${pageNo}#joined`, objs.map((o) => o.text).join(''));
    }
    ctx.meta.pages = pageNo;
    // template pages (background text: letterheads, watermarks)
    const tpls: Array<{ id: string; loc: string }> = [];
    scanXml(docXml, {
      open(name, a) {
        if (local(name) !== 'TemplatePage') return;
        const loc = attr(a, 'BaseLoc');
        if (loc) tpls.push({ id: attr(a, 'ID') ?? String(tpls.length + 1), loc });
      },
      close() {},
      text() {},
    });
    for (const t of tpls) {
      const p = lookup(docDir, t.loc);
      if (!p || visited.has(p)) continue;
      visited.add(p);
      const xml = readXml(zip, p);
      if (xml) ctx.part(`${prefix}template:${t.id}`, ofdLines(ofdTextObjects(xml)));
    }
    // annotations
    for (const annLoc of pathAttrOrText(docXml, 'Annotations', '__none__')) {
      const ap = lookup(docDir, annLoc);
      if (!ap) continue;
      visited.add(ap);
      const annXml = readXml(zip, ap);
      if (!annXml) continue;
      const annDir = dirOf(ap);
      let pageId = '';
      const files: Array<{ page: string; loc: string }> = [];
      let inLoc = false;
      let buf = '';
      scanXml(annXml, {
        open(name, a) {
          const l = local(name);
          if (l === 'Page') pageId = attr(a, 'PageID') ?? '';
          else if (l === 'FileLoc') {
            inLoc = true;
            buf = '';
          }
        },
        close(name) {
          if (local(name) === 'FileLoc') {
            inLoc = false;
            files.push({ page: pageId, loc: buf.trim() });
          }
        },
        text(t) {
          if (inLoc) buf += t;
        },
      });
      for (const f of files) {
        const p = lookup(annDir, f.loc) ?? lookup(docDir, f.loc);
        if (!p || visited.has(p)) continue;
        visited.add(p);
        const xml = readXml(zip, p);
        if (!xml) continue;
        const n = pageIdToNo.get(f.page);
        ctx.part(`${prefix}annot:${n ?? f.page}`, ofdLines(ofdTextObjects(xml)));
      }
    }
    // attachments
    for (const attLoc of pathAttrOrText(docXml, 'Attachments', '__none__')) {
      const ap = lookup(docDir, attLoc);
      if (!ap) continue;
      visited.add(ap);
      const attXml = readXml(zip, ap);
      if (!attXml) continue;
      const attDir = dirOf(ap);
      for (const loc of elementTexts(attXml, 'FileLoc')) {
        const p = lookup(attDir, loc) ?? lookup(docDir, loc);
        if (!p) continue;
        if (!ctx.countMember()) break;
        const b = zip.readPath(p);
        if (b && b.length) ctx.embed(p, b);
      }
    }
  });
  // sweep: any XML with TextCode not reached through the structure
  for (const e of zip.entries) {
    if (e.isDir || !/\.xml$/i.test(e.name) || visited.has(e.name)) continue;
    if (!/(Content|Annot[^/]*|Page[^/]*)\.xml$/i.test(e.name) && e.size > 1_000_000) continue;
    ctx.check();
    const xml = readXml(zip, e.name);
    if (!xml || xml.indexOf('TextCode') < 0) continue;
    ctx.part(e.name, ofdLines(ofdTextObjects(xml)));
  }
}
