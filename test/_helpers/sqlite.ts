// The sqlite3 CLI as an independent reader for cross-checks (optional: tests that need it say so).
import { execFileSync } from 'node:child_process';
import { ORACLES_REQUIRED } from './oracles.js';

function hasSqlite3(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export const SQLITE3 = hasSqlite3();
// In CI (BAOMI_ORACLES_REQUIRED=1) the cross-checks must run: a missing sqlite3 fails every test file that uses it.
if (!SQLITE3 && ORACLES_REQUIRED) throw new Error('sqlite3 CLI is required here (BAOMI_ORACLES_REQUIRED=1): apt-get install sqlite3');
if (!SQLITE3) console.warn('sqlite3 CLI not installed: independent SQLite cross-checks skipped (apt-get install sqlite3); hard-coded expectations still run');
