import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, loadCatalogue } from '../../../src/checks/software/_catalogue.js';
import { softwareInstalledProbe } from '../../../src/checks/software/installed.js';
import { parseDpkgStatus } from '../../../src/checks/software/installed.linux.js';
import { installDate } from '../../../src/checks/software/installed.windows.js';
import type { InstalledProgram, ProtectionSummary } from '../../../src/checks/software/types.js';
import { conforms } from '../../../src/engine/shape.js';
import { requireTool, skipWithout } from '../../_helpers/oracles.js';
import { CHECKLIST, checklistLinuxRoot, checklistWindowsRoot, collect } from './_checklist-roots.js';

const programs = (obs: unknown[]) => obs.filter((o) => (o as { kind: string }).kind === 'program') as InstalledProgram[];
const protection = (obs: unknown[]) => obs.filter((o) => (o as { kind: string }).kind === 'protection') as ProtectionSummary[];
const flagged = (ps: InstalledProgram[]) => ps.filter((p) => p.categories.length > 0).map((p) => [p.name, p.categories.join('+')]);

describe('software.installed — Windows (generated hives, fixtures/checklist/windows)', () => {
  it('violations: SOFTWARE, WOW6432Node and the user hive; listed software marked; no antivirus', async () => {
    const res = await collect(softwareInstalledProbe, await checklistWindowsRoot('violations'));
    for (const o of res.observations) expect(conforms(o, softwareInstalledProbe.observes)).toEqual([]);
    const ps = programs(res.observations);
    // A key without DisplayName is not a program (Programs and Features does not list it).
    expect(ps).toHaveLength(10);
    expect(flagged(ps).sort()).toEqual([
      ['Microsoft OneDrive', 'cloud-sync'],
      ['TeamViewer', 'remote-control'],
      ['VMware Workstation', 'virtualization'],
      ['北信源内网安全管理系统', 'host-audit'],
      ['向日葵远程控制', 'remote-control'],
      ['微信', 'instant-messaging'],
      ['百度网盘', 'cloud-sync'],
    ].sort());
    const sun = ps.find((p) => p.name === '向日葵远程控制')!;
    expect(sun).toMatchObject({ version: '15.2.0.63064', publisher: '上海贝锐信息科技股份有限公司', installDate: '2024-01-05', scope: 'all-users', arch: '32-bit', system: 'windows-uninstall' });
    expect(sun.source).toBe('/Windows/System32/config/SOFTWARE: WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\SunloginClient');
    expect(sun.matched).toEqual([{ id: 'sunlogin', zh: '向日葵远程控制', en: 'Sunlogin Remote Control (Oray)' }]);
    expect(ps.find((p) => p.name === 'Microsoft OneDrive')).toMatchObject({ scope: 'one-user', user: 'zhangsan', id: 'zhangsan:OneDriveSetup.exe' });
    expect(ps.find((p) => p.name.startsWith('Microsoft Visual C++'))).toMatchObject({ hidden: true, categories: [] });
    // Look-alikes stay unmarked.
    for (const n of ['QQ音乐', 'WPS Office']) expect(ps.find((p) => p.name === n)?.categories).toEqual([]);
    expect(protection(res.observations).map((s) => [s.category, s.count, s.products])).toEqual([
      ['antivirus', 0, []],
      ['host-audit', 1, ['北信源内网安全管理系统 6.0']],
    ]);
  });

  it('clean: nothing listed is forbidden; antivirus and host audit present', async () => {
    const res = await collect(softwareInstalledProbe, await checklistWindowsRoot('clean'));
    const ps = programs(res.observations);
    expect(flagged(ps).sort()).toEqual([['中孚主机监控与审计系统', 'host-audit'], ['奇安信天擎', 'antivirus']]);
    // VirtualBox Guest Additions (a guest, not a host), Remote Desktop Connection Manager, QQ音乐.
    expect(ps.map((p) => p.name)).toContain('Oracle VirtualBox Guest Additions 7.0.14');
    expect(protection(res.observations).map((s) => [s.category, s.count])).toEqual([['antivirus', 1], ['host-audit', 1]]);
  });

  it("the unit's own protection products (params.accept) replace the defaults", async () => {
    const res = await collect(softwareInstalledProbe, await checklistWindowsRoot('clean'), { accept: { antivirus: ['火绒'] } });
    expect(protection(res.observations).map((s) => [s.category, s.acceptedFrom, s.count])).toEqual([['antivirus', 'params', 0], ['host-audit', 'defaults', 1]]);
  });

  it('a damaged user hive is a named gap; the machine programs are still listed', async () => {
    const res = await collect(softwareInstalledProbe, await checklistWindowsRoot('violations', { 'Users/lisi/NTUSER.DAT': Buffer.from('regf but not really') }));
    expect(res.coverage?.find((c) => c.path === '/Users/lisi/NTUSER.DAT')).toMatchObject({ kind: 'corrupt', blocking: true });
    expect(programs(res.observations).length).toBe(10);
  });

  it('no SOFTWARE hive: an error, never an empty list', async () => {
    const root = await checklistWindowsRoot('violations');
    await writeFile(join(root, 'Windows/System32/config/SOFTWARE'), 'garbage');
    await expect(collect(softwareInstalledProbe, root)).rejects.toThrow(/SOFTWARE hive/);
  });

  it('install dates: YYYYMMDD only', () => {
    expect(installDate('20240105')).toBe('2024-01-05');
    expect(installDate('2024/1/5')).toBeUndefined();
    expect(installDate('20241340')).toBeUndefined();
  });
});

