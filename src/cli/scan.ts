// `baomi scan`: load rules, open the target, run the probes, write the signed report.
import { randomUUID } from 'node:crypto';
import { hostname as hostHostname } from 'node:os';
import { mkdir, open, realpath, stat, statfs, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import { PROBE_MAP } from '../checks/index.js';
import { BUILTIN_RULES_DIR, formatProblem, loadRules, rulesDigest } from '../engine/rules.js';
import { runScan } from '../engine/run.js';
import { PROFILES, parseClass, parseLevel, type Profile, type SecretLevel } from '../engine/vocab.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { writeReportSafely } from '../report/sign.js';
import { renderText } from '../report/text.js';
import { prettyJson } from '../report/json.js';
import { KeyError, keyIdOf, publicKeyBase64, resolveSigningKey } from '../sign/keys.js';
import { createPublicKey } from 'node:crypto';
import { FsTarget } from '../target/fs-target.js';
import { TargetError } from '../target/types.js';
import { formatLocation, readLedger, type Ledger, type LedgerProblem } from '../ledger/index.js';
import { scanAutoFlags } from '../kit/auto.js';
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

/** File systems that are views of the kernel, not storage: a report written there is lost (or worse). */
const VIRTUAL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x1cd1, 'devpts'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'], [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'], [0xcafe4a11, 'bpf'], [0xde5e81e4, 'efivarfs'], [0x65735543, 'fusectl'],
  [0x19800202, 'mqueue'], [0x42494e4d, 'binfmt_misc'], [0x6e736673, 'nsfs'], [0xf97cff8c, 'selinuxfs'],
]);
const VIRTUAL_DIRS = ['/proc', '/sys', '/dev'];

function errnoWords(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EROFS: 'the file system is read-only (a write-protected stick?)',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENAMETOOLONG: 'the path is too long',
    ELOOP: 'too many symbolic links',
    EIO: 'input/output error (a failing disk?)',
  };
  return (e?.code && words[e.code]) ?? e?.message ?? String(err);
}

/**
 * `--out`, checked before anything is scanned so that no scan's results are lost for want of a place
 * to put them: the folder exists or can be made, is a folder, takes a file (one is written, synced and
 * removed), is not on the inspected disk, and is not a kernel view (/proc, /sys, /dev).
 */
