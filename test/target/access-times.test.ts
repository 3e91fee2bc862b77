// Reading an inspected disk must not change its access times (issue 12, item 2): files AND folders
// are opened with O_NOATIME wherever the kernel allows it (the owner, or root), folders through the
// native listing (Node's readdir cannot be asked). What could not get it is counted, and the target
// says so (FsTarget.accessTimeNotes) — checked here against the access times that really moved.
//
// Relatime only updates an access time older than a day (or than the last change): every access
// time is set to 2001 before a run, so that any read without O_NOATIME would move it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsTarget, mountKind } from '../../src/target/fs-target.js';
import { LIST_KIND, listDirJs, listDirSync, nativeFs } from '../../src/target/open-sync.js';
import { NATIVE_REQUIRED } from '../_helpers/oracles.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
const CHILD = join(import.meta.dirname, '_atime-child.mjs');
const OLD = new Date('2001-02-03T04:05:06Z');
const NOBODY = 65534;
const root0 = process.getuid?.() === 0;
const native = nativeFs() !== undefined;
const required = NATIVE_REQUIRED;

let work: string;
let root: string;
/** Every file and folder of the tree (the root included), listed once before any run. */
const files: string[] = [];
const folders: string[] = [];
const DOCS = ['a-marked.txt', 'b-plain.txt', 'c-notes.md'];

async function tree(at: string): Promise<void> {
  await mkdir(join(at, 'docs'), { recursive: true });
  await mkdir(join(at, 'etc'));
  await mkdir(join(at, 'deep', 'x', 'y', 'z'), { recursive: true });
  await mkdir(join(at, 'empty'));
  await writeFile(join(at, 'etc', 'os-release'), 'ID=debian\nNAME="Debian GNU/Linux"\n');
  await writeFile(join(at, 'etc', 'hostname'), 'atime-host\n');
  await writeFile(join(at, 'docs', DOCS[0]!), '秘密★1年\n关于试验的通知\n');
  await writeFile(join(at, 'docs', DOCS[1]!), 'nothing to see here\n'.repeat(100));
  await writeFile(join(at, 'docs', DOCS[2]!), '# notes\nplain\n');
  for (let i = 0; i < 5; i++) await writeFile(join(at, 'deep', 'x', 'y', 'z', `f${i}.txt`), `line ${i}\n`.repeat(20));
  await symlink('/etc/os-release', join(at, 'docs', 'link'));
}

async function collect(dir: string): Promise<void> {
  folders.push(dir);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) await collect(join(dir, e.name));
    else if (e.isFile()) files.push(join(dir, e.name));
  }
}

async function setOld(): Promise<void> {
  for (const p of [...files, ...folders]) await utimes(p, OLD, (await stat(p)).mtime);
}

async function moved(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) if ((await stat(p)).atime.getTime() !== OLD.getTime()) out.push(p);
  return out;
}

