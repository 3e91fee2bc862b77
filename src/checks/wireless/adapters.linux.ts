// Linux wireless hardware. Live: sysfs (through the Target) — PCI functions of class 0x0280 / 0x0d,
// USB devices with a wireless interface class (e0), a known receiver/dongle id or a modem vendor,
// and the class views (net/*/wireless, ieee80211, bluetooth, wwan) with rfkill state. A device
// with no driver bound, or blocked by rfkill, is still present. Offline: what the disk recorded —
// /var/lib/bluetooth/<adapter address>/ folders (one per Bluetooth controller bluetoothd saw), and the
// kernel's own record: Wi-Fi/Bluetooth driver lines (what counts as a radio is decided in
// src/formats/kernel-log.ts, parseRadioKernelMessage) and USB attaches of wireless ids (usb.ids by name,
// kernel drivers' id tables) or of a device a wireless driver bound — in /var/log/{syslog,kern.log,
// messages,dmesg} and every rotation (`.1`, `.N.gz`, `-YYYYMMDD`), and the systemd journal (read by the
// kit's journalctl, as the USB history does). Every file is opened through the Target, with a budget.
import type { CoverageItem } from '../../engine/types.js';
import {
  anchorFromMtime,
  anchorFromRotationDate,
  correlateUsbEvents,
  isHwsimLine,
  journalEventLine,
  KernelEventScanner,
  parseRadioKernelMessage,
  parseUsbKernelMessage,
  readLogLinesFrom,
  type KernelEventLine,
  type KernelUsbAttach,
  type KernelUsbLine,
  type RadioKernelEvent,
  type UsbKernelEvent,
  type YearAnchor,
} from '../../formats/kernel-log.js';
import type { Target } from '../../target/types.js';
import { countJournalFiles, findJournalctl, runJournalctl } from '../journal.js';
import { orderLogFiles } from '../usb/linux.js';
import { knownWirelessUsb } from './_ids.js';
import { msg, type Msg } from '../../report/messages-keys.js';
import { addWhy, Whys, type WirelessAdapter } from './types.js';

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
  Partial<Pick<WirelessAdapter, 'vid' | 'pid' | 'driver' | 'driverBound'>> & { matchedBy: Msg };

function add(f: Found, devPath: string, a: Sighting): WirelessAdapter {
  const existing = f.byDev.get(devPath);
  if (existing) {
    addWhy(existing.matchedBy, a.matchedBy);
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
      matchedBy: msg('wireless.pci-class', { class: cls.slice(0, 6) }),
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
    const matched: Msg[] = [];
    if (devClass === 'e0' || ifClasses.includes('e0')) matched.push(msg('wireless.usb-class'));
    if (known) matched.push(msg('wireless.known-usb', { vid, pid, name: known.name, source: known.source }));
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
    for (const m of matched.slice(1)) addWhy(a.matchedBy, m);
  }
}

