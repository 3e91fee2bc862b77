// Joins the engine makes before rules judge. Probes gather facts about the machine; the unit's
// ledger (台账) is a fact about the unit. Joining the two — which ledger row a USB device is — is
// done here, once, for every probe that declares `joins: ['usb-ledger']`. Whether the row's class
// fits the machine (交叉使用, a medium above the machine's level, USB storage where the ledger forbids
// it) is then judged by the rules, against the machine context (./context.ts).
import type { UsbDeviceRecord } from '../checks/usb/types.js';
import { matchDevice } from '../ledger/match.js';
import type { Ledger } from '../ledger/types.js';
import type { MachineContext } from './context.js';
import type { CoverageItem, Observation } from './types.js';
import { levelRank } from './vocab.js';

/**
 * Adds `ledger` to each device observation: `{status: not-judged}` without a ledger (a blocking gap
 * when there are storage devices: their registration could not be judged), else the match —
 * registered (with the row, its class, level and levelRank), unregistered or unjudgeable.
 */
export function joinUsbLedger(observations: Observation[], ledger: Ledger | undefined, context: MachineContext): CoverageItem[] {
  const records = observations as unknown as UsbDeviceRecord[];
  if (!ledger) {
    for (const r of records) r['ledger'] = { status: 'not-judged' };
    const storage = records.filter((r) => r.storage).length;
    return storage > 0
      ? [{
          kind: 'no-ledger',
          reason: `no ledger given (--ledger): registration of ${storage} USB storage device(s) could not be judged; they are listed in the inventory`,
          blocking: true,
        }]
      : [];
  }
  for (const r of records) {
    const m = matchDevice(ledger, r);
    const e = m.entry;
    r['ledger'] = {
      ...m,
      ...(e ? { class: e.class, ...(e.level ? { level: e.level } : {}), levelRank: e.class === 'classified' ? levelRank(e.level) : 0 } : {}),
      ...(context.ledgerRow ? { machineRow: context.ledgerRow.at } : {}),
    };
  }
  return [];
}
