// Test helper: run ./_netns-runner.mjs inside a fresh user + network + mount namespace
// (`unshare -rnm`), where only `lo` exists and /etc/resolv.conf, /etc/hosts and
// /etc/nsswitch.conf are replaced by private bind mounts. The namespace dies with the runner
// process; `killRunners()` (called from afterAll) ends any runner still alive.
//
// The runner is a plain Node process, which cannot import TypeScript: the probe's sources (and
// everything they import from src/) are transpiled with the project's own `typescript` into a
// temporary folder first, so the tests always run what is in src/ now, whether or not `dist/`
// was built.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');
const SRC = join(REPO, 'src');
const RUNNER = join(import.meta.dirname, '_netns-runner.mjs');

/** Fail loudly (never skip) when namespaces cannot be made here. */
export function requireUnshare(): void {
  const r = spawnSync('unshare', ['-rnm', '--', 'ip', 'link', 'show', 'lo'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      'these tests need `unshare -rnm` (util-linux) and `ip` (iproute2) with unprivileged user namespaces ' +
        `(or root): ${r.error?.message ?? r.stderr.trim()}. Install util-linux and iproute2; ` +
        'on Debian with kernel.unprivileged_userns_clone=0 run as root.',
    );
  }
}

/** Transpile `entries` (paths under src/, `.ts`) and every relative import they reach into a temp dir. */
export function transpileSources(entries: readonly string[]): string {
  const out = mkdtempSync(join(tmpdir(), 'baomi-netns-mod-'));
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const seen = new Set<string>();
  const queue = entries.map((e) => join(SRC, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        // ES modules (NodeNext would need the package type, which transpileModule cannot see).
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    }).outputText;
    const dest = join(out, relative(SRC, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
    // Relative imports that survive transpiling (type-only ones are gone) are followed.
    for (const m of js.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      const dep = resolve(dirname(file), `${m[1]}.ts`);
      if (existsSync(dep)) queue.push(dep);
    }
  }
  return out;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

const live = new Set<ChildProcess>();

export interface RunnerResult<T> {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: T;
}

/** Start the runner in a new namespace with `config`; resolve with its parsed JSON output. */
export function runInNetns<T>(config: Record<string, unknown>, timeoutMs = 30_000): Promise<RunnerResult<T>> {
  const full = {
    ...config,
    parentNetns: readlinkSync('/proc/self/ns/net'),
    parentMntns: readlinkSync('/proc/self/ns/mnt'),
  };
  return new Promise((resolvePromise, reject) => {
    // A clean environment: no proxies or resolver overrides inherited from the developer's shell.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
    const child = spawn('unshare', ['-rnm', '--', process.execPath, RUNNER, JSON.stringify(full)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      live.delete(child);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      live.delete(child);
      let json: T | undefined;
      try {
        json = code === 0 ? (JSON.parse(stdout) as T) : undefined;
      } catch {
        json = undefined;
      }
      resolvePromise({ code, stdout, stderr, ...(json !== undefined ? { json } : {}) });
    });
  });
}

/** End runners still alive (their namespaces go with them). */
export function killRunners(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

/**
 * One runner scenario inside a fresh namespace, with the probe sources transpiled for it.
 * Returns the runner's JSON and the folder to clean up with `endScenario`.
 */
export async function runScenario<T>(scenario: string): Promise<{ out: T; modDir: string }> {
  requireUnshare();
  const modDir = transpileSources(['target/fs-target.ts', 'checks/network/reachability.ts', 'checks/network/connections.ts']);
  const r = await runInNetns<T>({ scenario, modDir });
  if (r.json === undefined) throw new Error(`namespace runner failed (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
  return { out: r.json, modDir };
}

export function endScenario(modDir: string | undefined): void {
  killRunners();
  removeDir(modDir);
}
