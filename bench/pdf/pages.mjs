// Per-page comparison of two builds of baomi's PDF extractor (issue 13 item 5: before pdf.js is
// replaced, the new engine must return, on every page of every PDF, a superset of the CJK
// characters the old one returned).
//
//   node bench/pdf/pages.mjs dump --dist dist --out /tmp/old.json FILE_OR_DIR...   # pages of each PDF, as extractText returns them
//   node bench/pdf/pages.mjs compare /tmp/old.json /tmp/new.json                  # exit 1 when a page lost a CJK character
//
// `dump` walks the folders given for *.pdf and writes { file: { pages: [text…], gaps: [...] } }.
// `compare` prints, per file, pages whose CJK set (Han, kana, CJK punctuation) is not a superset
// of the old one, pages that had text and have none, and the characters found only by the new one.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};

function listPdfs(p, out = []) {
  const st = statSync(p);
  if (st.isFile()) {
    if (/\.pdf$/i.test(p)) out.push(p);
    return out;
  }
  for (const e of readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory() || e.isFile()) listPdfs(join(p, e.name), out);
  }
  return out;
}

const CJK = /[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/gu;
const cjkSet = (s) => new Set(s.match(CJK) ?? []);

async function dump() {
  const dist = resolve(opt('dist', 'dist'));
  const out = opt('out', '/tmp/pdf-pages.json');
  const { extractText } = await import(pathToFileURL(join(dist, 'formats/docs/index.js')).href);
  const files = args.slice(1).flatMap((p) => listPdfs(p));
  const res = {};
  for (const f of files) {
    const r = await extractText(new Uint8Array(readFileSync(f)), { name: 'x.pdf', fileNamePart: false });
    const pages = [];
    const other = {};
    for (const p of r.parts) {
      const m = /^page:(\d+)$/.exec(p.name);
      if (m) pages[Number(m[1]) - 1] = p.text;
      else other[p.name] = p.text;
    }
    for (let i = 0; i < (r.meta?.pages ?? pages.length); i++) pages[i] ??= '';
    res[f] = { pages, other, gaps: r.gaps.map((g) => `${g.kind}${g.part ? `(${g.part})` : ''}: ${g.reason}`) };
  }
  writeFileSync(out, JSON.stringify(res, null, 1));
  console.log(`${files.length} PDFs → ${out}`);
}

function compare() {
  const [oldF, newF] = args.slice(1);
  const a = JSON.parse(readFileSync(oldF, 'utf8'));
  const b = JSON.parse(readFileSync(newF, 'utf8'));
  let files = 0;
  let pages = 0;
  let oldChars = 0;
  let lost = 0;
  let gained = 0;
  let bad = 0;
  for (const [file, o] of Object.entries(a)) {
    files++;
    const n = b[file];
    if (!n) {
      console.log(`MISSING ${file}`);
      bad++;
      continue;
    }
    const problems = [];
    const extra = [];
    if (o.pages.length !== n.pages.length) problems.push(`pages ${o.pages.length} → ${n.pages.length}`);
    for (let i = 0; i < o.pages.length; i++) {
      pages++;
      const os = cjkSet(o.pages[i] ?? '');
      const ns = cjkSet(n.pages[i] ?? '');
      oldChars += os.size;
      const miss = [...os].filter((c) => !ns.has(c));
      const more = [...ns].filter((c) => !os.has(c));
      lost += miss.length;
      gained += more.length;
      if (miss.length) problems.push(`page ${i + 1}: lost ${miss.length} of ${os.size} (${miss.slice(0, 20).join('')})`);
      if (/\S/.test(o.pages[i] ?? '') && !/\S/.test(n.pages[i] ?? '')) problems.push(`page ${i + 1}: text → none`);
      if (more.length) extra.push(`page ${i + 1}: +${more.length} (${more.slice(0, 20).join('')})`);
    }
    const og = o.gaps.map((g) => g.split(':')[0]).sort().join(',');
    const ng = n.gaps.map((g) => g.split(':')[0]).sort().join(',');
    if (og !== ng) extra.push(`gaps [${og}] → [${ng}]`);
    if (problems.length) bad++;
    if (problems.length || extra.length) console.log(`${problems.length ? 'WORSE' : 'note '} ${file}\n   ${[...problems, ...extra].join('\n   ')}`);
  }
  console.log(`\n${files} PDFs, ${pages} pages, ${oldChars} distinct CJK characters per page in the old output: lost ${lost}, gained ${gained}; files with a page not a superset: ${bad}`);
  process.exitCode = bad ? 1 : 0;
}

if (args[0] === 'dump') await dump();
else if (args[0] === 'compare') compare();
else {
  console.error('usage: pages.mjs dump --dist DIR --out FILE PATH… | compare OLD.json NEW.json');
  process.exitCode = 2;
}
