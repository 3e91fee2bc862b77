/**
 * Parser for the Windows SetupAPI device-installation logs:
 *
 * - `C:\Windows\INF\setupapi.dev.log` (Vista and later): sections
 *   `>>>  [Device Install (Hardware initiated) - <device instance id>]` / `>>>  Section start 2016/11/22 23:50:30.938`
 *   … `<<<  Section end 2016/11/22 23:50:58.236` / `<<<  [Exit status: SUCCESS]`;
 * - `C:\Windows\setupapi.log` (Windows XP/2003): sections `[2005/03/21 14:56:04 1064.3 Driver Install]` whose
 *   lines `#I123 Doing full install of "<id>".`, `#I124 Doing copy-only install of "<id>".` and
 *   `#I121 Device install of "<id>" finished successfully.` name the device.
 *
 * Timestamps in these logs are local time of the machine **without a time zone**; they are returned as naive
 * ISO-like strings (`2016-11-22T23:50:30.938`) with `timezone: 'local'`. Convert them only if you know the
 * machine's zone (e.g. from the SYSTEM hive `TimeZoneInformation`).
 *
 * Only sections about a device (a device-install/removal title whose subject is a device instance or hardware ID)
 * become {@link DeviceInstallRecord}s: driver staging and package sections (`[Setup Import Driver Package - …]`,
 * `[SetupCopyOEMInf - …]`, `[Stage Driver Updates]`, `[Device Install (DiInstallDriver) - C:\…\x.inf]`, …) do not.
 * The parser never throws on content: garbage lines are skipped, a section cut off by the end of the file is
 * returned without `end` and the log is marked `partial`.
 */

/** Encoding the log was decoded with (`string` when text was given). */
export type SetupapiEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | string;

/** Log flavour. */
export type SetupapiFormat = 'dev.log' | 'xp' | 'unknown';

/** One `>>>  [...]` section (dev.log) or `[date time pid.n title]` section (XP), whatever it is about. */
export interface SetupapiSection {
  /** Full title between the brackets, e.g. `Device Install (Hardware initiated) - USB\VID_0781&PID_5580\AA01…`. */
  title: string;
  /** Title part before ` - ` (the whole title when there is no subject), e.g. `Device Install (Hardware initiated)`. */
  kind: string;
  /** Title part after the first ` - `: a device ID, an INF path, a GUID…; `undefined` when absent. */
  subject: string | undefined;
  /** Section start, naive local time `YYYY-MM-DDTHH:MM:SS[.mmm]`; `undefined` when missing or unreadable. */
  start: string | undefined;
  /** Section end (dev.log only), naive local time. */
  end: string | undefined;
  /** Exit status text (dev.log: `SUCCESS`, `SUCCESS (REBOOT_REQUIRED)`, `FAILURE(0xe0000219)`…). */
  status: string | undefined;
  /** 1-based line number of the section title. */
  line: number;
  /** False when the section was cut off (no `Section end` before the next section or the end of the file). */
  complete: boolean;
}

/** A device installation (or removal) found in the log. */
export interface DeviceInstallRecord {
  /**
   * The device ID from the section title (dev.log) or from the `#I12x` lines (XP): a device instance ID such as
   * `USBSTOR\Disk&Ven_HP&Prod_v100w&Rev_1024\AA951D0000007252&0`, or for driver updates a hardware ID such as
   * `PCI\VEN_80EE&DEV_CAFE&SUBSYS_00000000&REV_00`. Letter case as logged.
   */
  instanceId: string;
  /** `instance` when the ID has enumerator\device\instance parts, else `hardware` (a hardware or compatible ID). */
  idType: 'instance' | 'hardware';
  /** The section kind, e.g. `Device Install (Hardware initiated)`, `Delete Device`, `Driver Install` (XP). */
  kind: string;
  /** `remove` for delete/uninstall sections, else `install`. */
  action: 'install' | 'remove';
  /** Section start, naive local time (`2016-11-22T23:50:30.938`); `undefined` only in damaged logs. */
  start: string | undefined;
  /** Section end, naive local time, when logged. */
  end: string | undefined;
  /** Exit status when logged (`SUCCESS`, …); XP: `SUCCESS` after `#I121`, `ERROR` when the section logged `#E` lines. */
  status: string | undefined;
  /** The timestamps are the machine's local time; the log does not say which zone. */
  timezone: 'local';
  /** 1-based line number of the section title. */
  line: number;
}

