// Broken ledgers: every problem, with the row number the officer sees (CSV line, YAML line), the
// column as written, and the severity.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLedger, readLedger, validateLedger } from '../../src/ledger/index.js';
import type { Ledger, LedgerEntry, LedgerProblem } from '../../src/ledger/index.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'ledger');
const brief = (ps: LedgerProblem[]): string[] => ps.map((p) => `${p.row} ${p.severity} ${p.code}${p.column ? ' ' + p.column : ''}`);

describe('broken.csv', () => {
  it('reports every problem on its line (a quoted line break moves the lines after it)', async () => {
    const { ledger, problems } = await readLedger(join(FIX, 'broken.csv'));
    expect(brief(problems)).toEqual([
      '4 error duplicate-serial', // "aa040127 0001&0" is "AA04 0127-0001" (line 3)
      '5 error duplicate-id',
      '6 error missing-value 序列号',
      '7 warning missing-value 序列号', // an optical disc
      '8 error serial-as-number 序列号', // 1.23457E+15
      '9 error bad-usb-id VID',
      '10 error unknown-class 密级',
      '10 warning unknown-status 状态',
      '11 error missing-value 编号',
      '12 error missing-value 类型',
      '13 error missing-value 密级',
      '16 error unknown-usb 允许USB', // after the two-line note of line 14
      '17 warning synthesized-serial 序列号',
    ]);
    for (const p of problems) expect(p.file).toBe(join(FIX, 'broken.csv'));
    const dup = problems.find((p) => p.code === 'duplicate-serial')!;
    expect(dup.message).toContain(`${join(FIX, 'broken.csv')}:3`);
    expect(dup.messageZh).toContain('序列号');
    // Rows with errors in them are left out; the others stay.
    expect(ledger?.entries.map((e) => `${e.at.row} ${e.id}`)).toEqual(['3 M-01', '4 M-02', '5 M-02', '7 M-05', '14 M-12', '17 M-13']);
  });
});

describe('broken YAML', () => {
  it('reports shape and value problems on their lines', async () => {
    const { ledger, problems } = await readLedger(join(FIX, 'broken.yaml'));
    expect(brief(problems)).toEqual([
      '6 error missing-value serial', // Y-02's serial is a list (line 8), so Y-02 has none
      '8 error yaml-shape serial',
      '10 error unknown-class class',
      '14 warning unknown-column colour',
      '15 error duplicate-serial', // "sn y 01" is "SN-Y-01" (line 2)
      '20 error unknown-usb usb',
    ]);
    expect(ledger?.entries.map((e) => e.id)).toEqual(['Y-01', 'Y-04']);
  });

  it('a YAML syntax error is reported with its line, and nothing is read', async () => {
    const { ledger, problems } = await readLedger(join(FIX, 'syntax.yaml'));
    expect(ledger).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.severity === 'error' && p.code === 'yaml-syntax')).toBe(true);
    expect(problems[0]!.row).toBe(4);
  });
});

describe('files that are not ledgers', () => {
  it('empty file', async () => {
    const r = await readLedger(join(FIX, 'empty.csv'));
    expect(r.ledger).toBeUndefined();
    expect(brief(r.problems)).toEqual(['0 error empty']);
  });

  it('a BOM and blank lines only is empty too', async () => {
    const r = await parseLedger('x.csv', Buffer.from('\uFEFF\r\n\r\n'));
    expect(brief(r.problems)).toEqual(['0 error empty']);
  });

  it('no header row in the first 10 rows', async () => {
    const r = await readLedger(join(FIX, 'noheader.csv'));
    expect(r.ledger).toBeUndefined();
    expect(brief(r.problems)).toEqual(['0 error no-header']);
    const late = ['台账', ...Array.from({ length: 10 }, () => ''), '编号,类型,序列号,密级', 'A,U盘,S,涉密'].join('\n');
    expect(brief((await parseLedger('late.csv', Buffer.from(late))).problems)).toEqual(['0 error no-header']);
  });

  it('a missing file', async () => {
    const r = await readLedger(join(FIX, 'no-such-ledger.xlsx'));
    expect(brief(r.problems)).toEqual(['0 error unreadable']);
    expect(r.problems[0]!.message).toContain('no such file');
  });

  it('a header and no rows: a warning', async () => {
    const r = await parseLedger('h.csv', Buffer.from('编号,类型,序列号,密级\n'));
    expect(r.ledger?.entries).toEqual([]);
    expect(brief(r.problems)).toEqual(['0 warning empty']);
  });

  it('an unterminated quote', async () => {
    const r = await parseLedger('q.csv', Buffer.from('编号,类型,序列号,密级\nA,U盘,S1,涉密\nB,U盘,"S2,涉密\nC,U盘,S3,涉密\n'));
    expect(brief(r.problems)).toContain('3 error csv-quote');
  });
});

