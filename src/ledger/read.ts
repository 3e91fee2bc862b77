// Reading the unit's ledger (台账): XLSX, CSV (UTF-8 / GBK, comma / tab / semicolon) or YAML →
// rows → entries, with every problem found (file, sheet, the row number the officer sees).
//
// The format is decided by content: a zip (`PK\x03\x04`) is XLSX; text that parses as YAML to a list
// of maps or to `{media: [...], computers: [...]}` is YAML; other text is CSV. Spreadsheets may put
// title rows above the header (the header is looked for in the first 10 rows), merge cells, write
// the columns in Chinese or English (`HEADER_ALIASES`) and the values in either language.
//
// The YAML ledger: keys are the same column names (English or Chinese, `HEADER_ALIASES`), one map
// per entry. Either a plain list of entries (computers are told by their type), or:
//
//   unit: 某某单位                      # optional
//   computers:                          # every item is a computer; type defaults to 计算机
//     - id: BM-PC-001                   # 编号, required, unique
//       hostname: BM-PC-001             # and/or serial (hardware serial), machineId
//       class: 涉密                      # classified | intranet | nonclassified (涉密 / 内网 / 非涉密)
//       level: 机密                      # 秘密 | 机密 | 绝密 (or class: 涉密（机密）)
//       usb: 否                          # USB storage allowed: 是/否, 允许/禁止, yes/no
//   media:
//     - id: BM-U-001
//       type: U盘                        # required
//       serial: 60A44C413A8CF2A1B9470A2D # required (a warning only for optical discs)
//       vid: "0951"                      # optional; when given, the device's must be equal
//       pid: "1666"
//       class: 涉密（机密）
//       vendor: Kingston                 # optional: model, owner, department, status (在用/停用/报废/丢失), note
//
// Unquoted scalars are read as typed (`vid: 0781` is "0781", not the number 781). Row numbers in
// problems are the line where the entry starts.
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseClass, parseLevel } from '../engine/vocab.js';
import { Ctx } from '../formats/docs/context.js';
import { Zip } from '../formats/docs/zip.js';
import { formatLocation, isSynthesizedSerial, normalizeUsbId, serialKey } from './match.js';
import type { Ledger, LedgerClass, LedgerEntry, LedgerLocation, LedgerProblem, SecretLevel } from './types.js';

// ---------------------------------------------------------------------------------------------
// Columns

export type LedgerField =
  | 'id'
  | 'type'
  | 'vendor'
  | 'model'
  | 'serial'
  | 'vid'
  | 'pid'
  | 'usbId'
  | 'class'
  | 'level'
  | 'owner'
  | 'department'
  | 'status'
  | 'hostname'
  | 'machineId'
  | 'usb'
  | 'note';

/**
 * Header names per field, in order of preference (when a sheet has both 编号 and 序号, 编号 is the
 * id). Compared after `normHeader`: NFKC, lower case, without spaces, `-`, `_`, `*` and a final colon;
 * `序列号(SN)` also matches as `序列号` and as `sn`.
 */
export const HEADER_ALIASES: Readonly<Record<LedgerField, readonly string[]>> = {
  id: ['编号', '台账编号', '登记编号', '管理编号', '统一编号', '介质编号', '设备编号', '资产编号', '编码', 'id', 'no', 'no.', 'number', '序号', 'seq'],
  type: ['类型', '介质类型', '设备类型', '载体类型', '介质种类', '设备种类', '种类', 'type', 'kind', 'mediatype', 'devicetype'],
  vendor: ['品牌', '厂商', '厂家', '生产厂商', '生产厂家', '制造商', '品牌厂商', 'vendor', 'brand', 'manufacturer', 'make'],
  model: ['型号', '规格型号', '品牌型号', '规格', 'model'],
  serial: [
    '序列号', '设备序列号', '介质序列号', '硬件序列号', '产品序列号', '出厂序列号', '出厂编号', 'sn', 's/n', 'serial', 'serialnumber', 'serialno', 'serialno.',
  ],
  vid: ['vid', '厂商id', 'vendorid', 'usbvid', 'idvendor'],
  pid: ['pid', '产品id', 'productid', 'usbpid', 'idproduct'],
  usbId: ['vid:pid', 'vid/pid', 'vidpid', 'usbid', '硬件id', 'hardwareid'],
  class: ['密级', '类别', '涉密类别', '涉密属性', '介质密级', '设备密级', '密级类别', 'class', 'classification'],
  level: ['涉密等级', '密级等级', '等级', 'level', 'securitylevel'],
  owner: ['责任人', '使用人', '保管人', '使用责任人', '保管责任人', '管理人', '领用人', 'owner', 'user', 'custodian', 'keeper', 'responsible'],
  department: ['部门', '使用部门', '所在部门', '责任部门', '科室', 'department', 'dept'],
  status: ['状态', '使用状态', '设备状态', '介质状态', 'status', 'state'],
  hostname: ['主机名', '计算机名', '计算机名称', '主机名称', 'hostname', 'host', 'computername'],
  machineId: ['机器id', '机器码', '机器标识', 'machineid', 'machineguid'],
  usb: [
    '允许usb', 'usb存储', 'usb', '允许usb存储', '是否允许usb', '是否允许usb存储', '允许连接usb', '允许使用usb', 'usb存储设备', 'usbstorage', 'allowusb', 'usballowed',
    'usbstorageallowed',
  ],
  note: ['备注', '说明', '附注', 'note', 'notes', 'remark', 'remarks', 'comment', 'comments'],
};

const ALIAS_INDEX: ReadonlyMap<string, { field: LedgerField; rank: number }> = (() => {
  const m = new Map<string, { field: LedgerField; rank: number }>();
  for (const [field, names] of Object.entries(HEADER_ALIASES) as Array<[LedgerField, readonly string[]]>) {
    names.forEach((n, rank) => m.set(n, { field, rank }));
  }
  return m;
})();

function normHeader(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_*]/g, '')
    .replace(/:$/, '');
}

