#!/usr/bin/env python3
"""Regenerates rules/data/wireless-usb-ids.json: USB ids of wireless devices, from two sources.

1. The whole usb.ids database (Debian package `usb.ids`, /usr/share/misc/usb.ids), BY NAME: every
   product whose usb.ids name says it is a radio (Wi-Fi/WLAN/802.11, Bluetooth, WWAN/LTE/3G/4G/5G/HSPA/
   UMTS/mobile broadband, wireless keyboard/mouse/presenter/headset/controller, receiver/transceiver/
   dongle of such, Unifying/Bolt/Lightspeed/Nano receivers), less what only sounds like one (infrared and
   TV/DVB/GPS/radio-clock receivers, chargers, "wired", card readers, RS-232 dongles, license dongles…).
   Licence: usb.ids is dual-licensed GPL-2.0-or-later OR BSD-3-Clause (its Debian copyright file says
   "The contents of the database and the generated files can be distributed under the terms of either");
   the derived table is shipped under BSD-3-Clause, with this attribution.
2. The device-id tables of the Linux kernel's wireless drivers, BY DRIVER: the exact `usb:vXXXXpYYYY`
   module aliases (modinfo's `alias=` strings) of every module under drivers/net/wireless/,
   drivers/staging/{r8188eu,rtl8192u,vt6656,wlan-ng,rtl8723bs}, drivers/bluetooth/, the cellular-modem
   drivers (option, qcserial, sierra, sierra_net, qmi_wwan, huawei_cdc_ncm, drivers/net/wwan) and the
   Logitech receiver driver hid-logitech-dj (its `hid:b0003…` aliases). Only vendor:product numbers and
   the driver's name are taken (facts, not the kernel's GPL code); vendor-wide or class-wide aliases
   (`p*`) are left out. The modules come from Debian's linux-image package, extracted without installing:
     apt-get download linux-image-6.1.0-47-amd64 && dpkg-deb -x linux-image-*.deb x
     scripts/wireless-usb-ids.py --modules x/lib/modules/6.1.0-47-amd64

Usage: scripts/wireless-usb-ids.py [--usb-ids /usr/share/misc/usb.ids] [--modules DIR] [--out FILE]
Output: one entry per line (vid, pid, kind, name, drivers, source) so that diffs stay readable.
"""
import argparse, json, lzma, os, re, sys

ap = argparse.ArgumentParser()
ap.add_argument('--usb-ids', default='/usr/share/misc/usb.ids')
ap.add_argument('--modules', help='a lib/modules/<version> folder (from an extracted linux-image package)')
ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rules', 'data', 'wireless-usb-ids.json'))
args = ap.parse_args()

text = open(args.usb_ids, encoding='utf-8', errors='replace').read()
ver = re.search(r'^# Version: (\S+)', text, re.M).group(1)

# ----------------------------------------------------------------------------------------------
# 1. usb.ids by name

