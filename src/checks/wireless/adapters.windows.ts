// Windows wireless hardware from the SYSTEM hive: device instances under Enum (PCI, USB, SWD,
// ROOT…) whose class is Bluetooth, whose network driver key says 802.11 / WWAN (`*IfType` 71,
// 243, 244, or a wireless description), whose PCI class code is 0280/0D, whose USB class is E0,
// or whose VID:PID is a known receiver/dongle. Each gets its install/arrival/removal dates, so
// "present at last boot" and "installed once" are told apart.
//
// Live: Get-NetAdapter (PowerShell, JSON) adds what only the running machine shows: which adapters
// are there now and their state (linkState), and wireless adapters the hive does not (yet) record.
import type { Hive } from '../../formats/regf.js';
import { BLUETOOTH_CLASS, enumDevices, NET_CLASS, pciIds, presentAtLastBoot, usbIds, type WinDevice } from '../windows/devices.js';
import { key, num, str, subkeys } from '../windows/reg.js';
import { knownWirelessUsb } from './_ids.js';
import { msg, type Msg } from '../../report/messages-keys.js';
import { addWhy, LINK_STATES, type LinkState, type Presence, type WirelessAdapter, type WirelessKind } from './types.js';
import { psStr } from '../windows/live.js';


const WIFI_DESC = /802\.11|wi-?fi|wireless lan|\bwlan\b|wireless network|wireless-[a-z]{1,2}\b|无线/i;
const WWAN_DESC = /\bwwan\b|mobile broadband|\b(lte|5g|4g|3g|hspa|umts|cdma) .*(modem|module|adapter)|cellular/i;
const BT_DESC = /bluetooth|蓝牙/i;

interface NetClassEntry {
  key: string;
  desc: string;
  ifType?: number;
  componentId?: string;
}

/** Network driver keys (Control\Class\{4d36e972-…}\NNNN) that are wireless, by key name. */
export function wirelessNetClassEntries(hive: Hive): Map<string, { entry: NetClassEntry; kind: WirelessKind; why: Msg }> {
  const out = new Map<string, { entry: NetClassEntry; kind: WirelessKind; why: Msg }>();
  for (const k of subkeys(key(hive, `CurrentControlSet\\Control\\Class\\${NET_CLASS}`))) {
    if (!/^\d{4}$/.test(k.name)) continue;
    const desc = str(k, 'DriverDesc');
    if (!desc) continue;
    const ifType = num(k, '*IfType');
    const comp = str(k, 'ComponentId') ?? str(k, 'MatchingDeviceId');
    const entry: NetClassEntry = { key: k.name, desc, ...(ifType !== undefined ? { ifType } : {}), ...(comp ? { componentId: comp } : {}) };
    let hit: { kind: WirelessKind; why: Msg } | undefined;
    if (ifType === 71) hit = { kind: 'wifi', why: msg('wireless.win-iftype-80211') };
    else if (ifType === 243 || ifType === 244) hit = { kind: 'wwan', why: msg('wireless.win-iftype-wwan', { ifType }) };
    else if (WIFI_DESC.test(desc)) hit = { kind: 'wifi', why: msg('wireless.win-desc-wifi') };
    else if (WWAN_DESC.test(desc)) hit = { kind: 'wwan', why: msg('wireless.win-desc-wwan') };
    else if (BT_DESC.test(desc) || /^BTH\\/i.test(comp ?? '')) hit = { kind: 'bluetooth', why: msg('wireless.win-bt-net') };
    if (hit) out.set(`${NET_CLASS}\\${k.name}`.toLowerCase(), { entry, ...hit });
  }
  return out;
}

function presence(d: WinDevice): Presence {
  const p = presentAtLastBoot(d);
  return p === true ? 'present-at-last-boot' : p === false ? 'installed' : 'recorded';
}

function classify(d: WinDevice, net: ReturnType<typeof wirelessNetClassEntries>): { kind: WirelessKind; why: Msg[] } | undefined {
  const why: Msg[] = [];
  let kind: WirelessKind | undefined;
  const netHit = d.driver ? net.get(d.driver.toLowerCase()) : undefined;
  if (netHit) {
    kind = netHit.kind;
    why.push(netHit.why);
  }
  if (d.classGuid === BLUETOOTH_CLASS) {
    kind ??= 'bluetooth';
    why.push(msg('wireless.win-bt-class'));
  }
  if (/^BTHUSB$/i.test(d.service ?? '')) {
    kind ??= 'bluetooth';
    why.push(msg('wireless.win-bthusb'));
  }
  const ids = [...d.hardwareIds, ...d.compatibleIds];
  if (ids.some((i) => /CC_0280|CC_0D/i.test(i)) && d.bus.toUpperCase() === 'PCI') {
    kind ??= ids.some((i) => /CC_0D11/i.test(i)) ? 'bluetooth' : 'wifi';
    why.push(msg('wireless.pci-class-windows'));
  }
  if (ids.some((i) => /USB\\Class_E0/i.test(i))) {
    kind ??= 'bluetooth';
    why.push(msg('wireless.usb-class-windows'));
  }
  const u = usbIds(d.device);
  if (u && d.bus.toUpperCase() === 'USB') {
    const known = knownWirelessUsb(u.vid, u.pid);
    if (known) {
      kind ??= known.kind;
      why.push(msg('wireless.known-usb', { vid: u.vid, pid: u.pid, name: known.name, source: known.source }));
    }
  }
  return kind ? { kind, why } : undefined;
}