/** The field a header cell names, if any. */
export function headerField(label: string): { field: LedgerField; rank: number } | undefined {
  const n = normHeader(label);
  if (n === '') return undefined;
  const direct = ALIAS_INDEX.get(n);
  if (direct) return direct;
  const paren = /^([^()]*)\(([^()]*)\)(.*)$/.exec(n);
  if (paren) {
    const outer = ALIAS_INDEX.get(paren[1]! + paren[3]!);
    if (outer) return outer;
    const inner = ALIAS_INDEX.get(paren[2]!);
    if (inner) return inner;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

const COMPUTER_TYPES = new Set([
  '计算机', '台式机', '台式计算机', '笔记本', '笔记本电脑', '笔记本计算机', '便携式计算机', '便携机', '服务器', '工作站', '一体机', '电脑',
  'computer', 'pc', 'desktop', 'laptop', 'notebook', 'server', 'workstation',
]);
const OPTICAL_RE = /光盘|光碟|刻录盘|^(?:cd|dvd|bd)(?:[-+]?r(?:w)?)?$|^optical|^disc$/i;

/** 计算机 / 台式机 / 笔记本 / 服务器 / computer / PC … (also 涉密计算机, 便携式计算机). */
export function isComputerType(type: string): boolean {
  const t = type.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  return COMPUTER_TYPES.has(t) || /计算机|电脑|台式机|笔记本|服务器|工作站/.test(t);
}

export function isOpticalType(type: string): boolean {
  return OPTICAL_RE.test(type.normalize('NFKC').trim().replace(/\s+/g, ''));
}

export { parseClass, parseLevel };

const IN_USE = new Set([
  '在用', '使用', '使用中', '正在使用', '正常', '正常使用', '启用', '已启用', '备用', '借用', '借出', '维修', '维修中', '领用', '已领用', '已登记', '登记',
  'inuse', 'active', 'ok', 'normal', 'spare', 'lent', 'repair', 'inrepair', 'used',
]);
const NOT_IN_USE = new Set([
  '停用', '报废', '丢失', '遗失', '销毁', '封存', '注销', '退役', '收回', '回收', '待报废', '待销毁', '失窃', '被盗',
  'retired', 'destroyed', 'lost', 'disabled', 'decommissioned', 'inactive', 'scrapped', 'stolen', 'revoked', 'notinuse',
]);

/** 在用 → true; 停用 / 报废 / 丢失 / 销毁 (also 已报废) → false; undefined when not recognised. */
export function parseStatus(v: string): boolean | undefined {
  const t = v.normalize('NFKC').trim().toLowerCase().replace(/[\s\-_]/g, '');
  const s = t.startsWith('已') && t.length > 1 ? t.slice(1) : t;
  if (IN_USE.has(t) || IN_USE.has(s)) return true;
  if (NOT_IN_USE.has(t) || NOT_IN_USE.has(s)) return false;
  return undefined;
}

const YES = new Set(['是', '允许', '可', '可以', '准许', '开放', '开启', '启用', '有', 'yes', 'y', 'true', '1', '√', '✓', '✔', 'allowed', 'allow', 'permitted']);
const NO = new Set([
  '否', '禁止', '不允许', '不可', '不可以', '不准', '关闭', '封闭', '禁用', '无', '没有', 'no', 'n', 'false', '0', '×', '✗', '✘', 'x', 'forbidden', 'denied', 'deny',
  'blocked', 'disabled', 'notallowed',
]);

/** 是 / 允许 / yes / true → true, 否 / 禁止 / no / false → false; undefined when not recognised. */
export function parseYesNo(v: string): boolean | undefined {
  const t = v.normalize('NFKC').trim().toLowerCase().replace(/[\s\-_]/g, '');
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Problems

type Severity = LedgerProblem['severity'];

class Problems {
  readonly list: LedgerProblem[] = [];
  add(at: LedgerLocation, severity: Severity, code: string, message: string, messageZh: string, column?: string): void {
    this.list.push({ ...at, ...(column !== undefined ? { column } : {}), code, message, messageZh, severity });
  }
}

// ---------------------------------------------------------------------------------------------
// Rows → entries (shared by the three formats)

/** One value of a row as read: its text, and for spreadsheet numbers the number behind it. */
export interface RawValue {
  text: string;
  /** The cell held a number (XLSX), so digits may have been lost. */
  numeric?: number;
  /** The cell held an error value (#N/A …). */
  error?: boolean;
  /** The header (or YAML key) it was under. */
  column: string;
}

export type RawRow = Partial<Record<LedgerField, RawValue>>;

/** A number as the digits a person wrote, never in exponent form. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}


const SCIENTIFIC_RE = /^[+-]?\d+(?:\.\d+)?e[+-]?\d+$/i;

/** What officers write in a cell for "nothing": read as empty. */
const EMPTY_MARKERS = new Set(['/', '\\', '-', '--', '—', '——', '无', '空', 'n/a', 'na', 'none', 'null', '无序列号']);

function textOf(v: RawValue | undefined): string {
  if (v === undefined) return '';
  const t = v.text.trim();
  return EMPTY_MARKERS.has(t.normalize('NFKC').toLowerCase()) ? '' : t;
}

/**
 * Builds the entry of one row, reporting what is wrong with it. Rows missing a required value or with
 * an unrecognised class are left out (the problem says why). `defaultComputer`: YAML `computers:` items.
 */
function rowToEntry(
  rowIn: RawRow,
  at: LedgerLocation,
  problems: Problems,
  /** The file's names for the fields (header labels), for problems about empty cells. */
  labels: Partial<Record<LedgerField, string>>,
  defaultComputer = false,
  /** Further class columns (a sheet with both 密级 and 类别): used when the first is empty, checked against it. */
  altClass: RawValue[] = [],
): LedgerEntry | undefined {
  let row = rowIn;
  let ok = true;
  const col = (f: LedgerField): string | undefined => row[f]?.column ?? labels[f];
  const err = (code: string, f: LedgerField | undefined, en: string, zh: string): void => {
    problems.add(at, 'error', code, en, zh, f !== undefined ? col(f) : undefined);
  };
  const warn = (code: string, f: LedgerField | undefined, en: string, zh: string): void => {
    problems.add(at, 'warning', code, en, zh, f !== undefined ? col(f) : undefined);
  };
  for (const [f, v] of Object.entries(row) as Array<[LedgerField, RawValue]>) {
    if (v.error) warn('cell-error', f, `the cell holds an error value (${v.text})`, `单元格为错误值（${v.text}）`);
  }

  const id = textOf(row.id);
  if (id === '') {
    err('missing-value', 'id', 'no id (编号): every row needs the unit\'s number', '缺少编号');
    ok = false;
  }
  let type = textOf(row.type);
  if (type === '' && defaultComputer) type = '计算机';
  if (type === '') {
    err('missing-value', 'type', 'no type (类型)', '缺少类型');
    ok = false;
  }
  const isComputer = defaultComputer || (type !== '' && isComputerType(type));

  // Class (密级) and level.
  const alts = altClass.filter((v) => textOf(v) !== '');
  if (textOf(row.class) === '' && alts.length > 0) row = { ...row, class: alts.shift()! };
  const classText = textOf(row.class);
  let cls: { class: LedgerClass; level?: SecretLevel } | undefined;
  if (classText === '') {
    err('missing-value', 'class', 'no class (密级): classified / intranet / nonclassified (涉密 / 内网 / 非涉密)', '缺少密级（涉密 / 内网 / 非涉密）');
    ok = false;
  } else {
    cls = parseClass(classText);
    if (cls === undefined) {
      err(
        'unknown-class',
        'class',
        `unknown class "${classText}": use classified / intranet / nonclassified (涉密[（秘密|机密|绝密）] / 内网 / 非涉密)`,
        `无法识别的密级"${classText}"：应为 涉密[（秘密/机密/绝密）] / 内网 / 非涉密`,
      );
      ok = false;
    }
  }
  for (const alt of alts) {
    const other = parseClass(textOf(alt));
    if (cls !== undefined && other !== undefined && (other.class !== cls.class || (other.level !== undefined && cls.level !== undefined && other.level !== cls.level))) {
      problems.add(
        at,
        'error',
        'class-conflict',
        `"${textOf(alt)}" (${alt.column}) contradicts "${classText}" (${row.class?.column ?? ''})`,
        `"${textOf(alt)}"（${alt.column}）与"${classText}"（${row.class?.column ?? ''}）矛盾`,
        alt.column,
      );
      ok = false;
    } else if (cls !== undefined && other?.level !== undefined && cls.class === 'classified' && cls.level === undefined) {
      cls = { class: 'classified', level: other.level };
    }
  }
  const levelText = textOf(row.level);
  if (levelText !== '' && cls !== undefined) {
    const lv = parseLevel(levelText);
    if (lv === undefined) {
      if (parseClass(levelText)?.class !== cls.class) {
        err('unknown-level', 'level', `unknown level "${levelText}": use 秘密 / 机密 / 绝密`, `无法识别的密级等级"${levelText}"：应为 秘密 / 机密 / 绝密`);
        ok = false;
      }
    } else if (cls.class !== 'classified') {
      err('level-conflict', 'level', `level "${levelText}" given for a ${cls.class} row`, `非涉密（${classText}）条目不应有密级等级"${levelText}"`);
      ok = false;
    } else if (cls.level !== undefined && cls.level !== lv) {
      err('level-conflict', 'level', `level "${levelText}" contradicts the class "${classText}"`, `密级等级"${levelText}"与密级"${classText}"矛盾`);
      ok = false;
    } else {
      cls = { class: 'classified', level: lv };
    }
  }

  // Serial.
  let serial: string | undefined = textOf(row.serial) || undefined;
  const sv = row.serial;
  if (sv?.numeric !== undefined) {
    serial = numberText(sv.numeric);
    // Excel keeps 15 significant digits: a longer serial typed into a number cell lost its tail.
    const lost = !Number.isInteger(sv.numeric) || numberText(Math.abs(sv.numeric)).length > 15;
    if (lost) {
      err(
        'serial-as-number',
        'serial',
        `serial stored as a number, digits may be lost (read as ${serial}): format the column as text and type the serial again`,
        `序列号以数字形式存储，可能已丢失位数（读作 ${serial}）：请将该列设为文本格式并重新录入`,
      );
      ok = false;
    } else {
      warn(
        'serial-as-number',
        'serial',
        `serial stored as a number, digits may be lost (leading zeros; read as ${serial}): format the column as text`,
        `序列号以数字形式存储，可能已丢失位数（如开头的 0；读作 ${serial}）：请将该列设为文本格式`,
      );
    }
  } else if (serial !== undefined && SCIENTIFIC_RE.test(serial)) {
    err(
      'serial-as-number',
      'serial',
      `serial "${serial}" is a number in exponent form: its digits are lost (the spreadsheet stored it as a number); format the column as text and type it again`,
      `序列号"${serial}"为科学计数法，位数已丢失（表格将其存为数字）：请将该列设为文本格式并重新录入`,
    );
    ok = false;
  }
  if (serial === undefined && !isComputer && type !== '') {
    if (isOpticalType(type)) {
      warn('missing-value', 'serial', 'no serial (序列号) for an optical disc: it cannot be matched to a device', '光盘未登记序列号，无法与设备比对');
    } else {
      err('missing-value', 'serial', 'no serial (序列号): a storage medium is matched by its serial', '缺少序列号：存储介质须按序列号比对');
      ok = false;
    }
  }
  if (serial !== undefined && isSynthesizedSerial(serial)) {
    warn(
      'synthesized-serial',
      'serial',
      `serial "${serial}" was made up by Windows (second character "&"): it is not the device's own and will not match on another computer`,
      `序列号"${serial}"为 Windows 生成（第二个字符为"&"），并非设备自身序列号，换一台计算机即不同`,
    );
  }

  // VID / PID.
  const usbId = (f: 'vid' | 'pid'): string | undefined => {
    const v = row[f];
    if (v === undefined || textOf(v) === '') return undefined;
    if (v.numeric !== undefined) {
      const padded = Number.isInteger(v.numeric) && v.numeric >= 0 && v.numeric <= 9999 ? numberText(v.numeric).padStart(4, '0') : undefined;
      if (padded !== undefined) {
        warn(
          'id-as-number',
          f,
          `${f.toUpperCase()} stored as a number, read as ${padded}: format the column as text`,
          `${f.toUpperCase()} 以数字形式存储，读作 ${padded}：请将该列设为文本格式`,
        );
        return padded;
      }
    }
    const n = normalizeUsbId(v.text);
    if (n === undefined) {
      err('bad-usb-id', f, `${f.toUpperCase()} "${v.text.trim()}" is not 4 hex digits (e.g. 0781)`, `${f.toUpperCase()}"${v.text.trim()}"不是 4 位十六进制数（如 0781）`);
      ok = false;
    }
    return n;
  };
  let vid = usbId('vid');
  let pid = usbId('pid');
  const both = textOf(row.usbId);
  if (both !== '') {
    const m =
      /vid[_:=]?([0-9a-f]{4})\W*pid[_:=]?([0-9a-f]{4})/i.exec(both) ?? /^(?:0x)?([0-9a-f]{4})\s*[:/,\s]\s*(?:0x)?([0-9a-f]{4})$/i.exec(both);
    if (!m) {
      err('bad-usb-id', 'usbId', `"${both}" is not a VID:PID pair (e.g. 0781:5567)`, `"${both}"不是 VID:PID（如 0781:5567）`);
      ok = false;
    } else {
      const [bv, bp] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
      if ((vid !== undefined && vid !== bv) || (pid !== undefined && pid !== bp)) {
        err('bad-usb-id', 'usbId', `"${both}" contradicts the VID/PID columns`, `"${both}"与 VID/PID 列矛盾`);
        ok = false;
      }
      vid ??= bv;
      pid ??= bp;
    }
  }

  // Status.
  const status = textOf(row.status) || undefined;
  let inUse = true;
  if (status !== undefined) {
    const s = parseStatus(status);
    if (s === undefined) {
      warn(
        'unknown-status',
        'status',
        `unknown status "${status}" (taken as in use): use 在用 / 停用 / 报废 / 丢失 / 销毁`,
        `无法识别的状态"${status}"（按在用处理）：应为 在用 / 停用 / 报废 / 丢失 / 销毁`,
      );
    } else {
      inUse = s;
    }
  }

  // USB storage allowed (computer rows).
  // (Only a computer row says whether USB storage may be connected; on a media row the column is ignored.)
  const usbText = row.usb?.text.trim() ?? '';
  let usbStorageAllowed: boolean | undefined;
  if (usbText !== '' && isComputer) {
    usbStorageAllowed = parseYesNo(usbText);
    if (usbStorageAllowed === undefined) {
      err('unknown-usb', 'usb', `unknown value "${usbText}" for USB storage: use 是 / 否 (允许 / 禁止, yes / no)`, `"允许USB"的值"${usbText}"无法识别：应为 是 / 否（允许 / 禁止）`);
      ok = false;
    }
  }

  if (!ok || cls === undefined) return undefined;
  const opt = (f: LedgerField): string | undefined => textOf(row[f]) || undefined;
  const entry: LedgerEntry = {
    id,
    type,
    isComputer,
    class: cls.class,
    inUse,
    at,
  };
  if (cls.level !== undefined) entry.level = cls.level;
  const vendor = opt('vendor');
  if (vendor !== undefined) entry.vendor = vendor;
  const model = opt('model');
  if (model !== undefined) entry.model = model;
  if (serial !== undefined) {
    entry.serial = serial;
    const k = serialKey(serial);
    if (k !== '') entry.serialKey = k;
  }
  if (vid !== undefined) entry.vid = vid;
  if (pid !== undefined) entry.pid = pid;
  const owner = opt('owner');
  if (owner !== undefined) entry.owner = owner;
  const department = opt('department');
  if (department !== undefined) entry.department = department;
  if (status !== undefined) entry.status = status;
  const hostname = opt('hostname');
  if (hostname !== undefined) entry.hostname = hostname;
  const machineId = opt('machineId');
  if (machineId !== undefined) entry.machineId = machineId;
  if (usbStorageAllowed !== undefined) entry.usbStorageAllowed = usbStorageAllowed;
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Cross-row checks

const idNorm = (s: string): string => s.normalize('NFKC').trim().toUpperCase();

/**
 * Checks across rows: duplicate ids; duplicate serials among media (an error unless the rows' VID/PID
 * tell the devices apart, then a warning); duplicate hardware serials and host names among computers.
 */
export function validateLedger(ledger: Ledger): LedgerProblem[] {
  const problems = new Problems();
  const byId = new Map<string, LedgerEntry>();
  const media = new Map<string, LedgerEntry[]>();
  const hw = new Map<string, LedgerEntry>();
  const hosts = new Map<string, LedgerEntry>();
  for (const e of ledger.entries) {
    const k = idNorm(e.id);
    const first = byId.get(k);
    if (first) {
      problems.add(e.at, 'error', 'duplicate-id', `duplicate id "${e.id}" (also ${formatLocation(first.at)})`, `编号"${e.id}"重复（另见 ${formatLocation(first.at)}）`);
    } else {
      byId.set(k, e);
    }
    if (e.serialKey === undefined) continue;
    if (e.isComputer) {
      const f = hw.get(e.serialKey);
      if (f) {
        problems.add(e.at, 'error', 'duplicate-serial', `duplicate serial "${e.serial ?? ''}" (also ${formatLocation(f.at)})`, `序列号"${e.serial ?? ''}"重复（另见 ${formatLocation(f.at)}）`);
      } else {
        hw.set(e.serialKey, e);
      }
      continue;
    }
    const same = media.get(e.serialKey) ?? [];
    const clash = same.find((o) => !(o.vid !== undefined && e.vid !== undefined && o.vid !== e.vid) && !(o.pid !== undefined && e.pid !== undefined && o.pid !== e.pid));
    if (clash) {
      problems.add(
        e.at,
        'error',
        'duplicate-serial',
        `duplicate serial "${e.serial ?? ''}" (also ${formatLocation(clash.at)}${clash.serial !== e.serial ? `, written "${clash.serial ?? ''}"` : ''})`,
        `序列号"${e.serial ?? ''}"重复（另见 ${formatLocation(clash.at)}${clash.serial !== e.serial ? `，写作"${clash.serial ?? ''}"` : ''}）`,
      );
    } else if (same.length > 0) {
      const o = same[0]!;
      problems.add(
        e.at,
        'warning',
        'duplicate-serial',
        `serial "${e.serial ?? ''}" also at ${formatLocation(o.at)}: told apart only by VID/PID`,
        `序列号"${e.serial ?? ''}"与 ${formatLocation(o.at)} 相同，仅能以 VID/PID 区分`,
      );
    }
    same.push(e);
    media.set(e.serialKey, same);
  }
  for (const e of ledger.entries) {
    if (!e.isComputer || e.hostname === undefined) continue;
    const k = e.hostname.normalize('NFKC').trim().toLowerCase();
    const f = hosts.get(k);
    if (f) {
      problems.add(e.at, 'warning', 'duplicate-hostname', `host name "${e.hostname}" also at ${formatLocation(f.at)}`, `主机名"${e.hostname}"与 ${formatLocation(f.at)} 相同`);
    } else {
      hosts.set(k, e);
    }
  }
  return problems.list;
}

// ---------------------------------------------------------------------------------------------
// Tables (CSV and XLSX): header detection, then rows

interface Cell {
  text: string;
  numeric?: number;
  error?: boolean;
}

interface TableRow {
  /** 1-based row number as the officer sees it. */
  row: number;
  cells: Cell[];
}

const HEADER_SEARCH_ROWS = 10;

interface Header {
  /** Index into the table's rows of the last header row; data follows. */
  last: number;
  columns: Map<LedgerField, { index: number; label: string }>;
  /** Class columns besides the chosen one (密级 chosen, 类别 too). */
  altClass: Array<{ index: number; label: string }>;
  score: number;
}

function scoreRow(cells: Cell[]): Map<LedgerField, { index: number; label: string; rank: number }> {
  const found = new Map<LedgerField, { index: number; label: string; rank: number }>();
  cells.forEach((c, index) => {
    const h = headerField(c.text);
    if (!h) return;
    const prev = found.get(h.field);
    if (!prev || h.rank < prev.rank) found.set(h.field, { index, label: c.text.trim(), rank: h.rank });
  });
  return found;
}

function headerScore(cols: Map<LedgerField, unknown>): number {
  return [...cols.keys()].filter((f) => f !== 'note').length;
}

function isValidHeader(cols: Map<LedgerField, unknown>, strict: boolean): boolean {
  const has = (f: LedgerField): boolean => cols.has(f);
  if (headerScore(cols) < 3) return false;
  if (!(has('id') || has('serial') || has('hostname'))) return false;
  if (!(has('type') || has('class'))) return false;
  if (strict && !(has('serial') || has('hostname') || has('vid') || has('usbId'))) return false;
  return true;
}

/** The header among the first rows: the row naming the most fields, plus a sub-header row under it. */
function findHeader(rows: TableRow[], strict: boolean): Header | undefined {
  let best: { i: number; cols: Map<LedgerField, { index: number; label: string; rank: number }> } | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.row > HEADER_SEARCH_ROWS) break;
    const cols = scoreRow(r.cells);
    if (!isValidHeader(cols, strict)) continue;
    if (!best || headerScore(cols) > headerScore(best.cols)) best = { i, cols };
  }
  if (!best) return undefined;
  const columns = new Map<LedgerField, { index: number; label: string }>();
  for (const [f, c] of best.cols) columns.set(f, { index: c.index, label: c.label });
  let last = best.i;
  // A two-level header (e.g. "USB标识" merged over two columns, "VID" / "PID" under it): take the
  // sub-header's names for the columns the header row does not name.
  const next = rows[best.i + 1];
  if (next && next.row === rows[best.i]!.row + 1 && isHeaderLike(next.cells)) {
    const sub = scoreRow(next.cells);
    const taken = new Set([...columns.values()].map((c) => c.index));
    for (const [f, c] of sub) {
      if (!columns.has(f) && !taken.has(c.index)) columns.set(f, { index: c.index, label: c.label });
    }
    last = best.i + 1;
  }
  const altClass: Array<{ index: number; label: string }> = [];
  const classIndex = columns.get('class')?.index;
  for (let i = best.i; i <= last; i++) {
    rows[i]!.cells.forEach((c, index) => {
      if (index !== classIndex && headerField(c.text)?.field === 'class' && !altClass.some((a) => a.index === index)) {
        altClass.push({ index, label: c.text.trim() });
      }
    });
  }
  return { last, columns, altClass, score: headerScore(columns) };
}

/** Every non-empty cell is a column name (a repeated header, or the echo of a merged header). */
function isHeaderLike(cells: Cell[]): boolean {
  const filled = cells.filter((c) => c.text.trim() !== '');
  return filled.length > 0 && filled.every((c) => headerField(c.text) !== undefined);
}

function tableToEntries(
  rows: TableRow[],
  header: Header,
  loc: (row: number) => LedgerLocation,
  problems: Problems,
): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const mapped = new Set([...header.columns.values()].map((c) => c.index));
  const labels: Partial<Record<LedgerField, string>> = {};
  for (const [f, c] of header.columns) labels[f] = c.label;
  for (let i = header.last + 1; i < rows.length; i++) {
    const r = rows[i]!;
    const filled = r.cells.filter((c) => c.text.trim() !== '');
    if (filled.length === 0) continue;
    if (isHeaderLike(r.cells)) continue;
    const raw: RawRow = {};
    for (const [f, c] of header.columns) {
      const cell = r.cells[c.index];
      if (cell === undefined || cell.text.trim() === '') continue;
      raw[f] = { text: cell.text, column: c.label, ...(cell.numeric !== undefined ? { numeric: cell.numeric } : {}), ...(cell.error ? { error: true } : {}) };
    }
    const at = loc(r.row);
    // A footer or note line (填表人：…, 合计, text only outside the ledger's columns): not an entry.
    const onlyUnmapped = r.cells.every((c, idx) => c.text.trim() === '' || !mapped.has(idx));
    const distinct = new Set(filled.map((c) => c.text.trim()));
    // One value alone (a section title such as "一、涉密介质", a merged heading, 填表人：…) is not an entry
    // either: an entry has at least an id, a type and a class.
    if (onlyUnmapped || distinct.size === 1) {
      problems.add(at, 'warning', 'not-an-entry', `row skipped: not a ledger entry ("${[...distinct].join(' ').slice(0, 60)}")`, `已跳过：不是台账条目（"${[...distinct].join(' ').slice(0, 60)}"）`);
      continue;
    }
    const alt: RawValue[] = header.altClass.flatMap((a) => {
      const cell = r.cells[a.index];
      return cell !== undefined && cell.text.trim() !== '' ? [{ text: cell.text, column: a.label }] : [];
    });
    const e = rowToEntry(raw, at, problems, labels, false, alt);
    if (e) entries.push(e);
  }
  return entries;
}

function noHeaderProblem(problems: Problems, at: LedgerLocation): void {
  problems.add(
    at,
    'error',
    'no-header',
    `no header row in the first ${HEADER_SEARCH_ROWS} rows: it must name at least the id (编号) or serial (序列号), the type (类型) or class (密级), and one more column`,
    `前 ${HEADER_SEARCH_ROWS} 行中没有表头：表头至少应有 编号 或 序列号、类型 或 密级，以及另一列`,
  );
}

// ---------------------------------------------------------------------------------------------
// CSV

/** RFC 4180 records with the 1-based line each starts on; lenient about stray quotes. */
export function parseCsv(text: string, delimiter: string): { rows: TableRow[]; unterminatedAt?: number } {
  const rows: TableRow[] = [];
  let line = 1;
  let startLine = 1;
  let field = '';
  let cells: string[] = [];
  let inQuotes = false;
  let quotedField = false;
  let i = 0;
  const n = text.length;
  const endField = (): void => {
    cells.push(field);
    field = '';
    quotedField = false;
  };
  const endRecord = (): void => {
    endField();
    rows.push({ row: startLine, cells: cells.map(cellFromCsv) });
    cells = [];
  };
  while (i < n) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '' && !quotedField) {
      inQuotes = true;
      quotedField = true;
      i++;
      continue;
    }
    if (ch === delimiter) {
      endField();
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      startLine = line;
      continue;
    }
    field += ch;
    i++;
  }
  const unterminated = inQuotes ? startLine : undefined;
  if (field !== '' || cells.length > 0 || quotedField) endRecord();
  return unterminated !== undefined ? { rows, unterminatedAt: unterminated } : { rows };
}

