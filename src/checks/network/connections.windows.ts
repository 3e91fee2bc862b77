// `network.connections` on a live Windows machine: `netstat -ano` (every TCP and UDP endpoint with
// its owning process id) and PowerShell `Get-Process` (process names, UTF-8). The judgement of which
// connections count is the Linux one (publicConnections: established TCP and UDP with a peer, to a
// public address), applied to the parsed lines.
//
// netstat's header lines are localised (Chinese Windows prints 活动连接 / 协议 本地地址 外部地址 状态
// PID, in the OEM code page), so data lines are recognised by their first token, TCP or UDP, and
// nothing else: `TCP <local> <foreign> <state> <pid>`, `UDP <local> <foreign> <pid>` (no state; the
// foreign address is `*:*` for an unconnected socket). IPv6 addresses are in brackets, with a zone
// index for link-local ones (`[fe80::1%12]:139`). The state names are not localised.
import type { CoverageItem, Observation } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import { cleanText, liveGap, NETSTAT, NETSTAT_ARGS, PS_PROCESSES, runLive, runPowerShellJson, type LiveCommandError } from '../windows/live.js';
import { byConnection, endpointFields, publicConnections, type SocketEndpoints, type SocketProto } from './_proc.js';
import type { ConnectionObservation } from './connections.js';

/** TCP states netstat prints (MIB_TCP_STATE names as netstat shows them). */
export const NETSTAT_TCP_STATES: ReadonlySet<string> = new Set([
  'CLOSED', 'LISTENING', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2',
  'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'DELETE_TCB', 'BOUND',
]);

/** One endpoint line of `netstat -ano`. `st` is 0x01 for an established/connected one, as /proc/net says. */
export interface NetstatEntry extends SocketEndpoints {
  pid: number;
}

export interface NetstatParse {
  entries: NetstatEntry[];
  /** Lines starting with TCP/UDP that could not be read (hostile or a format not known). */
  badLines: number;
  /** TCP lines whose state is not one netstat is documented to print (a localised state?). */
  unknownStates: string[];
}

/** `1.2.3.4:80`, `[::1]:80`, `[fe80::1%12]:80`, `*:*` → address and port. */
function hostPort(field: string): { addr: string; port: number; v6: boolean } | undefined {
  if (field === '*:*') return { addr: '*', port: 0, v6: false };
  const m = /^\[([0-9A-Fa-f:.]+)(?:%[0-9A-Za-z]+)?\]:(\d{1,5}|\*)$/.exec(field) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5}|\*)$/.exec(field);
  if (!m) return undefined;
  const port = m[2] === '*' ? 0 : Number(m[2]);
  if (port > 65535) return undefined;
  return { addr: m[1]!.toLowerCase(), port, v6: field.startsWith('[') };
}

/** Parse `netstat -ano` output (any language of its headers). */
export function parseNetstat(text: string): NetstatParse {
  const res: NetstatParse = { entries: [], badLines: 0, unknownStates: [] };
  for (const raw of text.split(/\r?\n/)) {
    const f = raw.trim().split(/\s+/);
    const p = f[0]?.toUpperCase();
    if (p !== 'TCP' && p !== 'UDP') continue;
    const tcp = p === 'TCP';
    if (f.length !== (tcp ? 5 : 4)) {
      res.badLines++;
      continue;
    }
    const l = hostPort(f[1]!);
    const r = hostPort(f[2]!);
    const pidText = f[tcp ? 4 : 3]!;
    if (!l || !r || l.addr === '*' || !/^\d{1,10}$/.test(pidText)) {
      res.badLines++;
      continue;
    }
    const v6 = l.v6 || r.v6;
    const proto: SocketProto = tcp ? (v6 ? 'tcp6' : 'tcp') : v6 ? 'udp6' : 'udp';
    let state: string;
    let st: number;
    if (tcp) {
      state = f[3]!;
      if (!NETSTAT_TCP_STATES.has(state)) {
        if (res.unknownStates.length < 5) res.unknownStates.push(cleanText(state).slice(0, 40));
        res.badLines++;
        continue;
      }
      st = state === 'ESTABLISHED' ? 0x01 : 0;
    } else {
      // A UDP socket shows a peer only when it is connected (Linux: state 01, shown as ESTABLISHED).
      const connected = r.addr !== '*';
      state = connected ? 'ESTABLISHED' : '';
      st = connected ? 0x01 : 0;
    }
    res.entries.push({ proto, local: l.addr, localPort: l.port, remote: r.addr === '*' ? '' : r.addr, remotePort: r.port, st, state, pid: Number(pidText) });
  }
  return res;
}

