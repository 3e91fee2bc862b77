// The annual report at scale: signed per-machine reports generated from REAL scans of the fixture
// roots (debian12-wifi, and a Windows disk of the win10-SYSTEM_B hive), varied per machine (identity,
// unit of 82, department, class, findings, a USB stick from a shared pool so sticks cross machines),
// 1% of machines scanned twice and 0.1% of reports tampered after signing; then `baomi report` run
// on 1,000 / 10,000 / 50,000 of them in a child process: wall time, time per report and peak RSS.
// Target (issue 16): 10,000 reports under 60 s on 2 cores with peak RSS under 300 MB.
// BAOMI_BENCH_ANNUAL_MAX=10000 stops at 10,000; BAOMI_BENCH_ANNUAL_FORMATS=0 skips timing the other formats.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prettyJson } from '../dist/report/json.js';
import { signBytes } from '../dist/sign/keys.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'baomi.js');
const CHUNK = 1000;

function fmt(n, d = 0) {
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

function run(args, env = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 256 * 1024 * 1024 });
  return r;
}

/** Two real reports to vary: an offline scan of each fixture root. */
function templates(work, key) {
  const win = join(work, 'win');
  const cfg = join(win, 'Windows', 'System32', 'config');
  mkdirSync(cfg, { recursive: true });
  writeFileSync(join(cfg, 'SYSTEM'), execFileSync('xz', ['-dc', join(ROOT, 'fixtures/windows/hives/win10-SYSTEM_B.xz')], { maxBuffer: 1 << 28 }));
  writeFileSync(join(cfg, 'SOFTWARE'), execFileSync('xz', ['-dc', join(ROOT, 'fixtures/windows/software/SOFTWARE-sample.hive.xz')], { maxBuffer: 1 << 28 }));
  const out = [];
  for (const root of [join(ROOT, 'fixtures/roots/debian12-wifi'), win]) {
    const dir = mkdtempSync(join(work, 'tpl-'));
    const r = run(['scan', '--root', root, '--key', key, '--out', dir, '--format', 'json', '--profile', 'classified']);
    if (![0, 1, 3].includes(r.status)) throw new Error(`template scan failed: ${r.stderr}`);
    const f = readdirSync(dir).find((x) => x.endsWith('.json'));
    out.push(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }
  return out;
}

const PROFILES = ['classified', 'intranet', 'nonclassified'];

function vary(tpl, i, when, poolSize) {
  const r = structuredClone(tpl);
  const cls = i % 12 === 0 ? 'classified' : i % 12 <= 3 ? 'intranet' : 'nonclassified';
  r.scan.id = randomUUID();
  r.scan.startedAt = when.toISOString();
  r.scan.finishedAt = new Date(when.getTime() + 20_000).toISOString();
  r.scan.profile = cls;
  r.scan.machineContext = { ...r.scan.machineContext, class: cls, levelRank: cls === 'classified' ? 1 : 0, ...(cls === 'classified' ? { level: '秘密' } : {}) };
  if (cls !== 'classified') delete r.scan.machineContext.level;
  r.machine = { ...r.machine, hostname: `pc-${String(i).padStart(6, '0')}`, machineId: (BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32) };
  r.unit = `第${(i % 82) + 1}单位`;
  r.department = ['办公室', '财务科', '人事科', '保密办', '综合科', '业务一科', '业务二科'][i % 7];
  // Some machines clean, others a part of the template's findings.
  const keep = i % 4 === 0 ? 0 : (i % r.findings.length) + 1;
  r.findings = r.findings.slice(0, keep);
  const bySeverity = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of r.findings) bySeverity[f.severity]++;
  r.summary = { ...r.summary, findings: r.findings.length, bySeverity };
  // One stick from a shared pool: the same serial lands on several machines of several classes.
  const serial = `BENCH${String((i * 7919) % poolSize).padStart(8, '0')}`;
  r.inventory = { ...r.inventory, usbDevices: [...(r.inventory.usbDevices ?? []), { key: `usb:0951:1666:${serial}`, vid: '0951', pid: '1666', product: 'DataTraveler', serial, serialUnique: true, storage: true, phone: false, ledger: { status: 'not-judged' } }] };
  return r;
}

function writeSigned(dir, name, report, key) {
  const bytes = Buffer.from(prettyJson(report), 'utf8');
  writeFileSync(join(dir, `${name}.json`), bytes);
  writeFileSync(join(dir, `${name}.json.sig`), signBytes(bytes, key).toString('base64') + '\n');
  return bytes.length;
}

