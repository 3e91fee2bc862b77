// The batch log of a day's work: results/index.jsonl, one line per scan a kit ran (time, machine
// identity, class, report file, its SHA-256, findings, exit code), and its check (`baomi results
// list`): every listed report present, unchanged (same SHA-256) and correctly signed.
import { createHash, type KeyObject } from 'node:crypto';
import { appendFile, lstat, open, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Report } from '../report/types.js';
import { verifyReportBytes } from '../report/sign.js';
import type { Words } from '../report/messages.js';

export const INDEX_FILE = 'index.jsonl';
/** Budgets for reading a results folder from a stick that may have been tampered with. */
export const RESULTS_BUDGET = { indexBytes: 16 * 1024 * 1024, reportBytes: 256 * 1024 * 1024, sigBytes: 4096 };

export interface IndexEntry {
  schema: 'baomi.kit-index/1';
  /** When the scan finished (the report's scan.finishedAt). */
  time: string;
  machine: { hostname: string | null; hardwareSerial?: string; machineId?: string; macs?: string[] };
  profile: string;
  level?: string;
  /** Who decided the class: ledger, flag, prompt or default. */
  profileSource?: string;
  /** The ledger row's number (编号) of the machine, when one matched: its asset id. */
  assetId?: string;
  unit?: string;
  department?: string;
  /** The target's root as the kit saw it (a mount point, or the folder given). */
  root: string;
  /** File name of the JSON report, in the same folder. */
  report: string;
  sha256: string;
  findings: number;
  complete: boolean;
  exitCode: number;
  keyId: string;
  /** The volume it was on, when `scan --root auto` mounted it; and what the scan could not say (hibernated NTFS). */
  device?: string;
  notes?: string[];
}

/** A volume `scan --root auto` found and did not scan (encrypted, not mountable, no operating system). */
export interface NotScannedEntry {
  schema: 'baomi.kit-index/1';
  time: string;
  notScanned: { device: string; fstype: string | null; label: string | null; uuid: string | null; reason: string; scheme?: string; detail?: string };
}

export async function appendNotScanned(dir: string, v: NotScannedEntry['notScanned']): Promise<void> {
  await appendFile(join(dir, INDEX_FILE), `${JSON.stringify({ schema: 'baomi.kit-index/1', time: new Date().toISOString(), notScanned: v } satisfies NotScannedEntry)}\n`, { mode: 0o644 });
}

