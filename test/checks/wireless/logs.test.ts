// wireless.adapters on offline Linux disks: radios in kernel logs (rotated, gzip, dmesg) and the journal.
// Fixtures: fixtures/linux/wireless-logs (see its PROVENANCE.md), fixtures/linux/usb-logs, and the corpus
// syslog (plaso) in fixtures/roots/debian12-ws.
import { requireTool, skipWithout } from '../../_helpers/oracles.js';
import { accessSync, constants } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { wirelessAdaptersProbe } from '../../../src/checks/wireless/adapters.js';
import { linuxOfflineAdapters } from '../../../src/checks/wireless/adapters.linux.js';
import type { WirelessAdapter } from '../../../src/checks/wireless/types.js';
import type { CoverageItem, ProbeOk } from '../../../src/engine/types.js';
import { conforms } from '../../../src/engine/shape.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { FIXTURES } from '../../_helpers/windows-root.js';

const WL = join(FIXTURES, 'linux', 'wireless-logs');
const log = pino({ level: 'silent' });

/** A copy of a fixture root with the mtimes the files had on the machine (the time of their newest line). */
async function root(from: string, mtimes: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baomi-wl-'));
  await cp(from, dir, { recursive: true });
  for (const [name, t] of Object.entries(mtimes)) await utimes(join(dir, 'var', 'log', name), new Date(t), new Date(t));
  return dir;
}
const PI_MTIMES = { 'kern.log.2.gz': '2024-03-08T10:00:00Z', 'syslog.2.gz': '2024-03-08T10:00:00Z', 'kern.log.1': '2024-03-09T10:00:00Z', 'kern.log': '2024-03-10T10:00:00Z' };

async function offline(dir: string, journalctl?: string): Promise<{ list: WirelessAdapter[]; coverage: CoverageItem[] }> {
  const coverage: CoverageItem[] = [];
  const list = await linuxOfflineAdapters(await FsTarget.open('offline', dir), coverage, journalctl ? { journalctl } : { pathEnv: '/nonexistent' });
  return { list, coverage };
}

function journalctlPath(): string | undefined {
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(d, 'journalctl'), constants.X_OK);
      return join(d, 'journalctl');
    } catch {
      // next
    }
  }
  return undefined;
}

