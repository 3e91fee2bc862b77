// network.reachability: parsers on recorded /proc/net files, proxy parsers, params schema — and
// the probe itself, but ONLY inside network namespaces this test creates (see ./_netns.ts):
// every packet goes to the namespace's own addresses; nothing can leave it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProcNetIpv6Route, parseProcNetRoute, type RouteEntry } from '../../../src/checks/network/_proc.js';
import {
  parseAptConf,
  proxiesFromAptConf,
  proxiesFromDconf,
  proxiesFromEnv,
  proxiesFromShellAssignments,
  redactProxyValue,
} from '../../../src/checks/network/_proxy.js';
import {
  aptReadsPart,
  DEFAULT_TARGETS,
  hostHeader,
  outcomeForError,
  reachabilityProbe,
  type TargetObservation,
} from '../../../src/checks/network/reachability.js';
import type { Observation, ProbeOk } from '../../../src/engine/types.js';
import type { Target } from '../../../src/target/types.js';
import { REPO, endScenario, runScenario } from './_netns.js';

const FIX = join(REPO, 'fixtures', 'live', 'proc-net');
const fixture = (dir: string, name: string): string => readFileSync(join(FIX, dir, name), 'utf8');
const pick = (r: RouteEntry) => ({ family: r.family, iface: r.iface, destination: r.destination, gateway: r.gateway, metric: r.metric, default: r.default, reject: r.reject });

describe('/proc/net/route and /proc/net/ipv6_route', () => {
  it('this machine: one IPv4 default route via the gateway', () => {
    const routes = parseProcNetRoute(fixture('host', 'route'));
    expect(routes.map(pick)).toEqual([
      { family: 4, iface: 'eth0', destination: '0.0.0.0/0', gateway: '192.0.2.1', metric: 0, default: true, reject: false },
      { family: 4, iface: 'eth0', destination: '192.0.2.0/24', gateway: null, metric: 0, default: false, reject: false },
    ]);
  });

  it('this machine: IPv6 default via fd00::1; the kernel catch-all reject on lo and local routes are not defaults', () => {
    const routes = parseProcNetIpv6Route(fixture('host', 'ipv6_route'));
    expect(routes.filter((r) => r.default).map(pick)).toEqual([
      { family: 6, iface: 'eth0', destination: '::/0', gateway: 'fd00::1', metric: 1024, default: true, reject: false },
    ]);
    // fd00::2 and fe80::…:1 on eth0 and ::1 on lo are local-table routes (RTF_LOCAL): left out.
    expect(routes.map((r) => r.destination)).toEqual(['fd00::/64', 'fe80::/64', '::/0', 'ff00::/8', '::/0']);
    expect(routes[4]).toMatchObject({ iface: 'lo', reject: true, default: false, metric: 0xffffffff });
  });

  it('namespace recording: default via a veth gateway, blackhole (no device) and unreachable (RTF_REJECT)', () => {
    expect(parseProcNetRoute(fixture('netns', 'route')).map(pick)).toEqual([
      { family: 4, iface: 'bm0', destination: '0.0.0.0/0', gateway: '10.210.0.254', metric: 100, default: true, reject: false },
      { family: 4, iface: '*', destination: '10.201.0.0/24', gateway: null, metric: 0, default: false, reject: false },
      { family: 4, iface: '*', destination: '10.202.0.0/24', gateway: null, metric: 0, default: false, reject: true },
      { family: 4, iface: 'bm0', destination: '10.210.0.0/24', gateway: null, metric: 0, default: false, reject: false },
    ]);
    const v6 = parseProcNetIpv6Route(fixture('netns', 'ipv6_route'));
    expect(v6.filter((r) => r.default).map(pick)).toEqual([
      { family: 6, iface: 'bm0', destination: '::/0', gateway: 'fd00:210::fe', metric: 100, default: true, reject: false },
    ]);
    // An IPv6 route via lo is turned into a reject route by the kernel.
    expect(v6.find((r) => r.destination === '2001:db8::10/128')).toMatchObject({ iface: 'lo', reject: true });
  });

  it('hand-written: two IPv4 defaults (wired and Wi-Fi), an RA default via fe80::1, an unreachable /16', () => {
    const v4 = parseProcNetRoute(fixture('handwritten', 'route'));
    expect(v4.filter((r) => r.default).map((r) => [r.iface, r.gateway, r.metric])).toEqual([
      ['enp3s0', '192.168.1.1', 100],
      ['wlp2s0', '10.0.0.1', 600],
    ]);
    expect(v4.find((r) => r.destination === '169.254.0.0/16')).toMatchObject({ iface: 'enp3s0', metric: 1000, default: false });
    expect(v4.find((r) => r.destination === '10.99.0.0/16')).toMatchObject({ reject: true, default: false });
    const v6 = parseProcNetIpv6Route(fixture('handwritten', 'ipv6_route'));
    expect(v6.filter((r) => r.default).map((r) => [r.iface, r.gateway, r.metric])).toEqual([['enp3s0', 'fe80::1', 100]]);
    expect(v6.map((r) => r.destination)).toEqual(['240e:388:8a00:1::/64', 'fe80::/64', '::/0', 'ff00::/8', '::/0']);
  });

  it('big-endian hosts print IPv4 words the other way round', () => {
    const text = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\tC0A80101\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
    expect(parseProcNetRoute(text, 'BE')[0]).toMatchObject({ gateway: '192.168.1.1', default: true });
  });

  it('garbage lines are skipped, not fatal', () => {
    expect(parseProcNetRoute('Iface\tDestination\nnonsense\n\neth0\tZZ\t00\t0003\t0\t0\t0\t00000000\n')).toEqual([]);
    expect(parseProcNetIpv6Route('short line\n')).toEqual([]);
  });
});

