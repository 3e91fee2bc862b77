// Hardware identity of a running Windows machine — the serial the ledger knows it by, its board,
// disks and network cards — asked of Windows itself through one PowerShell query (CIM classes any
// user may read), run by the target's command runner like every other live Windows command, so the
// tests answer it from a recorded output instead of reading the test machine.
import type { CoverageItem } from '../../engine/types.js';
import type { Target } from '../../target/types.js';
import { liveGap, psStr, runPowerShellJson } from '../windows/live.js';
import { cleanValue } from './hardware.js';
import { dedupeMacs } from './linux.js';
import type { IdentityObservation } from './types.js';

/** One object: the product (vendor, model, serial, UUID), BIOS serial, board, disks, physical network cards. */
export const PS_HARDWARE =
  "[pscustomobject]@{ product = (Get-CimInstance Win32_ComputerSystemProduct | Select-Object Vendor,Name,IdentifyingNumber,UUID); bios = (Get-CimInstance Win32_BIOS | Select-Object SerialNumber); board = (Get-CimInstance Win32_BaseBoard | Select-Object Manufacturer,Product,SerialNumber); disks = @(Get-CimInstance Win32_DiskDrive | Select-Object Index,Model,SerialNumber,Size,InterfaceType); nics = @(Get-CimInstance Win32_NetworkAdapter -Filter 'PhysicalAdapter=True' | Select-Object Name,NetConnectionID,MACAddress) }";

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.map(obj) : v === null || v === undefined ? [] : [obj(v)]);

/** Fill `obs` from the query's answer (a pure function: the tests give it recorded answers). */
export function applyWindowsHardware(answer: Record<string, unknown>, obs: IdentityObservation): void {
  const src = 'PowerShell CIM (Win32_ComputerSystemProduct, Win32_BIOS, Win32_BaseBoard)';
  const product = obj(answer['product']);
  const bios = obj(answer['bios']);
  const board = obj(answer['board']);
  const hw = (obs.hardware ??= {});
  const set = (k: keyof typeof hw, v: string | undefined): void => {
    const c = cleanValue(v);
    if (hw[k] === undefined && c !== undefined) {
      hw[k] = k === 'uuid' ? c.toLowerCase() : c;
      obs.sources[`hardware.${k}`] = src;
    }
  };
  set('vendor', psStr(product, 'Vendor'));
  set('model', psStr(product, 'Name'));
  // the product's serial; a machine whose product has none (a white box) often has it in the BIOS
  set('serial', psStr(product, 'IdentifyingNumber'));
  set('serial', psStr(bios, 'SerialNumber'));
  set('uuid', psStr(product, 'UUID'));
  set('boardVendor', psStr(board, 'Manufacturer'));
  set('boardName', psStr(board, 'Product'));
  set('boardSerial', psStr(board, 'SerialNumber'));
  for (const d of list(answer['disks'])) {
    const serial = cleanValue(psStr(d, 'SerialNumber'));
    const model = cleanValue(psStr(d, 'Model'));
    const size = typeof d['Size'] === 'number' ? d['Size'] : typeof d['Size'] === 'string' && /^\d+$/.test(d['Size']) ? Number(d['Size']) : undefined;
    const index = typeof d['Index'] === 'number' ? d['Index'] : obs.disks.length;
    obs.disks.push({ name: `PhysicalDrive${index}`, ...(model ? { model } : {}), ...(serial ? { serial } : {}), ...(size ? { sizeBytes: size } : {}), source: 'PowerShell CIM (Win32_DiskDrive)' });
  }
  for (const n of list(answer['nics'])) {
    const mac = psStr(n, 'MACAddress');
    if (!mac || !/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$/.test(mac) || /^(00[:-]){5}00$/.test(mac)) continue;
    obs.macs.push({ mac: mac.toLowerCase().replace(/-/g, ':'), iface: psStr(n, 'NetConnectionID') ?? psStr(n, 'Name') ?? '?', source: 'PowerShell CIM (Win32_NetworkAdapter)' });
  }
  obs.macs = dedupeMacs(obs.macs);
}

/** Ask the running Windows machine; what it could not say is a gap, not a guess. */
export async function liveWindowsHardware(target: Target, obs: IdentityObservation, coverage: CoverageItem[]): Promise<void> {
  let answer: Record<string, unknown> | undefined;
  try {
    answer = (await runPowerShellJson(target, PS_HARDWARE, { timeoutMs: 90_000 }))[0];
  } catch (err) {
    coverage.push(liveGap(err, 'hardware serial, board, disks and network cards could not be read', false));
    return;
  }
  if (answer) applyWindowsHardware(answer, obs);
  if (obs.hardware?.serial === undefined) coverage.push({ kind: 'not-recorded', reason: 'Windows reports no hardware serial for this machine (product and BIOS)' });
  if (obs.macs.length === 0) coverage.push({ kind: 'not-recorded', reason: 'no physical network card with a MAC address was listed' });
  if (obs.disks.length === 0) coverage.push({ kind: 'not-recorded', reason: 'no disk was listed' });
}
