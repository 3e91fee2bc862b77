// Two hand-built periods of generated signed reports (see _synth.ts), with every case the annual
// report must handle: classes, units, departments, a repeat scan, a tampered, an unsigned, a
// foreign-key and a non-report file, a scan of another year, an incomplete scan, USB cross use.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeKit, synthReport, writeSigned, type Kit, type MachineSpec } from './_synth.js';

export interface Periods {
  kit: Kit;
  other: Kit;
  cur: string;
  prev: string;
  ledger: string;
}

export const CURRENT: MachineSpec[] = [
  { host: 'a1', unit: '甲局', department: '办公室', profile: 'classified', startedAt: '2026-03-01T08:00:00.000Z', findings: ['wireless-adapter-present:bt', 'usb-storage-unregistered:U1'], usb: [{ serial: 'S1', status: 'registered' }] },
  { host: 'a2', unit: '甲局', department: '办公室', profile: 'intranet', startedAt: '2026-03-02T08:00:00.000Z', usb: [{ serial: 's-1', status: 'registered' }] },
  { host: 'a3', unit: '甲局', department: '财务科', profile: 'nonclassified', startedAt: '2026-03-03T08:00:00.000Z', findings: ['internet-history:baidu'], usb: [{ serial: 'S1' }, { serial: 'S2' }] },
  { host: 'b1', unit: '乙局', profile: 'classified', startedAt: '2026-04-01T08:00:00.000Z', failed: ['usb.history'] },
];

export const PREVIOUS: MachineSpec[] = [
  { host: 'a1', unit: '甲局', department: '办公室', profile: 'classified', startedAt: '2025-03-01T08:00:00.000Z', findings: ['wireless-adapter-present:bt', 'usb-storage-unregistered:U0'] },
  { host: 'a3', unit: '甲局', department: '财务科', profile: 'nonclassified', startedAt: '2025-03-03T08:00:00.000Z', findings: ['internet-history:baidu'] },
  { host: 'b1', unit: '乙局', profile: 'classified', startedAt: '2025-04-01T08:00:00.000Z', findings: ['usb-storage-unregistered:U5'] },
  { host: 'gone1', unit: '乙局', department: '保密办', profile: 'intranet', startedAt: '2025-05-01T08:00:00.000Z', findings: ['wireless-adapter-present:w'] },
];

export async function makePeriods(work: string): Promise<Periods> {
  const kit = makeKit();
  const other = makeKit();
  const cur = join(work, 'cur');
  const prev = join(work, 'prev');
  for (const m of CURRENT) await writeSigned(join(cur, m.unit ?? 'x'), m.host, synthReport(m, kit), kit);
  // The same machine scanned twice: the earlier scan had a finding, the later none (the later stands).
  const b2 = { host: 'b2', unit: '乙局', department: '综合科', profile: 'nonclassified' as const };
  await writeSigned(join(cur, '乙局'), 'b2-early', synthReport({ ...b2, startedAt: '2026-05-01T08:00:00.000Z', findings: ['internet-history:x'] }, kit), kit);
  await writeSigned(join(cur, '乙局', 'again'), 'b2-late', synthReport({ ...b2, startedAt: '2026-06-01T08:00:00.000Z' }, kit), kit);
  // Tampered: signed, then a finding removed from the bytes.
  const t = await writeSigned(cur, 't1', synthReport({ host: 't1', unit: '甲局', profile: 'classified', startedAt: '2026-02-01T08:00:00.000Z', findings: ['wireless-adapter-present:w'] }, kit), kit);
  const { readFile } = await import('node:fs/promises');
  const doc = JSON.parse(await readFile(t, 'utf8'));
  doc.findings = [];
  doc.summary.findings = 0;
  await writeFile(t, JSON.stringify(doc, null, 2) + '\n');
  // Unsigned: the .sig removed.
  const u = await writeSigned(cur, 'u1', synthReport({ host: 'u1', profile: 'classified', startedAt: '2026-02-02T08:00:00.000Z' }, kit), kit);
  const { unlink } = await import('node:fs/promises');
  await unlink(`${u}.sig`);
  // Signed by a key not given.
  await writeSigned(cur, 'k1', synthReport({ host: 'k1', profile: 'classified', startedAt: '2026-02-03T08:00:00.000Z' }, other), other);
  // Not a report.
  await writeFile(join(cur, 'notes.json'), '{"hello": 1}\n');
  // Another year.
  await writeSigned(cur, 'y1', synthReport({ host: 'y1', profile: 'classified', startedAt: '2025-12-31T23:00:00.000Z' }, kit), kit);
  for (const m of PREVIOUS) await writeSigned(prev, m.host, synthReport(m, kit), kit);
  const ledger = join(work, 'ledger.yaml');
  await writeFile(ledger, `unit: 甲局
computers:
  - id: PC-A1
    hostname: a1
    class: 涉密
media:
  - id: U-S1
    type: U盘
    serial: S1
    class: 涉密
  - id: U-S9
    type: U盘
    serial: S9
    class: 涉密
    owner: 张三
  - id: U-OLD
    type: U盘
    serial: S8
    class: 涉密
    status: 报废
`);
  return { kit, other, cur, prev, ledger };
}
