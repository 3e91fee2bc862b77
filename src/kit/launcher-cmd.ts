// baomi.cmd, the kit's launcher on a running Windows PC (cmd.exe): asks for administrator rights
// (the registry hives can only be copied by an administrator) once, runs the kit's own node.exe
// straight from the stick — nothing is unpacked or copied onto the inspected PC, and its temporary
// folder is on the kit, not %TEMP% — with the assets' environment variables set to the kit's copies.
// Written with CRLF line endings, UTF-8 without BOM; only ASCII comes before `chcp 65001`, because
// cmd decodes each line it reads in the console's code page of that moment.
// Never run on real Windows here: tested by text and structure (test/kit/launcher-cmd.test.ts), and
// under Wine's cmd where Wine is installed.
import { KIT_ASSETS, KIT_WIN_RUNTIME } from './assets.js';
import { KIT_MSG } from '../report/messages-kit.js';

/** The first argument baomi.cmd gives itself when it relaunches elevated: it never asks twice. */
export const ELEVATED_MARKER = '--baomi-elevated';

/** Characters cmd treats specially in an echo line (outside a block) or under delayed expansion. */
const CMD_SPECIAL = /["%!^&|<>\r\n]/;

/** `s` for an echo line as it is, or a throw: the catalogue's cmd words must need no escaping. */
export function cmdSafe(s: string): string {
  if (CMD_SPECIAL.test(s)) throw new Error(`not printable by cmd echo as it is: ${JSON.stringify(s)}`);
  return s;
}

/** A kit-relative '/' path as a Windows path below !KIT!; only plain path characters are allowed. */
function kitPath(rel: string): string {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(rel) || rel.split('/').includes('..')) throw new Error(`not a plain kit path: ${rel}`);
  return `!KIT!\\${rel.replace(/\//g, '\\')}`;
}

type CmdKey = 'cmdNoRuntime' | 'cmdElevateWhy' | 'cmdElevated' | 'cmdElevateDeclined' | 'cmdNoTmp' | 'cmdPause';

/**
 * A catalogue message as two echo lines: Chinese, then English. Plain `echo text` (not `echo(`,
 * which Wine's cmd prints as is): every message starts with a word, never on, off or /?.
 */
function say(key: CmdKey): string[] {
  return [`echo ${cmdSafe(KIT_MSG[key].zh)}`, `echo ${cmdSafe(KIT_MSG[key].en)}`];
}

export interface CmdLauncherOptions {
  /** The kit's private key, relative to the kit ('/'-separated, as in kit.json). */
  keyPath: string;
  /** Where the build put node.exe, relative to the kit. */
  runtimeFile?: string;
}

