import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPasswordAccounts } from '../../../src/checks/posture/posture.linux.js';
import { securityPostureProbe } from '../../../src/checks/posture/posture.js';
import type { PostureFact } from '../../../src/checks/posture/types.js';
import { conforms } from '../../../src/engine/shape.js';
import { checklistLinuxRoot, checklistWindowsRoot, collect } from '../software/_checklist-roots.js';

const byKind = (obs: unknown[], kind: string) => (obs as PostureFact[]).filter((o) => o.kind === kind).map(({ source: _s, ...rest }) => rest);

describe('security.posture — Windows (generated hives, fixtures/checklist/windows)', () => {
  it('violations: every setting read, with where', async () => {
    const res = await collect(securityPostureProbe, await checklistWindowsRoot('violations'));
    for (const o of res.observations) expect(conforms(o, securityPostureProbe.observes)).toEqual([]);
    const o = res.observations;
    expect(byKind(o, 'auto-logon')).toEqual([{ kind: 'auto-logon', enabled: true, user: 'zhangsan', passwordStored: true }]);
    expect(byKind(o, 'guest-account')).toEqual([{ kind: 'guest-account', user: 'Guest', enabled: true, accountFlags: 0x214 }]);
    expect(byKind(o, 'screen-lock')).toEqual([{ kind: 'screen-lock', user: 'zhangsan', screenSaverActive: false, screenSaverSecure: false, screenSaverTimeoutSec: 900, setBy: 'local' }]);
    expect(byKind(o, 'remote-desktop')).toEqual([{ kind: 'remote-desktop', enabled: true, setBy: 'local' }]);
    expect(byKind(o, 'share')).toEqual([{ kind: 'share', name: 'Projects', path: 'D:\\Projects', shareType: 'disk', hidden: false }]);
    expect(byKind(o, 'firewall').map((f) => [f['profile'], f['enabled'], f['setBy']])).toEqual([['domain', true, 'local'], ['private', true, 'local'], ['public', false, 'local']]);
    expect(byKind(o, 'autorun')).toEqual([{ kind: 'autorun', noDriveTypeAutoRun: 0x91, allDrivesOff: false, removableOff: false, setBy: 'policy' }]);
    expect(byKind(o, 'usb-storage-policy')).toEqual([{ kind: 'usb-storage-policy', blocked: false, start: 3 }]);
    // The stored password's text never reaches an observation; nor does anything of the SAM V value.
    const json = JSON.stringify(res);
    expect(json).not.toContain('Passw0rd');
    expect(json).not.toMatch(/aaaa|AAAA|170,170/);
    expect((o as PostureFact[]).find((f) => f.kind === 'guest-account')!.source).toBe('/Windows/System32/config/SAM: SAM\\Domains\\Account\\Users\\000001F5 (F)');
  });

  it('clean: policies win over local settings; screen locks after 300 s; USB storage disabled', async () => {
    const res = await collect(securityPostureProbe, await checklistWindowsRoot('clean'));
    const o = res.observations;
    expect(byKind(o, 'auto-logon')).toEqual([{ kind: 'auto-logon', enabled: false, user: 'lisi', passwordStored: false }]);
    expect(byKind(o, 'guest-account')[0]).toMatchObject({ enabled: false, accountFlags: 0x215 });
    expect(byKind(o, 'screen-lock')).toEqual([{ kind: 'screen-lock', user: 'zhangsan', screenSaverActive: true, screenSaverSecure: true, screenSaverTimeoutSec: 300, machineInactivitySec: 300, lockAfterSec: 300, setBy: 'local' }]);
    expect(byKind(o, 'remote-desktop')).toEqual([{ kind: 'remote-desktop', enabled: false, setBy: 'local' }]);
    expect(byKind(o, 'share')).toEqual([]);
    expect(byKind(o, 'firewall').map((f) => [f['profile'], f['enabled'], f['setBy']])).toEqual([['domain', true, 'policy'], ['private', true, 'policy'], ['public', true, 'policy']]);
    expect(byKind(o, 'autorun')[0]).toMatchObject({ allDrivesOff: true, removableOff: true });
    expect(byKind(o, 'usb-storage-policy')).toEqual([{ kind: 'usb-storage-policy', blocked: true, start: 4 }]);
  });

  it('no SAM hive: the guest account is a named gap, the rest is read', async () => {
    const root = await checklistWindowsRoot('clean');
    await writeFile(join(root, 'Windows/System32/config/SAM'), 'not a hive');
    const res = await collect(securityPostureProbe, root);
    expect(res.coverage?.find((c) => c.path === '/Windows/System32/config/SAM')).toMatchObject({ kind: 'corrupt', blocking: true });
    expect(byKind(res.observations, 'guest-account')).toEqual([]);
    expect(byKind(res.observations, 'remote-desktop')).toHaveLength(1);
  });
});

