/**
 * Parser of the kernel's USB lines in syslog-style text files (`/var/log/syslog*`, `kern.log*`,
 * `messages*`) and in `journalctl -o json` output. Pure: strings in, facts out; no file access.
 *
 * Line forms (each line is recognised on its own, so a file whose format changed midway is fine):
 *
 * - traditional syslog (rsyslog `RSYSLOG_TraditionalFileFormat`, Debian ≤ 11, RHEL, Kylin):
 *   `Nov 23 14:05:01 host kernel: [12345.678901] usb 1-1: …` — local wall-clock time **without a year
 *   or zone**;
 * - RFC 3339 (rsyslog's default `RSYSLOG_FileFormat`, Debian 12+, Ubuntu 24.04):
 *   `2024-11-23T14:05:01.123456+08:00 host kernel: usb 1-1: …`;
 * - RFC 5424 (`RSYSLOG_SyslogProtocol23Format`): `<6>1 2024-11-23T14:05:01.123+08:00 host kernel - - - usb 1-1: …`.
 *
 * Only lines whose program is `kernel` are read; the kernel's own `[seconds.micros]` prefix (printk time)
 * is kept as the monotonic time of the line. Years of year-less lines come from {@link assignSyslogYears}:
 * the newest line is at or before an anchor (the file's mtime, or the date in a `messages-YYYYMMDD` name)
 * and the year goes down whenever, reading backwards, the date goes up. Without an anchor such lines get
 * no time at all (never a guessed year).
 *
 * Kernel message formats (drivers/usb/core/hub.c `hub_port_init`, `announce_device`, `usb_disconnect`;
 * drivers/usb/storage/usb.c; drivers/scsi/scsi_scan.c `scsi_add_lun`; drivers/scsi/sd.c; drivers/usb/core/hub.c
 * `hub_probe`):
 *
 * ```
 * usb 1-2: new high-speed USB device number 5 using xhci_hcd
 * usb 1-2: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00
 * usb 1-2: New USB device strings: Mfr=1, Product=2, SerialNumber=3
 * usb 1-2: Product: Cruzer Blade
 * usb 1-2: Manufacturer: SanDisk
 * usb 1-2: SerialNumber: 4C530001230718117142
 * usb-storage 1-2:1.0: USB Mass Storage device detected
 * scsi host6: usb-storage 1-2:1.0                      (UAS: "scsi host2: uas", no bus path)
 * scsi 6:0:0:0: Direct-Access     SanDisk  Cruzer Blade     1.00 PQ: 0 ANSI: 6
 * sd 6:0:0:0: [sdb] 30529536 512-byte logical blocks: (15.6 GB/14.6 GiB)
 * sd 6:0:0:0: [sdb] Attached SCSI removable disk
 * hub 1-4:1.0: USB hub found
 * usb 1-2: USB disconnect, device number 5
 * ```
 *
 * {@link correlateUsbEvents} joins the lines of one attach by bus path (`1-2`, `2-1.4`), SCSI host number
 * and order, and returns one {@link KernelUsbAttach} per "New USB device found".
 *
 * Radios: {@link parseRadioKernelMessage} classifies the lines of Wi-Fi and Bluetooth drivers (what counts
 * as a radio is decided in its comment); {@link KernelEventScanner} is the scanner for any classifier
 * (it also reads bare `dmesg` files); {@link readLogLinesFrom} turns a file's bytes (plain or gzip,
 * within a budget) into lines — bytes in, lines out: the file is opened by the caller, through the Target.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

// ---------------------------------------------------------------------------------------------
// Lines and timestamps

/** Timestamp form of a log line. */
export type LogTimeForm = 'syslog' | 'rfc3339' | 'rfc5424';

/** A year-less syslog timestamp (local wall-clock time). */
export interface NaiveStamp {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One syslog-style line split into its parts. */
export interface LogLine {
  form: LogTimeForm;
  /** Traditional syslog: the year-less local time. */
  naive?: NaiveStamp;
  /** ISO forms: the instant (ms since the epoch, UTC). */
  utcMs?: number;
  /** ISO forms: the local wall-clock time the offset says, as ms of a naive (zone-less) date. */
  localMs?: number;
  host: string;
  /** Program (syslog tag / RFC 5424 APP-NAME), e.g. `kernel`, `systemd`. */
  program: string;
  message: string;
}

const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

const TRADITIONAL = /^([A-Z][a-z]{2}) ([ \d]?\d) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (.*)$/;
const ISO_TS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
/** `host program[pid]: message` or (no host) `kernel: message`. */
const HOST_TAG = /^(\S+) ([^\s:[\]]+)(?:\[\d+\])?:(?: (.*))?$/;
const TAG_ONLY = /^(kernel):(?: (.*))?$/;

/** Parse an RFC 3339 timestamp: the instant and the local wall-clock time (as naive ms). */
export function parseIsoTimestamp(s: string): { utcMs: number; localMs: number } | undefined {
  const m = ISO_TS.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const fracMs = frac ? Number(`0.${frac}`) * 1000 : 0;
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)) + Math.floor(fracMs);
  const check = new Date(localMs);
  if (!Number.isFinite(localMs) || check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59) return undefined;
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return { utcMs: localMs - offsetMin * 60_000, localMs };
}

/** Split a syslog-style line (any of the three forms); `undefined` when it is none of them. */
export function parseLogLine(raw: string): LogLine | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const c0 = line.charCodeAt(0);
  if (c0 === 60 /* < */) return parseRfc5424(line);
  if (c0 >= 48 && c0 <= 57) {
    const sp = line.indexOf(' ');
    if (sp < 0) return undefined;
    const ts = parseIsoTimestamp(line.slice(0, sp));
    if (!ts) return undefined;
    const rest = hostTag(line.slice(sp + 1));
    return rest ? { form: 'rfc3339', utcMs: ts.utcMs, localMs: ts.localMs, ...rest } : undefined;
  }
  const m = TRADITIONAL.exec(line);
  if (!m) return undefined;
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  const naive = { month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]) };
  if (naive.day < 1 || naive.day > 31 || naive.hour > 23 || naive.minute > 59 || naive.second > 60) return undefined;
  const rest = hostTag(m[6]!);
  return rest ? { form: 'syslog', naive, ...rest } : undefined;
}

function hostTag(s: string): { host: string; program: string; message: string } | undefined {
  const t = TAG_ONLY.exec(s);
  if (t) return { host: '', program: t[1]!, message: t[2] ?? '' };
  const m = HOST_TAG.exec(s);
  if (!m) return undefined;
  return { host: m[1]!, program: m[2]!, message: m[3] ?? '' };
}

