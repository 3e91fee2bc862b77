// Reading the per-machine reports of a season, one at a time: walk the folders (regular files only,
// no symbolic link followed, depth, count and size budgets), check each report's signature against
// the kits' public keys, and keep only a compact record of what the annual report counts. A report
// that is unsigned, altered, signed by an unknown key or not a report at all is never counted: it
// becomes an exclusion with its reason.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { keyIdOf, verifyBytes } from '../sign/keys.js';
import { PROFILES, serialKey, type Profile, type SecretLevel } from '../engine/vocab.js';
import { SEVERITIES, type Finding, type Severity } from '../engine/types.js';
import { REPORT_SCHEMA, type Report } from '../report/types.js';
import type { Exclusion, MachineFinding, MachineRecord, MachineUsb } from './types.js';

export interface ReadBudget {
  /** Largest report read (bytes); a larger one is excluded as too large. */
  maxReportBytes: number;
  /** Most report files taken from all folders together; the rest are excluded as too many. */
  maxReports: number;
  /** Deepest folder level walked. */
  maxDepth: number;
}

export const DEFAULT_BUDGET: ReadBudget = { maxReportBytes: 64 * 1024 * 1024, maxReports: 1_000_000, maxDepth: 32 };

/** The public keys reports may be signed with, by key id. */
export type KeyRing = ReadonlyMap<string, KeyObject>;

export function keyRing(keys: KeyObject[]): Map<string, KeyObject> {
  return new Map(keys.map((k) => [keyIdOf(k), k]));
}

export type Candidate = { file: string } | { exclusion: Exclusion };

/**
 * Every `*.json` under the folders (sorted, so the order and so the output is the same each run),
 * without following symbolic links; something that is not a regular file is an exclusion.
 */
