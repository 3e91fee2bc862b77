// Windows USB history, one record per physical device, merged from every source:
//  SYSTEM  Enum\USBSTOR (vendor/product/revision/serial, device-property dates), Enum\SCSI (UAS
//          disks: linked to their Enum\USB entry by ContainerID), Enum\USB (VID/PID/serial, class),
//          Enum\SWD\WPDBUSENUM (volume labels), MountedDevices (drive letters, volume GUIDs);
//  SOFTWARE Windows Portable Devices (labels, phones), EMDMgmt (labels, volume serial numbers);
//  setupapi.dev.log (first-install times); each user's NTUSER MountPoints2 (who mounted it).
import { serialKey } from '../../engine/vocab.js';
import type { Hive } from '../../formats/regf.js';
import { parseUsbstorInstanceId, type DeviceInstallRecord } from '../../formats/setupapi.js';
import { enumDevices, presentAtLastBoot, usbIds, type WinDevice } from '../windows/devices.js';
import { bytes, key, str, subkeys } from '../windows/reg.js';
import type { UsbDeviceRecord, UsbSource } from './types.js';

/** ContainerID Windows gives to devices that are part of the computer itself. */
const NULL_CONTAINER = '{00000000-0000-0000-ffff-ffffffffffff}';

/** `AA951D0000007252&0` → `AA951D0000007252`; `7&1a2b3c&0&1` stays (synthesised). */
export function usbstorSerial(instance: string): { serial: string; unique: boolean } {
  const unique = instance.charAt(1) !== '&';
  return { serial: unique ? instance.replace(/&\d+$/, '') : instance, unique };
}


/** `Disk&Ven_SanDisk&Prod_Extreme&Rev_0001` → vendor/product/revision (underscores are spaces). */
export function inquiryIds(device: string): { vendor?: string; product?: string; revision?: string } {
  const part = (k: string): string | undefined => {
    const m = new RegExp(`${k}_([^&]*)`, 'i').exec(device);
    const v = m?.[1]?.replace(/_+/g, ' ').trim();
    return v ? v : undefined;
  };
  const out: { vendor?: string; product?: string; revision?: string } = {};
  const v = part('Ven');
  const p = part('Prod');
  const r = part('Rev');
  if (v) out.vendor = v;
  if (p) out.product = p;
  if (r) out.revision = r;
  return out;
}

/** A `…USBSTOR#Disk&Ven_…#SERIAL&0#{guid}` path (MountedDevices, WPD, EMDMgmt) → its serial. */
export function serialFromDevicePath(s: string): string | undefined {
  const m = /USBSTOR#[^#]+#([^#]+)#/i.exec(s);
  return m ? usbstorSerial(m[1]!).serial : undefined;
}

function minIso(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}
function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function sourceOf(kind: string, hiveSource: string, d: WinDevice): UsbSource {
  const src: UsbSource = { kind, source: `${hiveSource}: ${d.keyPath}` };
  const first = d.firstInstall ?? d.installDate;
  if (first) src.firstSeen = first;
  // Without device-property dates (XP, damaged keys) the instance key's last write is the best
  // available "last seen": Windows rewrites the key when the device arrives.
  const last = maxIso(d.lastArrival, first) ?? d.lastWrite;
  src.lastSeen = last;
  if (d.lastRemoval) src.lastRemoved = d.lastRemoval;
  const present = presentAtLastBoot(d);
  src.detail = {
    keyLastWrite: d.lastWrite,
    ...(d.lastArrival === undefined && first === undefined ? { lastSeenFrom: 'key last write' } : {}),
    ...(present !== undefined ? { presentAtLastBoot: present } : {}),
    ...(d.name ? { name: d.name } : {}),
  };
  return src;
}

/** Builder of merged records, keyed by ContainerID and by serial. */
class Merger {
  readonly records: UsbDeviceRecord[] = [];
  private byContainer = new Map<string, UsbDeviceRecord>();
  private bySerial = new Map<string, UsbDeviceRecord>();

  find(container: string | undefined, serial: string | undefined): UsbDeviceRecord | undefined {
    return (container ? this.byContainer.get(container) : undefined) ?? (serial ? this.bySerial.get(serialKey(serial)) : undefined);
  }