/** Result of {@link parseSetupapiLog}. */
export interface SetupapiLog {
  /** Log flavour recognised from the content. */
  format: SetupapiFormat;
  /** Text encoding used to decode the bytes. */
  encoding: SetupapiEncoding;
  /** `key = value` pairs of the header (`OS Version`, `Service Pack`, `Architecture`, …). */
  header: Record<string, string>;
  /** `[Boot Session: …]` timestamps (dev.log), naive local time. */
  bootSessions: string[];
  /** Every section, in file order. */
  sections: SetupapiSection[];
  /** Device installs/removals, in file order. */
  devices: DeviceInstallRecord[];
  /** True when the log looks cut off or damaged (incomplete sections, unreadable section lines, binary junk). */
  partial: boolean;
  /** What made the log partial. */
  warnings: string[];
}

/** Options of {@link parseSetupapiLog} / {@link decodeSetupapiBytes}. */
export interface SetupapiOptions {
  /**
   * Code page for logs without BOM that are not valid UTF-8 (written in the system ANSI code page).
   * Default `gbk` (Chinese Windows); use e.g. `windows-1252` for Western systems.
   */
  ansiEncoding?: string;
}

/**
 * Decode log bytes: BOM (UTF-8, UTF-16LE/BE) first, then BOM-less UTF-16 (NUL bytes in every other
 * position), then strict UTF-8, else the ANSI code page (`options.ansiEncoding`, default `gbk`).
 */
export function decodeSetupapiBytes(data: Uint8Array, options: SetupapiOptions = {}): { text: string; encoding: SetupapiEncoding } {
  const b0 = data[0];
  const b1 = data[1];
  if (b0 === 0xef && b1 === 0xbb && data[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(data.subarray(3)), encoding: 'utf-8' };
  if (b0 === 0xff && b1 === 0xfe) return { text: new TextDecoder('utf-16le').decode(data.subarray(2)), encoding: 'utf-16le' };
  if (b0 === 0xfe && b1 === 0xff) return { text: new TextDecoder('utf-16be').decode(data.subarray(2)), encoding: 'utf-16be' };
  const sample = data.subarray(0, Math.min(data.length, 4096));
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 === 0 ? zeroEven++ : zeroOdd++);
  const half = sample.length / 2;
  if (sample.length >= 8 && zeroOdd > half * 0.6 && zeroEven < half * 0.1) return { text: new TextDecoder('utf-16le').decode(data), encoding: 'utf-16le' };
  if (sample.length >= 8 && zeroEven > half * 0.6 && zeroOdd < half * 0.1) return { text: new TextDecoder('utf-16be').decode(data), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    const ansi = options.ansiEncoding ?? 'gbk';
    try {
      return { text: new TextDecoder(ansi).decode(data), encoding: ansi };
    } catch {
      return { text: new TextDecoder('windows-1252').decode(data), encoding: 'windows-1252' };
    }
  }
}