function cellFromCsv(s: string): Cell {
  // Excel's way to keep text as text in CSV: ="00123".
  const m = /^="(.*)"$/s.exec(s.trim());
  return { text: m ? m[1]! : s };
}

/** UTF-8 (BOM or not), UTF-16 (BOM), else GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

function readCsv(file: string, text: string, encoding: string, problems: Problems): Ledger | undefined {
  let best: { delimiter: string; rows: TableRow[]; header: Header; unterminatedAt?: number } | undefined;
  for (const delimiter of [',', '\t', ';']) {
    const parsed = parseCsv(text, delimiter);
    const header = findHeader(parsed.rows, false);
    if (header && (!best || header.score > best.header.score)) best = { delimiter, rows: parsed.rows, header, ...(parsed.unterminatedAt !== undefined ? { unterminatedAt: parsed.unterminatedAt } : {}) };
  }
  if (!best) {
    noHeaderProblem(problems, { file, row: 0 });
    return undefined;
  }
  if (best.unterminatedAt !== undefined) {
    problems.add(
      { file, row: best.unterminatedAt },
      'error',
      'csv-quote',
      'a quoted value opened here is never closed: the rest of the file was read as one value',
      '此处开始的引号没有闭合：其后的内容都被当作一个值',
    );
  }
  const entries = tableToEntries(best.rows, best.header, (row) => ({ file, row }), problems);
  return { file, format: 'csv', encoding, delimiter: best.delimiter, entries };
}

// ---------------------------------------------------------------------------------------------
// XLSX

type ExcelCellValue = unknown;

function excelText(v: ExcelCellValue): Cell {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'number') return { text: numberText(v), numeric: v };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false' };
  if (v instanceof Date) {
    const iso = Number.isNaN(v.getTime()) ? '' : v.toISOString();
    return { text: iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['richText'])) {
      return { text: (o['richText'] as Array<{ text?: unknown }>).map((r) => (typeof r.text === 'string' ? r.text : '')).join('') };
    }
    if ('formula' in o || 'sharedFormula' in o || 'result' in o) return excelText(o['result']);
    if ('hyperlink' in o || 'text' in o) return excelText(o['text']);
    if (typeof o['error'] === 'string') return { text: o['error'], error: true };
  }
  return { text: String(v) };
}

/** What an .xlsx ledger may expand to (a real register of a few thousand rows is a few MB). */
export const XLSX_BUDGET = { expandedBytes: 64 * 1024 * 1024, members: 2000, rows: 200_000 };

