// The annual report in every format, opened and read back, not just written: the .json parsed, the
// .md read, the .xlsx loaded with exceljs (cell values, the findings sheet, the chart pictures), the
// .docx unzipped (document.xml text and tables, the chart pictures decoded), the .html rendered in
// headless Chromium (a screenshot that is not blank with the chart bars drawn; the DOM's counts).
// The reports are the generated periods of _period.ts plus one whose host name is hostile.
import { mkdtemp, readFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnnual } from '../../src/annual/aggregate.js';
import type { Annual } from '../../src/annual/types.js';
import { writeAnnual } from '../../src/annual/write.js';
import { chartPng } from '../../src/annual/charts.js';
import { readLedger } from '../../src/ledger/index.js';
import { requireTool, skipWithout } from '../_helpers/oracles.js';
import { chromiumName, runChromium } from '../report/_chromium.js';
import { countPixels, decodePng } from '../report/_png.js';
import { makePeriods, type Periods } from './_period.js';
import { synthReport, writeSigned } from './_synth.js';

const EVIL = 'ev<script>document.title="pwned"</script>|*x*\u001b[31m';

let p: Periods;
let work: string;
let zh: Annual;
let en: Annual;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-annual-w-'));
  p = await makePeriods(work);
  await writeSigned(join(work, 'more'), 'evil', synthReport({ host: EVIL, machineId: 'evil-1', profile: 'intranet', startedAt: '2026-07-01T08:00:00.000Z' }, p.kit), p.kit);
  const l = (await readLedger(p.ledger)).ledger!;
  const opts = { dirs: [p.cur, join(work, 'more')], previousDirs: [p.prev], keys: [p.kit.publicKey], keyFiles: ['kit.pub'], ledgers: [{ file: 'ledger.yaml', ledger: l }], year: 2026, toolVersion: '0.1.0' };
  zh = await buildAnnual({ ...opts, lang: 'zh' });
  en = await buildAnnual({ ...opts, lang: 'en' });
  for (const ext of ['json', 'md', 'html', 'xlsx', 'docx']) {
    await writeAnnual(zh, join(work, `annual.${ext}`));
    await writeAnnual(en, join(work, `annual-en.${ext}`));
  }
});

describe('.json', () => {
  it('is the aggregate', async () => {
    const j = JSON.parse(await readFile(join(work, 'annual.json'), 'utf8')) as Annual;
    expect(j.schema).toBe('baomi.annual/1');
    expect(j.machines.total).toBe(6);
    expect(j.machines.byProfile).toEqual({ classified: 2, intranet: 2, nonclassified: 2 });
    expect(j.findings.total).toBe(3);
    expect(j.excluded).toHaveLength(5);
    expect(j.rectification!.fixed).toBe(1);
  });
});

describe('.md', () => {
  it('the narrative and the tables, with the counts; a hostile host name is text', async () => {
    const md = await readFile(join(work, 'annual.md'), 'utf8');
    expect(md).toContain('# 2026年度保密自查自评报告');
    expect(md).toContain('共检查计算机6台，其中涉密计算机2台、非涉密内网计算机2台、非涉密计算机2台，覆盖2家单位、3个部门。');
    expect(md).toContain('发现问题3个（高2个、中1个、低0个、提示0个），涉及计算机2台；4台计算机未发现问题。');
    expect(md).toContain('与上一周期相比，已整改问题1个，仍未整改2个，新发现问题1个，另有1个因本周期相应检查未完成而未能复查。');
    expect(md).toContain('| 甲局 | 1 | 1 | 1 | 3 | 2 | 3 |');
    expect(md).toContain('| 签名与文件不符（文件被修改或签名被替换） |');
    expect(md).toContain('ev&lt;script&gt;document.title="pwned"&lt;/script&gt;\\|\\*x\\*\\\\x1b\\[31m');
    expect(md).not.toContain('\u001b');
  });
  it('in English with --lang en', async () => {
    const md = await readFile(join(work, 'annual-en.md'), 'utf8');
    expect(md).toContain('6 computers were checked: 2 classified, 2 intranet and 2 non-classified, in 2 units and 3 departments.');
    expect(md).toContain('Against the previous period, 1 findings were fixed, 2 are still open and 1 are new');
    // No Chinese but the names that came from the reports and the ledger.
    const rest = md.replace(/甲局|乙局|办公室|财务科|综合科|保密办|张三|U盘|涉密|秘密|机密|绝密/g, '');
    expect(rest).not.toMatch(/\p{Script=Han}/u);
  });
});

