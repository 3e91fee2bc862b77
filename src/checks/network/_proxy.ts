// Pure parsers for the places a Linux machine keeps proxy settings: the process environment,
// /etc/environment (pam_env), shell profiles (`export http_proxy=…`), apt.conf (`Acquire::http::Proxy`)
// and GNOME's system dconf keyfiles (`[system/proxy/http]`). No I/O here.

/** The environment variables curl, wget, apt, pip… honour (either case). */
export const PROXY_VARIABLES: readonly string[] = ['http_proxy', 'https_proxy', 'ftp_proxy', 'all_proxy', 'no_proxy'];

export interface ProxySetting {
  kind: 'proxy';
  /** `env` (the scanner's own environment) or the target path it was read from. */
  source: string;
  variable: string;
  /** The value, with any password in it replaced by `***`. */
  value: string;
  /** True when it sends traffic through a proxy (not `no_proxy`, `DIRECT`, `false`, empty, mode none). */
  active: boolean;
}

/** `http://user:secret@host:3128` → `http://user:***@host:3128` (a report must not carry passwords). */
export function redactProxyValue(value: string): string {
  return value
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@/\s]*)@/i, '$1$2:***@')
    .replace(/^([^:@/\s]+):([^@/\s]+)@/, '$1:***@');
}

function isProxyVariable(name: string): boolean {
  return PROXY_VARIABLES.includes(name.toLowerCase());
}

function activeValue(variable: string, value: string): boolean {
  if (/no_proxy$/i.test(variable) || /ignore-hosts$/.test(variable)) return false;
  const v = value.trim().toLowerCase();
  return v !== '' && v !== 'direct' && v !== 'false' && v !== 'none';
}

function setting(source: string, variable: string, value: string): ProxySetting {
  return { kind: 'proxy', source, variable, value: redactProxyValue(value), active: activeValue(variable, value) };
}

/** Proxy variables of an environment (names matched case-insensitively: Windows keeps one). */
export function proxiesFromEnv(env: Record<string, string | undefined>, source = 'env'): ProxySetting[] {
  const out: ProxySetting[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !isProxyVariable(name)) continue;
    out.push(setting(source, name, value));
  }
  return out;
}

function unquoteShell(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  // unquoted: stop at the first blank or `;` (`export a=b; export c=d`)
  return v.split(/[\s;]/)[0] ?? '';
}

/**
 * `/etc/environment` (`NAME=value`, pam_env's simple syntax) and shell profiles
 * (`export NAME=value`, `NAME="value"`). Comments and other variables are ignored.
 */
export function proxiesFromShellAssignments(text: string, source: string): ProxySetting[] {
  const out: ProxySetting[] = [];
  // `export a=b; export c=d` holds two assignments
  const statements = text.split(/\r?\n/).flatMap((l) => l.split(/;\s*(?=(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*=)/));
  for (const line of statements) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m || !isProxyVariable(m[1]!)) continue;
    let rest = m[2]!;
    const quoted = /^(["'])(.*?)\1/.exec(rest.trim());
    rest = quoted ? quoted[2]! : unquoteShell(rest.replace(/\s+#.*$/, ''));
    out.push(setting(source, m[1]!, rest));
  }
  return out;
}

/**
 * Flatten an apt.conf(5) text into `Scope::Key` → value pairs: `A::B "v";`, nested
 * `A { B "v"; };`, `//`, `/* *\/` and `#` comments. Lists (`A { "x"; "y"; };`) keep the last value.
 */
export function parseAptConf(text: string): Array<[string, string]> {
  const tokens: string[] = [];
  const re = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|#[^\n]*|"((?:[^"\\]|\\.)*)"|([{};])|([^\s{};"]+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[1] !== undefined) tokens.push(`"${m[1]}`);
    else if (m[2] !== undefined) tokens.push(m[2]);
    else if (m[3] !== undefined) tokens.push(m[3]);
  }
  const out: Array<[string, string]> = [];
  const scope: string[] = [];
  let key: string | undefined;
  for (const t of tokens) {
    if (t === '{') {
      scope.push(key ?? '');
      key = undefined;
    } else if (t === '}') {
      scope.pop();
      key = undefined;
    } else if (t === ';') {
      key = undefined;
    } else if (t.startsWith('"')) {
      const full = [...scope.filter((s) => s !== ''), ...(key !== undefined ? [key] : [])].join('::');
      if (full !== '') out.push([full, t.slice(1)]);
    } else {
      key = key === undefined ? t : `${key}::${t}`;
    }
  }
  return out;
}

/** `Acquire::http::Proxy`, `Acquire::https::Proxy "…"`, per-host `Acquire::http::Proxy::host "DIRECT"`, `Acquire::socks::Proxy`. */
export function proxiesFromAptConf(text: string, source: string): ProxySetting[] {
  const out: ProxySetting[] = [];
  for (const [k, v] of parseAptConf(text)) {
    if (/^Acquire::(https?|ftp|socks)::Proxy(::.+)?$/i.test(k) || /^Acquire::(https?|ftp)::Proxy-Auto-Detect$/i.test(k)) {
      out.push(setting(source, k, v));
    }
  }
  return out;
}

/** Parse a GLib keyfile (dconf's `/etc/dconf/db/<db>.d/*`) into section → key → raw value. */
export function parseKeyfile(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      const name = sec[1]!.trim();
      section = out.get(name) ?? new Map<string, string>();
      out.set(name, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && section) section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

function gvariantString(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^'(.*)'$/.exec(v) ?? /^"(.*)"$/.exec(v);
  return m ? m[1] : v;
}

/**
 * GNOME system proxy from the merged keyfiles of one dconf database: `[system/proxy] mode`,
 * `autoconfig-url`, `ignore-hosts`, and `[system/proxy/{http,https,ftp,socks}] host`/`port`.
 * A host counts as active only when the mode is `manual`; a PAC URL only when `auto`.
 */
export function proxiesFromDconf(text: string, source: string): ProxySetting[] {
  const kf = parseKeyfile(text);
  const base = kf.get('system/proxy');
  const mode = gvariantString(base?.get('mode'));
  const out: ProxySetting[] = [];
  if (mode !== undefined) out.push({ kind: 'proxy', source, variable: 'system/proxy/mode', value: mode, active: mode === 'manual' || mode === 'auto' });
  const pac = gvariantString(base?.get('autoconfig-url'));
  if (pac) out.push({ kind: 'proxy', source, variable: 'system/proxy/autoconfig-url', value: redactProxyValue(pac), active: mode === 'auto' });
  const ignore = base?.get('ignore-hosts');
  if (ignore) out.push({ kind: 'proxy', source, variable: 'system/proxy/ignore-hosts', value: ignore, active: false });
  for (const proto of ['http', 'https', 'ftp', 'socks']) {
    const sec = kf.get(`system/proxy/${proto}`);
    const host = gvariantString(sec?.get('host'));
    if (!host) continue;
    const port = sec?.get('port')?.replace(/^uint32\s+/, '');
    out.push({ kind: 'proxy', source, variable: `system/proxy/${proto}`, value: port ? `${host}:${port}` : host, active: mode === 'manual' });
  }
  return out;
}