/**
 * The workbook's members inflated once with the zip reader of the document walk, under a budget
 * enforced while inflating: a 1 MB file that expands to 400 MB (or claims thousands of members) is
 * refused before exceljs, which would inflate everything in memory, ever sees it.
 */
function xlsxWithinBudget(file: string, bytes: Buffer, problems: Problems): boolean {
  // The absolute budget is the guard; the ratio is loose (an empty, styled sheet compresses very well).
  const ctx = new Ctx({ maxExpandedBytes: XLSX_BUDGET.expandedBytes, maxMembers: XLSX_BUDGET.members, maxRatio: 10_000, timeoutMs: 60_000 });
  let zip: Zip;
  try {
    zip = Zip.open(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), ctx);
  } catch (err) {
    problems.add({ file, row: 0 }, 'error', 'unreadable', `not a readable .xlsx workbook: ${(err as Error).message}`, `不是可读取的 .xlsx 工作簿：${(err as Error).message}`);
    return false;
  }
  for (const e of zip.entries) {
    if (zip.read(e) === null && ctx.gaps.some((g) => g.kind === 'too-large' || g.kind === 'zip-bomb')) break;
  }
  const over = ctx.gaps.find((g) => g.kind === 'too-large' || g.kind === 'zip-bomb');
  if (over) {
    const mib = XLSX_BUDGET.expandedBytes / 1048576;
    problems.add(
      { file, row: 0 },
      'error',
      'too-large',
      `the workbook expands past what a ledger may hold (${mib} MiB, ${XLSX_BUDGET.members} parts): ${over.reason}${over.part ? ` (${over.part})` : ''}; nothing was read`,
      `工作簿解压后超过台账的上限（${mib} MiB，${XLSX_BUDGET.members} 个部件）：${over.reason}；未读取`,
    );
    return false;
  }
  return true;
}

