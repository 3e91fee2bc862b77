// What no single-host scan can see: one USB storage device (by its serial, in the one comparable
// form of src/engine/vocab.ts) on computers of different classes (交叉使用), on many computers, and
// media registered in the ledger that no computer recorded. Devices without a usable serial (none,
// or one Windows made up) are left out: they cannot be told apart.
import { PROFILES, type Profile } from '../engine/vocab.js';
import type { Ledger } from '../ledger/types.js';
import type { Correlation, MachineRecord, UsbUse } from './types.js';

/** A storage device seen on this many computers or more is listed as "on many machines". */
export const MANY_MACHINES = 3;

export function correlate(machines: MachineRecord[], ledgers: Array<{ file: string; ledger: Ledger }>, manyThreshold = MANY_MACHINES): Correlation {
  const uses = new Map<string, UsbUse>();
  for (const m of machines) {
    for (const d of m.usb) {
      let u = uses.get(d.serialKey);
      if (u === undefined) {
        u = { serialKey: d.serialKey, serial: d.serial, ...(d.vid ? { vid: d.vid } : {}), ...(d.pid ? { pid: d.pid } : {}), ...(d.product ? { product: d.product } : {}), machines: [], profiles: [] };
        uses.set(d.serialKey, u);
      }
      if (u.machines.some((x) => x.key === m.key)) continue;
      u.machines.push({ key: m.key, hostname: m.hostname, unit: m.unit, profile: m.profile, ledgerStatus: d.ledgerStatus });
      if (!u.profiles.includes(m.profile)) u.profiles.push(m.profile);
    }
  }
  const all = [...uses.values()];
  for (const u of all) u.profiles.sort((a, b) => PROFILES.indexOf(a) - PROFILES.indexOf(b));
  const order = (a: UsbUse, b: UsbUse): number => b.machines.length - a.machines.length || (a.serialKey < b.serialKey ? -1 : 1);
  const crossClass = all.filter((u) => u.profiles.length > 1).sort(order);
  const manyMachines = all.filter((u) => u.machines.length >= manyThreshold).sort(order);
  const neverSeen: Correlation['neverSeen'] = [];
  for (const { ledger } of ledgers) {
    for (const e of ledger.entries) {
      if (e.isComputer || !e.inUse || e.serialKey === undefined || e.serialKey === '') continue;
      if (uses.has(e.serialKey)) continue;
      neverSeen.push({
        id: e.id, type: e.type, serial: e.serial ?? e.serialKey, class: e.class as Profile,
        ...(e.level ? { level: e.level } : {}), ...(e.owner ? { owner: e.owner } : {}), ...(e.department ? { department: e.department } : {}),
        at: `${e.at.file}${e.at.sheet ? `[${e.at.sheet}]` : ''}:${e.at.row}`,
      });
    }
  }
  return { crossClass, manyMachines, manyThreshold, neverSeen, ledgerGiven: ledgers.length > 0 };
}
