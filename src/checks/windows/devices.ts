// Device records of a SYSTEM hive: every instance under `<ControlSet>\Enum\<bus>\<device>\<instance>`,
// with its names, ids, class, driver and the device-property dates Windows keeps under
// `Properties\{83da6326-97a6-4088-9453-a1923f573b29}\00NN` (DEVPKEY_Device_InstallDate 0064,
// FirstInstallDate 0065, LastArrivalDate 0066, LastRemovalDate 0067).
import type { Hive, RegKey } from '../../formats/regf.js';
import { decodeDeviceProperty } from '../../formats/regf.js';
import { filetimeIso, key, multi, num, str, subkeys } from './reg.js';

export const DEVICE_DATES_FMTID = '{83da6326-97a6-4088-9453-a1923f573b29}';
/** Device setup classes (Control\Class\{…}) the probes read. */
export const NET_CLASS = '{4d36e972-e325-11ce-bfc1-08002be10318}';
export const BLUETOOTH_CLASS = '{e0cbf06c-cd8b-4647-bb8a-263b43f0f974}';

export interface WinDevice {
  /** Enumerator, e.g. `PCI`, `USB`, `USBSTOR`, `BTHENUM`, `SWD`. */
  bus: string;
  /** Device key name, e.g. `VEN_14E4&DEV_4727&SUBSYS_00151028&REV_01`, `VID_413C&PID_8197`. */
  device: string;
  /** Instance key name, e.g. a serial number or `4&752ea02&0&00E1`. */
  instance: string;
  /** `bus\device\instance`, as Windows names the device instance. */
  instanceId: string;
  /** FriendlyName, else DeviceDesc without its `@inf,%key%;` prefix. */
  name?: string;
  hardwareIds: string[];
  compatibleIds: string[];
  classGuid?: string;
  /** `{class-guid}\NNNN`: the driver key under Control\Class. */
  driver?: string;
  service?: string;
  /** CONFIGFLAG_DISABLED (bit 0) set. */
  disabled: boolean;
  /** ISO 8601 UTC, from the device property keys when recorded. */
  installDate?: string;
  firstInstall?: string;
  lastArrival?: string;
  lastRemoval?: string;
  /**
   * DEVPKEY_Device_LastKnownParent (`{83da6326-…}\000A`): the instance id of the parent device, e.g.
   * `USB\VID_0781&PID_558C\MSFT30…` for the SCSI disk of a UAS SSD.
   */
  lastKnownParent?: string;
  /** Last write of the instance key (ISO UTC). */
  lastWrite: string;
  /** Key path in the hive. */
  keyPath: string;
}

/** `@netbc64.inf,%bcm430n_devicedesc%;Broadcom 802.11n Network Adapter` → `Broadcom 802.11n Network Adapter`. */
export function cleanDeviceDesc(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const i = s.startsWith('@') ? s.indexOf(';') : -1;
  const t = (i >= 0 ? s.slice(i + 1) : s).trim();
  return t === '' ? undefined : t;
}

/**
 * A date device property. Windows 8+ stores `Properties\{fmtid}\00NN` with the value as the key's
 * default value of type 0xFFFF0010; Windows 7 stores `Properties\{fmtid}\000000NN\00000000` with
 * values `Type` (DEVPROPTYPE, 0x10 = FILETIME) and `Data`.
 */