async function readXlsx(file: string, bytes: Buffer, problems: Problems): Promise<Ledger | undefined> {
  if (!xlsxWithinBudget(file, bytes, problems)) return undefined;
  // exceljs is CommonJS: at run time its exports are the default export; its types are named exports.
  const mod = await import('exceljs');
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    problems.add({ file, row: 0 }, 'error', 'unreadable', `not a readable .xlsx workbook: ${(err as Error).message}`, `不是可读取的 .xlsx 工作簿：${(err as Error).message}`);
    return undefined;
  }
  const entries: LedgerEntry[] = [];
  let sheetsRead = 0;
  const sheetNames: string[] = [];
  const sheets = wb.worksheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden');
  for (const ws of sheets) {
    if (ws.rowCount > XLSX_BUDGET.rows) {
      problems.add({ file, sheet: ws.name, row: 0 }, 'error', 'too-large', `the sheet has ${ws.rowCount} rows, more than a ledger may hold (${XLSX_BUDGET.rows}); nothing was read`, `工作表有 ${ws.rowCount} 行，超过台账的上限（${XLSX_BUDGET.rows} 行）；未读取`);
      return undefined;
    }
    const rows: TableRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: Cell[] = [];
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = row.getCell(c);
        // A merged cell reads as its master's value. Down a column (one 密级 cell for several rows,
        // a header merged over two header rows) that is what the officer means; across a row (a
        // title or a note merged over the table's width) it is not a value of this column.
        if (cell.type === ExcelJS.ValueType.Merge && String(cell.master.col) !== String(cell.col)) {
          cells.push({ text: '' });
          continue;
        }
        cells.push(excelText(cell.value));
      }
      rows.push({ row: rowNumber, cells });
    });
    // The first sheet with a header is read as it is; later sheets only if they name serials or hosts
    // (so a summary sheet "类型 | 密级 | 数量" is not taken for a ledger).
    const header = findHeader(rows, sheetsRead > 0);
    if (!header) continue;
    sheetsRead++;
    const sheet = ws.name;
    sheetNames.push(sheet);
    entries.push(...tableToEntries(rows, header, (row) => ({ file, sheet, row }), problems));
  }
  if (sheetsRead === 0) {
    noHeaderProblem(problems, { file, row: 0 });
    return undefined;
  }
  return { file, format: 'xlsx', sheets: sheetNames, entries };
}

