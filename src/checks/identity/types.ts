// Shape of the identity probe's single observation (the report's `machine` is built from it).

export interface MacAddress {
  mac: string;
  iface?: string;
  /** A software interface (no hardware device behind it). */
  virtual?: boolean;
  /** Where it was read: a sysfs path, a config file, or `systeminformation`. */
  source: string;
}

export interface DiskInfo {
  name: string;
  model?: string;
  serial?: string;
  sizeBytes?: number;
  source: string;
}

export interface OsIdentity {
  family: 'linux' | 'windows' | 'unknown';
  name: string;
  version?: string;
  prettyName?: string;
  id?: string;
  build?: string;
  kernel?: string;
  installDate?: string;
}

export interface HardwareIdentity {
  vendor?: string;
  model?: string;
  serial?: string;
  uuid?: string;
  boardVendor?: string;
  boardName?: string;
  boardSerial?: string;
}

export interface IdentityObservation {
  [k: string]: unknown;
  hostname?: string;
  os?: OsIdentity;
  /** /etc/machine-id on Linux; MachineGuid on Windows. */
  machineId?: string;
  hardware?: HardwareIdentity;
  macs: MacAddress[];
  disks: DiskInfo[];
  /** Field → where it was read (target path, or `systeminformation`). */
  sources: Record<string, string>;
}
