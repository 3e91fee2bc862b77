import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingId, machineKey, planJobs, runScan } from '../../src/engine/run.js';
import type { Probe, Rule } from '../../src/engine/types.js';
import { FsTarget } from '../../src/target/fs-target.js';

const log = pino({ level: 'silent' });

function rule(id: string, probe: string, params?: Record<string, unknown>, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: { zh: id, en: id },
    severity: 'high',
    profiles: ['classified'],
    basis: 'test',
    probe,
    ...(params ? { params } : {}),
    match: { field: 'bad', equals: true },
    remediation: { zh: '-', en: '-' },
    source: { file: 't.yaml', line: 1, builtin: false },
    ...extra,
  };
}

let calls: Array<{ probe: string; params: unknown }> = [];
const probe = (id: string, over: Partial<Probe> = {}): Probe => ({
  id,
  description: id,
  platforms: ['linux'],
  modes: ['offline', 'live'],
  identity: ['name'],
  observes: 'any',
  timeoutMs: 2000,
  async collect(_ctx, params) {
    calls.push({ probe: id, params });
    return { status: 'ok', observations: [{ name: 'a', bad: true }, { name: 'b', bad: false }, { name: 'a', bad: true, seenAgain: 1 }] };
  },
  ...over,
});

const identity: Probe = probe('identity', {
  async collect() {
    return { status: 'ok', observations: [{ hostname: 'h1', machineId: 'm1' }] };
  },
});

let target: FsTarget;
beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'baomi-run-'));
  await mkdir(join(root, 'etc'));
  await writeFile(join(root, 'etc', 'os-release'), 'ID=debian\n');
  target = await FsTarget.open('offline', root);
});

describe('planning', () => {
  it('runs a probe once per distinct params (canonical: key order does not matter), identity always', () => {
    const probes = new Map([['identity', identity], ['p', probe('p')]]);
    const jobs = planJobs(
      [rule('r1', 'p', { a: 1, b: 2 }), rule('r2', 'p', { b: 2, a: 1 }), rule('r3', 'p', { a: 2 }), rule('r4', 'p')],
      probes,
    );
    expect(jobs.map((j) => [j.probe.id, j.paramsKey, j.rules.map((r) => r.id)])).toEqual([
      ['identity', '{}', []],
      ['p', '{"a":1,"b":2}', ['r1', 'r2']],
      ['p', '{"a":2}', ['r3']],
      ['p', '{}', ['r4']],
    ]);
  });
});

describe('runScan', () => {
  it('matches observations into findings with stable ids; duplicates of one item are one finding', async () => {
    calls = [];
    const probes = new Map([['identity', identity], ['p', probe('p')]]);
    const out = await runScan({ target, rules: [rule('r1', 'p', { x: 1 })], probes, options: { profile: 'classified' }, log });
    expect(calls).toEqual([{ probe: 'p', params: { x: 1 } }]);
    expect(out.findings).toHaveLength(1);
    const f = out.findings[0]!;
    expect(f).toMatchObject({ ruleId: 'r1', severity: 'high', probe: 'p', evidence: { name: 'a', bad: true } });
    expect(f.id).toBe(findingId('machineId:m1', 'r1', { name: 'a' }));
    const again = await runScan({ target, rules: [rule('r1', 'p', { x: 1 })], probes, options: { profile: 'classified' }, log });
    expect(again.findings[0]!.id).toBe(f.id);
    expect(out.identity).toEqual({ hostname: 'h1', machineId: 'm1' });
  });

  it('finding ids differ by machine, rule and identifying evidence', () => {
    const a = findingId('machineId:m1', 'r1', { name: 'a' });
    expect(findingId('machineId:m2', 'r1', { name: 'a' })).not.toBe(a);
    expect(findingId('machineId:m1', 'r2', { name: 'a' })).not.toBe(a);
    expect(findingId('machineId:m1', 'r1', { name: 'b' })).not.toBe(a);
    expect(a).toMatch(/^F-[0-9a-f]{20}$/);
    expect(machineKey({ hostname: 'H', hardware: { uuid: 'U' } })).toBe('hardware.uuid:u');
    expect(machineKey(undefined)).toBe('unknown-machine');
  });

  it('records ok, not-applicable (platform, mode), error and timeout per probe', async () => {
    const probes = new Map<string, Probe>([
      ['identity', identity],
      ['win', probe('win', { platforms: ['windows'] })],
      ['liveonly', probe('liveonly', { modes: ['live'] })],
      ['boom', probe('boom', { collect: async () => { throw new Error('hive is corrupt'); } })],
      ['slow', probe('slow', { timeoutMs: 100, collect: (ctx) => new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(new Error('aborted')))) })],
      ['na', probe('na', { collect: async () => ({ status: 'not-applicable', reason: 'no journal' }) })],
    ]);
    const rules = ['win', 'liveonly', 'boom', 'slow', 'na'].map((p) => rule(`r-${p}`, p));
    const out = await runScan({ target, rules, probes, options: { profile: 'classified' }, log });
    const by = Object.fromEntries(out.probes.map((p) => [p.id, p]));
    expect(by['identity']!.status).toBe('ok');
    expect(by['win']).toMatchObject({ status: 'not-applicable', message: 'no collector for linux targets', blocking: true });
    expect(by['liveonly']!.blocking).toBeUndefined();
    expect(by['liveonly']).toMatchObject({ status: 'not-applicable', message: 'runs only on live targets, this scan is offline' });
    expect(by['boom']).toMatchObject({ status: 'error', message: 'hive is corrupt', rules: ['r-boom'] });
    expect(by['slow']).toMatchObject({ status: 'timeout', message: 'did not finish within 100 ms' });
    expect(by['slow']!.durationMs).toBeGreaterThanOrEqual(90);
    expect(by['na']).toMatchObject({ status: 'not-applicable', message: 'no journal' });
    expect(out.findings).toEqual([]);
  });

  it('per-profile severity and evidence/key field selection', async () => {
    const probes = new Map([['identity', identity], ['p', probe('p')]]);
    const r = rule('r1', 'p', undefined, { severity: { classified: 'medium', nonclassified: 'info' }, evidence: ['name'], key: ['name', 'seenAgain'] });
    const out = await runScan({ target, rules: [r], probes, options: { profile: 'classified' }, log });
    // key includes seenAgain, so the two "a" observations are now distinct findings
    expect(out.findings.map((f) => [f.severity, f.evidence])).toEqual([
      ['medium', { name: 'a' }],
      ['medium', { name: 'a' }],
    ]);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(2);
  });
});

