// Installed programs of a Windows machine, as "Programs and Features" lists them: the Uninstall keys
// of the SOFTWARE hive (64-bit and, under WOW6432Node, 32-bit programs) and of each user's NTUSER.DAT
// (programs installed for one user only: OneDrive, WeChat, Teams…). Microsoft documents these keys
// and values ("Uninstall Registry Key", Windows Installer docs: DisplayName, DisplayVersion,
// Publisher, InstallDate YYYYMMDD, SystemComponent).
import type { Hive, RegKey } from '../../formats/regf.js';
import { key, num, str, subkeys } from '../windows/reg.js';
import type { InstalledProgram } from './types.js';

export const UNINSTALL_KEYS: ReadonlyArray<{ path: string; scope: 'all-users'; arch: '64-bit' | '32-bit' }> = [
  { path: 'Microsoft\\Windows\\CurrentVersion\\Uninstall', scope: 'all-users', arch: '64-bit' },
  { path: 'WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall', scope: 'all-users', arch: '32-bit' },
];
export const USER_UNINSTALL_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall';

/** `20231115` → `2023-11-15`; anything else (locale-formatted dates some installers write) → undefined. */
export function installDate(v: string | undefined): string | undefined {
  const m = v ? /^(\d{4})(\d{2})(\d{2})$/.exec(v.trim()) : null;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1980 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Programs under one Uninstall key, at most `max`; `truncated` says when there were more. */
export function uninstallEntries(
  hive: Hive,
  path: string,
  source: string,
  extra: Pick<InstalledProgram, 'scope'> & Partial<Pick<InstalledProgram, 'user' | 'arch'>>,
  max: number,
): { programs: InstalledProgram[]; truncated: boolean; keys: number } {
  const k = key(hive, path);
  const subs = subkeys(k);
  const programs: InstalledProgram[] = [];
  for (const s of subs.slice(0, max)) {
    const p = entry(s, source, extra);
    if (p) programs.push(p);
  }
  return { programs, truncated: subs.length > max, keys: subs.length };
}

function entry(s: RegKey, source: string, extra: Pick<InstalledProgram, 'scope'> & Partial<Pick<InstalledProgram, 'user' | 'arch'>>): InstalledProgram | undefined {
  // Programs and Features lists a key only when it has a DisplayName; updates (ParentKeyName) and
  // SystemComponent=1 entries are hidden there but installed all the same: kept, marked hidden.
  const name = str(s, 'DisplayName');
  if (!name) return undefined;
  const version = str(s, 'DisplayVersion');
  const publisher = str(s, 'Publisher');
  const date = installDate(str(s, 'InstallDate'));
  const location = str(s, 'InstallLocation');
  const hidden = num(s, 'SystemComponent') === 1 || str(s, 'ParentKeyName') !== undefined;
  return {
    kind: 'program',
    name,
    ...(version ? { version } : {}),
    ...(publisher ? { publisher } : {}),
    ...(date ? { installDate: date } : {}),
    ...(location ? { location } : {}),
    system: 'windows-uninstall',
    ...extra,
    ...(hidden ? { hidden: true } : {}),
    id: `${extra.user ? `${extra.user}:` : ''}${s.name}`,
    categories: [],
    matched: [],
    source: `${source}: ${s.path}`,
  };
}
