// `baomi report DIR... --pubkey FILE... --out FILE`: the annual report from a season's signed
// per-machine reports (src/annual). Exit 0 written with every report counted, 1 written but some
// file was not counted (unsigned, altered, unknown key, not a report…), 2 usage or input error.
import { Command, Option } from 'commander';
import type { KeyObject } from 'node:crypto';
import type { Ledger } from '../ledger/index.js';
import { ANNUAL_WORDS, fillWords } from '../report/messages-annual.js';
import { loadPublicKey } from '../sign/keys.js';
import { terminalText, toolVersion, UsageError } from './common.js';

export interface ReportFlags {
  pubkey?: string[];
  out: string;
  year?: string;
  previous?: string[];
  lang?: string;
  ledger?: string[];
}

export async function reportCommand(dirs: string[], flags: ReportFlags): Promise<number> {
  // Loaded when the command runs, so that the other commands do not start slower for it.
  const [{ buildAnnual }, { exclusionReason }, { formatOf, writeAnnual }, { readLedger }] = await Promise.all([
    import('../annual/aggregate.js'), import('../annual/document.js'), import('../annual/write.js'), import('../ledger/index.js'),
  ]);
  const lang = flags.lang === 'en' ? 'en' : 'zh';
  const w = (k: keyof typeof ANNUAL_WORDS, vars: Record<string, string | number> = {}): string => fillWords(ANNUAL_WORDS[k][lang], vars);
  if (dirs.length === 0) throw new UsageError(w('cliNoDirs'));
  if (!flags.pubkey || flags.pubkey.length === 0) throw new UsageError(w('cliNoPubkey'));
  if (formatOf(flags.out) === undefined) throw new UsageError(w('cliBadOut', { file: flags.out }));
  let year: number | undefined;
  if (flags.year !== undefined) {
    if (!/^\d{4}$/.test(flags.year)) throw new UsageError(w('cliBadYear', { year: flags.year }));
    year = Number(flags.year);
  }
  const keys: KeyObject[] = [];
  for (const f of flags.pubkey) {
    try {
      keys.push(await loadPublicKey(f));
    } catch (err) {
      throw new UsageError(w('cliBadKey', { file: f, why: (err as Error).message }));
    }
  }
  const ledgers: Array<{ file: string; ledger: Ledger }> = [];
  for (const f of flags.ledger ?? []) {
    const r = await readLedger(f);
    const errors = r.problems.filter((p) => p.severity === 'error');
    if (!r.ledger || errors.length > 0) throw new UsageError(w('cliBadLedger', { file: f, why: errors.slice(0, 3).map((p) => (lang === 'zh' ? p.messageZh : p.message)).join('; ') }));
    ledgers.push({ file: f, ledger: r.ledger });
  }
  const annual = await buildAnnual({
    dirs,
    previousDirs: flags.previous ?? [],
    keys,
    keyFiles: flags.pubkey,
    ledgers,
    ...(year !== undefined ? { year } : {}),
    lang,
    toolVersion: toolVersion(),
  });
  try {
    await writeAnnual(annual, flags.out);
  } catch (err) {
    throw new UsageError(w('cliWriteFailed', { file: flags.out, why: (err as Error).message }));
  }
  for (const e of annual.excluded) process.stderr.write(`${terminalText(w('cliExcluded', { file: e.file, reason: [exclusionReason(e, lang).reason, exclusionReason(e, lang).detail].filter(Boolean).join(' ') }))}\n`);
  process.stdout.write(`${terminalText(w('cliWritten', { file: flags.out, machines: annual.machines.total, findings: annual.findings.total, counted: annual.reports.counted, excluded: annual.excluded.length }))}\n`);
  return annual.excluded.some((e) => e.kind !== 'other-year') ? 1 : 0;
}

export function registerReport(program: Command, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('the annual report (年度自查报告) from many signed reports: .json, .md, .html, .xlsx or .docx by the --out extension; exit 1 when some file was not counted')
    .argument('<dirs...>', 'folders of signed reports (searched recursively)')
    .option('--pubkey <files...>', 'public keys (PEM) the reports must be signed with (the kits\' keys)')
    .requiredOption('--out <file>', 'the report to write: .json, .md, .html, .xlsx or .docx')
    .option('--year <yyyy>', 'count only scans of this year (UTC)')
    .option('--previous <dirs...>', "the previous period's report folders, for rectification (fixed / still open / new)")
    .option('--ledger <files...>', "the units' ledgers (台账): registered media never seen on any computer")
    .addOption(new Option('--lang <lang>', 'report language (default zh)').choices(['zh', 'en']))
    .action(async (dirs: string[], opts: ReportFlags) => setExit(await reportCommand(dirs, opts)));
}
