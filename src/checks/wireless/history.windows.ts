// Windows traces of wireless use: saved Wi-Fi profiles (ProgramData\Microsoft\Wlansvc\Profiles\
// Interfaces\{GUID}\*.xml), wireless network profiles of NetworkList (NameType 71, SOFTWARE hive),
// paired Bluetooth devices (SYSTEM Services\BTHPORT\Parameters\Devices\<address>).
import type { CoverageItem } from '../../engine/types.js';
import type { Hive } from '../../formats/regf.js';
import type { Target } from '../../target/types.js';
import { networkProfiles } from '../windows/networklist.js';
import { bytes, filetimeIso, key, subkeys } from '../windows/reg.js';
import type { WirelessTrace } from './types.js';

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<(?:\\w+:)?${tag}>([^<]*)</(?:\\w+:)?${tag}>`).exec(xml);
  return m ? decodeEntities(m[1]!) : undefined;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** A WLANProfile XML → SSID (from <SSID><hex> when present: exact bytes), mode, authentication. */
export function parseWlanProfile(xml: string): { ssid: string; name?: string; connectionMode?: string; authentication?: string } | undefined {
  if (!/<WLANProfile/.test(xml)) return undefined;
  const ssidBlock = /<SSID>([\s\S]*?)<\/SSID>/.exec(xml)?.[1] ?? '';
  const hex = xmlText(ssidBlock, 'hex');
  const ssid = hex && /^([0-9a-f]{2})+$/i.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : xmlText(ssidBlock, 'name') ?? xmlText(xml, 'name');
  if (ssid === undefined) return undefined;
  const name = xmlText(xml, 'name');
  const mode = xmlText(xml, 'connectionMode');
  const auth = xmlText(xml, 'authentication');
  return { ssid, ...(name ? { name } : {}), ...(mode ? { connectionMode: mode } : {}), ...(auth ? { authentication: auth } : {}) };
}

/** WLAN profile XML files are UTF-8 (with or without BOM); some tools wrote UTF-16. */
function decodeXml(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  const t = buf.toString('utf8');
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

export async function wlanProfiles(target: Target, coverage: CoverageItem[]): Promise<WirelessTrace[]> {
  const out: WirelessTrace[] = [];
  for (const f of await target.glob('/ProgramData/Microsoft/Wlansvc/Profiles/Interfaces/*/*.xml')) {
    let buf: Buffer;
    try {
      buf = await target.readFile(f, { maxBytes: 1024 * 1024 });
    } catch (err) {
      coverage.push({ kind: 'unreadable', path: f, reason: (err as Error).message });
      continue;
    }
    const p = parseWlanProfile(decodeXml(buf));
    if (!p) {
      coverage.push({ kind: 'corrupt', path: f, reason: 'not a WLANProfile XML' });
      continue;
    }
    let modified: string | undefined;
    try {
      modified = (await target.stat(f)).mtime;
    } catch {
      // optional
    }
    out.push({
      kind: 'wifi-network',
      name: p.ssid,
      autoConnect: p.connectionMode === 'auto',
      ...(p.authentication ? { security: p.authentication } : {}),
      ...(modified ? { fileModified: modified } : {}),
      source: f,
    });
  }
  return out;
}

export function networkListWireless(hive: Hive, source: string): WirelessTrace[] {
  return networkProfiles(hive)
    .filter((p) => p.medium === 'wireless')
    .map((p) => ({
      kind: 'wifi-network' as const,
      name: p.name,
      address: p.guid,
      ...(p.created ? { firstUsed: p.created } : {}),
      ...(p.lastConnected ? { lastUsed: p.lastConnected } : {}),
      timesAreLocal: true,
      ...(p.gatewayMac ? { gatewayMac: p.gatewayMac } : {}),
      source: `${source}: ${p.keyPath}`,
    }));
}

/** BTHPORT\Parameters\Devices\<12 hex digits>: Name (UTF-8 bytes), LastSeen / LastConnected (FILETIME). */
export function pairedBluetooth(hive: Hive, source: string): WirelessTrace[] {
  const out: WirelessTrace[] = [];
  for (const d of subkeys(key(hive, 'CurrentControlSet\\Services\\BTHPORT\\Parameters\\Devices'))) {
    if (!/^[0-9a-f]{12}$/i.test(d.name)) continue;
    const nameBytes = bytes(d, 'Name');
    const name = nameBytes ? Buffer.from(nameBytes).toString('utf8').replace(/\0.*$/s, '') : undefined;
    const addr = d.name.toLowerCase().replace(/(..)(?!$)/g, '$1:');
    const lastConnected = filetimeIso(bytes(d, 'LastConnected'));
    const lastSeen = filetimeIso(bytes(d, 'LastSeen'));
    out.push({
      kind: 'bluetooth-device',
      name: name || addr,
      address: addr,
      paired: true,
      ...(lastConnected ?? lastSeen ? { lastUsed: (lastConnected ?? lastSeen)! } : {}),
      source: `${source}: ${d.path}`,
    });
  }
  return out;
}
