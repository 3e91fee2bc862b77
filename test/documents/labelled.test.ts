/**
 * Runs the marking matcher (src/formats/markings.ts) over the labelled set of real documents
 * (fixtures/documents/labelled/, made with LibreOffice by make.py; labels checked there by an
 * independent extraction) and measures recall and false positives per format.
 *
 * Text comes from the document extraction library (`src/formats/docs/index.ts`, `extractText`).
 * Fails closed: every labelled file must be read — an extractor that throws, or answers `unknown`,
 * or gives no text with an `unsupported`/`encrypted`/`corrupt` gap, fails the test (it is not
 * skipped), and the number of files read is asserted to be the number labelled.
 *
 * Scoring per file: the set of levels with verdict `marking` vs the expected levels.
 *   TP = expected ∩ found, FN = expected \ found, FP = found \ expected (every marking in a negative
 *   file is an FP). Recall = TP / (TP + FN), precision = TP / (TP + FP).
 * Asserted: recall 100 % and 0 false positives on every file that could be read. `mentions` counts
 * the marking-like strings the heuristic rejected (quoted, in sentences, examples, form options …).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/formats/docs/index.js';
import { findMarkings, loadMarkingGrammar, type MarkingHit, type MarkingPart } from '../../src/formats/markings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIR = join(ROOT, 'fixtures', 'documents', 'labelled');

interface Label {
  file: string;
  format: string;
  expected: Array<{ level: string; where: string }>;
  note: string;
  token: string;
  bytes: number;
}

/** The shape of `extractText` this test relies on (kept local: no compile-time dependency). */
interface Extracted {
  format: string;
  parts: MarkingPart[];
  gaps: Array<{ kind: string; reason: string; part?: string }>;
}
type ExtractText = (bytes: Uint8Array, opts: { name?: string }) => Promise<Extracted> | Extracted;

const labels = JSON.parse(readFileSync(join(DIR, 'labels.json'), 'utf8')) as Label[];
const grammar = loadMarkingGrammar();

// --- scoring ----------------------------------------------------------------------------------

interface Score {
  file: string;
  format: string;
  readable: boolean;
  skipped?: string;
  tp: number;
  fn: string[];
  fp: string[];
  hits: MarkingHit[];
  gaps: string[];
}

async function score(label: Label, extract: ExtractText): Promise<Score> {
  const bytes = new Uint8Array(readFileSync(join(DIR, label.file)));
  const base: Score = { file: label.file, format: label.format, readable: false, tp: 0, fn: [], fp: [], hits: [], gaps: [] };
  let r: Extracted;
  try {
    r = await extract(bytes, { name: label.file });
  } catch (e) {
    return { ...base, skipped: `extractText threw: ${(e as Error).message}` };
  }
  base.gaps = r.gaps.map((g) => `${g.kind}${g.part ? ` (${g.part})` : ''}: ${g.reason}`);
  const textParts = r.parts.filter((p) => p.name !== 'file-name');
  const fatal = r.gaps.find((g) => ['unsupported', 'encrypted', 'corrupt'].includes(g.kind) && g.part === undefined);
  if (r.format === 'unknown' || r.format === 'binary' || (textParts.length === 0 && fatal !== undefined)) {
    return { ...base, skipped: `extractor cannot read it (format ${r.format}${fatal ? `; ${fatal.kind}: ${fatal.reason}` : ''})` };
  }
  const parts: MarkingPart[] = r.parts.some((p) => p.name === 'file-name') ? r.parts : [...r.parts, { name: 'file-name', text: basename(label.file) }];
  const hits = findMarkings(parts, grammar);
  const found = new Set(hits.filter((h) => h.verdict === 'marking').map((h) => h.level));
  const expected = new Set(label.expected.map((e) => e.level));
  const fn = [...expected].filter((l) => !found.has(l as MarkingHit['level']));
  const fp = [...found].filter((l) => !expected.has(l));
  return { ...base, readable: true, tp: expected.size - fn.length, fn, fp, hits };
}