# What makes a product name a radio, per kind (checked in this order).
KIND_BY_NAME = [
    ('bluetooth', re.compile(r'bluetooth|\bBT (mini-receiver|EDR|dongle|module|adapter|radio)\b|Intuos (Pro )?BT\b|\(BT\)\]|\bBLE\b', re.I)),
    ('wwan', re.compile(r'\b(WWAN|LTE|(?<![-.\w])[345]G|HSPA\+?|HSDPA|HSUPA|UMTS|EV-?DO|CDMA\d*|WCDMA|TD-SCDMA|GPRS|EDGE modem|NB-IoT|Cat-?M1?)\b|mobile broadband|gobi\d*\b|cellular|'
                     r'\b(datacard|data card|connect card|usb ?modem|surfstick|internet stick|web ?stick)\b', re.I)),
    ('wifi', re.compile(r'802\.11|\bW-?LAN\b|wi-?fi|wireless[ -](lan|network|n\b|g\b|adapter|usb adapter|[0-9]+ ?mbps|ac\b|ax\b|nic|card|stick|802)|'
                     r'\bRT(2[5-9]|3[0-9]|5[0-9])[0-9]{2}\b|\bRTL8(18[0-9]|19[0-9]|7[0-9]{2}|8[0-9]{2})\w*|\bAR(9[0-9]{3}|5[0-9]{3})\b|\bMT7[0-9]{3}\w*\b|'
                     r'\bZD1211|\bAR5523|prism ?(2|54)|\b(11n|11g|11ac|11ax) (usb|adapter|wireless)', re.I)),
    ('receiver', re.compile(r'unifying|\bbolt receiver|lightspeed|\b(nano|micro|mini|zone)[ -]?(receiver|transceiver|dongle)\b|crazyradio|'
                         r'wireless[ -](receiver|transceiver|dongle|keyboard|mouse|desktop|optical|laser|combo|presenter|headset|headphone|'
                         r'gamepad|controller|(gaming )?receiver|kb|km|set|device|hub|audio|microphone|mic|transmitter)|'
                         r'wireless\b.*\b(keyboard|keypad|mouse|trackball|touchpad|pad|desktop|headset|headphones?|presenter|presentation|joystick|controller|receiver)\b|'
                         r'\b(keyboard|keypad|mouse|trackball|touchpad|desktop|headset|headphones?|presenter|joystick|controller)\b.*\bwireless\b|'
                         r'(2\.4 ?G(hz)?|RF)[ -]?(wireless|receiver|dongle|keyboard|mouse|transceiver)|cordless|\bnRF24\w*|'
                         r'(keyboard|mouse|kbd|presenter|headset|gamepad|controller|desktop)[ /&a-z]*(receiver|transceiver|dongle)', re.I)),
    ('radio', re.compile(r'\bwireless\b|\bzigbee\b|\bz-wave\b|\bUWB\b|ultra ?wide ?band|\bwusb\b|\bthread\b radio|\b802\.15\.4\b|lora(wan)?\b|\bDECT\b', re.I)),
]
# Names that look like one of the above but are not a radio (each checked against real usb.ids lines).
NOT_RADIO = re.compile(
    r'infra-?red|\bIR\b|\bIrDA\b|remote control receiver|\bdvb|\bDAB\b|\bTV\b|tuner|\bGPS\b|\bGNSS\b|\bGLONASS\b|radio[ -]?clock|\bDCF77\b|\bFM\b|'
    r'\bcharger\b|charging (pad|station|dock|cradle)|\bwired\b|non-wireless|card reader|smart ?card|rs-?232|serial|license|licence|hasp|sentinel|security dongle|protection dongle|'
    r'\bdongle (key|lock)|software key|dmx|midi|ethernet|\bLAN\b(?! ?(adapter|card) ?wireless)|\bKVM\b|\bSATA\b|\bIDE\b|hard ?drive|flash drive|'
    r'mass storage|card ?reader|audio interface|sound card|hub controller(?! wireless)|programmer|jtag|myirc|telephone|\bCAN\b|printer|scanner|\bmodem\b.*\b(56k|v\.9[02]|isdn|adsl|dsl|analog|dial)',
    re.I)
# ADSL/ISDN/dial-up modems are not cellular; "Wireless" ADSL routers keep their own Wi-Fi match.
NOT_WWAN = re.compile(r'\b(ADSL|VDSL|ISDN|56k|dial-?up|V\.9[02]|analog|voice|fax)\b|'
                      # Phones and tablets with a cellular radio are the USB probe's phone finding, not a modem.
                      r'i(phone|pad|pod)|phone\b|smartphone|handset|galaxy|\btab\b|tablet|surftab|\bPDA\b|pocket ?pc|\bEVO\b|\(PTP|MTP', re.I)

# Makers of keyboards, mice and their receivers: for these, any "receiver", "transceiver" or "dongle"
# is the radio of a wireless keyboard/mouse (elsewhere those words also name IR, TV and licence dongles).
KBD_VENDORS = {'046d', '045e', '17ef', '24ae', '413c', '03f0', '1d57', '248a', '25a7', '1ea7', '093a', '04f2',
               '062a', '1bcf', '0458', '04d9', '04b4', '1915', '0b05'}
