// Pure parsers for Linux's /proc/net tables (route, ipv6_route, tcp, tcp6, udp, udp6) and the
// address classification the network probes share. No I/O here: the probes read the files
// through the Target and hand the text in.
//
// Byte order, as the kernel prints it:
// - /proc/net/route, /proc/net/tcp, /proc/net/udp: an IPv4 address is the __be32 printed with
//   %08X as a *native* u32, so on a little-endian CPU (x86, ARM64, LoongArch, mips64el…)
//   `0100007F` is 127.0.0.1.
// - /proc/net/tcp6, /proc/net/udp6: the 16 bytes are printed as four native u32 words, each
//   %08X — so each 4-byte group is reversed on little-endian (`…01000000` ends in ::1).
// - /proc/net/ipv6_route: printed with %pi6, i.e. plain network order, not word-swapped.
// - Ports are %04X of the host-order port: plain hex.

export type Endianness = 'LE' | 'BE';

/** Decode the 8-hex-digit IPv4 of /proc/net/{route,tcp,udp}. */
export function decodeIpv4Hex(hex: string, endian: Endianness = 'LE'): string {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) throw new Error(`bad IPv4 hex: ${hex}`);
  const b = Buffer.from(hex, 'hex');
  if (endian === 'LE') b.reverse();
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** The 16 bytes of the 32-hex-digit IPv6 of /proc/net/{tcp6,udp6} (words byte-swapped on LE). */
export function ipv6BytesFromProcHex(hex: string, endian: Endianness = 'LE'): Buffer {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new Error(`bad IPv6 hex: ${hex}`);
  const b = Buffer.from(hex, 'hex');
  if (endian === 'LE') {
    for (let w = 0; w < 16; w += 4) b.subarray(w, w + 4).reverse();
  }
  return b;
}

/** Format 16 bytes as RFC 5952 text (lower case, longest zero run as `::`, `::ffff:a.b.c.d`). */
export function formatIpv6(b: Uint8Array): string {
  if (b.length !== 16) throw new Error('IPv6 address must be 16 bytes');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  // IPv4-mapped: ::ffff:a.b.c.d
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Decode the IPv6 of /proc/net/{tcp6,udp6}. */
export function decodeIpv6ProcHex(hex: string, endian: Endianness = 'LE'): string {
  return formatIpv6(ipv6BytesFromProcHex(hex, endian));
}

/** Decode the plain (network-order) 32-hex-digit IPv6 of /proc/net/ipv6_route. */
export function decodeIpv6PlainHex(hex: string): string {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new Error(`bad IPv6 hex: ${hex}`);
  return formatIpv6(Buffer.from(hex, 'hex'));
}

// ---------------------------------------------------------------------------------------------
// Address classification

export type AddressScope =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'broadcast'
  | 'unspecified'
  | 'unique-local'
  | 'invalid';

function ipv4Bytes(addr: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (!m) return undefined;
  const b = m.slice(1, 5).map(Number);
  return b.every((x) => x <= 255) ? b : undefined;
}

function classifyIpv4(b: number[]): AddressScope {
  const [a = 0, c = 0, d = 0, e = 0] = b;
  if (a === 0) return 'unspecified'; // 0.0.0.0/8 ("this network")
  if (a === 10) return 'private';
  if (a === 172 && c >= 16 && c <= 31) return 'private';
  if (a === 192 && c === 168) return 'private';
  if (a === 127) return 'loopback';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 100 && c >= 64 && c <= 127) return 'cgnat';
  if (a === 255 && c === 255 && d === 255 && e === 255) return 'broadcast';
  if (a >= 224 && a <= 239) return 'multicast';
  return 'public';
}

