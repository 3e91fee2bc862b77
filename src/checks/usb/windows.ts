// Windows USB history, one record per physical device, merged from every source:
//  SYSTEM  Enum\USBSTOR (vendor/product/revision/serial, device-property dates), Enum\SCSI (UAS
//          disks: linked to their Enum\USB entry by ContainerID, last known parent or MSFT30 serial),
//          Enum\USB (VID/PID/serial, class),
//          Enum\SWD\WPDBUSENUM (volume labels), MountedDevices (drive letters, volume GUIDs);
//  SOFTWARE Windows Portable Devices (labels, phones), EMDMgmt (labels, volume serial numbers);
//  setupapi.dev.log (first-install times); each user's NTUSER MountPoints2 (who mounted it).
import { serialKey } from '../../engine/vocab.js';
import type { Hive } from '../../formats/regf.js';
import { parseUsbstorInstanceId, type DeviceInstallRecord } from '../../formats/setupapi.js';
import { enumDevices, presentAtLastBoot, usbIds, type WinDevice } from '../windows/devices.js';
import { bytes, key, num, str, subkeys } from '../windows/reg.js';
import { usbSerial, type UsbDeviceRecord, type UsbSource } from './types.js';

/** ContainerID Windows gives to devices that are part of the computer itself. */
const NULL_CONTAINER = '{00000000-0000-0000-ffff-ffffffffffff}';

/** `AA951D0000007252&0` → `AA951D0000007252`; `7&1a2b3c&0&1` stays (synthesised). */
export function usbstorSerial(instance: string): { serial: string; unique: boolean } {
  const unique = instance.charAt(1) !== '&';
  return { serial: unique ? instance.replace(/&\d+$/, '') : instance, unique };
}

/**
 * The serial of a Windows device instance id's last part (`USB\VID_…&PID_…\<this>`,
 * `USBSTOR\…\<this>&0`, `SCSI\…\<this>`), as printed on the device and held by the ledger, with the
 * raw part when it differs.
 *
 * `MSFT30…`: Windows' USB 3 hub driver (usbhub3.sys) names some SuperSpeed devices, UAS SSDs above all,
 * `MSFT30` followed by the serial string the device reports (the driver copies the reported string
 * after that literal prefix; tools that read iSerialNumber strip it). Linux logs the same reported
 * string without the prefix (`usb 2-1: SerialNumber: …`, sysfs `serial`). So the prefix is removed,
 * and what remains goes through {@link usbSerial}, exactly as Linux serials do: a bridge that reports
 * the hex of its ASCII label (`MSFT30313735303835343230333437`) gets its label `175085420347` on both
 * platforms; one whose remainder is not such hex (`MSFT3012345679FD0B`, `MSFT30160087320341700000F9`)
 * keeps the remainder, which is what Linux shows for it. (The corpus has no Linux log of these very
 * devices; the equivalence rests on the hub driver copying the reported string.)
 */
export function windowsSerial(instance: string): { serial: string; unique: boolean; raw?: string } {
  const { serial, unique } = usbstorSerial(instance);
  if (!unique) return { serial, unique };
  const msft = /^MSFT30(.+)$/i.exec(serial);
  const d = usbSerial(msft ? msft[1]! : serial);
  const raw = msft ? serial : d.raw;
  return raw !== undefined ? { serial: d.serial, unique, raw } : { serial: d.serial, unique };
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

// ---------------------------------------------------------------------------------------------
// Times. Registry times are UTC (`…Z`); setupapi.dev.log's are the machine's local wall clock.

const isUtc = (s: string): boolean => /Z$|[+-]\d\d:\d\d$/.test(s);
/** Comparable ms of an ISO time; a naive local time is read as if UTC (off by the zone, at most 14 h). */
const cmpMs = (s: string): number => Date.parse(isUtc(s) ? s : `${s}Z`);
const ZONE_SPAN_MS = 14 * 3600_000;

/**
 * The earlier (-1) or later (+1) of two times. Two UTC times compare exactly. A local time whose zone is
 * unknown and a UTC time compare only when they are more than 14 h apart (the widest zone offset: the
 * order is then certain whatever the zone); nearer than that the order is unknown and the UTC time, an
 * exact instant, is kept. (Local times whose zone is known are converted before they get here: see
 * {@link addSource}.)
 */
function pick(a: string | undefined, b: string | undefined, dir: 1 | -1): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const d = cmpMs(b) - cmpMs(a);
  if (isUtc(a) !== isUtc(b) && Math.abs(d) < ZONE_SPAN_MS) return isUtc(a) ? a : b;
  return d * dir > 0 ? b : a;
}
const earlier = (a: string | undefined, b: string | undefined): string | undefined => pick(a, b, -1);
const later = (a: string | undefined, b: string | undefined): string | undefined => pick(a, b, 1);

