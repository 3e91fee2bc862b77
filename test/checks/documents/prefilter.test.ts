import { describe, expect, it } from 'vitest';
import { byteNeedles, hasContainerMagic, hasEscapes, mayHoldKeyword, needleChar } from '../../../src/checks/documents/prefilter.js';

const needles = byteNeedles(['绝密', '机密', '秘密', '内部', '工作秘密', '密级']);

describe('byte prefilter', () => {
  it('needle characters: 密 stands for every level, else the first character', () => {
    expect(needleChar('机密')).toBe('密');
    expect(needleChar('内部')).toBe('内');
    expect(needleChar('X-17')).toBe('X');
  });

  it('finds a keyword character in UTF-8, UTF-16LE/BE and GBK bytes', () => {
    expect(mayHoldKeyword(Buffer.from('……机 密★10年……', 'utf8'), needles)).toBe(true);
    expect(mayHoldKeyword(Buffer.from('机密★10年', 'utf16le'), needles)).toBe(true);
    expect(mayHoldKeyword(Buffer.from('机密★10年', 'utf16le').swap16(), needles)).toBe(true);
    expect(mayHoldKeyword(Buffer.from([0xbb, 0xfa, 0xc3, 0xdc]), needles)).toBe(true); // 机密 in GBK
    expect(mayHoldKeyword(Buffer.from([0xc4, 0xda, 0xb2, 0xbf]), needles)).toBe(true); // 内部 in GBK
  });

  it('skips pure ASCII and Chinese text without the characters', () => {
    expect(mayHoldKeyword(Buffer.from('int main(void) { return 0; }\n'.repeat(1000)), needles)).toBe(false);
    expect(mayHoldKeyword(Buffer.from('关于召开年度工作会议的通知，请各单位按时参加。', 'utf8'), needles)).toBe(false);
  });

  it('an ASCII unit keyword is searched in ASCII and full width', () => {
    const kw = byteNeedles(['PRJ-917']);
    expect(mayHoldKeyword(Buffer.from('ref PRJ-917 plan'), kw)).toBe(true);
    expect(mayHoldKeyword(Buffer.from('ＰＲＪ－９１７', 'utf8'), kw)).toBe(true);
    expect(mayHoldKeyword(Buffer.from('nothing here'), kw)).toBe(false);
  });

  it('containers and escapes always go through extraction', () => {
    expect(hasContainerMagic(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe(true);
    expect(hasContainerMagic(Buffer.from('%PDF-1.7'))).toBe(true);
    expect(hasContainerMagic(Buffer.from('plain text'))).toBe(false);
    expect(hasEscapes(Buffer.from('<p>&#26426;&#23494;</p>'))).toBe(true);
    expect(hasEscapes(Buffer.from('Subject: =?GBK?B?u/rD3A==?='))).toBe(true);
    expect(hasEscapes(Buffer.from('{\\rtf1 \\u26426?\\u23494?}'))).toBe(true);
    expect(hasEscapes(Buffer.from('just words'))).toBe(false);
  });
});
