import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { byteNeedles, hasContainerMagic, hasEscapes, mayBeMail, mayBeMarkup, mayHoldKeyword, needleChar, needleChars } from '../../../src/checks/documents/prefilter.js';

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

  it('needle characters for names carry the full-width and case forms of an ASCII keyword', () => {
    expect(needleChars(['绝密', '内部', 'Tianhe'])).toEqual(['密', '内', 'T', 'Ｔ', 't']);
  });

  it('a tar is a container whatever its first member is called', () => {
    const tar = Buffer.alloc(1024);
    tar.write('Photos/report.docx', 0, 'latin1');
    tar.write('ustar\x0000', 257, 'latin1');
    expect(hasContainerMagic(tar)).toBe(true);
    // a v7 tar (GNU tar --format=v7) has no magic at all: its header is checked instead
    const v7 = readFileSync(new URL('../../../fixtures/documents/tar/v7.tar', import.meta.url));
    expect(hasContainerMagic(v7.subarray(0, 65536))).toBe(true);
    const notTar = Buffer.alloc(1024, 0x61);
    notTar.fill(0, 257, 263);
    expect(hasContainerMagic(notTar)).toBe(false);
    expect(hasContainerMagic(Buffer.from('PKZIP was a program', 'latin1'))).toBe(false);
    expect(hasContainerMagic(Buffer.from(`${' '.repeat(300)}%PDF-1.4`, 'latin1'))).toBe(true);
    expect(hasContainerMagic(Buffer.from(`${' '.repeat(2000)}%PDF-1.4`, 'latin1'))).toBe(false);
  });

  it('only a header-like first line can start a mail; UTF-16 is left to the sniffer', () => {
    expect(mayBeMail(Buffer.from('From: a@b.cn\nTo: c@d.cn\n'))).toBe(true);
    expect(mayBeMail(Buffer.from('From a@b.cn Mon Nov 23 10:00:00 2026\n'))).toBe(true);
    expect(mayBeMail(Buffer.from('Received : from mx\n'))).toBe(true);
    expect(mayBeMail(Buffer.from('#!/bin/sh\necho hi\n'))).toBe(false);
    expect(mayBeMail(Buffer.from('2026-11-23 10:00:00 INFO ok\n'))).toBe(false);
    expect(mayBeMail(Buffer.from('\ufeffhello', 'utf16le'))).toBe(true);
  });

  it('markup needs a < in its first 8 KiB, RTF a { first', () => {
    expect(mayBeMarkup(Buffer.from('<html><body>&#23494;</body></html>'))).toBe(true);
    expect(mayBeMarkup(Buffer.from('  \n{\\rtf1 \\u23494?}'))).toBe(true);
    expect(mayBeMarkup(Buffer.from(`${'x'.repeat(9000)}<p>`))).toBe(false);
    expect(mayBeMarkup(Buffer.from('s = "\\u5bc6"; // JSON escape, not markup'))).toBe(false);
  });
});