describe('software.installed — Linux (fixtures/checklist/linux)', () => {
  it('violations: dpkg and a per-user flatpak; look-alike packages unmarked', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-sw-'));
    await cp(checklistLinuxRoot('violations'), root, { recursive: true, verbatimSymlinks: true });
    // git keeps no file times: set the date dpkg would have left on the package's file list.
    await utimes(join(root, 'var/lib/dpkg/info/teamviewer.list'), new Date('2024-03-12T10:00:00Z'), new Date('2024-03-12T10:00:00Z'));
    const res = await collect(softwareInstalledProbe, root);
    for (const o of res.observations) expect(conforms(o, softwareInstalledProbe.observes)).toEqual([]);
    const ps = programs(res.observations);
    expect(flagged(ps).sort()).toEqual([
      ['com.tencent.WeChat', 'instant-messaging'],
      ['linuxqq', 'instant-messaging'],
      ['nautilus-dropbox', 'cloud-sync'],
      ['teamviewer', 'remote-control'],
      ['virtualbox-7.0', 'virtualization'],
    ]);
    expect(ps.find((p) => p.name === 'teamviewer')).toMatchObject({ version: '15.48.4', publisher: 'TeamViewer GmbH <support@teamviewer.com>', installDate: '2024-03-12', dateIs: 'installed-or-upgraded', system: 'dpkg', arch: 'amd64', source: '/var/lib/dpkg/status' });
    expect(ps.find((p) => p.name === 'com.tencent.WeChat')).toMatchObject({ system: 'flatpak', scope: 'one-user', user: 'zhang', version: 'stable', arch: 'x86_64' });
    for (const n of ['libvncserver1', 'qqwing', 'openssh-server']) expect(ps.find((p) => p.name === n)?.categories).toEqual([]);
    expect(protection(res.observations).map((s) => [s.category, s.count])).toEqual([['antivirus', 0], ['host-audit', 0]]);
    expect(res.coverage ?? []).toEqual([]);
  });

  it('clean: a removed package (config files left) is not installed; snaps by newest revision', async () => {
    const res = await collect(softwareInstalledProbe, checklistLinuxRoot('clean'), { accept: { 'host-audit': ['zf-hostaudit'] } });
    const ps = programs(res.observations);
    expect(flagged(ps)).toEqual([['clamav', 'antivirus']]);
    expect(ps.map((p) => p.name)).not.toContain('teamviewer');
    expect(ps.filter((p) => p.system === 'snap').map((p) => [p.name, p.version])).toEqual([['core22', 'revision 1380'], ['firefox', 'revision 4173']]);
    expect(ps.find((p) => p.system === 'flatpak')).toMatchObject({ name: 'org.gnome.Calculator', scope: 'all-users' });
    expect(protection(res.observations).map((s) => [s.category, s.count])).toEqual([['antivirus', 1], ['host-audit', 1]]);
  });

  it('rpmdb.sqlite written by rpm 4.18 (fixtures/checklist/rpm): packages with version-release, vendor, install date, architecture', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-sw-'));
    await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
    await cp(join(CHECKLIST, 'rpm', 'rpmdb.sqlite'), join(root, 'var/lib/rpm/rpmdb.sqlite'));
    const res = await collect(softwareInstalledProbe, root);
    for (const o of res.observations) expect(conforms(o, softwareInstalledProbe.observes)).toEqual([]);
    const ps = programs(res.observations);
    expect(ps.map((p) => [p.name, p.version, p.publisher, p.arch, p.categories.join('+')])).toEqual([
      ['anydesk', '6.3.0-1', 'AnyDesk Software GmbH', 'noarch', 'remote-control'],
      ['clamav', '1.0.5-1.el9', 'Fedora Project', 'noarch', 'antivirus'],
      ['filesystem', '3.18-6.el9', 'Rocky Enterprise Software Foundation', 'noarch', ''],
      ['qqwing', '1.3.4-18.fc39', 'Fedora Project', 'noarch', ''],
    ]);
    expect(ps[0]).toMatchObject({ system: 'rpm', id: 'anydesk.noarch', source: '/var/lib/rpm/rpmdb.sqlite' });
    expect(ps[0]!.installDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(protection(res.observations).map((s) => [s.category, s.count])).toEqual([['antivirus', 1], ['host-audit', 0]]);
    expect(res.coverage ?? []).toEqual([]);
  });

  it.skipIf(skipWithout('rpm'))('one truth: the same packages as rpm -qa on the same database', async () => {
    requireTool('rpm');
    const dir = await mkdtemp(join(tmpdir(), 'baomi-rpmdb-'));
    await cp(join(CHECKLIST, 'rpm', 'rpmdb.sqlite'), join(dir, 'rpmdb.sqlite'));
    const qa = execFileSync('rpm', ['--dbpath', dir, '-qa', '--qf', '%{NAME}|%{VERSION}-%{RELEASE}|%{VENDOR}|%{ARCH}|%{INSTALLTIME:day}\\n'], { encoding: 'utf8' });
    const root = await mkdtemp(join(tmpdir(), 'baomi-sw-'));
    await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
    await cp(join(dir, 'rpmdb.sqlite'), join(root, 'var/lib/rpm/rpmdb.sqlite'));
    const ours = programs((await collect(softwareInstalledProbe, root)).observations).map((p) => `${p.name}|${p.version}|${p.publisher}|${p.arch}`).sort();
    expect(ours).toEqual(qa.trim().split('\n').map((l) => l.split('|').slice(0, 4).join('|')).sort());
  });

  it('a damaged rpm database is a blocking gap, and protection is not judged', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-sw-'));
    await cp(checklistLinuxRoot('clean'), root, { recursive: true, verbatimSymlinks: true });
    await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
    await writeFile(join(root, 'var/lib/rpm/rpmdb.sqlite'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4000, 0x41)]));
    const res = await collect(softwareInstalledProbe, root);
    expect(res.coverage?.find((c) => c.path === '/var/lib/rpm/rpmdb.sqlite')).toMatchObject({ kind: 'corrupt', blocking: true });
    expect(protection(res.observations)).toEqual([]);
    // dpkg's packages are still listed
    expect(programs(res.observations).some((p) => p.name === 'clamav' && p.system === 'dpkg')).toBe(true);
  });

  it('an rpm database in the old Berkeley DB format is named as not read', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-sw-'));
    await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
    await writeFile(join(root, 'var/lib/rpm/Packages'), Buffer.alloc(4096));
    const res = await collect(softwareInstalledProbe, root);
    expect(res.coverage?.find((c) => c.path === '/var/lib/rpm/Packages')).toMatchObject({ kind: 'unsupported', blocking: true });
    expect(protection(res.observations)).toEqual([]);
  });

  it('a dpkg status too large for its budget is a gap, the scan goes on', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-sw-'));
    await cp(checklistLinuxRoot('clean'), root, { recursive: true, verbatimSymlinks: true });
    const { truncate } = await import('node:fs/promises');
    await truncate(join(root, 'var/lib/dpkg/status'), 65 * 1024 * 1024);
    const res = await collect(softwareInstalledProbe, root);
    expect(res.coverage?.find((c) => c.path === '/var/lib/dpkg/status')).toMatchObject({ kind: 'too-large', blocking: true });
    expect(protection(res.observations)).toEqual([]);
    expect(programs(res.observations).map((p) => p.system).sort()).toEqual(['flatpak', 'snap', 'snap']);
  });

  it('dpkg status parsing: entry budget, continuation lines, non-installed states', () => {
    const text = 'Package: a\nStatus: install ok installed\nDescription: x\n Package: fake\n\nPackage: b\nStatus: deinstall ok config-files\n\nPackage: c\nStatus: hold ok installed\n';
    expect(parseDpkgStatus(text, 10).packages.map((p) => p['Package'])).toEqual(['a', 'c']);
    expect(parseDpkgStatus(text, 1)).toMatchObject({ truncated: true });
  });
});

