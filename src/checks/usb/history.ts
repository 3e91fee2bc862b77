// Probes `usb.history` (every USB device the machine ever recorded) and `usb.devices` (attached
// now, live). Observation: UsbDeviceRecord (./types.ts). The engine then joins each device to the
// unit's ledger (`ledger`: registered / unregistered / unjudgeable / not-judged, with the row's
// class and level: src/engine/enrich.ts); the rules judge that against the machine's class.
// Linux: kernel logs (rotated, gzipped) and the journal; live also sysfs. Windows: SYSTEM
// (USBSTOR, SCSI/UAS, USB, WPDBUSENUM, MountedDevices), SOFTWARE (WPD, EMDMgmt), setupapi logs,
// users' MountPoints2; live also the devices attached now (PowerShell Win32_PnPEntity:
// ./attached.windows.ts), merged by the same key.
import { S, type Shape } from '../../engine/shape.js';
import { ProbeGapError, type CoverageItem, type Probe, type ProbeContext, type ProbeResult } from '../../engine/types.js';
import { parseSetupapiLog } from '../../formats/setupapi.js';
import type { Target } from '../../target/types.js';
import { hiveNotes, hiveOrFail, systemHive, userHive, userHivePaths } from '../windows/hives.js';
import { linuxUsbAttached, linuxUsbHistory } from './linux.js';
import type { UsbDeviceRecord } from './types.js';
import { serialKey } from '../../engine/vocab.js';
import { windowsUsbHistory, type WindowsUsbInputs } from './windows.js';
import { windowsUsbAttached } from './attached.windows.js';
import { liveGap } from '../windows/live.js';

async function windowsInputs(target: Target, coverage: CoverageItem[]): Promise<WindowsUsbInputs> {
  const sys = await systemHive(target, 'SYSTEM');
  const system = hiveOrFail(sys, 'SYSTEM hive');
  coverage.push(...hiveNotes(system));
  const inp: WindowsUsbInputs = { system };
  const soft = await systemHive(target, 'SOFTWARE');
  if (soft.ok) inp.software = soft.value;
  else coverage.push({ ...soft.gap, reason: `${soft.gap.reason}: portable devices (phones) and volume serials (EMDMgmt) not checked`, blocking: true });
  for (const p of ['/Windows/INF/setupapi.dev.log', '/Windows/setupapi.log']) {
    let buf: Buffer;
    try {
      buf = await target.readFile(p, { maxBytes: 512 * 1024 * 1024 });
    } catch (err) {
      if ((err as { code?: string }).code !== 'E_NOT_FOUND') coverage.push({ kind: 'unreadable', path: p, reason: (err as Error).message });
      continue;
    }
    const log = parseSetupapiLog(buf);
    if (log.partial) coverage.push({ kind: 'corrupt', path: p, reason: `setupapi log partly unreadable: ${log.warnings.slice(0, 3).join('; ')}` });
    inp.setupapi = { devices: [...(inp.setupapi?.devices ?? []), ...log.devices], source: inp.setupapi ? `${inp.setupapi.source}, ${p}` : p };
  }
  const users: NonNullable<WindowsUsbInputs['userHives']> = [];
  for (const { user, path } of await userHivePaths(target)) {
    const h = await userHive(target, path);
    if (h.ok) {
      coverage.push(...hiveNotes(h.value));
      users.push({ user, ...h.value });
    } else coverage.push({ ...h.gap, reason: `${h.gap.reason}: which user mounted which stick (MountPoints2) not checked`, blocking: true });
  }
  inp.userHives = users;
  return inp;
}

/**
 * Live: mark devices attached now, adding those the history does not (yet) show. Keys compare without
 * regard to case (Windows device instance ids are case-insensitive: `win:` keys).
 */
export function mergeAttached(history: UsbDeviceRecord[], attached: UsbDeviceRecord[]): UsbDeviceRecord[] {
  const byKey = new Map(history.map((r) => [r.key.toUpperCase(), r]));
  for (const a of attached) {
    const h = byKey.get(a.key.toUpperCase()) ?? history.find((r) => r.serial && a.serial && r.serialUnique && serialKey(r.serial) === serialKey(a.serial) && r.vid === a.vid);
    if (!h) {
      history.push(a);
      continue;
    }
    h.attachedNow = true;
    h.storage ||= a.storage;
    h.phone ||= a.phone;
    h.sources.push(...a.sources);
  }
  return history.sort((x, y) => x.key.localeCompare(y.key));
}

const LEDGER_ROW: Shape = S.obj({
  id: S.str,
  type: S.str,
  serial: S.str,
  class: S.enum('classified', 'intranet', 'nonclassified'),
  level: S.enum('秘密', '机密', '绝密'),
  owner: S.str,
  status: S.str,
  inUse: S.bool,
  at: S.str,
});

