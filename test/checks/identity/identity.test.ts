import { hostname } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { cleanValue, parseMountinfo } from '../../../src/checks/identity/hardware.js';
import { identityProbe } from '../../../src/checks/identity/identity.js';
import { macsFromNmKeyfile, macsFromUdevRules, parseHostname, parseOsRelease } from '../../../src/checks/identity/linux.js';
import type { IdentityObservation } from '../../../src/checks/identity/types.js';
import type { ProbeOk } from '../../../src/engine/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';

const ROOTS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'roots');
const log = pino({ level: 'silent' });
const ctx = (target: FsTarget) => ({ target, signal: new AbortController().signal, log, options: { profile: 'classified' as const } });

describe('parsers', () => {
  it('os-release: quoted and unquoted values, comments, escapes', () => {
    expect(parseOsRelease('# c\nNAME="Kylin Linux Advanced Server"\nVERSION_ID=V10\nPRETTY_NAME=\'a \\"b\\"\'\n\nBAD LINE\n')).toEqual({
      NAME: 'Kylin Linux Advanced Server',
      VERSION_ID: 'V10',
      PRETTY_NAME: 'a "b"',
    });
  });
  it('hostname: first meaningful line', () => {
    expect(parseHostname('# comment\n\n  ws-01  \nother\n')).toBe('ws-01');
    expect(parseHostname('\n# only\n')).toBeUndefined();
  });
  it('NetworkManager and udev MACs', () => {
    expect(macsFromNmKeyfile('[connection]\ninterface-name=wlp2s0\n[wifi]\nmac-address=AA:BB:CC:DD:EE:0F\ncloned-mac-address=random\n', '/x')).toEqual([
      { mac: 'aa:bb:cc:dd:ee:0f', iface: 'wlp2s0', source: '/x' },
    ]);
    expect(macsFromUdevRules('# SUBSYSTEM=="net", ATTR{address}=="00:11:22:33:44:55"\nSUBSYSTEM=="net", ATTR{address}=="00:11:22:33:44:66", NAME="eth0"\n', '/y')).toEqual([
      { mac: '00:11:22:33:44:66', iface: 'eth0', source: '/y' },
    ]);
  });
  it('DMI placeholder values are not identities', () => {
    for (const v of ['To be filled by O.E.M.', 'Default string', '', ' 0 ', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 'System Serial Number']) {
      expect(cleanValue(v), v).toBeUndefined();
    }
    expect(cleanValue(' PF2ABCDE \n')).toBe('PF2ABCDE');
  });
  it('mountinfo rows (recorded from a Debian 12 boot kit, with an escaped space)', () => {
    const text = [
      '22 27 0:21 / /proc rw,relatime - proc proc rw',
      '29 27 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
      '131 29 8:18 / /mnt/target\\040disk ro,noatime shared:77 - ntfs3 /dev/sdb2 ro,uid=0',
    ].join('\n');
    expect(parseMountinfo(text)).toEqual([
      { majorMinor: '0:21', mountPoint: '/proc', source: 'proc', fsType: 'proc' },
      { majorMinor: '254:1', mountPoint: '/', source: '/dev/vda1', fsType: 'ext4' },
      { majorMinor: '8:18', mountPoint: '/mnt/target disk', source: '/dev/sdb2', fsType: 'ntfs3' },
    ]);
  });
});

describe('identity probe, offline Linux root', () => {
  it('reads identity from the root, never from the host', async () => {
    const t = await FsTarget.open('offline', join(ROOTS, 'debian12-ws'));
    const res = (await identityProbe.collect(ctx(t), {})) as ProbeOk;
    expect(res.status).toBe('ok');
    const obs = res.observations[0] as IdentityObservation;
    expect(obs.hostname).toBe('sm-bgs-01');
    expect(obs.hostname).not.toBe(hostname());
    expect(obs.machineId).toBe('5f1c0e2a9b7d4c3e8a6f1b2d3c4e5f60');
    expect(obs.os).toMatchObject({ family: 'linux', id: 'debian', version: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(obs.sources).toMatchObject({ hostname: '/etc/hostname', machineId: '/etc/machine-id', os: '/etc/os-release' });
    expect(obs.macs.map((m) => m.mac)).toEqual(['00:e0:4c:68:01:99', '3c:52:82:1a:2b:3c']);
    expect(obs.hardware).toBeUndefined();
    // What an offline Linux disk cannot tell is said, not left blank.
    expect(res.coverage!.map((c) => c.reason).join('\n')).toMatch(/hardware serial and board UUID are not stored/);
  });
});

describe('identity probe, live (this machine)', () => {
  it('reports the running host name and what it could not read', async () => {
    const t = await FsTarget.open('live', '/');
    const res = (await identityProbe.collect(ctx(t), {})) as ProbeOk;
    const obs = res.observations[0] as IdentityObservation;
    expect(obs.hostname).toBe(hostname());
    expect(obs.sources['hostname']).toBe('/proc/sys/kernel/hostname');
    expect(obs.os?.family).toBe('linux');
    expect(obs.os?.kernel).toMatch(/^\d+\.\d+/);
    for (const m of obs.macs) expect(m.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    // Either DMI gave an identity or the gap is listed.
    const hw = obs.hardware ?? {};
    if (hw.serial === undefined && hw.uuid === undefined) {
      expect(res.coverage!.some((c) => c.path === '/sys/class/dmi/id')).toBe(true);
    }
  });
});
