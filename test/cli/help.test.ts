// Every command's --help, and the CLI's errors, in the chosen language — through the built bin
// (bin/baomi.js → dist/), as an officer runs it. In Chinese, no ASCII word may appear outside what the
// user types or reads as a name (see foreignWords); every help has examples and exit codes.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foreignWordsIn } from './_foreign-words.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'baomi.js');
const LEDGER_FIX = join(REPO, 'fixtures', 'ledger');

/** Every command of the program, by path ([] is the program itself). A new command is a new row. */
const COMMANDS: readonly string[][] = [
  [],
  ['scan'],
  ['verify'],
  ['inspect'],
  ['keys'],
  ['keys', 'generate'],
  ['ledger'],
  ['ledger', 'validate'],
  ['rules'],
  ['rules', 'list'],
  ['rules', 'show'],
  ['rules', 'validate'],
  ['rules', 'test'],
  ['kit'],
  ['kit', 'build'],
  ['results'],
  ['results', 'list'],
  ['report'],
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built bin in a locale-free environment: the language comes only from what each test gives. */
function baomi(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(LANG|LANGUAGE|LC_.*)$/.test(k)) base[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...base, LANG: 'C', ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

/** Many runs, a few at a time (each is a Node start-up: the machine has two cores). */
async function runAll(jobs: ReadonlyArray<readonly [string, string[], Record<string, string>?]>): Promise<Map<string, Run>> {
  const out = new Map<string, Run>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const [name, args, env] = jobs[next++]!;
      out.set(name, await baomi(args, env));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return out;
}

const NAMES = ['baomi', 'help', ...COMMANDS.flat()];
const foreignWords = (text: string): string[] => foreignWordsIn(text, NAMES);

/** The subcommands a help lists under its commands title (`help` aside). */
function listedCommands(help: string, title: string): string[] {
  const lines = help.split('\n');
  const at = lines.findIndex((l) => l === title);
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l === '') break;
    const m = /^ {2}(\S+)/.exec(l); // a wrapped description is indented further
    if (m && m[1] !== 'help') out.push(m[1]!);
  }
  return out;
}

