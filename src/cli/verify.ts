// `baomi verify REPORT.json…`: each report's signature, and the text and HTML reports beside it
// (REPORT.txt, REPORT.html), each against its own .sig with the same key. One line per file, OK or
// FAIL with the reason; exit 1 when any file fails or is missing.
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { KeyError, loadPublicKey, publicKeyFromBase64 } from '../sign/keys.js';
import { verifyCompanionFile, verifyReportFile, type VerifyResult } from '../report/sign.js';
import { terminalText, UsageError } from './common.js';

function line(r: VerifyResult): string {
  return terminalText(r.ok ? `OK    ${r.file}  ${r.keyId}` : `FAIL  ${r.file}  ${r.reason}`) + '\n';
}

/** The key and scan id a verified report names (it verified, so its JSON parses). */
async function signerOf(file: string): Promise<{ key?: KeyObject; scanId?: string }> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { signer?: { publicKey?: unknown }; scan?: { id?: unknown } };
    const key = typeof doc.signer?.publicKey === 'string' ? publicKeyFromBase64(doc.signer.publicKey) : undefined;
    return { ...(key ? { key } : {}), ...(typeof doc.scan?.id === 'string' ? { scanId: doc.scan.id } : {}) };
  } catch {
    return {};
  }
}

export async function verifyCommand(files: string[], opts: { pubkey?: string }): Promise<number> {
  let pub: KeyObject | undefined;
  try {
    pub = opts.pubkey !== undefined ? await loadPublicKey(opts.pubkey) : undefined;
  } catch (err) {
    if (err instanceof KeyError) throw new UsageError(err.message);
    throw err;
  }
  let allOk = true;
  for (const f of files) {
    const r = await verifyReportFile(f, pub);
    allOk &&= r.ok;
    process.stdout.write(line(r));
    if (!f.endsWith('.json')) continue;
    const base = f.slice(0, -'.json'.length);
    const { key: embedded, scanId } = r.ok ? await signerOf(f) : {};
    const key = pub ?? embedded;
    for (const c of [`${base}.txt`, `${base}.html`]) {
      const cr: VerifyResult = key && r.keyId
        ? await verifyCompanionFile(c, key, pub ? 'pubkey' : 'embedded', r.keyId, scanId)
        : { file: c, ok: false, against: pub ? 'pubkey' : 'embedded', reason: 'not checked: the report it belongs to did not verify' };
      allOk &&= cr.ok;
      process.stdout.write(line(cr));
    }
  }
  if (!pub) {
    process.stdout.write('note: checked against the key each report carries: this proves the file is intact, not who signed it; give --pubkey to check origin\n');
  }
  return allOk ? 0 : 1;
}
