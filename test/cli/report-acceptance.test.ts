// Issue 14's acceptance, end to end through the built CLI with `--lang zh`, TZ=Asia/Shanghai, on the
// corpus Windows disk (win10-SYSTEM_B: two SanDisk sticks, a Broadcom Wi-Fi card, a Dell Bluetooth
// module; the SOFTWARE sample: a mobile-broadband and a Wi-Fi profile) with planted documents, a
// browser history and files that cannot be read, so that every rule family finds something and the
// gaps are of many kinds:
//   a. the text report's first screen (40 lines): the verdict, the counts, the checked-and-clean lines
//      and the first findings;
//   b. no ASCII word outside file names, identifiers and device strings, in the text report and in the
//      HTML report as rendered by headless Chromium (document.body.innerText) — see ../report/_leaks.ts
//      for the rules of context;
//   c. times in local time with the offset (+08:00), the JSON in UTC.
//
// Fixtures (all committed, see their PROVENANCE.md): fixtures/windows/hives/win10-SYSTEM_B.xz and
// fixtures/windows/software/SOFTWARE-sample.hive.xz (regipy, MIT; SOFTWARE sample made by the project),
// fixtures/windows/logs/plaso-win10-setupapi.dev.log (plaso, Apache-2.0), fixtures/browsers/chrome/
// plaso-History (plaso, Apache-2.0), fixtures/documents/labelled/* (made by the project),
// fixtures/documents/made/{truncated.docx,encrypted.pdf,scan.pdf,bomb.zip,encrypted-member.zip}
// (made by the project). The two text documents are written here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Report } from '../../src/report/types.js';
import { requireTool } from '../_helpers/oracles.js';
import { linuxRootWithHistory } from '../_helpers/roots.js';
import { FIXTURES, makeWindowsRoot, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';
import { chromiumName, evaluateInChromium } from '../report/_chromium.js';
import { englishLeaks } from '../report/_leaks.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
const DOCS = join(FIXTURES, 'documents');

let work: string;
let rep: Report;
let txt: string;
let htmlPath: string;
let stdoutText: string;

const fixture = (p: string): Buffer => readFileSync(join(DOCS, p));

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` (npm test does)');
  work = await mkdtemp(join(tmpdir(), 'baomi-accept-'));
  const docs = '/Users/zhang/Documents';
  const root = await makeWindowsRoot({
    system: 'win10-SYSTEM_B.xz',
    software: SOFTWARE_SAMPLE,
    files: {
      '/Windows/INF/setupapi.dev.log': readFileSync(join(FIXTURES, 'windows', 'logs', 'plaso-win10-setupapi.dev.log')),
      '/Users/zhang/AppData/Local/Google/Chrome/User Data/Default/History': readFileSync(join(FIXTURES, 'browsers', 'chrome', 'plaso-History')),
      [`${docs}/项目/通知.txt`]: '绝密★20年\n关于某工程的通知\n',
      [`${docs}/项目/w01-body-first-line.docx`]: fixture('labelled/w01-body-first-line.docx'),
      [`${docs}/项目/w02-page-header.docx`]: fixture('labelled/w02-page-header.docx'),
      [`${docs}/资料/t05-utf8-internal.txt`]: fixture('labelled/t05-utf8-internal.txt'),
      [`${docs}/资料/工程进度.txt`]: '某工程第三阶段进度安排（无密级标志）\n',
      [`${docs}/收到的/truncated.docx`]: fixture('made/truncated.docx'),
      [`${docs}/收到的/encrypted.pdf`]: fixture('made/encrypted.pdf'),
      [`${docs}/收到的/scan.pdf`]: fixture('made/scan.pdf'),
      [`${docs}/收到的/bomb.zip`]: fixture('made/bomb.zip'),
      [`${docs}/收到的/encrypted-member.zip`]: fixture('made/encrypted-member.zip'),
    },
  });
  // a named pipe and a symbolic link: not read, and said so
  execFileSync('mkfifo', [join(root, 'Users', 'zhang', 'Documents', '收到的', 'pipe')]);
  await symlink('/etc/passwd', join(root, 'Users', 'zhang', 'Documents', '收到的', 'link'));
  // the unit's keyword 某工程: the built-in document-keyword rule with the unit's keyword list
  const builtin = parse(await readFile(join(REPO, 'rules', 'documents.yaml'), 'utf8')) as { rules: Array<Record<string, unknown>> };
  const kw = builtin.rules.find((r) => r['id'] === 'document-keyword')!;
  kw['params'] = { keywords: ['某工程'] };
  delete kw['cases'];
  await writeFile(join(work, 'unit.yaml'), stringify({ rules: [kw] }));

  const out = join(work, 'out');
  const r = spawnSync(process.execPath, [BIN, 'scan', '--root', root, '--profile', 'intranet', '--rules', join(work, 'unit.yaml'), '--out', out, '--lang', 'zh'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1', TZ: 'Asia/Shanghai', LANG: 'zh_CN.UTF-8' },
    timeout: 170_000,
  });
  expect(r.status, r.stderr).toBe(1);
  stdoutText = r.stdout;
  const files = await readdir(out);
  const json = join(out, files.find((f) => f.endsWith('.json'))!);
  rep = JSON.parse(await readFile(json, 'utf8')) as Report;
  txt = await readFile(json.replace(/\.json$/, '.txt'), 'utf8');
  htmlPath = json.replace(/\.json$/, '.html');
}, 180_000);

describe('the scan behind the acceptance tests', () => {
  it('has findings of every rule family and gaps of many kinds', () => {
    const families = new Set(rep.findings.map((f) => f.ruleId.split('-')[0]));
    // the four families this disk was planted for (the checklist rules may find more on it)
    for (const fam of ['document', 'internet', 'usb', 'wireless']) expect(families.has(fam), fam).toBe(true);
    const rules = new Set(rep.findings.map((f) => f.ruleId));
    for (const id of ['document-classified-marking', 'document-internal-marking', 'document-keyword', 'internet-history', 'wireless-adapter-present', 'wireless-history']) {
      expect(rules.has(id), id).toBe(true);
    }
    const kinds = new Set(rep.coverage.map((c) => c.kind));
    for (const k of ['corrupt', 'encrypted', 'no-text-layer', 'zip-bomb', 'not-regular', 'symlinks', 'no-ledger']) expect(kinds.has(k), k).toBe(true);
    expect(rep.probes.some((p) => p.status === 'not-applicable')).toBe(true);
  });
});

describe('a. the first screen of the text report', () => {
  it('holds the verdict, the counts, the checked-and-clean lines and the first findings within 40 lines', () => {
    const first = txt.split('\n').slice(0, 40);
    const at = (re: RegExp): number => first.findIndex((l) => re.test(l));
    expect(at(/^结论: 发现问题（高 \d+, 中 \d+, 低 \d+, 提示 \d+）/)).toBe(1);
    const counts = at(/^== 问题统计 ==$/);
    const clean = at(/^== 已检查，未发现问题 ==$/);
    const findings = at(/^== 发现的问题 ==$/);
    expect(counts).toBeGreaterThan(1);
    expect(clean).toBeGreaterThan(counts);
    expect(findings).toBeGreaterThan(clean);
    // every rule with findings is counted, in the counts section
    const byRule = new Set(rep.findings.map((f) => f.ruleId));
    const countLines = first.slice(counts + 1, clean).filter((l) => l.startsWith('['));
    expect(countLines).toHaveLength(byRule.size);
    for (const id of byRule) expect(countLines.some((l) => l.includes(`（${id}）`)), id).toBe(true);
    // a line for each rule without findings
    // a line for each rule without findings, or one line for a state many rules share, naming them all
    const cleanBlock = first.slice(clean + 1, findings).filter((l) => l.startsWith('- ')).join('\n');
    const unfound = rep.rules.ids.filter((id) => !byRule.has(id));
    expect(unfound.length).toBeGreaterThan(10);
    for (const id of unfound) expect(cleanBlock.includes(rep.rules.about![id]!.title.zh), id).toBe(true);
    // not applicable: a line per rule, or one line naming them when more than three share the state
    expect(/(: 不适用$|^- 不适用（\d+ 项）: )/m.test(cleanBlock)).toBe(true);
    // the first finding: its rule heading, basis, remediation, and its first evidence lines
    const f0 = first.slice(findings + 1).join('\n');
    expect(f0).toMatch(/-- \[高\] .+（[a-z-]+）: \d+ 项 --\n {2}依据: .+\n {2}整改: .+\n/);
    expect(f0).toMatch(/\n {2}1\. F-[0-9a-f]{20}\n {7}\S/);
  });
});

describe('b. no English in the Chinese reports', () => {
  it('the text report: no ASCII word outside file names, identifiers and device strings', () => {
    const leaks = englishLeaks(txt, rep);
    expect(leaks.map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);
    // and what is printed on the terminal is the same report
    expect(englishLeaks(stdoutText, rep)).toEqual([]);
  });

  it('the rules of context do catch English: a planted English line is a leak', () => {
    expect(englishLeaks(`${txt}- 检查项 usb.history: the registry could not be read\n`, rep).map((l) => l.word)).toEqual(['the', 'registry', 'could', 'not', 'be', 'read']);
    expect(englishLeaks('厂商: SanDisk\n型号: Extreme\n', rep)).toEqual([]);
  });

  it('the HTML report as rendered (innerText in headless Chromium): no ASCII word outside file names, identifiers and device strings', async () => {
    const chromium = chromiumName();
    requireTool(chromium);
    const text = (await evaluateInChromium(chromium, pathToFileURL(htmlPath).href, 'document.body.innerText', { TZ: 'Asia/Shanghai' })) as string;
    expect(text).toContain('发现问题');
    const leaks = englishLeaks(text, rep);
    expect(leaks.map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);
  }, 120_000);
});

describe('c. times: local with the offset in the reports, UTC in the JSON', () => {
  const local = (iso: string): string => {
    const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
    return `${d.toISOString().slice(0, 19).replace('T', ' ')} +08:00`;
  };

  it('the JSON keeps UTC', () => {
    expect(rep.scan.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const usb = rep.inventory['usbDevices'] as Array<Record<string, unknown>>;
    expect(usb.length).toBeGreaterThan(0);
    for (const d of usb) if (d['firstSeen'] !== undefined) expect(d['firstSeen']).toMatch(/Z$/);
  });

  it('the text report shows the scan and the devices in Shanghai time, +08:00', () => {
    expect(txt).toContain(`检查: ${local(rep.scan.startedAt)} → ${local(rep.scan.finishedAt)}`);
    const usb = (rep.inventory['usbDevices'] as Array<Record<string, unknown>>).find((d) => typeof d['firstSeen'] === 'string')!;
    expect(txt).toContain(`首次 ${local(String(usb['firstSeen']))}`);
    expect(txt).not.toMatch(/\d\d:\d\d:\d\d(?:\.\d+)?Z/);
    expect(txt).not.toMatch(/\+00:00/);
  });

  it('the HTML shows them in the reader\'s local time too (Chromium in Asia/Shanghai)', async () => {
    const chromium = chromiumName();
    requireTool(chromium);
    const times = (await evaluateInChromium(chromium, pathToFileURL(htmlPath).href, "[...document.querySelectorAll('time')].map((t) => [t.getAttribute('datetime'), t.textContent])", { TZ: 'Asia/Shanghai' })) as Array<[string, string]>;
    expect(times.length).toBeGreaterThan(3);
    for (const [iso, shown] of times) if (/Z$/.test(iso)) expect(shown).toBe(local(iso));
  }, 120_000);
});

// The same on a Linux disk (fixtures/roots/debian12-wifi: saved Wi-Fi, Bluetooth folders, kernel logs
// that name radios; plus plaso's Chrome History): the radios found in kernel logs explain themselves
// (matchedBy) in Chinese too.
describe('b. no English in the Chinese reports of a Linux disk', () => {
  let lrep: Report;
  let ltxt: string;
  let lhtml: string;
  beforeAll(async () => {
    const root = await linuxRootWithHistory();
    const out = join(work, 'out-linux');
    const r = spawnSync(process.execPath, [BIN, 'scan', '--root', root, '--profile', 'classified', '--out', out, '--lang', 'zh'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1', TZ: 'Asia/Shanghai' },
      timeout: 170_000,
    });
    expect(r.status, r.stderr).toBe(1);
    const json = join(out, (await readdir(out)).find((f) => f.endsWith('.json'))!);
    lrep = JSON.parse(await readFile(json, 'utf8')) as Report;
    ltxt = await readFile(json.replace(/\.json$/, '.txt'), 'utf8');
    lhtml = json.replace(/\.json$/, '.html');
  }, 180_000);

  it('radios with reasons, and the text report without English', () => {
    const radios = (lrep.inventory['wirelessAdapters'] as Array<{ matchedBy: Array<{ key: string }> }>) ?? [];
    expect(radios.length).toBeGreaterThan(0);
    expect(radios.every((a) => a.matchedBy.length > 0 && a.matchedBy.every((m) => typeof m.key === 'string'))).toBe(true);
    expect(englishLeaks(ltxt, lrep).map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);
  });

  it('the HTML as rendered, without English', async () => {
    const chromium = chromiumName();
    requireTool(chromium);
    const text = (await evaluateInChromium(chromium, pathToFileURL(lhtml).href, 'document.body.innerText', { TZ: 'Asia/Shanghai' })) as string;
    expect(text).toContain('识别依据');
    expect(englishLeaks(text, lrep).map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);
  }, 120_000);
});