/** `<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID [SD|-] MSG` */
function parseRfc5424(line: string): LogLine | undefined {
  const m = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (.*)$/.exec(line);
  if (!m) return undefined;
  const ts = m[1] === '-' ? undefined : parseIsoTimestamp(m[1]!);
  if (!ts) return undefined;
  let rest = m[6]!;
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
  } else if (rest.startsWith('[')) {
    // Structured data: one or more [id k="v" …] elements; `\]` and `\"` are escaped inside values.
    let i = 0;
    while (rest[i] === '[') {
      let inQuote = false;
      i++;
      for (; i < rest.length; i++) {
        const ch = rest[i];
        if (ch === '\\') {
          i++;
          continue;
        }
        if (ch === '"') inQuote = !inQuote;
        else if (ch === ']' && !inQuote) break;
      }
      i++;
    }
    rest = rest.slice(i);
  } else {
    return undefined;
  }
  if (rest.startsWith(' ')) rest = rest.slice(1);
  if (rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
  return { form: 'rfc5424', utcMs: ts.utcMs, localMs: ts.localMs, host: m[2]!, program: m[3]!, message: rest };
}

/** The kernel's printk time prefix `[ 3021.512345] ` (seconds since boot), in µs, and the rest. */
export function splitKernelMessage(message: string): { monoUs?: number; text: string } {
  const m = /^\[\s*(\d+)\.(\d{1,9})\]\s?/.exec(message);
  if (!m) return { text: message };
  const frac = (m[2]! + '000000').slice(0, 6);
  return { monoUs: Number(m[1]) * 1_000_000 + Number(frac), text: message.slice(m[0].length) };
}

// ---------------------------------------------------------------------------------------------
// Years of year-less lines

/** Upper bound of the newest line's local wall-clock time (naive ms), and what it was taken from. */
export interface YearAnchor {
  latestLocalMs: number;
  basis: 'mtime' | 'file-name-date';
}

/**
 * Local wall-clock time differs from UTC by at most +14 h (Line Islands): the newest line, written at or
 * before the file's mtime, reads at most mtime + 14 h on the machine's clock, whatever its zone.
 */
const MAX_ZONE_AHEAD_MS = 14 * 3600_000;

export function anchorFromMtime(mtimeMs: number): YearAnchor {
  return { latestLocalMs: mtimeMs + MAX_ZONE_AHEAD_MS, basis: 'mtime' };
}

/**
 * `messages-20240303` (logrotate `dateext`): rotated on that local date (with `dateyesterday`, the day
 * before the rotation), so its newest line is before the end of the next day.
 */
export function anchorFromRotationDate(yyyymmdd: string): YearAnchor | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(ms) || new Date(ms).getUTCDate() !== Number(m[3])) return undefined;
  return { latestLocalMs: ms + 2 * 86400_000 - 1000, basis: 'file-name-date' };
}

/**
 * Lines may be a little out of order (several writers, a clock set back at boot): a line later than the
 * next one by less than this keeps the next one's year; only a larger step back in time (Dec read after
 * Jan) is a year boundary.
 */
const DISORDER_MS = 86400_000;

const K_NONE = 0;
const K_NAIVE = 1;
const K_ABS = 2;

/** Growable typed columns: one row per line of a file (cheap for millions of lines). */
class StampColumns {
  kind = new Uint8Array(1024);
  val = new Float64Array(1024);
  n = 0;
  push(kind: number, val: number): number {
    if (this.n === this.kind.length) {
      const k = new Uint8Array(this.n * 2);
      k.set(this.kind);
      this.kind = k;
      const v = new Float64Array(this.n * 2);
      v.set(this.val);
      this.val = v;
    }
    this.kind[this.n] = kind;
    this.val[this.n] = val;
    return this.n++;
  }
}

/** Packed stamp of a traditional line `Mmm dd HH:MM:SS host prog: …` read at fixed positions (no regex). */
function traditionalStamp(line: string): number | undefined {
  if (line.length < 20 || line.charCodeAt(3) !== 32 || line.charCodeAt(6) !== 32 || line.charCodeAt(9) !== 58 || line.charCodeAt(12) !== 58 || line.charCodeAt(15) !== 32) return undefined;
  const month = MONTHS[line.slice(0, 3)];
  if (month === undefined) return undefined;
  const num = (i: number): number => {
    const a = line.charCodeAt(i) - 48;
    const b = line.charCodeAt(i + 1) - 48;
    return (a === -16 ? 0 : a) * 10 + b; // day may be space-padded
  };
  const day = num(4);
  const hour = num(7);
  const minute = num(10);
  const second = num(13);
  for (const v of [day, hour, minute, second]) if (!(v >= 0 && v <= 99)) return undefined;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  // Must have "host program:" after the stamp to be a syslog line (as parseLogLine requires).
  const sp = line.indexOf(' ', 16);
  const colon = line.indexOf(':', sp + 1);
  if (sp <= 16 || colon <= sp + 1) return undefined;
  const nextSpace = line.indexOf(' ', sp + 1);
  if (nextSpace >= 0 && nextSpace < colon) return undefined;
  return packNaive({ month, day, hour, minute, second });
}

function packNaive(s: NaiveStamp): number {
  return ((s.month * 32 + s.day) * 24 + s.hour) * 3600 + s.minute * 60 + s.second;
}

/** Start of a day as naive ms; NaN when the date does not exist (Feb 29 of a common year). Cached. */
class Calendar {
  private days = new Map<number, number>();
  private yearHint = 2000;

  dayStart(year: number, month: number, day: number): number {
    const key = year * 512 + month * 32 + day;
    let v = this.days.get(key);
    if (v === undefined) {
      const ms = Date.UTC(year, month - 1, day);
      const d = new Date(ms);
      v = d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ms : Number.NaN;
      this.days.set(key, v);
    }
    return v;
  }

  yearOf(ms: number): number {
    let y = this.yearHint;
    while (ms >= this.dayStart(y + 1, 1, 1)) y++;
    while (ms < this.dayStart(y, 1, 1)) y--;
    this.yearHint = y;
    return y;
  }

  /** Naive ms of a packed stamp in a year; NaN when that date does not exist. */
  naiveMs(year: number, packed: number): number {
    const secOfDay = packed % 86400;
    const md = (packed - secOfDay) / 86400;
    const day = md % 32;
    return this.dayStart(year, (md - day) / 32, day) + secOfDay * 1000;
  }
}

/**
 * Walk backwards from the anchor: each year-less line gets the latest year that puts it at or before the
 * line after it (plus {@link DISORDER_MS}), the newest line at or before the anchor. A Feb 29 lands in
 * the latest leap year that fits. Lines with a full date (ISO) re-anchor the walk. Returns naive ms per
 * row (NaN when the row has no time).
 */
function resolveColumns(cols: StampColumns, anchor: YearAnchor | undefined): Float64Array {
  const out = new Float64Array(cols.n).fill(Number.NaN);
  const cal = new Calendar();
  let cur = anchor?.latestLocalMs;
  let tol = 0;
  for (let i = cols.n - 1; i >= 0; i--) {
    const k = cols.kind[i];
    const v = cols.val[i]!;
    if (k === K_ABS) {
      out[i] = v;
      cur = v;
      tol = DISORDER_MS;
      continue;
    }
    if (k !== K_NAIVE || cur === undefined) continue;
    const limit = cur + tol;
    let year = cal.yearOf(limit);
    let ms = Number.NaN;
    for (let tries = 0; tries < 10; tries++, year--) {
      ms = cal.naiveMs(year, v);
      if (ms <= limit) break; // false for NaN too
      ms = Number.NaN;
    }
    if (Number.isNaN(ms)) continue;
    out[i] = ms;
    cur = ms;
    tol = DISORDER_MS;
  }
  return out;
}

