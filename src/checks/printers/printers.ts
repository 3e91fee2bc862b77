// Probe `printers.installed` — installed printers and fax devices with the way they are connected
// (自查自评 四(七)12 使用打印机、复印机、传真机等办公自动化设备符合保密管理规定).
// Windows (offline, or live via reg save): SYSTEM Control\Print\Printers\<name> (its Port and
// Printer Driver), the Standard TCP/IP port monitor's ports, and each user's connected network
// printers (NTUSER Printers\Connections). Linux: CUPS printers.conf (DeviceURI of each queue).
// Facts only; rules/printers.yaml judges.
import { S } from '../../engine/shape.js';
import type { CoverageItem, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import type { Hive } from '../../formats/regf.js';
import type { Target } from '../../target/types.js';
import { hiveGapError, hiveNotes, systemHive, userHive, userHivePaths } from '../windows/hives.js';
import { key, str, subkeys } from '../windows/reg.js';

export type Connection = 'network' | 'wsd' | 'fax' | 'usb' | 'parallel' | 'serial' | 'virtual' | 'redirected' | 'unknown';

export interface Printer {
  [field: string]: unknown;
  kind: 'printer';
  name: string;
  connection: Connection;
  port: string;
  address?: string;
  driver?: string;
  fax: boolean;
  isDefault?: boolean;
  user?: string;
  source: string;
}

const MAX_PRINTERS = 5_000;
const MAX_PRINTERS_CONF = 4 * 1024 * 1024;
const FAX = /\bfax\b|传真/i;

/** How a Windows printer port connects. `tcpip` holds the Standard TCP/IP monitor's port names (lower case). */
export function windowsConnection(port: string, driver: string | undefined, tcpip: ReadonlyMap<string, string | undefined>): { connection: Connection; address?: string } {
  const p = port.trim();
  const lower = p.toLowerCase();
  if (/^(shrfax|fax):?$/i.test(p) || FAX.test(driver ?? '')) return { connection: 'fax' };
  if (tcpip.has(lower)) {
    const host = tcpip.get(lower);
    return host ? { connection: 'network', address: host } : { connection: 'network' };
  }
  if (/^wsd-/i.test(p)) return { connection: 'wsd' };
  if (/^\\\\[^\\]+\\/.test(p) || /^https?:\/\//i.test(p) || /^IP_\d/i.test(p)) return { connection: 'network', ...(/^\\\\([^\\]+)\\/.exec(p) ? { address: /^\\\\([^\\]+)\\/.exec(p)![1]! } : {}) };
  if (/^usb\d+$/i.test(p)) return { connection: 'usb' };
  if (/^lpt\d+:?$/i.test(p)) return { connection: 'parallel' };
  if (/^com\d+:?$/i.test(p)) return { connection: 'serial' };
  if (/^ts\d+$/i.test(p)) return { connection: 'redirected' };
  if (/^(portprompt:|file:|nul:?|xpsport:|ne\d+:|onenote)/i.test(p) || /^Microsoft\.Office\.OneNote/i.test(p)) return { connection: 'virtual' };
  return { connection: 'unknown' };
}

function tcpipPorts(sys: Hive): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const k of subkeys(key(sys, 'CurrentControlSet\\Control\\Print\\Monitors\\Standard TCP/IP Port\\Ports'))) {
    out.set(k.name.toLowerCase(), str(k, 'HostName') ?? str(k, 'IPAddress'));
  }
  return out;
}

export function windowsPrinters(sys: Hive, source: string): Printer[] {
  const tcpip = tcpipPorts(sys);
  const out: Printer[] = [];
  for (const k of subkeys(key(sys, 'CurrentControlSet\\Control\\Print\\Printers')).slice(0, MAX_PRINTERS)) {
    const name = str(k, 'Name') ?? k.name;
    const port = str(k, 'Port') ?? '';
    const driver = str(k, 'Printer Driver');
    const c = windowsConnection(port, driver, tcpip);
    out.push({ kind: 'printer', name, ...c, port, ...(driver ? { driver } : {}), fax: c.connection === 'fax' || FAX.test(driver ?? ''), source: `${source}: ${k.path}` });
  }
  return out;
}

/** A user's connected network printers: `Printers\Connections\,,server,printer`. */
export function userPrinterConnections(user: Hive, userName: string, source: string): Printer[] {
  const out: Printer[] = [];
  for (const k of subkeys(key(user, 'Printers\\Connections')).slice(0, MAX_PRINTERS)) {
    const m = /^,,([^,]+),(.+)$/.exec(k.name);
    if (!m) continue;
    out.push({ kind: 'printer', name: m[2]!, connection: 'network', port: `\\\\${m[1]}\\${m[2]}`, address: m[1]!, fax: FAX.test(m[2]!), user: userName, source: `${source}: ${k.path}` });
  }
  return out;
}

