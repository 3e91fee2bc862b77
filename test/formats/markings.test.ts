/**
 * Table tests of the marking grammar (rules/data/markings.yaml), the normaliser and the matcher
 * (src/formats/markings.ts): positives at every level and in every form, hard negatives, the keyword
 * contract of the prefilter, and grammar validation.
 */
import { describe, expect, it } from 'vitest';
import {
  PART_WINDOW,
  compileGrammar,
  findMarkings,
  loadMarkingGrammar,
  MarkingGrammarError,
  normalizeForMarkings,
  rawPrefilter,
  type MarkingHit,
  type MarkingPart,
} from '../../src/formats/markings.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const g = loadMarkingGrammar();

function body(text: string, name = 'body'): MarkingPart[] {
  return [{ name, text }];
}

function markings(text: string, name = 'body'): MarkingHit[] {
  return findMarkings(body(text, name), g).filter((h) => h.verdict === 'marking');
}

describe('normalizeForMarkings', () => {
  it.each([
    ['full-width ASCII to half-width', '密级：机密★１０年', '密级:机密★10年'],
    ['star variants to ★', '秘密☆1年 机密*2年 绝密＊长期 秘密✭3年 机密⭐4年', '秘密★1年机密★2年绝密★长期秘密★3年机密★4年'],
    ['ideographic spaces between CJK removed', '秘　密　★　１　年', '秘密★1年'],
    ['line breaks between CJK removed', '机\n密\n★\n1\n0\n年', '机密★10年'],
    ['tab between cells removed', '密级\t机密', '密级机密'],
    ['NBSP and zero-width removed', '机\u200b密\u00a0★\u00a010\u200d年\ufeff', '机密★10年'],
    ['soft hyphen removed', '秘\u00ad密★1年', '秘密★1年'],
    ['whitespace between ASCII words kept', 'Top  Secret\tfile', 'Top  Secret\tfile'],
    ['whitespace between CJK and ASCII removed', '秘密 ★ 1 年 abc', '秘密★1年abc'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeForMarkings(input, g).text).toBe(expected);
  });

  it('maps every normalised character back to its original offset', () => {
    const orig = '前言\n秘　密　＊　１　年\n正文';
    const n = normalizeForMarkings(orig, g);
    expect(n.map.length).toBe(n.text.length + 1);
    expect(n.map[n.text.length]).toBe(orig.length);
    const s = n.text.indexOf('秘密★1年');
    const os = n.map[s]!;
    const oe = n.map[s + '秘密★1年'.length - 1]! + 1;
    expect(orig.slice(os, oe)).toBe('秘　密　＊　１　年');
    for (let i = 0; i < n.text.length; i++) {
      const o = orig[n.map[i]!]!;
      // A character maps to itself, its half-width form, or (stars) to ★.
      expect(o === n.text[i] || o.charCodeAt(0) - 0xfee0 === n.text.charCodeAt(i) || n.text[i] === '★' || n.text[i] === ' ').toBe(true);
    }
  });

  it('handles empty text and text of whitespace only', () => {
    expect(normalizeForMarkings('', g)).toEqual({ text: '', map: new Uint32Array([0]) });
    expect(normalizeForMarkings('  \n ', g).text).toBe('  \n ');
  });
});

