// `baomi keys generate --out DIR`: an Ed25519 key pair for signing reports.
import type { Command } from 'commander';
import { generateKeyFiles, KeyError } from '../sign/keys.js';
import { cliWords, type Words } from '../report/messages.js';
import { type CliContext, UsageError } from './common.js';
import { addCommand } from './help.js';

/**
 * A KeyError (src/sign/keys.ts, English only) in both languages: its known forms get catalogue words
 * (the system's own error text, English, is left out of the Chinese); any other keeps its English.
 */
export function keyErrorWords(err: KeyError): Words {
  const m = err.message;
  const words = (w: Words): Words => ({ zh: w.zh, en: m });
  let r: RegExpExecArray | null;
  if ((r = /^(.*) already exists; not overwriting a signing key$/s.exec(m))) return words(cliWords('keys.err.exists', { path: r[1]! }));
  if ((r = /^cannot read signing key (.*?): /s.exec(m))) return words(cliWords('keys.err.read', { path: r[1]! }));
  if ((r = /^signing key (.*) is a symbolic link/s.exec(m))) return words(cliWords('keys.err.symlink', { path: r[1]! }));
  if ((r = /^signing key (.*) is not a regular file$/s.exec(m))) return words(cliWords('keys.err.notFile', { path: r[1]! }));
  if ((r = /^signing key (.*) is readable by others \(permissions (\d+)\)/s.exec(m))) return words(cliWords('keys.err.mode', { path: r[1]!, mode: r[2]! }));
  if ((r = /^(.*) is not a private key in PEM\/DER form/s.exec(m))) return words(cliWords('keys.err.notPrivate', { path: r[1]! }));
  if ((r = /^(.*) is an? \S+ key; baomi signs with Ed25519$/s.exec(m))) return words(cliWords('keys.err.notEd25519', { path: r[1]! }));
  if ((r = /^cannot read public key (.*?): /s.exec(m))) return words(cliWords('keys.err.readPublic', { path: r[1]! }));
  if ((r = /^no signing key at (.*), and none is made here/s.exec(m))) return words(cliWords('keys.err.noCreateLive', { path: r[1]! }));
  if ((r = /^(.*) is not an Ed25519 public key/s.exec(m))) return words(cliWords('keys.err.notPublic', { path: r[1]! }));
  return { zh: `${cliWords('keys.err.other').zh}：${m}`, en: m };
}

/** A KeyError as the usage error it is (exit 2); anything else is rethrown. */
export function asUsageError(err: unknown): never {
  if (err instanceof KeyError) throw new UsageError(keyErrorWords(err));
  throw err;
}

export function registerKeys(program: Command, cx: CliContext): void {
  const keys = addCommand(program, cx, 'keys', [0, 2]);
  addCommand(keys, cx, 'keys.generate', [0, 2])
    .requiredOption('--out <dir>', cx.t('keys.generate.opt.out'))
    .option('--force', cx.t('keys.generate.opt.force'))
    .action(async (opts: { out: string; force?: boolean }) => {
      const k = await generateKeyFiles(opts.out, Boolean(opts.force)).catch(asUsageError);
      process.stdout.write(`${k.keyId}\n${cx.t('keys.private', { path: k.privatePath })}\n${cx.t('keys.public', { path: k.publicPath })}\n`);
      cx.setExit(0);
    });
}
