// What `--root auto` tells each scan about the machine (src/kit/auto.ts, src/kit/entry.ts): its other
// volumes (--volume-notes) and, for a data volume, the identity its system volume gave (--machine-identity).
// Both are hidden options the kit writes; anything else in them is refused (exit 2).
import { describe, expect, it } from 'vitest';
import { identityHint, volumeCoverage } from '../../src/cli/scan.js';

describe('--volume-notes (written by --root auto): the machine\'s other volumes in each report', () => {
  it('an encrypted or unmountable volume is a blocking gap; one with its own report is said; anything else is refused', async () => {
    const notes = [
      { device: '/dev/sda2', what: 'ntfs, "DATA", 500 GB', fate: 'data' },
      { device: '/dev/sda3', what: 'BitLocker', fate: 'encrypted', scheme: 'BitLocker' },
      { device: '/dev/sdb1', what: 'xfs', fate: 'mount-failed' },
      { device: '/dev/sda1', what: 'ntfs', fate: 'system' },
    ];
    expect(volumeCoverage(JSON.stringify(notes)).map((c) => [c.kind, c.path, c.blocking])).toEqual([
      ['volume-elsewhere', '/dev/sda2', false],
      ['volume-not-scanned', '/dev/sda3', true],
      ['volume-not-scanned', '/dev/sdb1', true],
      ['volume-elsewhere', '/dev/sda1', false],
    ]);
    for (const bad of ['not json', '{}', '[{"device":"/dev/x","fate":"lost"}]', '[{"fate":"data"}]', JSON.stringify(Array.from({ length: 300 }, () => notes[0])) ]) {
      expect(() => volumeCoverage(bad), bad.slice(0, 40)).toThrow(/--volume-notes/);
    }
  });
});

describe('--machine-identity (written by --root auto for a data volume)', () => {
  it('takes the identifying fields of the system volume\'s machine, says where they came from; refuses anything else', () => {
    const id = identityHint(JSON.stringify({ hostname: 'DESKTOP-PM6C56D', machineId: 'abc', hardware: { serial: 'SN1', extra: 'x' }, identifiedBy: '/dev/sda2', os: { family: 'windows' } }));
    expect(id).toEqual({ hostname: 'DESKTOP-PM6C56D', machineId: 'abc', hardware: { serial: 'SN1' }, macs: [], disks: [], sources: { identity: 'the system volume /dev/sda2 of the same machine' } });
    const bad = ['nope', '[]', '{}', JSON.stringify({ hostname: 'x' }), JSON.stringify({ identifiedBy: '/dev/sda2' }), JSON.stringify({ hostname: 'x'.repeat(300), identifiedBy: 'd' }), `{"hostname":"x","identifiedBy":"d","pad":"${'y'.repeat(70_000)}"}`];
    for (const b of bad) expect(() => identityHint(b), b.slice(0, 40)).toThrow(/--machine-identity/);
    expect(bad).toHaveLength(7);
  });
});
