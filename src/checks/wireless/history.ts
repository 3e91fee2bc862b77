// Probe `wireless.history` — traces of wireless use: saved Wi-Fi networks and paired Bluetooth
// devices. Observation: WirelessTrace (./types.ts).
// Linux: NetworkManager / wpa_supplicant / iwd profiles, BlueZ device folders.
// Windows: WLAN profile XMLs, NetworkList wireless profiles (SOFTWARE), BTHPORT devices (SYSTEM).
import { S } from '../../engine/shape.js';
import type { CoverageItem, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { hiveNotes, systemHive } from '../windows/hives.js';
import { linuxWirelessHistory } from './history.linux.js';
import { networkListWireless, pairedBluetooth, wlanProfiles } from './history.windows.js';
import type { WirelessTrace } from './types.js';

export const wirelessHistoryProbe: Probe = {
  id: 'wireless.history',
  description: 'Traces of wireless use: saved Wi-Fi networks, paired Bluetooth devices.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['kind', 'name', 'address', 'source'],
  observes: S.obj({
    kind: S.enum('wifi-network', 'bluetooth-device', 'hostapd-config'),
    name: S.str,
    address: S.str,
    user: S.str,
    lastUsed: S.time,
    firstUsed: S.time,
    paired: S.bool,
    autoConnect: S.bool,
    security: S.str,
    gatewayMac: S.str,
    // BlueZ pairings (Linux): trusted flag, class of device, the adapter's address.
    trusted: S.bool,
    deviceClass: S.str,
    adapter: S.str,
    iface: S.str,
    timesAreLocal: S.bool,
    source: S.str,
  }),
  timeoutMs: 60_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const { target } = ctx;
    const coverage: CoverageItem[] = [];
    let traces: WirelessTrace[];
    if (target.os.family === 'windows') {
      traces = await wlanProfiles(target, coverage);
      const sys = await systemHive(target, 'SYSTEM');
      if (sys.ok) {
        coverage.push(...hiveNotes(sys.value));
        traces.push(...pairedBluetooth(sys.value.hive, sys.value.source));
      } else {
        coverage.push({ ...sys.gap, reason: `${sys.gap.reason}: paired Bluetooth devices not checked`, blocking: true });
      }
      const soft = await systemHive(target, 'SOFTWARE');
      if (soft.ok) traces.push(...networkListWireless(soft.value.hive, soft.value.source));
      else coverage.push({ ...soft.gap, reason: `${soft.gap.reason}: Windows network profiles (NetworkList) not checked`, blocking: true });
    } else {
      traces = await linuxWirelessHistory(target, coverage);
    }
    return { status: 'ok', observations: traces, inventory: { wirelessHistory: traces }, coverage };
  },
};
