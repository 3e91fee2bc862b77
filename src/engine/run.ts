// Scheduling and evaluation: run each probe the selected rules need (once per distinct params),
// concurrently and each within its time budget; then match every rule against its probe's
// observations. Probe failures become statuses and coverage gaps, never an empty "clean" result.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { canonicalJson } from '../report/json.js';
import { msg, type Msg } from '../report/messages-keys.js';
import type { Target } from '../target/types.js';
import { collectUnlisted } from '../target/unlisted.js';
import { contextValues, resolveMachineContext, type MachineContext } from './context.js';
import { joinUsbLedger } from './enrich.js';
import { fieldValues, matches } from './match.js';
import { selectRules } from './rules.js';
import { conforms } from './shape.js';
import type {
  CoverageItem,
  Finding,
  Observation,
  Probe,
  ProbeOk,
  ProbeResult,
  ProbeRun,
  Profile,
  Rule,
  ScanOptions,
  Severity,
} from './types.js';
import { ProbeGapError } from './types.js';

/** The probe that always runs: the report's `machine` comes from it. */
export const IDENTITY_PROBE = 'identity';

export interface RunOutput {
  probes: ProbeRun[];
  findings: Finding[];
  coverage: CoverageItem[];
  inventory: Record<string, unknown>;
  /** Observations of the identity probe (first one), for the report's `machine`. */
  identity: Observation | undefined;
  /** The machine's class and level every rule was judged against (resolved once). */
  context: MachineContext;
  /** The rules that applied to the machine's class (and `only`), in load order. */
  rules: Rule[];
}

interface Job {
  probe: Probe;
  params: Record<string, unknown>;
  paramsKey: string;
  rules: Rule[];
}

interface JobResult {
  run: ProbeRun;
  observations: Observation[];
  coverage: CoverageItem[];
  inventory?: Record<string, unknown>;
}

export function severityFor(rule: Rule, profile: Profile): Severity {
  if (typeof rule.severity === 'string') return rule.severity;
  return rule.severity[profile] ?? 'info';
}

/** Group rules into probe runs: one per (probe, canonical params). Identity always runs. */
export function planJobs(rules: Rule[], probes: ReadonlyMap<string, Probe>): Job[] {
  const jobs = new Map<string, Job>();
  const add = (probe: Probe, params: Record<string, unknown>, rule?: Rule): void => {
    const paramsKey = canonicalJson(params);
    const k = `${probe.id}\u0000${paramsKey}`;
    let job = jobs.get(k);
    if (job === undefined) {
      job = { probe, params, paramsKey, rules: [] };
      jobs.set(k, job);
    }
    if (rule) job.rules.push(rule);
  };
  const identity = probes.get(IDENTITY_PROBE);
  if (identity) add(identity, {});
  for (const r of rules) {
    const p = probes.get(r.probe);
    if (p === undefined) throw new Error(`rule ${r.id}: unknown probe ${r.probe}`); // loadRules prevents this
    if (p.mergeParams) {
      const all = rules.filter((x) => x.probe === p.id).map((x) => x.params ?? {});
      add(p, p.mergeParams(all), r);
    } else {
      add(p, r.params ?? {}, r);
    }
  }
  return [...jobs.values()];
}

class ProbeTimeout extends Error {}
/** How long a stopped probe may take to answer with what it found so far (ms). */
const PARTIAL_GRACE_MS = 1500;
/** The whole scan was stopped (SIGINT/SIGTERM): unfinished probes end as `timeout`, "interrupted". */
class ScanInterrupted extends Error {}