// [description, part text, expected level, expected marking text (as in the original)]
const POSITIVES: Array<[string, string, string, string]> = [
  ['秘密★1年 on the first line', '秘密★1年\n关于召开年度工作会议的通知\n各部门：', '秘密', '秘密★1年'],
  ['机密★10年 alone', '机密★10年', '机密', '机密★10年'],
  ['绝密★长期', '绝密★长期\n工作总结', '绝密', '绝密★长期'],
  ['绝密★启用前 (exam paper)', '绝密★启用前\n2024年岗位技能考试试卷', '绝密', '绝密★启用前'],
  ['机密★启用前', '机密★启用前', '机密', '机密★启用前'],
  ['秘密★6个月', '秘密★6个月\n会议纪要', '秘密', '秘密★6个月'],
  ['Chinese numeral period', '秘密★一年\n会议纪要', '秘密', '秘密★一年'],
  ['解密时间 date', '秘密★2030年12月31日\n通知', '秘密', '秘密★2030年12月31日'],
  ['date with dots and 解密', '机密★2030.12.31解密\n通知', '机密', '机密★2030.12.31解密'],
  ['level★ without period', '机密★\n关于印发实施方案的通知', '机密', '机密★'],
  ['☆ instead of ★', '机密☆5年\n通知', '机密', '机密☆5年'],
  ['ASCII * instead of ★', '机密*3年\n通知', '机密', '机密*3年'],
  ['full-width ＊ and digits with ideographic spaces', '秘　密　＊　１　年\n通知', '秘密', '秘　密　＊　１　年'],
  ['✭ instead of ★', '绝密✭长期', '绝密', '绝密✭长期'],
  ['spaces around the star', '机密 ★ 10 年\n通知', '机密', '机密 ★ 10 年'],
  ['zero-width characters inside', '机\u200b密★1年\n通知', '机密', '机\u200b密★1年'],
  ['star dropped: level + period', '机密 10年\n通知', '机密', '机密 10年'],
  ['密级：机密', '密级：机密\n办公用品采购计划', '机密', '密级：机密'],
  ['密　级：秘密★5年', '密　级：秘密★5年\n通知', '秘密', '密　级：秘密★5年'],
  ['密级:机密★5年 (ASCII colon)', '密级:机密★5年', '机密', '密级:机密★5年'],
  ['密级 | 机密 in two cells', '密级\t机密\n保密期限\t5年', '机密', '密级\t机密'],
  ['密级 and 保密期限 on one line', '密级：机密  保密期限：10年\n通知', '机密', '密级：机密  保密期限：10年'],
  ['密级：工作秘密', '密级：工作秘密\n通知', '工作秘密', '密级：工作秘密'],
  ['工作秘密 alone on the first line', '工作秘密\n新员工培训安排', '工作秘密', '工作秘密'],
  ['工作秘密★1年', '工作秘密★1年\n通知', '工作秘密', '工作秘密★1年'],
  ['内部 alone on the first line', '内部\n第三季度工作总结', '内部', '内部'],
  ['内部资料 注意保存', '内部资料　注意保存\n工作总结', '内部', '内部资料　注意保存'],
  ['内部资料，注意保存', '内部资料，注意保存\n工作总结', '内部', '内部资料，注意保存'],
  ['内部文件 妥善保管', '内部文件 妥善保管', '内部', '内部文件 妥善保管'],
  ['内部使用 on the first line', '内部使用\n通讯录', '内部', '内部使用'],
  ['仅供内部使用 on the first line', '仅供内部使用\n通讯录', '内部', '仅供内部使用'],
  ['内部★', '内部★\n通知', '内部', '内部★'],
  ['【机密】 before the title', '【机密】项目推进会会议纪要\n各部门：', '机密', '【机密】'],
  ['copy number then the marking', '000123　　机密★20年\n关于召开年度工作会议的通知', '机密', '机密★20年'],
  ['after a title on the same line', '会议纪要　　秘密★1年\n正文', '秘密', '秘密★1年'],
  ['ticked box in a form', '密级：□绝密 □机密 ☑秘密\n承办部门', '秘密', '☑秘密'],
  ['PDF-style text: a space between every CJK character', '秘 密 ★ 1 年 关 于 召 开 会 议 的 通 知 各 部 门 ：', '秘密', '秘 密 ★ 1 年'],
  ['PDF-style text: one glyph per line', '机\n密\n★\n1\n0\n年\n关\n于\n召\n开', '机密', '机\n密\n★\n1\n0\n年'],
  ['Word line break (\\v) and cell mark (\\x07)', '机密★10年\u000b通知\u0007', '机密', '机密★10年'],
  ['【密级】机密', '【密级】机密\n通知', '机密', '【密级】机密'],
  ['密级：【机密】', '密级：【机密】\n通知', '机密', '密级：【机密】'],
  ['密级（机密） (full-width parentheses)', '密级（机密）\n通知', '机密', '密级（机密）'],
  ['（秘密） alone on the first line', '（秘密）\n通知', '秘密', '（秘密）'],
  ['spaces inside the label', '密 级：秘 密', '秘密', '密 级：秘 密'],
  ['header with a tab and a page number', '秘密★１年\t\t第1页', '秘密', '秘密★１年'],
  ['marking then spaces then 特急', '机密★1年　　　　　　特急', '机密', '机密★1年'],
  ['PowerPoint notes: "*" placeholder lines above the marking', '*\n*\n*\n*\n秘密★1年\n', '秘密', '秘密★1年'],
  ['marking later in a part, on its own line', '第一页正文'.repeat(30) + '\n秘密★1年\n第二页正文', '秘密', '秘密★1年'],
];

