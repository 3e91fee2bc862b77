// Document walk benchmark on a realistic office disk (issue 13 item 6): the tree of
// scripts/make-office-tree.py (≈ 21,000 files, 1.4 GB: user folders, WeChat and QQ file storage,
// a developer's repos, chat exports, mail, pictures, caches; ≥ 5,000 office/PDF/OFD documents with
// labelled markings and hard negatives). Scanned by the built `baomi scan` and, in the same run,
// by `rg -uuu` (Debian's ripgrep: plain bytes, no formats) on the whole tree and by poppler's
// `pdftotext` on its PDFs (one process per core, as bench/pdf/run.mjs). Reports files/s, MB/s, time
// per format (per-format hard-linked subtrees, each scan's fixed cost taken out), peak RSS, the
// ratios, and recall / false positives on the labels. Median of BAOMI_BENCH_RUNS (default 3) runs.
//
//   npm run bench -- docs                       # builds, generates the tree once (≈ 5 min), runs
//   BAOMI_BENCH_TREE=/path BAOMI_BENCH_RUNS=5 npm run bench -- docs
//   BAOMI_BENCH_FORMATS=0 npm run bench -- docs # whole tree and PDFs only, no per-format subtrees
//
// Scans run inside `unshare -rn` (no network) when it is available.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'baomi.js');
const GEN = join(ROOT, 'scripts', 'make-office-tree.py');
const TREE = process.env.BAOMI_BENCH_TREE ?? join(tmpdir(), 'baomi-office-tree');
const RUNS = Number(process.env.BAOMI_BENCH_RUNS ?? '3');
const PER_FORMAT = process.env.BAOMI_BENCH_FORMATS !== '0';
// The per-format subtrees together cost one more scan of the whole tree per run: on a loaded
// machine they can be measured in the first FORMAT_RUNS runs only (the PDF subtree included).
const FORMAT_RUNS = Number(process.env.BAOMI_BENCH_FORMAT_RUNS ?? String(RUNS));
const RULES = 'document-classified-marking,document-internal-marking';
const RULE_OF = (level) => (level === '工作秘密' || level === '内部' ? 'document-internal-marking' : 'document-classified-marking');

/** Format groups for the per-format subtrees (the generator's `format` of each file). */
const GROUPS = {
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  'odt/ods/odp': ['odt', 'ods', 'odp'],
  'doc (OLE)': ['doc'],
  'xls (OLE)': ['xls'],
  'ppt (OLE)': ['ppt'],
  rtf: ['rtf'],
  pdf: ['pdf'],
  ofd: ['ofd'],
  'zip of documents': ['zip'],
  'txt/csv/md/html/eml/chat': ['txt', 'csv', 'md', 'html', 'eml', 'chat'],
  'source, .git': ['source', 'git-object', 'system'],
  'pictures, caches, video, db, logs': ['image', 'wechat-dat', 'cache', 'database', 'video', 'log'],
};

const progress = (s) => process.stderr.write(`[bench docs] ${s}\n`);
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const NET = spawnSync('unshare', ['-rn', '--', 'true']).status === 0 ? ['unshare', '-rn', '--'] : [];

