// Rectification (整改): the previous period's findings against this period's, machine by machine,
// by the finding's stable id (the same item judged by the same rule has the same id in every scan).
// A previous finding absent now is "fixed" only when this period's scan ran its rule and its check
// to the end; otherwise it was not re-checked, and is counted apart, never as fixed.
import { byName, type Period } from './aggregate.js';
import type { MachineFinding, Rectification } from './types.js';

export function compare(cur: Period, prev: Period): Rectification {
  const out: Rectification = {
    machinesCompared: 0,
    fixed: 0,
    open: 0,
    new: 0,
    notRechecked: 0,
    byMachine: [],
    missing: [],
    previous: { reports: prev.counted, machines: prev.machines.size, findings: 0, excluded: prev.excluded, duplicates: prev.duplicates.length, byRule: [] },
  };
  const prevRules = new Map<string, number>();
  for (const [key, p] of prev.machines) {
    out.previous.findings += p.findings.length;
    for (const f of p.findings) prevRules.set(f.ruleId, (prevRules.get(f.ruleId) ?? 0) + 1);
    const c = cur.machines.get(key);
    if (c === undefined) {
      out.missing.push({ key, hostname: p.hostname, unit: p.unit, department: p.department, profile: p.profile, findings: p.findings.length });
      continue;
    }
    out.machinesCompared++;
    const now = new Set(c.findings.map((f) => f.id));
    const before = new Set(p.findings.map((f) => f.id));
    const rulesRun = new Set(c.rulesRun);
    const probesOk = new Set(c.probesOk);
    const fixed: MachineFinding[] = [];
    const notRechecked: MachineFinding[] = [];
    const open: MachineFinding[] = [];
    for (const f of p.findings) {
      if (now.has(f.id)) open.push(f);
      else if (rulesRun.has(f.ruleId) && probesOk.has(f.probe)) fixed.push(f);
      else notRechecked.push(f);
    }
    const added = c.findings.filter((f) => !before.has(f.id));
    out.fixed += fixed.length;
    out.open += open.length;
    out.new += added.length;
    out.notRechecked += notRechecked.length;
    if (fixed.length + open.length + added.length + notRechecked.length > 0) {
      out.byMachine.push({ key, hostname: c.hostname, unit: c.unit, fixed, open, new: added, notRechecked });
    }
  }
  out.previous.byRule = [...prevRules.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  out.byMachine.sort((a, b) => byName(a.unit, b.unit) || byName(a.hostname, b.hostname) || (a.key < b.key ? -1 : 1));
  out.missing.sort((a, b) => byName(a.unit, b.unit) || byName(a.hostname, b.hostname) || (a.key < b.key ? -1 : 1));
  return out;
}
