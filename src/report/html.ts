// HTML report: a pure function of the report object, one self-contained page per machine scan for
// an officer to open in any browser or print on A4. Chinese first (or English), the same order as the
// text report — verdict, counts, what was checked and found clean, findings grouped by rule
// (documents by folder), USB devices with their ledger standing, wireless adapters, what could not be
// checked — but with the FULL lists, in tables that sort (click a heading) and filter (the box above).
//
// Safety: every string that came from the inspected disk is escaped (and control or direction
// characters shown as \xNN), and a Content-Security-Policy allows only this file's own style and
// script (by hash) and no network at all: a hostile file name cannot run or load anything.
import { createHash } from 'node:crypto';
import { SEVERITIES, type Finding, type Severity } from '../engine/types.js';
import { printable } from '../target/resolve.js';
import { CHECKLIST_FIELDS, COVERAGE_KINDS, DETAIL_FIELDS, detailCountZh, FIELD_LABELS_ZH, isMsg, msgText, valueWordZh } from './messages.js';
import { liveWindowsLine, type Lang } from './text.js';
import { ruleStates } from './rule-state.js';
import type { Report } from './types.js';

// ───────────────────────────────────────── vocabulary ─────────────────────────────────────────

const V = {
  zh: {
    title: '保密检查报告',
    verdicts: { findings: '发现问题', clean: '未发现问题', incomplete: '检查不完整' } as Record<string, string>,
    alsoIncomplete: '本次检查不完整，未发现问题不代表没有问题（见“未能检查的项目”）。',
    machine: '计算机', klass: '类别', level: '密级', why: '判定依据', note: '注意', unit: '单位', department: '部门',
    mode: '检查方式', live: '在线（本机）', offline: '离线（挂载磁盘）', root: '检查位置', time: '检查时间', os: '操作系统',
    assumed: '未指定类别：按最严格的涉密计算机检查。用 --profile 或 --ledger（台账）指定。',
    profiles: { classified: '涉密计算机', intranet: '非涉密内网计算机', nonclassified: '非涉密（互联网）计算机' } as Record<string, string>,
    severity: { high: '高', medium: '中', low: '低', info: '提示' } as Record<Severity, string>,
    counts: '问题统计', bySeverity: '按严重程度', byRule: '按规则', rule: '规则', colTitle: '名称', sev: '严重程度', count: '数量', total: '合计',
    checked: '检查项目', status: '结果', cleanOk: '已检查，未发现问题', partlyChecked: '未能完整检查（见“未能检查的项目”）', hasFindings: (n: number) => `发现 ${n} 项`,
    findings: '发现的问题', none: '未发现问题。', basis: '依据', remediation: '整改要求', folders: '按文件夹',
    folder: '文件夹', file: '文件名', maxLevel: '最高密级', markings: '密级标志', size: '大小', mtime: '修改时间', other: '其他', id: '编号',
    usb: 'USB 设备', usbNone: '未发现 USB 设备记录。', usbNotRead: '未读取 USB 设备记录（该检查未运行）。',
    usbKind: '类型', storage: '存储设备', phone: '手机', otherDev: '其他',
    vendor: '厂商', product: '型号', serial: '序列号', firstSeen: '首次连接', lastSeen: '最后连接', drives: '盘符', labels: '卷标', ledger: '台账',
    ledgerStatus: { registered: '已登记', unregistered: '未登记', unjudgeable: '无法与台账核对', 'not-judged': '未核对（未提供台账）' } as Record<string, string>,
    wireless: '无线网卡与无线模块', wirelessNone: '未发现无线网卡或无线模块。', wirelessNotRead: '未检查无线网卡（该检查未运行）。',
    name: '名称', kind: '类别', bus: '总线', driver: '驱动', presence: '存在情况', firstInstall: '首次安装', lastArrival: '最后接入', source: '来源',
    inventory: '其他清单',
    notChecked: '未能检查的项目', notCheckedNone: '所有项目均已检查。', byKind: '按原因', blocking: '使检查不完整', yes: '是', no: '否',
    probes: '未正常完成的检查项', probe: '检查项', message: '说明', path: '路径', reason: '原因', all: '全部明细',
    incompleteWhy: '检查不完整的原因', interruptedOrIncomplete: '检查被中断或未完成',
    statuses: { ok: '完成', 'not-applicable': '不适用', error: '出错', timeout: '超时或被中断' } as Record<string, string>,
    about: '关于本报告', liveRead: '本次读取', scanId: '报告编号', tool: '工具', rulesDigest: '规则集摘要', signer: '签名密钥', scanner: '执行检查的主机',
    signed: '本文件与同名 .json、.txt 报告各有独立的 Ed25519 签名（.sig）；校验命令：baomi verify 报告.json',
    filter: '筛选…', sortHint: '点击表头排序', runtime: '运行环境',
  },
  en: {
    title: 'Secrecy inspection report',
    verdicts: { findings: 'Findings', clean: 'No findings', incomplete: 'Scan incomplete' } as Record<string, string>,
    alsoIncomplete: 'The scan is incomplete: no finding does not mean no problem (see "Not checked").',
    machine: 'Computer', klass: 'Class', level: 'Level', why: 'Decided by', note: 'Note', unit: 'Unit', department: 'Department',
    mode: 'Mode', live: 'live (this machine)', offline: 'offline (mounted disk)', root: 'Root', time: 'Time', os: 'Operating system',
    assumed: 'No class given: checked as a classified computer, the strictest. Set it with --profile or --ledger.',
    profiles: { classified: 'classified computer', intranet: 'non-classified intranet computer', nonclassified: 'non-classified (internet) computer' } as Record<string, string>,
    severity: { high: 'high', medium: 'medium', low: 'low', info: 'info' } as Record<Severity, string>,
    counts: 'Counts', bySeverity: 'By severity', byRule: 'By rule', rule: 'Rule', colTitle: 'Title', sev: 'Severity', count: 'Count', total: 'Total',
    checked: 'What was checked', status: 'Result', cleanOk: 'checked, nothing found', partlyChecked: 'not fully checked (see "Not checked")', hasFindings: (n: number) => `${n} found`,
    findings: 'Findings', none: 'No findings.', basis: 'Basis', remediation: 'Remediation', folders: 'By folder',
    folder: 'Folder', file: 'File', maxLevel: 'Highest level', markings: 'Markings', size: 'Size', mtime: 'Modified', other: 'Other', id: 'Id',
    usb: 'USB devices', usbNone: 'No USB device recorded.', usbNotRead: 'USB records were not read (that check did not run).',
    usbKind: 'Type', storage: 'storage', phone: 'phone', otherDev: 'other',
    vendor: 'Vendor', product: 'Model', serial: 'Serial', firstSeen: 'First seen', lastSeen: 'Last seen', drives: 'Drives', labels: 'Labels', ledger: 'Ledger',
    ledgerStatus: { registered: 'registered', unregistered: 'NOT registered', unjudgeable: 'cannot be checked against the ledger', 'not-judged': 'not checked (no ledger)' } as Record<string, string>,
    wireless: 'Wireless adapters and modules', wirelessNone: 'No wireless adapter or module found.', wirelessNotRead: 'Wireless adapters were not checked (that check did not run).',
    name: 'Name', kind: 'Kind', bus: 'Bus', driver: 'Driver', presence: 'Presence', firstInstall: 'First installed', lastArrival: 'Last arrival', source: 'Source',
    inventory: 'Other lists',
    notChecked: 'Not checked', notCheckedNone: 'Everything was checked.', byKind: 'By reason', blocking: 'Makes the scan incomplete', yes: 'yes', no: 'no',
    probes: 'Checks that did not finish normally', probe: 'Check', message: 'Message', path: 'Path', reason: 'Reason', all: 'Every item',
    incompleteWhy: 'Why the scan is incomplete', interruptedOrIncomplete: 'the scan was interrupted or did not finish',
    statuses: { ok: 'ok', 'not-applicable': 'not applicable', error: 'failed', timeout: 'timed out or interrupted' } as Record<string, string>,
    about: 'About this report', liveRead: 'Read', scanId: 'Report id', tool: 'Tool', rulesDigest: 'Rule set digest', signer: 'Signing key', scanner: 'Scanned from',
    signed: 'This file, and the .json and .txt reports of the same name, each carry an Ed25519 signature (.sig); check them with: baomi verify REPORT.json',
    filter: 'Filter…', sortHint: 'click a heading to sort', runtime: 'node',
  },
};
type Vocab = (typeof V)['zh'];

