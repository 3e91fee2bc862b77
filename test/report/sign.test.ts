import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyReportBytes, verifyReportFile, writeSignedReport } from '../../src/report/sign.js';
import type { Report } from '../../src/report/types.js';
import { generateKeyFiles, keyIdOf, loadPrivateKey, loadPublicKey, publicKeyBase64 } from '../../src/sign/keys.js';
import { sampleReport } from './_sample.js';

let dir: string;
let other: string;
let jsonPath: string;
let bytes: Buffer;
let sig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-sign-'));
  const k = await generateKeyFiles(join(dir, 'keys'));
  other = (await generateKeyFiles(join(dir, 'other'))).publicPath;
  const key = await loadPrivateKey(k.privatePath);
  const pub = createPublicKey(key);
  const report: Report = sampleReport({ keyId: keyIdOf(pub), publicKey: publicKeyBase64(pub) });
  const w = await writeSignedReport(report, join(dir, 'out'), key, 'zh');
  jsonPath = w.jsonPath;
  bytes = await readFile(jsonPath);
  sig = await readFile(w.sigPath, 'utf8');
});

describe('keys', () => {
  it('writes a 0600 PKCS#8 private key and an SPKI public key; refuses to overwrite', async () => {
    const s = await stat(join(dir, 'keys', 'baomi.key'));
    expect(s.mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'keys', 'baomi.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readFile(join(dir, 'keys', 'baomi.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await expect(generateKeyFiles(join(dir, 'keys'))).rejects.toThrow(/already exists/);
  });
  it('key id is sha256 of the DER SPKI, as openssl computes it', async () => {
    const pub = await loadPublicKey(join(dir, 'keys', 'baomi.pub'));
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', join(dir, 'keys', 'baomi.pub'), '-outform', 'DER']);
    const hex = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der }).toString().split(' ')[0];
    expect(keyIdOf(pub)).toBe(`sha256:${hex}`);
  });
  it('rejects a non-Ed25519 key with a clear message', async () => {
    const rsa = join(dir, 'rsa.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', rsa]);
    await expect(loadPrivateKey(rsa)).rejects.toThrow(/ec key; baomi signs with Ed25519/);
  });
});

describe('report signature', () => {
  it('is one line of base64 beside the report, file named <hostname>-<UTC time>.json', async () => {
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'WS-张三-01-20261123T080000Z.html',
      'WS-张三-01-20261123T080000Z.html.sig',
      'WS-张三-01-20261123T080000Z.json',
      'WS-张三-01-20261123T080000Z.json.sig',
      'WS-张三-01-20261123T080000Z.txt',
      'WS-张三-01-20261123T080000Z.txt.sig',
    ]);
  });
  it('verifies with the right public key and with the embedded key', async () => {
    const pub = await loadPublicKey(join(dir, 'keys', 'baomi.pub'));
    expect(await verifyReportFile(jsonPath, pub)).toMatchObject({ ok: true, against: 'pubkey' });
    expect(await verifyReportFile(jsonPath)).toMatchObject({ ok: true, against: 'embedded' });
  });
  it('is rejected for another public key', async () => {
    const r = await verifyReportFile(jsonPath, await loadPublicKey(other));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/names key sha256:.* but the public key given is/);
  });
  it('rejects every single-byte change of the report', async () => {
    const pub = await loadPublicKey(join(dir, 'keys', 'baomi.pub'));
    let accepted = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = Buffer.from(bytes);
      b[i] = b[i]! ^ 0x01;
      if (verifyReportBytes('t', b, sig, pub).ok) accepted++;
      if (verifyReportBytes('t', b, sig).ok) accepted++;
    }
    // and through the file path once
    const tampered = join(dir, 'tampered.json');
    const b = Buffer.from(bytes);
    b[b.length - 3] = b[b.length - 3]! ^ 0x01;
    await writeFile(tampered, b);
    await writeFile(`${tampered}.sig`, sig);
    expect((await verifyReportFile(tampered, pub)).ok).toBe(false);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(accepted).toBe(0);
  });
  it('stock OpenSSL verifies the signature, and rejects a changed file', async () => {
    const sigBin = join(dir, 'sig.bin');
    await writeFile(sigBin, Buffer.from(sig.trim(), 'base64'));
    const pubPath = join(dir, 'keys', 'baomi.pub');
    const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pubPath, '-rawin', '-in', jsonPath, '-sigfile', sigBin]).toString();
    expect(out).toMatch(/Signature Verified Successfully/);
    const changed = join(dir, 'changed.json');
    await writeFile(changed, Buffer.concat([bytes, Buffer.from(' ')]));
    expect(() => execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pubPath, '-rawin', '-in', changed, '-sigfile', sigBin], { stdio: 'pipe' })).toThrow();
  });
  it('accepts a signature OpenSSL made with the same key (interop both ways)', async () => {
    const copy = join(dir, 'openssl-signed.json');
    await writeFile(copy, bytes);
    const sigBin = execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', join(dir, 'keys', 'baomi.key'), '-rawin', '-in', copy]);
    await writeFile(`${copy}.sig`, sigBin.toString('base64') + '\n');
    expect(await verifyReportFile(copy, await loadPublicKey(join(dir, 'keys', 'baomi.pub')))).toMatchObject({ ok: true });
  });
  it('a missing or malformed signature file fails with a reason', async () => {
    const copy = join(dir, 'nosig.json');
    await writeFile(copy, bytes);
    expect((await verifyReportFile(copy)).reason).toMatch(/^signature nosig\.json\.sig missing$/);
    await writeFile(`${copy}.sig`, 'not base64!\n');
    expect((await verifyReportFile(copy)).reason).toMatch(/not one line of base64/);
  });
});
