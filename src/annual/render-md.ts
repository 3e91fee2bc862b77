// The annual report as Markdown (to paste into a unit's own report): headings, paragraphs, pipe
// tables. Text from the reports is made printable and its Markdown and HTML characters escaped, so
// a host or file name cannot become a link, a heading or markup.
import { printable } from '../target/resolve.js';
import type { AnnualDocument, Cell, Table } from './document.js';

export function mdText(s: string): string {
  return printable(s)
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

const cell = (c: Cell): string => (typeof c === 'number' ? String(c) : mdText(c) || ' ');

function mdTable(t: Table): string {
  const head = `| ${t.columns.map((c) => mdText(c.label)).join(' | ')} |`;
  const rule = `| ${t.columns.map((c) => (c.num ? '---:' : '---')).join(' | ')} |`;
  const rows = t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  if (t.totals) rows.push(`| ${t.totals.map((c, i) => (i === 0 ? `**${cell(c)}**` : cell(c))).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

export function renderMarkdown(d: AnnualDocument): string {
  const out: string[] = [`# ${mdText(d.title)}`, '', `_${mdText(d.subtitle)}_`, ''];
  for (const s of d.sections) {
    out.push(`## ${mdText(s.title)}`, '');
    for (const b of s.blocks) {
      if (b.kind === 'p') out.push(b.note ? `> ${mdText(b.text)}` : mdText(b.text), '');
      else if (b.kind === 'h') out.push(`### ${mdText(b.text)}`, '');
      else if (b.kind === 'table') out.push(mdTable(b.table), '');
      else {
        // A chart in Markdown is its numbers: a small table.
        const c = b.chart;
        out.push(`**${mdText(c.title)}**`, '', mdTable({ id: c.id, columns: [{ label: '' }, ...c.series.map((x) => ({ label: x.name, num: true }))], rows: c.categories.map((cat, i) => [cat, ...c.series.map((x) => x.values[i] ?? 0)]) }), '');
      }
    }
  }
  return out.join('\n');
}