// ---------------------------------------------------------------------------------------------
// YAML

/** In YAML, a missing key is named by its English name. */
const YAML_LABELS: Partial<Record<LedgerField, string>> = Object.fromEntries(
  (Object.keys(HEADER_ALIASES) as LedgerField[]).map((f) => [f, f]),
);

const YAML_TOP_KEYS = new Set(['media', 'computers', 'unit', 'title', 'updated', 'department']);

function isYamlLedgerShape(contents: unknown): boolean {
  if (isSeq(contents)) return contents.items.length > 0 && contents.items.every((x) => isMap(x));
  if (isMap(contents)) {
    const keys = contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    return keys.includes('media') || keys.includes('computers');
  }
  return false;
}

function looksLikeYaml(path: string, text: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return true;
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return first !== undefined && /^(?:(?:media|computers)\s*:|-\s+[^,\t]+:\s)/.test(first);
}

/** Cheap test before parsing a whole CSV file as YAML: how its first line starts. */
function mayBeYaml(path: string, text: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return true;
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return first !== undefined && /^(?:---|%YAML|-(?:\s|$)|[[{]|[^,\t;"]*:(?:\s|$))/.test(first);
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  // Plain scalars keep what was typed: 0951 stays 0951, 1234E5 stays 1234E5.
  return typeof node.source === 'string' ? node.source : String(v);
}

function readYamlItems(
  file: string,
  seq: Node | null | undefined,
  lc: LineCounter,
  problems: Problems,
  computers: boolean,
  entries: LedgerEntry[],
  key: string,
): void {
  if (seq === null || seq === undefined || (isScalar(seq) && (seq.value === null || seq.value === undefined))) return;
  const lineOf = (n: { range?: [number, number, number] | null } | null | undefined): number => (n?.range ? lc.linePos(n.range[0]).line : 0);
  if (!isSeq(seq)) {
    problems.add({ file, row: lineOf(seq as Node) }, 'error', 'yaml-shape', `"${key}" must be a list of entries`, `"${key}"应为条目列表`);
    return;
  }
  for (const item of seq.items) {
    const at: LedgerLocation = { file, row: lineOf(item as Node) };
    if (!isMap(item)) {
      problems.add(at, 'error', 'yaml-shape', 'an entry must be a map (key: value)', '条目应为键值映射（key: value）');
      continue;
    }
    const raw: RawRow = {};
    for (const pair of (item as YAMLMap).items as Pair[]) {
      const k = scalarText(pair.key);
      const keyAt: LedgerLocation = { file, row: lineOf(pair.key as Node) || at.row };
      if (k === undefined || k === '') {
        problems.add(keyAt, 'error', 'yaml-shape', 'a key must be a plain name', '键应为名称');
        continue;
      }
      const h = headerField(k);
      if (!h) {
        problems.add(keyAt, 'warning', 'unknown-column', `unknown key "${k}" (ignored)`, `无法识别的键"${k}"（已忽略）`, k);
        continue;
      }
      if (h.field === 'note') continue;
      const v = scalarText(pair.value ?? null) ?? (pair.value === null || pair.value === undefined ? '' : undefined);
      if (v === undefined) {
        problems.add(keyAt, 'error', 'yaml-shape', `"${k}" must be a single value`, `"${k}"应为单个值`, k);
        continue;
      }
      if (raw[h.field] !== undefined) {
        problems.add(keyAt, 'error', 'yaml-shape', `"${k}" repeats "${raw[h.field]!.column}"`, `"${k}"与"${raw[h.field]!.column}"重复`, k);
        continue;
      }
      if (v.trim() !== '') raw[h.field] = { text: v, column: k };
    }
    const e = rowToEntry(raw, at, problems, YAML_LABELS, computers);
    if (e) entries.push(e);
  }
}

function readYaml(file: string, text: string, problems: Problems): Ledger | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const row = e.pos[0] !== undefined ? lc.linePos(e.pos[0]).line : 0;
      problems.add({ file, row }, 'error', 'yaml-syntax', e.message.split('\n')[0] ?? e.message, `YAML 语法错误：${e.message.split('\n')[0] ?? e.message}`);
    }
    return undefined;
  }
  const entries: LedgerEntry[] = [];
  const contents = doc.contents;
  if (isSeq(contents)) {
    readYamlItems(file, contents, lc, problems, false, entries, 'ledger');
  } else if (isMap(contents)) {
    for (const pair of contents.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const row = isScalar(pair.key) && pair.key.range ? lc.linePos(pair.key.range[0]).line : 0;
      if (k === 'media' || k === 'computers') {
        readYamlItems(file, pair.value as Node | null, lc, problems, k === 'computers', entries, k);
      } else if (!YAML_TOP_KEYS.has(k)) {
        problems.add({ file, row }, 'warning', 'unknown-column', `unknown key "${k}" (ignored; expected media, computers, unit)`, `无法识别的键"${k}"（已忽略；应为 media、computers、unit）`, k);
      }
    }
  } else {
    problems.add({ file, row: 1 }, 'error', 'yaml-shape', 'a YAML ledger is a list of entries, or {media: [...], computers: [...]}', 'YAML 台账应为条目列表，或 {media: [...], computers: [...]}');
    return undefined;
  }
  return { file, format: 'yaml', entries };
}

// ---------------------------------------------------------------------------------------------
// Entry point

const MAX_BYTES = 64 * 1024 * 1024;

export interface ReadLedgerResult {
  /** Undefined when the file could not be read at all (no header, not a workbook, YAML syntax). */
  ledger?: Ledger;
  /** Every problem, in file order; any `error` means the ledger must not be relied on (exit 2). */
  problems: LedgerProblem[];
}

/** File-level problems first, then by sheet (in workbook order) and row; stable otherwise. */
function sortProblems(ps: LedgerProblem[], sheetOrder: readonly string[]): LedgerProblem[] {
  const sheetIndex = (p: LedgerProblem): number => (p.sheet === undefined ? -1 : sheetOrder.indexOf(p.sheet));
  return ps
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.row === 0 ? 0 : 1) - (b.p.row === 0 ? 0 : 1) || sheetIndex(a.p) - sheetIndex(b.p) || a.p.row - b.p.row || a.i - b.i)
    .map((x) => x.p);
}

