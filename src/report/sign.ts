// Writing a report and its detached signature, and checking them. The signature covers the exact
// bytes of the .json file as written; nothing is re-serialised before signing or verifying.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { keyIdOf, publicKeyFromBase64, signBytes, verifyBytes } from '../sign/keys.js';
import { reportBaseName } from './build.js';
import { prettyJson } from './json.js';
import { renderText, type Lang } from './text.js';
import type { Report } from './types.js';

export interface WrittenReport {
  jsonPath: string;
  sigPath: string;
  txtPath: string;
}

export async function writeSignedReport(
  report: Report,
  outDir: string,
  privateKey: KeyObject,
  lang: Lang,
): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, reportBaseName(report));
  const bytes = Buffer.from(prettyJson(report), 'utf8');
  const sig = signBytes(bytes, privateKey).toString('base64') + '\n';
  const jsonPath = `${base}.json`;
  const sigPath = `${jsonPath}.sig`;
  const txtPath = `${base}.txt`;
  await writeFile(jsonPath, bytes, { flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new Error(`${jsonPath} already exists; not overwriting a report`);
    throw err;
  });
  await writeFile(sigPath, sig);
  await writeFile(txtPath, renderText(report, { lang, colour: false }));
  return { jsonPath, sigPath, txtPath };
}

export interface VerifyResult {
  file: string;
  ok: boolean;
  /** `pubkey`: checked against the key given (proves origin); `embedded`: only the report's own key (integrity). */
  against: 'pubkey' | 'embedded';
  keyId?: string;
  reason?: string;
}

/** Check one report: its signature file, and that `signer.keyId` names the key used. */
export async function verifyReportFile(file: string, publicKey?: KeyObject): Promise<VerifyResult> {
  let bytes: Buffer;
  let sigText: string;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { file, ok: false, against: publicKey ? 'pubkey' : 'embedded', reason: `cannot read: ${(err as Error).message}` };
  }
  try {
    sigText = await readFile(`${file}.sig`, 'utf8');
  } catch (err) {
    return { file, ok: false, against: publicKey ? 'pubkey' : 'embedded', reason: `cannot read signature ${file}.sig: ${(err as Error).message}` };
  }
  return verifyReportBytes(file, bytes, sigText, publicKey);
}

/** The check itself, on the report's bytes and the text of its .sig file. */
export function verifyReportBytes(file: string, bytes: Buffer, sigText: string, publicKey?: KeyObject): VerifyResult {
  const against = publicKey ? 'pubkey' : 'embedded';
  const fail = (reason: string, keyId?: string): VerifyResult => ({ file, ok: false, against, reason, ...(keyId ? { keyId } : {}) });
  const sig = Buffer.from(sigText.trim(), 'base64');
  if (sig.length !== 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(sigText.trim())) return fail('signature file is not one line of base64 of a 64-byte Ed25519 signature');
  let doc: Partial<Report>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Partial<Report>;
  } catch {
    return fail('not valid JSON (the file was altered or is not a report)');
  }
  const signer = doc?.signer;
  if (!signer || typeof signer.keyId !== 'string') return fail('report has no signer.keyId');
  let key: KeyObject;
  if (publicKey) {
    key = publicKey;
    const kid = keyIdOf(publicKey);
    if (kid !== signer.keyId) return fail(`report names key ${signer.keyId}, but the public key given is ${kid}`, signer.keyId);
  } else {
    if (typeof signer.publicKey !== 'string') return fail('report carries no public key; give --pubkey');
    try {
      key = publicKeyFromBase64(signer.publicKey);
    } catch {
      return fail('report carries an unreadable public key');
    }
    if (keyIdOf(key) !== signer.keyId) return fail('report key id does not match the public key it carries', signer.keyId);
  }
  if (!verifyBytes(bytes, sig, key)) return fail('signature does not match the file (it was altered, or signed by another key)', signer.keyId);
  return { file, ok: true, against, keyId: signer.keyId };
}
