// `baomi report` end to end on REAL scans: the committed fixture roots (debian12-wifi, debian12-ws,
// a Windows disk built from the win10-SYSTEM_B hive with a ledger) scanned offline with a key made in
// the test, one of them twice, one report tampered after signing; a previous period in which the
// Debian machine still had a saved Wi-Fi network that was removed before this period's scan.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Annual } from '../../src/annual/types.js';
import { FIXTURES, makeWindowsRoot, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
let work: string;
let key: string;
let pub: string;

function baomi(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' }, timeout: 180_000 });
}

async function scan(root: string, out: string, extra: string[]): Promise<string> {
  await mkdir(out, { recursive: true });
  const before = new Set(await readdir(out));
  const r = baomi(['scan', '--root', root, '--key', key, '--out', out, '--format', 'json', ...extra]);
  expect([0, 1, 3], r.stderr).toContain(r.status);
  const made = (await readdir(out)).filter((f) => f.endsWith('.json') && !before.has(f));
  expect(made).toHaveLength(1);
  return join(out, made[0]!);
}

let cur: string;
let prev: string;
let tampered: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-report-cli-'));
  expect(baomi(['keys', 'generate', '--out', join(work, 'k')]).status).toBe(0);
  key = join(work, 'k', 'baomi.key');
  pub = join(work, 'k', 'baomi.pub');
  cur = join(work, 'cur');
  prev = join(work, 'prev');
  // This period's Debian laptop: its wpa_supplicant network was removed after last period's check.
  const wifi = join(work, 'wifi-root');
  await cp(join(FIXTURES, 'roots', 'debian12-wifi'), wifi, { recursive: true, verbatimSymlinks: true });
  await scan(wifi, prev, ['--profile', 'classified', '--unit', '某某局', '--department', '办公室']);
  await rm(join(wifi, 'etc', 'wpa_supplicant', 'wpa_supplicant.conf'));
  const early = await scan(wifi, join(cur, '某某局'), ['--profile', 'classified', '--unit', '某某局', '--department', '办公室']);
  await new Promise((r) => setTimeout(r, 1100)); // a later start time, another file name
  await scan(wifi, join(cur, '某某局', 'again'), ['--profile', 'classified', '--unit', '某某局', '--department', '办公室']);
  expect(early).toBeTruthy();
  await scan(join(FIXTURES, 'roots', 'debian12-ws'), join(cur, '某某局'), ['--profile', 'nonclassified', '--unit', '某某局', '--department', '财务科']);
  const win = await makeWindowsRoot({ system: 'win10-SYSTEM_B.xz', software: SOFTWARE_SAMPLE });
  const ledger = join(work, 'ledger.yaml');
  await writeFile(ledger, `unit: 某某局
computers:
  - id: PC-1
    hostname: DESKTOP-PM6C56D
    class: 涉密
    level: 机密
    department: 保密办
media:
  - id: U-1
    type: U盘
    serial: "AA010215170355310594"
    class: 涉密
  - id: U-9
    type: U盘
    serial: "NEVERSEEN0001"
    class: 涉密
`);
  await scan(win, join(cur, '某某局'), ['--ledger', ledger, '--unit', '某某局']);
  // Tampered: a copy of the Windows report with its findings emptied, its .sig kept.
  const winJson = (await readdir(join(cur, '某某局'))).find((f) => f.startsWith('DESKTOP-') && f.endsWith('.json'))!;
  tampered = join(cur, 'tampered.json');
  const doc = JSON.parse(await readFile(join(cur, '某某局', winJson), 'utf8'));
  doc.machine.machineId = 'someone-else';
  doc.findings = [];
  await writeFile(tampered, JSON.stringify(doc, null, 2) + '\n');
  await cp(join(cur, '某某局', `${winJson}.sig`), `${tampered}.sig`);
  await writeFile(join(work, 'ledger-path'), ledger);
}, 300_000);

