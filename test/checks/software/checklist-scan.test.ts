// The checklist rules end to end (`baomi scan --root … --profile classified`) on the fixture machines
// (fixtures/checklist): every rule fires on `violations`, none of them on `clean`, and the report's
// checked-and-clean lines name the new checks. Needs `npm run build` (the CLI runs from dist/).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checklistLinuxRoot, checklistWindowsRoot } from './_checklist-roots.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'baomi.js');
const OURS = /^(software|posture|printer|boot)-/;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-checklist-'));
});

interface Rep {
  findings: Array<{ ruleId: string; severity: string; evidence: Record<string, unknown> }>;
  probes: Array<{ id: string; status: string }>;
}

async function scan(root: string, extra: string[] = []) {
  const out = await mkdtemp(join(work, 'out-'));
  const r = spawnSync(process.execPath, [BIN, 'scan', '--profile', 'classified', '--root', root, '--out', out, '--lang', 'zh', ...extra], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  const names = await readdir(out);
  const rep = JSON.parse(await readFile(join(out, names.find((x) => x.endsWith('.json'))!), 'utf8')) as Rep;
  const text = await readFile(join(out, names.find((x) => x.endsWith('.txt'))!), 'utf8');
  return { code: r.status, rep, text, stderr: r.stderr };
}

const ours = (rep: Rep) => rep.findings.filter((f) => OURS.test(f.ruleId)).map((f) => `${f.ruleId}:${f.severity}:${String(f.evidence['name'] ?? f.evidence['user'] ?? f.evidence['category'] ?? f.evidence['profile'] ?? '')}`).sort();

describe('checklist rules on the fixture machines', () => {
  it('Windows violations: each rule fires, with evidence in Chinese words', async () => {
    const { rep, text } = await scan(await checklistWindowsRoot('violations'));
    expect(rep.probes.filter((p) => ['software.installed', 'security.posture', 'printers.installed'].includes(p.id)).map((p) => p.status)).toEqual(['ok', 'ok', 'ok']);
    expect(ours(rep)).toEqual([
      'boot-multiple-systems:high:',
      'posture-auto-logon:high:zhangsan',
      'posture-autorun-on:medium:',
      'posture-firewall-off:medium:public',
      'posture-guest-enabled:high:Guest',
      'posture-open-share:high:Projects',
      'posture-remote-desktop:high:',
      'posture-screen-lock:medium:zhangsan',
      'printer-fax:high:Fax',
      'printer-network:high:Brother MFC-L2710DW series',
      'printer-network:high:HP LaserJet MFP M428f',
      'printer-network:high:Office-2F',
      'software-cloud-sync:high:Microsoft OneDrive',
      'software-cloud-sync:high:百度网盘',
      'software-instant-messaging:high:微信',
      'software-protection-missing:high:antivirus',
      'software-remote-control:high:TeamViewer',
      'software-remote-control:high:向日葵远程控制',
      'software-virtualization:medium:VMware Workstation',
    ]);
    expect(text).toContain('安装范围: 所有用户');
    expect(text).toContain('软件类别: 远程控制软件');
    expect(text).toContain('连接方式: WSD 网络打印机');
    expect(text).not.toContain('Passw0rd');
  });

  it('Windows clean: none of them (USB storage blocked is recorded as a measure); the new checks are listed as checked and clean', async () => {
    const { rep, text } = await scan(await checklistWindowsRoot('clean'));
    expect(ours(rep)).toEqual(['posture-usb-storage-blocked:info:']);
    // one line per rule, or one line for the state many rules share ("- 已检查，未发现（N 项）: a；b；…")
    const cleanLine = text.split('\n').filter((l) => l.startsWith('- ') && l.includes('已检查，未发现')).join('\n');
    for (const title of ['安装了远程控制软件', '安装了网盘或云同步软件', '涉密计算机安装了即时通信软件', '开启了远程桌面', '来宾账户已启用', '涉密计算机连接了网络打印机（含 WSD 发现的打印机）', '安装了传真设备']) {
      expect(cleanLine, title).toMatch(new RegExp(`(^- ${title}: 已检查，未发现$|^- 已检查，未发现（\\d+ 项）: (.*；)?${title}(；|$))`, 'm'));
    }
  });

  it('Linux violations: each Linux rule fires', async () => {
    const { rep } = await scan(checklistLinuxRoot('violations'));
    expect(ours(rep)).toEqual([
      'boot-multiple-systems:high:',
      'posture-auto-logon:high:zhang',
      'posture-empty-password:high:guest',
      'posture-firewall-off:medium:host-firewall',
      'posture-ssh-weak:high:',
      'printer-fax:high:HP_Fax',
      'printer-network:high:Brother_MFC_L2710DW',
      'printer-network:high:HP_LaserJet_MFP_M428f',
      'software-cloud-sync:high:nautilus-dropbox',
      'software-instant-messaging:high:com.tencent.WeChat',
      'software-instant-messaging:high:linuxqq',
      'software-protection-missing:high:antivirus',
      'software-protection-missing:high:host-audit',
      'software-remote-control:high:teamviewer',
      'software-virtualization:medium:virtualbox-7.0',
    ]);
  });

  it("Linux clean, with the unit's host-audit product named in its own rule file: none of them", async () => {
    const rules = join(work, 'unit-rules.yaml');
    const builtin = await readFile(join(import.meta.dirname, '..', '..', '..', 'rules', 'software.yaml'), 'utf8');
    const only = builtin.slice(builtin.indexOf('  - id: software-protection-missing'));
    await writeFile(rules, `rules:\n${only.replace('    probe: software.installed\n', "    probe: software.installed\n    params: { accept: { host-audit: [zf-hostaudit], antivirus: [clamav] } }\n")}`);
    const { rep, stderr } = await scan(checklistLinuxRoot('clean'), ['--rules', rules]);
    expect(stderr).toMatch(/replaces the built-in|software-protection-missing/);
    expect(ours(rep)).toEqual(['posture-usb-storage-blocked:info:']);
  });
});
