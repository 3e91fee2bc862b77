// Probe `network.reachability` — can this machine reach the internet? (涉密计算机不得连接互联网)
//
// Live only: it SENDS PACKETS (a DNS lookup, a TCP handshake, optionally one plain HTTP GET) to
// each target. Developers run it inside an empty network namespace (`unshare -rn -- …`).
//
// For every target of `params.targets` (default: well-known public resolvers and sites, Chinese
// ones first), all in parallel, under one deadline (`params.timeoutMs`, default 2500 ms):
//   1. DNS: node:dns `lookup` (the OS resolver: /etc/hosts, nsswitch, resolv.conf) with its own
//      timeout; an IP literal skips it.
//   2. TCP connect (node:net) to the first IPv4 and the first IPv6 address, in parallel.
//   3. Optional HTTP GET over that connection (node:http, plain, `Host` header): only the
//      status line matters.
// Plus, read through the Target: the routing table (/proc/net/route, /proc/net/ipv6_route) and
// proxy settings (the scanner's environment, /etc/environment, /etc/profile.d/*.sh, apt.conf,
// GNOME system dconf). On a live Windows target the sockets work the same; the /proc and /etc
// parts are skipped with a coverage note.
//
// Observations:
//   {kind: 'target', host, port, http, httpPath?, outcome, latencyMs, address?, addresses?,
//    dnsMs?, httpStatus?, httpError?, error?}
//     outcome: reachable | refused | timeout | no-route | dns-failed | error
//   {kind: 'route', family, default, iface, gateway, destination, metric}
//   {kind: 'proxy', source, variable, value, active}
//   {kind: 'summary', reachable, reachableTargets, targets, dnsResolved, defaultRoute, proxy}
import { statSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { setMaxListeners } from 'node:events';
import { request } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { endianness } from 'node:os';
import { performance } from 'node:perf_hooks';
import { S } from '../../engine/shape.js';
import type { CoverageItem, Observation, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { TargetError, type Target } from '../../target/types.js';
import { parseProcNetIpv6Route, parseProcNetRoute, type RouteEntry } from './_proc.js';
import {
  proxiesFromAptConf,
  proxiesFromDconf,
  proxiesFromEnv,
  proxiesFromShellAssignments,
  type ProxySetting,
} from './_proxy.js';

export interface ReachTarget {
  host: string;
  port: number;
  http?: boolean | { path?: string };
}

export type ReachOutcome = 'reachable' | 'refused' | 'timeout' | 'no-route' | 'dns-failed' | 'error';

export interface TargetObservation {
  kind: 'target';
  host: string;
  port: number;
  http: boolean;
  httpPath?: string;
  outcome: ReachOutcome;
  /** Time of the TCP handshake (or of the failed attempt; of the lookup for `dns-failed`), ms. */
  latencyMs: number;
  /** The address connected to (or tried). */
  address?: string;
  /** Every address the lookup returned (at most 8). */
  addresses?: string[];
  dnsMs?: number;
  httpStatus?: number;
  /** The HTTP request failed after the TCP handshake succeeded (outcome stays `reachable`). */
  httpError?: string;
  /** Error code of the failed step (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, `DNS_TIMEOUT`…). */
  error?: string;
}

export interface RouteObservation {
  kind: 'route';
  family: 4 | 6;
  default: boolean;
  iface: string;
  gateway: string | null;
  destination: string;
  metric: number;
}

export interface SummaryObservation {
  kind: 'summary';
  reachable: boolean;
  reachableTargets: number;
  targets: number;
  /** Host-name targets whose lookup succeeded (a DNS answer is already traffic leaving the machine). */
  dnsResolved: number;
  /** A usable default route (IPv4 or IPv6); null when the routing table could not be read. */
  defaultRoute: boolean | null;
  /** Some proxy setting is active. */
  proxy: boolean;
}

/** Chinese public resolvers and sites first, then international ones. */
/**
 * A development safety interlock: with BAOMI_FORBID_NETNS set (the test runner sets it to its own
 * network namespace's inode, vitest.config.ts), no packet is sent from that namespace — a test that
 * runs a live scan outside `unshare -rn` fails instead of reaching the internet (loopback targets
 * alone are allowed). Unset in real use.
 */
export function refuseInForbiddenNetns(targets: readonly ReachTarget[], env: NodeJS.ProcessEnv = process.env): void {
  const forbidden = env['BAOMI_FORBID_NETNS'];
  if (forbidden === undefined || forbidden === '') return;
  // loopback alone never leaves the machine
  if (targets.every((t) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$|^::1$|^\[::1\]$/.test(t.host))) return;
  let here = 'unknown';
  try {
    here = String(statSync('/proc/self/ns/net').ino);
  } catch {
    // cannot tell where we are: refuse
  }
  if (here === 'unknown' || here === forbidden) {
    throw new Error(`refusing to send packets from network namespace ${here} (BAOMI_FORBID_NETNS): run live scans inside \`unshare -rn\``);
  }
}

export const DEFAULT_TARGETS: readonly ReachTarget[] = [
  { host: '114.114.114.114', port: 53 },
  { host: '223.5.5.5', port: 53 },
  { host: '180.76.76.76', port: 53 },
  { host: 'www.baidu.com', port: 443 },
  { host: 'www.qq.com', port: 80, http: true },
  { host: '2400:3200::1', port: 53 },
  { host: '8.8.8.8', port: 53 },
  { host: '1.1.1.1', port: 443 },
];

export const DEFAULT_TIMEOUT_MS = 2500;

const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    targets: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'port'],
        properties: {
          host: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\s/]+$' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          http: {
            anyOf: [
              { type: 'boolean' },
              {
                type: 'object',
                additionalProperties: false,
                properties: { path: { type: 'string', pattern: '^/[^\\s]*$' } },
              },
            ],
          },
        },
      },
    },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 10_000 },
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Sockets