describe('software list (rules/data/software.yaml)', () => {
  const cat = loadCatalogue();
  it('every entry has both names and says where they were confirmed, or what was searched without confirming them', () => {
    for (const e of cat.entries) {
      expect(e.names.zh, e.id).not.toBe('');
      expect(e.names.en, e.id).not.toBe('');
      expect(e.confirmed.length + e.unconfirmed.length, e.id).toBeGreaterThan(0);
      for (const c of e.confirmed) expect(c, e.id).toMatch(/^(winget-pkgs manifests\/|flathub\/|Debian 12: |[\w.-]+\/[\w.-]+ )/);
    }
    // what this list rests on: entries with at least one confirmed name, and entries with none
    expect([cat.entries.length, cat.entries.filter((e) => e.confirmed.length > 0).length]).toEqual([35, 25]);
  });
  it('a catalogue entry without confirmed or unconfirmed is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-cat-'));
    const cats = Object.fromEntries(['remote-control', 'cloud-sync', 'instant-messaging', 'virtualization', 'antivirus', 'host-audit'].map((c) => [c, { zh: c, en: c }]));
    await writeFile(join(dir, 'bad.yaml'), JSON.stringify({ categories: cats, software: [{ id: 'x', category: 'antivirus', names: { zh: 'x', en: 'x' }, display: ['^x$'] }] }));
    expect(() => loadCatalogue(join(dir, 'bad.yaml'))).toThrow(/confirmed/);
  });
  it.each([
    ['TeamViewer', 'remote-control'], ['TeamViewer 15', 'remote-control'], ['AnyDesk', 'remote-control'], ['ToDesk', 'remote-control'], ['RustDesk', 'remote-control'],
    ['UltraVNC', 'remote-control'], ['钉钉', 'instant-messaging'], ['企业微信', 'instant-messaging'], ['飞书', 'instant-messaging'], ['腾讯QQ', 'instant-messaging'],
    ['坚果云', 'cloud-sync'], ['阿里云盘', 'cloud-sync'], ['Dropbox', 'cloud-sync'], ['Oracle VM VirtualBox 7.0.14', 'virtualization'], ['火绒安全软件', 'antivirus'],
  ])('Windows name %s → %s', (name, category) => {
    expect(classify(cat, { name, system: 'windows-uninstall' }).map((e) => e.category)).toEqual([category]);
  });
  // names the manifests and package indexes read for rules/data/software.yaml show (see its `confirmed`)
  const confirmedNames: Array<[string, string]> = [
    ['RealVNC Server', 'remote-control'], ['TightVNC', 'remote-control'], ['腾讯QQ', 'instant-messaging'], ['QQ', 'instant-messaging'],
    ['微信', 'instant-messaging'], ['WeChat', 'instant-messaging'], ['Lark', 'instant-messaging'], ['Microsoft OneDrive', 'cloud-sync'],
    ['百度网盘', 'cloud-sync'], ['VMware Workstation', 'virtualization'], ['Oracle VirtualBox 7.2.20', 'virtualization'], ['QEMU', 'virtualization'],
    ['火绒安全软件', 'antivirus'], ['360 Total Security', 'antivirus'], ['Kaspersky', 'antivirus'], ['Kaspersky Total Security', 'antivirus'],
    ['Kaspersky Anti-Virus', 'antivirus'],
  ];
  it.each(confirmedNames)('Windows name %s (as a manifest gives it) → %s', (name, category) => {
    expect(classify(cat, { name, system: 'windows-uninstall' }).map((e) => e.category)).toEqual([category]);
  });
  // look-alikes: each variant of the list has one that must stay silent
  const lookAlikes = [
    'QQ音乐', 'QQ浏览器', 'WPS Office', 'VMware Tools', 'Oracle VirtualBox Guest Additions 7.0.14', 'TeamViewerX', 'Larkspur', 'Remote Desktop Connection Manager', 'Dropboxer',
    'RealVNC Viewer', 'Kaspersky VPN Secure Connection', 'Kaspersky Safe Kids', '微信开发者工具', 'QEMU guest agent', 'OneDrive Sync Helper', 'Lark Meetings',
  ];
  it.each(lookAlikes)('Windows name %s → nothing', (name) => expect(classify(cat, { name, system: 'windows-uninstall' })).toEqual([]));
  // the Uninstall subkey names the manifests give (ProductCode), whatever the DisplayName says
  const keyCases: Array<[string, string | undefined, string]> = [
    ['Ultravnc2_is1', undefined, 'remote-control'], ['AnyDesk', undefined, 'remote-control'], ['ToDesk', undefined, 'remote-control'], ['WeChat', undefined, 'instant-messaging'],
    ['Weixin', undefined, 'instant-messaging'], ['QQ', undefined, 'instant-messaging'], ['企业微信', undefined, 'instant-messaging'], ['zhangsan:Feishu', 'zhangsan', 'instant-messaging'],
    ['zhangsan:Lark', 'zhangsan', 'instant-messaging'], ['百度云管家', undefined, 'cloud-sync'], ['zhangsan:OneDriveSetup.exe', 'zhangsan', 'cloud-sync'],
    ['zhangsan:300f80e0-781e-56db-ae9d-9d0190486ca9', 'zhangsan', 'cloud-sync'], ['QEMU', undefined, 'virtualization'],
  ];
  it.each(keyCases)('Uninstall key %s → %s', (id, user, category) => {
    expect(classify(cat, { name: 'Some name', system: 'windows-uninstall', id, ...(user ? { user } : {}) }).map((e) => e.category)).toEqual([category]);
  });
  it.each(['QQMusic', 'WeChatDevTools', 'OneDriveSetup', 'Ultravnc2', 'Feishu2', 'qq:notes'])('Uninstall key %s → nothing', (id) => {
    expect(classify(cat, { name: 'Some name', system: 'windows-uninstall', id })).toEqual([]);
  });
  it('a per-user key is compared without the user name; a user named like a key does not match', () => {
    expect(classify(cat, { name: 'Some name', system: 'windows-uninstall', id: 'QQ:notes', user: 'QQ' })).toEqual([]);
  });
  it.each([
    ['xrdp', 'remote-control'], ['tigervnc-standalone-server', 'remote-control'], ['com.anydesk.Anydesk', 'remote-control'], ['com.rustdesk.RustDesk', 'remote-control'],
    ['com.baidu.NetDisk', 'cloud-sync'], ['baidunetdisk', 'cloud-sync'], ['onedrive', 'cloud-sync'], ['com.dropbox.Client', 'cloud-sync'],
    ['wechat-beta', 'instant-messaging'], ['com.tencent.WeChat', 'instant-messaging'], ['com.qq.QQ', 'instant-messaging'], ['com.dingtalk.DingTalk', 'instant-messaging'],
    ['com.alibabainc.dingtalk', 'instant-messaging'], ['cn.feishu.Feishu', 'instant-messaging'], ['gnome-boxes', 'virtualization'], ['org.gnome.Boxes', 'virtualization'],
    ['clamav', 'antivirus'], ['auditd', 'host-audit'],
  ])('package %s → %s', (name, category) => {
    expect(classify(cat, { name, system: 'dpkg' }).map((e) => e.category)).toEqual([category]);
  });
  it.each(['libvncserver1', 'qqwing', 'python3-dropbox', 'tigervnc-viewer', 'virtualbox-guest-utils', 'teamviewer-doc', 'remmina', 'freerdp2-x11', 'qemu-guest-agent', 'wechat-devtools', 'cn.feishu.Feishu.Locale', 'com.baidu.NetDisk.Devel'])('package %s → nothing', (name) => {
    expect(classify(cat, { name, system: 'dpkg' })).toEqual([]);
  });
});

