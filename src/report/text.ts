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
import type { Report } from './types.js';

export type Lang = 'zh' | 'en';

/** Findings of one rule (or one folder of documents) shown in the text; the rest are counted. */
export const PER_GROUP = 10;

const KINDS_ZH: Record<string, string> = {
  unreadable: '无法读取', timeout: '超时未读完', 'too-large': '超过大小上限', 'zip-bomb': '压缩炸弹（解压后过大）', changed: '读取时被修改',
  encrypted: '已加密，需人工核查', 'no-text-layer': '图片或扫描件（无文字层，需人工核查）', unsupported: '不支持的格式', corrupt: '文件已损坏',
  partial: '只读取了一部分', symlinks: '符号链接（未跟随）', missing: '不存在', 'missing-tool': '缺少工具', 'not-recorded': '系统未记录',
  'no-ledger': '未提供台账，无法核对登记情况', 'dirty-hive': '注册表未完整写入（事务日志不可用）', 'hive-damaged': '注册表文件损坏',
  'hive-truncated': '注册表文件被截断', 'hive-replayed': '注册表已按事务日志恢复', 'hive-check-incomplete': '注册表完整性检查未完成',
  'unsupported-format': '不支持的格式', 'empty-volume': '磁盘为空（是否已挂载？）', 'access-times-changed': '读取可能改变了文件的访问时间（请以 root 运行，或只读挂载）',
  'not-regular': '特殊文件（管道、设备等），未读取', 'nothing-checked': '没有任何检查项可执行',
};

