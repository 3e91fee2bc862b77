// `baomi scan`: load rules, open the target, run the probes, write the signed report.
import { randomUUID } from 'node:crypto';
import { hostname as hostHostname } from 'node:os';
import { stat, realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { PROBE_MAP } from '../checks/index.js';
import { BUILTIN_RULES_DIR, formatProblem, loadRules, rulesDigest } from '../engine/rules.js';
import { runScan } from '../engine/run.js';
import { PROFILES, parseClass, parseLevel, type Profile, type SecretLevel } from '../engine/vocab.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { writeSignedReport } from '../report/sign.js';
import { renderText } from '../report/text.js';
import { prettyJson } from '../report/json.js';
import { KeyError, keyIdOf, publicKeyBase64, resolveSigningKey } from '../sign/keys.js';
import { createPublicKey } from 'node:crypto';
import { FsTarget } from '../target/fs-target.js';
import { TargetError } from '../target/types.js';
import { formatLocation, readLedger, type Ledger, type LedgerProblem } from '../ledger/index.js';
import { makeLogger, pickLang, terminalText, toolVersion, UsageError, useColour, type GlobalOptions } from './common.js';

export interface ScanFlags extends GlobalOptions {
  profile?: string;
  level?: string;
  root?: string;
  rules?: string[];
  only?: string;
  ledger?: string;
  paths?: string[];
  out: string;
  format: string;
  key?: string;
  lang?: string;
  unit?: string;
  department?: string;
  probeTimeout?: string;
  evidence?: string;
}

function formatLedgerProblem(p: LedgerProblem): string {
  return `${formatLocation(p)}${p.column ? ` [${p.column}]` : ''}: ${p.severity}: ${p.message}`;
}

/**
 * `--profile` as an officer writes it: classified / intranet / nonclassified, or 涉密 / 内网 / 工作网 /
 * 非涉密 / 互联网 — with the same words the ledger's class column accepts (src/engine/vocab.ts);
 * 涉密（机密） also gives the level.
 */
export function parseProfile(p: string): { profile: Profile; level?: SecretLevel } {
  const c = parseClass(p);
  if (c === undefined) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')} (or 涉密 / 内网 / 非涉密), not "${p}"`);
  }
  return { profile: c.class, ...(c.level ? { level: c.level } : {}) };
}

/** `--level`: 秘密 / 机密 / 绝密 (with or without 级; secret / confidential / top-secret also accepted). */
export function parseLevelFlag(v: string): SecretLevel {
  const en: Record<string, SecretLevel> = { secret: '秘密', confidential: '机密', 'top-secret': '绝密', topsecret: '绝密' };
  const l = en[v.trim().toLowerCase()] ?? parseLevel(v);
  if (l === undefined) throw new UsageError(`--level must be 秘密, 机密 or 绝密 (secret, confidential, top-secret), not "${v}"`);
  return l;
}

