// English left in a Chinese report: every ASCII word of the rendered text that no rule of context
// allows. The rules say WHERE an ASCII word may stand, never which words happened to appear:
//   1. a value the report's JSON holds in a field that names a thing on the machine — a path, a
//      device, vendor, model, serial, an identifier, a host, a user, a driver, an interface, a marking
//      as written in the document, a network name — and the parameters of a catalogue message (they
//      are identifiers by construction): text quoted from the machine;
//   2. a path or a file name (a run holding `/` or `\`, or ending in an extension);
//   3. hexadecimal and digests (SHA-256, finding ids `F-…`, VID:PID, GUIDs);
//   4. the report's own identifiers: rule ids and probe ids of this report;
//   5. units after a number (MB, KB, ms…) and acronyms written in capitals (USB, PCI, MAC…);
//   6. command-line options (`--profile`), the program's name and its commands (`baomi verify`);
//   7. a name the text itself quotes in 「」 (a setting, a command, a product, as the CLI's help does).
import type { Report } from '../../src/report/types.js';

/** Field names (as the JSON spells them) whose values are quoted from the machine. */
const QUOTED_FIELDS = new Set([
  // where
  'path', 'originalPath', 'root', 'source', 'sources', 'keyPath', 'where', 'roots', 'file', 'files',
  // what device
  'name', 'vendor', 'product', 'manufacturer', 'friendlyName', 'model', 'serial', 'serialRaw', 'revision', 'key', 'id', 'ids', 'driver',
  'ifaces', 'iface', 'interface', 'vid', 'pid', 'mac', 'gatewayMac', 'address', 'guid', 'volumeLabels', 'volumeSerials', 'driveLetters',
  // who and which machine, which network (`security`: the key management as the config file writes it)
  'hostname', 'machineId', 'user', 'users', 'host', 'hosts', 'topHosts', 'url', 'urls', 'ssid', 'profile', 'browser', 'process',
  'remote', 'local', 'security', 'prettyName', 'version', 'edition', 'build', 'family', 'detectedFrom', 'platform', 'node', 'alg', 'keyId',
  // what software, printer port and boot entry (the checklist probes: as the package database, the
  // printer's port and the boot menu write them)
  'publisher', 'port', 'systems', 'arch',
  // as written in the document
  'text', 'markings', 'format', 'pattern', 'reader', 'byFormat',
]);

function collect(v: unknown, quoted: boolean, into: Set<string>, depth = 0): void {
  if (depth > 12 || v === null || v === undefined) return;
  if (typeof v === 'string') {
    if (quoted && v.trim() !== '') into.add(v.trim());
    return;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return;
  if (Array.isArray(v)) {
    for (const x of v) collect(x, quoted, into, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  // a catalogue message: its parameters are identifiers; its English text is NOT allowed
  if (typeof o['key'] === 'string' && typeof o['text'] === 'string' && (o['params'] === undefined || typeof o['params'] === 'object')) {
    if (o['params']) for (const x of Object.values(o['params'] as Record<string, unknown>)) collect(x, true, into, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(o)) {
    // byFormat keys (docx, pdf…) are formats
    if (k === 'byFormat' && x && typeof x === 'object') for (const f of Object.keys(x)) into.add(f);
    collect(x, quoted || QUOTED_FIELDS.has(k), into, depth + 1);
  }
}

/** Every string the report quotes from the machine (rule 1), longest first. */
export function quotedValues(report: Report): string[] {
  const s = new Set<string>();
  collect(report.machine, true, s);
  collect(report.findings.map((f) => f.evidence), false, s);
  collect(report.inventory, false, s);
  collect(report.coverage.map((c) => ({ path: c.path })), false, s);
  collect(report.probes.map((p) => p.msg), false, s);
  collect(report.scan.scanner, true, s);
  collect(report.scan.root, true, s);
  collect(report.signer.alg, true, s);
  collect(report.tool.version, true, s);
  for (const f of report.rules.files) s.add(f);
  // each line of a multi-line value, too (a cell shows them apart)
  for (const v of [...s]) for (const part of v.split(/[\r\n]+/)) if (part.trim() !== '') s.add(part.trim());
  return [...s].filter((x) => /[A-Za-z]/.test(x)).sort((a, b) => b.length - a.length);
}

const RULES: Array<[string, RegExp]> = [
  ['sha256 digest', /\bsha256:[0-9a-f]{64}\b/gi],
  ['finding id', /\bF-[0-9a-f]{20}\b/g],
  ['guid', /\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?/gi],
  ['path', /(?:[A-Za-z]:)?[^\s"'（）()「」，；：、]*[/\\][^\s"'（）()「」，；、]*/g],
  ['file name', /[^\s/\\（）()「」，；：、]+\.[A-Za-z][A-Za-z0-9]{0,4}\b/g],
  ['bare extension', /(?<![A-Za-z0-9])\.[a-z]{2,5}\b/g],
  ['hex', /\b(?=[0-9A-Fa-f:&_-]*\d)[0-9A-Fa-f]{2,}(?:[:&_-][0-9A-Fa-f]{2,})*\b/g],
  ['unit after a number', /(?<=\d\s?)(?:[KMGT]i?B|B|ms|s)\b/g],
  ['acronym in capitals', /\b[A-Z][A-Z0-9]{1,7}(?:-[0-9]+)?\b/g],
  ['quoted name', /「[^」\n]*」/g],
  ['command-line option', /(?<![\w-])--[a-z][a-z-]*/g],
  ['the program and its commands', /\bbaomi(?: (?:scan|verify|inspect|ledger|rules))?\b/g],
];

export interface Leak {
  word: string;
  line: string;
}

/** ASCII words of `text` that no rule allows; `ids` are the report's rule and probe ids (rule 4). */
export function englishLeaks(text: string, report: Report): Leak[] {
  const quoted = quotedValues(report);
  const ids = [...report.rules.ids, ...report.probes.map((p) => p.id)].sort((a, b) => b.length - a.length);
  const out: Leak[] = [];
  const re = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const idRes = ids.map((id) => new RegExp(`(?<![\\w.-])${re(id)}(?![\\w-])`, 'g'));
  // a quoted value counts where it stands as a whole (not the `usb` inside `usb-phone-connected`)
  const quotedRes = quoted.map((q) => new RegExp(`(?<![A-Za-z0-9._-])${re(q)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'g'));
  const [pathRules, otherRules] = [RULES.slice(3, 6), [...RULES.slice(0, 3), ...RULES.slice(6)]];
  for (const line of text.split('\n')) {
    let rest = line;
    // values quoted from the machine first (a device name or a registry path may hold spaces), then
    // paths and file names, the report's ids, and the rest
    for (let i = 0; i < quoted.length; i++) if (rest.includes(quoted[i]!)) rest = rest.replace(quotedRes[i]!, ' ');
    for (const [, r] of pathRules) rest = rest.replace(r, ' ');
    for (const r of idRes) rest = rest.replace(r, ' ');
    for (const [, r] of otherRules) rest = rest.replace(r, ' ');
    for (const m of rest.matchAll(/[A-Za-z]{2,}/g)) out.push({ word: m[0], line: line.trim() });
  }
  return out;
}
