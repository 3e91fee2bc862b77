// The CLI's own lines in Chinese, outside the help (test/cli/help.test.ts): what a scan says on stderr
// (the key it made, the class it assumed, where the report went, what the exit code means), what
// verify, rules and keys print, and inspect's account of an artifact — each with no English word
// outside names, paths, flags and identifiers (the rule in ./_foreign-words.ts). Through the built bin.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foreignWordsIn } from './_foreign-words.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
// fixtures/roots/debian12-ws: a small Linux root made for the project (fixtures/roots/PROVENANCE.md).
const ROOT = join(REPO, 'fixtures', 'roots', 'debian12-ws');
// A WLAN profile written by hand for the project's tests (fixtures/windows/PROVENANCE.md, wlan/).
const WLAN = join(REPO, 'fixtures', 'windows', 'wlan', '{5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}', '{2B8D4F6A-1C3E-4A5B-9D7F-0E2C4A6B8D1F}.xml');
const NAMES = ['baomi', 'scan', 'verify', 'inspect', 'keys', 'generate', 'ledger', 'validate', 'rules', 'list', 'show', 'test', 'help'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work: string;

function baomi(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(LANG|LANGUAGE|LC_.*)$/.test(k)) base[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: work, encoding: 'utf8', env: { ...base, LANG: 'C', NO_COLOR: '1', XDG_CONFIG_HOME: join(work, 'cfg'), ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

let scan: Run;
let verify: Run;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-lang-'));
  scan = await baomi(['scan', '--root', ROOT, '--out', join(work, 'out'), '--lang', 'zh']);
  const [json] = (await readdir(join(work, 'out'))).filter((f) => f.endsWith('.json'));
  verify = await baomi(['verify', join(work, 'out', json!)], { LANG: 'zh_CN.UTF-8' });
}, 240_000);

describe('the CLI in Chinese, beyond the help', () => {
  it('a scan: every stderr line in Chinese, ending with what the exit code means', () => {
    expect(scan.code, scan.stderr).toBe(0);
    const lines = scan.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^baomi: 已在 .*baomi\.key 创建签名密钥/);
    expect(scan.stderr).toMatch(/\nbaomi: 未指定本机类别.*；如不是涉密计算机，请用 --profile（内网 \/ 非涉密）或 --ledger 台账指定\n/);
    expect(scan.stderr).toMatch(/\nbaomi: 报告 .*\.json（签名 .*\.json\.sig，文本 .*\.txt，HTML .*\.html；各带 \.sig 签名文件）\n/);
    expect(lines.at(-1)).toBe('baomi: 退出码 0：检查完整，未发现问题');
    expect(foreignWordsIn(scan.stderr, NAMES)).toEqual([]);
  });

  it('verify (language from LANG): a line per file and the note, in Chinese', () => {
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const lines = verify.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines.slice(0, 3)) expect(l).toMatch(/^通过  \S+\.(json|txt|html)  sha256:[0-9a-f]{64}$/);
    expect(lines[3]).toMatch(/^注意：以上用每份报告自带的公钥核验/);
    expect(foreignWordsIn(verify.stdout, NAMES)).toEqual([]);
  });

  it('rules test, rules validate and keys generate print Chinese', async () => {
    const rulesDir = join(REPO, 'rules');
    const [t, v, k] = await Promise.all([
      baomi(['rules', 'test', rulesDir, '--lang', 'zh']),
      baomi(['rules', 'validate', rulesDir, '--lang', 'zh']),
      baomi(['keys', 'generate', '--out', join(work, 'keys'), '--lang', 'zh']),
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^通过  \S+：/m);
    expect(t.stdout.trim().split('\n').at(-1)).toMatch(/^通过 \d+，失败 0，规则 \d+ 条，其中 0 条没有用例$/);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^没有问题：\d+ 个文件，\d+ 条规则\n$/);
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toMatch(/^sha256:[0-9a-f]{64}\n私钥：.*baomi\.key\n公钥：.*baomi\.pub\n$/);
    // Rule case names are the rule authors' words (English in the built-in rules): not checked here.
    for (const out of [t.stdout.trim().split('\n').at(-1)!, v.stdout, k.stdout]) expect(foreignWordsIn(out, NAMES)).toEqual([]);
  });

  it('inspect: a WLAN profile in Chinese, the values from the file quoted', async () => {
    const r = await baomi(['inspect', WLAN, '--lang', 'zh']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('网络名 "办公室WiFi"，连接方式「manual」，认证方式「WPA2PSK」');
    expect(foreignWordsIn(r.stdout, NAMES)).toEqual([]);
  });

  it('a usage error from a key file in Chinese (no system English)', async () => {
    const r = await baomi(['verify', join(work, 'x.json'), '--pubkey', join(work, 'missing.pub'), '--lang', 'zh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`baomi: 无法读取公钥 ${join(work, 'missing.pub')}\n`);
  });
});
