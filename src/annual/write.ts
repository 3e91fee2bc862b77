// Writing the annual report: the format from the file name's extension, written atomically (a
// temporary name in the same folder, synced, renamed; as scan writes its reports). The .json is
// written as a stream, one machine of the appendix at a time, so that a large season is never one
// giant string in memory; it is the same bytes prettyJson would give (keys sorted at every level).
import { extname } from 'node:path';
import { prettyJson } from '../report/json.js';
import { writeAtomic, writeAtomicChunks } from '../report/sign.js';
import { buildDocument } from './document.js';
import { renderAnnualHtml } from './render-html.js';
import { renderMarkdown } from './render-md.js';
import type { Annual } from './types.js';

export const FORMATS = ['.json', '.md', '.html', '.xlsx', '.docx'] as const;
export type Format = (typeof FORMATS)[number];

export function formatOf(path: string): Format | undefined {
  const e = extname(path).toLowerCase();
  return (FORMATS as readonly string[]).includes(e) ? (e as Format) : e === '.htm' ? '.html' : e === '.markdown' ? '.md' : undefined;
}

/**
 * The aggregate as pretty canonical JSON, in pieces. `appendix` sorts first of the top-level keys,
 * so the pieces are: the opening, each machine (indented one level deeper), then the rest.
 */
export function* annualJsonChunks(a: Annual): Generator<string> {
  const { appendix, ...rest } = a;
  const tail = prettyJson(rest);
  if (Object.keys(rest).some((k) => k < 'appendix')) throw new Error('appendix must be the first key');
  if (appendix.length === 0) {
    yield `{\n  "appendix": [],\n${tail.slice(2)}`;
    return;
  }
  yield '{\n  "appendix": [\n';
  for (let i = 0; i < appendix.length; i++) {
    const one = prettyJson(appendix[i]).trimEnd().replace(/\n/g, '\n    ');
    yield `    ${one}${i < appendix.length - 1 ? ',' : ''}\n`;
  }
  yield `  ],\n${tail.slice(2)}`;
}


export async function annualBytes(a: Annual, format: Format): Promise<Buffer> {
  if (format === '.json') return Buffer.from([...annualJsonChunks(a)].join(''), 'utf8');
  const d = buildDocument(a, a.lang);
  switch (format) {
    case '.md':
      return Buffer.from(renderMarkdown(d), 'utf8');
    case '.html':
      return Buffer.from(renderAnnualHtml(d), 'utf8');
    case '.xlsx':
      // Loaded only when asked for: exceljs and docx are large, and every other command would pay for them.
      return (await import('./render-xlsx.js')).renderXlsx(d, a);
    case '.docx':
      return (await import('./render-docx.js')).renderDocx(d);
  }
}

export async function writeAnnual(a: Annual, path: string): Promise<void> {
  const f = formatOf(path);
  if (f === undefined) throw new Error(`unknown format ${extname(path)}`);
  if (f === '.json') await writeAtomicChunks(path, annualJsonChunks(a));
  else await writeAtomic(path, await annualBytes(a, f), false);
}
