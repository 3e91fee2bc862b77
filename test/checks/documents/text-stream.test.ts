// Plain text read window by window (the walk's big text files and .gz streams).
import { describe, expect, it } from 'vitest';
import { byteNeedles } from '../../../src/checks/documents/prefilter.js';
import { OVERLAP, TextMarkings } from '../../../src/checks/documents/text-stream.js';
import { loadMarkingGrammar } from '../../../src/formats/markings.js';

const grammar = loadMarkingGrammar();
const needles = byteNeedles(grammar.keywords);

describe('TextMarkings', () => {
  it('a marking in the overlap of two windows is reported once, at its offset in the whole text', () => {
    const text = Buffer.from(`${'x'.repeat(10_000)}\n机密★5年\n${'y'.repeat(10_000)}\n`);
    const at = text.indexOf(Buffer.from('机密'));
    const m = new TextMarkings({ grammar, keywords: [] }, needles, 'log');
    // windows of 8 KiB + overlap, as the walk reads them: the marking sits in the second and third
    const step = 8192;
    for (let pos = 0; pos < text.length; pos += step) m.window(text.subarray(pos, pos + step + OVERLAP), pos, pos === 0 ? ['app.log'] : undefined);
    expect(m.markings.map((x) => [x.level, x.text, x.inner, x.part, x.offset])).toEqual([['机密', '机密★5年', 'log', 'text', at]]);
  });

  it('names are matched when given; a window with no keyword byte is not decoded (and finds nothing)', () => {
    const m = new TextMarkings({ grammar, keywords: [] }, needles, '');
    m.window(Buffer.from('plain ascii only\n'), 0, ['绝密★长期-计划.txt', undefined]);
    m.window(Buffer.from('more ascii\n'), 4096, undefined);
    expect(m.markings.map((x) => [x.part, x.text])).toEqual([['file-name', '绝密★长期']]);
  });

  it('only the first window is the start of the text: a bare level word opening a later window is not a marking', () => {
    const body = Buffer.from('机密\n关于年度工作安排的通知，请各部门认真落实。\n');
    const first = new TextMarkings({ grammar, keywords: [] }, needles, '');
    first.window(body, 0, ['note.txt']);
    expect(first.markings.map((x) => [x.level, x.text])).toEqual([['机密', '机密']]);
    // the same bytes 1 MiB into a file: the word stands at the start of the window, not of the text
    const later = new TextMarkings({ grammar, keywords: [] }, needles, '');
    later.window(body, 1 << 20, undefined);
    expect(later.markings).toEqual([]);
  });
});
