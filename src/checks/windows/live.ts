// Commands the probes run on a live Windows machine, and the one helper that runs PowerShell.
// Every command goes through `target.exec` (the Target's CommandRunner: execFile for real, recorded
// outputs in tests, keyed by commandKey = program + arguments joined by one space). The exact
// command lines are exported so that the tests' recorded outputs are keyed by the same strings.
//
// PowerShell: `powershell.exe -NoProfile -NonInteractive -Command "<prefix> <script> | ConvertTo-Json
// -Depth 3 -Compress"`. The prefix makes every error terminating (a non-zero exit, not a half
// answer) and asks for UTF-8 on stdout (device and process names are not ASCII on a Chinese
// machine; the console's OEM code page would mangle them). Parsing is pure: {@link parsePsJson}.
import type { CoverageItem } from '../../engine/types.js';
import { commandKey, POWERSHELL, powershellJsonArgs } from '../../target/runner.js';
import type { ExecResult, Target } from '../../target/types.js';

export { POWERSHELL };

/** The arguments of powershell.exe for a script (a pipeline whose objects become JSON). */
export const psArgs = powershellJsonArgs;

/** The recorded-output key of a PowerShell script as {@link runPowerShellJson} runs it. */
export function psKey(script: string): string {
  return commandKey(POWERSHELL, psArgs(script));
}

/** USB devices present now: USB\ and USBSTOR\ instances of Win32_PnPEntity (`Present`, where Windows has it, is checked too). */
export const PS_USB_PNP =
  "Get-CimInstance -ClassName Win32_PnPEntity | Where-Object { $_.PNPDeviceID -like 'USB\\*' -or $_.PNPDeviceID -like 'USBSTOR\\*' } | Select-Object PNPDeviceID,Name,Manufacturer,Service,Status,ClassGuid,PNPClass,Present,HardwareID,CompatibleID";
/** Network adapters, hidden ones included, with their state (enum values are not localised). */
export const PS_NET_ADAPTERS =
  'Get-NetAdapter -IncludeHidden | Select-Object Name,InterfaceDescription,Status,MediaType,PhysicalMediaType,PnPDeviceID,MacAddress,HardwareInterface';
/** Process ids and names (UTF-8 through PowerShell, unlike tasklist's OEM code page). */
export const PS_PROCESSES = 'Get-Process | Select-Object Id,ProcessName';

export const NETSTAT = 'netstat';
export const NETSTAT_ARGS: readonly string[] = ['-ano'];
export const NETSTAT_KEY = commandKey(NETSTAT, NETSTAT_ARGS);

/** Caps: a machine's answers are small; anything bigger is hostile or broken. */
export const PS_MAX_BYTES = 8 * 1024 * 1024;
export const PS_TIMEOUT_MS = 60_000;

export type LiveFailureKind = 'not-run' | 'exit' | 'stderr' | 'timeout' | 'too-large' | 'bad-output';