/** Map a socket / resolver error code to an outcome. */
export function outcomeForError(code: string, stage: 'dns' | 'connect'): ReachOutcome {
  if (stage === 'dns') return 'dns-failed';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'no-route';
    default:
      return 'error';
  }
}

const ms = (t0: number): number => Math.round(performance.now() - t0);

function errCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e?.code === 'string' && e.code !== '' ? e.code : (e?.message ?? String(err));
}

type LookupResult = { ok: true; addresses: string[]; ms: number } | { ok: false; code: string; ms: number };

/** `dns.lookup(all)` raced against a timer and the abort signal (getaddrinfo itself cannot be cancelled). */
export function lookupWithTimeout(host: string, timeoutMs: number, signal: AbortSignal): Promise<LookupResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: LookupResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, code: 'ABORTED', ms: ms(t0) });
    const timer = setTimeout(() => finish({ ok: false, code: 'DNS_TIMEOUT', ms: ms(t0) }), timeoutMs);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    lookup(host, { all: true }).then(
      (rows) => finish(rows.length > 0 ? { ok: true, addresses: rows.map((r) => r.address), ms: ms(t0) } : { ok: false, code: 'ENOTFOUND', ms: ms(t0) }),
      (err: unknown) => finish({ ok: false, code: errCode(err), ms: ms(t0) }),
    );
  });
}

type ConnectResult = { ok: true; socket: Socket; ms: number; address: string } | { ok: false; code: string; ms: number; address: string };

/** One TCP handshake, bounded by `timeoutMs` and the abort signal. */
export function connectWithTimeout(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<ConnectResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const sock = connect({ host: address, port, noDelay: true });
    // Errors after the handshake (a reset while we talk HTTP) must never be unhandled.
    sock.on('error', () => undefined);
    const finish = (r: ConnectResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (!r.ok) sock.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, code: 'ABORTED', ms: ms(t0), address });
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', ms: ms(t0), address }), Math.max(1, timeoutMs));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => finish({ ok: true, socket: sock, ms: ms(t0), address }));
    sock.once('error', (err) => finish({ ok: false, code: errCode(err), ms: ms(t0), address }));
  });
}

/** `Host` header value: IPv6 literals in brackets, the port unless it is 80. */
export function hostHeader(host: string, port: number): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return port === 80 ? h : `${h}:${port}`;
}

type HttpResult = { status: number; ms: number } | { error: string; ms: number };

