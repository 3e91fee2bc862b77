// The annual report (`baomi.annual/1`): many verified per-machine reports, counted. Everything a
// renderer (md, html, xlsx, docx) shows comes from this one object, which is also the .json output.
import type { Profile, SecretLevel } from '../engine/vocab.js';
import type { Severity } from '../engine/types.js';

export const ANNUAL_SCHEMA = 'baomi.annual/1';

/** Why a report was not counted. */
export type ExclusionKind =
  | 'unsigned'
  | 'altered'
  | 'unknown-key'
  | 'not-a-report'
  | 'too-large'
  | 'unreadable'
  | 'not-regular'
  | 'other-year'
  | 'too-many';

export interface Exclusion {
  /** Path as given on the command line joined with the path inside the folder. */
  file: string;
  kind: ExclusionKind;
  /** Detail in English (an error message, the key id named); the words for the kind are in the catalogue. */
  detail?: string;
}

/** One finding of one machine, as the annual report keeps it. */
export interface MachineFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  probe: string;
  /** A short label of the item (file path, device, network name), from the evidence. */
  item?: string;
}

/** A USB storage device a machine recorded (only those with a usable serial). */
export interface MachineUsb {
  serialKey: string;
  serial: string;
  vid?: string;
  pid?: string;
  product?: string;
  /** Ledger standing on that machine's scan: registered / unregistered / unjudgeable / not-judged. */
  ledgerStatus: string;
  ledgerId?: string;
}

/** One machine: the compact record kept from its latest verified report. */
export interface MachineRecord {
  /** `id:<machine id>`, `hw:<hardware serial>` or `host:<unit>/<host name>`: what makes two scans the same machine. */
  key: string;
  file: string;
  keyId: string;
  scanId: string;
  startedAt: string;
  hostname: string | null;
  machineId?: string;
  hardwareSerial?: string;
  os?: string;
  mode: string;
  profile: Profile;
  level?: SecretLevel;
  /** Who decided the class: ledger / flag / default. */
  profileSource: string;
  unit: string | null;
  department: string | null;
  ledgerRowId?: string;
  findings: MachineFinding[];
  complete: boolean;
  /** Checks that did not finish (probe id and status), for an incomplete scan. */
  probesNotDone: Array<{ probe: string; status: string }>;
  /** Blocking gaps by coverage kind (count). */
  gaps: Record<string, number>;
  /** Rule ids the scan ran, and probes that ran to the end (for rectification: was a finding re-checked?). */
  rulesRun: string[];
  probesOk: string[];
  usb: MachineUsb[];
}

export interface Duplicate {
  key: string;
  hostname: string | null;
  kept: { file: string; startedAt: string };
  dropped: { file: string; startedAt: string };
}

export interface Count {
  key: string;
  count: number;
}

export interface RuleCount {
  ruleId: string;
  title: { zh: string; en: string };
  severity: Record<Severity, number>;
  findings: number;
  machines: number;
}

export interface Rectification {
  /** Machines of the previous period matched to this one. */
  machinesCompared: number;
  fixed: number;
  open: number;
  new: number;
  /** Previous findings on machines whose scan this period could not judge that rule (probe failed, rule not run). */
  notRechecked: number;
  byMachine: Array<{
    key: string;
    hostname: string | null;
    unit: string | null;
    fixed: MachineFinding[];
    open: MachineFinding[];
    new: MachineFinding[];
    notRechecked: MachineFinding[];
  }>;
  /** Machines scanned last period and not this one. */
  missing: Array<{ key: string; hostname: string | null; unit: string | null; department: string | null; profile: Profile; findings: number }>;
  previous: { reports: number; machines: number; findings: number; excluded: Exclusion[]; duplicates: number; byRule: Count[] };
}

export interface UsbUse {
  serialKey: string;
  serial: string;
  vid?: string;
  pid?: string;
  product?: string;
  machines: Array<{ key: string; hostname: string | null; unit: string | null; profile: Profile; ledgerStatus: string }>;
  profiles: Profile[];
}

export interface Correlation {
  /** The same storage serial on machines of different classes (交叉使用). */
  crossClass: UsbUse[];
  /** The same storage serial on at least `manyThreshold` machines. */
  manyMachines: UsbUse[];
  manyThreshold: number;
  /** Registered media (ledger rows given with --ledger) seen on no machine. */
  neverSeen: Array<{ id: string; type: string; serial: string; class: Profile; level?: SecretLevel; owner?: string; department?: string; at: string }>;
  /** False when no ledger was given: "never seen" could not be judged. */
  ledgerGiven: boolean;
}

export interface Annual {
  schema: typeof ANNUAL_SCHEMA;
  tool: { name: 'baomi'; version: string };
  generatedAt: string;
  lang: 'zh' | 'en';
  year: number | null;
  period: { first: string | null; last: string | null };
  sources: { dirs: string[]; previousDirs: string[]; keys: string[]; ledgers: string[] };
  reports: { found: number; verified: number; counted: number; excluded: number };
  excluded: Exclusion[];
  duplicates: Duplicate[];
  machines: {
    total: number;
    byProfile: Record<Profile, number>;
    /** How many machines' class was assumed (no ledger row, no --profile): judged as classified. */
    profileAssumed: number;
    byUnit: Array<{ unit: string | null; machines: number; byProfile: Record<Profile, number>; findings: number; withFindings: number }>;
    byDepartment: Array<{ unit: string | null; department: string | null; machines: number; findings: number; withFindings: number }>;
    withFindings: number;
    withoutFindings: number;
    incomplete: number;
  };
  findings: { total: number; bySeverity: Record<Severity, number>; byRule: RuleCount[]; byProfile: Record<Profile, number> };
  /** What incomplete scans could not check: blocking gap kinds and unfinished probes, by number of machines. */
  notChecked: { gapKinds: Count[]; probes: Count[] };
  rectification?: Rectification;
  correlation: Correlation;
  /** Machines in the appendix order (unit, department, host name). */
  appendix: MachineRecord[];
}
