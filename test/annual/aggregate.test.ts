// The annual aggregate on two hand-built periods of generated signed reports (test/annual/_period.ts):
// trust (tampered, unsigned, foreign-key, non-report and other-year files excluded with their
// reasons), the latest of a repeat scan kept, counts by class / unit / department / rule / severity,
// rectification by stable finding id, USB cross use, and registered media never seen.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAnnual } from '../../src/annual/aggregate.js';
import type { Annual } from '../../src/annual/types.js';
import { readLedger } from '../../src/ledger/index.js';
import { makePeriods, type Periods } from './_period.js';

let p: Periods;
let a: Annual;
beforeAll(async () => {
  p = await makePeriods(await mkdtemp(join(tmpdir(), 'baomi-annual-')));
  const l = await readLedger(p.ledger);
  expect(l.problems.filter((x) => x.severity === 'error')).toEqual([]);
  a = await buildAnnual({ dirs: [p.cur], previousDirs: [p.prev], keys: [p.kit.publicKey], keyFiles: ['kit.pub'], ledgers: [{ file: p.ledger, ledger: l.ledger! }], year: 2026, lang: 'zh', toolVersion: '0.1.0' });
});

const base = (f: string): string => f.split('/').pop()!;

describe('trust', () => {
  it('excludes every file that is not a verified report of the year, each with its reason', () => {
    expect(a.excluded.map((e) => [base(e.file), e.kind])).toEqual([
      ['k1.json', 'unknown-key'],
      ['notes.json', 'not-a-report'],
      ['t1.json', 'altered'],
      ['u1.json', 'unsigned'],
      ['y1.json', 'other-year'],
    ]);
    expect(a.excluded.find((e) => e.kind === 'unknown-key')!.detail).toBe(p.other.keyId);
    expect(a.reports).toEqual({ found: 11, verified: 7, counted: 6, excluded: 5 });
  });
  it('keeps the latest scan of a machine scanned twice and says so', () => {
    expect(a.duplicates).toHaveLength(1);
    expect(base(a.duplicates[0]!.kept.file)).toBe('b2-late.json');
    expect(base(a.duplicates[0]!.dropped.file)).toBe('b2-early.json');
    const b2 = a.appendix.find((m) => m.hostname === 'b2')!;
    expect(b2.findings).toEqual([]);
  });
  it('counts a tampered report nowhere (its machine is not in the appendix)', () => {
    expect(a.appendix.map((m) => m.hostname).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });
});

describe('counts', () => {
  it('by class, findings, severity, machines with and without findings, incomplete scans', () => {
    expect(a.machines.total).toBe(5);
    expect(a.machines.byProfile).toEqual({ classified: 2, intranet: 1, nonclassified: 2 });
    expect(a.findings.total).toBe(3);
    expect(a.findings.bySeverity).toEqual({ high: 2, medium: 1, low: 0, info: 0 });
    expect(a.findings.byProfile).toEqual({ classified: 2, intranet: 0, nonclassified: 1 });
    expect(a.machines.withFindings).toBe(2);
    expect(a.machines.withoutFindings).toBe(3);
    expect(a.machines.incomplete).toBe(1);
    expect(a.notChecked.probes).toEqual([{ key: 'usb.history', count: 1 }]);
    expect(a.notChecked.gapKinds).toEqual([{ key: 'unreadable', count: 1 }]);
  });
  it('by unit and department', () => {
    expect(a.machines.byUnit.map((u) => [u.unit, u.machines, u.findings, u.withFindings])).toEqual([['乙局', 2, 0, 0], ['甲局', 3, 3, 2]].sort((x, y) => String(x[0]).localeCompare(String(y[0]), 'zh')));
    const d = Object.fromEntries(a.machines.byDepartment.map((x) => [`${x.unit}/${x.department}`, [x.machines, x.findings]]));
    expect(d).toEqual({ '甲局/办公室': [2, 2], '甲局/财务科': [1, 1], '乙局/综合科': [1, 0], '乙局/null': [1, 0] });
  });
  it('by rule, with titles and machines', () => {
    expect(a.findings.byRule.map((r) => [r.ruleId, r.findings, r.machines, r.title.zh])).toEqual([
      ['usb-storage-unregistered', 1, 1, '使用未登记的USB存储设备'],
      ['wireless-adapter-present', 1, 1, '存在无线模块'],
      ['internet-history', 1, 1, '存在互联网使用痕迹'],
    ]);
  });
});

describe('rectification against the previous period', () => {
  it('fixed / still open / new by stable finding id; not re-checked kept apart; machines not scanned again', () => {
    const r = a.rectification!;
    expect([r.machinesCompared, r.fixed, r.open, r.new, r.notRechecked]).toEqual([3, 1, 2, 1, 1]);
    const a1 = r.byMachine.find((m) => m.hostname === 'a1')!;
    expect(a1.fixed.map((f) => f.item)).toEqual(['U0']);
    expect(a1.open.map((f) => f.item)).toEqual(['bt']);
    expect(a1.new.map((f) => f.item)).toEqual(['U1']);
    // b1's USB check failed this period: its old USB finding is not called fixed.
    const b1 = r.byMachine.find((m) => m.hostname === 'b1')!;
    expect(b1.notRechecked.map((f) => f.item)).toEqual(['U5']);
    expect(b1.fixed).toEqual([]);
    expect(r.missing.map((m) => [m.hostname, m.unit, m.findings])).toEqual([['gone1', '乙局', 1]]);
    expect(r.previous.findings).toBe(5);
  });
});

describe('correlation across machines', () => {
  it('one stick (serial compared in its normal form: S1 = s-1) on classified, intranet and non-classified machines', () => {
    const c = a.correlation;
    expect(c.crossClass.map((u) => [u.serialKey, u.profiles, u.machines.map((m) => m.hostname)])).toEqual([['S1', ['classified', 'intranet', 'nonclassified'], ['a1', 'a2', 'a3']]]);
    expect(c.manyMachines.map((u) => u.serialKey)).toEqual(['S1']);
  });
  it('registered media in use seen on no machine (a retired one is not asked for)', () => {
    expect(a.correlation.ledgerGiven).toBe(true);
    expect(a.correlation.neverSeen.map((n) => [n.id, n.serial, n.owner])).toEqual([['U-S9', 'S9', '张三']]);
  });
});

describe('without a year, a ledger or a previous period', () => {
  it('counts every year, says rectification and never-seen could not be judged', async () => {
    const b = await buildAnnual({ dirs: [p.cur], keys: [p.kit.publicKey, p.other.publicKey], keyFiles: [], lang: 'en', toolVersion: '0.1.0' });
    expect(b.reports.counted).toBe(8);
    expect(b.machines.total).toBe(7);
    expect(b.excluded.map((e) => e.kind).sort()).toEqual(['altered', 'not-a-report', 'unsigned']);
    expect(b.rectification).toBeUndefined();
    expect(b.correlation.ledgerGiven).toBe(false);
    expect(b.year).toBe(2026);
  });
});
