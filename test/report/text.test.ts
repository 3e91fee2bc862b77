import { describe, expect, it } from 'vitest';
import { evidenceLines, PER_GROUP, renderText } from '../../src/report/text.js';
import { sampleReport } from './_sample.js';

const ANSI = /\u001b\[/;

describe('text report', () => {
  const report = sampleReport();
  it('Chinese: the verdict first, counts, what was clean, findings by rule, what was not checked, the summary last', () => {
    const t = renderText(report, { lang: 'zh', colour: false });
    expect(t).not.toMatch(ANSI);
    const lines = t.split('\n');
    expect(lines[0]).toBe('baomi 保密检查报告 — WS-张三-01');
    expect(lines[1]).toBe('结论: 发现问题（高 1, 中 0, 低 1, 提示 0），且检查不完整');
    const order = ['类别: 涉密计算机（密级 机密）', '判定依据: 台账', '== 问题统计 ==', '[高] 存在无线网卡', '== 发现的问题 ==', '-- [高] 存在无线网卡', '-- [低]', '== 未能检查的项目 ==', '汇总:'];
    let at = -1;
    for (const s of order) {
      const i = t.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(t).toContain('依据: 自查自评 四(七)6');
    expect(t).toContain('位置.hive: SYSTEM');
    expect(t).toContain('检查项 network.reachability: 不适用');
    expect(t).toContain('检查项 usb.history: 超时');
    expect(t).toContain('文件已损坏: /Windows/INF/setupapi.dev.log\n');
    expect(t).not.toContain('unreadable section'); // the parser's English detail stays in the JSON
    expect(t).toContain('检查项 network.reachability: 不适用 — 只在在线检查时运行，本次为离线检查');
    expect(t).toContain('检查项 usb.history: 超时 — 未在时限内完成（30000 毫秒） [!]');
    expect(t.trimEnd().split('\n').at(-1)).toBe('汇总: 发现 2 项问题 (高 1, 中 0, 低 1, 提示 0); 检查不完整');
    expect(t).toContain('单位: 某某局');
    // times in local time with the offset, not UTC with Z
    expect(t).toMatch(/检查: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d → /);
    expect(t).toContain('[!] 表示该项使检查不完整');
  });
  it('English, and colour only when asked', () => {
    const t = renderText(report, { lang: 'en', colour: false });
    expect(t).toContain('[HIGH] A wireless adapter is present');
    expect(t.trimEnd().split('\n').at(-1)).toBe('Summary: 2 findings (HIGH 1, MEDIUM 0, LOW 1, INFO 0); scan INCOMPLETE');
    expect(renderText(report, { lang: 'en', colour: true })).toMatch(ANSI);
  });
  it('documents grouped by folder, at most PER_GROUP shown, the rest counted; remediation once per rule', () => {
    const doc = (i: number, dir: string) => ({ id: `F-${i}`, ruleId: 'document-classified-marking', severity: 'high' as const, title: { zh: '存有标注国家秘密密级标志的文件', en: 'A document carries a marking' }, basis: 'b', probe: 'documents.markings', evidence: { path: `${dir}/f${i}.docx`, maxLevel: '秘密' }, remediation: { zh: '立即删除', en: 'remove' } });
    const many = { ...report, findings: [...Array.from({ length: 12 }, (_, i) => doc(i, '/home/a/docs')), doc(99, '/home/b')] };
    const t = renderText(many, { lang: 'zh', colour: false });
    expect(t).toContain('文件夹 /home/a/docs（12 项）');
    expect(t).toContain('文件夹 /home/b（1 项）');
    expect(t).toContain(`… 另有 ${12 - PER_GROUP} 项，见 HTML/JSON 报告`);
    expect(t.split('整改: 立即删除').length - 1).toBe(1);
    expect(t).toContain('路径: /home/a/docs/f0.docx');
  });
  it('what was checked and found clean is said, one line each', () => {
    const r = { ...report, rules: { ...report.rules, ids: [...report.rules.ids, 'internet-reachable'], about: { 'internet-reachable': { title: { zh: '该计算机当前可以访问互联网', en: 'The computer can reach the internet now' }, probe: 'network.reachability' }, 'usb-storage-unregistered': { title: { zh: '连接过未登记的 USB 存储设备', en: 'x' }, probe: 'usb.history' } } }, probes: [...report.probes, { id: 'network.reachability', status: 'ok' as const, durationMs: 1, observations: 3, rules: ['internet-reachable'] }] };
    const t = renderText(r, { lang: 'zh', colour: false });
    expect(t).toContain('== 已检查，未发现问题 ==');
    expect(t).toContain('- 该计算机当前可以访问互联网: 已检查，未发现');
    expect(t).toContain('- 连接过未登记的 USB 存储设备: 未能检查（超时）');
  });
  it('a rule whose probe ran but left a blocking gap (no ledger) is not "found clean"', () => {
    const r = {
      ...report,
      findings: [],
      rules: { ...report.rules, ids: ['usb-storage-unregistered'], about: { 'usb-storage-unregistered': { title: { zh: '连接过未登记的 USB 存储设备', en: 'x' }, probe: 'usb.history' } } },
      probes: [{ id: 'usb.history', status: 'ok' as const, durationMs: 1, observations: 2, rules: ['usb-storage-unregistered'] }],
      coverage: [{ probe: 'usb.history', kind: 'no-ledger', reason: 'no ledger given', blocking: true }],
    };
    const t = renderText(r, { lang: 'zh', colour: false });
    expect(t).toContain('- 连接过未登记的 USB 存储设备: 未能完整检查（见“未能检查的项目”）');
    expect(t).not.toContain('已检查，未发现\n');
    expect(t).toContain('未提供台账，无法核对登记情况');
  });
  it('a clean, complete report says so', () => {
    const clean = { ...report, findings: [], probes: [report.probes[0]!], coverage: [], summary: { findings: 0, bySeverity: { high: 0, medium: 0, low: 0, info: 0 }, complete: true, incomplete: [], notChecked: { total: 0, blocking: 0, byKind: {} } } };
    const t = renderText(clean, { lang: 'en', colour: false });
    expect(t).toContain('No findings.');
    expect(t).toContain('== Not checked ==\nnothing');
    expect(t).toMatch(/scan complete\n$/);
  });
  it('evidence lines flatten nested values and shorten long lists', () => {
    expect(evidenceLines({ a: { b: 1, c: [1, 2] }, d: Array.from({ length: 12 }, (_, i) => i) })).toEqual([
      'a.b: 1',
      'a.c: 1, 2',
      'd: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 … (+2)',
    ]);
  });
});

describe('words of the catalogue, not English, in a Chinese report', () => {
  it('messages render in the language; a parser\'s warnings are counted, read in the JSON', () => {
    const ev = {
      matchedBy: [{ key: 'wireless.log-driver', params: { kind: 'wifi', driver: 'iwlwifi' }, text: 'kernel log: Wi-Fi driver iwlwifi' }],
      warnings: ['WAL ignored: its page size 1024 differs from the database\'s 4096'],
      presence: 'recorded',
    };
    expect(evidenceLines(ev, '', 'zh')).toEqual(['识别依据: 内核日志：无线网卡驱动「iwlwifi」', 'warnings: 1 条（详情见 JSON 报告）'.replace('warnings', '警告'), '存在情况: 系统有记录']);
    expect(evidenceLines(ev, '', 'en')).toEqual(['matchedBy: kernel log: Wi-Fi driver iwlwifi', "warnings: WAL ignored: its page size 1024 differs from the database's 4096", 'presence: recorded']);
  });

  it('the scan id is in the header, tying the text to its JSON and HTML', () => {
    const r = sampleReport();
    expect(renderText(r, { lang: 'zh', colour: false }).split('\n').slice(0, 12)).toContain(`报告编号: ${r.scan.id}`);
    expect(renderText(r, { lang: 'en', colour: false }).split('\n').slice(0, 12)).toContain(`Report id: ${r.scan.id}`);
  });
});

describe('nothing from the disk reaches a terminal raw', () => {
  it('control and bidi-override characters in evidence, gaps and names are escaped', () => {
    const report = sampleReport();
    const hostile = {
      ...report,
      machine: { ...report.machine, hostname: 'pc\u001b[2J' },
      findings: [{ ...report.findings[0]!, evidence: { ssid: 'Office\u001b]0;pwned\u0007', name: 'a\u202eexe.txt', list: ['x\ny'] } }],
      coverage: [{ probe: 'documents.markings', path: '/home/\u001b[31mred', kind: 'unreadable', reason: 'cannot open "\u0000"' }],
    };
    for (const lang of ['zh', 'en'] as const) {
      const t = renderText(hostile, { lang, colour: false });
      expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(t).toContain('Office\\x1b]0;pwned\\x07');
      expect(t).toContain('a\\u202eexe.txt');
    }
  });
});
