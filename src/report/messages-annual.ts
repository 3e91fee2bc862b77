// The annual report's words (`baomi report`), in both languages: headings, column names, reasons a
// report was not counted, and the templates of the narrative paragraph (placeholders `{name}`,
// filled by src/annual/narrative.ts). Re-exported by ./messages.ts; the catalogue test checks every
// entry has both languages.
import type { Words } from './messages.js';

export const ANNUAL_WORDS = {
  title: { zh: '保密自查自评年度报告', en: 'Annual secrecy self-inspection report' },
  titleYear: { zh: '{year}年度保密自查自评报告', en: 'Secrecy self-inspection report {year}' },
  generated: { zh: '生成时间', en: 'Generated' },
  period: { zh: '检查时间范围', en: 'Scans dated' },
  toolVersion: { zh: '工具版本', en: 'Tool version' },

  secOverview: { zh: '一、基本情况', en: '1. Overview' },
  secSources: { zh: '二、报告来源与签名核验', en: '2. Reports received and their signatures' },
  secMachines: { zh: '三、检查情况', en: '3. Computers checked' },
  secFindings: { zh: '四、发现的问题', en: '4. Findings' },
  secRectification: { zh: '五、整改情况', en: '5. Rectification' },
  secCorrelation: { zh: '六、跨计算机关联分析', en: '6. Across computers' },
  secIncomplete: { zh: '七、检查不完整的计算机', en: '7. Incomplete scans' },
  secClean: { zh: '八、未发现问题的计算机', en: '8. Computers without findings' },
  secAppendix: { zh: '附录：逐台计算机检查结果', en: 'Appendix: every computer' },

  keyFigures: { zh: '主要数据', en: 'Key figures' },
  figure: { zh: '项目', en: 'Item' },
  value: { zh: '数值', en: 'Value' },
  reportsFound: { zh: '收到的报告', en: 'Reports found' },
  reportsVerified: { zh: '签名核验通过', en: 'Signatures verified' },
  reportsCounted: { zh: '计入统计的报告', en: 'Reports counted' },
  reportsExcluded: { zh: '未计入的文件', en: 'Files not counted' },
  duplicatesN: { zh: '重复检查（保留最近一次）', en: 'Repeat scans (latest kept)' },
  machinesTotal: { zh: '检查的计算机', en: 'Computers checked' },
  findingsTotal: { zh: '发现的问题', en: 'Findings' },
  machinesWithFindings: { zh: '发现问题的计算机', en: 'Computers with findings' },
  machinesWithout: { zh: '未发现问题的计算机', en: 'Computers without findings' },
  machinesIncomplete: { zh: '检查不完整的计算机', en: 'Incomplete scans' },
  profileAssumedN: { zh: '未指定类别、按涉密计算机检查的计算机', en: 'Computers of no given class, checked as classified' },
  keysUsed: { zh: '核验所用公钥', en: 'Public keys used' },

  excludedTitle: { zh: '未计入统计的文件', en: 'Files not counted' },
  excludedNone: { zh: '所有报告均通过签名核验并计入统计。', en: 'Every report verified and was counted.' },
  file: { zh: '文件', en: 'File' },
  reason: { zh: '原因', en: 'Reason' },
  detail: { zh: '说明', en: 'Detail' },
  duplicatesTitle: { zh: '同一计算机的重复检查', en: 'The same computer scanned more than once' },
  duplicatesNote: { zh: '同一计算机有多份报告时，只计入检查时间最近的一份。', en: 'When a computer has several reports, only the latest scan is counted.' },
  kept: { zh: '计入的报告', en: 'Counted' },
  dropped: { zh: '未计入的较早报告', en: 'Earlier report, not counted' },

  byProfile: { zh: '按计算机类别', en: 'By class' },
  byUnit: { zh: '按单位', en: 'By unit' },
  byDepartment: { zh: '按部门', en: 'By department' },
  profile: { zh: '类别', en: 'Class' },
  unit: { zh: '单位', en: 'Unit' },
  department: { zh: '部门', en: 'Department' },
  machines: { zh: '计算机（台）', en: 'Computers' },
  findings: { zh: '问题（个）', en: 'Findings' },
  withFindings: { zh: '有问题的计算机（台）', en: 'With findings' },
  noUnit: { zh: '（未注明单位）', en: '(no unit given)' },
  noDepartment: { zh: '（未注明部门）', en: '(no department given)' },
  total: { zh: '合计', en: 'Total' },

  bySeverity: { zh: '按严重程度', en: 'By severity' },
  byRule: { zh: '按问题类型（规则）', en: 'By kind (rule)' },
  severity: { zh: '严重程度', en: 'Severity' },
  rule: { zh: '规则', en: 'Rule' },
  ruleTitle: { zh: '问题', en: 'Finding' },
  machinesN: { zh: '涉及计算机（台）', en: 'Computers' },
  noFindings: { zh: '未发现问题。', en: 'No findings.' },
  chartByRule: { zh: '问题数量（按类型）', en: 'Findings by kind' },
  chartByDepartment: { zh: '问题数量（按部门）', en: 'Findings by department' },
  chartYearOverYear: { zh: '与上一周期对比（按类型）', en: 'Against the previous period (by kind)' },
  thisPeriod: { zh: '本周期', en: 'This period' },
  previousPeriod: { zh: '上一周期', en: 'Previous period' },
  chartOthers: { zh: '其他', en: 'Others' },

  rectNone: { zh: '未提供上一周期的报告（--previous），无法统计整改情况。', en: 'No previous period given (--previous): rectification not judged.' },
  rectFixed: { zh: '已整改', en: 'Fixed' },
  rectOpen: { zh: '仍未整改', en: 'Still open' },
  rectNew: { zh: '新发现', en: 'New' },
  rectNotRechecked: { zh: '本周期未能复查', en: 'Not re-checked' },
  rectNotRecheckedNote: { zh: '“本周期未能复查”：上一周期的问题在本周期的检查中对应检查项未运行或未完成，不计为已整改。', en: '"Not re-checked": the previous finding\'s check did not run or did not finish this period, so it is not counted as fixed.' },
  rectCompared: { zh: '两个周期均检查的计算机（台）', en: 'Computers checked in both periods' },
  rectByMachine: { zh: '逐台整改情况', en: 'By computer' },
  rectMissing: { zh: '上一周期检查、本周期未检查的计算机', en: 'Checked last period, not this one' },
  rectMissingNone: { zh: '上一周期检查的计算机本周期均已检查。', en: 'Every computer of the previous period was checked again.' },
  previousFindings: { zh: '上一周期的问题（个）', en: 'Findings last period' },
  previousMachines: { zh: '上一周期检查的计算机（台）', en: 'Computers last period' },
  previousExcluded: { zh: '上一周期未计入的文件', en: 'Files of the previous period not counted' },
  host: { zh: '主机名', en: 'Host name' },

  crossTitle: { zh: '同一USB存储介质在不同类别计算机间交叉使用', en: 'One USB storage device on computers of different classes (cross use)' },
  crossNone: { zh: '未发现USB存储介质在不同类别计算机之间交叉使用。', en: 'No USB storage device was seen on computers of different classes.' },
  manyTitle: { zh: '同一USB存储介质在{n}台及以上计算机上使用', en: 'One USB storage device on {n} or more computers' },
  manyNone: { zh: '未发现在{n}台及以上计算机上使用的USB存储介质。', en: 'No USB storage device was seen on {n} or more computers.' },
  neverTitle: { zh: '台账已登记、但在任何计算机上均未发现使用记录的介质', en: 'Registered media seen on no computer' },
  neverNone: { zh: '台账登记的在用介质均在计算机上有使用记录。', en: 'Every registered medium in use was seen on some computer.' },
  neverNoLedger: { zh: '未提供台账（--ledger），无法核对已登记介质是否出现。', en: 'No ledger given (--ledger): registered media could not be compared.' },
  serial: { zh: '序列号', en: 'Serial' },
  device: { zh: '设备', en: 'Device' },
  computers: { zh: '计算机', en: 'Computers' },
  classes: { zh: '类别', en: 'Classes' },
  ledgerId: { zh: '台账编号', en: 'Ledger id' },
  mediumType: { zh: '类型', en: 'Type' },
  owner: { zh: '责任人', en: 'Owner' },
  ledgerRow: { zh: '台账位置', en: 'Ledger row' },
  correlationNote: { zh: '只比对有唯一序列号的USB存储设备；无序列号或序列号由系统生成的设备无法区分，未列入。', en: 'Only USB storage devices with a unique serial are compared; devices without one cannot be told apart.' },

  incompleteNone: { zh: '所有计算机均检查完整。', en: 'Every scan was complete.' },
  incompleteNote: { zh: '检查不完整的计算机，未发现问题不代表没有问题；以下项目未能检查，需人工核查。', en: 'On an incomplete scan, no finding does not mean no problem; what follows could not be checked and needs a look by hand.' },
  gapKinds: { zh: '未能检查的原因（按计算机台数）', en: 'What could not be checked (computers)' },
  probesNotDone: { zh: '未完成的检查项（按计算机台数）', en: 'Checks that did not finish (computers)' },
  probe: { zh: '检查项', en: 'Check' },
  notCheckedCol: { zh: '未能检查', en: 'Not checked' },

  cleanNone: { zh: '没有未发现问题的计算机。', en: 'Every computer had findings.' },

  machineId: { zh: '机器标识', en: 'Machine id' },
  os: { zh: '操作系统', en: 'Operating system' },
  scanTime: { zh: '检查时间', en: 'Scanned' },
  complete: { zh: '检查完整', en: 'Complete' },
  findingsList: { zh: '问题', en: 'Findings' },
  item: { zh: '对象', en: 'Item' },
  findingId: { zh: '问题编号', en: 'Finding id' },
  reportFile: { zh: '报告文件', en: 'Report file' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  more: { zh: '等，另有{n}项', en: '… and {n} more' },
  sheetFindings: { zh: '问题明细', en: 'Findings' },
  docxTruncated: { zh: '本表只列出前{shown}行，共{total}行；完整列表见 .xlsx 或 .json 格式的年度报告（同一命令，--out 改为 .xlsx 或 .json）。', en: 'Only the first {shown} of {total} rows are listed here; the full list is in the .xlsx or .json annual report (the same command with --out ending in .xlsx or .json).' },
  chartImageNote: { zh: '图中各柱的数值与左侧表格一一对应（自上而下）。', en: 'The bars match the table on the left, top to bottom.' },
  cliSigned: { zh: '已签名：{sig}（密钥 {keyId}；用 baomi verify 文件 --pubkey 公钥 核验）', en: 'signed: {sig} (key {keyId}; check it with baomi verify FILE --pubkey PUBLIC-KEY)' },
  cliWritten: { zh: '已写入 {file}：计算机{machines}台，问题{findings}个，计入报告{counted}份，未计入文件{excluded}个', en: 'wrote {file}: {machines} computers, {findings} findings, {counted} reports counted, {excluded} files not counted' },
  cliExcluded: { zh: '未计入：{file}：{reason}', en: 'not counted: {file}: {reason}' },
  cliNoPubkey: { zh: '请用 --pubkey 给出核验签名所用的公钥（可给多个）', en: 'give the public keys the reports must be signed with: --pubkey FILE…' },
  cliBadKey: { zh: '无法读取公钥 {file}：{why}', en: 'cannot use the public key {file}: {why}' },
  cliBadOut: { zh: '--out 的扩展名须为 .json、.md、.html、.xlsx 或 .docx：{file}', en: '--out must end in .json, .md, .html, .xlsx or .docx: {file}' },
  cliBadYear: { zh: '--year 须为四位年份：{year}', en: '--year must be a four-digit year: {year}' },
  cliBadLedger: { zh: '台账 {file} 有错误，无法使用：{why}', en: 'the ledger {file} has errors and cannot be used: {why}' },
  cliNoDirs: { zh: '请给出存放检查报告的文件夹', en: 'give the folders that hold the reports' },
  cliWriteFailed: { zh: '无法写入 {file}：{why}', en: 'cannot write {file}: {why}' },
} as const satisfies Record<string, Words>;

/** Words of the machine classes, as the annual report counts them. */
export const ANNUAL_PROFILE_WORDS = {
  classified: { zh: '涉密计算机', en: 'classified' },
  intranet: { zh: '非涉密内网计算机', en: 'intranet (non-classified)' },
  nonclassified: { zh: '非涉密计算机', en: 'non-classified (internet)' },
} as const satisfies Record<string, Words>;

export const ANNUAL_SEVERITY_WORDS = {
  high: { zh: '高', en: 'high' },
  medium: { zh: '中', en: 'medium' },
  low: { zh: '低', en: 'low' },
  info: { zh: '提示', en: 'info' },
} as const satisfies Record<string, Words>;

/** Why a file was not counted. */
export const ANNUAL_EXCLUSION_WORDS = {
  unsigned: { zh: '未签名（缺少 .sig 签名文件）', en: 'unsigned (no .sig beside it)' },
  altered: { zh: '签名与文件不符（文件被修改或签名被替换）', en: 'signature does not match (the file was altered)' },
  'unknown-key': { zh: '签名密钥不在给定的公钥之中（来源不明）', en: 'signed by a key not among those given (unknown origin)' },
  'not-a-report': { zh: '不是 baomi 检查报告', en: 'not a baomi report' },
  'too-large': { zh: '文件过大，未读取', en: 'too large, not read' },
  unreadable: { zh: '无法读取', en: 'unreadable' },
  'not-regular': { zh: '不是普通文件（符号链接等），未读取', en: 'not a regular file (a symbolic link…), not read' },
  'other-year': { zh: '检查时间不在所选年度内', en: 'scanned outside the year chosen' },
  'too-many': { zh: '超出数量或层级上限，未读取', en: 'over the count or depth budget, not read' },
} as const satisfies Record<string, Words>;

/** States of a check that did not finish. */
export const ANNUAL_PROBE_STATUS_WORDS = {
  error: { zh: '出错', en: 'failed' },
  timeout: { zh: '超时', en: 'timed out' },
  'not-run': { zh: '无法运行（不支持该系统）', en: 'could not run (system not supported)' },
} as const satisfies Record<string, Words>;

export const ANNUAL_LEDGER_STATUS_WORDS = {
  registered: { zh: '已登记', en: 'registered' },
  unregistered: { zh: '未登记', en: 'not registered' },
  unjudgeable: { zh: '无法核对', en: 'cannot be judged' },
  'not-judged': { zh: '未核对（无台账）', en: 'not judged (no ledger)' },
} as const satisfies Record<string, Words>;

/** The narrative paragraph of the overview, in the style of a unit's annual self-inspection report. */
export const ANNUAL_NARRATIVE = {
  opening: { zh: '{year}本单位（系统）共收到计算机保密检查报告{found}份，经签名核验计入统计{counted}份{excluded}。', en: '{year}{found} computer inspection reports were received; {counted} were counted after their signatures were checked{excluded}.' },
  openingYear: { zh: '{year}年，', en: 'In {year}, ' },
  excluded: { zh: '，另有{n}份因未签名、签名不符或来源不明等原因未计入', en: ', and {n} were not counted (unsigned, altered, unknown origin and the like)' },
  duplicates: { zh: '同一计算机重复检查的，只计入最近一次（{n}份较早报告未计入）。', en: 'A computer scanned more than once is counted once, by its latest scan ({n} earlier reports set aside). ' },
  machines: { zh: '共检查计算机{total}台，其中涉密计算机{classified}台、非涉密内网计算机{intranet}台、非涉密计算机{nonclassified}台，覆盖{units}家单位、{departments}个部门。', en: '{total} computers were checked: {classified} classified, {intranet} intranet and {nonclassified} non-classified, in {units} units and {departments} departments. ' },
  findings: { zh: '发现问题{total}个（高{high}个、中{medium}个、低{low}个、提示{info}个），涉及计算机{withFindings}台；{without}台计算机未发现问题。', en: '{total} findings were made ({high} high, {medium} medium, {low} low, {info} info) on {withFindings} computers; {without} computers had none. ' },
  noFindings: { zh: '未发现问题。', en: 'No finding was made. ' },
  top: { zh: '问题主要集中在{list}。', en: 'Most were: {list}. ' },
  topItem: { zh: '{title}（{n}个）', en: '{title} ({n})' },
  listSep: { zh: '、', en: '; ' },
  rect: { zh: '与上一周期相比，已整改问题{fixed}个，仍未整改{open}个，新发现问题{new}个{notRechecked}。', en: 'Against the previous period, {fixed} findings were fixed, {open} are still open and {new} are new{notRechecked}. ' },
  rectNotRechecked: { zh: '，另有{n}个因本周期相应检查未完成而未能复查', en: ', and {n} could not be re-checked (the check did not finish this period)' },
  rectMissing: { zh: '上一周期检查的{n}台计算机本周期未检查。', en: '{n} computers checked last period were not checked this period. ' },
  cross: { zh: '发现{n}个USB存储介质在不同类别计算机之间交叉使用。', en: '{n} USB storage devices were used on computers of different classes. ' },
  many: { zh: '{n}个USB存储介质在{t}台及以上计算机上使用。', en: '{n} USB storage devices were used on {t} or more computers. ' },
  never: { zh: '台账登记的在用介质中有{n}个在任何计算机上均无使用记录，需核实去向。', en: '{n} registered media in use were seen on no computer: their whereabouts need checking. ' },
  incomplete: { zh: '{n}台计算机检查不完整，其未能检查的项目已逐项列明，不视为未发现问题。', en: '{n} scans were incomplete: what they could not check is listed, and is not taken as clean.' },
} as const satisfies Record<string, Words>;

/** `{name}` placeholders filled in (values are shown as they are). */
export function fillWords(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