describe('.xlsx', () => {
  it('opens in exceljs: the figures as numbers, every finding a row, one picture per chart', async () => {
    const mod = await import('exceljs');
    const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(join(work, 'annual.xlsx'))) as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain('一、基本情况');
    expect(names).toContain('问题明细');
    const overview = wb.getWorksheet('一、基本情况')!;
    const values = new Map<string, unknown>();
    overview.eachRow((row) => {
      const k = row.getCell(1).value;
      if (typeof k === 'string') values.set(k, row.getCell(2).value);
    });
    expect(values.get('检查的计算机')).toBe(6);
    expect(values.get('发现的问题')).toBe(3);
    expect(values.get('已整改')).toBe(1);
    expect(values.get('未计入的文件')).toBe(5);
    const findings = wb.getWorksheet('问题明细')!;
    expect(findings.rowCount).toBe(4);
    const hosts: unknown[] = [];
    findings.eachRow((row, i) => {
      if (i > 1) hosts.push(row.getCell(3).value);
    });
    expect(hosts.sort()).toEqual(['a1', 'a1', 'a3']);
    const media = (wb.model as unknown as { media: Array<{ extension: string; buffer: Buffer }> }).media;
    expect(media.map((m) => m.extension)).toEqual(['png', 'png', 'png']);
    for (const m of media) {
      const img = decodePng(Buffer.from(m.buffer));
      expect(countPixels(img, [0x09, 0x69, 0xda]).near).toBeGreaterThan(100); // bars drawn
    }
    // the hostile name is a string cell, control character shown escaped
    const appendix = wb.worksheets.find((w) => w.name.startsWith('附录'))!;
    let evil = '';
    appendix.eachRow((row) => {
      const v = row.getCell(3).value;
      if (typeof v === 'string' && v.startsWith('ev<')) evil = v;
    });
    expect(evil).toBe('ev<script>document.title="pwned"</script>|*x*\\x1b[31m');
  });
});

