// `baomi inspect FILE [--key PATH] [--json]`: show an examiner *why* — what a single artifact
// holds, decoded by the same parsers the probes use. The file type is sniffed from its bytes.
import { copyFile, mkdir, mkdtemp, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { linuxUsbHistory } from '../checks/usb/linux.js';
import { scanFile, type FoundMarking } from '../checks/documents/scan-file.js';
import { loadMarkingGrammar } from '../formats/markings.js';
import { FsTarget } from '../target/fs-target.js';
import { decodeDeviceProperty, HiveError, keyToJson, openHiveFileWithLogs, type Hive, type RegKeyJson, type RegValueJson, type ReplayResult } from '../formats/regf.js';
import { windowsUsbHistory } from '../checks/usb/windows.js';
import { isHistoryFailure, sniffSqlite } from '../formats/browser-history.js';
import { parseBrowserHistoryBounded } from '../checks/network/history-worker.js';
import { decodeSetupapiBytes, parseSetupapiLog } from '../formats/setupapi.js';
import { parseWlanProfile } from '../checks/wireless/history.windows.js';
import type { Command } from 'commander';
import { cliWords, markingReasonWords } from '../report/messages.js';
import { cliContext, terminalText, usageError, UsageError, type CliContext } from './common.js';
import { displayWidth } from './help.js';
import { kindWords } from '../report/messages.js';
import { addCommand } from './help.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerInspect(program: Command, cx: CliContext): void {
  addCommand(program, cx, 'inspect', [0, 2])
    .argument('<file>', cx.t('inspect.arg.file'))
    .option('--key <path>', cx.t('inspect.opt.key'))
    .option('--depth <n>', cx.t('inspect.opt.depth'))
    .option('--urls', cx.t('inspect.opt.urls'))
    .option('--usb', cx.t('inspect.opt.usb'))
    .option('--keyword <word>', cx.t('inspect.opt.keyword'), collect)
    .option('--no-logs', cx.t('inspect.opt.noLogs'))
    .option('--json', cx.t('inspect.opt.json'))
    .action(async (file: string, opts: InspectFlags) => cx.setExit(await inspectCommand(file, opts, cx)));
}

export interface InspectFlags {
  key?: string;
  json?: boolean;
  depth?: string;
  urls?: boolean;
  usb?: boolean;
  keyword?: string[];
  /** Hive: `false` (`--no-logs`) shows the primary file as is, without replaying its transaction logs. */
  logs?: boolean;
}

export type FileKind = 'hive' | 'setupapi' | 'sqlite' | 'wlan-profile' | 'kernel-log' | 'unknown';

