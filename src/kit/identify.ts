// Who is this target, and what does the ledger say about it — before the scan, so that the kit can
// take the class and department from the ledger row (matched by hardware serial, machine id or
// host name, as the scan itself does: src/engine/context.ts) or ask the officer when nothing does.
import { pino } from 'pino';
import { PROBE_MAP } from '../checks/index.js';
import type { MachineContext } from '../engine/context.js';
import { runScan } from '../engine/run.js';
import type { Observation } from '../engine/types.js';
import { machineEntry, readLedger, type Ledger, type LedgerEntry } from '../ledger/index.js';
import { FsTarget } from '../target/fs-target.js';
import { fieldValues } from '../engine/match.js';

export interface TargetIdentity {
  identity: Observation | undefined;
  context: MachineContext;
  ledgerEntry?: LedgerEntry;
}

function str(obs: Observation | undefined, path: string): string | undefined {
  const v = obs ? fieldValues(obs, path)[0] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Run only the identity probe on the offline root, and resolve the class as the scan will. */
export async function identifyTarget(root: string, ledgerPath: string | undefined): Promise<TargetIdentity> {
  const target = await FsTarget.open('offline', root);
  let ledger: Ledger | undefined;
  if (ledgerPath !== undefined) {
    // A ledger with errors: no guess and no question here; the scan itself refuses it (exit 2).
    const r = await readLedger(ledgerPath);
    if (!r.ledger || r.problems.some((p) => p.severity === 'error')) throw new Error(`ledger ${ledgerPath} has errors`);
    ledger = r.ledger;
  }
  const run = await runScan({ target, rules: [], probes: PROBE_MAP, options: { ...(ledger ? { ledgerData: ledger } : {}) }, log: pino({ level: 'silent' }) });
  const host = str(run.identity, 'hostname');
  const mid = str(run.identity, 'machineId');
  const hw = str(run.identity, 'hardware.serial');
  const entry = ledger ? machineEntry(ledger, { ...(host ? { hostname: host } : {}), ...(mid ? { machineId: mid } : {}), ...(hw ? { hardwareSerial: hw } : {}) }) : undefined;
  return { identity: run.identity, context: run.context, ...(entry ? { ledgerEntry: entry } : {}) };
}
