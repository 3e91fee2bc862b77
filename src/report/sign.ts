// Writing a report and its detached signatures, and checking them. Each file (.json, .txt, .html)
// gets its own `.sig`: Ed25519 over the exact bytes written, one line of base64; nothing is
// re-serialised before signing or verifying. Files are written atomically (a temporary name in the
// same folder, fsync, rename), and when the folder cannot take them after the scan the whole set goes
// to a fallback folder instead of being lost.
import { link, lstat, mkdir, mkdtemp, open, readFile, rename, unlink } from 'node:fs/promises';
import { randomBytes, type KeyObject } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { keyIdOf, publicKeyFromBase64, signBytes, verifyBytes } from '../sign/keys.js';
import { reportBaseName } from './build.js';
import { renderHtml, scanIdMeta } from './html.js';
import { prettyJson } from './json.js';
import { renderText, type Lang } from './text.js';
import type { Report } from './types.js';
import { cliWords, type Words } from './messages.js';

export interface WrittenReport {
  jsonPath: string;
  sigPath: string;
  txtPath: string;
  txtSigPath: string;
  htmlPath: string;
  htmlSigPath: string;
}

/** Writes `data` to `path` as one step; with `noClobber`, an existing `path` is an EEXIST error. */
export type FileWriter = (path: string, data: Buffer, noClobber: boolean) => Promise<void>;

/** Errors of a file system that has no hard links (FAT, exFAT: the usual USB stick). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Not every platform or file system lets a folder be opened or synced (Windows, some FUSE).
  }
}

/**
 * Atomic write: the bytes go to a temporary name in the same folder, are flushed to the disk, and
 * only then get their real name — a reader (or a pulled stick) sees the whole file or none of it.
 */
export const writeAtomic: FileWriter = (path, data, noClobber) => writeAtomicChunks(path, [data], noClobber);

/**
 * The same for content made piece by piece (a large aggregate): pieces are written in writes of
 * about 1 MiB as they come, never joined whole in memory.
 */
export async function writeAtomicChunks(path: string, chunks: Iterable<string | Buffer>, noClobber = false): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    let buf: Array<string | Buffer> = [];
    let size = 0;
    const flush = async (): Promise<void> => {
      if (buf.length > 0) await fh.write(Buffer.concat(buf.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c))));
      buf = [];
      size = 0;
    };
    for (const c of chunks) {
      buf.push(c);
      size += c.length;
      if (size >= 1 << 20) await flush();
    }
    await flush();
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    if (noClobber) {
      // link() fails when the name exists, atomically; a file system without hard links falls back
      // to looking first (the report name carries the start time, so a race there is unlikely).
      try {
        await link(tmp, path);
        await unlink(tmp);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (!NO_LINKS.has(code)) throw err;
        const exists = await lstat(path).then(() => true, () => false);
        if (exists) throw Object.assign(new Error(`EEXIST: file already exists, '${path}'`), { code: 'EEXIST' });
        await rename(tmp, path);
      }
    } else {
      await rename(tmp, path);
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

/** A detached signature as written beside a file: base64 of the 64-byte Ed25519 signature, newline. */
export function signatureText(bytes: Buffer, privateKey: KeyObject): string {
  return signBytes(bytes, privateKey).toString('base64') + '\n';
}

/** The report's files and their bytes, in the order they are written (the JSON first). */
export function reportFiles(report: Report, privateKey: KeyObject, lang: Lang): Array<{ suffix: string; bytes: Buffer }> {
  const json = Buffer.from(prettyJson(report), 'utf8');
  const txt = Buffer.from(renderText(report, { lang, colour: false }), 'utf8');
  const html = Buffer.from(renderHtml(report, { lang }), 'utf8');
  const sig = (b: Buffer): Buffer => Buffer.from(signatureText(b, privateKey), 'utf8');
  return [
    { suffix: '.json', bytes: json },
    { suffix: '.json.sig', bytes: sig(json) },
    { suffix: '.txt', bytes: txt },
    { suffix: '.txt.sig', bytes: sig(txt) },
    { suffix: '.html', bytes: html },
    { suffix: '.html.sig', bytes: sig(html) },
  ];
}

function pathsOf(base: string): WrittenReport {
  return {
    jsonPath: `${base}.json`,
    sigPath: `${base}.json.sig`,
    txtPath: `${base}.txt`,
    txtSigPath: `${base}.txt.sig`,
    htmlPath: `${base}.html`,
    htmlSigPath: `${base}.html.sig`,
  };
}

/** Writing stopped part-way: the files of the set already in place (for the caller to remove once it is safe elsewhere). */
export class PartialWriteError extends Error {
  constructor(
    override readonly cause: Error,
    readonly written: string[],
  ) {
    super(cause.message);
  }
}

class ReportExists extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
  }
}

