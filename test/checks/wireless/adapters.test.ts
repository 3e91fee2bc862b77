import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { wirelessAdaptersProbe } from '../../../src/checks/wireless/adapters.js';
import type { WirelessAdapter } from '../../../src/checks/wireless/types.js';
import type { ProbeOk } from '../../../src/engine/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { FIXTURES, makeWindowsRoot } from '../../_helpers/windows-root.js';

const log = pino({ level: 'silent' });
async function adapters(mode: 'live' | 'offline', root: string) {
  const target = await FsTarget.open(mode, root);
  const res = (await wirelessAdaptersProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;
  return { res, list: res.observations as WirelessAdapter[] };
}
const brief = (a: WirelessAdapter) => [a.kind, a.name, a.presence];

describe('wireless.adapters — Windows hives (corpus)', () => {
  it('win10-SYSTEM_B: Broadcom 802.11n, Wi-Fi Direct, Dell Wireless 380 Bluetooth — present at last boot', async () => {
    const { list } = await adapters('offline', await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz' }));
    expect(list.map(brief)).toEqual([
      ['wifi', 'Microsoft Wi-Fi Direct Virtual Adapter', 'present-at-last-boot'],
      ['wifi', 'Broadcom 802.11n Network Adapter', 'present-at-last-boot'],
      ['bluetooth', 'Dell Wireless 380 Bluetooth 4.0 Module', 'present-at-last-boot'],
    ]);
    const bcm = list.find((a) => a.name.startsWith('Broadcom'))!;
    expect(bcm).toMatchObject({ bus: 'pci', vid: '14e4', pid: '4727', driver: 'BCM43XX', firstInstall: '2018-03-27T12:11:57.288Z' });
    expect(bcm.matchedBy.map((m) => m.text)).toContain('*IfType 71 (IEEE 802.11)');
    expect(bcm.source).toBe('/Windows/System32/config/SYSTEM: ControlSet001\\Enum\\PCI\\VEN_14E4&DEV_4727&SUBSYS_00151028&REV_01\\4&752ea02&0&00E1');
    const bt = list.find((a) => a.kind === 'bluetooth')!;
    expect(bt).toMatchObject({ vid: '413c', pid: '8197', driver: 'BTHUSB', id: 'USB\\VID_413C&PID_8197\\28E347017777' });
  });

  it('win10-1709: two Generic Bluetooth Adapters, one removed since (installed, not present)', async () => {
    const { list } = await adapters('offline', await makeWindowsRoot({ system: 'win10-1709-SYSTEM.xz' }));
    expect(list.map(brief)).toEqual([
      ['bluetooth', 'Generic Bluetooth Adapter', 'present-at-last-boot'],
      ['bluetooth', 'Generic Bluetooth Adapter', 'installed'],
    ]);
    expect(list[1]).toMatchObject({ lastArrival: '2019-12-30T15:22:59.703Z', lastRemoval: '2020-01-07T12:53:14.228Z' });
  });

  it.each(['vbox-SYSTEM_2.xz', 'win7-SYSTEM.xz'])('%s: none (wired NICs and WAN miniports are not wireless)', async (h) => {
    const { list } = await adapters('offline', await makeWindowsRoot({ system: h }));
    expect(list).toEqual([]);
  });

  it('a missing SYSTEM hive is an error, not an empty list', async () => {
    const root = await makeWindowsRoot({ files: { 'Windows/System32/config/SOFTWARE': 'x' } });
    const target = await FsTarget.open('offline', root);
    await expect(wirelessAdaptersProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})).rejects.toThrow(/SYSTEM hive: registry hive not found/);
  });
});

describe('wireless.adapters — Linux sysfs', () => {
  it('fixture laptop: Wi-Fi (bound, rfkill unblocked), Wi-Fi without driver, Unifying receiver, soft-blocked Bluetooth', async () => {
    const { list } = await adapters('live', join(FIXTURES, 'sysfs', 'laptop'));
    expect(list.map((a) => [a.kind, a.id, a.driverBound, a.rfkill ?? null, a.ifaces ?? null])).toEqual([
      ['wifi', 'pci:0000:00:14.3', true, 'unblocked', ['phy0', 'wlp0s20f3']],
      ['wifi', 'pci:0000:03:00.0', false, null, null],
      ['receiver', 'usb:046d:c52b:3-2', true, null, null],
      ['bluetooth', 'usb:8087:0026:3-10', true, 'soft-blocked', ['hci0']],
    ]);
    expect(list[2]!.matchedBy.map((m) => m.text)).toEqual(['usb.ids 2025.07.26: "Logitech, Inc." / "Unifying Receiver"; Linux 6.1.0-47-amd64 driver hid_logitech_dj (module alias usb:v046DpC52B)']);
    expect(list.some((a) => a.vid === '093a')).toBe(false); // the wired USB mouse
  });

  it('a sysfs tree without radios (stick, wired keyboard, hub, two phones, a USB SSD): none — a fixture, not this machine', async () => {
    const { list } = await adapters('live', join(FIXTURES, 'sysfs', 'usb-laptop'));
    expect(list).toEqual([]);
  });

  it('offline Linux: Bluetooth controller folders; the limits of an offline disk are said', async () => {
    const { list, res } = await adapters('offline', join(FIXTURES, 'roots', 'debian12-wifi'));
    expect(list.map(brief)).toEqual([['bluetooth', 'Bluetooth controller F4:4E:FC:12:34:56', 'recorded']]);
    expect(res.coverage!.map((c) => c.reason).join('\n')).toMatch(/does not list its hardware/);
  });
});
