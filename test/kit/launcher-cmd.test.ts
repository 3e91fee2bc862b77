// baomi.cmd (src/kit/launcher-cmd.ts) checked as text and structure: nothing here runs on real
// Windows. Line endings and encoding as cmd.exe needs them, the code page switched before the first
// Chinese byte and restored after the last, labels, parenthesised blocks, the asset variables, no
// %TEMP%, and the elevation relaunch reachable only past its once-only guard.
// (test/kit/kit.test.ts runs the built kit's baomi.cmd under Wine's cmd where Wine is installed.)
import { describe, expect, it } from 'vitest';
import { KIT_ASSETS } from '../../src/kit/assets.js';
import { BUNDLE_DIR } from '../../src/kit/bundle.js';
import { cmdSafe, ELEVATED_MARKER, launcherCmd } from '../../src/kit/launcher-cmd.js';
import { launcherScript } from '../../src/kit/launcher.js';
import { KIT_MSG } from '../../src/report/messages-kit.js';

const CMD = launcherCmd({ keyPath: 'key/kit.key', runtimeFile: 'runtime/win-x64/node.exe' });
const BYTES = Buffer.from(CMD, 'utf8');
const LINES = CMD.split('\r\n').slice(0, -1);

/** Lines that are commands (not comments, not labels). */
const isCode = (l: string): boolean => !/^\s*(rem\b|::|:)/i.test(l) && l.trim() !== '';

/** `set "NAME=value"` lines, in order. */
function sets(lines: readonly string[]): Array<[string, string]> {
  return lines.flatMap((l) => {
    const m = /^\s*(?:if .* )?set "([A-Za-z_][\w]*)=(.*)"$/.exec(l);
    return m ? [[m[1]!, m[2]!] as [string, string]] : [];
  });
}

/** Why the elevation relaunch could loop, or [] when every way to it passes the guard. */
export function elevationProblems(lines: readonly string[]): string[] {
  const problems: string[] = [];
  const relaunch = lines.flatMap((l, i) => (/Start-Process\b.*-Verb RunAs/.test(l) ? [i] : []));
  if (relaunch.length !== 1) return [`${relaunch.length} relaunch lines`];
  const at = relaunch[0]!;
  if (!lines[at]!.includes(`$env:BAOMI_SELF+$q+' ${ELEVATED_MARKER} '+$env:BAOMI_ARGV`)) problems.push('the relaunch does not pass the marker first');
  // Control reaches the relaunch line only from the label above it: the guard must lie between.
  let label = at;
  while (label >= 0 && !/^:\w/.test(lines[label]!)) label--;
  const between = lines.slice(label + 1, at);
  if (!between.some((l) => /^if defined BAOMI_ELEVATE_TRIED goto :run$/.test(l))) problems.push('no BAOMI_ELEVATE_TRIED guard between the last label and the relaunch');
  // The marker, when given first, defines BAOMI_ELEVATE_TRIED before that guard is reached.
  const marks = lines.findIndex((l) => l === `if "%~1"=="${ELEVATED_MARKER}" set "BAOMI_ELEVATE_TRIED=1"`);
  if (marks < 0 || marks > label) problems.push('the marker does not set BAOMI_ELEVATE_TRIED before the guard');
  // BAOMI_FIRST is the first argument, taken before anything can change it.
  if (!lines.includes('set "BAOMI_FIRST=%~1"')) problems.push('BAOMI_FIRST is not %~1');
  return problems;
}

