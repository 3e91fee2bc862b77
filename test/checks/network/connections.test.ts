// network.connections: hex decoding and address classes, parsers on recorded /proc/net files,
// the probe on a fake /proc tree, and live inside a network namespace this test creates.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyAddress,
  decodeIpv4Hex,
  decodeIpv6PlainHex,
  decodeIpv6ProcHex,
  formatIpv6,
  isConnected,
  parseIpv6,
  parseProcNetSockets,
  socketInodeFromLink,
  type SocketProto,
} from '../../../src/checks/network/_proc.js';
import { connectionsProbe, publicConnections, type ConnectionObservation } from '../../../src/checks/network/connections.js';
import type { ProbeOk } from '../../../src/engine/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { TargetError, type Target } from '../../../src/target/types.js';
import { REPO, endScenario, runScenario } from './_netns.js';

const FIX = join(REPO, 'fixtures', 'live', 'proc-net');
const PROTOS: SocketProto[] = ['tcp', 'tcp6', 'udp', 'udp6'];
const read = (dir: string, name: string): Promise<string> => readFile(join(FIX, dir, name), 'utf8');
const allOf = async (dir: string) => (await Promise.all(PROTOS.map(async (p) => parseProcNetSockets(await read(dir, p), p)))).flat();
const brief = (e: { proto: string; remote: string; remotePort: number; inode: number }) => `${e.proto} ${e.remote}:${e.remotePort} #${e.inode}`;

