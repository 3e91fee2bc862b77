// OS detection from what is on the target's root — never from the host the tool runs on, since
// the boot kit is Linux while the disk it reads is usually Windows.
import { stat } from 'node:fs/promises';
import type { TargetOs } from './types.js';

/** Ordered: a dual-boot root holding both is reported as the first (Windows folders win). */
const MARKERS: ReadonlyArray<{ path: string; family: TargetOs['family']; dir: boolean }> = [
  { path: '/Windows/System32/config', family: 'windows', dir: true },
  { path: '/etc/os-release', family: 'linux', dir: false },
  { path: '/usr/lib/os-release', family: 'linux', dir: false },
];

/** `resolve` maps a target path to a host path (inside the root, case-insensitively). */
export async function detectOs(resolve: (p: string) => Promise<string>): Promise<TargetOs> {
  for (const m of MARKERS) {
    try {
      const s = await stat(await resolve(m.path));
      if (m.dir ? s.isDirectory() : s.isFile()) return { family: m.family, detectedFrom: m.path };
    } catch {
      // not this one
    }
  }
  return { family: 'unknown', detectedFrom: null };
}
