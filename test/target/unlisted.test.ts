// A folder a pattern lookup could not list is a gap of the probe that looked, never "nothing there":
// FsTarget.glob notes it, the engine turns it into a blocking `unreadable` item of that probe. Tests
// run as root (permission bits do not stop root), so the refusal is made by the target's readDir.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/engine/run.js';
import type { Probe, Rule } from '../../src/engine/types.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { TargetError } from '../../src/target/types.js';
import { collectUnlisted } from '../../src/target/unlisted.js';

async function rootWithLockedFolder(): Promise<FsTarget> {
  const root = await mkdtemp(join(tmpdir(), 'baomi-unlisted-'));
  for (const d of ['etc', 'profiles/open', 'profiles/locked']) await mkdir(join(root, d), { recursive: true });
  await writeFile(join(root, 'etc', 'os-release'), 'ID=debian\n');
  await writeFile(join(root, 'profiles', 'open', 'a.xml'), '<x/>');
  await writeFile(join(root, 'profiles', 'locked', 'b.xml'), '<x/>');
  const t = await FsTarget.open('offline', root);
  const readDir = t.readDir.bind(t);
  // as a folder of another user's is to a scan that is not root
  t.readDir = async (p) => {
    if (String(p) === '/profiles/locked') throw new TargetError('E_ACCESS', '/profiles/locked', '/profiles/locked: permission denied');
    return readDir(p);
  };
  return t;
}

describe('folders a glob could not list', () => {
  it('are noted for the caller; a missing folder is not', async () => {
    const t = await rootWithLockedFolder();
    const seen = new Set<string>();
    const found = await collectUnlisted(seen, () => t.glob('/profiles/*/*.xml'));
    expect(found).toEqual(['/profiles/open/a.xml']);
    expect([...seen]).toEqual(['/profiles/locked']);
    const none = new Set<string>();
    expect(await collectUnlisted(none, () => t.glob('/nothing/*/*.xml'))).toEqual([]);
    expect(none.size).toBe(0);
  });

  it('become a blocking gap of the probe that looked (and of no other)', async () => {
    const t = await rootWithLockedFolder();
    const rule = (id: string, probe: string): Rule => ({
      id, title: { zh: id, en: id }, severity: 'high', profiles: ['classified'], basis: 't', probe,
      match: { field: 'bad', equals: true }, remediation: { zh: '-', en: '-' }, source: { file: 't.yaml', line: 1, builtin: false },
    });
    const mk = (id: string, pattern: string): Probe => ({
      id, description: id, platforms: ['linux'], modes: ['offline'], identity: ['path'], observes: 'any', timeoutMs: 5000,
      async collect(ctx) {
        return { status: 'ok', observations: (await ctx.target.glob(pattern)).map((path) => ({ path, bad: false })) };
      },
    });
    const identity: Probe = { ...mk('identity', '/etc/*'), async collect() { return { status: 'ok', observations: [{ hostname: 'h' }] }; } };
    const probes = new Map([['identity', identity], ['looks', mk('looks', '/profiles/*/*.xml')], ['other', mk('other', '/etc/*')]]);
    const out = await runScan({ target: t, rules: [rule('r1', 'looks'), rule('r2', 'other')], probes, options: { profile: 'classified' }, log: pino({ level: 'silent' }) });
    expect(out.coverage.filter((c) => c.kind === 'unreadable')).toEqual([
      { probe: 'looks', kind: 'unreadable', path: '/profiles/locked', reason: '/profiles/locked: folder could not be listed (no permission?): what it holds was not checked', blocking: true },
    ]);
  });
});
