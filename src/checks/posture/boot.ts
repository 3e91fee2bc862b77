// The boot menu: which operating systems the machine's boot manager offers. A second system on a
// classified computer (dual boot) can read its disk outside every protective measure of the first.
// Linux: GRUB's generated grub.cfg — entries of this system (10_linux) and of other systems found by
// os-prober (30_os-prober section). Windows: the BCD store (a registry hive: Objects\{id}\Description
// Type and Elements\12000004 description) — Windows boot loaders (type 0x10200003), legacy NTLDR
// (0x10300006) and boot-sector entries (0x10400008), which is how other systems are chain-loaded.
import type { CoverageItem } from '../../engine/types.js';
import { Hive } from '../../formats/regf.js';
import type { Target } from '../../target/types.js';
import { key, num, str, subkeys } from '../windows/reg.js';
import type { PostureFact } from './types.js';

const MAX_GRUB_BYTES = 4 * 1024 * 1024;
const MAX_BCD_BYTES = 16 * 1024 * 1024;

/** Top-level entries of grub.cfg, each with the /etc/grub.d script section it came from. */
export function grubEntries(cfg: string): Array<{ title: string; section: string; submenu: boolean }> {
  const out: Array<{ title: string; section: string; submenu: boolean }> = [];
  let section = '';
  let depth = 0;
  for (const raw of cfg.split('\n')) {
    const line = raw.trim();
    const sec = /^### BEGIN \/etc\/grub\.d\/(\S+) ###$/.exec(line);
    if (sec) section = sec[1]!;
    if (/^### END /.test(line)) section = '';
    const m = /^(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)"|(\S+))/.exec(line);
    if (m && depth === 0) out.push({ title: m[2] ?? m[3] ?? m[4] ?? '', section, submenu: m[1] === 'submenu' });
    // Braces outside quotes open and close blocks (grub.cfg quotes titles; bodies are shell-like).
    const bare = line.replace(/'[^']*'|"[^"]*"/g, '');
    if (!bare.startsWith('#')) depth += (bare.match(/\{/g)?.length ?? 0) - (bare.match(/\}/g)?.length ?? 0);
    if (depth < 0) depth = 0;
  }
  return out;
}

export function grubBootMenu(cfg: string, source: string): PostureFact {
  const entries = grubEntries(cfg).filter((e) => !/uefi-firmware|memtest/i.test(e.section));
  const own = entries.filter((e) => e.section !== '30_os-prober' && !e.submenu);
  const other = entries.filter((e) => e.section === '30_os-prober' && !e.submenu);
  return { kind: 'boot-menu', loader: 'grub', systems: [...own.slice(0, 1), ...other].map((e) => e.title), otherSystems: other.length, source };
}

const BCD_LOADER = 0x10200003;
const BCD_LEGACY = 0x10300006;
const BCD_BOOTSECTOR = 0x10400008;

export function bcdBootMenu(hive: Hive, source: string): PostureFact {
  const loaders: string[] = [];
  const others: string[] = [];
  for (const obj of subkeys(key(hive, 'Objects'))) {
    const type = num(key(hive, `Objects\\${obj.name}\\Description`), 'Type');
    if (type !== BCD_LOADER && type !== BCD_LEGACY && type !== BCD_BOOTSECTOR) continue;
    const desc = str(key(hive, `Objects\\${obj.name}\\Elements\\12000004`), 'Element') ?? obj.name;
    (type === BCD_LOADER ? loaders : others).push(desc);
  }
  return { kind: 'boot-menu', loader: 'bcd', systems: [...loaders, ...others], otherSystems: Math.max(0, loaders.length - 1) + others.length, source };
}

/** The boot menus found on the target (none when it holds no boot configuration of its own). */
export async function bootMenus(target: Target, coverage: CoverageItem[]): Promise<PostureFact[]> {
  const out: PostureFact[] = [];
  for (const path of ['/boot/grub/grub.cfg', '/boot/grub2/grub.cfg']) {
    if (!(await target.exists(path))) continue;
    try {
      out.push(grubBootMenu(await target.readText(path, { maxBytes: MAX_GRUB_BYTES }), path));
    } catch (err) {
      coverage.push({ kind: (err as { code?: string }).code === 'E_TOO_LARGE' ? 'too-large' : 'unreadable', path, reason: `boot menu not read: ${(err as Error).message}`, blocking: true });
    }
    break;
  }
  for (const path of ['/Boot/BCD', '/EFI/Microsoft/Boot/BCD', '/boot/efi/EFI/Microsoft/Boot/BCD']) {
    if (!(await target.exists(path))) continue;
    try {
      out.push(bcdBootMenu(Hive.open(await target.readFile(path, { maxBytes: MAX_BCD_BYTES }), { name: path }), path));
    } catch (err) {
      coverage.push({ kind: 'corrupt', path, reason: `boot configuration (BCD) not read: ${(err as Error).message}`, blocking: true });
    }
  }
  // No boot menu on this root (offline, the EFI system partition is usually another volume): whether
  // several systems can be started was not looked at — a gap of that rule, never "none found".
  if (out.length === 0 && !coverage.some((c) => c.path?.includes('grub') || c.path?.includes('BCD'))) {
    coverage.push({ kind: 'not-found', path: '/boot', reason: 'no boot menu found (GRUB grub.cfg or Windows BCD; offline, the boot or EFI partition may be another volume): whether several systems can be started was not checked', blocking: false, rules: ['boot-multiple-systems'] });
  }
  return out;
}
