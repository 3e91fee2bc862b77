// Why the marking grammar (src/formats/markings.ts) counted a candidate as a marking or not, in
// words an officer reads (`baomi inspect`). The grammar's reasons are short English texts that its
// own code also compares; here each has its Chinese. A reason not listed is shown quoted, and a
// test (test/report/messages-markings.test.ts) fails when the grammar can give one that is not listed.
import type { Words } from './messages.js';

const EXACT: Readonly<Record<string, string>> = {
  'star follows the level': '密级后有★',
  'secrecy period follows': '后有保密期限',
  '密级 label': '有“密级”标签',
  'notice follows (注意保存 …)': '后有保管提示（注意保存 …）',
  'in brackets': '在括号中',
  'ticked box': '勾选的方框',
  'unticked box (a form template)': '未勾选的方框（表格模板）',
  'inside quotation': '在引号中',
  'stated in a sentence (密级为/是 …)': '在句子中陈述（密级为/是 …）',
  'inside a sentence': '在句子中',
  'text runs into it': '与前后文字相连',
  'a chat message (the line above is a message header)': '聊天记录（上一行是消息头）',
  'a data cell of the sheet (not its first cell)': '表格中的数据单元格（不是第一个单元格）',
  'a data cell of a table (not its first row)': '表中的数据单元格（不在第一行）',
  'set apart by spaces': '前后有空格隔开',
  'near start of part': '靠近开头',
  'in page header/footer': '在页眉或页脚中',
  'in file name': '在文件名中',
  'does not start its line': '不在行首',
  'not alone on its line and far from the start': '不单独成行，且远离开头',
  'a value in a table or list with a 密级 column': '有“密级”列的表格或列表中的值',
  'a bare word far from the start': '远离开头的单独词语',
  'all three levels listed in the part': '同一部分列出了全部三个密级',
  'several levels listed in the part': '同一部分列出了多个密级',
  'standalone cell': '单独成格',
  'standalone space': '单独',
  'standalone line': '单独成行',
  'starts its cell': '在单元格开头',
  'starts its line': '在行首',
  'starts its space': '前有空格',
};

/** Reasons that carry a value: the English prefix and the Chinese around the quoted value. */
const WITH_VALUE: ReadonlyArray<[string, (v: string) => string]> = [
  ['not a star: ', (v) => `不是★：「${v}」`],
  ['hard negative: ', (v) => `排除用语：「${v}」`],
  ['mention verb before: ', (v) => `前面有提及动词：「${v}」`],
  ['mention word after: ', (v) => `后面有提及词：「${v}」`],
  ['example or list introduced by ', (v) => `由「${v}」引出的示例或列举`],
];

/** A grammar reason in both languages; undefined Chinese (quoted English) when it is not listed. */
export function markingReasonWords(reason: string): Words & { known: boolean } {
  const exact = EXACT[reason];
  if (exact !== undefined) return { zh: exact, en: reason, known: true };
  for (const [prefix, zh] of WITH_VALUE) if (reason.startsWith(prefix)) return { zh: zh(reason.slice(prefix.length)), en: reason, known: true };
  return { zh: `「${reason}」`, en: reason, known: false };
}