/** A plain HTTP GET over an already connected socket; resolves on the status line. */
export function httpGetOnSocket(
  socket: Socket,
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HttpResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: HttpResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      socket.destroy();
      resolve(r);
    };
    const req = request({
      createConnection: () => socket,
      host,
      port,
      path,
      method: 'GET',
      setHost: false,
      headers: { Host: hostHeader(host, port), 'User-Agent': 'baomi-reachability', Accept: '*/*', Connection: 'close' },
    });
    const onAbort = (): void => finish({ error: 'ABORTED', ms: ms(t0) });
    const timer = setTimeout(() => finish({ error: 'ETIMEDOUT', ms: ms(t0) }), Math.max(1, timeoutMs));
    req.on('response', (res) => {
      finish({ status: res.statusCode ?? 0, ms: ms(t0) });
      res.destroy();
    });
    req.on('error', (err) => finish({ error: errCode(err), ms: ms(t0) }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

/** First IPv4 and first IPv6 address, in the resolver's order. */
function candidates(addresses: string[]): string[] {
  const v4 = addresses.find((a) => isIP(a) === 4);
  const v6 = addresses.find((a) => isIP(a) === 6);
  return addresses.filter((a) => a === v4 || a === v6);
}

export interface CheckOptions {
  /** `performance.now()` value by which everything must be over. */
  deadline: number;
  dnsTimeoutMs: number;
  signal: AbortSignal;
  /** Shared between targets so a host name is looked up once. */
  lookups?: Map<string, Promise<LookupResult>>;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Check one target: lookup, connect, optional HTTP. Never throws. */
export async function checkTarget(t: ReachTarget, opts: CheckOptions): Promise<TargetObservation> {
  const host = stripBrackets(t.host.trim());
  const httpPath = t.http === undefined || t.http === false ? undefined : t.http === true ? '/' : (t.http.path ?? '/');
  const base: TargetObservation = {
    kind: 'target',
    host,
    port: t.port,
    http: httpPath !== undefined,
    ...(httpPath !== undefined ? { httpPath } : {}),
    outcome: 'error',
    latencyMs: 0,
  };
  const left = (): number => Math.max(1, Math.round(opts.deadline - performance.now()));

  let addresses: string[];
  let dnsMs: number | undefined;
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    const key = host.toLowerCase();
    let p = opts.lookups?.get(key);
    if (p === undefined) {
      p = lookupWithTimeout(host, Math.min(opts.dnsTimeoutMs, left()), opts.signal);
      opts.lookups?.set(key, p);
    }
    const r = await p;
    if (!r.ok) return { ...base, outcome: outcomeForError(r.code, 'dns'), latencyMs: r.ms, dnsMs: r.ms, error: r.code };
    addresses = r.addresses;
    dnsMs = r.ms;
  }
  const tried = candidates(addresses);
  const attempts = await Promise.all(tried.map((a) => connectWithTimeout(a, t.port, left(), opts.signal)));
  const ok = attempts.find((a): a is Extract<ConnectResult, { ok: true }> => a.ok);
  for (const a of attempts) if (a.ok && a !== ok) a.socket.destroy();
  const extra = {
    ...(isIP(host) === 0 ? { addresses: addresses.slice(0, 8) } : {}),
    ...(dnsMs !== undefined ? { dnsMs } : {}),
  };
  if (!ok) {
    const first = attempts[0];
    if (!first) return { ...base, ...extra, error: 'NO_ADDRESS' };
    // Prefer the IPv4 failure unless it is a plain "no route" and the IPv6 one says more.
    const pick = attempts.find((a) => outcomeForError(!a.ok ? a.code : '', 'connect') !== 'no-route') ?? first;
    const code = !pick.ok ? pick.code : 'ERROR';
    return { ...base, ...extra, outcome: outcomeForError(code, 'connect'), latencyMs: pick.ms, address: pick.address, error: code };
  }
  const obs: TargetObservation = { ...base, ...extra, outcome: 'reachable', latencyMs: ok.ms, address: ok.address };
  if (httpPath === undefined) {
    ok.socket.destroy();
    return obs;
  }
  const h = await httpGetOnSocket(ok.socket, host, t.port, httpPath, left(), opts.signal);
  return 'status' in h ? { ...obs, httpStatus: h.status } : { ...obs, httpError: h.error };
}

// ---------------------------------------------------------------------------------------------
// Routes and proxies, read through the Target

async function readOptional(target: Target, path: string, coverage: CoverageItem[]): Promise<string | undefined> {
  try {
    return await target.readText(path, { maxBytes: 4 << 20 });
  } catch (err) {
    if (err instanceof TargetError && (err.code === 'E_NOT_FOUND' || err.code === 'E_IS_DIR')) return undefined;
    coverage.push({ kind: 'unreadable', path, reason: `${path} could not be read: ${(err as Error).message}` });
    return undefined;
  }
}

/** Default routes and other routes of the main tables; null when /proc/net/route is unreadable. */
export async function readRoutes(target: Target, coverage: CoverageItem[]): Promise<RouteEntry[] | null> {
  const endian = endianness();
  const v4 = await readOptional(target, '/proc/net/route', coverage);
  if (v4 === undefined) {
    if (!coverage.some((c) => c.path === '/proc/net/route')) {
      coverage.push({ kind: 'unreadable', path: '/proc/net/route', reason: '/proc/net/route is missing: the default route is unknown' });
    }
    return null;
  }
  const routes = parseProcNetRoute(v4, endian);
  // Missing when IPv6 is disabled in the kernel: then there is no IPv6 route, not a gap.
  const v6 = await readOptional(target, '/proc/net/ipv6_route', coverage);
  if (v6 !== undefined) routes.push(...parseProcNetIpv6Route(v6));
  return routes;
}

async function globSorted(target: Target, pattern: string): Promise<string[]> {
  try {
    return (await target.glob(pattern)).sort();
  } catch {
    return [];
  }
}

/** apt reads a part file only with a plain name, and silently skips backups (Dir::Ignore-Files-Silently). */
export function aptReadsPart(name: string): boolean {
  if (name === 'apt.conf') return true;
  return /^[A-Za-z0-9_.-]+$/.test(name) && !/(~|\.disabled|\.bak|\.dpkg-[a-z]+|\.ucf-[a-z]+|\.save|\.orig|\.distUpgrade)$/.test(name);
}

/** System-wide proxy settings stored on a Linux target. */
export async function readSystemProxies(target: Target, coverage: CoverageItem[], signal: AbortSignal): Promise<ProxySetting[]> {
  const out: ProxySetting[] = [];
  const shellFiles = ['/etc/environment', ...(await globSorted(target, '/etc/profile.d/*.sh'))];
  for (const p of shellFiles) {
    signal.throwIfAborted();
    const text = await readOptional(target, p, coverage);
    if (text !== undefined) out.push(...proxiesFromShellAssignments(text, p));
  }
  const aptFiles = ['/etc/apt/apt.conf', ...(await globSorted(target, '/etc/apt/apt.conf.d/*'))];
  for (const p of aptFiles) {
    signal.throwIfAborted();
    if (!aptReadsPart(p.slice(p.lastIndexOf('/') + 1))) continue;
    const text = await readOptional(target, p, coverage);
    if (text !== undefined) out.push(...proxiesFromAptConf(text, p));
  }
  // GNOME: the keyfiles of each system dconf database are merged in name order.
  for (const dir of await globSorted(target, '/etc/dconf/db/*.d')) {
    signal.throwIfAborted();
    const parts: string[] = [];
    let files: string[] = [];
    try {
      files = (await target.readDir(dir)).filter((e) => e.kind === 'file').map((e) => `${dir}/${e.name}`);
    } catch {
      // unreadable database folder: nothing to merge
    }
    for (const f of files) {
      const text = await readOptional(target, f, coverage);
      if (text !== undefined) parts.push(text);
    }
    if (parts.length > 0) out.push(...proxiesFromDconf(parts.join('\n'), dir));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function routeObservation(r: RouteEntry): RouteObservation {
  return { kind: 'route', family: r.family, default: r.default, iface: r.iface, gateway: r.gateway, destination: r.destination, metric: r.metric };
}

function parseTargets(params: Record<string, unknown>): ReachTarget[] {
  const raw = params['targets'];
  if (raw === undefined) return [...DEFAULT_TARGETS];
  if (!Array.isArray(raw)) throw new Error('params.targets must be an array');
  return raw.map((t, i) => {
    const o = t as Partial<ReachTarget> | null;
    if (!o || typeof o.host !== 'string' || typeof o.port !== 'number' || !Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
      throw new Error(`params.targets[${i}] needs a host (string) and a port (1-65535)`);
    }
    return { host: o.host, port: o.port, ...(o.http !== undefined ? { http: o.http } : {}) };
  });
}

export const reachabilityProbe: Probe = {
  id: 'network.reachability',
  description: 'Internet reachability: DNS, TCP and HTTP to well-known public hosts; default route; proxy settings.',
  platforms: ['linux', 'windows'],
  modes: ['live'],
  paramsSchema,
  identity: ['kind', 'host', 'port', 'family', 'iface', 'destination', 'source', 'variable'],
  // One shape for the four kinds (target, route, proxy, summary), each filling its own fields.
  observes: S.obj({
    kind: S.enum('target', 'route', 'proxy', 'summary'),
    host: S.str,
    port: S.num,
    http: S.bool,
    httpPath: S.str,
    outcome: S.enum('reachable', 'refused', 'timeout', 'no-route', 'dns-failed', 'error'),
    latencyMs: S.num,
    address: S.str,
    addresses: S.strs,
    dnsMs: S.num,
    httpStatus: S.num,
    httpError: S.str,
    error: S.str,
    family: S.num,
    default: S.bool,
    iface: S.str,
    gateway: S.str,
    destination: S.str,
    metric: S.num,
    source: S.str,
    variable: S.str,
    value: S.str,
    active: S.bool,
    reachable: S.bool,
    reachableTargets: S.num,
    targets: S.num,
    dnsResolved: S.num,
    defaultRoute: S.bool,
    proxy: S.bool,
  }),
  timeoutMs: 12_000,
  async collect(ctx: ProbeContext, params: Record<string, unknown>): Promise<ProbeResult> {
    const { target, signal } = ctx;
    const targets = parseTargets(params);
    refuseInForbiddenNetns(targets);
    const budget = typeof params['timeoutMs'] === 'number' ? params['timeoutMs'] : DEFAULT_TIMEOUT_MS;
    const coverage: CoverageItem[] = [];
    const observations: Observation[] = [];

    // Files first (a few ms): a hung getaddrinfo holds a libuv thread, which the reads need too.
    let routes: RouteEntry[] | null = null;
    const proxies: ProxySetting[] = proxiesFromEnv(process.env);
    if (target.os.family === 'linux') {
      routes = await readRoutes(target, coverage);
      proxies.push(...(await readSystemProxies(target, coverage, signal)));
    } else {
      coverage.push({
        kind: 'not-collected',
        reason: `routing table and system proxy settings are only read on Linux targets (this one is ${target.os.family}); internet reachability itself was tested`,
      });
    }
    signal.throwIfAborted();

    // One listener on the engine's signal, fanned out to the (many) sockets through our own.
    const inner = new AbortController();
    setMaxListeners(Math.max(10, targets.length * 4), inner.signal);
    const onAbort = (): void => inner.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    const opts: CheckOptions = {
      deadline: started + budget,
      dnsTimeoutMs: Math.min(1500, Math.round(budget / 2)),
      signal: inner.signal,
      lookups: new Map<string, Promise<LookupResult>>(),
    };
    let results: TargetObservation[];
    try {
      results = await Promise.all(targets.map((t) => checkTarget(t, opts)));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    signal.throwIfAborted();
    for (const r of results) ctx.log.debug({ host: r.host, port: r.port, outcome: r.outcome, latencyMs: r.latencyMs, error: r.error }, 'reachability target');

    observations.push(...(results as unknown as Observation[]));
    // Reject routes carry no traffic; fe80::/64 and ff00::/8 exist on every IPv6 interface.
    const shown = (routes ?? []).filter((r) => !r.reject && !(r.family === 6 && /^(fe80::|ff00::)\/(64|8)$/.test(r.destination)));
    observations.push(...(shown.map(routeObservation) as unknown as Observation[]));
    observations.push(...(proxies as unknown as Observation[]));
    const reachableTargets = results.filter((r) => r.outcome === 'reachable').length;
    const summary: SummaryObservation = {
      kind: 'summary',
      reachable: reachableTargets > 0,
      reachableTargets,
      targets: results.length,
      dnsResolved: results.filter((r) => r.addresses !== undefined).length,
      defaultRoute: routes ? routes.some((r) => r.default) : null,
      proxy: proxies.some((p) => p.active),
    };
    observations.push(summary as unknown as Observation);
    return { status: 'ok', observations, coverage };
  },
};
