// USB devices attached now on a live Windows machine (Win32_PnPEntity JSON, recorded), keyed by the
// hive's rules so that an attached stick merges with its history record.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { windowsUsbAttachedFromPnp } from '../../src/checks/usb/attached.windows.js';
import { USB_DEVICE_SHAPE, usbDevicesProbe, usbHistoryProbe } from '../../src/checks/usb/history.js';
import type { UsbDeviceRecord } from '../../src/checks/usb/types.js';
import { parsePsJson, PS_USB_PNP, psKey } from '../../src/checks/windows/live.js';
import { conforms } from '../../src/engine/shape.js';
import type { Probe, ProbeOk } from '../../src/engine/types.js';
import { fakeWinLive, liveFixture } from '../_helpers/windows-live-machine.js';

const log = pino({ level: 'silent' });
const run = async (probe: Probe, target: Awaited<ReturnType<typeof fakeWinLive>>['target']) =>
  (await probe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;
const STICK = 'usb:0781:5580:AA010215170355310594';

describe('Win32_PnPEntity (recorded) → devices attached now', () => {
  const { records, skipped } = windowsUsbAttachedFromPnp(parsePsJson(liveFixture('win32-pnpentity-usb.json')));
  const byKey = Object.fromEntries(records.map((r) => [r.key, r]));

  it('12 entries → 6 devices: hubs left out, a stick\'s USB node and disk joined, composite devices folded', () => {
    expect(skipped).toBe(0);
    expect(records.map((r) => r.key)).toEqual([
      STICK,
      'usb:0781:558c:175085420347',
      'usb:2717:ff48:6D5C1A2B',
      'usb:413c:8197:28E347017777',
      'win:USB\\VID_046D&PID_C31C\\6&2B5A1C3&0&3',
      'win:USB\\VID_0C45&PID_643F\\6&C0F0D73&0&5',
    ]);
    expect(records.every((r) => r.attachedNow === true)).toBe(true);
    for (const r of records) expect(conforms(r, USB_DEVICE_SHAPE), r.key).toEqual([]);
  });

  it('the stick: storage, inquiry strings from USBSTOR, the `&0` suffix removed, both PnP entries as sources', () => {
    expect(byKey[STICK]).toMatchObject({
      vid: '0781', pid: '5580', serial: 'AA010215170355310594', serialUnique: true, storage: true, phone: false,
      vendor: 'SanDisk', product: 'Extreme', revision: '0001', friendlyName: 'SanDisk Extreme USB Device', interfaceClasses: ['08'],
    });
    expect(byKey[STICK]!.sources.map((s) => s.source)).toEqual([
      'Win32_PnPEntity: USB\\VID_0781&PID_5580\\AA010215170355310594',
      'Win32_PnPEntity: USBSTOR\\DISK&VEN_SANDISK&PROD_EXTREME&REV_0001\\AA010215170355310594&0',
    ]);
    expect(byKey[STICK]!.sources[0]!.detail).toMatchObject({ name: 'USB 大容量存储设备', service: 'USBSTOR', status: 'OK' });
  });

  it('a UAS SSD: MSFT30 + hex of the ASCII label → the label as serial (the hive\'s rule), storage by UASPStor', () => {
    expect(byKey['usb:0781:558c:175085420347']).toMatchObject({ serial: '175085420347', serialRaw: 'MSFT30313735303835343230333437', storage: true });
  });

  it('a keyboard whose serial Windows synthesised: not unique, keyed by its instance id; HID classes from its interfaces', () => {
    expect(byKey['win:USB\\VID_046D&PID_C31C\\6&2B5A1C3&0&3']).toMatchObject({ serialUnique: false, storage: false, phone: false, interfaceClasses: ['00', '03'] }); // 00: DevClass_00 of the composite parent, as the hive path reads it
  });

  it('a phone by the WPD class; a Bluetooth radio is a USB device, neither storage nor phone', () => {
    expect(byKey['usb:2717:ff48:6D5C1A2B']).toMatchObject({ phone: true, storage: false, product: 'Redmi Note 8 Pro' });
    expect(byKey['usb:413c:8197:28E347017777']).toMatchObject({ phone: false, storage: false, interfaceClasses: ['ff'] });
  });

  const hostile: Array<[string, Array<Record<string, unknown>>, { records: number; skipped: number }]> = [
    ['no PNPDeviceID', [{ Name: 'x' }], { records: 0, skipped: 1 }],
    ['an id of the wrong shape', [{ PNPDeviceID: 'USB\\\\' }, { PNPDeviceID: 42 }], { records: 0, skipped: 2 }],
    ['another bus', [{ PNPDeviceID: 'PCI\\VEN_8086&DEV_1234\\3&1' }], { records: 0, skipped: 1 }],
    ['Present: false (not attached now) is left out, not counted as unreadable', [{ PNPDeviceID: 'USB\\VID_1234&PID_5678\\SER0', Present: false }], { records: 0, skipped: 0 }],
    ['control characters in a name', [{ PNPDeviceID: 'USB\\VID_1234&PID_5678\\SER1', Name: 'Evil\u001b]0;pwn\u0007' }], { records: 1, skipped: 0 }],
    ['a single string where a list is expected', [{ PNPDeviceID: 'USB\\VID_1234&PID_5678\\SER2', CompatibleID: 'USB\\Class_08' }], { records: 1, skipped: 0 }],
  ];
  it.each(hostile)('hostile: %s', (_n, objs, want) => {
    const p = windowsUsbAttachedFromPnp(objs);
    expect(p.records).toHaveLength(want.records);
    expect(p.skipped).toBe(want.skipped);
    for (const r of p.records) expect(JSON.stringify(r)).not.toMatch(/[\u0000-\u001f]/);
  });
  it('ran every hostile case', () => expect(hostile).toHaveLength(6));
});

describe('usb.devices and usb.history on a fake live Windows target', () => {
  it('usb.devices: the 6 devices attached now, no gap', async () => {
    const { target, runner } = await fakeWinLive();
    const res = await run(usbDevicesProbe, target);
    expect(res.observations).toHaveLength(6);
    expect(res.coverage).toEqual([]);
    expect(runner.calls).toEqual([psKey(PS_USB_PNP)]);
  });

  it('usb.devices: a failed query is a blocking gap, not "nothing attached"', async () => {
    const { target } = await fakeWinLive({ commands: { [psKey(PS_USB_PNP)]: { exitCode: 1, stderr: 'Get-CimInstance : 拒绝访问。' } } });
    const res = await run(usbDevicesProbe, target);
    expect(res.observations).toEqual([]);
    expect(res.coverage).toEqual([expect.objectContaining({ kind: 'unreadable', path: 'powershell.exe: Get-CimInstance', blocking: true })]);
  });

  it('usb.history (SYSTEM via reg save of win10-SYSTEM_B): the stick attached now merges with its hive record', async () => {
    const { target, runner, root } = await fakeWinLive({ hives: { SYSTEM: 'win10-SYSTEM_B.xz' } });
    const res = await run(usbHistoryProbe, target);
    const recs = res.observations as UsbDeviceRecord[];
    const byKey = Object.fromEntries(recs.map((r) => [r.key, r]));
    const saves = runner.calls.filter((c) => c.startsWith('reg save HKLM\\SYSTEM '));
    expect(saves).toHaveLength(1);
    expect(saves[0]!.split(' ')[3]!.startsWith(root)).toBe(false); // the saved copy is not written on the target's drive
    expect(runner.calls).toContain(psKey(PS_USB_PNP));
    expect(byKey[STICK]).toMatchObject({ attachedNow: true, storage: true, vendor: 'SanDisk' });
    expect(byKey[STICK]!.sources.map((s) => s.kind)).toEqual(['usb', 'usbstor', 'wpdbusenum', 'pnp', 'pnp']);
    expect(byKey['usb:0781:5580:AA010603160707470215']!.attachedNow).toBeUndefined(); // the other stick: history only
    expect(byKey['usb:413c:8197:28E347017777']).toMatchObject({ attachedNow: true });
    // attached now, not in this hive: added
    expect(byKey['usb:2717:ff48:6D5C1A2B']).toMatchObject({ attachedNow: true, phone: true });
    expect(byKey['win:USB\\VID_046D&PID_C31C\\6&2B5A1C3&0&3']).toMatchObject({ attachedNow: true });
    // the webcam: a synthesised serial, keyed by its instance id — lower case in the hive, upper case from PnP: one record
    expect(byKey['win:USB\\VID_0C45&PID_643F\\6&c0f0d73&0&5']).toMatchObject({ attachedNow: true, interfaceClasses: ['00', '0e'] });
    expect(recs.filter((r) => r.attachedNow)).toHaveLength(6);
    expect(recs).toHaveLength(4 + 3); // 4 in the hive (stick, Bluetooth radio, webcam attached now), 3 attached only now
    // SOFTWARE could not be saved (no administrator rights in this fake): a named gap
    expect(res.coverage!.map((c) => c.path)).toContain('HKLM\\SOFTWARE (reg save)');
    for (const r of recs) expect(conforms(r, USB_DEVICE_SHAPE), r.key).toEqual([]);
  });

  it('usb.history without the SYSTEM hive (reg save refused): the devices attached now, and a blocking gap', async () => {
    const { target } = await fakeWinLive();
    const res = await run(usbHistoryProbe, target);
    expect(res.observations).toHaveLength(6);
    expect(res.coverage).toContainEqual(expect.objectContaining({ path: 'HKLM\\SYSTEM (reg save)', blocking: true, reason: expect.stringMatching(/^SYSTEM hive: reg save HKLM\\SYSTEM failed .*Access is denied.*USB devices used before were not checked$/) }));
  });

  it('usb.history with neither: the probe fails, naming both', async () => {
    const { target } = await fakeWinLive({ commands: { [psKey(PS_USB_PNP)]: undefined } });
    await expect(run(usbHistoryProbe, target)).rejects.toThrow(/^SYSTEM hive: reg save HKLM\\SYSTEM failed .*; USB devices attached now: powershell.exe could not run/);
  });

  it('usb.history: the PnP query failing keeps the history and says what is missing (not blocking)', async () => {
    const { target } = await fakeWinLive({ hives: { SYSTEM: 'win10-SYSTEM_B.xz' }, commands: { [psKey(PS_USB_PNP)]: { stdout: '[{"PNPDeviceID":"USB' } } });
    const res = await run(usbHistoryProbe, target);
    expect(res.observations).toHaveLength(4);
    expect((res.observations as UsbDeviceRecord[]).some((r) => r.attachedNow)).toBe(false);
    expect(res.coverage).toContainEqual(expect.objectContaining({ kind: 'unreadable', path: 'powershell.exe: Get-CimInstance', blocking: false }));
  });
});
