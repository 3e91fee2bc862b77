/**
 * Hives read from a Windows disk through the Target API (src/checks/windows/hives.ts): transaction logs
 * found beside the hive (any letter case) and replayed when it is dirty; what the coverage says —
 * blocking when the newest changes may be missing, a hive is damaged or truncated, informational when
 * the logs were replayed cleanly. And `baomi inspect` on a dirty hive (src/cli/inspect.ts).
 */
import { rm } from 'node:fs/promises';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { windowsUsbHistory } from '../../src/checks/usb/windows.js';
import { hiveNotes, systemHive, userHive, type OpenedHive } from '../../src/checks/windows/hives.js';
import { inspectCommand } from '../../src/cli/inspect.js';
import { readLogEntries } from '../../src/formats/regf.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { makeWindowsRoot } from '../_helpers/windows-root.js';
import { loadHiveBytes } from './_regfile.js';

const SAMSUNG = 'ControlSet001\\Enum\\USB\\VID_04E8&PID_61F5\\MSFT3012345679FD0B';
const CONFIG = '/Windows/System32/config';
const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

async function target(files: Record<string, Buffer>, system: Buffer | string = 'win10-SYSTEM_B.xz'): Promise<FsTarget> {
  const root = await makeWindowsRoot({ system, files });
  roots.push(root);
  return FsTarget.open('offline', root);
}

async function opened(t: FsTarget, name: 'SYSTEM' = 'SYSTEM'): Promise<OpenedHive> {
  const r = await systemHive(t, name);
  if (!r.ok) throw new Error(r.gap.reason);
  return r.value;
}

const LOG1 = (): Buffer => loadHiveBytes('win10-SYSTEM_B.LOG1');
const LOG2 = (): Buffer => loadHiveBytes('win10-SYSTEM_B.LOG2');

describe('hives on a Windows disk: logs replayed, damage said', () => {
  it('SYSTEM with system.log1 / System.LOG2 beside it (any case): replayed, the SSD is there, a non-blocking note', async () => {
    const t = await target({ 'Windows/System32/config/system.log1': LOG1(), 'Windows/System32/config/System.LOG2': LOG2() });
    const h = await opened(t);
    expect(h.hive.dirty).toBe(false);
    expect(h.hive.getKey(SAMSUNG)).toBeDefined();
    expect(h.logs).toMatchObject({
      dirty: true,
      found: [`${CONFIG}/system.log1`, `${CONFIG}/System.LOG2`],
      applied: [`${CONFIG}/system.log1`, `${CONFIG}/System.LOG2`],
      entries: 24,
      fromSequence: 1621,
      toSequence: 2130,
      damaged: false,
      problems: [],
    });
    const notes = hiveNotes(h);
    expect(notes).toEqual([
      {
        kind: 'hive-replayed',
        path: `${CONFIG}/SYSTEM`,
        reason: expect.stringMatching(/replayed as Windows does when loading it: 24 log entries from system\.log1 \+ System\.LOG2 \(sequence 1621 → 2130\)/),
        blocking: false,
      },
    ]);
    // The USB history read from this hive now has the Samsung Portable SSD T5 (UAS, VID_04E8&PID_61F5).
    const recs = windowsUsbHistory({ system: h });
    expect(recs.some((r) => r.vid === '04e8' && r.pid === '61f5')).toBe(true);
  });

  it('a dirty SYSTEM without logs: a blocking dirty-hive gap naming what is missing', async () => {
    const h = await opened(await target({}));
    expect(h.hive.dirty).toBe(true);
    expect(h.hive.getKey(SAMSUNG)).toBeUndefined();
    const notes = hiveNotes(h);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'dirty-hive', path: `${CONFIG}/SYSTEM`, blocking: true });
    expect(notes[0]!.reason).toMatch(/sequence numbers 1622\/1621 differ\): the newest changes may be missing — no transaction log \(\.LOG1\/\.LOG2\/\.LOG\) was found beside it/);
  });

  it('a corrupt entry in SYSTEM.LOG2: replayed up to it, and a blocking gap that says where it stopped', async () => {
    const log2 = Buffer.from(LOG2());
    const e = readLogEntries(log2, 2111).entries[4]!;
    log2[e.pages[0]!.at + 7]! ^= 0x20;
    const h = await opened(await target({ 'Windows/System32/config/SYSTEM.LOG1': LOG1(), 'Windows/System32/config/SYSTEM.LOG2': log2 }));
    expect(h.logs).toMatchObject({ entries: 8, toSequence: 2114, damaged: true });
    const notes = hiveNotes(h);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'dirty-hive', blocking: true });
    expect(notes[0]!.reason).toMatch(/8 log entries from SYSTEM\.LOG1 \+ SYSTEM\.LOG2 .* stopped early — the newest changes may be missing: SYSTEM\.LOG2: replay stopped at entry 2115 at 0x5e000: data hash \(Hash-1\) mismatch after 4 valid entries/);
  });

  it('logs that are not logs: blocking, with the reason per file', async () => {
    const h = await opened(await target({ 'Windows/System32/config/SYSTEM.LOG1': Buffer.from('garbage'), 'Windows/System32/config/SYSTEM.LOG2': Buffer.alloc(0) }));
    const [note] = hiveNotes(h);
    expect(note).toMatchObject({ kind: 'dirty-hive', blocking: true });
    expect(note!.reason).toMatch(/could not be used \(SYSTEM\.LOG1: not a transaction log \(no regf base block\); SYSTEM\.LOG2: empty\)/);
  });

  it('a clean hive: logs are not even read, no note', async () => {
    const t = await target({ 'Windows/System32/config/SYSTEM.LOG1': LOG1() }, 'win7-SYSTEM.xz');
    const h = await opened(t);
    expect(h.logs).toBeUndefined();
    expect(hiveNotes(h)).toEqual([]);
  });

  it('a damaged hive (xp-corrupted-SYSTEM): a blocking gap naming how many cells could not be read', async () => {
    const h = await opened(await target({}, 'xp-corrupted-SYSTEM.xz'));
    const notes = hiveNotes(h);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'hive-damaged', path: `${CONFIG}/SYSTEM`, blocking: true });
    expect(notes[0]!.reason).toMatch(/^hive is damaged: 176 cells could not be read \(167 in the key tree under \d+ keys, 9 value data\); 1687 keys and 5625 values were read; e\.g\. /);
    // Computed once per hive: a second probe asking again gets the same answer without a second walk.
    expect(hiveNotes(h)).toEqual(notes);
  });

  it('a truncated hive: blocking', async () => {
    const full = loadHiveBytes('win7-SYSTEM');
    const h = await opened(await target({}, full.subarray(0, Math.floor(full.length * 0.7))));
    const kinds = hiveNotes(h).map((n) => [n.kind, n.blocking]);
    expect(kinds).toContainEqual(['hive-truncated', true]);
    expect(kinds).toContainEqual(['hive-damaged', true]);
  });

  it('user hives (NTUSER.DAT) get the same replay: a dirty user hive without logs is a blocking gap', async () => {
    const t = await target({ 'Users/u1/NTUSER.DAT': loadHiveBytes('win10-NTUSER_BAGMRU.DAT') });
    const r = await userHive(t, '/Users/u1/NTUSER.DAT');
    expect(r.ok).toBe(true);
    const h = (r as { ok: true; value: OpenedHive }).value;
    expect(h.logs).toMatchObject({ dirty: true, found: [], entries: 0 });
    expect(hiveNotes(h)[0]).toMatchObject({ kind: 'dirty-hive', path: '/Users/u1/NTUSER.DAT', blocking: true });
  });
});