async function checkOutDir(out: string, root: string): Promise<void> {
  const fail = (why: string): UsageError => new UsageError(`--out ${out}: ${why}; nothing was scanned`);
  const abs = resolve(out);
  // The out dir may not exist yet: look at its nearest existing ancestor (only stat here: nothing is
  // created before the path is known to be a sane place).
  let existing = abs;
  for (;;) {
    try {
      await stat(existing);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw fail(errnoWords(err));
      const up = resolve(existing, '..');
      if (up === existing) throw fail('no part of this path exists');
      existing = up;
    }
  }
  const realExisting = await realpath(existing);
  const realOut = join(realExisting, relative(existing, abs));
  const virtualDir = VIRTUAL_DIRS.find((d) => isInside(realOut, d));
  if (virtualDir !== undefined) throw fail(`${virtualDir} is a view of the running system, not a disk: write reports to a real folder`);
  try {
    const fs = await statfs(realExisting);
    const kind = VIRTUAL_FS.get(Number(fs.type));
    if (kind !== undefined) throw fail(`it is on ${kind}, a view of the running system, not a disk: write reports to a real folder`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // statfs is not available everywhere (Windows): the path checks above stand.
  }
  const realRoot = await realpath(root);
  if (realRoot !== '/' && isInside(realOut, realRoot)) {
    throw new UsageError(`--out ${out} is on the inspected disk (${root}); write reports elsewhere (e.g. the kit's own stick)`);
  }
  // Create what is missing, one level at a time (a recursive mkdir can loop on odd file systems).
  let dir = realExisting;
  for (const part of relative(realExisting, realOut).split(sep).filter((p) => p !== '')) {
    dir = join(dir, part);
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(`cannot create ${dir}: ${errnoWords(err)}`);
    }
  }
  const st = await stat(realOut).catch((err: unknown) => {
    throw fail(errnoWords(err));
  });
  if (!st.isDirectory()) throw fail('it is a file, not a folder');
  // Writable: a file is created, written, synced and removed (a read-only or full stick fails here).
  const probe = join(realOut, `.baomi-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fh = await open(probe, 'wx');
    try {
      await fh.writeFile(Buffer.alloc(4096));
      await fh.sync();
    } finally {
      await fh.close();
      await unlink(probe).catch(() => undefined);
    }
  } catch (err) {
    throw fail(`cannot write there: ${errnoWords(err)}`);
  }
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Ctrl-C, SIGTERM or a closed terminal during the scan: the scan stops, and what was found so far is
 * written as a signed report marked incomplete. A second signal quits at once.
 */
function interruptOnSignals(): { signal: AbortSignal; received: () => NodeJS.Signals | undefined; dispose: () => void } {
  const ac = new AbortController();
  let got: NodeJS.Signals | undefined;
  const on = (sig: NodeJS.Signals): void => {
    if (got !== undefined) {
      process.stderr.write(`baomi: ${sig} again: quitting without a report\n`);
      process.exit(SIGNAL_EXIT[sig] ?? 130);
    }
    got = sig;
    process.stderr.write(`baomi: ${sig}: stopping the scan; writing a report of what was done so far (again to quit at once)\n`);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, on);
  return { signal: ac.signal, received: () => got, dispose: () => sigs.forEach((s) => process.off(s, on)) };
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  if (flags.root === 'auto') return scanAutoFlags(flags, scanCommand); // the USB kit's disk finder (src/kit/auto.ts)
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

  // Where the reports go is checked first: a scan whose results cannot be kept is not started.
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
  const interrupt = interruptOnSignals();
  const run = await runScan({
    target,
    rules: loaded.rules,
    ...(only ? { only } : {}),
    probes: PROBE_MAP,
    options: { ...(given ? { profile: given.profile } : {}), ...(level ? { level } : {}), ...(ledgerData ? { ledgerData } : {}), ...(flags.paths ? { paths: flags.paths.map((p) => resolve(p)) } : {}), ...(flags.evidence === 'full' ? { evidence: 'full' } : {}) },
    log,
    ...(probeTimeoutMs !== undefined ? { probeTimeoutMs } : {}),
    signal: interrupt.signal,
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
  const stoppedBy = interrupt.received();
  if (stoppedBy !== undefined) {
    report.summary.complete = false;
    report.summary.incomplete.unshift(`interrupted by ${stoppedBy}`);
  }
  let code: number = stoppedBy !== undefined ? (SIGNAL_EXIT[stoppedBy] ?? 130) : exitCodeOf(report);
  let saved: Awaited<ReturnType<typeof writeReportSafely>> | undefined;
  let lost: string | undefined;
  try {
    saved = await writeReportSafely(report, flags.out, signing.key, lang);
  } catch (err) {
    lost = (err as Error).message;
  }
  if (flags.format === 'json') process.stdout.write(prettyJson(report));
  else process.stdout.write(renderText(report, { lang, colour: useColour(process.stdout) }));
  interrupt.dispose();
  if (saved?.fallback) {
    process.stderr.write(terminalText(`baomi: could not write the report to ${flags.out} (${saved.fallback.reason}); it was written to ${saved.fallback.dir} instead`) + '\n');
  }
  if (saved) {
    const w = saved.written;
    process.stderr.write(terminalText(`baomi: report ${w.jsonPath} (signature ${w.sigPath}, text ${w.txtPath}, HTML ${w.htmlPath}; each with its .sig)`) + '\n');
  } else {
    process.stderr.write(terminalText(`baomi: ${lost}; the report was only printed above`) + '\n');
    code = 2;
  }
  if (stoppedBy !== undefined) {
    // A probe that does not honour its abort signal may keep the process alive: the report is
    // written, so end anyway (the timer does not itself keep the process running).
    setTimeout(() => process.exit(code), 3000).unref();
  }
  return code;
}
