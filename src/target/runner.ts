// The one place a live target runs a program. A live Windows target runs `reg save`, `reg query`,
// `netstat -ano`, PowerShell and the like through a CommandRunner; the real one is execFile (no
// shell), and tests replace it with recorded outputs (fixtures/windows-live/), so the whole live
// Windows path runs on Linux. Keep the glue thin: parse outputs in pure functions, not here.
import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { TargetError, type ExecOptions, type ExecResult } from './types.js';

export interface CommandRunner {
  run(file: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
}

/** The recorded-output key of a command line: the program and its arguments joined by single spaces. */
export function commandKey(file: string, args: readonly string[]): string {
  return [file, ...args].join(' ');
}

/**
 * Runs programs for real: execFile without a shell, a time limit (default 10 s, then SIGKILL), a
 * cap on captured output (default 16 MiB), `windowsHide`. A program that cannot be started (missing:
 * ENOENT) is a TargetError E_EXEC, not a result. Output is decoded as UTF-8: commands whose output
 * matters beyond ASCII must be asked to write UTF-8 (PowerShell: [Console]::OutputEncoding).
 */
export const execRunner: CommandRunner = {
  run(file, args, opts = {}) {
    const timeout = opts.timeoutMs ?? 10_000;
    return new Promise((resolvePromise, reject) => {
      execFile(
        file,
        [...args],
        {
          timeout,
          killSignal: 'SIGKILL',
          maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024,
          env: { ...process.env, LC_ALL: 'C', ...(opts.env ?? {}) },
          encoding: 'utf8',
          windowsHide: true,
        },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: unknown }) | null;
          if (e && typeof e.code === 'string') {
            // Spawn failure (ENOENT: program missing) is not a program result.
            reject(new TargetError('E_EXEC', file, `cannot run ${file}: ${e.message}`, { cause: err }));
            return;
          }
          resolvePromise({
            stdout,
            stderr,
            exitCode: e ? (typeof e.code === 'number' ? e.code : null) : 0,
            signal: e?.signal ?? null,
            timedOut: Boolean(e?.killed && e.signal === 'SIGKILL'),
          });
        },
      );
    });
  },
};

/** PowerShell, for what Windows tells only through it (drives, devices, adapters, processes). */
export const POWERSHELL = 'powershell.exe';
/**
 * Every error terminating (a non-zero exit, not a half answer), and UTF-8 on stdout: to a pipe
 * PowerShell writes the console's OEM code page (936 on Chinese Windows), which mangles names.
 */
const PS_PREFIX = "$ErrorActionPreference='Stop'; [Console]::OutputEncoding=[Text.Encoding]::UTF8;";

/** The arguments of powershell.exe for a pipeline whose objects come back as compact JSON. */
export function powershellJsonArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-Command', `${PS_PREFIX} ${script} | ConvertTo-Json -Depth 3 -Compress`];
}

/** One recorded run: what the program printed and its exit code (and, for `reg save`, the file it wrote). */
export interface RecordedRun {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** The file the command writes: a copy of `from` at the path in argument `argIndex` (`reg save KEY FILE /y`: 2). */
  writes?: { argIndex: number; from: string };
  /** Called with the arguments when the command runs. */
  effect?: (args: readonly string[]) => Promise<void> | void;
}

/**
 * Recorded outputs as plain data (a test hands them to a child process): exact command lines, and
 * patterns (a regular expression over the command line) for commands with a varying argument.
 */
export interface RecordedSpec {
  exact: Record<string, Omit<RecordedRun, 'effect'>>;
  patterns?: Array<{ match: string; run: Omit<RecordedRun, 'effect'> }>;
}

/**
 * A runner that answers from recorded outputs, keyed by commandKey (or a function of the command
 * line). A command not recorded is E_EXEC, as a missing program would be. Every call is logged in
 * `calls`, so a test can assert what ran.
 */
export class RecordedRunner implements CommandRunner {
  readonly calls: string[] = [];
  constructor(private readonly answer: (key: string, file: string, args: readonly string[]) => RecordedRun | undefined) {}

  static of(table: Record<string, RecordedRun>): RecordedRunner {
    return new RecordedRunner((key) => table[key]);
  }

  static fromSpec(spec: RecordedSpec): RecordedRunner {
    const patterns = (spec.patterns ?? []).map((p) => ({ re: new RegExp(p.match, 's'), run: p.run }));
    return new RecordedRunner((key) => spec.exact[key] ?? patterns.find((p) => p.re.test(key))?.run);
  }

  async run(file: string, args: readonly string[]): Promise<ExecResult> {
    const key = commandKey(file, args);
    this.calls.push(key);
    const r = this.answer(key, file, args);
    if (r === undefined) throw new TargetError('E_EXEC', file, `cannot run ${file}: not recorded (${key})`);
    if (r.writes) {
      const to = args[r.writes.argIndex];
      if (to === undefined) throw new TargetError('E_EXEC', file, `recorded ${key}: no argument ${r.writes.argIndex}`);
      await copyFile(r.writes.from, to);
    }
    await r.effect?.(args);
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.exitCode ?? 0, signal: null, timedOut: false };
  }
}
