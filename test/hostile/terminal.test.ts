// Output that cannot be turned against its reader (issue #12 §8): names from the inspected disk
// carrying escape sequences, carriage returns or newlines are printed escaped — in the text report,
// on stdout and stderr of scan and inspect — never raw. (The JSON report escapes them by itself.)
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
let work: string;
let root: string;

function baomi(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-term-'));
  root = join(work, 'root');
  await cp(join(FIXTURES, 'roots', 'debian12-ws'), root, { recursive: true, verbatimSymlinks: true });
  await writeFile(join(root, 'etc', 'hostname'), 'ho\u001b[2Jst\n');
  await mkdir(join(root, 'home', 'zhang', 'docs'), { recursive: true });
  await writeFile(join(root, 'home', 'zhang', 'docs', 'a\u001b]0;owned\u0007\rb\u202etxt.txt'), '绝密★长期\n');
});

describe('names with control characters', () => {
  it('scan: the text report on stdout, the text file and stderr carry none raw; the finding is still made', async () => {
    const out = join(work, 'out');
    const r = baomi(['scan', '--root', root, '--profile', 'nonclassified', '--only', 'document-classified-marking,machine-unidentifiable', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain('ho\\x1b[2Jst');
    expect(r.stdout).toMatch(/a\\x1b\]0;owned\\x07\\x0db\\u202etxt\.txt/);
  });

  it('inspect: a document whose name holds escapes', () => {
    const r = baomi(['inspect', join(root, 'home', 'zhang', 'docs', 'a\u001b]0;owned\u0007\rb\u202etxt.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain('绝密');
  });
});
