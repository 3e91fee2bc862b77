/** Files made by LibreOffice 7.4 from the templates in fixtures/documents/src (see PROVENANCE.md). */
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../src/formats/docs/index.js';
import { fixture, partNames, partText, squeeze } from './_helpers.js';

describe('LibreOffice-made word-processing files', () => {
  it('docx: body, header, footer, footnote, comment, text box, deleted text, properties, each in its part', async () => {
    const r = await extractText(fixture('made/writer.docx'), { name: 'writer.docx' });
    expect(r.format).toBe('docx');
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'word/document.xml')).toContain('今天天气晴朗，我们去公园散步。TKDOCX-BODY');
    expect(partText(r, 'word/document.xml')).toContain('最后一段：会议定于下午三点召开 TKDOCX-END');
    expect(partText(r, 'word/document.xml')).toContain('单元格乙 TKDOCX-TABLE');
    expect(partText(r, 'word/header1.xml')).toContain('页眉文字：内部测试样本 TKDOCX-HEADER');
    expect(partText(r, 'word/footer1.xml')).toContain('页脚文字：第一页 TKDOCX-FOOTER');
    expect(partText(r, 'word/footnotes.xml')).toContain('脚注内容：柳树是常见树种 TKDOCX-FOOTNOTE');
    expect(partText(r, 'word/comments.xml')).toContain('批注内容：请核对日期 TKDOCX-COMMENT');
    expect(partText(r, 'word/document.xml#textboxes')).toContain('文本框里的文字 TKDOCX-TEXTBOX');
    expect(partText(r, 'word/document.xml#deleted')).toContain('已删除的句子 TKDOCX-DELETED');
    expect(partText(r, 'word/document.xml')).not.toContain('TKDOCX-DELETED');
    expect(partText(r, 'properties')).toContain('样本文档标题 TKDOCX-TITLE');
    expect(partText(r, 'properties')).toContain('样本属性: 属性值 TKDOCX-PROP');
    expect(partText(r, 'file-name')).toBe('writer.docx');
    expect(r.meta?.producer).toMatch(/^LibreOffice/);
  });

  it('doc (Word 97 binary): stories separated from the piece table', async () => {
    const r = await extractText(fixture('made/writer.doc'), { name: 'writer.doc' });
    expect(r.format).toBe('doc');
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'body')).toContain('今天天气晴朗，我们去公园散步。');
    expect(partText(r, 'body')).toContain('TKDOC-BODY');
    expect(partText(r, 'body')).toContain('单元格甲\t单元格乙 TKDOC-TABLE');
    expect(partText(r, 'headers')).toContain('页眉文字：内部测试样本 TKDOC-HEADER');
    expect(partText(r, 'headers')).toContain('页脚文字：第一页 TKDOC-FOOTER');
    expect(partText(r, 'footnotes')).toContain('脚注内容：柳树是常见树种 TKDOC-FOOTNOTE');
    expect(partText(r, 'comments')).toContain('批注内容：请核对日期 TKDOC-COMMENT');
    expect(partText(r, 'textboxes')).toContain('文本框里的文字 TKDOC-TEXTBOX');
    // Word binary keeps tracked deletions in the text stream (marked by formatting only)
    expect(partText(r, 'body')).toContain('已删除的句子 TKDOC-DELETED');
    expect(partText(r, 'properties')).toContain('title: 样本文档标题 TKDOC-TITLE');
  });

  it('the same file named .wps is format wps (WPS Office writes Word binary files)', async () => {
    const r = await extractText(fixture('made/writer.doc'), { name: '通知.wps' });
    expect(r.format).toBe('wps');
    expect(partText(r, 'body')).toContain('TKDOC-BODY');
  });

  it('odt: content, header/footer from styles.xml, comments, deletions, meta', async () => {
    const r = await extractText(fixture('made/writer.odt'));
    expect(r.format).toBe('odt');
    expect(r.gaps).toEqual([]);
    expect(partText(r, 'content.xml')).toContain('今天天气晴朗，我们去公园散步。TKODT-BODY');
    expect(partText(r, 'content.xml')).toContain('文本框里的文字 TKODT-TEXTBOX');
    expect(partText(r, 'content.xml')).toContain('脚注内容：柳树是常见树种 TKODT-FOOTNOTE');
    expect(partText(r, 'styles.xml')).toContain('页眉文字：内部测试样本 TKODT-HEADER');
    expect(partText(r, 'styles.xml')).toContain('页脚文字：第一页 TKODT-FOOTER');
    expect(partText(r, 'content.xml#comments')).toContain('批注内容：请核对日期 TKODT-COMMENT');
    expect(partText(r, 'content.xml#comments')).not.toContain('审阅人');
    expect(partText(r, 'content.xml#deleted')).toContain('已删除的句子 TKODT-DELETED');
    expect(partText(r, 'properties')).toContain('样本属性: 属性值 TKODT-PROP');
  });

  it('rtf: \\u escapes, headers/footers, footnotes, annotations, \\info title (Unicode half of \\upr)', async () => {
    const r = await extractText(fixture('made/writer.rtf'));
    expect(r.format).toBe('rtf');
    expect(partText(r, 'body')).toContain('今天天气晴朗，我们去公园散步。');
    expect(partText(r, 'body')).toContain('最后一段：会议定于下午三点召开 TKRTF-END');
    expect(partText(r, 'body')).toContain('文本框里的文字 TKRTF-TEXTBOX');
    expect(partText(r, 'headers')).toContain('页眉文字：内部测试样本 TKRTF-HEADER');
    expect(partText(r, 'headers')).toContain('页脚文字：第一页 TKRTF-FOOTER');
    expect(partText(r, 'footnotes')).toContain('脚注内容：柳树是常见树种 TKRTF-FOOTNOTE');
    expect(partText(r, 'comments')).toContain('批注内容：请核对日期 TKRTF-COMMENT');
    expect(partText(r, 'properties')).toContain('title: 样本文档标题 TKRTF-TITLE');
    expect(partText(r, 'properties')).not.toContain('?');
    expect(partText(r)).not.toMatch(/WenQuanYi|Times New Roman|\\\\/);
  });

  it('pdf: one part per page with every story on it', async () => {
    const r = await extractText(fixture('made/writer.pdf'));
    expect(r.format).toBe('pdf');
    expect(r.gaps).toEqual([]);
    expect(r.meta?.pages).toBe(1);
    const t = squeeze(partText(r, 'page:1'));
    for (const s of ['今天天气晴朗，我们去公园散步。', 'TKPDF-HEADER', 'TKPDF-FOOTER', 'TKPDF-FOOTNOTE', 'TKPDF-TEXTBOX', '会议定于下午三点召开']) expect(t).toContain(s);
  });
});

