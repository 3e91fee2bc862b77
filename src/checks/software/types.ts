// Observations of `software.installed`.
import type { SoftwareCategory } from './_catalogue.js';

export type PackageSystem = 'windows-uninstall' | 'dpkg' | 'rpm' | 'flatpak' | 'snap';

/** One installed program or package. */
export interface InstalledProgram {
  [field: string]: unknown;
  kind: 'program';
  name: string;
  version?: string;
  publisher?: string;
  /** Day of installation (YYYY-MM-DD) when the system records it. */
  installDate?: string;
  location?: string;
  system: PackageSystem;
  /** Installed for the whole machine, or for one user only (NTUSER.DAT, ~/.local/share/flatpak). */
  scope: 'all-users' | 'one-user';
  user?: string;
  arch?: string;
  /** Hidden from "Programs and Features" (SystemComponent, updates). */
  hidden?: boolean;
  /** Identifies it within its system (Uninstall key name, package name). */
  id: string;
  /** Categories of the software list (rules/data/software.yaml) it matches. */
  categories: SoftwareCategory[];
  /** The list entries it matches, with their Chinese and English names. */
  matched: Array<{ id: string; zh: string; en: string }>;
  source: string;
}

/** One required kind of protection (antivirus, host audit): the programs found that provide it. */
export interface ProtectionSummary {
  [field: string]: unknown;
  kind: 'protection';
  category: SoftwareCategory;
  /** Names accepted for it: the unit's (rule params) or the list's defaults. */
  acceptedFrom: 'params' | 'defaults';
  products: string[];
  count: number;
  /** How many programs were listed in all (0 with a gap means: nothing could be read). */
  programsListed: number;
}
