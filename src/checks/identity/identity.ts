// Probe `identity` — who is this machine? Always runs: the report's `machine` block and the
// stable finding ids are built from it, and the officer matches the report to the unit's
// computer ledger (登记台账) with it.
//
// Observation (one): IdentityObservation — hostname, os, machineId, hardware {vendor, model,
// serial, uuid, board…}, macs [{mac, iface, source}], disks [{name, model, serial, sizeBytes,
// source}], sources {field → where read}.
// Live: /etc files + DMI and sysfs through the Target + systeminformation for what they miss.
// Offline Linux: only the root's own files (never the kit's), plus the kit-side block device
// that holds the root. Windows (offline, or live through `reg save`): the SYSTEM and SOFTWARE
// hives (see ./windows.ts).
import { S } from '../../engine/shape.js';
import { liveWindowsHardware } from './windows-live.js';
import type { CoverageItem, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import { backingDisk, blockDisk, cleanValue, dmiHardware, isPhysicalBlockName, sysfsMacs, type TextReader } from './hardware.js';
import { dedupeMacs, linuxFileIdentity, parseHostname } from './linux.js';
import type { DiskInfo, IdentityObservation } from './types.js';
import { windowsIdentity } from './windows.js';

function targetReader(target: Target): TextReader {
  return async (p) => {
    try {
      return await target.readText(p, { maxBytes: 1 << 20 });
    } catch {
      return undefined;
    }
  };
}

async function listNames(target: Target, dir: string): Promise<string[]> {
  try {
    return (await target.readDir(dir)).map((e) => e.name);
  } catch {
    return [];
  }
}

/** systeminformation: only used live, and an empty answer is "unknown", never "none". */
async function siFill(obs: IdentityObservation, coverage: CoverageItem[]): Promise<void> {
  let si: typeof import('systeminformation');
  try {
    si = await import('systeminformation');
  } catch (err) {
    coverage.push({ kind: 'missing-tool', reason: `systeminformation unavailable: ${(err as Error).message}` });
    return;
  }
  const hw = (obs.hardware ??= {});
  try {
    const sys = await si.system();
    const pairs: Array<[keyof typeof hw, string]> = [
      ['vendor', sys.manufacturer],
      ['model', sys.model],
      ['serial', sys.serial],
      ['uuid', sys.uuid],
    ];
    for (const [k, v] of pairs) {
      const c = cleanValue(v);
      if (hw[k] === undefined && c !== undefined) {
        hw[k] = k === 'uuid' ? c.toLowerCase() : c;
        obs.sources[`hardware.${k}`] = 'systeminformation';
      }
    }
  } catch {
    // recorded as a gap below if still missing
  }
  if (obs.disks.every((d) => d.serial === undefined)) {
    try {
      for (const d of await si.diskLayout()) {
        const serial = cleanValue(d.serialNum);
        const name = d.device.replace(/^\/dev\//, '');
        const known = obs.disks.find((x) => x.name === name);
        if (known) {
          if (serial && !known.serial) known.serial = serial;
        } else {
          obs.disks.push({ name, ...(cleanValue(d.name) ? { model: cleanValue(d.name)! } : {}), ...(serial ? { serial } : {}), ...(d.size ? { sizeBytes: d.size } : {}), source: 'systeminformation' });
        }
      }
    } catch {
      // gap recorded below
    }
  }
  if (obs.os && obs.os.kernel === undefined) {
    try {
      const os = await si.osInfo();
      if (os.kernel) obs.os.kernel = os.kernel;
    } catch {
      // optional
    }
  }
}

async function liveIdentity(target: Target, coverage: CoverageItem[]): Promise<IdentityObservation> {
  const read = targetReader(target);
  const fileGaps: CoverageItem[] = [];
  const obs = await linuxFileIdentity(target, fileGaps);
  // The running kernel's host name is the current one; /etc/hostname is what boots.
  const kernelName = parseHostname((await read('/proc/sys/kernel/hostname')) ?? '');
  if (kernelName) {
    obs.hostname = kernelName;
    obs.sources['hostname'] = '/proc/sys/kernel/hostname';
  }
  coverage.push(...fileGaps.filter((g) => !(g.path === '/etc/hostname' && obs.hostname)));
  const kernel = (await read('/proc/sys/kernel/osrelease'))?.trim();
  if (obs.os && kernel) obs.os.kernel = kernel;

  const { hw, unreadable } = await dmiHardware(read);
  obs.hardware = hw;
  for (const k of Object.keys(hw)) obs.sources[`hardware.${k}`] = '/sys/class/dmi/id';
  const macs = await sysfsMacs(read, await listNames(target, '/sys/class/net'));
  obs.macs = dedupeMacs([...macs, ...obs.macs]);
  const disks: DiskInfo[] = [];
  for (const name of (await listNames(target, '/sys/block')).filter(isPhysicalBlockName)) {
    disks.push(await blockDisk(read, name));
  }
  obs.disks = disks;
  await siFill(obs, coverage);
  if (obs.hardware.serial === undefined && obs.hardware.uuid === undefined) {
    coverage.push({
      kind: 'not-recorded',
      path: '/sys/class/dmi/id',
      reason: unreadable.length === DMI_COUNT
        ? 'no DMI data on this machine (virtual machine, container, or not x86): hardware serial and board UUID unknown'
        : 'hardware serial and board UUID are not set or not readable (reading product_serial needs root)',
    });
  }
  if (obs.disks.length === 0) coverage.push({ kind: 'not-recorded', path: '/sys/block', reason: 'no physical disks found in /sys/block' });
  else if (obs.disks.every((d) => d.serial === undefined)) {
    coverage.push({ kind: 'not-recorded', path: '/sys/block', reason: 'disk serial numbers not exposed (virtual disks have none; udev data missing)' });
  }
  return obs;
}

const DMI_COUNT = 7;

/** Offline, the inspected disk is a block device of the kit: name its model and serial. */
async function addBackingDisk(target: Target, obs: IdentityObservation, coverage: CoverageItem[]): Promise<void> {
  const disk = await backingDisk(target.root);
  if (disk) obs.disks = [disk];
  else coverage.push({ kind: 'not-recorded', path: '/', reason: `the root ${target.root} is not a mounted disk of this host (a folder?): disk model/serial unknown` });
}

/** Live Windows: MACs and disks from systeminformation (the registry records neither). */
async function offlineLinuxIdentity(target: Target, coverage: CoverageItem[]): Promise<IdentityObservation> {
  const obs = await linuxFileIdentity(target, coverage);
  await addBackingDisk(target, obs, coverage);
  if (obs.macs.length === 0) {
    coverage.push({ kind: 'not-recorded', reason: 'no MAC addresses recorded on the disk (NetworkManager profiles, udev persistent-net rules)' });
  }
  coverage.push({ kind: 'not-recorded', reason: 'hardware serial and board UUID are not stored on a Linux disk; scan live to record them' });
  return obs;
}

export const identityProbe: Probe = {
  id: 'identity',
  description: 'Machine identity: host name, OS, machine id, hardware serial/UUID, MAC addresses, disks.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['hostname', 'machineId'],
  observes: S.obj({
    hostname: S.str,
    os: S.obj({
      family: S.enum('linux', 'windows', 'unknown'),
      name: S.str,
      version: S.str,
      prettyName: S.str,
      id: S.str,
      build: S.str,
      kernel: S.str,
      installDate: S.time,
    }),
    machineId: S.str,
    hardware: S.obj({ vendor: S.str, model: S.str, serial: S.str, uuid: S.str, boardVendor: S.str, boardName: S.str, boardSerial: S.str }),
    macs: S.list(S.obj({ mac: S.str, iface: S.str, virtual: S.bool, source: S.str })),
    disks: S.list(S.obj({ name: S.str, model: S.str, serial: S.str, sizeBytes: S.num, source: S.str })),
    // Field → where it was read.
    sources: S.obj({}, true),
    // Windows only (./windows.ts).
    domain: S.str,
    adapters: S.list(S.obj({ name: S.str, classKey: S.str, componentId: S.str, netCfgInstanceId: S.str, mac: S.str })),
    lastShutdown: S.time,
    timeZone: S.str,
    registeredOwner: S.str,
    registeredOrganization: S.str,
    users: S.list(S.obj({ sid: S.str, profilePath: S.str, source: S.str })),
    profileFolders: S.strs,
  }),
  timeoutMs: 60_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const coverage: CoverageItem[] = [];
    const { target } = ctx;
    let obs: IdentityObservation;
    if (target.os.family === 'windows') {
      obs = await windowsIdentity(target, coverage);
      if (target.mode === 'offline') await addBackingDisk(target, obs, coverage);
      else await liveWindowsHardware(target, obs, coverage);
    } else {
      obs = target.mode === 'live' ? await liveIdentity(target, coverage) : await offlineLinuxIdentity(target, coverage);
    }
    if (obs.hostname === undefined && obs.machineId === undefined) {
      throw new Error('neither a host name nor a machine id could be read from the target');
    }
    return { status: 'ok', observations: [obs], coverage };
  },
};
