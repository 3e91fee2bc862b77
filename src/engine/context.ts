// The machine context: the class (涉密 / 内网 / 非涉密) and level (秘密 / 机密 / 绝密) every rule of
// a scan judges against, resolved ONCE, after the identity probe and before any other probe runs.
//
// Order of authority: the unit's ledger row for this machine (matched by hardware serial, machine id
// or host name) > `--profile` / `--level` > the default (涉密, the strictest). A classified machine
// whose level nobody gave is taken as 秘密 (the lowest: documents of 机密 and 绝密 are findings), and
// the report says so. A `--profile` or `--level` that contradicts the ledger is a warning: the
// ledger is the unit's record, and an officer typing the wrong class must not re-judge the machine.
import type { Ledger, LedgerEntry } from '../ledger/types.js';
import { formatLocation, machineRow } from '../ledger/match.js';
import type { Observation } from './types.js';
import { fieldValues } from './match.js';
import { S, type Shape } from './shape.js';
import { levelRank, PROFILE_ZH, PROFILES, SECRET_LEVELS, type Profile, type SecretLevel } from './vocab.js';

export interface MachineContext {
  class: Profile;
  /** Set for a classified machine only. */
  level?: SecretLevel;
  /** 0 for a machine that may hold no state secret (内网, 非涉密), else 1 秘密 / 2 机密 / 3 绝密. */
  levelRank: number;
  /** The ledger row's word on USB storage on this machine; absent when it says nothing. */
  usbStorageAllowed?: boolean;
  /** Who decided the class: the ledger row, the `--profile` flag, or the default. */
  source: 'ledger' | 'flag' | 'default';
  /** Who decided the level (classified machines): the ledger, `--level`, or assumed (秘密). */
  levelSource?: 'ledger' | 'flag' | 'assumed';
  /** Why, in words, both languages. */
  reason: { zh: string; en: string };
  /** The ledger row that decided, when one did. */
  ledgerRow?: { id: string; at: string; matchedBy: 'hardwareSerial' | 'machineId' | 'hostname' };
  /** `--profile`/`--level` against the ledger, a ledger without a row for this machine… */
  warnings: Array<{ kind: string; zh: string; en: string }>;
}

export interface ContextFlags {
  profile?: Profile;
  level?: SecretLevel;
}

const BY_ZH = { hardwareSerial: '硬件序列号', machineId: '机器标识', hostname: '主机名' } as const;
const BY_EN = { hardwareSerial: 'hardware serial', machineId: 'machine id', hostname: 'host name' } as const;