describe('findMarkings: positives', () => {
  it.each(POSITIVES)('%s', (_name, text, level, found) => {
    const hits = markings(text);
    const hit = hits.find((h) => h.level === level);
    expect(hit, JSON.stringify(findMarkings(body(text), g))).toBeDefined();
    expect(hit!.text).toBe(found);
    expect(text.slice(hit!.offset, hit!.offset + hit!.text.length)).toBe(found);
    expect(hit!.reasons.length).toBeGreaterThan(0);
    // Never more than one marking per level here, never another level.
    expect(hits.filter((h) => h.level !== level)).toEqual([]);
  });

  it.each([
    ['page header (docx part)', 'word/header1.xml', '机密'],
    ['page header (doc)', 'headers', '秘密'],
    ['sheet page header', 'header-footer:Sheet1', '绝密'],
    ['ODF styles.xml headers', 'styles.xml', '机密'],
  ])('a bare level in a %s counts', (_n, part, level) => {
    const text = '页眉文字'.repeat(40) + '\n' + level;
    const hits = markings(text, part);
    expect(hits.map((h) => [h.level, h.text])).toEqual([[level, level]]);
    expect(hits[0]!.reasons).toContain('in page header/footer');
  });

  it.each([
    ['机密★5年-会议纪要.docx', '机密', '机密★5年'],
    ['【秘密】工作总结.docx', '秘密', '【秘密】'],
    ['会议纪要-机密.docx', '机密', '机密'],
    ['绝密_考试试卷.pdf', '绝密', '绝密'],
    ['秘密★1年 关于召开会议的通知.doc', '秘密', '秘密★1年'],
  ])('file name %s', (name, level, text) => {
    const hits = markings(name, 'file-name');
    expect(hits.map((h) => [h.level, h.text])).toEqual([[level, text]]);
    expect(hits[0]!.reasons).toContain('in file name');
  });

  it('sheet names joined by line breaks', () => {
    expect(markings('Sheet1\n机密★5年\n汇总', 'sheet-names').map((h) => h.text)).toEqual(['机密★5年']);
  });

  it('several parts: results keep part order and name the part', () => {
    const hits = findMarkings(
      [
        { name: 'word/document.xml', text: '会议通知\n正文' },
        { name: 'word/header1.xml', text: '秘密★1年' },
        { name: 'word/comments.xml', text: '机密★2年' },
      ],
      g,
    );
    expect(hits.map((h) => [h.part, h.level, h.verdict])).toEqual([
      ['word/header1.xml', '秘密', 'marking'],
      ['word/comments.xml', '机密', 'marking'],
    ]);
  });

  it('quoted mentions of other levels do not turn a footer marking into a list of levels', () => {
    const text = '正文'.repeat(60) + '\n文件应标注“绝密★”或者“秘密★”。\n' + '正文'.repeat(60) + '\n机密★10年';
    expect(markings(text).map((h) => h.text)).toEqual(['机密★10年']);
  });

  it('a marking quoted inside a long text is a mention, the real one at the top a marking', () => {
    const text = '机密★10年\n关于学习保密规定的通知\n规定要求文件标注“秘密★1年”等标志。';
    const hits = findMarkings(body(text), g);
    expect(hits.map((h) => [h.level, h.verdict])).toEqual([
      ['机密', 'marking'],
      ['秘密', 'mention'],
    ]);
  });
});

