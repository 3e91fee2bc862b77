/** Hand-made files (fixtures/documents/make-extra.py) and in-memory inputs, format by format. */
import { describe, expect, it } from 'vitest';
import { decodeText, extractText } from '../../../src/formats/docs/index.js';
import { fixture, partText } from './_helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('plain text encodings', () => {
  const line = '通知：明天上午九点在三楼会议室开会，请准时参加。';
  for (const [file, tok, encoding] of [
    ['text-utf8.txt', 'TKTEXT', 'utf-8'],
    ['text-utf8-bom.txt', 'TKU8BOM', 'utf-8'],
    ['text-gbk.txt', 'TKGBK', 'gb18030'],
    ['text-gb18030.txt', 'TKGB18030', 'gb18030'],
    ['text-utf16le-bom.txt', 'TKU16LE', 'utf-16le'],
    ['text-utf16be-bom.txt', 'TKU16BE', 'utf-16be'],
    ['text-utf16le-nobom.txt', 'TKU16NB', 'utf-16le'],
  ] as const) {
    it(`${file} → ${encoding}`, async () => {
      const r = await extractText(fixture(`made/${file}`));
      expect(r.format).toBe('text');
      expect(r.meta?.encoding).toBe(encoding);
      expect(partText(r, 'text')).toContain(line + tok);
      expect(partText(r, 'text')).not.toContain('\uFEFF');
    });
  }
  it('GB18030 four-byte characters', async () => {
    expect(partText(await extractText(fixture('made/text-gb18030.txt')), 'text')).toContain('扩展字符：𠀀㐀');
  });
  it('BOM-less UTF-16LE without any NUL byte (all CJK)', async () => {
    const r = await extractText(fixture('made/text-utf16le-cjk-only.txt'));
    expect(r.format).toBe('text');
    expect(partText(r, 'text')).toBe('会议通知明天开会请准时参加会议材料已经放好');
  });
  it('decodeText on short strings', () => {
    expect(decodeText(new Uint8Array(Buffer.from('机密★5年', 'utf8')))).toEqual({ text: '机密★5年', encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xbb, 0xfa, 0xc3, 0xdc, 0xa1, 0xef, 0x35, 0xc4, 0xea]))).toEqual({ text: '机密★5年', encoding: 'gb18030' });
  });
});

describe('HTML', () => {
  for (const [file, tok, encoding] of [
    ['page-utf8.html', 'TKHTMLU8', 'utf-8'],
    ['page-gbk.html', 'TKHTMLGBK', 'gb2312'],
    ['page-nometa-gbk.htm', 'TKHTMLNOMETA', 'gb18030'],
  ] as const) {
    it(`${file}: charset ${encoding}, tags stripped, entities decoded, script/style/comments dropped`, async () => {
      const r = await extractText(fixture(`made/${file}`));
      expect(r.format).toBe('html');
      expect(r.meta?.encoding).toBe(encoding);
      const t = partText(r, 'text');
      expect(t).toContain(`今天天气晴朗 &温暖“好” ${tok}`);
      expect(t).toContain(`网页标题 ${tok}`);
      expect(t).toContain('单元格甲\t\t单元格乙');
      expect(t).not.toMatch(/SCRIPTNOT|COMMENTNOT|color:red|<|>/);
    });
  }
  it('text split over inline tags stays joined; blocks become lines', async () => {
    const r = await extractText(enc('<html><body><p>机<span>密</span><b>★</b>1年</p><div>第二段</div></body></html>'));
    expect(partText(r, 'text')).toMatch(/^机密★1年\n+第二段$/);
  });
});

describe('e-mail (MIME)', () => {
  it('mail.eml: encoded-word subject and names, GBK base64 text, QP HTML, attachments with decoded names', async () => {
    const r = await extractText(fixture('made/mail.eml'));
    expect(r.format).toBe('eml');
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'subject')).toBe('关于春季植树活动的通知 TKEMLSUBJ');
    expect(partText(r, 'headers')).toContain('from: 张三 <a@example.org>');
    expect(partText(r, 'headers')).toContain('to: 李四 <b@example.org>');
    expect(partText(r, 'part 1 (text/plain; charset=gbk)')).toContain('各位同事：明天上午九点开会。TKEMLPLAIN');
    expect(partText(r, 'part 2 (text/html; charset=utf-8)')).toBe('各位同事：明天开会 TKEMLHTML');
    expect(r.embedded.map((e) => e.name)).toEqual(['会议纪要.txt', '通知.docx']);
    const att = await extractText(r.embedded[1]!.bytes, { name: r.embedded[1]!.name });
    expect(att.format).toBe('docx');
    expect(partText(att, 'word/document.xml')).toContain('附件正文 TKEMLATT');
    expect(partText(await extractText(r.embedded[0]!.bytes), 'text')).toContain('纪要内容 TKEMLTXT');
  });
  it('raw 8-bit GBK headers and a GB2312 quoted-printable body', async () => {
    const head = Buffer.concat([
      Buffer.from('From: a@example.org\r\nTo: b@example.org\r\nSubject: '),
      Buffer.from('会议通知', 'latin1').length ? new Uint8Array([0xbb, 0xe1, 0xd2, 0xe9, 0xcd, 0xa8, 0xd6, 0xaa]) : Buffer.alloc(0),
      Buffer.from('\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=BB=E1=D2=E9 ok=\r\n!\r\n'),
    ]);
    const r = await extractText(new Uint8Array(head));
    expect(r.format).toBe('eml');
    expect(partText(r, 'subject')).toBe('会议通知');
    expect(partText(r, /^part 1/)).toBe('会议 ok!\r\n');
  });
});

