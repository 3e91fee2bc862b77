// Reading real ledger files: GBK CSV (committed bytes), UTF-8-with-BOM CSV, YAML, and XLSX written
// by exceljs here (title row, merged header cells, a two-level header, rich text, formulas, a serial
// stored as a number) and by openpyxl (committed).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJSModule from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClass, parseLedger, parseStatus, parseYesNo, readLedger, headerField } from '../../src/ledger/index.js';
import type { LedgerEntry, LedgerProblem } from '../../src/ledger/index.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'ledger');
const ExcelJS = (ExcelJSModule as unknown as { default?: typeof ExcelJSModule }).default ?? ExcelJSModule;

const byId = (entries: LedgerEntry[], id: string): LedgerEntry => {
  const e = entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
};
const brief = (ps: LedgerProblem[]): string[] => ps.map((p) => `${p.sheet ? p.sheet + '!' : ''}${p.row} ${p.severity} ${p.code}${p.column ? ' ' + p.column : ''}`);

describe('GBK CSV (title rows above the header, 序号 and 编号, quoted comma and line break)', () => {
  it('is not UTF-8, and is read as GB18030 with rows as the officer sees them', async () => {
    const bytes = await readFile(join(FIX, 'media-gbk.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { ledger, problems } = await readLedger(join(FIX, 'media-gbk.csv'));
    expect(ledger?.format).toBe('csv');
    expect(ledger?.encoding).toBe('gb18030');
    expect(ledger?.delimiter).toBe(',');
    const es = ledger!.entries;
    expect(es.map((e) => [e.id, e.at.row])).toEqual([
      ['BM-U-001', 4],
      ['BM-U-002', 5],
      ['BM-H-001', 6],
      ['BM-U-003', 7],
      ['BM-G-001', 9],
      ['BM-K-001', 10],
    ]);
    expect(byId(es, 'BM-U-001')).toMatchObject({
      type: 'U盘',
      vendor: '金士顿',
      model: 'DataTraveler 3.0',
      serial: '60A44C413A8CF2A1B9470A2D',
      serialKey: '60A44C413A8CF2A1B9470A2D',
      vid: '0951',
      pid: '1666',
      class: 'classified',
      level: '机密',
      owner: '张三',
      status: '在用',
      inUse: true,
      isComputer: false,
    });
    expect(byId(es, 'BM-U-002')).toMatchObject({ class: 'classified', level: '秘密' });
    expect(byId(es, 'BM-H-001')).toMatchObject({ class: 'intranet', vid: '0bc2', pid: 'ab38' });
    expect(byId(es, 'BM-U-003')).toMatchObject({ class: 'nonclassified', status: '已报废', inUse: false, serialKey: 'AA04012700012345' });
    expect(byId(es, 'BM-G-001').serial).toBeUndefined();
    expect(byId(es, 'BM-K-001')).toMatchObject({ class: 'classified', level: '机密', serialKey: '9C2B3A4D11F0' });
    // Warnings only: the optical disc without a serial, and the signature line under the table.
    expect(brief(problems)).toEqual(['9 warning missing-value 序列号(SN)', '12 warning not-an-entry']);
  });
});

describe('UTF-8 CSV with BOM, English headers, computers and media', () => {
  it('reads every column and value variant', async () => {
    const { ledger, problems } = await readLedger(join(FIX, 'media-en-bom.csv'));
    expect(problems).toEqual([]);
    expect(ledger?.encoding).toBe('utf-8-bom');
    const es = ledger!.entries;
    expect(es).toHaveLength(6);
    expect(byId(es, 'PC-001')).toMatchObject({
      isComputer: true,
      class: 'classified',
      level: '机密',
      hostname: 'BM-PC-001',
      serial: 'PF1ABCDE',
      usbStorageAllowed: false,
      at: { row: 2 },
    });
    expect(byId(es, 'PC-002')).toMatchObject({ isComputer: true, class: 'intranet', usbStorageAllowed: true });
    expect(byId(es, 'PC-003')).toMatchObject({ isComputer: true, class: 'nonclassified', usbStorageAllowed: true, serialKey: 'CN0X1Y2Z' });
    expect(byId(es, 'U-101')).toMatchObject({ model: 'Ultra "Fit"', inUse: false, status: 'lost', isComputer: false });
    expect(byId(es, 'U-102')).toMatchObject({ model: 'DataTraveler 50, 32 GB', class: 'intranet', inUse: true });
    expect(byId(es, 'P-201')).toMatchObject({ type: 'Phone', class: 'nonclassified', vid: '12d1', at: { row: 7 } });
    // The first column is named by the BOM-less header "No." (the BOM is not part of it).
    expect(byId(es, 'PC-001').id).toBe('PC-001');
  });

  it('tab-separated and semicolon-separated files are recognised too', async () => {
    const tsv = 'id\ttype\tserial\tclass\nT-1\tU盘\tSN-T-1\t涉密\n';
    const r1 = await parseLedger('t.tsv', Buffer.from(tsv));
    expect(r1.ledger?.delimiter).toBe('\t');
    expect(r1.ledger?.entries[0]).toMatchObject({ id: 'T-1', serialKey: 'SNT1', class: 'classified' });
    const ssv = '"编号";"类型";"序列号";"密级"\r\nS-1;U盘;"SN;1";内网\r\n';
    const r2 = await parseLedger('s.csv', Buffer.from(ssv));
    expect(r2.ledger?.delimiter).toBe(';');
    expect(r2.ledger?.entries[0]).toMatchObject({ id: 'S-1', serial: 'SN;1', class: 'intranet', at: { row: 2 } });
  });

  it('reads UTF-16 (Excel "Unicode text") and Excel\'s ="0123" text trick', async () => {
    const text = '编号\t类型\t序列号\t密级\r\nW-1\tU盘\t="00123456"\t非涉密\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await parseLedger('u16.txt', le);
    expect(r.ledger?.encoding).toBe('utf-16le');
    expect(r.ledger?.entries[0]).toMatchObject({ id: 'W-1', serial: '00123456', class: 'nonclassified' });
  });
});

describe('YAML ledger', () => {
  it('reads {computers, media}, keeping unquoted values as typed', async () => {
    const { ledger, problems } = await readLedger(join(FIX, 'ledger.yaml'));
    expect(problems).toEqual([]);
    expect(ledger?.format).toBe('yaml');
    const es = ledger!.entries;
    expect(byId(es, 'BM-PC-001')).toMatchObject({
      isComputer: true,
      type: '台式机',
      class: 'classified',
      level: '机密',
      usbStorageAllowed: false,
      machineId: '3f2a9c1e5b7d4e0f8a6b2c4d1e3f5a7b',
      at: { row: 7 },
    });
    expect(byId(es, 'NW-PC-002')).toMatchObject({ isComputer: true, type: '计算机', class: 'intranet', usbStorageAllowed: true, at: { row: 16 } });
    expect(byId(es, 'BM-U-002')).toMatchObject({ vid: '0781', pid: '5581', class: 'classified', level: '秘密' });
    expect(byId(es, 'FM-U-001')).toMatchObject({ inUse: false, class: 'nonclassified', pid: '1000' });
  });

  it('a plain list of maps (Chinese keys) is a ledger too; CSV-looking text is not YAML', async () => {
    const y = '- 编号: L-1\n  类型: 移动硬盘\n  序列号: "0012 3456"\n  密级: 机密\n- 编号: L-2\n  类型: 笔记本\n  密级: 非涉密\n  允许USB: 是\n';
    const r = await parseLedger('list.txt', Buffer.from(y));
    expect(r.problems).toEqual([]);
    expect(r.ledger?.format).toBe('yaml');
    expect(r.ledger?.entries.map((e) => [e.id, e.isComputer, e.serialKey, e.at.row])).toEqual([
      ['L-1', false, '00123456', 1],
      ['L-2', true, undefined, 5],
    ]);
    const csv = await parseLedger('x.yaml.csv', Buffer.from('编号,类型,序列号,密级\nC-1,U盘,SN: 1,涉密\n'));
    expect(csv.ledger?.format).toBe('csv');
    expect(csv.ledger?.entries[0]?.serial).toBe('SN: 1');
  });
});

describe('XLSX', () => {
  let dir: string;
  let xlsx: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baomi-ledger-'));
    xlsx = join(dir, '台账.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('移动存储介质');
    ws.getCell('A1').value = 'XX单位移动存储介质登记台账';
    ws.mergeCells('A1:J1');
    // Two-level header: 编号…密级 merged over rows 2–3; "USB标识" over VID / PID.
    const top = ['编号', '类型', '品牌', '序列号(SN)', 'USB标识', '', '密级', '责任人', '状态', '备注'];
    top.forEach((t, i) => {
      if (t !== '') ws.getCell(2, i + 1).value = t;
    });
    for (const c of ['A', 'B', 'C', 'D', 'G', 'H', 'I', 'J']) ws.mergeCells(`${c}2:${c}3`);
    ws.mergeCells('E2:F2');
    ws.getCell('E3').value = 'VID';
    ws.getCell('F3').value = 'PID';
    ws.getRow(4).values = ['BM-U-001', 'U盘', null, '60A44C413A8CF2A1B9470A2D', '0951', '1666', '涉密（机密）', '张三', '在用'];
    ws.getCell('C4').value = { richText: [{ text: '金士', font: { bold: true } }, { text: '顿' }] };
    ws.getRow(5).values = ['BM-U-002', 'U盘', null, null, '0781', '5581', null, '李四', '在用'];
    ws.mergeCells('G4:G5'); // one class cell for both sticks
    ws.getCell('C5').value = { formula: 'UPPER("sandisk")', result: 'SANDISK' };
    ws.getCell('D5').value = { formula: 'CONCATENATE("4C53","0001230925108261")', result: '4C530001230925108261' };
    // The serial typed into a General cell: Excel stored the number 1.2345E+15. The VID too (0781 → 781).
    ws.getRow(6).values = ['BM-U-003', 'U盘', '闪迪', 1.2345e15, 781, '5583', '内网', '王五', '在用'];
    // row 7 left empty
    ws.getRow(8).values = ['BM-U-004', 'U盘', 'aigo', 12345678, '090c', '1000', '非涉密', '赵六', '报废'];
    ws.getCell('A8').value = { text: 'BM-U-004', hyperlink: 'https://example.invalid/BM-U-004' };
    ws.getCell('A10').value = '填表人：钱八';
    ws.mergeCells('A10:J10');

    const pcs = wb.addWorksheet('计算机');
    pcs.addRow(['编号', '设备类型', '主机名', '序列号', '密级', '允许USB存储']);
    pcs.addRow(['BM-PC-001', '台式机', 'BM-PC-001', 'PF1ABCDE', '涉密(机密)', '否']);
    pcs.addRow(['NW-PC-002', '笔记本', 'nw-pc-002', 'PF2XYZ99', '工作网', true]);

    const stats = wb.addWorksheet('统计');
    stats.addRow(['序号', '类型', '密级', '数量']);
    stats.addRow([1, 'U盘', '涉密', 3]);

    const lists = wb.addWorksheet('lists', { state: 'hidden' });
    lists.addRow(['编号', '类型', '序列号', '密级']);
    lists.addRow(['X', 'U盘', 'SN', '不存在的密级']);
    await wb.xlsx.writeFile(xlsx);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the header under the title, merges a two-level header, reads text from every cell kind', async () => {
    const { ledger, problems } = await readLedger(xlsx);
    expect(ledger?.format).toBe('xlsx');
    expect(ledger?.sheets).toEqual(['移动存储介质', '计算机']); // not the summary sheet, not the hidden one
    const es = ledger!.entries;
    expect(es.map((e) => `${e.at.sheet}!${e.at.row} ${e.id}`)).toEqual([
      '移动存储介质!4 BM-U-001',
      '移动存储介质!5 BM-U-002',
      '移动存储介质!8 BM-U-004',
      '计算机!2 BM-PC-001',
      '计算机!3 NW-PC-002',
    ]);
    expect(byId(es, 'BM-U-001')).toMatchObject({ vendor: '金士顿', serial: '60A44C413A8CF2A1B9470A2D', vid: '0951', pid: '1666', class: 'classified', level: '机密' });
    // 密级 merged down G4:G5 applies to both rows; the formula cells give their cached results.
    expect(byId(es, 'BM-U-002')).toMatchObject({ vendor: 'SANDISK', serial: '4C530001230925108261', vid: '0781', class: 'classified', level: '机密' });
    expect(byId(es, 'BM-U-004')).toMatchObject({ serial: '12345678', inUse: false, class: 'nonclassified' });
    expect(byId(es, 'BM-PC-001')).toMatchObject({ isComputer: true, usbStorageAllowed: false, class: 'classified', level: '机密' });
    expect(byId(es, 'NW-PC-002')).toMatchObject({ isComputer: true, usbStorageAllowed: true, class: 'intranet' });
    expect(brief(problems)).toEqual([
      '移动存储介质!6 error serial-as-number 序列号(SN)',
      '移动存储介质!6 warning id-as-number VID',
      '移动存储介质!8 warning serial-as-number 序列号(SN)',
      '移动存储介质!10 warning not-an-entry',
    ]);
    const big = problems.find((p) => p.row === 6 && p.severity === 'error')!;
    expect(big.message).toContain('serial stored as a number, digits may be lost');
    expect(big.message).toContain('1234500000000000'); // never 1.2345e+15
    expect(big.messageZh).toContain('序列号以数字形式存储');
  });

  it('reads a workbook written by openpyxl (inline strings), reporting the numeric serial by row', async () => {
    const { ledger, problems } = await readLedger(join(FIX, 'openpyxl-ledger.xlsx'));
    expect(ledger?.entries.map((e) => [e.id, e.class, e.level, e.vid, e.at.row])).toEqual([
      ['OP-001', 'classified', '机密', '0951', 3],
      ['OP-003', 'classified', '绝密', '1058', 5],
    ]);
    expect(brief(problems)).toEqual(['介质台账!4 error serial-as-number 序列号']);
  });

  it('a zip that is not a workbook, and an old .xls, are errors of the file', async () => {
    const r = await parseLedger('x.xlsx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]));
    expect(r.ledger).toBeUndefined();
    expect(brief(r.problems)).toEqual(['0 error unreadable']);
    const xls = await parseLedger('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(brief(xls.problems)).toEqual(['0 error unsupported-format']);
  });
});

describe('values and headers', () => {
  it.each([
    ['涉密', { class: 'classified' }],
    ['classified', { class: 'classified' }],
    ['Classified (机密)', { class: 'classified', level: '机密' }],
    ['涉密（机密）', { class: 'classified', level: '机密' }],
    ['涉密-绝密', { class: 'classified', level: '绝密' }],
    ['机密', { class: 'classified', level: '机密' }],
    ['机密级', { class: 'classified', level: '机密' }],
    ['秘密', { class: 'classified', level: '秘密' }],
    ['内网', { class: 'intranet' }],
    ['工作网', { class: 'intranet' }],
    ['非涉密内网', { class: 'intranet' }],
    ['intranet', { class: 'intranet' }],
    ['非涉密', { class: 'nonclassified' }],
    ['互联网', { class: 'nonclassified' }],
    ['外网', { class: 'nonclassified' }],
    ['公开', { class: 'nonclassified' }],
    ['NonClassified', { class: 'nonclassified' }],
    ['内网（机密）', undefined],
    ['商业秘密级别', undefined],
    ['绝密的', undefined],
    ['U盘', undefined],
  ])('class %s', (v, want) => {
    expect(parseClass(v)).toEqual(want);
  });

  it('status and yes/no', () => {
    expect(['在用', '使用中', 'In Use', 'active'].map(parseStatus)).toEqual([true, true, true, true]);
    expect(['报废', '已报废', '丢失', '停用', '已销毁', 'lost', 'retired'].map(parseStatus)).toEqual([false, false, false, false, false, false, false]);
    expect(parseStatus('借给张三')).toBeUndefined();
    expect(['是', '允许', 'Yes', 'TRUE', 'y'].map(parseYesNo)).toEqual([true, true, true, true, true]);
    expect(['否', '禁止', 'no', 'False', '不允许'].map(parseYesNo)).toEqual([false, false, false, false, false]);
    expect(parseYesNo('也许')).toBeUndefined();
  });

  it.each([
    ['序列号(SN)', 'serial'],
    ['序列号（SN）', 'serial'],
    ['SN', 'serial'],
    [' Serial  Number ', 'serial'],
    ['S/N', 'serial'],
    ['序号', 'id'],
    ['No.', 'id'],
    ['厂商ID', 'vid'],
    ['产品 ID', 'pid'],
    ['使用人', 'owner'],
    ['保管人*', 'owner'],
    ['使用状态', 'status'],
    ['计算机名', 'hostname'],
    ['允许USB', 'usb'],
    ['USB存储', 'usb'],
    ['密级', 'class'],
    ['类别', 'class'],
    ['介质类型', 'type'],
    ['Brand', 'vendor'],
    ['型号', 'model'],
  ])('header %s', (h, field) => {
    expect(headerField(h)?.field).toBe(field);
  });
});
