// The annual report as a document: sections of paragraphs, tables and charts, in one language,
// built once from the aggregate and then written as Markdown, HTML, XLSX or DOCX (./render-*.ts).
// Every word comes from the catalogue (src/report/messages-annual.ts); every value from the reports
// (host names, file names, units) is kept as text and made safe by each writer for its format.
import { PROFILES } from '../engine/vocab.js';
import { SEVERITIES } from '../engine/types.js';
import { kindWords } from '../report/messages.js';
import {
  ANNUAL_EXCLUSION_WORDS,
  ANNUAL_LEDGER_STATUS_WORDS,
  ANNUAL_PROBE_STATUS_WORDS,
  ANNUAL_PROFILE_WORDS,
  ANNUAL_SEVERITY_WORDS,
  ANNUAL_WORDS,
  fillWords,
} from '../report/messages-annual.js';
import { narrative } from './narrative.js';
import type { Annual, Exclusion, MachineFinding, MachineRecord } from './types.js';

export type Lang = 'zh' | 'en';
export type Cell = string | number;

export interface Table {
  id: string;
  columns: Array<{ label: string; num?: boolean }>;
  rows: Cell[][];
  /** A last row of totals, set apart. */
  totals?: Cell[];
}

export interface Chart {
  id: string;
  title: string;
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
}

export type Block =
  | { kind: 'p'; text: string; note?: boolean }
  | { kind: 'h'; text: string }
  | { kind: 'table'; table: Table }
  | { kind: 'chart'; chart: Chart };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface AnnualDocument {
  lang: Lang;
  title: string;
  subtitle: string;
  sections: Section[];
  charts: Chart[];
}

type WordKey = keyof typeof ANNUAL_WORDS;

/** At most this many bars in a chart; the rest are summed into "others". */
export const CHART_BARS = 12;

export function words(lang: Lang): (k: WordKey, vars?: Record<string, string | number>) => string {
  return (k, vars) => (vars ? fillWords(ANNUAL_WORDS[k][lang], vars) : ANNUAL_WORDS[k][lang]);
}

export function exclusionReason(e: Exclusion, lang: Lang): { reason: string; detail: string } {
  const reason = ANNUAL_EXCLUSION_WORDS[e.kind][lang];
  // In Chinese, only details that are identifiers (a key id, a time) are shown; English error texts stay in the JSON.
  const detail = e.detail === undefined ? '' : lang === 'en' || e.kind === 'unknown-key' || e.kind === 'other-year' ? e.detail : '';
  return { reason, detail };
}

function fmtTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}

/** Bars of a chart: the largest `CHART_BARS - 1` and the rest summed. */
function topBars(pairs: Array<[string, number]>, others: string): [string[], number[]] {
  const sorted = [...pairs].sort((a, b) => b[1] - a[1]);
  if (sorted.length <= CHART_BARS) return [sorted.map((p) => p[0]), sorted.map((p) => p[1])];
  const head = sorted.slice(0, CHART_BARS - 1);
  const rest = sorted.slice(CHART_BARS - 1).reduce((s, p) => s + p[1], 0);
  return [[...head.map((p) => p[0]), others], [...head.map((p) => p[1]), rest]];
}

export function findingsCell(fs: MachineFinding[], titleOf: (id: string) => string, lang: Lang, max = 12): string {
  const w = words(lang);
  const parts = fs.slice(0, max).map((f) => `${titleOf(f.ruleId)}${f.item ? `: ${f.item}` : ''}`);
  const more = fs.length > max ? w('more', { n: fs.length - max }) : '';
  return parts.join(lang === 'zh' ? '；' : '; ') + (more ? (lang === 'zh' ? more : ` ${more}`) : '');
}

