// `baomi scan`: load rules, open the target, run the probes, write the signed report.
import { randomUUID } from 'node:crypto';
import { hostname as hostHostname } from 'node:os';
import { mkdir, open, realpath, rm, stat, statfs, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import { PROBE_MAP } from '../checks/index.js';
import { BUILTIN_RULES_DIR, loadRules, problemWords, rulesDigest } from '../engine/rules.js';
import { runScan } from '../engine/run.js';
import { PROFILES, parseClass, parseLevel, type Profile, type SecretLevel } from '../engine/vocab.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { writeReportSafely } from '../report/sign.js';
import { renderText } from '../report/text.js';
import { prettyJson } from '../report/json.js';
import { KeyError, keyIdOf, publicKeyBase64, resolveSigningKey } from '../sign/keys.js';
import { createPublicKey } from 'node:crypto';
import { FsTarget } from '../target/fs-target.js';
import { TargetError, type Target } from '../target/types.js';
import { asWindowsLive, WindowsLiveTarget } from '../target/windows-live.js';
import { formatLocation, readLedger, type Ledger, type LedgerProblem } from '../ledger/index.js';
import { Option, type Command } from 'commander';
import type { CoverageItem, Observation } from '../engine/types.js';
import { cliWords, type Words } from '../report/messages.js';
import { cliContext, makeLogger, pickLang, terminalText, toolVersion, usageError, UsageError, useColour, type CliContext, type GlobalOptions } from './common.js';
import { addCommand } from './help.js';
import { asUsageError } from './keys.js';
import { ledgerProblemWords } from './ledger.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerScan(program: Command, cx: CliContext): void {
  addCommand(program, cx, 'scan', [0, 1, 2, 3, 130])
    .option('--profile <profile>', cx.t('scan.opt.profile'))
    .option('--level <level>', cx.t('scan.opt.level'))
    .option('--root <dir>', cx.t('scan.opt.root'))
    .option('--rules <path>', cx.t('scan.opt.rules'), collect)
    .option('--only <ids>', cx.t('scan.opt.only'))
    .option('--ledger <file>', cx.t('scan.opt.ledger'))
    .option('--paths <path...>', cx.t('scan.opt.paths'))
    .option('--out <dir>', cx.t('scan.opt.out'), 'baomi-reports')
    .addOption(new Option('--format <format>', cx.t('scan.opt.format')).choices(['text', 'json']).default('text'))
    .option('--key <file>', cx.t('scan.opt.key'))
    .option('--unit <name>', cx.t('scan.opt.unit'))
    .option('--department <name>', cx.t('scan.opt.department'))
    .option('--probe-timeout <ms>', cx.t('scan.opt.probeTimeout'))
    .addOption(new Option('--evidence <detail>', cx.t('scan.opt.evidence')).choices(['minimal', 'full']).default('minimal'))
    // set by `--root auto` (src/kit/auto.ts): what became of the machine's other volumes
    .addOption(new Option('--volume-notes <json>').hideHelp())
    // set by `--root auto` for a data volume: the identity its system volume's scan found
    .addOption(new Option('--machine-identity <json>').hideHelp())
    .action(async (opts: ScanFlags, cmd: Command) => {
      cx.setExit(await scanCommand({ ...cmd.optsWithGlobals(), ...opts }, cx));
    });
}
import { scanAutoFlags } from '../kit/auto.js';

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
  volumeNotes?: string;
  machineIdentity?: string;
}

/**
 * `--profile` as an officer writes it: classified / intranet / nonclassified, or 涉密 / 内网 / 工作网 /
 * 非涉密 / 互联网 — with the same words the ledger's class column accepts (src/engine/vocab.ts);
 * 涉密（机密） also gives the level.
 */
export function parseProfile(p: string): { profile: Profile; level?: SecretLevel } {
  const c = parseClass(p);
  if (c === undefined) {
    throw usageError('scan.err.profile', { list: PROFILES.join(', '), value: p });
  }
  return { profile: c.class, ...(c.level ? { level: c.level } : {}) };
}

/** `--level`: 秘密 / 机密 / 绝密 (with or without 级; secret / confidential / top-secret also accepted). */
export function parseLevelFlag(v: string): SecretLevel {
  const en: Record<string, SecretLevel> = { secret: '秘密', confidential: '机密', 'top-secret': '绝密', topsecret: '绝密' };
  const l = en[v.trim().toLowerCase()] ?? parseLevel(v);
  if (l === undefined) throw usageError('scan.err.level', { value: v });
  return l;
}

