// Results are never lost (issue 14, item 4), end to end through the built CLI: `--out` is checked
// before anything is scanned (one line, exit 2, quickly — /proc used to spin for ten minutes); a
// folder that fills up after the scan sends the signed report to a fallback folder that is printed;
// SIGTERM during the document walk leaves a signed report marked incomplete that `baomi verify` accepts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
const ROOT = join(REPO, 'fixtures', 'roots', 'debian12-ws');

let work: string;
const env = (): NodeJS.ProcessEnv => ({ ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), LANG: 'C', NO_COLOR: '1' });

function baomi(args: string[], extraEnv: Record<string, string> = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env: { ...env(), ...extraEnv }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Whether this kernel lets an unprivileged user make a user + mount namespace (for real EROFS / ENOSPC). */
function canUnshareMount(): boolean {
  return spawnSync('unshare', ['-rm', '--', 'true']).status === 0;
}

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` (npm test does)');
  work = await mkdtemp(join(tmpdir(), 'baomi-out-'));
});

describe('--out is checked before scanning: one line, exit 2', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['/proc (it used to spin at 100% CPU for ten minutes)', () => '/proc/x', /--out \/proc\/x: \/proc is a view of the running system, not a disk/],
    ['/sys', () => '/sys/kernel/baomi', /\/sys is a view of the running system/],
    ['/dev', () => '/dev/baomi-reports', /\/dev is a view of the running system/],
    ['a file', () => join(work, 'a-file'), /it is a file, not a folder/],
    ['below a file', () => join(work, 'a-file', 'sub'), /a part of the path is a file, not a folder/],
    ['on the inspected disk', () => join(ROOT, 'tmp', 'reports'), /is on the inspected disk/],
  ];
  for (const [name, out, msg] of cases) {
    it(name, async () => {
      await writeFile(join(work, 'a-file'), 'x');
      const r = baomi(['scan', '--root', ROOT, '--out', out()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toMatch(/nothing was scanned|write reports elsewhere/);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('baomi:') && !/no class given/.test(l))).toHaveLength(1);
      expect(r.ms).toBeLessThan(30_000);
      expect(existsSync(join(ROOT, 'tmp', 'reports'))).toBe(false);
    }, 60_000);
  }

  it.skipIf(!canUnshareMount())('a read-only file system (EROFS, a write-protected stick): before the scan', () => {
    const mnt = join(work, 'ro');
    const script = `mkdir -p '${mnt}' && mount -t tmpfs tmpfs '${mnt}' && mkdir '${mnt}/reports' && mount -o remount,ro '${mnt}' && exec "$0" '${BIN}' scan --root '${ROOT}' --out '${mnt}/reports'`;
    const r = spawnSync('unshare', ['-rm', '--', 'sh', '-c', script, process.execPath], { encoding: 'utf8', env: env(), timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .*\/ro\/reports: cannot write there: the file system is read-only/);
    expect(r.stderr).not.toMatch(/no class given/); // said before the scan begins: nothing ran
  }, 60_000);

  it('a folder that does not exist yet is made (and the six files land in it, no temporary name left)', async () => {
    const out = join(work, 'new', 'deep', 'reports');
    const r = baomi(['scan', '--root', ROOT, '--out', out]);
    expect(r.code).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files.map((f) => f.replace(/^sm-bgs-01-\d{8}T\d{6}Z/, 'R'))).toEqual(['R.html', 'R.html.sig', 'R.json', 'R.json.sig', 'R.txt', 'R.txt.sig']);
    expect(r.stderr).toMatch(/report .*\.json \(signature .*\.json\.sig, text .*\.txt, HTML .*\.html; each with its \.sig\)/);
  }, 60_000);
});

describe.skipIf(!canUnshareMount())('writing fails after the scan (a full stick: ENOSPC)', () => {
  it('the signed report goes to a fallback folder that is printed; the exit code is the scan\'s', async () => {
    const mnt = join(work, 'tiny');
    const tmp = join(work, 'fallback-tmp');
    await mkdir(tmp);
    // 16 KiB: room for the pre-check's 4 KiB test file, not for the report set.
    const script = `mkdir -p '${mnt}' && mount -t tmpfs -o size=16k tmpfs '${mnt}' && "$0" '${BIN}' scan --root '${ROOT}' --out '${mnt}/reports'; rc=$?; ls -A '${mnt}/reports'; exit $rc`;
    const r = spawnSync('unshare', ['-rm', '--', 'sh', '-c', script, process.execPath], { encoding: 'utf8', env: { ...env(), TMPDIR: tmp }, timeout: 120_000 });
    expect(r.stderr).toMatch(/could not write the report to .*\/tiny\/reports \(ENOSPC: no space left on device.*\); it was written to .*fallback-tmp\/baomi-reports-\w+ instead/);
    expect(r.status).toBe(0); // the debian12-ws root is clean: as without the failure
    // what did fit on the stick (the JSON, perhaps its signature) was removed: no unsigned half-set is left
    expect(r.stdout.trim().split('\n').filter((l) => /\.(json|sig|txt|html)$/.test(l))).toEqual([]);
    const [fb] = await readdir(tmp);
    const files = await readdir(join(tmp, fb!));
    expect(files).toHaveLength(6);
    const json = join(tmp, fb!, files.find((f) => f.endsWith('.json'))!);
    const v = baomi(['verify', json]);
    expect(v.code).toBe(0);
    expect(v.stdout.match(/^OK /gm)).toHaveLength(3);
  }, 120_000);
});

describe('SIGTERM during the document walk', () => {
  let root: string;
  beforeAll(async () => {
    // A disk with enough documents that the walk takes seconds.
    root = join(work, 'big-root');
    await cp(ROOT, root, { recursive: true });
    const text = '普通文本内容，没有密级标志。'.repeat(200);
    for (let d = 0; d < 25; d++) {
      const dir = join(root, 'home', 'zhang', 'big', `d${d}`);
      await mkdir(dir, { recursive: true });
      await Promise.all(Array.from({ length: 1000 }, (_, f) => writeFile(join(dir, `f${f}.txt`), text)));
    }
  }, 120_000);

  it('leaves a signed partial report marked "interrupted by SIGTERM"; exit 143; verify accepts it', async () => {
    const out = join(work, 'sig-out');
    const child = spawn(process.execPath, [BIN, 'scan', '--root', root, '--out', out, '--format', 'json'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((res) => child.on('exit', (code) => res({ code, at: Date.now() })));
    // The class line is printed once identity has run, just before the other probes start.
    await new Promise<void>((res) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/no class given/.test(stderr)) res();
      });
    });
    await new Promise((r) => setTimeout(r, 1000));
    const sentAt = Date.now();
    child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(stderr).toMatch(/SIGTERM: stopping the scan; writing a report of what was done so far/);
    expect(code).toBe(143);
    expect(at - sentAt).toBeLessThan(15_000);
    const files = await readdir(out);
    expect(files).toHaveLength(6);
    const jsonPath = join(out, files.find((f) => f.endsWith('.json'))!);
    const rep = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(JSON.parse(stdout)).toEqual(rep);
    expect(rep.summary.complete).toBe(false);
    expect(rep.summary.incomplete[0]).toBe('interrupted by SIGTERM');
    // the walk was cut: its probe says so; probes that had finished kept their results
    expect(rep.probes.find((p: { id: string }) => p.id === 'documents.markings')).toMatchObject({ status: 'timeout', message: 'interrupted' });
    expect(rep.probes.find((p: { id: string }) => p.id === 'identity')).toMatchObject({ status: 'ok' });
    expect(rep.machine.hostname).toBe('sm-bgs-01');
    const v = baomi(['verify', jsonPath]);
    expect(v.code).toBe(0);
    expect(v.stdout.match(/^OK /gm)).toHaveLength(3);
  }, 120_000);
});
