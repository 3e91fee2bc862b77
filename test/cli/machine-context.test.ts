// One machine context judges every rule (issue #11 §1): the ledger row of the machine decides its
// class and level for documents, USB and severities alike, without --profile; the report says
// which source decided. End to end: `baomi scan --root <Windows disk> --ledger …`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWindowsRoot, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;

interface Rep {
  scan: { profile: string; profileAssumed: boolean; machineContext: { class: string; level?: string; source: string; levelSource?: string; ledgerRow?: { id: string }; warnings: Array<{ kind: string }> } };
  findings: Array<{ ruleId: string; severity: string; evidence: Record<string, unknown> }>;
  probes: Array<{ id: string; status: string; blocking?: boolean; message?: string }>;
  coverage: Array<{ kind: string; reason: string; blocking?: boolean }>;
}

async function scan(args: string[]): Promise<{ code: number | null; rep: Rep; stderr: string; stdout: string }> {
  const out = await mkdtemp(join(work, 'out-'));
  const r = spawnSync(process.execPath, [BIN, 'scan', ...args, '--out', out, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  const files = (await readdir(out)).filter((x) => x.endsWith('.json'));
  expect(files, r.stderr).toHaveLength(1);
  return { code: r.status, rep: JSON.parse(await readFile(join(out, files[0]!), 'utf8')) as Rep, stderr: r.stderr, stdout: r.stdout };
}

const ledger = (cls: string, level = '') => `unit: 某某单位
computers:
  - id: PC-1
    hostname: DESKTOP-PM6C56D
    class: ${cls}
${level ? `    level: ${level}\n` : ''}media: []
`;

let root: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-ctx-'));
  root = await makeWindowsRoot({
    system: 'win10-SYSTEM_B.xz',
    software: SOFTWARE_SAMPLE,
    files: {
      '/Users/zhang/Documents/通知-机密.txt': '机密★5年\n关于年度工作安排的通知\n',
      '/Users/zhang/Documents/通知-绝密.txt': '绝密★长期\n关于某项任务的通知\n',
    },
  });
});

const docs = (rep: Rep) => rep.findings.filter((f) => f.ruleId === 'document-classified-marking').map((f) => String(f.evidence['path']).split('/').pop()).sort();

describe('the ledger row decides the class, for every rule', () => {
  it('a row saying 非涉密, no --profile: documents, USB and severities are all judged as non-classified', async () => {
    const l = join(work, 'nonclassified.yaml');
    await writeFile(l, ledger('非涉密'));
    const { rep } = await scan(['--root', root, '--ledger', l]);
    expect(rep.scan.profile).toBe('nonclassified');
    expect(rep.scan.profileAssumed).toBe(false);
    expect(rep.scan.machineContext).toMatchObject({ class: 'nonclassified', source: 'ledger', ledgerRow: { id: 'PC-1' } });
    expect(rep.scan.machineContext.level).toBeUndefined();
    // Every state-secret document is a finding on a non-classified computer.
    expect(docs(rep)).toEqual(['通知-机密.txt', '通知-绝密.txt']);
    // Severities of the non-classified class: unregistered sticks medium, wireless traces info.
    const unreg = rep.findings.filter((f) => f.ruleId === 'usb-storage-unregistered');
    expect(unreg.length).toBeGreaterThan(0);
    expect(new Set(unreg.map((f) => f.severity))).toEqual(new Set(['medium']));
    // A phone on a non-classified computer is not a rule of that class.
    expect(rep.findings.some((f) => f.ruleId === 'usb-phone-connected')).toBe(false);
    // Nothing says "classified" or "level unknown" any more.
    expect(rep.coverage.filter((c) => /assum|profile-mismatch|level/.test(c.kind))).toEqual([]);
    expect(rep.scan.machineContext.warnings).toEqual([]);
  });

  it('a row saying 涉密 机密: a 机密 document is allowed, a 绝密 one is a finding; --profile against it is a warning', async () => {
    const l = join(work, 'classified.yaml');
    await writeFile(l, ledger('涉密', '机密'));
    const { rep } = await scan(['--root', root, '--ledger', l, '--profile', 'nonclassified']);
    expect(rep.scan.machineContext).toMatchObject({ class: 'classified', level: '机密', source: 'ledger', levelSource: 'ledger' });
    expect(rep.scan.machineContext.warnings.map((w) => w.kind)).toEqual(['profile-conflict']);
    expect(docs(rep)).toEqual(['通知-绝密.txt']);
    expect(rep.findings.some((f) => f.ruleId === 'usb-phone-connected' && f.severity === 'high')).toBe(true);
  });

  it('no class from anyone: the assumption is said on stderr, with the flag that changes it', async () => {
    const { rep, stderr } = await scan(['--root', root, '--only', 'machine-unidentifiable', '--lang', 'zh']);
    expect(rep.scan.machineContext.source).toBe('default');
    expect(stderr).toMatch(/按最严格的涉密计算机判定；如不是涉密计算机，请用 --profile/);
  });

  it('no ledger, --level 绝密: no document above the machine', async () => {
    const { rep } = await scan(['--root', root, '--profile', '涉密', '--level', '绝密', '--only', 'document-classified-marking']);
    expect(rep.scan.machineContext).toMatchObject({ class: 'classified', level: '绝密', source: 'flag', levelSource: 'flag' });
    expect(docs(rep)).toEqual([]);
  });

  it('live-only probes on an offline disk are not applicable and never make it incomplete', async () => {
    const { rep } = await scan(['--root', root, '--only', 'internet-connection-live,internet-reachable']);
    const live = rep.probes.filter((p) => p.id === 'network.connections' || p.id === 'network.reachability');
    expect(live.map((p) => [p.id, p.status, p.blocking ?? false]).sort()).toEqual([
      ['network.connections', 'not-applicable', false],
      ['network.reachability', 'not-applicable', false],
    ]);
  });
});

describe('a volume without an operating system (a data partition)', () => {
  it('documents are scanned; the other checks are not applicable, not gaps', async () => {
    const data = await mkdtemp(join(work, 'data-'));
    await writeFile(join(data, '会议纪要.txt'), '秘密★1年\n会议纪要\n');
    const { code, rep } = await scan(['--root', data, '--profile', 'nonclassified']);
    expect(docs(rep)).toEqual(['会议纪要.txt']);
    const others = rep.probes.filter((p) => p.id !== 'documents.markings');
    expect(others.length).toBeGreaterThan(3);
    for (const p of others) {
      expect(p.status).toBe('not-applicable');
      expect(p.blocking ?? false).toBe(false);
    }
    expect(others.find((p) => p.id === 'usb.history')!.message).toMatch(/no operating system on this volume/);
    expect(code).toBe(1);
  });
});
