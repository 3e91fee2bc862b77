// One folder of the document walk listed: its regular files and subfolders in name order, its
// symbolic links counted (never followed). Used by the workers and, for the first levels of the
// tree while the workers start, by the coordinator.
import { readdirSync } from 'node:fs';

export interface Listing {
  files: string[];
  /** Target path and host path of each subfolder not skipped. */
  subdirs: Array<[string, string]>;
  symlinks: number;
}

/** Throws what readdir throws (the caller lists the folder as a gap). */
export function listFolder(t: string, h: string, skip: ReadonlySet<string>): Listing {
  const entries = readdirSync(h, { withFileTypes: true });
  const files: string[] = [];
  const subdirs: Array<[string, string]> = [];
  let symlinks = 0;
  for (const e of entries) {
    if (e.isDirectory()) {
      const sub = t === '/' ? `/${e.name}` : `${t}/${e.name}`;
      if (!skip.has(sub)) subdirs.push([sub, h.endsWith('/') ? `${h}${e.name}` : `${h}/${e.name}`]);
    } else if (e.isSymbolicLink()) symlinks++;
    else if (e.isFile()) files.push(e.name);
    // sockets, FIFOs and devices hold no documents (and opening a FIFO could block)
  }
  // Name order: the same on every run, so a resumed folder skips exactly what was done.
  files.sort();
  subdirs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { files, subdirs, symlinks };
}