/** The text of baomi.cmd (CRLF line endings). */
export function launcherCmd(opts: CmdLauncherOptions): string {
  const runtime = kitPath(opts.runtimeFile ?? KIT_WIN_RUNTIME.file);
  const assetEnv = KIT_ASSETS.filter((a) => a.env !== undefined).map((a) => `set "${a.env}=${kitPath(`app/${a.to}`)}"`);
  // A relaunch through PowerShell: its script reads the folder, this file and the arguments from
  // environment variables (inherited by powershell.exe), so nothing here needs a second layer of
  // quoting; [char]34 is the double quote. The elevated cmd gets:
  //   /d /c "cd /d "<folder>" & "<this file>" --baomi-elevated <arguments>"
  // (cmd /c drops the outer quotes). An elevated process starts in System32 and does not inherit
  // this one's environment: hence the cd, and the marker as an argument.
  const ps = [
    '$q=[char]34',
    `$a='/d /c '+$q+'cd /d '+$q+$env:BAOMI_CWD+$q+' & '+$q+$env:BAOMI_SELF+$q+' ${ELEVATED_MARKER} '+$env:BAOMI_ARGV+$q`,
    'try { Start-Process -FilePath $env:ComSpec -ArgumentList $a -Verb RunAs -ErrorAction Stop } catch { exit 1 }',
  ].join('; ');
  const lines = [
    '@echo off',
    'rem baomi USB kit launcher for Windows (written by `baomi kit build`; cmd.exe, CRLF, UTF-8).',
    'rem   baomi.cmd                  (or a double-click) the kit run on this PC, as the kit decides',
    'rem   baomi.cmd COMMAND ...      any baomi command (scan, verify, results list ...)',
    'rem A scan (no arguments, or scan) first asks once for administrator rights.',
    "rem Runs the kit's own node.exe from the stick; nothing is copied to or unpacked on this PC.",
    "rem Only ASCII above the chcp line: cmd reads each line in the console's code page.",
    'setlocal EnableExtensions DisableDelayedExpansion',
    'rem Taken before delayed expansion is on: it would eat exclamation marks in paths and arguments.',
    'set "BAOMI_SELF=%~f0"',
    'set "KIT=%~dp0"',
    'set "BAOMI_CWD=%CD%"',
    'set "BAOMI_FIRST=%~1"',
    'set "BAOMI_RC=0"',
    'set "BAOMI_PAUSE="',
    'rem Unquoted on purpose: the arguments keep the quoting the caller gave them.',
    'set BAOMI_ARGV=%*',
    'rem Relaunched elevated: the marker comes first; it leaves the arguments, and nothing asks again.',
    `if "%~1"=="${ELEVATED_MARKER}" set BAOMI_ARGV=%BAOMI_ARGV:${ELEVATED_MARKER}=%`,
    `if "%~1"=="${ELEVATED_MARKER}" set "BAOMI_ELEVATE_TRIED=1"`,
    `if "%~1"=="${ELEVATED_MARKER}" set "BAOMI_PAUSE=1"`,
    'if "%KIT:~-1%"=="\\" set "KIT=%KIT:~0,-1%"',
    'set "BAOMI_OLDCP="',
    "rem The code page to restore: the last word of chcp's answer (Active code page: 936), kept when all digits.",
    "for /f \"tokens=*\" %%a in ('chcp') do set \"BAOMI_OLDCP=%%a\"",
    'if defined BAOMI_OLDCP set "BAOMI_OLDCP=%BAOMI_OLDCP::= %"',
    'if defined BAOMI_OLDCP set "BAOMI_OLDCP=%BAOMI_OLDCP:.= %"',
    'if defined BAOMI_OLDCP for %%b in (%BAOMI_OLDCP%) do set "BAOMI_OLDCP=%%b"',
    'if defined BAOMI_OLDCP for /f "delims=0123456789" %%c in ("%BAOMI_OLDCP%") do set "BAOMI_OLDCP="',
    'chcp 65001 >nul',
    'setlocal EnableDelayedExpansion',
    'rem Started by a double-click (cmd /c with this file): keep the window open at the end.',
    'if not defined BAOMI_PAUSE if /i not "!CMDCMDLINE:/c=!"=="!CMDCMDLINE!" if /i not "!CMDCMDLINE:%BAOMI_SELF%=!"=="!CMDCMDLINE!" set "BAOMI_PAUSE=1"',
    `set "BAOMI_NODE=${runtime}"`,
    'if exist "!BAOMI_NODE!" goto :have_runtime',
    ...say('cmdNoRuntime'),
    'set "BAOMI_RC=2"',
    'goto :finish',
    ':have_runtime',
    'rem Only a scan needs administrator rights (verify, results list, help do not).',
    'if defined BAOMI_FIRST if /i not "!BAOMI_FIRST!"=="scan" goto :run',
    'rem Administrator? (fltmc answers only to one.) Asked once: the relaunch carries the marker.',
    'fltmc >nul 2>&1',
    'if not errorlevel 1 goto :run',
    'if defined BAOMI_ELEVATE_TRIED goto :run',
    'set "BAOMI_ELEVATE_TRIED=1"',
    ...say('cmdElevateWhy'),
    `"%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -NonInteractive -Command "${ps}"`,
    'if errorlevel 1 goto :declined',
    ...say('cmdElevated'),
    'goto :restore',
    ':declined',
    ...say('cmdElevateDeclined'),
    ':run',
    'set "BAOMI_KIT=!KIT!"',
    `set "BAOMI_KIT_KEY=${kitPath(opts.keyPath)}"`,
    'set "BAOMI_NATIVE=0"',
    ...assetEnv,
    'rem A private folder on the kit (never on this PC); TEMP and TMP point there for node too.',
    ':mktmp',
    'set "BAOMI_KIT_TMP=!KIT!\\tmp\\run-%RANDOM%%RANDOM%"',
    'if exist "!BAOMI_KIT_TMP!" goto :mktmp',
    'mkdir "!BAOMI_KIT_TMP!" >nul 2>&1',
    'if not errorlevel 1 goto :have_tmp',
    ...say('cmdNoTmp'),
    'set "BAOMI_RC=2"',
    'goto :finish',
    ':have_tmp',
    'set "TEMP=!BAOMI_KIT_TMP!"',
    'set "TMP=!BAOMI_KIT_TMP!"',
    '"!BAOMI_NODE!" "!KIT!\\app\\dist\\bundle\\baomi.js" !BAOMI_ARGV!',
    'set "BAOMI_RC=!ERRORLEVEL!"',
    'rd /s /q "!BAOMI_KIT_TMP!" >nul 2>&1',
    'rd "!KIT!\\tmp" >nul 2>&1',
    ':finish',
    'if not defined BAOMI_PAUSE goto :restore',
    ...say('cmdPause'),
    'pause >nul',
    ':restore',
    'rem ASCII only from here: the old code page may be back.',
    'if defined BAOMI_OLDCP chcp !BAOMI_OLDCP! >nul',
    'exit /b !BAOMI_RC!',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
