// USB devices attached now to a live Windows machine: PowerShell `Get-CimInstance Win32_PnPEntity`
// (present devices only) filtered to `USB\` and `USBSTOR\` instance ids, as JSON. Each physical
// device becomes a UsbDeviceRecord with the SAME key and serial rules as the SYSTEM hive's records
// (./windows.ts: windowsSerial — `&0` suffix, MSFT30 prefix, hex-encoded ASCII serials; second
// character `&` = a serial Windows synthesised, not unique; storage by class 08 or the USBSTOR /
// UASPStor service; phone by class 06, the WPD class or a phone's name), so an attached stick merges
// with its history record (same key) in usb.history.
//
// Win32_PnPEntity has no ContainerID: the USB node and the USBSTOR disk of one stick are joined by
// their serial. A stick whose serial Windows synthesised (no unique serial) cannot be joined and
// shows as two records (its USB node and its disk), both attached now.
import { serialKey } from '../../engine/vocab.js';
import type { Target } from '../../target/types.js';
import { usbIds } from '../windows/devices.js';
import { PS_USB_PNP, psStr, psStrs, runPowerShellJson } from '../windows/live.js';
import type { UsbDeviceRecord } from './types.js';
import { inquiryIds, PHONE_NAME, windowsSerial } from './windows.js';

/** Device setup class of Windows Portable Devices (phones, cameras, media players over MTP/PTP). */
const WPD_CLASS = '{eec5ad98-8080-425f-922a-dabf3de3f69a}';

interface PnpDevice {
  instanceId: string;
  bus: string;
  device: string;
  instance: string;
  name?: string;
  manufacturer?: string;
  service?: string;
  status?: string;
  classGuid?: string;
  pnpClass?: string;
  classes: string[];
  hardwareIds: string[];
}

function toDevice(o: Record<string, unknown>): PnpDevice | undefined {
  const id = psStr(o, 'PNPDeviceID');
  const parts = id?.split('\\');
  if (!id || parts?.length !== 3 || parts.some((p) => p === '')) return undefined;
  const [bus, device, instance] = parts as [string, string, string];
  const classes = [...psStrs(o, 'CompatibleID'), ...psStrs(o, 'HardwareID')]
    .map((i) => /Class_([0-9A-F]{2})/i.exec(i)?.[1]?.toLowerCase())
    .filter((x): x is string => x !== undefined);
  const d: PnpDevice = { instanceId: id, bus: bus.toUpperCase(), device, instance, classes: [...new Set(classes)], hardwareIds: psStrs(o, 'HardwareID') };
  const set = (k: keyof PnpDevice, field: string): void => {
    const v = psStr(o, field);
    if (v !== undefined) (d as unknown as Record<string, string>)[k] = v;
  };
  set('name', 'Name');
  set('manufacturer', 'Manufacturer');
  set('service', 'Service');
  set('status', 'Status');
  set('classGuid', 'ClassGuid');
  set('pnpClass', 'PNPClass');
  if (d.classGuid) d.classGuid = d.classGuid.toLowerCase();
  return d;
}

/**
 * Vendor, product and revision of a USBSTOR disk with their case, from its first hardware id
 * (`USBSTOR\DiskSanDisk_Extreme_________0001`: the device type, then the SCSI inquiry fields at their
 * fixed widths — vendor 8, product 16, revision 4 — spaces written `_`). The instance id's own
 * `DISK&VEN_SANDISK&PROD_EXTREME` is upper-cased by Windows; the hive's key keeps the case.
 */
export function inquiryFromHardwareIds(ids: readonly string[]): { vendor?: string; product?: string; revision?: string } | undefined {
  const m = /^USBSTOR\\[A-Za-z]+(.{28})$/.exec(ids[0] ?? '');
  if (!m) return undefined;
  const f = (a: number, b: number): string | undefined => m[1]!.slice(a, b).replace(/_+/g, ' ').trim() || undefined;
  const out: { vendor?: string; product?: string; revision?: string } = {};
  const v = f(0, 8);
  const p = f(8, 24);
  const r = f(24, 28);
  if (v) out.vendor = v;
  if (p) out.product = p;
  if (r) out.revision = r;
  return out;
}

function source(d: PnpDevice): UsbDeviceRecord['sources'][number] {
  return {
    kind: 'pnp',
    source: `Win32_PnPEntity: ${d.instanceId}`,
    detail: {
      instanceId: d.instanceId,
      ...(d.name ? { name: d.name } : {}),
      ...(d.service ? { service: d.service } : {}),
      ...(d.status ? { status: d.status } : {}),
      ...(d.pnpClass ? { pnpClass: d.pnpClass } : {}),
      ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
    },
  };
}

