import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { networkHistoryProbe, typedUrls } from '../../../src/checks/network/history.js';
import type { ProbeOk } from '../../../src/engine/types.js';
import { Hive } from '../../../src/formats/regf.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { linuxRootWithHistory } from '../../_helpers/roots.js';
import { fixtureBytes, FIXTURES, HIVES, makeWindowsRoot, SOFTWARE_SAMPLE } from '../../_helpers/windows-root.js';

const log = pino({ level: 'silent' });
async function collect(root: string, evidence: 'minimal' | 'full' = 'minimal') {
  const target = await FsTarget.open('offline', root);
  return (await networkHistoryProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified', evidence } }, {})) as ProbeOk;
}

describe('typed URLs (NTUSER hives of the corpus)', () => {
  it.each([
    ['win7-NTUSER.DAT', ['http://199.73.28.114:53/', 'http://go.microsoft.com/fwlink/?LinkId=69157']],
    ['plaso-xp-NTUSER.DAT', ['http://firefox.com/', 'http://go.microsoft.com/fwlink/?LinkId=69157']],
  ])('%s', (file, expected) => {
    expect(typedUrls(Hive.open(fixtureBytes(join(HIVES, file))))).toEqual(expected);
  });
});

describe('network.history', () => {
  it('Linux root: a user\'s Chrome history counted (hosts, no full URLs by default)', async () => {
    const res = await collect(await linuxRootWithHistory());
    const b = res.observations.find((o) => o['kind'] === 'browser')!;
    expect(b).toMatchObject({ user: 'zhang', browser: 'Google Chrome', profile: 'Default', path: '/home/zhang/.config/google-chrome/Default/History', totalVisits: 69, internetVisits: 69, internetHosts: 14 });
    expect(b['urls']).toBeUndefined();
    const full = await collect(await linuxRootWithHistory(), 'full');
    expect((full.observations.find((o) => o['kind'] === 'browser')!['urls'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('Windows root: NetworkList profiles (all media) and IE typed URLs per user', async () => {
    const root = await makeWindowsRoot({
      system: 'vbox-SYSTEM_2.xz',
      software: SOFTWARE_SAMPLE,
      files: { 'Users/zhangsan/NTUSER.DAT': fixtureBytes(join(HIVES, 'win7-NTUSER.DAT')) },
    });
    const res = await collect(root);
    const profiles = res.observations.filter((o) => o['kind'] === 'network-profile');
    expect(profiles.map((p) => [p['name'], p['medium']]).sort()).toEqual([
      ['ChinaNet-5G', 'wireless'],
      ['中国移动', 'mobile'],
      ['网络 2', 'wired'],
    ]);
    const typed = res.observations.find((o) => o['kind'] === 'typed-urls')!;
    expect(typed).toMatchObject({ user: 'zhangsan', typed: 2, internetTyped: 2, hosts: ['199.73.28.114', 'go.microsoft.com'] });
    expect(typed['urls']).toBeUndefined();
  });

  it('an unreadable user hive offline is a blocking gap', async () => {
    const root = await makeWindowsRoot({ system: 'vbox-SYSTEM_2.xz', software: SOFTWARE_SAMPLE, files: { 'Users/x/NTUSER.DAT': Buffer.from('not a hive') } });
    const res = await collect(root);
    expect(res.coverage!.find((c) => c.path === '/Users/x/NTUSER.DAT')).toMatchObject({ kind: 'corrupt', blocking: true });
  });

  it('a clean Linux root: nothing', async () => {
    const res = await collect(join(FIXTURES, 'roots', 'debian12-ws'));
    expect(res.observations).toEqual([]);
  });
});