async function runJob(
  job: Job,
  target: Target,
  options: ScanOptions,
  log: Logger,
  timeoutOverrideMs: number | undefined,
  machine: Observation | undefined,
  stop?: AbortSignal,
): Promise<JobResult> {
  const { probe, params } = job;
  const base: Omit<ProbeRun, 'status' | 'durationMs' | 'observations'> = {
    id: probe.id,
    ...(job.paramsKey !== '{}' ? { params } : {}),
    rules: job.rules.map((r) => r.id),
  };
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  // Mode first: a live-only check (connections now, reachability now) does not exist on a disk
  // read offline, whatever its OS — not applicable, and not a gap.
  if (!probe.modes.includes(target.mode)) {
    const m = msg('probe.mode', { modes: probe.modes.join('/'), mode: target.mode });
    return {
      run: { ...base, status: 'not-applicable', durationMs: 0, message: m.text, msg: m, observations: 0 },
      observations: [],
      coverage: [],
    };
  }
  if (!probe.platforms.includes(target.os.family)) {
    // A volume without an operating system (a data partition read offline) has no USB history,
    // no network profiles, no radios: those checks do not apply; its documents are still read.
    // Live, an unrecognised OS is a machine we failed to understand: blocking.
    const noOs = target.os.family === 'unknown';
    const m = noOs
      ? msg(target.mode === 'offline' ? 'probe.no-os-offline' : 'probe.os-unknown')
      : msg('probe.no-collector', { family: target.os.family });
    const blocking = !(noOs && target.mode === 'offline');
    return { run: { ...base, status: 'not-applicable', durationMs: 0, message: m.text, msg: m, observations: 0, ...(blocking ? { blocking } : {}) }, observations: [], coverage: [] };
  }
  if (stop?.aborted) {
    const m = msg('probe.interrupted');
    return { run: { ...base, status: 'timeout', durationMs: 0, message: m.text, msg: m, observations: 0 }, observations: [], coverage: [] };
  }
  const budget = timeoutOverrideMs ?? probe.timeoutMs;
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ProbeTimeout());
      ac.abort(new ProbeTimeout());
    }, budget);
  });
  let onStop: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    if (!stop) return;
    onStop = () => {
      reject(new ScanInterrupted());
      ac.abort(new ScanInterrupted());
    };
    if (stop.aborted) onStop();
    else stop.addEventListener('abort', onStop, { once: true });
  });
  // Folders the probe's pattern lookups could not list: what they hold was not looked at.
  const unlisted = new Set<string>();
  const collecting = collectUnlisted(unlisted, () => probe.collect({ target, signal: ac.signal, log: log.child({ probe: probe.id }), options, ...(machine ? { machine } : {}) }, params));
  // Observations and gaps of a probe that answered, after checking them against its declared shape.
  const accept = (res: ProbeOk): Pick<JobResult, 'observations' | 'coverage' | 'inventory'> => {
    const coverage = (res.coverage ?? []).map((c) => ({ probe: probe.id, ...c }));
    for (const dir of [...unlisted].sort()) {
      coverage.push({ probe: probe.id, kind: 'unreadable', path: dir, reason: `${dir}: folder could not be listed (no permission?): what it holds was not checked`, blocking: true });
    }
    // Every observation fits what the probe declares it observes (rules were checked against it).
    for (const obs of res.observations) {
      const wrong = conforms(obs, probe.observes, '', 3);
      if (wrong.length === 0) continue;
      const text = `observation does not fit the shape probe ${probe.id} declares: ${wrong.join('; ')}`;
      if (process.env['BAOMI_STRICT_SHAPES'] === '1') throw new Error(text);
      log.warn({ probe: probe.id }, text);
      break;
    }
    return { observations: res.observations, coverage, ...(res.inventory ? { inventory: res.inventory } : {}) };
  };
  /**
   * Stopped (interrupt or time budget): a probe that honours its signal answers with what it found
   * so far (the document walk does, with a gap saying it was cut short). Those results are kept —
   * the run still ends as `timeout`, so the scan is incomplete — when they come within the grace.
   */
  const partial = async (kind: 'interrupted' | 'timeout'): Promise<JobResult> => {
    let res: ProbeResult | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    try {
      res = await Promise.race([
        collecting.catch(() => undefined),
        new Promise<undefined>((r) => {
          graceTimer = setTimeout(() => r(undefined), PARTIAL_GRACE_MS);
        }),
      ]);
    } finally {
      clearTimeout(graceTimer);
    }
    const kept = res?.status === 'ok' && (res.observations.length > 0 || (res.coverage?.length ?? 0) > 0) ? accept(res) : undefined;
    const n = kept?.observations.length ?? 0;
    const m: Msg = kind === 'interrupted'
      ? n > 0 ? msg('probe.interrupted-partial', { observations: n }) : msg('probe.interrupted')
      : n > 0 ? msg('probe.timeout-partial', { ms: budget, observations: n }) : msg('probe.timeout', { ms: budget });
    // The English message of a plain interrupt stays `interrupted` (the CLI and older readers know it).
    return { run: { ...base, status: 'timeout', durationMs: elapsed(), message: m.text, msg: m, observations: n }, observations: kept?.observations ?? [], coverage: kept?.coverage ?? [], ...(kept?.inventory ? { inventory: kept.inventory } : {}) };
  };
  try {
    const res = await Promise.race([collecting, timeout, stopped]);
    if (res.status === 'not-applicable') {
      return { run: { ...base, status: 'not-applicable', durationMs: elapsed(), message: res.reason, observations: 0 }, observations: [], coverage: [] };
    }
    const got = accept(res);
    return { run: { ...base, status: 'ok', durationMs: elapsed(), observations: res.observations.length }, ...got };
  } catch (err) {
    if (err instanceof ScanInterrupted || ac.signal.reason instanceof ScanInterrupted) return await partial('interrupted');
    // A probe that honours the abort signal may reject first: still a timeout, not an error.
    if (err instanceof ProbeTimeout || ac.signal.reason instanceof ProbeTimeout) {
      log.warn({ probe: probe.id, budget }, 'probe timed out');
      return await partial('timeout');
    }
    log.debug({ probe: probe.id, err }, 'probe failed');
    const m = msg('probe.error', { detail: (err as Error)?.message ?? String(err) });
    // A probe stopped by a named gap (a registry hive that could not be had…): the gap is reported with its kind too.
    const gap = err instanceof ProbeGapError ? [{ probe: probe.id, ...err.gap, blocking: true }] : [];
    return { run: { ...base, status: 'error', durationMs: elapsed(), message: m.text, msg: m, observations: 0 }, observations: [], coverage: gap };
  } finally {
    clearTimeout(timer);
    if (onStop) stop?.removeEventListener('abort', onStop);
  }
}

