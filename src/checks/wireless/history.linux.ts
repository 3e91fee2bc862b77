// Linux traces of wireless use: NetworkManager Wi-Fi connection profiles (keyfiles, with the
// last-used time NetworkManager keeps), wpa_supplicant and iwd network configs, and BlueZ paired
// devices (/var/lib/bluetooth/<adapter>/<device>/info).
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

export async function linuxWirelessHistory(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  return [...(await nmProfiles(target, coverage)), ...(await wpaAndIwd(target, coverage)), ...(await bluezDevices(target, coverage))];
}
