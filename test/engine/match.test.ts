import { describe, expect, it } from 'vitest';
import { compileRegex, deepEqual, fieldValues, matches } from '../../src/engine/match.js';
import type { Condition } from '../../src/engine/types.js';

const obs = {
  name: 'Broadcom 802.11n Network Adapter',
  ifType: 71,
  present: true,
  vid: '0781',
  size: 64_000_000_000,
  firstSeen: '2016-11-22T23:50:30Z',
  tags: ['wifi', 'pci'],
  label: '机密★10年',
  nested: { serial: 'AA010215170355310594&0', empty: null },
  sources: [{ kind: 'usbstor', at: '2017-01-01' }, { kind: 'setupapi', at: '2016-11-22' }],
};

// [description, condition, expected]
const table: Array<[string, Condition, boolean]> = [
  ['equals string', { field: 'vid', equals: '0781' }, true],
  ['equals is type-strict', { field: 'ifType', equals: '71' }, false],
  ['equals number', { field: 'ifType', equals: 71 }, true],
  ['equals boolean', { field: 'present', equals: true }, true],
  ['equals on missing field', { field: 'nope', equals: 1 }, false],
  ['equals on array element', { field: 'tags', equals: 'pci' }, true],
  ['equals whole array', { field: 'tags', equals: ['wifi', 'pci'] }, false],
  ['in hit', { field: 'ifType', in: [6, 71, 243] }, true],
  ['in miss', { field: 'ifType', in: [6, 243] }, false],
  ['regex hit', { field: 'name', regex: '802\\.11|Wireless' }, true],
  ['regex case-sensitive by default', { field: 'name', regex: 'broadcom' }, false],
  ['regex with i flag', { field: 'name', regex: 'broadcom', flags: 'i' }, true],
  ['regex on number', { field: 'ifType', regex: '^7\\d$' }, true],
  ['regex on CJK', { field: 'label', regex: '^(绝密|机密|秘密)★' }, true],
  ['exists true', { field: 'nested.serial', exists: true }, true],
  ['exists false on missing', { field: 'nested.other', exists: false }, true],
  ['null counts as missing', { field: 'nested.empty', exists: false }, true],
  ['exists true on null', { field: 'nested.empty', exists: true }, false],
  ['gt number', { field: 'size', gt: 32_000_000_000 }, true],
  ['gt number equal', { field: 'ifType', gt: 71 }, false],
  ['gte number equal', { field: 'ifType', gte: 71 }, true],
  ['lt number', { field: 'ifType', lt: 100 }, true],
  ['lte number', { field: 'ifType', lte: 70 }, false],
  ['gt string (ISO time)', { field: 'firstSeen', gt: '2016-01-01' }, true],
  ['lt string (ISO time)', { field: 'firstSeen', lt: '2016-01-01' }, false],
  ['number vs string bound never matches', { field: 'ifType', gt: '1' }, false],
  ['range in one leaf', { field: 'ifType', gte: 70, lte: 72 }, true],
  ['range in one leaf miss', { field: 'ifType', gte: 72, lte: 80 }, false],
  ['dotted path through array', { field: 'sources.kind', equals: 'setupapi' }, true],
  ['dotted path through array miss', { field: 'sources.kind', equals: 'emdmgmt' }, false],
  ['all', { all: [{ field: 'vid', equals: '0781' }, { field: 'present', equals: true }] }, true],
  ['all one false', { all: [{ field: 'vid', equals: '0781' }, { field: 'present', equals: false }] }, false],
  ['any', { any: [{ field: 'vid', equals: 'x' }, { field: 'ifType', equals: 71 }] }, true],
  ['any none true', { any: [{ field: 'vid', equals: 'x' }, { field: 'ifType', equals: 6 }] }, false],
  ['none', { none: [{ field: 'vid', equals: 'x' }, { field: 'ifType', equals: 6 }] }, true],
  ['none one true', { none: [{ field: 'vid', equals: '0781' }] }, false],
  ['not', { not: { field: 'vid', equals: '0781' } }, false],
  ['not not', { not: { not: { field: 'vid', equals: '0781' } } }, true],
  ['nested combination', { all: [{ any: [{ field: 'tags', in: ['bt'] }, { field: 'name', regex: '802' }] }, { not: { field: 'present', equals: false } }] }, true],
];

describe('match operators', () => {
  it.each(table)('%s', (_d, cond, expected) => {
    expect(matches(obs, cond)).toBe(expected);
  });
});

