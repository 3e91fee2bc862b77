// Shapes shared by the USB probes, their OS collectors and the ledger (台账) matching.

/** Where one piece of evidence about a device came from, with the times that source gives. */
export interface UsbSource {
  /** `kernel-log`, `journal`, `sysfs`, `usbstor`, `scsi`, `usb`, `mounteddevices`, `wpd`, `wpdbusenum`, `emdmgmt`, `setupapi`, `mountpoints2`. */
  kind: string;
  /** Target path (`/var/log/kern.log.2.gz`) or `<hive path>: <key path>`. */
  source: string;
  /** Earliest / latest connection this source records, ISO 8601. UTC (`…Z`) unless `timesAreLocal`. */
  firstSeen?: string;
  lastSeen?: string;
  /** Last disconnection/removal recorded. */
  lastRemoved?: string;
  /** Number of connections this source records (kernel logs count each "New USB device found"). */
  connections?: number;
  /** Times are the machine's local wall-clock time without a zone (syslog, setupapi, NetworkList). */
  timesAreLocal?: boolean;
  /**
   * For a source with local times: its `firstSeen` in UTC, converted with the machine's own time zone
   * (Windows: SYSTEM `TimeZoneInformation`). Absent when the zone is unknown. The merged record compares
   * this value, not the local one, with the UTC times of other sources.
   */
  firstSeenUtc?: string;
  /** Anything else the source says (drive letter, volume label, user…), small and content-free. */
  detail?: Record<string, string | number | boolean | string[]>;
}

/** One physical USB device, merged from every source that mentions it. */
export interface UsbDeviceRecord {
  [k: string]: unknown;
  /** Stable key: `usb:<vid>:<pid>:<serial>` (serial normalised), or the best available identity. */
  key: string;
  /** USB ids, 4 lower-case hex digits. */
  vid?: string;
  pid?: string;
  /**
   * Serial number as printed on the device and compared with the ledger: the USB serial (Windows `&0`
   * instance suffix and `MSFT30` prefix removed), hex-decoded when the device reports it as the hex of
   * an ASCII serial (see {@link usbSerial}).
   */
  serial?: string;
  /**
   * The serial exactly as the source recorded it, when it differs from `serial`: the Windows instance
   * id part (`MSFT30313735303835343230333437`) or the hex string a Linux log shows
   * (`313735303835343230333437`), so an officer sees both.
   */
  serialRaw?: string;
  /**
   * False when there is no serial, or Windows synthesised one (second character `&`): such a device
   * cannot be matched to the ledger reliably.
   */
  serialUnique: boolean;
  /** USBSTOR / SCSI inquiry strings (Ven_/Prod_/Rev_) and USB string descriptors. */
  vendor?: string;
  product?: string;
  revision?: string;
  manufacturer?: string;
  /** What the device is: mass storage (class 08, USBSTOR, UAS), a phone / media player (MTP, PTP class 06, WPD), or other. */
  storage: boolean;
  phone: boolean;
  /** USB interface classes seen (2 hex digits), when known. */
  interfaceClasses?: string[];
  /** Merged over all sources (earliest first seen, latest last seen). */
  firstSeen?: string;
  lastSeen?: string;
  lastRemoved?: string;
  /** True when any merged time is local wall-clock time (no zone). */
  timesAreLocal?: boolean;
  driveLetters?: string[];
  volumeLabels?: string[];
  volumeSerials?: string[];
  users?: string[];
  /** Attached now (live sysfs / node-usb). */
  attachedNow?: boolean;
  sources: UsbSource[];
}

/**
 * The serial to compare of a USB serial string as a device reports it (Linux `SerialNumber:`, sysfs
 * `serial`) or as Windows records it after its `MSFT30` prefix is removed.
 *
 * Some USB-to-SATA/NVMe bridges (SanDisk/WD Extreme SSDs among them) report as their USB serial the
 * hex of the ASCII serial printed on the device: `313735303835343230333437` for `175085420347`. Windows
 * keeps that string (its UAS instance id is `MSFT30` + the reported serial), and so do Linux's kernel
 * log and sysfs. Decoding it on both platforms gives the same physical device the same serial, and the
 * one the ledger holds. Decoded only when unambiguous enough: at least 8 bytes (16 hex digits), and
 * every byte an upper-case letter, a digit or `-` (a serial label, not text) after trailing spaces or
 * NULs are dropped. A random hex serial passes with a probability below 1e-5, an all-digit 16-digit one
 * about 5e-5 (each byte must be 30-39, 41-5A or 2D); anything else is kept as reported:
 * `12345679FD0B`, `160087320341700000F9` (bytes 0x12, 0x16 are not characters) stay as they are.
 */
export function usbSerial(reported: string): { serial: string; raw?: string } {
  const s = reported.trim();
  if (s.length < 16 || s.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(s)) return { serial: s };
  const decoded = Buffer.from(s, 'hex').toString('latin1').replace(/[ \0]+$/, '');
  return decoded.length >= 4 && /^[0-9A-Z][0-9A-Z-]*$/.test(decoded) ? { serial: decoded, raw: s } : { serial: s };
}
