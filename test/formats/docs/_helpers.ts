import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractResult } from '../../../src/formats/docs/index.js';

export const FIX = fileURLToPath(new URL('../../../fixtures/documents/', import.meta.url));

export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(FIX + rel));
}

/** The text of the parts whose name matches (all parts when no matcher). */
export function partText(r: ExtractResult, name?: string | RegExp): string {
  return r.parts
    .filter((p) => name === undefined || (typeof name === 'string' ? p.name === name : name.test(p.name)))
    .map((p) => p.text)
    .join('\n');
}

export function partNames(r: ExtractResult): string[] {
  return r.parts.map((p) => p.name);
}

/** Whitespace between CJK characters removed (what the marking normaliser will do). */
export function squeeze(s: string): string {
  return s.replace(/(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])/g, '');
}
