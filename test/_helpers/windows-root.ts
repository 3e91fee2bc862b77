// Builds an offline Windows root in a temp folder from fixture hives, as the kit would see a
// mounted Windows disk: <root>/Windows/System32/config/{SYSTEM,SOFTWARE}.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
export const HIVES = join(FIXTURES, 'windows', 'hives');
export const SOFTWARE_SAMPLE = join(FIXTURES, 'windows', 'software', 'SOFTWARE-sample.hive.xz');

/** Bytes of a fixture file, decompressing `.xz`. */
export function fixtureBytes(path: string): Buffer {
  return path.endsWith('.xz') ? execFileSync('xz', ['-dc', path], { maxBuffer: 256 * 1024 * 1024 }) : execFileSync('cat', [path], { maxBuffer: 256 * 1024 * 1024 });
}

export interface WindowsRootSpec {
  /** Fixture name under fixtures/windows/hives (e.g. `win10-SYSTEM_B.xz`), or raw bytes. */
  system?: string | Buffer;
  /** Path of a SOFTWARE hive (default: none). */
  software?: string;
  /** Extra files: target path → content. */
  files?: Record<string, string | Buffer>;
}

export async function makeWindowsRoot(spec: WindowsRootSpec): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'baomi-winroot-'));
  const config = join(root, 'Windows', 'System32', 'config');
  if (spec.system !== undefined || spec.software !== undefined) await mkdir(config, { recursive: true });
  if (spec.system !== undefined) {
    await writeFile(join(config, 'SYSTEM'), typeof spec.system === 'string' ? fixtureBytes(join(HIVES, spec.system)) : spec.system);
  }
  if (spec.software !== undefined) await writeFile(join(config, 'SOFTWARE'), fixtureBytes(spec.software));
  for (const [p, content] of Object.entries(spec.files ?? {})) {
    const host = join(root, p);
    await mkdir(join(host, '..'), { recursive: true });
    await writeFile(host, content);
  }
  return root;
}
