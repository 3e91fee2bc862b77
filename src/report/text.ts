// Text report: a pure function of the report object. Findings grouped by severity, then what
// could not be checked, then a one-line summary. Chinese or English; colour only when asked.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../engine/types.js';
import { printable } from '../target/resolve.js';
import type { Report } from './types.js';

export type Lang = 'zh' | 'en';

const T = {
  zh: {
    title: 'baomi 保密检查报告',
    machine: '计算机',
    scan: '检查',
    live: '在线（本机）',
    offline: '离线（挂载磁盘）',
    profile: '类别',
    assumed: '（未指定，按最严格类别检查）',
    level: '密级',
    why: '判定依据',
    warning: '注意',
    unit: '单位',
    department: '部门',
    rules: '规则',
    severity: { high: '高', medium: '中', low: '低', info: '提示' } as Record<Severity, string>,
    profiles: { classified: '涉密计算机', intranet: '非涉密内网计算机', nonclassified: '非涉密（互联网）计算机' } as Record<string, string>,
    findings: '发现的问题',
    none: '未发现问题。',
    basis: '依据',
    evidence: '证据',
    remediation: '整改',
    notChecked: '未能检查的项目',
    probe: '探针',
    statuses: { error: '出错', timeout: '超时', 'not-applicable': '不适用', ok: '完成' } as Record<string, string>,
    summary: '汇总',
    complete: '检查完整',
    incomplete: '检查不完整',
    problems: (n: number) => `发现 ${n} 项问题`,
    nothingMissing: '无',
    notCheckedCount: (n: number, b: number) => `未能检查 ${n} 项（其中 ${b} 项使检查不完整）`,
    kinds: {
      unreadable: '无法读取', timeout: '超时', 'too-large': '超过大小上限', 'zip-bomb': '压缩炸弹', changed: '读取时被修改', encrypted: '已加密',
      'no-text-layer': '无文字层（图片）', unsupported: '不支持的格式', corrupt: '已损坏', partial: '只读了一部分', symlinks: '符号链接',
    } as Record<string, string>,
  },
  en: {
    title: 'baomi secrecy inspection report',
    machine: 'Machine',
    scan: 'Scan',
    live: 'live (this machine)',
    offline: 'offline (mounted disk)',
    profile: 'Class',
    assumed: ' (not given: strictest class assumed)',
    level: 'level',
    why: 'Decided by',
    warning: 'Note',
    unit: 'Unit',
    department: 'Department',
    rules: 'Rules',
    severity: { high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFO' } as Record<Severity, string>,
    profiles: { classified: 'classified computer', intranet: 'non-classified intranet computer', nonclassified: 'non-classified (internet) computer' } as Record<string, string>,
    findings: 'Findings',
    none: 'No findings.',
    basis: 'Basis',
    evidence: 'Evidence',
    remediation: 'Remediation',
    notChecked: 'Not checked',
    probe: 'probe',
    statuses: { error: 'failed', timeout: 'timed out', 'not-applicable': 'not applicable', ok: 'ok' } as Record<string, string>,
    summary: 'Summary',
    complete: 'scan complete',
    incomplete: 'scan INCOMPLETE',
    problems: (n: number) => `${n} finding${n === 1 ? '' : 's'}`,
    nothingMissing: 'nothing',
    notCheckedCount: (n: number, b: number) => `${n} item${n === 1 ? '' : 's'} not checked (${b} making the scan incomplete)`,
    kinds: {} as Record<string, string>,
  },
};

// Everything from the inspected disk (names, SSIDs, product strings, paths, reasons quoting them)
// is printed through printable(): no raw control or bidi-override character reaches a terminal.
function scalar(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return printable(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return printable(JSON.stringify(v));
}

/** Evidence as `key: value` lines, nested objects flattened with dots, long arrays shortened. */
export function evidenceLines(evidence: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    const key = prefix + k;
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== 'object')) {
        const shown = v.slice(0, 10).map(scalar).join(', ');
        out.push(`${printable(key)}: ${shown}${v.length > 10 ? ` … (+${v.length - 10})` : ''}`);
      } else {
        v.slice(0, 10).forEach((x, i) => out.push(...evidenceLines(x as Record<string, unknown>, `${key}[${i}].`)));
        if (v.length > 10) out.push(`${key}: … (+${v.length - 10})`);
      }
    } else if (v !== null && typeof v === 'object') {
      out.push(...evidenceLines(v as Record<string, unknown>, `${key}.`));
    } else {
      out.push(`${printable(key)}: ${scalar(v)}`);
    }
  }
  return out;
}