describe('baomi.cmd: bytes', () => {
  it('CRLF on every line, no bare LF or CR, no BOM, valid UTF-8, ends with CRLF', () => {
    expect(BYTES.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(CMD.startsWith('@echo off\r\n')).toBe(true);
    expect(CMD.endsWith('\r\n')).toBe(true);
    expect(CMD).not.toMatch(/[^\r]\n/);
    expect(CMD).not.toMatch(/\r(?!\n)/);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(BYTES)).toBe(CMD);
    expect(LINES.length).toBeGreaterThan(50);
  });

  it('chcp 65001 comes before the first non-ASCII byte, the old code page is restored after the last', () => {
    const chcp = BYTES.indexOf('chcp 65001 >nul\r\n');
    const firstHigh = BYTES.findIndex((b) => b > 0x7f);
    const lastHigh = BYTES.length - 1 - [...BYTES].reverse().findIndex((b) => b > 0x7f);
    const restore = BYTES.indexOf('if defined BAOMI_OLDCP chcp !BAOMI_OLDCP! >nul\r\n');
    expect(chcp).toBeGreaterThan(0);
    expect(firstHigh).toBeGreaterThan(chcp);
    expect(restore).toBeGreaterThan(lastHigh);
    // the old code page is read from chcp's answer before it is changed, and kept only when all digits
    const read = LINES.findIndex((l) => l.includes("in ('chcp') do"));
    expect(read).toBeGreaterThan(-1);
    expect(read).toBeLessThan(LINES.indexOf('chcp 65001 >nul'));
    expect(LINES).toContain('if defined BAOMI_OLDCP for /f "delims=0123456789" %%c in ("%BAOMI_OLDCP%") do set "BAOMI_OLDCP="');
    // every way out passes the restore: the only exit /b is the line after it
    expect(LINES.filter((l) => /^\s*(?:if .*\s)?exit\b/i.test(l))).toEqual(['exit /b !BAOMI_RC!']);
    expect(LINES.at(-1)).toBe('exit /b !BAOMI_RC!');
    expect(LINES.at(-2)).toBe('if defined BAOMI_OLDCP chcp !BAOMI_OLDCP! >nul');
  });

  it('never names %TEMP% or %TMP%; TEMP and TMP point into the kit for node', () => {
    expect(CMD).not.toMatch(/%(TEMP|TMP)%/i);
    expect(CMD).not.toMatch(/!(TEMP|TMP)!/i);
    expect(CMD).not.toMatch(/%(LOCALAPPDATA|APPDATA|USERPROFILE)%/i);
    const env = new Map(sets(LINES));
    expect(env.get('TEMP')).toBe('!BAOMI_KIT_TMP!');
    expect(env.get('TMP')).toBe('!BAOMI_KIT_TMP!');
    expect(env.get('BAOMI_KIT_TMP')).toBe('!KIT!\\tmp\\run-%RANDOM%%RANDOM%');
    // made on the kit, removed at the end
    expect(LINES).toContain('mkdir "!BAOMI_KIT_TMP!" >nul 2>&1');
    expect(LINES).toContain('rd /s /q "!BAOMI_KIT_TMP!" >nul 2>&1');
  });
});

