// Block devices as `lsblk --json` lists them, and what `scan --root auto` does with each: mount
// read-only and scan, report as encrypted (BitLocker, LUKS), or skip (the kit's own stick, the
// live system, swap, what is mounted already). Pure functions over lsblk's JSON, tested on
// recorded outputs.

export const LSBLK_ARGS = ['--json', '--bytes', '--paths', '-o', 'NAME,TYPE,FSTYPE,SIZE,RO,RM,MOUNTPOINTS,PKNAME,LABEL,UUID,TRAN'];
/** util-linux before 2.37 has MOUNTPOINT (one) instead of MOUNTPOINTS. */
export const LSBLK_ARGS_OLD = ['--json', '--bytes', '--paths', '-o', 'NAME,TYPE,FSTYPE,SIZE,RO,RM,MOUNTPOINT,PKNAME,LABEL,UUID,TRAN'];

export interface BlockDevice {
  name: string;
  type: string;
  fstype: string | null;
  size: number | null;
  label: string | null;
  uuid: string | null;
  mountpoints: string[];
  /** The whole disk this device is on (itself for a disk). */
  disk: string;
  tran: string | null;
  removable: boolean;
}

interface RawDev {
  name?: unknown;
  type?: unknown;
  fstype?: unknown;
  size?: unknown;
  label?: unknown;
  uuid?: unknown;
  mountpoints?: unknown;
  mountpoint?: unknown;
  tran?: unknown;
  rm?: unknown;
  children?: unknown;
}

const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Flatten lsblk's tree; each device knows its disk. Throws on JSON that is not lsblk's. */
export function parseLsblk(json: string): BlockDevice[] {
  const doc = JSON.parse(json) as { blockdevices?: unknown };
  if (!Array.isArray(doc.blockdevices)) throw new Error('not lsblk --json output (no blockdevices)');
  const out: BlockDevice[] = [];
  const walk = (d: RawDev, disk: string | undefined, tran: string | null, depth: number): void => {
    if (depth > 16 || typeof d !== 'object' || d === null) return;
    const name = s(d.name);
    if (name === null) return;
    const mps = Array.isArray(d.mountpoints) ? d.mountpoints.map(s).filter((x): x is string => x !== null) : s(d.mountpoint) !== null ? [s(d.mountpoint)!] : [];
    const t = s(d.tran) ?? tran;
    const dev: BlockDevice = {
      name,
      type: s(d.type) ?? 'unknown',
      fstype: s(d.fstype),
      size: typeof d.size === 'number' ? d.size : typeof d.size === 'string' && /^\d+$/.test(d.size) ? Number(d.size) : null,
      label: s(d.label),
      uuid: s(d.uuid),
      mountpoints: mps,
      disk: disk ?? name,
      tran: t,
      removable: d.rm === true || d.rm === '1' || d.rm === 1,
    };
    out.push(dev);
    if (Array.isArray(d.children)) for (const c of d.children as RawDev[]) walk(c, dev.disk, t, depth + 1);
  };
  for (const d of doc.blockdevices as RawDev[]) walk(d, undefined, null, 0);
  return out;
}

