// Held-out cases: written after the matcher and its labelled set were finished, and never used to
// tune it (first run: 20 of 20 right). A failure here is a real miss or false positive to study.
import { describe, expect, it } from 'vitest';
import { findMarkings, loadMarkingGrammar } from '../../src/formats/markings.js';

const g = loadMarkingGrammar();
// [text, expected levels of markings]
const cases: Array<[string, string[]]> = [
  ['机密★10年\n\n××局关于2025年度安全生产检查情况的报告\n各科室：', ['机密']],
  ['                                        秘密★6个月\n关于调整部分岗位人员的请示', ['秘密']],
  ['绝密★启用前\n2026年度专业技术资格考试\n综合知识试卷', ['绝密']],
  ['编号：0012\n密级：秘密\n保密期限：1年\n\n会议纪要', ['秘密']],
  ['内部资料 注意保存\n\n××市统计月报（第3期）', ['内部']],
  ['工作秘密\n\n关于2026年预算编制工作的通知', ['工作秘密']],
  ['机 密 ★ 5 年\n研究报告', ['机密']],
  ['ＭＭＭ\n秘密＊１年\n通报', ['秘密']],
  ['本单位高度重视保密工作，认真落实保守国家秘密的各项要求。', []],
  ['依照规定，凡属国家秘密的文件应当标注密级，如“机密★10年”。', []],
  ['该系统满足机密性、完整性、可用性要求。', []],
  ['用户评价：★★★★☆ 4.0分', []],
  ['《绝密使命》是一部电视剧。', []],
  ['员工不得泄露公司商业秘密和技术秘密。', []],
  ['涉密载体清单\n序号\t名称\t密级\n1\t年度计划\t机密\n2\t会议记录\t秘密', []],
  ['他说这是秘密，不能告诉别人。', []],
  ['第五条 文件密级分为绝密、机密、秘密三级。', []],
  ['秘密★1年。', ['秘密']],
  ['关于印发《保密工作手册》的通知\n各部门：现将手册印发给你们。', []],
  ['密级：内部\n\n2026年第二季度工作安排', ['内部']],
];

describe('marking matcher on held-out text', () => {
  it.each(cases)('%j', (text, expected) => {
    const got = [...new Set(findMarkings([{ name: 'body', text }], g, { mentions: false }).map((h) => h.level))].sort();
    expect(got).toEqual([...expected].sort());
  });
});

// Held-out cases for issue #13 (asterisks, chat, tables): written after the rules for #13 were done
// and run once without changing the rules; the first run's result is in docs/markings-precision.md.
// [part name, text, expected levels of markings]
const cases13: Array<[string, string, string[]]> = [
  ['text', '/**\n * 返回共享秘密 (32 字节)\n */\npublic byte[] derive() {', []],
  ['text', '// TODO(张三): 秘密轮换 *暂不* 实现\nfunc rotate() {}', []],
  ['text', '[2024-03-01 10:00:00] 小王: 这是秘密*^o^*\n[2024-03-01 10:00:05] 我: 好吧', []],
  ['sheet:书单', '书名\t作者\n秘密\t东野圭吾\n白夜行\t东野圭吾', []],
  ['text', '歌单\n1. 秘密 - 张震岳\n2. 晴天 - 周杰伦', []],
  ['text', 'SECRET = os.environ["APP_SECRET"]  # 秘密*必须*来自环境变量\n', []],
  ['part 1 (text/plain; charset=utf-8)', '各位：\n\n下周团建地点保密，到时揭晓，算是个小秘密 ^_^\n', []],
  ['sheet:Sheet1', '序号\t片名\t导演\n1\t绝密飞行\t张三\n2\t机密\t李四', []],
  ['sheet:Sheet1', '内部资料 注意保存\n序号\t名称', ['内部']],
  ['text', '秘密*\n关于开展专项检查的通知', ['秘密']],
  ['sheet:台账', '工作秘密\n\n序号\t设备名称', ['工作秘密']],
  ['text', '机密＊10年\n会议纪要', ['机密']],
];

describe('marking matcher on held-out text (#13)', () => {
  it.each(cases13)('%s %j', (name, text, expected) => {
    const got = [...new Set(findMarkings([{ name, text }], g, { mentions: false }).map((h) => h.level))].sort();
    expect(got).toEqual([...expected].sort());
  });
});