// [description, part text] — no result may have verdict 'marking'.
const NEGATIVES: Array<[string, string]> = [
  ['保密工作, 保守国家秘密', '本单位认真落实保密工作责任制，教育干部职工自觉保守国家秘密。'],
  ['国家秘密 alone on a line', '国家秘密'],
  ['机密性 (infosec)', '数据的机密性、完整性和可用性'],
  ['机密性 alone on a line', '机密性'],
  ['商业秘密, 个人秘密, 技术秘密', '加强对商业秘密和个人秘密的保护，防止技术秘密外泄。'],
  ['商业秘密 alone on a line', '商业秘密\n保护办法'],
  ['star ratings', '《秘密花园》 ★★★★☆\n绝密档案 ★★★☆☆\n机密行动 ★★★★★'],
  ['a title rated with stars, level word alone', '秘密 ★★★★★'],
  ['秘密花园 alone', '秘密花园'],
  ['绝密档案 as a novel title', '绝密档案\n作者：佚名'],
  ['quoted “秘密★” inside a sentence', '涉密文件应当标注“秘密★”等标志。'],
  ['quoted 「机密★10年」', '依照规定在首页标注「机密★10年」。'],
  ['《》 title', '《绝密★启用前的试卷管理办法》解读'],
  ['ASCII quotes', '标注 "秘密★1年" 即可'],
  ['标注 verb before, 字样 after', '考试试卷应标注绝密★启用前字样'],
  ['例如 before', '例如：秘密★1年'],
  ['密级为机密 (a statement)', '本文件密级为机密，不得在互联网计算机上处理。'],
  ['inside a sentence', '他说秘密★1年就是保密期限一年。'],
  ['after a comma', '保密期限如下，机密★10年'],
  ['秘密 in ordinary prose', '这个秘密能告诉大家吗？工作中没有不能说的秘密。'],
  ['绝密级 / 机密级以上', '知悉机密级以上国家秘密的人员应当登记；绝密级文件一律不得复印。'],
  ['非密', '非密文件可以在互联网计算机上处理'],
  ['密级 as a word', '定密工作要准确确定密级和保密期限。'],
  ['levels listed in a sentence', '国家秘密的密级分为绝密、机密、秘密三级。'],
  ['blank form template', '密级：□绝密 □机密 □秘密\n承办部门：'],
  ['blank form template in cells', '密级\t□绝密\t□机密\t□秘密'],
  ['marking examples under 示例', '国家秘密标志的标注方法\n标志示例：\n绝密★长期\n机密★10年\n秘密★1年\n标志应当标注在首页。'],
  ['table of levels and default periods', '密级\t保密期限\n绝密\t30年\n机密\t20年\n秘密\t10年'],
  ['levels one per line in a list', '第二条 密级分为：\n绝密\n机密\n秘密'],
  ['内部控制, 内部审计', '加强内部控制和内部审计，完善内部管理制度。'],
  ['内部资料 in a sentence', '内部资料的传递、回收、注销都严格按照规定办理。'],
  ['内部使用 in a sentence', '该系统仅供内部使用。'],
  ['a bare level far from the start', '正文'.repeat(100) + '\n机密\n' + '正文'.repeat(10)],
  ['a numbered list of the three markings on one line', '1. 绝密★长期 2. 机密★10年 3. 秘密★1年'],
  ['a file name quoted in a report, after a colon', '发现文件：机密★5年-会议纪要.docx'],
  ['属于 before', '属于机密★10年的内容'],
  ['a count table with a 密级 column', '密级\t数量\n机密\t3\n秘密\t5'],
  ['a ledger of classified devices (tab-separated cells)', '序号\t设备名称\t密级\n1\t台式计算机\t机密\n2\t笔记本\t机密'],
  ['a ledger of classified devices (one cell per line)', '序号\n设备名称\n密级\n1\n台式计算机\n机密\n2\n打印机\n秘密'],
  ['a device field 设备密级：机密', '设备编号：BM-001\n设备密级：机密\n责任人：张三'],
  ['计算机密级 (机密 inside 计算机密级)', '计算机密级：秘密'],
  ['保密 / 涉密 / 泄密 words', '涉密人员要防止泄密，做好保密。'],
  ['markdown bold, not a marking', '**注意**：请勿外传'],
];