describe('software.installed — live and offline give the same facts (Linux: the same package records)', () => {
  it.each(['violations', 'clean'] as const)('%s', async (m) => {
    const off = await collect(softwareInstalledProbe, checklistLinuxRoot(m), {}, 'offline');
    const live = await collect(softwareInstalledProbe, checklistLinuxRoot(m), {}, 'live');
    expect(live.observations).toEqual(off.observations);
  });
});

describe('rpm header blobs (hostile input)', () => {
  it('offsets and counts are checked against the blob', async () => {
    const { parseRpmHeader } = await import('../../../src/checks/software/_rpm-header.js');
    const hdr = (il: number, dl: number, entries: number[][], data: Buffer) => {
      const b = Buffer.alloc(8 + entries.length * 16);
      b.writeUInt32BE(il, 0);
      b.writeUInt32BE(dl, 4);
      entries.forEach((e, i) => e.forEach((v, j) => b.writeUInt32BE(v, 8 + i * 16 + j * 4)));
      return Buffer.concat([b, data]);
    };
    const ok = hdr(1, 4, [[1000, 6, 0, 1]], Buffer.from('abc\0'));
    expect(parseRpmHeader(ok)).toEqual({ name: 'abc' });
    expect(() => parseRpmHeader(Buffer.alloc(4))).toThrow(/shorter/);
    expect(() => parseRpmHeader(hdr(0x7fffffff, 0, [], Buffer.alloc(0)))).toThrow(/implausible/);
    expect(() => parseRpmHeader(hdr(1, 1_000_000, [[1000, 6, 0, 1]], Buffer.from('abc\0')))).toThrow(/claims/);
    expect(() => parseRpmHeader(hdr(1, 4, [[1000, 6, 9, 1]], Buffer.from('abc\0')))).toThrow(/outside/);
    expect(() => parseRpmHeader(hdr(1, 4, [[1000, 6, 0, 1]], Buffer.from('abcd')))).toThrow(/past the end/);
  });
});
