// The wireless USB id list (rules/data/wireless-usb-ids.json): receivers of wireless keyboards
// and mice, Bluetooth dongles, USB Wi-Fi sticks, and vendors of cellular modems, each with its
// usb.ids source line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_RULES_DIR } from '../../engine/rules.js';

export type WirelessKind = 'wifi' | 'bluetooth' | 'wwan' | 'receiver' | 'radio';

export interface KnownUsbId {
  vid: string;
  pid?: string;
  kind: WirelessKind;
  name: string;
  source: string;
}

interface IdFile {
  devices: KnownUsbId[];
  wwanVendors: KnownUsbId[];
}

let loaded: { byId: Map<string, KnownUsbId>; wwan: Map<string, KnownUsbId> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded === undefined) {
    const f = JSON.parse(readFileSync(join(BUILTIN_RULES_DIR, 'data', 'wireless-usb-ids.json'), 'utf8')) as IdFile;
    loaded = {
      byId: new Map(f.devices.map((d) => [`${d.vid}:${d.pid}`, d])),
      wwan: new Map(f.wwanVendors.map((d) => [d.vid, d])),
    };
  }
  return loaded;
}

/** A known wireless USB device by VID:PID, or a cellular-modem vendor by VID. */
export function knownWirelessUsb(vid: string, pid: string): KnownUsbId | undefined {
  const { byId, wwan } = load();
  return byId.get(`${vid.toLowerCase()}:${pid.toLowerCase()}`) ?? wwan.get(vid.toLowerCase());
}
