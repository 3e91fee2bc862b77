import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBE_MAP } from '../../src/checks/index.js';
import { BUILTIN_RULES_DIR, formatProblem, loadRules, rulesDigest, selectRules } from '../../src/engine/rules.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'rules');

interface Expect {
  line: number;
  field: string;
  text: string;
}

function expectations(text: string): Expect[] {
  return [...text.matchAll(/^# expect: (\d+) ([^:]*): (.+)$/gm)].map((m) => ({ line: Number(m[1]), field: m[2]!, text: m[3]! }));
}

describe('built-in rules', () => {
  it('all load with no problem', async () => {
    const r = await loadRules([{ path: BUILTIN_RULES_DIR, builtin: true }], PROBE_MAP);
    expect(r.problems.map((p) => formatProblem(p))).toEqual([]);
    expect(r.rules.length).toBeGreaterThan(0);
  });
});

describe('valid rule files', async () => {
  const files = await readdir(join(FIX, 'valid'));
  it.each(files)('%s loads', async (f) => {
    const r = await loadRules([{ path: join(FIX, 'valid', f), builtin: false }], PROBE_MAP);
    expect(r.problems.map((p) => formatProblem(p))).toEqual([]);
    expect(r.rules.length).toBeGreaterThan(0);
  });
});

describe('rule-file problems in Chinese', async () => {
  const files = await readdir(join(FIX, 'invalid'));
  it('every problem of every invalid fixture has its Chinese text, with no English word outside names and quoted values', async () => {
    const { foreignWordsIn } = await import('../cli/_foreign-words.js');
    let n = 0;
    for (const f of files) {
      const r = await loadRules([{ path: join(FIX, 'invalid', f), builtin: false }], PROBE_MAP);
      for (const p of r.problems) {
        n++;
        expect(p.zh, `${f}: ${p.message}`).toBeDefined();
        // the file, line and field path are identifiers; the text after them is what is checked
        const text = formatProblem(p, 'zh').slice(`${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}`.length);
        expect(foreignWordsIn(text, [...PROBE_MAP.keys()]), `${f}: ${text}`).toEqual([]);
      }
    }
    expect(files.length).toBe(9);
    expect(n).toBeGreaterThan(20);
  });
});

describe('invalid rule files: every problem, with file, line and field', async () => {
  const files = await readdir(join(FIX, 'invalid'));
  it.each(files)('%s', async (f) => {
    const path = join(FIX, 'invalid', f);
    const exp = expectations(await readFile(path, 'utf8'));
    expect(exp.length).toBeGreaterThan(0);
    const r = await loadRules([{ path, builtin: false }], PROBE_MAP);
    expect(r.rules).toEqual([]);
    for (const e of exp) {
      const hit = r.problems.find((p) => p.line === e.line && p.field === e.field && p.message.includes(e.text));
      expect(hit, `expected ${e.line} ${e.field}: ${e.text}\ngot:\n${r.problems.map((p) => formatProblem(p)).join('\n')}`).toBeDefined();
      expect(formatProblem(hit!)).toMatch(new RegExp(`invalid/${f}:${e.line}:\\d+: `));
    }
  });
});

describe('overrides and duplicates across files', () => {
  const rule = (id: string, sev = 'low') => `rules:
  - id: ${id}
    title: { zh: 测试, en: test }
    severity: ${sev}
    profiles: [classified, intranet, nonclassified]
    basis: test
    probe: identity
    match: { field: hostname, exists: true }
    remediation: { zh: 无, en: none }
`;
  it('a custom rule with a built-in id replaces it, with a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-rules-'));
    await writeFile(join(dir, 'mine.yaml'), rule('machine-unidentifiable', 'high'));
    const r = await loadRules([{ path: BUILTIN_RULES_DIR, builtin: true }, { path: dir, builtin: false }], PROBE_MAP);
    expect(r.problems).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/mine\.yaml:2: rule "machine-unidentifiable" replaces the built-in/);
    const replaced = r.rules.filter((x) => x.id === 'machine-unidentifiable');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]!.severity).toBe('high');
  });
  it('platforms: only OS families its probe reads, from the two the schema knows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-rules-'));
    const withPlatforms = (id: string, probe: string, platforms: string, field: string) =>
      rule(id).replace('probe: identity\n', `probe: ${probe}\n    platforms: ${platforms}\n`).replace('field: hostname', `field: ${field}`);
    await writeFile(join(dir, 'p.yaml'), [
      withPlatforms('fits', 'identity', '[windows]', 'hostname'),
      withPlatforms('wrong-family', 'test.linux-only', '[windows]', 'remote'),
      withPlatforms('unknown-family', 'identity', '[macos]', 'hostname'),
    ].map((r, i) => (i === 0 ? r : r.replace('rules:\n', ''))).join(''));
    // every built-in probe now reads both families: one that reads Linux alone, for the test
    const probes = new Map([...PROBE_MAP, ['test.linux-only', { ...PROBE_MAP.get('network.connections')!, id: 'test.linux-only', platforms: ['linux'] as const }]]);
    const r = await loadRules([{ path: dir, builtin: false }], probes);
    const text = r.problems.map((p) => formatProblem(p)).join('\n');
    expect(text).toMatch(/p\.yaml:\d+:\d+: rules\[1\]\.platforms\[0\]: probe test\.linux-only does not read windows targets \(it reads: linux\)/);
    expect(text).toMatch(/p\.yaml:\d+:\d+: rules\[2\]\.platforms\[0\]: must be one of linux, windows/);
    expect(r.problems.filter((p) => p.field.startsWith('rules[0]'))).toEqual([]);
    expect(r.problems).toHaveLength(2);
  });
  it('the same id in two custom files is an error naming both places', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-rules-'));
    await writeFile(join(dir, 'a.yaml'), rule('same-id'));
    await writeFile(join(dir, 'b.yaml'), rule('same-id'));
    const r = await loadRules([{ path: dir, builtin: false }], PROBE_MAP);
    expect(r.problems.map((p) => formatProblem(p)).join('\n')).toMatch(/b\.yaml:2:\d+: rules\[0\]\.id: duplicate rule id "same-id" \(first defined at .*a\.yaml:2\)/);
  });
  it('a missing rule path is a problem, not a crash', async () => {
    const r = await loadRules([{ path: '/nonexistent/rules.yaml', builtin: false }], PROBE_MAP);
    expect(r.problems[0]!.message).toMatch(/cannot read/);
  });
  it('selects by profile and --only; digest is order-independent and changes with content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-rules-'));
    await writeFile(join(dir, 'a.yaml'), rule('r-one') + rule('r-two').replace('rules:\n', '').replace('[classified, intranet, nonclassified]', '[nonclassified]'));
    const r = await loadRules([{ path: dir, builtin: false }], PROBE_MAP);
    expect(r.problems.map((p) => formatProblem(p))).toEqual([]);
    expect(selectRules(r.rules, 'classified').map((x) => x.id)).toEqual(['r-one']);
    expect(selectRules(r.rules, 'nonclassified', ['r-two']).map((x) => x.id)).toEqual(['r-two']);
    const d1 = rulesDigest(r.rules);
    expect(rulesDigest([...r.rules].reverse())).toBe(d1);
    expect(rulesDigest([{ ...r.rules[0]!, basis: 'other' }, r.rules[1]!])).not.toBe(d1);
    expect(d1).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