/** A key for the machine that survives re-installs of the tool: machine id, else board UUID, else hostname. */
export function machineKey(identity: Observation | undefined): string {
  if (!identity) return 'unknown-machine';
  for (const f of ['machineId', 'hardware.uuid', 'hardware.serial', 'hostname']) {
    const v = fieldValues(identity, f)[0];
    if (typeof v === 'string' && v.trim() !== '') return `${f}:${v.trim().toLowerCase()}`;
  }
  return 'unknown-machine';
}

/** The value at a dotted path as it is (arrays kept whole); through arrays, every value found. */
function valueAt(obs: Observation, path: string): unknown {
  let cur: unknown = obs;
  for (const part of path.split('.')) {
    if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, part)) {
      cur = (cur as Record<string, unknown>)[part];
    } else if (Array.isArray(cur)) {
      const vs = fieldValues(obs, path);
      return vs.length === 0 ? undefined : vs;
    } else {
      return undefined;
    }
  }
  return cur === null ? undefined : cur;
}

function pick(obs: Observation, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = valueAt(obs, f);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** Stable finding id: same machine + rule + identifying evidence → same id in every scan. */
export function findingId(machine: string, ruleId: string, keyValues: Record<string, unknown>): string {
  const h = createHash('sha256').update(`${machine}\u0000${ruleId}\u0000${canonicalJson(keyValues)}`).digest('hex');
  return `F-${h.slice(0, 20)}`;
}

export interface RunArgs {
  target: Target;
  /** Coverage the caller adds (the kit: the machine's other volumes, src/cli/scan.ts volumeCoverage). */
  extraCoverage?: CoverageItem[];
  /**
   * The machine's identity as another volume of it gave it (the kit: a data volume names no machine),
   * used when this target gives none — for the ledger's row and the report's machine.
   */
  identityHint?: Observation;
  /** Every loaded rule: those of the machine's class are selected once its class is known. */
  rules: Rule[];
  /** Run only these rule ids. */
  only?: string[];
  probes: ReadonlyMap<string, Probe>;
  options: ScanOptions;
  log: Logger;
  /** Overrides every probe's own time budget (ms). */
  probeTimeoutMs?: number;
  /** Called once the machine context is resolved, before the other probes run (to tell the user). */
  onContext?: (context: MachineContext) => void;
  /** How many probes may run at once. */
  concurrency?: number;
  /**
   * Stops the scan (SIGINT/SIGTERM): running probes are told to stop (their signal is aborted) and
   * not waited for; they, and probes not yet started, end as `timeout` with message `interrupted`,
   * and runScan returns what the finished probes found.
   */
  signal?: AbortSignal;
}

export async function runScan(args: RunArgs): Promise<RunOutput> {
  // Identity first (it is quick): the machine's class and level come from its ledger row, found by
  // the identity's serial, machine id or host name. Then the context is fixed for the whole scan.
  const identityProbe = args.probes.get(IDENTITY_PROBE);
  const identityResult = identityProbe
    ? await runJob({ probe: identityProbe, params: {}, paramsKey: '{}', rules: [] }, args.target, args.options, args.log, args.probeTimeoutMs, undefined, args.signal)
    : undefined;
  const identity = identityResult?.observations[0] ?? args.identityHint;
  const context = resolveMachineContext(identity, args.options.ledgerData, {
    ...(args.options.profile !== undefined ? { profile: args.options.profile } : {}),
    ...(args.options.level !== undefined ? { level: args.options.level } : {}),
  });
  args.onContext?.(context);
  const rules = selectRules(args.rules, context.class, args.only);
  // A rule about one OS family's settings (`platforms:`) is not judged on a target of another
  // family: it does not apply there. Decided here, once, from the target's OS — never by a probe.
  // (When the probe itself cannot run on this OS, its run says why; the rule follows its probe.)
  const offPlatform = (r: Rule): boolean => {
    const fam = args.target.os.family;
    const p = args.probes.get(r.probe);
    return r.platforms !== undefined && fam !== 'unknown' && p !== undefined && p.platforms.includes(fam) && !r.platforms.includes(fam);
  };
  const notApplicable = rules.filter(offPlatform);
  const jobs = planJobs(rules.filter((r) => !offPlatform(r)), args.probes);
  const results: JobResult[] = new Array(jobs.length);
  const identityIdx = jobs.findIndex((j) => j.probe.id === IDENTITY_PROBE);
  if (identityIdx >= 0 && identityResult) {
    results[identityIdx] = { ...identityResult, run: { ...identityResult.run, rules: jobs[identityIdx]!.rules.map((r) => r.id) } };
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      if (i === identityIdx) continue;
      results[i] = await runJob(jobs[i]!, args.target, args.options, args.log, args.probeTimeoutMs, identity, args.signal);
    }
  };
  const n = Math.max(1, Math.min(args.concurrency ?? 8, jobs.length));
  await Promise.all(Array.from({ length: n }, worker));

  // Joins the engine makes before judging (the device ↔ ledger row), from the one context.
  jobs.forEach((job, i) => {
    const res = results[i]!;
    if (res.run.status === 'ok' && job.probe.joins?.includes('usb-ledger')) {
      res.coverage.push(...joinUsbLedger(res.observations, args.options.ledgerData, context).map((c) => ({ probe: job.probe.id, ...c })));
    }
  });
  const judgeWith = contextValues(context);
  // What the caller knows of the machine beyond this target (the kit: its other volumes).
  const extra: CoverageItem[] = [...(args.extraCoverage ?? [])];
  // Reading may have changed access times where the kernel refused O_NOATIME (not root, not the
  // owner) on a file system mounted with atime updates: the report says so (the kit mounts read-only).
  const at = await args.target.accessTimeNotes?.().catch(() => undefined);
  if (at?.mount === 'atime' && at.everyRead) {
    extra.push({ probe: 'scan', kind: 'last-access-updated', reason: 'NTFS on this machine updates last-access times: reading may have changed those of the files read (scan offline with the kit to keep them)' });
  } else if (at && at.mount === 'atime' && at.filesWithoutNoatime + at.foldersWithoutNoatime > 0) {
    extra.push({
      probe: 'scan',
      kind: 'access-times-changed',
      reason: `reading may have changed the access times of up to ${at.filesWithoutNoatime} files and ${at.foldersWithoutNoatime} folders (run as root, or mount the disk read-only with noatime as the kit does)`,
    });
  }
  // A scan in which no rule could look at anything is never "complete": an empty or wrong mount
  // point, or --only with checks that do not exist on this target, checked nothing.
  // (a probe stopped part way that kept what it found did look)
  const looked = jobs.some((j, i) => j.rules.length > 0 && (results[i]!.run.status === 'ok' || results[i]!.observations.length > 0));
  if (rules.length > 0 && !looked) {
    extra.push({
      probe: 'scan',
      kind: 'nothing-checked',
      reason: `none of the ${rules.length} rule(s) could be applied to this target (${args.target.os.family === 'unknown' ? 'no operating system found, and no document check ran' : 'their checks do not run here'}): nothing was inspected`,
      blocking: true,
    });
  }

  const mkey = machineKey(identity);
  const probes = jobs.map((_, i) => results[i]!.run);
  for (const r of notApplicable) {
    const m = msg('rule.platform', { platforms: r.platforms!.join('/'), family: args.target.os.family });
    const entry = { rule: r.id, message: m.text, msg: m };
    // listed with the probe's run when it ran for other rules, else in a run of its own that did not start
    let run = probes.find((p) => p.id === r.probe);
    if (run === undefined) {
      run = { id: r.probe, status: 'not-applicable', durationMs: 0, message: m.text, msg: m, observations: 0, rules: [] };
      probes.push(run);
    }
    run.notApplicable = [...(run.notApplicable ?? []), entry];
  }

  const findings: Finding[] = [];
  const coverage: CoverageItem[] = [...extra];
  const inventory: Record<string, unknown> = {};
  jobs.forEach((job, i) => {
    const res = results[i]!;
    coverage.push(...res.coverage);
    if (res.inventory) {
      for (const [k, v] of Object.entries(res.inventory)) inventory[k] = v;
    }
    for (const rule of job.rules) {
      const keyFields = rule.key ?? job.probe.identity;
      for (const obs of res.observations) {
        if (!matches(obs, rule.match, judgeWith)) continue;
        findings.push({
          id: findingId(mkey, rule.id, pick(obs, keyFields)),
          ruleId: rule.id,
          severity: severityFor(rule, context.class),
          title: rule.title,
          basis: rule.basis,
          probe: job.probe.id,
          evidence: rule.evidence ? pick(obs, rule.evidence) : obs,
          remediation: rule.remediation,
        });
      }
    }
  });
  // The same gap seen by several probes (e.g. a dirty hive they all read) is listed once.
  const seenGaps = new Set<string>();
  const gaps = coverage.filter((c) => {
    const k = `${c.kind}\u0000${c.path ?? ''}\u0000${c.reason}`;
    if (seenGaps.has(k)) return false;
    seenGaps.add(k);
    return true;
  });
  const order: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };
  findings.sort((a, b) => order[a.severity] - order[b.severity] || a.ruleId.localeCompare(b.ruleId) || a.id.localeCompare(b.id));
  // Two observations with the same identifying evidence are one finding (e.g. the same device seen twice).
  const unique = findings.filter((f, i) => i === 0 || f.id !== findings[i - 1]!.id);
  return { probes, findings: unique, coverage: gaps, inventory, identity, context, rules };
}
