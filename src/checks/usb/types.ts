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
  /** Serial number as the device reports it (Windows `&0` instance suffix removed). */
  serial?: string;
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