/** `blkid -p -o export` output (KEY=value lines) as a map. */
export function parseBlkidExport(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/**
 * lsblk takes file system types from udev; a live system without udev data (or a device added
 * since) shows none. Those are probed directly (blkid -p: a read of the superblocks, nothing written).
 */
export async function fillFsTypes(devices: BlockDevice[], probe: (dev: string) => Promise<string | undefined>): Promise<void> {
  for (const d of devices) {
    if (d.fstype !== null || !['part', 'disk', 'loop', 'lvm', 'crypt', 'md', 'raid1', 'dm'].includes(d.type)) continue;
    // A disk with partitions has its file systems on them.
    if (devices.some((c) => c !== d && c.disk === d.name && d.type === 'disk')) continue;
    const out = await probe(d.name).catch(() => undefined);
    if (out === undefined) continue;
    const kv = parseBlkidExport(out);
    d.fstype = kv.get('TYPE') ?? null;
    d.label ??= kv.get('LABEL') ?? null;
    d.uuid ??= kv.get('UUID') ?? null;
  }
}

export type PlanAction =
  | { kind: 'scan'; fstype: 'ntfs' | 'ext4' | 'xfs' | 'btrfs' }
  | { kind: 'encrypted'; scheme: 'BitLocker' | 'LUKS' }
  | { kind: 'skip'; why: 'kit' | 'live' | 'mounted' | 'swap' | 'container' | 'no-filesystem' | 'other-filesystem' | 'not-selected' };

export interface PlanItem {
  device: BlockDevice;
  action: PlanAction;
}

const LIVE_MOUNTS = ['/', '/run/live/medium', '/lib/live/mount/medium', '/cdrom', '/run/initramfs/live', '/run/archiso/bootmnt', '/boot', '/boot/efi'];

export interface PlanOptions {
  /** Disks (whole-disk names) the kit itself is on. */
  kitDisks: ReadonlySet<string>;
  /** When set, only these devices are candidates (tests, or an officer naming the disk). */
  only?: ReadonlySet<string>;
}

/** What to do with each device (every device is listed once, with its reason). */
export function planDevices(devices: readonly BlockDevice[], opts: PlanOptions): PlanItem[] {
  // A disk with a live-system mount (/, the live medium) is the live system: every part of it is skipped.
  const liveDisks = new Set(devices.filter((d) => d.mountpoints.some((m) => LIVE_MOUNTS.includes(m))).map((d) => d.disk));
  return devices.map((device): PlanItem => {
    const fs = (device.fstype ?? '').toLowerCase();
    const skip = (why: Extract<PlanAction, { kind: 'skip' }>['why']): PlanItem => ({ device, action: { kind: 'skip', why } });
    if (opts.only && !opts.only.has(device.name)) return skip('not-selected');
    if (opts.kitDisks.has(device.disk)) return skip('kit');
    if (liveDisks.has(device.disk) || device.type === 'rom' || fs === 'squashfs' || device.name.startsWith('/dev/zram')) return skip('live');
    if (fs === 'crypto_luks') return { device, action: { kind: 'encrypted', scheme: 'LUKS' } };
    if (fs === 'bitlocker') return { device, action: { kind: 'encrypted', scheme: 'BitLocker' } };
    if (device.mountpoints.length > 0) return skip('mounted');
    if (fs === 'swap') return skip('swap');
    if (fs === 'lvm2_member' || fs === 'linux_raid_member') return skip('container');
    if (fs === 'ntfs' || fs === 'ntfs3') return { device, action: { kind: 'scan', fstype: 'ntfs' } };
    if (fs === 'ext4' || fs === 'ext3' || fs === 'ext2') return { device, action: { kind: 'scan', fstype: 'ext4' } };
    if (fs === 'xfs') return { device, action: { kind: 'scan', fstype: 'xfs' } };
    if (fs === 'btrfs') return { device, action: { kind: 'scan', fstype: 'btrfs' } };
    if (fs === '') return skip('no-filesystem');
    return skip('other-filesystem');
  });
}

/**
 * The read-only mount command for a candidate: no journal is replayed (ext4 noload, xfs norecovery,
 * btrfs nologreplay); NTFS through ntfs-3g read-only, which also opens a hibernated or Fast Startup
 * volume without touching it.
 */
export function mountCommand(fstype: 'ntfs' | 'ext4' | 'xfs' | 'btrfs', dev: string, dir: string): [string, string[]] {
  switch (fstype) {
    case 'ntfs':
      return ['ntfs-3g', ['-o', 'ro', dev, dir]];
    case 'ext4':
      return ['mount', ['-t', 'ext4', '-o', 'ro,noload,nodev,nosuid,noexec', dev, dir]];
    case 'xfs':
      return ['mount', ['-t', 'xfs', '-o', 'ro,norecovery,nodev,nosuid,noexec', dev, dir]];
    case 'btrfs':
      return ['mount', ['-t', 'btrfs', '-o', 'ro,nologreplay,nodev,nosuid,noexec', dev, dir]];
  }
}

/** Windows hibernation file header: "hibr"/"HIBR" (hibernated, or shut down by Fast Startup); "wake" or zeros: resumed. */
export function hibernated(head: Buffer): boolean {
  return /^hibr$/i.test(head.subarray(0, 4).toString('latin1'));
}
