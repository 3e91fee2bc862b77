/** Zip, gzip, OLE containers: members, names, encryption, zip-bomb guards, damage, limits. */
import * as CFB from 'cfb';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../src/formats/docs/index.js';
import { fixture, partText } from './_helpers.js';

/** A minimal zip writer (deflate or store), for archives the fixtures do not cover. */
function makeZip(members: Array<{ name: string | Uint8Array; data: Uint8Array; store?: boolean; flags?: number; declared?: number }>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let off = 0;
  for (const m of members) {
    const name = typeof m.name === 'string' ? Buffer.from(m.name, 'utf8') : Buffer.from(m.name);
    const comp = m.store ? Buffer.from(m.data) : deflateRawSync(m.data);
    const flags = m.flags ?? (typeof m.name === 'string' ? 0x800 : 0);
    const size = m.declared ?? m.data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(m.store ? 0 : 8, 8);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(m.store ? 0 : 8, 10);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(off, 42);
    locals.push(lh, name, comp);
    centrals.push(ch, name);
    off += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(off, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, eocd]));
}

const u8 = (s: string, e: BufferEncoding = 'utf8'): Uint8Array => new Uint8Array(Buffer.from(s, e));

describe('zip archives', () => {
  it('members become embedded files; a GBK name without the UTF-8 flag is decoded as GBK', async () => {
    const r = await extractText(fixture('made/archive.zip'), { name: 'archive.zip' });
    expect(r.format).toBe('zip');
    expect(r.gaps).toEqual([]);
    expect(r.embedded.map((e) => e.name)).toEqual(['报告.txt', '目录/说明.txt', 'stored.txt']);
    expect(partText(await extractText(r.embedded[0]!.bytes), 'text')).toContain('成员内容 TKZIPGBK');
    expect(Buffer.from(r.embedded[2]!.bytes).toString()).toBe('stored TKZIPSTORED\n');
  });

  it('zip bomb by declared size: the member is not expanded, the rest is', async () => {
    const r = await extractText(fixture('made/bomb.zip'));
    expect(r.gaps).toEqual([{ kind: 'zip-bomb', reason: expect.stringContaining('ratio over 100:1'), part: 'zeros.bin' }]);
    expect(r.embedded.map((e) => e.name)).toEqual(['ok.txt']);
  });

  it('zip bomb whose headers lie: inflate stops at the cap', async () => {
    const r = await extractText(fixture('made/bomb-lying.zip'));
    expect(r.gaps).toEqual([{ kind: 'zip-bomb', reason: expect.stringContaining('stopped'), part: 'zeros.bin' }]);
    expect(r.embedded.map((e) => e.name)).toEqual(['ok.txt']);
  });

  it('overlapping members (one blob listed many times) hit the total expansion budget', async () => {
    const blob = new Uint8Array(4 * 1024 * 1024).fill(0x41);
    const members = Array.from({ length: 20 }, (_, i) => ({ name: `m${i}.txt`, data: blob }));
    const r = await extractText(makeZip(members), { maxExpandedBytes: 32 * 1024 * 1024, maxRatio: 10_000 });
    expect(r.embedded.length).toBe(8);
    expect(r.gaps.some((g) => g.kind === 'too-large')).toBe(true);
  });

  it('member count cap', async () => {
    const members = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}.txt`, data: u8(`x${i}`) }));
    const r = await extractText(makeZip(members), { maxMembers: 10 });
    expect(r.embedded.length).toBeLessThanOrEqual(10);
    expect(r.gaps[0]).toMatchObject({ kind: 'zip-bomb' });
  });

  it('encrypted members are gaps; unsupported compression methods are gaps', async () => {
    const r = await extractText(fixture('made/encrypted-member.zip'));
    expect(r.gaps).toEqual([{ kind: 'encrypted', reason: 'zip member is encrypted', part: 'secret.txt' }]);
    expect(r.embedded.map((e) => e.name)).toEqual(['plain.txt']);
    const z = makeZip([{ name: 'a.txt', data: u8('hello'), store: true }]);
    new DataView(z.buffer).setUint16(8, 12, true); // local header: bzip2
    new DataView(z.buffer).setUint16(z.length - 22 - 46 - 5 + 10, 12, true); // central header
    const r2 = await extractText(z);
    expect(r2.gaps).toEqual([{ kind: 'unsupported', reason: 'compression method 12 not supported', part: 'a.txt' }]);
  });

  it('a truncated docx is read from its local headers', async () => {
    const r = await extractText(fixture('made/truncated.docx'));
    expect(r.format).toBe('docx');
    expect(r.gaps[0]).toMatchObject({ kind: 'corrupt', reason: expect.stringContaining('central directory missing') });
    expect(partText(r, 'word/document.xml')).toContain('内部资料\tTKRUNS');
  });

  it('gzip: the content is embedded under its original name', async () => {
    const r = await extractText(fixture('made/notes.txt.gz'), { name: 'notes.txt.gz' });
    expect(r.format).toBe('gzip');
    expect(r.embedded.map((e) => e.name)).toEqual(['notes.txt']);
    expect(Buffer.from(r.embedded[0]!.bytes).toString()).toBe('压缩的文本 TKGZIP\n');
  });

  it('zip members that are documents are recognised as such', async () => {
    const docx = fixture('made/writer.docx');
    const r = await extractText(makeZip([{ name: '内/报告.docx', data: docx, store: true }]));
    expect(r.embedded[0]!.name).toBe('内/报告.docx');
    const sub = await extractText(r.embedded[0]!.bytes, { name: r.embedded[0]!.name });
    expect(partText(sub, 'word/document.xml')).toContain('TKDOCX-BODY');
  });
});

describe('encryption in Office files', () => {
  function ole(streams: Record<string, Uint8Array>): Uint8Array {
    const c = CFB.utils.cfb_new();
    for (const [k, v] of Object.entries(streams)) CFB.utils.cfb_add(c, `/${k}`, Buffer.from(v));
    return new Uint8Array(CFB.write(c, { type: 'buffer' }) as Buffer);
  }

  it('password-protected OOXML (EncryptionInfo + EncryptedPackage, MS-OFFCRYPTO agile layout) → encrypted', async () => {
    // LibreOffice 7.4's UNO store with a password crashed on this machine, so this is built by hand
    const info = Buffer.concat([Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]), Buffer.from('<?xml version="1.0"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>')]);
    const pkg = Buffer.alloc(72, 7);
    pkg.writeUInt32LE(4096, 0);
    const bytes = ole({ EncryptionInfo: info, EncryptedPackage: pkg });
    const r = await extractText(bytes, { name: '通知.docx' });
    expect(r.format).toBe('docx');
    expect(r.gaps).toEqual([{ kind: 'encrypted', reason: 'password-protected Office Open XML document (ECMA-376 agile encryption)' }]);
    expect((await extractText(bytes)).format).toBe('ole');
  });

  it('Word binary with the fEncrypted FIB flag → encrypted, no text', async () => {
    const c = CFB.read(fixture('made/writer.doc'), { type: 'buffer' });
    const wd = CFB.find(c, 'WordDocument')!;
    const content = Buffer.from(wd.content as Uint8Array);
    content.writeUInt16LE(content.readUInt16LE(0x0a) | 0x0100, 0x0a);
    wd.content = content;
    const r = await extractText(new Uint8Array(CFB.write(c, { type: 'buffer' }) as Buffer));
    expect(r.format).toBe('doc');
    expect(r.gaps).toEqual([{ kind: 'encrypted', reason: 'Word document is encrypted (password protected)' }]);
    expect(partText(r)).not.toContain('TKDOC-BODY');
  });

  it('Excel workbook with a FILEPASS record → encrypted', async () => {
    const rec = (type: number, data: number[]): number[] => [type & 255, type >> 8, data.length & 255, data.length >> 8, ...data];
    const wb = new Uint8Array([...rec(0x0809, [0, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), ...rec(0x002f, [1, 0, 1, 0, 1, 0]), ...rec(0x000a, [])]);
    const r = await extractText(ole({ Workbook: wb }));
    expect(r.format).toBe('xls');
    expect(r.gaps[0]).toMatchObject({ kind: 'encrypted' });
  });

  it('PowerPoint with the encrypted Current User token → encrypted', async () => {
    const cu = Buffer.alloc(24);
    cu.writeUInt32LE(20, 0);
    cu.writeUInt32LE(0xf3d1c4df, 4);
    const r = await extractText(ole({ 'PowerPoint Document': new Uint8Array(16), 'Current User': cu }), { name: 'a.dps' });
    expect(r.format).toBe('dps');
    expect(r.gaps).toEqual([{ kind: 'encrypted', reason: 'presentation is encrypted (password protected)' }]);
  });

  it('BIFF8 shared strings continued across CONTINUE records with a change of the high-byte flag', async () => {
    const rec = (type: number, data: number[]): number[] => [type & 255, type >> 8, data.length & 255, data.length >> 8, ...data];
    const u16 = (n: number): number[] => [n & 255, n >> 8];
    const u32 = (n: number): number[] => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24];
    const utf16 = (s: string): number[] => [...Buffer.from(s, 'utf16le')];
    const bof = rec(0x0809, [...u16(0x0600), ...u16(5), ...new Array(12).fill(0)]);
    const sheetBof = rec(0x0809, [...u16(0x0600), ...u16(0x10), ...new Array(12).fill(0)]);
    const name = utf16('表一');
    const boundsheet = (pos: number): number[] => rec(0x0085, [...u32(pos), 0, 0, 2, 1, ...name]);
    // string 1: 8 chars, "ABCD" compressed in the SST record, "机密★1" as UTF-16 in the CONTINUE; string 2 whole in the CONTINUE
    const sst = rec(0x00fc, [...u32(2), ...u32(2), ...u16(8), 0, ...[...Buffer.from('ABCD')]]);
    const cont = rec(0x003c, [1, ...utf16('机密★1'), ...u16(3), 1, ...utf16('第二个')]);
    const eof = rec(0x000a, []);
    const head = [...bof, ...boundsheet(0), ...sst, ...cont, ...eof];
    const pos = head.length;
    const globals = [...bof, ...boundsheet(pos), ...sst, ...cont, ...eof];
    const sheet = [...sheetBof, ...rec(0x00fd, [...u16(0), ...u16(0), ...u16(15), ...u32(0)]), ...rec(0x00fd, [...u16(0), ...u16(1), ...u16(15), ...u32(1)]), ...eof];
    const r = await extractText(ole({ Workbook: new Uint8Array([...globals, ...sheet]) }));
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'sheet-names')).toBe('表一');
    expect(partText(r, 'sheet:表一')).toBe('ABCD机密★1\t第二个');
  });
});

describe('archives read member by member (the document walk)', () => {
  const grammarP = import('../../../src/formats/markings.js').then((m) => m.loadMarkingGrammar());
  const scan = async (bytes: Uint8Array, maxExpandedBytes: number) => {
    const { scanFile } = await import('../../../src/checks/documents/scan-file.js');
    return scanFile(bytes, { name: 'bundle.zip', grammar: await grammarP, keywords: [], maxExpandedBytes });
  };
  const u8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

  it('an executable or picture member is known by its first bytes: not expanded, its name still checked', async () => {
    const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(2 * 1024 * 1024)]);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1024 * 1024)]);
    const zip = makeZip([
      { name: 'bin/秘密★1年-工具.so', data: elf },
      { name: 'img/scan.png', data: png },
      { name: 'doc/note.txt', data: u8('机密★5年\n正文\n') },
    ]);
    // a 256 KiB budget: expanding the 2 MB library would have exhausted it ('too-large')
    const r = await scan(zip, 256 * 1024);
    expect(r.markings.map((m) => [m.inner, m.part, m.text])).toEqual([
      ['bin/秘密★1年-工具.so', 'file-name', '秘密★1年'],
      ['doc/note.txt', 'text', '机密★5年'],
    ]);
    expect(r.gaps.map((g) => [g.inner, g.kind])).toEqual([['img/scan.png', 'no-text-layer']]);
  });

  it('what a member expands to (a .json.gz in a wheel) goes back to the budget once scanned', async () => {
    const { gzipSync } = await import('node:zlib');
    const filler = '{"k": "工作安排"}\n'.repeat(1500); // ~30 KB each, gzipped to ~1 KB
    const members = [1, 2, 3, 4, 5, 6].map((k) => ({ name: `data/${k}/service-2.json.gz`, data: gzipSync(`${filler}${k === 6 ? '秘密★1年\n' : ''}`) }));
    const r = await scan(makeZip(members), 64 * 1024);
    expect(r.gaps).toEqual([]);
    expect(r.markings.map((m) => [m.inner, m.text])).toEqual([['data/6/service-2.json.gz!/service-2.json', '秘密★1年']]);
  });

  it('big plain text in an archive is matched in windows: no cap on its length', async () => {
    // 20 MB of log with the marking at 18 MB (extraction caps a part at 16 Mi characters)
    // rows that do not compress 100:1 (that would be a zip bomb)
    let x = 12345;
    const rows = (bytes: number): string => {
      const out: string[] = [];
      for (let n = 0; n < bytes; ) {
        x = (x * 1103515245 + 12345) >>> 0;
        const row = `{"id": ${x}, "key": "${x.toString(16)}${(x >>> 3).toString(36)}"},\n`;
        out.push(row);
        n += row.length;
      }
      return out.join('');
    };
    const head = rows(18 << 20);
    const log = `${head}\n秘密★1年\n\n${rows(2 << 20)}`;
    const r = await scan(makeZip([{ name: 'logs/export.log', data: u8(log) }]), 64 * 1024 * 1024);
    expect(r.gaps).toEqual([]);
    expect(r.markings.map((m) => [m.inner, m.part, m.offset])).toEqual([['logs/export.log', 'text', Buffer.byteLength(`${head}\n`)]]);
  });

  it('the expansion budget bounds what is held at once: every member of a big archive is read', async () => {
    const filler = '工作安排'.repeat(3000); // ~36 KB of UTF-8 per member
    const members = [1, 2, 3, 4, 5].map((k) => ({ name: `m${k}.txt`, data: u8(`${filler}\n${k === 5 ? '绝密★长期\n' : ''}`) }));
    const r = await scan(makeZip(members), 64 * 1024);
    expect(r.gaps).toEqual([]);
    expect(r.markings.map((m) => [m.inner, m.text])).toEqual([['m5.txt', '绝密★长期']]);
  });
});
