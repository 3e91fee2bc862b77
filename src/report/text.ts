// Text report: a pure function of the report object, for an officer reading top to bottom:
// the verdict first (with the machine, its class and where the class came from), the counts, what
// was checked and found clean, then the findings grouped by rule (documents by folder, at most a
// few per group: the HTML and JSON reports hold them all), the USB storage devices with their ledger
// standing, the wireless modules, what could not be checked grouped by kind, and a summary line.
// Chinese or English; colour only when asked; nothing from the disk is printed raw.
import { dirname } from 'node:path/posix';
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Severity } from '../engine/types.js';
import { printable } from '../target/resolve.js';
import { COVERAGE_KINDS, DETAIL_FIELDS, detailCountZh, fieldLabelZh, isMsg, kindWords, msgText, valueWordZh } from './messages.js';
import { ruleStates } from './rule-state.js';
import type { Report } from './types.js';

export type Lang = 'zh' | 'en';

/** Findings of one rule (or one folder of documents) shown in the text; the rest are counted. */
export const PER_GROUP = 10;


const T = {
  zh: {
    title: 'baomi 保密检查报告',
    verdict: '结论',
    verdicts: { findings: '发现问题', clean: '未发现问题', incomplete: '检查不完整' },
    incompleteToo: '，且检查不完整',
    machine: '计算机',
    machineId: '标识',
    scan: '检查',
    scanId: '报告编号',
    live: '在线（本机）',
    offline: '离线（挂载磁盘）',
    profile: '类别',
    assumed: '（未指定，按最严格类别检查；用 --profile 或台账指定）',
    level: '密级',
    why: '判定依据',
    warning: '注意',
    unit: '单位',
    department: '部门',
    rules: '规则',
    liveRead: '本次读取',
    liveDrives: (on: string) => `驱动器 ${on}`,
    liveLeft: (left: string) => `（未检查：${left}）`,
    liveCopies: (ok: number, all: number) => `注册表副本 ${ok}/${all} 份（用「reg save」复制，存于检查工具优盘的临时文件夹，读后删除；本机未写入任何文件）`,
    liveAdmin: (a: boolean | undefined) => (a === undefined ? '管理员权限：未知' : a ? '以管理员身份运行' : '未以管理员身份运行（需要管理员权限的项目未能检查）'),
    driveWhy: { kit: '检查工具所在盘', 'not-fixed': '非本机硬盘', unreadable: '无法打开' } as Record<string, string>,
    driveType: { removable: '可移动盘', network: '网络盘', cdrom: '光驱', ram: '内存盘', fixed: '硬盘', unknown: '未知类型', 'no-root': '无根目录' } as Record<string, string>,
    severity: { high: '高', medium: '中', low: '低', info: '提示' } as Record<Severity, string>,
    profiles: { classified: '涉密计算机', intranet: '非涉密内网计算机', nonclassified: '非涉密（互联网）计算机' } as Record<string, string>,
    counts: '问题统计',
    clean: '已检查，未发现问题',
    cleanLine: '已检查，未发现',
    partlyChecked: '未能完整检查（见“未能检查的项目”）',
    notRun: '未能检查',
    findings: '发现的问题',
    none: '未发现问题。',
    items: (n: number) => `${n} 项`,
    folder: '文件夹',
    more: (n: number) => `另有 ${n} 项，见 HTML/JSON 报告`,
    basis: '依据',
    evidence: '证据',
    remediation: '整改',
    usb: 'USB 存储设备',
    ledger: { registered: '已登记', unregistered: '未登记', unjudgeable: '无法与台账核对', 'not-judged': '未核对（未提供台账）' } as Record<string, string>,
    serial: '序列号',
    firstSeen: '首次',
    lastSeen: '最后',
    wireless: '无线模块',
    notChecked: '未能检查的项目',
    probe: '检查项',
    statuses: { error: '出错', timeout: '超时', 'not-applicable': '不适用', ok: '完成' } as Record<string, string>,
    blockingMark: '[!] 表示该项使检查不完整',
    example: '例',
    summary: '汇总',
    complete: '检查完整',
    incomplete: '检查不完整',
    problems: (n: number) => `发现 ${n} 项问题`,
    nothingMissing: '无',
    notCheckedCount: (n: number, b: number) => `未能检查 ${n} 项（其中 ${b} 项使检查不完整）`,
    sep: '，',
  },
  en: {
    title: 'baomi secrecy inspection report',
    verdict: 'Verdict',
    verdicts: { findings: 'FINDINGS', clean: 'no findings', incomplete: 'INCOMPLETE' },
    incompleteToo: ', and the scan is INCOMPLETE',
    machine: 'Machine',
    machineId: 'id',
    scan: 'Scan',
    scanId: 'Report id',
    live: 'live (this machine)',
    offline: 'offline (mounted disk)',
    profile: 'Class',
    assumed: ' (not given: strictest class assumed; set it with --profile or the ledger)',
    level: 'level',
    why: 'Decided by',
    warning: 'Note',
    unit: 'Unit',
    department: 'Department',
    rules: 'Rules',
    liveRead: 'Read',
    liveDrives: (on: string) => `drives ${on}`,
    liveLeft: (left: string) => ` (not scanned: ${left})`,
    liveCopies: (ok: number, all: number) => `${ok}/${all} registry copies (reg save, into a scratch folder on the kit, deleted once read; nothing was written on this machine)`,
    liveAdmin: (a: boolean | undefined) => (a === undefined ? 'administrator rights: unknown' : a ? 'run as administrator' : 'not run as administrator (what needs the rights was not checked)'),
    driveWhy: { kit: "the kit's drive", 'not-fixed': 'not a disk of this machine', unreadable: 'could not be opened' } as Record<string, string>,
    driveType: { removable: 'removable', network: 'network', cdrom: 'optical', ram: 'RAM disk', fixed: 'fixed', unknown: 'unknown', 'no-root': 'no root' } as Record<string, string>,
    severity: { high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFO' } as Record<Severity, string>,
    profiles: { classified: 'classified computer', intranet: 'non-classified intranet computer', nonclassified: 'non-classified (internet) computer' } as Record<string, string>,
    counts: 'Counts',
    clean: 'Checked and found clean',
    cleanLine: 'checked, nothing found',
    partlyChecked: 'not fully checked (see "Not checked")',
    notRun: 'not checked',
    findings: 'Findings',
    none: 'No findings.',
    items: (n: number) => `${n} item${n === 1 ? '' : 's'}`,
    folder: 'Folder',
    more: (n: number) => `${n} more in the HTML/JSON report`,
    basis: 'Basis',
    evidence: 'Evidence',
    remediation: 'Remediation',
    usb: 'USB storage devices',
    ledger: { registered: 'registered', unregistered: 'NOT registered', unjudgeable: 'cannot be checked against the ledger', 'not-judged': 'not checked (no ledger)' } as Record<string, string>,
    serial: 'serial',
    firstSeen: 'first',
    lastSeen: 'last',
    wireless: 'Wireless modules',
    notChecked: 'Not checked',
    probe: 'probe',
    statuses: { error: 'failed', timeout: 'timed out', 'not-applicable': 'not applicable', ok: 'ok' } as Record<string, string>,
    blockingMark: '[!] marks what makes the scan incomplete',
    example: 'e.g.',
    summary: 'Summary',
    complete: 'scan complete',
    incomplete: 'scan INCOMPLETE',
    problems: (n: number) => `${n} finding${n === 1 ? '' : 's'}`,
    nothingMissing: 'nothing',
    notCheckedCount: (n: number, b: number) => `${n} item${n === 1 ? '' : 's'} not checked (${b} making the scan incomplete)`,
    sep: ', ',
  },
};



const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return printable(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return printable(JSON.stringify(v));
}

/** A value as an officer reads it: in zh, known enumerations in words and UTC times as local times. */
function shownValue(v: unknown, lang?: Lang): string {
  if (lang === 'zh') {
    if (typeof v === 'string' && ISO_UTC.test(v)) return localTime(v);
    const w = valueWordZh(v);
    if (w !== undefined) return w;
  }
  return scalar(v);
}

/** Evidence as `key: value` lines, nested objects flattened with dots, long arrays shortened. */
export function evidenceLines(evidence: Record<string, unknown>, prefix = '', lang?: Lang): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    const label = lang === 'zh' ? (fieldLabelZh(k) ?? k) : k;
    const key = prefix + label;
    if (lang === 'zh' && DETAIL_FIELDS.has(k) && Array.isArray(v)) {
      if (v.length > 0) out.push(`${printable(key)}: ${detailCountZh(v.length)}`);
    } else if (isMsg(v)) {
      out.push(`${printable(key)}: ${printable(msgText(v, lang ?? 'en'))}`);
    } else if (Array.isArray(v) && v.length > 0 && v.every(isMsg)) {
      out.push(`${printable(key)}: ${v.slice(0, 10).map((x) => printable(msgText(x, lang ?? 'en'))).join('; ')}${v.length > 10 ? ` … (+${v.length - 10})` : ''}`);
    } else if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== 'object')) {
        const shown = v.slice(0, 10).map((x) => shownValue(x, lang)).join(', ');
        out.push(`${printable(key)}: ${shown}${v.length > 10 ? ` … (+${v.length - 10})` : ''}`);
      } else {
        v.slice(0, 10).forEach((x, i) => out.push(...evidenceLines(x as Record<string, unknown>, `${key}[${i}].`, lang)));
        if (v.length > 10) out.push(`${key}: … (+${v.length - 10})`);
      }
    } else if (v !== null && typeof v === 'object') {
      out.push(...evidenceLines(v as Record<string, unknown>, `${key}.`, lang));
    } else {
      out.push(`${printable(key)}: ${shownValue(v, lang)}`);
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

/** An ISO time (UTC) as local time with its offset: `2026-12-06 12:34:07 +08:00`. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const off = -d.getTimezoneOffset();
  const p = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  return `${local} ${off < 0 ? '-' : '+'}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}


interface Group {
  title: string;
  items: Finding[];
}

/** A rule's findings, documents grouped by folder. */
function groupsOf(fs: Finding[], t: (typeof T)[Lang]): Group[] {
  if (!fs.every((f) => typeof f.evidence['path'] === 'string')) return [{ title: '', items: fs }];
  const byFolder = new Map<string, Finding[]>();
  for (const f of fs) {
    const d = dirname(String(f.evidence['path']));
    byFolder.set(d, [...(byFolder.get(d) ?? []), f]);
  }
  return [...byFolder.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([d, items]) => ({
      title: `${t.folder} ${printable(d)}（${t.items(items.length)}）`,
      // within a folder, by name (not by the findings' hash ids)
      items: items.sort((a, b) => (String(a.evidence['path']) < String(b.evidence['path']) ? -1 : String(a.evidence['path']) > String(b.evidence['path']) ? 1 : 0)),
    }));
}

/** What a live Windows scan read, in one sentence (the text and HTML reports both show it). */
export function liveWindowsLine(report: Report, lang: Lang): string | undefined {
  const lw = report.scan.liveWindows;
  if (!lw) return undefined;
  const t = T[lang];
  const sepList = lang === 'zh' ? '、' : ', ';
  const on = lw.drives.filter((d) => d.scanned).map((d) => `${d.letter}:`).join(sepList);
  const left = lw.drives.filter((d) => !d.scanned).map((d) => `${d.letter}: ${d.why === 'not-fixed' && d.type ? t.driveType[d.type] ?? d.type : t.driveWhy[d.why ?? ''] ?? ''}`).join(sepList);
  const ok = lw.registryCopies.filter((r) => r.ok).length;
  const semi = lang === 'zh' ? '；' : '; ';
  return printable(`${t.liveDrives(on)}${left ? t.liveLeft(left) : ''}${semi}${t.liveCopies(ok, lw.registryCopies.length)}${semi}${t.liveAdmin(lw.elevated)}`);
}

export function renderText(report: Report, opts: TextOptions): string {
  const t = T[opts.lang];
  const lang = opts.lang;
  const c = new Chalk({ level: opts.colour ? 1 : 0 });
  const L: string[] = [];
  const m = report.machine;
  const os = (m['os'] as { prettyName?: string; name?: string } | undefined) ?? {};
  const s = report.summary;
  const sevCounts = SEV_ORDER.map((x) => `${t.severity[x]} ${s.bySeverity[x]}`).join(', ');

  // -- the verdict, the machine and its class
  L.push(c.bold(`${t.title} — ${scalar(m['hostname'])}`));
  const verdict = s.findings > 0
    ? c.red.bold(`${t.verdicts.findings}（${sevCounts}）`) + (s.complete ? '' : c.red(t.incompleteToo))
    : s.complete ? c.green(t.verdicts.clean) : c.red.bold(`${t.verdicts.incomplete}（${t.notCheckedCount(s.notChecked?.total ?? 0, s.notChecked?.blocking ?? s.incomplete.length)}）`);
  L.push(`${t.verdict}: ${verdict}`);
  L.push(`${t.machine}: ${scalar(m['hostname'])}  ${printable(os.prettyName ?? os.name ?? '')}${m['machineId'] ? `  ${t.machineId} ${scalar(m['machineId'])}` : ''}`);
  const mc = report.scan.machineContext;
  L.push(`${t.profile}: ${t.profiles[report.scan.profile] ?? report.scan.profile}${mc?.level ? `（${t.level} ${mc.level}）` : ''}${report.scan.profileAssumed ? t.assumed : ''}`);
  if (mc) {
    L.push(`${t.why}: ${printable(mc.reason[lang])}`);
    for (const w of mc.warnings) L.push(c.yellow(`${t.warning}: ${printable(w[lang])}`));
  }
  L.push(`${t.scan}: ${localTime(report.scan.startedAt)} → ${localTime(report.scan.finishedAt)}  ${report.scan.mode === 'live' ? t.live : t.offline}${report.scan.mode === 'offline' ? ` ${printable(report.scan.root)}` : ''}`);
  const lw = liveWindowsLine(report, lang);
  if (lw) L.push(`${t.liveRead}: ${lw}`);
  // Ties this text to its JSON and HTML (the HTML carries the same id as its baomi-scan-id meta).
  L.push(`${t.scanId}: ${printable(report.scan.id)}`);
  if (report.unit !== undefined) L.push(`${t.unit}: ${printable(report.unit)}`);
  if (report.department !== undefined) L.push(`${t.department}: ${printable(report.department)}`);
  L.push(`${t.rules}: ${report.rules.count}  ${report.rules.digest}`);

  // -- counts by rule
  const byRule = new Map<string, Finding[]>();
  for (const f of report.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const ruleOrder = [...byRule.entries()].sort((a, b) => SEV_ORDER.indexOf(a[1][0]!.severity) - SEV_ORDER.indexOf(b[1][0]!.severity) || a[0].localeCompare(b[0]));
  if (ruleOrder.length > 0) {
    L.push('');
    L.push(c.bold(`== ${t.counts} ==`));
    for (const [id, fs] of ruleOrder) {
      const sev = fs[0]!.severity;
      L.push(`${sevColour(c, sev)(`[${t.severity[sev]}]`)} ${fs[0]!.title[lang]}（${id}）: ${t.items(fs.length)}`);
    }
  }

  // -- checked and clean: every rule without findings, in the state rule-state.ts gives it
  const about = report.rules.about ?? {};
  // one line per state; a state with many rules lists their titles on its line, so that the first
  // screen still reaches the findings when thirty rules ran
  const byState = new Map<string, string[]>();
  for (const [id, st] of ruleStates(report)) {
    if (st.state === 'findings' || st.state === 'unknown') continue;
    const title = about[id]?.title[lang] ?? id;
    const state =
      st.state === 'partly' ? t.partlyChecked
        : st.state === 'clean' ? t.cleanLine
          : st.state === 'not-applicable' ? (t.statuses['not-applicable'] ?? st.probe.status)
            : `${t.notRun}（${t.statuses[st.probe.status] ?? st.probe.status}）`;
    byState.set(state, [...(byState.get(state) ?? []), title]);
  }
  const cleanLines: string[] = [];
  const sep = lang === 'zh' ? '；' : '; ';
  for (const [state, titles] of byState) {
    if (titles.length <= 3) for (const title of titles) cleanLines.push(`- ${title}: ${state}`);
    else cleanLines.push(`- ${state}（${t.items(titles.length)}）: ${titles.join(sep)}`);
  }
  if (cleanLines.length > 0) {
    L.push('');
    L.push(c.bold(`== ${t.clean} ==`));
    L.push(...cleanLines);
  }

  // -- findings, grouped by rule; remediation once per rule; documents by folder
  L.push('');
  L.push(c.bold(`== ${t.findings} ==`));
  if (report.findings.length === 0) L.push(t.none);
  for (const [id, fs] of ruleOrder) {
    const f0 = fs[0]!;
    const sev = f0.severity;
    L.push('');
    L.push(sevColour(c, sev)(`-- [${t.severity[sev]}] ${f0.title[lang]}（${id}）: ${t.items(fs.length)} --`));
    L.push(`  ${t.basis}: ${f0.basis}`);
    L.push(`  ${t.remediation}: ${f0.remediation[lang]}`);
    for (const g of groupsOf(fs, t)) {
      if (g.title) L.push(`  ${g.title}`);
      g.items.slice(0, PER_GROUP).forEach((f, i) => {
        L.push(`  ${i + 1}. ${f.id}`);
        for (const line of evidenceLines(f.evidence, '', lang)) L.push(`       ${line}`);
      });
      if (g.items.length > PER_GROUP) L.push(`  … ${t.more(g.items.length - PER_GROUP)}`);
    }
  }

  // -- USB storage devices and their ledger standing; wireless modules
  const usb = (report.inventory['usbDevices'] as Array<Record<string, unknown>> | undefined)?.filter((d) => d['storage'] === true) ?? [];
  if (usb.length > 0) {
    L.push('');
    L.push(c.bold(`== ${t.usb}（${t.items(usb.length)}）==`));
    for (const d of usb.slice(0, 50)) {
      const st = String((d['ledger'] as { status?: string } | undefined)?.status ?? 'not-judged');
      const name = [d['vendor'], d['product']].filter((x) => typeof x === 'string').map((x) => printable(String(x))).join(' ') || scalar(d['key']);
      L.push(`- ${name}  ${t.serial} ${scalar(d['serial'])}  ${t.firstSeen} ${shownValue(d['firstSeen'], lang)}  ${t.lastSeen} ${shownValue(d['lastSeen'], lang)}  — ${t.ledger[st] ?? st}`);
    }
    if (usb.length > 50) L.push(`… ${t.more(usb.length - 50)}`);
  }
  const radios = (report.inventory['wirelessAdapters'] as Array<Record<string, unknown>> | undefined) ?? [];
  if (radios.length > 0) {
    L.push('');
    L.push(c.bold(`== ${t.wireless}（${t.items(radios.length)}）==`));
    for (const a of radios.slice(0, 30)) L.push(`- ${shownValue(a['kind'], lang)}: ${scalar(a['name'])}  ${shownValue(a['presence'], lang)}  ${scalar(a['source'])}`);
    if (radios.length > 30) L.push(`… ${t.more(radios.length - 30)}`);
  }

  // -- what could not be checked: probes that did not run, then gaps grouped by kind
  L.push('');
  L.push(c.bold(`== ${t.notChecked} ==`));
  const gaps: string[] = [];
  for (const p of report.probes) {
    if (p.status === 'ok') continue;
    const why = p.msg !== undefined ? msgText(p.msg, lang) : lang === 'zh' ? '' : (p.message ?? '');
    gaps.push(`${t.probe} ${p.id}: ${t.statuses[p.status] ?? p.status}${why ? ` — ${printable(why)}` : ''}${p.blocking || p.status === 'error' || p.status === 'timeout' ? ' [!]' : ''}`);
  }
  const byKind = new Map<string, typeof report.coverage>();
  for (const g of report.coverage) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g]);
  for (const [kind, items] of byKind) {
    const label = lang === 'zh' ? kindWords(kind, lang) : kind;
    const blocking = items.some((g) => g.blocking);
    if (items.length === 1) {
      const g = items[0]!;
      // The reason (English, parser detail) stays in the JSON; zh shows the kind in words and where.
      const reason = lang === 'zh' && COVERAGE_KINDS[kind] !== undefined ? '' : printable(g.reason);
      const what = [g.path ? printable(g.path) : '', reason].filter((x) => x !== '').join(' — ');
      gaps.push(`${label}${what ? `: ${what}` : ''}${blocking ? ' [!]' : ''}`);
    } else {
      const eg = items.filter((g) => g.path).slice(0, 3).map((g) => printable(g.path!));
      gaps.push(`${label}: ${t.items(items.length)}${eg.length > 0 ? `（${t.example} ${eg.join(t.sep)}）` : ''}${blocking ? ' [!]' : ''}`);
    }
  }
  if (gaps.length === 0) L.push(t.nothingMissing);
  for (const g of gaps) L.push(`- ${g}`);
  if (gaps.some((g) => g.endsWith('[!]'))) L.push(t.blockingMark);

  // -- the summary, last
  L.push('');
  const state = s.complete ? c.green(t.complete) : c.red.bold(t.incomplete);
  const nc = s.notChecked;
  if (nc && nc.total > 0) {
    const kinds = Object.entries(nc.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${kindWords(k, lang)} ${n}`).join(t.sep);
    L.push(`${t.notCheckedCount(nc.total, nc.blocking)}: ${kinds}`);
  }
  L.push(`${t.summary}: ${t.problems(s.findings)} (${sevCounts}); ${state}`);
  return L.join('\n') + '\n';
}
