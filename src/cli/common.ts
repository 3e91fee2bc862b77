// Shared CLI pieces: the usage error (exit 2), the logger (pino to stderr, quiet by default), the
// language choice (one function, pickLang, for the help, the messages and the reports), and the tool's
// version. Every word printed comes from the catalogue (src/report/messages-cli.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { printable } from '../target/resolve.js';
import type { Lang } from '../report/text.js';
import { cliText, cliWords, type CliKey, type CliVars, type Words } from '../report/messages.js';

/**
 * A problem with the user's input (flags, rule files, key files): one clear line, exit 2. Thrown with
 * the words in both languages (`cliWords(key, vars)`); main prints them in the chosen language. A plain
 * string is text that is the same in both (a file:line problem line).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly words: Words;
  /** Extra lines printed after the message (e.g. every rule problem). */
  readonly details: ReadonlyArray<string | Words>;
  constructor(message: string | Words, details: ReadonlyArray<string | Words> = []) {
    const words = typeof message === 'string' ? { zh: message, en: message } : message;
    super(words.en);
    this.words = words;
    this.details = details;
  }
  /** The message and its detail lines in `lang`. */
  lines(lang: Lang): { message: string; details: string[] } {
    return { message: this.words[lang], details: this.details.map((d) => (typeof d === 'string' ? d : d[lang])) };
  }
}

/** A usage error from a catalogue entry. */
export function usageError(key: CliKey, vars?: CliVars, details: ReadonlyArray<string | Words> = []): UsageError {
  return new UsageError(cliWords(key, vars), details);
}

/** What every command action gets: the language, the catalogue in it, and where to put its exit code. */
export interface CliContext {
  readonly lang: Lang;
  /** The catalogue entry `key` in the chosen language, its `{slots}` filled from `vars`. */
  t(key: CliKey, vars?: CliVars): string;
  /** Set the process's exit code (main returns it). */
  setExit(code: number): void;
}

export function cliContext(lang: Lang, setExit: (code: number) => void = () => undefined): CliContext {
  return { lang, t: (key, vars) => cliText(key, lang, vars), setExit };
}

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export interface GlobalOptions {
  verbose?: boolean;
  logJson?: boolean;
  debug?: boolean;
}

const LEVEL_KEYS: Readonly<Record<number, CliKey>> = { 10: 'log.trace', 20: 'log.debug', 30: 'log.info', 40: 'log.warn', 50: 'log.error', 60: 'log.fatal' };

/** Human-readable one-line rendering of pino's JSON lines (used unless --log-json). */
function humanLine(line: string, lang: Lang): string {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const key = LEVEL_KEYS[o['level'] as number];
    const level = key ? cliText(key, lang) : 'log';
    const rest = Object.entries(o)
      .filter(([k]) => !['level', 'time', 'pid', 'hostname', 'msg'].includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${printable(`baomi ${level}: ${String(o['msg'] ?? '')}${rest ? ' ' + rest : ''}`)}\n`;
  } catch {
    return line;
  }
}

/** Logs go to stderr only (stdout carries the report); warn level unless --verbose/--debug. */
export function makeLogger(opts: GlobalOptions, lang: Lang = 'en'): Logger {
  const level = opts.debug ? 'debug' : opts.verbose ? 'info' : 'warn';
  if (opts.logJson) return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
  return pino({ level, base: null }, { write: (line: string) => void process.stderr.write(humanLine(line, lang)) });
}

/** --lang, else from LC_ALL / LC_MESSAGES / LANG (zh_* → Chinese), else English. */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, systemLocale: () => string = () => Intl.DateTimeFormat().resolvedOptions().locale): Lang {
  if (flag !== undefined) {
    if (flag !== 'zh' && flag !== 'en') throw usageError('err.lang', { value: flag });
    return flag;
  }
  // Windows has no LANG: the user's locale as the system gives it to Node (zh-CN on a Chinese PC).
  const loc = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || (platform === 'win32' ? systemLocale() : '');
  return /^zh/i.test(loc) ? 'zh' : 'en';
}

/**
 * The language of a command line, known before commander parses it (commander writes help and its own
 * errors while parsing): the value of the first `--lang X` / `--lang=X` in argv, else the locale — the
 * same answer pickLang gives the command. An unusable --lang value falls back to the locale here;
 * commander then reports it as an invalid choice.
 */
export function langOfArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    if (v === 'zh' || v === 'en') return v;
    if (a === '--lang' || a.startsWith('--lang=')) break;
  }
  return pickLang(undefined, env);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return Boolean(stream.isTTY);
}

/**
 * Text for a terminal: every line made printable (a file name, SSID or host name from the inspected
 * disk may hold escape sequences or carriage returns; they are shown escaped, never executed).
 */
export function terminalText(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
