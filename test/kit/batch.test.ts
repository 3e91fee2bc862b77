// The batch log's check, on a results folder written by hand: a report signed by a key made here,
// its index line, a volume not scanned, and lines that are not index entries.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendNotScanned, checkResults, INDEX_FILE } from '../../src/kit/batch.js';
import { keyIdOf, publicKeyBase64, signBytes } from '../../src/sign/keys.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(): { dir: string; pub: ReturnType<typeof generateKeyPairSync>['publicKey']; write: (name: string, body: object) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'baomi-batch-'));
  dirs.push(dir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    dir,
    pub: publicKey,
    write(name, body) {
      const bytes = Buffer.from(JSON.stringify({ schema: 'baomi.report/1', signer: { alg: 'Ed25519', keyId: keyIdOf(publicKey), publicKey: publicKeyBase64(publicKey) }, ...body }));
      writeFileSync(join(dir, name), bytes);
      writeFileSync(join(dir, `${name}.sig`), `${signBytes(bytes, privateKey).toString('base64')}\n`);
      return createHash('sha256').update(bytes).digest('hex');
    },
  };
}

describe('checkResults', () => {
  it('ok, not-scanned and unlisted rows; broken and path-escaping lines are counted as bad', async () => {
    const f = folder();
    const sha = f.write('pc1-20261206T100000Z.json', { n: 1 });
    f.write('stray.json', { n: 2 });
    const line = (report: string, sha256: string): string => JSON.stringify({ schema: 'baomi.kit-index/1', time: '2026-12-06T10:00:00Z', report, sha256, machine: { hostname: 'pc1' }, profile: 'intranet', findings: 0, exitCode: 0 });
    writeFileSync(join(f.dir, INDEX_FILE), [line('pc1-20261206T100000Z.json', sha), '{not json', line('../etc/passwd', sha), ''].join('\n'));
    await appendNotScanned(f.dir, { device: '/dev/sda4', fstype: 'BitLocker', label: null, uuid: null, reason: 'encrypted', scheme: 'BitLocker' });
    const r = await checkResults(f.dir, f.pub);
    expect(r.indexFound).toBe(true);
    expect(r.badLines).toEqual([2, 3]);
    expect(r.rows.map((x) => [x.report, x.status])).toEqual([
      ['pc1-20261206T100000Z.json', 'ok'],
      ['-', 'not-scanned'],
      ['stray.json', 'unlisted'],
    ]);
  });

  it('a report signed by another key than the one given is a bad signature; a symlinked report is missing', async () => {
    const f = folder();
    const other = folder();
    const sha = f.write('a.json', { n: 1 });
    symlinkSync(join(f.dir, 'a.json'), join(f.dir, 'b.json'));
    writeFileSync(join(f.dir, INDEX_FILE), ['a.json', 'b.json'].map((n) => JSON.stringify({ time: 't', report: n, sha256: sha, machine: { hostname: null } })).join('\n'));
    const r = await checkResults(f.dir, other.pub);
    expect(r.rows.map((x) => x.status)).toEqual(['bad-signature', 'missing']);
    expect(r.rows[1]?.reason).toMatch(/not a regular file/);
  });

  it('no index: indexFound false (results list exits 1)', async () => {
    const f = folder();
    expect((await checkResults(f.dir)).indexFound).toBe(false);
  });
});