describe('findMarkings: hard negatives', () => {
  it.each(NEGATIVES)('%s', (_name, text) => {
    expect(markings(text), JSON.stringify(findMarkings(body(text), g))).toEqual([]);
  });

  it.each([
    ['保密工作总结.docx'],
    ['绝密档案读后感.txt'],
    ['机密性评估报告.xlsx'],
    ['商业秘密保护办法.pdf'],
  ])('file name %s', (name) => {
    expect(markings(name, 'file-name')).toEqual([]);
  });

  it('mentions carry the reason', () => {
    const [h] = findMarkings(body('涉密文件应当标注“秘密★”等标志。'), g);
    expect(h).toMatchObject({ level: '秘密', text: '秘密★', verdict: 'mention' });
    expect(h!.reasons).toContain('inside quotation');
    const [u] = findMarkings(body('密级：□绝密'), g);
    expect(u).toMatchObject({ level: '绝密', verdict: 'mention' });
    expect(u!.reasons).toContain('unticked box (a form template)');
  });

  it('mentions: false returns markings only', () => {
    const text = '机密★10年\n文件应当标注“秘密★”。';
    expect(findMarkings(body(text), g, { mentions: false }).map((h) => h.text)).toEqual(['机密★10年']);
  });

  it('bare words in prose are not reported at all', () => {
    expect(findMarkings(body('这个秘密不能说，机密的事情也不能说。'), g)).toEqual([]);
  });
});

describe('results carry no surrounding text', () => {
  it('text is exactly the marking, at its offset in the original part', () => {
    for (const [, text] of [...POSITIVES, ...NEGATIVES]) {
      for (const h of findMarkings(body(text), g)) {
        expect(text.slice(h.offset, h.offset + h.text.length)).toBe(h.text);
        // The marking text holds no sentence: no title, no body words.
        expect(h.text).not.toMatch(/通知|正文|会议|标注/);
      }
    }
  });
});

describe('unit keywords', () => {
  it('every occurrence is level keyword, verdict marking', () => {
    const hits = findMarkings(body('青松工程进度汇报\n关于青 松 工 程的说明'), g, { keywords: ['青松工程'] });
    expect(hits.map((h) => [h.level, h.text, h.verdict])).toEqual([
      ['keyword', '青松工程', 'marking'],
      ['keyword', '青 松 工 程', 'marking'],
    ]);
    expect(hits[0]!.reasons).toEqual(['unit keyword']);
  });

  it('ASCII keywords match their full-width forms', () => {
    const hits = findMarkings(body('型号ＸＹ－２０研制进展'), g, { keywords: ['XY-20'] });
    expect(hits.map((h) => h.text)).toEqual(['ＸＹ－２０']);
  });

  it('keywords and markings together, sorted by offset', () => {
    const hits = findMarkings(body('秘密★1年\n青松工程总结'), g, { keywords: ['青松工程'] });
    expect(hits.map((h) => h.level)).toEqual(['秘密', 'keyword']);
  });

  it('a part without any keyword character is skipped before normalising', () => {
    expect(findMarkings(body('Quarterly report, nothing to see.'), g, { keywords: ['青松'] })).toEqual([]);
  });
});