const TS = /(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?/;

/**
 * Convert a log timestamp `2016/11/22 23:50:30.938` to the naive ISO-like form `2016-11-22T23:50:30.938`
 * (no zone: local time of the logging machine). Returns `undefined` for malformed or out-of-range values.
 */
export function setupapiTimestamp(text: string): string | undefined {
  const m = TS.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = m[7] === undefined ? '' : `.${m[7].padEnd(3, '0')}`;
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${frac}`;
}

/** Section kinds that are about one device. */
const DEVICE_KIND = /^(?:Device Install\b|Delete Device\b|Device Uninstall\b|Uninstall Device\b|Install Device\b|Driver Install\b)/i;
const REMOVE_KIND = /\b(?:delete|uninstall|remov)/i;
/** A device instance or hardware ID: `ENUM\…` (enumerator may be a `{GUID}`) or `*PNP0303`-style; never a path or INF. */
const DEVICE_ID = /^(?:(?:\{[0-9A-Fa-f-]{36}\}|[A-Za-z0-9_&.-]+)\\[^\\\s][^\r\n]*|\*[A-Za-z0-9_.-]+)$/;

/** True when `s` looks like a device instance/hardware ID (not a file path, INF name or bare GUID). */
export function isDeviceId(s: string): boolean {
  return DEVICE_ID.test(s) && !/\.inf$/i.test(s) && !/^[A-Za-z]:/.test(s);
}

function idType(id: string): 'instance' | 'hardware' {
  return id.split('\\').length >= 3 ? 'instance' : 'hardware';
}

/**
 * Parse a setupapi.dev.log or XP setupapi.log (bytes in any of the encodings of {@link decodeSetupapiBytes},
 * or already-decoded text). Never throws on malformed content.
 */
export function parseSetupapiLog(input: Uint8Array | string, options: SetupapiOptions = {}): SetupapiLog {
  const { text, encoding } = typeof input === 'string' ? { text: input, encoding: 'string' as SetupapiEncoding } : decodeSetupapiBytes(input, options);
  const lines = text.split(/\r\n|\n|\r/);
  const log: SetupapiLog = { format: 'unknown', encoding, header: {}, bootSessions: [], sections: [], devices: [], partial: false, warnings: [] };
  const devLog = lines.some((l, i) => i < 400 && /^(?:>>>|<<<) {2}/.test(l)) || /^\[Device Install Log\]/m.test(text.slice(0, 2000));
  const xp = !devLog && lines.some((l, i) => i < 400 && (/^\[SetupAPI Log\]/.test(l) || /^\[\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \d+\.\d+/.test(l)));
  log.format = devLog ? 'dev.log' : xp ? 'xp' : 'unknown';
  if (devLog) parseDevLog(lines, log);
  else if (xp) parseXpLog(lines, log);
  else if (text.trim().length > 0) log.warnings.push('not a SetupAPI log (no sections recognised)');
  // Real logs contain the odd control character (e.g. in veto messages), but never NUL bytes or undecodable bytes.
  const junk = lines.filter((l) => /[\u0000\ufffd]/.test(l)).length;
  if (junk > 0) log.warnings.push(`${junk} line(s) with NUL bytes or undecodable bytes`);
  log.partial = log.warnings.length > 0;
  return log;
}

function parseHeaderLine(line: string, header: Record<string, string>): void {
  const m = /^\s*([A-Za-z][A-Za-z ]*?)\s*=\s*(.*?)\s*$/.exec(line);
  if (m && !(m[1]! in header)) header[m[1]!] = m[2]!;
}

function parseDevLog(lines: string[], log: SetupapiLog): void {
  let cur: SetupapiSection | undefined;
  let inHeader = true;
  const close = (): void => {
    if (!cur) return;
    if (!cur.complete) log.warnings.push(`section at line ${cur.line} (${cur.title}) has no end`);
    cur = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('>>>  [') || line.startsWith('>>> [')) {
      inHeader = false;
      close();
      const m = /^>>>\s+\[(.*)\]\s*$/.exec(line);
      if (!m) {
        log.warnings.push(`unreadable section title at line ${i + 1}`);
        continue;
      }
      const title = m[1]!;
      const dash = title.indexOf(' - ');
      cur = {
        title,
        kind: (dash < 0 ? title : title.slice(0, dash)).trim(),
        subject: dash < 0 ? undefined : title.slice(dash + 3).trim(),
        start: undefined,
        end: undefined,
        status: undefined,
        line: i + 1,
        complete: false,
      };
      log.sections.push(cur);
      continue;
    }
    if (line.startsWith('>>>')) {
      const m = /^>>>\s+Section start\s+(.*)$/.exec(line);
      if (m && cur && cur.start === undefined) {
        cur.start = setupapiTimestamp(m[1]!);
        if (cur.start === undefined) log.warnings.push(`unreadable section start at line ${i + 1}`);
      }
      continue;
    }
    if (line.startsWith('<<<')) {
      const end = /^<<<\s+Section end\s+(.*)$/.exec(line);
      const status = /^<<<\s+\[Exit status:\s*(.*?)\]\s*$/.exec(line);
      if (end && cur) {
        cur.end = setupapiTimestamp(end[1]!);
        cur.complete = true;
      } else if (status) {
        // The exit status follows the section end line.
        const last = cur ?? log.sections[log.sections.length - 1];
        if (last && last.status === undefined) last.status = status[1]!;
        cur = undefined;
      }
      continue;
    }
    const boot = /^\[Boot Session:\s*(.*?)\]\s*$/.exec(line);
    if (boot) {
      close();
      inHeader = false;
      const ts = setupapiTimestamp(boot[1]!);
      if (ts) log.bootSessions.push(ts);
      continue;
    }
    if (inHeader) {
      if (line.startsWith('[BeginLog]')) inHeader = false;
      else parseHeaderLine(line, log.header);
    }
  }
  close();
  for (const s of log.sections) {
    if (!DEVICE_KIND.test(s.kind) || s.subject === undefined || !isDeviceId(s.subject)) continue;
    log.devices.push({
      instanceId: s.subject,
      idType: idType(s.subject),
      kind: s.kind,
      action: REMOVE_KIND.test(s.kind) ? 'remove' : 'install',
      start: s.start,
      end: s.end,
      status: s.status,
      timezone: 'local',
      line: s.line,
    });
  }
}

function parseXpLog(lines: string[], log: SetupapiLog): void {
  let cur: (SetupapiSection & { ids: string[]; ok: Set<string>; error: boolean }) | undefined;
  const sections: Array<NonNullable<typeof cur>> = [];
  let inHeader = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const sec = /^\[(\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}:\d{2}) \d+\.\d+(?: (.*?))?\]\s*$/.exec(line);
    if (sec) {
      inHeader = false;
      const title = (sec[2] ?? '').trim();
      cur = { title, kind: title, subject: undefined, start: setupapiTimestamp(sec[1]!), end: undefined, status: undefined, line: i + 1, complete: true, ids: [], ok: new Set(), error: false };
      sections.push(cur);
      log.sections.push(cur);
      continue;
    }
    if (inHeader) {
      if (!line.startsWith('[')) parseHeaderLine(line, log.header);
      continue;
    }
    if (!cur) continue;
    const inst = /^#I12[34] Doing (?:full|copy-only) install of "(.*)"\.?\s*$/.exec(line);
    const done = /^#I121 Device install of "(.*)" finished successfully\.?\s*$/.exec(line);
    if (inst) {
      if (!cur.ids.includes(inst[1]!)) cur.ids.push(inst[1]!);
    } else if (done) {
      if (!cur.ids.includes(done[1]!)) cur.ids.push(done[1]!);
      cur.ok.add(done[1]!);
    } else if (/^#E\d{3}/.test(line)) {
      cur.error = true;
    }
  }
  for (const s of sections) {
    for (const id of s.ids) {
      if (!isDeviceId(id)) continue;
      log.devices.push({
        instanceId: id,
        idType: idType(id),
        kind: s.kind || 'Device Install',
        action: REMOVE_KIND.test(s.kind) ? 'remove' : 'install',
        start: s.start,
        end: undefined,
        status: s.ok.has(id) ? 'SUCCESS' : s.error ? 'ERROR' : undefined,
        timezone: 'local',
        line: s.line,
      });
    }
    if (s.ids.length > 0 && s.subject === undefined) s.subject = s.ids[0];
  }
  // Plain section objects in the result (drop the bookkeeping fields).
  log.sections = sections.map(({ ids: _ids, ok: _ok, error: _error, ...rest }) => rest);
}

/** Parts of a USB mass-storage device ID. */
export interface UsbStorId {
  /** Device type, e.g. `Disk`, `CdRom`, `Other`. */
  type: string;
  /** Vendor as in the ID with `_` → space, trimmed (e.g. `Generic`). */
  vendor: string;
  /** Product with `_` → space, trimmed (e.g. `Flash Disk`). */
  product: string;
  /** Revision (e.g. `8.07`). */
  revision: string;
  /** Instance part after the device part, e.g. `99E2116A&0` (serial + `&` + LUN). */
  instance: string;
  /** Serial number: the instance without the trailing `&<LUN>` (e.g. `99E2116A`). */
  serial: string;
  /**
   * True when Windows generated the instance because the device reports no serial number
   * (second character is `&`, e.g. `7&2a6d0f0b&0`): the value then identifies the port, not the device.
   */
  serialGenerated: boolean;
  /** The `Ven_…&Prod_…&Rev_…` part exactly as in the ID. */
  raw: string;
}

/**
 * Extract vendor/product/revision/serial from a USB storage ID in any of its forms:
 * `USBSTOR\Disk&Ven_HP&Prod_v100w&Rev_1024\AA951D0000007252&0`,
 * `SWD\WPDBUSENUM\_??_USBSTOR#Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07#99E2116A&0#{53f56307-…}`,
 * `STORAGE\VOLUME\_??_USBSTOR#…`, `\??\USBSTOR#…#{…}` (MountedDevices). Case-insensitive.
 * Returns `undefined` when the ID is not a USBSTOR ID.
 */
export function parseUsbstorInstanceId(id: string): UsbStorId | undefined {
  const m = /USBSTOR[\\#]([^\\#]+)[\\#]([^\\#{}]+)/i.exec(id);
  if (!m) return undefined;
  const dev = m[1]!;
  const instance = m[2]!.trim();
  const parts = /^([^&]+)&Ven_(.*?)&Prod_(.*?)(?:&Rev_(.*))?$/i.exec(dev);
  if (!parts) return undefined;
  const clean = (s: string | undefined): string => (s ?? '').replace(/_/g, ' ').trim();
  const lun = /^(.*)&(\d+)$/.exec(instance);
  return {
    type: parts[1]!,
    vendor: clean(parts[2]),
    product: clean(parts[3]),
    revision: clean(parts[4]),
    instance,
    serial: lun ? lun[1]! : instance,
    serialGenerated: instance.charAt(1) === '&',
    raw: dev,
  };
}
