// Probe `documents.markings` — documents carrying classification markings (密级标志), unit
// keywords, and what could not be read. Walks the target (offline: the whole root; live: --paths,
// default every local disk file system minus virtual ones), streaming, and hands each regular
// file to a pool of worker threads (one per core) that sniff its real type, extract its text
// parts (src/formats/docs) and run the marking grammar (rules/data/markings.yaml).
//
// Observation, one per file with at least one marking or keyword: {path, size, mtime, sha256,
// format, markings: [{level, text, where, offset, pattern}], levels, maxLevel, maxRank,
// stateSecret, internal, keyword, originalPath?}. Evidence is the marking text itself and where
// it is — never the text around it. Whether a marking is allowed on this machine (its class and
// level) is judged by the rules against the machine context, not here.
import { statfs } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { S } from '../../engine/shape.js';
import type { CoverageItem, Observation, Probe, ProbeContext, ProbeResult } from '../../engine/types.js';
import { parseMountinfo } from '../identity/hardware.js';
import type { Target } from '../../target/types.js';
import { asWindowsLive, type WindowsLiveTarget } from '../../target/windows-live.js';
import { loadMarkingGrammar } from '../../formats/markings.js';
import { nativeWalk, walkReader } from './native.js';
import { DocWalk } from './pool.js';
import { byteNeedles, needleChars } from './prefilter.js';
import { levelOfRank, levelRank } from '../../engine/vocab.js';

/**
 * Which unread files make the scan incomplete (README, exit codes). Blocking: bytes the tool should
 * have read and did not — a folder or file it could not open, a file over its size budget, one that
 * timed out, an archive built to exhaust it, a file that changed under it. Counted and listed but not
 * blocking: files whose content itself resists reading — encrypted, pictures without a text layer,
 * formats it does not read, damaged files, text past the cap — an officer checks those by hand, and
 * the summary counts them (report.summary.notChecked).
 */
const BLOCKING_GAPS: ReadonlySet<string> = new Set(['unreadable', 'timeout', 'too-large', 'zip-bomb', 'changed']);

