// Bilingual help and errors with commander's own hooks: configureHelp (section titles, placeholders,
// choices and defaults), addHelpText (examples and exit codes), configureOutput (errors made printable)
// and a Command subclass whose error() words commander's errors (unknown option, missing argument,
// invalid choice …) from the catalogue. The language is decided before parsing (langOfArgv), since
// commander prints help and errors while it parses.
import { Command, Help, type Argument, type ErrorOptions, type HelpConfiguration, type Option } from 'commander';
import { isCliKey, type CliKey } from '../report/messages.js';
import type { Lang } from '../report/text.js';
import { cliContext, terminalText, type CliContext } from './common.js';

/** A command whose commander errors are worded in its language (subcommands inherit it). */
export class BaomiCommand extends Command {
  lang: Lang = 'en';
  override createCommand(name?: string): BaomiCommand {
    const c = new BaomiCommand(name);
    c.lang = this.lang;
    return c;
  }
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(commanderErrorText(message, errorOptions?.code, this.lang), errorOptions);
  }
}

const TITLES: Readonly<Record<string, CliKey>> = {
  'Usage:': 'title.usage',
  'Arguments:': 'title.arguments',
  'Options:': 'title.options',
  'Global Options:': 'title.globalOptions',
  'Commands:': 'title.commands',
};

/** `<dir>`, `[options]`, `<files...>` in the chosen language (`<目录>`, `[选项]`, `<文件...>`). */
export function localisePlaceholders(text: string, cx: Pick<CliContext, 't' | 'lang'>): string {
  if (cx.lang === 'en') return text;
  const word = (name: string): string | undefined => {
    if (name === 'options') return cx.t('help.usageOptions').slice(1, -1);
    if (name === 'command') return cx.t('help.usageCommand').slice(1, -1);
    const k = `ph.${name}`;
    return isCliKey(k) ? cx.t(k) : undefined;
  };
  return text.replace(/([<[])([\w-]+)(\.\.\.)?([>\]])/g, (all, open: string, name: string, dots: string | undefined, close: string) => {
    const w = word(name);
    return w === undefined ? all : `${open}${w}${dots ?? ''}${close}`;
  });
}

const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Columns a string takes on a terminal: Chinese characters and full-width punctuation take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Punctuation that never starts a line in Chinese (opening brackets never end one: see wrapText). */
const NO_LINE_START = /^[，。；：、）」』？！》…]$/u;

/**
 * Wrap `text` to `width` columns: between any two Chinese characters or at a space, never inside an
 * ASCII run (a flag, a path, a value stays whole); line breaks in `text` are kept.
 */
export function wrapText(text: string, width: number): string {
  if (width < 20) return text;
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let line = '';
    let w = 0;
    for (const tok of raw.match(/[\x21-\x7e]+|[^\S\n]+|./gsu) ?? []) {
      const tw = displayWidth(tok);
      if (w + tw > width && line.trim() !== '' && !NO_LINE_START.test(tok)) {
        // An opening bracket or quote goes with what it opens.
        const carry = /[「（《『]+$/u.exec(line)?.[0] ?? '';
        out.push(line.slice(0, line.length - carry.length).trimEnd());
        line = carry;
        w = displayWidth(carry);
        if (tok.trim() === '') continue;
      }
      line += tok;
      w += tw;
    }
    out.push(line.trimEnd());
  }
  return out.join('\n');
}

