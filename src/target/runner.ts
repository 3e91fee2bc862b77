// The one place a live target runs a program. A live Windows target runs `reg save`, `reg query`,
// `netstat -ano`, PowerShell and the like through a CommandRunner; the real one is execFile (no
// shell), and tests replace it with recorded outputs (fixtures/windows-live/), so the whole live
// Windows path runs on Linux. Keep the glue thin: parse outputs in pure functions, not here.
import { execFile } from 'node:child_process';
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

/** One recorded run: what the program printed and its exit code (and, for `reg save`, the file it wrote). */
export interface RecordedRun {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Called with the arguments when the command runs (a fake `reg save` copies a corpus hive to its output path). */
  effect?: (args: readonly string[]) => Promise<void> | void;
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

  async run(file: string, args: readonly string[]): Promise<ExecResult> {
    const key = commandKey(file, args);
    this.calls.push(key);
    const r = this.answer(key, file, args);
    if (r === undefined) throw new TargetError('E_EXEC', file, `cannot run ${file}: not recorded (${key})`);
    await r.effect?.(args);
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.exitCode ?? 0, signal: null, timedOut: false };
  }
}
