// `baomi rules list | show ID | validate PATH… | test PATH…`
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { PROBE_MAP } from '../checks/index.js';
import { runCases } from '../engine/cases.js';
import { BUILTIN_RULES_DIR, displayPath, formatProblem, loadRules, problemWords, ruleFilesAt, type LoadedRules } from '../engine/rules.js';
import { severityFor } from '../engine/run.js';
import { PROFILES } from '../engine/types.js';
import { cliContext, terminalText, usageError, type CliContext } from './common.js';
import { addCommand } from './help.js';
import { parseProfile } from './scan.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerRules(program: Command, cx: CliContext): void {
  const rules = addCommand(program, cx, 'rules', [0, 2]);
  addCommand(rules, cx, 'rules.list', [0, 2])
    .option('--rules <path>', cx.t('rules.opt.rules'), collect)
    .option('--profile <profile>', cx.t('rules.list.opt.profile'))
    .action(async (opts: { rules?: string[]; profile?: string }) => cx.setExit(await rulesListCommand(opts, cx)));
  addCommand(rules, cx, 'rules.show', [0, 2])
    .argument('<id>', cx.t('rules.show.arg.id'))
    .option('--rules <path>', cx.t('rules.opt.rules'), collect)
    .action(async (id: string, opts: { rules?: string[] }) => cx.setExit(await rulesShowCommand(id, opts, cx)));
  addCommand(rules, cx, 'rules.validate', [0, 2])
    .argument('<paths...>', cx.t('rules.validate.arg.paths'))
    .action(async (paths: string[]) => cx.setExit(await rulesValidateCommand(paths, cx)));
  addCommand(rules, cx, 'rules.test', [0, 1, 2])
    .argument('<paths...>', cx.t('rules.test.arg.paths'))
    .action(async (paths: string[]) => cx.setExit(await rulesTestCommand(paths, cx)));
}

async function loadAll(extra: string[] | undefined, cx: CliContext): Promise<LoadedRules> {
  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...(extra ?? []).map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  warn(loaded.warnings, cx);
  if (loaded.problems.length > 0) throw usageError('rules.err.problems', { n: loaded.problems.length }, loaded.problems.map(problemWords));
  return loaded;
}

function warn(warnings: readonly string[], cx: CliContext): void {
  for (const w of warnings) process.stderr.write(terminalText(`baomi: ${cx.t('rules.warning', { message: w })}`) + '\n');
}

export async function rulesListCommand(opts: { rules?: string[]; profile?: string }, cx: CliContext = cliContext('en')): Promise<number> {
  const lang = cx.lang;
  const profile = opts.profile !== undefined ? parseProfile(opts.profile).profile : undefined;
  const { rules } = await loadAll(opts.rules, cx);
  const shown = profile ? rules.filter((r) => r.profiles.includes(profile)) : rules;
  for (const r of shown.sort((a, b) => a.id.localeCompare(b.id))) {
    const sev = PROFILES.filter((p) => r.profiles.includes(p)).map((p) => `${p}:${severityFor(r, p)}`).join(' ');
    process.stdout.write(`${r.id.padEnd(32)} ${r.probe.padEnd(22)} ${sev.padEnd(50)} ${r.title[lang]}${r.source.builtin ? '' : `  [${r.source.file}]`}\n`);
  }
  return 0;
}

export async function rulesShowCommand(id: string, opts: { rules?: string[] }, cx: CliContext = cliContext('en')): Promise<number> {
  const { rules } = await loadAll(opts.rules, cx);
  const r = rules.find((x) => x.id === id);
  if (!r) throw usageError('rules.err.noRule', { id });
  const { source, ...rest } = r;
  process.stdout.write(`# ${source.file}:${source.line}\n${stringify(rest)}`);
  return 0;
}

export async function rulesValidateCommand(paths: string[], cx: CliContext = cliContext('en')): Promise<number> {
  // Validated together with the built-ins, so duplicate and replaced ids are reported as a scan would.
  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...paths.map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  warn(loaded.warnings, cx);
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) process.stderr.write(`${terminalText(formatProblem(p, cx.lang))}\n`);
    process.stderr.write(`baomi: ${cx.t('rules.validate.problems', { n: loaded.problems.length })}\n`);
    return 2;
  }
  process.stdout.write(`${cx.t('rules.validate.ok', { files: loaded.files.length, rules: loaded.rules.length })}\n`);
  return 0;
}

/**
 * `baomi rules test FILE...`: load the files (with the built-ins, as a scan would) and run the cases
 * of the rules they hold. Exit 0 when every case gives its expected verdict, 1 when one does not (or
 * a rule has no case), 2 when the files do not load.
 */
export async function rulesTestCommand(paths: string[], cx: CliContext = cliContext('en')): Promise<number> {
  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...paths.map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  warn(loaded.warnings, cx);
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) process.stderr.write(`${terminalText(formatProblem(p, cx.lang))}\n`);
    process.stderr.write(`baomi: ${cx.t('rules.test.problems', { n: loaded.problems.length })}\n`);
    return 2;
  }
  const files = new Set<string>();
  for (const p of paths) for (const f of await ruleFilesAt(p)) files.add(displayPath(f));
  const rules = loaded.rules.filter((r) => files.has(r.source.file));
  const results = runCases(rules);
  let failed = 0;
  for (const r of results) {
    if (r.passed) process.stdout.write(terminalText(cx.t('rules.test.ok', { rule: r.rule, name: r.name })) + '\n');
    else {
      failed++;
      process.stdout.write(terminalText(cx.t('rules.test.fail', { rule: r.rule, name: r.name, at: r.at, want: String(r.want), got: String(r.got) })) + '\n');
    }
  }
  const without = rules.filter((r) => (r.cases ?? []).length === 0);
  for (const r of without) process.stdout.write(terminalText(cx.t('rules.test.noCases', { rule: r.id, at: `${r.source.file}:${r.source.line}` })) + '\n');
  process.stdout.write(`${cx.t('rules.test.summaryLine', { passed: results.length - failed, failed, rules: rules.length, without: without.length })}\n`);
  return failed > 0 || without.length > 0 || rules.length === 0 ? 1 : 0;
}