function child(how: 'target' | 'walk', opts: { nobody?: boolean; jsOnly?: boolean } = {}): { filesWithoutNoatime: number; foldersWithoutNoatime: number; mount?: string } {
  const r = spawnSync(process.execPath, [CHILD, root, how], {
    encoding: 'utf8',
    env: { ...process.env, ...(opts.jsOnly ? { BAOMI_NATIVE: '0' } : {}) },
    timeout: 60_000,
    ...(opts.nobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof child>;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-atime-'));
  root = join(work, 'root');
  await tree(root);
  await collect(root);
  await chmod(work, 0o755);
  execFileSync('chmod', ['-R', 'a+rX', work]);
  await mkdir(join(work, 'cfg'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('access times of an inspected disk', () => {
  it.runIf(native || required)('a full scan as the owner moves no access time, of a file or of a folder', async () => {
    await setOld();
    const out = join(work, 'out-owner');
    const r = spawnSync(process.execPath, [BIN, 'scan', '--profile', 'nonclassified', '--root', root, '--out', out, '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).not.toBeNull();
    // the scan did read the tree: the marked file was found
    expect(r.stdout).toContain('a-marked.txt');
    expect(await moved(files)).toEqual([]);
    expect(await moved(folders)).toEqual([]);
  });

  it.runIf(native || required)('as the owner, neither reader counts anything (document walk in worker threads, probes through the target)', async () => {
    await setOld();
    expect(child('walk')).toMatchObject({ filesWithoutNoatime: 0, foldersWithoutNoatime: 0 });
    expect(child('target')).toMatchObject({ filesWithoutNoatime: 0, foldersWithoutNoatime: 0 });
    expect([...(await moved(files)), ...(await moved(folders))]).toEqual([]);
  });

  it('without the native listing, every folder listed is counted — and those are the folder access times that moved', async () => {
    await setOld();
    const notes = child('walk', { jsOnly: true });
    expect(notes.filesWithoutNoatime).toBe(0);
    expect(notes.foldersWithoutNoatime).toBe(folders.length);
    expect(await moved(files)).toEqual([]);
    // where the host file system records access times at all (a noatime mount does not)
    if (notes.mount === 'atime') expect((await moved(folders)).length).toBe(folders.length);
  });

  it.runIf(root0)('not the owner and not root (nobody): every file read and folder listed is counted, as many as really moved', async () => {
    await setOld();
    const walk = child('walk', { nobody: true });
    expect(walk.filesWithoutNoatime).toBe(files.length);
    expect(walk.foldersWithoutNoatime).toBe(folders.length);
    if (walk.mount === 'atime') {
      expect((await moved(files)).length).toBe(files.length);
      expect((await moved(folders)).length).toBe(folders.length);
    }
    // probes: /docs listed, its three files read, then a walk of every folder (files only lstat'ed)
    await setOld();
    const probes = child('target', { nobody: true });
    expect(probes.filesWithoutNoatime).toBe(DOCS.length);
    expect(probes.foldersWithoutNoatime).toBe(1 + folders.length);
    if (probes.mount === 'atime') expect((await moved(files)).map((p) => p.slice(root.length)).sort()).toEqual(DOCS.map((d) => `/docs/${d}`));
  });

  it('the target says how its root is mounted (read-only and noatime keep every access time)', async () => {
    const info = (opts: string, superOpts = 'rw') => `36 35 98:0 / /mnt/disk ${opts} master:1 - ext4 /dev/sdb1 ${superOpts},errors=continue\n`;
    const base = `1 0 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n`;
    await mkdir(join(work, 'mnt'), { recursive: true });
    // a root that is not under /mnt/disk: the host's / decides
    expect(await mountKind(work, base + info('ro,noatime'))).toBe('atime');
    expect(await mountKind('/', base + info('ro'))).toBe('atime');
    expect(await mountKind('/', `1 0 8:1 / / ro,relatime - ext4 /dev/sda1 ro\n`)).toBe('read-only');
    expect(await mountKind('/', `1 0 8:1 / / rw,noatime - ext4 /dev/sda1 rw\n`)).toBe('noatime');
    const t = await FsTarget.open('offline', root);
    expect(await t.accessTimeNotes()).toMatchObject({ filesWithoutNoatime: 0, foldersWithoutNoatime: 0 });
  });
});

describe('the native listing and Node readdir agree', () => {
  it.runIf(native || required)('names (bytes when not UTF-8) and kinds, FIFOs, sockets and links included', async () => {
    const dir = join(work, 'kinds');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'plain.txt'), 'x');
    await writeFile(Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0xc3, 0xd8, 0xc3, 0xdc]), Buffer.from('.txt')]), 'gbk name');
    await writeFile(join(dir, '控制\u0007字符.txt'), 'x');
    await symlink('/nowhere', join(dir, 'link'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', join(dir, 'sock')]);
    const key = (l: { names: Array<string | Buffer>; kinds: Uint8Array }) =>
      l.names.map((n, i) => `${Buffer.from(n).toString('hex')}:${l.kinds[i]}`).sort();
    const a = listDirSync(dir);
    const b = listDirJs(dir);
    expect(key(a)).toEqual(key(b));
    expect(a.names.length).toBe(7);
    expect(a.names.filter((n) => typeof n !== 'string')).toHaveLength(1);
    const kindOf = (name: string) => a.kinds[a.names.indexOf(name)];
    expect([kindOf('pipe'), kindOf('sock'), kindOf('link'), kindOf('sub'), kindOf('plain.txt')]).toEqual([LIST_KIND.fifo, LIST_KIND.socket, LIST_KIND.symlink, LIST_KIND.dir, LIST_KIND.file]);
    // the same errors as Node's readdir, without the host path
    for (const bad of [join(dir, 'missing'), join(dir, 'plain.txt'), join(dir, 'link')]) {
      const err = (() => {
        try {
          listDirSync(bad);
        } catch (e) {
          return e as NodeJS.ErrnoException;
        }
        return undefined;
      })();
      expect(err?.code).toMatch(/^(ENOENT|ENOTDIR|ELOOP)$/);
      expect(err?.message).not.toContain(dir);
    }
  });
});