/** UsbDeviceRecord (./types.ts), and the `ledger` join the engine adds. */
export const USB_DEVICE_SHAPE: Shape = S.obj({
  key: S.str,
  vid: S.str,
  pid: S.str,
  serial: S.str,
  serialRaw: S.str,
  serialUnique: S.bool,
  vendor: S.str,
  product: S.str,
  revision: S.str,
  manufacturer: S.str,
  friendlyName: S.str,
  // Linux: the USB product string (when SCSI inquiry gives `product`), why it is a phone, how many connections.
  usbProduct: S.str,
  phoneBasis: S.str,
  connections: S.num,
  storage: S.bool,
  phone: S.bool,
  interfaceClasses: S.strs,
  firstSeen: S.time,
  lastSeen: S.time,
  lastRemoved: S.time,
  timesAreLocal: S.bool,
  driveLetters: S.strs,
  volumeLabels: S.strs,
  volumeSerials: S.strs,
  users: S.strs,
  attachedNow: S.bool,
  sources: S.list(
    S.obj({
      kind: S.str,
      source: S.str,
      firstSeen: S.time,
      firstSeenUtc: S.time,
      lastSeen: S.time,
      lastRemoved: S.time,
      connections: S.num,
      timesAreLocal: S.bool,
      detail: S.obj({}, true),
    }),
  ),
  ledger: S.obj({
    status: S.enum('registered', 'unregistered', 'unjudgeable', 'not-judged'),
    entry: LEDGER_ROW,
    matchedBy: S.enum('serial', 'serial+ids'),
    class: S.enum('classified', 'intranet', 'nonclassified'),
    level: S.enum('秘密', '机密', '绝密'),
    levelRank: S.num,
    machineRow: S.str,
    reason: S.str,
    reasonZh: S.str,
  }),
});

export const usbHistoryProbe: Probe = {
  id: 'usb.history',
  description: 'Every USB device the machine recorded (storage, phones, others), merged per physical device from every source.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['key'],
  observes: USB_DEVICE_SHAPE,
  joins: ['usb-ledger'],
  timeoutMs: 180_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const { target } = ctx;
    const coverage: CoverageItem[] = [];
    let records: UsbDeviceRecord[];
    if (target.os.family === 'windows') {
      let historyError: Error | undefined;
      try {
        records = windowsUsbHistory(await windowsInputs(target, coverage));
      } catch (err) {
        if (target.mode !== 'live') throw err;
        // Live without the SYSTEM hive (no administrator rights for reg save): the devices attached
        // now are still listed; the history is a blocking gap, of the hive's own kind (needs-admin…).
        historyError = err as Error;
        const gap = err instanceof ProbeGapError ? err.gap : { kind: 'unreadable', path: 'HKLM\\SYSTEM (reg save)' };
        coverage.push({ ...gap, reason: `${historyError.message}: USB devices used before were not checked`, blocking: true });
        records = [];
      }
      if (target.mode === 'live') {
        try {
          const a = await windowsUsbAttached(target);
          if (a.skipped > 0) coverage.push({ kind: 'unreadable', path: 'Win32_PnPEntity', reason: `${a.skipped} device entr${a.skipped === 1 ? 'y' : 'ies'} without a readable instance id were not read` });
          records = mergeAttached(records, a.records);
        } catch (err) {
          ctx.signal.throwIfAborted();
          if (historyError) {
            const msg = `${historyError.message}; USB devices attached now: ${(err as Error).message}`;
            throw historyError instanceof ProbeGapError ? new ProbeGapError(msg, historyError.gap) : new Error(msg);
          }
          // The history stands without it; which device is attached now is what is missing.
          coverage.push(liveGap(err, 'USB devices attached now could not be listed', false));
        }
      }
    } else {
      const h = await linuxUsbHistory(target, { signal: ctx.signal, now: new Date() });
      coverage.push(...h.coverage);
      records = h.records;
      if (target.mode === 'live') {
        const a = await linuxUsbAttached(target, { signal: ctx.signal });
        coverage.push(...a.coverage);
        records = mergeAttached(records, a.records);
      }
    }
    return { status: 'ok', observations: records, inventory: { usbDevices: records }, coverage };
  },
};

export const usbDevicesProbe: Probe = {
  id: 'usb.devices',
  description: 'USB devices attached now (live): ids, serial, strings, interface classes, block devices.',
  platforms: ['linux', 'windows'],
  modes: ['live'],
  identity: ['key'],
  observes: USB_DEVICE_SHAPE,
  joins: ['usb-ledger'],
  timeoutMs: 60_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    if (ctx.target.os.family === 'windows') {
      const coverage: CoverageItem[] = [];
      try {
        const a = await windowsUsbAttached(ctx.target);
        if (a.skipped > 0) coverage.push({ kind: 'unreadable', path: 'Win32_PnPEntity', reason: `${a.skipped} device entr${a.skipped === 1 ? 'y' : 'ies'} without a readable instance id were not read`, blocking: true });
        return { status: 'ok', observations: a.records, inventory: { usbAttached: a.records }, coverage };
      } catch (err) {
        ctx.signal.throwIfAborted();
        // Nothing listed is not "nothing attached": the probe cannot conclude.
        return { status: 'ok', observations: [], coverage: [liveGap(err, 'USB devices attached now could not be listed', true)] };
      }
    }
    const a = await linuxUsbAttached(ctx.target, { signal: ctx.signal });
    return { status: 'ok', observations: a.records, inventory: { usbAttached: a.records }, coverage: a.coverage };
  },
};
