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
    rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}

/** `chromium`, else `chromium-browser` (Ubuntu's name), on PATH. */
export function chromiumName(): string {
  return toolPath('chromium') !== undefined ? 'chromium' : toolPath('chromium-browser') !== undefined ? 'chromium-browser' : 'chromium';
}

/**
 * Open `url` in headless Chromium (offline, as runChromium) and evaluate `expression` in the page
 * once it has run its script (`data-ready`), over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`: file descriptors 3 and 4, messages ending in NUL). Returns the value
 * (JSON-serialisable). This is how a test reads `document.body.innerText`: the text as rendered.
 */
export async function evaluateInChromium(chromium: string, url: string, expression: string, env: Record<string, string> = {}): Promise<unknown> {
  const { spawn } = await import('node:child_process');
  const profile = mkdtempSync(join(tmpdir(), 'baomi-chromium-'));
  const flags = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`,
    '--remote-debugging-pipe', '--window-size=1200,1600',
  ];
  const netns = canUnshareNet();
  const cmd = netns ? 'unshare' : chromium;
  const argv = netns
    ? ['-rn', '--', chromium, ...flags, 'about:blank']
    : [...flags, '--proxy-server=http://127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND', 'about:blank'];
  // its own process group: the browser's helpers (zygote, renderers, crash handler) are ended with it
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env, HOME: profile }, detached: true });
  const killAll = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const toBrowser = child.stdio[3] as NodeJS.WritableStream;
  const fromBrowser = child.stdio[4] as NodeJS.ReadableStream;
  let seq = 0;
  const waiting = new Map<number, { ok: (v: Record<string, unknown>) => void; fail: (e: Error) => void }>();
  let buf = '';
  fromBrowser.on('data', (b: Buffer) => {
    buf += b.toString('utf8');
    let i;
    while ((i = buf.indexOf('\0')) >= 0) {
      const m = JSON.parse(buf.slice(0, i)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      buf = buf.slice(i + 1);
      const w = m.id !== undefined ? waiting.get(m.id) : undefined;
      if (!w) continue;
      waiting.delete(m.id!);
      if (m.error) w.fail(new Error(m.error.message));
      else w.ok(m.result ?? {});
    }
  });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((ok, fail) => {
      const id = ++seq;
      waiting.set(id, { ok, fail });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const deadline = setTimeout(killAll, 90_000);
  try {
    const { targetId } = (await send('Target.createTarget', { url })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    for (let i = 0; i < 200; i++) {
      // while the tab navigates from about:blank to the page, an evaluation can fail ("execution
      // context was destroyed", "cannot find context"): that is "not ready yet", not an error
      const r = (await send('Runtime.evaluate', { expression: "document.readyState === 'complete' && document.documentElement.getAttribute('data-ready') === '1'", returnByValue: true }, sessionId).catch(() => undefined)) as { result: { value?: unknown } } | undefined;
      if (r?.result.value === true) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const r = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
    await send('Browser.close').catch(() => undefined);
    return r.result.value;
  } finally {
    clearTimeout(deadline);
    // closed by Browser.close above when all went well: give it a moment to go by itself
    await Promise.race([exited, new Promise((res) => setTimeout(res, 3000))]);
    killAll();
    await exited;
    // a helper that outlived the browser may still be writing into the profile for a moment
    rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}