describe('proxy settings', () => {
  it('environment: every case of the usual variables, passwords redacted, no_proxy not active', () => {
    const rows = proxiesFromEnv({ HTTPS_PROXY: 'http://u:pw@proxy.example:3128', http_proxy: 'http://proxy.example:3128/', no_proxy: 'localhost', PATH: '/bin', ALL_PROXY: 'socks5h://10.0.0.9:1080' });
    expect(rows).toEqual([
      { kind: 'proxy', source: 'env', variable: 'ALL_PROXY', value: 'socks5h://10.0.0.9:1080', active: true },
      { kind: 'proxy', source: 'env', variable: 'HTTPS_PROXY', value: 'http://u:***@proxy.example:3128', active: true },
      { kind: 'proxy', source: 'env', variable: 'http_proxy', value: 'http://proxy.example:3128/', active: true },
      { kind: 'proxy', source: 'env', variable: 'no_proxy', value: 'localhost', active: false },
    ]);
  });

  it('/etc/environment and profile scripts', () => {
    const env = '# proxy\nPATH="/usr/local/bin:/usr/bin"\nhttp_proxy="http://10.1.1.1:8080/"\nHTTPS_PROXY=http://10.1.1.1:8080 # office\nno_proxy=\'localhost,.corp\'\n';
    expect(proxiesFromShellAssignments(env, '/etc/environment').map((r) => [r.variable, r.value, r.active])).toEqual([
      ['http_proxy', 'http://10.1.1.1:8080/', true],
      ['HTTPS_PROXY', 'http://10.1.1.1:8080', true],
      ['no_proxy', 'localhost,.corp', false],
    ]);
    const sh = 'export http_proxy=http://user:secret@10.1.1.1:3128; export https_proxy=$http_proxy\n  export FTP_PROXY=""\n# export all_proxy=socks://x\n';
    expect(proxiesFromShellAssignments(sh, '/etc/profile.d/proxy.sh').map((r) => [r.variable, r.value, r.active])).toEqual([
      ['http_proxy', 'http://user:***@10.1.1.1:3128', true],
      ['https_proxy', '$http_proxy', true],
      ['FTP_PROXY', '', false],
    ]);
  });

  it('apt.conf: scoped and nested forms, comments, per-host DIRECT', () => {
    const conf = [
      '// Managed by the unit',
      'Acquire::http::Proxy "http://10.1.1.1:3142";',
      '/* block */ Acquire { https { Proxy "http://10.1.1.1:3142/"; Proxy::mirrors.ustc.edu.cn "DIRECT"; }; };',
      '# Acquire::ftp::Proxy "ftp://x";',
      'APT::Get::Assume-Yes "true";',
    ].join('\n');
    expect(parseAptConf(conf)).toEqual([
      ['Acquire::http::Proxy', 'http://10.1.1.1:3142'],
      ['Acquire::https::Proxy', 'http://10.1.1.1:3142/'],
      ['Acquire::https::Proxy::mirrors.ustc.edu.cn', 'DIRECT'],
      ['APT::Get::Assume-Yes', 'true'],
    ]);
    expect(proxiesFromAptConf(conf, '/etc/apt/apt.conf.d/90proxy').map((r) => [r.variable, r.active])).toEqual([
      ['Acquire::http::Proxy', true],
      ['Acquire::https::Proxy', true],
      ['Acquire::https::Proxy::mirrors.ustc.edu.cn', false],
    ]);
  });

  it('apt part files: the ones apt itself reads', () => {
    expect(['90proxy', '95proxy.conf', 'apt.conf', '01-vendor_ubuntu'].every(aptReadsPart)).toBe(true);
    expect(['90proxy.dpkg-old', '90proxy~', '90proxy.bak', '90proxy.ucf-dist', 'my proxy', '90proxy.disabled'].some(aptReadsPart)).toBe(false);
  });

  it('GNOME dconf keyfile: manual mode makes the hosts active', () => {
    const kf = "[system/proxy]\nmode='manual'\nignore-hosts=['localhost', '127.0.0.0/8']\n\n[system/proxy/http]\nhost='10.1.1.1'\nport=8080\n\n[system/proxy/socks]\nhost='10.1.1.2'\nport=uint32 1080\n";
    expect(proxiesFromDconf(kf, '/etc/dconf/db/local.d').map((r) => [r.variable, r.value, r.active])).toEqual([
      ['system/proxy/mode', 'manual', true],
      ['system/proxy/ignore-hosts', "['localhost', '127.0.0.0/8']", false],
      ['system/proxy/http', '10.1.1.1:8080', true],
      ['system/proxy/socks', '10.1.1.2:1080', true],
    ]);
    expect(proxiesFromDconf("[system/proxy]\nmode='none'\n[system/proxy/http]\nhost='10.1.1.1'\n", 'x').map((r) => r.active)).toEqual([false, false]);
  });

  it('redaction keeps the user, hides the password', () => {
    expect(redactProxyValue('socks5://a:b@h:1')).toBe('socks5://a:***@h:1');
    expect(redactProxyValue('a:b@h:1')).toBe('a:***@h:1');
    expect(redactProxyValue('http://h:3128')).toBe('http://h:3128');
  });
});