describe('kernel logs of a Raspberry Pi (rotated, gzip, a damaged gzip)', () => {
  it('built-in brcmfmac Wi-Fi, the UART Bluetooth controller, and a Ralink RT3070 dongle attached 16 times', async () => {
    const { list, coverage } = await offline(await root(join(WL, 'raspbian'), PI_MTIMES));
    expect(list.map((a) => [a.kind, a.id, a.driver ?? null, a.ifaces ?? null, a.presence])).toEqual([
      ['bluetooth', 'log:bluetooth:hci_uart_bcm', 'hci_uart_bcm', ['hci0'], 'recorded'],
      ['wifi', 'log:wifi:brcmfmac', 'brcmfmac', ['wlan0'], 'recorded'],
      ['wifi', 'usb:148f:3070:1.0', 'rt2800usb', ['phy1', 'wlx00c0ca5a3e71'], 'recorded'],
    ]);
    const brcm = list[1]!;
    expect(brcm).toMatchObject({ firstSeen: '2024-03-08T07:00:05', lastSeen: '2024-03-10T07:00:10', timesAreLocal: true, source: '/var/log/kern.log.2.gz' });
    expect(brcm.name).toContain('BCM4345/6');
    expect(brcm.sources).toEqual(['/var/log/kern.log', '/var/log/kern.log.1', '/var/log/kern.log.2.gz', '/var/log/syslog.2.gz']);
    expect(brcm.matchedBy.map((m) => m.text)).toContain('kernel log: Wi-Fi driver brcmfmac');
    const ralink = list[2]!;
    expect(ralink).toMatchObject({ vid: '148f', pid: '3070', bus: 'usb', name: 'Ralink 802.11 n WLAN', attaches: 16, firstSeen: '2024-03-08T07:20:00', lastSeen: '2024-03-10T09:30:00' });
    expect(ralink.matchedBy.map((m) => m.text).join('\n')).toMatch(/usb\.ids 2025\.07\.26: "Ralink Technology, Corp\." \/ "RT2870\/RT3070 Wireless Adapter"/);
    // The damaged gzip is a counted gap; the files after it were still read.
    expect(coverage.filter((c) => c.kind === 'corrupt').map((c) => c.path)).toEqual(['/var/log/syslog.2.gz']);
  });

  it('through the probe: every observation fits the declared shape (plus the fields this change adds)', async () => {
    const target = await FsTarget.open('offline', await root(join(WL, 'raspbian'), PI_MTIMES));
    const res = (await wirelessAdaptersProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;
    expect(res.observations.length).toBe(3);
    const shape = wirelessAdaptersProbe.observes as { fields: Record<string, unknown> } | undefined;
    if (shape && 'fields' in shape) {
      const extended = { ...shape, fields: { ...shape.fields, logLines: 'number', attaches: 'number', sources: { list: 'string' } } };
      for (const o of res.observations) expect(conforms(o, extended as never)).toEqual([]);
    }
  });
});

describe('dmesg files and the journal', () => {
  it('Ubuntu /var/log/dmesg and dmesg.0: iwlwifi (interface wlp0s20f3) and the Bluetooth controller hci0, without wall-clock times', async () => {
    const { list } = await offline(await root(join(WL, 'ubuntu-dmesg')));
    expect(list.map((a) => [a.kind, a.id, a.driver ?? null, a.ifaces ?? null, a.firstSeen ?? null])).toEqual([
      ['bluetooth', 'log:bluetooth:hci:hci0', null, ['hci0'], null],
      ['wifi', 'log:wifi:iwlwifi', 'iwlwifi', ['wlp0s20f3'], null],
    ]);
    expect(list[1]).toMatchObject({ bus: 'pci', sources: ['/var/log/dmesg', '/var/log/dmesg.0'] });
  });

  const jctl = journalctlPath();
  it.skipIf(skipWithout('journalctl'))('a real journal file (systemd-journal-remote): MT7921 Wi-Fi associated, Bluetooth hci0; a user program imitating iwlwifi is not the kernel', async () => {
    if (!jctl) requireTool('journalctl');
    const dir = await root(join(WL, 'laptop-journal'));
    const mid = (await readFile(join(dir, 'MACHINE_ID'), 'utf8')).trim();
    await mkdir(join(dir, 'var', 'log', 'journal', mid), { recursive: true });
    await writeFile(join(dir, 'var', 'log', 'journal', mid, 'system.journal'), gunzipSync(await readFile(join(dir, 'system.journal.gz'))));
    const { list, coverage } = await offline(dir, jctl);
    expect(list.map((a) => [a.kind, a.id, a.ifaces ?? null, a.firstSeen ?? null, a.lastSeen ?? null])).toEqual([
      ['bluetooth', 'log:bluetooth:hci:hci0', ['hci0'], '2024-06-01T00:00:06.101Z', '2024-06-01T00:00:06.301Z'],
      ['wifi', 'log:wifi:mt7921e', ['wlp2s0'], '2024-06-01T00:00:04.100Z', '2024-06-01T00:00:30.121Z'],
    ]);
    expect(list[1]!.matchedBy.map((m) => m.text)).toContain('kernel log: Wi-Fi interface wlp2s0 associated or authenticated with an access point');
    expect(list.some((a) => a.driver === 'iwlwifi')).toBe(false);
    expect(coverage.filter((c) => c.kind !== 'not-recorded')).toEqual([]);
  });

  it('a journal without a journalctl on the kit is a gap, not silence', async () => {
    const dir = await root(join(WL, 'laptop-journal'));
    await mkdir(join(dir, 'var', 'log', 'journal', 'x'), { recursive: true });
    await writeFile(join(dir, 'var', 'log', 'journal', 'x', 'system.journal'), 'not a journal');
    const { list, coverage } = await offline(dir);
    expect(list).toEqual([]);
    expect(coverage.map((c) => c.kind)).toEqual(['missing-tool', 'not-recorded', 'not-recorded']);
    expect(coverage[1]).toMatchObject({ path: '/var/log', blocking: true });
  });
});

describe('real negatives: no radio, no finding', () => {
  it('a desktop whose kernel loaded the Bluetooth core, cfg80211, btusb and the iwlwifi module without any radio; wired keyboard and mouse', async () => {
    const { list, coverage } = await offline(await root(join(WL, 'desktop-noradio'), { 'kern.log': '2024-04-02T10:00:00Z' }));
    expect(list).toEqual([]);
    expect(coverage.map((c) => c.kind)).toEqual(['not-recorded']);
  });
  it('the corpus syslog (plaso, real text with kernel lines)', async () => {
    const { list } = await offline(await root(join(FIXTURES, 'roots', 'debian12-ws'), { syslog: '2013-12-31T00:00:00Z' }));
    expect(list).toEqual([]);
  });
  it.each([
    ['debian11-newyear', { 'syslog.3.gz': '2023-12-20T22:25:04Z', 'syslog.2.gz': '2023-12-27T22:25:03Z', 'syslog.1': '2024-01-03T22:25:03Z', syslog: '2024-01-09T09:40:12Z', 'kern.log': '2024-01-09T09:40:12Z' }],
    ['kylin-leapday', {}],
    ['ubuntu2404-rfc3339', {}],
  ])('USB history fixture %s: sticks, phones, a wired keyboard and a hub are not radios (the Huawei E3131 modem is)', async (name, mtimes) => {
    const { list } = await offline(await root(join(FIXTURES, 'linux', 'usb-logs', name), mtimes));
    expect(list.filter((a) => !(a.vid === '12d1' && a.pid === '1f01'))).toEqual([]);
  });
});