/** Parses ledger bytes (the format is sniffed from them; `path` names the file in problems). */
export async function parseLedger(path: string, bytes: Buffer): Promise<ReadLedgerResult> {
  const problems = new Problems();
  const file = path;
  let ledger: Ledger | undefined;
  const emptyProblem = (): void =>
    problems.add({ file, row: 0 }, 'error', 'empty', 'the ledger file is empty', '台账文件为空');
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    ledger = await readXlsx(file, bytes, problems);
  } else if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    problems.add(
      { file, row: 0 },
      'error',
      'unsupported-format',
      'an old-style .xls workbook (or a password-protected one): save it as .xlsx or CSV',
      '旧版 .xls 工作簿（或加密工作簿）：请另存为 .xlsx 或 CSV',
    );
  } else {
    const { text, encoding } = decodeText(bytes);
    if (text.trim() === '' || text.replace(/^\uFEFF/, '').trim() === '') {
      emptyProblem();
    } else {
      let isYaml = false;
      if (mayBeYaml(path, text)) {
        try {
          const doc = parseDocument(text, { prettyErrors: false });
          isYaml = doc.errors.length === 0 ? isYamlLedgerShape(doc.contents) : looksLikeYaml(path, text);
        } catch {
          isYaml = looksLikeYaml(path, text);
        }
      }
      ledger = isYaml ? readYaml(file, text.replace(/^\uFEFF/, ''), problems) : readCsv(file, text.replace(/^\uFEFF/, ''), encoding, problems);
    }
  }
  if (ledger) {
    for (const p of validateLedger(ledger)) problems.list.push(p);
    if (ledger.entries.length === 0 && !problems.list.some((p) => p.severity === 'error')) {
      problems.add({ file, row: 0 }, 'warning', 'empty', 'the ledger has no entries', '台账中没有条目');
    }
  }
  return { ...(ledger ? { ledger } : {}), problems: sortProblems(problems.list, ledger?.sheets ?? []) };
}

/** Reads a ledger file (XLSX, CSV or YAML, told apart by content), with every problem found. */
export async function readLedger(path: string): Promise<ReadLedgerResult> {
  let bytes: Buffer;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new Error('is a folder');
    if (st.size > MAX_BYTES) throw new Error(`too large (${st.size} bytes; at most ${MAX_BYTES})`);
    bytes = await readFile(path);
  } catch (err) {
    const msg = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return {
      problems: [{ file: path, row: 0, code: 'unreadable', message: `cannot read the ledger: ${msg}`, messageZh: `无法读取台账：${msg}`, severity: 'error' }],
    };
  }
  return parseLedger(path, bytes);
}

export { formatLocation };
