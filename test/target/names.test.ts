// Target paths whose names are not UTF-8 (GBK), given and listed as bytes: the confined resolver
// keeps its guarantees for them — `..` and symlinks (whose own targets may be GBK bytes) never
// lead out of the root, only regular files are opened — and what is shown carries no raw
// control character. Files are made with Buffer paths: the real bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsTarget, shownTargetPath } from '../../src/target/fs-target.js';
import { resolveInRoot, resolveInRootBytes, shownName } from '../../src/target/resolve.js';
import type { WalkEntry } from '../../src/target/types.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');
/** 机密文件.txt, 资料 and 链接 in GBK; \xb1\x5c is a GBK character whose second byte is a backslash. */
const SECRET = Buffer.concat([hex('bbfac3dccec4bcfe'), Buffer.from('.txt')]);
const FOLDER = hex('d7cac1cf');
const LINK = hex('c1b4bdd3');
const BACKSLASH_TRAIL = Buffer.concat([hex('b15c'), Buffer.from('.txt')]);
/** A path from parts, as bytes ('/' between them, not after a leading '/'). */
const p = (...parts: Array<string | Buffer>): Buffer =>
  Buffer.concat(parts.flatMap((x, i) => (i === 0 || (i === 1 && String(parts[0]) === '/') ? [Buffer.from(x)] : [Buffer.from('/'), Buffer.from(x)])));