/** A row for {@link assignSyslogYears}: a year-less stamp, a full local time (ISO line), or nothing. */
export type StampInput = NaiveStamp | { localMs: number } | null | undefined;

/**
 * Years for year-less syslog stamps in file order (oldest first), given the anchor of the newest line.
 * Returns naive local times `YYYY-MM-DDTHH:MM:SS` (`undefined` where there is no basis).
 */
export function assignSyslogYears(stamps: readonly StampInput[], anchor: YearAnchor | undefined): (string | undefined)[] {
  const cols = new StampColumns();
  for (const s of stamps) {
    if (!s) cols.push(K_NONE, 0);
    else if ('localMs' in s) cols.push(K_ABS, s.localMs);
    else cols.push(K_NAIVE, packNaive(s));
  }
  const ms = resolveColumns(cols, anchor);
  return [...ms].map((v) => (Number.isNaN(v) ? undefined : naiveIso(v)));
}

/** `YYYY-MM-DDTHH:MM:SS` of a naive ms value. */
export function naiveIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

// ---------------------------------------------------------------------------------------------
// Kernel USB messages

const BUS = String.raw`\d+-\d+(?:\.\d+)*`;
const IFACE = String.raw`(${BUS}):\d+\.\d+`;

/** One kernel message about USB / USB storage, classified. */
export type UsbKernelEvent =
  | { type: 'new'; busPath: string; devnum: number; speed: string; hcd: string }
  | { type: 'found'; busPath: string; vid: string; pid: string; bcdDevice?: string }
  | { type: 'strings'; busPath: string; mfr: number; product: number; serial: number }
  | { type: 'string'; busPath: string; field: 'product' | 'manufacturer' | 'serial'; value: string }
  | { type: 'disconnect'; busPath: string; devnum: number }
  | { type: 'storage'; busPath: string; driver: 'usb-storage' | 'uas' }
  | { type: 'scsi-host'; host: number; driver: 'usb-storage' | 'uas'; busPath?: string }
  | { type: 'scsi-inquiry'; host: number; deviceType: string; vendor: string; model: string; revision: string }
  | { type: 'scsi-capacity'; host: number; disk: string; bytes: number }
  | { type: 'scsi-disk'; host: number; disk: string; removable: boolean }
  | { type: 'hub'; busPath: string }
  | { type: 'acm'; busPath: string; tty: string }
  | { type: 'hid'; busPath: string; name: string }
  | { type: 'iphone-net'; busPath: string }
  | { type: 'boot' };

const RE = {
  newDev: new RegExp(String.raw`^usb (${BUS}): new (.+?) USB device number (\d+) using (\S+)`),
  found: new RegExp(String.raw`^usb (${BUS}|usb\d+): New USB device found, idVendor=([0-9a-fA-F]{4}), idProduct=([0-9a-fA-F]{4})(?:, bcdDevice=\s*([0-9a-fA-F]+\.[0-9a-fA-F]+))?`),
  strings: new RegExp(String.raw`^usb (${BUS}|usb\d+): New USB device strings: Mfr=(\d+), Product=(\d+), SerialNumber=(\d+)`),
  string: new RegExp(String.raw`^usb (${BUS}|usb\d+): (Product|Manufacturer|SerialNumber): ?(.*)$`),
  disconnect: new RegExp(String.raw`^usb (${BUS}): USB disconnect, device number (\d+)`),
  storage: new RegExp(String.raw`^usb-storage ${IFACE}: USB Mass Storage device detected`),
  uasIface: new RegExp(String.raw`^uas ${IFACE}: `),
  uasIgnored: new RegExp(String.raw`^usb (${BUS}): UAS is ignored for this device`),
  hostUsbStorage: new RegExp(String.raw`^scsi host(\d+): usb-storage ${IFACE}\s*$`),
  hostUas: /^scsi host(\d+): uas\s*$/,
  inquiry: /^scsi (\d+):\d+:\d+:\d+: (.{17}) (.{8}) (.{16}) (.{4}) PQ: \d+ ANSI: \d+/,
  inquiryLoose: /^scsi (\d+):\d+:\d+:\d+: (\S+)\s+(.*?)\s+PQ: \d+ ANSI: \d+/,
  capacity: /^sd (\d+):\d+:\d+:\d+: \[(\w+)\] (\d+) (\d+)-byte logical blocks/,
  disk: /^sd (\d+):\d+:\d+:\d+: \[(\w+)\] Attached SCSI (removable )?disk/,
  hub: new RegExp(String.raw`^hub ${IFACE}: USB hub found`),
  acm: new RegExp(String.raw`^cdc_acm ${IFACE}: (tty\w+): USB ACM device`),
  input: new RegExp(String.raw`^input: (.*) as /devices/\S*/(${BUS}):\d+\.\d+/`),
  ipheth: new RegExp(String.raw`^ipheth ${IFACE}: Apple iPhone USB Ethernet`),
  boot: /^Linux version \d/,
};