// ───────────────────────────────────────── escaping ─────────────────────────────────────────

/** HTML-escape text for element content and double- or single-quoted attributes. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text from the report (and so possibly from the disk): control and direction characters shown, then escaped. */
function t(v: unknown): string {
  return esc(printable(String(v)));
}

/** The marker the HTML carries of the report it was made from (`baomi verify` checks it). */
export function scanIdMeta(scanId: string): string {
  return `<meta name="baomi-scan-id" content="${esc(scanId)}">`;
}

// ───────────────────────────────────────── cells and tables ─────────────────────────────────────────

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;
const ISO_LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?$/;

/** A time: UTC in the file (and on paper), turned into the reader's local time with its offset by the script. */
function time(iso: string): string {
  const shown = iso.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC');
  return `<time datetime="${esc(iso)}">${esc(shown)}</time>`;
}

/** The page's language while it is rendered (set by renderHtml; the renderer is synchronous). */
let pageLang: Lang = 'zh';

function scalarHtml(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (isMsg(v)) return t(msgText(v, pageLang));
  const w = pageLang === 'zh' ? valueWordZh(v) : undefined;
  if (w !== undefined) return esc(w);
  if (typeof v === 'string') {
    if (ISO_UTC.test(v)) return time(v);
    if (ISO_LOCAL.test(v)) return esc(v.replace('T', ' '));
    return t(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return esc(String(v));
  return t(JSON.stringify(v));
}

/** Nested values as `key: value` lines (objects flattened with dots), every string escaped. */
function flatLines(v: unknown, prefix: string, out: string[], words: Record<string, string>, depth = 0): void {
  const label = prefix ? `<span class="k">${t(prefix)}:</span> ` : '';
  if (v === null || typeof v !== 'object' || depth > 4 || isMsg(v)) {
    out.push(`${label}${scalarHtml(v)}`);
    return;
  }
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object' || isMsg(x))) {
      out.push(`${label}${v.map(scalarHtml).join('; ')}`);
      return;
    }
    v.forEach((x, i) => flatLines(x, `${prefix}[${i + 1}]`, out, words, depth + 1));
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const p = prefix ? `${prefix}.${words[k] ?? k}` : (words[k] ?? k);
    if (pageLang === 'zh' && DETAIL_FIELDS.has(k) && Array.isArray(x)) {
      if (x.length > 0) out.push(`<span class="k">${t(p)}:</span> ${esc(detailCountZh(x.length))}`);
      continue;
    }
    flatLines(x, p, out, words, depth + 1);
  }
}