describe('helpers', () => {
  it('fieldValues flattens arrays and drops null', () => {
    expect(fieldValues(obs, 'sources.at')).toEqual(['2017-01-01', '2016-11-22']);
    expect(fieldValues(obs, 'tags')).toEqual(['wifi', 'pci']);
    expect(fieldValues(obs, 'nested.empty')).toEqual([]);
    expect(fieldValues(obs, 'name.length')).toEqual([]);
  });
  it('deepEqual compares structures', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });
  it('compileRegex rejects invalid patterns', () => {
    expect(() => compileRegex('(unclosed')).toThrow(SyntaxError);
  });
});

describe('the machine context in rules', () => {
  const ctx = { machine: { class: 'classified', level: '机密', levelRank: 2, usbStorageAllowed: false } };
  it('an operand { context: … } is the context value', () => {
    expect(matches({ maxRank: 3 }, { field: 'maxRank', gt: { context: 'machine.levelRank' } }, ctx)).toBe(true);
    expect(matches({ maxRank: 2 }, { field: 'maxRank', gt: { context: 'machine.levelRank' } }, ctx)).toBe(false);
    expect(matches({ ledger: { class: 'nonclassified' } }, { not: { field: 'ledger.class', equals: { context: 'machine.class' } } }, ctx)).toBe(true);
    expect(matches({ ledger: { class: 'classified' } }, { field: 'ledger.class', in: [{ context: 'machine.class' }] }, ctx)).toBe(true);
  });
  it('a leaf on the context itself', () => {
    expect(matches({}, { context: 'machine.usbStorageAllowed', equals: false }, ctx)).toBe(true);
    expect(matches({}, { context: 'machine.usbStorageAllowed', equals: false }, { machine: { class: 'intranet' } })).toBe(false);
  });
  it('a context value that is missing matches nothing (no bound, no verdict)', () => {
    expect(matches({ maxRank: 3 }, { field: 'maxRank', gt: { context: 'machine.levelRank' } }, {})).toBe(false);
    expect(matches({ c: 'x' }, { field: 'c', equals: { context: 'machine.class' } }, {})).toBe(false);
  });
});

describe('element-wise: some / every', () => {
  const obs = {
    sources: [
      { kind: 'setupapi', firstSeen: '2020-01-01T00:00:00', timesAreLocal: true },
      { kind: 'usbstor', firstSeen: '2021-05-01T00:00:00Z' },
    ],
  };
  it('some keeps two facts of one element together', () => {
    expect(matches(obs, { field: 'sources', some: { all: [{ field: 'kind', equals: 'setupapi' }, { field: 'timesAreLocal', equals: true }] } })).toBe(true);
    // Flattened, kind=usbstor and timesAreLocal=true are both "somewhere" — element-wise they are not one source.
    expect(matches(obs, { all: [{ field: 'sources.kind', equals: 'usbstor' }, { field: 'sources.timesAreLocal', equals: true }] })).toBe(true);
    expect(matches(obs, { field: 'sources', some: { all: [{ field: 'kind', equals: 'usbstor' }, { field: 'timesAreLocal', equals: true }] } })).toBe(false);
  });
  it('every needs at least one element, and all of them', () => {
    expect(matches(obs, { field: 'sources', every: { field: 'firstSeen', exists: true } })).toBe(true);
    expect(matches(obs, { field: 'sources', every: { field: 'kind', equals: 'setupapi' } })).toBe(false);
    expect(matches({ sources: [] }, { field: 'sources', every: { field: 'kind', equals: 'setupapi' } })).toBe(false);
  });
});

describe('rule regexes match in linear time (RE2)', () => {
  it('a catastrophic pattern on a crafted value answers at once', () => {
    const t = performance.now();
    expect(matches({ hostname: 'a'.repeat(36) + '!' }, { field: 'hostname', regex: '^(a+)+$' })).toBe(false);
    expect(matches({ hostname: 'a'.repeat(100_000) + '!' }, { field: 'hostname', regex: '^(a|aa)+$' })).toBe(false);
    expect(performance.now() - t).toBeLessThan(2000);
  });
  it('flags i, m, s; Chinese text', () => {
    expect(matches({ n: 'Intel WLAN' }, { field: 'n', regex: 'wlan', flags: 'i' })).toBe(true);
    expect(matches({ n: 'a\nb' }, { field: 'n', regex: '^b$', flags: 'm' })).toBe(true);
    expect(matches({ n: 'a\nb' }, { field: 'n', regex: 'a.b', flags: 's' })).toBe(true);
    expect(matches({ n: '绝密★长期' }, { field: 'n', regex: '^(绝密|机密)★' })).toBe(true);
  });
});
