/**
 * OpenDocument (.odt/.ods/.odp and templates): content.xml (body; sheets by name; slides and
 * their notes), styles.xml (master-page headers and footers), meta.xml (title, subject, keywords,
 * user-defined fields). Tracked deletions → `content.xml#deleted`, annotations → `…#comments`.
 */
import type { Ctx } from './context.js';
import type { DocFormat } from './types.js';
import { readXml } from './ooxml.js';
import { attr, elementTexts, scanXml } from './xml.js';
import type { Zip } from './zip.js';

/**
 * Walks ODF XML; text goes to named buckets (in first-seen order): `defaultName`, `sheet:NAME`,
 * `slide:N`, `notes:N`, `${defaultName}#deleted`, `${defaultName}#comments`.
 */
export function odfText(xml: string, defaultName: string): Map<string, string> {
  const buckets = new Map<string, string[]>();
  const targets: string[] = [defaultName];
  const pushed: boolean[] = []; // per open element: did it push a target
  let skip = 0;
  let page = 0;
  const put = (s: string): void => {
    const k = targets[targets.length - 1]!;
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(s);
  };
  scanXml(xml, {
    open(name, a, self) {
      if (skip) {
        skip++;
        pushed.push(false);
        return;
      }
      let target: string | undefined;
      switch (name) {
        case 'text:s': {
          const c = Math.min(100, parseInt(attr(a, 'text:c') ?? '1', 10) || 1);
          put(' '.repeat(c));
          break;
        }
        case 'text:tab':
          put('\t');
          break;
        case 'text:line-break':
          put('\n');
          break;
        case 'text:note-citation':
        case 'office:binary-data':
        case 'dc:creator':
        case 'dc:date':
        case 'meta:creator-initials':
        case 'text:sequence-decls':
          if (!self) skip = 1;
          break;
        case 'table:table':
          if (defaultName === 'content.xml#sheets') target = `sheet:${attr(a, 'table:name') ?? '?'}`;
          break;
        case 'draw:page':
          if (defaultName === 'content.xml#slides') target = `slide:${++page}`;
          break;
        case 'presentation:notes':
          if (page > 0) target = `notes:${page}`;
          break;
        case 'text:tracked-changes':
          target = `${targets[0]}#deleted`;
          break;
        case 'office:annotation':
          target = `${targets[0]}#comments`;
          break;
      }
      if (skip || self) {
        pushed.push(false);
        return;
      }
      if (target) targets.push(target);
      pushed.push(target !== undefined);
    },
    close(name) {
      const p = pushed.pop();
      if (skip) {
        skip--;
        return;
      }
      if (p) targets.pop();
      if (name === 'text:p' || name === 'text:h') put('\n');
    },
    text(t) {
      if (!skip && (t.trim() || t.includes(' '))) put(t);
    },
  });
  const out = new Map<string, string>();
  for (const [k, v] of buckets) out.set(k, v.join(''));
  return out;
}

export function extractOdf(zip: Zip, ctx: Ctx, format: DocFormat): void {
  const content = readXml(zip, 'content.xml');
  if (content === undefined) ctx.gap('corrupt', 'no content.xml in the OpenDocument package');
  else {
    const def = format === 'ods' ? 'content.xml#sheets' : format === 'odp' ? 'content.xml#slides' : 'content.xml';
    const parts = odfText(content, def);
    if (format === 'ods') {
      const names = [...parts.keys()].filter((k) => k.startsWith('sheet:')).map((k) => k.slice(6));
      ctx.part('sheet-names', names.join('\n'));
      ctx.meta.pages = names.length;
    }
    if (format === 'odp') ctx.meta.pages = [...parts.keys()].filter((k) => k.startsWith('slide:')).length;
    for (const [k, v] of parts) ctx.part(k.startsWith('content.xml#sheets') || k.startsWith('content.xml#slides') ? k.replace(/#(sheets|slides)/, '') : k, v);
  }
  ctx.check();
  const styles = readXml(zip, 'styles.xml');
  if (styles) for (const [k, v] of odfText(styles, 'styles.xml')) ctx.part(k, v);
  const meta = readXml(zip, 'meta.xml');
  if (meta) {
    const lines: string[] = [];
    for (const k of ['title', 'subject', 'keyword', 'description']) for (const v of elementTexts(meta, k)) if (v.trim()) lines.push(`${k}: ${v.trim()}`);
    let udName: string | undefined;
    let buf = '';
    scanXml(meta, {
      open(name, a, self) {
        if (name === 'meta:user-defined') {
          udName = attr(a, 'meta:name');
          buf = '';
          if (self) udName = undefined;
        }
      },
      close(name) {
        if (name === 'meta:user-defined' && udName !== undefined) {
          if (buf.trim()) lines.push(`${udName}: ${buf.trim()}`);
          udName = undefined;
        }
      },
      text(t) {
        if (udName !== undefined) buf += t;
      },
    });
    const gen = elementTexts(meta, 'generator')[0];
    if (gen) ctx.meta.producer = gen.trim();
    ctx.part('properties', lines.join('\n'));
  }
  // embedded objects: "Object 1/content.xml" are sub-documents; other files (OLE, pictures) are members
  for (const e of zip.entries) {
    if (e.isDir) continue;
    if (/^Object \d+\/content\.xml$/i.test(e.name)) {
      const x = readXml(zip, e.name);
      if (x) for (const [k, v] of odfText(x, e.name)) ctx.part(k, v);
    } else if (/^(ObjectReplacements\/|Pictures\/|Thumbnails\/|Configurations2\/|META-INF\/)/i.test(e.name)) continue;
    else if (/^Object \d+$/i.test(e.name) || /\.(bin|ole|docx?|xlsx?|pptx?|pdf|zip)$/i.test(e.name)) {
      if (!ctx.countMember()) return;
      const b = zip.read(e);
      if (b && b.length) ctx.embed(e.name, b);
    }
  }
}
