// The unit's register of computers and removable media (台账), as baomi reads it.
import type { Profile } from '../engine/types.js';

/** Classes of media/machines: 涉密 (with its level), 内网/工作网, 非涉密/互联网. */
export type LedgerClass = Profile;
export type { SecretLevel } from '../engine/vocab.js';
export { SECRET_LEVELS } from '../engine/vocab.js';
import type { SecretLevel } from '../engine/vocab.js';

/** Where a row is in its file: the 1-based row (spreadsheet row, CSV line, YAML line) the officer sees. */
export interface LedgerLocation {
  file: string;
  /** Worksheet name (XLSX only). */
  sheet?: string;
  /** 1-based; 0 means the file as a whole (empty file, no header row, unreadable). */
  row: number;
}

export interface LedgerEntry {
  /** 编号 — the unit's own number, required and unique. */
  id: string;
  /** 类型 — U盘, 移动硬盘, 存储卡, 光盘, 手机, 计算机 … (free text; `computer` / 计算机 marks a machine row). */
  type: string;
  /** True for a computer row (the machine's own entry). */
  isComputer: boolean;
  vendor?: string;
  model?: string;
  /** 序列号 as written in the ledger (a computer row: the machine's hardware serial). */
  serial?: string;
  /** Normalised serial for matching (see `serialKey()`): upper case, no spaces/dashes, Windows `&0` suffix removed. */
  serialKey?: string;
  /** USB ids, 4 lower-case hex digits. */
  vid?: string;
  pid?: string;
  /** 密级 / class. */
  class: LedgerClass;
  level?: SecretLevel;
  owner?: string;
  department?: string;
  /** 状态: 在用 / 停用 / 报废 / 丢失 … (as written; `inUse` false for retired, destroyed, lost). */
  status?: string;
  inUse: boolean;
  /** Computer rows: host name / machine id / hardware serial (`serial`) to recognise the machine. */
  hostname?: string;
  machineId?: string;
  /** Computer rows: may USB storage be connected at all (seed 000: 内网计算机不得连接任何USB设备). */
  usbStorageAllowed?: boolean;
  /** Where the row is: file (and sheet) and 1-based row (or line) number. */
  at: LedgerLocation;
}

export interface Ledger {
  file: string;
  /** How it was read. */
  format: 'xlsx' | 'csv' | 'yaml';
  /** CSV only: the text encoding found (`utf-8`, `utf-8-bom`, `gb18030`, `utf-16le`, `utf-16be`) and the separator. */
  encoding?: string;
  delimiter?: string;
  /** XLSX only: the worksheets read (those with a ledger header), in workbook order. */
  sheets?: string[];
  entries: LedgerEntry[];
}

/** A problem in a ledger file (errors make `baomi ledger validate` and a scan with --ledger exit 2). */
export interface LedgerProblem extends LedgerLocation {
  /** The column's header as written in the file (or the YAML key). */
  column?: string;
  /** Stable kind, e.g. `duplicate-serial`, `missing-value`, `serial-as-number`, `no-header`. */
  code: string;
  /** English text. */
  message: string;
  /** Chinese text. */
  messageZh: string;
  severity: 'error' | 'warning';
}

/** The ledger entry a device matched, as it goes into an observation (JSON-serialisable). */
export interface LedgerMatchEntry {
  id: string;
  type: string;
  serial?: string;
  class: LedgerClass;
  level?: SecretLevel;
  owner?: string;
  status?: string;
  inUse: boolean;
  /** `file:row` or `file[sheet]:row`. */
  at: string;
}

/** How a device stands against the ledger. */
export interface LedgerMatch {
  status: 'registered' | 'unregistered' | 'unjudgeable';
  /** The matching entry (registered). */
  entry?: LedgerMatchEntry;
  /** Registered: `serial+ids` when the row's VID/PID were compared too, `serial` when the row or the device has none. */
  matchedBy?: 'serial' | 'serial+ids';
  /** Why unjudgeable / unregistered, or notes (entry retired, VID/PID not compared, …). English. */
  reason?: string;
  reasonZh?: string;
}

