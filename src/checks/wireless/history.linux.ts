// Linux traces of wireless use: NetworkManager Wi-Fi connection profiles (keyfiles, with the
// last-used time NetworkManager keeps), wpa_supplicant and iwd network configs, netplan `wifis:`,
// ifupdown `wpa-ssid` / `wireless-essid`, BlueZ paired devices (/var/lib/bluetooth/<adapter>/<device>/info),
// and hostapd configurations (the machine was set up as a Wi-Fi access point: kind `hostapd-config`).
// Every file is read through the Target with a size budget; one that cannot be read is a coverage gap.
// Secrets (PSKs, passphrases) are never put in an observation.
import type { CoverageItem } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import type { WirelessTrace } from './types.js';

/** INI-style keyfile → section → key → value (NetworkManager, BlueZ). */
export function parseKeyfile(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let sec = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      sec = s[1]!;
      out[sec] ??= {};
      continue;
    }
    const i = line.indexOf('=');
    if (i > 0) (out[sec] ??= {})[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** NetworkManager writes an SSID as text, or (older versions / non-UTF-8) as `b1;b2;…;` bytes. */
export function nmSsid(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(\d{1,3};)+$/.test(v)) return Buffer.from(v.split(';').filter(Boolean).map(Number)).toString('utf8');
  return v;
}

function unixIso(s: string | undefined): string | undefined {
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : undefined;
}

async function read(target: Target, path: string, coverage: CoverageItem[]): Promise<string | undefined> {
  try {
    return await target.readText(path, { maxBytes: 4 * 1024 * 1024 });
  } catch (err) {
    coverage.push({ kind: 'unreadable', path, reason: (err as Error).message });
    return undefined;
  }
}

async function nmProfiles(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  const out: WirelessTrace[] = [];
  const stamps = parseKeyfile((await target.readText('/var/lib/NetworkManager/timestamps').catch(() => '')) ?? '')['timestamps'] ?? {};
  const files = [...(await target.glob('/etc/NetworkManager/system-connections/*')), ...(await target.glob('/run/NetworkManager/system-connections/*'))];
  for (const f of files) {
    const text = await read(target, f, coverage);
    if (text === undefined) continue;
    const kf = parseKeyfile(text);
    const c = kf['connection'] ?? {};
    const type = c['type'];
    if (type !== 'wifi' && type !== '802-11-wireless') continue;
    const ssid = nmSsid((kf['wifi'] ?? kf['802-11-wireless'] ?? {})['ssid']) ?? c['id'] ?? f;
    const uuid = c['uuid'];
    const last = unixIso(c['timestamp']) ?? unixIso(uuid ? stamps[uuid] : undefined);
    const sec = (kf['wifi-security'] ?? kf['802-11-wireless-security'] ?? {})['key-mgmt'];
    out.push({
      kind: 'wifi-network',
      name: ssid,
      ...(uuid ? { address: uuid } : {}),
      ...(last ? { lastUsed: last } : {}),
      autoConnect: c['autoconnect'] !== 'false',
      security: sec ?? 'open',
      source: f,
    });
  }
  return out;
}

/** `network={ ssid="…" … }` blocks of wpa_supplicant.conf (ssid quoted text or hex). */
export function wpaNetworks(text: string): Array<{ ssid: string; keyMgmt?: string }> {
  const out: Array<{ ssid: string; keyMgmt?: string }> = [];
  for (const m of text.matchAll(/network\s*=\s*\{([^}]*)\}/g)) {
    const body = m[1]!;
    const q = /^\s*ssid\s*=\s*"(.*)"\s*$/m.exec(body);
    const h = /^\s*ssid\s*=\s*([0-9a-fA-F]+)\s*$/m.exec(body);
    const ssid = q ? q[1]! : h ? Buffer.from(h[1]!, 'hex').toString('utf8') : undefined;
    const km = /^\s*key_mgmt\s*=\s*(\S+)/m.exec(body)?.[1];
    if (ssid !== undefined) out.push({ ssid, ...(km ? { keyMgmt: km } : {}) });
  }
  return out;
}

