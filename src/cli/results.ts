// `baomi results list DIR`: the kit's batch log as a table; a report missing, altered or badly
// signed is flagged and the exit code is 1.
import { Option, type Command } from 'commander';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { checkResults, type ResultStatus } from '../kit/batch.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';
import { KeyError, keyIdOf, loadPublicKey } from '../sign/keys.js';
import { pickLang, terminalText, UsageError } from './common.js';

const STATUS = { ok: KIT_MSG.resultsOk, missing: KIT_MSG.resultsMissing, altered: KIT_MSG.resultsAltered, 'bad-signature': KIT_MSG.resultsBadSig, unlisted: KIT_MSG.resultsUnlisted, 'not-scanned': KIT_MSG.resultsNotScanned } as const satisfies Record<ResultStatus, unknown>;

/** Not tampering: a report the log does not list (e.g. a scan run outside the kit), a volume not scanned (shown as such). */
const OK: ReadonlySet<ResultStatus> = new Set(['ok', 'unlisted', 'not-scanned']);

export async function resultsListCommand(dir: string, opts: { pubkey?: string; lang?: string; json?: boolean }): Promise<number> {
  const lang = pickLang(opts.lang);
  // The kit's public key beside results/ is used when none is given.
  let pubPath = opts.pubkey;
  if (pubPath === undefined) {
    const beside = join(dir, '..', 'kit.pub');
    if (await access(beside).then(() => true, () => false)) pubPath = beside;
  }
  let key;
  try {
    key = pubPath !== undefined ? await loadPublicKey(pubPath) : undefined;
  } catch (err) {
    if (err instanceof KeyError) throw new UsageError(err.message);
    throw err;
  }
  const r = await checkResults(dir, key);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    if (!r.indexFound) lines.push(kitWords(KIT_MSG.resultsNoIndex, lang, { dir }));
    lines.push(key ? kitWords(KIT_MSG.resultsKey, lang, { keyId: keyIdOf(key) }) : KIT_MSG.resultsNoKey[lang]);
    lines.push(KIT_MSG.resultsHeader[lang]);
    for (const row of r.rows) {
      const ns = row.notScanned;
      if (ns) {
        const why = ns.reason === 'encrypted' ? kitWords(KIT_MSG.notScannedEncrypted, lang, { scheme: ns.scheme ?? '?' }) : ns.reason === 'no-os' ? KIT_MSG.notScannedNoOs[lang] : KIT_MSG.notScannedMount[lang];
        lines.push([ns.time, `${ns.device}${ns.label ? ` (${ns.label})` : ''}`, '-', '-', '-', `${STATUS['not-scanned'][lang]}: ${why}`, '-'].join('\t'));
        continue;
      }
      const e = row.entry;
      lines.push(
        [e?.time ?? '-', e?.machine.hostname ?? '-', e ? `${e.profile}${e.level ? `（${e.level}）` : ''}` : '-', e ? String(e.findings) : '-', e ? String(e.exitCode) : '-', `${STATUS[row.status][lang]}${row.reason ? `: ${row.reason}` : ''}`, row.report].join('\t'),
      );
    }
    for (const n of r.badLines) lines.push(kitWords(KIT_MSG.resultsBadLine, lang, { line: n }));
    const bad = r.rows.filter((x) => !OK.has(x.status)).length + r.badLines.length;
    lines.push(kitWords(KIT_MSG.resultsSummary, lang, { n: r.rows.filter((x) => x.status !== 'not-scanned').length, bad }));
    process.stdout.write(`${terminalText(lines.join('\n'))}\n`);
  }
  const failed = !r.indexFound || r.badLines.length > 0 || r.rows.some((x) => !OK.has(x.status));
  return failed ? 1 : 0;
}

export function registerResults(program: Command, setExit: (code: number) => void): void {
  const results = program.command('results').description("a kit's results folder");
  results
    .command('list')
    .description('the batch log (index.jsonl) as a table; flags a report that is missing, altered (SHA-256 differs) or badly signed, and then exits 1')
    .argument('<dir>', 'the results folder (the kit public key ../kit.pub is used when present)')
    .option('--pubkey <file>', 'public key (PEM) the reports must be signed with')
    .option('--json', 'print JSON')
    .addOption(new Option('--lang <lang>').choices(['zh', 'en']))
    .action(async (dir: string, opts: { pubkey?: string; lang?: string; json?: boolean }) => setExit(await resultsListCommand(dir, opts)));
}
