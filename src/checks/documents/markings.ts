// Probe `documents.markings` — documents carrying classification markings (密级标志), unit
// keywords, and what could not be read. Walks the target (offline: the whole root; live: --paths,
// default every local disk file system minus virtual ones), streaming, and hands each regular
// file to a pool of worker threads (one per core) that sniff its real type, extract its text
// parts (src/formats/docs) and run the marking grammar (rules/data/markings.yaml).
//
// Observation, one per file with at least one marking or keyword: {path, size, mtime, sha256,
// format, markings: [{level, text, where, offset, pattern}], levels, maxLevel, maxRank,
// stateSecret, internal, keyword, violatesClass, originalPath?}. Evidence is the marking text
// itself and where it is — never the text around it.
import { statfs } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CoverageItem, Observation, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { parseRecycleInfo } from '../../formats/docs/index.js';
import { machineEntry } from '../../ledger/index.js';
import { parseMountinfo } from '../identity/hardware.js';
import type { Target, WalkEntry } from '../../target/types.js';
import { DocPool } from './pool.js';
import { levelRank, STATE_LEVELS } from './scan-file.js';
import type { WorkerJob, WorkerReply } from './worker.js';

/** Containers (office files, PDFs, archives) larger than this are not opened (plain text is read in pieces whatever its size). */
const DEFAULT_MAX_FILE = 48 * 1024 * 1024;
const DEFAULT_FILE_TIMEOUT = 60_000;
/** Files below this size go to the workers in batches of up to BATCH_FILES files / BATCH_BYTES bytes. */
const BATCH_FILE_MAX = 1024 * 1024;
const BATCH_FILES = 64;
const BATCH_BYTES = 8 * 1024 * 1024;

/** File systems that hold no user documents (live scans skip their mount points). */
const VIRTUAL_FS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'securityfs', 'debugfs', 'tracefs', 'pstore', 'bpf',
  'mqueue', 'hugetlbfs', 'configfs', 'fusectl', 'binfmt_misc', 'autofs', 'efivarfs', 'rpc_pipefs', 'nsfs', 'ramfs', 'squashfs', 'overlay',
]);
const LIVE_SKIP = ['/proc', '/sys', '/dev', '/run', '/snap'];

const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    level: { enum: ['秘密', '机密', '绝密'] },
    keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
    maxFileBytes: { type: 'integer', minimum: 1024 },
    fileTimeoutMs: { type: 'integer', minimum: 100 },
  },
};

interface Progress {
  files: number;
  bytes: number;
  started: number;
  total?: number;
  last: number;
}

function progress(p: Progress, final = false): void {
  if (!process.stderr.isTTY) return;
  const now = Date.now();
  if (!final && now - p.last < 1000) return;
  p.last = now;
  const secs = (now - p.started) / 1000;
  const rate = p.bytes / 1048576 / Math.max(secs, 0.001);
  const eta = p.total && rate > 0 ? Math.max(0, (p.total - p.bytes) / 1048576 / rate) : undefined;
  process.stderr.write(
    `\rbaomi documents: ${p.files} files, ${(p.bytes / 1048576).toFixed(0)} MB, ${rate.toFixed(1)} MB/s${eta !== undefined ? `, ETA ${Math.ceil(eta)} s` : ''}   ${final ? '\n' : ''}`,
  );
}

/** Live: the roots to walk and the mount points to skip, from the running system's mount table. */
async function liveRoots(target: Target, paths: string[] | undefined): Promise<{ roots: string[]; skip: Set<string> }> {
  const skip = new Set(LIVE_SKIP);
  let info = '';
  try {
    info = await target.readText('/proc/self/mountinfo');
  } catch {
    // no mount table: walk / and skip the usual virtual folders
  }
  const disks: string[] = [];
  for (const m of parseMountinfo(info)) {
    if (VIRTUAL_FS.has(m.fsType) || (m.fsType === 'tmpfs' && m.mountPoint !== '/tmp')) skip.add(m.mountPoint);
    else disks.push(m.mountPoint);
  }
  const roots = paths && paths.length > 0 ? paths : disks.length > 0 ? disks.filter((d) => !disks.some((o) => o !== d && d.startsWith(o === '/' ? '/' : `${o}/`))) : ['/'];
  return { roots: roots.length > 0 ? roots : ['/'], skip };
}

async function recycleOriginal(target: Target, e: WalkEntry): Promise<string | undefined> {
  if (!e.path.includes('$R')) return undefined;
  const m = /^(.*\/\$Recycle\.Bin\/[^/]+\/)\$R([^/]+)$/i.exec(e.path);
  if (!m) return undefined;
  try {
    const info = parseRecycleInfo(await target.readFile(`${m[1]}$I${m[2]}`, { maxBytes: 1 << 16 }));
    return info?.originalPath;
  } catch {
    return undefined;
  }
}