/** commander's help formatter, in the chosen language. */
export function helpConfiguration(cx: Pick<CliContext, 't' | 'lang'>): HelpConfiguration {
  const loc = (s: string): string => localisePlaceholders(s, cx);
  const quoted = (v: unknown): string => (cx.lang === 'zh' ? `「${String(v)}」` : JSON.stringify(v));
  const extras = (choices: readonly string[] | undefined, def: unknown, defDesc: string | undefined, takesValue: boolean): string[] => {
    const out: string[] = [];
    if (choices) out.push(cx.t('help.choices', { values: choices.map(quoted).join(cx.lang === 'zh' ? '' : ', ') }));
    if (def !== undefined && takesValue) out.push(cx.t('help.default', { value: defDesc ?? quoted(def) }));
    return out;
  };
  const withExtras = (desc: string, extra: string[]): string => {
    if (extra.length === 0) return desc;
    return cx.lang === 'zh' ? `${desc}（${extra.join('；')}）` : `${desc} (${extra.join(', ')})`;
  };
  return {
    showGlobalOptions: true,
    displayWidth,
    boxWrap: wrapText,
    styleTitle: (title: string): string => (TITLES[title] ? cx.t(TITLES[title]) : title),
    optionTerm: (option: Option): string => loc(option.flags),
    // As in the usage line (`<文件...>`), not the bare name commander shows.
    argumentTerm(this: Help, argument: Argument): string {
      if (cx.lang === 'en') return Help.prototype.argumentTerm.call(this, argument);
      const [open, close] = argument.required ? ['<', '>'] : ['[', ']'];
      return loc(`${open}${argument.name()}${argument.variadic ? '...' : ''}${close}`);
    },
    subcommandTerm(this: Help, cmd: Command): string {
      return loc(Help.prototype.subcommandTerm.call(this, cmd));
    },
    commandUsage(this: Help, cmd: Command): string {
      return loc(Help.prototype.commandUsage.call(this, cmd));
    },
    optionDescription: (option: Option): string =>
      withExtras(option.description, extras(option.argChoices, option.defaultValue, option.defaultValueDescription, option.required || option.optional)),
    argumentDescription: (argument: Argument): string =>
      withExtras(argument.description, extras(argument.argChoices, argument.defaultValue, argument.defaultValueDescription, true)),
  };
}

/** The catalogue entry `key`, or an error naming it (a command's help entry is missing: a bug). */
function entry(cx: CliContext, key: string): string {
  if (!isCliKey(key)) throw new Error(`message catalogue: no entry "${key}"`);
  return cx.t(key);
}

/**
 * Give a command its bilingual description, examples and exit codes from the catalogue. Used by
 * addCommand for every command, and by main for the program itself.
 */
export function describeCommand(cmd: Command, cx: CliContext, key: string, exitCodes: readonly number[]): Command {
  const summary = entry(cx, `${key}.summary`);
  cmd.summary(summary).description(isCliKey(`${key}.desc`) ? entry(cx, `${key}.desc`) : summary);
  const examples = entry(cx, `${key}.examples`)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const codeWidth = Math.max(...exitCodes.map((c) => String(c).length));
  const meanings = exitCodes.map((c) => [String(c).padEnd(codeWidth), entry(cx, `${key}.exit.${c}`)] as const);
  return cmd.addHelpText('after', () => {
    // Wrapped like commander's own items: at the terminal's width, else 80 columns.
    const columns = process.stdout.isTTY ? process.stdout.columns || 80 : 80;
    const indent = ' '.repeat(2 + codeWidth + 2);
    const exits = meanings.map(([c, m]) => `  ${c}  ${wrapText(m, columns - indent.length).split('\n').join(`\n${indent}`)}`).join('\n');
    return `\n${cx.t('title.examples')}\n${examples}\n\n${cx.t('title.exitCodes')}\n${exits}\n`;
  });
}

/**
 * Add a command with bilingual help: the one call a command module makes to register itself.
 *
 *   export function registerVerify(parent: Command, cx: CliContext): void {
 *     addCommand(parent, cx, 'verify', [0, 1, 2])
 *       .argument('<files...>', cx.t('verify.arg.files'))
 *       .option('--pubkey <file>', cx.t('verify.opt.pubkey'))
 *       .action(async (files: string[], opts: { pubkey?: string }) => cx.setExit(await verifyCommand(files, opts, cx)));
 *   }
 *
 * and in main.ts the module is one import and one entry in COMMANDS. `key` is the command's path joined
 * with dots ('verify', 'rules.list'; its last part is the command's name) and names its entries in
 * src/report/messages-cli.ts: `<key>.summary` (one line, shown in the parent's list), `<key>.desc`
 * (optional, the longer text of its own help), `<key>.examples` (lines: `# what it does` then
 * `$ baomi …`) and `<key>.exit.<code>` for every code in `exitCodes`. A missing entry throws when the
 * program is built, so any test of the command finds it. The global options (--lang, --verbose …) are
 * shown in every command's help; the command reads the language from `cx.lang`.
 */
