// `baomi results list DIR`: the kit's batch log as a table; a report missing, altered or badly
// signed is flagged and the exit code is 1.
import type { Command } from 'commander';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { checkResults, type ResultStatus } from '../kit/batch.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';
import { keyIdOf, loadPublicKey } from '../sign/keys.js';
import { cliContext, terminalText, type CliContext } from './common.js';
import { addCommand } from './help.js';
import { asUsageError } from './keys.js';

const STATUS = { ok: KIT_MSG.resultsOk, missing: KIT_MSG.resultsMissing, altered: KIT_MSG.resultsAltered, 'bad-signature': KIT_MSG.resultsBadSig, unlisted: KIT_MSG.resultsUnlisted, 'not-scanned': KIT_MSG.resultsNotScanned } as const satisfies Record<ResultStatus, unknown>;

/** Not tampering: a report the log does not list (e.g. a scan run outside the kit), a volume not scanned (shown as such). */
const OK: ReadonlySet<ResultStatus> = new Set(['ok', 'unlisted', 'not-scanned']);

export async function resultsListCommand(dir: string, opts: { pubkey?: string; json?: boolean }, cx: CliContext = cliContext('en')): Promise<number> {
  const lang = cx.lang;
  // The kit's public key beside results/ is used when none is given.
  let pubPath = opts.pubkey;
  if (pubPath === undefined) {
    const beside = join(dir, '..', 'kit.pub');
    if (await access(beside).then(() => true, () => false)) pubPath = beside;
  }
  const key = pubPath !== undefined ? await loadPublicKey(pubPath).catch(asUsageError) : undefined;
  const r = await checkResults(dir, key);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  } else {
    // Each line, and each cell of the table, made printable on its own: the tabs between cells stay tabs.
    const lines: string[] = [];
    const row = (cells: string[]): string => cells.map(terminalText).join('\t');
    if (!r.indexFound) lines.push(terminalText(kitWords(KIT_MSG.resultsNoIndex, lang, { dir })));
    lines.push(terminalText(key ? kitWords(KIT_MSG.resultsKey, lang, { keyId: keyIdOf(key) }) : KIT_MSG.resultsNoKey[lang]));
    lines.push(row(KIT_MSG.resultsHeader[lang].split('\t')));
    for (const r0 of r.rows) {
      const ns = r0.notScanned;
      if (ns) {
        const why = ns.reason === 'encrypted' ? kitWords(KIT_MSG.notScannedEncrypted, lang, { scheme: ns.scheme ?? '?' }) : ns.reason === 'no-os' ? KIT_MSG.notScannedNoOs[lang] : KIT_MSG.notScannedMount[lang];
        lines.push(row([ns.time, `${ns.device}${ns.label ? ` (${ns.label})` : ''}`, '-', '-', '-', `${STATUS['not-scanned'][lang]}: ${why}`, '-']));
        continue;
      }
      const e = r0.entry;
      lines.push(
        row([e?.time ?? '-', e?.machine.hostname ?? '-', e ? `${e.profile}${e.level ? `（${e.level}）` : ''}` : '-', e ? String(e.findings) : '-', e ? String(e.exitCode) : '-', `${STATUS[r0.status][lang]}${r0.why || r0.reason ? `: ${r0.why?.[lang] ?? r0.reason}` : ''}`, r0.report]),
      );
    }
    for (const n of r.badLines) lines.push(terminalText(kitWords(KIT_MSG.resultsBadLine, lang, { line: n })));
    const bad = r.rows.filter((x) => !OK.has(x.status)).length + r.badLines.length;
    lines.push(terminalText(kitWords(KIT_MSG.resultsSummary, lang, { n: r.rows.filter((x) => x.status !== 'not-scanned').length, bad })));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const failed = !r.indexFound || r.badLines.length > 0 || r.rows.some((x) => !OK.has(x.status));
  return failed ? 1 : 0;
}

export function registerResults(program: Command, cx: CliContext): void {
  const results = addCommand(program, cx, 'results', [0, 2]);
  addCommand(results, cx, 'results.list', [0, 1, 2])
    .argument('<dir>', cx.t('results.list.arg.dir'))
    .option('--pubkey <file>', cx.t('results.list.opt.pubkey'))
    .option('--json', cx.t('results.list.opt.json'))
    .action(async (dir: string, opts: { pubkey?: string; json?: boolean }) => cx.setExit(await resultsListCommand(dir, opts, cx)));
}
