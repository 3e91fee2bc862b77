// `scan --root auto` (in the kit's live environment): list the block devices, skip the kit's own
// stick and the live system, report BitLocker / LUKS volumes as encrypted (not scanned), mount each
// candidate read-only under a private temporary folder (no journal replayed), scan each — a volume
// holding an operating system, then the data volumes (documents only) — and unmount. Each volume
// gives a report, and each report lists what became of the machine's other volumes.
import { execFile } from 'node:child_process';
import { mkdtemp, open, realpath, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FsTarget } from '../target/fs-target.js';
import { pickLang, terminalText } from '../cli/common.js';
import { KIT_AUTO, kitWords } from '../report/messages-kit.js';
import { fillFsTypes, hibernated, LSBLK_ARGS, LSBLK_ARGS_OLD, mountCommand, parseLsblk, planDevices, type BlockDevice, type PlanItem } from './devices.js';

const execFileP = promisify(execFile);
type Lang = 'zh' | 'en';

/** What the batch log keeps about a volume: its device, and (for a scan) what the scan could not say. */
export interface AutoNote {
  device: string;
  fstype: string | null;
  kind: 'hibernated';
}

export interface NotScanned {
  device: string;
  fstype: string | null;
  label: string | null;
  uuid: string | null;
  reason: 'encrypted' | 'mount-failed' | 'no-os';
  scheme?: string;
  detail?: string;
}

export interface AutoOptions {
  lang: Lang;
  kitDir: string | undefined;
  /** Scan one mounted root (the argv of `scan`, with --root set); resolves to its exit code. */
  scanOne: (args: string[], volume: { device: string; notes: AutoNote[]; data?: boolean }) => Promise<number>;
  /** A volume that was not scanned (encrypted, not mountable, no OS): for the batch log. */
  notScanned?: (item: NotScanned) => Promise<void>;
  /** Tests: the lsblk JSON instead of running lsblk. */
  lsblkJson?: string;
}

async function lsblk(): Promise<string> {
  try {
    return (await execFileP('lsblk', LSBLK_ARGS, { timeout: 30_000, maxBuffer: 8 * 1024 * 1024 })).stdout;
  } catch {
    return (await execFileP('lsblk', LSBLK_ARGS_OLD, { timeout: 30_000, maxBuffer: 8 * 1024 * 1024 })).stdout;
  }
}

/** The disks holding `dir` (the kit's folder): the device of the mount that contains it. */
export function disksHolding(dir: string, devices: readonly BlockDevice[]): Set<string> {
  let best: BlockDevice | undefined;
  let bestLen = -1;
  for (const d of devices) {
    for (const m of d.mountpoints) {
      const inside = dir === m || dir.startsWith(m.endsWith('/') ? m : `${m}/`);
      if (inside && m.length > bestLen && m !== '/') {
        best = d;
        bestLen = m.length;
      }
    }
  }
  return new Set(best ? [best.disk] : []);
}

function say(text: string): void {
  process.stderr.write(`${terminalText(`baomi: ${text}`)}\n`);
}

function replaceRoot(args: readonly string[], root: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--root') {
      i++;
      continue;
    }
    if (a.startsWith('--root=')) continue;
    out.push(a);
  }
  return [...out, '--root', root];
}

async function run(cmd: string, args: string[]): Promise<void> {
  await execFileP(cmd, args, { timeout: 120_000 });
}