/** The exit codes a help lists under its exit-code title. */
function exitCodes(help: string, title: string): number[] {
  const lines = help.split('\n');
  const at = lines.findIndex((l) => l === title);
  const out: number[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l === '') break;
    const m = /^ {2}(\d+) {2,}\S/.exec(l);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

describe('help in Chinese and English', () => {
  const helps = new Map<string, { zh: string; en: string }>();
  let runs: Map<string, Run>;
  beforeAll(async () => {
    runs = await runAll(COMMANDS.flatMap((path) => [[`zh ${path.join(' ')}`, [...path, '--help', '--lang', 'zh']], [`en ${path.join(' ')}`, [...path, '--help']]] as const));
    for (const path of COMMANDS) helps.set(path.join(' '), { zh: runs.get(`zh ${path.join(' ')}`)!.stdout, en: runs.get(`en ${path.join(' ')}`)!.stdout });
  }, 600_000);
  for (const path of COMMANDS) {
    it(`baomi ${path.join(' ') || '(program)'} --help`, () => {
      const zh = runs.get(`zh ${path.join(' ')}`)!;
      const en = runs.get(`en ${path.join(' ')}`)!;
      expect(zh.code, zh.stderr).toBe(0);
      expect(en.code, en.stderr).toBe(0);
      expect(zh.stdout).toMatch(/^用法： baomi/);
      expect(zh.stdout).toContain('\n示例：\n  # ');
      expect(zh.stdout).toMatch(/\n {2}\$ baomi /);
      expect(zh.stdout).toContain('\n退出码：\n');
      expect(foreignWords(zh.stdout)).toEqual([]);
      const codes = exitCodes(zh.stdout, '退出码：');
      expect(codes).toContain(0);
      expect(codes).toContain(2);
      // English: the same sections, the same exit codes.
      expect(en.stdout).toMatch(/^Usage: baomi/);
      expect(en.stdout).toContain('\nExamples:\n  # ');
      expect(exitCodes(en.stdout, 'Exit codes:')).toEqual(codes);
      expect(en.stdout).not.toMatch(/用法|示例|退出码/);
    });
  }

  it(`covers every command the program has (${COMMANDS.length})`, async () => {
    // Walk the program's own listing: a command added without a row here fails.
    const found: string[][] = [[]];
    for (let i = 0; i < found.length; i++) {
      const help = helps.get(found[i]!.join(' '))?.zh ?? (await baomi([...found[i]!, '--help', '--lang', 'zh'])).stdout;
      for (const sub of listedCommands(help, '命令：')) found.push([...found[i]!, sub]);
    }
    expect(found.map((p) => p.join(' ')).sort()).toEqual(COMMANDS.map((p) => p.join(' ')).sort());
    expect(COMMANDS).toHaveLength(18);
  });

  it('each command lists its options, each with a Chinese description', () => {
    const scan = helps.get('scan')!.zh;
    for (const flag of ['--profile <类别>', '--root <目录>', '--ledger <文件>', '--out <目录>', '--format <格式>', '--lang <语言>']) expect(scan).toContain(flag);
    expect(scan).toContain('（可选：「text」「json」；默认：「text」）');
    const scanExits = exitCodes(scan, '退出码：');
    expect(scanExits).toEqual([0, 1, 2, 3, 130]);
    expect(exitCodes(helps.get('rules test')!.zh, '退出码：')).toEqual([0, 1, 2]);
    expect(exitCodes(helps.get('verify')!.zh, '退出码：')).toEqual([0, 1, 2]);
    expect(exitCodes(helps.get('results list')!.zh, '退出码：')).toEqual([0, 1, 2]);
    expect(exitCodes(helps.get('report')!.zh, '退出码：')).toEqual([0, 1, 2]);
    expect(exitCodes(helps.get('kit build')!.zh, '退出码：')).toEqual([0, 2]);
    // --lang is the program's, shown once among the global options, not again as the command's own.
    for (const path of ['kit build', 'results list', 'report']) {
      const zh = helps.get(path)!.zh;
      expect(zh.split('--lang <语言>').length - 1, path).toBe(1);
      expect(zh.indexOf('--lang <语言>'), path).toBeGreaterThan(zh.indexOf('全局选项'));
    }
    for (const flag of ['--out <目录>', '--ledger <文件>', '--rules <路径>', '--cache <目录>']) expect(helps.get('kit build')!.zh).toContain(flag);
    for (const flag of ['<目录...>', '--pubkey <文件...>', '--year <年份>', '--previous <目录...>']) expect(helps.get('report')!.zh).toContain(flag);
    // scan --root names the kit's disk finder in both languages.
    expect(scan.replace(/\s+/g, '')).toContain('给「auto」时');
    expect(helps.get('scan')!.en.replace(/\s+/g, ' ')).toContain('"auto" (in the USB kit\'s live system)');
  });

  it('LANG=zh_CN.UTF-8 gives Chinese without --lang; LC_ALL outranks LANG; --lang outranks both', async () => {
    const r = await runAll([
      ['lang', ['scan', '--help'], { LANG: 'zh_CN.UTF-8' }],
      ['lc_all', ['scan', '--help'], { LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' }],
      ['flag', ['scan', '--help', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' }],
      ['help cmd', ['help', 'verify'], { LC_MESSAGES: 'zh_TW.UTF-8' }],
    ]);
    expect(r.get('lang')!.stdout).toMatch(/^用法：/);
    expect(r.get('lc_all')!.stdout).toMatch(/^Usage:/);
    expect(r.get('flag')!.stdout).toMatch(/^Usage:/);
    expect(r.get('help cmd')!.stdout).toMatch(/^用法： baomi verify/);
  }, 120_000);

  it('the help wraps Chinese at the terminal width without splitting a flag or value', () => {
    for (const line of helps.get('scan')!.zh.split('\n')) {
      if (/^\s*\$ /.test(line)) continue;
      let w = 0;
      for (const ch of line) w += /[\u3000-\u303f\u4e00-\u9fff\uff00-\uff60]/u.test(ch) ? 2 : 1;
      expect(w, line).toBeLessThanOrEqual(80 + 4); // closing marks (」）) may hang past the edge
    }
    expect(helps.get('scan')!.zh).toContain('「nonclassified」');
  });
});

describe('errors in the chosen language, exit 2', () => {
  const cases: Array<{ what: string; args: string[]; zh: RegExp; en: RegExp }> = [
    { what: 'unknown option (commander)', args: ['scan', '--bogus'], zh: /^错误：未知选项 --bogus\n（用 --help 查看用法）\n$/, en: /^error: unknown option '--bogus'/ },
    { what: 'unknown option with a suggestion', args: ['scan', '--profil', 'x'], zh: /未知选项 --profil（是否想用 --profile？）/, en: /Did you mean --profile\?/ },
    { what: 'missing argument (commander)', args: ['verify'], zh: /^错误：缺少参数 <文件>\n（用 --help 查看用法）\n$/, en: /missing required argument 'files'/ },
    { what: 'invalid choice (commander)', args: ['scan', '--format', 'xml'], zh: /选项 --format <格式> 的取值「xml」无效，可选：「text」「json」/, en: /argument 'xml' is invalid\. Allowed choices are text, json\./ },
    { what: 'missing required option (commander)', args: ['keys', 'generate'], zh: /必须给出选项 --out <目录>/, en: /required option '--out <dir>' not specified/ },
    { what: 'unknown command (commander)', args: ['scna'], zh: /未知命令「scna」（是否想用 scan？）/, en: /unknown command 'scna'/ },
    { what: 'too many arguments (commander)', args: ['inspect', 'a', 'b'], zh: /参数过多：需要 1 个，给了 2 个/, en: /too many arguments/ },
    { what: 'a usage error (baomi)', args: ['scan', '--profile', 'foo'], zh: /^baomi: --profile 只能是「classified」.*不能是「foo」\n$/, en: /^baomi: --profile must be one of classified, intranet, nonclassified .*not "foo"\n$/ },
    { what: 'a usage error about a file', args: ['inspect', '/nonexistent/SYSTEM'], zh: /^baomi: \/nonexistent\/SYSTEM：文件不存在\n$/, en: /^baomi: \/nonexistent\/SYSTEM: no such file\n$/ },
  ];
  let runs: Map<string, Run>;
  beforeAll(async () => {
    runs = await runAll(cases.flatMap((c) => [[`zh ${c.what}`, [...c.args, '--lang', 'zh']], [`en ${c.what}`, c.args]] as const));
  }, 600_000);
  for (const c of cases) {
    it(c.what, () => {
      const zh = runs.get(`zh ${c.what}`)!;
      expect(zh.code).toBe(2);
      expect(zh.stdout).toBe('');
      expect(zh.stderr).toMatch(c.zh);
      expect(foreignWords(zh.stderr)).toEqual([]);
      const en = runs.get(`en ${c.what}`)!;
      expect(en.code).toBe(2);
      expect(en.stderr).toMatch(c.en);
    });
  }

  it('an invalid --lang is reported in the locale language', async () => {
    const r = await baomi(['verify', 'x.json', '--lang', 'fr'], { LANG: 'zh_CN.UTF-8' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/选项 --lang <语言> 的取值「fr」无效，可选：「zh」「en」/);
    expect(foreignWords(r.stderr)).toEqual([]);
  });

  it('a ledger with errors: each with file and row, in Chinese', async () => {
    const f = join(LEDGER_FIX, 'broken.csv');
    const r = await baomi(['ledger', 'validate', f, '--lang', 'zh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${f}:8: 错误: `);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^台账有 \d+ 个错误、\d+ 个警告/);
  });
});

describe('the allow-list rule itself', () => {
  it('flags English words and lets names, flags, paths and placeholders through', () => {
    expect(foreignWords('{file}：文件不存在')).toEqual([]);
    expect(foreignWords('用法： baomi scan [选项] --out <目录> /tmp/x 「text」 USB LC_ALL Ed25519 kern.log .sig')).toEqual([]);
    expect(foreignWords('检查 the disk（默认：output）')).toEqual(['the', 'disk', 'output']);
    expect(foreignWords('  $ baomi scan --profile intranet')).toEqual([]);
    expect(foreignWords('Usage: baomi')).toEqual(['Usage']);
  });
});
