import { describe, expect, it } from 'vitest';
import { cupsConnection, parsePrintersConf, printersProbe, windowsConnection, type Printer } from '../../../src/checks/printers/printers.js';
import { conforms } from '../../../src/engine/shape.js';
import { checklistLinuxRoot, checklistWindowsRoot, collect } from '../software/_checklist-roots.js';

const brief = (ps: unknown[]) => (ps as Printer[]).map((p) => [p.name, p.connection, p.fax, p.address ?? null]);

describe('printers.installed — Windows (generated hives)', () => {
  it('violations: TCP/IP, WSD, fax, a virtual printer, and a user\'s network printer connection', async () => {
    const res = await collect(printersProbe, await checklistWindowsRoot('violations'));
    for (const o of res.observations) expect(conforms(o, printersProbe.observes)).toEqual([]);
    expect(brief(res.observations)).toEqual([
      ['Brother MFC-L2710DW series', 'wsd', false, null],
      ['Fax', 'fax', true, null],
      ['HP LaserJet MFP M428f', 'network', false, '192.168.1.50'],
      ['Microsoft Print to PDF', 'virtual', false, null],
      ['Office-2F', 'network', false, 'printsrv'],
    ]);
    const hp = (res.observations as Printer[]).find((p) => p.name.startsWith('HP'))!;
    expect(hp).toMatchObject({ port: 'IP_192.168.1.50', driver: 'HP LaserJet MFP M428f PCL-6 (V4)', source: '/Windows/System32/config/SYSTEM: ControlSet001\\Control\\Print\\Printers\\HP LaserJet MFP M428f' });
    expect((res.observations as Printer[]).find((p) => p.name === 'Office-2F')).toMatchObject({ user: 'zhangsan', port: '\\\\printsrv\\Office-2F' });
  });

  it('clean: a USB printer and Print to PDF', async () => {
    const res = await collect(printersProbe, await checklistWindowsRoot('clean'));
    expect(brief(res.observations)).toEqual([['HP LaserJet Pro M404', 'usb', false, null], ['Microsoft Print to PDF', 'virtual', false, null]]);
  });

  it.each([
    ['LPT1:', 'parallel'], ['COM2:', 'serial'], ['TS001', 'redirected'], ['nul:', 'virtual'], ['FILE:', 'virtual'], ['IP_10.0.0.9', 'network'], ['WSD-1234', 'wsd'], ['SHRFAX:', 'fax'], ['USB003', 'usb'], ['X1', 'unknown'],
  ])('port %s → %s', (port, c) => expect(windowsConnection(port, undefined, new Map()).connection).toBe(c));
});

describe('printers.installed — CUPS (fixtures/checklist/linux)', () => {
  it('violations: ipp network printer (default), a driverless dnssd one, an HP fax', async () => {
    const res = await collect(printersProbe, checklistLinuxRoot('violations'));
    for (const o of res.observations) expect(conforms(o, printersProbe.observes)).toEqual([]);
    expect(brief(res.observations)).toEqual([
      ['HP_LaserJet_MFP_M428f', 'network', false, '192.168.1.50'],
      ['Brother_MFC_L2710DW', 'network', false, 'Brother MFC-L2710DW series._ipp._tcp.local'],
      ['HP_Fax', 'fax', true, null],
    ]);
    expect(res.observations[0]).toMatchObject({ isDefault: true, source: '/etc/cups/printers.conf' });
  });

  it('clean: an HPLIP USB printer and CUPS-PDF', async () => {
    const res = await collect(printersProbe, checklistLinuxRoot('clean'));
    expect(brief(res.observations)).toEqual([['HP_LaserJet_Pro_M404', 'usb', false, null], ['PDF', 'virtual', false, null]]);
  });

  it('a password saved in a DeviceURI is not kept', () => {
    const [p] = parsePrintersConf('<Printer X>\nDeviceURI smb://user:secret@server/queue\n</Printer>\n', 'f');
    expect(p).toMatchObject({ connection: 'network', address: 'server', port: 'smb://server/queue' });
    expect(JSON.stringify(p)).not.toContain('secret');
  });

  it.each([['socket://10.1.1.1:9100', 'network'], ['lpd://h/q', 'network'], ['usb://HP/LaserJet?serial=1', 'usb'], ['parallel:/dev/lp0', 'parallel'], ['hp:/net/x?ip=192.0.2.4', 'network'], ['file:///dev/null', 'virtual'], ['weird', 'unknown']])(
    'DeviceURI %s → %s',
    (uri, c) => expect(cupsConnection(uri).connection).toBe(c),
  );
});

describe('printers.installed — live and offline give the same facts (CUPS: the same file)', () => {
  it.each(['violations', 'clean'] as const)('%s', async (m) => {
    const off = await collect(printersProbe, checklistLinuxRoot(m), {}, 'offline');
    const live = await collect(printersProbe, checklistLinuxRoot(m), {}, 'live');
    expect(live.observations).toEqual(off.observations);
  });
});
