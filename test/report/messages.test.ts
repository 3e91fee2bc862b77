// The message catalogue: every entry in both languages, and words for every coverage kind a probe
// emits (found by reading the sources: `kind: '…'` in a coverage push, `ctx.gap('…'`).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_WORDS, cliText, COVERAGE_KINDS, FIELD_LABELS_ZH, VALUE_WORDS_ZH } from '../../src/report/messages.js';
import { foreignWordsIn } from '../cli/_foreign-words.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Coverage kinds the code emits: `coverage.push({ kind: 'x'`, `gaps.push({ kind: 'x'`, `extra.push({ … kind: 'x'`, `ctx.gap('x'`. */
function emittedKinds(): Set<string> {
  const out = new Set<string>();
  for (const f of sources(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:coverage|gaps|extra)\.push\(\{[^}]{0,200}?\bkind: '([a-z-]+)'/g)) out.add(m[1]!);
    for (const m of text.matchAll(/\.gap\('([a-z-]+)'/g)) out.add(m[1]!);
  }
  return out;
}

describe('message catalogue', () => {
  it('every coverage kind has Chinese and English words', () => {
    for (const [k, w] of Object.entries(COVERAGE_KINDS)) {
      expect(w.zh.trim(), k).not.toBe('');
      expect(w.en.trim(), k).not.toBe('');
      expect(w.zh, k).toMatch(/\p{Script=Han}/u);
    }
    for (const [k, w] of [...Object.entries(FIELD_LABELS_ZH), ...Object.entries(VALUE_WORDS_ZH)]) expect(w.trim(), k).not.toBe('');
  });
  it('every coverage kind a probe emits has words here', () => {
    const kinds = emittedKinds();
    expect(kinds.size).toBeGreaterThan(20);
    const missing = [...kinds].filter((k) => COVERAGE_KINDS[k] === undefined).sort();
    expect(missing).toEqual([]);
  });
  it('every CLI entry has both languages, the same slots in each, and no English word in the Chinese', () => {
    const entries = Object.entries(CLI_WORDS);
    expect(entries.length).toBeGreaterThan(200);
    const names = ['baomi', 'help', 'scan', 'verify', 'inspect', 'keys', 'generate', 'ledger', 'validate', 'rules', 'list', 'show', 'test'];
    const slots = (t: string): string[] => [...t.matchAll(/\{(\w+)[}|]/g)].map((m) => m[1]!).sort();
    for (const [k, w] of entries) {
      expect(w.zh.trim(), k).not.toBe('');
      expect(w.en.trim(), k).not.toBe('');
      // English words (outside slots and placeholders) have Chinese ones.
      if (/[a-z]{3}/.test(w.en.replace(/\{[^}]*\}|<[^>]*>|\[[^\]]*\]/g, '')) && !k.startsWith('ph.')) expect(w.zh, k).toMatch(/\p{Script=Han}/u);
      expect(foreignWordsIn(w.zh, names), k).toEqual([]);
      // The English may say less than the Chinese never: every slot of one is in the other (a key's
      // English may add the system's own message, which the Chinese leaves out).
      expect(slots(w.zh).filter((x) => !slots(w.en).includes(x)), k).toEqual([]);
    }
  });
  it('slots are filled, English plurals follow the number', () => {
    expect(cliText('ledger.ok', 'en', { warnings: 1 })).toBe('ok (1 warning)');
    expect(cliText('ledger.ok', 'en', { warnings: 0 })).toBe('ok (0 warnings)');
    expect(cliText('ledger.ok', 'zh', { warnings: 3 })).toBe('台账可用（3 个警告）');
    expect(cliText('verify.ok', 'zh', { file: 'a.json', keyId: 'k' })).toBe('通过  a.json  k');
  });
});

describe('messages as keys (src/report/messages-keys.ts)', () => {
  it('every key renders in both languages; Chinese has no English word outside its parameters', async () => {
    const { MESSAGES, msg, msgText, isMsg } = await import('../../src/report/messages.js');
    const params = { modes: 'live/offline', mode: 'offline', family: 'macos', observations: 3, ms: 100, detail: 'boom', class: '0x0280', vid: '046d', pid: 'c52b', name: 'NAMEPARAM', source: 'SOURCEPARAM', type: 'wlan', iface: 'wlan0', driver: 'iwlwifi', device: '0000:00:14.3', busPath: '1-1.3', kind: 'wifi', ifType: 243 };
    const values = Object.values(params).map(String).sort((a, b) => b.length - a.length);
    expect(Object.keys(MESSAGES).length).toBeGreaterThan(30);
    for (const key of Object.keys(MESSAGES)) {
      const m = msg(key, params);
      expect(isMsg(m), key).toBe(true);
      expect(m.text.trim(), key).not.toBe('');
      const zh = msgText(m, 'zh');
      expect(zh, key).toMatch(/\p{Script=Han}/u);
      let rest = zh;
      for (const v of values) rest = rest.split(v).join(' ');
      // acronyms in capitals (USB, PCI, IEEE), hex and paths are not words of the report
      rest = rest.replace(/\b[A-Z][A-Z0-9]{1,7}\b/g, ' ').replace(/\S*\/\S*/g, ' ').replace(/\{[0-9a-f-…]+\}/g, ' ');
      expect(rest.match(/[A-Za-z]{2,}/g), `${key}: ${zh}`).toBeNull();
    }
    expect(() => msg('no.such.key')).toThrow(/no message/);
    // a newer report's unknown key falls back to its English text
    expect(msgText({ key: 'from.the.future', text: 'as written' }, 'zh')).toBe('as written');
  });

  it('every msg(…) key the code uses is in the catalogue', async () => {
    const { MESSAGES } = await import('../../src/report/messages.js');
    const used = new Set<string>();
    for (const f of sources(SRC)) for (const m of readFileSync(f, 'utf8').matchAll(/\bmsg\('([a-z0-9.-]+)'/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((k) => MESSAGES[k] === undefined)).toEqual([]);
  });
});
