// Linux USB devices. History: the kernel's USB lines in /var/log/{syslog,kern.log,messages} and every
// rotated sibling (`.1`, `.N.gz`, `-YYYYMMDD[.gz]`), plus the systemd journal (read with the kit's own
// `journalctl --directory=…`, which only reads). Attached now (live): /sys/bus/usb/devices.
// All file access goes through the Target; the only program run is journalctl, on the kit, never on
// the target.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { CoverageItem } from '../../engine/types.js';
import { serialKey } from '../../engine/vocab.js';
import { countJournalFiles, findJournalctl, runJournalctl } from '../journal.js';
import {
  anchorFromMtime,
  anchorFromRotationDate,
  correlateUsbEvents,
  journalUsbLine,
  KernelLogScanner,
  type KernelLogScan,
  type KernelUsbAttach,
  type KernelUsbLine,
  type KernelUsbStamp,
  type YearAnchor,
} from '../../formats/kernel-log.js';
import type { Target } from '../../target/types.js';
import { usbSerial, type UsbDeviceRecord, type UsbSource } from './types.js';

// ---------------------------------------------------------------------------------------------
// Phones

/**
 * Product ids of phones, tablets and media players (MTP/PTP/ADB modes) of vendors that also make other
 * USB devices (Samsung SSDs, Lenovo keyboards, Huawei modems…), so that the vendor id alone is not enough.
 * Generated from `/usr/share/misc/usb.ids` (version 2025.07.26: product names matching
 * iPhone|iPad|iPod|phone|Galaxy|MTP|PTP|ADB|Android|Nexus|Pixel Device|smartphone|handset|Xperia|RAZR|
 * Droid|tablet, less earbuds, a tablet pen and a battery case) and Debian `libmtp-common` 1.1.20
 * `/lib/udev/hwdb.d/69-libmtp.hwdb` (every `usb:vXXXXpYYYY*` entry of these vendors).
 */