describe('hand-made OOXML', () => {
  it('docx: runs joined across proofing marks and bookmarks, tab/br, field code dropped, one copy of an mc:AlternateContent text box', async () => {
    const r = await extractText(fixture('made/handmade.docx'));
    const body = partText(r, 'word/document.xml');
    expect(body.split('\n')[0]).toBe('内部资料\tTKRUNS');
    expect(body).toContain('第一行\n第二行 & <符号>');
    expect(body).toContain('新插入的文字');
    expect(body).toContain('域结果');
    expect(body).not.toContain('FIELDCODENOT');
    expect(body).not.toContain('被删除的文字');
    expect(body).toContain('表格甲\n表格乙 TKTABLE');
    expect(partText(r, 'word/document.xml#deleted')).toBe('被删除的文字 TKDEL\n');
    expect(partText(r, 'word/document.xml#textboxes')).toBe('文本框内容 TKBOX\n');
    expect(partText(r, 'word/header1.xml')).toContain('页眉 TKHDR');
    expect(partText(r, 'word/header1.xml')).toContain('水印文字 TKWMARK');
    expect(partText(r, 'word/footnotes.xml')).toContain('脚注 TKFN');
    expect(partText(r, 'word/comments.xml')).toContain('批注 TKCMT');
    expect(partText(r, 'properties')).toBe('title: 标题属性 TKCORE\n密级: 内部 TKCUSTOM');
    expect(partText(r)).not.toContain('STYLENOT');
    expect(r.embedded.map((e) => e.name)).toEqual(['word/embeddings/oleObject1.bin']);
  });
  it('xlsx: shared strings (rich runs joined, phonetic dropped), inline strings, formula strings, header/footer codes stripped', async () => {
    const r = await extractText(fixture('made/handmade.xlsx'));
    expect(partText(r, 'sheet:数据表')).toBe('共享字符串\t富文本拼接 TKSST\n内联字符串 TKINLINE\t公式结果 TKFORMULA');
    expect(partText(r, 'header-footer:数据表')).toBe('左页眉 TKXHDR\t第页\n页脚 & TKXFTR');
    expect(partText(r, 'xl/sharedStrings.xml#unreferenced')).toBe('未引用的字符串 TKUNREF');
    expect(partText(r)).not.toContain('ふりがな');
    expect(partText(r)).not.toContain('3.14');
  });
});

describe('RTF details', () => {
  const rtf = (s: string): Promise<ReturnType<typeof extractText> extends Promise<infer T> ? T : never> => extractText(new Uint8Array(Buffer.from(s, 'latin1')));
  it("\\'hh bytes in \\ansicpg936 are GBK", async () => {
    const r = await rtf("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}}\\f0 \\'bb\\'e1\\'d2\\'e9\\'cd\\'a8\\'d6\\'aa\\par}");
    expect(partText(r, 'body')).toBe('会议通知\n');
    expect(partText(r)).not.toContain('宋体');
  });
  it('font charset 134 wins over \\ansicpg1252; \\u with \\uc fallback skipped; WordArt text kept', async () => {
    const r = await rtf(
      "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}{\\f1\\fcharset134 SimSun;}}{\\header {\\shp{\\*\\shpinst{\\sp{\\sn gtextUNICODE}{\\sv \\u27700?\\u21360?}}{\\sp{\\sn fillColor}{\\sv 12345}}}}}\\f0 A {\\f1 \\'bb\\'e1}\\uc2\\u35758\\'d2\\'e9 B\\par}",
    );
    expect(partText(r, 'body')).toBe('A 会议 B\n');
    expect(partText(r, 'headers')).toContain('水印');
    expect(partText(r)).not.toContain('12345');
  });
  it('field instructions, pictures and bookmarks dropped, field results kept', async () => {
    const r = await rtf('{\\rtf1{\\field{\\*\\fldinst HYPERLINK "x"}{\\fldrslt \\u38142?\\u25509?}}{\\pict\\pngblip 89504e47}{\\*\\bkmkstart a}\\u27491?\\u25991?\\par}');
    expect(partText(r, 'body')).toBe('链接正文\n');
  });
});