describe('hex addresses as the kernel prints them', () => {
  it('IPv4: native-endian u32 of the network-order address', () => {
    expect(decodeIpv4Hex('0100007F')).toBe('127.0.0.1');
    expect(decodeIpv4Hex('947100CB')).toBe('203.0.113.148');
    expect(decodeIpv4Hex('7F000001', 'BE')).toBe('127.0.0.1');
    expect(() => decodeIpv4Hex('7F00001')).toThrow();
  });

  it('IPv6 of tcp6/udp6: each of the four words byte-swapped', () => {
    expect(decodeIpv6ProcHex('00000000000000000000000001000000')).toBe('::1');
    expect(decodeIpv6ProcHex('B80D0120000000000000000010000000')).toBe('2001:db8::10');
    expect(decodeIpv6ProcHex('B80D0120000000000000000053000000')).toBe('2001:db8::53');
    expect(decodeIpv6ProcHex('0000000000000000FFFF0000056433C6')).toBe('::ffff:198.51.100.5');
    expect(decodeIpv6ProcHex('000080FE00000000FF3C2B1A6F5E4DFE')).toBe('fe80::1a2b:3cff:fe4d:5e6f');
    expect(decodeIpv6ProcHex('20010DB8000000000000000000000010', 'BE')).toBe('2001:db8::10');
  });

  it('IPv6 of ipv6_route: plain network order', () => {
    expect(decodeIpv6PlainHex('fd000000000000000000000000000001')).toBe('fd00::1');
    expect(decodeIpv6PlainHex('00000000000000000000000000000000')).toBe('::');
  });

  it('RFC 5952 text: longest zero run, first of equals, no single-group ::', () => {
    const b = (s: string) => parseIpv6(s)!;
    expect(formatIpv6(b('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(b('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1');
    expect(formatIpv6(b('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(b('::ffff:203.0.113.4'))).toBe('::ffff:203.0.113.4');
    expect(formatIpv6(b('fe80::'))).toBe('fe80::');
    expect(parseIpv6('1::2::3')).toBeUndefined();
    expect(parseIpv6('12345::')).toBeUndefined();
  });
});

describe('address classes', () => {
  it.each([
    ['198.51.100.8', 'public'],
    ['203.0.113.114', 'public'],
    ['172.32.0.1', 'public'],
    ['172.15.255.255', 'public'],
    ['100.128.0.1', 'public'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.53', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['2001:db8::53', 'public'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'public'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::9', 'unique-local'],
    ['ff02::fb', 'multicast'],
    ['::ffff:198.51.100.5', 'public'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
    ['not an address', 'invalid'],
    ['256.1.1.1', 'invalid'],
  ])('%s is %s', (addr, scope) => {
    expect(classifyAddress(addr)).toBe(scope);
  });
});

describe('/proc/net/{tcp,tcp6,udp,udp6}', () => {
  it('this machine: one listener, nothing connected', async () => {
    const all = await allOf('host');
    expect(all).toEqual([
      { proto: 'tcp', local: '0.0.0.0', localPort: 2024, remote: '0.0.0.0', remotePort: 0, st: 10, state: 'LISTEN', uid: 0, inode: 141 },
    ]);
    expect(publicConnections(all)).toEqual([]);
  });

  it('namespace recording: IPv4, IPv6 and IPv4-mapped sessions, connected and unconnected UDP', async () => {
    const all = await allOf('netns');
    expect(all.map((e) => `${e.proto} ${e.local}:${e.localPort} ${e.remote}:${e.remotePort} ${e.state}`)).toEqual([
      'tcp 198.51.100.10:43756 198.51.100.10:33589 ESTABLISHED',
      'tcp 10.200.0.1:37194 10.200.0.1:33589 ESTABLISHED',
      'tcp 127.0.0.1:35146 127.0.0.1:33589 ESTABLISHED',
      'tcp6 :::33589 :::0 LISTEN',
      'tcp6 2001:db8::10:33589 2001:db8::10:50948 ESTABLISHED',
      'tcp6 ::ffff:127.0.0.1:33589 ::ffff:127.0.0.1:35146 ESTABLISHED',
      'tcp6 ::ffff:198.51.100.10:33589 ::ffff:198.51.100.10:43756 ESTABLISHED',
      'tcp6 ::ffff:10.200.0.1:33589 ::ffff:10.200.0.1:37194 ESTABLISHED',
      'tcp6 2001:db8::10:50948 2001:db8::10:33589 ESTABLISHED',
      'udp 0.0.0.0:37107 0.0.0.0:0 CLOSE',
      'udp 203.0.113.20:37918 203.0.113.20:53 ESTABLISHED',
      'udp6 2001:db8::10:58417 2001:db8::10:5353 ESTABLISHED',
    ]);
    // Documentation ranges are not in the private list: they count as public here (by design of the test).
    expect(publicConnections(all).map(brief)).toEqual([
      'tcp 198.51.100.10:33589 #72693',
      'tcp6 2001:db8::10:50948 #72696',
      'tcp6 ::ffff:198.51.100.10:43756 #72694',
      'tcp6 2001:db8::10:33589 #72695',
      'udp 203.0.113.20:53 #72701',
      'udp6 2001:db8::10:5353 #72702',
    ]);
  });

  it('hand-written: only established/connected sockets to public peers are kept', async () => {
    const all = await allOf('handwritten');
    expect(all).toHaveLength(26);
    expect(publicConnections(all).map(brief)).toEqual([
      'tcp 203.0.113.148:443 #48211',
      'tcp 203.0.113.114:53 #48230',
      'tcp 172.32.0.1:8443 #48233',
      'tcp6 2001:db8::53:53 #48300',
      'tcp6 ::ffff:198.51.100.5:443 #48301',
      'udp 198.51.100.5:53 #48400',
      'udp6 2001:db8::8888:53 #48500',
    ]);
    // Left out: LISTEN, SYN_SENT 203.0.113.1, CLOSE_WAIT 198.51.100.8, TIME_WAIT; 172.20/12, CGNAT,
    // 169.254.169.254, ::ffff:10.1.2.3, fe80::1, fd12:3456::9, ::1, mDNS multicast, broadcast, 192.168.1.1.
    const tw = all.find((e) => e.state === 'TIME_WAIT')!;
    expect(tw).toMatchObject({ local: '192.0.2.2', localPort: 34580, remote: '203.0.113.80', remotePort: 80, inode: 0 });
    expect(isConnected(tw)).toBe(false);
    expect(all.find((e) => e.inode === 48211)).toMatchObject({ local: '192.168.1.23', localPort: 50312, uid: 1000 });
  });

  it('header and garbage lines are skipped', () => {
    expect(parseProcNetSockets('  sl  local_address\n   0: ZZ:0035 00000000:0000 0A 0 0 0 0 0 1\n   1: 0100007F\n\n', 'tcp')).toEqual([]);
  });

  it('socket links', () => {
    expect(socketInodeFromLink('socket:[72693]')).toBe(72693);
    expect(socketInodeFromLink('pipe:[72693]')).toBeUndefined();
    expect(socketInodeFromLink('/dev/null')).toBeUndefined();
  });
});

describe('the probe on a recorded /proc tree', () => {
  let base: string;
  let target: Target;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'baomi-conn-'));
    await mkdir(join(base, 'etc'), { recursive: true });
    await writeFile(join(base, 'etc', 'os-release'), 'ID=debian\n');
    await mkdir(join(base, 'proc', 'net'), { recursive: true });
    for (const p of PROTOS) await writeFile(join(base, 'proc', 'net', p), await read('handwritten', p));
    // pid 1234 (firefox-esr) holds the Baidu session twice (fd 40 and a dup, fd 41) and the DNS socket;
    // pid 4321 shares the Baidu one after a fork; pid 77's fds are not readable.
    const proc = async (pid: number, comm: string, fds: Record<string, string>) => {
      await mkdir(join(base, 'proc', String(pid), 'fd'), { recursive: true });
      await writeFile(join(base, 'proc', String(pid), 'comm'), `${comm}\n`);
      for (const [fd, link] of Object.entries(fds)) await symlink(link, join(base, 'proc', String(pid), 'fd', fd));
    };
    await proc(4321, 'firefox-child', { '7': 'socket:[48211]' });
    await proc(1234, 'firefox-esr', { '0': '/dev/null', '40': 'socket:[48211]', '41': 'socket:[48211]', '42': 'socket:[48400]', '43': 'pipe:[9]' });
    await proc(2001, 'systemd-resolve', { '12': 'socket:[48230]', '13': 'socket:[48300]' });
    await proc(77, 'secretd', {});
    const fs = await FsTarget.open('live', base);
    target = new Proxy(fs, {
      get(t, prop, recv) {
        if (prop === 'readDir') {
          return async (p: string) => {
            if (p === '/proc/77/fd') throw new TargetError('E_ACCESS', p, `${p}: permission denied`);
            return t.readDir(p);
          };
        }
        const v = Reflect.get(t, prop, recv) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists public sessions with their owners; unowned ones get a coverage note', async () => {
    const res = (await connectionsProbe.collect({ target, signal: new AbortController().signal, log: pino({ level: 'silent' }), options: { profile: 'classified' } }, {})) as ProbeOk;
    const obs = res.observations as unknown as ConnectionObservation[];
    expect(obs.map((o) => [o.proto, o.remote, o.remotePort, o.pid ?? null, o.process ?? null])).toEqual([
      ['tcp', '172.32.0.1', 8443, null, null],
      ['tcp', '203.0.113.114', 53, 2001, 'systemd-resolve'],
      ['tcp', '203.0.113.148', 443, 1234, 'firefox-esr'],
      ['tcp6', '2001:db8::53', 53, 2001, 'systemd-resolve'],
      ['tcp6', '::ffff:198.51.100.5', 443, null, null],
      ['udp', '198.51.100.5', 53, 1234, 'firefox-esr'],
      ['udp6', '2001:db8::8888', 53, null, null],
    ]);
    expect(obs[2]).toEqual({ proto: 'tcp', local: '192.168.1.23', localPort: 50312, remote: '203.0.113.148', remotePort: 443, state: 'ESTABLISHED', uid: 1000, inode: 48211, pid: 1234, process: 'firefox-esr' });
    expect(res.coverage).toEqual([
      expect.objectContaining({ kind: 'unreadable', path: '/proc/*/fd', reason: expect.stringContaining("3 connection(s) is unknown: 1 process(es)' open files could not be read") }),
    ]);
    expect(connectionsProbe.identity).toEqual(['proto', 'remote', 'remotePort', 'process']);
  });

  it('an aborted signal stops the process scan', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(connectionsProbe.collect({ target, signal: ac.signal, log: pino({ level: 'silent' }), options: { profile: 'classified' } }, {})).rejects.toThrow('stop');
  });
});

interface ConnRunnerOut {
  pid: number;
  comm: string;
  serverPort: number;
  clients: Record<'pub4' | 'pub6' | 'loop' | 'priv' | 'udp4' | 'udp6' | 'unconnected', number>;
  run: { result?: ProbeOk; rejected?: { message: string }; durationMs: number };
}

describe('live, in a network namespace of its own', () => {
  let modDir: string | undefined;
  let out: ConnRunnerOut;

  beforeAll(async () => {
    ({ out, modDir } = await runScenario<ConnRunnerOut>('connections'));
  }, 60_000);

  afterAll(() => endScenario(modDir));

  it('finds the sessions to "public" addresses with the owning process, and nothing else of ours', () => {
    expect(out.run.rejected).toBeUndefined();
    const obs = (out.run.result?.observations ?? []) as unknown as ConnectionObservation[];
    const mine = obs.filter((o) => o.pid === out.pid);
    const { clients: c, serverPort: sp } = out;
    const rows = mine.map((o) => `${o.proto} ${o.local}:${o.localPort} > ${o.remote}:${o.remotePort} ${o.process}`).sort();
    expect(rows).toEqual(
      [
        `tcp 198.51.100.10:${c.pub4} > 198.51.100.10:${sp} baomi-nettest`,
        `tcp6 ::ffff:198.51.100.10:${sp} > ::ffff:198.51.100.10:${c.pub4} baomi-nettest`,
        `tcp6 2001:db8::10:${c.pub6} > 2001:db8::10:${sp} baomi-nettest`,
        `tcp6 2001:db8::10:${sp} > 2001:db8::10:${c.pub6} baomi-nettest`,
        `udp 203.0.113.20:${c.udp4} > 203.0.113.20:53 baomi-nettest`,
        `udp6 2001:db8::10:${c.udp6} > 2001:db8::10:5353 baomi-nettest`,
      ].sort(),
    );
    // Only our own sockets exist in this namespace.
    expect(obs).toHaveLength(mine.length);
    for (const port of [c.loop, c.priv, c.unconnected]) expect(obs.some((o) => o.localPort === port || o.remotePort === port)).toBe(false);
    expect(out.comm).toBe('baomi-nettest');
    expect(out.run.result?.coverage).toEqual([]);
  });
});
