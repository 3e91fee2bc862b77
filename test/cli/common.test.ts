import { describe, expect, it } from 'vitest';
import { pickLang, UsageError, useColour } from '../../src/cli/common.js';
import { parseProfile } from '../../src/cli/scan.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('cli helpers', () => {
  it('colour only on a TTY, never with NO_COLOR, forced by FORCE_COLOR', () => {
    expect(useColour(tty, {})).toBe(true);
    expect(useColour(pipe, {})).toBe(false);
    expect(useColour(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(tty, { NO_COLOR: '' })).toBe(true);
    expect(useColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour(pipe, { FORCE_COLOR: '' })).toBe(false);
    expect(useColour(pipe, { FORCE_COLOR: '0' })).toBe(false);
  });
  it('language from the flag, else the locale', () => {
    expect(pickLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(pickLang(undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(pickLang(undefined, {})).toBe('en');
    // Windows has no LANG: the user's locale (zh-CN on a Chinese PC); LANG, when set, still wins
    expect(pickLang(undefined, {}, 'win32', () => 'zh-CN')).toBe('zh');
    expect(pickLang(undefined, {}, 'win32', () => 'en-US')).toBe('en');
    expect(pickLang(undefined, { LANG: 'en_US.UTF-8' }, 'win32', () => 'zh-CN')).toBe('en');
    expect(pickLang(undefined, {}, 'linux', () => 'zh-CN')).toBe('en');
    expect(pickLang('zh', { LANG: 'C' })).toBe('zh');
    expect(() => pickLang('fr', {})).toThrow(UsageError);
  });
  it('profiles, with Chinese names', () => {
    expect(parseProfile('内网')).toEqual({ profile: 'intranet' });
    expect(parseProfile('涉密（机密）')).toEqual({ profile: 'classified', level: '机密' });
    expect(parseProfile('非涉密计算机')).toEqual({ profile: 'nonclassified' });
    expect(parseProfile('nonclassified').profile).toBe('nonclassified');
    expect(() => parseProfile('top-secret')).toThrow(/--profile must be one of/);
  });
});
