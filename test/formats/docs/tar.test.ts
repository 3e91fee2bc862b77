/**
 * Tar archives (src/formats/docs/tar.ts): GNU tar's formats, Python's tarfile, long and GBK names,
 * sparse members, damage, and the whole path through scanFile (x.tar.gz → x.tar → members).
 * Fixtures: fixtures/documents/tar/ (made by make.sh there, see PROVENANCE.md).
 */
import { describe, expect, it } from 'vitest';
import { scanFile } from '../../../src/checks/documents/scan-file.js';
import { extractText, sniffDocument, type ExtractResult } from '../../../src/formats/docs/index.js';
import { looksLikeTar, parseNumeric, tarChecksumOk } from '../../../src/formats/docs/tar.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';
import { fixture, partText } from './_helpers.js';

const LONG = `dir/long-directory-name-${'a'.repeat(40)}/long-file-name-${'b'.repeat(60)}.txt`;
const A_TXT = '机密★10年\n关于开展年度保密自查工作的通知\n样本编号 TKTAR-A\n';
const LONG_TXT = '秘密★5年\n长路径文件 TKTAR-LONG\n';
const B_TXT = '说明文件 TKTAR-B\n';

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const names = (r: ExtractResult): string[] => r.embedded.map((e) => e.name);
const grammar = loadMarkingGrammar();
const scan = (file: string) => scanFile(fixture(`tar/${file}`), { name: file, grammar });

/** Offset of the header whose name field starts with `name` (for patching a real archive). */
function headerAt(tar: Uint8Array, name: string): number {
  const key = Buffer.from(name);
  for (let p = 0; p + 512 <= tar.length; p += 512) if (Buffer.from(tar.subarray(p, p + key.length)).equals(key)) return p;
  throw new Error(`no header ${name}`);
}

/** Writes a header's checksum again: unsigned (as every tar does) or signed (as some old ones did). */
function rechecksum(tar: Uint8Array, at: number, signed = false): void {
  tar.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + 512; i++) sum += signed && tar[i]! >= 0x80 ? tar[i]! - 256 : tar[i]!;
  tar.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'latin1'), at + 148);
}