/** How a CUPS DeviceURI connects (cups backends: usb, parallel, serial, ipp, ipps, socket, lpd, smb, dnssd…; HPLIP hp:, hpfax:). */
export function cupsConnection(uri: string): { connection: Connection; address?: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase() ?? '';
  if (scheme === 'hpfax') return { connection: 'fax' };
  if (scheme === 'hp') return /^hp:\/net\//i.test(uri) ? { connection: 'network' } : { connection: 'usb' };
  if (scheme === 'usb') return { connection: 'usb' };
  if (scheme === 'parallel') return { connection: 'parallel' };
  if (scheme === 'serial') return { connection: 'serial' };
  if (['cups-pdf', 'file', 'pdf'].includes(scheme)) return { connection: 'virtual' };
  if (['ipp', 'ipps', 'http', 'https', 'socket', 'lpd', 'smb', 'dnssd', 'mdns', 'implicitclass', 'ippusbxd'].includes(scheme)) {
    // dnssd://Name._ipp._tcp.local/ names a service found by multicast DNS; the host is the service name.
    const host = /^[a-z0-9+.-]+:\/\/(?:[^@/]*@)?([^/:?]+)/i.exec(uri)?.[1];
    return { connection: 'network', ...(host ? { address: decodeURIComponent(host) } : {}) };
  }
  return { connection: 'unknown' };
}

/** Printer queues of a CUPS printers.conf (`<Printer name>` / `<DefaultPrinter name>` blocks). */
export function parsePrintersConf(text: string, source: string): Printer[] {
  const out: Printer[] = [];
  let cur: { name: string; isDefault: boolean; fields: Map<string, string> } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const open = /^<(Default)?Printer\s+(.+)>$/i.exec(line);
    if (open) {
      cur = { name: open[2]!, isDefault: open[1] !== undefined, fields: new Map() };
      continue;
    }
    if (/^<\/(Default)?Printer>$/i.test(line)) {
      if (cur) {
        const uri = cur.fields.get('DeviceURI') ?? '';
        const c = cupsConnection(uri);
        const driver = cur.fields.get('MakeModel');
        const info = cur.fields.get('Info') ?? '';
        out.push({
          kind: 'printer',
          name: cur.name,
          ...c,
          // The URI's password, if one was saved in it (smb://user:pass@host), is not kept.
          port: uri.replace(/\/\/[^@/]*@/, '//'),
          ...(driver ? { driver } : {}),
          fax: c.connection === 'fax' || FAX.test(driver ?? '') || FAX.test(info),
          ...(cur.isDefault ? { isDefault: true } : {}),
          source,
        });
        if (out.length >= MAX_PRINTERS) return out;
      }
      cur = undefined;
      continue;
    }
    if (!cur) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (m) cur.fields.set(m[1]!, m[2]!);
  }
  return out;
}

async function linuxPrinters(target: Target, coverage: CoverageItem[]): Promise<Printer[]> {
  const path = '/etc/cups/printers.conf';
  if (!(await target.exists(path))) return [];
  try {
    return parsePrintersConf(await target.readText(path, { maxBytes: MAX_PRINTERS_CONF }), path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    coverage.push({ kind: code === 'E_TOO_LARGE' ? 'too-large' : 'unreadable', path, reason: `CUPS printers not read: ${(err as Error).message}`, blocking: true });
    return [];
  }
}

export const printersProbe: Probe = {
  id: 'printers.installed',
  description: 'Installed printers and fax devices, and how each is connected (network, WSD, fax, USB…).',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  identity: ['name', 'user', 'port'],
  observes: S.obj({
    kind: S.enum('printer'),
    name: S.str,
    connection: S.enum('network', 'wsd', 'fax', 'usb', 'parallel', 'serial', 'virtual', 'redirected', 'unknown'),
    port: S.str,
    address: S.str,
    driver: S.str,
    fax: S.bool,
    isDefault: S.bool,
    user: S.str,
    source: S.str,
  }),
  timeoutMs: 60_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const { target } = ctx;
    const coverage: CoverageItem[] = [];
    let printers: Printer[];
    if (target.os.family === 'windows') {
      const sys = await systemHive(target, 'SYSTEM');
      if (!sys.ok) throw hiveGapError(sys, 'SYSTEM hive');
      coverage.push(...hiveNotes(sys.value));
      printers = windowsPrinters(sys.value.hive, sys.value.source);
      for (const u of await userHivePaths(target)) {
        const h = await userHive(target, u.path);
        if (!h.ok) {
          coverage.push({ ...h.gap, reason: `network printers connected by user ${u.user} not listed: ${h.gap.reason}`, blocking: true });
          continue;
        }
        printers.push(...userPrinterConnections(h.value.hive, u.user, h.value.source));
      }
    } else {
      printers = await linuxPrinters(target, coverage);
    }
    return { status: 'ok', observations: printers, inventory: { printers }, coverage };
  },
};