describe('access times', () => {
  it('a scan that may have changed access times says so (not blocking); read-only or noatime mounts do not', async () => {
    const probes = new Map([['identity', identity], ['p', probe('p')]]);
    const notes = (mount: 'atime' | 'read-only' | 'noatime') => Object.assign(Object.create(target) as FsTarget, {
      accessTimeNotes: async () => ({ filesWithoutNoatime: 12, foldersWithoutNoatime: 3, mount }),
    });
    const a = await runScan({ target: notes('atime'), rules: [rule('r1', 'p', { x: 1 })], probes, options: { profile: 'classified' }, log });
    expect(a.coverage.find((c) => c.kind === 'access-times-changed')).toMatchObject({ probe: 'scan', reason: expect.stringMatching(/up to 12 files and 3 folders/) });
    expect(a.coverage.find((c) => c.kind === 'access-times-changed')?.blocking).toBeUndefined();
    for (const m of ['read-only', 'noatime'] as const) {
      const b = await runScan({ target: notes(m), rules: [rule('r1', 'p', { x: 1 })], probes, options: { profile: 'classified' }, log });
      expect(b.coverage.some((c) => c.kind === 'access-times-changed')).toBe(false);
    }
  });
});

describe('a rule about another OS family (platforms) does not apply', () => {
  const both = (id: string, seen: string[]): Probe => probe(id, {
    platforms: ['linux', 'windows'],
    async collect() {
      seen.push(id);
      return { status: 'ok', observations: [{ name: 'a', bad: true }] };
    },
  });
  it('judged where it applies; elsewhere not judged, listed with its probe run and why', async () => {
    const seen: string[] = [];
    const probes = new Map<string, Probe>([['identity', identity], ['p', both('p', seen)]]);
    const rules = [rule('r-any', 'p'), rule('r-win', 'p', undefined, { platforms: ['windows'] }), rule('r-linux', 'p', undefined, { platforms: ['linux'] })];
    const out = await runScan({ target, rules, probes, options: { profile: 'classified' }, log }); // target: a Linux root
    expect(out.findings.map((f) => f.ruleId).sort()).toEqual(['r-any', 'r-linux']);
    const run = out.probes.find((p) => p.id === 'p')!;
    expect([run.status, run.rules, seen]).toEqual(['ok', ['r-any', 'r-linux'], ['p']]);
    expect(run.notApplicable).toEqual([{ rule: 'r-win', message: 'checks Windows settings only, this machine runs Linux', msg: { key: 'rule.platform', params: { platforms: 'windows', family: 'linux' }, text: 'checks Windows settings only, this machine runs Linux' } }]);
    // the rule stays among the scan's rules: the report lists it as not applicable, not as absent
    expect(out.rules.map((r) => r.id)).toContain('r-win');
  });
  it('a probe only rules of another family need does not run; its run says why, and the scan looked at nothing', async () => {
    const seen: string[] = [];
    const probes = new Map<string, Probe>([['identity', identity], ['p', both('p', seen)]]);
    const out = await runScan({ target, rules: [rule('r-win', 'p', undefined, { platforms: ['windows'] })], probes, options: { profile: 'classified' }, log });
    expect(seen).toEqual([]);
    const run = out.probes.find((p) => p.id === 'p')!;
    expect(run).toMatchObject({ status: 'not-applicable', rules: [], msg: { key: 'rule.platform' } });
    expect(run.blocking).toBeUndefined();
    expect(run.notApplicable?.map((n) => n.rule)).toEqual(['r-win']);
    expect(out.coverage.find((c) => c.kind === 'nothing-checked')).toBeDefined();
  });
  it('on an OS the probe itself cannot read, the probe\'s own reason stands (not the rule\'s)', async () => {
    const probes = new Map<string, Probe>([['identity', identity], ['w', probe('w', { platforms: ['windows'] })]]);
    const out = await runScan({ target, rules: [rule('r-w', 'w', undefined, { platforms: ['windows'] })], probes, options: { profile: 'classified' }, log });
    const run = out.probes.find((p) => p.id === 'w')!;
    expect([run.msg?.key, run.rules, run.notApplicable]).toEqual(['probe.no-collector', ['r-w'], undefined]);
  });
});