export function buildDocument(a: Annual, lang: Lang): AnnualDocument {
  const w = words(lang);
  const prof = (p: keyof typeof ANNUAL_PROFILE_WORDS): string => ANNUAL_PROFILE_WORDS[p][lang];
  const sev = (s: keyof typeof ANNUAL_SEVERITY_WORDS): string => ANNUAL_SEVERITY_WORDS[s][lang];
  const unitName = (u: string | null): string => u ?? w('noUnit');
  const deptName = (d: string | null): string => d ?? w('noDepartment');
  const titles = new Map(a.findings.byRule.map((r) => [r.ruleId, r.title[lang]]));
  const titleOf = (id: string): string => titles.get(id) ?? id;
  const host = (h: string | null): string => h ?? '—';
  const paren = (x: string): string => (lang === 'zh' ? `（${x}）` : ` (${x})`);
  const profLevel = (m: MachineRecord): string => (m.level ? `${prof(m.profile)}${paren(m.level)}` : prof(m.profile));
  const yesNo = (b: boolean): string => (b ? w('yes') : w('no'));
  const charts: Chart[] = [];
  const sections: Section[] = [];

  // 一、基本情况
  const figures: Cell[][] = [
    [w('reportsFound'), a.reports.found],
    [w('reportsCounted'), a.reports.counted],
    [w('reportsExcluded'), a.excluded.length],
    [w('duplicatesN'), a.duplicates.length],
    [w('machinesTotal'), a.machines.total],
    ...PROFILES.map((p): Cell[] => [prof(p), a.machines.byProfile[p]]),
    [w('findingsTotal'), a.findings.total],
    [w('machinesWithFindings'), a.machines.withFindings],
    [w('machinesWithout'), a.machines.withoutFindings],
    [w('machinesIncomplete'), a.machines.incomplete],
  ];
  if (a.machines.profileAssumed > 0) figures.push([w('profileAssumedN'), a.machines.profileAssumed]);
  if (a.rectification) {
    figures.push([w('rectFixed'), a.rectification.fixed], [w('rectOpen'), a.rectification.open], [w('rectNew'), a.rectification.new], [w('rectNotRechecked'), a.rectification.notRechecked]);
  }
  sections.push({
    id: 'overview',
    title: w('secOverview'),
    blocks: [
      { kind: 'p', text: narrative(a, lang) },
      { kind: 'h', text: w('keyFigures') },
      { kind: 'table', table: { id: 'figures', columns: [{ label: w('figure') }, { label: w('value'), num: true }], rows: figures } },
    ],
  });

  // 二、报告来源与签名核验
  const src: Block[] = [
    { kind: 'table', table: { id: 'sources', columns: [{ label: w('figure') }, { label: w('value'), num: true }], rows: [[w('reportsFound'), a.reports.found], [w('reportsVerified'), a.reports.verified], [w('reportsCounted'), a.reports.counted], [w('reportsExcluded'), a.excluded.length], [w('duplicatesN'), a.duplicates.length]] } },
    { kind: 'h', text: w('excludedTitle') },
  ];
  if (a.excluded.length === 0) src.push({ kind: 'p', text: w('excludedNone') });
  else {
    src.push({ kind: 'table', table: { id: 'excluded', columns: [{ label: w('file') }, { label: w('reason') }, { label: w('detail') }], rows: a.excluded.map((e) => { const r = exclusionReason(e, lang); return [e.file, r.reason, r.detail]; }) } });
  }
  if (a.duplicates.length > 0) {
    src.push({ kind: 'h', text: w('duplicatesTitle') }, { kind: 'p', text: w('duplicatesNote'), note: true });
    src.push({ kind: 'table', table: { id: 'duplicates', columns: [{ label: w('host') }, { label: w('kept') }, { label: w('scanTime') }, { label: w('dropped') }, { label: w('scanTime') }], rows: a.duplicates.map((d) => [host(d.hostname), d.kept.file, fmtTime(d.kept.startedAt), d.dropped.file, fmtTime(d.dropped.startedAt)]) } });
  }
  src.push({ kind: 'p', text: `${w('keysUsed')}: ${a.sources.keys.join(', ')}`, note: true });
  sections.push({ id: 'sources', title: w('secSources'), blocks: src });

  // 三、检查情况
  const profTotals = PROFILES.map((p) => a.machines.byProfile[p]);
  sections.push({
    id: 'machines',
    title: w('secMachines'),
    blocks: [
      { kind: 'h', text: w('byProfile') },
      { kind: 'table', table: { id: 'by-profile', columns: [{ label: w('profile') }, { label: w('machines'), num: true }, { label: w('findings'), num: true }], rows: PROFILES.map((p) => [prof(p), a.machines.byProfile[p], a.findings.byProfile[p]]), totals: [w('total'), a.machines.total, a.findings.total] } },
      { kind: 'h', text: w('byUnit') },
      { kind: 'table', table: { id: 'by-unit', columns: [{ label: w('unit') }, ...PROFILES.map((p) => ({ label: prof(p), num: true })), { label: w('machines'), num: true }, { label: w('withFindings'), num: true }, { label: w('findings'), num: true }], rows: a.machines.byUnit.map((u) => [unitName(u.unit), ...PROFILES.map((p) => u.byProfile[p]), u.machines, u.withFindings, u.findings]), totals: [w('total'), ...profTotals, a.machines.total, a.machines.withFindings, a.findings.total] } },
      { kind: 'h', text: w('byDepartment') },
      { kind: 'table', table: { id: 'by-department', columns: [{ label: w('unit') }, { label: w('department') }, { label: w('machines'), num: true }, { label: w('withFindings'), num: true }, { label: w('findings'), num: true }], rows: a.machines.byDepartment.map((d) => [unitName(d.unit), deptName(d.department), d.machines, d.withFindings, d.findings]), totals: [w('total'), '', a.machines.total, a.machines.withFindings, a.findings.total] } },
    ],
  });

  // 四、发现的问题
  const fb: Block[] = [
    { kind: 'h', text: w('bySeverity') },
    { kind: 'table', table: { id: 'by-severity', columns: [{ label: w('severity') }, { label: w('findings'), num: true }], rows: SEVERITIES.map((s) => [sev(s), a.findings.bySeverity[s]]), totals: [w('total'), a.findings.total] } },
    { kind: 'h', text: w('byRule') },
  ];
  if (a.findings.byRule.length === 0) fb.push({ kind: 'p', text: w('noFindings') });
  else {
    fb.push({ kind: 'table', table: { id: 'by-rule', columns: [{ label: w('ruleTitle') }, { label: w('rule') }, ...SEVERITIES.map((s) => ({ label: sev(s), num: true })), { label: w('findings'), num: true }, { label: w('machinesN'), num: true }], rows: a.findings.byRule.map((r) => [r.title[lang], r.ruleId, ...SEVERITIES.map((s) => r.severity[s]), r.findings, r.machines]), totals: [w('total'), '', ...SEVERITIES.map((s) => a.findings.bySeverity[s]), a.findings.total, a.machines.withFindings] } });
    const [cats, vals] = topBars(a.findings.byRule.map((r) => [r.title[lang], r.findings]), w('chartOthers'));
    const byRuleChart: Chart = { id: 'chart-rule', title: w('chartByRule'), categories: cats, series: [{ name: w('thisPeriod'), values: vals }] };
    const deptPairs = a.machines.byDepartment.filter((d) => d.findings > 0).map((d): [string, number] => [a.machines.byUnit.length > 1 ? `${unitName(d.unit)} · ${deptName(d.department)}` : deptName(d.department), d.findings]);
    const [dcats, dvals] = topBars(deptPairs, w('chartOthers'));
    const byDeptChart: Chart = { id: 'chart-department', title: w('chartByDepartment'), categories: dcats, series: [{ name: w('thisPeriod'), values: dvals }] };
    charts.push(byRuleChart, byDeptChart);
    fb.push({ kind: 'chart', chart: byRuleChart }, { kind: 'chart', chart: byDeptChart });
  }
  sections.push({ id: 'findings', title: w('secFindings'), blocks: fb });

  // 五、整改情况
  const rb: Block[] = [];
  const r = a.rectification;
  if (!r) rb.push({ kind: 'p', text: w('rectNone') });
  else {
    rb.push({ kind: 'table', table: { id: 'rectification', columns: [{ label: w('figure') }, { label: w('value'), num: true }], rows: [[w('previousMachines'), r.previous.machines], [w('previousFindings'), r.previous.findings], [w('rectCompared'), r.machinesCompared], [w('rectFixed'), r.fixed], [w('rectOpen'), r.open], [w('rectNew'), r.new], [w('rectNotRechecked'), r.notRechecked], [w('rectMissing'), r.missing.length]] } });
    rb.push({ kind: 'p', text: w('rectNotRecheckedNote'), note: true });
    // Year over year, by kind: the rules of either period, this period's order first.
    const prevBy = new Map(r.previous.byRule.map((c) => [c.key, c.count]));
    const ids = [...new Set([...a.findings.byRule.map((x) => x.ruleId), ...r.previous.byRule.map((c) => c.key)])];
    ids.sort((x, y) => Math.max((a.findings.byRule.find((q) => q.ruleId === y)?.findings ?? 0), prevBy.get(y) ?? 0) - Math.max((a.findings.byRule.find((q) => q.ruleId === x)?.findings ?? 0), prevBy.get(x) ?? 0));
    const head = ids.slice(0, CHART_BARS - 1);
    const tail = ids.slice(CHART_BARS - 1);
    const curOf = (id: string): number => a.findings.byRule.find((q) => q.ruleId === id)?.findings ?? 0;
    const yoy: Chart = {
      id: 'chart-yoy',
      title: w('chartYearOverYear'),
      categories: [...head.map(titleOf), ...(tail.length > 0 ? [w('chartOthers')] : [])],
      series: [
        { name: w('previousPeriod'), values: [...head.map((id) => prevBy.get(id) ?? 0), ...(tail.length > 0 ? [tail.reduce((s, id) => s + (prevBy.get(id) ?? 0), 0)] : [])] },
        { name: w('thisPeriod'), values: [...head.map(curOf), ...(tail.length > 0 ? [tail.reduce((s, id) => s + curOf(id), 0)] : [])] },
      ],
    };
    if (ids.length > 0) {
      charts.push(yoy);
      rb.push({ kind: 'chart', chart: yoy });
    }
    if (r.byMachine.length > 0) {
      rb.push({ kind: 'h', text: w('rectByMachine') });
      rb.push({ kind: 'table', table: { id: 'rect-machines', columns: [{ label: w('unit') }, { label: w('host') }, { label: w('rectFixed'), num: true }, { label: w('rectOpen'), num: true }, { label: w('rectNew'), num: true }, { label: w('rectNotRechecked'), num: true }, { label: w('rectOpen') + ' / ' + w('rectNew') }], rows: r.byMachine.map((m) => [unitName(m.unit), host(m.hostname), m.fixed.length, m.open.length, m.new.length, m.notRechecked.length, findingsCell([...m.open, ...m.new], titleOf, lang, 6)]) } });
    }
    rb.push({ kind: 'h', text: w('rectMissing') });
    if (r.missing.length === 0) rb.push({ kind: 'p', text: w('rectMissingNone') });
    else rb.push({ kind: 'table', table: { id: 'rect-missing', columns: [{ label: w('unit') }, { label: w('department') }, { label: w('host') }, { label: w('profile') }, { label: w('previousFindings'), num: true }], rows: r.missing.map((m) => [unitName(m.unit), deptName(m.department), host(m.hostname), prof(m.profile), m.findings]) } });
    if (r.previous.excluded.length > 0) {
      rb.push({ kind: 'h', text: w('previousExcluded') });
      rb.push({ kind: 'table', table: { id: 'prev-excluded', columns: [{ label: w('file') }, { label: w('reason') }, { label: w('detail') }], rows: r.previous.excluded.map((e) => { const x = exclusionReason(e, lang); return [e.file, x.reason, x.detail]; }) } });
    }
  }
  sections.push({ id: 'rectification', title: w('secRectification'), blocks: rb });

  // 六、跨计算机关联
  const c = a.correlation;
  const useRows = (us: typeof c.crossClass): Cell[][] => us.map((u) => [u.serial, [u.vid && u.pid ? `${u.vid}:${u.pid}` : '', u.product ?? ''].filter(Boolean).join(' '), u.profiles.map(prof).join(lang === 'zh' ? '、' : ', '), u.machines.length, u.machines.map((m) => `${host(m.hostname)}${paren(`${prof(m.profile)}${m.unit ? ` · ${m.unit}` : ''}${lang === 'zh' ? '，' : ', '}${ANNUAL_LEDGER_STATUS_WORDS[m.ledgerStatus as keyof typeof ANNUAL_LEDGER_STATUS_WORDS]?.[lang] ?? m.ledgerStatus}`)}`).join(lang === 'zh' ? '；' : '; ')]);
  const useCols = [{ label: w('serial') }, { label: w('device') }, { label: w('classes') }, { label: w('machines'), num: true }, { label: w('computers') }];
  const cb: Block[] = [{ kind: 'h', text: w('crossTitle') }];
  cb.push(c.crossClass.length === 0 ? { kind: 'p', text: w('crossNone') } : { kind: 'table', table: { id: 'cross-class', columns: useCols, rows: useRows(c.crossClass) } });
  cb.push({ kind: 'h', text: w('manyTitle', { n: c.manyThreshold }) });
  cb.push(c.manyMachines.length === 0 ? { kind: 'p', text: w('manyNone', { n: c.manyThreshold }) } : { kind: 'table', table: { id: 'many-machines', columns: useCols, rows: useRows(c.manyMachines) } });
  cb.push({ kind: 'h', text: w('neverTitle') });
  if (!c.ledgerGiven) cb.push({ kind: 'p', text: w('neverNoLedger') });
  else if (c.neverSeen.length === 0) cb.push({ kind: 'p', text: w('neverNone') });
  else cb.push({ kind: 'table', table: { id: 'never-seen', columns: [{ label: w('ledgerId') }, { label: w('mediumType') }, { label: w('serial') }, { label: w('profile') }, { label: w('owner') }, { label: w('department') }, { label: w('ledgerRow') }], rows: c.neverSeen.map((n) => [n.id, n.type, n.serial, n.level ? `${prof(n.class)}${paren(n.level)}` : prof(n.class), n.owner ?? '', n.department ?? '', n.at]) } });
  cb.push({ kind: 'p', text: w('correlationNote'), note: true });
  sections.push({ id: 'correlation', title: w('secCorrelation'), blocks: cb });

  // 七、检查不完整
  const ib: Block[] = [];
  const inc = a.appendix.filter((m) => !m.complete);
  if (inc.length === 0) ib.push({ kind: 'p', text: w('incompleteNone') });
  else {
    ib.push({ kind: 'p', text: w('incompleteNote'), note: true });
    if (a.notChecked.gapKinds.length > 0) ib.push({ kind: 'h', text: w('gapKinds') }, { kind: 'table', table: { id: 'gap-kinds', columns: [{ label: w('reason') }, { label: w('machines'), num: true }], rows: a.notChecked.gapKinds.map((g) => [kindWords(g.key, lang), g.count]) } });
    if (a.notChecked.probes.length > 0) ib.push({ kind: 'h', text: w('probesNotDone') }, { kind: 'table', table: { id: 'probes-not-done', columns: [{ label: w('probe') }, { label: w('machines'), num: true }], rows: a.notChecked.probes.map((g) => [g.key, g.count]) } });
    ib.push({ kind: 'h', text: w('machinesIncomplete') });
    ib.push({ kind: 'table', table: { id: 'incomplete', columns: [{ label: w('unit') }, { label: w('department') }, { label: w('host') }, { label: w('profile') }, { label: w('notCheckedCol') }], rows: inc.map((m) => [unitName(m.unit), deptName(m.department), host(m.hostname), profLevel(m), [...m.probesNotDone.map((p) => `${p.probe}: ${ANNUAL_PROBE_STATUS_WORDS[p.status as keyof typeof ANNUAL_PROBE_STATUS_WORDS]?.[lang] ?? p.status}`), ...Object.entries(m.gaps).map(([k, n]) => `${kindWords(k, lang)} ×${n}`)].join(lang === 'zh' ? '；' : '; ')]) } });
  }
  sections.push({ id: 'incomplete', title: w('secIncomplete'), blocks: ib });

  // 八、未发现问题的计算机
  const clean = a.appendix.filter((m) => m.findings.length === 0);
  sections.push({
    id: 'clean',
    title: w('secClean'),
    blocks: clean.length === 0
      ? [{ kind: 'p', text: w('cleanNone') }]
      : [{ kind: 'table', table: { id: 'clean', columns: [{ label: w('unit') }, { label: w('department') }, { label: w('host') }, { label: w('profile') }, { label: w('complete') }], rows: clean.map((m) => [unitName(m.unit), deptName(m.department), host(m.hostname), profLevel(m), yesNo(m.complete)]) } }],
  });

  // 附录
  sections.push({
    id: 'appendix',
    title: w('secAppendix'),
    blocks: [{
      kind: 'table',
      table: {
        id: 'appendix',
        columns: [{ label: w('unit') }, { label: w('department') }, { label: w('host') }, { label: w('machineId') }, { label: w('profile') }, { label: w('os') }, { label: w('scanTime') }, { label: w('complete') }, { label: w('findings'), num: true }, { label: w('findingsList') }],
        rows: a.appendix.map((m) => [unitName(m.unit), deptName(m.department), host(m.hostname), m.machineId ?? m.hardwareSerial ?? '', profLevel(m), m.os ?? '', fmtTime(m.startedAt), yesNo(m.complete), m.findings.length, findingsCell(m.findings, titleOf, lang)]),
      },
    }],
  });

  const title = a.year !== null ? w('titleYear', { year: a.year }) : w('title');
  const subtitle = `${w('generated')}: ${fmtTime(a.generatedAt)}${a.period.first && a.period.last ? ` · ${w('period')}: ${fmtTime(a.period.first).slice(0, 10)} — ${fmtTime(a.period.last).slice(0, 10)}` : ''} · baomi ${a.tool.version}`;
  return { lang, title, subtitle, sections, charts };
}
