// The `baomi` command line. The only place that decides exit codes:
// 0 clean and complete · 1 findings · 2 usage/config/input error · 3 no findings but incomplete.
import { Command, CommanderError, Option } from 'commander';
import { generateKeyFiles, KeyError } from '../sign/keys.js';
import { inspectCommand, type InspectFlags } from './inspect.js';
import { ledgerValidateCommand } from './ledger.js';
import { rulesListCommand, rulesShowCommand, rulesTestCommand, rulesValidateCommand } from './rules.js';
import { scanCommand, type ScanFlags } from './scan.js';
import { verifyCommand } from './verify.js';
import { registerReport } from './report.js';
import { terminalText, toolVersion, UsageError } from './common.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('baomi')
    .description('保密检查 — inspect a computer (live, or its disk offline) for secrecy-rule violations')
    .version(toolVersion(), '-V, --version')
    .option('--verbose', 'log progress to stderr')
    .option('--log-json', 'log as JSON lines (pino) to stderr')
    .option('--debug', 'debug logs; show stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('scan')
    .description('scan this machine (live) or a mounted disk (--root) and write a signed report')
    .option('--profile <profile>', "machine class: classified | intranet | nonclassified, or 涉密 / 内网 / 非涉密 (default: the ledger row's class, else classified, the strictest)")
    .option('--level <level>', "a classified machine's level: 秘密 | 机密 | 绝密 (default: the ledger row's level, else 秘密)")
    .option('--root <dir>', 'scan the disk mounted at DIR offline (read-only) instead of this machine')
    .option('--rules <path>', 'add a rule file or folder (repeatable); a rule with a built-in id replaces it', collect)
    .option('--only <ids>', 'run only these rule ids (comma-separated)')
    .option('--ledger <file>', "the unit's register of computers and media (台账): XLSX, CSV (UTF-8/GBK) or YAML")
    .option('--paths <path...>', 'folders or files to walk for documents (live scans)')
    .option('--out <dir>', 'where to write the report files', 'baomi-reports')
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(['text', 'json']).default('text'))
    .option('--key <file>', 'Ed25519 private key (PEM) to sign with (default: your key in the config dir, created on first use)')
    .addOption(new Option('--lang <lang>', 'report language (default from LANG)').choices(['zh', 'en']))
    .option('--unit <name>', 'unit (单位) name for the report')
    .option('--department <name>', 'department (部门) for the report')
    .option('--probe-timeout <ms>', "override every probe's time budget (ms)")
    .addOption(new Option('--evidence <level>', 'minimal: counts and hosts; full: also visited URLs').choices(['minimal', 'full']).default('minimal'))
    .action(async (opts: ScanFlags, cmd: Command) => {
      setExit(await scanCommand({ ...cmd.optsWithGlobals(), ...opts }));
    });

  program
    .command('verify')
    .description("check a report's signature and those of the text and HTML reports beside it (REPORT.txt, REPORT.html); with --pubkey also that they were signed by that key; exit 1 when any file fails or is missing")
    .argument('<files...>', 'report .json files (the .json.sig, .txt, .txt.sig, .html and .html.sig beside each)')
    .option('--pubkey <file>', 'public key (PEM) the reports must be signed with')
    .action(async (files: string[], opts: { pubkey?: string }) => setExit(await verifyCommand(files, opts)));

  program
    .command('inspect')
    .description('decode one artifact (registry hive, setupapi log, kernel log, browser history, WLAN profile, or any document) to show what it holds; the type is sniffed from the bytes')
    .argument('<file>')
    .option('--key <path>', 'hive: the key to show (e.g. ControlSet001\\Enum\\USBSTOR); CurrentControlSet is resolved')
    .option('--depth <n>', 'hive: levels of subkeys to expand (default: all under --key, none at the root)')
    .option('--urls', 'browser history: also list the visited internet URLs')
    .option('--usb', 'SYSTEM hive: the USB devices it recorded, merged per physical device')
    .option('--keyword <word>', 'document: also look for this unit keyword (repeatable)', collect)
    .option('--no-logs', 'hive: show the primary file as is, without replaying the .LOG1/.LOG2 transaction logs beside it')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: InspectFlags) => setExit(await inspectCommand(file, opts)));

  const keys = program.command('keys').description('manage signing keys');
  keys
    .command('generate')
    .description('create an Ed25519 key pair: DIR/baomi.key (private, 0600) and DIR/baomi.pub')
    .requiredOption('--out <dir>', 'folder for the key files')
    .option('--force', 'overwrite an existing key')
    .action(async (opts: { out: string; force?: boolean }) => {
      try {
        const k = await generateKeyFiles(opts.out, Boolean(opts.force));
        process.stdout.write(`${k.keyId}\nprivate key: ${k.privatePath}\npublic key:  ${k.publicPath}\n`);
      } catch (err) {
        if (err instanceof KeyError) throw new UsageError(err.message);
        throw err;
      }
      setExit(0);
    });

  const ledger = program.command('ledger').description("the unit's register of computers and removable media (台账)");
  ledger
    .command('validate')
    .description('check a ledger file (XLSX, CSV in UTF-8 or GBK, YAML): every problem with its row; exit 2 on errors')
    .argument('<file>')
    .addOption(new Option('--lang <lang>').choices(['zh', 'en']))
    .action(async (file: string, opts: { lang?: string }) => setExit(await ledgerValidateCommand(file, opts)));

  const rules = program.command('rules').description('list, show and validate rules');
  rules
    .command('list')
    .description('list the rules (built-in plus --rules)')
    .option('--rules <path>', 'add a rule file or folder (repeatable)', collect)
    .option('--profile <profile>', 'only rules of this machine class')
    .addOption(new Option('--lang <lang>').choices(['zh', 'en']))
    .action(async (opts: { rules?: string[]; profile?: string; lang?: string }) => setExit(await rulesListCommand(opts)));
  rules
    .command('show')
    .description('show one rule as YAML')
    .argument('<id>')
    .option('--rules <path>', 'add a rule file or folder (repeatable)', collect)
    .action(async (id: string, opts: { rules?: string[] }) => setExit(await rulesShowCommand(id, opts)));
  rules
    .command('validate')
    .description('check rule files (every problem, with file and line); exit 2 when any')
    .argument('<paths...>')
    .action(async (paths: string[]) => setExit(await rulesValidateCommand(paths)));
  rules
    .command('test')
    .description("run the rules' cases (a machine, an observation, the expected verdict); exit 1 when one fails, 2 when the files do not load")
    .argument('<paths...>')
    .action(async (paths: string[]) => setExit(await rulesTestCommand(paths)));

  registerReport(program, setExit);
  return program;
}

/** Run the CLI; resolves to the exit code (never calls process.exit itself). */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return 2; // commander already printed the message
    }
    if (err instanceof UsageError) {
      process.stderr.write(`${terminalText(`baomi: ${err.message}`)}\n`);
      for (const d of err.details) process.stderr.write(`  ${terminalText(d)}\n`);
      return 2;
    }
    process.stderr.write(`${terminalText(`baomi: internal error: ${(err as Error)?.message ?? String(err)}`)}\n`);
    if (debug) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    else process.stderr.write('baomi: run again with --debug for details\n');
    return 2;
  }
}