describe('tar archives made by GNU tar and Python tarfile', () => {
  const full = [
    ['gnu.tar', 'GNU format: the long path in a ././@LongLink (L) entry'],
    ['ustar.tar', 'POSIX ustar: the long path split into prefix + name'],
    ['pax.tar', 'pax: the long path in an x header, a g header first'],
  ] as const;
  for (const [file, what] of full) {
    it(`${file} — ${what}`, async () => {
      const r = await extractText(fixture(`tar/${file}`), { name: file });
      expect(r.format).toBe('tar');
      expect(r.gaps).toEqual([]);
      // directories, the symlink and the empty directory are not members to read
      expect(names(r)).toEqual(['dir/a.txt', LONG, 'dir/子目录/说明.txt']);
      expect(r.embedded.map((e) => text(e.bytes))).toEqual([A_TXT, LONG_TXT, B_TXT]);
    });
  }

  it('the three formats really store the long path differently', () => {
    const has = (file: string, s: string): boolean => Buffer.from(fixture(`tar/${file}`)).includes(s);
    expect(has('gnu.tar', '././@LongLink')).toBe(true);
    expect(has('ustar.tar', '././@LongLink') || has('ustar.tar', 'path=')).toBe(false);
    expect(has('pax.tar', `path=${LONG}\n`)).toBe(true);
    expect(has('pax.tar', 'comment=baomi-fixture')).toBe(true); // the global header (skipped)
    // pax: the ustar name field holds a truncated name, which must not win over the pax path
    const pax = fixture('tar/pax.tar');
    const at = headerAt(pax, 'dir/long-directory-name-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/long-file');
    expect(pax[at + 156]).toBe(0x30);
  });

  it('v7 (no magic, no long names): sniffed and read', async () => {
    const r = await extractText(fixture('tar/v7.tar'), { name: 'v7.tar' });
    expect(r.format).toBe('tar');
    expect(r.gaps).toEqual([]);
    expect(names(r)).toEqual(['dir/a.txt', 'dir/子目录/说明.txt']);
    expect(text(r.embedded[1]!.bytes)).toBe(B_TXT);
  });

  it('Python tarfile (pax): the UTF-8 name comes from the pax path, not the "???" ustar field', async () => {
    expect(Buffer.from(fixture('tar/python.tar')).includes('dir/???/??.txt')).toBe(true);
    const r = await extractText(fixture('tar/python.tar'));
    expect(r.gaps).toEqual([]);
    expect(names(r)).toEqual(['dir/a.txt', 'dir/子目录/说明.txt']);
  });

  for (const file of ['gbk-name.tar', 'gbk-name-pax.tar']) {
    it(`${file}: a name that is GBK bytes, not UTF-8, is decoded as GB18030`, async () => {
      const r = await extractText(fixture(`tar/${file}`));
      expect(r.gaps).toEqual([]);
      expect(names(r)).toEqual(['gbk/报告.txt']);
      const inner = await extractText(r.embedded[0]!.bytes, { name: r.embedded[0]!.name });
      expect(partText(inner, 'text')).toBe('绝密★启用前\n报告正文 TKTAR-GBK\n');
      expect(partText(inner, 'file-name')).toBe('报告.txt');
    });
  }

  it('a .docx member is handed over intact and read as a document', async () => {
    const r = await extractText(fixture('tar/docx.tar'), { name: 'docx.tar' });
    expect(names(r)).toEqual(['docs/w01-body-first-line.docx']);
    expect(Buffer.from(r.embedded[0]!.bytes).equals(Buffer.from(fixture('labelled/w01-body-first-line.docx')))).toBe(true);
    const doc = await extractText(r.embedded[0]!.bytes, { name: r.embedded[0]!.name });
    expect(doc.format).toBe('docx');
    expect(partText(doc, 'word/document.xml')).toContain('秘密★1年');
  });

  it('a tar whose first member is a PDF is a tar (not the PDF at byte 512)', async () => {
    const r = await extractText(fixture('tar/pdf-first.tar'));
    expect(r.format).toBe('tar');
    expect(names(r)).toEqual(['stsong.pdf', 'dir/a.txt']);
    expect(partText(await extractText(r.embedded[0]!.bytes), 'page:1')).toBe('会议通知 TKSTSONG');
  });

  for (const file of ['sparse-gnu.tar', 'sparse-pax.tar']) {
    it(`${file}: the sparse member is a gap naming it; the member after it is read`, async () => {
      const r = await extractText(fixture(`tar/${file}`));
      expect(r.gaps).toEqual([{ kind: 'unsupported', reason: 'tar member is a sparse file: not read', part: 'sparse/hole.bin' }]);
      expect(names(r)).toEqual(['sparse/z.txt']);
      expect(text(r.embedded[0]!.bytes)).toBe('稀疏文件之后 TKTAR-AFTER\n');
    });
  }
});

describe('damaged tar archives', () => {
  it('truncated (head -c): the members before, what is left of the cut one, and a corrupt gap', async () => {
    const r = await extractText(fixture('tar/truncated.tar'));
    expect(r.format).toBe('tar');
    expect(names(r)).toEqual(['dir/a.txt', LONG]);
    expect(text(r.embedded[1]!.bytes)).toBe('秘密★5年\n长路径文件 ');
    expect(r.gaps).toEqual([{ kind: 'corrupt', reason: 'tar member cut short: 30 of 41 bytes present (truncated archive)', part: LONG }]);
  });

  it('a bad checksum: a corrupt gap and the walk stops', async () => {
    const r = await extractText(fixture('tar/bad-checksum.tar'));
    expect(names(r)).toEqual(['dir/a.txt']);
    expect(r.gaps).toEqual([{ kind: 'corrupt', reason: 'tar header at byte 3072 has a bad checksum; the rest of the archive was not read' }]);
  });

  it('cut inside a header', async () => {
    const tar = fixture('tar/gnu.tar');
    const r = await extractText(tar.subarray(0, 1536 + 300), { name: 'x.tar' });
    expect(names(r)).toEqual(['dir/a.txt']);
    expect(r.gaps).toEqual([{ kind: 'corrupt', reason: 'tar archive ends inside a header at byte 1536 (truncated)' }]);
  });

  it('a size far past the end of the data, and an unreadable size field', async () => {
    const tar = fixture('tar/ustar.tar');
    const at = headerAt(tar, 'dir/a.txt');
    tar.set(Buffer.from('77777777777\0', 'latin1'), at + 124);
    rechecksum(tar, at);
    const r = await extractText(tar);
    expect(r.gaps).toEqual([{ kind: 'corrupt', reason: expect.stringContaining('of 8589934591 bytes present'), part: 'dir/a.txt' }]);
    tar.set(Buffer.from('12x45\0', 'latin1'), at + 124);
    rechecksum(tar, at);
    expect((await extractText(tar)).gaps).toEqual([{ kind: 'corrupt', reason: 'tar header at byte 512 has an unreadable size field; the rest of the archive was not read' }]);
  });

  it('random damage never makes the reader throw', async () => {
    const orig = fixture('tar/pax.tar');
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 300; k++) {
      const tar = orig.slice();
      for (let j = 0; j < 8; j++) tar[rand(tar.length)] = rand(256);
      // keep the headers' checksums right half the time, so the damage reaches the fields
      if (k % 2) for (let p = 0; p + 512 <= tar.length; p += 512) if (tarChecksumOk(orig.subarray(p, p + 512))) rechecksum(tar, p);
      const r = await extractText(tar, { name: 'x.tar' });
      expect(r.gaps.filter((g) => g.reason.includes('parser stopped'))).toEqual([]);
    }
  });
});

