// The machine context: resolved once, from the ledger row > --profile/--level > the default.
import { describe, expect, it } from 'vitest';
import { contextValues, resolveMachineContext } from '../../src/engine/context.js';
import { parseLedger } from '../../src/ledger/index.js';

const LEDGER = `unit: 某某单位
computers:
  - id: PC-1
    hostname: bm-pc-001
    serial: PF1ABCDE
    class: 涉密
    level: 机密
    usb: 禁止
  - id: PC-2
    hostname: hlw-pc-002
    class: 非涉密
  - id: PC-3
    hostname: sm-pc-003
    class: 涉密
media: []
`;

async function ledger() {
  const r = await parseLedger('ledger.yaml', Buffer.from(LEDGER));
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return r.ledger!;
}

describe('resolveMachineContext', () => {
  it('the ledger row decides, matched by hardware serial, and says why', async () => {
    const c = resolveMachineContext({ hardware: { serial: 'pf1abcde' } }, await ledger(), {});
    expect(c).toMatchObject({ class: 'classified', level: '机密', levelRank: 2, source: 'ledger', levelSource: 'ledger', usbStorageAllowed: false });
    expect(c.ledgerRow).toMatchObject({ id: 'PC-1', matchedBy: 'hardwareSerial', at: 'ledger.yaml:3' });
    expect(c.reason.zh).toMatch(/硬件序列号/);
    expect(c.warnings).toEqual([]);
  });

  it('a ledger row of 非涉密 overrides --profile classified, with a warning', async () => {
    const c = resolveMachineContext({ hostname: 'HLW-PC-002' }, await ledger(), { profile: 'classified' });
    expect(c).toMatchObject({ class: 'nonclassified', levelRank: 0, source: 'ledger' });
    expect(c.level).toBeUndefined();
    expect(c.warnings.map((w) => w.kind)).toEqual(['profile-conflict']);
  });

  it('a classified row without a level: --level, else 秘密 assumed and stated', async () => {
    const l = await ledger();
    expect(resolveMachineContext({ hostname: 'sm-pc-003' }, l, { level: '绝密' })).toMatchObject({ level: '绝密', levelSource: 'flag', levelRank: 3 });
    const c = resolveMachineContext({ hostname: 'sm-pc-003' }, l, {});
    expect(c).toMatchObject({ level: '秘密', levelSource: 'assumed', levelRank: 1 });
    expect(c.warnings.map((w) => w.kind)).toEqual(['level-assumed']);
  });

  it('--level against the ledger: the ledger wins, with a warning', async () => {
    const c = resolveMachineContext({ hostname: 'bm-pc-001' }, await ledger(), { level: '秘密' });
    expect(c).toMatchObject({ level: '机密', levelSource: 'ledger' });
    expect(c.warnings.map((w) => w.kind)).toEqual(['level-conflict']);
  });

  it('not in the ledger: --profile decides, and the missing row is a warning', async () => {
    const c = resolveMachineContext({ hostname: 'unknown-pc' }, await ledger(), { profile: 'intranet' });
    expect(c).toMatchObject({ class: 'intranet', source: 'flag', levelRank: 0 });
    expect(c.warnings.map((w) => w.kind)).toEqual(['not-in-ledger']);
  });

  it('nothing given: classified at 秘密, the strictest, stated', () => {
    const c = resolveMachineContext(undefined, undefined, {});
    expect(c).toMatchObject({ class: 'classified', level: '秘密', levelRank: 1, source: 'default', levelSource: 'assumed' });
    expect(contextValues(c)).toEqual({ machine: { class: 'classified', level: '秘密', levelRank: 1, source: 'default' } });
  });

  it('--level on a non-classified machine is ignored with a warning', () => {
    const c = resolveMachineContext(undefined, undefined, { profile: 'nonclassified', level: '机密' });
    expect(c.levelRank).toBe(0);
    expect(c.warnings.map((w) => w.kind)).toEqual(['level-ignored']);
  });
});
