// `baomi report DIR... --pubkey FILE... --out FILE [--key FILE]`: the annual report from a season's signed
// per-machine reports (src/annual). Exit 0 written with every report counted, 1 written but some
// file was not counted (unsigned, altered, unknown key, not a report…), 2 usage or input error.
// The report (and the lines saying what was written) is in Chinese unless --lang en is given
// (docs/annual-report.md); usage errors are in the CLI's language, like every command's.
import type { Command } from 'commander';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { signatureText, writeAtomic } from '../report/sign.js';
import type { Ledger } from '../ledger/index.js';
import { ANNUAL_WORDS, fillWords } from '../report/messages-annual.js';
import type { Words } from '../report/messages.js';
import type { Lang } from '../report/text.js';
import { KeyError, keyIdOf, loadPrivateKey, loadPublicKey } from '../sign/keys.js';
import { terminalText, toolVersion, UsageError, type CliContext } from './common.js';
import { addCommand } from './help.js';
import { asUsageError, keyErrorWords } from './keys.js';

export interface ReportFlags {
  pubkey?: string[];
  out: string;
  year?: string;
  previous?: string[];
  ledger?: string[];
  key?: string;
}

/** `lang`: the report's language (--lang, else Chinese). */
export async function reportCommand(dirs: string[], flags: ReportFlags, lang: Lang = 'zh'): Promise<number> {
  // Loaded when the command runs, so that the other commands do not start slower for it.
  const [{ buildAnnual }, { exclusionReason }, { formatOf, writeAnnual }, { readLedger }] = await Promise.all([
    import('../annual/aggregate.js'), import('../annual/document.js'), import('../annual/write.js'), import('../ledger/index.js'),
  ]);
  type Vars = Record<string, string | number>;
  const w = (k: keyof typeof ANNUAL_WORDS, vars: Vars = {}): string => fillWords(ANNUAL_WORDS[k][lang], vars);
  // A usage error in both languages (main prints it in the CLI's); `both` gives a slot per language.
  const usage = (k: keyof typeof ANNUAL_WORDS, vars: Vars = {}, both: Record<string, Words> = {}): UsageError => {
    const of = (l: Lang): string => fillWords(ANNUAL_WORDS[k][l], { ...vars, ...Object.fromEntries(Object.entries(both).map(([n, v]) => [n, v[l]])) });
    return new UsageError({ zh: of('zh'), en: of('en') });
  };
  if (dirs.length === 0) throw usage('cliNoDirs');
  if (!flags.pubkey || flags.pubkey.length === 0) throw usage('cliNoPubkey');
  if (formatOf(flags.out) === undefined) throw usage('cliBadOut', { file: flags.out });
  let year: number | undefined;
  if (flags.year !== undefined) {
    if (!/^\d{4}$/.test(flags.year)) throw usage('cliBadYear', { year: flags.year });
    year = Number(flags.year);
  }
  const keys: KeyObject[] = [];
  for (const f of flags.pubkey) {
    try {
      keys.push(await loadPublicKey(f));
    } catch (err) {
      const why: Words = err instanceof KeyError ? keyErrorWords(err) : { zh: (err as Error).message, en: (err as Error).message };
      throw usage('cliBadKey', { file: f }, { why });
    }
  }
  const ledgers: Array<{ file: string; ledger: Ledger }> = [];
  for (const f of flags.ledger ?? []) {
    const r = await readLedger(f);
    const errors = r.problems.filter((p) => p.severity === 'error');
    if (!r.ledger || errors.length > 0) {
      const why = (l: Lang): string => errors.slice(0, 3).map((p) => (l === 'zh' ? p.messageZh : p.message)).join(l === 'zh' ? '；' : '; ');
      throw usage('cliBadLedger', { file: f }, { why: { zh: why('zh'), en: why('en') } });
    }
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
  // Signed like a scan's report when a key is given: the office's key, so the bureau can check
  // with its public key that the file is the one the office made (baomi verify FILE --pubkey).
  const signing = flags.key !== undefined ? await loadPrivateKey(flags.key).catch(asUsageError) : undefined;
  try {
    await writeAnnual(annual, flags.out);
    if (signing) await writeAtomic(`${flags.out}.sig`, Buffer.from(signatureText(await readFile(flags.out), signing), 'utf8'), false);
  } catch (err) {
    throw usage('cliWriteFailed', { file: flags.out, why: (err as Error).message });
  }
  if (signing) process.stdout.write(`${terminalText(w('cliSigned', { sig: `${flags.out}.sig`, keyId: keyIdOf(createPublicKey(signing)) }))}\n`);
  for (const e of annual.excluded) process.stderr.write(`${terminalText(w('cliExcluded', { file: e.file, reason: [exclusionReason(e, lang).reason, exclusionReason(e, lang).detail].filter(Boolean).join(' ') }))}\n`);
  process.stdout.write(`${terminalText(w('cliWritten', { file: flags.out, machines: annual.machines.total, findings: annual.findings.total, counted: annual.reports.counted, excluded: annual.excluded.length }))}\n`);
  return annual.excluded.some((e) => e.kind !== 'other-year') ? 1 : 0;
}

export function registerReport(program: Command, cx: CliContext): void {
  addCommand(program, cx, 'report', [0, 1, 2])
    .argument('<dirs...>', cx.t('report.arg.dirs'))
    .option('--pubkey <files...>', cx.t('report.opt.pubkey'))
    .requiredOption('--out <file>', cx.t('report.opt.out'))
    .option('--year <yyyy>', cx.t('report.opt.year'))
    .option('--previous <dirs...>', cx.t('report.opt.previous'))
    .option('--ledger <files...>', cx.t('report.opt.ledger'))
    .option('--key <file>', cx.t('report.opt.key'))
    .action(async (dirs: string[], opts: ReportFlags, cmd: Command) => {
      // The annual report is Chinese unless --lang is given (not the locale: it goes to the 保密 office).
      const given = cmd.optsWithGlobals<{ lang?: string }>().lang;
      cx.setExit(await reportCommand(dirs, opts, given === 'en' || given === 'zh' ? given : 'zh'));
    });
}