/** A transition of `TimeZoneInformation` (`StandardStart`, `DaylightStart`). */
interface ZoneTransition {
  /** 0: every year, on the `day`-th (5 = last) `dayOfWeek` of `month`; else that date of that year only. */
  year: number;
  month: number;
  dayOfWeek: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The machine's time zone, from SYSTEM `CurrentControlSet\Control\TimeZoneInformation`. */
export interface WindowsZone {
  /** `TimeZoneKeyName` (`China Standard Time`), else `StandardName`. */
  name?: string;
  /** Minutes: UTC = local + bias (+ standardBias or daylightBias). China: -480. */
  bias: number;
  standardBias: number;
  daylightBias: number;
  standardStart?: ZoneTransition;
  daylightStart?: ZoneTransition;
}

function transitionOf(b: Uint8Array | undefined): ZoneTransition | undefined {
  if (!b || b.length < 16) return undefined;
  const v = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  // The kernel's TIME_FIELDS order (RTL_TIME_ZONE_INFORMATION), not SYSTEMTIME's: year, month, day,
  // hour, minute, second, ms, weekday. Eastern's `StandardStart` 00,00,0b,00,01,00,02,00,…,00,00 is
  // the 1st Sunday of November at 02:00 (read as a SYSTEMTIME it would be the 2nd Monday at 00:00).
  const t = { year: v.readUInt16LE(0), month: v.readUInt16LE(2), day: v.readUInt16LE(4), hour: v.readUInt16LE(6), minute: v.readUInt16LE(8), second: v.readUInt16LE(10), ms: v.readUInt16LE(12), dayOfWeek: v.readUInt16LE(14) };
  return t.month >= 1 && t.month <= 12 ? t : undefined;
}

/** The zone the SYSTEM hive records, or undefined when the key or its `Bias` is missing. */
export function windowsZone(hive: Hive): WindowsZone | undefined {
  const tz = key(hive, 'CurrentControlSet\\Control\\TimeZoneInformation');
  const bias = num(tz, 'Bias');
  if (bias === undefined) return undefined;
  const signed = (n: number | undefined): number => (n === undefined ? 0 : n | 0); // DWORDs holding negative minutes
  const name = (str(tz, 'TimeZoneKeyName') ?? str(tz, 'StandardName'))?.split('\0')[0]?.trim();
  const z: WindowsZone = { bias: signed(bias), standardBias: signed(num(tz, 'StandardBias')), daylightBias: signed(num(tz, 'DaylightBias')) };
  if (name) z.name = name;
  const std = transitionOf(bytes(tz, 'StandardStart'));
  const dst = transitionOf(bytes(tz, 'DaylightStart'));
  if (std && dst) {
    z.standardStart = std;
    z.daylightStart = dst;
  }
  return z;
}

/** The wall-clock instant (as ms of the same digits in UTC) a transition happens in `year`. */
function transitionMs(year: number, t: ZoneTransition): number | undefined {
  let day = t.day;
  if (t.year !== 0) {
    if (t.year !== year) return undefined;
  } else {
    const firstDow = new Date(Date.UTC(year, t.month - 1, 1)).getUTCDay();
    const daysInMonth = new Date(Date.UTC(year, t.month, 0)).getUTCDate();
    day = 1 + ((t.dayOfWeek - firstDow + 7) % 7) + (Math.max(1, Math.min(5, t.day)) - 1) * 7;
    while (day > daysInMonth) day -= 7;
  }
  return Date.UTC(year, t.month - 1, day, t.hour, t.minute, t.second, t.ms);
}

/**
 * A naive local time (`2016-11-22T23:50:30.938`) → ISO UTC, with the zone's rule for daylight time.
 * The hive holds the zone's current rule only: a time from before a change of the rule (or of a year
 * with a dynamic-DST exception) may be off by the daylight bias, an hour. The hour that repeats when
 * daylight time ends is read as daylight time.
 */
export function localToUtc(naive: string, z: WindowsZone): string | undefined {
  const m = /^(\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?$/.exec(naive);
  if (!m) return undefined;
  const t = Date.parse(`${naive}Z`);
  if (!Number.isFinite(t)) return undefined;
  let bias = z.bias + z.standardBias;
  if (z.standardStart && z.daylightStart) {
    const year = Number(m[1]);
    const on = transitionMs(year, z.daylightStart);
    const off = transitionMs(year, z.standardStart);
    if (on !== undefined && off !== undefined) {
      const inDaylight = on < off ? t >= on && t < off : t >= on || t < off; // northern / southern hemisphere
      if (inDaylight) bias = z.bias + z.daylightBias;
    }
  }
  return new Date(t + bias * 60_000).toISOString();
}

/** Times an instance key records: device properties 0064-0067, then the key's last write. */
function instanceTimes(d: WinDevice): Array<[string, string]> {
  const all: Array<[string, string | undefined]> = [
    ['0064', d.installDate],
    ['0065', d.firstInstall],
    ['0066', d.lastArrival],
    ['0067', d.lastRemoval],
    ['key last write', d.lastWrite],
  ];
  return all.filter((x): x is [string, string] => x[1] !== undefined && Number.isFinite(Date.parse(x[1])));
}

function sourceOf(kind: string, hiveSource: string, d: WinDevice): UsbSource {
  const src: UsbSource = { kind, source: `${hiveSource}: ${d.keyPath}` };
  const times = instanceTimes(d);
  // First seen: the earliest time this instance records. Each is a moment the device was there or had
  // been (installed 0064/0065, arrived 0066, removed 0067), or after which the key was written (its
  // last write: the key was created when the device first arrived). Windows rewrites 0064/0065 when it
  // reinstalls a device, so any of them may be the earliest (win10-SYSTEM_B: 0064 2 h 49 min before
  // 0065; a removal before both).
  let first: [string, string] | undefined;
  for (const t of times) if (!first || Date.parse(t[1]) < Date.parse(first[1])) first = t;
  if (first) src.firstSeen = first[1];
  // Last seen: the latest install or arrival; without any (XP, damaged keys) the key's last write, the
  // best available: Windows rewrites the key when the device arrives.
  let last: [string, string] | undefined;
  for (const t of times) if (['0064', '0065', '0066'].includes(t[0]) && (!last || Date.parse(t[1]) > Date.parse(last[1]))) last = t;
  src.lastSeen = last?.[1] ?? d.lastWrite;
  if (d.lastRemoval) src.lastRemoved = d.lastRemoval;
  const present = presentAtLastBoot(d);
  src.detail = {
    instanceId: d.instanceId,
    keyLastWrite: d.lastWrite,
    ...(first ? { firstSeenFrom: first[0] } : {}),
    ...(last === undefined ? { lastSeenFrom: 'key last write' } : {}),
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
    return (container ? this.byContainer.get(container) : undefined) ?? (serial ? this.bySerialKey(serial) : undefined);
  }

  /** `raw`: the serial as Windows recorded it, when it differs (`MSFT30…`); indexed too. */
  upsert(container: string | undefined, serial: string | undefined, unique: boolean, raw?: string): UsbDeviceRecord {
    let r = this.find(container, unique ? serial : undefined);
    if (!r) {
      r = { key: '', serialUnique: unique && serial !== undefined, storage: false, phone: false, sources: [] };
      this.records.push(r);
    }
    if (container) this.byContainer.set(container, r);
    if (serial && unique) {
      this.bySerial.set(serialKey(serial), r);
      if (raw) this.bySerial.set(serialKey(raw), r);
      if (!r.serial || !r.serialUnique) {
        r.serial = serial;
        r.serialUnique = true;
        if (raw) r.serialRaw = raw;
        else delete r.serialRaw;
      } else if (raw && r.serialRaw === undefined && serialKey(r.serial) === serialKey(serial)) {
        r.serialRaw = raw;
      }
    } else if (serial && r.serial === undefined) {
      r.serial = serial;
    }
    return r;
  }

  /** The record of a serial as any source writes it: decoded, `MSFT30…`, or the hex the device reports. */
  bySerialKey(serial: string): UsbDeviceRecord | undefined {
    return this.bySerial.get(serialKey(windowsSerial(serial).serial)) ?? this.bySerial.get(serialKey(serial));
  }
}

/**
 * Adds a source and merges its times: the record's firstSeen is the earliest over all sources, lastSeen
 * and lastRemoved the latest. A source with local times is compared by its UTC equivalent
 * (`firstSeenUtc`, converted with the machine's zone) when the zone is known; otherwise as {@link pick}
 * says. Whether the merged times are local is decided at the end ({@link localFlag}).
 */
function addSource(r: UsbDeviceRecord, s: UsbSource): void {
  r.sources.push(s);
  r.firstSeen = earlier(r.firstSeen, s.timesAreLocal && s.firstSeenUtc ? s.firstSeenUtc : s.firstSeen);
  r.lastSeen = later(r.lastSeen, s.lastSeen);
  r.lastRemoved = later(r.lastRemoved, s.lastRemoved);
}

/** `timesAreLocal` true only when a merged time is a local wall-clock time (no zone): honest, not sticky. */
function localFlag(r: UsbDeviceRecord): void {
  if ([r.firstSeen, r.lastSeen, r.lastRemoved].some((t) => t !== undefined && !isUtc(t))) r.timesAreLocal = true;
  else delete r.timesAreLocal;
}

function addTo(list: string[] | undefined, v: string): string[] {
  return [...new Set([...(list ?? []), v])].sort();
}

/** Names that say phone or media player (also used for the devices attached now: ./attached.windows.ts). */
export const PHONE_NAME = /\b(MTP|PTP|iPhone|iPad|Android|Apple Mobile|Portable Device|手机)\b/i;

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
    const { serial, unique, raw } = windowsSerial(d.instance);
    const r = m.upsert(container(d), serial, unique, raw);
    r.vid = ids.vid;
    r.pid = ids.pid;
    if (classes.size > 0) r.interfaceClasses = [...new Set([...(r.interfaceClasses ?? []), ...classes])].sort();
    if (classes.has('08') || /^(USBSTOR|UASPStor)$/i.test(d.service ?? '')) r.storage = true;
    if (classes.has('06') || PHONE_NAME.test(d.name ?? '')) r.phone = true;
    if (d.name && !r.product) r.product = d.name;
    addSource(r, sourceOf('usb', source, d));
  }

