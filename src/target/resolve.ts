// Chroot-style path resolution: a target-absolute path is walked component by component under
// the root on the host; `..` never climbs above the root and every symlink (absolute or relative)
// is re-resolved inside the root, so nothing a probe reads can lie outside the inspected disk.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TargetError } from './types.js';

/** Linux's own limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/** Split a target path into its components; backslashes count as separators too. */
export function splitTargetPath(path: string): string[] {
  return path.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
}

/** Normalise a target path to `/a/b` form, applying `..` lexically but never above `/`. */
export function normalizeTargetPath(path: string): string {
  const out: string[] = [];
  for (const c of splitTargetPath(path)) {
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

/**
 * Resolve `path` under `root` (a host directory). Returns the host path. Components that do not
 * exist are kept as written (the caller's open/stat then reports ENOENT for them).
 */
export async function resolveInRoot(
  root: string,
  path: string,
  followLast = true,
  caseInsensitive = false,
): Promise<string> {
  const done: string[] = [];
  let pending = splitTargetPath(path);
  let links = 0;
  while (pending.length > 0) {
    const [comp, ...rest] = pending as [string, ...string[]];
    pending = rest;
    if (comp === '..') {
      done.pop();
      continue;
    }
    const isLast = pending.length === 0;
    const host = join(root, ...done, comp);
    let isLink = false;
    try {
      isLink = (await lstat(host)).isSymbolicLink();
    } catch {
      // Windows disks are case-insensitive but a Linux mount of them is not: `WINDOWS/system32`
      // on an XP disk must answer for `/Windows/System32`.
      const found = caseInsensitive ? await findCaseInsensitive(join(root, ...done), comp) : undefined;
      if (found !== undefined) {
        pending = [found, ...pending];
        continue;
      }
      // Missing or unreadable: keep it as written and let the caller's open/stat fail on it. The
      // components after it are still checked one by one (a later `..` may lead back to real ones).
      done.push(comp);
      continue;
    }
    if (!isLink || (isLast && !followLast)) {
      done.push(comp);
      continue;
    }
    if (++links > MAX_SYMLINKS) {
      throw new TargetError('E_LOOP', '/' + [...done, comp].join('/'), `too many levels of symbolic links`);
    }
    const link = await readlink(host);
    const linkParts = splitTargetPath(link);
    if (link.startsWith('/')) done.length = 0; // absolute link: re-rooted at the target's root
    pending = [...linkParts, ...pending];
  }
  return join(root, ...done);
}

async function findCaseInsensitive(hostDir: string, name: string): Promise<string | undefined> {
  const lower = name.toLowerCase();
  try {
    const names = await readdir(hostDir);
    return names.find((n) => n !== name && n.toLowerCase() === lower);
  } catch {
    return undefined;
  }
}