KBD_RECEIVER = re.compile(r'receiver|transceiver|dongle', re.I)
# 2.4 GHz is a radio band: it wins over an IR/TV word in the same name ("2.4GHz and IR Air Mouse").
BAND = re.compile(r'2\.4 ?G(hz)?\b', re.I)

def name_kind(name, vid=None):
    for kind, pat in KIND_BY_NAME:
        if pat.search(name):
            if kind == 'wwan' and NOT_WWAN.search(name):
                continue
            # A "Bluetooth" or "Wi-Fi" word is strong enough to survive the exclusions (a Bluetooth
            # keyboard with a wired mode is still a radio); the weaker kinds are not.
            if kind not in ('bluetooth', 'wifi') and NOT_RADIO.search(name) and not BAND.search(name):
                return None
            if kind == 'wifi' and re.search(r'\b(ethernet|lan)\b', name, re.I) and not re.search(r'802\.11|wi-?fi|wlan|wireless', name, re.I):
                return None
            return kind
    if BAND.search(name) and not re.search(r'\b(5|5\.8) ?G(hz)?\b.*\bvideo\b', name, re.I):
        return 'receiver'
    if vid in KBD_VENDORS and KBD_RECEIVER.search(name) and not NOT_RADIO.search(name):
        return 'receiver'
    return None

products = {}   # 'vid:pid' -> (vendor name, product name)
vendor_names = {}
by_name = {}    # 'vid:pid' -> kind
vend = vn = None
for line in text.split('\n'):
    if line.startswith('C '):
        break   # class lists follow the vendor list
    if line.startswith('#') or not line.strip():
        continue
    m = re.match(r'^([0-9a-f]{4})  (.*)$', line)
    if m:
        vend, vn = m.group(1), m.group(2)
        vendor_names[vend] = vn
        continue
    m = re.match(r'^\t([0-9a-f]{4})  (.*)$', line)
    if m and vend:
        key = f'{vend}:{m.group(1)}'
        products[key] = (vn, m.group(2))
        k = name_kind(m.group(2), vend)
        if k:
            by_name[key] = k

# ----------------------------------------------------------------------------------------------
# 2. Kernel drivers' id tables

def driver_kind(rel):
    """Kind of a module by its place in the kernel tree (None: not a wireless driver)."""
    base = os.path.basename(rel).split('.ko')[0]
    if rel.startswith('drivers/net/wireless/'):
        return None if base in ('mac80211_hwsim',) else 'wifi'
    if re.match(r'drivers/staging/(r8188eu|rtl8192u|vt6656|wlan-ng|rtl8723bs|rtl8712)/', rel):
        return 'wifi'
    if rel.startswith('drivers/bluetooth/'):
        return None if base in ('hci_vhci',) else 'bluetooth'
    if rel.startswith('drivers/net/wwan/') or base in ('option', 'qcserial', 'sierra', 'sierra_net', 'qmi_wwan', 'huawei_cdc_ncm'):
        return 'wwan'
    if base == 'hid-logitech-dj':
        return 'receiver'
    return None

kver = None
by_driver = {}  # 'vid:pid' -> {kind, drivers:set}
if args.modules:
    kver = os.path.basename(os.path.normpath(args.modules))
    kroot = os.path.join(args.modules, 'kernel')
    for dirpath, _, files in os.walk(kroot):
        for f in files:
            if '.ko' not in f:
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), kroot)
            kind = driver_kind(rel)
            if not kind:
                continue
            b = open(os.path.join(dirpath, f), 'rb').read()
            if f.endswith('.xz'):
                b = lzma.decompress(b)
            mod = f.split('.ko')[0].replace('-', '_')
            ids = set(m.groups() for m in re.finditer(rb'alias=usb:v([0-9A-F]{4})p([0-9A-F]{4})d', b))
            ids |= set(m.groups() for m in re.finditer(rb'alias=hid:b0003g[0-9A-F*]+v0000([0-9A-F]{4})p0000([0-9A-F]{4})', b))
            for v, p in ids:
                key = f'{v.decode().lower()}:{p.decode().lower()}'
                e = by_driver.setdefault(key, {'kind': kind, 'drivers': set()})
                e['drivers'].add(mod)
                # One id in two tables (a combo chip's Bluetooth half): the first kind wins, except that
                # a radio driver's kind beats the receiver driver's.
                if e['kind'] == 'receiver' and kind != 'receiver':
                    e['kind'] = kind