  // 2. USBSTOR disks and UAS disks under SCSI.
  for (const d of devices.filter((x) => /^(USBSTOR|SCSI)$/i.test(x.bus))) {
    const isScsi = d.bus.toUpperCase() === 'SCSI';
    const c = container(d);
    let id: { serial?: string; unique: boolean; raw?: string } = isScsi ? { unique: false } : windowsSerial(d.instance);
    if (isScsi) {
      if (!/^Disk&/i.test(d.device)) continue;
      // A SCSI disk is a USB disk (UAS) only when a USB device shares its container, or is its last
      // known parent (property 000A), or Windows named it MSFT30… (only the USB 3 hub driver makes such
      // names); VM and internal SATA/NVMe disks are none of these. Its serial is then the USB one.
      const own = /^MSFT30/i.test(d.instance) ? windowsSerial(d.instance) : undefined;
      const parentInstance = /^USB\\VID_[0-9A-F]{4}&PID_[0-9A-F]{4}\\([^\\]+)$/i.exec(d.lastKnownParent ?? '')?.[1];
      const parent = parentInstance ? windowsSerial(parentInstance) : undefined;
      const byParent = parent?.unique ? m.bySerialKey(parent.serial) : undefined;
      const byContainer = c ? m.find(c, undefined) : undefined;
      if (!own?.unique && !byParent?.vid && !byContainer?.vid) continue;
      id = own?.unique ? own : parent?.unique && byParent ? parent : { unique: false };
    }
    const r = m.upsert(c, id.serial, id.unique, id.raw);
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
      const ws = serialPart !== undefined ? windowsSerial(serialPart) : undefined;
      let r = serialPart ? m.bySerialKey(serialPart) : undefined;
      if (!r) {
        r = m.upsert(undefined, ws?.serial, ws?.unique ?? false, ws?.raw);
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

  // 6. setupapi.dev.log: first install, in the machine's local time as logged; converted to UTC with
  //    the zone the SYSTEM hive records (the log's own time is kept as the source's firstSeen).
  if (inp.setupapi) {
    const zone = windowsZone(hive);
    const firstBySerial = new Map<string, DeviceInstallRecord>();
    for (const d of inp.setupapi.devices) {
      if (d.action !== 'install' || !d.start) continue;
      const id = parseUsbstorInstanceId(d.instanceId);
      const part = id
        ? id.serialGenerated ? undefined : id.serial
        : /^USB\\VID_[0-9A-F]{4}&PID_[0-9A-F]{4}\\([^\\]+)$/i.exec(d.instanceId)?.[1] ?? /^SCSI\\[^\\]+\\(MSFT30[^\\]+)$/i.exec(d.instanceId)?.[1];
      const ws = part !== undefined ? windowsSerial(part) : undefined;
      if (!ws?.unique) continue;
      const k = serialKey(ws.serial);
      const prev = firstBySerial.get(k);
      if (!prev || (prev.start && d.start < prev.start)) firstBySerial.set(k, d);
    }
    for (const [s, d] of firstBySerial) {
      const r = m.bySerialKey(s);
      if (!r) continue;
      const utc = zone ? localToUtc(d.start!, zone) : undefined;
      addSource(r, {
        kind: 'setupapi',
        source: `${inp.setupapi.source} line ${d.line}`,
        firstSeen: d.start!,
        timesAreLocal: true,
        ...(utc ? { firstSeenUtc: utc } : {}),
        detail: { section: d.kind, instanceId: d.instanceId, ...(utc && zone?.name ? { timeZone: zone.name } : {}), ...(utc ? {} : { timeZone: 'unknown (no TimeZoneInformation in SYSTEM)' }) },
      });
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
      r.lastSeen = later(r.lastSeen, k.lastWrite);
    }
  }

  for (const r of m.records) {
    localFlag(r);
    r.key = r.vid && r.pid && r.serial && r.serialUnique
      ? `usb:${r.vid}:${r.pid}:${serialKey(r.serial)}`
      : r.serial && r.serialUnique
        ? `usbstor:${serialKey(r.serial)}`
        : `win:${(r.sources[0]?.source ?? 'unknown').replace(/^.*?\\Enum\\/i, '')}`; // the device instance id
  }
  return m.records.sort((a, b) => a.key.localeCompare(b.key));
}
