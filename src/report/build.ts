import type { LiveWindowsReading } from '../target/windows-live.js';
// Report assembly: engine output + scan facts → the report object (no I/O here).
import type { RunOutput } from '../engine/run.js';
import { SEVERITIES, type CoverageItem, type Rule, type Severity } from '../engine/types.js';
import type { Target } from '../target/types.js';
import { REPORT_SCHEMA, type Report } from './types.js';

export interface BuildArgs {
  run: RunOutput;
  target: Target;
  rules: Rule[];
  rulesDigest: string;
  ruleFiles: string[];
  scanId: string;
  startedAt: Date;
  finishedAt: Date;
  toolVersion: string;
  signer: { keyId: string; publicKey: string };
  scanner: Report['scan']['scanner'];
  unit?: string;
  department?: string;
  only?: string[];
  liveWindows?: LiveWindowsReading;
}

/** Why a scan is incomplete: a probe a rule needs errored or timed out, or a blocking gap. */
export function incompleteReasons(run: RunOutput): string[] {
  const out: string[] = [];
  for (const p of run.probes) {
    if (p.status === 'error' || p.status === 'timeout') {
      out.push(`probe ${p.id} ${p.status === 'error' ? 'failed' : 'timed out'}: ${p.message ?? ''}`.trim());
    } else if (p.blocking) {
      out.push(`probe ${p.id} could not run: ${p.message ?? ''}`.trim());
    }
  }
  // Many of one kind (thousands of unreadable files) are one line with a count and the first few.
  const groups = new Map<string, CoverageItem[]>();
  for (const c of run.coverage) {
    if (!c.blocking) continue;
    const k = `${c.probe ?? 'scan'}\u0000${c.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  for (const items of groups.values()) {
    const first = items[0]!;
    if (items.length <= 3) {
      for (const c of items) out.push(`${c.probe ?? 'scan'}: ${c.reason}${c.path ? ` (${c.path})` : ''}`);
    } else {
      const paths = items.filter((c) => c.path).slice(0, 3).map((c) => c.path);
      out.push(`${first.probe ?? 'scan'}: ${items.length} × ${first.kind}${paths.length > 0 ? ` (${paths.join(', ')}, …)` : ''}: ${first.reason}`);
    }
  }
  return out;
}

/** Every coverage item counted by kind (documents unread because encrypted, too large…). */
export function notChecked(run: RunOutput): Report['summary']['notChecked'] {
  const byKind: Record<string, number> = {};
  let blocking = 0;
  for (const c of run.coverage) {
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    if (c.blocking) blocking++;
  }
  return { total: run.coverage.length, blocking, byKind };
}

export function buildReport(a: BuildArgs): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of a.run.findings) bySeverity[f.severity]++;
  const incomplete = incompleteReasons(a.run);
  const machine: Record<string, unknown> = { ...(a.run.identity ?? {}) };
  if (machine['hostname'] === undefined) machine['hostname'] = null;
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'baomi', version: a.toolVersion },
    scan: {
      id: a.scanId,
      startedAt: a.startedAt.toISOString(),
      finishedAt: a.finishedAt.toISOString(),
      profile: a.run.context.class,
      profileAssumed: a.run.context.source === 'default',
      machineContext: a.run.context,
      mode: a.target.mode,
      root: a.target.root,
      os: { family: a.target.os.family, detectedFrom: a.target.os.detectedFrom },
      scanner: a.scanner,
      ...(a.only ? { only: a.only } : {}),
      ...(a.liveWindows ? { liveWindows: a.liveWindows } : {}),
    },
    signer: { alg: 'Ed25519', keyId: a.signer.keyId, publicKey: a.signer.publicKey },
    machine,
    ...(a.unit !== undefined ? { unit: a.unit } : {}),
    ...(a.department !== undefined ? { department: a.department } : {}),
    rules: {
      count: a.rules.length,
      digest: a.rulesDigest,
      ids: a.rules.map((r) => r.id).sort(),
      files: a.ruleFiles,
      about: Object.fromEntries(a.rules.map((r) => [r.id, { title: r.title, probe: r.probe }])),
    },
    probes: a.run.probes,
    findings: a.run.findings,
    inventory: a.run.inventory,
    coverage: a.run.coverage,
    summary: { findings: a.run.findings.length, bySeverity, complete: incomplete.length === 0, incomplete, notChecked: notChecked(a.run) },
  };
}

/** Exit code of a scan: 1 findings, 3 no findings but incomplete, 0 clean and complete. */
export function exitCodeOf(report: Report): 0 | 1 | 3 {
  if (report.summary.findings > 0) return 1;
  return report.summary.complete ? 0 : 3;
}

/** `<hostname>-<UTC time>` with characters unsafe in file names replaced. */
export function reportBaseName(report: Report): string {
  const host = String(report.machine['hostname'] ?? 'unknown-host').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'unknown-host';
  const t = report.scan.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${host}-${t}`;
}
