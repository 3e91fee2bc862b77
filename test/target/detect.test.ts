// OS recognition from the target's own root (issue #11 §2g): symlinks resolved inside the root,
// other signs when the release file is missing or dangling, and nothing taken from the host.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsTarget } from '../../src/target/fs-target.js';

async function root(files: Record<string, string | { link: string } | { dir: true }>): Promise<string> {
  const r = await mkdtemp(join(tmpdir(), 'baomi-detect-'));
  for (const [p, v] of Object.entries(files)) {
    const host = join(r, p);
    await mkdir(dirname(host), { recursive: true });
    if (typeof v === 'string') await writeFile(host, v);
    else if ('link' in v) await symlink(v.link, host);
    else await mkdir(host, { recursive: true });
  }
  return r;
}

const cases: Array<[string, Record<string, string | { link: string } | { dir: true }>, string, string | null]> = [
  ['os-release as an absolute symlink, resolved in the root', { '/usr/lib/os-release': 'ID=debian\n', '/etc/os-release': { link: '/usr/lib/os-release' } }, 'linux', '/etc/os-release'],
  ['os-release as a relative symlink', { '/usr/lib/os-release': 'ID=kylin\n', '/etc/os-release': { link: '../usr/lib/os-release' } }, 'linux', '/etc/os-release'],
  // The host has /usr/lib/os-release: an absolute link must not reach it.
  ['a dangling os-release and nothing else is not the host’s', { '/etc/os-release': { link: '/usr/lib/os-release' } }, 'unknown', null],
  ['a dangling os-release, but /etc/debian_version', { '/etc/os-release': { link: '/usr/lib/os-release' }, '/etc/debian_version': '12.5\n' }, 'linux', '/etc/debian_version'],
  ['no release file: /etc/passwd and /var/log', { '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n', '/var/log/syslog': '' }, 'linux', '/etc/passwd + /var/log'],
  ['no release file: /etc/hostname and /var/log', { '/etc/hostname': 'pc\n', '/var/log': { dir: true } }, 'linux', '/etc/hostname + /var/log'],
  ['/etc/passwd alone is not a system', { '/etc/passwd': 'x' }, 'unknown', null],
  ['Windows with its registry folder', { '/Windows/System32/config/SYSTEM': 'x' }, 'windows', '/Windows/System32/config'],
  ['Windows, upper case (an XP disk mounted case-sensitively)', { '/WINDOWS/system32/config/system': 'x' }, 'windows', '/Windows/System32/config'],
  ['Windows without its registry folder: the kernel', { '/Windows/System32/ntoskrnl.exe': 'MZ' }, 'windows', '/Windows/System32/ntoskrnl.exe'],
  ['a data partition', { '/报告/总结.docx': 'x', '/photos/a.jpg': 'x' }, 'unknown', null],
  ['a folder named Windows holding documents is not Windows', { '/Windows/readme.txt': 'x' }, 'unknown', null],
];

describe('detectOs', () => {
  it('ran every case', () => expect(cases.length).toBe(12));
  it.each(cases)('%s', async (_name, files, family, from) => {
    const t = await FsTarget.open('offline', await root(files));
    expect(t.os).toEqual({ family, detectedFrom: from });
  });
});
