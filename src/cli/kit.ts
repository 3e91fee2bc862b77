// `baomi kit build`: the bootable-USB kit (src/kit/build.ts, docs/kit.md).
import type { Command } from 'commander';
import { KitBuildError, buildKit, KIT_SIZE_TARGET_MB } from '../kit/build.js';
import { defaultCacheDir, RuntimeError } from '../kit/runtime.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';
import { cliContext, PACKAGE_ROOT, terminalText, toolVersion, UsageError, type CliContext } from './common.js';
import { addCommand } from './help.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface KitBuildFlags {
  out: string;
  ledger?: string;
  rules?: string[];
  cache?: string;
}

/** Exit 0 built; a usage error (exit 2) when the folder, the ledger, a rule file or a runtime is wrong. */
export async function kitBuildCommand(flags: KitBuildFlags, cx: CliContext = cliContext('en')): Promise<number> {
  const lang = cx.lang;
  const say = (s: string): void => void process.stderr.write(`${terminalText(`baomi: ${s}`)}\n`);
  try {
    const r = await buildKit({
      out: flags.out,
      ...(flags.ledger !== undefined ? { ledger: flags.ledger } : {}),
      ...(flags.rules ? { rules: flags.rules } : {}),
      packageRoot: PACKAGE_ROOT,
      version: toolVersion(),
      cacheDir: flags.cache ?? defaultCacheDir(),
      lang,
      log: say,
    });
    for (const wng of r.bundleWarnings) say(wng);
    const mb = (r.bytes / 1e6).toFixed(1);
    process.stdout.write(`${terminalText(kitWords(KIT_MSG.buildDone, lang, { dir: r.dir }))}\n`);
    process.stdout.write(`${terminalText(kitWords(KIT_MSG.buildKeyId, lang, { keyId: r.manifest.keyId, key: `${r.dir}/${r.manifest.key}` }))}\n`);
    process.stdout.write(`${kitWords(KIT_MSG.buildSize, lang, { mb })}\n`);
    if (r.bytes > KIT_SIZE_TARGET_MB * 1e6) say(kitWords(KIT_MSG.buildSizeOver, lang, { mb, target: KIT_SIZE_TARGET_MB }));
    return 0;
  } catch (err) {
    // buildKit words its errors in `lang`, the language main prints the usage error in.
    if (err instanceof KitBuildError) throw new UsageError(err.message, err.details);
    if (err instanceof RuntimeError) throw new UsageError({ zh: err.text('zh'), en: err.text('en') });
    throw err;
  }
}

export function registerKit(program: Command, cx: CliContext): void {
  const kit = addCommand(program, cx, 'kit', [0, 2]);
  addCommand(kit, cx, 'kit.build', [0, 2])
    .requiredOption('--out <dir>', cx.t('kit.build.opt.out'))
    .option('--ledger <file>', cx.t('kit.build.opt.ledger'))
    .option('--rules <path>', cx.t('kit.build.opt.rules'), collect)
    .option('--cache <dir>', cx.t('kit.build.opt.cache'))
    .action(async (opts: KitBuildFlags) => cx.setExit(await kitBuildCommand(opts, cx)));
}
