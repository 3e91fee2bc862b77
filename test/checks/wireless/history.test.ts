import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { wirelessHistoryProbe } from '../../../src/checks/wireless/history.js';
import { hostapdSsid, ifupdownWifi, netplanWifis, nmSsid, parseHostapdConf, parseKeyfile, wpaNetworks } from '../../../src/checks/wireless/history.linux.js';
import { parseWlanProfile } from '../../../src/checks/wireless/history.windows.js';
import type { WirelessTrace } from '../../../src/checks/wireless/types.js';
import { systemtime } from '../../../src/checks/windows/networklist.js';
import type { ProbeOk } from '../../../src/engine/types.js';
import { FsTarget } from '../../../src/target/fs-target.js';
import { FIXTURES, makeWindowsRoot, SOFTWARE_SAMPLE } from '../../_helpers/windows-root.js';

const log = pino({ level: 'silent' });
async function history(root: string) {
  const target = await FsTarget.open('offline', root);
  const res = (await wirelessHistoryProbe.collect({ target, signal: new AbortController().signal, log, options: { profile: 'classified' } }, {})) as ProbeOk;
  return { res, list: res.observations as WirelessTrace[] };
}

describe('parsers', () => {
  it('keyfiles, NM SSIDs (text and byte list), wpa_supplicant blocks', () => {
    expect(parseKeyfile('[a]\nx=1\n# c\n[b]\ny = two words\n')).toEqual({ a: { x: '1' }, b: { y: 'two words' } });
    expect(nmSsid('102;111;111;')).toBe('foo');
    expect(nmSsid('办公室')).toBe('办公室');
    expect(wpaNetworks('network={\n ssid="a b"\n key_mgmt=NONE\n}\nnetwork={\n\tssid=e58a9ee585ac\n}\n')).toEqual([{ ssid: 'a b', keyMgmt: 'NONE' }, { ssid: '办公' }]);
  });
  it('WLAN profile XML: the SSID from its hex bytes', () => {
    expect(parseWlanProfile('<WLANProfile><name>n</name><SSIDConfig><SSID><hex>E58A9EE585AC</hex><name>x</name></SSID></SSIDConfig><connectionMode>auto</connectionMode><authentication>WPA2PSK</authentication></WLANProfile>')).toEqual({
      ssid: '办公', name: 'n', connectionMode: 'auto', authentication: 'WPA2PSK',
    });
    expect(parseWlanProfile('<html/>')).toBeUndefined();
  });
  it('SYSTEMTIME', () => {
    expect(systemtime(Buffer.from('e8070300050000000f0009000c00210000000000'.slice(0, 32), 'hex'))).toBeUndefined(); // day 0 invalid
    expect(systemtime(Buffer.from('e807030005000f0009000c0021000000', 'hex'))).toBe('2024-03-15T09:12:33');
  });
});

describe('wireless.history — Linux root', () => {
  it('NetworkManager Wi-Fi (not wired), wpa_supplicant, paired BlueZ device', async () => {
    const { list } = await history(join(FIXTURES, 'roots', 'debian12-wifi'));
    expect(list.map((t) => [t.kind, t.name, t.lastUsed ?? null])).toEqual([
      ['wifi-network', 'ChinaNet-8F2A', '2024-06-21T04:20:21.000Z'],
      ['wifi-network', 'TP-LINK_5F3A', null],
      ['bluetooth-device', 'HUAWEI FreeBuds 4i', null],
    ]);
    expect(list[2]).toMatchObject({ address: '00:1a:7d:da:71:13', paired: true, source: '/var/lib/bluetooth/F4:4E:FC:12:34:56/00:1A:7D:DA:71:13/info' });
    // the Wi-Fi password in the profile never reaches an observation
    expect(JSON.stringify(list)).not.toContain('zhang1234');
  });
  it('a clean root has none', async () => {
    expect((await history(join(FIXTURES, 'roots', 'debian12-ws'))).list).toEqual([]);
  });
});