/** A target error (the root cannot be opened) in both languages, by its code. */
function targetErrorWords(err: TargetError): Words {
  const key = `err.target.${err.code}`;
  const known = ['E_NOT_FOUND', 'E_LOOP', 'E_NOT_DIR', 'E_IS_DIR', 'E_ACCESS', 'E_ROOT'] as const;
  const k = known.find((c) => `err.target.${c}` === key);
  const w = cliWords(k ? `err.target.${k}` : 'err.target.other', { path: err.path });
  return { zh: w.zh, en: err.message };
}

/** True when `inner` is `outer` or inside it (both real paths). */
function isInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** isInside for host paths of the running system: on Windows, case-insensitive and either slash. */
export function isInsideHost(inner: string, outer: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'win32') return isInside(inner, outer);
  const norm = (p: string): string => p.replace(/\//g, '\\').replace(/^\\\\\?\\/, '').toLowerCase();
  const i = norm(inner);
  const o = norm(outer);
  return i === o || i.startsWith(o.endsWith('\\') ? o : `${o}\\`);
}

/** File systems that are views of the kernel, not storage: a report written there is lost (or worse). */
const VIRTUAL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x1cd1, 'devpts'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'], [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'], [0xcafe4a11, 'bpf'], [0xde5e81e4, 'efivarfs'], [0x65735543, 'fusectl'],
  [0x19800202, 'mqueue'], [0x42494e4d, 'binfmt_misc'], [0x6e736673, 'nsfs'], [0xf97cff8c, 'selinuxfs'],
]);
const VIRTUAL_DIRS = ['/proc', '/sys', '/dev'];

const ERRNO_WORDS = ['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'ENAMETOOLONG', 'ELOOP', 'EIO', 'ENOENT'] as const;

/** A system error in words an officer reads (the code alone when there are none). */
function errnoWords(err: unknown): Words {
  const e = err as NodeJS.ErrnoException;
  const known = ERRNO_WORDS.find((c) => c === e?.code);
  if (known) return cliWords(`errno.${known}`);
  return cliWords('errno.other', { code: e?.code ?? '?', message: e?.message ?? String(err) });
}

/** `key` with `why` (words in both languages) put into its `{why}` slot. */
function withWhy(key: Parameters<typeof cliWords>[0], vars: Record<string, string>, why: Words): Words {
  return { zh: cliWords(key, { ...vars, why: why.zh }).zh, en: cliWords(key, { ...vars, why: why.en }).en };
}

/**
 * `--out`, checked before anything is scanned so that no scan's results are lost for want of a place
 * to put them: the folder exists or can be made, is a folder, takes a file (one is written, synced and
 * removed), is not on the inspected disk, and is not a kernel view (/proc, /sys, /dev).
 */
async function checkOutDir(out: string, root: string, inspected: readonly string[] = []): Promise<void> {
  const fail = (why: Words): UsageError => new UsageError(withWhy('out.fail', { out }, why));
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
      if (up === existing) throw fail(cliWords('out.noPart'));
      existing = up;
    }
  }
  const realExisting = await realpath(existing);
  const realOut = join(realExisting, relative(existing, abs));
  const virtualDir = VIRTUAL_DIRS.find((d) => isInside(realOut, d));
  if (virtualDir !== undefined) throw fail(cliWords('out.virtualDir', { dir: virtualDir }));
  try {
    const fs = await statfs(realExisting);
    const kind = VIRTUAL_FS.get(Number(fs.type));
    if (kind !== undefined) throw fail(cliWords('out.virtualFs', { kind }));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // statfs is not available everywhere (Windows): the path checks above stand.
  }
  const realRoot = await realpath(root);
  if (realRoot !== '/' && isInside(realOut, realRoot)) {
    throw usageError('out.onRoot', { out, root });
  }
  // A running Windows machine: nothing is written on a drive being inspected (C:, D: …).
  const on = inspected.find((r) => isInsideHost(realOut, r));
  if (on !== undefined) throw usageError('out.onInspectedDrive', { out, drive: on });
  // Create what is missing, one level at a time (a recursive mkdir can loop on odd file systems).
  let dir = realExisting;
  for (const part of relative(realExisting, realOut).split(sep).filter((p) => p !== '')) {
    dir = join(dir, part);
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(withWhy('out.cannotCreate', { dir }, errnoWords(err)));
    }
  }
  const st = await stat(realOut).catch((err: unknown) => {
    throw fail(errnoWords(err));
  });
  if (!st.isDirectory()) throw fail(cliWords('out.isFile'));
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
    throw fail(withWhy('out.cannotWrite', {}, errnoWords(err)));
  }
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Ctrl-C, SIGTERM or a closed terminal during the scan: the scan stops, and what was found so far is
 * written as a signed report marked incomplete. A second signal quits at once.
 */
