// No hang, ever (issue 12, item 3): a FIFO, a Unix socket or a device node where a file is expected
// — a recycle-bin $I record, the SYSTEM hive, /etc/hostname, a log, a browser database, a document —
// is never read. Every reader checks the type without blocking (lstat before opening, O_NONBLOCK |
// O_NOFOLLOW, fstat after) and names what it refused: FsTarget.open/readFile/readText, the walk's
// JavaScript reader (even when a directory entry lies about the type), the native fast path, and
// the CLI end to end, which must exit with a report. Device nodes are tested where mknod works
// (root, a file system without nodev): a /dev/zero-like node as SOFTWARE would never end.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_STOP, nativeWalk } from '../../src/checks/documents/native.js';
import { byteNeedles, needleChars } from '../../src/checks/documents/prefilter.js';
import { FolderScanner, type WalkInit, type WalkMessage } from '../../src/checks/documents/worker.js';
import { loadMarkingGrammar } from '../../src/formats/markings.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { FIXTURES } from '../_helpers/windows-root.js';
import { NATIVE_REQUIRED } from '../_helpers/oracles.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;

type Special = 'fifo' | 'socket' | 'zero';

/** Make a special file; false when it cannot be made here (mknod needs root and a dev-allowing mount). */
function make(kind: Special, path: string): boolean {
  try {
    if (kind === 'fifo') execFileSync('mkfifo', [path]);
    else if (kind === 'socket') execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
    else execFileSync('mknod', [path, 'c', '1', '5'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

let devices = false;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-special-'));
  // can this host make a device node that opens (no nodev on the temp file system)?
  const probe = join(work, 'probe-zero');
  devices = make('zero', probe);
  if (devices) {
    try {
      execFileSync('head', ['-c', '1', probe], { timeout: 5000 });
    } catch {
      devices = false;
    }
    await rm(probe);
  }
  if (!devices) console.warn('device nodes cannot be made or opened here: only FIFOs and sockets are tested');
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function init(javascriptOnly: boolean): WalkInit {
  const grammar = loadMarkingGrammar();
  return { grammar, keywords: [], needles: byteNeedles(grammar.keywords), needleChars: needleChars(grammar.keywords), skip: [], maxFileBytes: 1 << 24, fileTimeoutMs: 10_000, progress: new SharedArrayBuffer(32), javascriptOnly };
}

describe('every reader refuses what is not a regular file, at once', () => {
  let root: string;
  const kinds: Special[] = [];

  beforeAll(async () => {
    root = join(work, 'unit');
    await mkdir(join(root, 'd'), { recursive: true });
    await writeFile(join(root, 'd', 'ok.txt'), '秘密★1年\n通知\n');
    for (const k of ['fifo', 'socket', 'zero'] as const) if (make(k, join(root, 'd', k))) kinds.push(k);
    // a link inside the root to the FIFO: followed inside, and still refused
    execFileSync('ln', ['-s', '/d/fifo', join(root, 'd', 'to-fifo')]);
  });

  it('FsTarget.open, readFile and readText: E_IO, naming what it is, without waiting', async () => {
    const t = await FsTarget.open('offline', root);
    const started = Date.now();
    for (const k of [...kinds, 'to-fifo']) {
      for (const read of [() => t.open(`/d/${k}`), () => t.readFile(`/d/${k}`), () => t.readText(`/d/${k}`)]) {
        await expect(read()).rejects.toMatchObject({ code: 'E_IO', message: expect.stringMatching(/not a regular file$/) });
      }
    }
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(t.readText('/d/ok.txt')).resolves.toContain('秘密');
  });

  it.each([true, false])('the walk (javascriptOnly=%s): listed specials are gaps; a directory entry that lies (named as a file) is fstat-ed and refused', async (javascriptOnly) => {
    const run = async (files?: string[]) => {
      const messages: WalkMessage[] = [];
      await new FolderScanner(init(javascriptOnly), (m) => messages.push(m)).folder({ id: 1, t: '/d', h: join(root, 'd'), ...(files ? { files } : {}) });
      return messages;
    };
    const gapsOf = (ms: WalkMessage[]) => ms.flatMap((m) => m.gaps).map((g) => [g.path, g.kind]).sort();
    const expected = kinds.filter((k) => k !== 'socket').map((k) => [`/d/${k}`, 'not-regular']);
    const listed = await run();
    expect(gapsOf(listed)).toEqual(kinds.map((k) => [`/d/${k}`, 'not-regular']).sort());
    expect(listed.flatMap((m) => m.records.map((r) => r.path))).toEqual(['/d/ok.txt']);
    // given by name, as after a listing whose entry types lie: opened non-blocking, fstat-ed, never read
    const named = await run([...kinds, 'ok.txt']);
    const gaps = gapsOf(named);
    for (const e of expected) expect(gaps).toContainEqual(e);
    // a socket does not even open (ENXIO)
    if (kinds.includes('socket')) expect(gaps).toContainEqual(['/d/socket', 'unreadable']);
    expect(named.flatMap((m) => m.records.map((r) => r.path))).toEqual(['/d/ok.txt']);
  });

  it.skipIf(!nativeWalk() && !NATIVE_REQUIRED)('the native fast path stops at a special file without reading it (JavaScript then names it)', () => {
    const native = nativeWalk();
    if (!native) throw new Error('the native addon is required here (BAOMI_NATIVE_REQUIRED=1)');
    const ini = init(false);
    const res = new Float64Array(6);
    for (const k of kinds) {
      native.fastRun(join(root, 'd'), [k, 'ok.txt'], 0, 2, ini.needles.map((n) => Buffer.from(n)), 3, new Float64Array(ini.progress), Buffer.alloc(256 * 1024 + 64), res);
      expect([res[0], res[2]]).toEqual([0, FAST_STOP.open]);
    }
  });
});

describe('a scan of a disk full of special files exits, with a report that names them', () => {
  /** Target path → kind, per root. */
  const windows: Record<string, Special> = {
    '$Recycle.Bin/S-1-5-21-1-2-3-1001/$IABC123.docx': 'fifo',
    'Windows/System32/config/SYSTEM': 'fifo',
    'Windows/System32/config/SOFTWARE': 'zero',
    'Users/zhang/NTUSER.DAT': 'fifo',
    'Windows/INF/setupapi.dev.log': 'fifo',
    'ProgramData/Microsoft/Wlansvc/Profiles/Interfaces/{11111111-2222-3333-4444-555555555555}/{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}.xml': 'fifo',
    'Users/zhang/AppData/Local/Google/Chrome/User Data/Default/History': 'fifo',
    'Users/zhang/Documents/secret.docx': 'fifo',
    'Users/zhang/Documents/report.docx': 'socket',
    'Users/zhang/Documents/big.txt': 'zero',
  };
  const linux: Record<string, Special> = {
    'etc/hostname': 'fifo',
    'etc/machine-id': 'zero',
    'var/log/syslog': 'fifo',
    'var/log/kern.log': 'zero',
    'etc/NetworkManager/system-connections/x.nmconnection': 'fifo',
    'home/zhang/.config/google-chrome/Default/History': 'fifo',
    'home/zhang/.config/google-chrome/Default/History-wal': 'fifo',
    'home/zhang/docs/secret.docx': 'fifo',
  };

  async function build(name: string, files: Record<string, Special>, base?: string): Promise<{ root: string; made: string[] }> {
    const root = join(work, name);
    if (base) await cp(base, root, { recursive: true, verbatimSymlinks: true });
    await mkdir(join(root, 'Windows', 'System32', 'config'), { recursive: true }).catch(() => undefined);
    if (base) await rm(join(root, 'Windows'), { recursive: true, force: true });
    const made: string[] = [];
    for (const [p, kind] of Object.entries(files)) {
      const at = join(root, p);
      await mkdir(dirname(at), { recursive: true });
      await rm(at, { force: true });
      if (make(kind, at)) made.push(`/${p}`);
    }
    if (!base) await writeFile(join(root, '$Recycle.Bin', 'S-1-5-21-1-2-3-1001', '$RABC123.docx'), 'deleted\n');
    return { root, made };
  }

  function scan(root: string, name: string) {
    const out = join(work, `out-${name}`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, 'scan', '--profile', 'nonclassified', '--root', root, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    return { r, ms: Date.now() - started, out };
  }

  it.each(['windows', 'linux'] as const)('%s', async (name) => {
    const { root, made } = name === 'windows' ? await build(name, windows) : await build(name, linux, join(FIXTURES, 'roots', 'debian12-wifi'));
    expect(made.length).toBeGreaterThanOrEqual(name === 'windows' ? 8 : 6);
    const { r, ms, out } = scan(root, name);
    // exits on its own, well within the time
    expect(r.signal, `${r.stderr}`.slice(0, 2000)).toBeNull();
    expect(ms).toBeLessThan(60_000);
    expect([0, 1, 3]).toContain(r.status);
    const json = (await readdir(out)).find((f) => f.endsWith('.json'))!;
    const rep = JSON.parse(await readFile(join(out, json), 'utf8')) as { coverage: Array<{ kind: string; path?: string; reason: string }> };
    const named = (p: string) => rep.coverage.filter((c) => c.path === p || c.path?.startsWith(`${p}:`));
    // documents: named as not read
    const docFifo = name === 'windows' ? '/Users/zhang/Documents/secret.docx' : '/home/zhang/docs/secret.docx';
    expect(named(docFifo).map((c) => [c.kind, c.reason])).toEqual([['not-regular', 'a FIFO (named pipe): not read (only regular files are)']]);
    // the files probes read: each one named in the report's coverage
    if (name === 'windows') {
      expect(named('/Windows/System32/config/SYSTEM').map((c) => c.reason).join('\n')).toMatch(/not a regular file/);
      if (made.includes('/Windows/System32/config/SOFTWARE')) expect(named('/Windows/System32/config/SOFTWARE').map((c) => c.reason).join('\n')).toMatch(/character device, not read: not a regular file/);
      if (made.includes('/Users/zhang/Documents/big.txt')) expect(named('/Users/zhang/Documents/big.txt').map((c) => c.kind)).toEqual(['not-regular']);
    } else {
      expect(named('/etc/hostname').length).toBeGreaterThan(0);
    }
  });
});