export function addCommand(parent: Command, cx: CliContext, key: string, exitCodes: readonly number[]): Command {
  const cmd = parent.command(key.split('.').at(-1)!);
  return describeCommand(cmd, cx, key, exitCodes);
}

/** The first 'quoted' value in a commander message. */
function quotedIn(message: string, after = ''): string {
  const i = after ? message.indexOf(after) : 0;
  return /'([^']*)'/.exec(message.slice(Math.max(i, 0)))?.[1] ?? '';
}

/**
 * commander's error message (English, built inside commander) in the chosen language, from its code
 * and the values quoted in it. In English the message stays as commander wrote it.
 */
export function commanderErrorText(message: string, code: string | undefined, lang: Lang): string {
  if (lang === 'en') return message;
  const cx = cliContext(lang);
  const loc = (s: string): string => localisePlaceholders(s, cx);
  const mean = /\(Did you mean (.+)\?\)/.exec(message)?.[1];
  const suggestion = mean ? cx.t('cerr.didYouMean', { what: mean }) : '';
  let text: string;
  switch (code) {
    case 'commander.unknownOption':
      text = cx.t('cerr.unknownOption', { flag: quotedIn(message) }) + suggestion;
      break;
    case 'commander.unknownCommand':
      text = cx.t('cerr.unknownCommand', { name: quotedIn(message) }) + suggestion;
      break;
    case 'commander.missingArgument':
      text = cx.t('cerr.missingArgument', { name: loc(`<${quotedIn(message)}>`) });
      break;
    case 'commander.optionMissingArgument':
      text = cx.t('cerr.optionMissingArgument', { flag: loc(quotedIn(message)) });
      break;
    case 'commander.missingMandatoryOptionValue':
      text = cx.t('cerr.missingMandatory', { flag: loc(quotedIn(message)) });
      break;
    case 'commander.invalidArgument': {
      const m = /option '([^']*)' argument '([^']*)' is invalid\.(?: Allowed choices are (.*)\.)?/s.exec(message);
      if (!m) text = cx.t('cerr.other');
      else if (m[3] !== undefined) {
        const choices = m[3].split(', ').map((c) => `「${c}」`).join('');
        text = cx.t('cerr.invalidChoice', { flag: loc(m[1]!), value: m[2]!, choices });
      } else text = cx.t('cerr.invalidValue', { flag: loc(m[1]!), value: m[2]! });
      break;
    }
    case 'commander.excessArguments': {
      const m = /Expected (\d+) argument.*got (\d+)/.exec(message);
      text = m ? cx.t('cerr.excessArguments', { expected: m[1]!, got: m[2]! }) : cx.t('cerr.other');
      break;
    }
    case 'commander.conflictingOption': {
      const m = /option '([^']*)' cannot be used with option '([^']*)'/.exec(message);
      text = m ? cx.t('cerr.conflicting', { a: loc(m[1]!), b: loc(m[2]!) }) : cx.t('cerr.other');
      break;
    }
    default:
      text = cx.t('cerr.other');
  }
  return cx.t('cerr.prefix') + text;
}

/** The program's help, errors and output settings, in `cx.lang`; subcommands inherit them. */
export function configureProgram(program: BaomiCommand, cx: CliContext): void {
  program.lang = cx.lang;
  program
    .configureHelp(helpConfiguration(cx))
    .configureOutput({ outputError: (str, write) => write(terminalText(str)) })
    .helpOption('-h, --help', cx.t('opt.help'))
    .helpCommand('help [command]', cx.t('cmd.help'))
    .showHelpAfterError(cx.t('help.afterError'))
    .exitOverride();
}