/** Run `scan --root auto`; resolves to the exit code (2 when nothing could be done, 1 findings, 3 gaps). */
export async function scanAuto(scanArgs: string[], opts: AutoOptions): Promise<number> {
  const { lang } = opts;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    const launcher = opts.kitDir ? `sudo sh ${join(opts.kitDir, 'baomi.sh')}` : 'sudo baomi scan --root auto';
    say(kitWords(KIT_AUTO.needRoot, lang, { cmd: launcher }));
    return 2;
  }
  let devices: BlockDevice[];
  try {
    devices = parseLsblk(opts.lsblkJson ?? (await lsblk()));
  } catch (err) {
    say(kitWords(KIT_AUTO.lsblkFailed, lang, { why: (err as Error).message }));
    return 2;
  }
  // BAOMI_AUTO_DEVICES: only these devices are candidates (tests; an officer naming the disk).
  const onlyEnv = process.env['BAOMI_AUTO_DEVICES'];
  const only = onlyEnv ? new Set(onlyEnv.split(',').map((x) => x.trim()).filter((x) => x !== '')) : undefined;
  await fillFsTypes(devices.filter((d) => !only || only.has(d.name)), async (dev) => (await execFileP('blkid', ['-p', '-o', 'export', dev], { timeout: 30_000 })).stdout);
  const kitReal = opts.kitDir ? await realpath(opts.kitDir).catch(() => opts.kitDir!) : undefined;
  const plan = planDevices(devices, { kitDisks: kitReal ? disksHolding(kitReal, devices) : new Set(), ...(only ? { only } : {}) });
  for (const p of plan) say(describe(p, lang));

  let code = 0;
  let scanned = 0;
  let gaps = 0;
  const worst = (c: number): void => {
    // 2 (could not) > 1 (findings) > 3 (incomplete) > 0
    const rank = (x: number): number => (x === 2 ? 3 : x === 1 ? 2 : x === 3 ? 1 : x === 0 ? 0 : 4);
    if (rank(c) > rank(code)) code = c;
  };
  // First every volume is mounted and looked at, so that each report can say what became of the
  // machine's other volumes (an encrypted one is a blocking gap in all of them).
  const mounted: Array<{ p: PlanItem; dir: string; os: 'linux' | 'windows' | 'unknown'; notes: AutoNote[] }> = [];
  const volumeNotes: VolumeNote[] = [];
  try {
    for (const p of plan) {
      const dv = { device: p.device.name, fstype: p.device.fstype, label: p.device.label, uuid: p.device.uuid };
      if (p.action.kind === 'encrypted') {
        gaps++;
        volumeNotes.push({ device: p.device.name, what: volumeWhat(p), fate: 'encrypted', scheme: p.action.scheme });
        await opts.notScanned?.({ ...dv, reason: 'encrypted', scheme: p.action.scheme });
        continue;
      }
      if (p.action.kind !== 'scan') continue;
      const dir = await mkdtemp(join(tmpdir(), 'baomi-auto-'));
      const [cmd, args] = mountCommand(p.action.fstype, p.device.name, dir);
      try {
        await run(cmd, args);
      } catch (err) {
        say(kitWords(KIT_AUTO.mountFailed, lang, { dev: p.device.name, cmd: `${cmd} ${args.join(' ')}`, why: ((err as { stderr?: string }).stderr || (err as Error).message).trim() }));
        await rmdir(dir).catch(() => undefined);
        gaps++;
        volumeNotes.push({ device: p.device.name, what: volumeWhat(p), fate: 'mount-failed' });
        await opts.notScanned?.({ ...dv, reason: 'mount-failed', detail: `${cmd} ${args.join(' ')}` });
        continue;
      }
      const notes: AutoNote[] = [];
      mounted.push({ p, dir, os: 'unknown', notes });
      if (p.action.fstype === 'ntfs') {
        const fh = await open(join(dir, 'hiberfil.sys'), 'r').catch(() => undefined);
        if (fh) {
          const head = Buffer.alloc(4);
          await fh.read(head, 0, 4, 0).catch(() => undefined);
          await fh.close();
          if (hibernated(head)) {
            say(kitWords(KIT_AUTO.hibernated, lang, { dev: p.device.name }));
            notes.push({ device: p.device.name, fstype: p.device.fstype, kind: 'hibernated' });
          }
        }
      }
      const target = await FsTarget.open('offline', dir).catch(() => undefined);
      mounted[mounted.length - 1]!.os = target?.os.family ?? 'unknown';
      volumeNotes.push({ device: p.device.name, what: volumeWhat(p), fate: target?.os.family === 'linux' || target?.os.family === 'windows' ? 'system' : 'data' });
    }
    // The machine's system volumes first (they identify it), then its data volumes: a data volume
    // (D: of a Windows PC) holds documents too; it gets a report of its own, judged with the
    // class the system volume was given.
    const order = [...mounted.filter((v) => v.os !== 'unknown'), ...mounted.filter((v) => v.os === 'unknown')];
    for (const v of order) {
      const data = v.os === 'unknown';
      say(data ? kitWords(KIT_AUTO.scanningData, lang, { dev: v.p.device.name }) : kitWords(KIT_AUTO.scanning, lang, { dev: v.p.device.name, os: v.os }));
      const others = volumeNotes.filter((n) => n.device !== v.p.device.name);
      worst(await opts.scanOne(withVolumeNotes(replaceRoot(scanArgs, v.dir), others), { device: v.p.device.name, notes: v.notes, data }));
      scanned++;
    }
  } finally {
    for (const v of mounted) {
      try {
        await run('umount', [v.dir]);
        await rmdir(v.dir);
      } catch (err) {
        say(kitWords(KIT_AUTO.umountFailed, lang, { dir: v.dir, why: (err as Error).message }));
        worst(2);
      }
    }
  }
  if (scanned === 0) {
    say(KIT_AUTO.nothingScanned[lang]);
    return 2;
  }
  if (gaps > 0 && code === 0) code = 3;
  return code;
}

