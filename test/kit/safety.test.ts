// An offline scan changes nothing on the target: a copy of a Linux and of a Windows fixture root
// (fixtures/roots/debian12-wifi; the win10-SYSTEM_B + SOFTWARE-sample hives with a marked document)
// whose every file's SHA-256, mtime and atime, and the list of names, are the same after the scan as
// before (a symbolic link's own atime excepted: see check()). The access times are set two years back first, so a read without O_NOATIME would move
// them (relatime updates an atime older than a day). The image-level check (ext4 and NTFS images
// unchanged after `scan --root auto`) is in test/kit/kit.test.ts, where loop devices work.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, lutimesSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, makeWindowsRoot, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';

const REPO = join(import.meta.dirname, '..', '..');
const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = join(rel, e.name);
    out.push(r);
    if (e.isDirectory()) out.push(...walk(dir, r));
  }
  return out.sort();
}

function state(root: string): Record<string, { sha?: string; mtimeNs: bigint; atimeNs: bigint; mode: number }> {
  const s: Record<string, { sha?: string; mtimeNs: bigint; atimeNs: bigint; mode: number }> = {};
  for (const r of walk(root)) {
    const st = lstatSync(join(root, r), { bigint: true });
    // Hash first, then stat: the hashing read itself is what is compared below, so lstat again after.
    s[r] = { mtimeNs: st.mtimeNs, atimeNs: st.atimeNs, mode: Number(st.mode) };
    if (st.isFile()) s[r]!.sha = createHash('sha256').update(readFileSync(join(root, r))).digest('hex');
  }
  return s;
}

/** Set every atime two years back (mtimes kept), so that a careless read shows. */
function ageAtimes(root: string): void {
  const old = new Date(Date.now() - 2 * 365 * 86400_000);
  for (const r of walk(root)) {
    const st = lstatSync(join(root, r));
    if (st.isSymbolicLink()) lutimesSync(join(root, r), old, st.mtime);
    else utimesSync(join(root, r), old, st.mtime);
  }
}

async function check(root: string, profile: string): Promise<void> {
  ageAtimes(root);
  // state() reads every file: age again after it, and take the times without reading.
  const hashes = state(root);
  ageAtimes(root);
  const times = Object.fromEntries(walk(root).map((r) => [r, lstatSync(join(root, r), { bigint: true })]));
  const out = mkdtempSync(join(tmpdir(), 'baomi-safety-out-'));
  cleanup.push(out);
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'baomi.js'), 'scan', '--root', root, '--profile', profile, '--out', out], { encoding: 'utf8', timeout: 240_000 });
  expect([0, 1, 3], r.stderr).toContain(r.status);
  const after = Object.fromEntries(walk(root).map((p) => [p, lstatSync(join(root, p), { bigint: true })]));
  expect(Object.keys(after)).toEqual(Object.keys(times));
  // Every modification time, and the access time of every file and folder, is unchanged. A symbolic
  // link's own access time is the one exception on a read-write mount: Linux sets it when the link is
  // read (readlink has no O_NOATIME), and the resolver reads links to confine them. On the kit's
  // read-only mounts nothing moves at all (the image checksums in test/kit/kit.test.ts).
  const mtimes = Object.entries(times).filter(([p, st]) => after[p]!.mtimeNs !== st.mtimeNs).map(([p]) => p);
  expect(mtimes).toEqual([]);
  const atimes = Object.entries(times).filter(([p, st]) => !st.isSymbolicLink() && after[p]!.atimeNs !== st.atimeNs).map(([p]) => p);
  expect(atimes).toEqual([]);
  const again = state(root);
  for (const [p, v] of Object.entries(hashes)) expect(again[p]!.sha, p).toBe(v.sha);
}

describe('an offline scan changes nothing on the target (copied trees)', { timeout: 300_000 }, () => {
  it('Linux root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'baomi-safety-lin-'));
    cleanup.push(root);
    cpSync(join(FIXTURES, 'roots', 'debian12-wifi'), root, { recursive: true, verbatimSymlinks: true });
    await check(root, 'intranet');
  });
  it('Windows root with a marked document', async () => {
    const root = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE, files: { 'Users/li/Documents/通知.txt': '机密★10年\n关于……的通知\n' } });
    cleanup.push(root);
    await check(root, 'nonclassified');
  });
});