/** Classify one kernel message (printk time prefix already removed); `undefined` when not about USB. */
export function parseUsbKernelMessage(text: string): UsbKernelEvent | undefined {
  let m: RegExpExecArray | null;
  const c = text.charCodeAt(0);
  if (c === 117 /* u */) {
    if ((m = RE.found.exec(text))) {
      const e: UsbKernelEvent = { type: 'found', busPath: m[1]!, vid: m[2]!.toLowerCase(), pid: m[3]!.toLowerCase() };
      if (m[4]) e.bcdDevice = m[4];
      return e;
    }
    if ((m = RE.newDev.exec(text))) return { type: 'new', busPath: m[1]!, speed: m[2]!, devnum: Number(m[3]), hcd: m[4]! };
    if ((m = RE.strings.exec(text))) return { type: 'strings', busPath: m[1]!, mfr: Number(m[2]), product: Number(m[3]), serial: Number(m[4]) };
    if ((m = RE.string.exec(text))) {
      const field = m[2] === 'Product' ? 'product' : m[2] === 'Manufacturer' ? 'manufacturer' : 'serial';
      return { type: 'string', busPath: m[1]!, field, value: m[3]!.trim() };
    }
    if ((m = RE.disconnect.exec(text))) return { type: 'disconnect', busPath: m[1]!, devnum: Number(m[2]) };
    if ((m = RE.storage.exec(text))) return { type: 'storage', busPath: m[1]!, driver: 'usb-storage' };
    if ((m = RE.uasIface.exec(text))) return { type: 'storage', busPath: m[1]!, driver: 'uas' };
    if ((m = RE.uasIgnored.exec(text))) return { type: 'storage', busPath: m[1]!, driver: 'usb-storage' };
    return undefined;
  }
  if (c === 115 /* s */) {
    if ((m = RE.hostUsbStorage.exec(text))) return { type: 'scsi-host', host: Number(m[1]), driver: 'usb-storage', busPath: m[2]! };
    if ((m = RE.hostUas.exec(text))) return { type: 'scsi-host', host: Number(m[1]), driver: 'uas' };
    if ((m = RE.inquiry.exec(text))) {
      return { type: 'scsi-inquiry', host: Number(m[1]), deviceType: m[2]!.trim(), vendor: m[3]!.trim(), model: m[4]!.trim(), revision: m[5]!.trim() };
    }
    if ((m = RE.inquiryLoose.exec(text))) {
      // Not the kernel's fixed widths (a transport squeezed the spaces): vendor and model cannot be
      // told apart reliably, so the whole string is the model.
      return { type: 'scsi-inquiry', host: Number(m[1]), deviceType: m[2]!, vendor: '', model: m[3]!.trim(), revision: '' };
    }
    if ((m = RE.disk.exec(text))) return { type: 'scsi-disk', host: Number(m[1]), disk: m[2]!, removable: m[3] !== undefined };
    if ((m = RE.capacity.exec(text))) return { type: 'scsi-capacity', host: Number(m[1]), disk: m[2]!, bytes: Number(m[3]) * Number(m[4]) };
    return undefined;
  }
  if ((m = RE.hub.exec(text))) return { type: 'hub', busPath: m[1]! };
  if ((m = RE.acm.exec(text))) return { type: 'acm', busPath: m[1]!, tty: m[2]! };
  if ((m = RE.input.exec(text))) return { type: 'hid', busPath: m[2]!, name: m[1]! };
  if ((m = RE.ipheth.exec(text))) return { type: 'iphone-net', busPath: m[1]! };
  if (RE.boot.test(text)) return { type: 'boot' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Scanning a file

/** Where and when a kernel message was logged. */
export interface KernelUsbStamp {
  /** Naive local `YYYY-MM-DDTHH:MM:SS` (`local: true`) or UTC `…Z`; absent when no year could be found. */
  time?: string;
  /** Comparable ms (naive-as-UTC for local times). */
  timeMs?: number;
  local: boolean;
  /** Kernel monotonic time (µs since boot) when the line carries it. */
  monoUs?: number;
  /** Journal boot id. */
  boot?: string;
  /** File (target path) or journal the line came from. */
  source: string;
  /** 1-based line number in the source (files only). */
  line?: number;
}

/** A kernel USB message with its time and origin. */
export interface KernelUsbLine extends KernelUsbStamp {
  event: UsbKernelEvent;
}

/** What a file held, after years were assigned. */
export interface KernelLogScan {
  source: string;
  lines: number;
  /** Lines in each timestamp form. */
  forms: Record<LogTimeForm, number>;
  kernelLines: number;
  events: KernelUsbLine[];
  /** USB kernel lines left without a time (year-less lines and no anchor). */
  undated: number;
  /** Oldest and newest line times of the file (local naive or UTC, as the lines give them). */
  oldest?: string;
  newest?: string;
  yearBasis?: YearAnchor['basis'];
}

interface Pending {
  row: number;
  lineNo: number;
  event: UsbKernelEvent;
  monoUs?: number;
  utcMs?: number;
}

/**
 * Streaming scanner of one log file: push lines (oldest first), then `finish` with the file's year anchor.
 * Keeps one timestamp per line (typed arrays) and only the USB kernel lines themselves.
 */
export class KernelLogScanner {
  private cols = new StampColumns();
  private pending: Pending[] = [];
  private lineNo = 0;
  private kernelLines = 0;
  private forms: Record<LogTimeForm, number> = { syslog: 0, rfc3339: 0, rfc5424: 0 };
  private firstUtc: number | undefined;
  private lastUtc: number | undefined;

  constructor(readonly source: string) {}

  push(raw: string): void {
    this.lineNo++;
    // Fast path for the bulk of a log: a traditional line of another program needs only its stamp.
    if (raw.indexOf(' kernel', 15) < 0) {
      const packed = traditionalStamp(raw);
      if (packed !== undefined) {
        this.forms.syslog++;
        this.cols.push(K_NAIVE, packed);
        return;
      }
    }
    const l = parseLogLine(raw);
    if (!l) {
      this.cols.push(K_NONE, 0);
      return;
    }
    this.forms[l.form]++;
    const row = l.naive ? this.cols.push(K_NAIVE, packNaive(l.naive)) : this.cols.push(K_ABS, l.localMs!);
    if (l.utcMs !== undefined) {
      this.firstUtc ??= l.utcMs;
      this.lastUtc = l.utcMs;
    }
    if (l.program !== 'kernel') return;
    this.kernelLines++;
    const { monoUs, text } = splitKernelMessage(l.message);
    const event = parseUsbKernelMessage(text);
    if (!event) return;
    const p: Pending = { row, lineNo: this.lineNo, event };
    if (monoUs !== undefined) p.monoUs = monoUs;
    if (l.utcMs !== undefined) p.utcMs = l.utcMs;
    this.pending.push(p);
  }

  finish(anchor: YearAnchor | undefined): KernelLogScan {
    const ms = resolveColumns(this.cols, anchor);
    const events: KernelUsbLine[] = [];
    let undated = 0;
    for (const p of this.pending) {
      const e: KernelUsbLine = { event: p.event, local: p.utcMs === undefined, source: this.source, line: p.lineNo };
      if (p.utcMs !== undefined) {
        e.time = new Date(p.utcMs).toISOString();
        e.timeMs = p.utcMs;
      } else {
        const v = ms[p.row]!;
        if (Number.isNaN(v)) undated++;
        else {
          e.time = naiveIso(v);
          e.timeMs = v;
        }
      }
      if (p.monoUs !== undefined) e.monoUs = p.monoUs;
      events.push(e);
    }
    const scan: KernelLogScan = { source: this.source, lines: this.lineNo, forms: this.forms, kernelLines: this.kernelLines, events, undated };
    const ends = this.endTimes(ms);
    if (ends.oldest) scan.oldest = ends.oldest;
    if (ends.newest) scan.newest = ends.newest;
    if (anchor && this.forms.syslog > 0) scan.yearBasis = anchor.basis;
    return scan;
  }

  private endTimes(ms: Float64Array): { oldest?: string; newest?: string } {
    const timeAt = (i: number, utc: number | undefined): string | undefined => {
      const k = this.cols.kind[i];
      if (k === K_ABS) return utc !== undefined ? new Date(utc).toISOString() : undefined;
      if (k === K_NAIVE && !Number.isNaN(ms[i]!)) return naiveIso(ms[i]!);
      return undefined;
    };
    const out: { oldest?: string; newest?: string } = {};
    for (let i = 0; i < this.cols.n; i++) {
      const t = timeAt(i, this.firstUtc);
      if (t) {
        out.oldest = t;
        break;
      }
    }
    for (let i = this.cols.n - 1; i >= 0; i--) {
      const t = timeAt(i, this.lastUtc);
      if (t) {
        out.newest = t;
        break;
      }
    }
    return out;
  }
}

/** Scan a whole log text (see {@link KernelLogScanner}). */
export function scanKernelLog(text: string, source: string, anchor: YearAnchor | undefined): KernelLogScan {
  const s = new KernelLogScanner(source);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) s.push(l);
  return s.finish(anchor);
}

// ---------------------------------------------------------------------------------------------
// systemd journal (`journalctl -o json`)

/** One kernel entry of `journalctl -o json`. */
export interface JournalKernelEntry {
  /** `__REALTIME_TIMESTAMP` (µs since the epoch, UTC). */
  realtimeUs: number;
  message: string;
  /** `_SOURCE_MONOTONIC_TIMESTAMP` (µs since boot: the kernel's own printk time). */
  monoUs?: number;
  bootId?: string;
}

function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // Non-UTF-8 or binary values are arrays of byte values; a field given twice is an array of values.
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return Buffer.from(v as number[]).toString('utf8');
    const first = v.find((x) => typeof x === 'string');
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

/** Parse one line of `journalctl -o json`; `undefined` for anything else (`-- No entries --`, damage). */
export function parseJournalJsonLine(line: string): JournalKernelEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const rt = fieldText(o['__REALTIME_TIMESTAMP']);
  const message = fieldText(o['MESSAGE']);
  if (!rt || !/^\d+$/.test(rt) || message === undefined) return undefined;
  const e: JournalKernelEntry = { realtimeUs: Number(rt), message };
  const mono = fieldText(o['_SOURCE_MONOTONIC_TIMESTAMP']);
  if (mono && /^\d+$/.test(mono)) e.monoUs = Number(mono);
  const boot = fieldText(o['_BOOT_ID']);
  if (boot) e.bootId = boot;
  return e;
}