describe('baomi.cmd: structure', () => {
  it('every goto/call target is a label, each label defined once', () => {
    const labels = LINES.filter((l) => /^:\w+$/.test(l)).map((l) => l.slice(1).toLowerCase());
    expect(new Set(labels).size).toBe(labels.length);
    const targets = LINES.filter(isCode).flatMap((l) => [...l.matchAll(/\b(?:goto|call)\s+:?(\w+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect(targets.length).toBeGreaterThanOrEqual(10);
    const missing = targets.filter((t) => t !== 'eof' && !labels.includes(t));
    expect(missing).toEqual([]);
    // and no label is dead weight
    expect(labels.filter((l) => !targets.includes(l))).toEqual([]);
  });

  it('parentheses balance outside quotes, and no echo sits inside a block (a ) in a message would end it)', () => {
    let depth = 0;
    let echoesInBlock = 0;
    for (const l of LINES.filter(isCode)) {
      if (depth > 0 && /^\s*echo\b/i.test(l)) echoesInBlock++;
      if (/^\s*echo\b/i.test(l)) continue;
      const bare = l.replace(/"[^"]*"/g, '""');
      for (const c of bare) {
        if (c === '(') depth++;
        if (c === ')') depth--;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
    }
    expect(depth).toBe(0);
    expect(echoesInBlock).toBe(0);
  });

  it('checks the runtime the build wrote, then runs it on the bundle with the (marker-less) arguments, keeping the exit code', () => {
    expect(LINES).toContain('set "BAOMI_NODE=!KIT!\\runtime\\win-x64\\node.exe"');
    const check = LINES.indexOf('if exist "!BAOMI_NODE!" goto :have_runtime');
    expect(check).toBeGreaterThan(-1);
    expect(LINES.slice(check + 1, check + 5)).toEqual(['echo ' + KIT_MSG.cmdNoRuntime.zh, 'echo ' + KIT_MSG.cmdNoRuntime.en, 'set "BAOMI_RC=2"', 'goto :finish']);
    const run = LINES.indexOf(`"!BAOMI_NODE!" "!KIT!\\app\\${BUNDLE_DIR.replace(/\//g, '\\')}\\baomi.js" !BAOMI_ARGV!`);
    expect(run).toBeGreaterThan(-1);
    expect(LINES[run + 1]).toBe('set "BAOMI_RC=!ERRORLEVEL!"');
    // another runtime path is written as given
    expect(launcherCmd({ keyPath: 'key/kit.key', runtimeFile: 'runtime/win-x64-v2/node.exe' })).toContain('set "BAOMI_NODE=!KIT!\\runtime\\win-x64-v2\\node.exe"');
    // KIT is the script's folder without its trailing backslash
    expect(LINES).toContain('set "KIT=%~dp0"');
    expect(LINES).toContain('if "%KIT:~-1%"=="\\" set "KIT=%KIT:~0,-1%"');
  });

  it('sets the environment baomi.sh sets: the kit, its key, the asset variables of KIT_ASSETS, BAOMI_NATIVE=0', () => {
    const env = new Map(sets(LINES));
    expect(env.get('BAOMI_KIT')).toBe('!KIT!');
    expect(env.get('BAOMI_KIT_KEY')).toBe('!KIT!\\key\\kit.key');
    expect(env.get('BAOMI_NATIVE')).toBe('0');
    const assets = KIT_ASSETS.filter((a) => a.env !== undefined);
    expect(assets.length).toBeGreaterThanOrEqual(1);
    for (const a of assets) expect(env.get(a.env!), a.env).toBe(`!KIT!\\app\\${a.to.replace(/\//g, '\\')}`);
    // the same asset variables as the Linux launcher, no more, no fewer
    const shNames = [...launcherScript({ keyPath: 'key/kit.key', nativeArches: [] }).matchAll(/^(\w+)="\$KIT\/app\//gm)].map((m) => m[1]);
    const cmdNames = [...env.entries()].filter(([, v]) => v.startsWith('!KIT!\\app\\')).map(([k]) => k);
    expect(cmdNames.sort()).toEqual(shNames.sort());
    // all set before node runs
    const run = LINES.findIndex((l) => l.startsWith('"!BAOMI_NODE!"'));
    for (const name of ['BAOMI_KIT', 'BAOMI_KIT_KEY', 'BAOMI_NATIVE', 'BAOMI_KIT_TMP', ...assets.map((a) => a.env!)]) {
      expect(LINES.findIndex((l) => l.startsWith(`set "${name}=`)), name).toBeLessThan(run);
    }
  });

  it('prints each of its messages from the catalogue, the zh line then the en line, none needing escapes', () => {
    const keys = ['cmdNoRuntime', 'cmdElevateWhy', 'cmdElevated', 'cmdElevateDeclined', 'cmdNoTmp', 'cmdPause'] as const;
    let n = 0;
    for (const k of keys) {
      const i = LINES.indexOf(`echo ${KIT_MSG[k].zh}`);
      expect(i, k).toBeGreaterThan(-1);
      expect(LINES[i + 1], k).toBe(`echo ${KIT_MSG[k].en}`);
      expect(KIT_MSG[k].zh).toMatch(/[\u4e00-\u9fff]/);
      for (const lang of ['zh', 'en'] as const) expect(() => cmdSafe(KIT_MSG[k][lang])).not.toThrow();
      n++;
    }
    expect(n).toBe(6);
    // and nothing else is echoed
    expect(LINES.filter((l) => /^\s*echo\b/i.test(l)).length).toBe(2 * keys.length);
    // the elevation message says why: the hives, and what happens without the rights
    expect(KIT_MSG.cmdElevateWhy.en).toMatch(/SYSTEM, SOFTWARE/);
    expect(KIT_MSG.cmdElevateWhy.zh).toMatch(/SYSTEM、SOFTWARE/);
    expect(KIT_MSG.cmdElevateWhy.en).toMatch(/not done/);
  });

  it('cmdSafe refuses what cmd would interpret in an echo line', () => {
    const bad = ['a "b', '50%', 'hi!', 'a ^ b', 'x & y', 'x | y', 'a < b', 'a > b', 'two\r\nlines'];
    for (const s of bad) expect(() => cmdSafe(s), s).toThrow();
    expect(bad).toHaveLength(9);
    expect(cmdSafe('plain (text), with; punctuation: ok')).toBe('plain (text), with; punctuation: ok');
  });

  it('refuses a kit path that cmd would have to quote or that climbs out', () => {
    for (const p of ['key/../../x', 'key/kit key', 'key\\kit.key', 'key/kit%.key', '/abs/kit.key']) expect(() => launcherCmd({ keyPath: p }), p).toThrow();
  });
});

describe('baomi.cmd: elevation', () => {
  it('asks only for a scan (no arguments or scan), with fltmc, and relaunches through Start-Process -Verb RunAs', () => {
    const onlyScan = LINES.indexOf('if defined BAOMI_FIRST if /i not "!BAOMI_FIRST!"=="scan" goto :run');
    const fltmc = LINES.indexOf('fltmc >nul 2>&1');
    expect(onlyScan).toBeGreaterThan(-1);
    expect(fltmc).toBeGreaterThan(onlyScan);
    expect(LINES[fltmc + 1]).toBe('if not errorlevel 1 goto :run');
    const ps = LINES.find((l) => l.includes('Start-Process'))!;
    expect(ps).toMatch(/^"%SystemRoot%\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" -NoProfile -NonInteractive -Command "[^"]*"$/);
    // the script inside has no double quote of its own ([char]34 stands for it), no % and no !
    expect(/-Command "([^"]*)"$/.exec(ps)![1]).not.toMatch(/[%!]/);
    // the why comes before the UAC prompt; a refusal (or no PowerShell) goes on without elevation
    const why = LINES.indexOf(`echo ${KIT_MSG.cmdElevateWhy.en}`);
    expect(why).toBeLessThan(LINES.indexOf(ps));
    expect(LINES[LINES.indexOf(ps) + 1]).toBe('if errorlevel 1 goto :declined');
    const declined = LINES.indexOf(':declined');
    expect(LINES.slice(declined + 1, declined + 4)).toEqual([`echo ${KIT_MSG.cmdElevateDeclined.zh}`, `echo ${KIT_MSG.cmdElevateDeclined.en}`, ':run']);
    // the relaunched window keeps itself open at the end, and the arguments lose the marker
    const mark = LINES.indexOf(`if "%~1"=="${ELEVATED_MARKER}" set BAOMI_ARGV=%BAOMI_ARGV:${ELEVATED_MARKER}=%`);
    expect(mark).toBeGreaterThan(LINES.indexOf('set BAOMI_ARGV=%*'));
    expect(LINES.slice(mark + 1, mark + 3)).toEqual([`if "%~1"=="${ELEVATED_MARKER}" set "BAOMI_ELEVATE_TRIED=1"`, `if "%~1"=="${ELEVATED_MARKER}" set "BAOMI_PAUSE=1"`]);
    // taken while delayed expansion is still off
    expect(mark).toBeLessThan(LINES.indexOf('setlocal EnableDelayedExpansion'));
  });

  it('the marker prevents a second relaunch (and the check catches scripts where it would not)', () => {
    expect(elevationProblems(LINES)).toEqual([]);
    const guard = 'if defined BAOMI_ELEVATE_TRIED goto :run';
    const psAt = LINES.findIndex((l) => l.includes('Start-Process'));
    const broken: Array<[string, string[]]> = [
      ['guard removed', LINES.filter((l) => l !== guard)],
      ['label between guard and relaunch', [...LINES.slice(0, psAt), ':again', ...LINES.slice(psAt)]],
      ['marker not passed', LINES.map((l) => l.replaceAll(` ${ELEVATED_MARKER} '`, " '"))],
      ['the marker does not set the variable', LINES.filter((l) => l !== `if "%~1"=="${ELEVATED_MARKER}" set "BAOMI_ELEVATE_TRIED=1"`)],
      ['two relaunch lines', [...LINES.slice(0, psAt + 1), LINES[psAt]!, ...LINES.slice(psAt + 1)]],
    ];
    for (const [name, lines] of broken) expect(elevationProblems(lines), name).not.toEqual([]);
    expect(broken).toHaveLength(5);
  });

  it('pauses when double-clicked (cmd /c and this file in CMDCMDLINE) or relaunched, not otherwise', () => {
    expect(LINES).toContain('if not defined BAOMI_PAUSE if /i not "!CMDCMDLINE:/c=!"=="!CMDCMDLINE!" if /i not "!CMDCMDLINE:%BAOMI_SELF%=!"=="!CMDCMDLINE!" set "BAOMI_PAUSE=1"');
    const finish = LINES.indexOf(':finish');
    expect(LINES.slice(finish + 1, finish + 6)).toEqual(['if not defined BAOMI_PAUSE goto :restore', `echo ${KIT_MSG.cmdPause.zh}`, `echo ${KIT_MSG.cmdPause.en}`, 'pause >nul', ':restore']);
  });
});