async function wpaAndIwd(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  const out: WirelessTrace[] = [];
  for (const f of [...(await target.glob('/etc/wpa_supplicant/*.conf')), ...(await target.glob('/etc/wpa_supplicant.conf'))]) {
    const text = await read(target, f, coverage);
    if (text === undefined) continue;
    for (const n of wpaNetworks(text)) out.push({ kind: 'wifi-network', name: n.ssid, security: n.keyMgmt ?? 'WPA-PSK', source: f });
  }
  for (const f of await target.glob('/var/lib/iwd/*')) {
    const m = /\/([^/]+)\.(psk|open|8021x)$/.exec(f);
    if (!m) continue;
    // iwd names files by SSID, or `=<hex>` when the SSID has other characters.
    const name = m[1]!.startsWith('=') ? Buffer.from(m[1]!.slice(1), 'hex').toString('utf8') : m[1]!;
    out.push({ kind: 'wifi-network', name, security: m[2]!, source: f });
  }
  return out;
}

const MAC = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/i;

async function bluezDevices(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  const out: WirelessTrace[] = [];
  let adapters: string[] = [];
  try {
    adapters = (await target.readDir('/var/lib/bluetooth')).filter((e) => MAC.test(e.name)).map((e) => e.name);
  } catch {
    return out;
  }
  for (const a of adapters) {
    let devs: string[] = [];
    try {
      devs = (await target.readDir(`/var/lib/bluetooth/${a}`)).filter((e) => MAC.test(e.name)).map((e) => e.name);
    } catch (err) {
      coverage.push({ kind: 'unreadable', path: `/var/lib/bluetooth/${a}`, reason: (err as Error).message });
      continue;
    }
    for (const d of devs) {
      const f = `/var/lib/bluetooth/${a}/${d}/info`;
      const text = await read(target, f, coverage);
      if (text === undefined) continue;
      const kf = parseKeyfile(text);
      const g = kf['General'] ?? {};
      const paired = kf['LinkKey'] !== undefined || kf['LongTermKey'] !== undefined || kf['PeripheralLongTermKey'] !== undefined || kf['SlaveLongTermKey'] !== undefined;
      out.push({
        kind: 'bluetooth-device',
        name: g['Alias'] ?? g['Name'] ?? d,
        address: d.toLowerCase(),
        paired,
        ...(g['Trusted'] === 'true' ? { trusted: true } : {}),
        ...(g['Class'] ? { deviceClass: g['Class'] } : {}),
        adapter: a.toLowerCase(),
        source: f,
      });
    }
  }
  return out;
}

/** `key=value` settings of a hostapd configuration (comments and blank lines skipped; the last value wins). */
export function parseHostapdConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** hostapd's SSID: `ssid=` text, or `ssid2=` as `"quoted"`, hex, or `P"printf-escaped"`. */
export function hostapdSsid(conf: Record<string, string>): string | undefined {
  if (conf['ssid'] !== undefined && conf['ssid'] !== '') return conf['ssid'];
  const s2 = conf['ssid2'];
  if (s2 === undefined || s2 === '') return undefined;
  const q = /^P?"(.*)"$/.exec(s2);
  if (q) return q[1]!;
  if (/^([0-9a-fA-F]{2})+$/.test(s2)) return Buffer.from(s2, 'hex').toString('utf8');
  return s2;
}

/** Security of a hostapd network, from `wpa`, `wpa_key_mgmt`, `wep_key0`, `auth_algs` (never the key). */
function hostapdSecurity(c: Record<string, string>): string {
  const wpa = Number(c['wpa'] ?? '0');
  if (wpa > 0) return `${wpa & 2 ? 'WPA2' : 'WPA'}${c['wpa_key_mgmt'] ? ` ${c['wpa_key_mgmt']}` : '-PSK'}`;
  if (c['wep_key0'] !== undefined || c['wep_default_key'] !== undefined) return 'WEP';
  return 'open';
}

/**
 * hostapd configurations: /etc/hostapd/*.conf (hostapd.conf and per-interface files), /etc/hostapd.conf.
 * A file that sets an interface or an SSID means the machine was set up as an access point (Debian's
 * hostapd package ships no configuration in /etc, only examples under /usr/share/doc).
 */
