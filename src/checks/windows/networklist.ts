// Windows network profiles (SOFTWARE\Microsoft\Windows NT\CurrentVersion\NetworkList): every
// network the machine ever joined, with its kind (NameType 71 wireless, 6 wired, 243 mobile
// broadband), when it was first and last connected, and the gateway MAC from the signatures.
import type { Hive } from '../../formats/regf.js';
import { bytes, key, num, str, subkeys } from './reg.js';

export interface NetworkProfile {
  name: string;
  description?: string;
  guid: string;
  nameType?: number;
  medium: 'wireless' | 'wired' | 'mobile' | 'other';
  /** 0 public, 1 private, 2 domain. */
  category?: number;
  /** Local time of the machine, as Windows stores it (SYSTEMTIME, no time zone): `YYYY-MM-DDTHH:MM:SS`. */
  created?: string;
  lastConnected?: string;
  /** From NetworkList\Signatures: MAC of the default gateway, DNS suffix. */
  gatewayMac?: string;
  dnsSuffix?: string;
  managed?: boolean;
  keyPath: string;
}

/** 16-byte SYSTEMTIME → naive local `YYYY-MM-DDTHH:MM:SS`; undefined when absent or invalid. */
export function systemtime(raw: Uint8Array | undefined): string | undefined {
  if (!raw || raw.length < 16) return undefined;
  const b = Buffer.from(raw.buffer, raw.byteOffset, 16);
  const [y, mo, , d, h, mi, s] = [0, 2, 4, 6, 8, 10, 12].map((o) => b.readUInt16LE(o)) as [number, number, number, number, number, number, number];
  if (y < 1601 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}`;
}

function medium(nameType: number | undefined): NetworkProfile['medium'] {
  if (nameType === 71) return 'wireless';
  if (nameType === 6) return 'wired';
  if (nameType === 243 || nameType === 244) return 'mobile';
  return 'other';
}

function mac(raw: Uint8Array | undefined): string | undefined {
  if (!raw || raw.length !== 6) return undefined;
  return [...raw].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function networkProfiles(hive: Hive): NetworkProfile[] {
  const base = 'Microsoft\\Windows NT\\CurrentVersion\\NetworkList';
  const sigByGuid = new Map<string, { gatewayMac?: string; dnsSuffix?: string; managed: boolean }>();
  for (const kind of ['Managed', 'Unmanaged']) {
    for (const s of subkeys(key(hive, `${base}\\Signatures\\${kind}`))) {
      const g = str(s, 'ProfileGuid');
      if (!g) continue;
      const gm = mac(bytes(s, 'DefaultGatewayMac'));
      const dns = str(s, 'DnsSuffix');
      sigByGuid.set(g.toUpperCase(), { managed: kind === 'Managed', ...(gm ? { gatewayMac: gm } : {}), ...(dns && dns !== '<none>' ? { dnsSuffix: dns } : {}) });
    }
  }
  const out: NetworkProfile[] = [];
  for (const p of subkeys(key(hive, `${base}\\Profiles`))) {
    const nameType = num(p, 'NameType');
    const name = str(p, 'ProfileName') ?? str(p, 'Description') ?? p.name;
    const sig = sigByGuid.get(p.name.toUpperCase());
    const created = systemtime(bytes(p, 'DateCreated'));
    const last = systemtime(bytes(p, 'DateLastConnected'));
    const desc = str(p, 'Description');
    const cat = num(p, 'Category');
    out.push({
      name,
      guid: p.name,
      medium: medium(nameType),
      keyPath: p.path,
      ...(desc && desc !== name ? { description: desc } : {}),
      ...(nameType !== undefined ? { nameType } : {}),
      ...(cat !== undefined ? { category: cat } : {}),
      ...(created ? { created } : {}),
      ...(last ? { lastConnected: last } : {}),
      ...(sig?.gatewayMac ? { gatewayMac: sig.gatewayMac } : {}),
      ...(sig?.dnsSuffix ? { dnsSuffix: sig.dnsSuffix } : {}),
      ...(sig ? { managed: sig.managed } : {}),
    });
  }
  return out;
}