/** The class views: they name interfaces and catch SDIO/platform radios the bus scans miss. */
async function classViews(target: Target, f: Found): Promise<void> {
  const views: Array<{ dir: string; kind: WirelessAdapter['kind']; test?: (entry: string) => Promise<boolean>; why: Msg }> = [
    { dir: '/sys/class/net', kind: 'wifi', why: msg('wireless.sysfs-net'), test: async (e) => (await target.exists(`${e}/wireless`)) || (await target.exists(`${e}/phy80211`)) },
    { dir: '/sys/class/ieee80211', kind: 'wifi', why: msg('wireless.sysfs-ieee80211') },
    { dir: '/sys/class/bluetooth', kind: 'bluetooth', why: msg('wireless.sysfs-bluetooth'), test: async (e) => /\/hci\d+$/.test(e) },
    { dir: '/sys/class/wwan', kind: 'wwan', why: msg('wireless.sysfs-wwan') },
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
      const a = add(f, dir, { kind, name, bus: 'platform', id: `rfkill:${name}`, presence: 'present', matchedBy: msg('wireless.rfkill', { type: type ?? '?' }), source: dir });
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

// ---------------------------------------------------------------------------------------------
// Kernel logs on an offline disk

type Ev = RadioKernelEvent | UsbKernelEvent | { type: 'hwsim' };

function classify(text: string): Ev | undefined {
  if (isHwsimLine(text)) return { type: 'hwsim' };
  return parseRadioKernelMessage(text) ?? parseUsbKernelMessage(text);
}

/** Log files of /var/log read for radios: the USB history's families, plus `dmesg` and its rotations. */
const DMESG_NAME = /^dmesg(?:\.(\d+))?(\.gz)?$/;

export interface LinuxOfflineAdapterOptions {
  signal?: AbortSignal;
  /** Cap on one log file's text (bytes, after decompression). Default 256 MiB. */
  maxLogBytes?: number;
  /** The kit's journalctl (default: `journalctl` on `pathEnv`). */
  journalctl?: string;
  pathEnv?: string;
  /** Default 40 s (the probe has 60 s). */
  journalTimeoutMs?: number;
  /** Cap on journalctl's output. Default 512 MiB. */
  maxJournalBytes?: number;
}

const MiB = 1024 * 1024;

export interface Stream {
  /** One family of files (`syslog`, `kern.log`, `messages`, `dmesg`) or the journal, oldest first. */
  name: string;
  lines: KernelEventLine<Ev>[];
}

/** Read every kernel log file of /var/log (through the Target) into streams of classified lines. */
async function logStreams(target: Target, coverage: CoverageItem[], o: LinuxOfflineAdapterOptions): Promise<{ streams: Stream[]; read: number }> {
  const cap = o.maxLogBytes ?? 256 * MiB;
  let names: string[] = [];
  try {
    names = (await target.readDir('/var/log')).filter((e) => e.kind === 'file' || e.kind === 'symlink').map((e) => e.name);
  } catch (err) {
    if ((err as { code?: string }).code !== 'E_NOT_FOUND') coverage.push({ kind: 'unreadable', path: '/var/log', reason: `/var/log cannot be listed: ${(err as Error).message}: radio traces in kernel logs were not checked`, blocking: true });
  }
  const families: Array<{ name: string; files: Array<{ name: string; gz: boolean; other?: string; date?: string }> }> = [];
  for (const [fam, files] of orderLogFiles(names)) {
    families.push({ name: fam, files: files.map((f) => ({ name: f.name, gz: f.compression === 'gz', ...(f.compression && f.compression !== 'gz' ? { other: f.compression } : {}), ...(f.date ? { date: f.date } : {}) })) });
  }
  const dmesg = names.filter((n) => DMESG_NAME.test(n)).sort((a, b) => Number(DMESG_NAME.exec(b)![1] ?? -1) - Number(DMESG_NAME.exec(a)![1] ?? -1));
  if (dmesg.length > 0) families.push({ name: 'dmesg', files: dmesg.map((n) => ({ name: n, gz: n.endsWith('.gz') })) });
  const streams: Stream[] = [];
  let read = 0;
  for (const fam of families) {
    const stream: Stream = { name: fam.name, lines: [] };
    for (const f of fam.files) {
      o.signal?.throwIfAborted();
      const path = `/var/log/${f.name}`;
      if (f.other) {
        coverage.push({ kind: 'unsupported', path, reason: `${path} is compressed with ${f.other}, which is not decoded: its radio lines were not read` });
        continue;
      }
      let anchor: YearAnchor | undefined;
      let file;
      try {
        const st = await target.stat(path);
        if (st.kind !== 'file') continue;
        anchor = f.date ? anchorFromRotationDate(f.date) : anchorFromMtime(st.mtimeMs);
        file = await target.open(path);
      } catch (err) {
        coverage.push({ kind: 'unreadable', path, reason: `${path}: ${(err as Error).message}: its radio lines were not read` });
        continue;
      }
      const scanner = new KernelEventScanner<Ev>(path, classify);
      try {
        const res = await readLogLinesFrom(file, f.gz, cap, (l) => scanner.push(l), o.signal);
        if (res.corrupt) coverage.push({ kind: 'corrupt', path, reason: `${path}: decompression failed after ${res.bytes} bytes (${res.corrupt}); the lines before the damage were read, the rest was not` });
        if (res.capped === 'tail') coverage.push({ kind: 'too-large', path, reason: `${path} is over ${Math.round(cap / MiB)} MiB: only its newest ${Math.round(cap / MiB)} MiB were read for radio lines` });
        if (res.capped === 'head') coverage.push({ kind: 'too-large', path, reason: `${path} decompresses to over ${Math.round(cap / MiB)} MiB: only its oldest ${Math.round(cap / MiB)} MiB were read for radio lines` });
      } catch (err) {
        o.signal?.throwIfAborted();
        coverage.push({ kind: 'unreadable', path, reason: `${path}: ${(err as Error).message}: its radio lines were not read` });
        continue;
      } finally {
        await file.close().catch(() => undefined);
      }
      const scan = scanner.finish(anchor);
      read++;
      for (const e of scan.events) stream.lines.push(e);
    }
    streams.push(stream);
  }
  return { streams, read };
}

/** The kernel entries of the target's journal, read by the kit's journalctl (read-only), classified. */
async function journalStream(target: Target, coverage: CoverageItem[], o: LinuxOfflineAdapterOptions): Promise<Stream | undefined> {
  const dir = '/var/log/journal';
  const files = await countJournalFiles(target, dir);
  if (files === 0) return undefined;
  const jctl = await findJournalctl(o.journalctl, o.pathEnv ?? process.env['PATH']);
  if (!jctl) {
    coverage.push({ kind: 'missing-tool', path: dir, reason: `the systemd journal in ${dir} was not read for radio lines: journalctl is not installed on the inspecting system (kit)` });
    return undefined;
  }
  let hostDir: string;
  try {
    hostDir = await target.resolve(dir);
  } catch (err) {
    coverage.push({ kind: 'unreadable', path: dir, reason: `${dir}: ${(err as Error).message}` });
    return undefined;
  }
  const timeoutMs = o.journalTimeoutMs ?? 40_000;
  const maxBytes = o.maxJournalBytes ?? 512 * MiB;
  const stream: Stream = { name: 'journal', lines: [] };
  const run = await runJournalctl(jctl, hostDir, {
    timeoutMs,
    maxBytes,
    env: { ...process.env, ...(o.pathEnv !== undefined ? { PATH: o.pathEnv } : {}) },
    ...(o.signal ? { signal: o.signal } : {}),
    onEntry: (e) => {
      const ev = journalEventLine(e, dir, classify);
      if (ev) stream.lines.push(ev);
    },
  });
  o.signal?.throwIfAborted();
  if (run.spawnError) {
    coverage.push({ kind: 'missing-tool', path: dir, reason: `the systemd journal in ${dir} was not read: ${jctl} could not be run (${run.spawnError})` });
    return undefined;
  }
  if (run.timedOut) coverage.push({ kind: 'timeout', path: dir, reason: `journalctl on ${dir} did not finish within ${Math.round(timeoutMs / 1000)} s: only the ${run.entries} kernel entries it gave were read for radio lines` });
  else if (run.capped) coverage.push({ kind: 'too-large', path: dir, reason: `journalctl on ${dir} gave over ${Math.round(maxBytes / MiB)} MiB: only the oldest ${run.entries} kernel entries were read for radio lines` });
  else if (run.exitCode !== 0) coverage.push({ kind: 'unreadable', path: dir, reason: `journalctl on ${dir} failed (exit ${run.exitCode ?? 'signal'}): ${run.stderr.split('\n').filter(Boolean).slice(0, 3).join('; ') || 'no message'}` });
  else if (run.entries === 0) coverage.push({ kind: 'unreadable', path: dir, reason: `journalctl read no kernel entry from the ${files} journal files in ${dir}: they are damaged, or in a format this journalctl does not support` });
  return run.entries > 0 ? stream : undefined;
}

/** Earliest / latest of a set of line stamps (local naive times and UTC ones are kept as they are). */
interface Span {
  first?: { time: string; ms: number; local: boolean };
  last?: { time: string; ms: number; local: boolean };
}

function widen(s: Span, t: { time?: string; timeMs?: number; local: boolean }): void {
  if (t.time === undefined || t.timeMs === undefined) return;
  const v = { time: t.time, ms: t.timeMs, local: t.local };
  if (!s.first || v.ms < s.first.ms) s.first = v;
  if (!s.last || v.ms > s.last.ms) s.last = v;
}

function spanFields(s: Span): Pick<WirelessAdapter, 'firstSeen' | 'lastSeen' | 'timesAreLocal'> {
  const out: Pick<WirelessAdapter, 'firstSeen' | 'lastSeen' | 'timesAreLocal'> = {};
  if (s.first) out.firstSeen = s.first.time;
  if (s.last) out.lastSeen = s.last.time;
  if (s.first?.local || s.last?.local) out.timesAreLocal = true;
  return out;
}

/** One radio seen by its driver lines (or by controller/interface lines), across every source. */
interface DriverGroup {
  kind: 'wifi' | 'bluetooth';
  driver: string;
  /** Driver families named inside generic lines (`rt2x00` from `ieee80211 phy1: rt2x00_set_rt: …`). */
  hints: Set<string>;
  devices: Set<string>;
  ifaces: Set<string>;
  details: Set<string>;
  whats: Set<string>;
  lines: number;
  sources: Set<string>;
  span: Span;
  /** Order of the first line (stream index, line index): to name the first source. */
  firstSource: string;
}

/** One wireless USB device (vid:pid:serial) seen attached in the logs. */
interface UsbGroup {
  vid: string;
  pid: string;
  serial?: string;
  name?: string;
  busPaths: Set<string>;
  attachesPerStream: Map<string, number>;
  sources: Set<string>;
  span: Span;
  matchedBy: Whys;
  drivers: Set<string>;
  firstSource: string;
}

const GENERIC = new Set(['bluetooth', 'mac80211', 'wireless-interface', 'rt2x00']);

function lineLabel(e: RadioKernelEvent): Msg {
  switch (e.what) {
    case 'controller':
      return msg('wireless.log-controller', { iface: e.iface ?? '?' });
    case 'phy':
      return msg('wireless.log-phy', { iface: e.iface ?? '?' });
    case 'association':
      return msg('wireless.log-association', { iface: e.iface ?? '?' });
    case 'link':
      return msg('wireless.log-link', { iface: e.iface ?? '?' });
    case 'firmware':
      return msg('wireless.log-firmware', { driver: e.driver });
    default:
      return msg('wireless.log-driver', { kind: e.kind, driver: e.driver, ...(e.device ? { device: e.device } : {}) });
  }
}

/**
 * Radios recorded by the kernel: driver groups (one per driver; controller, phy and interface lines join
 * the one driver of their kind when there is exactly one), and USB attaches of wireless devices (by id,
 * or bound by a wireless driver on the same bus path).
 */
export function radiosFromStreams(streams: readonly Stream[]): WirelessAdapter[] {
  const hwsim = streams.some((s) => s.lines.some((l) => l.event.type === 'hwsim'));
  const groups = new Map<string, DriverGroup>();
  const labels = new Map<string, Whys>();
  /** USB bus paths a wireless driver named (`1-1.3` from `rt2800usb 1-1.3:1.0`), per stream. */
  const boundAt = new Map<string, Map<string, Set<string>>>();
  for (const s of streams) {
    for (const l of s.lines) {
      const e = l.event;
      if (e.type !== 'radio') continue;
      if (e.what === 'phy' && hwsim) continue;
      // Controller, phy and interface lines are grouped by their name (a phy's lines carry a driver hint
      // only sometimes: `ieee80211 phy1: rt2x00_set_rt: …` but `ieee80211 phy1: Selected rate control …`).
      const key = GENERIC.has(e.driver) ? `${e.kind}:${e.what === 'phy' ? 'phy' : e.what === 'controller' ? 'hci' : 'iface'}:${e.iface}` : `${e.kind}:${e.driver}`;
      let g = groups.get(key);
      if (!g) {
        g = { kind: e.kind, driver: GENERIC.has(e.driver) ? (e.what === 'controller' ? 'bluetooth' : e.what === 'phy' ? 'mac80211' : 'wireless-interface') : e.driver, hints: new Set(), devices: new Set(), ifaces: new Set(), details: new Set(), whats: new Set(), lines: 0, sources: new Set(), span: {}, firstSource: l.source };
        groups.set(key, g);
        labels.set(key, new Whys());
      }
      g.lines++;
      if (GENERIC.has(e.driver) && e.driver !== g.driver) g.hints.add(e.driver);
      g.sources.add(l.source);
      if (e.device) g.devices.add(e.device);
      if (e.iface) g.ifaces.add(e.iface);
      if (e.detail) g.details.add(e.detail);
      labels.get(key)!.add(lineLabel(e));
      widen(g.span, l);
      const usb = e.device ? /^(\d+-\d+(?:\.\d+)*):\d+\.\d+$/.exec(e.device) : null;
      if (usb) {
        const m = boundAt.get(s.name) ?? new Map<string, Set<string>>();
        boundAt.set(s.name, m);
        const set = m.get(usb[1]!) ?? new Set<string>();
        set.add(e.driver);
        m.set(usb[1]!, set);
      }
    }
  }

  // USB attaches: a known wireless id, or a device on a bus path a wireless driver named.
  const usb = new Map<string, UsbGroup>();
  for (const s of streams) {
    const usbLines = s.lines.filter((l) => l.event.type !== 'radio' && l.event.type !== 'hwsim') as unknown as KernelUsbLine[];
    const bound = boundAt.get(s.name);
    const perStream = new Map<string, number>();
    for (const a of correlateUsbEvents(usbLines) as KernelUsbAttach[]) {
      if (a.hub) continue;
      const known = knownWirelessUsb(a.vid, a.pid);
      const drivers = bound?.get(a.busPath);
      if (!known && !drivers) continue;
      const key = `${a.vid}:${a.pid}:${a.serial ?? ''}`;
      let g = usb.get(key);
      if (!g) {
        g = { vid: a.vid, pid: a.pid, busPaths: new Set(), attachesPerStream: new Map(), sources: new Set(), span: {}, matchedBy: new Whys(), drivers: new Set(), firstSource: a.connected.source };
        if (a.serial) g.serial = a.serial;
        usb.set(key, g);
      }
      const nm = [a.manufacturer, a.product].filter(Boolean).join(' ');
      if (nm && !g.name) g.name = nm;
      g.busPaths.add(a.busPath);
      g.sources.add(a.connected.source);
      widen(g.span, a.connected);
      if (a.removed) widen(g.span, a.removed);
      if (known) g.matchedBy.add(msg('wireless.log-usb-known', { vid: a.vid, pid: a.pid, name: known.name, source: known.source }));
      for (const d of drivers ?? []) {
        g.drivers.add(d);
        g.matchedBy.add(msg('wireless.log-usb-bound', { vid: a.vid, pid: a.pid, busPath: a.busPath, driver: d }));
      }
      perStream.set(key, (perStream.get(key) ?? 0) + 1);
    }
    for (const [k, n] of perStream) usb.get(k)!.attachesPerStream.set(s.name, n);
  }

  // Driver groups that only named USB devices now represented by a USB record are folded into it.
  const folded = new Set<string>();
  for (const [key, g] of groups) {
    if (g.devices.size === 0) continue;
    const paths = [...g.devices].map((d) => /^(\d+-\d+(?:\.\d+)*):\d+\.\d+$/.exec(d)?.[1]);
    if (paths.some((p) => p === undefined)) continue;
    const owners = [...usb.values()].filter((u) => paths.some((p) => u.busPaths.has(p!)) && u.drivers.has(g.driver));
    if (owners.length === 0) continue;
    folded.add(key);
    for (const u of owners) {
      for (const src of g.sources) u.sources.add(src);
      if (g.span.first) widen(u.span, { time: g.span.first.time, timeMs: g.span.first.ms, local: g.span.first.local });
      if (g.span.last) widen(u.span, { time: g.span.last.time, timeMs: g.span.last.ms, local: g.span.last.local });
      for (const l of labels.get(key) ?? []) u.matchedBy.add(l);
      (u as UsbGroup & { ifaces?: Set<string> }).ifaces = new Set([...((u as UsbGroup & { ifaces?: Set<string> }).ifaces ?? []), ...g.ifaces]);
    }
  }

  // Controller, phy and interface lines join the radio they belong to, when that can be told: a phy whose
  // lines name a driver family (rt2x00) joins the USB device of that family; otherwise the one radio of
  // their kind named by a non-USB driver (the built-in one), or else the one USB radio of their kind.
  // When it cannot be told (several candidates), they stay an observation of their own.
  const usbDrivers = (u: UsbGroup): string[] => [...u.drivers, ...(knownWirelessUsb(u.vid, u.pid)?.drivers ?? [])];
  for (const [k, g] of groups) {
    if (!GENERIC.has(g.driver) || folded.has(k)) continue;
    const fam = [...g.hints][0];
    let into: DriverGroup | UsbGroup | undefined;
    if (fam) {
      const c = [...usb.values()].filter((u) => usbDrivers(u).some((d) => d.startsWith(fam.slice(0, 3))));
      if (c.length === 1) into = c[0];
    }
    if (!into && !fam) {
      const named = [...groups.entries()].filter(([k2, g2]) => g2.kind === g.kind && !GENERIC.has(g2.driver) && !folded.has(k2) && ![...g2.devices].some((d) => /^\d+-\d+/.test(d)));
      const usbOfKind = [...usb.values()].filter((u) => (knownWirelessUsb(u.vid, u.pid)?.kind ?? (u.drivers.size > 0 ? g.kind : undefined)) === g.kind);
      if (named.length === 1) into = named[0]![1];
      else if (named.length === 0 && usbOfKind.length === 1) into = usbOfKind[0];
    }
    if (!into) continue;
    folded.add(k);
    const ls = labels.get(k) ?? new Whys();
    const first = g.span.first ? { time: g.span.first.time, timeMs: g.span.first.ms, local: g.span.first.local } : { local: false };
    const last = g.span.last ? { time: g.span.last.time, timeMs: g.span.last.ms, local: g.span.last.local } : { local: false };
    if ('vid' in into) {
      const ux = into as UsbGroup & { ifaces?: Set<string> };
      ux.ifaces = new Set([...(ux.ifaces ?? []), ...g.ifaces]);
      g.sources.forEach((x) => ux.sources.add(x));
      ls.forEach((l) => ux.matchedBy.add(l));
      widen(ux.span, first);
      widen(ux.span, last);
    } else {
      const tg = into;
      g.ifaces.forEach((i) => tg.ifaces.add(i));
      g.sources.forEach((x) => tg.sources.add(x));
      g.details.forEach((x) => tg.details.add(x));
      tg.lines += g.lines;
      widen(tg.span, first);
      widen(tg.span, last);
      const tk = [...groups.entries()].find(([, v]) => v === tg)![0];
      ls.forEach((l) => labels.get(tk)!.add(l));
    }
  }

  const out: WirelessAdapter[] = [];
  for (const [key, g] of groups) {
    if (folded.has(key)) continue;
    const what = g.driver === 'bluetooth' ? `Bluetooth controller ${[...g.ifaces].join(', ')}` : GENERIC.has(g.driver) ? `Wi-Fi radio ${[...g.ifaces].join(', ')}` : `${g.kind === 'wifi' ? 'Wi-Fi' : 'Bluetooth'} radio (driver ${g.driver})`;
    const a: WirelessAdapter = {
      kind: g.kind,
      name: g.details.size > 0 ? `${what}: ${[...g.details].slice(0, 3).join(', ')}` : what,
      bus: busOf(g.devices),
      id: `log:${key}`,
      ...(GENERIC.has(g.driver) ? (g.hints.size > 0 ? { driver: [...g.hints].join(',') } : {}) : { driver: g.driver }),
      ...(g.ifaces.size > 0 ? { ifaces: [...g.ifaces].sort() } : {}),
      presence: 'recorded',
      matchedBy: labels.get(key)!.list(),
      ...spanFields(g.span),
      logLines: g.lines,
      sources: [...g.sources].sort(),
      source: g.firstSource,
    };
    out.push(a);
  }
  for (const [key, u] of usb) {
    const known = knownWirelessUsb(u.vid, u.pid);
    const driverKind = [...u.drivers].map((d) => [...groups.values()].find((g) => g.driver === d)?.kind).find(Boolean);
    const ifaces = (u as UsbGroup & { ifaces?: Set<string> }).ifaces;
    out.push({
      kind: known?.kind ?? driverKind ?? 'radio',
      name: u.name ?? known?.name ?? `USB device ${u.vid}:${u.pid}`,
      bus: 'usb',
      id: `usb:${key}`,
      vid: u.vid,
      pid: u.pid,
      ...(u.drivers.size > 0 ? { driver: [...u.drivers].sort().join(',') } : {}),
      ...(ifaces && ifaces.size > 0 ? { ifaces: [...ifaces].sort() } : {}),
      presence: 'recorded',
      matchedBy: u.matchedBy.list(),
      ...spanFields(u.span),
      attaches: Math.max(...u.attachesPerStream.values()),
      sources: [...u.sources].sort(),
      source: u.firstSource,
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function busOf(devices: Set<string>): WirelessAdapter['bus'] {
  const d = [...devices];
  if (d.some((x) => /^[0-9a-f]{4}:[0-9a-f]{2}:/.test(x))) return 'pci';
  if (d.some((x) => /^\d+-\d+/.test(x))) return 'usb';
  if (d.some((x) => /^mmc\d+:/.test(x))) return 'sdio';
  if (d.length > 0) return 'platform';
  return 'unknown';
}

export async function linuxOfflineAdapters(target: Target, coverage: CoverageItem[], opts: LinuxOfflineAdapterOptions = {}): Promise<WirelessAdapter[]> {
  const out: WirelessAdapter[] = [];
  for (const name of await names(target, '/var/lib/bluetooth')) {
    if (!MAC_DIR.test(name)) continue;
    out.push({
      kind: 'bluetooth',
      name: `Bluetooth controller ${name}`,
      bus: 'unknown',
      id: `bluetooth:${name.toLowerCase()}`,
      presence: 'recorded',
      matchedBy: [msg('wireless.bluetoothd-folder')],
      source: `/var/lib/bluetooth/${name}`,
    });
  }
  const { streams, read } = await logStreams(target, coverage, opts);
  const journal = await journalStream(target, coverage, opts);
  if (journal) streams.push(journal);
  out.push(...radiosFromStreams(streams));
  if (read === 0 && !journal) {
    coverage.push({
      kind: 'not-recorded',
      path: '/var/log',
      reason: 'no kernel log (syslog, kern.log, messages, dmesg and their rotations) or systemd journal could be read: radios recorded in kernel logs could not be checked',
      blocking: true,
    });
  }
  coverage.push({ kind: 'not-recorded', reason: 'an offline Linux disk does not list its hardware: only adapters the OS recorded (Bluetooth folders, kernel logs, the journal) are seen; scan live to see all' });
  return out;
}
