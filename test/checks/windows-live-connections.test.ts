// network.connections on a live Windows machine: netstat -ano parsed from recorded output (a zh
// header), process names from Get-Process JSON, and the probe on a fake live Windows target.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { connectionsProbe } from '../../src/checks/network/connections.js';
import { parseNetstat, processNames, windowsConnectionObservations } from '../../src/checks/network/connections.windows.js';
import { publicConnections } from '../../src/checks/network/_proc.js';
import { NETSTAT_KEY, PS_PROCESSES, parsePsJson, psKey } from '../../src/checks/windows/live.js';
import { conforms } from '../../src/engine/shape.js';
import type { ProbeOk } from '../../src/engine/types.js';
import { fakeWinLive, liveFixture } from '../_helpers/windows-live-machine.js';

const log = pino({ level: 'silent' });
const run = async (target: Awaited<ReturnType<typeof fakeWinLive>>['target']) =>
  (await connectionsProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;

describe('netstat -ano (recorded, zh header)', () => {
  const parsed = parseNetstat(liveFixture('netstat-ano.txt'));

  it('reads every TCP and UDP line, and no header line', () => {
    expect(parsed.entries).toHaveLength(28);
    expect(parsed.entries.filter((e) => e.proto.startsWith('tcp'))).toHaveLength(21);
    expect(parsed.entries.filter((e) => e.proto.startsWith('udp'))).toHaveLength(7);
    expect(parsed.entries.filter((e) => e.proto.endsWith('6'))).toHaveLength(10); // 7 TCP, 3 UDP
    expect(parsed.badLines).toBe(0);
    expect(parsed.unknownStates).toEqual([]);
    expect(parsed.entries[0]).toEqual({ proto: 'tcp', local: '0.0.0.0', localPort: 135, remote: '0.0.0.0', remotePort: 0, st: 0, state: 'LISTENING', pid: 1052 });
    // zone index dropped, UDP `*:*` has no peer
    expect(parsed.entries.find((e) => e.local.startsWith('fe80') && e.proto === 'tcp6')).toMatchObject({ local: 'fe80::1c2d:3e4f:5a6b:7c8d', remote: 'fe80::1', remotePort: 445 });
    expect(parsed.entries.find((e) => e.proto === 'udp')).toMatchObject({ remote: '', remotePort: 0, st: 0, state: '' });
  });

  it('keeps established sessions to public addresses only (the Linux judgement): 3 of 28', () => {
    const kept = publicConnections(parsed.entries).map((e) => `${e.proto} ${e.remote}:${e.remotePort} ${e.pid}`);
    // not kept: TIME_WAIT / CLOSE_WAIT to public, private 10/8 and 192.168/16, CGNAT, loopback, link-local, ULA fc00::/7
    expect(kept).toEqual(['tcp 203.0.113.10:443 6648', 'tcp 198.51.100.7:8080 9120', 'tcp6 2001:db8:4860::8888:443 6648']);
  });

  it('names the processes from Get-Process JSON (UTF-8, a Chinese name)', () => {
    const names = processNames(parsePsJson(liveFixture('get-process.json')));
    expect(names.size).toBe(11);
    const obs = windowsConnectionObservations(parsed, names);
    expect(obs.map((o) => [o.proto, o.remote, o.remotePort, o.pid, o.process])).toEqual([
      ['tcp', '198.51.100.7', 8080, 9120, '文档同步'],
      ['tcp', '203.0.113.10', 443, 6648, 'chrome'],
      ['tcp6', '2001:db8:4860::8888', 443, 6648, 'chrome'],
    ]);
    for (const o of obs) {
      expect(o.uid).toBeUndefined(); // a Linux fact, not invented
      expect(conforms(o, connectionsProbe.observes)).toEqual([]);
    }
  });

  it('the header as netstat writes it on Chinese Windows (GBK bytes read as UTF-8) changes nothing', () => {
    const gbkHeader = Buffer.from('bbeeb6afc1acbdd3', 'hex').toString('utf8'); // 活动连接 in GBK
    const text = liveFixture('netstat-ano.txt').replace('活动连接', gbkHeader);
    expect(text).toContain('\uFFFD');
    expect(parseNetstat(text).entries).toHaveLength(28);
  });

  const hostile: Array<[string, string, { entries: number; bad: number; unknown?: string[] }]> = [
    ['garbage lines', 'TCP\r\nTCP a b c d\r\nUDP 198.51.100.4:99999 *:* 5\r\nTCP 198.51.100.4:1 203.0.113.8:2 ESTABLISHED x\r\nhello world\r\n', { entries: 0, bad: 4 }],
    ['a localised state is not silently dropped', '  TCP    10.0.0.2:5000   203.0.113.53:443   已建立   44\r\n', { entries: 0, bad: 1, unknown: ['已建立'] }],
    ['control characters in a state are escaped', '  TCP    10.0.0.2:5000   203.0.113.53:443   EST\u001b[31m   44\r\n', { entries: 0, bad: 1, unknown: ['EST\\x1b[31m'] }],
    ['a connected UDP socket (a peer shown) counts as ESTABLISHED', '  UDP    10.0.0.2:5000   203.0.113.53:53   44\r\n', { entries: 1, bad: 0 }],
    ['IPv6 zone and upper case', '  TCP    [FE80::1%3]:1   [2001:DB8::1]:443   ESTABLISHED   7\r\n', { entries: 1, bad: 0 }],
    ['empty output', '', { entries: 0, bad: 0 }],
  ];
  it.each(hostile)('hostile: %s', (_n, text, want) => {
    const p = parseNetstat(text);
    expect(p.entries).toHaveLength(want.entries);
    expect(p.badLines).toBe(want.bad);
    if (want.unknown) expect(p.unknownStates).toEqual(want.unknown);
  });
  it('ran every hostile case', () => expect(hostile).toHaveLength(6));

  it('a connected UDP socket to a public peer is kept, as on Linux', () => {
    const p = parseNetstat('  UDP    10.0.0.2:5000   203.0.113.53:53   44\r\n');
    expect(publicConnections(p.entries)).toMatchObject([{ proto: 'udp', remote: '203.0.113.53', remotePort: 53, state: 'ESTABLISHED' }]);
  });
});

describe('network.connections probe on a fake live Windows target', () => {
  it('recorded outputs: 3 public connections with their processes, no gap; ran netstat then Get-Process', async () => {
    const { target, runner } = await fakeWinLive();
    const res = await run(target);
    expect(res.status).toBe('ok');
    expect(res.observations).toEqual([
      { proto: 'tcp', local: '192.168.1.23', localPort: 49715, remote: '198.51.100.7', remotePort: 8080, state: 'ESTABLISHED', pid: 9120, process: '文档同步' },
      { proto: 'tcp', local: '192.168.1.23', localPort: 49710, remote: '203.0.113.10', remotePort: 443, state: 'ESTABLISHED', pid: 6648, process: 'chrome' },
      { proto: 'tcp6', local: '2001:db8:85a3::8a2e:370:7334', localPort: 49730, remote: '2001:db8:4860::8888', remotePort: 443, state: 'ESTABLISHED', pid: 6648, process: 'chrome' },
    ]);
    expect(res.coverage).toEqual([]);
    expect(runner.calls).toEqual([NETSTAT_KEY, psKey(PS_PROCESSES)]);
  });

  const failures: Array<[string, Parameters<typeof fakeWinLive>[0], RegExp]> = [
    ['netstat exits non-zero', { commands: { [NETSTAT_KEY]: { exitCode: 1, stderr: '请求的操作需要提升。\r\n' } } }, /netstat -ano failed \(exit 1\).*\[exit\]/],
    ['netstat cannot run', { commands: { [NETSTAT_KEY]: undefined } }, /netstat could not run.*\[not-run\]/],
    ['netstat prints 20 MB', { commands: { [NETSTAT_KEY]: { stdout: `  TCP    192.0.2.1:1   203.0.113.53:443   ESTABLISHED   4\r\n`.repeat(400_000) } } }, /printed more than .*\[too-large\]/],
    ['netstat prints nothing', { commands: { [NETSTAT_KEY]: { stdout: '\r\n' } } }, /no connection line at all/],
  ];
  it.each(failures)('%s → no observation and a named blocking gap, not "no connections"', async (_n, spec, reason) => {
    const { target } = await fakeWinLive(spec);
    const res = await run(target);
    expect(res.observations).toEqual([]);
    expect(res.coverage).toHaveLength(1);
    expect(res.coverage![0]).toMatchObject({ kind: 'unreadable', blocking: true });
    expect(res.coverage![0]!.reason).toMatch(reason);
  });
  it('ran every failure case', () => expect(failures).toHaveLength(4));

  it('Get-Process failing keeps the connections with their pids and says why names are missing (not blocking)', async () => {
    const { target } = await fakeWinLive({ commands: { [psKey(PS_PROCESSES)]: { stdout: '[{"Id":4,"Process' } } });
    const res = await run(target);
    expect(res.observations).toHaveLength(3);
    expect(res.observations.every((o) => o['process'] === undefined && typeof o['pid'] === 'number')).toBe(true);
    expect(res.coverage).toEqual([expect.objectContaining({ kind: 'unreadable', path: 'powershell.exe: Get-Process', blocking: false, reason: expect.stringMatching(/no valid JSON.*\[bad-output\]/) })]);
  });

  it('a process that ended meanwhile: listed without a name, with a note', async () => {
    const { target } = await fakeWinLive({ commands: { [psKey(PS_PROCESSES)]: { stdout: '{"Id":6648,"ProcessName":"chrome"}' } } });
    const res = await run(target);
    expect(res.observations.map((o) => o['process'] ?? null)).toEqual([null, 'chrome', 'chrome']);
    expect(res.coverage).toEqual([expect.objectContaining({ reason: 'the owning process of 1 connection(s) is unknown (ended meanwhile)' })]);
  });
});
