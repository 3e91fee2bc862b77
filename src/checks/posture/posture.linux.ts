// Security settings of a Linux machine, from its configuration files (the same files live and
// offline): accounts with an empty password field in /etc/shadow (the account name only: no hash is
// kept or reported), sshd's PermitEmptyPasswords / PermitRootLogin, display-manager automatic login
// (GDM, LightDM, SDDM), whether a firewall is configured to start (ufw, firewalld, nftables,
// iptables-persistent), and USB storage blocked by modprobe configuration.
import type { CoverageItem } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import type { PostureFact } from './types.js';

const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_SHADOW_BYTES = 4 * 1024 * 1024;

async function text(target: Target, path: string, coverage: CoverageItem[], maxBytes = MAX_CONFIG_BYTES): Promise<string | undefined> {
  if (!(await target.exists(path))) return undefined;
  try {
    return await target.readText(path, { maxBytes });
  } catch (err) {
    const code = (err as { code?: string }).code;
    coverage.push({ kind: code === 'E_TOO_LARGE' ? 'too-large' : 'unreadable', path, reason: `not read: ${(err as Error).message}`, blocking: true });
    return undefined;
  }
}

/** Accounts whose password field is empty (anyone may log in as them without a password). */
export function emptyPasswordAccounts(shadow: string): string[] {
  const out: string[] = [];
  for (const line of shadow.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const j = line.indexOf(':', i + 1);
    const field = j < 0 ? line.slice(i + 1) : line.slice(i + 1, j);
    if (field === '') out.push(line.slice(0, i));
  }
  return out;
}

