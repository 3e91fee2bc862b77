// The annual report as one self-contained HTML page (the per-machine report's style): charts inline
// as SVG, tables, printable on A4. No script and no external resource: a Content-Security-Policy
// allows only the page's own style (by hash); every text from the reports is escaped.
import { createHash } from 'node:crypto';
import { printable } from '../target/resolve.js';
import { esc } from '../report/html.js';
import { chartSvg } from './charts.js';
import type { AnnualDocument, Cell, Table } from './document.js';

const t = (s: string): string => esc(printable(s));

const CSS = `
:root{--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC","SimHei",system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px 20px;color:#1f2328;font-size:14px;line-height:1.6}
h1{font-size:24px;margin:0 0 4px;text-align:center}h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:2px;margin:28px 0 8px}h3{font-size:15px;margin:16px 0 6px}
.sub{color:#57606a;margin:0 0 12px;text-align:center}
p.lead{text-indent:2em;font-size:15px}
p.note{color:#57606a;font-size:13px}
table.t{border-collapse:collapse;width:100%;margin:4px 0 12px;font-size:13px}
table.t th,table.t td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
table.t th{background:var(--soft)}
table.t td.num{text-align:right;white-space:nowrap}table.t td.w{overflow-wrap:anywhere}
table.t tfoot td{font-weight:bold;background:var(--soft)}
table.t tbody tr:nth-child(even){background:#fbfcfd}
figure{margin:8px 0 16px}svg.chart{max-width:100%;height:auto}
nav.toc{font-size:13px;text-align:center}nav.toc a{margin:0 8px}
@page{size:A4;margin:14mm 12mm}
@media print{
  body{max-width:none;padding:0;font-size:10pt}
  nav.toc{display:none}
  table.t{font-size:8.5pt}
  thead{display:table-header-group}tr,figure{break-inside:avoid}h2,h3{break-after:avoid}
  a{color:inherit;text-decoration:none}
}
`;

const sha256b64 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');
export const ANNUAL_CSP = `default-src 'none'; style-src 'sha256-${sha256b64(CSS)}'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;

function cellHtml(c: Cell): string {
  return typeof c === 'number' ? `<td class="num">${c}</td>` : `<td class="w">${t(c)}</td>`;
}

function tableHtml(tb: Table): string {
  const head = `<thead><tr>${tb.columns.map((c) => `<th>${t(c.label)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${tb.rows.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('\n')}</tbody>`;
  const foot = tb.totals ? `<tfoot><tr>${tb.totals.map(cellHtml).join('')}</tr></tfoot>` : '';
  return `<table class="t" id="${esc(tb.id)}" data-rows="${tb.rows.length}">${head}${body}${foot}</table>`;
}

export function renderAnnualHtml(d: AnnualDocument): string {
  const body: string[] = [];
  for (const s of d.sections) {
    body.push(`<section id="${esc(s.id)}"><h2>${t(s.title)}</h2>`);
    let first = true;
    for (const b of s.blocks) {
      if (b.kind === 'p') body.push(`<p class="${b.note ? 'note' : first && s.id === 'overview' ? 'lead' : ''}">${t(b.text)}</p>`);
      else if (b.kind === 'h') body.push(`<h3>${t(b.text)}</h3>`);
      else if (b.kind === 'table') body.push(tableHtml(b.table));
      else body.push(`<figure id="${esc(b.chart.id)}">${chartSvg(b.chart, printable)}</figure>`);
      first = false;
    }
    body.push('</section>');
  }
  return `<!DOCTYPE html>
<html lang="${d.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(ANNUAL_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(d.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${t(d.title)}</h1><p class="sub">${t(d.subtitle)}</p>
<nav class="toc">${d.sections.map((s) => `<a href="#${esc(s.id)}">${t(s.title)}</a>`).join('')}</nav></header>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}
