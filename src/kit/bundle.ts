// The CLI as four JavaScript files (esbuild): the command line and the three worker entry points
// (document markings, browser history, the PDFium thread), which it starts by URL relative to itself. Built from the
// installed package's dist/ so that a kit is built wherever baomi is installed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

/** Entry points: output name → file under the package's dist/. */
export const BUNDLE_ENTRIES: Readonly<Record<string, string>> = {
  baomi: 'kit/entry.js',
  'worker-main': 'checks/documents/worker-main.js',
  'history-worker-main': 'checks/network/history-worker-main.js',
  // PDFium runs in a thread of its own, started as ./pdf-thread.js beside the file that reads PDFs
  'pdf-thread': 'formats/docs/pdf-thread.js',
};

/** Where the bundle sits in the kit's app/ folder (the sources find rules/ and package.json two levels up). */
export const BUNDLE_DIR = join('dist', 'bundle');

/** Left out of the bundle: node-usb is a native module used only by live scans, never by a kit's offline ones. */
export const BUNDLE_EXTERNAL = ['usb'];

/**
 * Run-time paths the bundle must see differently from dist/:
 * - the native reader, `require`d as ../../build/Release/… or ../../../build/Release/… relative to
 *   each source file, is app/build/linux-<arch>/baomi_native.node (one per CPU; a missing one is the
 *   JavaScript reader, as for a tool built without a compiler);
 * - a package `require`d at run time by name (`createRequire(import.meta.url)('yaml')`) becomes a
 *   static import, so that it is bundled.
 */
export function rewriteForBundle(source: string): string {
  let out = source.replace(/(['"])(?:\.\.\/)+build\/Release\/baomi_native\.node\1/g, "('../../build/linux-' + process.arch + '/baomi_native.node')");
  const imports: string[] = [];
  out = out.replace(/createRequire\(import\.meta\.url\)\((['"])([^'"./][^'"]*)\1\)/g, (_m, _q: string, spec: string) => {
    const name = `__kitRequire${imports.length}`;
    imports.push(`import * as ${name} from ${JSON.stringify(spec)};`);
    return name;
  });
  return imports.length > 0 ? `${imports.join('\n')}\n${out}` : out;
}

export function kitPlugin(distDir: string): Plugin {
  return {
    name: 'baomi-kit',
    setup(build) {
      const filter = new RegExp(`^${distDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\.js$`);
      build.onLoad({ filter }, async (args) => ({ contents: rewriteForBundle(await readFile(args.path, 'utf8')), loader: 'js' }));
    },
  };
}

/** CommonJS dependencies in an ES module bundle need `require`, `__filename` and `__dirname`. */
export const BUNDLE_BANNER = [
  "import { createRequire as __kitCreateRequire } from 'node:module';",
  "import { fileURLToPath as __kitFileURLToPath } from 'node:url';",
  "import { dirname as __kitDirname } from 'node:path';",
  'const require = __kitCreateRequire(import.meta.url);',
  'const __filename = __kitFileURLToPath(import.meta.url);',
  'const __dirname = __kitDirname(__filename);',
].join('\n');

export interface BundleResult {
  files: string[];
  warnings: string[];
}

/** Bundle `packageRoot`/dist into `outDir` (app/dist/bundle of a kit). */
export async function bundleCli(packageRoot: string, outDir: string): Promise<BundleResult> {
  const esbuild = await import('esbuild');
  const distDir = join(packageRoot, 'dist');
  const entryPoints = Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([k, v]) => [k, join(distDir, v)]));
  const r = await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: BUNDLE_EXTERNAL,
    banner: { js: BUNDLE_BANNER },
    plugins: [kitPlugin(distDir)],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'linked',
    logLevel: 'silent',
    metafile: true,
  });
  const warnings = r.warnings.map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
  return { files: Object.keys(r.metafile?.outputs ?? {}), warnings };
}