describe('messages as catalogue keys, and what a stopped probe found', () => {
  it('every message the engine writes carries its key and parameters beside the English', async () => {
    const probes = new Map<string, Probe>([
      ['identity', identity],
      ['win', probe('win', { platforms: ['windows'] })],
      ['liveonly', probe('liveonly', { modes: ['live'] })],
      ['boom', probe('boom', { collect: async () => { throw new Error('hive is corrupt'); } })],
      ['slow', probe('slow', { timeoutMs: 100, collect: (ctx) => new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(new Error('aborted')))) })],
    ]);
    const out = await runScan({ target, rules: ['win', 'liveonly', 'boom', 'slow'].map((p) => rule(`r-${p}`, p)), probes, options: { profile: 'classified' }, log });
    const by = Object.fromEntries(out.probes.map((p) => [p.id, p]));
    expect(by['win']!.msg).toEqual({ key: 'probe.no-collector', params: { family: 'linux' }, text: 'no collector for linux targets' });
    expect(by['liveonly']!.msg).toEqual({ key: 'probe.mode', params: { modes: 'live', mode: 'offline' }, text: by['liveonly']!.message });
    expect(by['boom']!.msg).toMatchObject({ key: 'probe.error', params: { detail: 'hive is corrupt' } });
    expect(by['slow']!.msg).toEqual({ key: 'probe.timeout', params: { ms: 100 }, text: 'did not finish within 100 ms' });
    for (const p of out.probes) if (p.message !== undefined) expect(p.msg?.text, p.id).toBe(p.message);
  });

  // A probe that honours its signal answers with what it found so far: the document walk does.
  const partial = (id: string, timeoutMs: number): Probe => probe(id, {
    timeoutMs,
    collect: (ctx) => new Promise((res) => {
      ctx.signal.addEventListener('abort', () => res({
        status: 'ok',
        observations: [{ name: 'found-before', bad: true }],
        coverage: [{ kind: 'interrupted', reason: 'stopped before the end', blocking: true }],
      }));
    }),
  });

  it('interrupted: the findings made before are kept, the run is `timeout` (incomplete), the gap is listed', async () => {
    const probes = new Map<string, Probe>([['identity', identity], ['walk', partial('walk', 60_000)]]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const out = await runScan({ target, rules: [rule('r-walk', 'walk')], probes, options: { profile: 'classified' }, log, signal: stop.signal });
    const run = out.probes.find((p) => p.id === 'walk')!;
    expect(run).toMatchObject({ status: 'timeout', observations: 1, msg: { key: 'probe.interrupted-partial', params: { observations: 1 } } });
    expect(out.findings.map((f) => f.evidence['name'])).toEqual(['found-before']);
    expect(out.coverage).toEqual([{ probe: 'walk', kind: 'interrupted', reason: 'stopped before the end', blocking: true }]);
  });

  it('out of time: the same, with the budget in the message', async () => {
    const probes = new Map<string, Probe>([['identity', identity], ['walk', partial('walk', 150)]]);
    const out = await runScan({ target, rules: [rule('r-walk', 'walk')], probes, options: { profile: 'classified' }, log });
    expect(out.probes.find((p) => p.id === 'walk')).toMatchObject({ status: 'timeout', msg: { key: 'probe.timeout-partial', params: { ms: 150, observations: 1 } } });
    expect(out.findings).toHaveLength(1);
  });

  it('a probe that does not answer within the grace ends as before: nothing kept, plain `interrupted`', async () => {
    const probes = new Map<string, Probe>([['identity', identity], ['deaf', probe('deaf', { timeoutMs: 60_000, collect: () => new Promise(() => undefined) })]]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const t0 = Date.now();
    const out = await runScan({ target, rules: [rule('r-deaf', 'deaf')], probes, options: { profile: 'classified' }, log, signal: stop.signal });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(out.probes.find((p) => p.id === 'deaf')).toMatchObject({ status: 'timeout', message: 'interrupted', observations: 0, msg: { key: 'probe.interrupted' } });
    expect(out.findings).toEqual([]);
  });
});
