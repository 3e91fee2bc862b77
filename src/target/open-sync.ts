// Synchronous read-only opens for worker threads (dedicated threads: blocking is what they are for),
// in a module of its own so that a worker loads nothing else of the target layer.
import { constants, openSync } from 'node:fs';

/** O_NOATIME keeps the inspected files' access times as they were; Linux allows it to the owner/root. */
const O_NOATIME: number = (constants as Record<string, number>)['O_NOATIME'] ?? 0;
/**
 * Cleared at the first EPERM: a scan that does not run as root is refused O_NOATIME on every file
 * it does not own, and trying first would double the opens (relatime still limits atime writes).
 */
let noatime = O_NOATIME !== 0;

/** `hostPath` as a Buffer: a path whose names are not UTF-8, opened by its bytes. */
export function openNoAtimeSync(hostPath: string | Buffer, extraFlags = 0): number {
  if (noatime) {
    try {
      return openSync(hostPath, constants.O_RDONLY | O_NOATIME | extraFlags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
      noatime = false;
    }
  }
  return openSync(hostPath, constants.O_RDONLY | extraFlags);
}
