// Contracts between probes, rules, the engine and the report. Probes gather facts and judge
// nothing; rules judge observations and know nothing of how they were gathered.
import type { Logger } from 'pino';
import type { Ledger } from '../ledger/types.js';
import type { Mode, OsFamily, Target } from '../target/types.js';
import type { Msg } from '../report/messages-keys.js';
import type { Shape } from './shape.js';
import { PROFILES, type Profile, type SecretLevel } from './vocab.js';

export { PROFILES, type Profile };

/** A JSON-serialisable fact a probe observed (one USB device, one adapter, one file…). */
export type Observation = Record<string, unknown>;

/** Something the probe could not read or judge: listed in the report, never silently clean. */
export interface CoverageItem {
  /** Probe that could not look (filled in by the engine when the probe leaves it out). */
  probe?: string;
  /** Target path concerned, when there is one. */
  path?: string;
  /** Short machine-readable kind: `unreadable`, `corrupt`, `too-large`, `missing-tool`, `not-recorded`… */
  kind: string;
  /** Human explanation (English; the text report prints it as is). */
  reason: string;
  /** True when this gap means a rule could not be fully judged (makes the scan incomplete). */
  blocking?: boolean;
  /**
   * The rules this gap stands in the way of, when it concerns only some of its probe's rules: the
   * reports then say "not fully checked" for those rules alone, blocking or not. Absent: a blocking
   * gap concerns every rule of the probe (src/report/rule-state.ts).
   */
  rules?: string[];
}

/**
 * Thrown by a probe that cannot look at all for a reason that is a coverage gap (the SYSTEM hive
 * could not be had: no administrator rights, damaged…): the probe fails, and the gap is reported
 * with its kind and path, so the summary counts it (e.g. `needs-admin`).
 */
export class ProbeGapError extends Error {
  override readonly name = 'ProbeGapError';
  constructor(
    message: string,
    readonly gap: CoverageItem,
  ) {
    super(message);
  }
}

/** What a probe returns when it could look (an empty `observations` then means "looked, found none"). */
export interface ProbeOk {
  status: 'ok';
  observations: Observation[];
  /** Facts worth keeping in the report even when no rule fires (adapters, devices…), keyed by name. */
  inventory?: Record<string, unknown>;
  coverage?: CoverageItem[];
}

export interface ProbeNotApplicable {
  status: 'not-applicable';
  reason: string;
}

export type ProbeResult = ProbeOk | ProbeNotApplicable;

/** Options of the scan that some probes need (a ledger, paths to walk, how much evidence to keep). */
export interface ScanOptions {
  /** `--profile` as given; the machine's class itself is decided once, in the engine (./context.ts). */
  profile?: Profile;
  /** `--level` as given (秘密 / 机密 / 绝密), for a classified machine. */
  level?: SecretLevel;
  /** The unit's ledger (台账), read and validated before the scan (`--ledger`). */
  ledgerData?: Ledger;
  paths?: string[];
  evidence?: 'minimal' | 'full';
}

export interface ProbeContext {
  target: Target;
  /** Aborted when the probe's time budget runs out: long loops must check it. */
  signal: AbortSignal;
  log: Logger;
  options: ScanOptions;
  /** The identity probe's observation (it runs before the others). */
  machine?: Observation;
}

export interface Probe {
  /** `<area>.<name>`, e.g. `identity`, `usb.history`. */
  id: string;
  description: string;
  /** Target OS families it has collectors for; others are `not-applicable`. */
  platforms: readonly OsFamily[];
  modes: readonly Mode[];
  /** JSON Schema for the rule's `params` of this probe, checked when rules load. */
  paramsSchema?: Record<string, unknown>;
  /** Observation fields that identify one item; they make a finding's id stable across scans. */
  identity: readonly string[];
  /** Default time budget (ms). */
  timeoutMs: number;
  /**
   * When set, all rules of this probe share ONE run with these merged params (instead of one run
   * per distinct params): for probes too costly to run twice, such as the document walk.
   */
  mergeParams?: (all: ReadonlyArray<Record<string, unknown>>) => Record<string, unknown>;
  /**
   * The shape of one observation, as data: rules are checked against it when they load (a field,
   * key or evidence path it does not have is an error with file and line), and the engine checks
   * every observation against it (./shape.ts).
   */
  observes: Shape;
  /**
   * Joins the engine makes before rules judge: `usb-ledger` adds to each observation (a USB device)
   * its `ledger` standing — the ledger row it matches, with that row's class and level (./enrich.ts).
   */
  joins?: ReadonlyArray<'usb-ledger'>;
  collect(ctx: ProbeContext, params: Record<string, unknown>): Promise<ProbeResult>;
}