  upsert(container: string | undefined, serial: string | undefined, unique: boolean): UsbDeviceRecord {
    let r = this.find(container, unique ? serial : undefined);
    if (!r) {
      r = { key: '', serialUnique: unique && serial !== undefined, storage: false, phone: false, sources: [] };
      this.records.push(r);
    }
    if (container) this.byContainer.set(container, r);
    if (serial && unique) {
      this.bySerial.set(serialKey(serial), r);
      if (!r.serial || !r.serialUnique) {
        r.serial = serial;
        r.serialUnique = true;
      }
    } else if (serial && r.serial === undefined) {
      r.serial = serial;
    }
    return r;
  }

  bySerialKey(serial: string): UsbDeviceRecord | undefined {
    return this.bySerial.get(serialKey(serial));
  }
}

function addSource(r: UsbDeviceRecord, s: UsbSource): void {
  r.sources.push(s);
  if (s.timesAreLocal) r.timesAreLocal = true;
  r.firstSeen = minIso(r.firstSeen, s.firstSeen);
  r.lastSeen = maxIso(r.lastSeen, s.lastSeen);
  r.lastRemoved = maxIso(r.lastRemoved, s.lastRemoved);
}

function addTo(list: string[] | undefined, v: string): string[] {
  return [...new Set([...(list ?? []), v])].sort();
}

const PHONE_NAME = /\b(MTP|PTP|iPhone|iPad|Android|Apple Mobile|Portable Device|手机)\b/i;

export interface WindowsUsbInputs {
  system: { hive: Hive; source: string };
  software?: { hive: Hive; source: string };
  setupapi?: { devices: DeviceInstallRecord[]; source: string };
  userHives?: Array<{ user: string; hive: Hive; source: string }>;
}