/** Sniff an artifact's type from its first bytes (a rotated .gz log also by its name). */
export function sniff(head: Buffer, name = ''): FileKind {
  if (head[0] === 0x1f && head[1] === 0x8b && /(syslog|kern\.log|messages)/.test(name)) return 'kernel-log';
  if (head.subarray(0, 4).toString('latin1') === 'regf') return 'hive';
  if (sniffSqlite(head)) return 'sqlite';
  if (/<WLANProfile[\s>]/.test(head.toString('utf8')) || /<WLANProfile[\s>]/.test(head.toString('utf16le'))) return 'wlan-profile';
  if (/^(\S+ +\d+ \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+|<\d+>1 \S+) \S+ (kernel|[\w.-]+(\[\d+\])?)[:\s]/m.test(head.toString('utf8'))) return 'kernel-log';
  const text = decodeSetupapiBytes(head).text;
  if (/\[Device Install Log\]|\[SetupAPI Log\]|^>>>\s+\[|\[Boot Session: /m.test(text)) return 'setupapi';
  return 'unknown';
}

async function inspectSetupapi(file: string, flags: InspectFlags, cx: CliContext): Promise<number> {
  const log = parseSetupapiLog(await readFile(file));
  if (flags.json) {
    process.stdout.write(JSON.stringify({ file, format: log.format, encoding: log.encoding, header: log.header, partial: log.partial, warnings: log.warnings, devices: log.devices }, null, 2) + '\n');
    return 0;
  }
  const lines = [cx.t('insp.setupapi.head', { file, format: log.format, encoding: log.encoding, sections: log.sections.length, devices: log.devices.length })];
  for (const w of log.warnings) lines.push(`  ! ${w}`);
  for (const d of log.devices) {
    lines.push(`${d.start ?? '????-??-?? ??:??:??'}  ${d.action.padEnd(7)} ${d.instanceId}  [${d.kind}${d.status ? `, ${d.status}` : ''}; ${cx.t('insp.setupapi.line', { line: d.line })}]`);
  }
  process.stdout.write(terminalText(lines.join('\n')) + '\n');
  return 0;
}

async function readHead(file: string, n = 4096): Promise<Buffer> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError('inspect.err.noFile', { file });
    const w = cliWords('inspect.err.open', { file, why: (err as NodeJS.ErrnoException).code ?? '?' });
    throw new UsageError({ zh: w.zh, en: `${file}: ${(err as Error).message}` });
  }
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function parseDepth(d: string | undefined, fallback: number): number {
  if (d === undefined) return fallback;
  const n = Number(d);
  if (!Number.isInteger(n) || n < 0) throw usageError('inspect.err.depth', { value: d });
  return n;
}

/** One value as text: strings quoted, device properties (0xFFFF00NN) decoded (dates, strings…). */
function valueText(v: RegValueJson, cx: CliContext): string {
  if (v.data === null) return cx.t('insp.value.unreadable', { error: v.error ?? '' });
  if (Array.isArray(v.data)) return v.data.map((s) => JSON.stringify(s)).join(', ');
  const m = /^REG_0x([0-9A-Fa-f]{8})$/.exec(v.type);
  if (m && typeof v.data === 'string') {
    const prop = decodeDeviceProperty(parseInt(m[1]!, 16), Buffer.from(v.data, 'hex'));
    if (prop && !(prop.value instanceof Uint8Array)) {
      const shown = Array.isArray(prop.value) ? prop.value.map((x) => JSON.stringify(x)).join(', ') : typeof prop.value === 'string' ? JSON.stringify(prop.value) : String(prop.value);
      return `${shown}  (${prop.typeName})`;
    }
  }
  return typeof v.data === 'string' && !/^(REG_SZ|REG_EXPAND_SZ|REG_LINK)$/.test(v.type) ? v.data : JSON.stringify(v.data);
}

/** Text rendering of a key tree, regedit-like. */
export function keyText(k: RegKeyJson, indent = '', cx: CliContext = cliContext('en')): string[] {
  const head = cx.t('insp.key.head', { path: k.path || cx.t('insp.key.root'), time: k.lastWrite });
  const out = [`${indent}${head}${k.values === undefined ? cx.t('insp.key.counts', { subkeys: k.subkeyCount, values: k.valueCount }) : ''}`];
  for (const v of k.values ?? []) out.push(`${indent}  ${v.name === '' ? '@' : JSON.stringify(v.name)} ${v.type} = ${valueText(v, cx)}`);
  for (const e of k.errors ?? []) out.push(`${indent}  ! ${e}`);
  for (const s of k.subkeys ?? []) out.push(...keyText(s, indent + '  ', cx));
  return out;
}

/** What was done with a dirty hive's transaction logs, in one line (empty for a clean hive). */
export function replayText(r: ReplayResult, logsWanted: boolean, cx: CliContext = cliContext('en')): string {
  if (!r.dirty) return '';
  const name = (p: string): string => basename(p);
  if (!logsWanted) return cx.t('insp.replay.noLogs');
  if (r.replayed) {
    const from = r.applied
      .map((a) =>
        a.format === 'new'
          ? cx.t('insp.replay.newFormat', { name: name(a.name), n: a.entries ?? 0, first: a.firstSequence ?? '', last: a.lastSequence ?? '' })
          : cx.t('insp.replay.oldFormat', { name: name(a.name), pages: a.pages ?? 0 }),
      )
      .join(' + ');
    const bad = r.problems.filter((p) => p.damage);
    const incomplete = bad.length ? cx.t('insp.replay.incomplete', { problems: bad.map((p) => `${name(p.name)}: ${p.reason}`).join('; ') }) : '';
    return cx.t('insp.replay.done', { from, a: r.secondarySequence, b: r.finalSequence ?? '', incomplete });
  }
  const why = r.problems.map((p) => (p.name.startsWith('(') ? p.reason : `${name(p.name)}: ${p.reason}`)).join('; ');
  return cx.t('insp.replay.not', { why: why || cx.t('insp.replay.noLog') });
}

/** A device's kind, padded to one width in the language (storage / phone / other). */
function usbKind(r: { storage?: boolean; phone?: boolean }, cx: CliContext): string {
  const words = (['insp.usb.storage', 'insp.usb.phone', 'insp.usb.other'] as const).map((k) => cx.t(k));
  const w = r.storage ? words[0]! : r.phone ? words[1]! : words[2]!;
  return w + ' '.repeat(Math.max(...words.map(displayWidth)) - displayWidth(w));
}

/** A SYSTEM hive's USB devices, merged per physical device (as the usb.history probe sees them). */
function inspectHiveUsb(file: string, hive: Hive, flags: InspectFlags, note: string, cx: CliContext): number {
  if (!hive.getKey('CurrentControlSet\\Enum')) throw usageError('inspect.err.notSystemHive', { file });
  const recs = windowsUsbHistory({ system: { hive, source: file } });
  if (flags.json) {
    process.stdout.write(JSON.stringify(recs, null, 2) + '\n');
    return 0;
  }
  const L = [cx.t('insp.usb.head', { file, n: recs.length, storage: recs.filter((r) => r.storage).length, phones: recs.filter((r) => r.phone).length })];
  if (note) L.push(`  ${note}`);
  for (const r of recs) {
    L.push(`${usbKind(r, cx)} ${r.key}  ${[r.vendor, r.product].filter(Boolean).join(' ')}${r.serialUnique ? '' : cx.t('insp.usb.serialNotUnique')}`);
    L.push(`        ${cx.t('insp.usb.times', { first: r.firstSeen ?? '-', last: r.lastSeen ?? '-' })}${r.lastRemoved ? cx.t('insp.usb.removed', { time: r.lastRemoved }) : ''}${r.driveLetters ? `  ${r.driveLetters.join(' ')}` : ''}${r.volumeLabels ? `  "${r.volumeLabels.join('", "')}"` : ''}`);
    for (const s of r.sources) L.push(`        ${s.kind.padEnd(14)} ${s.source}`);
  }
  process.stdout.write(terminalText(L.join('\n')) + '\n');
  return 0;
}

async function inspectHive(file: string, flags: InspectFlags, cx: CliContext): Promise<number> {
  let hive;
  let replay;
  const logsWanted = flags.logs !== false;
  try {
    ({ hive, replay } = await openHiveFileWithLogs(file, { logs: logsWanted }));
  } catch (err) {
    if (err instanceof HiveError) throw usageError('inspect.err.notHive', { file, code: err.code, message: err.message });
    throw err;
  }
  const note = replayText(replay, logsWanted, cx);
  // JSON keeps its documented shape; the replay note goes to stderr so it is still said.
  if (flags.json && note) process.stderr.write(`baomi inspect: ${file}: ${note}\n`);
  if (flags.usb) return inspectHiveUsb(file, hive, flags, note, cx);
  const path = flags.key ?? '';
  const key = hive.getKey(path);
  if (!key) {
    const ccs = hive.currentControlSet();
    const note = ccs ? cliWords('inspect.err.ccs', { ccs }) : { zh: '', en: '' };
    const w = cliWords('inspect.err.noKey', { file, key: path });
    throw new UsageError({ zh: w.zh.replace('{ccs}', note.zh), en: w.en.replace('{ccs}', note.en) });
  }
  const depth = parseDepth(flags.depth, flags.key !== undefined ? 512 : 0);
  const json = keyToJson(key, { recursive: depth > 0, maxDepth: depth });
  if (flags.json) {
    // Field order as documented ({path, lastWrite, values, subkeys}), not sorted: this is for reading.
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return 0;
  }
  const h = hive.header;
  process.stdout.write(terminalText(
    `${cx.t('insp.hive.head', { file })}\n` +
      cx.t('insp.hive.format', {
        version: `${h.majorVersion}.${h.minorVersion}`,
        time: h.lastWrittenFiletime === 0n ? cx.t('insp.hive.notRecorded') : h.lastWritten,
        bytes: hive.byteLength,
        truncated: hive.truncated ? cx.t('insp.hive.truncated') : '',
      }) +
      '\n' +
      (note ? `  ${note}\n` : '') +
      (hive.currentControlSet() ? `  CurrentControlSet = ${hive.currentControlSet()}\n` : '') +
      keyText(json, '', cx).join('\n'),
  ) + '\n');
  return 0;
}

/** A browser history database (and its -wal beside it), read into memory: never opened in place. */
async function inspectSqlite(file: string, flags: InspectFlags, cx: CliContext): Promise<number> {
  const db = await readFile(file);
  const wal = await readFile(`${file}-wal`).catch(() => undefined);
  // In a worker stopped at its budget, as the scan reads it: a crafted database cannot hang inspect either.
  const bounded = await parseBrowserHistoryBounded(db, { ...(wal ? { wal } : {}), evidence: flags.urls ? 'full' : 'minimal' }, { timeoutMs: 60_000 });
  if (!bounded.ok) throw usageError('inspect.err.stopped', { file, kind: bounded.kind, message: bounded.message });
  const r = bounded.result;
  if (isHistoryFailure(r)) throw usageError('inspect.err.notHistory', { file, kind: r.error.kind });
  if (flags.json) {
    process.stdout.write(JSON.stringify({ file, ...(wal ? { walFile: `${file}-wal` } : {}), ...r }, null, 2) + '\n');
    return 0;
  }
  const L = [
    cx.t('insp.history.head', { file, wal: wal ? cx.t('insp.history.wal', { wal: `${file}-wal`, frames: r.wal?.framesApplied ?? 0 }) : '' }),
    cx.t('insp.history.counts', { family: r.family, schema: r.schemaVersion ?? '?', total: r.totalVisits, internet: r.internetVisits, hosts: r.internetHosts }),
    cx.t('insp.history.span', { first: r.firstInternetVisit ?? '-', last: r.lastInternetVisit ?? '-' }),
  ];
  for (const h of r.topHosts) L.push(`  ${String(h.visits).padStart(6)}  ${h.host}`);
  for (const u of r.urls ?? []) L.push(`  ${JSON.stringify(u)}`);
  for (const w of r.warnings) L.push(`  ! ${w}`);
  process.stdout.write(terminalText(L.join('\n')) + '\n');
  return 0;
}

async function inspectWlan(file: string, flags: InspectFlags, cx: CliContext): Promise<number> {
  const buf = await readFile(file);
  const text = buf[0] === 0xff && buf[1] === 0xfe ? buf.subarray(2).toString('utf16le') : buf.toString('utf8').replace(/^\uFEFF/, '');
  const p = parseWlanProfile(text);
  if (!p) throw usageError('inspect.err.notWlan', { file });
  if (flags.json) process.stdout.write(JSON.stringify({ file, ...p }, null, 2) + '\n');
  else process.stdout.write(terminalText(cx.t('insp.wlan', { file, ssid: JSON.stringify(p.ssid), mode: p.connectionMode ?? '?', auth: p.authentication ?? '?' })) + '\n');
  return 0;
}

/**
 * A kernel log (syslog, kern.log, messages; rotated or .gz): its USB devices, read exactly as the
 * usb.history probe reads a disk — the file is copied with its mtime into a scratch /var/log, so
 * year-less dates get their year the same way.
 */
async function inspectKernelLog(file: string, flags: InspectFlags, cx: CliContext): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'baomi-inspect-'));
  try {
    const name = basename(file);
    await mkdir(join(dir, 'var', 'log'), { recursive: true });
    await copyFile(file, join(dir, 'var', 'log', name));
    const st = await stat(file);
    await utimes(join(dir, 'var', 'log', name), st.atime, st.mtime);
    const target = await FsTarget.open('offline', dir);
    const { records, coverage } = await linuxUsbHistory(target, { pathEnv: '/nonexistent' });
    const shown = records.map((r) => ({ ...r, sources: r.sources.map((s) => ({ ...s, source: s.source.replace(`/var/log/${name}`, file) })) }));
    if (flags.json) {
      process.stdout.write(JSON.stringify({ file, devices: shown, notes: coverage.filter((c) => c.path !== '/var/log/journal').map((c) => c.reason) }, null, 2) + '\n');
      return 0;
    }
    const L = [cx.t('insp.kernel.head', { file, n: shown.length, storage: shown.filter((r) => r.storage).length, phones: shown.filter((r) => r.phone).length })];
    for (const r of shown) {
      L.push(`${usbKind(r, cx)} ${r.key}  ${[...new Set([r.manufacturer, r.vendor, r.product].filter(Boolean))].join(' ')}`);
      L.push(
        `        ${cx.t('insp.usb.times', { first: r.firstSeen ?? '-', last: r.lastSeen ?? '-' })}${r.lastRemoved ? cx.t('insp.usb.removed', { time: r.lastRemoved }) : ''}` +
          cx.t('insp.usb.connections', { n: String((r as Record<string, unknown>)['connections'] ?? '?') }),
      );
    }
    for (const c of coverage) if (!/journal/.test(c.path ?? '')) L.push(`  ! ${c.reason}`);
    process.stdout.write(terminalText(L.join('\n')) + '\n');
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Any other file is read as a document: its real format, the text parts read (names and sizes,
 * never their text), each marking with why it counted, and each near miss with why it did not.
 */
async function inspectDocument(file: string, flags: InspectFlags, cx: CliContext): Promise<number> {
  const bytes = await readFile(file);
  const grammar = loadMarkingGrammar();
  const r = await scanFile(bytes, { name: basename(file), grammar, keywords: flags.keyword ?? [], detail: true });
  const where = (m: FoundMarking): string => `${m.inner ? `${m.inner}#` : ''}${m.part} @${m.offset}`;
  if (flags.json) {
    process.stdout.write(JSON.stringify({ file, format: r.format, sha256: r.sha256, parts: r.parts, markings: r.markings, nearMisses: r.mentions, gaps: r.gaps, embeddedFiles: r.embeddedFiles }, null, 2) + '\n');
    return 0;
  }
  const L = [
    cx.t('insp.doc.head', { file }),
    cx.t('insp.doc.format', { format: r.format, bytes: bytes.length, sha256: r.sha256, embedded: r.embeddedFiles ? cx.t('insp.doc.embedded', { n: r.embeddedFiles }) : '' }),
    cx.t('insp.doc.parts'),
  ];
  for (const p of r.parts) L.push(cx.t('insp.doc.part', { name: `${p.inner ? `${p.inner}#` : ''}${p.name}`, chars: p.chars }));
  if (r.parts.length === 0) L.push(cx.t('insp.doc.none'));
  L.push(r.markings.length ? cx.t('insp.doc.markings') : cx.t('insp.doc.noMarkings'));
  const reasons = (rs: readonly string[]): string => rs.map((x) => markingReasonWords(x)[cx.lang]).join(cx.lang === 'zh' ? '；' : '; ');
  for (const m of r.markings) L.push(cx.t('insp.doc.marking', { level: m.level, text: m.text, where: where(m), reasons: reasons(m.reasons) }));
  if (r.mentions.length) L.push(cx.t('insp.doc.nearMisses'));
  for (const m of r.mentions) L.push(cx.t('insp.doc.nearMiss', { level: m.level, text: m.text, where: where(m), reasons: reasons(m.reasons) }));
  // The kind in words (zh); the parser's own reason stays as it is.
  for (const g of r.gaps) L.push(`  ! ${cx.lang === 'zh' ? kindWords(g.kind, 'zh') : g.kind}${g.inner ? ` (${g.inner})` : ''}: ${g.reason}`);
  process.stdout.write(terminalText(L.join('\n')) + '\n');
  return 0;
}

export async function inspectCommand(file: string, flags: InspectFlags, cx: CliContext = cliContext('en')): Promise<number> {
  const kind = sniff(await readHead(file), basename(file));
  switch (kind) {
    case 'hive':
      return inspectHive(file, flags, cx);
    case 'setupapi':
      return inspectSetupapi(file, flags, cx);
    case 'sqlite':
      return inspectSqlite(file, flags, cx);
    case 'wlan-profile':
      return inspectWlan(file, flags, cx);
    case 'kernel-log':
      return inspectKernelLog(file, flags, cx);
    default:
      return inspectDocument(file, flags, cx);
  }
}