/** Child interfaces of a composite USB device (`VID_x&PID_y&MI_01`) are the same hardware. */
function physicalId(d: WinDevice): string {
  return d.instanceId.replace(/&MI_[0-9A-F]{2}/i, '');
}

export function windowsAdapters(hive: Hive, source: string): WirelessAdapter[] {
  const net = wirelessNetClassEntries(hive);
  const usedNetKeys = new Set<string>();
  const byPhysical = new Map<string, WirelessAdapter>();
  for (const d of enumDevices(hive)) {
    const bus = d.bus.toUpperCase();
    if (bus === 'USBSTOR' || bus === 'STORAGE' || bus === 'SCSI' || bus === 'HID') continue;
    const c = classify(d, net);
    if (!c) continue;
    if (d.driver) usedNetKeys.add(d.driver.toLowerCase());
    // Bluetooth-enumerated children (BTH\MS_BTHPAN, BTHENUM\…) are services or remote devices, not radios.
    if (bus === 'BTH' || bus.startsWith('BTHENUM') || bus.startsWith('BTHLE')) continue;
    const pid = physicalId(d);
    const existing = byPhysical.get(pid);
    if (existing) {
      for (const w of c.why) addWhy(existing.matchedBy, w);
      continue;
    }
    const u = usbIds(d.device);
    const p = pciIds(d.device);
    const a: WirelessAdapter = {
      kind: c.kind,
      name: d.name ?? d.device,
      bus: bus === 'PCI' ? 'pci' : bus === 'USB' ? 'usb' : bus === 'SWD' || bus === 'ROOT' || bus.startsWith('{') ? 'virtual' : 'unknown',
      id: pid,
      ...(u ? { vid: u.vid, pid: u.pid } : p ? { vid: p.vendor, pid: p.device } : {}),
      ...(d.service ? { driver: d.service } : {}),
      presence: presence(d),
      matchedBy: c.why,
      ...(d.firstInstall ?? d.installDate ? { firstInstall: (d.firstInstall ?? d.installDate)! } : {}),
      ...(d.lastArrival ? { lastArrival: d.lastArrival } : {}),
      ...(d.lastRemoval ? { lastRemoval: d.lastRemoval } : {}),
      source: `${source}: ${d.keyPath}`,
    };
    if (d.disabled) a['disabled'] = true;
    byPhysical.set(pid, a);
  }
  // Wireless driver keys no device instance points to (the device entry was removed): still a trace.
  for (const [k, hit] of net) {
    if (usedNetKeys.has(k)) continue;
    if (hit.kind === 'bluetooth') continue; // PAN/RFCOMM adapters without a radio are not hardware
    byPhysical.set(`class:${k}`, {
      kind: hit.kind,
      name: hit.entry.desc,
      bus: 'unknown',
      id: `class:${k}`,
      presence: 'recorded',
      matchedBy: [hit.why, msg('wireless.win-orphan-net-key')],
      source: `${source}: ${hive.resolvePath(`CurrentControlSet\\Control\\Class\\${k}`)}`,
    });
  }
  return [...byPhysical.values()].sort((a, b) => a.id.localeCompare(b.id));
}

// ---------------------------------------------------------------------------------------------
// Live: Get-NetAdapter -IncludeHidden

/** One network adapter as Get-NetAdapter reports it now. */
export interface LiveNetAdapter {
  /** Interface name (`WLAN`, `以太网`, `Wi-Fi`). */
  name: string;
  description?: string;
  linkState: LinkState;
  mediaType?: string;
  physicalMediaType?: string;
  /** Device instance id (`PCI\VEN_…\…`), as the hive names the device. */
  pnpDeviceId?: string;
  mac?: string;
  hardware?: boolean;
}

/** Get-NetAdapter `Status` → linkState (`Not Present` → `not-present`; unknown words → `unknown`). */
export function linkStateOf(status: string | undefined): LinkState {
  const k = (status ?? '').trim().toLowerCase().replace(/\s+/g, '-').replace(/^lowerlayerdown$/, 'lower-layer-down');
  return (LINK_STATES as readonly string[]).includes(k) ? (k as LinkState) : 'unknown';
}