/** Generates the tree when missing or made by another version of the generator. */
function generate() {
  const stamp = createHash('sha256').update(readFileSync(GEN)).update(readFileSync(join(ROOT, 'scripts', 'make-bench-pdfs.py'))).digest('hex');
  const marker = `${TREE}.complete`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp && existsSync(`${TREE}.labels.json`)) return false;
  rmSync(marker, { force: true });
  const r = spawnSync('python3', [GEN, TREE], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${GEN} failed (${r.status ?? r.signal})`);
  writeFileSync(marker, stamp);
  return true;
}

/** A root holding only `files` (hard links: no copy). */
function subtree(name, files) {
  const t = `${TREE}-sub/${name.replace(/[^a-z0-9]+/gi, '_')}`;
  rmSync(t, { recursive: true, force: true });
  for (const f of files) {
    const q = join(t, f.path);
    mkdirSync(dirname(q), { recursive: true });
    linkSync(join(TREE, f.path), q);
  }
  mkdirSync(t, { recursive: true });
  return t;
}

function timed(argv) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { r, ms, rssMb: m ? Number(m[1]) / 1024 : NaN, cpu: m ? Number(m[2]) + Number(m[3]) : NaN };
}

function scan(root, out) {
  rmSync(out, { recursive: true, force: true });
  const { r, ms, rssMb, cpu } = timed([...NET, process.execPath, BIN, 'scan', '--root', root, '--out', out, '--profile', 'nonclassified', '--only', RULES, '--format', 'json']);
  const json = existsSync(out) ? readdirSync(out).find((f) => f.endsWith('.json')) : undefined;
  if (!json) throw new Error(`baomi scan ${root}: no report (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const report = JSON.parse(readFileSync(join(out, json), 'utf8'));
  // The walk itself (workers start, list, read, match), as the report times the probe.
  const walkMs = report.probes.find((p) => p.id === 'documents.markings')?.durationMs ?? ms;
  return { ms, walkMs, rssMb, cpu, report };
}

function rg(root) {
  const { r, ms, rssMb, cpu } = timed(['rg', '-uuu', '-c', '--no-messages', '(绝密|机密|秘密)\\s*[★☆*＊]|工作秘密|内部', root]);
  return { ms, rssMb, cpu, hits: r.stdout.split('\n').filter(Boolean).length };
}

/** poppler's pdftotext over `files`, `jobs` processes at once (one per core). */
function pdftotext(files, jobs) {
  return new Promise((resolve) => {
    let next = 0;
    let running = 0;
    let done = 0;
    let cpu = 0;
    let rss = 0;
    let errors = 0;
    const t0 = performance.now();
    const launch = () => {
      while (running < jobs && next < files.length) {
        const child = spawn('/usr/bin/time', ['-f', '%M %U %S', 'pdftotext', '-enc', 'UTF-8', files[next++], '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
        running++;
        const err = [];
        child.stderr.on('data', (c) => err.push(c));
        child.on('close', (code) => {
          const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(Buffer.concat(err).toString());
          if (m) {
            rss = Math.max(rss, Number(m[1]) / 1024);
            cpu += Number(m[2]) + Number(m[3]);
          }
          if (code) errors++;
          running--;
          if (++done === files.length) resolve({ ms: performance.now() - t0, cpu, rssMb: rss, errors });
          else launch();
        });
      }
    };
    launch();
  });
}

/** The median run by `key`; peak RSS the largest seen; every run's `key` kept. */
function median(runs, key = 'ms') {
  const s = [...runs].sort((a, b) => a[key] - b[key]);
  return { ...s[Math.floor(s.length / 2)], rssMb: Math.max(...runs.map((r) => r.rssMb)), runs: runs.map((r) => Math.round(r[key])) };
}

/** Recall and false positives of a report against the labels (per format, and in all). */
function score(report, labels) {
  const byPath = new Map(labels.map((l) => [l.path, l]));
  const got = new Map();
  for (const f of report.findings) {
    const p = f.evidence?.path;
    if (!got.has(p)) got.set(p, new Set());
    got.get(p).add(f.ruleId);
  }
  const per = {};
  const row = (k) => (per[k] ??= { positives: 0, found: 0, negatives: 0, fp: 0, missed: [], wrong: [] });
  for (const l of labels) {
    const r = row(l.format);
    const rules = got.get(l.path) ?? new Set();
    if (l.expected.length) {
      r.positives++;
      const want = new Set(l.expected.map(RULE_OF));
      if ([...want].every((w) => rules.has(w))) r.found++;
      else r.missed.push(`${l.path} (${l.expected.join('+')}; ${l.src})`);
      // a finding of a rule no label asks for is a false positive too
      for (const g of rules) if (!want.has(g)) { r.fp++; r.wrong.push(`${l.path} ${g}`); }
    } else {
      if (l.cls === 'hard-negative') r.negatives++;
      if (rules.size) { r.fp++; r.wrong.push(`${l.path} (${l.cls}; ${l.src})`); }
    }
  }
  for (const [p] of got) if (!byPath.has(p)) row('unlabelled').wrong.push(p), row('unlabelled').fp++;
  const all = Object.values(per).reduce((a, r) => ({ positives: a.positives + r.positives, found: a.found + r.found, negatives: a.negatives + r.negatives, fp: a.fp + r.fp, missed: [...a.missed, ...r.missed], wrong: [...a.wrong, ...r.wrong] }), { positives: 0, found: 0, negatives: 0, fp: 0, missed: [], wrong: [] });
  return { per, all };
}

export async function docsBench() {
  for (const [tool, pkg] of [['rg', 'ripgrep'], ['pdftotext', 'poppler-utils'], ['python3', 'python3']]) {
    if (spawnSync(tool, ['--version']).error) {
      console.log(`\ndocument walk: ${tool} not installed (apt-get install ${pkg}); skipped`);
      return;
    }
  }
  if (!existsSync('/usr/bin/time')) {
    console.log('\ndocument walk: /usr/bin/time not installed (apt-get install time); skipped');
    return;
  }
  const t0 = performance.now();
  const made = generate();
  const gen = (performance.now() - t0) / 1000;
  const labels = JSON.parse(readFileSync(`${TREE}.labels.json`, 'utf8'));
  const bytes = labels.reduce((s, l) => s + l.bytes, 0);
  const mb = bytes / 1e6;
  const files = labels.length;
  const docs = labels.filter((l) => !['source', 'git-object', 'system', 'image', 'wechat-dat', 'cache', 'database', 'video', 'log', 'chat'].includes(l.format));
  const office = docs.filter((l) => !['txt', 'csv', 'md', 'html', 'eml'].includes(l.format));
  const pdfs = labels.filter((l) => l.format === 'pdf');
  const pdfMb = pdfs.reduce((s, l) => s + l.bytes, 0) / 1e6;
  const jobs = Math.max(1, Math.min(2, cpus().length));
  const out = `${TREE}-out`; // beside the tree: two benches on two trees do not share it
  const emptyRoot = subtree('empty', []);
  const groups = Object.entries(GROUPS).map(([name, fmts]) => {
    const fs = labels.filter((l) => fmts.includes(l.format));
    return { name, files: fs, root: PER_FORMAT || name === 'pdf' ? subtree(name, fs) : undefined, bytes: fs.reduce((s, l) => s + l.bytes, 0) };
  });
  const pdfGroup = groups.find((g) => g.name === 'pdf');
  spawnSync('rg', ['-uuu', '-c', 'zzzzqqqq', TREE]); // page cache warm for every tool

  const whole = [];
  const rgWhole = [];
  const fixed = [];
  const per = new Map(groups.map((g) => [g.name, { baomi: [], rg: [] }]));
  const popplerRuns = [];
  for (let i = 0; i < RUNS; i++) {
    // interleaved, so load from others on a shared machine falls on every tool alike
    whole.push(scan(TREE, out));
    const s0 = score(whole[i].report, labels).all;
    progress(`run ${i + 1}/${RUNS}: baomi whole tree ${fmt(whole[i].ms / 1000, 1)} s, CPU ${fmt(whole[i].cpu, 1)} s, ${fmt(whole[i].rssMb)} MB; recall ${s0.found}/${s0.positives}, false positives ${s0.fp}`);
    rgWhole.push(rg(TREE));
    fixed.push(scan(emptyRoot, `${out}-empty`));
    popplerRuns.push(await pdftotext(pdfs.map((l) => join(TREE, l.path)), jobs));
    progress(`run ${i + 1}/${RUNS}: rg CPU ${fmt(rgWhole[i].cpu, 2)} s, empty scan CPU ${fmt(fixed[i].cpu, 2)} s, pdftotext CPU ${fmt(popplerRuns[i].cpu, 1)} s`);
    progress(`run ${i + 1}/${RUNS}: rg ${fmt(rgWhole[i].ms / 1000, 2)} s, empty scan ${fmt(fixed[i].ms / 1000, 2)} s, pdftotext ${fmt(popplerRuns[i].ms / 1000, 2)} s`);
    for (const g of groups) {
      if (!g.root || i >= FORMAT_RUNS) continue;
      const s = scan(g.root, `${out}-sub`);
      per.get(g.name).baomi.push({ ...s, report: undefined });
      per.get(g.name).rg.push(rg(g.root));
      progress(`run ${i + 1}/${RUNS}: ${g.name} walk ${fmt(s.walkMs / 1000, 2)} s, CPU ${fmt(s.cpu, 1)} s, ${fmt(s.rssMb)} MB; rg ${fmt(per.get(g.name).rg[i].ms / 1000, 2)} s`);
    }
  }
  const W = median(whole);
  const G = median(rgWhole);
  const F = median(fixed, 'walkMs');
  const FE = median(fixed);
  const PT = median(popplerRuns);
  const sc = score(W.report, labels);

  console.log(`\ndocument walk — realistic office disk (scripts/make-office-tree.py → ${TREE}): ${fmt(files)} files, ${fmt(mb)} MB; ${fmt(docs.length)} documents (${fmt(office.length)} office/PDF/OFD/archives); ${made ? 'generated' : 'cached'} in ${fmt(gen, 1)} s`);
  console.log(`median of ${RUNS} runs (interleaved; per-format subtrees: ${Math.min(RUNS, FORMAT_RUNS)} run${FORMAT_RUNS === 1 ? '' : 's'}); scans: \`baomi scan --root … --only ${RULES}\`${NET.length ? ' inside `unshare -rn`' : ''}; ${cpus().length} cores`);
  console.log('| tool | data | time | MB/s | files/s | CPU (user+sys) | peak RSS |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| baomi scan | whole tree | ${fmt(W.ms / 1000, 2)} s (walk ${fmt(W.walkMs / 1000, 2)} s) | ${fmt(mb / (W.ms / 1000), 1)} | ${fmt(files / (W.ms / 1000))} | ${fmt(W.cpu, 1)} s | ${fmt(W.rssMb)} MB |`);
  console.log(`| rg -uuu (bytes only, no formats) | whole tree | ${fmt(G.ms / 1000, 2)} s | ${fmt(mb / (G.ms / 1000), 1)} | ${fmt(files / (G.ms / 1000))} | ${fmt(G.cpu, 1)} s | ${fmt(G.rssMb)} MB |`);
  console.log(`| pdftotext, ${jobs} at once | ${fmt(pdfs.length)} PDFs, ${fmt(pdfMb, 1)} MB | ${fmt(PT.ms / 1000, 2)} s | ${fmt(pdfMb / (PT.ms / 1000), 1)} | ${fmt(pdfs.length / (PT.ms / 1000))} | ${fmt(PT.cpu, 1)} s | ${fmt(PT.rssMb)} MB/process |`);
  console.log(`| baomi scan | empty tree (fixed cost) | ${fmt(FE.ms / 1000, 2)} s (walk ${fmt(F.walkMs / 1000, 2)} s) | | | ${fmt(FE.cpu, 1)} s | ${fmt(FE.rssMb)} MB |`);
  const ratio = W.ms / G.ms;
  const ratioWalk = (W.walkMs - F.walkMs) / G.ms;
  console.log(`ratio to rg -uuu, whole tree: end to end ${fmt(ratio, 1)}×, walk alone (its start on an empty tree taken out) ${fmt(ratioWalk, 1)}×, CPU (user + sys) ${fmt(W.cpu / G.cpu, 1)}× (target ≤ 5×: ${ratio <= 5 ? 'met' : ratioWalk <= 5 ? 'met by the walk, not end to end' : 'NOT met'})`);
  if (pdfGroup.root) {
    const pb = median(per.get('pdf').baomi, 'walkMs');
    const pdfWalk = pb.walkMs - F.walkMs;
    console.log(`ratio to pdftotext on the PDFs: baomi walk of the PDF subtree ${fmt(pb.walkMs / 1000, 2)} s − ${fmt(F.walkMs / 1000, 2)} s start = ${fmt(pdfWalk / 1000, 2)} s vs ${fmt(PT.ms / 1000, 2)} s = ${fmt(pdfWalk / PT.ms, 2)}× wall (target ≤ 1.5×); CPU ${fmt(pb.cpu - FE.cpu, 1)} s vs ${fmt(PT.cpu, 1)} s = ${fmt((pb.cpu - FE.cpu) / PT.cpu, 2)}×; pdftotext errors ${PT.errors}`);
  }
  console.log(`peak RSS target < 300 MB: ${W.rssMb < 300 ? 'met' : 'NOT met'} (${fmt(W.rssMb)} MB, the largest of the whole-tree runs)`);
  if (PER_FORMAT) {
    console.log(`\ntime per format — each format's files alone in a hard-linked subtree; baomi's walk minus its start on an empty tree (${fmt(F.walkMs)} ms); medians:`);
    console.log('| format | files | MB | baomi walk | MB/s | files/s | CPU − fixed CPU | rg -uuu | ratio to rg | peak RSS |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    let sum = 0;
    for (const g of groups) {
      const b = median(per.get(g.name).baomi, 'walkMs');
      const q = median(per.get(g.name).rg);
      const net = Math.max(1, b.walkMs - F.walkMs);
      sum += net;
      const gmb = g.bytes / 1e6;
      console.log(`| ${g.name} | ${fmt(g.files.length)} | ${fmt(gmb, 1)} | ${fmt(net / 1000, 2)} s | ${fmt(gmb / (net / 1000), 1)} | ${fmt(g.files.length / (net / 1000))} | ${fmt(Math.max(0, b.cpu - FE.cpu), 1)} s | ${fmt(q.ms / 1000, 2)} s | ${fmt(net / q.ms, 1)}× | ${fmt(b.rssMb)} MB |`);
    }
    console.log(`sum of the per-format walks ${fmt(sum / 1000, 2)} s; the whole tree's walk ${fmt((W.walkMs - F.walkMs) / 1000, 2)} s (start taken out)`);
  }
  console.log('\nlabels (whole-tree scan, median run):');
  console.log('| format | marked files | found | hard negatives | false positives |');
  console.log('|---|---|---|---|---|');
  for (const [k, r] of Object.entries(sc.per).sort()) if (r.positives || r.negatives || r.fp) console.log(`| ${k} | ${r.positives} | ${r.found} | ${r.negatives} | ${r.fp} |`);
  const a = sc.all;
  console.log(`recall ${a.found}/${a.positives} = ${fmt((100 * a.found) / Math.max(1, a.positives), 1)}%; false positives ${a.fp} on ${fmt(files - a.positives)} unmarked files (${a.negatives} of them hard negatives)`);
  if (a.missed.length) console.log(`missed: ${a.missed.slice(0, 10).join('; ')}${a.missed.length > 10 ? ` … (${a.missed.length})` : ''}`);
  if (a.wrong.length) console.log(`false positives: ${a.wrong.slice(0, 10).join('; ')}${a.wrong.length > 10 ? ` … (${a.wrong.length})` : ''}`);
  const gaps = Array.isArray(W.report.coverage) ? W.report.coverage : [];
  const gk = {};
  for (const g of gaps) gk[g.kind] = (gk[g.kind] ?? 0) + 1;
  console.log(`gaps reported (whole tree): ${gaps.length} ${JSON.stringify(gk)}`);
  console.log(`runs (ms): baomi whole ${whole.map((r) => Math.round(r.ms)).join('/')} (walk ${whole.map((r) => Math.round(r.walkMs)).join('/')}), rg whole ${G.runs.join('/')}, pdftotext ${PT.runs.join('/')}, empty walk ${F.runs.join('/')}`);
  if (a.missed.length || a.fp) {
    console.log('LABELS: FAILED (recall below 100% or false positives)');
    process.exitCode = 1;
  } else console.log('LABELS: all marked files found, no false positive');
}
