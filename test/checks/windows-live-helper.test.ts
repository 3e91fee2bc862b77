// The one PowerShell helper (src/checks/windows/live.ts): the exact command line (the recorded-output
// key), ConvertTo-Json's quirks, and every way a command can fail → a typed, named failure.
import { describe, expect, it } from 'vitest';
import {
  checkResult,
  cleanText,
  LiveCommandError,
  liveGap,
  parsePsJson,
  PS_NET_ADAPTERS,
  psArgs,
  psKey,
  runLive,
  runPowerShellJson,
} from '../../src/checks/windows/live.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { execRunner } from '../../src/target/runner.js';
import type { ExecResult } from '../../src/target/types.js';
import { fakeWinLive } from '../_helpers/windows-live-machine.js';

const ok = (stdout: string, over: Partial<ExecResult> = {}): ExecResult => ({ stdout, stderr: '', exitCode: 0, signal: null, timedOut: false, ...over });

describe('PowerShell command line', () => {
  it('is powershell.exe -NoProfile -NonInteractive -Command with UTF-8 output and ConvertTo-Json', () => {
    const args = psArgs('Get-Process | Select-Object Id');
    expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(args[3]).toBe("$ErrorActionPreference='Stop'; [Console]::OutputEncoding=[Text.Encoding]::UTF8; Get-Process | Select-Object Id | ConvertTo-Json -Depth 3 -Compress");
    expect(psKey('X')).toBe(`powershell.exe -NoProfile -NonInteractive -Command ${psArgs('X')[3]}`);
    // No double quote: Windows' command-line quoting of execFile arguments stays simple.
    expect(psArgs(PS_NET_ADAPTERS)[3]).not.toContain('"');
  });
});

describe('parsePsJson: ConvertTo-Json output → objects', () => {
  const cases: Array<[string, string, number]> = [
    ['empty output (no objects) is an empty list', '', 0],
    ['blank lines', '\r\n  \r\n', 0],
    ['one object is not wrapped by ConvertTo-Json', '{"Name":"WLAN"}', 1],
    ['an array', '[{"a":1},{"a":2}]', 2],
    ['a UTF-8 BOM before it', '\uFEFF[{"a":1}]\r\n', 1],
    ["Windows PowerShell 5.1's \\u0026 escapes", '{"PNPDeviceID":"USB\\\\VID_0781\\u0026PID_5580\\\\AA01"}', 1],
  ];
  it.each(cases)('%s', (_n, text, n) => expect(parsePsJson(text)).toHaveLength(n));
  it('ran every case', () => expect(cases).toHaveLength(6));
  it('decodes the escapes', () => expect(parsePsJson(cases[5]![1])[0]!['PNPDeviceID']).toBe('USB\\VID_0781&PID_5580\\AA01'));

  const bad: Array<[string, string]> = [
    ['truncated JSON', '[{"Name":"WLAN","Status":"U'],
    ['a bare string', '"hello"'],
    ['an array of numbers', '[1,2,3]'],
    ['null', 'null'],
    ['text with control characters', 'Get-NetAdapter : \u001b[31mAccess denied\u0007'],
  ];
  it.each(bad)('%s → a bad-output failure', (_n, text) => {
    let err: unknown;
    try {
      parsePsJson(text, 'powershell.exe: Get-NetAdapter');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LiveCommandError);
    expect((err as LiveCommandError).kind).toBe('bad-output');
    expect((err as Error).message).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
  it('ran every bad case', () => expect(bad).toHaveLength(5));
});

describe('checkResult: a run that gives no answer to trust', () => {
  const cases: Array<[string, ExecResult, string]> = [
    ['non-zero exit', ok('', { exitCode: 1, stderr: 'Get-NetAdapter : Access denied' }), 'exit'],
    ['killed by the time limit', ok('[{"a":1}]', { exitCode: null, signal: 'SIGKILL', timedOut: true }), 'timeout'],
    ['stderr with exit 0', ok('[]', { stderr: 'WARNING: something' }), 'stderr'],
    ['10 MB of output', ok('x'.repeat(10 * 1024 * 1024)), 'too-large'],
  ];
  it.each(cases)('%s', (_n, r, kind) => {
    expect(() => checkResult(r, 'cmd', 8 * 1024 * 1024)).toThrow(LiveCommandError);
    try {
      checkResult(r, 'cmd', 8 * 1024 * 1024);
    } catch (e) {
      expect((e as LiveCommandError).kind).toBe(kind);
    }
  });
  it('ran every case', () => expect(cases).toHaveLength(4));
  it('a clean run gives stdout without its BOM', () => expect(checkResult(ok('\uFEFF[]'), 'cmd', 10)).toBe('[]'));
});

describe('runPowerShellJson through a fake live target', () => {
  it('answers from the recorded output keyed by the exact command line', async () => {
    const { target, runner } = await fakeWinLive();
    const objs = await runPowerShellJson(target, PS_NET_ADAPTERS);
    expect(objs).toHaveLength(7);
    expect(runner.calls).toEqual([psKey(PS_NET_ADAPTERS)]);
  });

  it('a failure becomes an unreadable gap naming the command and why', async () => {
    const { target } = await fakeWinLive({ commands: { [psKey(PS_NET_ADAPTERS)]: { exitCode: 1, stderr: 'Get-NetAdapter : 拒绝访问。\r\n' } } });
    const err = await runPowerShellJson(target, PS_NET_ADAPTERS).catch((e: unknown) => e);
    expect(liveGap(err, 'adapters', true)).toEqual({
      kind: 'unreadable',
      path: 'powershell.exe: Get-NetAdapter',
      reason: 'adapters: powershell.exe: Get-NetAdapter failed (exit 1): Get-NetAdapter : 拒绝访问。 [exit]',
      blocking: true,
    });
  });

  it('with the real runner (execFile): 9 MB of output → too-large, a time limit → timeout, a missing program → not-run', async () => {
    const { root } = await fakeWinLive();
    const target = await FsTarget.open('live', root, { runner: execRunner });
    const node = process.execPath;
    const kind = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as LiveCommandError).kind);
    expect(await kind(runLive(target, node, ['-e', "process.stdout.write('x'.repeat(9*1024*1024))"], { maxBytes: 8 * 1024 * 1024 }))).toBe('too-large');
    expect(await kind(runLive(target, node, ['-e', 'setTimeout(() => {}, 20000)'], { timeoutMs: 300 }))).toBe('timeout');
    expect(await kind(runLive(target, '/nonexistent/powershell.exe', []))).toBe('not-run');
    expect(await runLive(target, node, ['-e', "process.stdout.write('[]')"])).toBe('[]');
  });

  it('cleanText escapes C0, DEL and C1 controls, keeps tab and newline', () => {
    expect(cleanText('a\u0000b\u001bc\u007fd\u009be\tf\ng')).toBe('a\\x00b\\x1bc\\x7fd\\x9be\tf\ng');
  });
});
