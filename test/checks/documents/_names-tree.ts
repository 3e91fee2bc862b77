// A tree of names as disks have them, made with Buffer paths (the real bytes): GBK names (a
// document with a marking, one without, a folder, runs of plain files, a marking in a name), a
// Latin-1 name, bytes that are no encoding, control characters, ordinary names, a GBK symbolic
// link, and paths over PATH_MAX (ENAMETOOLONG). Used by names.test.ts and by the native/JavaScript
// equality test (native.test.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LABELLED = new URL('../../../fixtures/documents/labelled/', import.meta.url).pathname;

/** GBK bytes of the few characters used here (TextEncoder only writes UTF-8). */
export function gbk(s: string): Buffer {
  const table: Record<string, string> = {
    机: 'bbfa', 密: 'c3dc', 文: 'cec4', 件: 'bcfe', 工: 'b9a4', 作: 'd7f7', 总: 'd7dc', 结: 'bde1', 资: 'd7ca', 料: 'c1cf',
    通: 'cda8', 知: 'd6aa', 会: 'bbe1', 议: 'd2e9', 纪: 'bccd', 要: 'd2aa', '★': 'a1ef', 年: 'c4ea', 源: 'd4b4', 码: 'c2eb',
    链: 'c1b4', 接: 'bdd3',
  };
  return Buffer.concat([...s].map((c) => (table[c] ? Buffer.from(table[c], 'hex') : Buffer.from(c, 'latin1'))));
}

/** A host path from a folder and names given as strings (UTF-8) or bytes. */
export function at(dir: string, ...names: Array<string | Buffer>): Buffer {
  return Buffer.concat([Buffer.from(dir), ...names.flatMap((n) => [Buffer.from('/'), Buffer.from(n)])]);
}

export interface NamesTree {
  /** Target path of the deepest folder listed (its host path is just under PATH_MAX). */
  deepDir: string;
  /** Files in it whose paths are over PATH_MAX: one with a marking, one plain (the native path would read it by openat). */
  longFile: string;
  longPlain: string;
  /** A folder in it whose path is over PATH_MAX. */
  longDir: string;
}

/** Makes the tree in `root` (an existing, empty folder). Remove it with rm -rf (Node's rm stops at PATH_MAX). */
export function makeNamesTree(root: string): NamesTree {
  // a real document with a marking (机密★10年 in its page header) under a GBK name
  copyFileSync(join(LABELLED, 'w02-page-header.docx'), at(root, gbk('机密文件.docx')));
  // a real document without one (hard negatives only) under a GBK name
  copyFileSync(join(LABELLED, 'n01-secrecy-work-summary.docx'), at(root, gbk('工作总结.docx')));
  // a GBK folder: an ordinary name in it has a path that is not UTF-8
  mkdirSync(at(root, gbk('资料')));
  writeFileSync(at(root, gbk('资料'), 'memo.txt'), '秘密★1年\n');
  // (not 通知: its GBK bytes, cd a8 d6 aa, are valid UTF-8 too — U+0368 U+05AA — and read as such)
  writeFileSync(at(root, gbk('资料'), gbk('会议纪要.txt')), Buffer.concat([gbk('机密★5年'), Buffer.from('\n')]));
  // a marking only in the (GBK) name; the text is plain
  writeFileSync(at(root, gbk('机密★5年 会议纪要.txt')), 'hello\n');
  // many plain files with GBK names: the native path reads runs of them by their bytes
  mkdirSync(at(root, gbk('源码')));
  for (let i = 0; i < 30; i++) writeFileSync(at(root, gbk('源码'), gbk(`文件${i}.c`)), `int a${i};\n`);
  // Latin-1 (not UTF-8, not plausibly GBK), and bytes that are neither
  writeFileSync(at(root, Buffer.from('r\xe9sum\xe9.txt', 'latin1')), '机密★5年\n');
  writeFileSync(at(root, Buffer.from([0xff, 0xfe, 0x41, 0x2e, 0x6c, 0x6f, 0x67])), 'int x;\n');
  // control characters in names (valid UTF-8): shown escaped
  writeFileSync(join(root, 'line\nbreak.txt'), '秘密★1年\n');
  writeFileSync(join(root, 'esc\x1b[31mred.txt'), 'plain\n');
  writeFileSync(join(root, 'bell\x07\u202eevil.txt'), '机密★5年\n');
  // ordinary names
  writeFileSync(join(root, 'ordinary.txt'), '秘密★1年\n');
  writeFileSync(join(root, 'plain.c'), 'int main(void) { return 0; }\n');
  // a symbolic link with a GBK name, out of the root: counted, never followed
  symlinkSync('/etc', at(root, gbk('链接')));
  // Deep: folders of 200-character names down to a folder whose path is just under PATH_MAX
  // (4096): a file there with a long name has a path over it (ENAMETOOLONG), and so has the
  // folder below it (not listed). Made with relative `cd`s, which no limit stops.
  const name = 'd'.repeat(200);
  const levels = Math.floor((4096 - 40 - root.length) / 201);
  const script = [`cd "$1"`, `for i in $(seq ${levels}); do mkdir ${name} && cd ${name}; done`, `printf '秘密★1年\\n' > short.txt`, `printf '秘密★1年\\n' > ${'f'.repeat(120)}.txt`, `printf 'int x;\\n' > ${'g'.repeat(120)}.c`, `mkdir ${'b'.repeat(130)} && printf "秘密★1年\\n" > ${'b'.repeat(130)}/x.txt`, 'pwd | wc -c'];
  const len = Number(execFileSync('bash', ['-c', script.join(' && '), 'mk', root], { encoding: 'utf8' }).trim());
  if (!(len < 4096 && len + 125 > 4096)) throw new Error(`the deep folder's path is ${len} bytes: not just under PATH_MAX`);
  return { deepDir: `/${Array(levels).fill(name).join('/')}`, longFile: `${'f'.repeat(120)}.txt`, longPlain: `${'g'.repeat(120)}.c`, longDir: 'b'.repeat(130) };
}