describe('tar header fields', () => {
  it('GNU base-256 sizes (high bit of the first byte) are read like octal ones', async () => {
    expect(parseNumeric(Buffer.from('00000000122\0', 'latin1'))).toBe(82);
    expect(parseNumeric(Buffer.from('     122 \0\0\0', 'latin1'))).toBe(82);
    expect(parseNumeric(new Uint8Array([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]))).toBe(512);
    expect(parseNumeric(new Uint8Array([0x80, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]))).toBe(2 ** 57);
    expect(parseNumeric(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]))).toBeNull(); // -2
    const tar = fixture('tar/gnu.tar');
    const at = headerAt(tar, 'dir/a.txt');
    tar.set([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 82], at + 124);
    rechecksum(tar, at);
    const r = await extractText(tar);
    expect(r.gaps).toEqual([]);
    expect(text(r.embedded[0]!.bytes)).toBe(A_TXT);
    expect(r.embedded.length).toBe(3);
  });

  it('a pax `size` record overrides the size field of the member after it', async () => {
    // GNU tar writes `size` only past 8 GiB, so a real pax header gets one more record here
    const tar = fixture('tar/gbk-name-pax.tar');
    const x = headerAt(tar, 'gbk/PaxHeaders/');
    const records = Buffer.concat([Buffer.from(tar.subarray(x + 512, x + 512 + 21)), Buffer.from('11 size=12\n')]);
    expect(records.toString('latin1')).toMatch(/^21 path=gbk\/.{4}\.txt\n11 size=12\n$/s);
    tar.set(records, x + 512);
    tar.set(Buffer.from(`${records.length.toString(8).padStart(11, '0')}\0`), x + 124);
    rechecksum(tar, x);
    const member = x + 1024;
    tar.set(Buffer.from('00000000000\0'), member + 124); // the ustar field now says 0: the pax record wins
    rechecksum(tar, member);
    const r = await extractText(tar);
    expect(r.gaps).toEqual([]);
    expect(names(r)).toEqual(['gbk/报告.txt']);
    expect(r.embedded[0]!.bytes.length).toBe(12);
  });

  it('checksums summed over signed bytes are accepted too (as GNU tar does)', async () => {
    const tar = fixture('tar/ustar.tar');
    const at = headerAt(tar, 'dir/子目录/说明.txt'); // UTF-8 bytes ≥ 0x80: the two sums differ
    const unsigned = tar.slice(at + 148, at + 156);
    rechecksum(tar, at, true);
    expect(Buffer.from(tar.subarray(at + 148, at + 156)).equals(Buffer.from(unsigned))).toBe(false);
    expect(tarChecksumOk(tar.subarray(at, at + 512))).toBe(true);
    expect(names(await extractText(tar))).toContain('dir/子目录/说明.txt');
    tar[at + 150] = tar[at + 150]! ^ 1;
    expect(tarChecksumOk(tar.subarray(at, at + 512))).toBe(false);
  });
});

