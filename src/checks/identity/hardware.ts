// Hardware identity from sysfs: DMI (board/system serial and UUID), network MACs and disks.
// Live, these are read through the Target (`/sys` of the inspected machine). Offline, the disk
// being inspected is a block device of the kit's host: `backingDisk` finds it from the host's
// mount table, so the report can name the disk's model and serial too.
import { readFile, realpath, stat } from 'node:fs/promises';
import type { DiskInfo, HardwareIdentity, MacAddress } from './types.js';

/** Reads a small text file; undefined when absent/unreadable. */
export type TextReader = (path: string) => Promise<string | undefined>;

/** Values firmware vendors leave in unset DMI fields. */
const PLACEHOLDERS = new Set([
  '', '-', 'none', 'n/a', 'na', 'null', 'default string', 'to be filled by o.e.m.', 'to be filled by oem',
  'system serial number', 'system product name', 'system manufacturer', 'not specified', 'not applicable',
  'chassis serial number', 'base board serial number', '0', '00000000', '0123456789', 'unknown', 'o.e.m.',
  '03000200-0400-0500-0006-000700080009', '00000000-0000-0000-0000-000000000000',
]);

export function cleanValue(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.replace(/\0/g, '').trim();
  return PLACEHOLDERS.has(t.toLowerCase()) || /^f+(-f+)*$/i.test(t) ? undefined : t;
}

const DMI_FIELDS: Array<[keyof HardwareIdentity, string]> = [
  ['vendor', 'sys_vendor'],
  ['model', 'product_name'],
  ['serial', 'product_serial'],
  ['uuid', 'product_uuid'],
  ['boardVendor', 'board_vendor'],
  ['boardName', 'board_name'],
  ['boardSerial', 'board_serial'],
];

export async function dmiHardware(read: TextReader): Promise<{ hw: HardwareIdentity; unreadable: string[] }> {
  const hw: HardwareIdentity = {};
  const unreadable: string[] = [];
  for (const [field, file] of DMI_FIELDS) {
    const p = `/sys/class/dmi/id/${file}`;
    const raw = await read(p);
    if (raw === undefined) unreadable.push(p);
    const v = cleanValue(raw);
    if (v !== undefined) hw[field] = field === 'uuid' ? v.toLowerCase() : v;
  }
  return { hw, unreadable };
}

export async function sysfsMacs(read: TextReader, ifaces: string[]): Promise<MacAddress[]> {
  const out: MacAddress[] = [];
  for (const iface of ifaces) {
    if (iface === 'lo') continue;
    const p = `/sys/class/net/${iface}/address`;
    const mac = (await read(p))?.trim().toLowerCase();
    if (mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) && mac !== '00:00:00:00:00:00') {
      // Interfaces without a `device` link are software (bridges, veth, ifb, tun…), not hardware.
      const virtual = (await read(`/sys/class/net/${iface}/device/uevent`)) === undefined;
      out.push({ mac, iface, source: p, ...(virtual ? { virtual: true } : {}) });
    }
  }
  return out;
}

/** Skip virtual block devices: loops, RAM disks, zram, device-mapper, md. */
export function isPhysicalBlockName(name: string): boolean {
  return !/^(loop|ram|zram|dm-|md|sr|fd|nbd)/.test(name);
}

/** Model, serial and size of a whole disk from sysfs (+ udev's database for the serial). */
export async function blockDisk(read: TextReader, name: string): Promise<DiskInfo> {
  const base = `/sys/block/${name}`;
  const disk: DiskInfo = { name, source: base };
  const model = cleanValue(await read(`${base}/device/model`));
  if (model) disk.model = model.replace(/\s+/g, ' ');
  const sectors = Number((await read(`${base}/size`))?.trim());
  if (Number.isFinite(sectors) && sectors > 0) disk.sizeBytes = sectors * 512;
  let serial = cleanValue(await read(`${base}/device/serial`)) ?? cleanValue(await read(`${base}/serial`));
  if (serial === undefined) {
    const devno = (await read(`${base}/dev`))?.trim();
    const udev = devno ? await read(`/run/udev/data/b${devno}`) : undefined;
    const m = udev ? /^E:ID_SERIAL_SHORT=(.+)$/m.exec(udev) : null;
    serial = cleanValue(m?.[1]);
  }
  if (serial) disk.serial = serial;
  return disk;
}

/** One row of /proc/self/mountinfo: the mount point and the device number behind it. */
export interface MountRow {
  mountPoint: string;
  majorMinor: string;
  source: string;
  /** File-system type (`ext4`, `proc`, `tmpfs`…). */
  fsType: string;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountRow[] {
  const rows: MountRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 10 || dash < 6) continue;
    rows.push({ majorMinor: f[2]!, mountPoint: unescapeMount(f[4]!), source: unescapeMount(f[dash + 2] ?? ''), fsType: f[dash + 1] ?? '' });
  }
  return rows;
}

const hostRead: TextReader = async (p) => {
  try {
    return await readFile(p, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * The whole disk (on the kit's host) holding the offline root, e.g. `sdb` for a root mounted from
 * /dev/sdb2. Undefined when the root is not a mount point of a block device (a plain folder, tmpfs).
 */
export async function backingDisk(root: string, read: TextReader = hostRead): Promise<DiskInfo | undefined> {
  const info = await read('/proc/self/mountinfo');
  if (info === undefined) return undefined;
  let real: string;
  try {
    real = await realpath(root);
  } catch {
    return undefined;
  }
  // Only a root that is itself a mount point is "the inspected disk"; a folder on the kit's own
  // file system would otherwise report the kit's disk as the target's.
  const row = parseMountinfo(info).filter((r) => r.mountPoint === real).at(-1);
  if (!row || row.majorMinor.startsWith('0:')) return undefined; // 0:x = no block device (tmpfs, overlay…)
  let dev: string;
  try {
    dev = await realpath(`/sys/dev/block/${row.majorMinor}`);
  } catch {
    return undefined;
  }
  // A partition's sysfs folder sits inside its disk's folder and has a `partition` file.
  let diskDir = dev;
  try {
    await stat(`${dev}/partition`);
    diskDir = dev.slice(0, dev.lastIndexOf('/'));
  } catch {
    // whole disk
  }
  const name = diskDir.slice(diskDir.lastIndexOf('/') + 1);
  if (!isPhysicalBlockName(name)) return undefined;
  const disk = await blockDisk(read, name);
  return { ...disk, source: `host ${row.source} (mounted at ${row.mountPoint})` };
}