/** The USB line of a journal kernel entry (message without printk prefix), or `undefined`. */
export function journalUsbLine(e: JournalKernelEntry, source: string): KernelUsbLine | undefined {
  const { monoUs, text } = splitKernelMessage(e.message);
  const event = parseUsbKernelMessage(text);
  if (!event) return undefined;
  const ms = Math.floor(e.realtimeUs / 1000);
  const l: KernelUsbLine = { event, time: new Date(ms).toISOString(), timeMs: ms, local: false, source };
  const mono = e.monoUs ?? monoUs;
  if (mono !== undefined) l.monoUs = mono;
  if (e.bootId) l.boot = e.bootId;
  return l;
}

// ---------------------------------------------------------------------------------------------
// Correlation

/** One attach of one device ("New USB device found" and the lines around it). */
export interface KernelUsbAttach {
  busPath: string;
  devnum?: number;
  speed?: string;
  vid: string;
  pid: string;
  bcdDevice?: string;
  manufacturer?: string;
  product?: string;
  serial?: string;
  /** Storage: usb-storage / uas bound, or a SCSI disk on its host. */
  storage: boolean;
  storageDriver?: 'usb-storage' | 'uas';
  hub: boolean;
  /** Interface classes implied by the drivers that bound: 08 storage, 02 CDC ACM, 03 HID, 09 hub. */
  interfaceClasses: string[];
  scsi?: { deviceType: string; vendor: string; model: string; revision: string };
  disks: string[];
  removable?: boolean;
  sizeBytes?: number;
  /** Hints that it is a phone, from drivers (`ipheth`). */
  phoneHints: string[];
  connected: KernelUsbStamp;
  removed?: KernelUsbStamp;
}

interface Open {
  a: KernelUsbAttach | undefined; // undefined until "New USB device found" names the device
  devnum?: number;
  speed?: string;
  started: KernelUsbStamp;
}

function stampOf(l: KernelUsbLine): KernelUsbStamp {
  const s: KernelUsbStamp = { local: l.local, source: l.source };
  if (l.time !== undefined) s.time = l.time;
  if (l.timeMs !== undefined) s.timeMs = l.timeMs;
  if (l.monoUs !== undefined) s.monoUs = l.monoUs;
  if (l.boot !== undefined) s.boot = l.boot;
  if (l.line !== undefined) s.line = l.line;
  return s;
}

function addClass(a: KernelUsbAttach, c: string): void {
  if (!a.interfaceClasses.includes(c)) {
    a.interfaceClasses.push(c);
    a.interfaceClasses.sort();
  }
}

/** How long after an attach a `scsi hostN: uas` line (which names no bus path) may follow it. */
const UAS_WINDOW_US = 30_000_000;

/**
 * Join the USB lines of one log stream (oldest first; may span several files of one rotation set and
 * several boots) into attaches. Root hubs (`usb usb1`) are left out; hubs are returned with `hub: true`.
 */