describe('baomi report on real scans', () => {
  let a: Annual;
  it('writes the aggregate: exit 1 because a file was not counted, which is listed with its reason', async () => {
    const ledger = await readFile(join(work, 'ledger-path'), 'utf8');
    const out = join(work, 'annual.json');
    const r = baomi(['report', cur, '--pubkey', pub, '--previous', prev, '--ledger', ledger, '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('tampered.json');
    expect(r.stderr).toContain('签名与文件不符');
    expect(r.stdout).toMatch(/已写入 .*annual\.json：计算机3台，问题\d+个，计入报告4份，未计入文件1个/);
    a = JSON.parse(await readFile(out, 'utf8')) as Annual;
    expect(a.excluded.map((e) => [e.file, e.kind])).toEqual([[tampered, 'altered']]);
    expect(a.reports).toEqual({ found: 5, verified: 4, counted: 4, excluded: 1 });
    expect(a.duplicates).toHaveLength(1);
    expect(a.machines.total).toBe(3);
    expect(a.machines.byProfile).toEqual({ classified: 2, intranet: 0, nonclassified: 1 });
    // The Windows disk's department came from its ledger row (保密办); the others from --department.
    expect(a.machines.byDepartment.map((d) => d.department).sort()).toEqual(['保密办', '办公室', '财务科']);
    const total = a.appendix.reduce((s, m) => s + m.findings.length, 0);
    expect(a.findings.total).toBe(total);
    expect(a.findings.byRule.reduce((s, r) => s + r.findings, 0)).toBe(total);
    expect(a.machines.withFindings + a.machines.withoutFindings).toBe(3);
  });
  it('rectification: the removed Wi-Fi network is fixed, the rest still open', () => {
    const r = a.rectification!;
    expect(r.machinesCompared).toBe(1);
    expect(r.fixed).toBe(1);
    const m = r.byMachine[0]!;
    expect(m.hostname).toBe('sm-cwk-02');
    expect(m.fixed.map((f) => [f.ruleId, f.item])).toEqual([['wireless-history', 'TP-LINK_5F3A']]);
    expect(m.open.length).toBe(4); // internet, wireless ×2 and the checklist's posture-firewall-off (no firewall on this disk)
    expect(m.new).toEqual([]);
  });
  it('a registered stick never seen; the seen one is not listed', () => {
    expect(a.correlation.neverSeen.map((n) => n.id)).toEqual(['U-9']);
  });
  it('writes .md, .html, .xlsx and .docx with the same counts', async () => {
    const ledger = await readFile(join(work, 'ledger-path'), 'utf8');
    for (const ext of ['md', 'html', 'xlsx', 'docx']) {
      const out = join(work, `annual.${ext}`);
      const r = baomi(['report', cur, '--pubkey', pub, '--previous', prev, '--ledger', ledger, '--out', out, '--year', String(new Date().getUTCFullYear())]);
      expect(r.status, r.stderr).toBe(1);
      const bytes = await readFile(out);
      expect(bytes.length).toBeGreaterThan(1000);
      if (ext === 'md' || ext === 'html') expect(bytes.toString('utf8')).toContain(`共检查计算机3台，其中涉密计算机2台、非涉密内网计算机0台、非涉密计算机1台`);
      else expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    }
    // no temporary file left beside the outputs (atomic writes)
    expect((await readdir(work)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('usage errors exit 2: no --pubkey, an unknown extension, a bad year', () => {
    expect(baomi(['report', cur, '--out', join(work, 'x.json')]).status).toBe(2);
    const bad = baomi(['report', cur, '--pubkey', pub, '--out', join(work, 'x.pdf')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('.docx');
    expect(baomi(['report', cur, '--pubkey', pub, '--out', join(work, 'x.json'), '--year', '26']).status).toBe(2);
  });
  it('signed with --key: FILE.sig beside it, and baomi verify --pubkey checks it (json and xlsx); a changed byte, a missing .sig, another key, no --pubkey: FAIL', async () => {
    const office = join(work, 'office');
    expect(baomi(['keys', 'generate', '--out', office]).status).toBe(0);
    for (const ext of ['json', 'xlsx']) {
      const out = join(work, `signed.${ext}`);
      const r = baomi(['report', prev, '--pubkey', pub, '--out', out, '--key', join(office, 'baomi.key'), '--lang', 'zh']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`已签名：${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.sig（密钥 sha256:[0-9a-f]{64}`));
      const ok = baomi(['verify', out, '--pubkey', join(office, 'baomi.pub')]);
      expect(ok.status, ok.stdout).toBe(0);
      expect(ok.stdout.split('\n').filter((l) => /^(OK|FAIL) /.test(l))).toEqual([expect.stringMatching(new RegExp(`^OK +${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `))]);
      // another key, or none
      expect(baomi(['verify', out, '--pubkey', pub]).stdout).toMatch(/^FAIL .*signature does not match/m);
      expect(baomi(['verify', out, '--lang', 'zh']).stdout).toMatch(/^失败 .*年度报告不带公钥/m);
      // one byte changed
      const bytes = await readFile(out);
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
      await writeFile(out, bytes);
      const bad = baomi(['verify', out, '--pubkey', join(office, 'baomi.pub')]);
      expect(bad.status).toBe(1);
      // (a JSON damaged past parsing is not known for an annual report any more: it fails as a damaged report)
      expect(bad.stdout).toMatch(ext === 'json' ? /^FAIL .*(signature does not match the file|not valid JSON)/m : /^FAIL .*signature does not match the file/m);
      await rm(`${out}.sig`);
      expect(baomi(['verify', out, '--pubkey', join(office, 'baomi.pub')]).stdout).toMatch(/^FAIL .*\.sig missing/m);
    }
  });
  it('every report counted: exit 0', () => {
    const r = baomi(['report', prev, '--pubkey', pub, '--out', join(work, 'prev.json'), '--lang', 'en']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*prev\.json: 1 computers, 5 findings, 1 reports counted, 0 files not counted/);
  });
});