/** Get-NetAdapter objects → adapters (objects without a name are left out and counted). */
export function parseNetAdapters(objs: ReadonlyArray<Record<string, unknown>>): { adapters: LiveNetAdapter[]; skipped: number } {
  const adapters: LiveNetAdapter[] = [];
  let skipped = 0;
  for (const o of objs) {
    const name = psStr(o, 'Name');
    if (!name) {
      skipped++;
      continue;
    }
    const a: LiveNetAdapter = { name, linkState: linkStateOf(psStr(o, 'Status')) };
    const set = (k: 'description' | 'mediaType' | 'physicalMediaType' | 'pnpDeviceId' | 'mac', field: string): void => {
      const v = psStr(o, field);
      if (v !== undefined) a[k] = v;
    };
    set('description', 'InterfaceDescription');
    set('mediaType', 'MediaType');
    set('physicalMediaType', 'PhysicalMediaType');
    set('pnpDeviceId', 'PnPDeviceID');
    set('mac', 'MacAddress');
    if (typeof o['HardwareInterface'] === 'boolean') a.hardware = o['HardwareInterface'];
    adapters.push(a);
  }
  return { adapters, skipped };
}

/** Is a live adapter wireless, and why (media type first: it is not localised; then the description). */
function classifyLive(a: LiveNetAdapter): { kind: WirelessKind; why: Msg } | undefined {
  for (const t of [a.physicalMediaType, a.mediaType]) {
    if (!t) continue;
    if (/802\.11|wireless lan/i.test(t)) return { kind: 'wifi', why: msg('wireless.win-live-media', { type: t }) };
    if (/wireless wan|mobile broadband|wwan/i.test(t)) return { kind: 'wwan', why: msg('wireless.win-live-media', { type: t }) };
    if (/bluetooth/i.test(t)) return { kind: 'bluetooth', why: msg('wireless.win-live-media', { type: t }) };
  }
  const d = a.description ?? '';
  if (WIFI_DESC.test(d)) return { kind: 'wifi', why: msg('wireless.win-desc-wifi') };
  if (WWAN_DESC.test(d)) return { kind: 'wwan', why: msg('wireless.win-desc-wwan') };
  if (BT_DESC.test(d)) return { kind: 'bluetooth', why: msg('wireless.win-bt-net') };
  return undefined;
}

/** The physical device id of a live adapter, as {@link physicalId} gives it for the hive (upper-cased for matching). */
function liveId(a: LiveNetAdapter): string | undefined {
  return a.pnpDeviceId?.replace(/&MI_[0-9A-F]{2}/i, '');
}

/**
 * Merge the adapters present now into the hive's: an adapter Get-NetAdapter shows (and not as `Not
 * Present`) is `present`, with its linkState and interface name; a wireless adapter only the live
 * machine shows is added. Bluetooth PAN/RFCOMM adapters (`BTH\…`) are services of a radio, not
 * hardware (as in the hive): they are not adapters of their own.
 */
export function mergeLiveAdapters(hive: readonly WirelessAdapter[], live: readonly LiveNetAdapter[]): WirelessAdapter[] {
  const out = hive.map((a) => ({ ...a }));
  const byId = new Map(out.map((a) => [a.id.toUpperCase(), a]));
  for (const l of live) {
    const id = liveId(l);
    const known = id ? byId.get(id.toUpperCase()) : undefined;
    if (known) {
      known.linkState = l.linkState;
      if (l.linkState !== 'not-present') known.presence = 'present';
      known.ifaces = [...new Set([...(known.ifaces ?? []), l.name])].sort();
      continue;
    }
    if (id && /^BTH(ENUM|LE)?\\/i.test(id)) continue;
    const c = classifyLive(l);
    if (!c) continue;
    const [bus = ''] = (id ?? '').toUpperCase().split('\\');
    const device = id?.split('\\')[1] ?? '';
    const u = bus === 'USB' ? usbIds(device) : undefined;
    const p = bus === 'PCI' ? pciIds(device) : undefined;
    const a: WirelessAdapter = {
      kind: c.kind,
      name: l.description ?? l.name,
      bus: bus === 'PCI' ? 'pci' : bus === 'USB' ? 'usb' : bus === 'SWD' || bus === 'ROOT' || bus.startsWith('{') ? 'virtual' : 'unknown',
      id: id ?? `netadapter:${l.name}`,
      ...(u ? { vid: u.vid, pid: u.pid } : p ? { vid: p.vendor, pid: p.device } : {}),
      ifaces: [l.name],
      presence: l.linkState === 'not-present' ? 'recorded' : 'present',
      linkState: l.linkState,
      matchedBy: [c.why],
      source: `Get-NetAdapter: ${l.name}`,
    };
    out.push(a);
    if (id) byId.set(id.toUpperCase(), a);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