const PHONE_PIDS: Record<string, string> = {
  // Apple
  '05ac':
    '1201 1202 1203 1204 1205 1206 1207 1208 1209 120a 1223 1224 1225 1231 1240 1242 1243 1245 1246 ' +
    '1255 1260 1261 1262 1263 1265 1266 1267 1290 1291 1292 1293 1294 1296 1297 1299 129a 129c 129d ' +
    '129e 129f 12a0 12a1 12a2 12a3 12a4 12a5 12a6 12a8 12a9 12aa 12ab 12ac 1300 1301 1302 1303',
  // Samsung
  '04e8':
    '0300 0409 04a4 04e8 4f1f 501d 5022 5024 502e 502f 5033 503c 5047 5054 5057 505a 507d 507f 5081 ' +
    '5083 508a 508b 5091 5093 510f 5115 5118 511a 511d 5121 5125 512e 5130 5137 5a0f 6601 6602 6603 ' +
    '663e 6642 6702 6708 6709 6727 6734 6752 6763 6819 681c 681d 6843 685b 685c 685d 685e 6860 6863 ' +
    '6865 6866 6868 6877 687a 689e 68a9 68af e020 e20c',
  // Huawei
  '12d1':
    '1051 1052 1053 1054 1074 1079 107a 107d 107e 107f 1082 1805 2008 2012 2406 255d 2567 256b 257c ' +
    '259c 2608 260b 360e 360f 361f',
  // Xiaomi
  '2717':
    '0360 0368 0660 0668 1240 1248 1260 1268 1360 1368 3801 9039 f003 ff08 ff10 ff18 ff40 ff48 ff60 ' +
    'ff68 ff88',
  // OPPO
  '22d9':
    '2764 2765 2773 2774',
  // vivo
  '2d95':
    '6002',
  // Google
  '18d1':
    '0003 0006 0007 0008 05b3 0a07 2d00 2d01 2d02 2d03 2d04 2d05 4d00 4e0f 4e11 4e12 4e13 4e20 4e21 ' +
    '4e22 4e24 4e25 4e26 4e30 4e40 4e41 4e42 4e43 4e44 4ee0 4ee1 4ee2 4ee3 4ee4 4ee5 4ee6 4ee7 4ee8 ' +
    '4ee9 5202 5203 685c 70a8 7102 7169 740a b004 b00a d001 d002 d109 d10a',
  // OnePlus
  '2a70':
    '9011 9012 904d 904e f003',
  // Meizu
  '2a45':
    '0001 0c02 0c03 2008 200a 200b 200c 2012',
  // ZTE
  '19d2':
    '0244 0245 0306 0307 0343 0383 0501 2008 ffce ffcf',
  // Motorola
  '22b8':
    '0005 002e 1005 2821 2822 2a21 2a22 2a61 2a62 2a65 2dff 2e24 2e32 2e33 2e50 2e51 2e61 2e62 2e63 ' +
    '2e66 2e67 2e68 2e76 2e81 2e82 2e83 2e84 2ea4 2ea5 2ea8 3001 3002 3802 4002 41cf 41d6 41d9 41da ' +
    '41db 41dc 41de 4204 4224 4244 4285 42a7 42d9 4306 4311 4362 4373 437f 4810 4811 4901 4902 4a32 ' +
    '6004 6009 600c 604c 60ca 6413 6415 64b5 64b6 64cf 6604 7001 7088 70a3 70a8 70a9 70ca 710d 710e',
  // Lenovo
  '17ef':
    '0c02 2008 740a 741c 7423 7483 7497 7498 749a 749b 74a6 74cc 74ee 74f8 7542 757d 75b3 75b5 75bc ' +
    '75be 760a 760b 760c 760d 7614 76e8 76f2 76fc 76fd 76fe 76ff 7702 7703 7704 7705 7706 7707 770a ' +
    '7713 7718 772a 772b 7730 7731 7737 7738 775a 778f 77a4 77a5 77b1 77d8 77ea 7802 7852 7853 785f ' +
    '7882 7883 789a 789b 78a7 78ae 78b0 78d1 78f6 78fc 7902 7920 7921 7928 7929 7932 7949 795c 7993 ' +
    '7999 79a2 79af 79b7 79de 7a18 7a2a 7a36 7a50 7a6b 7ac5 7ad0 7b25 7b3c 7b84 7bc7 7bd3 7bdf 7c45 ' +
    '7c46 7cb3 9039 f003',
  // LG
  '1004':
    '1fae 6000 6010 608f 611b 6132 619a 61da 61f1 61f9 61fe 621c 6225 622a 6239 623d 6259 6263 6265 ' +
    '626e 627f 628a 62c9 62ce 6300 631c 631d 631e 631f 633a 633e 633f 6344 6348 6356',
  // Sony (Ericsson)
  '0fce':
    '0075 0076 00af 00b3 00c6 00d4 00d9 00da 00ef 00f3 00f5 00fb 0105 0112 0133 013a 0144 0146 014e ' +
    '014f 0156 0157 015a 015d 0161 0166 0167 0168 0169 016d 0170 0171 0172 0173 0175 0176 0177 0178 ' +
    '017e 0180 0181 0182 0186 0188 0189 018c 018d 0192 0193 0194 0195 0196 0197 0198 019b 019c 019e ' +
    '01a3 01a7 01a9 01aa 01ab 01af 01b0 01b1 01b5 01b6 01b8 01ba 01bb 01bc 01c0 01c4 01c5 01c9 01cb ' +
    '01d2 01d6 01d9 01da 01db 01de 01e0 01e1 01e7 01e8 01eb 01ed 01ef 01f1 01f3 01f4 01f6 01f7 01f8 ' +
    '01f9 01fa 01fb 01ff 0201 0205 0207 020a 020d 0a07 10af 10c8 10d4 2105 2137 2138 2149 3137 3138 ' +
    '3149 4157 4168 4169 4170 4171 4172 4173 4175 4176 4177 4178 417e 4180 4181 4182 4186 4188 4189 ' +
    '418c 418d 4192 4193 4194 4195 419b 419c 419e 41a3 41a7 41a9 41aa 41ab 41af 41b0 41b1 41b5 41b6 ' +
    '41b8 41ba 41bb 41bc 41c0 41c4 41c5 41c9 41cb 41d2 41d6 41d9 41da 41db 41de 41e0 41e1 41e7 41e8 ' +
    '41eb 41ed 41ef 41f1 41f3 41f4 41f6 41f7 41f8 41f9 41fa 41fb 41ff 4201 4205 4207 420a 420d 5146 ' +
    '514f 5156 5157 515a 515d 5161 5166 5167 5168 5169 516d 5170 5171 5172 5173 5175 5176 5177 5178 ' +
    '517e 5180 5181 5182 5186 5188 5189 518c 518d 5192 5193 5194 5195 5196 5197 5198 519b 519c 519e ' +
    '51a3 51a7 51a9 51aa 51ab 51af 51b0 51b1 51b5 51b6 51b8 51ba 51bb 51bc 51c0 51c4 51c5 51c9 51cb ' +
    '51d2 51d6 51d9 51da 51db 51de 51e0 51e1 51e7 51e8 51eb 51ed 51ef 51f1 51f3 51f4 51f6 51f7 51f8 ' +
    '51f9 51fa 51fb 51ff 5201 5205 5207 520a 520d 614f 6166 618c 715a 7166 7177 71f4 71f9 8004 81f4 ' +
    'a173 a175 a176 a177 a17e adde b173 b175 b176 b177 b17e c1e0 c1e8 c1f9 d008 d016 d017 d038 d039 ' +
    'd041 d042 d043 d046 d065 d076 d079 d089 d0af d0d4 d12a d12e d144 e000 e042 e043 e089 e090 e0af ' +
    'e0d4 e0ef e112 e12e e14f e15a e161 e166 e167 e19b',
  // HTC
  '0bb4':
    '0001 00cf 0401 040b 05e3 05f0 05fd 060b 061a 0629 065c 0668 0670 07a1 07ae 07ca 07cb 07d8 07d9 ' +
    '0a07 0a50 0a52 0a53 0a54 0a55 0a56 0a57 0a58 0a59 0a5a 0a5b 0a5c 0a5d 0a5e 0a5f 0a60 0a61 0a62 ' +
    '0a63 0a64 0a65 0a66 0a67 0a68 0a69 0a6a 0a6b 0a6c 0a6d 0a6e 0a6f 0a70 0a71 0a72 0a73 0a74 0a75 ' +
    '0a76 0a77 0a78 0a79 0a7a 0a7b 0a7c 0a7d 0a7e 0a7f 0a80 0a81 0a82 0a83 0a84 0a85 0a86 0a87 0a88 ' +
    '0a89 0a8a 0a8b 0a8c 0a8d 0a8e 0a8f 0a90 0a91 0a92 0a93 0a94 0a95 0a96 0a97 0a98 0a99 0a9a 0a9b ' +
    '0a9c 0a9d 0a9e 0a9f 0b1f 0b51 0ba1 0ba2 0c02 0c03 0c08 0c1f 0c93 0ca5 0ca8 0cec 0dcd 0dd2 0dd5 ' +
    '0dda 0de4 0dea 0df5 0df8 0df9 0dfa 0dfb 0dfc 0dfd 0dfe 0dff 0e31 0e32 0ebd 0ec6 0ec7 0edb 0edd ' +
    '0f25 0f26 0f5f 0f60 0f63 0f64 0f87 0f91 0fb4 0fb5 0fff 2008 200b 2012 201d 4ee1 4ee2 685c 6860 ' +
    'f0ca',
};