describe('prefilter keyword contract (gitleaks: a keyword must be implied by every match)', () => {
  const samples = [...POSITIVES.map((p) => p[1]), ...NEGATIVES.map((n) => n[1])];

  it('every match of every pattern contains one of its keywords', () => {
    let matches = 0;
    for (const p of g.patterns) {
      for (const s of samples) {
        const t = normalizeForMarkings(s, g).text;
        for (const m of t.matchAll(new RegExp(p.source, 'gu'))) {
          matches++;
          expect(p.keywords.some((k) => m[0].includes(k)), `${p.id}: ${m[0]}`).toBe(true);
        }
      }
    }
    expect(matches).toBeGreaterThan(50);
  });

  it('the raw prefilter passes every positive before normalisation', () => {
    const raw = rawPrefilter(g);
    for (const [, text] of POSITIVES) expect(raw.test(text), text).toBe(true);
    expect(raw.source).toBe('[密内]');
  });

  it('every pattern is exercised by a positive', () => {
    const used = new Set(POSITIVES.flatMap(([, text]) => findMarkings(body(text), g).map((h) => h.pattern)));
    for (const p of g.patterns) expect(used.has(p.id), p.id).toBe(true);
  });
});

describe('grammar file', () => {
  const doc = parse(readFileSync(g.path, 'utf8')) as Record<string, unknown>;

  it('every pattern and hard negative says why', () => {
    for (const p of g.patterns) expect(p.why.length, p.id).toBeGreaterThan(20);
    for (const h of g.hardNegatives) expect(h.why.length, h.id).toBeGreaterThan(10);
  });

  it('stars are single BMP characters and include ★ ☆ * ＊ ✭', () => {
    for (const s of g.stars) expect(s.length).toBe(1);
    for (const s of '★☆*＊✭') expect(g.stars).toContain(s);
  });

  it('reports every problem of a broken grammar at once', () => {
    const broken = structuredClone(doc) as { patterns: Array<Record<string, unknown>>; hard_negatives: Array<Record<string, unknown>> };
    broken.patterns[0]!['keywords'] = ['不存在'];
    broken.patterns[1]!['regex'] = '(?<level>{{nope}})';
    delete broken.patterns[2]!['why'];
    broken.patterns[3]!['regex'] = '(?<level>机密';
    broken.hard_negatives[0]!['regex'] = '[';
    let err: unknown;
    try {
      compileGrammar(broken, 'broken.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MarkingGrammarError);
    const problems = (err as MarkingGrammarError).problems.join('\n');
    expect(problems).toMatch(/"不存在" does not occur literally/);
    expect(problems).toMatch(/unknown fragment \{\{nope\}\}/);
    expect(problems).toMatch(/why: say why/);
    expect(problems).toMatch(/patterns\[3\].*regex/);
    expect(problems).toMatch(/hard_negatives\[0\]\.regex/);
  });

  it('caches the loaded grammar', () => {
    expect(loadMarkingGrammar()).toBe(g);
  });
});

describe('speed', () => {
  it('scans 1 MB of secrecy prose quickly', () => {
    const para = '本单位认真落实保密工作责任制，教育干部职工保守国家秘密，商业秘密和个人秘密也要保护，数据的机密性很重要。内部控制制度健全。\n';
    const text = para.repeat(Math.ceil(1_000_000 / para.length));
    const t0 = performance.now();
    const hits = findMarkings(body(text), g);
    const ms = performance.now() - t0;
    console.log(`markings: ${(text.length / 1e6).toFixed(2)} M chars of prose in ${ms.toFixed(0)} ms, ${hits.length} results`);
    expect(hits.filter((h) => h.verdict === 'marking')).toEqual([]);
    expect(ms).toBeLessThan(5000);
  });

  it('skips text without keyword characters fast', () => {
    const text = 'Lorem ipsum dolor sit amet. 会议通知，请准时参加。\n'.repeat(50_000);
    const t0 = performance.now();
    expect(findMarkings(body(text), g)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('long parts are matched in windows', () => {
  it('finds each marking of a 3M-character part once, at its offset, wherever the window borders fall', () => {
    const filler = '关于年度工作安排的通知，请各部门认真落实有关要求。\n';
    const second = PART_WINDOW - 4096; // where the second window starts
    // markings around every border, and a bare level word alone on its line right where the
    // second window starts (not the start of the part: not a marking)
    const plan: Array<[number, string]> = [
      [0, '秘密★1年'],
      [second - 40, '秘密★1年'],
      [second, '机密'],
      [second + 1020, '秘密★1年'],
      [PART_WINDOW - 12, '秘密★1年'],
      [PART_WINDOW + 700, '秘密★1年'],
      [2 * PART_WINDOW - 2 * 4096 + 1024 - 3, '秘密★1年'],
      [2_500_000, '秘密★1年'],
      [3_000_000 - 40, '秘密★1年'],
    ];
    let text = '';
    const offsets: number[] = [];
    for (const [target, what] of plan) {
      while (text.length < target) text += filler;
      text += '\n';
      if (what.startsWith('秘密')) offsets.push(text.length);
      text += `${what}\n`;
    }
    expect(text.length).toBeGreaterThan(2 * PART_WINDOW);
    const hits = findMarkings([{ name: 'text', text }], g, { mentions: false });
    expect(hits.map((h) => [h.level, h.text, h.offset])).toEqual(offsets.map((o) => ['秘密', '秘密★1年', o]));
    for (const h of hits) expect(text.slice(h.offset, h.offset + h.text.length)).toBe(h.text);
  });
});

// Issue #13: the false alarms of a real office disk, and their relatives (fixtures/documents/negatives
// holds >= 1,000 whole files of these kinds; test/documents/negatives.test.ts).
describe('findMarkings: an asterisk is a star only when a period or the end of the line follows', () => {
  it.each([
    ['a C comment ending after the word', '/* 由本方私钥与对端公钥计算共享秘密 */\nint x;'],
    ['a C comment block: the leader on the next line', 'int f(void);\n/*\n * 秘密\n */'],
    ['a one-line comment around the bare word', '/* 秘密 */\nint y;'],
    ['a line comment ending in */', '// 秘密*/'],
    ['an emoticon after the word', '放心，这是咱俩的秘密*^_^*'],
    ['an emoticon after the word, alone on its line', '秘密*^_^*\n好的'],
    ['*_* after the word', '秘密*_*\n'],
    ['a star glyph after 的秘密 in a chat', '这是我们的秘密☆'],
    ['markdown bold', '**秘密**\n'],
    ['markdown emphasis in a sentence', '这是一个*秘密*。'],
    ['markdown emphasis alone on a line', '*机密*\n正文'],
    ['emphasis around the period', '# 秘密*1年*轮换一次'],
    ['a word after the asterisk and a space', '秘密* 嘿嘿'],
  ])('%s', (_n, text) => {
    expect(markings(text), JSON.stringify(findMarkings(body(text), g))).toEqual([]);
  });

  it.each([
    ['a period after the asterisk', '秘密*1年\n通知', '秘密*1年'],
    ['the asterisk ends the line', '机密*\n关于印发实施方案的通知', '机密*'],
    ['the asterisk ends the cell', '机密*\t第1页', '机密*'],
    ['a full-width asterisk and a period', '绝密＊长期\n考试', '绝密＊长期'],
    ['a footnote joined to its anchor sentence (ODF): text runs in, the star and period are unmistakable', '本季度完成三项重点工作机密★2年\n，详见附件。', '机密★2年'],
  ])('%s', (_n, text, found) => {
    expect(markings(text).map((h) => h.text)).toEqual([found]);
  });

  it('says why an asterisk is not a star', () => {
    const hits = findMarkings(body('秘密*^_^*\n'), g, { mentions: true });
    expect(hits).toEqual([]); // the bare word with an emoticon after it is prose: not even a mention
    const star = findMarkings(body('秘密*\t^_^'), g);
    expect(star.map((h) => h.verdict)).toEqual(['marking']); // the cell ends after the asterisk
  });
});

describe('findMarkings: level words set in text, lists and tables', () => {
  it.each([
    ['a comment leader and one space: // 内部使用', 'code', '// 内部使用\nfunction f() {}'],
    ['# 仅供内部使用', 'code', '# 仅供内部使用\nimport os'],
    ['a chapter title: 第一章　秘密', 'body', '第一章　秘密\n他推开门。'],
    ['a film in a data cell of a viewing log', 'sheet:观影记录', '日期\t片名\t评分\n2024-01-01\t秘密\t8\n2024-01-02\t阿凡达\t9'],
    ['a film alone in a row (empty cells left out)', 'sheet:Sheet1', '2024年观影记录\n日期\t片名\n秘密\n2024-01-02\t阿凡达'],
    ['内部 in a column of 内部/外部', 'sheet:通讯录', '姓名\t部门\t类型\n张三\t办公室\t内部\n李四\t财务科\t外部'],
    ['工作秘密 in row 7 of a register', 'sheet:收文登记', '文件收发登记簿\n序号\t标题\t类别\n1\t会议纪要\t公开\n2\t通知\t内部\n3\t值班安排\t公开\n4\t年度要点\t公开\n5\t培训通知\t工作秘密'],
    ['medium form in a data cell', 'sheet:Sheet1', '目录\n序号\t名称\n1\t内部资料'],
    ['a TSV viewing log (text): a data cell below the first row', 'text', '日期\t片名\t评分\n2024-01-01\t秘密\t8'],
    ['a chat message under a QQ header', 'text', '2024-05-23 16:06:56 大刘\n内部\n\n2024-05-23 16:07:01 我\n好的'],
    ['a chat message under a WeChat PC header', 'text', '大刘  2024/05/23 16:06:56\n机密\n'],
  ])('%s', (_n, part, text) => {
    expect(markings(text, part), JSON.stringify(findMarkings(body(text, part), g))).toEqual([]);
  });

  it.each([
    ['工作秘密 in A1 above a task table (the header cell 任务名称 is not 秘密任务)', 'sheet:Sheet1', '工作秘密\n任务名称\t负责人\t截止日期\n整理台账\t张三\t2025-03-01', '工作秘密'],
    ['内部 in A1', 'sheet:数据', '内部\n序号\t名称\n1\t年度计划', '内部'],
    ['工作秘密 in the print header', 'header-footer:Sheet1', '工作秘密', '工作秘密'],
    ['内部资料 in A1', 'sheet:Sheet1', '内部资料\n序号\t名称', '内部'],
    ['a strong form in a data cell keeps its verdict', 'sheet:Sheet1', '目录\n序号\t名称\n1\t秘密★1年', '秘密'],
    ['a bare word in the first row of a layout table (text)', 'body', '000123\t机密\n关于召开会议的通知', '机密'],
    ['a bare word set apart by a wide gap', 'body', '份号：000123      机密\n通知', '机密'],
  ])('%s', (_n, part, text, level) => {
    expect(markings(text, part).map((h) => h.level)).toEqual([level]);
  });

  it('a data cell says why it is not counted', () => {
    const hits = findMarkings(body('片名\n秘密', 'sheet:Sheet1'), g);
    expect(hits.map((h) => [h.verdict, h.reasons.at(-1)])).toEqual([['mention', 'a data cell of the sheet (not its first cell)']]);
  });
});
