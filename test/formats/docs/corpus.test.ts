/** Real files from the shared corpus (copied to fixtures/documents/corpus; see PROVENANCE.md). */
import { describe, expect, it } from 'vitest';
import { extractText, sniffDocument } from '../../../src/formats/docs/index.js';
import { fixture, partNames, partText, squeeze } from './_helpers.js';

describe('OFD (GB/T 33190) corpus', () => {
  it('helloworld.ofd: the one line', async () => {
    const r = await extractText(fixture('corpus/ofd/helloworld.ofd'));
    expect(r.format).toBe('ofd');
    expect(partText(r, 'page:1')).toBe('你好呀，OFD Reader&Writer！');
    expect(r.meta).toMatchObject({ producer: 'OFD R&W 1.5.5', pages: 1 });
  });

  it('multiKeywordInTextCode.ofd (WPS export): text spread over TextCode elements is joined', async () => {
    const r = await extractText(fixture('corpus/ofd/multiKeywordInTextCode.ofd'));
    expect(partText(r, 'page:1')).toContain('打发打发打发打发打发哈哈打发哈哈哈哈哈哈哈哈哈打发');
    expect(r.meta?.producer).toBe('WPS 文字');
  });

  it('hello_watermark.ofd: the watermark annotation text is read', async () => {
    const r = await extractText(fixture('corpus/ofd/hello_watermark.ofd'));
    expect(partText(r, 'page:1')).toBe('你好呀，OFD Reader&Writer！');
    expect(partText(r, 'annot:1')).toContain('保密资料');
  });

  it('n.ofd: the red-header government document, both pages, lines and page-level join', async () => {
    const r = await extractText(fixture('corpus/ofd/n.ofd'));
    expect(r.meta?.pages).toBe(2);
    const p1 = partText(r, 'page:1');
    expect(p1.split('\n').slice(0, 3)).toEqual(['测试符路桥区卫生局文件', '路卫发〔2011〕76号', '关于同意张阿三同志辞职的批复']);
    expect(partText(r, 'page:1#joined')).toContain('你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。');
    expect(partText(r, 'page:2')).toContain('测试符路桥区卫生局办公室');
  });

  it('path_unstd.ofd: absolute and relative non-standard paths, template pages, CustomData', async () => {
    const r = await extractText(fixture('corpus/ofd/path_unstd.ofd'));
    expect(r.gaps).toEqual([]);
    expect(r.meta?.pages).toBe(2);
    expect(partText(r, 'page:1')).toContain('立案决定书');
    expect(partText(r, 'page:2')).toContain('（存根）');
    expect(partText(r, 'properties')).toContain('元数据名称_2: 立案决定书');
  });

  it('every corpus OFD yields text and no gap', async () => {
    const expected: Record<string, string> = {
      '1.ofd': '浙江增值税电子普通发票',
      '20240531141733.ofd': '海南麒麟云服科技有限公司',
      'AddAttachment.ofd': '这是一个带有附件的OFD文件',
      'signout.ofd': '市委主要领导同志调研后续落实事项的通知',
      'testPathFillOpacity.ofd': '关于加快南货场铁路涵洞下穿建设的函',
      'z.ofd': '字型变换',
    };
    for (const [f, s] of Object.entries(expected)) {
      const r = await extractText(fixture(`corpus/ofd/${f}`));
      expect(r.format, f).toBe('ofd');
      expect(r.gaps, f).toEqual([]);
      expect(partText(r, /^page:\d+(#joined)?$/), f).toContain(s);
    }
  });

  it('signout.ofd: the annotation; template text of the e-invoice', async () => {
    expect(partText(await extractText(fixture('corpus/ofd/signout.ofd')), 'annot:1')).toContain('测试文本注释');
    expect(partText(await extractText(fixture('corpus/ofd/1.ofd')), /^template:/)).toContain('价税合计（大写）');
  });

  it('AddAttachment.ofd: resources are not embedded documents, attachments are', async () => {
    const r = await extractText(fixture('corpus/ofd/AddAttachment.ofd'));
    expect(r.embedded.map((e) => e.name)).toEqual(['Doc_0/Res/eg_tulip.jpg']);
    const inv = await extractText(fixture('corpus/ofd/1.ofd'));
    expect(inv.embedded.map((e) => e.name)).toEqual(['Doc_0/Attachs/original_invoice.xml']);
  });
});

describe('PDF corpus', () => {
  it('Test3.pdf (Microsoft Print to PDF, one CJK glyph per item): glyphs stacked in a column are joined', async () => {
    const r = await extractText(fixture('corpus/pdf/Test3.pdf'));
    expect(r.format).toBe('pdf');
    expect(r.meta?.pages).toBe(4);
    expect(partText(r, 'page:1')).toBe('竞争性磋商文件');
    // page 3 is a picture
    expect(r.gaps).toEqual([{ kind: 'no-text-layer', reason: expect.stringMatching(/^page 3 shows images/) }]);
  });

  it('xbrl-001.pdf (rotated page, OpenPDF): lines rebuilt in reading direction', async () => {
    const r = await extractText(fixture('corpus/pdf/xbrl-001.pdf'));
    const t = partText(r, 'page:1');
    expect(t).toContain('电子发票（航空运输电子客票行程单）');
    expect(t).toContain('旅客姓名 有效身份证件号码');
    expect(squeeze(t)).toContain('仅供预览');
    expect(r.meta?.producer).toMatch(/OpenPDF/);
  });
});

describe('Office corpus', () => {
  it('WPS .doc with embedded objects: producer, properties and every embedding', async () => {
    const r = await extractText(fixture('corpus/office/testWPSAttachment.doc'));
    expect(r.format).toBe('doc');
    expect(r.gaps).toEqual([]);
    expect(r.meta?.producer).toBe('WPS Office 2052-11.1.0.10700');
    expect(partText(r, 'properties')).toContain('lastAuthor: 段');
    const names = r.embedded.map((e) => e.name);
    expect(names).toEqual([
      'ObjectPool/_1234567890/TXT.txt',
      'ObjectPool/_1234567891/PDF.pdf',
      'ObjectPool/_1234567892/XML.xml',
      'ObjectPool/_1234567893',
      'ObjectPool/_1234567894/package',
      'ObjectPool/_1234567895',
      'ObjectPool/_1234567896/package',
      'ObjectPool/_1234567897',
      'ObjectPool/_1234567898/package',
    ]);
    // each embedding is a file of its own kind: the caller can recurse
    const kinds = r.embedded.map((e) => sniffDocument(e.bytes, e.name));
    expect(kinds).toEqual(['text', 'pdf', 'xml', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx']);
    for (const e of r.embedded) {
      const sub = await extractText(e.bytes, { name: e.name });
      expect(sub.gaps.filter((g) => g.kind === 'corrupt'), e.name).toEqual([]);
    }
  });

  it('WPS .xls and .pptx with embedded objects', async () => {
    const x = await extractText(fixture('corpus/office/testWPSAttachment.xls'));
    expect(x.format).toBe('xls');
    expect(partText(x, 'sheet-names')).toBe('Sheet1\nSheet2\nSheet3');
    expect(x.embedded).toHaveLength(9);
    const p = await extractText(fixture('corpus/office/testWPSAttachment.pptx'));
    expect(p.format).toBe('pptx');
    expect(p.meta?.producer).toMatch(/^WPS/);
    expect(p.embedded.map((e) => e.name)).toContain('ppt/embeddings/Document2.docx');
    expect(p.embedded).toHaveLength(9);
    expect(partText(p, /slideMaster/)).toContain('单击此处编辑母版标题样式');
  });

  it('plaso Document.doc / .docx (English negatives)', async () => {
    const d = await extractText(fixture('corpus/office/plaso-Document.doc'));
    expect(partText(d, 'body')).toContain('This is a document!!');
    expect(partText(d, 'properties')).toContain('title: Table of Context');
    expect(partText(d, 'properties')).toContain('author: DAVID NIDES');
    const x = await extractText(fixture('corpus/office/plaso-Document.docx'));
    expect(partText(x, 'word/document.xml')).toContain('I love plaso!');
    expect(partNames(x)).toContain('properties');
  });
});
