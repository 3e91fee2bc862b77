// Rules about one OS family's settings (`platforms:` in rules/posture.yaml) on a machine of the
// other: the engine does not judge them, and both reports say 不适用 / not applicable — not
// "checked, nothing found" — in both languages (src/report/rule-state.ts decides it for both).
// Runs `baomi scan` on the checklist fixture roots (fixtures/checklist). Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { ruleStates } from '../../src/report/rule-state.js';
import { renderText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import { checklistLinuxRoot, checklistWindowsRoot, type Machine } from '../checks/software/_checklist-roots.js';
import { englishLeaks } from './_leaks.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
const WINDOWS_ONLY = ['posture-autorun-on', 'posture-guest-enabled', 'posture-open-share', 'posture-remote-desktop'];
const LINUX_ONLY = ['posture-empty-password', 'posture-ssh-weak'];
/** Posture rules both systems have: judged on either. */
const BOTH = ['boot-multiple-systems', 'posture-auto-logon', 'posture-firewall-off', 'posture-screen-lock', 'posture-usb-storage-blocked'];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-platforms-'));
});

async function scan(root: string): Promise<{ rep: Report; txt: string; html: string; code: number | null }> {
  const out = await mkdtemp(join(work, 'out-'));
  const r = spawnSync(process.execPath, [BIN, 'scan', '--profile', 'classified', '--root', root, '--out', out, '--lang', 'zh'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  const names = await readdir(out);
  const file = (ext: string) => readFile(join(out, names.find((x) => x.endsWith(ext))!), 'utf8');
  return { rep: JSON.parse(await file('.json')) as Report, txt: await file('.txt'), html: await file('.html'), code: r.status };
}

/** The HTML "checked" table: rule id → the text of its state cell. */
function htmlStates(html: string): Map<string, { cls: string; text: string }> {
  const section = html.slice(html.indexOf('<section id="checked">'), html.indexOf('</section>', html.indexOf('<section id="checked">')));
  const out = new Map<string, { cls: string; text: string }>();
  for (const row of section.split('<tr').slice(1)) {
    const m = /<span class="st (\w+)">(.*?)<\/span>.*?<td[^>]*>([a-z0-9-]+)<\/td>/s.exec(row);
    if (m) out.set(m[3]!, { cls: m[1]!, text: m[2]! });
  }
  return out;
}

/** The text report's "checked" lines: rule title → state. */
function textStates(text: string, report: Report, lang: 'zh' | 'en'): Map<string, string> {
  const out = new Map<string, string>();
  const sep = lang === 'zh' ? '；' : '; ';
  const byTitle = new Map(Object.entries(report.rules.about ?? {}).map(([id, a]) => [a.title[lang], id]));
  for (const line of text.split('\n')) {
    let m = /^- (.+?)（\d+[^）]*）: (.+)$/.exec(line);
    if (m && m[2]!.split(sep).every((t) => byTitle.has(t))) {
      for (const t of m[2]!.split(sep)) out.set(byTitle.get(t)!, m[1]!);
      continue;
    }
    m = /^- (.+): (.+)$/.exec(line);
    if (m && byTitle.has(m[1]!)) out.set(byTitle.get(m[1]!)!, m[2]!);
  }
  return out;
}

const CASES: Array<{ os: 'windows' | 'linux'; machine: Machine; notApplicable: string[] }> = [
  { os: 'linux', machine: 'clean', notApplicable: WINDOWS_ONLY },
  { os: 'linux', machine: 'violations', notApplicable: WINDOWS_ONLY },
  { os: 'windows', machine: 'clean', notApplicable: LINUX_ONLY },
  { os: 'windows', machine: 'violations', notApplicable: LINUX_ONLY },
];

describe('a rule about another OS is not applicable, in both reports and both languages', () => {
  let ran = 0;
  for (const c of CASES) {
    it(`${c.os} ${c.machine}: ${c.notApplicable.join(', ')} not applicable`, async () => {
      const { rep, txt, html: htmlZh } = await scan(c.os === 'linux' ? checklistLinuxRoot(c.machine) : await checklistWindowsRoot(c.machine));
      const posture = rep.probes.filter((p) => p.id === 'security.posture');
      expect(posture.map((p) => p.status)).toEqual(['ok']);
      // the engine: not judged, and why
      expect(posture[0]!.rules).not.toEqual(expect.arrayContaining([c.notApplicable[0]]));
      expect(posture[0]!.notApplicable!.map((n) => n.rule).sort()).toEqual(c.notApplicable);
      const other = c.os === 'linux' ? 'windows' : 'linux';
      for (const n of posture[0]!.notApplicable!) expect(n.msg).toEqual({ key: 'rule.platform', params: { platforms: other, family: c.os }, text: n.message });
      expect(rep.findings.filter((f) => c.notApplicable.includes(f.ruleId))).toEqual([]);
      // the state both reports print
      const states = ruleStates(rep);
      const na = [...states].filter(([, s]) => s.state === 'not-applicable').map(([id]) => id);
      // (live-only checks do not apply to a disk read offline either: their probe says so)
      const isPosture = (id: string) => rep.rules.about?.[id]?.probe === 'security.posture';
      expect(na.filter(isPosture).sort()).toEqual(c.notApplicable);
      expect(na.filter((id) => !isPosture(id)).every((id) => rep.probes.some((p) => p.rules.includes(id) && p.status === 'not-applicable'))).toBe(true);
      for (const id of BOTH) expect(states.get(id)?.state, id).not.toBe('not-applicable');
      // a rule that does apply still stands in its own state: violations fire, clean is clean
      const postureIds = [...(c.os === 'linux' ? LINUX_ONLY : WINDOWS_ONLY)];
      for (const id of postureIds) expect(states.get(id)?.state, id).toBe(c.machine === 'violations' ? 'findings' : 'clean');

      for (const lang of ['zh', 'en'] as const) {
        const naWord = lang === 'zh' ? '不适用' : 'not applicable';
        const text = lang === 'zh' ? txt : renderText(rep, { lang, colour: false });
        const ts = textStates(text, rep, lang);
        for (const id of c.notApplicable) expect(ts.get(id), `${lang} text ${id}`).toBe(naWord);
        expect([...ts].filter(([id, s]) => s === naWord && isPosture(id)), `${lang} text count`).toHaveLength(c.notApplicable.length);
        expect([...ts.values()].filter((s) => s === naWord), `${lang} text count, all`).toHaveLength(na.length);
        const html = lang === 'zh' ? htmlZh : renderHtml(rep, { lang });
        const hs = htmlStates(html);
        const why = lang === 'zh'
          ? `该项只检查「${other === 'windows' ? 'Windows' : 'Linux'}」系统，本机是「${c.os === 'windows' ? 'Windows' : 'Linux'}」系统`
          : `checks ${other === 'windows' ? 'Windows' : 'Linux'} settings only, this machine runs ${c.os === 'windows' ? 'Windows' : 'Linux'}`;
        for (const id of c.notApplicable) expect(hs.get(id), `${lang} html ${id}`).toEqual({ cls: 'na', text: `${naWord}：${why}` });
        expect([...hs].filter(([id, s]) => s.cls === 'na' && isPosture(id)), `${lang} html count`).toHaveLength(c.notApplicable.length);
        expect([...hs.values()].filter((s) => s.cls === 'na'), `${lang} html count, all`).toHaveLength(na.length);
        if (lang === 'zh') {
          expect([...new Set(englishLeaks(text, rep).map((l) => `${l.word}  ←  ${l.line}`))]).toEqual([]);
          const checked = html.slice(html.indexOf('<section id="checked">'), html.indexOf('</section>', html.indexOf('<section id="checked">')));
          expect(englishLeaks(checked.replace(/<[^>]*>/g, '\n').replace(/&[a-z]+;|&#\d+;/g, ' '), rep)).toEqual([]);
        }
      }
      ran++;
    });
  }
  it('ran every case', () => {
    expect(ran).toBe(CASES.length);
  });
});
