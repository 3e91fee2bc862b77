// Probe `network.connections` — live TCP sessions and connected UDP sockets to public addresses
// (a machine that must stay off the internet has none).
//
// Live Linux: /proc/net/{tcp,tcp6,udp,udp6} read through the Target. Kept: TCP state 01
// (ESTABLISHED) and UDP sockets with a peer set (`connect()`ed, also state 01) whose remote
// address is public — not private (10/8, 172.16/12, 192.168/16), loopback, link-local, CGNAT
// (100.64/10), 0/8, multicast, broadcast; IPv6 ::1, ::, fe80::/10, fc00::/7, ff00::/8;
// IPv4-mapped ::ffff:a.b.c.d judged as IPv4. The owning process comes from the
// `socket:[inode]` links under /proc/<pid>/fd and /proc/<pid>/comm; other users' processes need
// root, and an owner that could not be seen is a coverage note (the connection is still listed).
//
// Live Windows: `netstat -ano` and PowerShell Get-Process through the Target's command runner
// (./connections.windows.ts), judged by the same publicConnections. A netstat that fails is a
// blocking gap, not "no connections". uid and inode are Linux facts: absent on Windows.
//
// Observation: {proto, local, localPort, remote, remotePort, state, uid?, inode?, pid?, process?}.
import { readlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { S } from '../../engine/shape.js';
import type { CoverageItem, Observation, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { TargetError, type Target } from '../../target/types.js';
import { byConnection, endpointFields, parseProcNetSockets, publicConnections, socketInodeFromLink, type SocketEntry, type SocketProto } from './_proc.js';
import { windowsConnections } from './connections.windows.js';

export interface ConnectionObservation {
  proto: SocketProto;
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  state: string;
  /** Owner of the socket (Linux: from the /proc/net table; Windows has no such fact). */
  uid?: number;
  /** Linux socket inode (absent on Windows). */
  inode?: number;
  pid?: number;
  /** /proc/<pid>/comm of the owner (15 characters at most). */
  process?: string;
}

const PROTOS: readonly SocketProto[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** Public, established/connected sockets (shared with Windows: ./_proc.ts). */
export { publicConnections };

export interface OwnerScan {
  /** inode → lowest pid holding it. */
  owners: Map<number, number>;
  /** Processes whose fd directory could not be read. */
  unreadable: number;
  scanned: number;
}

/**
 * Find which processes hold the given socket inodes, through `/proc/<pid>/fd/*` links of the
 * Target. Stops as soon as every inode is found.
 */
export async function socketOwners(target: Target, inodes: ReadonlySet<number>, signal: AbortSignal): Promise<OwnerScan> {
  const owners = new Map<number, number>();
  const res: OwnerScan = { owners, unreadable: 0, scanned: 0 };
  if (inodes.size === 0) return res;
  const pids = (await target.readDir('/proc'))
    .filter((e) => /^\d+$/.test(e.name))
    .map((e) => Number(e.name))
    .sort((a, b) => a - b);
  const scanPid = async (pid: number): Promise<void> => {
    let fds;
    try {
      fds = await target.readDir(`/proc/${pid}/fd`);
    } catch (err) {
      // Gone since the listing (E_NOT_FOUND) is not a gap; not ours to read (E_ACCESS) is.
      if (!(err instanceof TargetError && err.code === 'E_NOT_FOUND')) res.unreadable++;
      return;
    }
    res.scanned++;
    // Resolved once through the Target; the fd entries are plain numbered links directly under it.
    let hostDir: string;
    try {
      hostDir = await target.resolve(`/proc/${pid}/fd`);
    } catch {
      res.unreadable++;
      return;
    }
    for (const fd of fds) {
      if (fd.kind !== 'symlink' || !/^\d+$/.test(fd.name)) continue;
      let link: string;
      try {
        link = await readlink(`${hostDir}/${fd.name}`);
      } catch {
        continue; // closed meanwhile
      }
      const inode = socketInodeFromLink(link);
      if (inode === undefined || !inodes.has(inode)) continue;
      const prev = owners.get(inode);
      if (prev === undefined || pid < prev) owners.set(inode, pid);
    }
  };
  const queue = [...pids];
  const worker = async (): Promise<void> => {
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      signal.throwIfAborted();
      if (owners.size === inodes.size) return;
      await scanPid(pid);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return res;
}

async function comm(target: Target, pid: number): Promise<string | undefined> {
  try {
    const t = (await target.readText(`/proc/${pid}/comm`, { maxBytes: 4096 })).replace(/\n$/, '');
    return t === '' ? undefined : t;
  } catch {
    return undefined;
  }
}

export const connectionsProbe: Probe = {
  id: 'network.connections',
  description: 'Established TCP sessions and connected UDP sockets to public (internet) addresses, with the owning process.',
  platforms: ['linux', 'windows'],
  modes: ['live'],
  identity: ['proto', 'remote', 'remotePort', 'process'],
  observes: S.obj({
    proto: S.enum('tcp', 'tcp6', 'udp', 'udp6'),
    local: S.str,
    localPort: S.num,
    remote: S.str,
    remotePort: S.num,
    state: S.str,
    uid: S.num,
    inode: S.num,
    pid: S.num,
    process: S.str,
  }),
  // Windows: netstat (up to 15 s) then PowerShell Get-Process (up to 25 s, a cold start takes seconds).
  timeoutMs: 45_000,
  async collect(ctx: ProbeContext): Promise<ProbeResult> {
    const { target, signal } = ctx;
    if (target.os.family === 'windows') {
      const w = await windowsConnections(target);
      signal.throwIfAborted();
      return { status: 'ok', observations: w.observations, coverage: w.coverage };
    }
    const coverage: CoverageItem[] = [];
    const endian = endianness();
    const entries: SocketEntry[] = [];
    let readable = 0;
    for (const proto of PROTOS) {
      const path = `/proc/net/${proto}`;
      let text: string;
      try {
        text = await target.readText(path, { maxBytes: 64 << 20 });
      } catch (err) {
        // tcp6/udp6 are absent when IPv6 is disabled: no IPv6 sockets, not a gap.
        if (err instanceof TargetError && err.code === 'E_NOT_FOUND' && proto.endsWith('6')) continue;
        coverage.push({ kind: 'unreadable', path, reason: `${path} could not be read: ${(err as Error).message}`, blocking: true });
        continue;
      }
      readable++;
      entries.push(...parseProcNetSockets(text, proto, endian));
    }
    if (readable === 0) throw new Error('none of /proc/net/tcp, tcp6, udp, udp6 could be read');
    signal.throwIfAborted();

    const conns = publicConnections(entries);
    const wanted = new Set(conns.map((c) => c.inode).filter((i) => i !== 0));
    let scan: OwnerScan = { owners: new Map(), unreadable: 0, scanned: 0 };
    try {
      scan = await socketOwners(target, wanted, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      coverage.push({ kind: 'unreadable', path: '/proc', reason: `process list could not be read: ${(err as Error).message}` });
    }
    const names = new Map<number, string | undefined>();
    for (const pid of new Set(scan.owners.values())) names.set(pid, await comm(target, pid));

    const observations: ConnectionObservation[] = conns.map((c) => {
      const pid = scan.owners.get(c.inode);
      const process = pid !== undefined ? names.get(pid) : undefined;
      return {
        ...endpointFields(c),
        uid: c.uid,
        inode: c.inode,
        ...(pid !== undefined ? { pid } : {}),
        ...(process !== undefined ? { process } : {}),
      };
    });
    const unowned = observations.filter((o) => o.pid === undefined).length;
    if (unowned > 0) {
      coverage.push({
        kind: 'unreadable',
        path: '/proc/*/fd',
        reason:
          scan.unreadable > 0
            ? `the owning process of ${unowned} connection(s) is unknown: ${scan.unreadable} process(es)' open files could not be read (run as root to see them)`
            : `the owning process of ${unowned} connection(s) is unknown (closed meanwhile, or held only by the kernel)`,
      });
    }
    observations.sort(byConnection);
    return { status: 'ok', observations: observations as unknown as Observation[], coverage };
  },
};
