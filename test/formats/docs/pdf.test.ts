import { describe, expect, it } from 'vitest';
import { extractText } from '../../../src/formats/docs/index.js';
import { syntheticCMap } from '../../../src/formats/docs/pdf.js';
import { fixture, partText } from './_helpers.js';

describe('PDF', () => {
  it('encrypted with a user password → gap encrypted', async () => {
    const r = await extractText(fixture('made/encrypted.pdf'));
    expect(r.format).toBe('pdf');
    expect(r.parts.filter((p) => p.name.startsWith('page:'))).toEqual([]);
    expect(r.gaps).toEqual([{ kind: 'encrypted', reason: 'PDF needs a password to open' }]);
  });

  it('encrypted with an owner password only: readable, no gap', async () => {
    const r = await extractText(fixture('made/owner-only.pdf'));
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'page:1')).toContain('TKPDF-BODY');
  });

  it('image-only (img2pdf scan) → no-text-layer, "not inspectable without OCR"', async () => {
    const r = await extractText(fixture('made/scan.pdf'));
    expect(r.gaps).toEqual([{ kind: 'no-text-layer', reason: expect.stringContaining('not inspectable without OCR') }]);
  });

  it('non-embedded CJK fonts with predefined CMaps (STSong-Light/UniGB-UCS2-H, GBK-EUC-H) are read', async () => {
    expect(partText(await extractText(fixture('made/stsong.pdf')), 'page:1')).toBe('会议通知 TKSTSONG');
    expect(partText(await extractText(fixture('made/gbk-euc.pdf')), 'page:1')).toBe('通知 TKGBKEUC');
  });

  it('synthetic CMaps exist only for the encodings they can honour', () => {
    expect(syntheticCMap('UniGB-UCS2-H')).toBeInstanceOf(Uint8Array);
    expect(syntheticCMap('Adobe-GB1-UCS2')).toBeInstanceOf(Uint8Array);
    expect(syntheticCMap('GBK-EUC-H')!.length).toBeGreaterThan(100_000);
    expect(syntheticCMap('Identity-H')).toBeUndefined();
    expect(syntheticCMap('Foo-Bar')).toBeUndefined();
  });

  it('does not detach the caller’s buffer', async () => {
    const b = fixture('made/writer.pdf');
    await extractText(b);
    expect(b.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(b.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('an already aborted signal stops before any page; a damaged PDF is a gap', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await extractText(fixture('made/writer.pdf'), { signal: ac.signal });
    expect(r.gaps).toEqual([{ kind: 'timeout', reason: 'aborted by the caller' }]);
    const broken = fixture('made/writer.pdf').slice(0, 2000);
    const r2 = await extractText(broken);
    expect(r2.format).toBe('pdf');
    expect(r2.gaps.length).toBeGreaterThan(0);
  });

  it('a time budget of 1 ms gives a timeout gap, not a throw', async () => {
    const r = await extractText(fixture('corpus/pdf/Test3.pdf'), { timeoutMs: 1 });
    expect(r.gaps.some((g) => g.kind === 'timeout')).toBe(true);
  });
});