/** Containers (office files, PDFs, archives) larger than this are not opened (plain text is read in pieces whatever its size). */
const DEFAULT_MAX_FILE = 48 * 1024 * 1024;
const DEFAULT_FILE_TIMEOUT = 60_000;

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
  // Bytes read against the used space: files skipped or not readable make it an estimate, capped at 99 % until the end.
  const pct = p.total ? (final ? 100 : Math.min(99, Math.floor((100 * p.bytes) / p.total))) : undefined;
  process.stderr.write(
    `\rbaomi documents: ${p.files} files, ${(p.bytes / 1048576).toFixed(0)} MB, ${rate.toFixed(1)} MB/s${pct !== undefined ? `, ${pct}%` : ''}${eta !== undefined && !final ? `, ETA ${Math.ceil(eta)} s` : ''}   ${final ? '\n' : ''}`,
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

/**
 * A running Windows machine: its fixed drives (system drive `/`, others `/D:` …), or the `--paths`
 * given (host paths, `D:\\资料`, turned into target paths). Drives left out are listed (not blocking:
 * the kit's own, removable, network and optical drives are not this machine's disks); a path on no
 * drive of this machine is a blocking gap.
 */
function windowsLiveRoots(win: WindowsLiveTarget, paths: string[] | undefined, coverage: CoverageItem[]): { roots: string[]; skip: Set<string> } {
  const skip = new Set<string>();
  if (paths && paths.length > 0) {
    const roots: string[] = [];
    for (const p of paths) {
      const t = win.targetPathOf(p);
      if (t !== undefined) roots.push(t);
      else coverage.push({ kind: 'unreadable', path: p, reason: `${p}: not on a drive of this machine (network shares are not read)`, blocking: true });
    }
    return { roots, skip };
  }
  const { roots, skipped } = win.documentRoots();
  for (const s of skipped) {
    const d = s.drive;
    if (s.why === 'unreadable') {
      coverage.push({ kind: 'unreadable', path: `${d.letter}:\\`, reason: `fixed drive ${d.letter}: could not be opened (locked by BitLocker, or no file system?): ${s.error ?? ''}`, blocking: true });
      continue;
    }
    const what = s.why === 'kit' ? 'the kit\'s own drive' : `a ${d.type} drive${d.provider ? ` (${d.provider})` : ''}`;
    coverage.push({ kind: 'drive-not-scanned', path: `${d.letter}:\\`, reason: `${d.letter}: is ${what}: its documents were not scanned${s.why === 'kit' ? '' : ` (give --paths ${d.letter}:\\ to scan it)`}` });
  }
  for (const p of win.driveListing.problems) coverage.push({ kind: 'unreadable', path: 'drives', reason: `listing the drives: ${p}`, blocking: win.driveListing.via === 'probe' });
  return { roots, skip };
}

export function mergeDocumentParams(all: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kw = new Set<string>();
  for (const p of all) {
    if (Array.isArray(p['keywords'])) for (const k of p['keywords']) if (typeof k === 'string') kw.add(k);
    for (const k of ['maxFileBytes', 'fileTimeoutMs']) if (typeof p[k] === 'number' && out[k] === undefined) out[k] = p[k];
  }
  if (kw.size > 0) out['keywords'] = [...kw].sort();
  return out;
}

export const documentMarkingsProbe: Probe = {
  id: 'documents.markings',
  description: 'Documents carrying classification markings or unit keywords, in every readable format, archives and the recycle bin included.',
  // `unknown`: a volume without an operating system (a data partition) still has documents.
  platforms: ['linux', 'windows', 'unknown'],
  modes: ['live', 'offline'],
  paramsSchema,
  identity: ['path', 'sha256'],
  observes: S.obj({
    path: S.str,
    pathBytes: S.str,
    pathEncoding: S.enum('gb18030', 'escaped'),
    size: S.num,
    mtime: S.time,
    sha256: S.str,
    format: S.str,
    originalPath: S.str,
    markings: S.list(S.obj({ level: S.str, text: S.str, where: S.str, offset: S.num, pattern: S.str })),
    levels: S.strs,
    maxLevel: S.enum('秘密', '机密', '绝密'),
    maxRank: S.num,
    stateSecret: S.bool,
    internal: S.bool,
    keyword: S.bool,
  }),
  timeoutMs: 6 * 60 * 60 * 1000,
  mergeParams: mergeDocumentParams,
  async collect(ctx: ProbeContext, params: Record<string, unknown>): Promise<ProbeResult> {
    const { target } = ctx;
    const coverage: CoverageItem[] = [];
    const keywords = (params['keywords'] as string[] | undefined) ?? [];
    const maxFileBytes = (params['maxFileBytes'] as number | undefined) ?? DEFAULT_MAX_FILE;
    const fileTimeoutMs = (params['fileTimeoutMs'] as number | undefined) ?? DEFAULT_FILE_TIMEOUT;

    const win = asWindowsLive(target);
    const { roots, skip } = win
      ? windowsLiveRoots(win, ctx.options.paths, coverage)
      : target.mode === 'live'
        ? await liveRoots(target, ctx.options.paths)
        : { roots: ['/'], skip: new Set<string>() };
    // Workers run the built JavaScript; under the test runner (TypeScript sources) use dist/.
    const workerUrl = import.meta.url.endsWith('.ts')
      ? new URL('../../../dist/checks/documents/worker-main.js', import.meta.url)
      : new URL('./worker-main.js', import.meta.url);
    const prog: Progress = { files: 0, bytes: 0, started: Date.now(), last: 0 };
    // For the percentage and ETA: the used space of the file systems walked (offline: the disk;
    // live: each root's file system once — several roots on one file system count once).
    {
      let total = 0;
      const seen = new Set<string>();
      for (const r of target.mode === 'offline' ? ['/'] : roots) {
        try {
          const s = await statfs(target.mode === 'offline' ? target.root : await target.resolve(r));
          const sig = `${s.type}:${s.blocks}:${s.bsize}:${s.files}`;
          if (seen.has(sig)) continue;
          seen.add(sig);
          total += (s.blocks - s.bfree) * s.bsize;
        } catch {
          // that root gives no size: no ETA from it
        }
      }
      if (total > 0) prog.total = total;
    }
    // What every worker needs, computed once here (the GBK table, the compiled grammar).
    const grammar = loadMarkingGrammar();
    // Before the workers start: fewer glibc arenas (each thread's own kept what a big document
    // left in it; see README, Speed). BAOMI_MALLOC_ARENAS=0 leaves glibc's default.
    const arenas = Number(process.env['BAOMI_MALLOC_ARENAS'] ?? 2);
    if (arenas > 0) nativeWalk()?.tuneMalloc(arenas);
    const allKeywords = [...grammar.keywords, ...keywords];
    const walk = new DocWalk(
      workerUrl,
      {
        grammar,
        keywords,
        needles: byteNeedles(allKeywords),
        needleChars: needleChars(allKeywords),
        skip: [...skip],
        maxFileBytes,
        fileTimeoutMs,
      },
      undefined,
      (c) => {
        prog.files = c.files;
        prog.bytes = c.bytes;
        progress(prog);
      },
    );
    // Each root is a folder to walk, or a single file (live --paths may name one).
    const tasks: Array<{ t: string; h: string; files?: string[] }> = [];
    for (const root of roots) {
      try {
        const st = await target.stat(root);
        if (st.kind === 'dir') tasks.push({ t: root, h: await target.resolve(root) });
        else if (st.kind === 'file') {
          const parent = dirname(root);
          tasks.push({ t: parent, h: await target.resolve(parent), files: [basename(root)] });
        }
      } catch (err) {
        coverage.push({ kind: 'unreadable', path: root, reason: (err as Error).message });
      }
    }
    let totals;
    try {
      totals = await walk.run(tasks, ctx.signal);
    } finally {
      progress(prog, true);
    }
    const stats = { ...totals.counts, withMarkings: 0, gaps: totals.gaps.length, ...totals.walk };
    const observations: Observation[] = [];
    for (const r of totals.records) {
      stats.withMarkings++;
      const levels = [...new Set(r.markings.map((m) => m.level))];
      const maxRank = Math.max(0, ...levels.map(levelRank));
      const stateSecret = maxRank > 0;
      observations.push({
        path: r.path,
        // the name is not UTF-8 (shown decoded as GB18030, or escaped) or holds a control character: its bytes
        ...(r.pathBytes ? { pathBytes: r.pathBytes, pathEncoding: r.pathEncoding } : {}),
        size: r.size,
        mtime: new Date(r.mtimeMs).toISOString(),
        ...(r.sha256 ? { sha256: r.sha256 } : {}),
        format: r.format,
        ...(r.originalPath ? { originalPath: r.originalPath } : {}),
        markings: r.markings.map((m) => ({ level: m.level, text: m.text, where: m.inner ? `${m.inner}#${m.part}` : m.part, offset: m.offset, pattern: m.pattern })),
        levels,
        ...(stateSecret ? { maxLevel: levelOfRank(maxRank) } : {}),
        maxRank,
        stateSecret,
        internal: levels.includes('工作秘密') || levels.includes('内部'),
        keyword: levels.includes('keyword'),
      });
    }
    // Workers finish folders in any order: sort, so that two scans of one disk read the same.
    const byPath = (a: { path?: unknown }, b: { path?: unknown }): number => (String(a.path) < String(b.path) ? -1 : String(a.path) > String(b.path) ? 1 : 0);
    coverage.push(...totals.gaps.sort(byPath).map((g) => (BLOCKING_GAPS.has(g.kind) ? { ...g, blocking: true } : g)));
    if (stats.embeddedPictures > 0) {
      coverage.push({ kind: 'no-text-layer', reason: `${stats.embeddedPictures} pictures inside documents and archives were not read: text in images needs OCR` });
    }
    // A disk read offline with nothing on it is an empty or failed mount, not a clean disk.
    if (totals.stopped) {
      coverage.push({
        kind: 'interrupted',
        reason: `the document walk was stopped before the end (interrupted, or out of time): ${totals.stopped.foldersLeft} folder(s) queued and the files being read were not checked; the ${totals.records.length} document(s) with markings found before are kept`,
        blocking: true,
      });
    }
    if (target.mode === 'offline' && stats.files === 0 && !totals.stopped) {
      coverage.push({ kind: 'empty-volume', path: '/', reason: 'no file at all was found under the root: is the disk mounted there? nothing was inspected', blocking: true });
    }
    if (stats.symlinks > 0) {
      coverage.push({ kind: 'symlinks', reason: `${stats.symlinks} symbolic links were not followed (what they point to inside the disk is scanned where it is)` });
    }
    observations.sort(byPath);
    const secs = (Date.now() - prog.started) / 1000;
    return {
      status: 'ok',
      observations,
      inventory: { documentScan: { ...stats, reader: walkReader(), roots, seconds: Math.round(secs * 10) / 10, mbPerSecond: Math.round((stats.bytes / 1048576 / Math.max(secs, 0.001)) * 10) / 10 } },
      coverage,
    };
  },
};
