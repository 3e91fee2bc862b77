// `baomi rules list | show ID | validate PATH… | test PATH…`
import { stringify } from 'yaml';
import { PROBE_MAP } from '../checks/index.js';
import { runCases } from '../engine/cases.js';
import { BUILTIN_RULES_DIR, displayPath, formatProblem, loadRules, ruleFilesAt, type LoadedRules } from '../engine/rules.js';
import { severityFor } from '../engine/run.js';
import { PROFILES } from '../engine/types.js';
import { pickLang, UsageError } from './common.js';
import { parseProfile } from './scan.js';

async function loadAll(extra: string[] | undefined): Promise<LoadedRules> {
  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...(extra ?? []).map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  for (const w of loaded.warnings) process.stderr.write(`baomi: warning: ${w}\n`);
  if (loaded.problems.length > 0) {
    throw new UsageError(`${loaded.problems.length} problem(s) in rule files`, loaded.problems.map(formatProblem));
  }
  return loaded;
}

export async function rulesListCommand(opts: { rules?: string[]; profile?: string; lang?: string }): Promise<number> {
  const lang = pickLang(opts.lang);
  const profile = opts.profile !== undefined ? parseProfile(opts.profile).profile : undefined;
  const { rules } = await loadAll(opts.rules);
  const shown = profile ? rules.filter((r) => r.profiles.includes(profile)) : rules;
  for (const r of shown.sort((a, b) => a.id.localeCompare(b.id))) {
    const sev = PROFILES.filter((p) => r.profiles.includes(p)).map((p) => `${p}:${severityFor(r, p)}`).join(' ');
    process.stdout.write(`${r.id.padEnd(32)} ${r.probe.padEnd(22)} ${sev.padEnd(50)} ${r.title[lang]}${r.source.builtin ? '' : `  [${r.source.file}]`}\n`);
  }
  return 0;
}

export async function rulesShowCommand(id: string, opts: { rules?: string[] }): Promise<number> {
  const { rules } = await loadAll(opts.rules);
  const r = rules.find((x) => x.id === id);
  if (!r) throw new UsageError(`no rule with id "${id}" (see: baomi rules list)`);
  const { source, ...rest } = r;
  process.stdout.write(`# ${source.file}:${source.line}\n${stringify(rest)}`);
  return 0;
}

export async function rulesValidateCommand(paths: string[]): Promise<number> {
  // Validated together with the built-ins, so duplicate and replaced ids are reported as a scan would.
  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...paths.map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  for (const w of loaded.warnings) process.stderr.write(`baomi: warning: ${w}\n`);
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`baomi: ${loaded.problems.length} problem(s)\n`);
    return 2;
  }
  process.stdout.write(`ok: ${loaded.files.length} file(s), ${loaded.rules.length} rule(s)\n`);
  return 0;
}

/**
 * `baomi rules test FILE...`: load the files (with the built-ins, as a scan would) and run the cases
 * of the rules they hold. Exit 0 when every case gives its expected verdict, 1 when one does not (or
 * a rule has no case), 2 when the files do not load.
 */
export async function rulesTestCommand(paths: string[]): Promise<number> {
  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...paths.map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  for (const w of loaded.warnings) process.stderr.write(`baomi: warning: ${w}\n`);
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`baomi: ${loaded.problems.length} problem(s); no case was run\n`);
    return 2;
  }
  const files = new Set<string>();
  for (const p of paths) for (const f of await ruleFilesAt(p)) files.add(displayPath(f));
  const rules = loaded.rules.filter((r) => files.has(r.source.file));
  const results = runCases(rules);
  let failed = 0;
  for (const r of results) {
    if (r.passed) process.stdout.write(`ok    ${r.rule}: ${r.name}\n`);
    else {
      failed++;
      process.stdout.write(`FAIL  ${r.rule}: ${r.name} (${r.at}): expected ${r.want}, got ${r.got}\n`);
    }
  }
  const without = rules.filter((r) => (r.cases ?? []).length === 0);
  for (const r of without) process.stdout.write(`FAIL  ${r.id} (${r.source.file}:${r.source.line}): the rule has no cases\n`);
  process.stdout.write(`${results.length - failed} passed, ${failed} failed, ${rules.length} rule(s), ${without.length} without cases\n`);
  return failed > 0 || without.length > 0 || rules.length === 0 ? 1 : 0;
}
