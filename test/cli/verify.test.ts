// `baomi verify REPORT.json` checks the report and the text and HTML beside it, each against its own
// .sig with the report's key: one line per file; any altered, missing or swapped file fails (exit 1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
const ROOT = join(REPO, 'fixtures', 'roots', 'debian12-ws');

let work: string;
let keyDir: string;

function baomi(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), LANG: 'C', NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Scan into a fresh folder; the base path of the report set (without .json). */
async function scanInto(name: string): Promise<string> {
  const out = join(work, name);
  const r = baomi(['scan', '--root', ROOT, '--out', out, '--key', join(keyDir, 'baomi.key'), '--lang', 'zh']);
  expect(r.code).toBe(0);
  const json = (await readdir(out)).find((f) => f.endsWith('.json'))!;
  return join(out, json.slice(0, -'.json'.length));
}

/** A copy of a report set in its own folder (to damage). */
async function copySet(base: string, name: string): Promise<string> {
  const dir = await mkdtemp(join(work, `${name}-`));
  const to = join(dir, 'r');
  for (const s of ['.json', '.json.sig', '.txt', '.txt.sig', '.html', '.html.sig']) await copyFile(`${base}${s}`, `${to}${s}`);
  return to;
}

let base: string;

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` (npm test does)');
  work = await mkdtemp(join(tmpdir(), 'baomi-verify-'));
  keyDir = join(work, 'keys');
  expect(baomi(['keys', 'generate', '--out', keyDir]).code).toBe(0);
  base = await scanInto('out');
}, 120_000);

describe('baomi verify REPORT.json', () => {
  it('checks the JSON, the text and the HTML: three OK lines, exit 0 (with --pubkey too)', () => {
    for (const extra of [[], ['--pubkey', join(keyDir, 'baomi.pub')]]) {
      const v = baomi(['verify', `${base}.json`, ...extra]);
      expect(v.code).toBe(0);
      const lines = v.stdout.split('\n').filter((l) => /^(OK|FAIL) /.test(l));
      expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([`OK ${base}.json`, `OK ${base}.txt`, `OK ${base}.html`]);
    }
  });

  it('one byte of the HTML altered: that file FAILs, the others stay OK, exit 1', async () => {
    const b = await copySet(base, 'html-byte');
    const html = await readFile(`${b}.html`);
    const at = html.indexOf('<h1>') + 4;
    html[at] = html[at]! ^ 0x01;
    await writeFile(`${b}.html`, html);
    const v = baomi(['verify', `${b}.json`]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(new RegExp(`^OK    ${b}\\.json`, 'm'));
    expect(v.stdout).toMatch(new RegExp(`^OK    ${b}\\.txt`, 'm'));
    expect(v.stdout).toMatch(new RegExp(`^FAIL  ${b}\\.html  signature does not match the file`, 'm'));
  });

  it('in Chinese, every reason is Chinese: an altered file, a missing signature, a wrong key (no English word)', async () => {
    const b = await copySet(base, 'zh-reasons');
    const json = await readFile(`${b}.json`);
    json[json.length - 3] = json[json.length - 3]! ^ 0x01;
    await writeFile(`${b}.json`, json);
    await rm(`${b}.txt.sig`);
    const other = join(work, 'other-keys');
    expect(baomi(['keys', 'generate', '--out', other]).code).toBe(0);
    const cases: Array<[string[], RegExp]> = [
      [['verify', `${b}.json`, '--lang', 'zh'], /^失败  .*\.json  (签名与文件不符|不是有效的 JSON)/m],
      [['verify', `${base}.json`, '--lang', 'zh', '--pubkey', join(other, 'baomi.pub')], /^失败  .*\.json  报告由密钥 sha256:[0-9a-f]+ 签名，而给出的公钥是 sha256:[0-9a-f]+$/m],
    ];
    for (const [args, want] of cases) {
      const v = baomi(args);
      expect(v.code).toBe(1);
      expect(v.stdout).toMatch(want);
      const reasons = v.stdout.split('\n').filter((l) => l.startsWith('失败')).map((l) => l.split(/\s{2,}/).slice(2).join(' '));
      for (const r of reasons) expect(r.replace(/sha256:[0-9a-f]+|JSON|Ed25519|base64|--pubkey|\S+\.(?:json|txt|html)(?:\.sig)?/g, ''), r).not.toMatch(/[A-Za-z]{2,}/);
    }
    expect(cases).toHaveLength(2);
  });

  it('one byte of the text altered, or its signature: FAIL, exit 1', async () => {
    const b = await copySet(base, 'txt-byte');
    const txt = await readFile(`${b}.txt`);
    txt[txt.length - 2] = txt[txt.length - 2]! ^ 0x20;
    await writeFile(`${b}.txt`, txt);
    const v = baomi(['verify', `${b}.json`]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(new RegExp(`^FAIL  ${b}\\.txt  signature does not match`, 'm'));
    const c = await copySet(base, 'txt-sig');
    await writeFile(`${c}.txt.sig`, 'not a signature\n');
    expect(baomi(['verify', `${c}.json`]).stdout).toMatch(/^FAIL .*\.txt {2}signature file is not one line of base64/m);
  });

  it('a missing HTML, or a missing signature of it: FAIL, exit 1', async () => {
    const b = await copySet(base, 'missing');
    await rm(`${b}.html`);
    const v = baomi(['verify', `${b}.json`]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(new RegExp(`^FAIL  ${b}\\.html  missing$`, 'm'));
    const c = await copySet(base, 'missing-sig');
    await rm(`${c}.html.sig`);
    expect(baomi(['verify', `${c}.json`]).stdout).toMatch(/^FAIL .*\.html {2}signature r\.html\.sig missing$/m);
  });

  it("another scan's HTML (signed by the same key) does not pass for this report's", async () => {
    const other = await scanInto('other');
    const b = await copySet(base, 'swap');
    await copyFile(`${other}.html`, `${b}.html`);
    await copyFile(`${other}.html.sig`, `${b}.html.sig`);
    const v = baomi(['verify', `${b}.json`]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^FAIL .*\.html {2}signed, but not the HTML of this report \(scan id [0-9a-f-]{36} not found in it\)$/m);
  }, 120_000);

  it('the companions are not checked against a report that fails itself', async () => {
    const b = await copySet(base, 'bad-json');
    const json = await readFile(`${b}.json`);
    json[10] = json[10]! ^ 0x01;
    await writeFile(`${b}.json`, json);
    const v = baomi(['verify', `${b}.json`]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^FAIL .*r\.json {2}/m);
    expect(v.stdout).toMatch(/^FAIL .*r\.txt {2}not checked: the report it belongs to did not verify$/m);
  });
});
