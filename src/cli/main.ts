// The `baomi` command line. The only place that decides exit codes:
// 0 clean and complete · 1 findings · 2 usage/config/input error · 3 no findings but incomplete.
// The language (--lang, else the locale) is decided before commander parses, so that the help and
// commander's own errors are in it too; every word comes from src/report/messages-cli.ts.
import { Command, CommanderError, Option } from 'commander';
import { registerInspect } from './inspect.js';
import { registerKeys } from './keys.js';
import { registerLedger } from './ledger.js';
import { registerRules } from './rules.js';
import { registerScan } from './scan.js';
import { registerVerify } from './verify.js';
import { cliContext, langOfArgv, terminalText, toolVersion, UsageError, type CliContext } from './common.js';
import { BaomiCommand, configureProgram, describeCommand } from './help.js';
import { registerKit } from './kit.js';
import { registerResults } from './results.js';
import { registerReport } from './report.js';

/**
 * Every command, in the order of the program's help. A new command is a module exporting
 * `register…(parent, cx)` (built with addCommand from ./help.js) plus one import and one entry here.
 */
const COMMANDS: ReadonlyArray<(program: Command, cx: CliContext) => void> = [
  registerScan,
  registerVerify,
  registerInspect,
  registerKeys,
  registerLedger,
  registerRules,
  registerKit,
  registerResults,
  registerReport,
];

function buildProgram(cx: CliContext): Command {
  const program = new BaomiCommand('baomi');
  configureProgram(program, cx);
  describeCommand(program, cx, 'program', [0, 1, 2, 3, 130]);
  program
    .version(toolVersion(), '-V, --version', cx.t('opt.version'))
    .addOption(new Option('--lang <lang>', cx.t('opt.lang')).choices(['zh', 'en']))
    .option('--verbose', cx.t('opt.verbose'))
    .option('--log-json', cx.t('opt.logJson'))
    .option('--debug', cx.t('opt.debug'));
  for (const register of COMMANDS) register(program, cx);
  return program;
}

/** Run the CLI; resolves to the exit code (never calls process.exit itself). */
/**
 * A reader that goes away (`baomi scan | head`) is not an error of the command: what it writes after
 * is dropped and the command ends with its own exit code, instead of a stack trace of an unhandled
 * EPIPE. Any other stream error is thrown as before.
 */
export function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  const marked = stream as { baomiQuietPipe?: boolean };
  if (marked.baomiQuietPipe) return; // once per stream, however often main() runs (the kit calls it per volume)
  marked.baomiQuietPipe = true;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  ignoreClosedReader(process.stdout);
  ignoreClosedReader(process.stderr);
  let code = 0;
  const lang = langOfArgv(argv, env);
  const cx = cliContext(lang, (c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    const program = buildProgram(cx);
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return 2; // commander already printed the message
    }
    if (err instanceof UsageError) {
      const { message, details } = err.lines(lang);
      process.stderr.write(`${terminalText(`baomi: ${message}`)}\n`);
      for (const d of details) process.stderr.write(`  ${terminalText(d)}\n`);
      return 2;
    }
    process.stderr.write(`${terminalText(`baomi: ${cx.t('main.internal', { message: (err as Error)?.message ?? String(err) })}`)}\n`);
    if (debug) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    else process.stderr.write(`baomi: ${cx.t('main.debugHint')}\n`);
    return 2;
  }
}
