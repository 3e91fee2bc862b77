// Linux USB history end to end: a root with rotated and gzipped kernel logs spanning a New Year.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
// mtimes the files had on the machine (fixtures/linux/usb-logs/PROVENANCE.md)
const MTIMES: Record<string, string> = {
  'syslog.3.gz': '2023-12-20T22:25:04Z',
  'syslog.2.gz': '2023-12-27T22:25:03Z',
  'syslog.1': '2024-01-03T22:25:03Z',
  syslog: '2024-01-09T09:40:12Z',
  'kern.log': '2024-01-09T09:40:12Z',
};

describe('baomi scan --root <Linux disk with rotated kernel logs>', () => {
  it('every connect appears with a full date; unregistered sticks are findings', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baomi-usbroot-'));
    await cp(join(FIXTURES, 'roots', 'debian12-ws', 'etc'), join(root, 'etc'), { recursive: true, verbatimSymlinks: true });
    await cp(join(FIXTURES, 'roots', 'debian12-ws', 'usr'), join(root, 'usr'), { recursive: true });
    await cp(join(FIXTURES, 'linux', 'usb-logs', 'debian11-newyear', 'var'), join(root, 'var'), { recursive: true });
    for (const [f, iso] of Object.entries(MTIMES)) await utimes(join(root, 'var', 'log', f), new Date(iso), new Date(iso));
    const out = await mkdtemp(join(tmpdir(), 'baomi-usbout-'));
    const ledger = join(FIXTURES, 'ledger', 'ledger.yaml');
    const r = spawnSync(process.execPath, [BIN, 'scan', '--root', root, '--out', out, '--format', 'json', '--ledger', ledger, '--only', 'usb-storage-unregistered,usb-phone-connected'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(out, 'cfg'), NO_COLOR: '1' },
    });
    expect(r.stderr).not.toMatch(/internal error/);
    const rep = JSON.parse(await readFile(join(out, (await readdir(out)).find((f) => f.endsWith('.json'))!), 'utf8'));
    const devices = rep.inventory.usbDevices as Array<{ key: string; storage: boolean; sources: Array<{ firstSeen?: string; source: string }> }>;
    const storage = devices.filter((d) => d.storage);
    expect(storage.length).toBeGreaterThan(0);
    for (const d of devices) {
      for (const s of d.sources) if (s.firstSeen !== undefined) expect(s.firstSeen, `${d.key} ${s.source}`).toMatch(/^20(23|24)-\d\d-\d\dT\d\d:\d\d:\d\d/);
    }
    // connects before the New Year are dated 2023, after it 2024
    const all = devices.flatMap((d) => d.sources.map((s) => s.firstSeen)).filter(Boolean) as string[];
    expect(all.some((t) => t.startsWith('2023-12'))).toBe(true);
    expect(all.some((t) => t.startsWith('2024-01'))).toBe(true);
    expect(JSON.stringify(rep)).not.toContain('????');
    const unreg = rep.findings.filter((f: { ruleId: string }) => f.ruleId === 'usb-storage-unregistered');
    expect(unreg.length).toBe(storage.filter((d) => (d as unknown as { ledger: { status: string } }).ledger.status === 'unregistered').length);
    expect(r.status).toBe(unreg.length > 0 ? 1 : 0);
  });
});
