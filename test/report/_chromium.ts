// Headless Chromium (Debian's `chromium`) for tests, always offline: in a new network namespace
// (`unshare -rn`: no interface but loopback, and loopback is down) when the kernel allows it, else
// with every host name mapped to nothing and a dead proxy. The page itself also forbids every
// network request by its Content-Security-Policy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from '../_helpers/oracles.js';

let netns: boolean | undefined;

function canUnshareNet(): boolean {
  if (netns === undefined) {
    const r = spawnSync('unshare', ['-rn', '--', 'true'], { timeout: 10_000 });
    netns = r.status === 0;
  }
  return netns;
}

export interface ChromiumRun {
  status: number | null;
  stdout: string;
  stderr: string;
  offline: 'netns' | 'flags';
}

/** Run `chromium --headless=new … url` offline; `args` are extra flags (--screenshot=…, --dump-dom…). */
export function runChromium(chromium: string, args: string[], url: string): ChromiumRun {
  const profile = mkdtempSync(join(tmpdir(), 'baomi-chromium-'));
  const flags = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`,
  ];
  const netns = canUnshareNet();
  const cmd = netns ? 'unshare' : chromium;
  const argv = netns
    ? ['-rn', '--', chromium, ...flags, ...args, url]
    : [...flags, '--proxy-server=http://127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND', ...args, url];
  try {
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: profile } });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', offline: netns ? 'netns' : 'flags' };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** `chromium`, else `chromium-browser` (Ubuntu's name), on PATH. */
export function chromiumName(): string {
  return toolPath('chromium') !== undefined ? 'chromium' : toolPath('chromium-browser') !== undefined ? 'chromium-browser' : 'chromium';
}
