// The live Windows path end to end, on Linux: `baomi scan` without --root, as on a running Windows
// PC, with folders standing in for the drives and recorded outputs for every command the live
// target runs (test/_helpers/windows-live-machine.ts). The scan runs in a child process under
// `unshare -rn` — a network namespace with loopback only — because a live scan includes the
// internet-reachability probe, which must never send a packet from the test machine.
import { createHash, createPublicKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFiles } from '../../src/sign/keys.js';
import { verifyReportFile } from '../../src/report/sign.js';
import { makeLiveMachine, USER_SID, type LiveMachine, type MachineOptions } from '../_helpers/windows-live-machine.js';
import { requireUnshare } from '../checks/network/_netns.js';
import { englishLeaks } from '../report/_leaks.js';
import { chromiumName, evaluateInChromium } from '../report/_chromium.js';
import { requireTool } from '../_helpers/oracles.js';
import { commandKey } from '../../src/target/runner.js';
import { FSUTIL, FSUTIL_LASTACCESS } from '../../src/target/windows-live.js';

const CHILD = join(import.meta.dirname, '_winlive-scan.mjs');

interface Finding {
  ruleId: string;
  evidence: Record<string, unknown>;
}
interface Coverage {
  kind: string;
  path?: string;
  probe?: string;
  reason: string;
  blocking?: boolean;
}
interface Report {
  probes: Array<{ id: string; status: string }>;
  findings: Finding[];
  coverage: Coverage[];
  summary: { complete: boolean; incomplete: string[] };
}

/** Every file and folder under `dir`: path → size, mtime and SHA-256 (folders: mtime). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const s = await lstat(p);
      if (e.isDirectory()) {
        out.set(`${relative(dir, p)}/`, `${s.mtimeMs}`);
        await walk(p);
      } else out.set(relative(dir, p), `${s.size}:${s.mtimeMs}:${createHash('sha256').update(await readFile(p)).digest('hex')}`);
    }
  };
  await walk(dir);
  return out;
}

let keyFile: string;
let pubFile: string;
beforeAll(async () => {
  requireUnshare();
  const k = await generateKeyFiles(await mkdtemp(join(tmpdir(), 'baomi-winlive-key-')));
  keyFile = k.privatePath;
  pubFile = k.publicPath;
});

interface Run {
  code: number;
  calls: string[];
  scratch: string[];
  report?: Report;
  reportFile?: string;
  stderr: string;
}

/** `baomi scan` on the machine, in a child under `unshare -rn`; the report read back from --out. */
async function liveScan(m: LiveMachine, flags: Record<string, unknown> = {}): Promise<Run> {
  const work = await mkdtemp(join(tmpdir(), 'baomi-winlive-run-'));
  const out = (flags['out'] as string | undefined) ?? join(m.kit, 'results');
  const all = { out, format: 'json', key: keyFile, profile: 'intranet', lang: 'en', evidence: 'minimal', ...flags };
  await writeFile(join(work, 'spec.json'), JSON.stringify(m.spec));
  await writeFile(join(work, 'flags.json'), JSON.stringify(all));
  const r = spawnSync('unshare', ['-rn', '--', process.execPath, CHILD, join(work, 'spec.json'), join(work, 'flags.json'), join(work, 'result.json')], {
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1', BAOMI_KIT_TMP: '' },
  });
  if (!existsSync(join(work, 'result.json'))) throw new Error(`child scan failed: ${r.error?.message ?? ''} ${r.stderr}`);
  const res = JSON.parse(await readFile(join(work, 'result.json'), 'utf8')) as { code: number; calls: string[]; scratch: string[] };
  const files = existsSync(out) ? (await readdir(out)).filter((f) => f.endsWith('.json')) : [];
  const run: Run = { ...res, stderr: r.stderr };
  if (files.length === 1) {
    run.reportFile = join(out, files[0]!);
    run.report = JSON.parse(await readFile(run.reportFile, 'utf8')) as Report;
  }
  return run;
}

