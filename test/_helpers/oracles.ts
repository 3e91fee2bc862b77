// Independent tools the tests compare against or need (hivexregedit, journalctl, sqlite3…).
// CI sets BAOMI_ORACLES_REQUIRED=1 (.ci/run): there a missing tool makes its tests FAIL instead of
// being skipped, so a comparison can never pass by not running. On a developer machine without the
// tool they are skipped, and say so.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const ORACLES_REQUIRED = process.env['BAOMI_ORACLES_REQUIRED'] === '1';

/** CI builds the native addon (BAOMI_NATIVE_REQUIRED=1): there a test of it fails when it is missing, instead of being skipped. */
export const NATIVE_REQUIRED = process.env['BAOMI_NATIVE_REQUIRED'] === '1';

/** Full path of an executable on PATH, or undefined. */
export function toolPath(name: string): string | undefined {
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    if (d === '') continue;
    try {
      accessSync(join(d, name), constants.X_OK);
      return join(d, name);
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * For `it.skipIf(skipWithout('hivexregedit'))`: true (skip) only when the tool is missing and
 * oracles are not required; when required and missing, false — the test runs, and `requireTool`
 * (or the tool's own absence) fails it.
 */
export function skipWithout(name: string): boolean {
  return toolPath(name) === undefined && !ORACLES_REQUIRED;
}

/** The tool's path; throws (failing the test) when it is missing. */
export function requireTool(name: string): string {
  const p = toolPath(name);
  if (p === undefined) throw new Error(`${name} is needed by this test and is not installed${ORACLES_REQUIRED ? ' (BAOMI_ORACLES_REQUIRED=1)' : ''}`);
  return p;
}