describe('baomi inspect on a dirty hive', () => {
  async function run(file: string, flags: Parameters<typeof inspectCommand>[1]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    try {
      const code = await inspectCommand(file, flags);
      return { code, out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('shows the replayed hive by default and says so; --no-logs (logs: false) shows the file as is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-inspect-logs-'));
    roots.push(dir);
    const file = join(dir, 'SYSTEM');
    await writeFile(file, loadHiveBytes('win10-SYSTEM_B'));
    await writeFile(join(dir, 'SYSTEM.LOG1'), LOG1());
    await writeFile(join(dir, 'SYSTEM.LOG2'), LOG2());
    const key = 'CurrentControlSet\\Enum\\USB\\VID_04E8&PID_61F5';
    const replayed = await run(file, { key });
    expect(replayed.code).toBe(0);
    expect(replayed.out).toMatch(/dirty hive shown with its transaction logs replayed, as Windows loads it: SYSTEM\.LOG1 \(4 entries, sequence 2107–2110\) \+ SYSTEM\.LOG2 \(20 entries, sequence 2111–2130\); sequence 1621 → 2130 \(--no-logs shows the file as is\)/);
    expect(replayed.out).toContain('MSFT3012345679FD0B');
    const json = await run(file, { key, json: true });
    expect(JSON.parse(json.out).path).toBe('ControlSet001\\Enum\\USB\\VID_04E8&PID_61F5');
    expect(json.err).toMatch(/transaction logs replayed/);
    const usb = await run(file, { usb: true });
    expect(usb.out).toMatch(/usb:04e8:61f5/i);
    // As is: the key does not exist in the primary file.
    await expect(run(file, { key, logs: false })).rejects.toThrow(/no key/);
    const asIs = await run(file, { key: 'CurrentControlSet\\Enum\\USB', logs: false });
    expect(asIs.out).toMatch(/DIRTY \(sequence numbers differ\): shown as is, transaction logs not replayed \(--no-logs\)/);
    expect(asIs.out).not.toContain('MSFT3012345679FD0B');
  });

  it('without logs beside it: DIRTY and not replayed, said', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-inspect-logs-'));
    roots.push(dir);
    const file = join(dir, 'SYSTEM');
    await writeFile(file, loadHiveBytes('win10-SYSTEM_B'));
    const r = await run(file, { key: 'Select' });
    expect(r.out).toMatch(/DIRTY \(sequence numbers differ\) and not replayed — the newest changes may be missing: no transaction log beside the hive/);
  });
});