/** Write the report set into `outDir` (created when missing). An existing report of that name is never overwritten. */
export async function writeSignedReport(
  report: Report,
  outDir: string,
  privateKey: KeyObject,
  lang: Lang,
  writer: FileWriter = writeAtomic,
): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  // Two reports of one machine in the same second (the kit: a system volume and its data volume)
  // would share a name: the second takes the start of its scan id too. Nothing is overwritten.
  const names = [reportBaseName(report), `${reportBaseName(report)}-${report.scan.id.slice(0, 8)}`];
  const files = reportFiles(report, privateKey, lang);
  for (let n = 0; ; n++) {
    const base = join(outDir, names[n]!);
    const done: string[] = [];
    try {
      for (const f of files) {
        const path = `${base}${f.suffix}`;
        try {
          await writer(path, f.bytes, f.suffix === '.json');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST' && f.suffix === '.json') throw new ReportExists(path);
          throw done.length > 0 ? new PartialWriteError(err as Error, done) : err;
        }
        done.push(path);
      }
    } catch (err) {
      if (err instanceof ReportExists && n + 1 < names.length) continue;
      if (err instanceof ReportExists) throw new Error(`${err.path} already exists; not overwriting a report`);
      throw err;
    }
    return pathsOf(base);
  }
}

export interface SafeWriteResult {
  written: WrittenReport;
  /** Set when `outDir` could not take the report: why, and the folder it went to instead. */
  fallback?: { reason: string; dir: string };
}

/**
 * Write the report to `outDir`; when that fails (a read-only or full stick, a folder removed during
 * the scan), write the whole set to a new private folder under the temporary directory instead
 * ($TMPDIR/baomi-reports-XXXXXX, else under the home folder) and say so; then remove the incomplete
 * set from `outDir` (a JSON without its signature there would only mislead). Throws only when all fail.
 */
export async function writeReportSafely(
  report: Report,
  outDir: string,
  privateKey: KeyObject,
  lang: Lang,
  opts: { writer?: FileWriter; fallbackParent?: string | null } = {},
): Promise<SafeWriteResult> {
  let first: Error;
  try {
    return { written: await writeSignedReport(report, outDir, privateKey, lang, opts.writer) };
  } catch (err) {
    first = err as Error;
  }
  const reason = first.message;
  const failures: string[] = [];
  for (const parent of opts.fallbackParent === null ? [] : opts.fallbackParent !== undefined ? [opts.fallbackParent] : [tmpdir(), homedir()]) {
    try {
      const dir = await mkdtemp(join(parent, 'baomi-reports-'));
      const written = await writeSignedReport(report, dir, privateKey, lang);
      if (first instanceof PartialWriteError) for (const p of first.written) await unlink(p).catch(() => undefined);
      return { written, fallback: { reason, dir } };
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  throw new Error(`could not write the report to ${outDir} (${reason}), nor to a fallback folder (${failures.join('; ')})`);
}

export interface VerifyResult {
  file: string;
  ok: boolean;
  /** `pubkey`: checked against the key given (proves origin); `embedded`: only the report's own key (integrity). */
  against: 'pubkey' | 'embedded';
  keyId?: string;
  /** Why it failed, in English (the JSON, logs); `why` has it in both languages. */
  reason?: string;
  why?: Words;
}

/** A failure reason from the catalogue (`verify.why.*`), in both languages. */
function why(key: Parameters<typeof cliWords>[0], vars?: Record<string, string>): Words {
  return cliWords(key, vars);
}

/**
 * A signed file's bytes and the text of its `.sig`, or why they could not be read. `missing`: the
 * words for a file that is not there (a companion file's own; else the read error is said).
 */
async function readSigned(file: string, missing?: Words): Promise<{ bytes: Buffer; sigText: string } | Words> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return missing && (err as NodeJS.ErrnoException).code === 'ENOENT' ? missing : why('verify.why.cannotRead', { error: (err as Error).message });
  }
  try {
    return { bytes, sigText: await readFile(`${file}.sig`, 'utf8') };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? why('verify.why.sigMissing', { sig: `${basename(file)}.sig` }) : why('verify.why.cannotReadSig', { sig: `${file}.sig`, error: (err as Error).message });
  }
}

