// The sqlite3 CLI as an independent reader for cross-checks (optional: tests that need it say so).
import { execFileSync } from 'node:child_process';

function hasSqlite3(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export const SQLITE3 = hasSqlite3();
if (!SQLITE3) console.warn('sqlite3 CLI not installed: independent SQLite cross-checks skipped (apt-get install sqlite3); hard-coded expectations still run');