describe('value checks', () => {
  it('VID/PID forms, a VID:PID column, levels in their own column', async () => {
    const csv = [
      '编号,类型,序列号,VID,PID,USB ID,密级,涉密等级',
      'A,U盘,S-A,0x0781,PID_5567,,涉密,机密', // 2
      'B,U盘,S-B,,,USB\\VID_0951&PID_1666\\123,内网,', // 3
      'C,U盘,S-C,781,5567,,涉密,', // 4: "781" is not 4 hex digits
      'D,U盘,S-D,,,0781:5567,涉密（秘密）,机密', // 5: contradiction
      'E,U盘,S-E,0951,,0781:5567,非涉密,', // 6: contradicts the VID column
      'F,U盘,S-F,,,,内网,绝密', // 7: a level for an intranet row
    ].join('\n');
    const { ledger, problems } = await parseLedger('v.csv', Buffer.from(csv));
    expect(ledger?.entries.map((e) => [e.id, e.vid, e.pid, e.class, e.level])).toEqual([
      ['A', '0781', '5567', 'classified', '机密'],
      ['B', '0951', '1666', 'intranet', undefined],
    ]);
    expect(brief(problems)).toEqual([
      '4 error bad-usb-id VID',
      '5 error level-conflict 涉密等级',
      '6 error bad-usb-id USB ID',
      '7 error level-conflict 涉密等级',
    ]);
  });

  it('密级 and 类别 both present: the second fills in and must agree; a USB column on media rows is ignored', async () => {
    const csv = [
      '编号,类型,序列号,密级,类别,USB',
      'A,U盘,S-A,机密,涉密,USB 3.0', // 2: both agree
      'B,U盘,S-B,,非涉密,USB 2.0', // 3: 类别 fills in
      'C,U盘,S-C,,涉密（秘密）,', // 4
      'D,U盘,S-D,机密,内网,', // 5: contradiction
      'E,U盘,S-E,涉密,秘密,', // 6: 类别 gives the level
    ].join('\n');
    const { ledger, problems } = await parseLedger('c.csv', Buffer.from(csv));
    expect(ledger?.entries.map((e) => [e.id, e.class, e.level])).toEqual([
      ['A', 'classified', '机密'],
      ['B', 'nonclassified', undefined],
      ['C', 'classified', '秘密'],
      ['E', 'classified', '秘密'],
    ]);
    expect(brief(problems)).toEqual(['5 error class-conflict 类别']);
  });

  it('"/" and "无" in a cell are empty; 无 as a serial is a missing serial', async () => {
    const csv = '编号,类型,序列号,VID,密级,状态\nA,U盘,无,/,涉密,-\nB,光盘,/,,涉密,\n';
    const { problems } = await parseLedger('e.csv', Buffer.from(csv));
    expect(brief(problems)).toEqual(['2 error missing-value 序列号', '3 warning missing-value 序列号']);
  });

  it('same serial told apart by VID/PID is a warning; duplicate computer serials and host names', async () => {
    const csv = [
      '编号,类型,序列号,VID,PID,密级,主机名',
      'A,U盘,0123456789ABCDEF,0781,5567,涉密,',
      'B,U盘,0123456789abcdef,090c,1000,涉密,',
      'C,台式机,PF1,,,涉密,pc-1',
      'D,笔记本,pf1,,,涉密,PC-1',
      'a,U盘,XYZ,,,涉密,', // ids compare case-insensitively
    ].join('\n');
    const { problems } = await parseLedger('d.csv', Buffer.from(csv));
    expect(brief(problems)).toEqual(['3 warning duplicate-serial', '5 error duplicate-serial', '5 warning duplicate-hostname', '6 error duplicate-id']);
  });

  it('validateLedger works on a ledger built in code', () => {
    const e = (id: string, serial: string, row: number): LedgerEntry => ({
      id,
      type: 'U盘',
      isComputer: false,
      serial,
      serialKey: serial.toUpperCase(),
      class: 'classified',
      inUse: true,
      at: { file: 'mem', row },
    });
    const ledger: Ledger = { file: 'mem', format: 'yaml', entries: [e('1', 'abc', 1), e('2', 'ABC', 2)] };
    expect(brief(validateLedger(ledger))).toEqual(['2 error duplicate-serial']);
  });
});
