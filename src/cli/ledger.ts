// `baomi ledger validate FILE`: every problem in the ledger (台账) with file and row, then a summary
// of what it registers. Exit 2 when any problem is an error, else 0.
import type { Command } from 'commander';
import { formatLocation, readLedger } from '../ledger/index.js';
import type { Ledger, LedgerClass, LedgerEntry, LedgerProblem } from '../ledger/index.js';
import { SECRET_LEVELS } from '../ledger/types.js';
import { cliText, type Words } from '../report/messages.js';
import type { Lang } from '../report/text.js';
import { cliContext, pickLang, terminalText, type CliContext } from './common.js';
import { addCommand } from './help.js';

export function registerLedger(program: Command, cx: CliContext): void {
  const ledger = addCommand(program, cx, 'ledger', [0, 2]);
  addCommand(ledger, cx, 'ledger.validate', [0, 2])
    .argument('<file>', cx.t('ledger.validate.arg.file'))
    .action(async (file: string) => cx.setExit(await ledgerValidateCommand(file, cx)));
}

/** `file[:row]: error: [column] message` (Chinese: `file[:row]: 错误: [列] …`). */
/** A ledger problem line in both languages (for a usage error printed later). */
export function ledgerProblemWords(p: LedgerProblem): Words {
  return { zh: formatLedgerProblem(p, 'zh'), en: formatLedgerProblem(p, 'en') };
}

export function formatLedgerProblem(p: LedgerProblem, lang: Lang): string {
  const sev = cliText(p.severity === 'error' ? 'ledger.severity.error' : 'ledger.severity.warning', lang);
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
        if (none > 0) levels.push(cliText('ledger.noLevel', lang, { n: none }));
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
  const t = (k: Parameters<typeof cliText>[0], vars?: Parameters<typeof cliText>[2]): string => cliText(k, lang, vars);
  return t('ledger.summaryLine', {
    file: ledger.file,
    media: media.length,
    mediaByClass: media.length > 0 ? t('ledger.byClass', { parts: byClass(media, lang) }) : '',
    computers: computers.length,
    computersByClass: computers.length > 0 ? t('ledger.byClass', { parts: byClass(computers, lang) }) : '',
    noUsb: noUsb > 0 ? t('ledger.noUsb', { n: noUsb }) : '',
    notInUse: notInUse > 0 ? t('ledger.notInUse', { n: notInUse }) : '',
  });
}

export async function ledgerValidateCommand(file: string, opts: { lang?: string } = {}): Promise<number> {
  const cx = cliContext(pickLang(opts.lang));
  const lang = cx.lang;
  const { ledger, problems } = await readLedger(file);
  const out: string[] = problems.map((p) => formatLedgerProblem(p, lang));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (ledger) {
    const how =
      ledger.format === 'csv'
        ? ` [CSV, ${ledger.encoding ?? ''}, ${({ ',': cx.t('ledger.delim.comma'), '\t': cx.t('ledger.delim.tab'), ';': cx.t('ledger.delim.semicolon') } as Record<string, string>)[ledger.delimiter ?? ''] ?? ''}]`
        : ledger.format === 'xlsx'
          ? ` [XLSX: ${(ledger.sheets ?? []).join(', ')}]`
          : ' [YAML]';
    out.push(ledgerSummary(ledger, lang) + how);
  }
  out.push(errors > 0 ? cx.t('ledger.bad', { errors, warnings }) : cx.t('ledger.ok', { warnings }));
  process.stdout.write(terminalText(out.join('\n')) + '\n');
  return errors > 0 ? 2 : 0;
}
