// The systemd journal of a target, read by the kit's journalctl (`--directory`, which only reads):
// one runner for every probe that needs kernel lines from it (USB history, wireless radios).
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parseJournalJsonLine, type JournalKernelEntry } from '../formats/kernel-log.js';
import type { Target } from '../target/types.js';

/** The kit's journalctl: an explicit path, or the first `journalctl` on PATH. */
export async function findJournalctl(explicit: string | undefined, pathVar: string | undefined): Promise<string | undefined> {
  const candidates = explicit !== undefined ? [explicit] : (pathVar ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'journalctl'));
  for (const c of candidates) {
    try {
      await access(c, fsConstants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/** Journal files (`*.journal`, `*.journal~`) in a journal directory and its machine-id folders. */
export async function countJournalFiles(target: Target, dir: string): Promise<number> {
  let n = 0;
  let ents;
  try {
    ents = await target.readDir(dir);
  } catch {
    return 0;
  }
  for (const e of ents) {
    if (e.kind === 'file' && /\.journal~?$/.test(e.name)) n++;
    else if (e.kind === 'dir') {
      // an unreadable subfolder: journalctl will say
      n += (await target.readDir(`${dir}/${e.name}`).catch(() => [])).filter((x) => x.kind === 'file' && /\.journal~?$/.test(x.name)).length;
    }
  }
  return n;
}

export interface JournalRun {
  /** Kernel entries journalctl gave. */
  entries: number;
  firstUs?: number;
  lastUs?: number;
  exitCode: number | null;
  timedOut: boolean;
  capped: boolean;
  spawnError?: string;
  stderr: string;
}

/**
 * Run journalctl on a journal directory of the target (host path) for its kernel entries, streaming
 * its JSON output into `onEntry`; killed at the time budget, at the output cap, or on abort.
 */
export function runJournalctl(
  journalctl: string,
  hostDir: string,
  o: { timeoutMs: number; maxBytes: number; signal?: AbortSignal; env: NodeJS.ProcessEnv; onEntry: (e: JournalKernelEntry) => void },
): Promise<JournalRun> {
  return new Promise((resolve) => {
    const run: JournalRun = { entries: 0, exitCode: null, timedOut: false, capped: false, stderr: '' };
    // _TRANSPORT=kernel, not -k: -k implies -b (the last boot only).
    const args = [`--directory=${hostDir}`, '--output=json', '--no-pager', '--output-fields=MESSAGE,_SOURCE_MONOTONIC_TIMESTAMP', '_TRANSPORT=kernel'];
    const child = spawn(journalctl, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...o.env, LC_ALL: 'C', SYSTEMD_PAGER: 'cat', SYSTEMD_COLORS: '0', SYSTEMD_LESS: '' },
    });
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      run.timedOut = true;
      kill();
    }, o.timeoutMs);
    o.signal?.addEventListener('abort', kill, { once: true });
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let bytes = 0;
    const line = (l: string): void => {
      const e = parseJournalJsonLine(l);
      if (!e) return;
      run.entries++;
      run.firstUs ??= e.realtimeUs;
      run.lastUs = e.realtimeUs;
      o.onEntry(e);
    };
    child.stdout.on('data', (b: Buffer) => {
      if (run.capped) return;
      bytes += b.length;
      if (bytes > o.maxBytes) {
        run.capped = true;
        kill();
        return;
      }
      const parts = (rest + decoder.write(b)).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) line(p);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (run.stderr.length < 65536) run.stderr += b.toString('utf8');
    });
    child.on('error', (err) => {
      run.spawnError = err.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', kill);
      if (!run.capped && !run.timedOut) line(rest + decoder.end());
      run.exitCode = code;
      resolve(run);
    });
  });
}