export function correlateUsbEvents(lines: Iterable<KernelUsbLine>): KernelUsbAttach[] {
  const out: KernelUsbAttach[] = [];
  let open = new Map<string, Open>();
  let hosts = new Map<number, KernelUsbAttach>();
  let lastAttach: { a: KernelUsbAttach; monoUs?: number } | undefined;
  let boot: string | undefined;
  let lastMono: number | undefined;
  const reset = (): void => {
    open = new Map();
    hosts = new Map();
    lastAttach = undefined;
  };
  const current = (busPath: string): KernelUsbAttach | undefined => open.get(busPath)?.a;

  for (const l of lines) {
    // A new boot: different journal boot id, "Linux version", or the kernel clock going back.
    if (l.boot !== undefined && boot !== undefined && l.boot !== boot) reset();
    if (l.boot !== undefined) boot = l.boot;
    if (l.monoUs !== undefined) {
      if (lastMono !== undefined && l.monoUs + 1_000_000 < lastMono) reset();
      lastMono = l.monoUs;
    }
    const e = l.event;
    switch (e.type) {
      case 'boot':
        reset();
        break;
      case 'new': {
        open.set(e.busPath, { a: undefined, devnum: e.devnum, speed: e.speed, started: stampOf(l) });
        break;
      }
      case 'found': {
        if (e.busPath.startsWith('usb')) break; // root hub
        let o = open.get(e.busPath);
        if (!o || o.a) {
          // No "new … device number" line (or a second "found" without one): a new attach all the same.
          o = { a: undefined, started: stampOf(l) };
          open.set(e.busPath, o);
        }
        const a: KernelUsbAttach = {
          busPath: e.busPath,
          vid: e.vid,
          pid: e.pid,
          storage: false,
          hub: false,
          interfaceClasses: [],
          disks: [],
          phoneHints: [],
          connected: stampOf(l),
        };
        if (o.devnum !== undefined) a.devnum = o.devnum;
        if (o.speed !== undefined) a.speed = o.speed;
        if (e.bcdDevice !== undefined) a.bcdDevice = e.bcdDevice;
        o.a = a;
        out.push(a);
        lastAttach = l.monoUs !== undefined ? { a, monoUs: l.monoUs } : { a };
        break;
      }
      case 'strings':
        break;
      case 'string': {
        const a = current(e.busPath);
        if (a && e.value !== '' && a[e.field] === undefined) a[e.field] = e.value;
        break;
      }
      case 'disconnect': {
        const o = open.get(e.busPath);
        if (!o) break;
        if (o.a && (o.a.devnum === undefined || o.a.devnum === e.devnum)) o.a.removed = stampOf(l);
        open.delete(e.busPath);
        for (const [h, a] of hosts) if (a === o.a) hosts.delete(h);
        break;
      }
      case 'storage': {
        const a = current(e.busPath);
        if (a) {
          a.storage = true;
          a.storageDriver ??= e.driver;
          if (e.driver === 'uas') a.storageDriver = 'uas';
          addClass(a, '08');
        }
        break;
      }
      case 'scsi-host': {
        let a: KernelUsbAttach | undefined;
        if (e.busPath !== undefined) a = current(e.busPath);
        else if (lastAttach && open.get(lastAttach.a.busPath)?.a === lastAttach.a) {
          // `scsi hostN: uas` names no bus path: the device attached just before, still connected.
          const near = lastAttach.monoUs === undefined || l.monoUs === undefined || l.monoUs - lastAttach.monoUs <= UAS_WINDOW_US;
          if (near) a = lastAttach.a;
        }
        if (a) {
          hosts.set(e.host, a);
          a.storage = true;
          if (e.driver === 'uas') a.storageDriver = 'uas';
          else a.storageDriver ??= 'usb-storage';
          addClass(a, '08');
        }
        break;
      }
      case 'scsi-inquiry': {
        const a = hosts.get(e.host);
        if (a && !a.scsi) a.scsi = { deviceType: e.deviceType, vendor: e.vendor, model: e.model, revision: e.revision };
        break;
      }
      case 'scsi-capacity': {
        const a = hosts.get(e.host);
        if (a && e.bytes > 0) a.sizeBytes = (a.sizeBytes ?? 0) + e.bytes;
        break;
      }
      case 'scsi-disk': {
        const a = hosts.get(e.host);
        if (a) {
          if (!a.disks.includes(e.disk)) a.disks.push(e.disk);
          a.removable = (a.removable ?? false) || e.removable;
          a.storage = true;
        }
        break;
      }
      case 'hub': {
        const a = current(e.busPath);
        if (a) {
          a.hub = true;
          addClass(a, '09');
        }
        break;
      }
      case 'acm': {
        const a = current(e.busPath);
        if (a) addClass(a, '02');
        break;
      }
      case 'hid': {
        const a = current(e.busPath);
        if (a) addClass(a, '03');
        break;
      }
      case 'iphone-net': {
        const a = current(e.busPath);
        if (a && !a.phoneHints.includes('ipheth')) a.phoneHints.push('ipheth');
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kernel messages that name a radio (Wi-Fi, Bluetooth)

/**
 * One kernel message that shows a Wi-Fi or Bluetooth radio was there.
 *
 * What counts, and what does not (decided once, here):
 * - A line of a wireless **device driver that names its device** (`iwlwifi 0000:00:14.3: …`,
 *   `brcmfmac mmc1:0001:1: …`, `rt2800usb 1-1.3:1.0 wlan1: renamed from …`, `hci_uart_bcm serial0-0: …`):
 *   the driver probed real hardware. A radio.
 * - A line of such a driver **without a device** (`brcmfmac: F1 signature read …`, `rtl8192cu: Chip
 *   version 0x10`): drivers print these while probing hardware, so they count — except the banners a
 *   module prints when it is merely loaded (`iwlwifi: Intel(R) Wireless WiFi driver for Linux`, copyright,
 *   `taints kernel`, staging warnings, `module_init … No platform data`), which do not.
 * - `usbcore: registered new interface driver X`: the module registered itself. Not a radio (brcmfmac
 *   registers its USB driver on a Raspberry Pi whose radio is on SDIO; a module can be loaded by hand
 *   or by /etc/modules). Not returned.
 * - `cfg80211: …` (regulatory database, X.509 certificates): the 802.11 stack loading. Not a radio.
 * - `Bluetooth: Core ver 2.22`, `Bluetooth: HCI device and connection manager initialized`, `HCI socket
 *   layer`, `L2CAP`, `SCO`, `RFCOMM`, `BNEP`, `HIDP`, `HCI UART driver ver`, `HCI UART protocol … registered`:
 *   the Bluetooth core and protocol modules, which bluetoothd and distributions load with or without an
 *   adapter. Not a radio.
 * - `Bluetooth: hci0: …`: a Bluetooth controller was **registered** (`hci0` exists only for a controller).
 *   A radio.
 * - `ieee80211 phy0: …`: mac80211 registered a wireless hardware (a phy) — a radio, unless the phy is the
 *   test driver `mac80211_hwsim`'s (the caller drops phys when hwsim lines are present).
 * - `wlan0: associated`, `wlp2s0: authenticate with …`, `ADDRCONF(NETDEV_CHANGE): wlan0: link becomes
 *   ready`: a wireless interface (names `wl…` are given only to 802.11 interfaces) was used. A radio.
 */
export interface RadioKernelEvent {
  type: 'radio';
  kind: 'wifi' | 'bluetooth';
  /** Driver (`brcmfmac`, `iwlwifi`, `rt2800usb`…), `bluetooth` (hciN lines), `mac80211` (phyN), `wireless-interface`. */
  driver: string;
  /** The device the driver named: PCI `0000:00:14.3`, USB interface `1-1.3:1.0`, SDIO `mmc1:0001:1`, `serial0-0`. */
  device?: string;
  /** Interface (`wlan0`, `wlp2s0`, `hci0`, `phy0`). */
  iface?: string;
  /** What the line shows: a driver at work, firmware loaded, a controller registered, an association. */
  what: 'driver' | 'firmware' | 'controller' | 'phy' | 'association' | 'link';
  /** The chip or firmware the line names, when it names one (`BCM4345/6`, `iwlwifi-QuZ-a0-hr-b0-59.ucode`). */
  detail?: string;
}

/** Wi-Fi drivers of Linux (drivers/net/wireless, staging, and common out-of-tree Realtek drivers). */
const WIFI_DRIVER = new RegExp(
  '^(?:' +
    [
      'brcmfmac', 'brcmsmac', 'b43', 'b43legacy', 'wl',
      'iwlwifi', 'iwl3945', 'iwl4965', 'ipw2100', 'ipw2200',
      'ath5k', 'ath6kl(?:_usb|_sdio)?', 'ath9k', 'ath9k_htc', 'ath10k_(?:pci|usb|sdio|snoc)', 'ath11k(?:_pci|_ahb)?', 'ath12k(?:_pci)?',
      'carl9170', 'ar5523', 'wcn36xx', 'wil6210',
      'rt2400pci', 'rt2500pci', 'rt2500usb', 'rt61pci', 'rt73usb', 'rt2800pci', 'rt2800usb', 'rt2800soc', 'rt2x00(?:lib|usb|pci|mmio)?',
      'rtl8xxxu', 'rtl8187', 'rtl8180', 'rtl8192cu', 'rtl8192ce', 'rtl8192se', 'rtl8192de', 'rtl8192ee', 'rtl8188ee', 'rtl8723ae',
      'rtl8723be', 'rtl8821ae', 'rtl_usb', 'rtl_pci', 'rtlwifi', 'rtw_8\\w+', 'rtw88_\\w+', 'rtw89_\\w+', 'rtw89core', 'rtw88core',
      'r8188eu', 'rtl8188eu', '8188eu', '8192eu', '8821cu', '8821au', '8812au', '88x2bu', '88XXau', 'rtl88x2bu', 'rtl8723bs', 'r8712u', 'r8192u_usb', 'rtl8192u',
      'vt6656(?:_stage)?', 'vt6655(?:_stage)?',
      'mt7601u', 'mt76x0u', 'mt76x0e', 'mt76x2u', 'mt76x2e', 'mt7603e', 'mt7615e', 'mt7663u', 'mt7663s', 'mt7921e', 'mt7921u', 'mt7921s',
      'mt7925e', 'mt7925u', 'mt7915e', 'mt7996e', 'mt76_usb', 'mt76',
      'mwifiex(?:_pcie|_usb|_sdio)?', 'mwl8k', 'libertas(?:_sdio|_spi)?', 'usb8xxx', 'lbtf_usb', 'p54usb', 'p54pci', 'p54spi', 'zd1211rw',
      'at76c50x-usb', 'orinoco\\w*', 'prism2_usb', 'wilc1000(?:-sdio|-spi)?', 'wfx', 'wl1251', 'wlcore', 'wl12xx', 'wl18xx', 'cw1200\\w*',
      'rsi_91x', 'rsi_usb', 'rsi_sdio', 'qtnfmac\\w*', 'plfxlc', 'rndis_wlan', 'airo',
    ].join('|') +
    ')$',
);

/** Bluetooth controller drivers (drivers/bluetooth). `hci_vhci` (virtual) is not one. */
const BT_DRIVER = /^(?:btusb|btintel|btbcm|btrtl|btmtk|btmtksdio|btmtkuart|btqca|btsdio|btmrvl(?:_sdio)?|bcm203x|bfusb|bpa10x|ath3k|hci_uart(?:_\w+)?|hci_bcm|hci_h5|hci_ll|hci_qca|hci_nokia|btnxpuart)$/;

/** Banners of a module that was merely loaded (no device yet). */
const MODULE_BANNER = /driver for Linux|copyright|taints kernel|staging directory|quality is unknown|\bmodule\b.*\b(verification|license|is from|init)|module_init|No platform data|unknown parameter|disagrees about version|Unknown symbol|^\s*version\b|driver version|registered new|unloaded|loading out-of-tree/i;

/** `<driver>[ <device>][ <iface>]: message` — the form of dev_printk/netdev_printk and pr_fmt lines. */
const DRIVER_LINE = /^([A-Za-z][\w-]*)(?: ((?:[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])|(?:\d+-\d+(?:\.\d+)*(?::\d+\.\d+)?)|(?:mmc\d+:[0-9a-f]{4}:\d+)|(?:serial\d+-\d+)|(?:[\w.@-]+?)))?(?: (wl[a-z0-9]+|wlan\d+))?: (.*)$/;

const WIFI_IFACE = String.raw`wl[a-z0-9]+`;
const ASSOC = new RegExp(String.raw`^(${WIFI_IFACE}): (associated|authenticate with|authenticated|send auth to|associate with|RX AssocResp from|deauthenticating from|disassociated from|deauthenticated from|Connection to AP \S+ lost|disconnect from AP|Limiting TX power)`);
const LINK = new RegExp(String.raw`^IPv6: ADDRCONF\(NETDEV_(?:UP|CHANGE)\): (${WIFI_IFACE}): link`);
const HCI = /^Bluetooth: (hci\d+)[: ] ?(.*)$/;
const PHY = /^ieee80211 (phy\d+): (.*)$/;
const FIRMWARE = /(?:loaded firmware version \S+ (\S+\.ucode)|[Ff]irmware(?: file)?:? (?:direct-loading firmware )?([\w./-]+\.(?:bin|ucode|hcd|sfi|txt|fw|clm_blob))|using (\S+) for chip (\S+)|Firmware: (BCM\S+))/;

/** Classify one kernel message (printk time prefix removed) as a radio line; `undefined` otherwise. */
export function parseRadioKernelMessage(text: string): RadioKernelEvent | undefined {
  let m: RegExpExecArray | null;
  if ((m = HCI.exec(text))) {
    const e: RadioKernelEvent = { type: 'radio', kind: 'bluetooth', driver: 'bluetooth', iface: m[1]!, what: 'controller' };
    const fw = FIRMWARE.exec(m[2]!);
    if (fw) e.detail = fw[1] ?? fw[2] ?? fw[3] ?? fw[5];
    return e;
  }
  if ((m = ASSOC.exec(text))) return { type: 'radio', kind: 'wifi', driver: 'wireless-interface', iface: m[1]!, what: 'association' };
  if ((m = LINK.exec(text))) return { type: 'radio', kind: 'wifi', driver: 'wireless-interface', iface: m[1]!, what: 'link' };
  if ((m = PHY.exec(text))) {
    const e: RadioKernelEvent = { type: 'radio', kind: 'wifi', driver: 'mac80211', iface: m[1]!, what: 'phy' };
    const hint = /^(rt2x00|rt2800)\w*: /.exec(m[2]!);
    if (hint) e.driver = 'rt2x00';
    const chip = /RT chipset (\w+)/.exec(m[2]!) ?? /^(Atheros AR\w+)/.exec(m[2]!);
    if (chip) e.detail = chip[1]!;
    return e;
  }
  // The first word must be a wireless driver's name before the full line is matched (the bulk of a log is not).
  const sp = text.indexOf(' ');
  const co = text.indexOf(':');
  const end = sp < 0 ? co : co < 0 ? sp : Math.min(sp, co);
  if (end <= 0) return undefined;
  const first = text.slice(0, end);
  const wifi = WIFI_DRIVER.test(first);
  const bt = !wifi && BT_DRIVER.test(first);
  if (!wifi && !bt) return undefined;
  if ((m = DRIVER_LINE.exec(text))) {
    const driver = m[1]!;
    const device = m[2];
    const msg = m[4]!;
    if (MODULE_BANNER.test(msg)) return undefined;
    // `wl` (Broadcom's closed driver) is too short a name to trust without a device.
    if (device === undefined && driver === 'wl') return undefined;
    const e: RadioKernelEvent = { type: 'radio', kind: wifi ? 'wifi' : 'bluetooth', driver, what: 'driver' };
    if (device !== undefined) e.device = device;
    if (m[3]) e.iface = m[3];
    const fw = FIRMWARE.exec(msg);
    if (fw) {
      e.what = 'firmware';
      e.detail = fw[1] ?? fw[2] ?? fw[3] ?? fw[5];
      if (fw[4]) e.detail = `${fw[3]} (${fw[4]})`;
    }
    return e;
  }
  return undefined;
}

/** `mac80211_hwsim` (a test driver that makes virtual phys) was loaded: phyN lines are then not hardware. */
export function isHwsimLine(text: string): boolean {
  return text.startsWith('mac80211_hwsim');
}

// ---------------------------------------------------------------------------------------------
// Any kernel events, with times (the generic form of KernelLogScanner)

/** A classified kernel message with its time and origin. */
export interface KernelEventLine<E> extends KernelUsbStamp {
  event: E;
}

/** Line count, forms and time range of a scanned file, with the classified events. */
export interface KernelEventScan<E> extends Omit<KernelLogScan, 'events'> {
  events: KernelEventLine<E>[];
  /** Lines that were a bare dmesg line (`[  12.345678] text`, no wall-clock time). */
  dmesgLines: number;
}

/**
 * Streaming scanner like {@link KernelLogScanner}, for any classifier of kernel messages; it also reads
 * bare `dmesg` output (`[    5.123456] brcmfmac: …`, optionally `kernel: ` after the printk time), whose
 * lines have a monotonic time only.
 */
export class KernelEventScanner<E> {
  private cols = new StampColumns();
  private pending: Array<{ row: number; lineNo: number; event: E; monoUs?: number; utcMs?: number }> = [];
  private lineNo = 0;
  private kernelLines = 0;
  private dmesgLines = 0;
  private forms: Record<LogTimeForm, number> = { syslog: 0, rfc3339: 0, rfc5424: 0 };
  private firstUtc: number | undefined;
  private lastUtc: number | undefined;

  constructor(
    readonly source: string,
    private readonly classify: (text: string) => E | undefined,
  ) {}

  push(raw: string): void {
    this.lineNo++;
    if (raw.indexOf(' kernel', 15) < 0 && raw.charCodeAt(0) !== 91 /* [ */) {
      const packed = traditionalStamp(raw);
      if (packed !== undefined) {
        this.forms.syslog++;
        this.cols.push(K_NAIVE, packed);
        return;
      }
    }
    const l = parseLogLine(raw);
    if (!l) {
      const row = this.cols.push(K_NONE, 0);
      if (raw.charCodeAt(0) === 91) {
        const { monoUs, text } = splitKernelMessage(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
        if (monoUs === undefined) return;
        this.dmesgLines++;
        this.kernelLines++;
        const event = this.classify(text.replace(/^(?:\S+ )?kernel: /, ''));
        if (event !== undefined) this.pending.push({ row, lineNo: this.lineNo, event, monoUs });
      }
      return;
    }
    this.forms[l.form]++;
    const row = l.naive ? this.cols.push(K_NAIVE, packNaive(l.naive)) : this.cols.push(K_ABS, l.localMs!);
    if (l.utcMs !== undefined) {
      this.firstUtc ??= l.utcMs;
      this.lastUtc = l.utcMs;
    }
    if (l.program !== 'kernel') return;
    this.kernelLines++;
    const { monoUs, text } = splitKernelMessage(l.message);
    const event = this.classify(text);
    if (event === undefined) return;
    const p: (typeof this.pending)[number] = { row, lineNo: this.lineNo, event };
    if (monoUs !== undefined) p.monoUs = monoUs;
    if (l.utcMs !== undefined) p.utcMs = l.utcMs;
    this.pending.push(p);
  }

  finish(anchor: YearAnchor | undefined): KernelEventScan<E> {
    const ms = resolveColumns(this.cols, anchor);
    const events: KernelEventLine<E>[] = [];
    let undated = 0;
    for (const p of this.pending) {
      const e: KernelEventLine<E> = { event: p.event, local: p.utcMs === undefined, source: this.source, line: p.lineNo };
      if (p.utcMs !== undefined) {
        e.time = new Date(p.utcMs).toISOString();
        e.timeMs = p.utcMs;
      } else {
        const v = ms[p.row]!;
        if (Number.isNaN(v)) undated++;
        else {
          e.time = naiveIso(v);
          e.timeMs = v;
        }
      }
      if (p.monoUs !== undefined) e.monoUs = p.monoUs;
      events.push(e);
    }
    const scan: KernelEventScan<E> = { source: this.source, lines: this.lineNo, forms: this.forms, kernelLines: this.kernelLines, events, undated, dmesgLines: this.dmesgLines };
    for (let i = 0; i < this.cols.n; i++) {
      const k = this.cols.kind[i];
      const t = k === K_ABS ? (this.firstUtc !== undefined ? new Date(this.firstUtc).toISOString() : undefined) : k === K_NAIVE && !Number.isNaN(ms[i]!) ? naiveIso(ms[i]!) : undefined;
      if (t) {
        scan.oldest = t;
        break;
      }
    }
    for (let i = this.cols.n - 1; i >= 0; i--) {
      const k = this.cols.kind[i];
      const t = k === K_ABS ? (this.lastUtc !== undefined ? new Date(this.lastUtc).toISOString() : undefined) : k === K_NAIVE && !Number.isNaN(ms[i]!) ? naiveIso(ms[i]!) : undefined;
      if (t) {
        scan.newest = t;
        break;
      }
    }
    if (anchor && this.forms.syslog > 0) scan.yearBasis = anchor.basis;
    return scan;
  }
}

/** A classified journal kernel entry (`journalctl -o json`), timed in UTC. */
export function journalEventLine<E>(e: JournalKernelEntry, source: string, classify: (text: string) => E | undefined): KernelEventLine<E> | undefined {
  const { monoUs, text } = splitKernelMessage(e.message);
  const event = classify(text);
  if (event === undefined) return undefined;
  const ms = Math.floor(e.realtimeUs / 1000);
  const l: KernelEventLine<E> = { event, time: new Date(ms).toISOString(), timeMs: ms, local: false, source };
  const mono = e.monoUs ?? monoUs;
  if (mono !== undefined) l.monoUs = mono;
  if (e.bootId) l.boot = e.bootId;
  return l;
}

// ---------------------------------------------------------------------------------------------
// Reading a log file's lines from bytes (plain or gzip), with a budget

/** Positional reads of an open file (the Target's `TargetFile`). */
export interface ByteSource {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
}

export interface LogReadResult {
  /** Bytes of text read (decompressed). */
  bytes: number;
  /** The budget was reached: `tail` kept the newest part (plain file), `head` the oldest (gz). */
  capped?: 'tail' | 'head';
  /** Decompression failed after `bytes` bytes: the lines before the damage were given. */
  corrupt?: string;
}

/**
 * Feed a log's lines (oldest first) to `onLine`: a plain file's newest `cap` bytes, or a gzip file
 * decompressed up to `cap` bytes. A damaged gzip stream ends the lines there and is reported, not thrown.
 */
export async function readLogLinesFrom(
  f: ByteSource,
  gz: boolean,
  cap: number,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<LogReadResult> {
  const CHUNK_BYTES = 4 * 1024 * 1024;
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
    for (let pos = start; pos < f.size; pos += CHUNK_BYTES) {
      signal?.throwIfAborted();
      const b = await f.read(pos, Math.min(CHUNK_BYTES, f.size - pos));
      if (b.length === 0) break;
      bytes += b.length;
      text(decoder.write(b));
    }
    flush();
    return start > 0 ? { bytes, capped: 'tail' } : { bytes };
  }
  const size = f.size;
  async function* compressed(): AsyncGenerator<Buffer> {
    for (let pos = 0; pos < size; pos += CHUNK_BYTES) {
      signal?.throwIfAborted();
      const b = await f.read(pos, Math.min(CHUNK_BYTES, size - pos));
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
  if (capped || corrupt) rest = ''; // the line cut at the damage or the cap is incomplete
  flush();
  const r: LogReadResult = { bytes };
  if (capped) r.capped = 'head';
  if (corrupt) r.corrupt = corrupt;
  return r;
}