/** sshd_config keywords in effect outside Match blocks: the first value given wins (sshd_config(5)). */
export async function sshdSettings(target: Target, coverage: CoverageItem[]): Promise<{ values: Map<string, { value: string; file: string }>; files: string[] } | undefined> {
  const main = '/etc/ssh/sshd_config';
  const values = new Map<string, { value: string; file: string }>();
  const files: string[] = [];
  let inMatch = false;
  const read = async (path: string, depth: number): Promise<void> => {
    const t = await text(target, path, coverage);
    if (t === undefined) return;
    files.push(path);
    for (const raw of t.split('\n')) {
      if (inMatch) return;
      const line = raw.replace(/#.*$/, '').trim();
      const m = /^(\S+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
      if (!m) continue;
      const kw = m[1]!.toLowerCase();
      const val = m[2]!.trim();
      if (kw === 'match') {
        inMatch = true;
        return;
      }
      if (kw === 'include' && depth < 4) {
        for (const pat of val.split(/\s+/)) {
          const abs = pat.startsWith('/') ? pat : `/etc/ssh/${pat}`;
          const matches = abs.includes('*') || abs.includes('?') ? (await target.glob(abs)).sort() : [abs];
          for (const f of matches) await read(f, depth + 1);
        }
        continue;
      }
      if (!values.has(kw)) values.set(kw, { value: val.split(/\s+/)[0]!.toLowerCase(), file: path });
    }
  };
  if (!(await target.exists(main))) return undefined;
  await read(main, 0);
  return { values, files };
}

/** Key/value settings of an INI-style file, by section. */
export function iniSections(t: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur = '';
  for (const raw of t.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      cur = s[1]!;
      continue;
    }
    const i = line.indexOf('=');
    if (i <= 0) continue;
    if (!out.has(cur)) out.set(cur, new Map());
    out.get(cur)!.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

async function autoLogins(target: Target, coverage: CoverageItem[]): Promise<PostureFact[]> {
  const out: PostureFact[] = [];
  for (const path of ['/etc/gdm3/custom.conf', '/etc/gdm3/daemon.conf', '/etc/gdm/custom.conf']) {
    const t = await text(target, path, coverage);
    if (t === undefined) continue;
    const d = iniSections(t).get('daemon');
    for (const [en, u, how] of [['AutomaticLoginEnable', 'AutomaticLogin', 'automatic'], ['TimedLoginEnable', 'TimedLogin', 'timed']] as const) {
      if (/^(true|1|yes)$/i.test(d?.get(en) ?? '') && d?.get(u)) out.push({ kind: 'auto-logon', enabled: true, user: d.get(u)!, passwordStored: false, manager: 'gdm', how, source: path });
    }
  }
  const lightdm = ['/etc/lightdm/lightdm.conf', ...(await target.glob('/usr/share/lightdm/lightdm.conf.d/*.conf')).sort(), ...(await target.glob('/etc/lightdm/lightdm.conf.d/*.conf')).sort()];
  for (const path of lightdm) {
    const t = await text(target, path, coverage);
    if (t === undefined) continue;
    for (const [name, sec] of iniSections(t)) {
      if (!/^(Seat:.*|SeatDefaults)$/.test(name)) continue;
      const u = sec.get('autologin-user');
      if (u) out.push({ kind: 'auto-logon', enabled: true, user: u, passwordStored: false, manager: 'lightdm', how: 'automatic', source: path });
    }
  }
  for (const path of ['/etc/sddm.conf', ...(await target.glob('/etc/sddm.conf.d/*.conf')).sort()]) {
    const t = await text(target, path, coverage);
    if (t === undefined) continue;
    const u = iniSections(t).get('Autologin')?.get('User');
    if (u) out.push({ kind: 'auto-logon', enabled: true, user: u, passwordStored: false, manager: 'sddm', how: 'automatic', source: path });
  }
  return out;
}

async function firewall(target: Target, coverage: CoverageItem[]): Promise<PostureFact> {
  const tools: string[] = [];
  const sources: string[] = [];
  const ufw = await text(target, '/etc/ufw/ufw.conf', coverage);
  if (ufw !== undefined && /^\s*ENABLED\s*=\s*yes\s*$/im.test(ufw)) {
    tools.push('ufw');
    sources.push('/etc/ufw/ufw.conf');
  }
  for (const [tool, unit] of [
    ['firewalld', '/etc/systemd/system/multi-user.target.wants/firewalld.service'],
    ['nftables', '/etc/systemd/system/sysinit.target.wants/nftables.service'],
    ['iptables-persistent', '/etc/systemd/system/multi-user.target.wants/netfilter-persistent.service'],
  ] as const) {
    if (await target.exists(unit)) {
      tools.push(tool);
      sources.push(unit);
    }
  }
  return { kind: 'firewall', profile: 'host-firewall', enabled: tools.length > 0, tools, source: sources.join(', ') || '/etc/ufw/ufw.conf, /etc/systemd/system' };
}

async function usbStorage(target: Target, coverage: CoverageItem[]): Promise<PostureFact> {
  for (const path of (await target.glob('/etc/modprobe.d/*.conf')).sort()) {
    const t = await text(target, path, coverage);
    if (t !== undefined && /^\s*(blacklist\s+usb[-_]storage\b|install\s+usb[-_]storage\s+\/(usr\/)?bin\/(false|true)\b)/m.test(t)) {
      return { kind: 'usb-storage-policy', blocked: true, source: path };
    }
  }
  return { kind: 'usb-storage-policy', blocked: false, source: '/etc/modprobe.d' };
}

export async function linuxPosture(target: Target, coverage: CoverageItem[]): Promise<PostureFact[]> {
  const out: PostureFact[] = [];
  const shadow = await text(target, '/etc/shadow', coverage, MAX_SHADOW_BYTES);
  if (shadow === undefined && !coverage.some((c) => c.path === '/etc/shadow')) {
    coverage.push({ kind: 'not-found', path: '/etc/shadow', reason: 'no /etc/shadow: accounts with an empty password could not be checked', blocking: true });
  }
  for (const user of shadow !== undefined ? emptyPasswordAccounts(shadow) : []) out.push({ kind: 'empty-password', user, source: '/etc/shadow' });

  const ssh = await sshdSettings(target, coverage);
  if (ssh) {
    const root = ssh.values.get('permitrootlogin');
    const empty = ssh.values.get('permitemptypasswords');
    out.push({
      kind: 'ssh',
      // Defaults of OpenSSH ≥ 7.0 when not set: prohibit-password, no.
      permitRootLogin: root?.value ?? 'prohibit-password',
      permitEmptyPasswords: empty?.value === 'yes',
      setBy: root || empty ? 'local' : 'default',
      source: [...new Set([root?.file, empty?.file].filter((x): x is string => x !== undefined))].join(', ') || ssh.files[0]!,
    });
  }
  out.push(...(await autoLogins(target, coverage)));
  out.push(await firewall(target, coverage));
  out.push(await usbStorage(target, coverage));

  // Desktop screen lock lives in each user's dconf database (a binary GVDB file) — not read here.
  for (const dm of ['/etc/gdm3', '/etc/gdm', '/etc/lightdm', '/etc/sddm.conf', '/usr/share/xsessions']) {
    if (await target.exists(dm)) {
      coverage.push({ kind: 'not-collected', path: dm, reason: 'a graphical desktop is installed, but its screen-lock settings (each user\'s dconf database) are not read: check the screen lock by hand', blocking: true, rules: ['posture-screen-lock'] });
      break;
    }
  }
  return out;
}