export type Severity = 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

export interface Bilingual {
  zh: string;
  en: string;
}

/** A value taken from the machine context instead of written in the rule: `{ context: machine.levelRank }`. */
export interface ContextRef {
  context: string;
}

/** A bound of a comparison: a literal, or a value of the machine context. */
export type Operand = number | string | ContextRef;

/**
 * A leaf test on one observation field (`field`) or on the machine context (`context`); several
 * operators in one leaf must all hold. `some` / `every` test each element of the array at `field`
 * against a condition of their own (element-wise).
 */
export interface FieldCondition {
  field?: string;
  context?: string;
  equals?: unknown;
  in?: unknown[];
  regex?: string;
  flags?: string;
  exists?: boolean;
  gt?: Operand;
  gte?: Operand;
  lt?: Operand;
  lte?: Operand;
  some?: Condition;
  every?: Condition;
}

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { none: Condition[] }
  | { not: Condition }
  | FieldCondition;

/** A rule as loaded from YAML (after validation). */
export interface Rule {
  id: string;
  title: Bilingual;
  /** One severity, or one per profile (a rule may be a violation on one class and inventory on another). */
  severity: Severity | Partial<Record<Profile, Severity>>;
  profiles: Profile[];
  basis: string;
  probe: string;
  params?: Record<string, unknown>;
  match: Condition;
  /** Observation fields that identify an item (default: the probe's `identity`). */
  key?: string[];
  /** Observation fields copied into the finding's evidence (default: the whole observation). */
  evidence?: string[];
  remediation: Bilingual;
  /**
   * The OS families whose settings the rule judges, when narrower than its probe's (a Windows
   * Remote Desktop setting means nothing on Linux). On a target of another family the engine does
   * not judge the rule and says it does not apply (`ProbeRun.notApplicable`). Absent: every family
   * its probe reads.
   */
  platforms?: Array<'linux' | 'windows'>;
  /** Worked examples run by `baomi rules test` and the test suite: a machine, an observation, the verdict. */
  cases?: RuleCase[];
  /** Where it came from: file and line, for messages. */
  source: { file: string; line: number; builtin: boolean };
}

export interface RuleCase {
  name: string;
  /** The machine judged (default: classified, level 秘密). */
  machine?: { class?: Profile; level?: SecretLevel; usbStorageAllowed?: boolean };
  observation: Observation;
  /** The severity of the finding the rule must give, or `none`. */
  expect: Severity | 'none';
}

export interface Finding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: Bilingual;
  basis: string;
  probe: string;
  evidence: Record<string, unknown>;
  remediation: Bilingual;
}

export type ProbeStatus = 'ok' | 'not-applicable' | 'error' | 'timeout';

export interface ProbeRun {
  id: string;
  /** Present when rules ran this probe with non-empty params. */
  params?: Record<string, unknown>;
  status: ProbeStatus;
  durationMs: number;
  /** English, for the JSON; the reports render `msg` in their language. */
  message?: string;
  /** The message as a catalogue key with parameters (src/report/messages-keys.ts). */
  msg?: Msg;
  /**
   * Set when the probe could not run on this target's OS (no collector, or OS not recognised):
   * the rules that needed it went unjudged, so the scan is incomplete. (A live-only probe on an
   * offline disk is not blocking: that check does not exist offline, and the report says so.)
   */
  blocking?: boolean;
  observations: number;
  /** Rule ids that needed this run (and were judged on its observations). */
  rules: string[];
  /**
   * Rules of this probe the engine did not judge because they concern another OS family than the
   * target's (`Rule.platforms`): the reports say "not applicable" for them, with this message.
   */
  notApplicable?: Array<{ rule: string; message: string; msg: Msg }>;
}
