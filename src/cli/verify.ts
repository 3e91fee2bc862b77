// `baomi verify REPORT.json…`: each report's signature, and the text and HTML reports beside it
// (REPORT.txt, REPORT.html), each against its own .sig with the same key. One line per file, OK or
// FAIL with the reason; exit 1 when any file fails or is missing.
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import { loadPublicKey, publicKeyFromBase64 } from '../sign/keys.js';
import { verifyCompanionFile, verifyDetachedFile, verifyReportFile, type VerifyResult } from '../report/sign.js';
import { cliContext, terminalText, type CliContext } from './common.js';
import { addCommand } from './help.js';
import { asUsageError } from './keys.js';

export function registerVerify(program: Command, cx: CliContext): void {
  addCommand(program, cx, 'verify', [0, 1, 2])
    .argument('<files...>', cx.t('verify.arg.files'))
    .option('--pubkey <file>', cx.t('verify.opt.pubkey'))
    .action(async (files: string[], opts: { pubkey?: string }) => cx.setExit(await verifyCommand(files, opts, cx)));
}

function line(r: VerifyResult, cx: CliContext): string {
  return terminalText(r.ok ? cx.t('verify.ok', { file: r.file, keyId: r.keyId ?? '' }) : cx.t('verify.fail', { file: r.file, reason: r.why?.[cx.lang] ?? r.reason ?? '' })) + '\n';
}

/** Whether a .json file is an annual report (its `schema` says so; its keys are in canonical order, so read it whole). */
async function isAnnualJson(file: string): Promise<boolean> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { schema?: unknown };
    return typeof doc.schema === 'string' && doc.schema.startsWith('baomi.annual/');
  } catch {
    return false; // not JSON: the report check says why
  }
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

export async function verifyCommand(files: string[], opts: { pubkey?: string }, cx: CliContext = cliContext('en')): Promise<number> {
  const pub: KeyObject | undefined = opts.pubkey !== undefined ? await loadPublicKey(opts.pubkey).catch(asUsageError) : undefined;
  let allOk = true;
  for (const f of files) {
    // A scan's report carries its signer; an annual report (any format) is signed by its .sig alone.
    const detached = !f.endsWith('.json') || (await isAnnualJson(f));
    const r = detached ? await verifyDetachedFile(f, pub) : await verifyReportFile(f, pub);
    allOk &&= r.ok;
    process.stdout.write(line(r, cx));
    if (detached) continue;
    const base = f.slice(0, -'.json'.length);
    const { key: embedded, scanId } = r.ok ? await signerOf(f) : {};
    const key = pub ?? embedded;
    for (const c of [`${base}.txt`, `${base}.html`]) {
      const cr: VerifyResult = key && r.keyId
        ? await verifyCompanionFile(c, key, pub ? 'pubkey' : 'embedded', r.keyId, scanId)
        : { file: c, ok: false, against: pub ? 'pubkey' : 'embedded', reason: cx.t('verify.notChecked') };
      allOk &&= cr.ok;
      process.stdout.write(line(cr, cx));
    }
  }
  if (!pub) {
    process.stdout.write(`${cx.t('verify.note')}\n`);
  }
  return allOk ? 0 : 1;
}
