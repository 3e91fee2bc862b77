// Shared CLI pieces: the usage error (exit 2), the logger (pino to stderr, quiet by default), the
// language choice, and the tool's version.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { printable } from '../target/resolve.js';
import type { Lang } from '../report/text.js';

/** A problem with the user's input (flags, rule files, key files): one clear line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** Extra lines printed after the message (e.g. every rule problem). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
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

/** Human-readable one-line rendering of pino's JSON lines (used unless --log-json). */
function humanLine(line: string): string {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const level = ({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[o['level'] as number] ?? 'log';
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
export function makeLogger(opts: GlobalOptions): Logger {
  const level = opts.debug ? 'debug' : opts.verbose ? 'info' : 'warn';
  if (opts.logJson) return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
  return pino({ level, base: null }, { write: (line: string) => void process.stderr.write(humanLine(line)) });
}

/** --lang, else from LC_ALL / LC_MESSAGES / LANG (zh_* → Chinese), else English. */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) {
    if (flag !== 'zh' && flag !== 'en') throw new UsageError(`--lang must be zh or en, not "${flag}"`);
    return flag;
  }
  const loc = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return /^zh/i.test(loc) ? 'zh' : 'en';
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
