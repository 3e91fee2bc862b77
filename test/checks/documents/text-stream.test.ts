// Plain text read window by window (the walk's big text files and .gz streams).
import { describe, expect, it } from 'vitest';
import { byteNeedles } from '../../../src/checks/documents/prefilter.js';
import { TextMarkings, TextWindows } from '../../../src/checks/documents/text-stream.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';

const grammar = loadMarkingGrammar();
const needles = byteNeedles(grammar.keywords);

describe('TextMarkings', () => {
  it('a marking across the border of two pieces is reported once, at its offset in the whole text (UTF-16 code units)', () => {
    const text = Buffer.from(`${'x'.repeat(10_000)}\n机密★5年\n${'y'.repeat(10_000)}\n`);
    const at = text.indexOf(Buffer.from('机密')); // all ASCII before it: bytes = characters
    const m = new TextMarkings({ grammar, keywords: [] }, needles, 'log');
    const w = new TextWindows(m, ['app.log']);
    // pieces of 8 KiB as a stream gives them, one border inside the marking
    for (let pos = 0; pos < text.length; pos += 8192) w.feed(text.subarray(pos, pos + 8192));
    w.end();
    expect(m.markings.map((x) => [x.level, x.text, x.inner, x.part, x.offset])).toEqual([['机密', '机密★5年', 'log', 'text', at]]);
  });

  it('names are matched when given; a text with no keyword finds nothing', () => {
    const m = new TextMarkings({ grammar, keywords: [] }, needles, '');
    const w = new TextWindows(m, ['绝密★长期-计划.txt', undefined]);
    w.feed(Buffer.from('plain ascii only\n'));
    w.feed(Buffer.from('more ascii\n'));
    w.end();
    expect(m.markings.map((x) => [x.part, x.text])).toEqual([['file-name', '绝密★长期']]);
  });

  it('only the first window is the start of the text: a bare level word opening a later window is not a marking', () => {
    const body = '机密\n关于年度工作安排的通知，请各部门认真落实。\n';
    const first = new TextMarkings({ grammar, keywords: [] }, needles, '');
    first.textWindow(body, 0, 0, body.length);
    expect(first.markings.map((x) => [x.level, x.text])).toEqual([['机密', '机密']]);
    // the same text 1 Mi characters into a text: the word stands at the start of the window, not of the text
    const later = new TextMarkings({ grammar, keywords: [] }, needles, '');
    later.textWindow(body, 1 << 20, 0, Infinity);
    expect(later.markings).toEqual([]);
  });
  it('a long ASCII start does not decide the encoding: GBK after 2 MiB of English lines is read as GBK, by the walk\'s pieces and by scanFile alike', async () => {
    const { gbkBytes } = await import('../../../src/checks/documents/prefilter.js');
    const { scanFile } = await import('../../../src/checks/documents/scan-file.js');
    const ascii = Buffer.alloc(2 * 1024 * 1024 + 17, 'INFO request served in 3 ms\n');
    const gbk = Buffer.concat([...'\n秘密★1年\n关于召开会议的通知\n'].map((ch) => gbkBytes(ch)!));
    const text = Buffer.concat([ascii, gbk]);
    const m = new TextMarkings({ grammar, keywords: [] }, needles, '');
    const w = new TextWindows(m, ['app.log']);
    for (let pos = 0; pos < text.length; pos += 1 << 20) w.feed(text.subarray(pos, pos + (1 << 20)));
    w.end();
    const s = await scanFile(text, { name: 'app.log', grammar });
    const view = (x: Array<{ text: string; offset: number }>): unknown => x.map((y) => [y.text, y.offset]);
    expect(view(m.markings)).toEqual([['秘密★1年', ascii.length + 1]]);
    expect(view(s.markings)).toEqual(view(m.markings));
  });
});
