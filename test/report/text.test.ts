import { describe, expect, it } from 'vitest';
import { evidenceLines, renderText } from '../../src/report/text.js';
import { sampleReport } from './_sample.js';

const ANSI = /\u001b\[/;

describe('text report', () => {
  const report = sampleReport();
  it('Chinese: findings grouped by severity, then what was not checked, then the summary', () => {
    const t = renderText(report, { lang: 'zh', colour: false });
    expect(t).not.toMatch(ANSI);
    const order = ['baomi 保密检查报告 — WS-张三-01', '== 发现的问题 ==', '-- 高 (1) --', '[高] 存在无线网卡', '-- 低 (1) --', '== 未能检查的项目 ==', '汇总:'];
    let at = -1;
    for (const s of order) {
      const i = t.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(t).toContain('依据: 自查自评 四(七)6');
    expect(t).toContain('where.hive: SYSTEM');
    expect(t).toContain('探针 network.reachability: 不适用');
    expect(t).toContain('探针 usb.history: 超时');
    expect(t).toContain('/Windows/INF/setupapi.dev.log: unreadable section at line 12');
    expect(t.trimEnd().split('\n').at(-1)).toBe('汇总: 发现 2 项问题 (高 1, 中 0, 低 1, 提示 0); 检查不完整');
    expect(t).toContain('单位: 某某局');
    expect(t).not.toContain('-- 中');
  });
  it('English, and colour only when asked', () => {
    const t = renderText(report, { lang: 'en', colour: false });
    expect(t).toContain('[HIGH] A wireless adapter is present');
    expect(t.trimEnd().split('\n').at(-1)).toBe('Summary: 2 findings (HIGH 1, MEDIUM 0, LOW 1, INFO 0); scan INCOMPLETE');
    expect(renderText(report, { lang: 'en', colour: true })).toMatch(ANSI);
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