function interruptOnSignals(cx: CliContext): { signal: AbortSignal; received: () => NodeJS.Signals | undefined; dispose: () => void } {
  const ac = new AbortController();
  let got: NodeJS.Signals | undefined;
  const on = (sig: NodeJS.Signals): void => {
    if (got !== undefined) {
      process.stderr.write(`baomi: ${cx.t('scan.signalAgain', { signal: sig })}\n`);
      process.exit(SIGNAL_EXIT[sig] ?? 130);
    }
    got = sig;
    process.stderr.write(`baomi: ${cx.t('scan.signal', { signal: sig })}\n`);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, on);
  return { signal: ac.signal, received: () => got, dispose: () => sigs.forEach((s) => process.off(s, on)) };
}

/**
 * The machine's other volumes, as `--root auto` saw them (src/kit/auto.ts VolumeNote), as coverage
 * of this report: one that could not be read (encrypted, not mountable) is a blocking gap — the
 * machine was not inspected whole; one read in its own report is said, not blocking.
 */
export function volumeCoverage(json: string): CoverageItem[] {
  let notes: unknown;
  try {
    notes = JSON.parse(json);
  } catch {
    throw usageError('scan.err.volumeNotes');
  }
  if (!Array.isArray(notes) || notes.length > 256) throw usageError('scan.err.volumeNotes');
  return notes.map((n): CoverageItem => {
    const o = n as Record<string, unknown>;
    const device = typeof o['device'] === 'string' ? o['device'] : undefined;
    const what = typeof o['what'] === 'string' ? o['what'] : '';
    const fate = o['fate'];
    if (device === undefined || !['system', 'data', 'encrypted', 'mount-failed'].includes(String(fate))) throw usageError('scan.err.volumeNotes');
    const scheme = typeof o['scheme'] === 'string' ? ` (${o['scheme']})` : '';
    if (fate === 'encrypted' || fate === 'mount-failed') {
      return { probe: 'scan', kind: 'volume-not-scanned', path: device, reason: `another volume of this machine, ${device} (${what}), was not scanned: ${fate === 'encrypted' ? `encrypted${scheme}` : 'it could not be mounted'}`, blocking: true };
    }
    return { probe: 'scan', kind: 'volume-elsewhere', path: device, reason: `another volume of this machine, ${device} (${what}, ${fate === 'data' ? 'a data volume' : 'an operating system'}), has a report of its own`, blocking: false };
  });
}

/**
 * `--machine-identity`: the machine identity a system volume's report holds (its `machine`), for a
 * data volume of the same machine. Only the identifying fields are taken; anything else is refused.
 */
export function identityHint(json: string): Observation {
  let v: unknown;
  try {
    v = json.length <= 65_536 ? JSON.parse(json) : undefined;
  } catch {
    v = undefined;
  }
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 && x.length <= 256 ? x : undefined);
  const hostname = str(o?.['hostname']);
  const machineId = str(o?.['machineId']);
  const from = str(o?.['identifiedBy']);
  if (!o || (hostname === undefined && machineId === undefined) || from === undefined) throw usageError('scan.err.machineIdentity');
  const hw = o['hardware'] !== null && typeof o['hardware'] === 'object' ? (o['hardware'] as Record<string, unknown>) : {};
  const hardware = Object.fromEntries(['vendor', 'model', 'serial', 'uuid', 'boardSerial'].flatMap((k) => (str(hw[k]) ? [[k, str(hw[k])]] : [])));
  return {
    ...(hostname ? { hostname } : {}),
    ...(machineId ? { machineId } : {}),
    ...(Object.keys(hardware).length > 0 ? { hardware } : {}),
    macs: [],
    disks: [],
    sources: { identity: `the system volume ${from} of the same machine` },
  };
}

