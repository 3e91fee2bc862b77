// End to end through the built CLI (bin/baomi.js → dist/): what an officer runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
const ROOT = join(REPO, 'fixtures', 'roots', 'debian12-ws');

let work: string;
let keyDir: string;

function baomi(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', XDG_CONFIG_HOME: join(work, 'config'), LANG: 'C', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function reportsIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
}

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` (npm test does)');
  work = await mkdtemp(join(tmpdir(), 'baomi-cli-'));
  keyDir = join(work, 'keys');
  const k = baomi(['keys', 'generate', '--out', keyDir]);
  expect(k.code).toBe(0);
  expect(k.stdout).toMatch(/^sha256:[0-9a-f]{64}\n/);
});

describe('baomi scan --root (offline Linux root)', () => {
  let jsonPath: string;
  let report: Record<string, any>;

  beforeAll(async () => {
    const out = join(work, 'out');
    const r = baomi(['scan', '--root', ROOT, '--out', out, '--key', join(keyDir, 'baomi.key'), '--format', 'json', '--unit', '某某局', '--department', '办公室']);
    expect(r.stderr).toMatch(/report .*sm-bgs-01-\d{8}T\d{6}Z\.json/);
    expect(r.code).toBe(0);
    jsonPath = (await reportsIn(out))[0]!;
    report = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(JSON.parse(r.stdout)).toEqual(report);
  });

  it("names the root's host, not the kit's", () => {
    expect(report['machine'].hostname).toBe('sm-bgs-01');
    expect(report['machine'].machineId).toBe('5f1c0e2a9b7d4c3e8a6f1b2d3c4e5f60');
    expect(report['scan']).toMatchObject({ mode: 'offline', root: ROOT, profile: 'classified', profileAssumed: true, os: { family: 'linux' } });
    expect(report['unit']).toBe('某某局');
    expect(report['schema']).toBe('baomi.report/1');
    expect(report['summary']).toMatchObject({ findings: 0, complete: true });
    const probes = report['probes'].map((p: { id: string; status: string }) => [p.id, p.status]);
    expect(probes).toContainEqual(['identity', 'ok']);
    // live-only probes say so offline; every other probe ran
    expect(probes).toContainEqual(['network.reachability', 'not-applicable']);
    expect(probes.every(([id, s]: [string, string]) => s === 'ok' || (s === 'not-applicable' && /^network\.(reachability|connections)$/.test(id)))).toBe(true);
    expect(report['rules'].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is accepted by verify --pubkey and by stock OpenSSL; both reject a changed byte', async () => {
    const pub = join(keyDir, 'baomi.pub');
    const v = baomi(['verify', jsonPath, '--pubkey', pub]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^OK /);
    const sigBin = join(work, 'sig.bin');
    await writeFile(sigBin, Buffer.from((await readFile(`${jsonPath}.sig`, 'utf8')).trim(), 'base64'));
    const openssl = (f: string) => spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', f, '-sigfile', sigBin], { encoding: 'utf8' });
    expect(openssl(jsonPath).stdout).toMatch(/Signature Verified Successfully/);

    const bytes = await readFile(jsonPath);
    const changed = join(work, 'changed.json');
    const b = Buffer.from(bytes);
    const at = bytes.indexOf('sm-bgs-01');
    b[at] = 'S'.charCodeAt(0);
    await writeFile(changed, b);
    await writeFile(`${changed}.sig`, await readFile(`${jsonPath}.sig`));
    const bad = baomi(['verify', changed, '--pubkey', pub]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL .*signature does not match/);
    expect(openssl(changed).status).not.toBe(0);
  });

  it('verify without --pubkey checks integrity and says it does not prove origin', () => {
    const v = baomi(['verify', jsonPath]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/proves the file is intact, not who signed it/);
  });
});

describe('exit codes', () => {
  it('2: a malformed rule file, naming file and line; nothing is scanned', async () => {
    const out = join(work, 'out2');
    const bad = join(REPO, 'fixtures', 'rules', 'invalid', 'bad-severity.yaml');
    const r = baomi(['scan', '--root', ROOT, '--out', out, '--key', join(keyDir, 'baomi.key'), '--rules', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-severity\.yaml:5:\d+: rules\[0\]\.severity: must be high, medium, low or info/);
    // --out is checked (and made) first; nothing is written into it.
    expect(existsSync(out) ? await readdir(out) : []).toEqual([]);
    const v = baomi(['rules', 'validate', bad]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/bad-severity\.yaml:5:/);
  });

  it('2: bad flags, a missing root, a missing key; no stack trace', () => {
    for (const args of [
      ['scan', '--profile', 'secret'],
      ['scan', '--root', join(work, 'nope')],
      ['scan', '--root', ROOT, '--key', join(work, 'no.key')],
      ['scan', '--bogus'],
      ['scan', '--root', ROOT, '--only', 'no-such-rule'],
    ]) {
      const r = baomi(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('2: refuses to write the report onto the inspected disk', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-root-'));
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc', 'os-release'), 'ID=debian\n');
    await writeFile(join(root, 'etc', 'hostname'), 'x\n');
    const r = baomi(['scan', '--root', root, '--out', join(root, 'reports'), '--key', join(keyDir, 'baomi.key')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is on the inspected disk/);
    expect(existsSync(join(root, 'reports'))).toBe(false);
  });

  it('3: no findings but incomplete (an empty mount point: no OS, no file — never "clean")', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-unknown-'));
    const out = join(work, 'out3');
    const r = baomi(['scan', '--root', root, '--out', out, '--key', join(keyDir, 'baomi.key'), '--lang', 'en']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/probe identity: not applicable — no operating system on this volume/);
    expect(r.stdout).toMatch(/no file at all was found under the root/);
    expect(r.stdout).toMatch(/scan INCOMPLETE\n$/);
    const [f] = await reportsIn(out);
    const rep = JSON.parse(await readFile(f!, 'utf8'));
    expect(rep.summary.complete).toBe(false);
    expect(rep.machine.hostname).toBeNull();
    expect(f).toMatch(/unknown-host-/);
    // --only with checks that do not exist there: nothing was checked, so not complete either.
    const r2 = baomi(['scan', '--root', root, '--out', join(work, 'out3b'), '--key', join(keyDir, 'baomi.key'), '--lang', 'en', '--only', 'usb-storage-unregistered']);
    expect(r2.code).toBe(3);
    expect(r2.stdout).toMatch(/nothing was inspected/);
  });

  it('1: findings (a custom rule); the finding id is the same in a second scan', async () => {
    const rules = join(work, 'unit-rules.yaml');
    await writeFile(rules, `rules:
  - id: unit-naming
    title: { zh: 涉密计算机主机名, en: Classified host name }
    severity: medium
    profiles: [classified]
    basis: 单位规定
    probe: identity
    match: { field: hostname, regex: '^sm-' }
    key: [hostname]
    evidence: [hostname]
    remediation: { zh: 核对台账, en: Check the ledger }