export function mergeDocumentParams(all: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kw = new Set<string>();
  for (const p of all) {
    if (typeof p['level'] === 'string' && out['level'] === undefined) out['level'] = p['level'];
    if (Array.isArray(p['keywords'])) for (const k of p['keywords']) if (typeof k === 'string') kw.add(k);
    for (const k of ['maxFileBytes', 'fileTimeoutMs']) if (typeof p[k] === 'number' && out[k] === undefined) out[k] = p[k];
  }
  if (kw.size > 0) out['keywords'] = [...kw].sort();
  return out;
}

export const documentMarkingsProbe: Probe = {
  id: 'documents.markings',
  description: 'Documents carrying classification markings or unit keywords, in every readable format, archives and the recycle bin included.',
  platforms: ['linux', 'windows'],
  modes: ['live', 'offline'],
  paramsSchema,
  identity: ['path', 'sha256'],
  timeoutMs: 6 * 60 * 60 * 1000,
  mergeParams: mergeDocumentParams,
  async collect(ctx: ProbeContext, params: Record<string, unknown>): Promise<ProbeResult> {
    const { target } = ctx;
    const coverage: CoverageItem[] = [];
    const keywords = (params['keywords'] as string[] | undefined) ?? [];
    const maxFileBytes = (params['maxFileBytes'] as number | undefined) ?? DEFAULT_MAX_FILE;
    const fileTimeoutMs = (params['fileTimeoutMs'] as number | undefined) ?? DEFAULT_FILE_TIMEOUT;

    // The machine's own level (classified machines may hold documents up to it).
    let machineLevel = params['level'] as string | undefined;
    if (machineLevel === undefined && ctx.options.ledgerData && ctx.machine) {
      const row = machineEntry(ctx.options.ledgerData, {
        ...(typeof ctx.machine['hostname'] === 'string' ? { hostname: ctx.machine['hostname'] } : {}),
        ...(typeof ctx.machine['machineId'] === 'string' ? { machineId: ctx.machine['machineId'] } : {}),
      });
      machineLevel = row?.level;
    }
    if (ctx.options.profile === 'classified' && machineLevel === undefined) {
      machineLevel = '秘密';
      coverage.push({ kind: 'assumption', reason: "the machine's own secrecy level is unknown (no rule params.level, no ledger row): taken as 秘密, so 机密 and 绝密 documents are findings" });
    }
    const machineRank = levelRank(machineLevel ?? '');

    const { roots, skip } = target.mode === 'live' ? await liveRoots(target, ctx.options.paths) : { roots: ['/'], skip: new Set<string>() };
    // Workers run the built JavaScript; under the test runner (TypeScript sources) use dist/.
    const workerUrl = import.meta.url.endsWith('.ts')
      ? new URL('../../../dist/checks/documents/worker.js', import.meta.url)
      : new URL('./worker.js', import.meta.url);
    const pool = new DocPool(workerUrl, keywords);
    const prog: Progress = { files: 0, bytes: 0, started: Date.now(), last: 0 };
    try {
      const s = await statfs(target.root);
      if (target.mode === 'offline') prog.total = (s.blocks - s.bfree) * s.bsize;
    } catch {
      // no ETA
    }
    const observations: Observation[] = [];
    const stats = { files: 0, bytes: 0, symlinks: 0, withMarkings: 0, gaps: 0, embeddedPictures: 0, byFormat: {} as Record<string, number> };
    const inflight = new Set<Promise<void>>();
    const limit = pool.size * 4;

    const jobOf = (e: WalkEntry, originalPath: string | undefined): WorkerJob => ({
      id: 0,
      hostPath: e.hostPath,
      name: basename(e.path),
      ...(originalPath ? { originalName: originalPath.split(/[\\/]/).pop()! } : {}),
      size: e.size,
      maxFileBytes,
      timeoutMs: fileTimeoutMs,
    });
    /** Small files travel in batches; a batch that fails (time-out, crash) is re-run file by file. */
    const handleBatch = async (items: Array<{ e: WalkEntry; originalPath: string | undefined }>): Promise<void> => {
      if (items.length > 1) {
        const reply = await pool.run({ batch: items.map((i) => jobOf(i.e, i.originalPath)) }, fileTimeoutMs + 5_000);
        if (reply.ok && 'batch' in reply) {
          reply.batch.forEach((r, k) => record(items[k]!.e, items[k]!.originalPath, r));
          return;
        }
      }
      for (const i of items) {
        const { id: _id, ...job } = jobOf(i.e, i.originalPath);
        record(i.e, i.originalPath, (await pool.run(job, fileTimeoutMs + 5_000)) as WorkerReply | { id: number; ok: false; error: string; timedOut: true });
      }
    };
    const record = (e: WalkEntry, originalPath: string | undefined, reply: WorkerReply | { id: number; ok: false; error: string; timedOut?: true }): void => {
      stats.files++;
      stats.bytes += e.size;
      prog.files++;
      prog.bytes += e.size;
      progress(prog);
      if (!reply.ok) {
        stats.gaps++;
        coverage.push({ kind: 'timedOut' in reply ? 'timeout' : 'unreadable', path: e.path, reason: reply.error });
        return;
      }
      const r = reply.scan;
      const fmtKey = r.prefiltered ? 'no-keyword-bytes' : r.format;
      stats.byFormat[fmtKey] = (stats.byFormat[fmtKey] ?? 0) + 1;
      if ((reply as { changed?: boolean }).changed) coverage.push({ kind: 'changed', path: e.path, reason: 'the file changed while it was read: the result may be incomplete' });
      for (const g of r.gaps) {
        stats.gaps++;
        // Pictures inside documents and archives (icons, photos in a .jar or a web page) are
        // counted in one line, or they would bury the gaps that matter; scanned PDFs stay listed.
        if (g.kind === 'no-text-layer' && g.inner && /^picture/.test(g.reason)) {
          stats.embeddedPictures++;
          continue;
        }
        coverage.push({ kind: g.kind, path: g.inner ? `${e.path}!/${g.inner}` : e.path, reason: g.reason });
      }
      if (r.markings.length === 0) return;
      stats.withMarkings++;
      const levels = [...new Set(r.markings.map((m) => m.level))];
      const maxRank = Math.max(0, ...levels.map(levelRank));
      const stateSecret = maxRank > 0;
      observations.push({
        path: e.path,
        size: e.size,
        mtime: new Date(e.mtimeMs).toISOString(),
        ...(r.sha256 ? { sha256: r.sha256 } : {}),
        format: r.format,
        ...(originalPath ? { originalPath } : {}),
        markings: r.markings.map((m) => ({ level: m.level, text: m.text, where: m.inner ? `${m.inner}#${m.part}` : m.part, offset: m.offset, pattern: m.pattern })),
        levels,
        ...(stateSecret ? { maxLevel: STATE_LEVELS[maxRank - 1] } : {}),
        maxRank,
        stateSecret,
        internal: levels.includes('工作秘密') || levels.includes('内部'),
        keyword: levels.includes('keyword'),
        violatesClass: ctx.options.profile === 'classified' ? maxRank > machineRank : stateSecret,
      });
    };

    try {
      let batch: Array<{ e: WalkEntry; originalPath: string | undefined }> = [];
      let batchBytes = 0;
      const submit = async (items: typeof batch): Promise<void> => {
        const p = handleBatch(items).finally(() => inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= limit) await Promise.race(inflight);
      };
      for (const root of roots) {
        for await (const e of target.walk(root, { skip: (p) => skip.has(p), signal: ctx.signal })) {
          if (e.error) {
            coverage.push({ kind: 'unreadable', path: e.path, reason: e.error });
            continue;
          }
          if (e.kind === 'symlink') {
            stats.symlinks++;
            continue;
          }
          if (e.kind !== 'file') continue;
          const item = { e, originalPath: await recycleOriginal(target, e) };
          if (e.size >= BATCH_FILE_MAX) {
            await submit([item]);
            continue;
          }
          batch.push(item);
          batchBytes += e.size;
          if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
            await submit(batch);
            batch = [];
            batchBytes = 0;
          }
        }
      }
      if (batch.length > 0) await submit(batch);
      await Promise.all(inflight);
    } finally {
      await pool.close();
      progress(prog, true);
    }
    if (stats.embeddedPictures > 0) {
      coverage.push({ kind: 'no-text-layer', reason: `${stats.embeddedPictures} pictures inside documents and archives were not read: text in images needs OCR` });
    }
    if (stats.symlinks > 0) {
      coverage.push({ kind: 'symlinks', reason: `${stats.symlinks} symbolic links were not followed (what they point to inside the disk is scanned where it is)` });
    }
    observations.sort((a, b) => String(a['path']).localeCompare(String(b['path'])));
    const secs = (Date.now() - prog.started) / 1000;
    return {
      status: 'ok',
      observations,
      inventory: { documentScan: { ...stats, roots, seconds: Math.round(secs * 10) / 10, mbPerSecond: Math.round((stats.bytes / 1048576 / Math.max(secs, 0.001)) * 10) / 10 } },
      coverage,
    };
  },
};
