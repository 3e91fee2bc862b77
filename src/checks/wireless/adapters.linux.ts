// Linux wireless hardware. Live: sysfs (through the Target) — PCI functions of class 0x0280 / 0x0d,
// USB devices with a wireless interface class (e0), a known receiver/dongle id or a modem vendor,
// and the class views (net/*/wireless, ieee80211, bluetooth, wwan) with rfkill state. A device
// with no driver bound, or blocked by rfkill, is still present. Offline: what the disk recorded —
// /var/lib/bluetooth/<adapter address>/ folders (one per Bluetooth controller bluetoothd saw) and
// kernel log lines naming Wi-Fi radios.
import type { CoverageItem } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import { knownWirelessUsb } from './_ids.js';
import type { WirelessAdapter } from './types.js';

async function text(target: Target, path: string): Promise<string | undefined> {
  try {
    return (await target.readText(path, { maxBytes: 1 << 20 })).trim();
  } catch {
    return undefined;
  }
}

async function names(target: Target, dir: string): Promise<string[]> {
  try {
    return (await target.readDir(dir)).map((e) => e.name);
  } catch {
    return [];
  }
}

/** `KEY=value` lines of a sysfs uevent file. */
export function parseUevent(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (s ?? '').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** The device folder behind a class entry, as a canonical target path (symlinks resolved). */
async function devicePath(target: Target, classEntry: string): Promise<string | undefined> {
  try {
    const host = await target.resolve(`${classEntry}/device`);
    const rel = host.slice(target.root === '/' ? 0 : target.root.length);
    return rel.startsWith('/') ? rel : `/${rel}`;
  } catch {
    return undefined;
  }
}

const PCI_WIRELESS = /^0x(0280|0d)/i;

interface Found {
  byDev: Map<string, WirelessAdapter>;
}

/** An adapter as first seen (one reason); `add` merges later sightings of the same device. */
type Sighting = Pick<WirelessAdapter, 'kind' | 'name' | 'bus' | 'id' | 'presence' | 'source'> &
  Partial<Pick<WirelessAdapter, 'vid' | 'pid' | 'driver' | 'driverBound'>> & { matchedBy: string };

function add(f: Found, devPath: string, a: Sighting): WirelessAdapter {
  const existing = f.byDev.get(devPath);
  if (existing) {
    if (!existing.matchedBy.includes(a.matchedBy)) existing.matchedBy.push(a.matchedBy);
    return existing;
  }
  const created: WirelessAdapter = { ...a, matchedBy: [a.matchedBy] };
  f.byDev.set(devPath, created);
  return created;
}

function addIface(a: WirelessAdapter, iface: string): void {
  a.ifaces = [...new Set([...(a.ifaces ?? []), iface])].sort();
}

async function pciDevices(target: Target, f: Found): Promise<void> {
  const base = '/sys/bus/pci/devices';
  for (const slot of await names(target, base)) {
    const dir = `${base}/${slot}`;
    const cls = await text(target, `${dir}/class`);
    if (!cls || !PCI_WIRELESS.test(cls)) continue;
    const ue = parseUevent(await text(target, `${dir}/uevent`));
    const [vid, pid] = (ue['PCI_ID'] ?? '').toLowerCase().split(':');
    const kind = /^0x0d11/i.test(cls) ? 'bluetooth' : /^0x0d12/i.test(cls) ? 'wwan' : 'wifi';
    add(f, (await devicePathOf(target, dir)) ?? dir, {
      kind,
      name: `PCI ${cls.slice(2, 6)} device ${vid ?? '?'}:${pid ?? '?'}`,
      bus: 'pci',
      id: `pci:${slot}`,
      ...(vid ? { vid } : {}),
      ...(pid ? { pid } : {}),
      ...(ue['DRIVER'] ? { driver: ue['DRIVER'] } : {}),
      driverBound: ue['DRIVER'] !== undefined,
      presence: 'present',
      matchedBy: `PCI class ${cls.slice(0, 6)}`,
      source: dir,
    });
  }
}

/** Canonical target path of a sysfs folder (resolves the bus/devices symlinks). */
async function devicePathOf(target: Target, dir: string): Promise<string | undefined> {
  try {
    const host = await target.resolve(dir);
    const rel = host.slice(target.root === '/' ? 0 : target.root.length);
    return rel.startsWith('/') ? rel : `/${rel}`;
  } catch {
    return undefined;
  }
}

async function usbDevices(target: Target, f: Found): Promise<void> {
  const base = '/sys/bus/usb/devices';
  const all = await names(target, base);
  for (const dev of all.filter((n) => !n.includes(':') && !n.startsWith('usb'))) {
    const dir = `${base}/${dev}`;
    const vid = (await text(target, `${dir}/idVendor`))?.toLowerCase();
    const pid = (await text(target, `${dir}/idProduct`))?.toLowerCase();
    if (!vid || !pid) continue;
    const devClass = (await text(target, `${dir}/bDeviceClass`))?.toLowerCase();
    const ifaces = all.filter((n) => n.startsWith(`${dev}:`));
    const ifClasses: string[] = [];
    let driver: string | undefined;
    for (const i of ifaces) {
      const c = (await text(target, `${base}/${i}/bInterfaceClass`))?.toLowerCase();
      if (c) ifClasses.push(c);
      const ue = parseUevent(await text(target, `${base}/${i}/uevent`));
      driver ??= ue['DRIVER'];
    }
    const known = knownWirelessUsb(vid, pid);
    const matched: string[] = [];
    if (devClass === 'e0' || ifClasses.includes('e0')) matched.push('USB class e0 (wireless controller)');
    if (known) matched.push(`${known.source}`);
    if (matched.length === 0) continue;
    const product = await text(target, `${dir}/product`);
    const maker = await text(target, `${dir}/manufacturer`);
    const kind = known?.kind ?? 'bluetooth';
    const a = add(f, (await devicePathOf(target, dir)) ?? dir, {
      kind,
      name: [maker, product].filter(Boolean).join(' ') || known?.name || `USB device ${vid}:${pid}`,
      bus: 'usb',
      id: `usb:${vid}:${pid}:${dev}`,
      vid,
      pid,
      ...(driver ? { driver } : {}),
      driverBound: driver !== undefined,
      presence: 'present',
      matchedBy: matched[0]!,
      source: dir,
    });
    for (const m of matched.slice(1)) if (!a.matchedBy.includes(m)) a.matchedBy.push(m);
  }
}

/** The class views: they name interfaces and catch SDIO/platform radios the bus scans miss. */
async function classViews(target: Target, f: Found): Promise<void> {
  const views: Array<{ dir: string; kind: WirelessAdapter['kind']; test?: (entry: string) => Promise<boolean>; why: string }> = [
    { dir: '/sys/class/net', kind: 'wifi', why: 'network interface with wireless extensions', test: async (e) => (await target.exists(`${e}/wireless`)) || (await target.exists(`${e}/phy80211`)) },
    { dir: '/sys/class/ieee80211', kind: 'wifi', why: 'IEEE 802.11 radio (ieee80211 class)' },
    { dir: '/sys/class/bluetooth', kind: 'bluetooth', why: 'Bluetooth controller (bluetooth class)', test: async (e) => /\/hci\d+$/.test(e) },
    { dir: '/sys/class/wwan', kind: 'wwan', why: 'cellular modem (wwan class)' },
  ];
  for (const v of views) {
    for (const name of await names(target, v.dir)) {
      const entry = `${v.dir}/${name}`;
      if (v.test && !(await v.test(entry))) continue;
      const dev = (await devicePath(target, entry)) ?? entry;
      const ue = parseUevent(await text(target, `${entry}/device/uevent`));
      const bus = /\/usb\d+\//.test(dev) ? 'usb' : /\/pci[0-9a-f]{4}:/.test(dev) ? 'pci' : /mmc|sdio/.test(dev) ? 'sdio' : dev === entry ? 'virtual' : 'platform';
      // A USB interface's device folder is one level below the USB device the bus scan keyed.
      const usbParent = bus === 'usb' ? dev.replace(/\/[^/]+:\d+\.\d+$/, '') : dev;
      const key = f.byDev.has(usbParent) ? usbParent : dev;
      const a = add(f, key, {
        kind: v.kind,
        name: name,
        bus,
        id: `${bus}:${key}`,
        ...(ue['DRIVER'] ? { driver: ue['DRIVER'] } : {}),
        driverBound: ue['DRIVER'] !== undefined || bus === 'virtual',
        presence: 'present',
        matchedBy: v.why,
        source: entry,
      });
      addIface(a, name);
    }
  }
}

/** rfkill switches: attach state to the adapter they control (by phy/hci name), or list them. */
async function rfkill(target: Target, f: Found): Promise<void> {
  const base = '/sys/class/rfkill';
  for (const r of await names(target, base)) {
    const dir = `${base}/${r}`;
    const type = await text(target, `${dir}/type`);
    const name = (await text(target, `${dir}/name`)) ?? r;
    const soft = (await text(target, `${dir}/soft`)) === '1';
    const hard = (await text(target, `${dir}/hard`)) === '1';
    const state = hard ? 'hard-blocked' : soft ? 'soft-blocked' : 'unblocked';
    const kind = type === 'bluetooth' ? 'bluetooth' : type === 'wwan' ? 'wwan' : type === 'wlan' ? 'wifi' : 'radio';
    const owner = [...f.byDev.values()].find((a) => a.ifaces?.includes(name));
    if (owner) {
      owner.rfkill = state;
      continue;
    }
    if (type === 'gps' || type === 'nfc' || type === 'fm' || type === 'uwb' || type === 'wimax' || kind !== 'radio') {
      const a = add(f, dir, { kind, name, bus: 'platform', id: `rfkill:${name}`, presence: 'present', matchedBy: `rfkill switch of type ${type ?? '?'}`, source: dir });
      a.rfkill = state;
    }
  }
}

export async function linuxLiveAdapters(target: Target): Promise<WirelessAdapter[]> {
  const f: Found = { byDev: new Map() };
  await pciDevices(target, f);
  await usbDevices(target, f);
  await classViews(target, f);
  await rfkill(target, f);
  return [...f.byDev.values()].sort((a, b) => a.id.localeCompare(b.id));
}

const MAC_DIR = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/i;

/** Kernel log lines that name a Wi-Fi radio or interface (driver bring-up, association). */
const WIFI_LOG = /\b(ieee80211 (phy\d+)|(wl[a-z0-9]+|wlan\d+): (associated|authenticate with|deauthenticating|disassociated)|iwlwifi [0-9a-f:.]+: (Detected|loaded firmware)|cfg80211: )/;

export async function linuxOfflineAdapters(target: Target, coverage: CoverageItem[]): Promise<WirelessAdapter[]> {
  const out: WirelessAdapter[] = [];
  for (const name of await names(target, '/var/lib/bluetooth')) {
    if (!MAC_DIR.test(name)) continue;
    out.push({
      kind: 'bluetooth',
      name: `Bluetooth controller ${name}`,
      bus: 'unknown',
      id: `bluetooth:${name.toLowerCase()}`,
      presence: 'recorded',
      matchedBy: ['bluetoothd adapter folder /var/lib/bluetooth/<address>'],
      source: `/var/lib/bluetooth/${name}`,
    });
  }
  const phys = new Map<string, string>();
  let logsRead = 0;
  for (const log of ['/var/log/kern.log', '/var/log/syslog', '/var/log/messages']) {
    let t: string;
    try {
      t = await target.readText(log, { maxBytes: 256 * 1024 * 1024 });
    } catch {
      continue;
    }
    logsRead++;
    for (const line of t.split('\n')) {
      const m = WIFI_LOG.exec(line);
      if (!m) continue;
      const what = m[2] ?? m[4] ?? (m[6] ? 'iwlwifi' : 'cfg80211');
      if (!phys.has(what)) phys.set(what, log);
    }
  }
  for (const [what, log] of phys) {
    if (what === 'cfg80211') continue; // the 802.11 stack loading says nothing about hardware
    out.push({ kind: 'wifi', name: `Wi-Fi radio ${what}`, bus: 'unknown', id: `log:${what}`, ifaces: [what], presence: 'recorded', matchedBy: ['kernel log line naming a Wi-Fi radio'], source: log });
  }
  if (logsRead === 0) {
    coverage.push({ kind: 'not-recorded', path: '/var/log', reason: 'no kernel log (kern.log, syslog, messages) on the disk: Wi-Fi hardware traces in logs could not be checked' });
  }
  coverage.push({ kind: 'not-recorded', reason: 'an offline Linux disk does not list its hardware: only adapters the OS recorded (Bluetooth folders, kernel logs) are seen; scan live to see all' });
  return out;
}
