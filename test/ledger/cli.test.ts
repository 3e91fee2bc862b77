// `baomi ledger validate FILE` (the command function; main.ts wires it).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatLedgerProblem, ledgerValidateCommand } from '../../src/cli/ledger.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'ledger');

async function run(file: string, lang: string): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await ledgerValidateCommand(file, { lang });
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('ledgerValidateCommand', () => {
  it('a good ledger: exit 0, a summary by class', async () => {
    const { code, out } = await run(join(FIX, 'media-en-bom.csv'), 'en');
    expect(code).toBe(0);
    expect(out).toContain(
      `${join(FIX, 'media-en-bom.csv')}: 3 media (intranet 1, nonclassified 2), 3 computers (classified 1 (机密 1), intranet 1, nonclassified 1), 1 with USB storage forbidden; 1 not in use`,
    );
    expect(out).toContain('[CSV, utf-8-bom, comma]');
    expect(out.trim().split('\n').at(-1)).toBe('ok (0 warnings)');
  });

  it('warnings only: exit 0, in Chinese', async () => {
    const { code, out } = await run(join(FIX, 'media-gbk.csv'), 'zh');
    expect(code).toBe(0);
    expect(out).toContain(`${join(FIX, 'media-gbk.csv')}:9: 警告: [序列号(SN)] 光盘未登记序列号`);
    expect(out).toContain('介质 6 件（涉密 4（机密 3、秘密 1），内网 1，非涉密 1）；计算机 0 台；不在用（停用/报废/丢失等）1 条');
    expect(out.trim().split('\n').at(-1)).toBe('台账可用（2 个警告）');
  });

  it('errors: exit 2, every problem with file and row', async () => {
    const { code, out } = await run(join(FIX, 'broken.csv'), 'en');
    expect(code).toBe(2);
    const f = join(FIX, 'broken.csv');
    expect(out).toContain(`${f}:8: error: [序列号] serial "1.23457E+15" is a number in exponent form`);
    expect(out).toContain(`${f}:16: error: [允许USB] unknown value "也许" for USB storage`);
    expect(out.trim().split('\n').at(-1)).toBe('10 errors, 3 warnings: fix the errors before using this ledger');
  });

  it('a file that cannot be read: exit 2, one line, no summary', async () => {
    const { code, out } = await run(join(FIX, 'none.xlsx'), 'zh');
    expect(code).toBe(2);
    expect(out).toBe(`${join(FIX, 'none.xlsx')}: 错误: 无法读取台账：no such file\n台账有 1 个错误、0 个警告：改正错误后才能用于检查\n`);
  });

  it('XLSX problems name the sheet', () => {
    expect(
      formatLedgerProblem(
        { file: 'l.xlsx', sheet: '介质', row: 5, column: '序列号', code: 'x', message: 'm', messageZh: '中', severity: 'warning' },
        'en',
      ),
    ).toBe('l.xlsx[介质]:5: warning: [序列号] m');
  });
});