/** A value in a cell; objects as `key: value` lines, keys in the page's language when known. */
function cellHtml(v: unknown, vocab?: Vocab): string {
  if (v === null || typeof v !== 'object' || isMsg(v)) return scalarHtml(v);
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object' || isMsg(x))) return v.map(scalarHtml).join('<br>');
  const lines: string[] = [];
  flatLines(v, '', lines, vocab === V.zh ? KEYS_ZH : {});
  return lines.join('<br>');
}

interface Col {
  head: string;
  /** Sort as numbers (the cell's data-v). */
  num?: boolean;
  /** Wide text (paths): may break anywhere. */
  wide?: boolean;
}

/** A cell: its HTML and, when sorting should not use the shown text, the value to sort by. */
type Cell = string | { html: string; v: string | number };

let tableSeq = 0;

function table(v: Vocab, cols: Col[], rows: Cell[][], cls = ''): string {
  const id = `t${++tableSeq}`;
  const head = cols.map((c) => `<th${c.num ? ' data-num' : ''} scope="col">${c.head}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => {
      const k = [cols[i]?.wide ? 'w' : '', cols[i]?.num ? 'num' : ''].filter(Boolean).join(' ');
      const attrs = `${k ? ` class="${k}"` : ''}${typeof c === 'object' ? ` data-v="${esc(String(c.v))}"` : ''}`;
      return `<td${attrs}>${typeof c === 'object' ? c.html : c}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  const filter = rows.length > 1
    ? `<div class="tools"><input type="search" class="filter" data-for="${id}" placeholder="${esc(v.filter)}" aria-label="${esc(v.filter)}"> <span class="shown" id="${id}-n"></span> <span class="hint">${esc(v.sortHint)}</span></div>`
    : '';
  return `${filter}<table class="t${cls ? ` ${cls}` : ''}" id="${id}" data-rows="${rows.length}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function kv(pairs: Array<[string, string | undefined]>): string {
  return `<dl class="kv">${pairs.filter((p) => p[1] !== undefined).map(([k, x]) => `<dt>${k}</dt><dd>${x}</dd>`).join('')}</dl>`;
}

// ───────────────────────────────────────── helpers over the report ─────────────────────────────────────────

function verdictOf(r: Report): 'findings' | 'clean' | 'incomplete' {
  if (r.summary.findings > 0) return 'findings';
  return r.summary.complete ? 'clean' : 'incomplete';
}

function sevBadge(v: Vocab, s: Severity): Cell {
  return { html: `<span class="sev ${s}">${esc(v.severity[s] ?? s)}</span>`, v: SEVERITIES.indexOf(s) };
}

function ruleTitle(r: Report, lang: Lang, id: string, f?: Finding): string {
  const title = f?.title ?? r.rules.about?.[id]?.title;
  return title ? title[lang] || title.zh || title.en || id : id;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Folder of a target path (`/` or `\` separated), and the name in it. */
function splitPath(p: string): [string, string] {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i <= 0 ? [i === 0 ? p[0]! : '', p.slice(i + 1)] : [p.slice(0, i), p.slice(i + 1)];
}

const LEVEL_RANK: Record<string, number> = { 秘密: 1, 机密: 2, 绝密: 3 };

function isDocument(f: Finding): boolean {
  return f.probe.startsWith('documents') && typeof f.evidence['path'] === 'string';
}

// ───────────────────────────────────────── sections ─────────────────────────────────────────

function verdictSection(r: Report, v: Vocab, lang: Lang): string {
  const verdict = verdictOf(r);
  const ctx = r.scan.machineContext;
  const host = str(r.machine['hostname']) ?? '—';
  const klass = `${esc(v.profiles[ctx.class] ?? ctx.class)}${ctx.level ? `（${esc(ctx.level)}）` : ''}`;
  const notes = [
    ...(r.scan.profileAssumed ? [esc(v.assumed)] : []),
    ...ctx.warnings.map((w) => t(w[lang] || w.zh)),
  ];
  const osName = (r.machine['os'] as { name?: unknown } | undefined)?.name;
  return `<section id="verdict" class="verdict ${verdict}" data-verdict="${verdict}" data-findings="${r.summary.findings}" data-complete="${r.summary.complete}">
<h2>${esc(v.verdicts[verdict]!)}</h2>
${verdict === 'findings' && !r.summary.complete ? `<p class="warn">${esc(v.alsoIncomplete)}</p>` : ''}
${kv([
  [v.machine, `<strong class="host">${t(host)}</strong>`],
  [v.klass, klass],
  [v.why, t(ctx.reason[lang] || ctx.reason.zh)],
  [v.unit, r.unit !== undefined ? t(r.unit) : undefined],
  [v.department, r.department !== undefined ? t(r.department) : undefined],
  [v.os, t([r.scan.os.family, str(osName)].filter(Boolean).join(' · '))],
  [v.mode, `${esc(r.scan.mode === 'live' ? v.live : v.offline)}${r.scan.mode === 'offline' ? ` — ${t(r.scan.root)}` : ''}`],
  [v.time, `${time(r.scan.startedAt)} – ${time(r.scan.finishedAt)}`],
])}
${notes.map((n) => `<p class="note"><b>${esc(v.note)}：</b>${n}</p>`).join('\n')}
</section>`;
}

function countsSection(r: Report, v: Vocab, lang: Lang): string {
  const sevRows: Cell[][] = SEVERITIES.map((s) => [sevBadge(v, s), { html: String(r.summary.bySeverity[s] ?? 0), v: r.summary.bySeverity[s] ?? 0 }]);
  sevRows.push([`<b>${esc(v.total)}</b>`, { html: `<b>${r.summary.findings}</b>`, v: r.summary.findings }]);
  const byRule = new Map<string, Finding[]>();
  for (const f of r.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const ruleRows: Cell[][] = [...byRule].map(([id, fs]) => [
    `<a href="#rule-${esc(id)}">${t(id)}</a>`,
    t(ruleTitle(r, lang, id, fs[0])),
    sevBadge(v, fs[0]!.severity),
    { html: String(fs.length), v: fs.length },
  ]);
  return `<section id="counts"><h2>${esc(v.counts)}</h2>
<div class="cols"><div><h3>${esc(v.bySeverity)}</h3>${table(v, [{ head: esc(v.sev) }, { head: esc(v.count), num: true }], sevRows, 'counts-sev')}</div>
<div><h3>${esc(v.byRule)}</h3>${ruleRows.length > 0 ? table(v, [{ head: esc(v.rule) }, { head: esc(v.colTitle) }, { head: esc(v.sev) }, { head: esc(v.count), num: true }], ruleRows, 'counts-rule') : `<p>${esc(v.none)}</p>`}</div></div>
</section>`;
}

/** Why a probe did not finish, in the page's language (an English message without a key: only in English). */
function probeWhy(p: Report['probes'][number], lang: Lang): string {
  return p.msg !== undefined ? msgText(p.msg, lang) : lang === 'en' ? (p.message ?? '') : '';
}

/** Every rule of the scan: found something, checked and clean, or why it could not look. */
function checkedSection(r: Report, v: Vocab, lang: Lang): string {
  const states = ruleStates(r);
  const rows: Cell[][] = r.rules.ids.map((id) => {
    const st = states.get(id) ?? { state: 'unknown' };
    let status: string;
    let cls: string;
    if (st.state === 'findings') {
      status = esc(v.hasFindings(st.count));
      cls = 'bad';
    } else if (st.state === 'clean' || st.state === 'unknown') {
      status = esc(v.cleanOk);
      cls = 'good';
    } else if (st.state === 'partly') {
      status = esc(v.partlyChecked);
      cls = 'warn';
    } else {
      const run = st.probe;
      const why = probeWhy(run, lang);
      status = `${esc(v.statuses[run.status] ?? run.status)}${why ? `：${t(why)}` : ''}`;
      cls = st.state === 'not-applicable' ? 'na' : 'warn';
    }
    return [t(ruleTitle(r, lang, id)), `<span class="st ${cls}">${status}</span>`, t(id)];
  });
  return `<section id="checked"><h2>${esc(v.checked)}</h2>${table(v, [{ head: esc(v.colTitle) }, { head: esc(v.status) }, { head: esc(v.rule) }], rows, 'checked')}</section>`;
}

function documentTables(fs: Finding[], v: Vocab): string {
  const rows = fs
    .map((f) => {
      const e = f.evidence;
      const [folder, name] = splitPath(String(e['path']));
      return { f, e, folder, name };
    })
    .sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byFolder = new Map<string, { n: number; max: string }>();
  for (const x of rows) {
    const g = byFolder.get(x.folder) ?? { n: 0, max: '' };
    g.n++;
    const lvl = String(x.e['maxLevel'] ?? '');
    if ((LEVEL_RANK[lvl] ?? 0) > (LEVEL_RANK[g.max] ?? 0)) g.max = lvl;
    byFolder.set(x.folder, g);
  }
  const folderRows: Cell[][] = [...byFolder].map(([folder, g]) => [t(folder), { html: t(g.max || '—'), v: LEVEL_RANK[g.max] ?? 0 }, { html: String(g.n), v: g.n }]);
  const known = new Set(['path', 'maxLevel', 'markings', 'size', 'mtime', 'sha256']);
  const docRows: Cell[][] = rows.map(({ f, e, folder, name }) => {
    const marks = Array.isArray(e['markings']) ? (e['markings'] as Array<Record<string, unknown>>).map((m) => `${t(m['text'] ?? m['level'] ?? '')}${m['where'] ? ` <span class="k">(${t(m['where'])})</span>` : ''}`).join('<br>') : '—';
    const rest = Object.fromEntries(Object.entries(e).filter(([k]) => !known.has(k)));
    return [
      t(folder),
      `<span class="fn">${t(name)}</span>`,
      { html: t(e['maxLevel'] ?? '—'), v: LEVEL_RANK[String(e['maxLevel'])] ?? 0 },
      marks,
      { html: typeof e['size'] === 'number' ? esc(String(e['size'])) : '—', v: typeof e['size'] === 'number' ? e['size'] : 0 },
      scalarHtml(e['mtime']),
      Object.keys(rest).length > 0 ? cellHtml(rest, v) : '',
      `<code>${t(f.id)}</code>`,
      `<code class="h">${t(e['sha256'] ?? '')}</code>`,
    ];
  });
  return `<h4>${esc(v.folders)}</h4>${table(v, [{ head: esc(v.folder), wide: true }, { head: esc(v.maxLevel), num: true }, { head: esc(v.count), num: true }], folderRows, 'folders')}
<h4>${esc(v.all)}</h4>${table(v, [{ head: esc(v.folder), wide: true }, { head: esc(v.file), wide: true }, { head: esc(v.maxLevel), num: true }, { head: esc(v.markings) }, { head: esc(v.size), num: true }, { head: esc(v.mtime) }, { head: esc(v.other), wide: true }, { head: esc(v.id) }, { head: 'SHA-256' }], docRows, 'docs')}`;
}

/** Chinese words for evidence keys and inventory lists (English pages show the keys as they are). */
const KEYS_ZH: Record<string, string> = {
  ...Object.fromEntries(Object.entries(CHECKLIST_FIELDS).map(([k, w]) => [k, w.zh])),
  ...FIELD_LABELS_ZH,
  files: '文件数', folders: '文件夹数', bytes: '字节数', seconds: '用时（秒）', mbPerSecond: '速度（MB/秒）', reader: '读取方式', roots: '起点',
  withMarkings: '有密级标志的文件', gaps: '未能读取', symlinks: '符号链接', restarts: '重启次数', splits: '拆分次数', embeddedPictures: '内嵌图片',
  byFormat: '按格式', 'no-keyword-bytes': '无关键词字节（快速略过）', binary: '二进制文件', image: '图片', unknown: '未知格式', warnings: '警告',
  documentScan: '文件扫描统计', internetHistory: '互联网使用记录', wirelessHistory: '无线连接记录', usbAttached: '当前接入的 USB 设备',
};

/** Column heads for evidence keys an officer reads; other keys are identifiers and stay as they are. */
function headOf(v: Vocab, key: string): string {
  const m: Record<string, string> = {
    ...(v === V.zh ? KEYS_ZH : {}),
    name: v.name, kind: v.kind, bus: v.bus, driver: v.driver, presence: v.presence, firstInstall: v.firstInstall, lastArrival: v.lastArrival,
    source: v.source, sources: v.source, vendor: v.vendor, product: v.product, serial: v.serial, firstSeen: v.firstSeen, lastSeen: v.lastSeen,
    driveLetters: v.drives, volumeLabels: v.labels, ledger: v.ledger, path: v.path,
  };
  return esc(m[key] ?? key);
}

/** Findings of any other kind: the evidence keys as columns (at most 8; the rest in one column). */
function genericTable(fs: Finding[] | Array<Record<string, unknown>>, v: Vocab, withId: boolean, cls: string): string {
  const evs = (fs as Array<Finding | Record<string, unknown>>).map((f) => (withId ? (f as Finding).evidence : (f as Record<string, unknown>)));
  const keys: string[] = [];
  for (const e of evs) for (const k of Object.keys(e)) if (!keys.includes(k)) keys.push(k);
  const late = new Set(['sources', 'source', 'matchedBy']);
  const ordered = [...keys.filter((k) => !late.has(k)), ...keys.filter((k) => late.has(k))];
  const shown = ordered.slice(0, 8);
  const rest = ordered.slice(8);
  const cols: Col[] = [...shown.map((k) => ({ head: headOf(v, k), wide: k === 'source' || k === 'path' || k === 'sources' })), ...(rest.length > 0 ? [{ head: esc(v.other), wide: true }] : []), ...(withId ? [{ head: esc(v.id) }] : [])];
  const rows: Cell[][] = evs.map((e, i) => [
    ...shown.map((k): Cell => {
      const x = e[k];
      if (pageLang === 'zh' && DETAIL_FIELDS.has(k) && Array.isArray(x)) return x.length > 0 ? esc(detailCountZh(x.length)) : '';
      return typeof x === 'number' ? { html: esc(String(x)), v: x } : cellHtml(x, v);
    }),
    ...(rest.length > 0 ? [cellHtml(Object.fromEntries(rest.filter((k) => e[k] !== undefined).map((k) => [k, e[k]])), v)] : []),
    ...(withId ? [`<code>${t((fs[i] as Finding).id)}</code>`] : []),
  ]);
  cols.forEach((c, i) => {
    if (rows.every((r) => typeof r[i] === 'object')) c.num = true;
  });
  return table(v, cols, rows, cls);
}

function findingsSection(r: Report, v: Vocab, lang: Lang): string {
  if (r.findings.length === 0) return `<section id="findings"><h2>${esc(v.findings)}</h2><p>${esc(v.none)}</p></section>`;
  const groups = new Map<string, Finding[]>();
  for (const f of r.findings) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  const parts = [...groups].map(([id, fs]) => {
    const f0 = fs[0]!;
    const docs = fs.every(isDocument);
    return `<article class="rule" id="rule-${esc(id)}" data-rule="${esc(id)}" data-count="${fs.length}">
<h3><span class="sev ${f0.severity}">${esc(v.severity[f0.severity] ?? f0.severity)}</span> ${t(ruleTitle(r, lang, id, f0))} <span class="n">${fs.length}</span></h3>
${kv([[v.rule, `<code>${t(id)}</code>`], [v.basis, f0.basis ? t(f0.basis) : undefined], [v.remediation, t(f0.remediation[lang] || f0.remediation.zh)]])}
${docs ? documentTables(fs, v) : genericTable(fs, v, true, 'findings')}
</article>`;
  });
  return `<section id="findings"><h2>${esc(v.findings)} <span class="n">${r.findings.length}</span></h2>\n${parts.join('\n')}\n</section>`;
}

function probeRan(r: Report, id: string): boolean {
  return r.probes.some((p) => p.id === id && p.status === 'ok');
}

function usbSection(r: Report, v: Vocab): string {
  const devs = r.inventory['usbDevices'];
  let body: string;
  if (!Array.isArray(devs)) body = `<p>${esc(probeRan(r, 'usb.history') ? v.usbNone : v.usbNotRead)}</p>`;
  else if (devs.length === 0) body = `<p>${esc(v.usbNone)}</p>`;
  else {
    const rows: Cell[][] = (devs as Array<Record<string, unknown>>).map((d) => {
      const kind = d['phone'] === true ? v.phone : d['storage'] === true ? v.storage : v.otherDev;
      const led = (d['ledger'] ?? {}) as Record<string, unknown>;
      const status = String(led['status'] ?? 'not-judged');
      const entry = (led['entry'] ?? {}) as Record<string, unknown>;
      const ledgerHtml = `<span class="st ${status === 'registered' ? 'good' : status === 'unregistered' ? 'bad' : 'warn'}">${esc(v.ledgerStatus[status] ?? status)}</span>${str(entry['id']) ? ` <code>${t(entry['id'])}</code>` : ''}${str(led['class']) ? ` ${t(led['class'])}` : ''}${str(led['level']) ? `（${t(led['level'])}）` : ''}`;
      const vidpid = [str(d['vid']), str(d['pid'])].filter(Boolean).join(':');
      return [
        esc(kind),
        t(d['vendor'] ?? d['manufacturer'] ?? '—'),
        t(d['product'] ?? d['friendlyName'] ?? '—'),
        `<code>${t(d['serial'] ?? '—')}</code>`,
        `<code>${t(vidpid || '—')}</code>`,
        scalarHtml(d['firstSeen']),
        scalarHtml(d['lastSeen']),
        cellHtml(d['driveLetters'] ?? ''),
        cellHtml(d['volumeLabels'] ?? ''),
        ledgerHtml,
      ];
    });
    body = table(v, [{ head: esc(v.usbKind) }, { head: esc(v.vendor) }, { head: esc(v.product) }, { head: esc(v.serial) }, { head: 'VID:PID' }, { head: esc(v.firstSeen) }, { head: esc(v.lastSeen) }, { head: esc(v.drives) }, { head: esc(v.labels) }, { head: esc(v.ledger) }], rows, 'usb');
  }
  return `<section id="usb"><h2>${esc(v.usb)}${Array.isArray(devs) ? ` <span class="n">${devs.length}</span>` : ''}</h2>${body}</section>`;
}

function wirelessSection(r: Report, v: Vocab): string {
  const ads = r.inventory['wirelessAdapters'];
  let body: string;
  if (!Array.isArray(ads)) body = `<p>${esc(probeRan(r, 'wireless.adapters') ? v.wirelessNone : v.wirelessNotRead)}</p>`;
  else if (ads.length === 0) body = `<p>${esc(v.wirelessNone)}</p>`;
  else {
    const rows: Cell[][] = (ads as Array<Record<string, unknown>>).map((a) => [
      t(a['name'] ?? '—'),
      scalarHtml(a['kind']),
      scalarHtml(a['bus']),
      t(a['driver'] ?? '—'),
      `<code>${t([str(a['vid']), str(a['pid'])].filter(Boolean).join(':') || '—')}</code>`,
      scalarHtml(a['presence']),
      scalarHtml(a['firstInstall']),
      scalarHtml(a['lastArrival']),
      cellHtml(a['source'] ?? ''),
    ]);
    body = table(v, [{ head: esc(v.name) }, { head: esc(v.kind) }, { head: esc(v.bus) }, { head: esc(v.driver) }, { head: 'VID:PID' }, { head: esc(v.presence) }, { head: esc(v.firstInstall) }, { head: esc(v.lastArrival) }, { head: esc(v.source), wide: true }], rows, 'wireless');
  }
  return `<section id="wireless"><h2>${esc(v.wireless)}${Array.isArray(ads) ? ` <span class="n">${ads.length}</span>` : ''}</h2>${body}</section>`;
}

/** Inventory lists other than the USB devices and adapters (wireless traces, internet history, devices attached now…). */
function otherInventory(r: Report, v: Vocab): string {
  const parts: string[] = [];
  for (const [k, x] of Object.entries(r.inventory)) {
    if (k === 'usbDevices' || k === 'wirelessAdapters') continue;
    if (Array.isArray(x) && x.length > 0 && x.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))) {
      parts.push(`<h3>${headOf(v, k)} <span class="n">${x.length}</span></h3>${genericTable(x as Array<Record<string, unknown>>, v, false, 'inv')}`);
    } else if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      parts.push(`<h3>${headOf(v, k)}</h3><p class="flat">${cellHtml(x, v)}</p>`);
    }
  }
  return parts.length > 0 ? `<section id="inventory"><h2>${esc(v.inventory)}</h2>${parts.join('\n')}</section>` : '';
}

/**
 * Why the scan is incomplete, in Chinese, from the report's structure (summary.incomplete is the
 * English of the JSON): probes that failed, timed out or could not run, then blocking gaps by kind.
 */
function incompleteZh(r: Report, v: Vocab): string[] {
  if (r.summary.complete) return [];
  const out: string[] = [];
  for (const p of r.probes) {
    if (p.status === 'error' || p.status === 'timeout' || p.blocking) {
      const why = probeWhy(p, 'zh');
      out.push(`${v.probe} ${p.id}：${v.statuses[p.status] ?? p.status}${why ? `（${why}）` : ''}`);
    }
  }
  const byKind = new Map<string, number>();
  for (const c of r.coverage) if (c.blocking) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
  for (const [k, n] of byKind) out.push(`${COVERAGE_KINDS[k]?.zh ?? k}：${n} 项`);
  if (out.length === 0) out.push(v.interruptedOrIncomplete);
  return out;
}

function notCheckedSection(r: Report, v: Vocab, lang: Lang): string {
  const nc = r.summary.notChecked;
  const blockingByKind = new Map<string, number>();
  for (const c of r.coverage) if (c.blocking) blockingByKind.set(c.kind, (blockingByKind.get(c.kind) ?? 0) + 1);
  const kindLabel = (k: string): string => {
    const w = COVERAGE_KINDS[k]?.[v === V.zh ? 'zh' : 'en'];
    // Chinese pages: the words only (the kind's code is in the JSON)
    if (w !== undefined) return lang === 'zh' ? esc(w) : `${esc(w)} <code>${t(k)}</code>`;
    return `<code>${t(k)}</code>`;
  };
  const kindRows: Cell[][] = Object.entries(nc.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => [kindLabel(k), { html: String(n), v: n }, { html: String(blockingByKind.get(k) ?? 0), v: blockingByKind.get(k) ?? 0 }]);
  const probeRows: Cell[][] = r.probes
    .filter((p) => p.status !== 'ok')
    .map((p) => [`<code>${t(p.id)}</code>`, esc(v.statuses[p.status] ?? p.status), t(probeWhy(p, lang)), esc(p.blocking || p.status === 'error' || p.status === 'timeout' ? v.yes : v.no)]);
  // A gap's reason is a parser's English detail: shown on English pages; Chinese pages show the
  // kind in words and the path (the reason stays in the JSON).
  const covRows: Cell[][] = r.coverage.map((c) => [
    `<code>${t(c.probe ?? '')}</code>`,
    kindLabel(c.kind),
    c.path !== undefined ? t(c.path) : '—',
    ...(lang === 'en' ? [t(c.reason)] : []),
    esc(c.blocking ? v.yes : v.no),
  ]);
  const why = lang === 'en' ? r.summary.incomplete : incompleteZh(r, v);
  const parts = [
    why.length > 0 ? `<h3>${esc(v.incompleteWhy)}</h3><ul class="why">${why.map((x) => `<li>${t(x)}</li>`).join('')}</ul>` : '',
    kindRows.length > 0 ? `<h3>${esc(v.byKind)} <span class="n">${nc.total}</span></h3>${table(v, [{ head: esc(v.reason) }, { head: esc(v.count), num: true }, { head: esc(v.blocking), num: true }], kindRows, 'kinds')}` : '',
    probeRows.length > 0 ? `<h3>${esc(v.probes)}</h3>${table(v, [{ head: esc(v.probe) }, { head: esc(v.status) }, { head: esc(v.message) }, { head: esc(v.blocking) }], probeRows, 'probes')}` : '',
    covRows.length > 0 ? `<h3>${esc(v.all)}</h3>${table(v, [{ head: esc(v.probe) }, { head: esc(v.kind) }, { head: esc(v.path), wide: true }, ...(lang === 'en' ? [{ head: esc(v.reason), wide: true }] : []), { head: esc(v.blocking) }], covRows, 'coverage')}` : '',
  ].filter(Boolean);
  return `<section id="notchecked" data-total="${nc.total}" data-blocking="${nc.blocking}"><h2>${esc(v.notChecked)}</h2>${parts.length > 0 ? parts.join('\n') : `<p>${esc(v.notCheckedNone)}</p>`}</section>`;
}

function aboutSection(r: Report, v: Vocab, lang: Lang): string {
  const lw = liveWindowsLine(r, lang);
  return `<section id="about"><h2>${esc(v.about)}</h2>${kv([
    [v.scanId, `<code>${t(r.scan.id)}</code>`],
    ...(lw !== undefined ? ([[v.liveRead, t(lw)]] as Array<[string, string]>) : []),
    [v.tool, t(`${r.tool.name} ${r.tool.version}`)],
    [v.rule, t(`${r.rules.count} · ${r.rules.files.join(', ')}`)],
    [v.rulesDigest, `<code>${t(r.rules.digest)}</code>`],
    [v.signer, `<code>${t(r.signer.keyId)}</code>`],
    [v.scanner, t(`${r.scan.scanner.hostname} (${r.scan.scanner.platform}, ${v.runtime} ${r.scan.scanner.node})`)],
  ])}<p class="note">${esc(v.signed)}</p></section>`;
}

// ───────────────────────────────────────── page ─────────────────────────────────────────

const CSS = `
:root{--bad:#b3261e;--warn:#9a6700;--good:#1a7f37;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC","SimHei",system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px 20px;color:#1f2328;font-size:14px;line-height:1.5}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:2px;margin:24px 0 8px}h3{font-size:15px;margin:16px 0 6px}h4{font-size:14px;margin:12px 0 4px}
.sub{color:#57606a;margin:0 0 8px}
.verdict{border:2px solid var(--line);border-left-width:10px;padding:4px 16px 8px;margin-top:12px}
.verdict h2{border:0;margin:8px 0;font-size:24px}
.verdict.findings{border-color:var(--bad)}.verdict.findings h2{color:var(--bad)}
.verdict.incomplete{border-color:var(--warn)}.verdict.incomplete h2{color:var(--warn)}
.verdict.clean{border-color:var(--good)}.verdict.clean h2{color:var(--good)}
.warn{color:var(--warn);font-weight:bold}.note{color:#57606a}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:6px 0}dl.kv dt{color:#57606a}dl.kv dd{margin:0;overflow-wrap:anywhere}
.cols{display:flex;gap:24px;flex-wrap:wrap}.cols>div{flex:1 1 300px}
table.t{border-collapse:collapse;width:100%;margin:4px 0 12px;font-size:13px}
table.t th,table.t td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
table.t th{background:var(--soft);cursor:pointer;user-select:none;white-space:nowrap}
table.t th[aria-sort=ascending]::after{content:" ▲"}table.t th[aria-sort=descending]::after{content:" ▼"}
table.t td.num{text-align:right}table.t td.w{overflow-wrap:anywhere;word-break:break-all;min-width:10em}
table.t tbody tr:nth-child(even){background:#fbfcfd}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}code.h{font-size:10px;word-break:break-all}
.k{color:#57606a}.fn{font-weight:bold}
.sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;font-weight:bold}
.sev.high{background:var(--bad)}.sev.medium{background:#bc4c00}.sev.low{background:#6e7781}.sev.info{background:#0969da}
.st.bad{color:var(--bad);font-weight:bold}.st.good{color:var(--good)}.st.warn{color:var(--warn)}.st.na{color:#57606a}
.n{display:inline-block;min-width:1.6em;padding:0 6px;border-radius:10px;background:var(--soft);border:1px solid var(--line);font-size:12px;text-align:center;font-weight:normal}
article.rule{border-top:1px solid var(--line);margin-top:12px}
.tools{margin:4px 0}.tools input{font:inherit;padding:2px 6px;width:18em}.tools .hint,.tools .shown{color:#57606a;font-size:12px}
nav.toc{font-size:13px}nav.toc a{margin-right:12px}
ul.why{margin:4px 0;padding-left:20px}
@page{size:A4;margin:14mm 12mm}
@media print{
  body{max-width:none;padding:0;font-size:10pt}
  .tools,nav.toc{display:none}
  table.t{font-size:8.5pt}table.t th{cursor:auto}
  table.t th::after{content:""!important}
  thead{display:table-header-group}tr{break-inside:avoid}h2,h3,h4{break-after:avoid}
  tr[hidden]{display:table-row}
  a{color:inherit;text-decoration:none}
  .verdict{break-inside:avoid}
}
`;

// The page's only script: sorting, filtering (also from the address: #q=text), and times shown in
// the reader's local time with its offset. It reads the page, never the report data as code.
const SCRIPT = `(function(){
var d=document,A=Array.prototype;
function val(c){return c.hasAttribute('data-v')?c.getAttribute('data-v'):c.textContent;}
A.forEach.call(d.querySelectorAll('table.t'),function(tb){
  var ths=tb.tHead.rows[0].cells;
  A.forEach.call(ths,function(th,i){
    th.tabIndex=0;th.setAttribute('aria-sort','none');
    function go(){
      var asc=th.getAttribute('aria-sort')!=='ascending',num=th.hasAttribute('data-num'),body=tb.tBodies[0];
      A.forEach.call(ths,function(h){h.setAttribute('aria-sort','none');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var rows=A.slice.call(body.rows);
      rows.sort(function(a,b){var x=val(a.cells[i]),y=val(b.cells[i]);var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y,'zh');return asc?c:-c;});
      rows.forEach(function(r){body.appendChild(r);});
    }
    th.addEventListener('click',go);
    th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});
  });
});
function filt(inp){
  var id=inp.getAttribute('data-for'),tb=d.getElementById(id),q=inp.value.toLowerCase().trim(),rows=tb.tBodies[0].rows,n=0;
  for(var i=0;i<rows.length;i++){var show=!q||rows[i].textContent.toLowerCase().indexOf(q)>=0;rows[i].hidden=!show;if(show)n++;}
  tb.setAttribute('data-shown',String(n));
  var c=d.getElementById(id+'-n');if(c)c.textContent=q?n+' / '+rows.length:'';
}
A.forEach.call(d.querySelectorAll('input.filter'),function(inp){inp.addEventListener('input',function(){filt(inp);});});
var m=/[#&]q=([^&]*)/.exec(location.hash);
if(m){var q='';try{q=decodeURIComponent(m[1]);}catch(e){}A.forEach.call(d.querySelectorAll('input.filter'),function(inp){inp.value=q;filt(inp);});}
function p(n){return(n<10?'0':'')+n;}
A.forEach.call(d.querySelectorAll('time[datetime]'),function(el){
  var dt=new Date(el.getAttribute('datetime'));if(isNaN(dt.getTime()))return;
  var o=-dt.getTimezoneOffset(),a=Math.abs(o);
  el.textContent=dt.getFullYear()+'-'+p(dt.getMonth()+1)+'-'+p(dt.getDate())+' '+p(dt.getHours())+':'+p(dt.getMinutes())+':'+p(dt.getSeconds())+' '+(o<0?'-':'+')+p(Math.floor(a/60))+':'+p(a%60);
  el.title=el.getAttribute('datetime');
});
d.documentElement.setAttribute('data-ready','1');
})();`;

const sha256b64 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

/** Allows this page's own style and script (by hash) and nothing else: no network, no other script. */
export const CSP = `default-src 'none'; style-src 'sha256-${sha256b64(CSS)}'; script-src 'sha256-${sha256b64(SCRIPT)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

export interface HtmlOptions {
  lang: Lang;
}

/** The whole page, UTF-8, no external resource. */
export function renderHtml(report: Report, opts: HtmlOptions): string {
  tableSeq = 0;
  const lang = opts.lang;
  pageLang = lang;
  const v: Vocab = lang === 'zh' ? V.zh : V.en;
  const host = str(report.machine['hostname']) ?? '—';
  const verdict = verdictOf(report);
  const toc: Array<[string, string]> = [
    ['verdict', v.verdicts[verdict]!], ['counts', v.counts], ['checked', v.checked], ['findings', v.findings],
    ['usb', v.usb], ['wireless', v.wireless], ['notchecked', v.notChecked], ['about', v.about],
  ];
  const sections = [
    verdictSection(report, v, lang),
    countsSection(report, v, lang),
    checkedSection(report, v, lang),
    findingsSection(report, v, lang),
    usbSection(report, v),
    wirelessSection(report, v),
    otherInventory(report, v),
    notCheckedSection(report, v, lang),
    aboutSection(report, v, lang),
  ];
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${scanIdMeta(report.scan.id)}
<title>${esc(v.title)} — ${t(host)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(v.title)}</h1><p class="sub">${t(host)}${report.unit !== undefined ? ` · ${t(report.unit)}` : ''}${report.department !== undefined ? ` · ${t(report.department)}` : ''} · ${time(report.scan.startedAt)}</p>
<nav class="toc">${toc.map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`).join('')}</nav></header>
<main>
${sections.filter(Boolean).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