`);
    const ids: string[] = [];
    for (const out of ['out4a', 'out4b']) {
      const r = baomi(['scan', '--root', ROOT, '--out', join(work, out), '--key', join(keyDir, 'baomi.key'), '--rules', rules, '--lang', 'zh']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('-- [中] 涉密计算机主机名（unit-naming）: 1 项 --');
      expect(r.stdout).toMatch(/\n  1\. F-[0-9a-f]{20}\n       主机名: sm-bgs-01\n/);
      expect(r.stdout).not.toMatch(/\u001b\[/);
      const [f] = await reportsIn(join(work, out));
      const rep = JSON.parse(await readFile(f!, 'utf8'));
      expect(rep.findings).toHaveLength(1);
      expect(rep.findings[0].evidence).toEqual({ hostname: 'sm-bgs-01' });
      ids.push(rep.findings[0].id);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it('0: --help and --version', () => {
    expect(baomi(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = baomi(['scan', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--root <dir>');
  });
});

describe('a reader that goes away (baomi … | head)', () => {
  it('ends with the command\'s own exit code and no stack trace', () => {
    // ~300 KB of output: far more than a pipe holds, so the writer meets the closed pipe
    const hive = join(tmpdir(), `baomi-epipe-${process.pid}`);
    execFileSync('sh', ['-c', 'xz -dc "$0" > "$1"', join(REPO, 'fixtures', 'windows', 'hives', 'win10-1709-SYSTEM.xz'), hive]);
    const cases: Array<[string, number]> = [
      [`"${process.execPath}" "${BIN}" inspect "${hive}" --key 'ControlSet001\\Enum' --depth 3 | head -c 100 >/dev/null`, 0],
      [`"${process.execPath}" "${BIN}" rules show no-such-rule --lang en | head -c 1 >/dev/null`, 2],
    ];
    for (const [line, want] of cases) {
      const r = spawnSync('bash', ['-c', `${line}; exit \${PIPESTATUS[0]}`], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr, line).not.toMatch(/Unhandled 'error' event|EPIPE/);
      expect(r.status, line).toBe(want);
    }
    expect(cases).toHaveLength(2);
  });
});

describe('signing key defaults', () => {
  it('scan without --key creates one in the config dir and says where', async () => {
    const cfg = join(work, 'cfg2');
    const r = baomi(['scan', '--root', ROOT, '--out', join(work, 'out5')], { XDG_CONFIG_HOME: cfg });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`created a signing key at ${join(cfg, 'baomi', 'baomi.key')}`);
    const again = baomi(['scan', '--root', ROOT, '--out', join(work, 'out6')], { XDG_CONFIG_HOME: cfg });
    expect(again.stderr).not.toContain('created a signing key');
    const keyId = execFileSync('openssl', ['pkey', '-pubin', '-in', join(cfg, 'baomi', 'baomi.pub'), '-outform', 'DER']);
    expect(keyId.length).toBeGreaterThan(0);
  });
});

describe('rules list / show', () => {
  it('lists built-in rules and shows one', () => {
    const l = baomi(['rules', 'list', '--lang', 'zh']);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/^machine-unidentifiable\s+identity/m);
    const s = baomi(['rules', 'show', 'machine-unidentifiable']);
    expect(s.stdout).toMatch(/^# .*identity\.yaml:\d+\nid: machine-unidentifiable/);
    expect(baomi(['rules', 'show', 'nope']).code).toBe(2);
  });
});

describe('baomi rules test', () => {
  const RULES = join(import.meta.dirname, '..', '..', 'rules');
  it('the built-in rules: every case passes (exit 0), counted', () => {
    const r = baomi(['rules', 'test', RULES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(\d+) passed, 0 failed, 32 rule\(s\), 0 without cases$/m);
  });
  it('a case the rule does not satisfy: exit 1, naming the case and file', async () => {
    const f = join(work, 'wrong-case.yaml');
    await writeFile(f, `rules:
  - id: host-named-x
    title: { zh: 测试, en: test }
    severity: low
    profiles: [classified, intranet, nonclassified]
    basis: test
    probe: identity
    match: { field: hostname, equals: x }
    remediation: { zh: 无, en: none }
    cases:
      - { name: named x, observation: { hostname: x, macs: [], disks: [], sources: {} }, expect: low }
      - { name: named y, observation: { hostname: y, macs: [], disks: [], sources: {} }, expect: low }
`);
    const r = baomi(['rules', 'test', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL  host-named-x: named y \(.*wrong-case\.yaml:2\): expected low, got none/);
    expect(r.stdout).toMatch(/1 passed, 1 failed/);
  });
  it('a misspelt field: exit 2 with file and line, no case run', () => {
    const r = baomi(['rules', 'test', join(import.meta.dirname, '..', '..', 'fixtures', 'rules', 'invalid', 'misspelt-paths.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/misspelt-paths\.yaml:20:13: rules\[0\]\.match\.all\[0\]\.field: unknown field "storgae"/);
  });
});
