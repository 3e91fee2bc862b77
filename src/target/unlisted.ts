// Folders a pattern lookup (Target.glob) could not list — permission denied, an I/O error — are
// remembered for the probe that asked, so that "no Wi-Fi profile found" under a folder the scan could
// not open is reported as not checked, never as clean. The engine runs each probe's collect() inside
// `collectUnlisted`; FsTarget.glob notes every folder it could not list (a missing folder is no gap).
import { AsyncLocalStorage } from 'node:async_hooks';

const store = new AsyncLocalStorage<Set<string>>();

/** Run `fn`; the folders glob could not list during it (in its async calls too) are added to `into`. */
export function collectUnlisted<T>(into: Set<string>, fn: () => T): T {
  return store.run(into, fn);
}

/** A folder glob could not list (target path), noted for the probe running now. */
export function noteUnlisted(path: string): void {
  store.getStore()?.add(path);
}
