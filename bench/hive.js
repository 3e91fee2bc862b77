// Registry hive reader: a full walk (every key, every value decoded) of the largest corpus hive,
// beside `hivexregedit --export` (Debian libhivex-bin) of the same hive.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hive } from '../dist/formats/regf.js';

const FIXTURE = new URL('../fixtures/windows/hives/win10-1709-SYSTEM.xz', import.meta.url).pathname;
const RUNS = 5;

function walk(buf) {
  const hive = Hive.open(buf);
  let keys = 0;
  let values = 0;
  let bytes = 0;
  for (const k of hive.walk()) {
    keys++;
    for (const v of k.values()) {
      values++;
      try {
        const d = v.data;
        bytes += typeof d === 'string' ? d.length : d instanceof Uint8Array ? d.length : 4;
      } catch {
        // unreadable value: counted, not fatal
      }
    }
  }
  return { keys, values, bytes };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function hiveBench() {
  const dir = mkdtempSync(join(tmpdir(), 'baomi-bench-'));
  try {
    await hiveBenchIn(dir);
  } finally {
    // the hive (15 MB) and hivexml's output (24 MB) are not left behind
    rmSync(dir, { recursive: true, force: true });
  }
}

async function hiveBenchIn(dir) {
  const file = join(dir, 'SYSTEM');
  writeFileSync(file, execFileSync('xz', ['-dc', FIXTURE], { maxBuffer: 1 << 30 }));
  const size = statSync(file).size;
  const mb = size / (1024 * 1024);

  const times = [];
  let counts;
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    counts = walk(readFileSync(file));
    times.push(performance.now() - t0);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const ours = median(times);

  let ref = null;
  const hx = spawnSync('hivexregedit', ['--help'], { encoding: 'utf8' });
  if (hx.error === undefined) {
    const rt = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = spawnSync('hivexregedit', ['--export', '--prefix', 'HKLM\\SYSTEM', file, '\\'], { maxBuffer: 1 << 30, encoding: 'buffer' });
      rt.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`hivexregedit failed: ${r.stderr}`);
      ref = { ms: 0, lines: r.stdout.toString('latin1').split('\n').filter((l) => l.startsWith('[')).length };
    }
    ref.ms = median(rt);
    // hivexml is libhivex's C dumper (no Perl): the closer reference for raw reading speed.
    const xt = [];
    for (let i = 0; i < 3; i++) {
      const out = openSync(join(dir, 'out.xml'), 'w');
      const t0 = performance.now();
      const r = spawnSync('hivexml', [file], { stdio: ['ignore', out, 'pipe'] });
      xt.push(performance.now() - t0);
      closeSync(out);
      if (r.status !== 0) throw new Error(`hivexml failed: ${r.stderr}`);
    }
    ref.xmlMs = median(xt);
  }

  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`\nregistry hive full walk — win10-1709-SYSTEM (${fmt(mb, 1)} MB, ${fmt(counts.keys)} keys, ${fmt(counts.values)} values), median of ${RUNS} runs`);
  console.log('| reader | time | keys/s | MB/s |');
  console.log('|---|---|---|---|');
  console.log(`| baomi (TypeScript regf reader: open + walk + decode every value) | ${fmt(ours)} ms | ${fmt(counts.keys / (ours / 1000))} | ${fmt(mb / (ours / 1000), 1)} |`);
  if (ref) {
    console.log(`| hivexregedit --export (libhivex, C + Perl; ${fmt(ref.lines)} keys) | ${fmt(ref.ms)} ms | ${fmt(ref.lines / (ref.ms / 1000))} | ${fmt(mb / (ref.ms / 1000), 1)} |`);
    console.log(`| hivexml (libhivex, C; XML of every key and value) | ${fmt(ref.xmlMs)} ms | ${fmt(ref.lines / (ref.xmlMs / 1000))} | ${fmt(mb / (ref.xmlMs / 1000), 1)} |`);
  } else {
    console.log('| hivexregedit | not installed (apt-get install libhivex-bin) | | |');
  }
  console.log(`baomi peak RSS during the walks: ${fmt((rssPeak) / 1048576)} MB (process start ${fmt(rss0 / 1048576)} MB)`);
}
