// The unit's ledger (台账): reading (XLSX / CSV / YAML), validation, and device ↔ ledger matching.
export type {
  Ledger,
  LedgerClass,
  LedgerEntry,
  LedgerLocation,
  LedgerMatch,
  LedgerMatchEntry,
  LedgerProblem,
  SecretLevel,
} from './types.js';
export { SECRET_LEVELS } from './types.js';
export {
  HEADER_ALIASES,
  decodeText,
  headerField,
  isComputerType,
  isOpticalType,
  parseClass,
  parseCsv,
  parseLedger,
  parseLevel,
  parseStatus,
  parseYesNo,
  readLedger,
  validateLedger,
  type LedgerField,
  type ReadLedgerResult,
} from './read.js';
export { formatLocation, isSynthesizedSerial, machineEntry, machineRow, matchDevice, normalizeUsbId, serialKey } from './match.js';
