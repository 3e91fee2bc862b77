// Runs INSIDE a fresh, empty network + mount namespace (`unshare -rnm -- node _netns-runner.mjs CONFIG`),
// started by ./_netns.ts. It refuses to run anywhere else: the namespace must have only `lo` when
// it starts and must not be the namespace of the test process, so nothing it sends can leave it.
//
// It builds a tiny "internet" from the namespace's own addresses, runs the probe (transpiled from
// src/ by the test into config.modDir) and prints one JSON document on stdout.
//
// Scenarios:
//   reachability — servers on 10.200.0.1 (on lo) and ::1; sinks for every outcome; three phases
//                  (outcomes + duration, abort, default route + proxies).
//   connections  — public-looking (documentation-range) addresses on lo, live TCP/UDP sockets,
//                  then network.connections; optionally copies /proc/net/* to config.dumpDir.
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(process.argv[2] ?? '{}');
const cleanups = [];

function fail(msg) {
  process.stderr.write(`netns-runner: ${msg}\n`);
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {
      // best effort
    }
  }
  process.exit(2);
}

function sh(cmd, ...args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    fail(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

/** Interfaces of THIS network namespace (/proc/net is per namespace; /sys/class/net is not). */
function interfaces() {
  return readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]?.trim())
    .filter((n) => n);
}

// --- Isolation checks: before anything is sent ------------------------------------------------
if (typeof config.parentNetns !== 'string' || readlinkSync('/proc/self/ns/net') === config.parentNetns) {
  fail('not in a new network namespace: refusing to run (start me with unshare -rnm)');
}
if (typeof config.parentMntns !== 'string' || readlinkSync('/proc/self/ns/mnt') === config.parentMntns) {
  fail('not in a new mount namespace: refusing to bind-mount resolver files (start me with unshare -rnm)');
}
const initial = interfaces();
if (initial.length !== 1 || initial[0] !== 'lo') fail(`the namespace is not empty: ${initial.join(', ')}`);