export interface PnpUsbParse {
  records: UsbDeviceRecord[];
  /** Objects without a readable `bus\device\instance` id (hostile or unknown output). */
  skipped: number;
}

/** Win32_PnPEntity objects (USB\ and USBSTOR\ instances) → one record per physical device, attached now. */
export function windowsUsbAttachedFromPnp(objs: ReadonlyArray<Record<string, unknown>>): PnpUsbParse {
  const devices: PnpDevice[] = [];
  let skipped = 0;
  for (const o of objs) {
    if (o['Present'] === false) continue; // not attached now (Windows 10+ says so; older ones list present devices only)
    const d = toDevice(o);
    if (d && (d.bus === 'USB' || d.bus === 'USBSTOR')) devices.push(d);
    else skipped++;
  }
  const records: UsbDeviceRecord[] = [];
  const bySerial = new Map<string, UsbDeviceRecord>();
  const upsert = (serial: string, unique: boolean, raw: string | undefined, d: PnpDevice): UsbDeviceRecord => {
    let r = unique ? bySerial.get(serialKey(serial)) : undefined;
    if (!r) {
      r = { key: '', serial, serialUnique: unique, storage: false, phone: false, attachedNow: true, sources: [] };
      if (raw) r.serialRaw = raw;
      records.push(r);
      if (unique) bySerial.set(serialKey(serial), r);
    }
    r.sources.push(source(d));
    return r;
  };

  // Composite children (&MI_xx) lend their interface classes to the parent, as in the hive.
  const childClasses = new Map<string, Set<string>>();
  for (const d of devices.filter((x) => x.bus === 'USB' && /&MI_[0-9A-F]{2}$/i.test(x.device))) {
    const parent = d.device.replace(/&MI_[0-9A-F]{2}$/i, '').toUpperCase();
    const set = childClasses.get(parent) ?? new Set<string>();
    d.classes.forEach((c) => set.add(c));
    if (d.classGuid === WPD_CLASS || /^WPD$/i.test(d.pnpClass ?? '')) set.add('wpd');
    childClasses.set(parent, set);
  }
  for (const d of devices.filter((x) => x.bus === 'USB')) {
    if (/ROOT_HUB/i.test(d.device) || /&MI_[0-9A-F]{2}$/i.test(d.device)) continue;
    const ids = usbIds(d.device);
    if (!ids) continue;
    const classes = new Set(d.classes);
    childClasses.get(d.device.toUpperCase())?.forEach((c) => classes.add(c));
    if (classes.has('09') || /hub/i.test(d.service ?? '')) continue; // hubs are not devices
    const wpd = classes.delete('wpd') || d.classGuid === WPD_CLASS || /^WPD$/i.test(d.pnpClass ?? '');
    const { serial, unique, raw } = windowsSerial(d.instance);
    const r = upsert(serial, unique, raw, d);
    r.vid = ids.vid;
    r.pid = ids.pid;
    if (classes.size > 0) r.interfaceClasses = [...new Set([...(r.interfaceClasses ?? []), ...classes])].sort();
    if (classes.has('08') || /^(USBSTOR|UASPStor)$/i.test(d.service ?? '')) r.storage = true;
    if (classes.has('06') || wpd || PHONE_NAME.test(d.name ?? '')) r.phone = true;
    if (d.name && !r.product) r.product = d.name;
  }
  for (const d of devices.filter((x) => x.bus === 'USBSTOR')) {
    const { serial, unique, raw } = windowsSerial(d.instance);
    const r = upsert(serial, unique, raw, d);
    r.storage = true;
    const inq = inquiryFromHardwareIds(d.hardwareIds) ?? inquiryIds(d.device);
    if (inq.vendor) r.vendor = inq.vendor;
    if (inq.product) r.product = inq.product;
    if (inq.revision) r.revision = inq.revision;
    if (d.name) r['friendlyName'] = d.name;
  }
  for (const r of records) {
    r.key = r.vid && r.pid && r.serial && r.serialUnique
      ? `usb:${r.vid}:${r.pid}:${serialKey(r.serial)}`
      : r.serial && r.serialUnique
        ? `usbstor:${serialKey(r.serial)}`
        : `win:${String(r.sources[0]?.detail?.['instanceId'] ?? 'unknown')}`;
  }
  return { records: records.sort((a, b) => a.key.localeCompare(b.key)), skipped };
}

/** Run the PnP query on the live machine. Throws LiveCommandError when it gives no usable answer. */
export async function windowsUsbAttached(target: Target): Promise<PnpUsbParse> {
  return windowsUsbAttachedFromPnp(await runPowerShellJson(target, PS_USB_PNP, { timeoutMs: 45_000 }));
}
