// wireless.adapters on a live Windows machine: Get-NetAdapter (recorded JSON) merged into the
// adapters the SYSTEM hive records (saved with reg save: corpus win10-SYSTEM_B).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { wirelessAdaptersProbe } from '../../src/checks/wireless/adapters.js';
import { linkStateOf, mergeLiveAdapters, parseNetAdapters } from '../../src/checks/wireless/adapters.windows.js';
import type { WirelessAdapter } from '../../src/checks/wireless/types.js';
import { parsePsJson, PS_NET_ADAPTERS, psKey } from '../../src/checks/windows/live.js';
import { conforms } from '../../src/engine/shape.js';
import type { CoverageItem, ProbeOk } from '../../src/engine/types.js';
import { msgText } from '../../src/report/messages-keys.js';
import { fakeWinLive, liveFixture } from '../_helpers/windows-live-machine.js';

const log = pino({ level: 'silent' });
const run = async (target: Awaited<ReturnType<typeof fakeWinLive>>['target']) =>
  (await wirelessAdaptersProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;
/**
 * The corpus hive standing in for `reg save`'s copy was captured dirty (its logs beside it); a real
 * `reg save` writes a clean hive. The note it gives is right for that file, and not what is tested here.
 */
const isCorpusDirtyNote = (c: CoverageItem): boolean => c.kind === 'dirty-hive' && c.path === 'HKLM\\SYSTEM (reg save)';
const BCM = 'PCI\\VEN_14E4&DEV_4727&SUBSYS_00151028&REV_01\\4&752ea02&0&00E1';

describe('Get-NetAdapter (recorded)', () => {
  it('7 adapters with their state', () => {
    const { adapters, skipped } = parseNetAdapters(parsePsJson(liveFixture('get-netadapter.json')));
    expect(skipped).toBe(0);
    expect(adapters.map((a) => [a.name, a.linkState])).toEqual([
      ['WLAN', 'up'],
      ['以太网', 'disconnected'],
      ['蓝牙网络连接', 'disconnected'],
      ['本地连接* 1', 'disconnected'],
      ['WLAN 2', 'disconnected'],
      ['本地连接* 3', 'up'],
      ['Teredo Tunneling Pseudo-Interface', 'disabled'],
    ]);
    expect(adapters[0]).toMatchObject({ physicalMediaType: 'Native 802.11', pnpDeviceId: 'PCI\\VEN_14E4&DEV_4727&SUBSYS_00151028&REV_01\\4&752EA02&0&00E1', hardware: true });
    expect(adapters[6]!.pnpDeviceId).toBeUndefined(); // null in the JSON
  });

  const states: Array<[string | undefined, string]> = [
    ['Up', 'up'], ['Disconnected', 'disconnected'], ['Disabled', 'disabled'], ['Not Present', 'not-present'],
    ['LowerLayerDown', 'lower-layer-down'], ['Dormant', 'dormant'], ['已连接', 'unknown'], [undefined, 'unknown'],
  ];
  it.each(states)('Status %s → %s', (s, want) => expect(linkStateOf(s)).toBe(want));
  it('ran every state', () => expect(states).toHaveLength(8));

  it('an adapter without a name is counted, not guessed', () => {
    expect(parseNetAdapters([{ Status: 'Up' }, { Name: 'x\u0007', Status: 'Up' }])).toEqual({ adapters: [{ name: 'x\\x07', linkState: 'up' }], skipped: 1 });
  });
});

describe('mergeLiveAdapters', () => {
  const hive: WirelessAdapter[] = [
    { kind: 'wifi', name: 'Broadcom 802.11n Network Adapter', bus: 'pci', id: BCM, presence: 'installed', matchedBy: [], source: 'SYSTEM: x' },
  ];
  it('an adapter Windows reports "Not Present" keeps the hive\'s presence', () => {
    const out = mergeLiveAdapters(hive, [{ name: 'WLAN', linkState: 'not-present', pnpDeviceId: BCM.toUpperCase() }]);
    expect(out).toMatchObject([{ presence: 'installed', linkState: 'not-present', ifaces: ['WLAN'] }]);
    expect(hive[0]!.linkState).toBeUndefined(); // the input is not changed
  });
  it('a live-only adapter is judged wireless by its description when the media type says nothing', () => {
    const out = mergeLiveAdapters([], [{ name: 'WWAN', linkState: 'up', description: 'Generic Mobile Broadband Adapter', pnpDeviceId: 'USB\\VID_1199&PID_9071&MI_0C\\7&1&0&000C' }]);
    expect(out).toMatchObject([{ kind: 'wwan', bus: 'usb', vid: '1199', pid: '9071', id: 'USB\\VID_1199&PID_9071\\7&1&0&000C', presence: 'present' }]);
  });
});

describe('wireless.adapters probe on a fake live Windows target', () => {
  it('win10-SYSTEM_B + Get-NetAdapter: present now with linkState; a USB Wi-Fi only the live machine shows; no PAN, no wired', async () => {
    const { target, runner } = await fakeWinLive({ hives: { SYSTEM: 'win10-SYSTEM_B.xz' } });
    const res = await run(target);
    const list = res.observations as WirelessAdapter[];
    expect(list.map((a) => [a.kind, a.name, a.presence, a.linkState ?? null, a.ifaces ?? null])).toEqual([
      ['wifi', 'Microsoft Wi-Fi Direct Virtual Adapter', 'present', 'disconnected', ['本地连接* 1']],
      ['wifi', 'Broadcom 802.11n Network Adapter', 'present', 'up', ['WLAN']],
      // the Bluetooth radio is no network adapter: Get-NetAdapter does not show it, the hive's word stands
      ['wifi', 'TP-Link Wireless USB Adapter', 'present', 'disconnected', ['WLAN 2']],
      ['bluetooth', 'Dell Wireless 380 Bluetooth 4.0 Module', 'present-at-last-boot', null, null],
    ]);
    const tp = list[2]!;
    expect(tp).toMatchObject({ bus: 'usb', vid: '2357', pid: '010c', id: 'USB\\VID_2357&PID_010C\\00E04C000001', source: 'Get-NetAdapter: WLAN 2' });
    expect(tp.matchedBy.map((m) => m.key)).toEqual(['wireless.win-live-media']);
    expect(msgText(tp.matchedBy[0]!, 'zh')).toBe('网卡当前的物理介质类型为「Native 802.11」（无线）');
    expect(msgText(tp.matchedBy[0]!, 'en')).toBe("network adapter's physical media type now: Native 802.11");
    expect(list[1]!.source).toBe(`HKLM\\SYSTEM (reg save): ControlSet001\\Enum\\${BCM}`);
    for (const a of list) expect(conforms(a, wirelessAdaptersProbe.observes), a.name).toEqual([]);
    expect(res.coverage!.filter((c) => !isCorpusDirtyNote(c))).toEqual([]);
    expect(runner.calls.filter((c) => !c.startsWith('reg save'))).toEqual([psKey(PS_NET_ADAPTERS)]);
  });

  it('Get-NetAdapter failing: the hive\'s adapters stand, with a named gap (not blocking)', async () => {
    const { target } = await fakeWinLive({ hives: { SYSTEM: 'win10-SYSTEM_B.xz' }, commands: { [psKey(PS_NET_ADAPTERS)]: { stdout: '', stderr: 'Get-NetAdapter : 无效类\r\n', exitCode: 1 } } });
    const res = await run(target);
    expect((res.observations as WirelessAdapter[]).map((a) => a.presence)).toEqual(['present-at-last-boot', 'present-at-last-boot', 'present-at-last-boot']);
    expect(res.coverage!.filter((c) => !isCorpusDirtyNote(c))).toEqual([expect.objectContaining({ kind: 'unreadable', path: 'powershell.exe: Get-NetAdapter', blocking: false })]);
  });

  it('reg save refused (no administrator rights): the adapters present now, and a blocking gap for the hive', async () => {
    const { target } = await fakeWinLive();
    const res = await run(target);
    expect((res.observations as WirelessAdapter[]).map((a) => a.name)).toEqual(['Microsoft Wi-Fi Direct Virtual Adapter', 'Broadcom 802.11n Network Adapter', 'TP-Link Wireless USB Adapter']);
    expect(res.coverage).toEqual([expect.objectContaining({ path: 'HKLM\\SYSTEM (reg save)', blocking: true })]);
  });

  it('both failing: the probe fails, naming both', async () => {
    const { target } = await fakeWinLive({ commands: { [psKey(PS_NET_ADAPTERS)]: undefined } });
    await expect(run(target)).rejects.toThrow(/SYSTEM hive: reg save HKLM\\SYSTEM failed .*; Get-NetAdapter: powershell.exe could not run/);
  });
});
