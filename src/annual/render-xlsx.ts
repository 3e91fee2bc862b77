// The annual report as an Excel workbook (exceljs): one sheet per section (its paragraphs, headings
// and tables, numbers as numbers), the charts as pictures beside their numbers, and one sheet with
// every finding of every computer, one row each, to filter.
import { printable } from '../target/resolve.js';
import { chartPng } from './charts.js';
import { words, type AnnualDocument, type Cell } from './document.js';
import { ANNUAL_PROFILE_WORDS, ANNUAL_SEVERITY_WORDS } from '../report/messages-annual.js';
import type { Annual } from './types.js';

const clean = (c: Cell): Cell => (typeof c === 'number' ? c : printable(c));

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique. */
function sheetName(title: string, used: Set<string>): string {
  const base = [...title.replace(/[[\]:*?/\\]/g, ' ').trim()].slice(0, 28).join('') || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}${i}`;
  used.add(name.toLowerCase());
  return name;
}

export async function renderXlsx(d: AnnualDocument, a: Annual): Promise<Buffer> {
  const mod = await import('exceljs');
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'baomi';
  wb.created = new Date(a.generatedAt);
  const used = new Set<string>();
  const w = words(d.lang);
  for (const s of d.sections) {
    const ws = wb.addWorksheet(sheetName(s.title, used));
    ws.getColumn(1).width = 36;
    for (let i = 2; i <= 12; i++) ws.getColumn(i).width = 16;
    let row = 1;
    ws.getCell(row, 1).value = printable(s.id === 'overview' ? d.title : s.title);
    ws.getCell(row, 1).font = { bold: true, size: 14 };
    row += 1;
    if (s.id === 'overview') {
      ws.getCell(row, 1).value = printable(d.subtitle);
      row += 1;
    }
    row += 1;
    for (const b of s.blocks) {
      if (b.kind === 'p') {
        ws.mergeCells(row, 1, row, 8);
        const c = ws.getCell(row, 1);
        c.value = printable(b.text);
        c.alignment = { wrapText: true, vertical: 'top' };
        ws.getRow(row).height = Math.min(400, 18 * Math.max(1, Math.ceil([...b.text].length / 70)));
        row += 2;
      } else if (b.kind === 'h') {
        ws.getCell(row, 1).value = printable(b.text);
        ws.getCell(row, 1).font = { bold: true };
        row += 1;
      } else if (b.kind === 'table') {
        const t = b.table;
        t.columns.forEach((col, i) => {
          const c = ws.getCell(row, i + 1);
          c.value = printable(col.label);
          c.font = { bold: true };
          c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF6F8FA' } };
        });
        row += 1;
        for (const r of [...t.rows, ...(t.totals ? [t.totals] : [])]) {
          r.forEach((v, i) => {
            ws.getCell(row, i + 1).value = clean(v);
          });
          if (r === t.totals) ws.getRow(row).font = { bold: true };
          row += 1;
        }
        row += 1;
      } else {
        const c = b.chart;
        ws.getCell(row, 1).value = printable(c.title);
        ws.getCell(row, 1).font = { bold: true };
        row += 1;
        const first = row;
        ['#', '', ...c.series.map((x) => x.name)].forEach((label, i) => {
          ws.getCell(row, i + 1).value = printable(label);
          ws.getCell(row, i + 1).font = { bold: true };
        });
        row += 1;
        c.categories.forEach((cat, i) => {
          ws.getCell(row, 1).value = i + 1;
          ws.getCell(row, 2).value = printable(cat);
          c.series.forEach((x, j) => {
            ws.getCell(row, 3 + j).value = x.values[i] ?? 0;
          });
          row += 1;
        });
        const img = chartPng(c);
        const id = wb.addImage({ buffer: img.png as unknown as ArrayBuffer, extension: 'png' } as never);
        ws.addImage(id, { tl: { col: 3 + c.series.length, row: first - 1 }, ext: { width: img.width, height: img.height } });
        const rowsTaken = Math.ceil(img.height / 20);
        row = Math.max(row, first + rowsTaken);
        ws.getCell(row, 1).value = printable(w('chartImageNote'));
        row += 2;
      }
    }
  }
  // Every finding, one row each.
  const fs = wb.addWorksheet(sheetName(w('sheetFindings'), used));
  const heads = [w('unit'), w('department'), w('host'), w('machineId'), w('profile'), w('severity'), w('rule'), w('ruleTitle'), w('item'), w('findingId'), w('reportFile')];
  fs.addRow(heads).font = { bold: true };
  const titles = new Map(a.findings.byRule.map((r) => [r.ruleId, r.title[d.lang]]));
  for (const m of a.appendix) {
    for (const f of m.findings) {
      fs.addRow([m.unit ?? w('noUnit'), m.department ?? w('noDepartment'), m.hostname ?? '', m.machineId ?? m.hardwareSerial ?? '', ANNUAL_PROFILE_WORDS[m.profile][d.lang], ANNUAL_SEVERITY_WORDS[f.severity][d.lang], f.ruleId, titles.get(f.ruleId) ?? f.ruleId, f.item ?? '', f.id, m.file].map((v) => printable(v)));
    }
  }
  fs.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: heads.length } };
  fs.columns.forEach((c) => {
    c.width = 18;
  });
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer);
}