/** Parse IPv6 text (with `::` and an optional dotted IPv4 tail) into 16 bytes. */
export function parseIpv6(addr: string): Buffer | undefined {
  let s = addr.trim();
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    // a dotted IPv4 tail (`::ffff:1.2.3.4`) stands for the last two groups
    const v4 = ipv4Bytes(s.slice(lastColon + 1));
    if (!v4) return undefined;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const parts = s.split('::');
  if (parts.length > 2) return undefined;
  const parse = (x: string): number[] | undefined => {
    if (x === '') return [];
    const out: number[] = [];
    for (const g of x.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(parts[0] ?? '');
  const rest = parts.length === 2 ? parse(parts[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length;
  let words: number[];
  if (parts.length === 2) {
    if (given > 7) return undefined;
    words = [...head, ...new Array<number>(8 - given).fill(0), ...rest];
  } else {
    if (given !== 8) return undefined;
    words = head;
  }
  const buf = Buffer.alloc(16);
  words.forEach((w, i) => buf.writeUInt16BE(w, i * 2));
  return buf;
}

function classifyIpv6(b: Buffer): AddressScope {
  if (b.every((x) => x === 0)) return 'unspecified';
  if (b.subarray(0, 15).every((x) => x === 0) && b[15] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d is judged as the IPv4 address it carries.
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return classifyIpv4([b[12]!, b[13]!, b[14]!, b[15]!]);
  }
  const first = b[0]!;
  if (first === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if ((first & 0xfe) === 0xfc) return 'unique-local'; // fc00::/7
  if (first === 0xff) return 'multicast'; // ff00::/8
  return 'public';
}

/** Which kind of address this is (IPv4 or IPv6 text). Anything not `public` stays on-site. */
export function classifyAddress(addr: string): AddressScope {
  const v4 = ipv4Bytes(addr);
  if (v4) return classifyIpv4(v4);
  const v6 = parseIpv6(addr);
  return v6 ? classifyIpv6(v6) : 'invalid';
}

export function isPublicAddress(addr: string): boolean {
  return classifyAddress(addr) === 'public';
}

// ---------------------------------------------------------------------------------------------
// /proc/net/route and /proc/net/ipv6_route

export const RTF_UP = 0x0001;
export const RTF_GATEWAY = 0x0002;
export const RTF_REJECT = 0x0200;
/** ipv6_route: a route of the local table (the host's own addresses). */
export const RTF_LOCAL = 0x80000000;

export interface RouteEntry {
  family: 4 | 6;
  iface: string;
  /** Destination network, CIDR (`0.0.0.0/0`, `::/0` for a default route). */
  destination: string;
  prefixLength: number;
  /** Next hop, or null when the network is directly attached. */
  gateway: string | null;
  metric: number;
  flags: number;
  default: boolean;
  /** Unreachable/prohibit/blackhole (RTF_REJECT): traffic is refused, not sent. */
  reject: boolean;
}

function prefixFromMask(maskBytes: number[]): number {
  let n = 0;
  for (const b of maskBytes) {
    for (let bit = 7; bit >= 0; bit--) {
      if (b & (1 << bit)) n++;
      else return n;
    }
  }
  return n;
}

/** Parse /proc/net/route (IPv4 main table). Unparseable lines are skipped. */
export function parseProcNetRoute(text: string, endian: Endianness = 'LE'): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dst, gw, flagsHex, , , metricDec, maskHex] = f as [string, string, string, string, string, string, string, string];
    if (!/^[0-9A-Fa-f]{8}$/.test(dst) || !/^[0-9A-Fa-f]{8}$/.test(gw) || !/^[0-9A-Fa-f]{8}$/.test(maskHex)) continue;
    const flags = parseInt(flagsHex, 16);
    const destination = decodeIpv4Hex(dst, endian);
    const mask = decodeIpv4Hex(maskHex, endian).split('.').map(Number);
    const prefixLength = prefixFromMask(mask);
    const gateway = flags & RTF_GATEWAY ? decodeIpv4Hex(gw, endian) : null;
    const reject = (flags & RTF_REJECT) !== 0;
    out.push({
      family: 4,
      iface,
      destination: `${destination}/${prefixLength}`,
      prefixLength,
      gateway,
      metric: Number(metricDec) || 0,
      flags,
      default: destination === '0.0.0.0' && prefixLength === 0 && (flags & RTF_UP) !== 0 && !reject,
      reject,
    });
  }
  return out;
}

/**
 * Parse /proc/net/ipv6_route (every table). Routes of the local table (the host's own
 * addresses) are left out; the catch-all reject route the kernel keeps on `lo` is marked
 * `reject` and is never a default route.
 */
export function parseProcNetIpv6Route(text: string): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [dst, dstLen, , , nexthop, metricHex, , , flagsHex, iface] = f as [string, string, string, string, string, string, string, string, string, string];
    if (!/^[0-9a-fA-F]{32}$/.test(dst) || !/^[0-9a-fA-F]{32}$/.test(nexthop)) continue;
    const flags = parseInt(flagsHex, 16) >>> 0;
    if (flags & RTF_LOCAL) continue;
    const prefixLength = parseInt(dstLen, 16);
    const destination = decodeIpv6PlainHex(dst);
    const reject = (flags & RTF_REJECT) !== 0;
    const gw = decodeIpv6PlainHex(nexthop);
    out.push({
      family: 6,
      iface,
      destination: `${destination}/${prefixLength}`,
      prefixLength,
      gateway: flags & RTF_GATEWAY && gw !== '::' ? gw : null,
      metric: parseInt(metricHex, 16) >>> 0,
      flags,
      default: destination === '::' && prefixLength === 0 && (flags & RTF_UP) !== 0 && !reject,
      reject,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// /proc/net/{tcp,tcp6,udp,udp6}

export type SocketProto = 'tcp' | 'tcp6' | 'udp' | 'udp6';

/** include/net/tcp_states.h */
export const TCP_STATES: Readonly<Record<number, string>> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECV',
  0x04: 'FIN_WAIT1',
  0x05: 'FIN_WAIT2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSE',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  0x0c: 'NEW_SYN_RECV',
};

/** One socket's endpoints and state, as /proc/net (Linux) and netstat (Windows) both give them. */
export interface SocketEndpoints {
  proto: SocketProto;
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  /** Numeric state (`st` column; netstat's ESTABLISHED is 0x01 too). */
  st: number;
  state: string;
}

export interface SocketEntry extends SocketEndpoints {
  uid: number;
  inode: number;
}

/** The fields of a connection observation both systems have. */
export function endpointFields(c: SocketEndpoints): Pick<SocketEndpoints, 'proto' | 'local' | 'localPort' | 'remote' | 'remotePort' | 'state'> {
  return { proto: c.proto, local: c.local, localPort: c.localPort, remote: c.remote, remotePort: c.remotePort, state: c.state };
}

/** The order connections are reported in, on both systems (not locale-dependent). */
export function byConnection(a: Omit<SocketEndpoints, 'st'>, b: Omit<SocketEndpoints, 'st'>): number {
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(a.proto, b.proto) || cmp(a.remote, b.remote) || a.remotePort - b.remotePort || a.localPort - b.localPort;
}

function splitHostPort(field: string): [string, number] | undefined {
  const i = field.indexOf(':');
  if (i < 0) return undefined;
  const port = parseInt(field.slice(i + 1), 16);
  if (!Number.isFinite(port) || port < 0 || port > 0xffff) return undefined;
  return [field.slice(0, i), port];
}

/** Parse one of /proc/net/{tcp,tcp6,udp,udp6}. Unparseable lines are skipped. */
export function parseProcNetSockets(text: string, proto: SocketProto, endian: Endianness = 'LE'): SocketEntry[] {
  const v6 = proto.endsWith('6');
  const decode = (h: string): string => (v6 ? decodeIpv6ProcHex(h, endian) : decodeIpv4Hex(h, endian));
  const out: SocketEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
    if (f.length < 10 || !/^\d+:$/.test(f[0]!)) continue;
    const l = splitHostPort(f[1]!);
    const r = splitHostPort(f[2]!);
    if (!l || !r) continue;
    let local: string;
    let remote: string;
    try {
      local = decode(l[0]);
      remote = decode(r[0]);
    } catch {
      continue;
    }
    const st = parseInt(f[3]!, 16);
    const uid = Number(f[7]);
    const inode = Number(f[9]);
    if (!Number.isFinite(st) || !Number.isInteger(inode)) continue;
    out.push({
      proto,
      local,
      localPort: l[1],
      remote,
      remotePort: r[1],
      st,
      state: TCP_STATES[st] ?? `0x${st.toString(16).padStart(2, '0')}`,
      uid: Number.isInteger(uid) ? uid : -1,
      inode,
    });
  }
  return out;
}

/** What the judgement of a connection reads: the state number and the peer (from /proc/net, or netstat on Windows). */
export type ConnectionLike = Pick<SocketEntry, 'st' | 'remote' | 'remotePort'>;

/** Established TCP sessions and connected UDP sockets (state 01 with a peer set). */
export function isConnected(s: ConnectionLike): boolean {
  return s.st === 0x01 && s.remotePort !== 0 && classifyAddress(s.remote) !== 'unspecified';
}

/**
 * Public, established/connected sockets: the one judgement of which connections count, for the
 * /proc/net tables of Linux and netstat's lines of Windows alike.
 */
export function publicConnections<T extends ConnectionLike>(entries: readonly T[]): T[] {
  return entries.filter((e) => isConnected(e) && isPublicAddress(e.remote));
}

/** `socket:[12345]` (a /proc/<pid>/fd link) → 12345. */
export function socketInodeFromLink(link: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : undefined;
}
