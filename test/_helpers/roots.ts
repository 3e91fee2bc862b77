// Offline Linux roots built from fixtures for tests that need more than the committed roots.
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './windows-root.js';

/** The debian12-wifi root plus a Chrome History (plaso corpus) in user zhang's profile. */
export async function linuxRootWithHistory(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'baomi-nethist-'));
  await cp(join(FIXTURES, 'roots', 'debian12-wifi'), root, { recursive: true, verbatimSymlinks: true });
  const prof = join(root, 'home', 'zhang', '.config', 'google-chrome', 'Default');
  await mkdir(prof, { recursive: true });
  await cp(join(FIXTURES, 'browsers', 'chrome', 'plaso-History'), join(prof, 'History'));
  return root;
}
