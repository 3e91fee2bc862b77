// The annual report as a Word document (the `docx` package): A4, headings, the narrative paragraph,
// tables, and each chart as a picture (SVG with its names, and a PNG for Word versions without SVG).
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { printable } from '../target/resolve.js';
import { chartPng, chartSvg } from './charts.js';
import { words, type AnnualDocument, type Cell, type Table as DocTable } from './document.js';

/**
 * Rows of one table in the Word document at most: a Word table of ten thousand computers is some
 * three hundred pages and takes gigabytes to build; past this the table says where the full list is.
 */
export const DOCX_MAX_ROWS = 1000;

/** XML 1.0 cannot carry most control characters at all: printable() shows them as \xNN first. */
const txt = (c: Cell): string => (typeof c === 'number' ? String(c) : printable(c));

function cellOf(c: Cell, header: boolean): TableCell {
  return new TableCell({
    children: [new Paragraph({ alignment: typeof c === 'number' ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text: txt(c), bold: header, size: 18 })] })],
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F6F8FA' } } : {}),
  });
}

function tableOf(t: DocTable): Table {
  const rows = [
    new TableRow({ tableHeader: true, children: t.columns.map((c) => cellOf(c.label, true)) }),
    ...t.rows.slice(0, DOCX_MAX_ROWS).map((r) => new TableRow({ children: r.map((c) => cellOf(c, false)) })),
    ...(t.totals ? [new TableRow({ children: t.totals.map((c) => cellOf(c, true)) })] : []),
  ];
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

export async function renderDocx(d: AnnualDocument): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(printable(d.title))] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: printable(d.subtitle), color: '57606A', size: 18 })] }),
  ];
  for (const s of d.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(printable(s.title))] }));
    let first = true;
    for (const b of s.blocks) {
      if (b.kind === 'p') {
        children.push(new Paragraph({ ...(first && s.id === 'overview' ? { indent: { firstLine: 480 } } : {}), children: [new TextRun({ text: printable(b.text), ...(b.note ? { color: '57606A', size: 18 } : {}) })] }));
      } else if (b.kind === 'h') {
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(printable(b.text))] }));
      } else if (b.kind === 'table') {
        children.push(tableOf(b.table));
        if (b.table.rows.length > DOCX_MAX_ROWS) {
          children.push(new Paragraph({ children: [new TextRun({ text: words(d.lang)('docxTruncated', { shown: DOCX_MAX_ROWS, total: b.table.rows.length }), color: '9A6700', size: 18 })] }));
        }
        children.push(new Paragraph(''));
      } else {
        const png = chartPng(b.chart);
        const svg = Buffer.from(chartSvg(b.chart, printable), 'utf8');
        const width = 600;
        const height = Math.round((png.height / png.width) * width);
        children.push(new Paragraph({ children: [new TextRun({ text: printable(b.chart.title), bold: true })] }));
        children.push(new Paragraph({
          children: [new ImageRun({ type: 'svg', data: svg, fallback: { type: 'png', data: png.png }, transformation: { width, height }, altText: { name: b.chart.id, title: printable(b.chart.title), description: printable(b.chart.title) } })],
        }));
      }
      first = false;
    }
  }
  const doc = new Document({
    creator: 'baomi',
    title: printable(d.title),
    styles: { default: { document: { run: { font: { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'SimSun' }, size: 21 } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1000, bottom: 1000, left: 900, right: 900 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