function strField(o: unknown, k: string): string | undefined {
  const v = (o as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The index line for a report just written. */
export function indexEntryOf(report: Report, bytes: Buffer, file: string, exitCode: number, profileSource?: string): IndexEntry {
  const m = report.machine;
  const hw = strField(m['hardware'], 'serial');
  const mid = strField(m, 'machineId');
  const macs = Array.isArray(m['macs']) ? (m['macs'] as unknown[]).map((x) => strField(x, 'mac')).filter((x): x is string => x !== undefined) : [];
  const ctx = report.scan.machineContext;
  return {
    schema: 'baomi.kit-index/1',
    time: report.scan.finishedAt,
    machine: { hostname: typeof m['hostname'] === 'string' ? m['hostname'] : null, ...(hw ? { hardwareSerial: hw } : {}), ...(mid ? { machineId: mid } : {}), ...(macs.length ? { macs } : {}) },
    profile: report.scan.profile,
    ...(ctx?.level ? { level: ctx.level } : {}),
    ...(profileSource ?? ctx?.source ? { profileSource: profileSource ?? ctx.source } : {}),
    ...(ctx?.ledgerRow ? { assetId: ctx.ledgerRow.id } : {}),
    ...(report.unit !== undefined ? { unit: report.unit } : {}),
    ...(report.department !== undefined ? { department: report.department } : {}),
    root: report.scan.root,
    report: basename(file),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    findings: report.summary.findings,
    complete: report.summary.complete,
    exitCode,
    keyId: report.signer.keyId,
  };
}

/** Append one line (one write, O_APPEND). */
export async function appendIndex(dir: string, entry: IndexEntry): Promise<void> {
  await appendFile(join(dir, INDEX_FILE), `${JSON.stringify(entry)}\n`, { mode: 0o644 });
}

/** The report .json files in `dir` (names only). */
export async function reportNames(dir: string): Promise<Set<string>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return new Set(names.filter((n) => n.endsWith('.json') && !n.startsWith('.')));
}

/** Read a regular file (never a link, device or FIFO) within a byte budget. */
async function readRegular(path: string, maxBytes: number): Promise<Buffer> {
  const st = await lstat(path);
  if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
  if (st.size > maxBytes) throw Object.assign(new Error(`over the ${maxBytes}-byte budget`), { code: 'EFBIG' });
  const fh = await open(path, 'r');
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** Add the index lines for the reports that appeared in `dir` since `before` (the scan's own). */
export async function indexNewReports(dir: string, before: ReadonlySet<string>, exitCode: number, profileSource?: string, volume?: { device: string; notes: string[] }): Promise<IndexEntry[]> {
  const added: IndexEntry[] = [];
  for (const name of [...(await reportNames(dir))].filter((n) => !before.has(n)).sort()) {
    const bytes = await readRegular(join(dir, name), RESULTS_BUDGET.reportBytes);
    const report = JSON.parse(bytes.toString('utf8')) as Report;
    if (report?.schema !== 'baomi.report/1') continue;
    const e: IndexEntry = { ...indexEntryOf(report, bytes, name, exitCode, profileSource), ...(volume ? { device: volume.device, ...(volume.notes.length ? { notes: volume.notes } : {}) } : {}) };
    await appendIndex(dir, e);
    added.push(e);
  }
  return added;
}

export type ResultStatus = 'ok' | 'missing' | 'altered' | 'bad-signature' | 'unlisted' | 'not-scanned';

export interface ResultRow {
  entry?: IndexEntry;
  notScanned?: NotScannedEntry['notScanned'] & { time: string };
  report: string;
  status: ResultStatus;
  reason?: string;
  /** The reason in both languages, when the catalogue has it. */
  why?: Words;
}

export interface ResultsCheck {
  rows: ResultRow[];
  /** Lines of index.jsonl that are not an index entry (1-based). */
  badLines: number[];
  indexFound: boolean;
}

function isIndexEntry(o: unknown): o is IndexEntry {
  const e = o as Partial<IndexEntry>;
  return typeof e === 'object' && e !== null && typeof e.report === 'string' && typeof e.sha256 === 'string' && typeof e.time === 'string';
}

/** Check every report the index lists, and list the reports it does not. */
export async function checkResults(dir: string, publicKey?: KeyObject): Promise<ResultsCheck> {
  let text: string | undefined;
  try {
    text = (await readRegular(join(dir, INDEX_FILE), RESULTS_BUDGET.indexBytes)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const rows: ResultRow[] = [];
  const badLines: number[] = [];
  const listed = new Set<string>();
  (text ?? '').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      badLines.push(i + 1);
      return;
    }
    const ns = (o as Partial<NotScannedEntry>)?.notScanned;
    if (typeof ns === 'object' && ns !== null && typeof ns.device === 'string' && typeof ns.reason === 'string') {
      rows.push({ notScanned: { ...ns, time: String((o as NotScannedEntry).time) }, report: '-', status: 'not-scanned' });
      return;
    }
    // A name with a folder in it is not one of this folder's reports.
    if (!isIndexEntry(o) || o.report !== basename(o.report) || o.report === '..' || o.report === '.') {
      badLines.push(i + 1);
      return;
    }
    rows.push({ entry: o, report: o.report, status: 'ok' });
    listed.add(o.report);
  });
  for (const row of rows) {
    if (row.status === 'not-scanned') continue;
    const path = join(dir, row.report);
    let bytes: Buffer;
    try {
      bytes = await readRegular(path, RESULTS_BUDGET.reportBytes);
    } catch (err) {
      row.status = 'missing';
      row.reason = (err as Error).message;
      continue;
    }
    if (createHash('sha256').update(bytes).digest('hex') !== row.entry!.sha256) {
      row.status = 'altered';
      continue;
    }
    let sig: string;
    try {
      sig = (await readRegular(`${path}.sig`, RESULTS_BUDGET.sigBytes)).toString('utf8');
    } catch (err) {
      row.status = 'bad-signature';
      row.reason = `${row.report}.sig: ${(err as Error).message}`;
      continue;
    }
    const v = verifyReportBytes(path, bytes, sig, publicKey);
    if (!v.ok) {
      row.status = 'bad-signature';
      row.reason = v.reason ?? '';
      if (v.why) row.why = v.why;
    }
  }
  for (const name of [...(await reportNames(dir))].sort()) {
    if (!listed.has(name)) rows.push({ report: name, status: 'unlisted' });
  }
  return { rows, badLines, indexFound: text !== undefined };
}