/** Reports i in [from, to) into chunk folders of CHUNK; returns bytes written. */
function generate(base, tpls, key, from, to, total) {
  let bytes = 0;
  const year0 = Date.UTC(2026, 0, 5);
  for (let i = from; i < to; i++) {
    const dir = join(base, `c${String(Math.floor(i / CHUNK)).padStart(3, '0')}`);
    if (i % CHUNK === 0) mkdirSync(dir, { recursive: true });
    const when = new Date(year0 + ((i * 86_400_000 * 7) % (330 * 86_400_000)) + (i % 1000) * 1000);
    const tpl = tpls[i % tpls.length];
    bytes += writeSigned(dir, `r${i}`, vary(tpl, i, when, Math.max(10, Math.floor(total / 5))), key);
    if (i % 100 === 7) bytes += writeSigned(dir, `r${i}-again`, vary(tpl, i, new Date(when.getTime() + 3_600_000), Math.max(10, Math.floor(total / 5))), key);
    if (i % 1000 === 999) {
      const p = join(dir, `r${i}.json`);
      writeFileSync(p, readFileSync(p, 'utf8').replace('"findings": [', '"findings": [ ').replace(/"hostname": "pc-/, '"hostname": "PC-'));
    }
  }
  return bytes;
}

/** `baomi report` in a child: wall time and its own peak RSS (getrusage of the child). */
function aggregate(dirs, pub, out) {
  const code = `const m = await import(${JSON.stringify(join(ROOT, 'dist/cli/main.js'))}); const c = await m.main(${JSON.stringify(['report', ...dirs, '--pubkey', pub, '--out', out])}); const u = process.resourceUsage(); process.stderr.write('\\nMAXRSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); process.exitCode = c;`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /MAXRSS (\d+) CPU (\d+)/.exec(r.stderr);
  const rss = Number(m?.[1] ?? 0) / 1024;
  const cpuMs = Number(m?.[2] ?? 0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`baomi report failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ms, cpuMs, rssMb: rss, stdout: r.stdout.trim() };
}

export async function annualBench() {
  const max = Number(process.env.BAOMI_BENCH_ANNUAL_MAX ?? 50_000);
  const work = mkdtempSync(join(tmpdir(), 'baomi-bench-annual-'));
  try {
    const keys = join(work, 'k');
    if (run(['keys', 'generate', '--out', keys]).status !== 0) throw new Error('keys generate failed');
    const key = createPrivateKey(readFileSync(join(keys, 'baomi.key')));
    createPublicKey(readFileSync(join(keys, 'baomi.pub')));
    const tpls = templates(work, join(keys, 'baomi.key'));
    console.log(`\nannual report — reports generated from real scans (${tpls.map((t) => `${t.machine.hostname}: ${t.findings.length} findings`).join(', ')}); ${cpus().length} CPUs`);
    const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const start = aggregate([empty], join(keys, 'baomi.pub'), join(work, 'empty.json'));
    console.log(`fixed cost of a run (start, no report): ${fmt(start.ms / 1000, 2)} s wall, ${fmt(start.cpuMs / 1000, 2)} s CPU`);
    console.log('| reports | generated (files, MB) | baomi report → .json, wall | CPU (user+sys) | per report (wall, CPU, fixed cost out) | peak RSS | counted | load avg |');
    console.log('|---:|---|---:|---:|---:|---:|---|---:|');
    const base = join(work, 'reports');
    let made = 0;
    let bytes = 0;
    for (const n of [1_000, 10_000, 50_000].filter((x) => x <= max)) {
      const tg = Date.now();
      bytes += generate(base, tpls, key, made, n, 50_000);
      made = n;
      const genS = (Date.now() - tg) / 1000;
      const dirs = readdirSync(base).sort().slice(0, Math.ceil(n / CHUNK)).map((d) => join(base, d));
      const files = dirs.reduce((s, d) => s + readdirSync(d).filter((f) => f.endsWith('.json')).length, 0);
      const out = join(work, `annual-${n}.json`);
      const a = aggregate(dirs, join(keys, 'baomi.pub'), out);
      const j = JSON.parse(readFileSync(out, 'utf8'));
      console.log(`| ${fmt(n)} | ${fmt(files)} files, ${fmt(bytes / 1e6)} MB (made in ${fmt(genS, 1)} s) | ${fmt(a.ms / 1000, 2)} s | ${fmt(a.cpuMs / 1000, 2)} s | ${fmt(((a.ms - start.ms) * 1000) / files, 0)} µs, ${fmt(((a.cpuMs - start.cpuMs) * 1000) / files, 0)} µs | ${fmt(a.rssMb)} MB | ${fmt(j.reports.counted)} reports, ${fmt(j.machines.total)} machines, ${fmt(j.duplicates.length)} repeat scans, ${fmt(j.excluded.length)} not counted | ${load()} |`);
      if (n === 10_000 && process.env.BAOMI_BENCH_ANNUAL_FORMATS !== '0') {
        const row = [];
        for (const ext of ['md', 'html', 'xlsx', 'docx']) {
          const o = join(work, `annual-${n}.${ext}`);
          const r = aggregate(dirs, join(keys, 'baomi.pub'), o);
          row.push(`.${ext} ${fmt(r.ms / 1000, 1)} s (${fmt(statSync(o).size / 1e6, 1)} MB, ${fmt(r.rssMb)} MB RSS)`);
        }
        console.log(`10,000 reports to the other formats (read and render): ${row.join(' · ')}`);
      }
    }
  } finally {
    if (process.env.BAOMI_BENCH_KEEP === '1') console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
