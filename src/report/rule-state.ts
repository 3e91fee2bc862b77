// What a report says of each rule, decided once for the text and the HTML report: it found
// something; it ran and found nothing; it ran but a gap means it could not look everywhere; the
// probe behind it did not apply here, or the rule concerns another OS than the target's (the engine
// says which in `ProbeRun.notApplicable`); or the probe did not run. A gap belongs to the rules it names
// (`CoverageItem.rules`) — or, a blocking gap that names none, to every rule of its probe: "nothing
// found" is said only where nothing stood in the way.
import type { ProbeRun } from '../engine/types.js';
import type { Report } from './types.js';

export type RuleState =
  | { state: 'findings'; count: number }
  | { state: 'clean' }
  | { state: 'partly' }
  | { state: 'not-applicable'; probe: ProbeRun }
  | { state: 'not-run'; probe: ProbeRun }
  | { state: 'unknown' };

export function ruleStates(report: Report): Map<string, RuleState> {
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  const probeOf = new Map(report.probes.flatMap((p) => p.rules.map((r) => [r, p] as const)));
  // Rules the engine did not judge because they concern another OS family (`Rule.platforms`): a
  // view of their probe's run that says so, for both reports to print as any "not applicable".
  const offPlatform = new Map<string, ProbeRun>();
  for (const p of report.probes) {
    for (const n of p.notApplicable ?? []) offPlatform.set(n.rule, { ...p, status: 'not-applicable', message: n.message, msg: n.msg, rules: [n.rule], blocking: false });
  }
  const out = new Map<string, RuleState>();
  for (const id of report.rules.ids) {
    const n = counts.get(id) ?? 0;
    const p = probeOf.get(id);
    const na = offPlatform.get(id);
    if (n > 0) out.set(id, { state: 'findings', count: n });
    else if (na) out.set(id, { state: 'not-applicable', probe: na });
    else if (!p) out.set(id, { state: 'unknown' });
    else if (p.status === 'ok') {
      const gapped = report.coverage.some((g) => g.probe === p.id && (g.rules ? g.rules.includes(id) : g.blocking === true));
      out.set(id, { state: gapped ? 'partly' : 'clean' });
    } else if (p.status === 'not-applicable' && !p.blocking) out.set(id, { state: 'not-applicable', probe: p });
    else out.set(id, { state: 'not-run', probe: p });
  }
  return out;
}
