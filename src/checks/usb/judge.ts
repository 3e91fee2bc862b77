// Each USB device against the unit's ledger (台账): registered, unregistered or unjudgeable, the
// class it is registered for (交叉使用 when it differs from the machine's), and whether the
// machine's own ledger row forbids USB storage. Without a ledger nothing is judged, and the
// report says so as a gap — never as a pass.
import type { CoverageItem, Observation, ScanOptions } from '../../engine/types.js';
import { formatLocation, machineEntry, matchDevice } from '../../ledger/index.js';
import type { MachineClass } from '../../ledger/index.js';
import type { UsbDeviceRecord } from './types.js';

export function judgeDevices(records: UsbDeviceRecord[], options: ScanOptions, machine: Observation | undefined): CoverageItem[] {
  const coverage: CoverageItem[] = [];
  const ledger = options.ledgerData;
  const storage = records.filter((r) => r.storage);
  if (!ledger) {
    for (const r of records) r['ledger'] = { status: 'not-judged' };
    if (storage.length > 0) {
      coverage.push({
        kind: 'no-ledger',
        reason: `no ledger given (--ledger): registration of ${storage.length} USB storage device(s) could not be judged; they are listed in the inventory`,
        blocking: true,
      });
    }
    return coverage;
  }
  const hw = (machine?.['hardware'] as { serial?: string } | undefined)?.serial;
  const row = machineEntry(ledger, {
    ...(typeof machine?.['hostname'] === 'string' ? { hostname: machine['hostname'] } : {}),
    ...(typeof machine?.['machineId'] === 'string' ? { machineId: machine['machineId'] } : {}),
    ...(hw ? { hardwareSerial: hw } : {}),
  });
  const cls: MachineClass = row ? { class: row.class, ...(row.level ? { level: row.level } : {}) } : { class: options.profile };
  if (!row) {
    coverage.push({ kind: 'not-in-ledger', reason: `this computer has no row in the ledger ${ledger.file}: devices judged against the profile given (${options.profile}); register the computer` });
  } else if (row.class !== options.profile) {
    coverage.push({ kind: 'profile-mismatch', reason: `the ledger registers this computer (row ${row.at.row}) as ${row.class}, the scan ran as ${options.profile}: devices judged as ${row.class}` });
  }
  for (const r of records) {
    const m = matchDevice(ledger, r, cls);
    r['ledger'] = { ...m, machineRow: row ? formatLocation(row.at) : null };
    if (row?.usbStorageAllowed === false) r['usbStorageForbidden'] = true;
  }
  return coverage;
}
