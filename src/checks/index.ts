// The one explicit registry of probes (as ESLint's lib/rules/index.js): nothing is discovered by
// scanning the file system, so a rule naming an unknown probe is an error at load time.
import type { Probe } from '../engine/types.js';
import { documentMarkingsProbe } from './documents/markings.js';
import { identityProbe } from './identity/identity.js';
import { connectionsProbe } from './network/connections.js';
import { networkHistoryProbe } from './network/history.js';
import { reachabilityProbe } from './network/reachability.js';
import { securityPostureProbe } from './posture/posture.js';
import { printersProbe } from './printers/printers.js';
import { softwareInstalledProbe } from './software/installed.js';
import { usbDevicesProbe, usbHistoryProbe } from './usb/history.js';
import { wirelessAdaptersProbe } from './wireless/adapters.js';
import { wirelessHistoryProbe } from './wireless/history.js';

export const PROBES: readonly Probe[] = [identityProbe, wirelessAdaptersProbe, wirelessHistoryProbe, networkHistoryProbe, reachabilityProbe, connectionsProbe, usbHistoryProbe, usbDevicesProbe, documentMarkingsProbe, softwareInstalledProbe, securityPostureProbe, printersProbe];

export const PROBE_MAP: ReadonlyMap<string, Probe> = new Map(PROBES.map((p) => [p.id, p]));
