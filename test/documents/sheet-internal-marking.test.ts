/**
 * Internal markings in spreadsheets (issue #13 item 2): 工作秘密 / 内部 alone in the first cell (A1) of a
 * sheet, or in its print header, is the ordinary way an internal workbook is marked; the same word in
 * a data cell further down is a value in a list. Real .xlsx files written by exceljs (not by the
 * extractor's own code), read through extractText as the walk reads them.
 *
 * What the xlsx extractor gives (src/formats/docs/ooxml.ts): a part `sheet:NAME` per sheet, one line
 * per row that has a value, the row's non-empty cells joined by tabs (empty cells are left out, so
 * "first cell" = the first non-empty cell of the sheet), and `header-footer:NAME` for the print
 * header and footer (codes &L &C &R stripped).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/formats/docs/index.js';
import { findMarkings, loadMarkingGrammar, type MarkingHit } from '../../src/formats/markings.js';

const g = loadMarkingGrammar();
const TASKS = [
  ['任务名称', '负责人', '截止日期', '状态'],
  ['整理台账', '张三', '2025-03-01', '进行中'],
  ['系统升级', '李四', '2025-03-15', '未开始'],
  ['数据备份', '王五', '2025-04-01', '已完成'],
  ['撰写周报', '赵六', '2025-04-08', '进行中'],
  ['设备巡检', '孙七', '2025-04-20', '未开始'],
];

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<MarkingHit[]> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const r = await extractText(bytes, { name: '任务清单.xlsx' });
  expect(r.format).toBe('xlsx');
  return findMarkings(r.parts, g);
}
const markings = (hits: MarkingHit[]): Array<[string, string, string]> => hits.filter((h) => h.verdict === 'marking').map((h) => [h.part, h.level, h.text]);

describe('internal markings in a real .xlsx', () => {
  it('工作秘密 alone in A1 above a task table is a marking (the header 任务名称 below it is not 秘密任务)', async () => {
    const hits = await xlsx((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(['工作秘密']);
      for (const r of TASKS) ws.addRow(r);
    });
    expect(markings(hits)).toEqual([['sheet:Sheet1', '工作秘密', '工作秘密']]);
  });

  it('内部 alone in A1 is a marking', async () => {
    const hits = await xlsx((wb) => {
      const ws = wb.addWorksheet('数据');
      ws.addRow(['内部']);
      for (const r of TASKS) ws.addRow(r);
    });
    expect(markings(hits)).toEqual([['sheet:数据', '内部', '内部']]);
  });

  it('工作秘密 in the first cell of the second sheet is a marking of that sheet', async () => {
    const hits = await xlsx((wb) => {
      const a = wb.addWorksheet('汇总');
      for (const r of TASKS) a.addRow(r);
      const b = wb.addWorksheet('明细');
      b.addRow(['工作秘密']);
      for (const r of TASKS) b.addRow(r);
    });
    expect(markings(hits)).toEqual([['sheet:明细', '工作秘密', '工作秘密']]);
  });

  it('工作秘密 in the print header is a marking', async () => {
    const hits = await xlsx((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.headerFooter.oddHeader = '&R工作秘密';
      for (const r of TASKS) ws.addRow(r);
    });
    expect(markings(hits)).toEqual([['header-footer:Sheet1', '工作秘密', '工作秘密']]);
  });

  it('the same word in a data cell of row 7 is not a marking', async () => {
    const hits = await xlsx((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(['2025年第一季度任务清单']);
      for (const r of TASKS) ws.addRow(r);
      ws.getCell('A7').value = '工作秘密';
      ws.getCell('C7').value = '2025-05-01';
    });
    expect(markings(hits)).toEqual([]);
    expect(hits.map((h) => [h.level, h.verdict, h.reasons.at(-1)])).toEqual([['工作秘密', 'mention', 'a data cell of the sheet (not its first cell)']]);
  });

  it('工作秘密 alone in row 7 (the rest of the row empty) is not a marking either', async () => {
    const hits = await xlsx((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      for (const r of TASKS) ws.addRow(r);
      ws.getCell('B7').value = '工作秘密';
    });
    expect(markings(hits)).toEqual([]);
  });

  it('a viewing log with a film titled 秘密 and a contact list of 内部/外部 are not marked', async () => {
    const hits = await xlsx((wb) => {
      const films = wb.addWorksheet('观影');
      films.addRow(['日期', '片名', '评分']);
      films.addRow(['2024-01-01', '阿凡达', 9]);
      films.addRow(['2024-01-08', '秘密', 8]);
      films.addRow(['2024-01-15', '机密', 7]);
      const people = wb.addWorksheet('通讯录');
      people.addRow(['姓名', '部门', '类型']);
      people.addRow(['张三', '办公室', '内部']);
      people.addRow(['李四', '供应商', '外部']);
    });
    expect(markings(hits)).toEqual([]);
  });
});
