// Observation shapes of the wireless probes.
import type { Msg } from '../../report/messages-keys.js';
import type { WirelessKind } from './_ids.js';

export type { WirelessKind };

/** How sure we are the adapter is there. */
export type Presence =
  /** Seen now on the live machine (sysfs; Windows: Get-NetAdapter). */
  | 'present'
  /** Windows: arrived at the last boot and not removed since (device property dates). */
  | 'present-at-last-boot'
  /** Windows: installed once, removed since. */
  | 'installed'
  /** Recorded by the OS (driver records, logs, adapter folders) without a date that says more. */
  | 'recorded';

/** A network adapter's state on a live Windows machine (Get-NetAdapter `Status`, not localised). */
export const LINK_STATES = ['up', 'down', 'disconnected', 'disabled', 'not-present', 'testing', 'dormant', 'lower-layer-down', 'unknown'] as const;
export type LinkState = (typeof LINK_STATES)[number];

/** One wireless adapter (observation of `wireless.adapters`). */
export interface WirelessAdapter {
  [k: string]: unknown;
  kind: WirelessKind;
  name: string;
  bus: 'pci' | 'usb' | 'sdio' | 'platform' | 'virtual' | 'unknown';
  /** Stable id of this device on this machine: sysfs device path, or Windows instance id. */
  id: string;
  /** USB VID / PCI vendor id (4 hex digits, lower case). */
  vid?: string;
  /** USB PID / PCI device id. */
  pid?: string;
  driver?: string;
  /** Interface names: wlan0, hci0, phy0, wwan0… */
  ifaces?: string[];
  presence: Presence;
  /**
   * Live Windows: the network adapter's state now (Get-NetAdapter `Status`): `up` connected, `disconnected`
   * no link (Wi-Fi not associated), `disabled` switched off in Windows, `not-present` its hardware is gone.
   */
  linkState?: LinkState;
  /** Radio kill switch state (Linux rfkill): a blocked adapter is still present. */
  rfkill?: 'unblocked' | 'soft-blocked' | 'hard-blocked';
  /** False when no driver is bound (the hardware is there, unused): still a finding. */
  driverBound?: boolean;
  /** What identified it as wireless: catalogue messages (their English `text` kept in the JSON). */
  matchedBy: Msg[];
  firstInstall?: string;
  lastArrival?: string;
  lastRemoval?: string;
  /** Kernel logs: first and last time a line showed it (ISO; local wall-clock time without zone when `timesAreLocal`). */
  firstSeen?: string;
  lastSeen?: string;
  /** The times are the machine's local wall-clock time (year-less syslog lines), not UTC. */
  timesAreLocal?: boolean;
  /** Kernel logs: how many lines showed this radio (all sources; syslog and kern.log repeat each other). */
  logLines?: number;
  /** Kernel logs: USB attaches seen (the most in any one stream: syslog, kern.log, messages, journal). */
  attaches?: number;
  /** Kernel logs: every file (or the journal folder) where it was seen. */
  sources?: string[];
  /** Where it was read (sysfs path, `<hive>: <key>`, or the first log file that showed it). */
  source: string;
}

/** One trace of past wireless use (observation of `wireless.history`). */
export interface WirelessTrace {
  [k: string]: unknown;
  /** `hostapd-config`: a hostapd configuration, i.e. the machine was set up as a Wi-Fi access point. */
  kind: 'wifi-network' | 'bluetooth-device' | 'hostapd-config';
  /** SSID for Wi-Fi (the network the access point offers, for hostapd), device name (or address) for Bluetooth. */
  name: string;
  /** Bluetooth device address, Wi-Fi profile id… */
  address?: string;
  /** User that saved it, when per user. */
  user?: string;
  /** Last time used/connected (ISO 8601 UTC), when recorded. */
  lastUsed?: string;
  firstUsed?: string;
  /** Paired (Bluetooth link key present) / auto-connect (Wi-Fi). */
  paired?: boolean;
  autoConnect?: boolean;
  security?: string;
  /** Network interface the configuration names (hostapd `interface=`, netplan, ifupdown). */
  iface?: string;
  /** Where it was read. */
  source: string;
}

/** Reasons an adapter was judged wireless, one per English text, listed in text order. */
export class Whys implements Iterable<Msg> {
  private readonly byText = new Map<string, Msg>();
  add(m: Msg): this {
    if (!this.byText.has(m.text)) this.byText.set(m.text, m);
    return this;
  }
  forEach(f: (m: Msg) => void): void {
    this.byText.forEach((m) => f(m));
  }
  [Symbol.iterator](): Iterator<Msg> {
    return this.byText.values();
  }
  list(): Msg[] {
    return [...this.byText.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  }
}

/** Add a reason to an adapter's list unless one with the same text is there. */
export function addWhy(list: Msg[], m: Msg): void {
  if (!list.some((x) => x.text === m.text)) list.push(m);
}
