// Probe `wireless.adapters` — wireless hardware (Wi-Fi, Bluetooth, cellular modems, wireless
// keyboard/mouse receivers), present now or recorded by the OS.
// Observation: WirelessAdapter (./types.ts), one per physical device.
// Live Linux: sysfs. Offline Linux: Bluetooth adapter folders and kernel logs. Windows (offline,
// or live via reg save): the SYSTEM hive's device records and network driver keys; live also
// Get-NetAdapter (what is there now, its linkState, wireless adapters the hive lacks).
import { S } from '../../engine/shape.js';
import { ProbeGapError, type CoverageItem, type Probe, type ProbeContext, type ProbeResult } from '../../engine/types.js';
import { hiveGapError, hiveNotes, systemHive } from '../windows/hives.js';
import { linuxLiveAdapters, linuxOfflineAdapters } from './adapters.linux.js';
import { mergeLiveAdapters, parseNetAdapters, windowsAdapters } from './adapters.windows.js';
import { LINK_STATES, type WirelessAdapter } from './types.js';
import { liveGap, PS_NET_ADAPTERS, runPowerShellJson } from '../windows/live.js';

export const wirelessAdaptersProbe: Probe = {
  id: 'wireless.adapters',
  description: 'Wireless modules: Wi-Fi, Bluetooth, cellular modems, wireless keyboard/mouse receivers — present now or recorded.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['kind', 'id'],
  observes: S.obj({
    kind: S.enum('wifi', 'bluetooth', 'wwan', 'receiver', 'radio'),
    name: S.str,
    bus: S.enum('pci', 'usb', 'sdio', 'platform', 'virtual', 'unknown'),
    id: S.str,
    vid: S.str,
    pid: S.str,
    driver: S.str,
    ifaces: S.strs,
    presence: S.enum('present', 'present-at-last-boot', 'installed', 'recorded'),
    linkState: S.enum(...LINK_STATES),
    rfkill: S.enum('unblocked', 'soft-blocked', 'hard-blocked'),
    driverBound: S.bool,
    matchedBy: S.list(S.obj({ key: S.str, params: S.any, text: S.str })),
    firstInstall: S.time,
    lastArrival: S.time,
    lastRemoval: S.time,
    firstSeen: S.time,
    lastSeen: S.time,
    timesAreLocal: S.bool,
    // Radios found in kernel logs (Linux disks): lines that named it, driver attaches, every file.
    logLines: S.num,
    attaches: S.num,
    sources: S.strs,
    source: S.str,
  }),
  // Kernel logs of a Linux disk can be hundreds of MB (the USB probe has 180 s for the same reading).
  timeoutMs: 180_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const { target } = ctx;
    const coverage: CoverageItem[] = [];
    let adapters: WirelessAdapter[];
    if (target.os.family === 'windows') {
      const sys = await systemHive(target, 'SYSTEM');
      if (!sys.ok && target.mode !== 'live') throw hiveGapError(sys, 'SYSTEM hive');
      if (sys.ok) {
        coverage.push(...hiveNotes(sys.value));
        adapters = windowsAdapters(sys.value.hive, sys.value.source);
      } else {
        // Live: the adapters present now are still listed; what the hive records (removed ones) is not.
        coverage.push({ ...sys.gap, reason: `SYSTEM hive: ${sys.gap.reason}: adapters installed before and removed since not checked`, blocking: true });
        adapters = [];
      }
      if (target.mode === 'live') {
        try {
          const live = parseNetAdapters(await runPowerShellJson(target, PS_NET_ADAPTERS, { timeoutMs: 60_000 }));
          if (live.skipped > 0) coverage.push({ kind: 'unreadable', path: 'Get-NetAdapter', reason: `${live.skipped} network adapter entr${live.skipped === 1 ? 'y' : 'ies'} without a name were not read`, blocking: true });
          adapters = mergeLiveAdapters(adapters, live.adapters);
        } catch (err) {
          ctx.signal.throwIfAborted();
          if (!sys.ok) throw new ProbeGapError(`SYSTEM hive: ${sys.gap.reason}; Get-NetAdapter: ${(err as Error).message}`, sys.gap);
          coverage.push(liveGap(err, 'network adapters present now could not be listed (the hive\'s records stand)', false));
        }
      }
    } else if (target.mode === 'live') {
      adapters = await linuxLiveAdapters(target);
      if (!(await target.exists('/sys/bus/usb/devices'))) {
        coverage.push({ kind: 'not-recorded', path: '/sys/bus/usb/devices', reason: 'no USB bus in sysfs (container or VM without USB): USB wireless devices could not be listed' });
      }
    } else {
      adapters = await linuxOfflineAdapters(target, coverage, { signal: ctx.signal });
    }
    return { status: 'ok', observations: adapters, inventory: { wirelessAdapters: adapters }, coverage };
  },
};