async function hostapd(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  const out: WirelessTrace[] = [];
  const files = [...new Set([...(await target.glob('/etc/hostapd/*.conf')), ...(await target.glob('/etc/hostapd/*/*.conf')), ...(await target.glob('/etc/hostapd.conf'))])].sort();
  for (const f of files) {
    const text = await read(target, f, coverage);
    if (text === undefined) continue;
    const c = parseHostapdConf(text);
    const ssid = hostapdSsid(c);
    if (ssid === undefined && c['interface'] === undefined) continue;
    out.push({
      kind: 'hostapd-config',
      name: ssid ?? '(no SSID set)',
      ...(c['interface'] ? { iface: c['interface'] } : {}),
      security: hostapdSecurity(c),
      source: f,
    });
  }
  return out;
}

/** SSIDs under `wifis: <iface>: access-points:` of a netplan YAML file (indentation-based; quotes removed). */
export function netplanWifis(text: string): Array<{ ssid: string; iface: string }> {
  const out: Array<{ ssid: string; iface: string }> = [];
  let wifisIndent = -1;
  let iface: { name: string; indent: number } | undefined;
  let apIndent = -1;
  let ssidIndent = -1;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const m = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#]+?)\s*:(?:\s|$)/.exec(raw);
    const key = m ? m[1]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1').trim() : undefined;
    if (wifisIndent >= 0 && indent <= wifisIndent) {
      wifisIndent = -1;
      iface = undefined;
      apIndent = -1;
    }
    if (apIndent >= 0 && indent <= apIndent) apIndent = -1;
    if (iface && indent <= iface.indent) {
      iface = undefined;
      apIndent = -1;
    }
    if (key === undefined) continue;
    if (key === 'wifis') {
      wifisIndent = indent;
      continue;
    }
    if (wifisIndent < 0) continue;
    if (!iface) {
      iface = { name: key, indent };
      continue;
    }
    if (key === 'access-points' && apIndent < 0) {
      apIndent = indent;
      ssidIndent = -1;
      continue;
    }
    if (apIndent >= 0) {
      if (ssidIndent < 0) ssidIndent = indent;
      if (indent === ssidIndent) out.push({ ssid: key, iface: iface.name });
    }
  }
  return out;
}

/** `wpa-ssid` / `wireless-essid` of /etc/network/interfaces stanzas (ifupdown with wpasupplicant / wireless-tools). */
export function ifupdownWifi(text: string): Array<{ ssid: string; iface?: string }> {
  const out: Array<{ ssid: string; iface?: string }> = [];
  let iface: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const st = /^iface\s+(\S+)/.exec(line);
    if (st) {
      iface = st[1]!;
      continue;
    }
    const m = /^(?:wpa-ssid|wireless-essid)\s+(.+)$/.exec(line);
    if (m) out.push({ ssid: m[1]!.replace(/^"(.*)"$/, '$1'), ...(iface ? { iface } : {}) });
  }
  return out;
}

async function netplanAndIfupdown(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  const out: WirelessTrace[] = [];
  for (const f of [...(await target.glob('/etc/netplan/*.yaml')), ...(await target.glob('/etc/netplan/*.yml'))].sort()) {
    const text = await read(target, f, coverage);
    if (text === undefined) continue;
    for (const w of netplanWifis(text)) out.push({ kind: 'wifi-network', name: w.ssid, iface: w.iface, source: f });
  }
  for (const f of ['/etc/network/interfaces', ...(await target.glob('/etc/network/interfaces.d/*'))]) {
    if (!(await target.exists(f))) continue;
    const text = await read(target, f, coverage);
    if (text === undefined) continue;
    for (const w of ifupdownWifi(text)) out.push({ kind: 'wifi-network', name: w.ssid, ...(w.iface ? { iface: w.iface } : {}), source: f });
  }
  return out;
}

export async function linuxWirelessHistory(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  return [
    ...(await nmProfiles(target, coverage)),
    ...(await wpaAndIwd(target, coverage)),
    ...(await netplanAndIfupdown(target, coverage)),
    ...(await bluezDevices(target, coverage)),
    ...(await hostapd(target, coverage)),
  ];
}