/** Check one report: its signature file, and that `signer.keyId` names the key used. */
export async function verifyReportFile(file: string, publicKey?: KeyObject): Promise<VerifyResult> {
  const read = await readSigned(file);
  if (!('bytes' in read)) return { file, ok: false, against: publicKey ? 'pubkey' : 'embedded', reason: read.en, why: read };
  return verifyReportBytes(file, read.bytes, read.sigText, publicKey);
}

function parseSignature(sigText: string): Buffer | undefined {
  const t = sigText.trim();
  const sig = Buffer.from(t, 'base64');
  return sig.length === 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(t) ? sig : undefined;
}

/** The check itself, on the report's bytes and the text of its .sig file. */
export function verifyReportBytes(file: string, bytes: Buffer, sigText: string, publicKey?: KeyObject): VerifyResult {
  const against = publicKey ? 'pubkey' : 'embedded';
  const fail = (w: Words, keyId?: string): VerifyResult => ({ file, ok: false, against, reason: w.en, why: w, ...(keyId ? { keyId } : {}) });
  const sig = parseSignature(sigText);
  if (!sig) return fail(why('verify.why.badSig'));
  let doc: Partial<Report>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Partial<Report>;
  } catch {
    return fail(why('verify.why.notJson'));
  }
  const signer = doc?.signer;
  if (!signer || typeof signer.keyId !== 'string') return fail(why('verify.why.noSigner'));
  let key: KeyObject;
  if (publicKey) {
    key = publicKey;
    const kid = keyIdOf(publicKey);
    if (kid !== signer.keyId) return fail(why('verify.why.otherKey', { named: signer.keyId, given: kid }), signer.keyId);
  } else {
    if (typeof signer.publicKey !== 'string') return fail(why('verify.why.noPublicKey'));
    try {
      key = publicKeyFromBase64(signer.publicKey);
    } catch {
      return fail(why('verify.why.badPublicKey'));
    }
    if (keyIdOf(key) !== signer.keyId) return fail(why('verify.why.keyIdMismatch'), signer.keyId);
  }
  if (!verifyBytes(bytes, sig, key)) return fail(why('verify.why.mismatch'), signer.keyId);
  return { file, ok: true, against, keyId: signer.keyId };
}

/**
 * Check a file signed by its own `.sig` only (the annual report: any of its formats), against the
 * public key given — it carries none of its own.
 */
export async function verifyDetachedFile(file: string, publicKey?: KeyObject): Promise<VerifyResult> {
  const against = 'pubkey' as const;
  const fail = (w: Words): VerifyResult => ({ file, ok: false, against, reason: w.en, why: w });
  if (!publicKey) return fail(why('verify.why.needPubkey'));
  const read = await readSigned(file);
  if (!('bytes' in read)) return fail(read);
  const sig = parseSignature(read.sigText);
  if (!sig) return fail(why('verify.why.badSig'));
  const keyId = keyIdOf(publicKey);
  if (!verifyBytes(read.bytes, sig, publicKey)) return { ...fail(why('verify.why.mismatch')), keyId };
  return { file, ok: true, against, keyId };
}

/**
 * Check a companion file of a verified report (its .txt or .html) against the same key: its own
 * `.sig`, and for the HTML that it names the report's scan id (so the HTML of another scan signed
 * by the same key cannot stand in for this one).
 */
export async function verifyCompanionFile(
  file: string,
  key: KeyObject,
  against: VerifyResult['against'],
  keyId: string,
  scanId?: string,
): Promise<VerifyResult> {
  const fail = (w: Words): VerifyResult => ({ file, ok: false, against, keyId, reason: w.en, why: w });
  const read = await readSigned(file, why('verify.why.missing'));
  if (!('bytes' in read)) return fail(read);
  const { bytes, sigText } = read;
  const sig = parseSignature(sigText);
  if (!sig) return fail(why('verify.why.badSig'));
  if (!verifyBytes(bytes, sig, key)) return fail(why('verify.why.mismatch'));
  if (scanId !== undefined && file.endsWith('.html') && !bytes.includes(scanIdMeta(scanId))) {
    return fail(why('verify.why.otherHtml', { scanId }));
  }
  return { file, ok: true, against, keyId };
}