const PHONE_PID_SETS = new Map(Object.entries(PHONE_PIDS).map(([v, s]) => [v, new Set(s.split(' '))]));

/**
 * Vendors whose USB devices are phones (any product id), less the ids known to be something else.
 * usb.ids 2025.07.26: 2717 Xiaomi Inc. (not 0011 network card, 3801 earphones, 4106 MT7601U Wi-Fi),
 * 22d9 OPPO Electronics Corp., 2a70 OnePlus Technology, 2a45 Meizu Corp. Not in usb.ids: 2d95 vivo
 * (libmtp 69-libmtp.hwdb `usb:v2D95p6002*` "Vivo V11"; Linux sound/usb/quirks.c names 2d95:8021 a VIVO
 * USB-C headset, excluded) and 339b Honor (only community Android udev rules, e.g. 339b:107d
 * "HONOR Phone (ALI-AN00)": the weakest entry here).
 */
const PHONE_MAKERS: Record<string, { name: string; notPhones: readonly string[] }> = {
  '2717': { name: 'Xiaomi', notPhones: ['0011', '3801', '4106'] },
  '22d9': { name: 'OPPO', notPhones: [] },
  '2d95': { name: 'vivo', notPhones: ['8021'] },
  '2a70': { name: 'OnePlus', notPhones: [] },
  '2a45': { name: 'Meizu', notPhones: [] },
  '339b': { name: 'Honor', notPhones: [] },
};

/** Names phones and media players give themselves (USB string descriptors, SCSI inquiry): `SAMSUNG_Android`, `iPhone`, `MTP`; not `Headphones`. */
const PHONE_NAME = /(?<![a-z])(android|iphone|ipad|ipod|mtp|ptp|smartphone|phone)(?![a-z])|手机/i;

/**
 * Why a device is taken for a phone / tablet / media player, or `undefined`: a known vendor:product
 * id, a phone maker's vendor id, interface class 06 (still image: PTP/MTP), a driver only phones bind
 * (`ipheth`), or its own name.
 */
export function phoneBasis(
  vid: string | undefined,
  pid: string | undefined,
  names: readonly (string | undefined)[],
  interfaceClasses: readonly string[] = [],
  driverHints: readonly string[] = [],
): string | undefined {
  const v = vid?.toLowerCase();
  const p = pid?.toLowerCase();
  if (v && p && PHONE_PID_SETS.get(v)?.has(p)) return `phone/media-player id ${v}:${p} (usb.ids, libmtp)`;
  const maker = v ? PHONE_MAKERS[v] : undefined;
  if (maker && !(p && maker.notPhones.includes(p))) return `phone maker vendor id ${v} (${maker.name})`;
  if (interfaceClasses.includes('06')) return 'interface class 06 (still image: PTP/MTP)';
  if (driverHints.includes('ipheth')) return 'ipheth driver (iPhone USB tethering)';
  const n = names.find((x) => x !== undefined && PHONE_NAME.test(x));
  if (n !== undefined) return `name "${n}"`;
  return undefined;
}


/**
 * The key of a device: ids and its serial as {@link usbSerial} reads the reported one (the hex of an
 * ASCII label decoded), the same serial Windows gets from its `MSFT30…` instance id, so one physical
 * device has one key on both platforms.
 */
function deviceKey(vid: string, pid: string, serial: string | undefined): string {
  return `usb:${vid}:${pid}:${serial ? serialKey(usbSerial(serial).serial) : 'noserial'}`;
}

/** Sets the record's serial (decoded) and, when it differs, the one the device reported. */
function setSerial(r: UsbDeviceRecord, reported: string): void {
  const { serial, raw } = usbSerial(reported);
  r.serial = serial;
  r.serialUnique = true;
  if (raw !== undefined) r.serialRaw = raw;
}

// ---------------------------------------------------------------------------------------------
// Log files

export type LogFamily = 'syslog' | 'kern.log' | 'messages';

/** A log file of one family, as found in /var/log. */
export interface LogFileEntry {
  name: string;
  family: LogFamily;
  /** `current` (the live file), `numbered` (`.1`, `.2.gz`), `dated` (`-20240303`). */
  rotation: 'current' | 'numbered' | 'dated';
  /** Rotation number (numbered) or `YYYYMMDD` (dated). */
  number?: number;
  date?: string;
  /** Compression by file name extension (`gz` is read; others are reported). */
  compression?: 'gz' | 'xz' | 'bz2' | 'zst' | 'lz4' | 'Z';
}

const LOG_NAME = /^(syslog|kern\.log|messages)(?:\.(\d+)|-(\d{8}))?(?:\.(gz|xz|bz2|zst|lz4|Z))?$/;

/** Recognise the kernel log files among names of /var/log (anything else is `undefined`). */
export function classifyLogName(name: string): LogFileEntry | undefined {
  const m = LOG_NAME.exec(name);
  if (!m) return undefined;
  const family = m[1] as LogFamily;
  const e: LogFileEntry = { name, family, rotation: m[2] ? 'numbered' : m[3] ? 'dated' : 'current' };
  if (m[4] && e.rotation === 'current') return undefined; // `syslog.gz`: not a logrotate name
  if (m[2]) e.number = Number(m[2]);
  if (m[3]) e.date = m[3];
  if (m[4]) e.compression = m[4] as NonNullable<LogFileEntry['compression']>;
  return e;
}

/**
 * Oldest first within each family: dated files by date, then numbered ones from the highest number
 * (oldest) down, then the current file.
 */
