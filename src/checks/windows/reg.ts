// Small, failure-tolerant accessors over registry keys for probes: a damaged value reads as
// undefined (and the caller records the gap), never as an exception in the middle of a probe.
import type { Hive, RegKey } from '../../formats/regf.js';

export function key(hive: Hive, path: string): RegKey | undefined {
  try {
    return hive.getKey(path);
  } catch {
    return undefined;
  }
}

export function subkeys(k: RegKey | undefined): RegKey[] {
  if (!k) return [];
  try {
    return k.subkeys();
  } catch {
    return [];
  }
}

function data(k: RegKey | undefined, name: string): unknown {
  if (!k) return undefined;
  try {
    return k.value(name)?.data;
  } catch {
    return undefined;
  }
}

/** A string value (REG_SZ, EXPAND_SZ; first entry of a MULTI_SZ), trimmed; empty → undefined. */
export function str(k: RegKey | undefined, name: string): string | undefined {
  const v = data(k, name);
  const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  const t = s?.replace(/\0+$/, '').trim();
  return t === '' ? undefined : t;
}

export function multi(k: RegKey | undefined, name: string): string[] | undefined {
  const v = data(k, name);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return typeof v === 'string' && v !== '' ? [v] : undefined;
}

/** A DWORD (or QWORD that fits) as a number. */
export function num(k: RegKey | undefined, name: string): number | undefined {
  const v = data(k, name);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return undefined;
}

/** The raw bytes of a value. */
export function bytes(k: RegKey | undefined, name: string): Uint8Array | undefined {
  if (!k) return undefined;
  try {
    return k.value(name)?.raw;
  } catch {
    return undefined;
  }
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** A FILETIME (8 bytes little-endian, 100 ns since 1601) → ISO 8601 UTC; 0 or absurd → undefined. */
export function filetimeIso(raw: Uint8Array | undefined): string | undefined {
  if (!raw || raw.length < 8) return undefined;
  const ft = Buffer.from(raw.buffer, raw.byteOffset, 8).readBigUInt64LE(0);
  if (ft <= FILETIME_UNIX_EPOCH) return undefined;
  const ms = Number((ft - FILETIME_UNIX_EPOCH) / 10000n);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() > 2200 ? undefined : d.toISOString();
}

/** Seconds since 1970 (as InstallDate stores) → ISO 8601 UTC. */
export function unixIso(sec: number | undefined): string | undefined {
  if (sec === undefined || sec <= 0) return undefined;
  return new Date(sec * 1000).toISOString();
}

/** `where` evidence naming hive and key, e.g. {hive: '/Windows/System32/config/SYSTEM', key: 'ControlSet001\\…'}. */
export function where(source: string, k: RegKey | undefined): { hive: string; key: string } {
  return { hive: source, key: k?.path ?? '' };
}

/**
 * The user accounts of SOFTWARE's ProfileList: each SID of a person (local or domain S-1-5-21-…,
 * Azure AD S-1-12-1-…; not SYSTEM or the service accounts) with its profile folder as written.
 */
export function profileList(software: Hive): Array<{ sid: string; profilePath?: string; key: RegKey }> {
  const out: Array<{ sid: string; profilePath?: string; key: RegKey }> = [];
  for (const k of subkeys(key(software, 'Microsoft\\Windows NT\\CurrentVersion\\ProfileList'))) {
    if (!/^S-1-(?:5-21|12-1)-/i.test(k.name)) continue;
    const p = str(k, 'ProfileImagePath');
    out.push({ sid: k.name.toUpperCase(), ...(p ? { profilePath: p } : {}), key: k });
  }
  return out;
}

