import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { identityProbe } from '../../../src/checks/identity/identity.js';
import type { IdentityObservation } from '../../../src/checks/identity/types.js';
import type { ProbeOk } from '../../../src/engine/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { fixtureBytes, HIVES, makeWindowsRoot, SOFTWARE_SAMPLE } from '../../_helpers/windows-root.js';
import { join } from 'node:path';

const log = pino({ level: 'silent' });
async function identify(root: string) {
  const target = await FsTarget.open('offline', root);
  const res = (await identityProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;
  return { target, res, obs: res.observations[0] as IdentityObservation };
}

describe('Windows identity from hives (offline)', () => {
  it('SYSTEM (win10-SYSTEM_B) + SOFTWARE: names, hardware, OS, users, each with its source', async () => {
    const root = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE, files: { 'Users/zhangsan/NTUSER.DAT': 'x' } });
    const { target, obs, res } = await identify(root);
    expect(target.os.family).toBe('windows');
    expect(obs.hostname).toBe('DESKTOP-PM6C56D');
    expect(obs.sources['hostname']).toBe('/Windows/System32/config/SYSTEM: ControlSet001\\Control\\ComputerName\\ComputerName');
    expect(obs.hardware).toEqual({ uuid: '4c4c4544-0042-3210-804d-c4c04f4e3232', vendor: 'Dell Inc.', model: 'Latitude E6430' });
    expect(obs.machineId).toBe('8d7f2b1e-4c3a-4e5f-9a6b-0c1d2e3f4a5b');
    expect(obs.os).toEqual({ family: 'windows', name: 'Windows 10 Pro', version: '22H2', build: '19045.3803', id: 'Professional', installDate: '2023-11-14T22:13:20.000Z' });
    expect(obs['registeredOrganization']).toBe('某某局办公室');
    expect(obs['users']).toEqual([
      { sid: 'S-1-5-21-3623811015-3361044348-30300820-1001', profilePath: 'C:\\Users\\zhangsan', source: expect.stringContaining('ProfileList\\S-1-5-21-') },
      { sid: 'S-1-5-21-3623811015-3361044348-30300820-1002', profilePath: 'C:\\Users\\李四', source: expect.stringContaining('SOFTWARE: ') },
    ]);
    expect(obs['profileFolders']).toEqual(['/Users/zhangsan']);
    const adapters = obs['adapters'] as Array<{ name: string; componentId?: string }>;
    expect(adapters.map((a) => a.name)).toContain('Broadcom 802.11n Network Adapter');
    expect(adapters.find((a) => a.name.startsWith('Intel'))!.componentId).toBe('PCI\\VEN_8086&DEV_1502');
    expect(obs['lastShutdown']).toMatch(/^20\d\d-\d\d-\d\dT/);
    // SYSTEM_B is a dirty hive: said in the coverage, not silently used
    expect(res.coverage!.some((c) => c.kind === 'dirty-hive' && c.path === '/Windows/System32/config/SYSTEM')).toBe(true);
  });

  it('every SYSTEM hive of the corpus gives its ComputerName', async () => {
    const expected: Record<string, string> = {
      'win7-SYSTEM.xz': 'WKS-WIN732BITA',
      'win10-SYSTEM_B.xz': 'DESKTOP-PM6C56D',
      'win10-1709-SYSTEM.xz': 'DESKTOP-2KGM189',
      'vbox-SYSTEM_2.xz': 'SENSEI',
    };
    for (const [hive, name] of Object.entries(expected)) {
      const { obs, res } = await identify(await makeWindowsRoot({ system: hive }));
      expect(obs.hostname, hive).toBe(name);
      // no SOFTWARE: said, and the OS is still known to be Windows
      expect(obs.os).toEqual({ family: 'windows', name: 'Windows' });
      expect(res.coverage!.find((c) => c.path === '/Windows/System32/config/SOFTWARE')!.reason).toMatch(/not found: OS product, build/);
    }
  });

  it('a corrupt SYSTEM hive is a blocking gap and the probe says it could not identify the machine', async () => {
    const bytes = fixtureBytes(join(HIVES, 'vbox-SYSTEM_2.xz'));
    const broken = Buffer.from(bytes.subarray(0, 4096));
    broken.write('xxxx', 0);
    const root = await makeWindowsRoot({ system: broken });
    const target = await FsTarget.open('offline', root);
    await expect(identityProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})).rejects.toThrow(/neither a host name nor a machine id/);
  });

  it('case-insensitive paths on the Windows disk (WINDOWS/system32/CONFIG)', async () => {
    const root = await makeWindowsRoot({ files: { 'WINDOWS/system32/CONFIG/system': fixtureBytes(join(HIVES, 'win7-SYSTEM.xz')) } });
    const { obs } = await identify(root);
    expect(obs.hostname).toBe('WKS-WIN732BITA');
  });
});