describe('params, defaults, small helpers', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const validate = ajv.compile(reachabilityProbe.paramsSchema!);

  it('the params schema compiles in the engine’s strict mode and accepts/rejects what it should', () => {
    expect(validate({})).toBe(true);
    expect(validate({ targets: [{ host: 'www.baidu.com', port: 443 }, { host: '10.0.0.1', port: 80, http: { path: '/x' } }, { host: '::1', port: 1, http: true }], timeoutMs: 2000 })).toBe(true);
    for (const bad of [
      { targets: [] },
      { targets: [{ host: 'a', port: 0 }] },
      { targets: [{ host: 'a', port: 65536 }] },
      { targets: [{ host: 'a', port: 1.5 }] },
      { targets: [{ port: 80 }] },
      { targets: [{ host: 'a', port: 80, http: 'yes' }] },
      { targets: [{ host: 'a', port: 80, http: { path: 'no-slash' } }] },
      { targets: [{ host: 'a b', port: 80 }] },
      { targets: [{ host: 'a', port: 80, extra: 1 }] },
      { timeoutMs: 50 },
      { other: 1 },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('defaults: Chinese resolvers first, all valid, one HTTP target', () => {
    expect(validate({ targets: DEFAULT_TARGETS })).toBe(true);
    // Chinese public resolvers first (the literal addresses live in the probe, not in tests)
    expect(DEFAULT_TARGETS.slice(0, 3).every((t) => /^\d+\.\d+\.\d+\.\d+$/.test(t.host) && t.port === 53)).toBe(true);
    expect(DEFAULT_TARGETS.filter((t) => t.http)).toEqual([{ host: 'www.qq.com', port: 80, http: true }]);
    expect(reachabilityProbe.modes).toEqual(['live']);
  });

  it('error codes map to outcomes', () => {
    expect(outcomeForError('ECONNREFUSED', 'connect')).toBe('refused');
    expect(outcomeForError('ETIMEDOUT', 'connect')).toBe('timeout');
    expect(outcomeForError('ENETUNREACH', 'connect')).toBe('no-route');
    expect(outcomeForError('EHOSTUNREACH', 'connect')).toBe('no-route');
    expect(outcomeForError('EINVAL', 'connect')).toBe('error');
    for (const c of ['ENOTFOUND', 'EAI_AGAIN', 'DNS_TIMEOUT']) expect(outcomeForError(c, 'dns')).toBe('dns-failed');
  });

  it('Host header', () => {
    expect(hostHeader('www.qq.com', 80)).toBe('www.qq.com');
    expect(hostHeader('10.0.0.1', 8080)).toBe('10.0.0.1:8080');
    expect(hostHeader('2400:3200::1', 80)).toBe('[2400:3200::1]');
  });
});

describe('on a live Windows target (loopback only)', () => {
  it('tests the sockets, skips /proc and /etc with a coverage note, default route unknown', async () => {
    // The closed port is on this host's loopback: nothing leaves the machine.
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    const fail = (): never => {
      throw new Error('a Windows target must not be read for /proc');
    };
    const target = { mode: 'live', root: 'C:\\', os: { family: 'windows', detectedFrom: '/Windows/System32/config' }, readText: fail, readFile: fail, readDir: fail, glob: fail } as unknown as Target;
    const res = (await reachabilityProbe.collect(
      { target, signal: new AbortController().signal, log: pino({ level: 'silent' }), options: { profile: 'classified' } },
      { targets: [{ host: '127.0.0.1', port }], timeoutMs: 500 },
    )) as ProbeOk;
    const t = res.observations.find((o) => o['kind'] === 'target');
    expect(t).toMatchObject({ outcome: 'refused', address: '127.0.0.1', error: 'ECONNREFUSED' });
    expect(res.observations.find((o) => o['kind'] === 'summary')).toMatchObject({ reachable: false, defaultRoute: null, targets: 1 });
    expect(res.coverage).toEqual([expect.objectContaining({ kind: 'not-collected' })]);
  });
});

// ---------------------------------------------------------------------------------------------

interface RunnerOut {
  ports: { tcpPort: number; tcp6Port: number; httpPort: number; closedPort: number };
  seenHosts: string[];
  mounted: { etcEnvironment: boolean; aptConfD: boolean };
  phase1: { result?: ProbeOk; rejected?: { message: string }; durationMs: number };
  phase2: { result?: ProbeOk; rejected?: { message: string }; durationMs: number };
  phase3: { result?: ProbeOk; rejected?: { message: string }; durationMs: number };
}

describe('in a network namespace of its own', () => {
  let modDir: string | undefined;
  let out: RunnerOut;
  const targets = (r: ProbeOk | undefined): TargetObservation[] => (r?.observations ?? []).filter((o) => o['kind'] === 'target') as unknown as TargetObservation[];
  const find = (r: ProbeOk | undefined, host: string, port: number, path?: string): TargetObservation | undefined =>
    targets(r).find((t) => t.host === host && t.port === port && t.httpPath === path);
  const kind = (r: ProbeOk | undefined, k: string): Observation[] => (r?.observations ?? []).filter((o) => o['kind'] === k);

  beforeAll(async () => {
    ({ out, modDir } = await runScenario<RunnerOut>('reachability'));
  }, 60_000);

  afterAll(() => endScenario(modDir));

  it('reachable: TCP over IPv4 and IPv6', () => {
    const r = out.phase1.result;
    expect(find(r, '10.200.0.1', out.ports.tcpPort)).toMatchObject({ outcome: 'reachable', address: '10.200.0.1', http: false });
    expect(find(r, '::1', out.ports.tcp6Port)).toMatchObject({ outcome: 'reachable', address: '::1' });
    expect(find(r, '10.200.0.1', out.ports.tcpPort)!.latencyMs).toBeLessThan(1000);
  });

  it('reachable: HTTP by host name (looked up in the namespace’s /etc/hosts) with status and Host header', () => {
    const r = out.phase1.result;
    expect(find(r, 'internet.baomi.test', out.ports.httpPort, '/')).toMatchObject({
      outcome: 'reachable',
      http: true,
      httpStatus: 200,
      address: '10.200.0.1',
      addresses: ['10.200.0.1'],
    });
    expect(find(r, 'internet.baomi.test', out.ports.httpPort, '/')!.dnsMs).toBeTypeOf('number');
    expect(find(r, '10.200.0.1', out.ports.httpPort, '/teapot')).toMatchObject({ outcome: 'reachable', httpStatus: 418 });
    // 200/418 (not 421) already prove the Host header; the server saw exactly these:
    expect(out.seenHosts.sort()).toEqual([`10.200.0.1:${out.ports.httpPort}`, `internet.baomi.test:${out.ports.httpPort}`]);
  });

  it('reachable TCP, but the server never answers HTTP: outcome stays reachable, httpError says why', () => {
    const t = find(out.phase1.result, '10.200.0.1', out.ports.tcpPort, '/');
    expect(t).toMatchObject({ outcome: 'reachable', httpError: 'ETIMEDOUT' });
    expect(t!.httpStatus).toBeUndefined();
  });

  it('refused: a closed port', () => {
    expect(find(out.phase1.result, '10.200.0.1', out.ports.closedPort)).toMatchObject({ outcome: 'refused', error: 'ECONNREFUSED' });
  });

  it('timeout: a SYN looped back to a non-local address with forwarding off is dropped silently', () => {
    const t = find(out.phase1.result, '10.203.0.7', 80);
    expect(t).toMatchObject({ outcome: 'timeout', error: 'ETIMEDOUT' });
    expect(t!.latencyMs).toBeGreaterThanOrEqual(2300);
  });

  it('no-route: no route at all (ENETUNREACH, IPv4 and IPv6) and an unreachable route (EHOSTUNREACH)', () => {
    const r = out.phase1.result;
    expect(find(r, '198.51.100.7', 53)).toMatchObject({ outcome: 'no-route', error: 'ENETUNREACH' });
    expect(find(r, '2001:db8::7', 80)).toMatchObject({ outcome: 'no-route', error: 'ENETUNREACH' });
    expect(find(r, '10.202.0.7', 80)).toMatchObject({ outcome: 'no-route', error: 'EHOSTUNREACH' });
  });

  it('error: a blackhole route fails the connect with its code', () => {
    expect(find(out.phase1.result, '10.201.0.7', 80)).toMatchObject({ outcome: 'error', error: 'EINVAL' });
  });

  it('dns-failed: a .invalid name with only /etc/hosts and a resolver on the namespace’s loopback', () => {
    const t = find(out.phase1.result, 'nonexistent.baomi.invalid', 80);
    expect(t?.outcome).toBe('dns-failed');
    expect(['EAI_AGAIN', 'ENOTFOUND', 'DNS_TIMEOUT']).toContain(t?.error);
    expect(t?.address).toBeUndefined();
  });

  it('summary, and no default route in an empty namespace', () => {
    const r = out.phase1.result;
    expect(kind(r, 'summary')).toEqual([{ kind: 'summary', reachable: true, reachableTargets: 5, targets: 12, dnsResolved: 1, defaultRoute: false, proxy: false }]);
    expect(kind(r, 'route').filter((o) => o['default'] === true)).toEqual([]);
    expect(r?.coverage).toEqual([]);
  });

  it('the whole probe stays within ~3 s (default budget 2500 ms, a target that never answers)', () => {
    expect(out.phase1.rejected).toBeUndefined();
    expect(out.phase1.durationMs).toBeGreaterThanOrEqual(2400);
    expect(out.phase1.durationMs).toBeLessThan(3000);
  });

  it('an aborted signal stops it at once, rejecting with the signal’s reason', () => {
    expect(out.phase2.result).toBeUndefined();
    expect(out.phase2.rejected?.message).toBe('budget over');
    expect(out.phase2.durationMs).toBeLessThan(600);
  });

  it('default routes (IPv4 and IPv6) through a veth gateway; with one, a dropped SYN times out instead of no-route', () => {
    const r = out.phase3.result;
    const defaults = kind(r, 'route').filter((o) => o['default'] === true);
    expect(defaults).toEqual([
      { kind: 'route', family: 4, default: true, iface: 'bm0', gateway: '10.210.0.254', destination: '0.0.0.0/0', metric: 0 },
      { kind: 'route', family: 6, default: true, iface: 'bm0', gateway: 'fd00:210::fe', destination: '::/0', metric: 1024 },
    ]);
    expect(find(r, '198.51.100.7', 53)).toMatchObject({ outcome: 'timeout' });
    expect(out.phase3.durationMs).toBeLessThan(1100);
    expect(kind(r, 'summary')[0]).toMatchObject({ defaultRoute: true, proxy: true, reachable: true });
  });

  it('proxy settings from the environment and the target’s files, passwords redacted', () => {
    const rows = kind(out.phase3.result, 'proxy');
    expect(rows).toContainEqual({ kind: 'proxy', source: 'env', variable: 'HTTPS_PROXY', value: 'http://alice:***@10.200.0.1:3128', active: true });
    expect(rows).toContainEqual({ kind: 'proxy', source: 'env', variable: 'no_proxy', value: 'localhost,127.0.0.1', active: false });
    if (out.mounted.etcEnvironment) {
      expect(rows).toContainEqual({ kind: 'proxy', source: '/etc/environment', variable: 'http_proxy', value: 'http://10.200.0.1:3128/', active: true });
    }
    if (out.mounted.aptConfD) {
      expect(rows).toContainEqual({ kind: 'proxy', source: '/etc/apt/apt.conf.d/95proxy', variable: 'Acquire::http::Proxy', value: 'http://10.200.0.1:3142', active: true });
      expect(rows).toContainEqual({ kind: 'proxy', source: '/etc/apt/apt.conf.d/95proxy', variable: 'Acquire::https::Proxy', value: 'DIRECT', active: false });
    }
    expect(JSON.stringify(out)).not.toContain('s3cret');
  });
});

describe('the development interlock (BAOMI_FORBID_NETNS, set by vitest.config.ts)', () => {
  it('refuses public targets from the namespace the tests started in; loopback alone, or another namespace, is allowed', async () => {
    const { refuseInForbiddenNetns } = await import('../../../src/checks/network/reachability.js');
    const { statSync } = await import('node:fs');
    const here = String(statSync('/proc/self/ns/net').ino);
    expect(process.env['BAOMI_FORBID_NETNS']).toBe(here); // this test process is in the host's namespace
    expect(() => refuseInForbiddenNetns(DEFAULT_TARGETS, { BAOMI_FORBID_NETNS: here })).toThrow(/refusing to send packets/);
    expect(() => refuseInForbiddenNetns([{ host: '127.0.0.1', port: 1 }, { host: '::1', port: 1 }], { BAOMI_FORBID_NETNS: here })).not.toThrow();
    expect(() => refuseInForbiddenNetns(DEFAULT_TARGETS, { BAOMI_FORBID_NETNS: `${here}0` })).not.toThrow();
    expect(() => refuseInForbiddenNetns(DEFAULT_TARGETS, {})).not.toThrow();
  });
});