describe('wireless.history — access points and other Linux network configs', () => {
  const WL = join(FIXTURES, 'linux', 'wireless-logs');
  it('hostapd.conf: the machine was an access point (interface, SSID, security; never the passphrase); ifupdown wpa-ssid', async () => {
    const { list, res } = await history(join(WL, 'raspbian'));
    expect(list).toEqual([
      { kind: 'wifi-network', name: 'Office-5G', iface: 'wlan1', source: '/etc/network/interfaces' },
      { kind: 'hostapd-config', name: 'Pi-AP-办公', iface: 'wlan0', security: 'WPA2 WPA-PSK', source: '/etc/hostapd/hostapd.conf' },
    ]);
    expect(JSON.stringify(list)).not.toMatch(/zhang-ap-5678|0123456789abcdef/);
    expect(res.coverage ?? []).toEqual([]);
  });
  it('netplan wifis: each access point, not the ethernets', async () => {
    const { list } = await history(join(WL, 'ubuntu-dmesg'));
    expect(list.map((t) => [t.kind, t.name, t.iface])).toEqual([
      ['wifi-network', 'CMCC-Guest', 'wlp0s20f3'],
      ['wifi-network', 'HomeNet', 'wlp0s20f3'],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/guest-pass|home-pass/);
  });
  it('negatives: a wired /etc/network/interfaces and hostapd ACL files without a configuration', async () => {
    expect((await history(join(WL, 'desktop-noradio'))).list).toEqual([]);
  });
  it('parsers: hostapd ssid/ssid2 forms, netplan layouts, ifupdown', () => {
    expect(hostapdSsid(parseHostapdConf('ssid2="a b"\n'))).toBe('a b');
    expect(hostapdSsid(parseHostapdConf('ssid2=e58a9ee585ac\n'))).toBe('办公');
    expect(hostapdSsid(parseHostapdConf('#ssid=x\ninterface=wlan0\n'))).toBeUndefined();
    expect(netplanWifis('network:\n  wifis:\n    wlan0:\n      access-points:\n        "my net": {password: x}\n        other:\n          hidden: true\n  ethernets:\n    eth0: {}\n')).toEqual([
      { ssid: 'my net', iface: 'wlan0' },
      { ssid: 'other', iface: 'wlan0' },
    ]);
    expect(netplanWifis('network:\n  ethernets:\n    eth0:\n      access-points: x\n')).toEqual([]);
    expect(ifupdownWifi('iface wlan0 inet dhcp\n  wireless-essid Cafe\niface eth0 inet dhcp\n')).toEqual([{ ssid: 'Cafe', iface: 'wlan0' }]);
  });
  it('an unreadable or oversized hostapd.conf is a gap, and the rest is still read', async () => {
    const { mkdtemp, writeFile, mkdir, chmod } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'baomi-ap-'));
    await mkdir(join(dir, 'etc', 'hostapd'), { recursive: true });
    await mkdir(join(dir, 'etc', 'network'), { recursive: true });
    await writeFile(join(dir, 'etc', 'hostapd', 'big.conf'), 'interface=wlan0\n' + '#'.repeat(5 * 1024 * 1024));
    await writeFile(join(dir, 'etc', 'network', 'interfaces'), 'iface wlan0 inet dhcp\n  wpa-ssid Cafe\n');
    await chmod(join(dir, 'etc', 'network'), 0o755);
    const { list, res } = await history(dir);
    expect(list.map((t) => t.name)).toEqual(['Cafe']);
    expect(res.coverage!.map((c) => [c.kind, c.path])).toEqual([['unreadable', '/etc/hostapd/big.conf']]);
  });
});

describe('wireless.history — Windows root', () => {
  it('WLAN profile XMLs and NetworkList wireless profiles; wired/mobile profiles are not wireless', async () => {
    const root = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE });
    const dst = join(root, 'ProgramData', 'Microsoft', 'Wlansvc', 'Profiles', 'Interfaces');
    await mkdir(dst, { recursive: true });
    await cp(join(FIXTURES, 'windows', 'wlan'), dst, { recursive: true });
    const { list, res } = await history(root);
    expect(list.map((t) => [t.kind, t.name]).sort()).toEqual([
      ['wifi-network', 'ChinaNet-5G'],
      ['wifi-network', 'ChinaNet-5G'],
      ['wifi-network', '办公室WiFi'],
    ]);
    const nl = list.find((t) => t.source.includes('NetworkList'))!;
    expect(nl).toMatchObject({ firstUsed: '2024-03-15T09:12:33', lastUsed: '2025-06-02T18:45:10', timesAreLocal: true, gatewayMac: 'a4:1f:72:0b:5c:3d' });
    const xml = list.find((t) => t.name === '办公室WiFi')!;
    expect(xml).toMatchObject({ autoConnect: false, security: 'WPA2PSK' });
    // SYSTEM_B's base block is dirty and this root has no .LOG1/.LOG2 beside it: that gap (and only it) is blocking.
    expect(res.coverage!.filter((c) => c.blocking && c.kind !== 'dirty-hive')).toEqual([]);
  });
  it('without SOFTWARE the gap is blocking (the scan is incomplete)', async () => {
    const { res } = await history(await makeWindowsRoot({ system: 'vbox-SYSTEM_2.xz' }));
    expect(res.coverage!.find((c) => c.path === '/Windows/System32/config/SOFTWARE')).toMatchObject({ blocking: true });
  });
});
