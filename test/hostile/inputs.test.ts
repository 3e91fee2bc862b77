// Inputs given to baomi by the person running it can be hostile or broken too (issue #12 §5, §6):
// a rule with a catastrophic regex, a rule file that is huge or an alias bomb, a ledger workbook
// that expands a thousandfold. Each is a clear exit 2 with file and line or row — or, for a regex,
// a match in linear time — never a hang, an abort or an "internal error".
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROBE_MAP } from '../../src/checks/index.js';
import { formatProblem, loadRules } from '../../src/engine/rules.js';
import { readLedger } from '../../src/ledger/index.js';
import { FIXTURES } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-hostile-in-'));
});

const rule = (id: string, match: string) => `  - id: ${id}
    title: { zh: 测试, en: test }
    severity: low
    profiles: [classified, intranet, nonclassified]
    basis: test
    probe: identity
    match: ${match}
    remediation: { zh: 无, en: none }
`;

function baomi(args: string[], timeout = 60_000) {
  const t = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout, env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
}

describe('a unit rule with a catastrophic regex', () => {
  it('matches a crafted host name in linear time: the scan finishes with its report', async () => {
    const root = join(work, 'aaa');
    await cp(join(FIXTURES, 'roots', 'debian12-ws'), root, { recursive: true, verbatimSymlinks: true });
    await writeFile(join(root, 'etc', 'hostname'), 'a'.repeat(36) + '!\n');
    const f = join(work, 'redos.yaml');
    await writeFile(f, `rules:\n${rule('host-redos', "{ field: hostname, regex: '^(a+)+$' }")}`);
    const r = baomi(['scan', '--root', root, '--rules', f, '--only', 'host-redos', '--out', join(work, 'out-redos'), '--format', 'json']);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(30_000);
    expect(JSON.parse(r.stdout).machine.hostname).toBe('a'.repeat(36) + '!');
  });
});

describe('rule files beyond any real size', () => {
  it('a 50 MB rule file: exit 2 naming the file, quickly, no heap abort', async () => {
    const f = join(work, 'huge.yaml');
    const one = rule('r', '{ field: hostname, exists: true }');
    await writeFile(f, 'rules:\n' + one.repeat(Math.ceil((50 * 1024 * 1024) / one.length)));
    const r = baomi(['rules', 'validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huge\.yaml:0:0: cannot read: too large \(\d+ bytes; a rule file may be at most 1048576\)/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('a YAML alias bomb: exit 2 with the file, not an internal error', async () => {
    const f = join(work, 'bomb.yaml');
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('rules: *a11');
    await writeFile(f, lines.join('\n') + '\n');
    const loaded = await loadRules([{ path: f, builtin: false }], PROBE_MAP);
    expect(loaded.problems.map((p) => formatProblem(p)).join('\n')).toMatch(/bomb\.yaml:1:1: YAML: .*alias/i);
    const r = baomi(['rules', 'validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('too many rules in one file', async () => {
    const f = join(work, 'many.yaml');
    let text = 'rules:\n';
    for (let i = 0; i < 2001; i++) text += rule(`r-${i}`, '{ field: hostname, exists: true }');
    await writeFile(f, text);
    const loaded = await loadRules([{ path: f, builtin: false }], PROBE_MAP);
    expect(loaded.problems.map((p) => formatProblem(p))).toEqual([expect.stringMatching(/many\.yaml:1:1: rules: 2001 rules in one file, more than 2000/)]);
  });
});

describe('a ledger workbook that expands a thousandfold', () => {
  it('is refused (exit 2, the file named) before it is inflated whole', async () => {
    const bomb = join(work, '台账-bomb.xlsx');
    // A real workbook (openpyxl) with one more member: 100 MB of zeros, ~100 KB compressed.
    execFileSync('python3', ['-c', `
import shutil, zipfile, sys
shutil.copy(sys.argv[1], sys.argv[2])
with zipfile.ZipFile(sys.argv[2], 'a', zipfile.ZIP_DEFLATED) as z:
    z.writestr('xl/media/padding.bin', b'\\0' * (100 * 1024 * 1024))
`, join(FIXTURES, 'ledger', 'openpyxl-ledger.xlsx'), bomb]);
    const t = Date.now();
    const r = await readLedger(bomb);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(r.ledger).toBeUndefined();
    expect(r.problems).toMatchObject([{ code: 'too-large', severity: 'error', row: 0 }]);
    expect(r.problems[0]!.message).toMatch(/expands past what a ledger may hold \(64 MiB/);
    const s = baomi(['ledger', 'validate', bomb]);
    expect(s.code).toBe(2);
    expect(s.stdout + s.stderr).toMatch(/台账-bomb\.xlsx/);
  });

  it('the real workbook is still read', async () => {
    const r = await readLedger(join(FIXTURES, 'ledger', 'openpyxl-ledger.xlsx'));
    expect(r.ledger?.entries.length).toBeGreaterThan(0);
  });
});

describe('a signing key others can read, or a link', () => {
  it('is refused as OpenSSH refuses it, with the command that fixes it', async () => {
    const dir = join(work, 'keys');
    expect(baomi(['keys', 'generate', '--out', dir]).code).toBe(0);
    const key = join(dir, 'baomi.key');
    const root = join(FIXTURES, 'roots', 'debian12-ws');
    const scan = (k: string) => baomi(['scan', '--root', root, '--key', k, '--only', 'machine-unidentifiable', '--out', join(work, 'out-key')]);
    expect(scan(key).code).toBe(0);
    await chmod(key, 0o644);
    const r = scan(key);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`is readable by others (permissions 0644)`);
    expect(r.stderr).toContain(`chmod 600 '${key}'`);
    await chmod(key, 0o600);
    const link = join(dir, 'link.key');
    await symlink(key, link);
    const l = scan(link);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/is a symbolic link/);
  });
});
