// USB storage against the ledger, end to end: `baomi scan --root <Windows disk> --ledger …`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWindowsRoot, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-usb-'));
});

interface Rep {
  findings: Array<{ ruleId: string; evidence: Record<string, unknown> }>;
  inventory: { usbDevices: Array<{ key: string; storage: boolean; firstSeen?: string; lastSeen?: string; ledger: { status: string } }> };
  coverage: Array<{ kind: string; reason: string; blocking?: boolean }>;
}

async function scan(args: string[]) {
  const out = await mkdtemp(join(work, 'out-'));
  const r = spawnSync(process.execPath, [BIN, 'scan', ...args, '--out', out, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  const files = (await readdir(out).catch(() => [])).filter((x) => x.endsWith('.json'));
  const rep = files[0] ? (JSON.parse(await readFile(join(out, files[0]), 'utf8')) as Rep) : undefined;
  return { code: r.status, rep, stderr: r.stderr };
}

const ledgerYaml = (serial: string, cls = '涉密') => `unit: 某某单位
computers:
  - id: PC-1
    hostname: DESKTOP-PM6C56D
    class: 涉密
    level: 机密
    usb: 允许
media:
  - id: U-1
    type: U盘
    vendor: SanDisk
    serial: "${serial}"
    vid: "0781"
    pid: "5580"
    class: ${cls}
    status: 在用
`;

describe('usb.history with a ledger (win10-SYSTEM_B: two SanDisk Extreme sticks and a phone)', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE });
  });

  it('without --ledger: every device listed, registration not judged (a blocking gap, not a pass)', async () => {
    const { rep } = await scan(['--root', root, '--only', 'usb-storage-unregistered']);
    const storage = rep!.inventory.usbDevices.filter((d) => d.storage);
    expect(storage.map((d) => d.key)).toEqual(['usb:0781:5580:AA010215170355310594', 'usb:0781:5580:AA010603160707470215']);
    for (const d of storage) expect(d.firstSeen && d.lastSeen).toBeTruthy();
    expect(rep!.findings).toEqual([]);
    expect(rep!.coverage.find((c) => c.kind === 'no-ledger')).toMatchObject({ blocking: true });
  });

  it('a ledger holding one stick flags the other; the serial is matched with its ids, whole', async () => {
    const ledger = join(work, 'one.yaml');
    await writeFile(ledger, ledgerYaml('aa0102 1517 0355 310594'));
    const { code, rep } = await scan(['--root', root, '--ledger', ledger, '--profile', 'classified']);
    expect(code).toBe(1);
    const unreg = rep!.findings.filter((f) => f.ruleId === 'usb-storage-unregistered').map((f) => f.evidence['key']);
    expect(unreg).toEqual(['usb:0781:5580:AA010603160707470215']);
    const reg = rep!.inventory.usbDevices.find((d) => d.key === 'usb:0781:5580:AA010215170355310594')!;
    expect(reg.ledger.status).toBe('registered');
    expect(rep!.findings.some((f) => f.ruleId === 'usb-phone-connected')).toBe(true);
    expect(rep!.findings.some((f) => f.ruleId === 'usb-storage-cross-class')).toBe(false);
  });

  it('a stick registered as non-classified on a classified machine is cross-class use (交叉使用)', async () => {
    const ledger = join(work, 'cross.yaml');
    await writeFile(ledger, ledgerYaml('AA010215170355310594', '非涉密'));
    const { rep } = await scan(['--root', root, '--ledger', ledger, '--only', 'usb-storage-cross-class']);
    expect(rep!.findings.map((f) => f.evidence['key'])).toEqual(['usb:0781:5580:AA010215170355310594']);
  });

  it("the machine's ledger row forbids USB storage: every stick is a finding", async () => {
    const ledger = join(work, 'forbid.yaml');
    await writeFile(ledger, ledgerYaml('AA010215170355310594').replace('usb: 允许', 'usb: 否'));
    const { rep } = await scan(['--root', root, '--ledger', ledger, '--only', 'usb-storage-forbidden']);
    expect(rep!.findings).toHaveLength(2);
  });

  it('a broken ledger: exit 2 with row numbers, nothing scanned', async () => {
    const ledger = join(work, 'broken.csv');
    await writeFile(ledger, '编号,类型,序列号,密级\nU-1,U盘,ABC123,涉密\nU-2,U盘,abc 123,绝密级别不明\n');
    const { code, rep, stderr } = await scan(['--root', root, '--ledger', ledger]);
    expect(code).toBe(2);
    expect(rep).toBeUndefined();
    expect(stderr).toMatch(/broken\.csv:3/);
  });
});
