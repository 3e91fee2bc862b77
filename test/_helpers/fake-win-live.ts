// A stand-in for the live Windows target until the real one (src/target/windows-live.ts) lands:
// files come from an FsTarget over a temp folder laid out as a system drive (`/Windows/System32/…`),
// and every command goes through a RecordedRunner answering from recorded outputs
// (fixtures/windows-live/). `reg save HKLM\<NAME> <file> /y` copies a corpus hive to <file>, as the
// real command writes the saved hive there. Kept small: the lead replaces it.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NETSTAT_KEY, PS_NET_ADAPTERS, PS_PROCESSES, PS_USB_PNP, psKey } from '../../src/checks/windows/live.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { RecordedRunner, type RecordedRun } from '../../src/target/runner.js';
import { FIXTURES, fixtureBytes, HIVES, makeWindowsRoot } from './windows-root.js';

export const LIVE_FIXTURES = join(FIXTURES, 'windows-live');

/** A recorded output of fixtures/windows-live/. */
export function liveFixture(name: string): string {
  return readFileSync(join(LIVE_FIXTURES, name), 'utf8');
}

/** The recorded outputs of fixtures/windows-live/, keyed as the probes run them. */
export function liveFixtureCommands(): Record<string, RecordedRun> {
  return {
    [NETSTAT_KEY]: { stdout: liveFixture('netstat-ano.txt') },
    [psKey(PS_PROCESSES)]: { stdout: liveFixture('get-process.json') },
    [psKey(PS_USB_PNP)]: { stdout: liveFixture('win32-pnpentity-usb.json') },
    [psKey(PS_NET_ADAPTERS)]: { stdout: liveFixture('get-netadapter.json') },
  };
}

export interface FakeWinLiveSpec {
  /** Hives `reg save` hands out: name (SYSTEM, SOFTWARE) → fixture under fixtures/windows/hives, or a path. */
  hives?: Partial<Record<'SYSTEM' | 'SOFTWARE', string>>;
  /** Recorded outputs by command key (default: {@link liveFixtureCommands}); `undefined` removes one. */
  commands?: Record<string, RecordedRun | undefined>;
  /** Files of the system drive: target path (no leading slash) → content. */
  files?: Record<string, string | Buffer>;
}

export async function fakeWinLive(spec: FakeWinLiveSpec = {}): Promise<{ target: FsTarget; runner: RecordedRunner; root: string }> {
  const root = await makeWindowsRoot({ files: spec.files ?? {} });
  await mkdir(join(root, 'Windows', 'System32', 'config'), { recursive: true }); // a system drive
  const table = { ...liveFixtureCommands(), ...(spec.commands ?? {}) };
  const runner = new RecordedRunner((key, file, args) => {
    if (key in table) return table[key];
    const name = /^HKLM\\(SYSTEM|SOFTWARE)$/i.exec(args[1] ?? '')?.[1]?.toUpperCase() as 'SYSTEM' | 'SOFTWARE' | undefined;
    if (file === 'reg' && args[0] === 'save' && args.length === 4 && args[3] === '/y') {
      const hive = name ? spec.hives?.[name] : undefined;
      if (hive === undefined) return { exitCode: 1, stderr: 'ERROR: Access is denied.\r\n' };
      return {
        stdout: 'The operation completed successfully.\r\n',
        effect: async (a) => writeFile(a[2]!, fixtureBytes(hive.includes('/') ? hive : join(HIVES, hive))),
      };
    }
    return undefined;
  });
  const target = await FsTarget.open('live', root, { runner });
  return { target, runner, root };
}