export async function* walkReports(dirs: string[], budget: ReadBudget = DEFAULT_BUDGET): AsyncGenerator<Candidate> {
  let n = 0;
  async function* walk(dir: string, depth: number): AsyncGenerator<Candidate> {
    let entries: import('node:fs').Dirent[];
    try {
      // Dirent types come from the folder itself: no link is followed, no stat per file.
      entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      yield { exclusion: { file: dir, kind: 'unreadable', detail: (err as Error).message } };
      return;
    }
    for (const ent of entries) {
      const name = ent.name;
      const path = join(dir, name);
      if (ent.isDirectory()) {
        if (depth >= budget.maxDepth) yield { exclusion: { file: path, kind: 'too-many', detail: `folder deeper than ${budget.maxDepth} levels, not walked` } };
        else yield* walk(path, depth + 1);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      if (!ent.isFile()) {
        yield { exclusion: { file: path, kind: 'not-regular', detail: ent.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file' } };
        continue;
      }
      if (++n > budget.maxReports) {
        yield { exclusion: { file: path, kind: 'too-many', detail: `more than ${budget.maxReports} reports` } };
        continue;
      }
      yield { file: path };
    }
  }
  for (const d of dirs) {
    let st;
    try {
      // A folder named on the command line is the officer's own choice: a link to it is followed.
      st = await stat(d);
    } catch (err) {
      yield { exclusion: { file: d, kind: 'unreadable', detail: (err as Error).message } };
      continue;
    }
    if (st.isDirectory()) yield* walk(d, 0);
    else if (st.isFile() && d.endsWith('.json')) yield { file: d };
    else yield { exclusion: { file: d, kind: 'not-regular', detail: 'not a folder or a report file' } };
  }
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Read a regular file within a byte budget, opened without following a link at the last step.
 * Synchronous on purpose: the aggregation does nothing else meanwhile, and one report after the
 * other through the thread pool costs more in hops than the reads themselves.
 */
export function readBounded(path: string, max: number, scratch?: { buf: Buffer }): Buffer | Exclusion {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { file: path, kind: 'not-regular', detail: 'symbolic link (not followed)' };
    return { file: path, kind: 'unreadable', detail: (err as Error).message };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { file: path, kind: 'not-regular', detail: 'not a regular file' };
    if (st.size > max) return { file: path, kind: 'too-large', detail: `${st.size} bytes; at most ${max}` };
    // With a scratch buffer the bytes are a view of it, valid until the next read with the same
    // scratch: thousands of reports then cost one allocation, not thousands outside the heap.
    if (scratch && scratch.buf.length < st.size) scratch.buf = Buffer.allocUnsafe(Math.max(st.size, scratch.buf.length * 2));
    const buf = scratch ? scratch.buf.subarray(0, st.size) : Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } catch (err) {
    return { file: path, kind: 'unreadable', detail: (err as Error).message };
  } finally {
    closeSync(fd);
  }
}

/**
 * One copy of each of the strings that repeat across thousands of reports (rule and probe ids, key
 * ids, classes, units, departments, OS names, lists of rules run): each parsed report would otherwise
 * bring its own copies, and the records of a large season would hold tens of thousands of each.
 */
const POOL = new Map<string, string>();
const LISTS = new Map<string, string[]>();
export function intern(s: string): string {
  const got = POOL.get(s);
  if (got !== undefined) return got;
  if (POOL.size < 200_000) POOL.set(s, s);
  return s;
}
function internList(xs: string[]): string[] {
  const k = xs.join('\u0000');
  const got = LISTS.get(k);
  if (got !== undefined) return got;
  const list = Object.freeze(xs.map(intern)) as string[];
  if (LISTS.size < 10_000) LISTS.set(k, list);
  return list;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** A short label of what a finding is about, from its evidence (a path, a device, a network name). */
function itemOf(f: Finding): string | undefined {
  const e = f.evidence ?? {};
  const label = str(e['path']) ?? str(e['name']) ?? str(e['friendlyName']) ?? str(e['product']) ?? str(e['key']) ?? str(e['host']) ?? str(e['ssid']) ?? str(e['hostname']);
  return label === undefined ? undefined : label.length > 200 ? `${label.slice(0, 199)}…` : label;
}

function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** The key that makes two scans the same machine. */
export function machineKeyOf(machine: Record<string, unknown>, unit: string | null): string {
  const id = str(machine['machineId']);
  if (id) return `id:${id.toLowerCase()}`;
  const hw = str((machine['hardware'] as Record<string, unknown> | undefined)?.['serial']);
  if (hw) return `hw:${serialKey(hw)}`;
  return `host:${unit ?? ''}/${(str(machine['hostname']) ?? '').toLowerCase()}`;
}

/** The compact record of a verified report; throws when a field the annual report needs is missing. */
export function recordOf(file: string, doc: Report, keyId: string): MachineRecord {
  const scan = doc.scan;
  if (!scan || typeof scan.id !== 'string' || typeof scan.startedAt !== 'string' || Number.isNaN(Date.parse(scan.startedAt))) throw new Error('no scan id or start time');
  const ctx = scan.machineContext;
  const profile = (ctx?.class ?? scan.profile) as Profile;
  if (!PROFILES.includes(profile)) throw new Error(`unknown machine class ${String(profile)}`);
  const machine = doc.machine && typeof doc.machine === 'object' ? doc.machine : {};
  if (!Array.isArray(doc.findings)) throw new Error('no findings list');
  const unit = str(doc.unit) ?? null;
  const findings: MachineFinding[] = doc.findings.map((f) => {
    if (typeof f?.id !== 'string' || typeof f.ruleId !== 'string' || !isSeverity(f.severity)) throw new Error('a finding without id, rule or severity');
    const item = itemOf(f);
    return { id: f.id, ruleId: intern(f.ruleId), severity: intern(f.severity) as Severity, probe: intern(String(f.probe ?? '')), ...(item !== undefined ? { item } : {}) };
  });
  const probes = Array.isArray(doc.probes) ? doc.probes : [];
  const probesNotDone = probes.filter((p) => p.status === 'error' || p.status === 'timeout' || p.blocking).map((p) => ({ probe: intern(String(p.id)), status: p.blocking && p.status !== 'error' && p.status !== 'timeout' ? 'not-run' : p.status }));
  const gaps: Record<string, number> = {};
  for (const c of Array.isArray(doc.coverage) ? doc.coverage : []) if (c?.blocking) gaps[intern(String(c.kind))] = (gaps[String(c.kind)] ?? 0) + 1;
  const usb: MachineUsb[] = [];
  const devices = (doc.inventory as Record<string, unknown> | undefined)?.['usbDevices'];
  if (Array.isArray(devices)) {
    for (const d of devices as Array<Record<string, unknown>>) {
      const serial = str(d?.['serial']);
      if (d?.['storage'] !== true || serial === undefined || d['serialUnique'] === false || serial.trim().charAt(1) === '&') continue;
      const ledger = (d['ledger'] ?? {}) as Record<string, unknown>;
      const entry = (ledger['entry'] ?? {}) as Record<string, unknown>;
      const vid = str(d['vid']);
      const pid = str(d['pid']);
      const product = str(d['product']) ?? str(d['friendlyName']);
      const ledgerId = str(entry['id']);
      usb.push({ serialKey: serialKey(serial), serial, ...(vid ? { vid } : {}), ...(pid ? { pid } : {}), ...(product ? { product } : {}), ledgerStatus: str(ledger['status']) ?? 'not-judged', ...(ledgerId ? { ledgerId } : {}) });
    }
  }
  const os = machine['os'] as Record<string, unknown> | undefined;
  const machineId = str(machine['machineId']);
  const hardwareSerial = str((machine['hardware'] as Record<string, unknown> | undefined)?.['serial']);
  const osName = str(os?.['prettyName']) ?? str(os?.['name']);
  return {
    key: machineKeyOf(machine, unit),
    file,
    keyId: intern(keyId),
    scanId: scan.id,
    startedAt: scan.startedAt,
    hostname: str(machine['hostname']) ?? null,
    ...(machineId ? { machineId } : {}),
    ...(hardwareSerial ? { hardwareSerial } : {}),
    ...(osName ? { os: intern(osName) } : {}),
    mode: intern(String(scan.mode ?? '')),
    profile: intern(profile) as Profile,
    ...(profile === 'classified' && ctx?.level ? { level: ctx.level as SecretLevel } : {}),
    profileSource: intern(String(ctx?.source ?? (scan.profileAssumed ? 'default' : 'flag'))),
    unit: unit === null ? null : intern(unit),
    department: str(doc.department) === undefined ? null : intern(str(doc.department)!),
    ...(ctx?.ledgerRow?.id ? { ledgerRowId: ctx.ledgerRow.id } : {}),
    findings,
    complete: doc.summary?.complete === true,
    probesNotDone,
    gaps,
    rulesRun: internList(Array.isArray(doc.rules?.ids) ? doc.rules.ids.map(String) : []),
    probesOk: internList(probes.filter((p) => p.status === 'ok').map((p) => String(p.id))),
    usb,
  };
}

export interface ReadOk {
  record: MachineRecord;
  /** Rule titles the report carries (for the by-rule table). */
  titles: Record<string, { zh: string; en: string }>;
}

const SCRATCH = { buf: Buffer.alloc(0) };

/** Read, verify and reduce one report file (one at a time: the bytes live in a shared scratch buffer). */
export async function readReport(file: string, keys: KeyRing, budget: ReadBudget = DEFAULT_BUDGET): Promise<ReadOk | Exclusion> {
  const bytes = readBounded(file, budget.maxReportBytes, SCRATCH);
  if (!Buffer.isBuffer(bytes)) return bytes;
  const sigBytes = readBounded(`${file}.sig`, 4096);
  let doc: Report;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Report;
  } catch {
    // Not JSON: altered when it has a signature beside it, else not a report at all.
    return Buffer.isBuffer(sigBytes) ? { file, kind: 'altered', detail: 'not valid JSON' } : { file, kind: 'not-a-report', detail: 'not valid JSON' };
  }
  if (doc === null || typeof doc !== 'object' || doc.schema !== REPORT_SCHEMA) {
    return { file, kind: 'not-a-report', detail: `schema ${JSON.stringify((doc as { schema?: unknown } | null)?.schema ?? null).slice(0, 60)}` };
  }
  if (!Buffer.isBuffer(sigBytes)) return { file, kind: 'unsigned', detail: sigBytes.kind === 'unreadable' ? `no ${file}.sig` : `${file}.sig: ${sigBytes.detail ?? sigBytes.kind}` };
  const sigText = sigBytes.toString('utf8').trim();
  const sig = Buffer.from(sigText, 'base64');
  if (sig.length !== 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(sigText)) return { file, kind: 'altered', detail: 'the .sig is not one line of base64 of a 64-byte Ed25519 signature' };
  const keyId = typeof doc.signer?.keyId === 'string' ? doc.signer.keyId : undefined;
  if (keyId === undefined) return { file, kind: 'unknown-key', detail: 'the report names no signing key' };
  const key = keys.get(keyId);
  if (key === undefined) return { file, kind: 'unknown-key', detail: keyId };
  if (!verifyBytes(bytes, sig, key)) return { file, kind: 'altered', detail: `signature does not match the file for key ${keyId}` };
  try {
    const record = recordOf(file, doc, keyId);
    const titles: Record<string, { zh: string; en: string }> = {};
    for (const f of doc.findings) if (f.title && typeof f.title.zh === 'string' && typeof f.title.en === 'string') titles[f.ruleId] = { zh: f.title.zh, en: f.title.en };
    return { record, titles };
  } catch (err) {
    return { file, kind: 'not-a-report', detail: `signed, but ${(err as Error).message}` };
  }
}