export function windowsUsbHistory(inp: WindowsUsbInputs): UsbDeviceRecord[] {
  const { hive, source } = inp.system;
  const m = new Merger();
  const devices = enumDevices(hive, ['USB', 'USBSTOR', 'SCSI']);
  const container = (d: WinDevice): string | undefined => {
    const inst = key(hive, d.keyPath);
    const c = str(inst, 'ContainerID')?.toLowerCase();
    return c && c !== NULL_CONTAINER ? c : undefined;
  };

  // 1. USB devices (VID/PID/serial); composite children (&MI_xx) lend their class to the parent.
  const childClasses = new Map<string, Set<string>>();
  for (const d of devices.filter((x) => x.bus.toUpperCase() === 'USB')) {
    const parent = d.device.replace(/&MI_[0-9A-F]{2}$/i, '');
    const classes = [...d.compatibleIds, ...d.hardwareIds].map((i) => /Class_([0-9A-F]{2})/i.exec(i)?.[1]?.toLowerCase()).filter((x): x is string => x !== undefined);
    if (parent !== d.device) {
      const set = childClasses.get(parent.toUpperCase()) ?? new Set<string>();
      classes.forEach((c) => set.add(c));
      childClasses.set(parent.toUpperCase(), set);
    }
  }
  for (const d of devices.filter((x) => x.bus.toUpperCase() === 'USB')) {
    if (/ROOT_HUB/i.test(d.device) || /&MI_[0-9A-F]{2}$/i.test(d.device)) continue;
    const ids = usbIds(d.device);
    if (!ids) continue;
    const classes = new Set([...d.compatibleIds, ...d.hardwareIds].map((i) => /Class_([0-9A-F]{2})/i.exec(i)?.[1]?.toLowerCase()).filter((x): x is string => x !== undefined));
    childClasses.get(d.device.toUpperCase())?.forEach((c) => classes.add(c));
    if (classes.has('09') || /hub/i.test(d.service ?? '')) continue; // hubs are not devices
    const { serial, unique } = usbstorSerial(d.instance);
    const r = m.upsert(container(d), serial, unique);
    r.vid = ids.vid;
    r.pid = ids.pid;
    if (classes.size > 0) r.interfaceClasses = [...new Set([...(r.interfaceClasses ?? []), ...classes])].sort();
    if (classes.has('08') || /^(USBSTOR|UASPStor)$/i.test(d.service ?? '')) r.storage = true;
    if (classes.has('06') || PHONE_NAME.test(d.name ?? '')) r.phone = true;
    if (d.name && !r.product) r.product = d.name;
    addSource(r, sourceOf('usb', source, d));
  }

  // 2. USBSTOR disks and UAS disks under SCSI (those with a real ContainerID are external).
  for (const d of devices.filter((x) => /^(USBSTOR|SCSI)$/i.test(x.bus))) {
    const isScsi = d.bus.toUpperCase() === 'SCSI';
    const c = container(d);
    // A SCSI disk is a USB disk (UAS) only when a USB device shares its container; VM and
    // internal SATA/NVMe disks do not.
    if (isScsi && (!c || !/^Disk&/i.test(d.device) || !m.find(c, undefined)?.vid)) continue;
    const { serial, unique } = isScsi ? { serial: undefined, unique: false } : usbstorSerial(d.instance);
    const r = m.upsert(c, serial, unique);
    r.storage = true;
    const inq = inquiryIds(d.device);
    if (inq.vendor) r.vendor = inq.vendor;
    if (inq.product) r.product = inq.product;
    if (inq.revision) r.revision = inq.revision;
    if (d.name) r['friendlyName'] = d.name;
    addSource(r, sourceOf(isScsi ? 'scsi' : 'usbstor', source, d));
  }

  // 3. Volume labels from the portable-device bus (SWD\WPDBUSENUM\_??_USBSTOR#…).
  for (const d of enumDevices(hive, ['SWD'])) {
    if (!/^WPDBUSENUM$/i.test(d.device)) continue;
    const s = serialFromDevicePath(d.instance);
    const r = s ? m.bySerialKey(s) : undefined;
    if (!r) continue;
    if (d.name) r.volumeLabels = addTo(r.volumeLabels, d.name);
    addSource(r, { ...sourceOf('wpdbusenum', source, d), ...(d.name ? { detail: { label: d.name } } : {}) });
  }

  // 4. MountedDevices: drive letters and volume GUIDs → device paths.
  const volumeToSerial = new Map<string, string>();
  const md = key(hive, 'MountedDevices');
  let mdValues: ReturnType<NonNullable<typeof md>['values']> = [];
  try {
    mdValues = md?.values() ?? [];
  } catch {
    mdValues = [];
  }
  for (const v of mdValues) {
    let text: string;
    try {
      const raw = v.raw;
      if (raw.length < 24) continue; // 12-byte MBR signature + offset: a fixed disk partition
      text = Buffer.from(raw).toString('utf16le');
    } catch {
      continue;
    }
    const s = serialFromDevicePath(text);
    if (!s) continue;
    const r = m.bySerialKey(s);
    if (!r) continue;
    const letter = /^\\DosDevices\\([A-Z]):$/i.exec(v.name)?.[1];
    const vol = /^\\\?\?\\Volume(\{[0-9a-f-]+\})$/i.exec(v.name)?.[1];
    if (letter) {
      r.driveLetters = addTo(r.driveLetters, `${letter.toUpperCase()}:`);
      r.sources.push({ kind: 'mounteddevices', source: `${source}: MountedDevices`, detail: { driveLetter: `${letter.toUpperCase()}:` } });
    }
    if (vol) volumeToSerial.set(vol.toLowerCase(), s);
  }

  // 5. SOFTWARE: Windows Portable Devices (labels; phones) and EMDMgmt (labels, volume serials).
  if (inp.software) {
    const sw = inp.software;
    for (const k of subkeys(key(sw.hive, 'Microsoft\\Windows Portable Devices\\Devices'))) {
      const label = str(k, 'FriendlyName');
      const s = serialFromDevicePath(k.name);
      if (s) {
        const r = m.bySerialKey(s);
        if (!r) continue;
        if (label) r.volumeLabels = addTo(r.volumeLabels, label);
        r.sources.push({ kind: 'wpd', source: `${sw.source}: ${k.path}`, detail: { keyLastWrite: k.lastWrite, ...(label ? { label } : {}) } });
        continue;
      }
      // A phone or camera (MTP/PTP): USB#VID_xxxx&PID_yyyy#serial#{guid}
      const ids = usbIds(k.name);
      const serialPart = /^USB#[^#]+#([^#]+)#/i.exec(k.name)?.[1];
      if (!ids) continue;
      const unique = serialPart !== undefined && serialPart.charAt(1) !== '&';
      let r = serialPart ? m.bySerialKey(serialPart) : undefined;
      if (!r) {
        r = m.upsert(undefined, serialPart, unique);
        r.vid = ids.vid;
        r.pid = ids.pid;
      }
      r.phone = true;
      if (label) r.product ??= label;
      addSource(r, { kind: 'wpd', source: `${sw.source}: ${k.path}`, lastSeen: k.lastWrite, detail: { keyLastWrite: k.lastWrite, ...(label ? { name: label } : {}) } });
    }
    for (const k of subkeys(key(sw.hive, 'Microsoft\\Windows NT\\CurrentVersion\\EMDMgmt'))) {
      const s = serialFromDevicePath(k.name);
      const r = s ? m.bySerialKey(s) : undefined;
      if (!r) continue;
      // …#{53f56307-…}LABEL_VOLUMESERIAL(decimal)
      const tail = /\}([^}]*)$/.exec(k.name)?.[1] ?? '';
      const vm = /^(.*)_(\d+)$/.exec(tail);
      if (vm) {
        if (vm[1]) r.volumeLabels = addTo(r.volumeLabels, vm[1]);
        const hex = Number(vm[2]).toString(16).toUpperCase().padStart(8, '0');
        r.volumeSerials = addTo(r.volumeSerials, `${hex.slice(0, 4)}-${hex.slice(4)}`);
      }
      r.sources.push({ kind: 'emdmgmt', source: `${sw.source}: ${k.path}`, detail: { keyLastWrite: k.lastWrite } });
    }
  }

  // 6. setupapi.dev.log: first install (local time as logged).
  if (inp.setupapi) {
    const firstBySerial = new Map<string, DeviceInstallRecord>();
    for (const d of inp.setupapi.devices) {
      if (d.action !== 'install' || !d.start) continue;
      const id = parseUsbstorInstanceId(d.instanceId);
      const s = id && !id.serialGenerated ? id.serial : /^USB\\VID_[0-9A-F]{4}&PID_[0-9A-F]{4}\\([^\\]+)$/i.exec(d.instanceId)?.[1];
      if (!s) continue;
      const prev = firstBySerial.get(serialKey(s));
      if (!prev || (prev.start && d.start < prev.start)) firstBySerial.set(serialKey(s), d);
    }
    for (const [s, d] of firstBySerial) {
      const r = m.bySerialKey(s);
      if (!r) continue;
      addSource(r, { kind: 'setupapi', source: `${inp.setupapi.source} line ${d.line}`, firstSeen: d.start!, timesAreLocal: true, detail: { section: d.kind } });
    }
  }

  // 7. Users' MountPoints2: volume GUIDs they mounted.
  for (const u of inp.userHives ?? []) {
    for (const k of subkeys(key(u.hive, 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\MountPoints2'))) {
      const s = volumeToSerial.get(k.name.toLowerCase());
      const r = s ? m.bySerialKey(s) : undefined;
      if (!r) continue;
      r.users = addTo(r.users, u.user);
      r.sources.push({ kind: 'mountpoints2', source: `${u.source}: ${k.path}`, lastSeen: k.lastWrite, detail: { user: u.user, volume: k.name } });
      r.lastSeen = maxIso(r.lastSeen, k.lastWrite);
    }
  }

  for (const r of m.records) {
    r.key = r.vid && r.pid && r.serial && r.serialUnique
      ? `usb:${r.vid}:${r.pid}:${serialKey(r.serial)}`
      : r.serial && r.serialUnique
        ? `usbstor:${serialKey(r.serial)}`
        : `win:${(r.sources[0]?.source ?? 'unknown').replace(/^.*?\\Enum\\/i, '')}`; // the device instance id
  }
  return m.records.sort((a, b) => a.key.localeCompare(b.key));
}