describe('security.posture — Linux (fixtures/checklist/linux)', () => {
  it('violations: an empty password (account only), SSH root and empty passwords, GDM autologin, no firewall', async () => {
    const res = await collect(securityPostureProbe, checklistLinuxRoot('violations'));
    for (const o of res.observations) expect(conforms(o, securityPostureProbe.observes)).toEqual([]);
    const o = res.observations;
    expect(byKind(o, 'empty-password')).toEqual([{ kind: 'empty-password', user: 'guest' }]);
    expect(JSON.stringify(res)).not.toContain('$y$');
    expect(byKind(o, 'ssh')).toEqual([{ kind: 'ssh', permitRootLogin: 'yes', permitEmptyPasswords: true, setBy: 'local' }]);
    expect(byKind(o, 'auto-logon')).toEqual([{ kind: 'auto-logon', enabled: true, user: 'zhang', passwordStored: false, manager: 'gdm', how: 'automatic' }]);
    expect(byKind(o, 'firewall')).toEqual([{ kind: 'firewall', profile: 'host-firewall', enabled: false, tools: [] }]);
    expect(byKind(o, 'usb-storage-policy')).toEqual([{ kind: 'usb-storage-policy', blocked: false }]);
    // A desktop is installed and its screen lock is not read: said, not assumed.
    expect(res.coverage?.find((c) => c.kind === 'not-collected')).toMatchObject({ path: '/etc/gdm3', blocking: true });
  });

  it('clean: the drop-in PermitRootLogin no wins (first value), a Match block is not global; ufw enabled; usb-storage blacklisted', async () => {
    const res = await collect(securityPostureProbe, checklistLinuxRoot('clean'));
    const o = res.observations;
    expect(byKind(o, 'empty-password')).toEqual([]);
    expect(byKind(o, 'ssh')).toEqual([{ kind: 'ssh', permitRootLogin: 'no', permitEmptyPasswords: false, setBy: 'local' }]);
    expect((o as PostureFact[]).find((f) => f.kind === 'ssh')!.source).toBe('/etc/ssh/sshd_config.d/10-unit.conf');
    expect(byKind(o, 'auto-logon')).toEqual([]);
    expect(byKind(o, 'firewall')).toEqual([{ kind: 'firewall', profile: 'host-firewall', enabled: true, tools: ['ufw'] }]);
    expect(byKind(o, 'usb-storage-policy')).toEqual([{ kind: 'usb-storage-policy', blocked: true }]);
  });

  it('an unreadable /etc/shadow (a folder in its place) is a blocking gap, not "no empty password"', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-posture-'));
    await cp(checklistLinuxRoot('clean'), root, { recursive: true, verbatimSymlinks: true });
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(join(root, 'etc/shadow'));
    await mkdir(join(root, 'etc/shadow'));
    const res = await collect(securityPostureProbe, root);
    expect(res.coverage?.find((c) => c.path === '/etc/shadow')).toMatchObject({ blocking: true });
  });

  it('shadow parsing: only the empty field counts (locked "!", "*", "!*" do not)', () => {
    expect(emptyPasswordAccounts('a::1:0:99999:7:::\nb:!:1::::::\nc:*:1::::::\nd:!*:1::::::\ne:$6$x$y:1::::::\nf:\n')).toEqual(['a', 'f']);
  });
});

describe('security.posture — live and offline give the same facts (Linux: the same files)', () => {
  it.each(['violations', 'clean'] as const)('%s', async (m) => {
    const off = await collect(securityPostureProbe, checklistLinuxRoot(m), {}, 'offline');
    const live = await collect(securityPostureProbe, checklistLinuxRoot(m), {}, 'live');
    expect(live.observations).toEqual(off.observations);
  });
});

describe('security.posture — the boot menu (several systems on one machine)', () => {
  it('GRUB: another system found by os-prober; kernels under "Advanced options" and UEFI settings are not systems', async () => {
    const bad = await collect(securityPostureProbe, checklistLinuxRoot('violations'));
    expect(byKind(bad.observations, 'boot-menu')).toEqual([{ kind: 'boot-menu', loader: 'grub', systems: ['Debian GNU/Linux', 'Windows Boot Manager (on /dev/nvme0n1p1)'], otherSystems: 1 }]);
    const ok = await collect(securityPostureProbe, checklistLinuxRoot('clean'));
    expect(byKind(ok.observations, 'boot-menu')).toEqual([{ kind: 'boot-menu', loader: 'grub', systems: ['Debian GNU/Linux'], otherSystems: 0 }]);
  });

  it('BCD: a second system chain-loaded from a boot sector entry; the memory diagnostic is not a system', async () => {
    const bad = await collect(securityPostureProbe, await checklistWindowsRoot('violations'));
    expect(byKind(bad.observations, 'boot-menu')).toEqual([{ kind: 'boot-menu', loader: 'bcd', systems: ['Windows 10', 'Ubuntu 22.04'], otherSystems: 1 }]);
    const ok = await collect(securityPostureProbe, await checklistWindowsRoot('clean'));
    expect(byKind(ok.observations, 'boot-menu')).toEqual([{ kind: 'boot-menu', loader: 'bcd', systems: ['Windows 10'], otherSystems: 0 }]);
  });

  it('a damaged BCD is a named gap', async () => {
    const root = await checklistWindowsRoot('clean', { 'Boot/BCD': Buffer.from('regf') });
    const res = await collect(securityPostureProbe, root);
    expect(res.coverage?.find((c) => c.path === '/Boot/BCD')).toMatchObject({ kind: 'corrupt', blocking: true });
  });
});
