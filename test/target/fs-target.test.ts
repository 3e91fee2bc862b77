import { mkdir, mkdtemp, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FsTarget } from '../../src/target/fs-target.js';
import { normalizeTargetPath } from '../../src/target/resolve.js';
import { TargetError } from '../../src/target/types.js';

// A temp "disk": root/ with etc/os-release, and a secret file OUTSIDE the root that every escape
// attempt below tries to reach.
let base: string;
let root: string;
let target: FsTarget;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'baomi-target-'));
  root = join(base, 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'home', 'u'), { recursive: true });
  await writeFile(join(root, 'etc', 'os-release'), 'ID=debian\n');
  await writeFile(join(root, 'etc', 'passwd'), 'INSIDE\n');
  await writeFile(join(base, 'passwd'), 'OUTSIDE\n');
  await mkdir(join(base, 'etc'));
  await writeFile(join(base, 'etc', 'passwd'), 'OUTSIDE\n');
  // Escape attempts planted on the disk:
  await symlink('/etc/passwd', join(root, 'home', 'u', 'abs-link')); // absolute: must mean ROOT/etc/passwd
  await symlink('../../../passwd', join(root, 'home', 'u', 'rel-up')); // relative, climbing past the root
  await symlink('../../../../../../../../etc', join(root, 'home', 'u', 'deep-up'));
  await symlink('/', join(root, 'home', 'u', 'to-root'));
  await symlink('/..', join(root, 'home', 'u', 'root-parent'));
  await symlink(base, join(root, 'home', 'u', 'host-abs')); // absolute host path of the parent
  await symlink('loop-b', join(root, 'home', 'u', 'loop-a'));
  await symlink('loop-a', join(root, 'home', 'u', 'loop-b'));
  await symlink('missing/../../../../passwd', join(root, 'home', 'u', 'via-missing'));
  target = await FsTarget.open('offline', root);
});

describe('FsTarget: nothing escapes the root', () => {
  const inside = [
    '/etc/passwd',
    '/../etc/passwd',
    '/../../../../etc/passwd',
    'etc/../../etc/passwd',
    '/home/u/abs-link',
    '/home/u/rel-up/../etc/passwd',
    '/home/u/deep-up/passwd',
    '/home/u/to-root/etc/passwd',
    '/home/u/root-parent/etc/passwd',
    '/home/u/to-root/home/u/to-root/etc/passwd',
    '\\..\\etc\\passwd',
  ];
  it.each(inside)('%s reads the file inside the root', async (p) => {
    expect((await target.readText(p)).trim()).toBe('INSIDE');
  });

  it('a relative link climbing out lands at the root, where there is no passwd', async () => {
    await expect(target.readText('/home/u/rel-up')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(target.readText('/home/u/via-missing')).rejects.toBeInstanceOf(TargetError);
  });

  it('an absolute link to a host path is resolved inside the root', async () => {
    // base is e.g. /tmp/baomi-target-x: inside the root that path does not exist.
    await expect(target.readText('/home/u/host-abs/passwd')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const resolved = await target.resolve('/home/u/host-abs/passwd');
    expect(resolved.startsWith(root + '/')).toBe(true);
  });

  it('every resolved path stays under the root', async () => {
    for (const p of [...inside, '/home/u/rel-up', '/home/u/host-abs/etc/passwd', '/home/u/via-missing']) {
      const h = await target.resolve(p);
      expect(h === root || h.startsWith(root + '/'), `${p} -> ${h}`).toBe(true);
    }
  });

  it('symlink loops are an error, not a hang', async () => {
    await expect(target.readText('/home/u/loop-a')).rejects.toMatchObject({ code: 'E_LOOP' });
  });

  it('lstat sees the link itself; stat follows it inside the root', async () => {
    expect((await target.lstat('/home/u/abs-link')).kind).toBe('symlink');
    expect((await target.stat('/home/u/abs-link')).kind).toBe('file');
  });

  it('readDir lists entries with kinds, sorted; glob matches inside the root', async () => {
    const ents = await target.readDir('/home/u');
    expect(ents.map((e) => e.name)).toContain('abs-link');
    expect(ents.find((e) => e.name === 'abs-link')!.kind).toBe('symlink');
    expect(await target.glob('/etc/*-release')).toEqual(['/etc/os-release']);
    expect(await target.glob('/home/*/abs-*')).toEqual(['/home/u/abs-link']);
  });

  it('refuses files over the size limit and names the target path in errors', async () => {
    await expect(target.readFile('/etc/passwd', { maxBytes: 3 })).rejects.toMatchObject({ code: 'E_TOO_LARGE', path: '/etc/passwd' });
    const err = await target.readFile('/nope/x').catch((e: unknown) => e as TargetError);
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).message).toContain('/nope/x');
    expect((err as TargetError).message).not.toContain(root);
  });

  it('reads a directory as an error, and positional reads work', async () => {
    await expect(target.readFile('/etc')).rejects.toMatchObject({ code: 'E_IS_DIR' });
    const f = await target.open('/etc/passwd');
    expect((await f.read(2, 4)).toString()).toBe('SIDE');
    expect((await f.read(100, 4)).length).toBe(0);
    await f.close();
  });

  it('offline targets run no programs', async () => {
    await expect(target.exec('/bin/true', [])).rejects.toMatchObject({ code: 'E_NOT_LIVE' });
  });

  it('leaves access times untouched (O_NOATIME)', async () => {
    const p = join(root, 'etc', 'passwd');
    const old = new Date('2001-02-03T04:05:06Z');
    await utimes(p, old, new Date('2001-02-03T04:05:06Z'));
    // Control: a plain read on this file system would move atime (atime <= mtime under relatime).
    await target.readText('/etc/passwd');
    expect((await stat(p)).atime.toISOString()).toBe(old.toISOString());
    await readFile(p);
    const moved = (await stat(p)).atime.toISOString() !== old.toISOString();
    // Only meaningful where the host FS records atime at all (noatime mounts do not).
    if (!moved) console.warn('host mount does not update atime; O_NOATIME effect not observable here');
  });
});