// --- Resolver: nothing but /etc/hosts and a "DNS server" on the namespace's own loopback -----
const work = mkdtempSync(join(tmpdir(), 'baomi-netns-'));
cleanups.push(() => rmSync(work, { recursive: true, force: true }));
function bindFile(target, content) {
  if (!existsSync(target)) return false;
  const src = join(work, target.replace(/\//g, '_'));
  writeFileSync(src, content);
  sh('mount', '--bind', src, target); // private mount namespace: the host never sees it
  return true;
}
bindFile('/etc/resolv.conf', 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
bindFile('/etc/hosts', '127.0.0.1 localhost\n::1 localhost\n10.200.0.1 internet.baomi.test\n');
bindFile('/etc/nsswitch.conf', 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n');
for (const d of ['/run/nscd', '/var/run/nscd']) {
  // glibc asks a running nscd (over a unix socket, outside any network namespace) first: hide it.
  if (existsSync(d)) sh('mount', '-t', 'tmpfs', 'tmpfs', realpathSync(d));
}
const resolv = existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : '';
const servers = [...resolv.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
if (servers.some((s) => s !== '127.0.0.1')) fail(`resolv.conf still names ${servers.join(', ')}`);

// --- The namespace's own network ------------------------------------------------------------
sh('ip', 'link', 'set', 'lo', 'up');
writeFileSync('/proc/sys/net/ipv4/ip_forward', '0'); // packets for non-local addresses are dropped

async function loadModules() {
  const m = (p) => import(pathToFileURL(join(config.modDir, p)).href);
  const [{ FsTarget }, reach, conns] = await Promise.all([
    m('target/fs-target.js'),
    m('checks/network/reachability.js'),
    m('checks/network/connections.js'),
  ]);
  return { FsTarget, reach, conns };
}

const silentLog = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  trace() {},
  fatal() {},
  child() {
    return silentLog;
  },
};

function listen(server, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => resolve(server.address().port));
  });
}

async function freePort(host) {
  const s = createServer();
  const port = await listen(s, host);
  await new Promise((r) => s.close(r));
  return port; // nothing else runs in this namespace: it stays free
}

async function runProbe(probe, target, params, signal) {
  const t0 = performance.now();
  try {
    const result = await probe.collect(
      { target, signal: signal ?? new AbortController().signal, log: silentLog, options: { profile: 'classified' } },
      params,
    );
    return { result, durationMs: Math.round(performance.now() - t0) };
  } catch (err) {
    return { rejected: { name: err?.name, message: err?.message, reason: String(err) }, durationMs: Math.round(performance.now() - t0) };
  }
}

async function reachability() {
  const { FsTarget, reach } = await loadModules();
  sh('ip', 'addr', 'add', '10.200.0.1/24', 'dev', 'lo'); // "the internet" host
  sh('ip', 'route', 'add', '10.203.0.0/24', 'dev', 'lo'); // sink: looped back, not local, not forwarded → silently dropped
  sh('ip', 'route', 'add', 'unreachable', '10.202.0.0/24'); // → EHOSTUNREACH
  sh('ip', 'route', 'add', 'blackhole', '10.201.0.0/24'); // → EINVAL on connect

  // A TCP server that accepts and never speaks; an HTTP server that checks the Host header.
  const silent = createServer((s) => s.on('error', () => {}));
  const tcpPort = await listen(silent, '10.200.0.1');
  const silent6 = createServer((s) => s.on('error', () => {}));
  const tcp6Port = await listen(silent6, '::1');
  let httpPort = 0;
  const seenHosts = [];
  const web = createHttpServer((req, res) => {
    seenHosts.push(req.headers.host);
    const okHost = req.headers.host === `internet.baomi.test:${httpPort}` || req.headers.host === `10.200.0.1:${httpPort}`;
    res.statusCode = !okHost ? 421 : req.url === '/teapot' ? 418 : 200;
    res.end('ok\n');
  });
  httpPort = await listen(web, '10.200.0.1');
  const closedPort = await freePort('10.200.0.1');

  const target = await FsTarget.open('live', '/');
  const targets = [
    { host: '10.200.0.1', port: tcpPort },
    { host: '::1', port: tcp6Port },
    { host: 'internet.baomi.test', port: httpPort, http: { path: '/' } },
    { host: '10.200.0.1', port: httpPort, http: { path: '/teapot' } },
    { host: '10.200.0.1', port: tcpPort, http: true },
    { host: '10.200.0.1', port: closedPort },
    { host: '10.203.0.7', port: 80 },
    { host: '198.51.100.7', port: 53 },
    { host: '10.202.0.7', port: 80 },
    { host: '2001:db8::7', port: 80 },
    { host: '10.201.0.7', port: 80 },
    { host: 'nonexistent.baomi.invalid', port: 80 },
  ];
  const phase1 = await runProbe(reach.reachabilityProbe, target, { targets });

  // Abort: the budget is 2500 ms, the signal fires at 300 ms.
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('budget over')), 300);
  const phase2 = await runProbe(reach.reachabilityProbe, target, { targets: [{ host: '10.203.0.8', port: 80 }, { host: 'internet.baomi.test', port: closedPort }] }, ac.signal);

  // Default routes through a veth pair whose both ends live here (the peer answers nothing),
  // and proxy settings in the environment and /etc/environment, /etc/apt/apt.conf.d.
  sh('ip', 'link', 'add', 'bm0', 'type', 'veth', 'peer', 'name', 'bm1');
  sh('ip', 'addr', 'add', '10.210.0.1/24', 'dev', 'bm0');
  sh('ip', 'link', 'set', 'bm0', 'up');
  sh('ip', 'link', 'set', 'bm1', 'up');
  sh('ip', 'route', 'add', 'default', 'via', '10.210.0.254', 'dev', 'bm0');
  sh('ip', '-6', 'addr', 'add', 'fd00:210::1/64', 'dev', 'bm0', 'nodad');
  sh('ip', '-6', 'route', 'add', 'default', 'via', 'fd00:210::fe', 'dev', 'bm0');
  process.env['HTTPS_PROXY'] = 'http://alice:s3cret@10.200.0.1:3128';
  process.env['no_proxy'] = 'localhost,127.0.0.1';
  const etcEnvironment = bindFile('/etc/environment', 'PATH="/usr/bin:/bin"\nhttp_proxy="http://10.200.0.1:3128/"\n');
  let aptConfD = false;
  if (existsSync('/etc/apt/apt.conf.d')) {
    const d = join(work, 'apt.conf.d');
    mkdirSync(d);
    writeFileSync(join(d, '95proxy'), '// set by the test\nAcquire::http::Proxy "http://10.200.0.1:3142";\nAcquire::https::Proxy "DIRECT";\n');
    sh('mount', '--bind', d, '/etc/apt/apt.conf.d');
    aptConfD = true;
  }
  const phase3 = await runProbe(reach.reachabilityProbe, target, {
    targets: [
      { host: '10.200.0.1', port: tcpPort },
      { host: '198.51.100.7', port: 53 },
    ],
    timeoutMs: 600,
  });

  for (const s of [silent, silent6, web]) s.close();
  return { ports: { tcpPort, tcp6Port, httpPort, closedPort }, seenHosts, mounted: { etcEnvironment, aptConfD }, phase1, phase2, phase3 };
}