# ----------------------------------------------------------------------------------------------
# Merge

rows = []
for key in sorted(set(by_name) | set(by_driver)):
    vid, pid = key.split(':')
    vn, pn = products.get(key, (vendor_names.get(vid), None))
    d = by_driver.get(key)
    kind = d['kind'] if d else by_name[key]
    src = []
    if key in by_name:
        src.append(f'usb.ids {ver}: "{vn}" / "{pn}"')
    if d:
        src.append(f'Linux {kver} driver {"/".join(sorted(d["drivers"]))} (module alias usb:v{vid.upper()}p{pid.upper()})')
    name = f'{vn} {pn}' if pn else f'{vn or "vendor " + vid} device {pid} ({"/".join(sorted(d["drivers"]))})'
    row = {'vid': vid, 'pid': pid, 'kind': kind, 'name': name}
    if d:
        row['drivers'] = sorted(d['drivers'])
    row['source'] = '; '.join(src)
    rows.append(row)

wwan = {'12d1', '2c7c', '1199', '19d2', '2cb7', '1bc7', '1e0e', '2dee', '05c6'}
vendors = [{'vid': v, 'kind': 'wwan', 'name': vendor_names[v], 'source': f'usb.ids {ver}: vendor "{vendor_names[v]}"'} for v in sorted(wwan) if v in vendor_names]

head = {
    '$comment': 'USB ids of wireless devices (Wi-Fi, Bluetooth, cellular modems, wireless keyboard/mouse receivers and other radios), '
                'and vendors of cellular (WWAN) modems. Generated by scripts/wireless-usb-ids.py from the whole usb.ids database '
                '(by product name) and the exact USB id tables of the Linux kernel\'s wireless, Bluetooth, modem and receiver drivers '
                '(by driver). Each entry says where it came from.',
    '$licence': 'Derived from usb.ids (maintained by Stephen J. Gowdy, linux-usb.org; distributed under GPL-2.0-or-later OR BSD-3-Clause, '
                'here used under BSD-3-Clause) and from device-id numbers and driver names of Linux ' + (kver or '(none)') + ' modules (facts only).',
    'usbIds': ver,
    'kernel': kver,
    'counts': {'devices': len(rows), 'byName': len(by_name), 'byDriver': len(by_driver), 'both': len(set(by_name) & set(by_driver))},
    'usbInterfaceClasses': {'e0': f'usb.ids {ver}: class e0 "Wireless" (subclass 01 protocol 01 = Bluetooth)'},
    'pciClasses': {
        '0x0280': 'pci.ids: class 02 "Network controller", subclass 80 "Network controller" (Wi-Fi cards report this)',
        '0x0d11': 'pci.ids: class 0d "Wireless controller", subclass 11 "Bluetooth"',
        '0x0d12': 'pci.ids: class 0d "Wireless controller", subclass 12 "Broadband" (cellular)',
        '0x0d20': 'pci.ids: class 0d "Wireless controller", subclass 20 "802.1a controller"',
        '0x0d21': 'pci.ids: class 0d "Wireless controller", subclass 21 "802.1b controller"',
        '0x0d80': 'pci.ids: class 0d "Wireless controller", subclass 80 "Wireless controller"',
    },
    'wwanVendors': vendors,
}
with open(args.out, 'w', encoding='utf-8') as o:
    o.write('{\n')
    for k, v in head.items():
        o.write(f' {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n')
    o.write(' "devices": [\n')
    o.write(',\n'.join('  ' + json.dumps(r, ensure_ascii=False) for r in rows))
    o.write('\n ]\n}\n')
print(f'{len(rows)} devices ({len(by_name)} by name, {len(by_driver)} by driver, {len(set(by_name) & set(by_driver))} both), {len(vendors)} WWAN vendors -> {args.out}', file=sys.stderr)
