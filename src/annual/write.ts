// Writing the annual report: the format from the file name's extension, the bytes made in memory
// and written atomically (a temporary name in the same folder, synced, renamed; as scan writes).
import { extname } from 'node:path';
import { prettyJson } from '../report/json.js';
import { writeAtomic } from '../report/sign.js';
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

export async function annualBytes(a: Annual, format: Format): Promise<Buffer> {
  if (format === '.json') return Buffer.from(prettyJson(a), 'utf8');
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
  await writeAtomic(path, await annualBytes(a, f), false);
}
