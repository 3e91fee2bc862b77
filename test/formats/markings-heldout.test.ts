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
