// The ledger join the engine makes for USB probes, judged by the built-in rules against the machine
// context: the same facts give 交叉使用 on one machine and nothing on another.
import { describe, expect, it } from 'vitest';
import { PROBE_MAP } from '../../src/checks/index.js';
import type { UsbDeviceRecord } from '../../src/checks/usb/types.js';
import { contextValues, resolveMachineContext } from '../../src/engine/context.js';
import { joinUsbLedger } from '../../src/engine/enrich.js';
import { matches } from '../../src/engine/match.js';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/engine/rules.js';
import type { Observation } from '../../src/engine/types.js';
import { parseLedger } from '../../src/ledger/index.js';

const LEDGER = `unit: 某某单位
computers:
  - id: PC-1
    hostname: bm-pc-001
    class: 涉密
    level: 秘密
    usb: 允许
  - id: PC-2
    hostname: hlw-pc-002
    class: 非涉密
    usb: 禁止
media:
  - { id: U-1, type: U盘, serial: ABS-1, class: 涉密, level: 秘密, status: 在用 }
  - { id: U-2, type: U盘, serial: ABS-2, class: 涉密, level: 绝密, status: 在用 }
  - { id: U-3, type: U盘, serial: HLW-3, class: 非涉密, status: 在用 }
`;

const rules = (await loadRules([{ path: BUILTIN_RULES_DIR, builtin: true }], PROBE_MAP)).rules;
const ledger = (await parseLedger('t.yaml', Buffer.from(LEDGER))).ledger!;

function fired(host: string, serial: string): string[] {
  const dev: UsbDeviceRecord = { key: `usb:x:${serial}`, serial, serialUnique: true, storage: true, phone: false, sources: [] };
  const obs = [dev as unknown as Observation];
  const context = resolveMachineContext({ hostname: host }, ledger, {});
  expect(joinUsbLedger(obs, ledger, context)).toEqual([]);
  return rules
    .filter((r) => r.probe === 'usb.history' && r.profiles.includes(context.class))
    .filter((r) => matches(obs[0], r.match, contextValues(context)))
    .map((r) => r.id);
}

describe('ledger join + rules', () => {
  it('the join adds the row and its class and level, and no verdict', () => {
    const obs: Observation[] = [{ key: 'k', serial: 'ABS-2', serialUnique: true, storage: true, phone: false, sources: [] }];
    joinUsbLedger(obs, ledger, resolveMachineContext({ hostname: 'bm-pc-001' }, ledger, {}));
    expect(obs[0]!['ledger']).toMatchObject({ status: 'registered', class: 'classified', level: '绝密', levelRank: 3, machineRow: 't.yaml:3' });
    expect(Object.keys(obs[0]!['ledger'] as object)).not.toContain('crossClass');
  });
  it('a 秘密 stick on the 秘密 machine: nothing', () => expect(fired('bm-pc-001', 'ABS-1')).toEqual([]));
  it('a 绝密 stick on the 秘密 machine: cross use', () => expect(fired('bm-pc-001', 'ABS-2')).toEqual(['usb-storage-cross-class']));
  it('a non-classified stick on the classified machine: cross use', () => expect(fired('bm-pc-001', 'HLW-3')).toEqual(['usb-storage-cross-class']));
  it('the non-classified stick on the internet machine that forbids USB storage: forbidden only', () =>
    expect(fired('hlw-pc-002', 'HLW-3')).toEqual(['usb-storage-forbidden']));
  it('a classified stick on the internet machine: cross use and forbidden', () =>
    expect(fired('hlw-pc-002', 'ABS-1').sort()).toEqual(['usb-storage-cross-class', 'usb-storage-forbidden']));
  it('without a ledger: not judged, and a blocking gap when there is storage', () => {
    const obs: Observation[] = [{ key: 'k', serial: 'X', serialUnique: true, storage: true, phone: false, sources: [] }];
    const gaps = joinUsbLedger(obs, undefined, resolveMachineContext(undefined, undefined, {}));
    expect(obs[0]!['ledger']).toEqual({ status: 'not-judged' });
    expect(gaps).toMatchObject([{ kind: 'no-ledger', blocking: true }]);
  });
});