let base: string;
let root: string;
let target: FsTarget;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'baomi-target-names-'));
  root = join(base, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'os-release'), 'ID=debian\n');
  writeFileSync(join(root, 'etc', 'passwd'), 'INSIDE\n');
  writeFileSync(join(base, 'passwd'), 'OUTSIDE\n');
  mkdirSync(p(root, FOLDER));
  writeFileSync(p(root, FOLDER, SECRET), '机密★5年\n');
  writeFileSync(p(root, FOLDER, BACKSLASH_TRAIL), 'backslash trail\n');
  writeFileSync(p(root, FOLDER, 'line\nbreak.txt'), 'x\n');
  // links with GBK names and GBK targets, and escape attempts through them
  symlinkSync(p('/', FOLDER, SECRET), p(root, LINK)); // absolute, to a GBK name: inside the root
  symlinkSync('../../../passwd', p(root, FOLDER, Buffer.concat([LINK, Buffer.from('-up')]))); // climbs past the root
  symlinkSync(base, p(root, FOLDER, Buffer.concat([LINK, Buffer.from('-host')]))); // a host path
  // 管道.fifo in GBK (argv strings are UTF-8: the bytes are made by printf)
  execFileSync('bash', ['-c', `cd "$1" && cd "$(printf '\\xd7\\xca\\xc1\\xcf')" && mkfifo "$(printf '\\xb9\\xdc\\xb5\\xc0').fifo"`, 'mk', root]);
  target = await FsTarget.open('offline', root);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('FsTarget: names as bytes', () => {
  it('readDir shows a GBK name decoded and gives its bytes; the bytes open it', async () => {
    const ents = await target.readDir(p('/', FOLDER));
    const secret = ents.find((e) => e.name === '机密文件.txt')!;
    expect(secret).toEqual({ name: '机密文件.txt', kind: 'file', nameBytes: SECRET });
    expect((await target.readText(p('/', FOLDER, secret.nameBytes!))).trim()).toBe('机密★5年');
    // a control character in a name: escaped, bytes given
    expect(ents.find((e) => e.name === 'line\\x0abreak.txt')?.nameBytes).toEqual(Buffer.from('line\nbreak.txt'));
    // the folder itself, from the root
    expect((await target.readDir('/')).find((e) => e.kind === 'dir' && e.nameBytes?.equals(FOLDER))?.name).toBe('资料');
  });

  it('a 0x5c inside a GBK name is part of the name, not a separator', async () => {
    expect((await target.readText(p('/', FOLDER, BACKSLASH_TRAIL))).trim()).toBe('backslash trail');
    expect(await resolveInRootBytes(root, p('/', FOLDER, BACKSLASH_TRAIL))).toEqual(p(root, FOLDER, BACKSLASH_TRAIL));
  });

  it('symlinks on a byte path stay inside the root; a link to a GBK name resolves to it', async () => {
    expect((await target.readText(p('/', LINK))).trim()).toBe('机密★5年');
    expect(await target.resolveBytes(p('/', LINK))).toEqual(p(root, FOLDER, SECRET));
    // ../../../passwd from /资料 lands at the root, where there is no passwd
    await expect(target.readText(p('/', FOLDER, Buffer.concat([LINK, Buffer.from('-up')])))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    // an absolute host path is re-rooted: base/… does not exist inside the root
    const host = await target.resolveBytes(p('/', FOLDER, Buffer.concat([LINK, Buffer.from('-host')]), 'passwd'));
    expect(host.toString('latin1').startsWith(root + '/')).toBe(true);
    await expect(target.readText(p('/', FOLDER, Buffer.concat([LINK, Buffer.from('-host')]), 'passwd'))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    // `..` in a byte path stops at the root
    expect((await target.readText(p('/', FOLDER, '..', '..', '..', 'etc', 'passwd'))).trim()).toBe('INSIDE');
  });

  it('the string resolver says when the host path has no string, instead of opening another file', async () => {
    await expect(target.resolve(`/${shownName(LINK).text}`)).resolves.toBe(join(root, '链接')); // not that link: its shown name is not its name
    await expect(resolveInRoot(root, '/x/../' + '\u94fe\u63a5')).resolves.toBe(join(root, '链接'));
    // the link itself, named by its bytes, goes to a name that is not UTF-8
    symlinkSync(p('/', FOLDER), join(root, 'to-folder'));
    await expect(resolveInRoot(root, '/to-folder')).rejects.toMatchObject({ code: 'E_IO' });
    expect(await resolveInRootBytes(root, '/to-folder')).toEqual(p(root, FOLDER));
  });

  it('only regular files open: a FIFO under a GBK name is refused at once, not waited on', async () => {
    const fifo = p('/', FOLDER, Buffer.concat([hex('b9dcb5c0'), Buffer.from('.fifo')]));
    await expect(target.open(fifo)).rejects.toMatchObject({ code: 'E_IO', message: expect.stringMatching(/管道\.fifo: a FIFO \(named pipe\), not read: not a regular file$/) });
  });

  it('walk yields GBK entries with their bytes, a Buffer host path that opens them, and nothing raw', async () => {
    const all: WalkEntry[] = [];
    for await (const e of target.walk('/')) all.push(e);
    const secret = all.find((e) => e.path === '/资料/机密文件.txt')!;
    expect(secret.kind).toBe('file');
    expect(secret.pathBytes).toEqual(p('/', FOLDER, SECRET));
    expect(Buffer.isBuffer(secret.hostPath)).toBe(true);
    expect(secret.size).toBe(Buffer.byteLength('机密★5年\n'));
    expect(all.find((e) => e.path === '/etc/passwd')).toMatchObject({ hostPath: join(root, 'etc', 'passwd') });
    expect(all.find((e) => e.path === '/etc/passwd')!.pathBytes).toBeUndefined();
    expect(all.map((e) => e.path)).toContain('/资料/line\\x0abreak.txt');
    expect(all.find((e) => e.path === '/链接')?.kind).toBe('symlink');
    // eslint-disable-next-line no-control-regex
    for (const e of all) expect(e.path + (e.error ?? '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('messages show a byte path decoded, never raw', () => {
    expect(shownTargetPath(p('/', FOLDER, SECRET))).toBe('/资料/机密文件.txt');
    expect(shownTargetPath(Buffer.from('/a\x1b[2J/b'))).toBe('/a\\x1b[2J/b');
  });
});