describe('tar: limits and lazy members', () => {
  it('lazyEmbedded: members come unread and load as views on the archive (no copy)', async () => {
    const tar = fixture('tar/gnu.tar');
    const r = await extractText(tar, { lazyEmbedded: true });
    expect(r.embedded.every((e) => e.bytes.length === 0 && typeof e.load === 'function')).toBe(true);
    const a = r.embedded[0]!.load!()!;
    expect(text(a)).toBe(A_TXT);
    expect(a.buffer).toBe(tar.buffer);
  });

  it('maxMembers counts regular files only, and stops the walk', async () => {
    const r = await extractText(fixture('tar/gnu.tar'), { maxMembers: 2 });
    expect(names(r)).toEqual(['dir/a.txt', LONG]);
    expect(r.gaps).toEqual([{ kind: 'zip-bomb', reason: 'more than 2 members; the rest were not read' }]);
  });
});

describe('tar through scanFile', () => {
  it('a .tar.gz: gzip → backup.tar → members, markings with their inner paths', async () => {
    const s = await scan('backup.tar.gz');
    expect(s.format).toBe('gzip');
    expect(s.gaps).toEqual([]);
    expect(s.markings.map((m) => [m.level, m.text, m.inner])).toEqual([
      ['机密', '机密★10年', 'backup.tar!/dir/a.txt'],
      ['秘密', '秘密★5年', `backup.tar!/${LONG}`],
      ['秘密', '秘密★1年', 'backup.tar!/docs/w01-body-first-line.docx'],
    ]);
    expect(s.markings[2]!.part).toBe('word/document.xml');
    expect(s.embeddedFiles).toBe(5); // backup.tar, its three text files and the docx
  });

  it('a plain .tar: members are paths relative to it', async () => {
    const s = await scan('gnu.tar');
    expect(s.format).toBe('tar');
    expect(s.markings.map((m) => [m.text, m.inner, m.part])).toEqual([
      ['机密★10年', 'dir/a.txt', 'text'],
      ['秘密★5年', LONG, 'text'],
    ]);
  });

  it('damage shows as gaps next to what could be read', async () => {
    const t = await scan('truncated.tar');
    expect(t.markings.map((m) => m.text)).toEqual(['机密★10年', '秘密★5年']);
    // the member's name rides in the reason (the path stays the archive's)
    expect(t.gaps).toEqual([{ inner: '', kind: 'corrupt', reason: expect.stringMatching(/^tar member cut short: 30 of 41 bytes present \(truncated archive\) \(dir\/long-directory-name-a+\/long-file-name-b+\.txt\)$/) }]);
    const b = await scan('bad-checksum.tar');
    expect(b.markings.map((m) => m.inner)).toEqual(['dir/a.txt']);
    expect(b.gaps.map((g) => g.kind)).toEqual(['corrupt']);
    const g = await scan('gbk-name.tar');
    expect(g.markings.map((m) => [m.text, m.inner])).toEqual([['绝密★启用前', 'gbk/报告.txt']]);
  });
});

describe('sniffing tar and ar', () => {
  const tars = ['gnu.tar', 'ustar.tar', 'pax.tar', 'v7.tar', 'python.tar', 'gbk-name.tar', 'docx.tar', 'pdf-first.tar', 'sparse-gnu.tar', 'truncated.tar', 'bad-checksum.tar'];
  it('every tar fixture is a tar, from its first 512 bytes, whatever its name', () => {
    for (const f of tars) {
      expect(sniffDocument(fixture(`tar/${f}`), 'x.txt'), f).toBe('tar');
      expect(sniffDocument(fixture(`tar/${f}`).subarray(0, 512), 'x.txt'), f).toBe('tar');
      expect(looksLikeTar(fixture(`tar/${f}`).subarray(0, 511)), f).toBe(false);
    }
  });

  it('"ustar" at 257 with a wrong checksum is not a tar', () => {
    const tar = fixture('tar/ustar.tar');
    tar[0] = tar[0]! ^ 0x20;
    expect(sniffDocument(tar)).not.toBe('tar');
    const txt = new Uint8Array(Buffer.from('x'.repeat(257) + 'ustar' + ' y'.repeat(200)));
    expect(sniffDocument(txt)).toBe('text');
  });

  it('!<arch> (ar: static libraries, .deb packages) is binary, not text', async () => {
    const lib = fixture('tar/lib.a');
    expect(text(lib.subarray(0, 8))).toBe('!<arch>\n');
    expect(sniffDocument(lib, 'libx.a')).toBe('binary');
    const r = await extractText(lib);
    expect(r.parts).toEqual([]);
    expect(r.gaps.map((g) => g.kind)).toEqual(['unsupported']);
  });
});
