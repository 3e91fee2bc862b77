// `baomi kit build`: the bootable-USB kit (src/kit/build.ts, docs/kit.md).
import { Option, type Command } from 'commander';
import { KitBuildError, buildKit, KIT_SIZE_TARGET_MB } from '../kit/build.js';
import { defaultCacheDir, RuntimeError } from '../kit/runtime.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';
import { PACKAGE_ROOT, pickLang, terminalText, toolVersion, UsageError } from './common.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export interface KitBuildFlags {
  out: string;
  ledger?: string;
  rules?: string[];
  cache?: string;
  lang?: string;
}

export async function kitBuildCommand(flags: KitBuildFlags): Promise<number> {
  const lang = pickLang(flags.lang);
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
    if (err instanceof KitBuildError) throw new UsageError(err.message, err.details);
    if (err instanceof RuntimeError) throw new UsageError(err.text(lang));
    throw err;
  }
}

export function registerKit(program: Command, setExit: (code: number) => void): void {
  const kit = program.command('kit').description('the bootable USB kit: scan machines offline from a live Linux');
  kit
    .command('build')
    .description('build a kit folder to copy onto a USB stick: bundled CLI, Node runtimes for linux-x64 and linux-arm64 (npm packages), rules, ledger, a kit signing key, results/, launcher baomi.sh')
    .requiredOption('--out <dir>', 'folder for the kit (new or empty)')
    .option('--ledger <file>', "the unit's ledger (台账) the kit's scans use")
    .option('--rules <path>', 'add a rule file or folder (repeatable)', collect)
    .option('--cache <dir>', 'where fetched Node runtimes are kept between builds (default: $BAOMI_KIT_CACHE, else ~/.cache/baomi/kit)')
    .addOption(new Option('--lang <lang>').choices(['zh', 'en']))
    .action(async (opts: KitBuildFlags) => setExit(await kitBuildCommand(opts)));
}
