// Linux identity from files on the target: /etc/hostname, /etc/machine-id, /etc/os-release, and
// MAC addresses recorded in NetworkManager profiles / udev persistent-net rules (offline disks
// have no /sys, so the hardware MACs are whatever the OS wrote down).
import type { CoverageItem } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import type { IdentityObservation, MacAddress } from './types.js';

/** Parse os-release (KEY=value, values optionally quoted, `#` comments). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    out[m[1]!] = v;
  }
  return out;
}

/** First non-comment, non-empty line of /etc/hostname. */
export function parseHostname(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (line !== '') return line;
  }
  return undefined;
}

const MAC_RE = /\b([0-9a-f]{2}(?::[0-9a-f]{2}){5})\b/i;

export function normaliseMac(mac: string): string {
  return mac.trim().toLowerCase().replace(/-/g, ':');
}

/** `mac-address=` lines of NetworkManager keyfiles (`[ethernet]`/`[wifi]` sections). */
export function macsFromNmKeyfile(text: string, source: string): MacAddress[] {
  const out: MacAddress[] = [];
  let iface: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const ifm = /^interface-name=(.+)$/.exec(line);
    if (ifm) iface = ifm[1]!.trim();
    const m = /^mac-address=(.+)$/.exec(line);
    const mac = m ? MAC_RE.exec(m[1]!) : null;
    if (mac) out.push({ mac: normaliseMac(mac[1]!), source, ...(iface ? { iface } : {}) });
  }
  return out;
}

/** `ATTR{address}=="…", … NAME="eth0"` lines of 70-persistent-net.rules. */
export function macsFromUdevRules(text: string, source: string): MacAddress[] {
  const out: MacAddress[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim().startsWith('#')) continue;
    const m = /ATTR\{address\}=="([0-9a-fA-F:]{17})"/.exec(raw);
    if (!m) continue;
    const name = /NAME="([^"]+)"/.exec(raw);
    out.push({ mac: normaliseMac(m[1]!), source, ...(name ? { iface: name[1]! } : {}) });
  }
  return out;
}

async function readOptional(target: Target, path: string, maxBytes = 1 << 20): Promise<string | undefined> {
  try {
    return await target.readText(path, { maxBytes });
  } catch {
    return undefined;
  }
}

/** Identity recorded on a Linux root's files (used offline, and live for what /etc holds). */
export async function linuxFileIdentity(target: Target, coverage: CoverageItem[]): Promise<IdentityObservation> {
  const obs: IdentityObservation = { sources: {}, macs: [], disks: [] };
  const hostnameText = await readOptional(target, '/etc/hostname');
  const hostname = hostnameText !== undefined ? parseHostname(hostnameText) : undefined;
  if (hostname) {
    obs.hostname = hostname;
    obs.sources['hostname'] = '/etc/hostname';
  } else {
    coverage.push({ kind: 'not-recorded', path: '/etc/hostname', reason: 'no host name recorded in /etc/hostname' });
  }
  for (const p of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const id = (await readOptional(target, p))?.trim();
    if (id && /^[0-9a-f]{32}$/i.test(id)) {
      obs.machineId = id.toLowerCase();
      obs.sources['machineId'] = p;
      break;
    }
  }
  if (obs.machineId === undefined) {
    coverage.push({ kind: 'not-recorded', path: '/etc/machine-id', reason: 'no machine id recorded (/etc/machine-id, /var/lib/dbus/machine-id)' });
  }
  for (const p of ['/etc/os-release', '/usr/lib/os-release']) {
    const text = await readOptional(target, p);
    if (text === undefined) continue;
    const kv = parseOsRelease(text);
    obs.os = {
      family: 'linux',
      name: kv['NAME'] ?? 'Linux',
      ...(kv['VERSION_ID'] ? { version: kv['VERSION_ID'] } : {}),
      ...(kv['PRETTY_NAME'] ? { prettyName: kv['PRETTY_NAME'] } : {}),
      ...(kv['ID'] ? { id: kv['ID'] } : {}),
    };
    obs.sources['os'] = p;
    break;
  }
  const macs: MacAddress[] = [];
  for (const p of await target.glob('/etc/NetworkManager/system-connections/*')) {
    const text = await readOptional(target, p, 256 * 1024);
    if (text !== undefined) macs.push(...macsFromNmKeyfile(text, p));
  }
  const udev = '/etc/udev/rules.d/70-persistent-net.rules';
  const udevText = await readOptional(target, udev);
  if (udevText !== undefined) macs.push(...macsFromUdevRules(udevText, udev));
  obs.macs = dedupeMacs(macs);
  return obs;
}

export function dedupeMacs(macs: MacAddress[]): MacAddress[] {
  const seen = new Map<string, MacAddress>();
  for (const m of macs) if (!seen.has(m.mac)) seen.set(m.mac, m);
  return [...seen.values()].sort((a, b) => a.mac.localeCompare(b.mac));
}