/** A command that gave no usable answer: why, in words the report can show. */
export class LiveCommandError extends Error {
  override readonly name = 'LiveCommandError';
  constructor(
    readonly kind: LiveFailureKind,
    /** How the command is shown: `netstat -ano`, `powershell.exe: Get-NetAdapter`. */
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/** Control characters (C0 but tab/newline, DEL, C1) shown as `\xNN`: nothing raw reaches a report. */
export function cleanText(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A short, clean excerpt of what a program printed, for a reason. */
function excerpt(s: string, max = 200): string {
  const t = cleanText(s.trim().replace(/\r?\n/g, ' '));
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/**
 * Check a command's result: a program that ran over time, wrote too much, exited non-zero or wrote
 * to stderr gave no answer to trust. Returns stdout (BOM stripped).
 */
export function checkResult(r: ExecResult, command: string, maxBytes: number): string {
  if (r.timedOut) throw new LiveCommandError('timeout', command, `${command} did not finish in time`);
  if (r.stdout.length > maxBytes || r.stderr.length > maxBytes) {
    throw new LiveCommandError('too-large', command, `${command} printed more than ${maxBytes} bytes`);
  }
  if (r.exitCode !== 0) {
    const why = excerpt(r.stderr) || excerpt(r.stdout);
    throw new LiveCommandError('exit', command, `${command} failed (exit ${r.exitCode ?? r.signal ?? '?'})${why ? `: ${why}` : ''}`);
  }
  if (r.stderr.trim() !== '') throw new LiveCommandError('stderr', command, `${command} reported an error: ${excerpt(r.stderr)}`);
  return r.stdout.replace(/^\uFEFF/, '');
}

/**
 * ConvertTo-Json's output → a list of objects. Empty output is an empty list (the pipeline had no
 * objects); a single object is not wrapped in an array by ConvertTo-Json (Windows PowerShell 5.1 has
 * no -AsArray), so it is wrapped here. Anything else (truncated JSON, a bare string, an array of
 * non-objects) is a `bad-output` failure.
 */
export function parsePsJson(stdout: string, command = 'PowerShell'): Array<Record<string, unknown>> {
  const t = stdout.replace(/^\uFEFF/, '').trim();
  if (t === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (err) {
    throw new LiveCommandError('bad-output', command, `${command} printed no valid JSON (${(err as Error).message}): ${excerpt(t, 80)}`);
  }
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    throw new LiveCommandError('bad-output', command, `${command} printed JSON that is not a list of objects`);
  }
  return list as Array<Record<string, unknown>>;
}

/** Run a command through the Target and check its result. */
export async function runLive(target: Target, file: string, args: readonly string[], opts: { timeoutMs?: number; maxBytes?: number; shown?: string } = {}): Promise<string> {
  const command = opts.shown ?? commandKey(file, args);
  const maxBytes = opts.maxBytes ?? PS_MAX_BYTES;
  let r: ExecResult;
  try {
    r = await target.exec(file, args, { timeoutMs: opts.timeoutMs ?? PS_TIMEOUT_MS, maxBuffer: maxBytes + 1 });
  } catch (err) {
    // execFile stops a program that writes past maxBuffer and reports it as an error, not a result.
    if (/maxBuffer/i.test((err as Error).message) || (err as { cause?: { code?: string } }).cause?.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
      throw new LiveCommandError('too-large', command, `${command} printed more than ${maxBytes} bytes`);
    }
    throw new LiveCommandError('not-run', command, `${file} could not run: ${excerpt((err as Error).message)}`);
  }
  return checkResult(r, command, maxBytes);
}

/** Run a PowerShell pipeline and return its objects (see {@link parsePsJson}). */
export async function runPowerShellJson(target: Target, script: string, opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<Array<Record<string, unknown>>> {
  const shown = psShown(script);
  const out = await runLive(target, POWERSHELL, psArgs(script), { ...opts, shown });
  return parsePsJson(out, shown);
}

/** How a PowerShell script is named in reasons and gaps: `powershell.exe: Get-NetAdapter`. */
export function psShown(script: string): string {
  return `${POWERSHELL}: ${script.split(' ')[0] ?? ''}`;
}

/** A string field of a PowerShell object (trimmed, control characters escaped), or undefined. */
export function psStr(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  if (typeof v !== 'string') return undefined;
  const t = cleanText(v.trim());
  return t === '' ? undefined : t;
}

/** A list-of-strings field (HardwareID, CompatibleID): a single string is a list of one. */
export function psStrs(o: Record<string, unknown>, k: string): string[] {
  const v = o[k];
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string').map((x) => cleanText(x.trim()));
}

/** The coverage gap of a failed live command: unreadable, blocking when the check cannot conclude without it. */
export function liveGap(err: unknown, what: string, blocking: boolean): CoverageItem {
  const e = err instanceof LiveCommandError ? err : new LiveCommandError('not-run', 'unknown', (err as Error).message);
  return { kind: 'unreadable', path: e.command, reason: `${what}: ${e.message} [${e.kind}]`, blocking };
}