const pct = (a: number, b: number): string => (b === 0 ? '   —  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

describe('labelled document set', () => {
  it('is at least 80 real files, all present, under 3 MB, each with a unique token', () => {
    expect(labels.length).toBeGreaterThanOrEqual(80);
    let total = 0;
    for (const l of labels) {
      const st = statSync(join(DIR, l.file));
      expect(st.size, l.file).toBe(l.bytes);
      total += st.size;
      for (const e of l.expected) expect(['绝密', '机密', '秘密', '工作秘密', '内部'], l.file).toContain(e.level);
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
    expect(new Set(labels.map((l) => l.token)).size).toBe(labels.length);
    expect(labels.filter((l) => l.expected.length === 0).length).toBeGreaterThanOrEqual(15);
  });

  it('matcher: recall 100 % and no false positives on every readable file', async () => {
    const extract: ExtractText = extractText as unknown as ExtractText;
    const scores: Score[] = [];
    for (const l of labels) scores.push(await score(l, extract));

    // Per-format report.
    const formats = [...new Set(scores.map((s) => s.format))].sort();
    const lines = [
      `labelled set: ${labels.length} files; text from src/formats/docs extractText`,
      'format  files  read  skipped  expected  found  missed  false+  recall  precision  mentions',
    ];
    const sum = { files: 0, read: 0, skipped: 0, exp: 0, tp: 0, fn: 0, fp: 0, men: 0 };
    for (const f of formats) {
      const s = scores.filter((x) => x.format === f);
      const read = s.filter((x) => x.readable);
      const exp = read.reduce((n, x) => n + x.tp + x.fn.length, 0);
      const tp = read.reduce((n, x) => n + x.tp, 0);
      const fn = read.reduce((n, x) => n + x.fn.length, 0);
      const fp = read.reduce((n, x) => n + x.fp.length, 0);
      const men = read.reduce((n, x) => n + x.hits.filter((h) => h.verdict === 'mention').length, 0);
      Object.assign(sum, { files: sum.files + s.length, read: sum.read + read.length, skipped: sum.skipped + s.length - read.length, exp: sum.exp + exp, tp: sum.tp + tp, fn: sum.fn + fn, fp: sum.fp + fp, men: sum.men + men });
      lines.push(
        `${f.padEnd(7)} ${String(s.length).padStart(5)} ${String(read.length).padStart(5)} ${String(s.length - read.length).padStart(8)} ${String(exp).padStart(9)} ${String(tp).padStart(6)} ${String(fn).padStart(7)} ${String(fp).padStart(7)}  ${pct(tp, tp + fn)}  ${pct(tp, tp + fp)}  ${String(men).padStart(8)}`,
      );
    }
    lines.push(
      `${'total'.padEnd(7)} ${String(sum.files).padStart(5)} ${String(sum.read).padStart(5)} ${String(sum.skipped).padStart(8)} ${String(sum.exp).padStart(9)} ${String(sum.tp).padStart(6)} ${String(sum.fn).padStart(7)} ${String(sum.fp).padStart(7)}  ${pct(sum.tp, sum.tp + sum.fn)}  ${pct(sum.tp, sum.tp + sum.fp)}  ${String(sum.men).padStart(8)}`,
    );
    const skipped = scores.filter((s) => s.skipped !== undefined);
    const bySkip = new Map<string, string[]>();
    for (const s of skipped) bySkip.set(s.skipped!, [...(bySkip.get(s.skipped!) ?? []), s.file]);
    for (const [why, files] of bySkip) lines.push(`skipped ${files.length} (${why}): ${files.slice(0, 6).join(', ')}${files.length > 6 ? ', …' : ''}`);
    const wrong = scores.filter((s) => s.readable && (s.fn.length > 0 || s.fp.length > 0));
    for (const s of wrong) {
      const label = labels.find((l) => l.file === s.file)!;
      lines.push(
        `WRONG ${s.file}: missed [${s.fn.join(', ')}] false+ [${s.fp.join(', ')}] (${label.note}); results: ${JSON.stringify(s.hits.map((h) => [h.part, h.level, h.text, h.verdict, h.reasons.join('; ')]))}${s.gaps.length ? `; gaps: ${s.gaps.join(' | ')}` : ''}`,
      );
    }
    console.log(lines.join('\n'));

    // Every labelled file was read: a file the extractor throws on or cannot read fails here.
    expect(skipped.map((s) => `${s.file}: ${s.skipped}`)).toEqual([]);
    expect(sum.read).toBe(labels.length);
    expect(wrong.map((s) => `${s.file}: missed [${s.fn.join(', ')}] false+ [${s.fp.join(', ')}]`)).toEqual([]);
  });
});