export function orderLogFiles(names: readonly string[]): Map<LogFamily, LogFileEntry[]> {
  const out = new Map<LogFamily, LogFileEntry[]>();
  for (const n of names) {
    const e = classifyLogName(n);
    if (!e) continue;
    const list = out.get(e.family) ?? [];
    list.push(e);
    out.set(e.family, list);
  }
  const rank = (e: LogFileEntry): [number, number] =>
    e.rotation === 'dated' ? [0, Number(e.date)] : e.rotation === 'numbered' ? [1, -(e.number ?? 0)] : [2, 0];
  for (const list of out.values()) {
    list.sort((a, b) => {
      const [ra, sa] = rank(a);
      const [rb, sb] = rank(b);
      return ra - rb || sa - sb || (a.compression ? 1 : 0) - (b.compression ? 1 : 0);
    });
  }
  return out;
}

/** Defaults: per-file cap (decompressed), journalctl time and output caps. */
const MAX_LOG_BYTES = 512 * 1024 * 1024;
const JOURNAL_TIMEOUT_MS = 120_000;
const MAX_JOURNAL_BYTES = 1024 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;

interface ReadResult {
  /** Bytes of text read (decompressed). */
  bytes: number;
  /** Output cap reached: `tail` kept the newest part (plain file), `head` the oldest (gz). */
  capped?: 'tail' | 'head';
  /** Decompression failed after `bytes` bytes. */
  corrupt?: string;
}