function connectTcp(host, port) {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s));
    s.once('error', reject);
  });
}

function udpConnected(type, host, port) {
  return new Promise((resolve, reject) => {
    const s = createSocket(type);
    s.once('error', reject);
    s.connect(port, host, () => resolve(s)); // connect() on UDP sends nothing
  });
}

async function connections() {
  const { FsTarget, conns } = await loadModules();
  process.title = 'baomi-nettest'; // becomes /proc/self/comm
  sh('ip', 'addr', 'add', '10.200.0.1/24', 'dev', 'lo'); // private
  sh('ip', 'addr', 'add', '198.51.100.10/32', 'dev', 'lo'); // documentation ranges: "public" to the classifier
  sh('ip', 'addr', 'add', '203.0.113.20/32', 'dev', 'lo');
  sh('ip', '-6', 'addr', 'add', '2001:db8::10/128', 'dev', 'lo');
  if (config.dumpDir) {
    // A realistic routing table for the recorded route files.
    sh('ip', 'link', 'add', 'bm0', 'type', 'veth', 'peer', 'name', 'bm1');
    sh('ip', 'addr', 'add', '10.210.0.1/24', 'dev', 'bm0');
    sh('ip', 'link', 'set', 'bm0', 'up');
    sh('ip', 'link', 'set', 'bm1', 'up');
    sh('ip', 'route', 'add', 'default', 'via', '10.210.0.254', 'dev', 'bm0', 'metric', '100');
    sh('ip', 'route', 'add', 'unreachable', '10.202.0.0/24');
    sh('ip', 'route', 'add', 'blackhole', '10.201.0.0/24');
    sh('ip', '-6', 'addr', 'add', 'fd00:210::1/64', 'dev', 'bm0', 'nodad');
    sh('ip', '-6', 'route', 'add', 'default', 'via', 'fd00:210::fe', 'dev', 'bm0', 'metric', '100');
  }
  const server = createServer((s) => s.on('error', () => {}));
  const port = await listen(server, '::'); // dual stack: IPv4 peers appear as ::ffff:a.b.c.d in tcp6
  const pub4 = await connectTcp('198.51.100.10', port);
  const pub6 = await connectTcp('2001:db8::10', port);
  const loop = await connectTcp('127.0.0.1', port);
  const priv = await connectTcp('10.200.0.1', port);
  const udp4 = await udpConnected('udp4', '203.0.113.20', 53);
  const udp6 = await udpConnected('udp6', '2001:db8::10', 5353);
  const unconnected = createSocket('udp4');
  await new Promise((r) => unconnected.bind(0, '0.0.0.0', r));
  await new Promise((r) => setTimeout(r, 50));
  if (config.dumpDir) {
    mkdirSync(config.dumpDir, { recursive: true });
    for (const f of ['tcp', 'tcp6', 'udp', 'udp6', 'route', 'ipv6_route']) {
      writeFileSync(join(config.dumpDir, f), readFileSync(`/proc/net/${f}`)); // copyFile sees size 0
    }
  }
  const target = await FsTarget.open('live', '/');
  const run = await runProbe(conns.connectionsProbe, target, {});
  const info = {
    pid: process.pid,
    comm: readFileSync('/proc/self/comm', 'utf8').trim(),
    serverPort: port,
    clients: {
      pub4: pub4.localPort,
      pub6: pub6.localPort,
      loop: loop.localPort,
      priv: priv.localPort,
      udp4: udp4.address().port,
      udp6: udp6.address().port,
      unconnected: unconnected.address().port,
    },
  };
  for (const s of [pub4, pub6, loop, priv]) s.destroy();
  for (const s of [udp4, udp6, unconnected]) s.close();
  server.close();
  return { ...info, run };
}

try {
  const out = config.scenario === 'reachability' ? await reachability() : config.scenario === 'connections' ? await connections() : fail(`unknown scenario ${config.scenario}`);
  process.stdout.write(JSON.stringify(out));
} catch (err) {
  fail(err?.stack ?? String(err));
} finally {
  for (const c of cleanups.reverse()) c();
}
process.exit(0);