describe('.docx', () => {
  it('unzips: the narrative and tables in document.xml, each chart an SVG with a PNG fallback', async () => {
    const mod = await import('jszip');
    const JSZip = (mod as unknown as { default?: typeof mod }).default ?? mod;
    const zip = await JSZip.loadAsync(await readFile(join(work, 'annual.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain('共检查计算机6台，其中涉密计算机2台、非涉密内网计算机2台、非涉密计算机2台');
    expect(text).toContain('已整改问题1个，仍未整改2个，新发现问题1个');
    expect(text).toContain('ev&lt;script&gt;'); // escaped in the XML, text in Word
    expect(xml).not.toContain('\u001b');
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBeGreaterThan(10);
    // The by-class table: 涉密计算机 2 2 (machines, findings)
    expect(text).toMatch(/涉密计算机22非涉密内网计算机20非涉密计算机21合计63/);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media.filter((f) => f.endsWith('.svg'))).toHaveLength(3);
    expect(media.filter((f) => f.endsWith('.png'))).toHaveLength(3);
    for (const f of media.filter((x) => x.endsWith('.png'))) {
      const img = decodePng(await zip.file(f)!.async('nodebuffer'));
      expect(countPixels(img).nonWhite).toBeGreaterThan(500);
    }
    const svg = await zip.file(media.find((f) => f.endsWith('.svg'))!)!.async('string');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
});

describe('chart PNG', () => {
  it('one bar per value, longest for the largest (pixels counted per row band)', () => {
    const { png } = chartPng({ id: 'c', title: 't', categories: ['a', 'b'], series: [{ name: 's', values: [10, 5] }] });
    const img = decodePng(png);
    const blue = (y: number): number => countPixels(img, [0x09, 0x69, 0xda], { x: 0, y, w: img.width, h: 22 }).near;
    expect(blue(10)).toBeGreaterThan(blue(32) * 1.6);
    expect(blue(32)).toBeGreaterThan(0);
  });
});

describe.skipIf(skipWithout(chromiumName()))('.html in headless Chromium', () => {
  let chromium: string;
  let file: string;
  beforeAll(() => {
    chromium = requireTool(chromiumName());
    file = join(work, 'annual.html');
  });
  it('renders: a screenshot that is not blank, with the chart bars drawn', () => {
    const png = join(mkdtempSync(join(tmpdir(), 'baomi-annual-shot-')), 'shot.png');
    const r = runChromium(chromium, [`--screenshot=${png}`, '--window-size=1100,4000'], `${pathToFileURL(file).href}#findings`);
    expect(r.status, r.stderr).toBe(0);
    const img = decodePng(readFileSync(png));
    const all = countPixels(img);
    expect(all.nonWhite / all.total).toBeGreaterThan(0.03);
    expect(countPixels(img, [0x09, 0x69, 0xda]).near).toBeGreaterThan(2000);
  }, 120_000);
  it('the DOM: tables with their counts, one SVG chart per chart, nothing injected', () => {
    const r = runChromium(chromium, ['--dump-dom', '--virtual-time-budget=2000'], pathToFileURL(file).href);
    expect(r.status, r.stderr).toBe(0);
    const dom = r.stdout;
    expect(dom).toContain('<table class="t" id="by-profile" data-rows="3">');
    expect(dom).toMatch(/<tfoot><tr><td class="w">合计<\/td><td class="num">6<\/td><td class="num">3<\/td><\/tr><\/tfoot>/);
    expect(dom).toContain('<table class="t" id="excluded" data-rows="5">');
    expect(dom).toContain('<table class="t" id="appendix" data-rows="6">');
    expect(dom.match(/<svg /g)).toHaveLength(3);
    expect(dom.match(/<rect class="bar"/g)!.length).toBe(3 + 2 + 2 * 3); // rules, departments with findings, year over year (two series)
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toMatch(/<title>2026年度保密自查自评报告<\/title>/);
    expect(dom).toContain('ev&lt;script&gt;document.title="pwned"&lt;/script&gt;|*x*\\x1b[31m');
  }, 120_000);
  it('prints on A4', () => {
    const pdf = join(work, 'annual.pdf');
    const r = runChromium(chromium, ['--no-pdf-header-footer', `--print-to-pdf=${pdf}`], pathToFileURL(file).href);
    expect(r.status, r.stderr).toBe(0);
    const bytes = readFileSync(pdf).toString('latin1');
    const boxes = [...bytes.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBeGreaterThan(1);
    for (const [w, h] of boxes) {
      expect(Math.abs(w! - 595.28)).toBeLessThan(1.5);
      expect(Math.abs(h! - 841.89)).toBeLessThan(1.5);
    }
  }, 120_000);
});

describe('.json written as a stream', () => {
  it('is byte for byte what prettyJson gives for the whole aggregate', async () => {
    const { prettyJson } = await import('../../src/report/json.js');
    expect(await readFile(join(work, 'annual.json'), 'utf8')).toBe(prettyJson(zh));
    const empty = { ...zh, appendix: [] };
    const { annualJsonChunks } = await import('../../src/annual/write.js');
    expect([...annualJsonChunks(empty)].join('')).toBe(prettyJson(empty));
  });
});

describe('.docx of a large season', () => {
  it('lists the first DOCX_MAX_ROWS rows of a long table and says where the full list is', async () => {
    const { buildDocument } = await import('../../src/annual/document.js');
    const { renderDocx, DOCX_MAX_ROWS } = await import('../../src/annual/render-docx.js');
    const many = Array.from({ length: DOCX_MAX_ROWS + 5 }, (_, i) => ({ ...zh.appendix[0]!, key: `id:m${i}`, hostname: `pc-${String(i).padStart(5, '0')}` }));
    const big: Annual = { ...zh, appendix: many };
    const mod = await import('jszip');
    const JSZip = (mod as unknown as { default?: typeof mod }).default ?? mod;
    const zip = await JSZip.loadAsync(await renderDocx(buildDocument(big, 'zh')));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain(`本表只列出前${DOCX_MAX_ROWS}行，共${DOCX_MAX_ROWS + 5}行`);
    expect(xml).toContain(`pc-${String(DOCX_MAX_ROWS - 1).padStart(5, '0')}`);
    expect(xml).not.toContain(`pc-${String(DOCX_MAX_ROWS).padStart(5, '0')}`);
  });
});