const FILES: NonNullable<MachineOptions['files']> = {
  'C:/Users/张三/Desktop/通知.txt': '关于年度工作的通知\n机密★1年\n请各部门于本周内完成。\n',
  'D:/资料/2026/报告.txt': '秘密★6个月\n项目进展报告\n',
  // a hard negative: a text about secrecy work, no marking
  'D:/资料/说明.txt': '本文件讨论保密工作的一般要求：标注“秘密”“机密”等密级的文件不得在互联网计算机上处理。\n',
  'E:/拷贝/文件.txt': '绝密★长期\n',
};

const docPaths = (r: Report): string[] =>
  r.findings
    .filter((f) => f.ruleId === 'document-classified-marking')
    .map((f) => String(f.evidence['path']))
    .sort();

describe('baomi scan on a running Windows machine (recorded commands, folders as drives, under unshare -rn)', () => {
  let m: LiveMachine;
  let run: Run;
  let before: Array<Map<string, string>>;
  beforeAll(async () => {
    m = await makeLiveMachine({ files: FILES });
    before = await Promise.all(['C', 'D', 'E'].map((l) => snapshot(m.drives[l]!)));
    run = await liveScan(m, { lang: 'zh' });
  }, 240_000);

  it('walks every fixed drive (C: as /, D: as /D:), not the removable, network or kit drives', () => {
    expect(run.report, run.stderr).toBeDefined();
    expect(docPaths(run.report!)).toEqual(['/D:/资料/2026/报告.txt', '/Users/张三/Desktop/通知.txt']);
    const notScanned = run.report!.coverage.filter((c) => c.kind === 'drive-not-scanned');
    expect(notScanned.map((c) => c.path).sort()).toEqual(['E:\\', 'K:\\', 'Z:\\']);
    expect(notScanned.every((c) => c.blocking !== true)).toBe(true);
  });

  it('reads the registry from reg save copies in a scratch folder on the kit, deleted after; the locked files on C: are never read', () => {
    const saves = run.calls.filter((c) => c.startsWith('reg save '));
    // never the SAM: its copy would put the password hashes on the kit (the guest account is asked through CIM)
    expect(saves.map((c) => c.split(' ')[2]).sort()).toEqual(['HKLM\\SOFTWARE', 'HKLM\\SYSTEM', `HKU\\${USER_SID}`]);
    expect(run.report!.findings.filter((f) => f.ruleId === 'posture-guest-enabled').map((f) => f.evidence['source'])).toEqual(['Win32_UserAccount (PowerShell CIM)']);
    expect(run.scratch).toHaveLength(1);
    const scratch = run.scratch[0]!;
    expect(relative(m.kit, scratch).startsWith('..')).toBe(false);
    for (const c of saves) expect(c.split(' ')[3]!.startsWith(`${scratch}/`)).toBe(true);
    expect(existsSync(scratch)).toBe(false);
    const r = run.report!;
    // the zero-filled hive files on C: would be "damaged" if they had been read
    expect(r.coverage.filter((c) => /^\/Windows\/System32\/config\//.test(c.path ?? '') || c.kind.startsWith('hive-') || c.kind === 'dirty-hive')).toEqual([]);
    const wifi = r.findings.filter((f) => f.ruleId === 'wireless-adapter-present');
    expect(wifi.length).toBeGreaterThan(0);
    expect(wifi.filter((f) => String(f.evidence['source']).startsWith('HKLM\\SYSTEM (reg save): ')).length).toBeGreaterThan(0);
    expect(wifi.map((f) => String(f.evidence['source'])).filter((s) => !s.startsWith('HKLM\\SYSTEM (reg save): ') && !s.startsWith('Get-NetAdapter'))).toEqual([]);
    // the logged-on user's hive came from HKU\<SID>; the other user's from its file
    const sources = JSON.stringify(r.findings.map((f) => f.evidence));
    expect(sources).toContain(`HKU\\\\${USER_SID} (reg save of /Users/张三/NTUSER.DAT)`);
    expect(sources).toContain('/Users/李四/NTUSER.DAT');
  });

  it('collects what only a running machine shows: public connections with their process, USB attached now, adapters with their link state', () => {
    const r = run.report! as Report & { inventory: Record<string, unknown> };
    const conns = r.findings.filter((f) => f.ruleId === 'internet-connection-live').map((f) => `${String(f.evidence['remote'])}:${String(f.evidence['remotePort'])} ${String(f.evidence['process'])}`);
    expect(conns.sort()).toEqual(['198.51.100.7:8080 文档同步', '2001:db8:4860::8888:443 chrome', '203.0.113.10:443 chrome']);
    const usb = (r.inventory['usbDevices'] as Array<{ attachedNow?: boolean; storage: boolean; sources: Array<{ kind: string }> }>) ?? [];
    const now = usb.filter((d) => d.attachedNow === true);
    expect(now.length).toBeGreaterThan(0);
    // a device attached now and recorded in the saved SYSTEM hive is one record with both sources
    expect(now.some((d) => d.sources.some((s) => s.kind === 'usbstor') && d.sources.some((s) => /pnp|live/i.test(s.kind)))).toBe(true);
    const adapters = (r.inventory['wirelessAdapters'] as Array<{ linkState?: string }>) ?? [];
    expect(adapters.some((a) => a.linkState === 'up')).toBe(true);
    expect(r.probes.filter((p) => ['network.connections', 'wireless.adapters', 'usb.history'].includes(p.id)).map((p) => `${p.id}:${p.status}`).sort()).toEqual([
      'network.connections:ok',
      'usb.history:ok',
      'wireless.adapters:ok',
    ]);
  });

  it('writes nothing on the machine: every file and folder of C:, D: and E: as before', async () => {
    const after = await Promise.all(['C', 'D', 'E'].map((l) => snapshot(m.drives[l]!)));
    expect(after).toEqual(before);
  });

  it('the report says what was read: drives walked and left out, registry copies, rights — in Chinese with no English leak', async () => {
    const r = run.report! as Report & { scan: { liveWindows: unknown; mode: string } };
    expect(r.scan.mode).toBe('live');
    expect(r.scan.liveWindows).toEqual({
      drives: [
        { letter: 'C', scanned: true },
        { letter: 'D', scanned: true },
        { letter: 'E', scanned: false, type: 'removable', why: 'not-fixed' },
        { letter: 'K', scanned: false, type: 'removable', why: 'kit' },
        { letter: 'Z', scanned: false, type: 'network', why: 'not-fixed' },
      ],
      registryCopies: expect.arrayContaining([{ key: 'HKLM\\SYSTEM', ok: true }, { key: `HKU\\${USER_SID}`, ok: true }]),
      scratch: run.scratch[0],
      elevated: true,
    });
    const txt = await readFile(run.reportFile!.replace(/\.json$/, '.txt'), 'utf8');
    expect(txt).toContain('本次读取: 驱动器 C:、D:（未检查：E: 可移动盘、K: 检查工具所在盘、Z: 网络盘）；注册表副本 3/3 份（用「reg save」复制');
    expect(englishLeaks(txt, run.report as never).map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);
  });

  it('the HTML report as rendered (innerText in headless Chromium) says what was read, in Chinese, with no English leak', async () => {
    const chromium = chromiumName();
    requireTool(chromium);
    const html = run.reportFile!.replace(/\.json$/, '.html');
    const text = (await evaluateInChromium(chromium, pathToFileURL(html).href, 'document.body.innerText', { TZ: 'Asia/Shanghai' })) as string;
    expect(text).toMatch(/本次读取\s+驱动器 C:、D:（未检查：E: 可移动盘、K: 检查工具所在盘、Z: 网络盘）/);
    expect(englishLeaks(text, run.report as never).map((l) => `${l.word}  ←  ${l.line}`)).toEqual([]);
  }, 120_000);

  it('the report is signed and verifies with the kit key', async () => {
    const v = await verifyReportFile(run.reportFile!, createPublicKey(await readFile(pubFile)));
    expect(v.ok, v.reason).toBe(true);
  });

  it('without administrator rights: every hive is a named, blocking needs-admin gap; documents are still scanned', async () => {
    // and NTFS updates last-access times here (fsutil: 2, system managed, enabled)
    const u = await makeLiveMachine({ files: FILES, elevated: false, extra: { [commandKey(FSUTIL, FSUTIL_LASTACCESS)]: { stdout: 'DisableLastAccess = 2  (System Managed, Enabled)\r\n' } } });
    const res = await liveScan(u);
    const r = res.report!;
    expect(r.coverage.filter((c) => c.kind === 'last-access-updated').map((c) => c.blocking ?? false)).toEqual([false]);
    expect(docPaths(r)).toEqual(['/D:/资料/2026/报告.txt', '/Users/张三/Desktop/通知.txt']);
    const admin = r.coverage.filter((c) => c.kind === 'needs-admin');
    const paths = new Set(admin.map((c) => c.path));
    expect(paths.has('HKLM\\SYSTEM (reg save)') && paths.has('HKLM\\SOFTWARE (reg save)'), JSON.stringify(admin)).toBe(true);
    // nothing else a scan needs was unreadable: the gaps are the hives, and the users' hives behind SOFTWARE
    expect(admin.every((c) => c.blocking === true)).toBe(true);
    expect(r.summary.complete).toBe(false);
    expect(res.code).toBe(1); // findings first: the documents
    // without the hives, the machine is still named: hostname and the MachineGuid any user may read
    const machine = (r as unknown as { machine: Record<string, unknown> }).machine;
    expect([machine['hostname'], machine['machineId']]).toEqual(['SM-CWK-07', '4c4c4544-0042-3510-8052-b4c04f4d4e31']);
    // and its hardware, asked of Windows itself (the ledger's first key), not of the machine running the tests
    expect(machine['hardware']).toMatchObject({ vendor: 'LENOVO', model: '20L8S2N800', serial: 'PF1ABCDE', boardSerial: 'L1HF8AB01CD' });
    expect((machine['macs'] as Array<{ mac: string }>).map((m) => m.mac)).toEqual(['8c:16:45:12:34:56', 'a4:34:d9:12:34:56']);
    expect((machine['disks'] as Array<{ serial?: string }>).map((d) => d.serial)).toEqual(['S4ENNX0N123456']);
    expect(res.reportFile!.split('/').pop()!.startsWith('SM-CWK-07-')).toBe(true);
  }, 240_000);

  it('--out on an inspected drive (C:) is refused before anything is written', async () => {
    const u = await makeLiveMachine({ files: FILES });
    const out = join(u.drives['C']!, 'reports');
    const snap = await snapshot(u.drives['C']!);
    const res = await liveScan(u, { out });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/is on a drive being inspected/);
    expect(res.calls.some((c) => c.startsWith('reg save'))).toBe(false);
    expect(await snapshot(u.drives['C']!)).toEqual(snap);
  }, 240_000);

  it('--paths D:\\资料 scans that folder alone; a path on no drive is a blocking gap', async () => {
    const u = await makeLiveMachine({ files: FILES });
    const res = await liveScan(u, { paths: ['D:\\资料', 'Q:\\nothing'], only: 'document-classified-marking' });
    const r = res.report!;
    expect(docPaths(r)).toEqual(['/D:/资料/2026/报告.txt']);
    expect(r.coverage.filter((c) => c.blocking === true).map((c) => c.path)).toEqual(['Q:\\nothing']);
  }, 240_000);
});
