// OS detection from what is on the target's root — never from the host the tool runs on, since
// the boot kit is Linux while the disk it reads is usually Windows. Every path is resolved inside
// the root (an absolute symlink `/etc/os-release -> /usr/lib/os-release` is followed to the
// target's own /usr/lib, never the host's; a dangling one is simply not a sign).
//
// A root with none of the signs is a volume without an operating system (a data partition): its
// documents are still scanned, the checks that need an OS are "not applicable" (src/engine/run.ts).
import { stat } from 'node:fs/promises';
import type { TargetOs } from './types.js';

interface Sign {
  /** One path, or several that must all be there. */
  paths: ReadonlyArray<{ path: string; dir: boolean }>;
  family: 'windows' | 'linux';
}

const f = (path: string) => ({ path, dir: false });
const d = (path: string) => ({ path, dir: true });

/** Ordered, strongest first; a dual-boot root holding both is reported as Windows (the first). */
const SIGNS: readonly Sign[] = [
  { family: 'windows', paths: [d('/Windows/System32/config')] },
  { family: 'windows', paths: [f('/Windows/System32/ntoskrnl.exe')] },
  { family: 'windows', paths: [f('/Windows/explorer.exe'), d('/Windows/System32')] },
  { family: 'linux', paths: [f('/etc/os-release')] },
  { family: 'linux', paths: [f('/usr/lib/os-release')] },
  { family: 'linux', paths: [f('/etc/debian_version')] },
  { family: 'linux', paths: [f('/etc/lsb-release')] },
  { family: 'linux', paths: [f('/etc/redhat-release')] },
  { family: 'linux', paths: [f('/etc/centos-release')] },
  { family: 'linux', paths: [f('/etc/kylin-release')] },
  { family: 'linux', paths: [f('/etc/uos-release')] },
  // No release file (removed, or a minimal system): the layout of a Linux root, two signs together.
  { family: 'linux', paths: [f('/etc/passwd'), d('/var/log')] },
  { family: 'linux', paths: [f('/etc/hostname'), d('/var/log')] },
  { family: 'linux', paths: [f('/etc/fstab'), d('/usr/bin')] },
];

/** `resolve` maps a target path to a host path (inside the root, case-insensitively). */
export async function detectOs(resolve: (p: string) => Promise<string>): Promise<TargetOs> {
  const is = async (p: { path: string; dir: boolean }): Promise<boolean> => {
    try {
      const s = await stat(await resolve(p.path));
      return p.dir ? s.isDirectory() : s.isFile();
    } catch {
      return false;
    }
  };
  for (const sign of SIGNS) {
    let all = true;
    for (const p of sign.paths) {
      if (!(await is(p))) {
        all = false;
        break;
      }
    }
    if (all) return { family: sign.family, detectedFrom: sign.paths.map((p) => p.path).join(' + ') };
  }
  return { family: 'unknown', detectedFrom: null };
}