/** What became of one of the machine's volumes in this run (each report lists the others). */
export interface VolumeNote {
  device: string;
  /** `ntfs, "DATA", 500 GB` */
  what: string;
  fate: 'system' | 'data' | 'encrypted' | 'mount-failed';
  scheme?: string;
}

function volumeWhat(p: PlanItem): string {
  const d = p.device;
  return [d.fstype ?? '-', ...(d.label ? [`"${d.label}"`] : []), ...(d.size ? [`${Math.round(d.size / 1e9)} GB`] : [])].join(', ');
}

/** `scan` arguments with the other volumes' notes (a hidden option, as JSON). */
function withVolumeNotes(args: string[], notes: readonly VolumeNote[]): string[] {
  return notes.length > 0 ? [...args, '--volume-notes', JSON.stringify(notes)] : args;
}

function describe(p: PlanItem, lang: Lang): string {
  const d = p.device;
  const what = `${d.name} (${d.fstype ?? '-'}${d.label ? `, ${d.label}` : ''}${d.size ? `, ${Math.round(d.size / 1e9)} GB` : ''})`;
  switch (p.action.kind) {
    case 'scan':
      return kitWords(KIT_AUTO.planScan, lang, { what });
    case 'encrypted':
      return kitWords(KIT_AUTO.planEncrypted, lang, { what, scheme: p.action.scheme });
    case 'skip':
      return kitWords(KIT_AUTO.planSkip, lang, { what, why: KIT_AUTO_SKIP[p.action.why][lang] });
  }
}

const KIT_AUTO_SKIP = {
  kit: KIT_AUTO.skipKit,
  live: KIT_AUTO.skipLive,
  mounted: KIT_AUTO.skipMounted,
  swap: KIT_AUTO.skipSwap,
  container: KIT_AUTO.skipContainer,
  'no-filesystem': KIT_AUTO.skipNoFs,
  'other-filesystem': KIT_AUTO.skipOtherFs,
  'not-selected': KIT_AUTO.skipNotSelected,
} as const;

/** `baomi scan --root auto` outside a kit: each mounted root is scanned by `scan` with the same flags. */
export async function scanAutoFlags<F extends { root?: string; lang?: string }>(flags: F, scan: (f: F) => Promise<number>): Promise<number> {
  const lang = pickLang(flags.lang);
  return scanAuto(['--root', 'auto'], { lang, kitDir: undefined, scanOne: (args) => scan({ ...flags, root: args[args.length - 1]! }) });
}
