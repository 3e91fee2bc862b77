// The walk's optional native part (native/fastwalk.c, built by `npm run build` when a C compiler
// and Node's headers are there): the fast path over a run of files in one call, and glibc malloc
// tuning. Without it — no compiler, another libc, BAOMI_NATIVE=0 — the walk does the same in
// JavaScript, slower; the report says which one read the disk.
import { createRequire } from 'node:module';
import type { RawPath } from './listing.js';

export interface NativeWalk {
  /**
   * Rule out names[from..to) of the host folder `dir` as FolderScanner.fastPath would, stopping at
   * the first file JavaScript must see. `res` (5 slots) gets [index reached, bytes of the files
   * before it, why it stopped (FAST_STOP), how many of those were executables, and pictures] —
   * executables and pictures whose bytes hold a needle are done by it too: sniffed as such, only
   * their names would be read, and the names it is given hold no needle. `slots` are the worker's
   * shared progress slots. `dir` and each name: a string (UTF-8) or the bytes of a name that is
   * not UTF-8 (Buffer or Uint8Array).
   */
  fastRun(dir: RawPath, names: readonly RawPath[], from: number, to: number, needles: readonly Buffer[], overlap: number, slots: Float64Array, buf: Buffer, res: Float64Array): void;
  /** glibc's M_ARENA_MAX for threads started from now on; false when not glibc. */
  tuneMalloc(arenas: number): boolean;
  /** Hand free malloc memory back to the system (glibc's malloc_trim). */
  trim(): boolean;
}

/** Why fastRun stopped (res[2]). */
export const FAST_STOP = {
  end: 0,
  /** Something JavaScript must look at (container magic, a mail-like first line, markup with escapes). */
  content: 1,
  open: 2,
  split: 3,
  read: 4,
  /** A keyword's bytes and nothing else in the way: JavaScript's fast path would give up on it too. */
  needle: 5,
} as const;

let loaded: NativeWalk | null | undefined;
let why = '';

/** The native part, or undefined (walkReader() then says why). */
export function nativeWalk(): NativeWalk | undefined {
  if (loaded === undefined) {
    if (process.env['BAOMI_NATIVE'] === '0') {
      loaded = null;
      why = 'turned off by BAOMI_NATIVE=0';
    } else {
      try {
        // the same path from src/ (tests) and dist/ (the built tool)
        loaded = createRequire(import.meta.url)('../../../build/Release/baomi_native.node') as NativeWalk;
      } catch (err) {
        loaded = null;
        why = `not built (${(err as Error).message.split('\n')[0]})`;
      }
    }
  }
  return loaded ?? undefined;
}

/** Which reader the walk uses, for the report: "native" or "javascript (…why)". */
export function walkReader(): string {
  return nativeWalk() ? 'native' : `javascript — the native fast path is ${why}`;
}
