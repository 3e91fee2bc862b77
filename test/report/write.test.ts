// Writing the report set: six files (three reports, each with its .sig), written atomically (no
// temporary file left, an existing report never overwritten), and — when the folder refuses them
// after the scan — all six in a fallback folder, every one verifiable.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCompanionFile, verifyReportFile, writeAtomic, writeReportSafely, writeSignedReport, type FileWriter } from '../../src/report/sign.js';
import { keyIdOf, publicKeyBase64 } from '../../src/sign/keys.js';
import { sampleReport } from './_sample.js';

let dir: string;
let key: KeyObject;
let pub: KeyObject;
const report = () => sampleReport({ keyId: keyIdOf(pub), publicKey: publicKeyBase64(pub) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baomi-write-'));
  key = generateKeyPairSync('ed25519').privateKey;
  pub = createPublicKey(key);
});

describe('writeAtomic', () => {
  it('leaves only the file (no temporary name), and with noClobber refuses an existing one', async () => {
    const d = await mkdtemp(join(dir, 'a-'));
    await writeAtomic(join(d, 'x.json'), Buffer.from('one'), true);
    await expect(writeAtomic(join(d, 'x.json'), Buffer.from('two'), true)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(d, 'x.json'), 'utf8')).toBe('one');
    await writeAtomic(join(d, 'x.txt'), Buffer.from('a'), false);
    await writeAtomic(join(d, 'x.txt'), Buffer.from('b'), false);
    expect(await readFile(join(d, 'x.txt'), 'utf8')).toBe('b');
    expect((await readdir(d)).sort()).toEqual(['x.json', 'x.txt']);
  });
});

describe('writeSignedReport', () => {
  it('writes the JSON, text and HTML, each with a signature that verifies with the same key', async () => {
    const d = join(dir, 'out');
    const w = await writeSignedReport(report(), d, key, 'zh');
    expect((await readdir(d)).length).toBe(6);
    expect(await verifyReportFile(w.jsonPath)).toMatchObject({ ok: true });
    const id = keyIdOf(pub);
    expect(await verifyCompanionFile(w.txtPath, pub, 'embedded', id, report().scan.id)).toMatchObject({ ok: true });
    expect(await verifyCompanionFile(w.htmlPath, pub, 'embedded', id, report().scan.id)).toMatchObject({ ok: true });
    // the HTML names its scan: another scan's id does not match it
    expect(await verifyCompanionFile(w.htmlPath, pub, 'embedded', id, 'another-scan')).toMatchObject({ ok: false, reason: expect.stringMatching(/not the HTML of this report/) });
    // a second report of the machine in the same second: its name takes the start of its scan id
    const second = { ...report(), scan: { ...report().scan, id: 'abcdef12-0000-4000-8000-000000000000' } };
    const w2 = await writeSignedReport(second, d, key, 'zh');
    expect(w2.jsonPath).toBe(w.jsonPath.replace(/\.json$/, '-abcdef12.json'));
    expect(await verifyReportFile(w2.jsonPath)).toMatchObject({ ok: true });
    expect((await readdir(d)).length).toBe(12);
    // nothing is ever overwritten
    await expect(writeSignedReport(second, d, key, 'zh')).rejects.toThrow(/already exists; not overwriting a report/);
    expect(await verifyReportFile(w.jsonPath)).toMatchObject({ ok: true });
  });
});

describe('writeReportSafely', () => {
  it('when the folder refuses (EROFS after the pre-check), all six files go to a fallback folder and verify', async () => {
    let attempts = 0;
    const readOnly: FileWriter = async (path) => {
      attempts++;
      throw Object.assign(new Error(`EROFS: read-only file system, open '${path}'`), { code: 'EROFS' });
    };
    const parent = await mkdtemp(join(dir, 'tmp-'));
    const r = await writeReportSafely(report(), join(dir, 'ro'), key, 'zh', { writer: readOnly, fallbackParent: parent });
    expect(attempts).toBe(1);
    expect(r.fallback?.reason).toMatch(/EROFS/);
    expect(r.fallback?.dir).toMatch(new RegExp(`^${parent}/baomi-reports-`));
    expect(r.written.jsonPath.startsWith(r.fallback!.dir)).toBe(true);
    expect((await readdir(r.fallback!.dir)).length).toBe(6);
    expect(await verifyReportFile(r.written.jsonPath)).toMatchObject({ ok: true });
  });

  it('a failure half-way (ENOSPC on the HTML) sends the whole set to the fallback and removes the partial one', async () => {
    const full: FileWriter = async (path, data, noClobber) => {
      if (path.endsWith('.html')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      await writeAtomic(path, data, noClobber);
    };
    const parent = await mkdtemp(join(dir, 'tmp-'));
    const r = await writeReportSafely(report(), join(dir, 'full'), key, 'en', { writer: full, fallbackParent: parent });
    expect(r.fallback?.reason).toMatch(/ENOSPC/);
    expect((await readdir(r.fallback!.dir)).length).toBe(6);
    // the incomplete set (JSON, text and their signatures) is removed once the whole set is safe elsewhere
    expect(await readdir(join(dir, 'full'))).toEqual([]);
  });

  it('when the fallback fails too, says both reasons', async () => {
    const bad: FileWriter = async () => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    };
    const notADir = join(dir, 'plain-file');
    await writeFile(notADir, 'x');
    await expect(writeReportSafely(report(), join(dir, 'x'), key, 'zh', { writer: bad, fallbackParent: notADir })).rejects.toThrow(/could not write the report to .*EIO.*nor to a fallback folder/);
  });
});