const T = {
  zh: {
    title: 'baomi 保密检查报告',
    verdict: '结论',
    verdicts: { findings: '发现问题', clean: '未发现问题', incomplete: '检查不完整' },
    incompleteToo: '，且检查不完整',
    machine: '计算机',
    scan: '检查',
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
    scan: 'Scan',
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

/** Evidence labels an officer reads (zh); other keys are identifiers and stay as they are. */
const LABELS_ZH: Record<string, string> = {
  path: '路径', originalPath: '原路径', size: '大小', mtime: '修改时间', sha256: 'SHA-256', format: '格式', maxLevel: '最高密级',
  markings: '密级标志', level: '密级', text: '标志原文', where: '位置', key: '设备标识', vid: 'VID', pid: 'PID', serial: '序列号',
  vendor: '厂商', product: '型号', revision: '版本', manufacturer: '制造商', firstSeen: '首次连接', lastSeen: '最后连接',
  lastRemoved: '最后拔出', driveLetters: '盘符', volumeLabels: '卷标', volumeSerials: '卷序列号', users: '用户', ledger: '台账',
  status: '状态', name: '名称', kind: '类别', bus: '总线', driver: '驱动', presence: '存在情况', source: '来源', user: '用户',
  browser: '浏览器', internetVisits: '互联网访问次数', internetHosts: '互联网站点数', firstInternetVisit: '首次访问互联网',
  lastInternetVisit: '最后访问互联网', topHosts: '常访问站点', hostname: '主机名', remote: '远程地址', remotePort: '远程端口',
  process: '进程', reachable: '可达', pathBytes: '路径原始字节', pathEncoding: '路径编码', sources: '来源',
  medium: '网络类型', created: '创建时间', lastConnected: '最后连接', timesAreLocal: '时间为本地时间', address: '地址',
  firstUsed: '首次使用', lastUsed: '最后使用', gatewayMac: '网关 MAC', matchedBy: '识别依据', firstInstall: '首次安装',
  lastArrival: '最后接入', lastRemoval: '最后移除', ifaces: '接口', rfkill: '射频开关', driverBound: '驱动已加载',
  profile: '配置', typed: '输入网址数', internetTyped: '输入的互联网网址数', hosts: '站点', paired: '已配对', security: '加密方式',
  iface: '接口', storage: '存储设备', phone: '手机', attachedNow: '当前接入', interfaceClasses: '接口类别', serialRaw: '原始序列号',
  proto: '协议', local: '本地地址', localPort: '本地端口', state: '状态', reachableTargets: '可达目标数', targets: '目标数',
  dnsResolved: '已解析域名数', defaultRoute: '默认路由', proxy: '代理', wal: 'WAL 日志', urls: '网址', firstSeenUtc: '首次连接（UTC）',
  connections: '连接次数', detail: '详情', revisionNumber: '版本',
};

/** Values an officer reads (zh): enumerations of observations. Others are shown as they are. */
const VALUES_ZH: Record<string, string> = {
  wifi: '无线网卡', bluetooth: '蓝牙', wwan: '无线上网卡', receiver: '无线键鼠接收器', radio: '无线模块',
  'wifi-network': '保存的 Wi-Fi 网络', 'bluetooth-device': '配对的蓝牙设备', 'hostapd-config': '无线热点配置',
  browser: '浏览器记录', 'network-profile': '网络配置', 'typed-urls': '输入的网址',
  present: '当前存在', 'present-at-last-boot': '上次开机时存在', installed: '曾安装（已移除）', recorded: '系统有记录',
  mobile: '移动网络', wireless: '无线', wired: '有线', other: '其他',
  registered: '已登记', unregistered: '未登记', unjudgeable: '无法核对', 'not-judged': '未核对',
  classified: '涉密', intranet: '内网', nonclassified: '非涉密', true: '是', false: '否',
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
    const w = typeof v === 'string' || typeof v === 'boolean' ? VALUES_ZH[String(v)] : undefined;
    if (w !== undefined) return w;
  }
  return scalar(v);
}

/** Evidence as `key: value` lines, nested objects flattened with dots, long arrays shortened. */
export function evidenceLines(evidence: Record<string, unknown>, prefix = '', lang?: Lang): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    const label = lang === 'zh' ? (LABELS_ZH[k] ?? k) : k;
    const key = prefix + label;
    if (Array.isArray(v)) {
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

/** The engine's own probe messages, in Chinese (a probe's error text stays in the JSON). */
function probeMessageZh(m: string): string | undefined {
  if (m.startsWith('runs only on live')) return '只在在线检查时运行，本次为离线检查';
  if (m.startsWith('runs only on offline')) return '只在离线检查时运行';
  if (m === 'no operating system on this volume') return '该磁盘上没有操作系统';
  if (m.startsWith('the operating system of this machine could not be recognised')) return '无法识别本机的操作系统';
  if (m.startsWith('no collector for')) return '不支持该操作系统';
  if (m.startsWith('did not finish within')) return `未在时限内完成（${m.replace(/\D+/g, ' ').trim()} 毫秒）`;
  if (m === 'interrupted') return '检查被中断';
  return undefined;
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
    .map(([d, items]) => ({ title: `${t.folder} ${printable(d)}（${t.items(items.length)}）`, items }));
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
  L.push(`${t.machine}: ${scalar(m['hostname'])}  ${printable(os.prettyName ?? os.name ?? '')}${m['machineId'] ? `  id ${scalar(m['machineId'])}` : ''}`);
  const mc = report.scan.machineContext;
  L.push(`${t.profile}: ${t.profiles[report.scan.profile] ?? report.scan.profile}${mc?.level ? `（${t.level} ${mc.level}）` : ''}${report.scan.profileAssumed ? t.assumed : ''}`);
  if (mc) {
    L.push(`${t.why}: ${printable(mc.reason[lang])}`);
    for (const w of mc.warnings) L.push(c.yellow(`${t.warning}: ${printable(w[lang])}`));
  }
  L.push(`${t.scan}: ${localTime(report.scan.startedAt)} → ${localTime(report.scan.finishedAt)}  ${report.scan.mode === 'live' ? t.live : t.offline}${report.scan.mode === 'offline' ? ` ${printable(report.scan.root)}` : ''}`);
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

  // -- checked and clean: every rule whose probe ran and found nothing
  const about = report.rules.about ?? {};
  const statusOf = new Map(report.probes.flatMap((p) => p.rules.map((r) => [r, p] as const)));
  // A probe that ran but left a blocking gap (no ledger to judge registration, an unread hive) did
  // not check everything its rules need: "nothing found" would be a lie.
  const gapped = new Set(report.coverage.filter((g) => g.blocking).map((g) => g.probe));
  const cleanLines: string[] = [];
  for (const id of report.rules.ids) {
    if (byRule.has(id)) continue;
    const p = statusOf.get(id);
    const title = about[id]?.title[lang] ?? id;
    if (p?.status === 'ok' && gapped.has(p.id)) cleanLines.push(`- ${title}: ${t.partlyChecked}`);
    else if (p?.status === 'ok') cleanLines.push(`- ${title}: ${t.cleanLine}`);
    else if (p?.status === 'not-applicable' && !p.blocking) cleanLines.push(`- ${title}: ${t.statuses['not-applicable']}`);
    else if (p) cleanLines.push(`- ${title}: ${t.notRun}（${t.statuses[p.status] ?? p.status}）`);
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
      L.push(`- ${name}  ${t.serial} ${scalar(d['serial'])}  ${t.firstSeen} ${scalar(d['firstSeen'])}  ${t.lastSeen} ${scalar(d['lastSeen'])}  — ${t.ledger[st] ?? st}`);
    }
    if (usb.length > 50) L.push(`… ${t.more(usb.length - 50)}`);
  }
  const radios = (report.inventory['wirelessAdapters'] as Array<Record<string, unknown>> | undefined) ?? [];
  if (radios.length > 0) {
    L.push('');
    L.push(c.bold(`== ${t.wireless}（${t.items(radios.length)}）==`));
    for (const a of radios.slice(0, 30)) L.push(`- ${scalar(a['kind'])}: ${scalar(a['name'])}  ${scalar(a['presence'])}  ${scalar(a['source'])}`);
    if (radios.length > 30) L.push(`… ${t.more(radios.length - 30)}`);
  }

  // -- what could not be checked: probes that did not run, then gaps grouped by kind
  L.push('');
  L.push(c.bold(`== ${t.notChecked} ==`));
  const gaps: string[] = [];
  for (const p of report.probes) {
    if (p.status === 'ok') continue;
    const why = p.message === undefined ? '' : lang === 'zh' ? (probeMessageZh(p.message) ?? '') : p.message;
    gaps.push(`${t.probe} ${p.id}: ${t.statuses[p.status] ?? p.status}${why ? ` — ${printable(why)}` : ''}${p.blocking || p.status === 'error' || p.status === 'timeout' ? ' [!]' : ''}`);
  }
  const byKind = new Map<string, typeof report.coverage>();
  for (const g of report.coverage) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g]);
  for (const [kind, items] of byKind) {
    const label = lang === 'zh' ? (KINDS_ZH[kind] ?? kind) : kind;
    const blocking = items.some((g) => g.blocking);
    if (items.length === 1) {
      const g = items[0]!;
      // The reason (English, parser detail) stays in the JSON; zh shows the kind in words and where.
      const reason = lang === 'zh' && KINDS_ZH[kind] !== undefined ? '' : printable(g.reason);
      gaps.push(`${label}: ${[g.path ? printable(g.path) : '', reason].filter((x) => x !== '').join(' — ')}${blocking ? ' [!]' : ''}`);
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
    const kinds = Object.entries(nc.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${lang === 'zh' ? (KINDS_ZH[k] ?? k) : k} ${n}`).join(t.sep);
    L.push(`${t.notCheckedCount(nc.total, nc.blocking)}: ${kinds}`);
  }
  L.push(`${t.summary}: ${t.problems(s.findings)} (${sevCounts}); ${state}`);
  return L.join('\n') + '\n';
}
