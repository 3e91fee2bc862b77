// `baomi ledger validate FILE`: every problem in the ledger (台账) with file and row, then a summary
// of what it registers. Exit 2 when any problem is an error, else 0.
import { formatLocation, readLedger } from '../ledger/index.js';
import type { Ledger, LedgerClass, LedgerEntry, LedgerProblem } from '../ledger/index.js';
import { SECRET_LEVELS } from '../ledger/types.js';
import type { Lang } from '../report/text.js';
import { pickLang, terminalText } from './common.js';

/** `file[:row]: error: [column] message` (Chinese: `file[:row]: 错误: [列] …`). */
export function formatLedgerProblem(p: LedgerProblem, lang: Lang): string {
  const sev = lang === 'zh' ? (p.severity === 'error' ? '错误' : '警告') : p.severity;
  const col = p.column !== undefined ? `[${p.column}] ` : '';
  return `${formatLocation(p)}: ${sev}: ${col}${lang === 'zh' ? p.messageZh : p.message}`;
}

const CLASS_NAMES: Record<Lang, Record<LedgerClass, string>> = {
  en: { classified: 'classified', intranet: 'intranet', nonclassified: 'nonclassified' },
  zh: { classified: '涉密', intranet: '内网', nonclassified: '非涉密' },
};

function byClass(entries: LedgerEntry[], lang: Lang): string {
  const parts: string[] = [];
  for (const c of ['classified', 'intranet', 'nonclassified'] as const) {
    const of = entries.filter((e) => e.class === c);
    if (of.length === 0) continue;
    let part = `${CLASS_NAMES[lang][c]} ${of.length}`;
    if (c === 'classified') {
      const levels = [...SECRET_LEVELS]
        .reverse()
        .map((l) => [l, of.filter((e) => e.level === l).length] as const)
        .filter(([, n]) => n > 0)
        .map(([l, n]) => `${l} ${n}`);
      const none = of.filter((e) => e.level === undefined).length;
      if (levels.length > 0) {
        if (none > 0) levels.push(lang === 'zh' ? `未注明等级 ${none}` : `no level ${none}`);
        part += lang === 'zh' ? `（${levels.join('、')}）` : ` (${levels.join(', ')})`;
      }
    }
    parts.push(part);
  }
  return parts.join(lang === 'zh' ? '，' : ', ');
}

export function ledgerSummary(ledger: Ledger, lang: Lang): string {
  const media = ledger.entries.filter((e) => !e.isComputer);
  const computers = ledger.entries.filter((e) => e.isComputer);
  const notInUse = ledger.entries.filter((e) => !e.inUse).length;
  const noUsb = computers.filter((e) => e.usbStorageAllowed === false).length;
  if (lang === 'zh') {
    let s = `${ledger.file}：介质 ${media.length} 件`;
    if (media.length > 0) s += `（${byClass(media, lang)}）`;
    s += `；计算机 ${computers.length} 台`;
    if (computers.length > 0) s += `（${byClass(computers, lang)}）`;
    if (noUsb > 0) s += `，其中禁止 USB 存储 ${noUsb} 台`;
    if (notInUse > 0) s += `；不在用（停用/报废/丢失等）${notInUse} 条`;
    return s;
  }
  let s = `${ledger.file}: ${media.length} media`;
  if (media.length > 0) s += ` (${byClass(media, lang)})`;
  s += `, ${computers.length} computer${computers.length === 1 ? '' : 's'}`;
  if (computers.length > 0) s += ` (${byClass(computers, lang)})`;
  if (noUsb > 0) s += `, ${noUsb} with USB storage forbidden`;
  if (notInUse > 0) s += `; ${notInUse} not in use (retired, destroyed, lost…)`;
  return s;
}

export async function ledgerValidateCommand(file: string, opts: { lang?: string }): Promise<number> {
  const lang = pickLang(opts.lang);
  const { ledger, problems } = await readLedger(file);
  const out: string[] = problems.map((p) => formatLedgerProblem(p, lang));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (ledger) {
    const how =
      ledger.format === 'csv'
        ? ` [CSV, ${ledger.encoding ?? ''}, ${({ ',': 'comma', '\t': 'tab', ';': 'semicolon' } as Record<string, string>)[ledger.delimiter ?? ''] ?? ''}]`
        : ledger.format === 'xlsx'
          ? ` [XLSX: ${(ledger.sheets ?? []).join(', ')}]`
          : ' [YAML]';
    out.push(ledgerSummary(ledger, lang) + how);
  }
  out.push(
    lang === 'zh'
      ? errors > 0
        ? `台账有 ${errors} 个错误、${warnings} 个警告：改正错误后才能用于检查`
        : `台账可用（${warnings} 个警告）`
      : errors > 0
        ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: fix the errors before using this ledger`
        : `ok (${warnings} warning${warnings === 1 ? '' : 's'})`,
  );
  process.stdout.write(terminalText(out.join('\n')) + '\n');
  return errors > 0 ? 2 : 0;
}