const SEV_ORDER: Severity[] = ['high', 'medium', 'low', 'info'];

function sevColour(c: ChalkInstance, s: Severity): (t: string) => string {
  return s === 'high' ? c.red.bold : s === 'medium' ? c.yellow.bold : s === 'low' ? c.cyan : c.gray;
}

export interface TextOptions {
  lang: Lang;
  colour: boolean;
}

export function renderText(report: Report, opts: TextOptions): string {
  const t = T[opts.lang];
  const c = new Chalk({ level: opts.colour ? 1 : 0 });
  const L: string[] = [];
  const m = report.machine;
  const os = (m['os'] as { prettyName?: string; name?: string } | undefined) ?? {};
  L.push(c.bold(`${t.title} — ${scalar(m['hostname'])}`));
  L.push(`${t.machine}: ${scalar(m['hostname'])}  ${printable(os.prettyName ?? os.name ?? '')}${m['machineId'] ? `  id ${scalar(m['machineId'])}` : ''}`);
  L.push(`${t.scan}: ${report.scan.startedAt} → ${report.scan.finishedAt}  ${report.scan.mode === 'live' ? t.live : t.offline}${report.scan.mode === 'offline' ? ` ${report.scan.root}` : ''}`);
  const mc = report.scan.machineContext;
  L.push(`${t.profile}: ${t.profiles[report.scan.profile] ?? report.scan.profile}${mc?.level ? `（${t.level} ${mc.level}）` : ''}${report.scan.profileAssumed ? t.assumed : ''}`);
  if (mc) {
    L.push(`${t.why}: ${printable(mc.reason[opts.lang])}`);
    for (const w of mc.warnings) L.push(c.yellow(`${t.warning}: ${printable(w[opts.lang])}`));
  }
  if (report.unit !== undefined) L.push(`${t.unit}: ${printable(report.unit)}`);
  if (report.department !== undefined) L.push(`${t.department}: ${printable(report.department)}`);
  L.push(`${t.rules}: ${report.rules.count}  ${report.rules.digest}`);
  L.push('');
  L.push(c.bold(`== ${t.findings} ==`));
  if (report.findings.length === 0) L.push(t.none);
  for (const sev of SEV_ORDER) {
    const fs = report.findings.filter((f: Finding) => f.severity === sev);
    if (fs.length === 0) continue;
    L.push('');
    L.push(sevColour(c, sev)(`-- ${t.severity[sev]} (${fs.length}) --`));
    for (const f of fs) {
      L.push(`${sevColour(c, sev)(`[${t.severity[sev]}]`)} ${f.title[opts.lang]}  (${f.ruleId}, ${f.id})`);
      L.push(`    ${t.basis}: ${f.basis}`);
      const ev = evidenceLines(f.evidence);
      if (ev.length > 0) {
        L.push(`    ${t.evidence}:`);
        for (const line of ev) L.push(`      ${line}`);
      }
      L.push(`    ${t.remediation}: ${f.remediation[opts.lang]}`);
    }
  }
  L.push('');
  L.push(c.bold(`== ${t.notChecked} ==`));
  const gaps: string[] = [];
  for (const p of report.probes) {
    if (p.status !== 'ok') gaps.push(`${t.probe} ${p.id}: ${t.statuses[p.status] ?? p.status}${p.message ? ` — ${printable(p.message)}` : ''}`);
  }
  for (const g of report.coverage) {
    gaps.push(`${g.probe ?? ''}${g.path ? ` ${printable(g.path)}` : ''}: ${printable(g.reason)}${g.blocking ? ' [!]' : ''}`.trim());
  }
  if (gaps.length === 0) L.push(t.nothingMissing);
  for (const g of gaps) L.push(`- ${g}`);
  L.push('');
  const sevCounts = SEV_ORDER.map((s) => `${t.severity[s]} ${report.summary.bySeverity[s]}`).join(', ');
  const state = report.summary.complete ? c.green(t.complete) : c.red.bold(t.incomplete);
  const nc = report.summary.notChecked;
  if (nc && nc.total > 0) {
    const kinds = Object.entries(nc.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${t.kinds[k] ?? k} ${n}`).join(opts.lang === 'zh' ? '，' : ', ');
    L.push(`${t.notCheckedCount(nc.total, nc.blocking)}: ${kinds}`);
  }
  L.push(`${t.summary}: ${t.problems(report.summary.findings)} (${sevCounts}); ${state}`);
  return L.join('\n') + '\n';
}