/** `Get-Process | Select-Object Id,ProcessName` objects → pid → name. */
export function processNames(objs: ReadonlyArray<Record<string, unknown>>): Map<number, string> {
  const out = new Map<number, string>();
  for (const o of objs) {
    const id = o['Id'];
    const name = o['ProcessName'];
    if (typeof id === 'number' && Number.isInteger(id) && typeof name === 'string' && name.trim() !== '') out.set(id, cleanText(name.trim()).slice(0, 260));
  }
  return out;
}

/** Observations of the public connections of a netstat parse, with process names when known. */
export function windowsConnectionObservations(parsed: NetstatParse, names: ReadonlyMap<number, string> | undefined): ConnectionObservation[] {
  const out = publicConnections(parsed.entries).map((c): ConnectionObservation => {
    const process = names?.get(c.pid);
    return { ...endpointFields(c), pid: c.pid, ...(process !== undefined ? { process } : {}) };
  });
  return out.sort(byConnection);
}

export const NETSTAT_MAX_BYTES = 16 * 1024 * 1024;

/** Live Windows: run netstat (a failure is a blocking gap, never "no connections") and name the processes. */
export async function windowsConnections(target: Target): Promise<{ observations: Observation[]; coverage: CoverageItem[] }> {
  const coverage: CoverageItem[] = [];
  let text: string;
  try {
    text = await runLive(target, NETSTAT, NETSTAT_ARGS, { timeoutMs: 15_000, maxBytes: NETSTAT_MAX_BYTES });
  } catch (err) {
    coverage.push(liveGap(err as LiveCommandError, 'connections could not be listed', true));
    return { observations: [], coverage };
  }
  const parsed = parseNetstat(text);
  if (parsed.entries.length === 0 && parsed.badLines === 0) {
    // netstat -ano always shows listening sockets on a running Windows: an empty answer is not "none".
    coverage.push({ kind: 'unreadable', path: 'netstat -ano', reason: 'netstat -ano printed no connection line at all', blocking: true });
    return { observations: [], coverage };
  }
  if (parsed.unknownStates.length > 0) {
    coverage.push({ kind: 'unreadable', path: 'netstat -ano', reason: `TCP states netstat is not documented to print: ${parsed.unknownStates.join(', ')}; those lines were not judged`, blocking: true });
  } else if (parsed.badLines > 0) {
    coverage.push({ kind: 'unreadable', path: 'netstat -ano', reason: `${parsed.badLines} line(s) of netstat -ano could not be read; they were not judged`, blocking: true });
  }
  const conns = publicConnections(parsed.entries);
  let names: Map<number, string> | undefined;
  if (conns.length > 0) {
    try {
      names = processNames(await runPowerShellJson(target, PS_PROCESSES, { timeoutMs: 25_000 }));
    } catch (err) {
      coverage.push(liveGap(err, 'the owning process names are unknown (process ids are kept)', false));
    }
  }
  const observations = windowsConnectionObservations(parsed, names);
  const unnamed = names ? observations.filter((o) => o.process === undefined).length : 0;
  if (unnamed > 0) {
    coverage.push({ kind: 'unreadable', path: 'Get-Process', reason: `the owning process of ${unnamed} connection(s) is unknown (ended meanwhile)` });
  }
  return { observations: observations as unknown as Observation[], coverage };
}