function str(obs: Observation | undefined, path: string): string | undefined {
  const v = obs ? fieldValues(obs, path)[0] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function label(cls: Profile, level?: SecretLevel): { zh: string; en: string } {
  return { zh: level ? `${PROFILE_ZH[cls]}（${level}）` : PROFILE_ZH[cls], en: level ? `${cls} (${level})` : cls };
}

/** Resolve the machine's class and level from the identity observation, the ledger and the flags. */
export function resolveMachineContext(identity: Observation | undefined, ledger: Ledger | undefined, flags: ContextFlags): MachineContext {
  const warnings: MachineContext['warnings'] = [];
  let row: { entry: LedgerEntry; by: 'hardwareSerial' | 'machineId' | 'hostname' } | undefined;
  if (ledger) {
    const host = str(identity, 'hostname');
    const mid = str(identity, 'machineId');
    const hw = str(identity, 'hardware.serial');
    row = machineRow(ledger, { ...(host ? { hostname: host } : {}), ...(mid ? { machineId: mid } : {}), ...(hw ? { hardwareSerial: hw } : {}) });
    if (!row) {
      warnings.push({
        kind: 'not-in-ledger',
        zh: `台账 ${ledger.file} 中没有本机（按硬件序列号、机器标识、主机名均未找到）：请登记本机；本次按${flags.profile ? '参数 --profile' : '默认的涉密'}判定`,
        en: `the ledger ${ledger.file} has no row for this computer (no hardware serial, machine id or host name matched): register it; judged by ${flags.profile ? '--profile' : 'the default (classified)'}`,
      });
    }
  }

  if (row) {
    const e = row.entry;
    const at = formatLocation(e.at);
    const ctx: MachineContext = {
      class: e.class,
      levelRank: 0,
      source: 'ledger',
      reason: {
        zh: `台账 ${at}（编号 ${e.id}）按${BY_ZH[row.by]}与本机对应，登记为${label(e.class, e.level).zh}`,
        en: `ledger row ${at} (id ${e.id}) matches this computer by ${BY_EN[row.by]} and registers it as ${label(e.class, e.level).en}`,
      },
      ledgerRow: { id: e.id, at, matchedBy: row.by },
      warnings,
      ...(e.usbStorageAllowed !== undefined ? { usbStorageAllowed: e.usbStorageAllowed } : {}),
    };
    if (flags.profile !== undefined && flags.profile !== e.class) {
      warnings.push({
        kind: 'profile-conflict',
        zh: `参数 --profile 为${PROFILE_ZH[flags.profile]}，但台账 ${at} 登记本机为${PROFILE_ZH[e.class]}：以台账为准判定；如台账有误，请先更正台账`,
        en: `--profile says ${flags.profile} but the ledger row ${at} registers this computer as ${e.class}: judged by the ledger; if the ledger is wrong, correct it first`,
      });
    }
    if (e.class === 'classified') {
      if (e.level) {
        ctx.level = e.level;
        ctx.levelSource = 'ledger';
        if (flags.level !== undefined && flags.level !== e.level) {
          warnings.push({
            kind: 'level-conflict',
            zh: `参数 --level 为${flags.level}，但台账 ${at} 登记本机为${e.level}：以台账为准判定`,
            en: `--level says ${flags.level} but the ledger row ${at} registers this computer as ${e.level}: judged by the ledger`,
          });
        }
      } else if (flags.level) {
        ctx.level = flags.level;
        ctx.levelSource = 'flag';
      } else {
        ctx.level = '秘密';
        ctx.levelSource = 'assumed';
      }
    }
    ctx.levelRank = levelRank(ctx.level);
    return addAssumption(ctx);
  }

  const cls: Profile = flags.profile ?? 'classified';
  const ctx: MachineContext = {
    class: cls,
    levelRank: 0,
    source: flags.profile !== undefined ? 'flag' : 'default',
    reason: flags.profile !== undefined
      ? { zh: `按参数 --profile 判定为${PROFILE_ZH[cls]}`, en: `judged as ${cls}, as --profile says` }
      : { zh: '未指定本机类别（无台账对应行，无 --profile）：按最严格的涉密计算机判定', en: 'no class given (no ledger row, no --profile): judged as classified, the strictest' },
    warnings,
  };
  if (cls === 'classified') {
    ctx.level = flags.level ?? '秘密';
    ctx.levelSource = flags.level ? 'flag' : 'assumed';
  } else if (flags.level !== undefined) {
    warnings.push({
      kind: 'level-ignored',
      zh: `参数 --level ${flags.level} 只适用于涉密计算机，本机判定为${PROFILE_ZH[cls]}，已忽略`,
      en: `--level ${flags.level} applies to classified computers only; this one is judged as ${cls}, so it is ignored`,
    });
  }
  ctx.levelRank = levelRank(ctx.level);
  return addAssumption(ctx);
}

function addAssumption(ctx: MachineContext): MachineContext {
  if (ctx.levelSource === 'assumed') {
    ctx.warnings.push({
      kind: 'level-assumed',
      zh: '本机密级未知（台账未登记密级，未给出 --level）：按秘密级判定，机密级和绝密级文件均列为问题',
      en: "this computer's secrecy level is unknown (no level in the ledger, no --level): taken as 秘密, so 机密 and 绝密 documents are findings",
    });
  }
  return ctx;
}

/** What rules may read with `{ context: … }`: the machine context under `machine`. */
export function contextValues(ctx: MachineContext): Record<string, unknown> {
  return {
    machine: {
      class: ctx.class,
      ...(ctx.level ? { level: ctx.level } : {}),
      levelRank: ctx.levelRank,
      ...(ctx.usbStorageAllowed !== undefined ? { usbStorageAllowed: ctx.usbStorageAllowed } : {}),
      source: ctx.source,
    },
  };
}

/** The shape of what `{ context: … }` may name (rules are checked against it when they load). */
export const CONTEXT_SHAPE: Shape = S.obj({
  machine: S.obj({
    class: S.enum(...PROFILES),
    level: S.enum(...SECRET_LEVELS),
    levelRank: S.num,
    usbStorageAllowed: S.bool,
    source: S.enum('ledger', 'flag', 'default'),
  }),
});
