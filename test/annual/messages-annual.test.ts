// The annual report's catalogue (src/report/messages-annual.ts): every entry in both languages, the
// Chinese ones in Chinese, the same placeholders in both; re-exported by the report catalogue.
import { describe, expect, it } from 'vitest';
import * as all from '../../src/report/messages.js';
import {
  ANNUAL_EXCLUSION_WORDS,
  ANNUAL_LEDGER_STATUS_WORDS,
  ANNUAL_NARRATIVE,
  ANNUAL_PROBE_STATUS_WORDS,
  ANNUAL_PROFILE_WORDS,
  ANNUAL_SEVERITY_WORDS,
  ANNUAL_WORDS,
  fillWords,
} from '../../src/report/messages-annual.js';

const tables = { ANNUAL_WORDS, ANNUAL_NARRATIVE, ANNUAL_EXCLUSION_WORDS, ANNUAL_PROBE_STATUS_WORDS, ANNUAL_PROFILE_WORDS, ANNUAL_SEVERITY_WORDS, ANNUAL_LEDGER_STATUS_WORDS };
const holes = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('annual catalogue', () => {
  it('is re-exported by the report catalogue', () => {
    expect((all as Record<string, unknown>)['ANNUAL_WORDS']).toBe(ANNUAL_WORDS);
  });
  it('every entry has both languages, Chinese in Chinese, the same placeholders', () => {
    for (const [name, t] of Object.entries(tables)) {
      for (const [k, w] of Object.entries(t as Record<string, { zh: string; en: string }>)) {
        const id = `${name}.${k}`;
        expect(w.en.trim(), id).not.toBe('');
        if (k !== 'listSep') expect(w.zh, id).toMatch(/\p{Script=Han}/u);
        expect(holes(w.zh), id).toEqual(holes(w.en));
      }
    }
  });
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fillWords(ANNUAL_WORDS.manyTitle.zh, { n: 3 })).toBe('同一USB存储介质在3台及以上计算机上使用');
    expect(fillWords('{a}{b}', { a: 1 })).toBe('1{b}');
  });
});
