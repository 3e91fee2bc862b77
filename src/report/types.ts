import type { LiveWindowsReading } from '../target/windows-live.js';
// The report document (`baomi.report/1`): one per machine scan, JSON, signed as written.
import type { CoverageItem, Finding, ProbeRun, Profile, Severity } from '../engine/types.js';
import type { Mode } from '../target/types.js';
import type { MachineContext } from '../engine/context.js';

export const REPORT_SCHEMA = 'baomi.report/1';

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'baomi'; version: string };
  scan: {
    id: string;
    startedAt: string;
    finishedAt: string;
    profile: Profile;
    /** True when the profile was not given and the strictest was assumed. */
    profileAssumed: boolean;
    /** The class and level every rule judged against, who decided them and why (src/engine/context.ts). */
    machineContext: MachineContext;
    mode: Mode;
    /** Host path of the inspected root (`/` when live). */
    root: string;
    /** How the target's OS was recognised. */
    os: { family: string; detectedFrom: string | null };
    /** Host that ran the scan (differs from the machine when scanning offline from a kit). */
    scanner: { hostname: string; platform: string; node: string };
    only?: string[];
    /** A running Windows machine: the drives walked and left out, the registry copies made, the rights the scan had. */
    liveWindows?: LiveWindowsReading;
  };
  signer: { alg: 'Ed25519'; keyId: string; publicKey: string };
  machine: Record<string, unknown>;
  unit?: string;
  department?: string;
  rules: {
    count: number;
    digest: string;
    ids: string[];
    files: string[];
    /** Each rule's title and probe, so a report can say what was checked and found clean. */
    about?: Record<string, { title: { zh: string; en: string }; probe: string }>;
  };
  probes: ProbeRun[];
  findings: Finding[];
  inventory: Record<string, unknown>;
  coverage: CoverageItem[];
  summary: {
    findings: number;
    bySeverity: Record<Severity, number>;
    complete: boolean;
    /** Why the scan is incomplete (probes that failed or timed out, blocking coverage gaps). */
    incomplete: string[];
    /** What could not be checked, counted: every coverage item, by kind, and how many of them block completeness. */
    notChecked: { total: number; blocking: number; byKind: Record<string, number> };
  };
}
