// The two run-time paths the bundle sees differently from dist/ (src/kit/bundle.ts).
import { describe, expect, it } from 'vitest';
import { BUNDLE_EXTERNAL, rewriteForBundle } from '../../src/kit/bundle.js';

describe('rewriteForBundle', () => {
  it('every relative path to the native reader becomes the per-CPU one beside the bundle', () => {
    const a = rewriteForBundle("m = createRequire(import.meta.url)('../../build/Release/baomi_native.node');");
    const b = rewriteForBundle('m = createRequire(import.meta.url)("../../../build/Release/baomi_native.node");');
    for (const s of [a, b]) expect(s).toContain("('../../build/linux-' + process.arch + '/baomi_native.node')");
  });
  it('a package required by name at run time becomes a static import; relative requires are left alone', () => {
    const s = rewriteForBundle("const { parse } = createRequire(import.meta.url)('yaml');\nconst x = createRequire(import.meta.url)('./local.js');");
    expect(s.startsWith('import * as __kitRequire0 from "yaml";\n')).toBe(true);
    expect(s).toContain('const { parse } = __kitRequire0;');
    expect(s).toContain("createRequire(import.meta.url)('./local.js')");
  });
  it('node-usb (live scans only, native) is left out of the bundle', () => {
    expect(BUNDLE_EXTERNAL).toEqual(['usb']);
  });
});
