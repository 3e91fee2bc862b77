// The wireless / internet-trace rules end to end: `baomi scan --profile … --root …` on real hives
// and on a Linux root with saved Wi-Fi and a browser history.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { linuxRootWithHistory } from '../_helpers/roots.js';
import { makeWindowsRoot, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-scan-'));
});

async function scan(root: string, profile: string) {
  const out = await mkdtemp(join(work, 'out-'));
  const r = spawnSync(process.execPath, [BIN, 'scan', '--profile', profile, '--root', root, '--out', out, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  const [f] = (await readdir(out)).filter((x) => x.endsWith('.json'));
  const rep = JSON.parse(await readFile(join(out, f!), 'utf8')) as { findings: Array<{ ruleId: string; severity: string; evidence: Record<string, unknown> }>; summary: { complete: boolean } };
  return { code: r.status, rep, stderr: r.stderr };
}

describe('wireless and internet rules', () => {
  it('classified Windows root (win10-SYSTEM_B): Wi-Fi and Bluetooth adapters with evidence, high', async () => {
    const root = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE });
    const { code, rep } = await scan(root, 'classified');
    expect(code).toBe(1);
    const adapters = rep.findings.filter((f) => f.ruleId === 'wireless-adapter-present');
    expect(adapters.map((f) => [f.severity, f.evidence['kind'], f.evidence['name']]).sort()).toEqual([
      ['high', 'bluetooth', 'Dell Wireless 380 Bluetooth 4.0 Module'],
      ['high', 'wifi', 'Broadcom 802.11n Network Adapter'],
      ['high', 'wifi', 'Microsoft Wi-Fi Direct Virtual Adapter'],
    ]);
    expect(adapters[0]!.evidence['source']).toMatch(/^\/Windows\/System32\/config\/SYSTEM: ControlSet001\\Enum\\/);
    // the SOFTWARE sample's mobile-broadband profile is an internet trace; its Wi-Fi profile a wireless one
    expect(rep.findings.filter((f) => f.ruleId === 'internet-history').map((f) => f.evidence['name'])).toEqual(['中国移动']);
    expect(rep.findings.filter((f) => f.ruleId === 'wireless-history').map((f) => f.evidence['name'])).toEqual(['ChinaNet-5G']);
  });

  it('the vbox hive gives no wireless adapter', async () => {
    const root = await makeWindowsRoot({ system: 'vbox-SYSTEM_2.xz', software: SOFTWARE_SAMPLE });
    const { rep } = await scan(root, 'classified');
    expect(rep.findings.filter((f) => f.ruleId === 'wireless-adapter-present')).toEqual([]);
  });

  it('Linux root with a saved Wi-Fi connection and a browser history: wireless-history and internet-history', async () => {
    const { code, rep } = await scan(await linuxRootWithHistory(), 'intranet');
    expect(code).toBe(1);
    const ids = new Set(rep.findings.map((f) => f.ruleId));
    expect(ids.has('wireless-history')).toBe(true);
    expect(ids.has('internet-history')).toBe(true);
    const ih = rep.findings.find((f) => f.ruleId === 'internet-history')!;
    expect(ih).toMatchObject({ severity: 'high', evidence: { user: 'zhang', internetVisits: 69, path: '/home/zhang/.config/google-chrome/Default/History' } });
  });

  it('on a non-classified machine the same facts are inventory (info)', async () => {
    const { rep } = await scan(await linuxRootWithHistory(), 'nonclassified');
    expect(new Set(rep.findings.map((f) => f.severity))).toEqual(new Set(['info']));
  });
});
