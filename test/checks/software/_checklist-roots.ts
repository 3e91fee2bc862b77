// Offline roots of the checklist fixtures (fixtures/checklist/, see its PROVENANCE.md): a Windows disk
// built from the generated hives, and the two Linux roots as committed.
import { join } from 'node:path';
import { pino } from 'pino';
import type { Probe, ProbeOk } from '../../../src/engine/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { FIXTURES, fixtureBytes, makeWindowsRoot } from '../../_helpers/windows-root.js';

export const CHECKLIST = join(FIXTURES, 'checklist');
export type Machine = 'violations' | 'clean';

/** <root>/Windows/System32/config/{SOFTWARE,SYSTEM,SAM}, Boot/BCD and Users/zhangsan/NTUSER.DAT of one fixture machine. */
export async function checklistWindowsRoot(m: Machine, extra: Record<string, string | Buffer> = {}): Promise<string> {
  const hive = (n: string) => fixtureBytes(join(CHECKLIST, 'windows', m, `${n}.xz`));
  return makeWindowsRoot({
    system: hive('SYSTEM'),
    files: {
      'Windows/System32/config/SOFTWARE': hive('SOFTWARE'),
      'Windows/System32/config/SAM': hive('SAM'),
      'Boot/BCD': hive('BCD'),
      'Users/zhangsan/NTUSER.DAT': hive('NTUSER.DAT'),
      ...extra,
    },
  });
}

export function checklistLinuxRoot(m: Machine): string {
  return join(CHECKLIST, 'linux', m);
}

const log = pino({ level: 'silent' });

export async function collect(probe: Probe, root: string, params: Record<string, unknown> = {}, mode: 'live' | 'offline' = 'offline'): Promise<ProbeOk> {
  const target = await FsTarget.open(mode, root);
  return (await probe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, params)) as ProbeOk;
}