/** True when `inner` is `outer` or inside it (both real paths). */
function isInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** The report must never be written onto the disk under inspection. */
async function checkOutDir(out: string, root: string): Promise<void> {
  let probe = resolve(out);
  // The out dir may not exist yet: check its nearest existing ancestor.
  for (;;) {
    try {
      await stat(probe);
      break;
    } catch {
      const up = resolve(probe, '..');
      if (up === probe) return;
      probe = up;
    }
  }
  const realOut = await realpath(probe);
  const realRoot = await realpath(root);
  if (realRoot !== '/' && isInside(realOut, realRoot)) {
    throw new UsageError(`--out ${out} is on the inspected disk (${root}); write reports elsewhere (e.g. the kit's own stick)`);
  }
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  const log = makeLogger(flags);
  const lang = pickLang(flags.lang);
  const given = flags.profile !== undefined ? parseProfile(flags.profile) : undefined;
  const level = flags.level !== undefined ? parseLevelFlag(flags.level) : given?.level;
  if (level !== undefined && given !== undefined && given.profile !== 'classified') {
    throw new UsageError(`--level ${level} is for classified (涉密) computers; --profile says ${given.profile}`);
  }
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json, not "${flags.format}"`);
  let probeTimeoutMs: number | undefined;
  if (flags.probeTimeout !== undefined) {
    probeTimeoutMs = Number(flags.probeTimeout);
    if (!Number.isInteger(probeTimeoutMs) || probeTimeoutMs <= 0) throw new UsageError(`--probe-timeout must be a positive number of ms`);
  }
  for (const [flag, p] of (flags.paths ?? []).map((x) => ['--paths', x]) as Array<[string, string | undefined]>) {
    if (p === undefined) continue;
    try {
      await stat(p);
    } catch {
      throw new UsageError(`${flag} ${p}: no such file or directory`);
    }
  }

  // The ledger is input like the rules: any error in it stops the scan before it starts (exit 2).
  let ledgerData: Ledger | undefined;
  if (flags.ledger !== undefined) {
    const r = await readLedger(flags.ledger);
    const errors = r.problems.filter((p) => p.severity === 'error');
    for (const w of r.problems.filter((p) => p.severity === 'warning')) log.warn(formatLedgerProblem(w));
    if (errors.length > 0 || !r.ledger) {
      throw new UsageError(`${errors.length} problem(s) in the ledger ${flags.ledger}; nothing was scanned (check it with: baomi ledger validate)`, errors.map(formatLedgerProblem));
    }
    ledgerData = r.ledger;
  }

  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...(flags.rules ?? []).map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  for (const w of loaded.warnings) log.warn(w);
  if (loaded.problems.length > 0) {
    throw new UsageError(`${loaded.problems.length} problem(s) in rule files; nothing was scanned`, loaded.problems.map(formatProblem));
  }
  const only = flags.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (only) {
    const known = new Set(loaded.rules.map((r) => r.id));
    const unknown = only.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new UsageError(`--only: unknown rule id(s): ${unknown.join(', ')}`);
  }

  const mode = flags.root !== undefined ? 'offline' : 'live';
  const root = flags.root !== undefined ? resolve(flags.root) : '/';
  let target: FsTarget;
  try {
    target = await FsTarget.open(mode, root);
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(err.message);
    throw err;
  }
  if (target.os.family === 'unknown') {
    log.warn(
      mode === 'offline'
        ? `no operating system found under ${root} (no Windows folder, no Linux release file or layout): its documents are scanned; the checks that need an operating system do not apply`
        : 'could not recognise the operating system of this machine: the checks that need it cannot run',
    );
  }
  await checkOutDir(flags.out, root);

  let signing;
  try {
    signing = await resolveSigningKey(flags.key);
  } catch (err) {
    if (err instanceof KeyError) throw new UsageError(err.message);
    throw err;
  }
  if (signing.created) process.stderr.write(`baomi: created a signing key at ${signing.path} (public key beside it as baomi.pub)\n`);
  const publicKey = createPublicKey(signing.key);

  const startedAt = new Date();
  const run = await runScan({
    target,
    rules: loaded.rules,
    ...(only ? { only } : {}),
    probes: PROBE_MAP,
    options: { ...(given ? { profile: given.profile } : {}), ...(level ? { level } : {}), ...(ledgerData ? { ledgerData } : {}), ...(flags.paths ? { paths: flags.paths.map((p) => resolve(p)) } : {}), ...(flags.evidence === 'full' ? { evidence: 'full' } : {}) },
    log,
    ...(probeTimeoutMs !== undefined ? { probeTimeoutMs } : {}),
    // Before the long part of the scan: say how this machine will be judged when nobody said so.
    onContext: (ctx) => {
      if (ctx.source === 'default') {
        const hint = lang === 'zh' ? '如不是涉密计算机，请用 --profile（内网 / 非涉密）或 --ledger 台账指定' : 'if it is not a classified computer, say so with --profile (intranet / nonclassified) or --ledger';
        process.stderr.write(terminalText(`baomi: ${ctx.reason[lang]}${lang === 'zh' ? '；' : '; '}${hint}`) + '\n');
      }
    },
  });
  const finishedAt = new Date();
  const report = buildReport({
    run,
    target,
    rules: run.rules,
    rulesDigest: rulesDigest(run.rules),
    ruleFiles: loaded.files,
    scanId: randomUUID(),
    startedAt,
    finishedAt,
    toolVersion: toolVersion(),
    signer: { keyId: keyIdOf(publicKey), publicKey: publicKeyBase64(publicKey) },
    scanner: { hostname: hostHostname(), platform: `${process.platform}-${process.arch}`, node: process.version },
    ...(flags.unit !== undefined ? { unit: flags.unit } : {}),
    ...(flags.department !== undefined ? { department: flags.department } : {}),
    ...(only ? { only } : {}),
  });
  const written = await writeSignedReport(report, flags.out, signing.key, lang);
  if (flags.format === 'json') process.stdout.write(prettyJson(report));
  else process.stdout.write(renderText(report, { lang, colour: useColour(process.stdout) }));
  process.stderr.write(`baomi: report ${written.jsonPath} (signature ${written.sigPath}, text ${written.txtPath})\n`);
  return exitCodeOf(report);
}
