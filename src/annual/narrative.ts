// The overview paragraph, in the style of a unit's annual self-inspection report (seed 004: 共检查
// 涉密计算机N台、非涉密计算机M台，发现问题K个，整改J个…), built only from the counts.
import { ANNUAL_NARRATIVE as N, fillWords } from '../report/messages-annual.js';
import type { Annual } from './types.js';

export function narrative(a: Annual, lang: 'zh' | 'en'): string {
  const t = (k: keyof typeof N, vars: Record<string, string | number> = {}): string => fillWords(N[k][lang], vars);
  const out: string[] = [];
  const year = a.year !== null ? t('openingYear', { year: a.year }) : '';
  out.push(t('opening', { year, found: a.reports.found, counted: a.reports.counted, excluded: a.excluded.length > 0 ? t('excluded', { n: a.excluded.length }) : '' }));
  if (lang === 'en') out[0] = out[0]!.charAt(0).toUpperCase() + out[0]!.slice(1) + ' ';
  if (a.duplicates.length > 0) out.push(t('duplicates', { n: a.duplicates.length }));
  const units = a.machines.byUnit.filter((u) => u.unit !== null).length;
  const departments = a.machines.byDepartment.filter((d) => d.department !== null).length;
  out.push(t('machines', { total: a.machines.total, ...a.machines.byProfile, units, departments }));
  if (a.findings.total === 0) out.push(t('noFindings'));
  else {
    out.push(t('findings', { total: a.findings.total, ...a.findings.bySeverity, withFindings: a.machines.withFindings, without: a.machines.withoutFindings }));
    const top = a.findings.byRule.slice(0, 3).map((r) => t('topItem', { title: r.title[lang], n: r.findings }));
    out.push(t('top', { list: top.join(N.listSep[lang]) }));
  }
  const r = a.rectification;
  if (r) {
    out.push(t('rect', { fixed: r.fixed, open: r.open, new: r.new, notRechecked: r.notRechecked > 0 ? t('rectNotRechecked', { n: r.notRechecked }) : '' }));
    if (r.missing.length > 0) out.push(t('rectMissing', { n: r.missing.length }));
  }
  const c = a.correlation;
  if (c.crossClass.length > 0) out.push(t('cross', { n: c.crossClass.length }));
  if (c.manyMachines.length > 0) out.push(t('many', { n: c.manyMachines.length, t: c.manyThreshold }));
  if (c.neverSeen.length > 0) out.push(t('never', { n: c.neverSeen.length }));
  if (a.machines.incomplete > 0) out.push(t('incomplete', { n: a.machines.incomplete }));
  return out.join('').trim();
}