/** Feed a file's lines (oldest first) to `onLine`, through the Target; `.gz` decompressed with zlib. */
async function readLogLines(
  target: Target,
  path: string,
  gz: boolean,
  cap: number,
  onLine: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<ReadResult> {
  const f = await target.open(path);
  try {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let bytes = 0;
    let skipFirst = false;
    const text = (s: string): void => {
      const parts = (rest + s).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        if (skipFirst) {
          skipFirst = false;
          continue;
        }
        onLine(p);
      }
    };
    const flush = (): void => {
      const last = rest + decoder.end();
      rest = '';
      if (last !== '' && !skipFirst) onLine(last);
    };
    if (!gz) {
      const start = Math.max(0, f.size - cap);
      skipFirst = start > 0;
      for (let pos = start; pos < f.size; pos += CHUNK) {
        signal?.throwIfAborted();
        const b = await f.read(pos, Math.min(CHUNK, f.size - pos));
        if (b.length === 0) break;
        bytes += b.length;
        text(decoder.write(b));
      }
      flush();
      return start > 0 ? { bytes, capped: 'tail' } : { bytes };
    }
    const size = f.size;
    async function* compressed(): AsyncGenerator<Buffer> {
      for (let pos = 0; pos < size; pos += CHUNK) {
        signal?.throwIfAborted();
        const b = await f.read(pos, Math.min(CHUNK, size - pos));
        if (b.length === 0) return;
        yield b;
      }
    }
    let capped = false;
    let corrupt: string | undefined;
    try {
      await pipeline(Readable.from(compressed()), createGunzip(), async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          signal?.throwIfAborted();
          const room = cap - bytes;
          const use = chunk.length > room ? chunk.subarray(0, room) : chunk;
          bytes += use.length;
          text(decoder.write(use));
          if (chunk.length > room) {
            capped = true;
            return;
          }
        }
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (!capped) corrupt = (err as Error).message;
    }
    // The cut line at the damage or the cap is incomplete: drop it.
    if (capped || corrupt) rest = '';
    flush();
    const r: ReadResult = { bytes };
    if (capped) r.capped = 'head';
    if (corrupt) r.corrupt = corrupt;
    return r;
  } finally {
    await f.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// journalctl


// ---------------------------------------------------------------------------------------------
// Merging attaches into device records

export interface Sighting {
  a: KernelUsbAttach;
  kind: 'kernel-log' | 'journal';
}

const isUtc = (s: string): boolean => /Z$|[+-]\d\d:\d\d$/.test(s);
/** Comparable ms of an ISO time; a naive local time is read as if UTC (off by the zone, at most 14 h). */
const cmpMs = (s: string): number => Date.parse(isUtc(s) ? s : `${s}Z`);
const ZONE_SPAN_MS = 14 * 3600_000;

/**
 * The earlier (`dir` -1) or later (+1) of two times. A local and a UTC time less than a zone's span apart
 * cannot be ordered without the machine's zone: they are most often the same moment seen in a syslog file
 * and in the journal, and the UTC one (exact) is kept.
 */
function pick(a: string | undefined, b: string | undefined, dir: 1 | -1): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const d = cmpMs(b) - cmpMs(a);
  if (isUtc(a) !== isUtc(b) && Math.abs(d) < ZONE_SPAN_MS) return isUtc(a) ? a : b;
  return d * dir > 0 ? b : a;
}
const earlier = (a: string | undefined, b: string | undefined): string | undefined => pick(a, b, -1);
const later = (a: string | undefined, b: string | undefined): string | undefined => pick(a, b, 1);

/** Two attaches are one connection seen in two places (syslog and kern.log, a log and the journal). */
function sameConnection(x: KernelUsbAttach, y: KernelUsbAttach): boolean {
  if (x.busPath !== y.busPath) return false;
  if (x.devnum !== undefined && y.devnum !== undefined && x.devnum !== y.devnum) return false;
  const cx = x.connected;
  const cy = y.connected;
  const both = cx.timeMs !== undefined && cy.timeMs !== undefined;
  const dt = both ? Math.abs(cx.timeMs! - cy.timeMs!) : Number.NaN;
  if (cx.monoUs !== undefined && cy.monoUs !== undefined) {
    // The kernel's own time of the message, to the µs: the same line (checked against the wall clock,
    // up to a zone's offset when one time is local and the other UTC).
    if (Math.abs(cx.monoUs - cy.monoUs) > 2) return false;
    if (!both) return true;
    return dt <= (cx.local === cy.local ? 60_000 : 15 * 3600_000);
  }
  return both && cx.local === cy.local && dt <= 2000;
}

function addTo(list: string[] | undefined, v: string | undefined): string[] | undefined {
  if (v === undefined || v === '') return list;
  return [...new Set([...(list ?? []), v])].sort();
}

function sourceKey(kind: string, s: KernelUsbStamp): string {
  return `${kind}\0${s.source}\0${s.local ? 'L' : 'U'}`;
}

/** One record per physical device (vid, pid, serial), merging every attach of every file and the journal. */
export function recordsFromAttaches(sightings: readonly Sighting[], yearFrom: ReadonlyMap<string, string> = new Map()): UsbDeviceRecord[] {
  const groups = new Map<string, Sighting[]>();
  for (const s of sightings) {
    const k = deviceKey(s.a.vid, s.a.pid, s.a.serial);
    const g = groups.get(k) ?? [];
    g.push(s);
    groups.set(k, g);
  }
  const records: UsbDeviceRecord[] = [];
  for (const [key, g] of groups) {
    if (g.some((s) => s.a.hub)) continue; // hubs are not devices
    g.sort((x, y) => (x.a.connected.timeMs ?? Infinity) - (y.a.connected.timeMs ?? Infinity));
    const first = g[0]!.a;
    const r: UsbDeviceRecord = { key, vid: first.vid, pid: first.pid, serialUnique: false, storage: false, phone: false, sources: [] };
    const unique: KernelUsbAttach[] = [];
    const sources = new Map<string, UsbSource>();
    const src = (kind: string, s: KernelUsbStamp): UsbSource => {
      const k = sourceKey(kind, s);
      let u = sources.get(k);
      if (!u) {
        u = { kind, source: s.source, connections: 0 };
        if (s.local) u.timesAreLocal = true;
        const y = yearFrom.get(s.source);
        if (s.local && y) u.detail = { yearFrom: y };
        sources.set(k, u);
      }
      return u;
    };
    let classes: string[] | undefined;
    const hints: string[] = [];
    for (const { a, kind } of g) {
      if (!unique.some((u) => sameConnection(u, a))) unique.push(a);
      const u = src(kind, a.connected);
      u.connections = (u.connections ?? 0) + 1;
      u.firstSeen = earlier(u.firstSeen, a.connected.time);
      u.lastSeen = later(u.lastSeen, a.connected.time);
      const d = (u.detail ??= {});
      d['busPaths'] = addTo(d['busPaths'] as string[] | undefined, a.busPath) ?? [];
      for (const disk of a.disks) d['disks'] = addTo(d['disks'] as string[] | undefined, disk) ?? [];
      if (a.storageDriver) d['storageDriver'] = a.storageDriver;
      if (a.removable !== undefined) d['removable'] = a.removable;
      if (a.sizeBytes !== undefined) d['sizeBytes'] = a.sizeBytes;
      if (a.removed) {
        const ru = src(kind, a.removed);
        ru.lastRemoved = later(ru.lastRemoved, a.removed.time);
      }
      if (a.serial) setSerial(r, a.serial);
      if (a.manufacturer) r.manufacturer = a.manufacturer;
      if (a.product) r['usbProduct'] = a.product;
      if (a.scsi) {
        if (a.scsi.vendor) r.vendor = a.scsi.vendor;
        if (a.scsi.model) r.product = a.scsi.model;
        if (a.scsi.revision) r.revision = a.scsi.revision;
      }
      if (a.storage) r.storage = true;
      for (const c of a.interfaceClasses) classes = addTo(classes, c);
      for (const h of a.phoneHints) if (!hints.includes(h)) hints.push(h);
    }
    if (r.product === undefined && typeof r['usbProduct'] === 'string') r.product = r['usbProduct'];
    if (classes) r.interfaceClasses = classes;
    const basis = phoneBasis(r.vid, r.pid, [r['usbProduct'] as string | undefined, r.manufacturer, r.product], classes ?? [], hints);
    if (basis) {
      r.phone = true;
      r['phoneBasis'] = basis;
    }
    r['connections'] = unique.length;
    for (const u of sources.values()) {
      if (u.connections === 0) delete u.connections;
      if (u.detail && Object.keys(u.detail).length === 0) delete u.detail;
      r.sources.push(u);
      if (u.timesAreLocal) r.timesAreLocal = true;
      r.firstSeen = earlier(r.firstSeen, u.firstSeen);
      r.lastSeen = later(r.lastSeen, u.lastSeen);
      r.lastRemoved = later(r.lastRemoved, u.lastRemoved);
    }
    for (const k of ['firstSeen', 'lastSeen', 'lastRemoved'] as const) if (r[k] === undefined) delete r[k];
    r.sources.sort((x, y) => (cmpMs(x.firstSeen ?? x.lastRemoved ?? '9999') - cmpMs(y.firstSeen ?? y.lastRemoved ?? '9999')) || x.source.localeCompare(y.source));
    records.push(r);
  }
  return records.sort((a, b) => a.key.localeCompare(b.key));
}

// ---------------------------------------------------------------------------------------------
// History

export interface LinuxUsbHistoryOptions {
  signal?: AbortSignal;
  /** Scan time: a log modified after it means the machine's clock ran ahead (reported). */
  now?: Date;
  /** The kit's journalctl (default: `journalctl` on `pathEnv`). */
  journalctl?: string;
  /** PATH searched for journalctl (default: the kit's PATH). */
  pathEnv?: string;
  journalTimeoutMs?: number;
  /** Cap on journalctl's output (bytes). */
  maxJournalBytes?: number;
  /** Cap on one log file's text (bytes, after decompression). */
  maxLogBytes?: number;
}

const MiB = 1024 * 1024;

/** Every USB device the kernel logs and the journal on the target recorded, one record per device. */
export async function linuxUsbHistory(
  target: Target,
  opts: LinuxUsbHistoryOptions = {},
): Promise<{ records: UsbDeviceRecord[]; coverage: CoverageItem[] }> {
  const coverage: CoverageItem[] = [];
  const sightings: Sighting[] = [];
  const maxLog = opts.maxLogBytes ?? MAX_LOG_BYTES;
  let sourcesRead = 0;
  const windows: Array<{ oldest: string; source: string }> = [];
  const yearFrom = new Map<string, string>();

  // 1. /var/log/{syslog,kern.log,messages}*
  let names: string[] = [];
  try {
    names = (await target.readDir('/var/log')).filter((e) => e.kind === 'file' || e.kind === 'symlink').map((e) => e.name);
  } catch (err) {
    if ((err as { code?: string }).code !== 'E_NOT_FOUND') {
      coverage.push({ kind: 'unreadable', path: '/var/log', reason: `/var/log cannot be listed: ${(err as Error).message}` });
    }
  }
  for (const [, files] of orderLogFiles(names)) {
    const stream: KernelUsbLine[] = [];
    for (const f of files) {
      opts.signal?.throwIfAborted();
      const path = `/var/log/${f.name}`;
      if (f.compression && f.compression !== 'gz') {
        coverage.push({ kind: 'unsupported', path, reason: `${path} is compressed with ${f.compression}, which is not decoded: its USB lines were not read` });
        continue;
      }
      let anchor: YearAnchor | undefined;
      try {
        const st = await target.stat(path);
        if (st.kind !== 'file') continue;
        anchor = f.date ? anchorFromRotationDate(f.date) : anchorFromMtime(st.mtimeMs);
        if (opts.now && !f.date && st.mtimeMs > opts.now.getTime() + 86400_000) {
          coverage.push({ kind: 'clock', path, reason: `${path} was modified at ${st.mtime}, after the scan time: the machine's clock ran ahead, so years of its year-less lines may be late` });
        }
      } catch (err) {
        coverage.push({ kind: 'unreadable', path, reason: `${path}: ${(err as Error).message}` });
        continue;
      }
      const scanner = new KernelLogScanner(path);
      let res: ReadResult;
      try {
        res = await readLogLines(target, path, f.compression === 'gz', maxLog, (l) => scanner.push(l), opts.signal);
      } catch (err) {
        opts.signal?.throwIfAborted();
        coverage.push({ kind: 'unreadable', path, reason: `${path}: ${(err as Error).message}` });
        continue;
      }
      const scan: KernelLogScan = scanner.finish(anchor);
      sourcesRead++;
      if (res.corrupt) {
        coverage.push({ kind: 'corrupt', path, reason: `${path}: decompression failed after ${res.bytes} bytes (${res.corrupt}); the ${scan.lines} lines before the damage were read, the rest of the file was not` });
      }
      if (res.capped === 'tail') {
        coverage.push({ kind: 'too-large', path, reason: `${path} is over ${Math.round(maxLog / MiB)} MiB: only its newest ${Math.round(maxLog / MiB)} MiB were read` });
      } else if (res.capped === 'head') {
        coverage.push({ kind: 'too-large', path, reason: `${path} decompresses to over ${Math.round(maxLog / MiB)} MiB: only its oldest ${Math.round(maxLog / MiB)} MiB were read` });
      }
      if (scan.undated > 0) {
        coverage.push({ kind: 'undated', path, reason: `${path}: ${scan.undated} USB lines have no year that can be derived; they are counted without times` });
      }
      if (scan.oldest) windows.push({ oldest: scan.oldest, source: path });
      if (scan.yearBasis) yearFrom.set(path, scan.yearBasis === 'mtime' ? 'file mtime' : 'date in file name');
      for (const e of scan.events) stream.push(e);
    }
    for (const a of correlateUsbEvents(stream)) sightings.push({ a, kind: 'kernel-log' });
  }

  // 2. The systemd journal, read by the kit's journalctl.
  const journalDirs = ['/var/log/journal', ...(target.mode === 'live' ? ['/run/log/journal'] : [])];
  for (const dir of journalDirs) {
    opts.signal?.throwIfAborted();
    const files = await countJournalFiles(target, dir);
    if (files === 0) continue;
    const jctl = await findJournalctl(opts.journalctl, opts.pathEnv ?? process.env['PATH']);
    if (!jctl) {
      coverage.push({
        kind: 'missing-tool',
        path: dir,
        reason: `the systemd journal in ${dir} was not read: journalctl is not installed on the inspecting system (kit)${opts.journalctl ? ` at ${opts.journalctl}` : ''}`,
        blocking: false,
      });
      continue;
    }
    let hostDir: string;
    try {
      hostDir = await target.resolve(dir);
    } catch (err) {
      coverage.push({ kind: 'unreadable', path: dir, reason: `${dir}: ${(err as Error).message}`, blocking: false });
      continue;
    }
    const lines: KernelUsbLine[] = [];
    const run = await runJournalctl(jctl, hostDir, {
      timeoutMs: opts.journalTimeoutMs ?? JOURNAL_TIMEOUT_MS,
      maxBytes: opts.maxJournalBytes ?? MAX_JOURNAL_BYTES,
      env: { ...process.env, ...(opts.pathEnv !== undefined ? { PATH: opts.pathEnv } : {}) },
      ...(opts.signal ? { signal: opts.signal } : {}),
      onEntry: (e) => {
        const u = journalUsbLine(e, dir);
        if (u) lines.push(u);
      },
    });
    opts.signal?.throwIfAborted();
    const errLines = run.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
    if (run.spawnError) {
      coverage.push({ kind: 'missing-tool', path: dir, reason: `the systemd journal in ${dir} was not read: ${jctl} could not be run (${run.spawnError})`, blocking: false });
      continue;
    }
    if (run.timedOut) {
      coverage.push({ kind: 'timeout', path: dir, reason: `journalctl on ${dir} did not finish within ${Math.round((opts.journalTimeoutMs ?? JOURNAL_TIMEOUT_MS) / 1000)} s: only the ${run.entries} kernel entries it gave were read`, blocking: false });
    } else if (run.capped) {
      coverage.push({ kind: 'too-large', path: dir, reason: `journalctl on ${dir} gave over ${Math.round((opts.maxJournalBytes ?? MAX_JOURNAL_BYTES) / MiB)} MiB: only the oldest ${run.entries} kernel entries were read`, blocking: false });
    } else if (run.exitCode !== 0) {
      coverage.push({ kind: 'unreadable', path: dir, reason: `journalctl on ${dir} failed (exit ${run.exitCode ?? 'signal'}): ${errLines.slice(0, 3).join('; ') || 'no message'}`, blocking: false });
    }
    const damaged = errLines.filter((l) => /corrupt|truncat|ignoring|unsupported|bad message|failed/i.test(l));
    if (run.exitCode === 0 && damaged.length > 0) {
      coverage.push({ kind: 'unreadable', path: dir, reason: `journalctl could not read all of ${dir}: ${damaged.slice(0, 3).join('; ')}`, blocking: false });
    }
    if (run.exitCode === 0 && !run.timedOut && run.entries === 0) {
      coverage.push({
        kind: 'unreadable',
        path: dir,
        reason: `journalctl read no kernel entry from the ${files} journal files in ${dir}: they are damaged, or in a format this journalctl does not support`,
        blocking: false,
      });
    } else if (run.entries > 0) {
      sourcesRead++;
    }
    if (run.firstUs !== undefined) windows.push({ oldest: new Date(Math.floor(run.firstUs / 1000)).toISOString(), source: dir });
    for (const a of correlateUsbEvents(lines)) sightings.push({ a, kind: 'journal' });
  }

  if (sourcesRead === 0) {
    coverage.push({
      kind: 'not-recorded',
      path: '/var/log',
      reason: 'no kernel log (syslog, kern.log, messages and their rotations) or systemd journal could be read: USB connection history could not be checked',
      blocking: true,
    });
  } else if (windows.length > 0) {
    const w = windows.reduce((a, b) => (cmpMs(b.oldest) < cmpMs(a.oldest) ? b : a));
    coverage.push({
      kind: 'not-recorded',
      path: w.source,
      reason: `the kernel logs reach back to ${w.oldest} (${w.source}): USB connections before that are not recorded on this machine`,
      blocking: false,
    });
  }
  return { records: recordsFromAttaches(sightings, yearFrom), coverage };
}

// ---------------------------------------------------------------------------------------------
// Attached now (sysfs)

async function text(target: Target, path: string): Promise<string | undefined> {
  try {
    const t = (await target.readText(path, { maxBytes: 1 << 16 })).trim();
    return t === '' ? undefined : t;
  } catch {
    return undefined;
  }
}

/** Canonical target path of a sysfs folder (the bus/devices entries are symlinks). */
async function canonical(target: Target, dir: string): Promise<string> {
  try {
    const host = await target.resolve(dir);
    const rel = host.slice(target.root === '/' ? 0 : target.root.replace(/\/+$/, '').length);
    return rel.startsWith('/') ? rel : `/${rel}`;
  } catch {
    return dir;
  }
}

const USB_DEVICE_DIR = /^\d+-\d+(\.\d+)*$/;

interface BelowDevice {
  blocks: string[];
  /** SCSI inquiry strings of the first SCSI device with a disk (its `vendor`, `model`, `rev`). */
  scsi?: { vendor?: string; model?: string; revision?: string };
}

/**
 * Block devices below a USB device's folder (`…/host6/target6:0:0/6:0:0:0/block/sdb`) and the SCSI
 * inquiry strings of the device holding them; child devices behind an internal hub are not descended.
 */
async function blockDevicesBelow(target: Target, dir: string, out: BelowDevice = { blocks: [] }, depth = 0): Promise<BelowDevice> {
  if (depth > 8) return out;
  let ents;
  try {
    ents = await target.readDir(dir);
  } catch {
    return out;
  }
  for (const e of ents) {
    if (e.kind !== 'dir') continue; // symlinks (driver, subsystem, port…) lead elsewhere
    if (USB_DEVICE_DIR.test(e.name)) continue; // a child device behind an internal hub
    if (e.name === 'block') {
      try {
        for (const b of await target.readDir(`${dir}/block`)) if (b.kind === 'dir' && !out.blocks.includes(b.name)) out.blocks.push(b.name);
      } catch {
        // gone
      }
      if (!out.scsi) {
        const scsi: NonNullable<BelowDevice['scsi']> = {};
        const vendor = await text(target, `${dir}/vendor`);
        const model = await text(target, `${dir}/model`);
        const revision = await text(target, `${dir}/rev`);
        if (vendor) scsi.vendor = vendor;
        if (model) scsi.model = model;
        if (revision) scsi.revision = revision;
        if (vendor || model) out.scsi = scsi;
      }
      continue;
    }
    if (e.name === 'power' || e.name.startsWith('ep_')) continue;
    await blockDevicesBelow(target, `${dir}/${e.name}`, out, depth + 1);
  }
  return out;
}

/** USB devices attached now (live sysfs), one record per device; hubs and root hubs left out. */
export async function linuxUsbAttached(
  target: Target,
  opts: { signal?: AbortSignal } = {},
): Promise<{ records: UsbDeviceRecord[]; coverage: CoverageItem[] }> {
  const coverage: CoverageItem[] = [];
  const base = '/sys/bus/usb/devices';
  let all: string[];
  try {
    all = (await target.readDir(base)).map((e) => e.name);
  } catch {
    const sysfs = await target.exists('/sys/bus');
    coverage.push({
      kind: 'not-recorded',
      path: base,
      reason: sysfs
        ? 'sysfs has no USB bus (/sys/bus/usb): this machine has no USB host controller in use, so no USB device is attached now'
        : '/sys is not mounted or readable: USB devices attached now could not be listed',
      blocking: false,
    });
    return { records: [], coverage };
  }
  const byKey = new Map<string, UsbDeviceRecord>();
  for (const dev of all.filter((n) => USB_DEVICE_DIR.test(n))) {
    opts.signal?.throwIfAborted();
    const dir = `${base}/${dev}`;
    const vid = (await text(target, `${dir}/idVendor`))?.toLowerCase();
    const pid = (await text(target, `${dir}/idProduct`))?.toLowerCase();
    if (!vid || !pid) continue;
    const devClass = (await text(target, `${dir}/bDeviceClass`))?.toLowerCase();
    const classes = new Set<string>();
    let ifaceDrivers: string[] = [];
    for (const i of all.filter((n) => n.startsWith(`${dev}:`))) {
      const c = (await text(target, `${base}/${i}/bInterfaceClass`))?.toLowerCase();
      if (c) classes.add(c);
      const drv = /^DRIVER=(.+)$/m.exec((await text(target, `${base}/${i}/uevent`)) ?? '')?.[1];
      if (drv) ifaceDrivers = [...new Set([...ifaceDrivers, drv])];
    }
    if (devClass === '09' || classes.has('09')) continue; // a hub
    const serial = await text(target, `${dir}/serial`);
    const manufacturer = await text(target, `${dir}/manufacturer`);
    const product = await text(target, `${dir}/product`);
    const path = await canonical(target, dir);
    const below = await blockDevicesBelow(target, path);
    const blocks = below.blocks.sort();
    let removable: boolean | undefined;
    let sizeBytes = 0;
    for (const b of blocks) {
      const rm = await text(target, `/sys/block/${b}/removable`);
      if (rm !== undefined) removable = (removable ?? false) || rm === '1';
      const size = Number(await text(target, `/sys/block/${b}/size`));
      if (Number.isFinite(size)) sizeBytes += size * 512;
    }
    const key = deviceKey(vid, pid, serial);
    let r = byKey.get(key);
    if (!r) {
      r = { key, vid, pid, serialUnique: false, storage: false, phone: false, attachedNow: true, sources: [] };
      if (serial) setSerial(r, serial);
      if (manufacturer) r.manufacturer = manufacturer;
      if (product) {
        r.product = product;
        r['usbProduct'] = product;
      }
      // As in the logs: vendor/product/revision are the SCSI inquiry strings when there is a disk.
      if (below.scsi?.vendor) r.vendor = below.scsi.vendor;
      if (below.scsi?.model) r.product = below.scsi.model;
      if (below.scsi?.revision) r.revision = below.scsi.revision;
      byKey.set(key, r);
    }
    const cls = [...classes].sort();
    if (devClass && devClass !== '00' && devClass !== 'ef' && devClass !== 'ff') cls.push(devClass);
    for (const c of cls) r.interfaceClasses = addTo(r.interfaceClasses, c);
    if (classes.has('08') || blocks.length > 0) r.storage = true;
    const basis = phoneBasis(vid, pid, [product, manufacturer], [...classes], ifaceDrivers);
    if (basis) {
      r.phone = true;
      r['phoneBasis'] = basis;
    }
    const detail: Record<string, string | number | boolean | string[]> = { busPath: dev };
    const busnum = await text(target, `${dir}/busnum`);
    const devnum = await text(target, `${dir}/devnum`);
    const speed = await text(target, `${dir}/speed`);
    if (busnum) detail['busnum'] = Number(busnum);
    if (devnum) detail['devnum'] = Number(devnum);
    if (speed) detail['speedMbps'] = Number(speed);
    if (ifaceDrivers.length > 0) detail['drivers'] = ifaceDrivers.sort();
    if (blocks.length > 0) {
      detail['blockDevices'] = blocks;
      detail['sizeBytes'] = sizeBytes;
      if (removable !== undefined) detail['removable'] = removable;
    }
    r.sources.push({ kind: 'sysfs', source: dir, detail });
  }
  const records = [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  if (records.length === 0 && target.mode === 'live' && target.root === '/') {
    // sysfs is primary; node-usb (libusb) is asked only to say whether it sees something sysfs did not.
    const seen = await nodeUsbCount();
    if (seen !== undefined && seen > 0) {
      coverage.push({ kind: 'inconsistent', path: base, reason: `sysfs lists no USB device but libusb (node-usb) sees ${seen}: attached devices may be missing`, blocking: false });
    }
  }
  return { records, coverage };
}

/** Number of non-hub devices node-usb lists (undefined when it cannot be loaded). */
async function nodeUsbCount(): Promise<number | undefined> {
  try {
    const usb = (await import('usb')) as unknown as { getDeviceList(): Array<{ deviceDescriptor: { bDeviceClass: number } }> };
    return usb.getDeviceList().filter((d) => d.deviceDescriptor.bDeviceClass !== 9).length;
  } catch {
    return undefined;
  }
}