describe('FsTarget: OS detection and Windows case-insensitivity', () => {
  it('detects Windows from Windows/System32/config in any case', async () => {
    const r = await mkdtemp(join(tmpdir(), 'baomi-win-'));
    await mkdir(join(r, 'WINDOWS', 'system32', 'config'), { recursive: true });
    await writeFile(join(r, 'WINDOWS', 'system32', 'config', 'SYSTEM'), 'x');
    const t = await FsTarget.open('offline', r);
    expect(t.os).toEqual({ family: 'windows', detectedFrom: '/Windows/System32/config' });
    expect(await t.readText('/Windows/System32/config/system')).toBe('x');
    expect(await t.glob('/windows/SYSTEM32/Config/*')).toEqual(['/windows/SYSTEM32/Config/SYSTEM']);
  });
  it('a Linux root is looked up case-sensitively', async () => {
    await expect(target.readText('/ETC/passwd')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(target.os).toEqual({ family: 'linux', detectedFrom: '/etc/os-release' });
  });
  it('an empty folder is of unknown OS; a missing root is E_ROOT', async () => {
    const r = await mkdtemp(join(tmpdir(), 'baomi-empty-'));
    expect((await FsTarget.open('offline', r)).os.family).toBe('unknown');
    await expect(FsTarget.open('offline', join(r, 'nope'))).rejects.toMatchObject({ code: 'E_ROOT' });
  });
});

describe('live pseudo-files', () => {
  it('reads /proc files, which report size 0, to their end', async () => {
    const live = await FsTarget.open('live', '/');
    expect(await live.readText('/proc/sys/kernel/hostname')).toBe(`${(await import('node:os')).hostname()}\n`);
    expect((await live.readText('/proc/self/mountinfo')).split('\n').length).toBeGreaterThan(2);
    await expect(live.readText('/proc/self/mountinfo', { maxBytes: 10 })).rejects.toMatchObject({ code: 'E_TOO_LARGE' });
  });
});

describe('live exec', () => {
  it('runs with a timeout and reports missing programs as errors', async () => {
    const live = await FsTarget.open('live', '/');
    const r = await live.exec('sh', ['-c', 'echo hi; exit 3']);
    expect(r).toMatchObject({ stdout: 'hi\n', exitCode: 3, timedOut: false });
    const slow = await live.exec('sleep', ['5'], { timeoutMs: 200 });
    expect(slow.timedOut).toBe(true);
    await expect(live.exec('/nonexistent/prog', [])).rejects.toMatchObject({ code: 'E_EXEC' });
  });
});

describe('normalizeTargetPath', () => {
  it.each([
    ['/a/b/../c', '/a/c'],
    ['../../x', '/x'],
    ['a\\b\\c', '/a/b/c'],
    ['/', '/'],
  ])('%s → %s', (i, o) => expect(normalizeTargetPath(i)).toBe(o));
});