function propDate(inst: RegKey, id: string): string | undefined {
  try {
    const fmt = inst.subkey('Properties')?.subkey(DEVICE_DATES_FMTID);
    if (!fmt) return undefined;
    let value: string | undefined;
    const v = fmt.subkey(id)?.value('');
    if (v) {
      const p = decodeDeviceProperty(v.type, v.raw);
      if (p && typeof p.value === 'string') value = p.value;
    } else {
      const legacy = fmt.subkey(`0000${id}`)?.subkey('00000000');
      const type = legacy?.value('Type')?.raw;
      const data = legacy?.value('Data')?.raw;
      if (type && data && type.length >= 4 && Buffer.from(type).readUInt32LE(0) === 0x10) value = filetimeIso(data);
    }
    return value && /^\d{4}-/.test(value) && !value.startsWith('1601') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A string device property (Windows 8+ layout: the key's default value, DEVPROP_TYPE_STRING). */
function propString(inst: RegKey, id: string): string | undefined {
  try {
    const v = inst.subkey('Properties')?.subkey(DEVICE_DATES_FMTID)?.subkey(id)?.value('');
    const p = v ? decodeDeviceProperty(v.type, v.raw) : undefined;
    const t = p && typeof p.value === 'string' ? p.value.trim() : undefined;
    return t ? t : undefined;
  } catch {
    return undefined;
  }
}

export function readDevice(bus: string, dev: RegKey, inst: RegKey): WinDevice {
  const name = cleanDeviceDesc(str(inst, 'FriendlyName')) ?? cleanDeviceDesc(str(inst, 'DeviceDesc'));
  const d: WinDevice = {
    bus,
    device: dev.name,
    instance: inst.name,
    instanceId: `${bus}\\${dev.name}\\${inst.name}`,
    hardwareIds: multi(inst, 'HardwareID') ?? [],
    compatibleIds: multi(inst, 'CompatibleIDs') ?? [],
    disabled: ((num(inst, 'ConfigFlags') ?? 0) & 1) === 1,
    lastWrite: inst.lastWrite,
    keyPath: inst.path,
  };
  if (name) d.name = name;
  const cls = str(inst, 'ClassGUID');
  if (cls) d.classGuid = cls.toLowerCase();
  const drv = str(inst, 'Driver');
  if (drv) d.driver = drv;
  const svc = str(inst, 'Service');
  if (svc) d.service = svc;
  const dates: Array<[keyof WinDevice, string]> = [
    ['installDate', '0064'],
    ['firstInstall', '0065'],
    ['lastArrival', '0066'],
    ['lastRemoval', '0067'],
  ];
  for (const [field, id] of dates) {
    const v = propDate(inst, id);
    if (v) (d as unknown as Record<string, unknown>)[field] = v;
  }
  const parent = propString(inst, '000A');
  if (parent) d.lastKnownParent = parent;
  return d;
}

/** Every device instance under `CurrentControlSet\Enum\<bus>` for the given buses (all when omitted). */
export function enumDevices(hive: Hive, buses?: string[]): WinDevice[] {
  const enumKey = key(hive, 'CurrentControlSet\\Enum');
  const out: WinDevice[] = [];
  for (const busKey of subkeys(enumKey)) {
    if (buses && !buses.some((b) => b.toLowerCase() === busKey.name.toLowerCase())) continue;
    for (const dev of subkeys(busKey)) {
      for (const inst of subkeys(dev)) out.push(readDevice(busKey.name, dev, inst));
    }
  }
  return out;
}

/**
 * Present when Windows last ran? From the arrival/removal dates: removed after its last arrival →
 * false; arrived (and not removed since) → true; no dates → undefined (the hive does not say).
 */
export function presentAtLastBoot(d: Pick<WinDevice, 'lastArrival' | 'lastRemoval'>): boolean | undefined {
  if (d.lastRemoval && (!d.lastArrival || d.lastRemoval > d.lastArrival)) return false;
  if (d.lastArrival) return true;
  return undefined;
}

/** `VID_413C&PID_8197` (or a hardware id holding it) → {vid: '413c', pid: '8197'}. */
export function usbIds(s: string): { vid: string; pid: string } | undefined {
  const m = /VID_([0-9A-F]{4})&PID_([0-9A-F]{4})/i.exec(s);
  return m ? { vid: m[1]!.toLowerCase(), pid: m[2]!.toLowerCase() } : undefined;
}

/** `VEN_14E4&DEV_4727…` → {vendor: '14e4', device: '4727'}. */
export function pciIds(s: string): { vendor: string; device: string } | undefined {
  const m = /VEN_([0-9A-F]{4})&DEV_([0-9A-F]{4})/i.exec(s);
  return m ? { vendor: m[1]!.toLowerCase(), device: m[2]!.toLowerCase() } : undefined;
}