/** Test seams: how a live Windows target is opened (tests: recorded outputs, folders as drives). */
export interface ScanHooks {
  openWindowsLive?: (opts: { scratch: string; kitLetter?: string }) => Promise<WindowsLiveTarget>;
}

/** The drive letter of a Windows path (`E:\\baomi` → `E`), if it has one. */
function driveLetterOf(p: string | undefined): string | undefined {
  return p !== undefined ? /^(?:\\\\\?\\)?([A-Za-z]):/.exec(p)?.[1]?.toUpperCase() : undefined;
}

export async function scanCommand(flags: ScanFlags, context?: CliContext, hooks: ScanHooks = {}): Promise<number> {
  if (flags.root === 'auto') return scanAutoFlags(flags, (f) => scanCommand(f, context)); // the USB kit's disk finder (src/kit/auto.ts)
  const cx = context ?? cliContext(pickLang(flags.lang));
  const lang = cx.lang;
  const log = makeLogger(flags, lang);
  const given = flags.profile !== undefined ? parseProfile(flags.profile) : undefined;
  const level = flags.level !== undefined ? parseLevelFlag(flags.level) : given?.level;
  if (level !== undefined && given !== undefined && given.profile !== 'classified') {
    throw usageError('scan.err.levelNotClassified', { level, profile: given.profile });
  }
  if (flags.format !== 'text' && flags.format !== 'json') throw usageError('scan.err.format', { value: flags.format });
  let probeTimeoutMs: number | undefined;
  if (flags.probeTimeout !== undefined) {
    probeTimeoutMs = Number(flags.probeTimeout);
    if (!Number.isInteger(probeTimeoutMs) || probeTimeoutMs <= 0) throw usageError('scan.err.probeTimeout');
  }
  const windowsLive = flags.root === undefined && (process.platform === 'win32' || hooks.openWindowsLive !== undefined);
  // On a running Windows machine the paths are the machine's (`D:\\资料`): the target checks them.
  for (const [flag, p] of (windowsLive ? [] : (flags.paths ?? [])).map((x) => ['--paths', x]) as Array<[string, string | undefined]>) {
    if (p === undefined) continue;
    try {
      await stat(p);
    } catch {
      throw usageError('scan.err.noPath', { flag, path: p });
    }
  }

  // Where the reports go is checked first: a scan whose results cannot be kept is not started.
  const mode = flags.root !== undefined ? 'offline' : 'live';
  const root = flags.root !== undefined ? resolve(flags.root) : '/';
  // A running Windows machine (or a test standing in for one): every fixed drive, hives copied with
  // reg save into a scratch folder on the kit (BAOMI_KIT_TMP), else beside the reports — never on
  // an inspected drive (checked below, before anything is written).
  const scratch = windowsLive ? join(process.env['BAOMI_KIT_TMP'] || resolve(flags.out), `.baomi-scratch-${randomBytes(6).toString('hex')}`) : undefined;
  let target: Target;
  try {
    if (windowsLive) {
      const kitLetter = driveLetterOf(process.env['BAOMI_KIT']);
      const o = { scratch: scratch!, ...(kitLetter ? { kitLetter } : {}) };
      target = hooks.openWindowsLive ? await hooks.openWindowsLive(o) : await WindowsLiveTarget.open({ ...o, systemLetter: driveLetterOf(process.env['SystemDrive']) ?? 'C' });
    } else {
      target = await FsTarget.open(mode, root);
    }
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(targetErrorWords(err));
    throw err;
  }
  if (target.os.family === 'unknown') {
    log.warn(mode === 'offline' ? cx.t('scan.noOsOffline', { root }) : cx.t('scan.noOsLive'));
  }
  const inspectedRoots = asWindowsLive(target)?.inspectedHostRoots() ?? [];
  await checkOutDir(flags.out, root, inspectedRoots);
  if (scratch !== undefined) {
    const on = inspectedRoots.find((r) => isInsideHost(scratch, r));
    if (on !== undefined) throw usageError('out.scratchOnInspectedDrive', { dir: scratch, drive: on });
  }

  // The ledger is input like the rules: any error in it stops the scan before it starts (exit 2).
  let ledgerData: Ledger | undefined;
  if (flags.ledger !== undefined) {
    const r = await readLedger(flags.ledger);
    const errors = r.problems.filter((p) => p.severity === 'error');
    for (const w of r.problems.filter((p) => p.severity === 'warning')) log.warn(ledgerProblemWords(w)[lang]);
    if (errors.length > 0 || !r.ledger) {
      throw usageError('scan.err.ledger', { n: errors.length, file: flags.ledger }, errors.map(ledgerProblemWords));
    }
    ledgerData = r.ledger;
  }

  const loaded = await loadRules(
    [{ path: BUILTIN_RULES_DIR, builtin: true }, ...(flags.rules ?? []).map((p) => ({ path: p, builtin: false }))],
    PROBE_MAP,
  );
  for (const w of loaded.warnings) log.warn(w);
  if (loaded.problems.length > 0) {
    throw usageError('scan.err.rules', { n: loaded.problems.length }, loaded.problems.map(problemWords));
  }
  const only = flags.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (only) {
    const known = new Set(loaded.rules.map((r) => r.id));
    const unknown = only.filter((id) => !known.has(id));
    if (unknown.length > 0) throw usageError('scan.err.only', { ids: unknown.join(', ') });
  }


  // On a running Windows machine no key is made in %APPDATA% (that would write on it): the kit's, or --key.
  const signing = await resolveSigningKey(flags.key, process.env, { create: !windowsLive }).catch(asUsageError);
  if (signing.created) process.stderr.write(terminalText(`baomi: ${cx.t('scan.keyCreated', { path: signing.path })}`) + '\n');
  const publicKey = createPublicKey(signing.key);

  const startedAt = new Date();
  const interrupt = interruptOnSignals(cx);
  const run = await runScan({
    target,
    ...(flags.volumeNotes !== undefined ? { extraCoverage: volumeCoverage(flags.volumeNotes) } : {}),
    ...(flags.machineIdentity !== undefined ? { identityHint: identityHint(flags.machineIdentity) } : {}),
    rules: loaded.rules,
    ...(only ? { only } : {}),
    probes: PROBE_MAP,
    options: { ...(given ? { profile: given.profile } : {}), ...(level ? { level } : {}), ...(ledgerData ? { ledgerData } : {}), ...(flags.paths ? { paths: flags.paths.map((p) => (windowsLive && process.platform !== 'win32' ? p : resolve(p))) } : {}), ...(flags.evidence === 'full' ? { evidence: 'full' } : {}) },
    log,
    ...(probeTimeoutMs !== undefined ? { probeTimeoutMs } : {}),
    signal: interrupt.signal,
    // Before the long part of the scan: say how this machine will be judged when nobody said so.
    onContext: (ctx) => {
      if (ctx.source === 'default') process.stderr.write(terminalText(`baomi: ${cx.t('scan.classHint', { reason: ctx.reason[lang] })}`) + '\n');
    },
  });
  const finishedAt = new Date();
  const liveWindows = await asWindowsLive(target)?.reading();
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
    ...(liveWindows ? { liveWindows } : {}),
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
    // No fallback into the inspected machine's %TEMP% or profile on a running Windows machine.
    saved = await writeReportSafely(report, flags.out, signing.key, lang, windowsLive ? { fallbackParent: null } : {});
  } catch (err) {
    lost = (err as Error).message;
  }
  if (flags.format === 'json') process.stdout.write(prettyJson(report));
  else process.stdout.write(renderText(report, { lang, colour: useColour(process.stdout) }));
  interrupt.dispose();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  if (saved?.fallback) {
    process.stderr.write(terminalText(`baomi: ${cx.t('scan.fallback', { out: flags.out, reason: saved.fallback.reason, dir: saved.fallback.dir })}`) + '\n');
  }
  if (saved) {
    const w = saved.written;
    process.stderr.write(terminalText(`baomi: ${cx.t('scan.written', { json: w.jsonPath, sig: w.sigPath, txt: w.txtPath, html: w.htmlPath })}`) + '\n');
  } else {
    process.stderr.write(terminalText(`baomi: ${cx.t('scan.lost', { reason: lost ?? '' })}`) + '\n');
    code = 2;
  }
  const meaning = code === 0 || code === 1 || code === 2 || code === 3 ? (`scan.exit.${code}` as const) : 'scan.exit.130';
  process.stderr.write(`baomi: ${cx.t('scan.exitLine', { code, meaning: cx.t(meaning) })}\n`);
  if (stoppedBy !== undefined) {
    // A probe that does not honour its abort signal may keep the process alive: the report is
    // written, so end anyway (the timer does not itself keep the process running).
    setTimeout(() => process.exit(code), 3000).unref();
  }
  return code;
}