describe('LibreOffice-made spreadsheets', () => {
  for (const [file, tok] of [
    ['made/calc.xlsx', 'TKXLSX'],
    ['made/calc.xls', 'TKXLS'],
    ['made/calc.ods', 'TKODS'],
  ] as const) {
    it(`${file}: sheet names, cells by sheet, header/footer, comment`, async () => {
      const r = await extractText(fixture(file));
      expect(r.format).toBe(file.split('.').pop());
      expect(r.gaps).toEqual([]);
      expect(partText(r, 'sheet-names').split('\n')).toEqual(['人员名单', `第二页${tok}`]);
      expect(partText(r, 'sheet:人员名单')).toContain(`负责采购 ${tok}-CELL1`);
      expect(partText(r, 'sheet:人员名单')).toContain('财务处');
      expect(partText(r, `sheet:第二页${tok}`)).toContain(`第二张工作表的内容：明天上午开会 ${tok}-CELL2`);
      expect(partText(r)).toContain(`左侧页眉 ${tok}-HEADER`);
      expect(partText(r)).toContain(`页脚说明 ${tok}-FOOTER`);
      expect(partText(r)).toContain(`单元格批注 ${tok}-COMMENT`);
      expect(partText(r, 'properties')).toContain(`表格标题 ${tok}-TITLE`);
      expect(r.meta?.pages).toBe(2);
    });
  }
  it('xls/xlsx: cells of a row are joined by tabs', async () => {
    const r = await extractText(fixture('made/calc.xls'));
    expect(partText(r, 'sheet:人员名单').split('\n')[0]).toBe('姓名\t部门\t备注');
    expect(partText(r, 'header-footer:人员名单')).toContain('左侧页眉 TKXLS-HEADER');
    expect(partText(r, 'comments:人员名单')).toContain('单元格批注 TKXLS-COMMENT');
  });
});

describe('LibreOffice-made presentations', () => {
  for (const [file, tok] of [
    ['made/impress.pptx', 'TKPPTX'],
    ['made/impress.ppt', 'TKPPT'],
    ['made/impress.odp', 'TKODP'],
  ] as const) {
    it(`${file}: slides and notes`, async () => {
      const r = await extractText(fixture(file));
      expect(r.format).toBe(file.split('.').pop());
      expect(r.gaps).toEqual([]);
      expect(partText(r, 'slide:1')).toContain(`第一张幻灯片：年度工作总结 ${tok}-SLIDE1`);
      expect(partText(r, 'slide:1')).toContain('二、组织了读书活动');
      expect(partText(r, 'slide:2')).toContain(`第二张幻灯片：明年计划 ${tok}-SLIDE2`);
      expect(partText(r, /^notes:/)).toContain(`演讲者备注：语速放慢 ${tok}-NOTES1`);
      expect(partText(r, 'properties')).toContain(`演示标题 ${tok}-TITLE`);
      expect(partNames(r).indexOf('slide:1')).toBeLessThan(partNames(r).indexOf('slide:2'));
    });
  }
  it('pptx notes are numbered by their slide', async () => {
    const r = await extractText(fixture('made/impress.pptx'));
    expect(partText(r, 'notes:1')).toContain('TKPPTX-NOTES1');
  });
});
