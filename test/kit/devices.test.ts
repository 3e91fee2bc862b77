// Block-device listing and the plan of `scan --root auto`, on recorded lsblk outputs
// (fixtures/kit/PROVENANCE.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillFsTypes, hibernated, mountCommand, parseBlkidExport, parseLsblk, planDevices } from '../../src/kit/devices.js';
import { disksHolding } from '../../src/kit/auto.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'kit');
const read = (n: string): string => readFileSync(join(FIX, n), 'utf8');

describe('parseLsblk + planDevices', () => {
  it('dual-boot laptop booted from the kit: Windows and Linux scanned, BitLocker and LUKS encrypted, the stick and live system skipped', () => {
    const devs = parseLsblk(read('lsblk-dualboot-kit.json'));
    const kitDisks = disksHolding('/media/user/BAOMI-KIT/baomi-kit', devs);
    expect([...kitDisks]).toEqual(['/dev/sdb']);
    const plan = Object.fromEntries(planDevices(devs, { kitDisks }).map((p) => [p.device.name, p.action]));
    expect(plan['/dev/sda3']).toEqual({ kind: 'scan', fstype: 'ntfs' });
    expect(plan['/dev/sda5']).toEqual({ kind: 'scan', fstype: 'ext4' });
    expect(plan['/dev/sda4']).toEqual({ kind: 'encrypted', scheme: 'BitLocker' });
    expect(plan['/dev/nvme0n1p1']).toEqual({ kind: 'encrypted', scheme: 'LUKS' });
    expect(plan['/dev/sda6']).toEqual({ kind: 'skip', why: 'swap' });
    expect(plan['/dev/sda1']).toEqual({ kind: 'skip', why: 'other-filesystem' });
    expect(plan['/dev/sda2']).toEqual({ kind: 'skip', why: 'no-filesystem' });
    expect(plan['/dev/sdb1']).toEqual({ kind: 'skip', why: 'kit' });
    expect(plan['/dev/sdb3']).toEqual({ kind: 'skip', why: 'kit' });
    expect(plan['/dev/loop0']).toEqual({ kind: 'skip', why: 'live' });
    expect(plan['/dev/sr0']).toEqual({ kind: 'skip', why: 'live' });
    expect(devs.find((d) => d.name === '/dev/sda3')?.disk).toBe('/dev/sda');
  });

  it('the live medium is skipped even when the kit is on another disk', () => {
    const devs = parseLsblk(read('lsblk-dualboot-kit.json'));
    const plan = Object.fromEntries(planDevices(devs, { kitDisks: new Set() }).map((p) => [p.device.name, p.action]));
    expect(plan['/dev/sdb3']).toEqual({ kind: 'skip', why: 'live' });
  });

  it('a recorded host: the disk mounted at / is the running system, never a candidate', () => {
    const devs = parseLsblk(read('lsblk-vm-host.json'));
    const plan = planDevices(devs, { kitDisks: new Set() });
    expect(plan.filter((p) => p.action.kind === 'scan')).toEqual([]);
    expect(plan.find((p) => p.device.mountpoints.includes('/'))?.action).toEqual({ kind: 'skip', why: 'live' });
  });

  it('BAOMI_AUTO_DEVICES-style selection leaves everything else out', () => {
    const devs = parseLsblk(read('lsblk-dualboot-kit.json'));
    const plan = planDevices(devs, { kitDisks: new Set(), only: new Set(['/dev/sda5']) });
    expect(plan.filter((p) => p.action.kind === 'scan').map((p) => p.device.name)).toEqual(['/dev/sda5']);
  });

  it('older lsblk (MOUNTPOINT, sizes as strings) and non-lsblk JSON', () => {
    const devs = parseLsblk(JSON.stringify({ blockdevices: [{ name: '/dev/sdc1', type: 'part', fstype: 'xfs', size: '1000', mountpoint: '/mnt/x', rm: '0' }] }));
    expect(devs[0]).toMatchObject({ size: 1000, mountpoints: ['/mnt/x'], removable: false });
    expect(planDevices(devs, { kitDisks: new Set() })[0]?.action).toEqual({ kind: 'skip', why: 'mounted' });
    expect(() => parseLsblk('{"x":1}')).toThrow(/lsblk/);
  });
});

describe('fillFsTypes (no udev data)', () => {
  it('asks blkid -p for devices lsblk shows without a type, and only those', async () => {
    const devs = parseLsblk(JSON.stringify({ blockdevices: [{ name: '/dev/loop3', type: 'loop', fstype: null }, { name: '/dev/loop4', type: 'loop', fstype: 'ext4' }] }));
    const asked: string[] = [];
    await fillFsTypes(devs, async (d) => {
      asked.push(d);
      return 'DEVNAME=/dev/loop3\nUUID=abc\nTYPE=BitLocker\n';
    });
    expect(asked).toEqual(['/dev/loop3']);
    expect(devs[0]).toMatchObject({ fstype: 'BitLocker', uuid: 'abc' });
    expect(planDevices(devs, { kitDisks: new Set() })[0]?.action).toEqual({ kind: 'encrypted', scheme: 'BitLocker' });
    expect(parseBlkidExport('TYPE=ntfs\nLABEL=a=b').get('LABEL')).toBe('a=b');
  });
});

describe('mount commands never replay a journal', () => {
  it('ext4 ro,noload; xfs norecovery; btrfs nologreplay; NTFS through ntfs-3g ro', () => {
    expect(mountCommand('ext4', '/dev/x', '/m')[1].join(' ')).toMatch(/-o ro,noload/);
    expect(mountCommand('xfs', '/dev/x', '/m')[1].join(' ')).toMatch(/-o ro,norecovery/);
    expect(mountCommand('btrfs', '/dev/x', '/m')[1].join(' ')).toMatch(/-o ro,nologreplay/);
    expect(mountCommand('ntfs', '/dev/x', '/m')).toEqual(['ntfs-3g', ['-o', 'ro', '/dev/x', '/m']]);
  });
  it('hiberfil.sys header: HIBR/hibr is hibernated (or Fast Startup), wake/zeros is not', () => {
    expect(hibernated(Buffer.from('HIBR'))).toBe(true);
    expect(hibernated(Buffer.from('hibr'))).toBe(true);
    expect(hibernated(Buffer.from('wake'))).toBe(false);
    expect(hibernated(Buffer.alloc(4))).toBe(false);
  });
});
