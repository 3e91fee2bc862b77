/**
 * Replay of a SQLite write-ahead log (`<db>-wal`) onto an in-memory copy of the database image.
 *
 * Browsers keep their history databases in WAL mode: recent transactions live only in the `-wal`
 * file until a checkpoint copies them into the main file. A reader that opens the main file alone
 * (sql.js does: it has no WAL support for a buffer) misses them — the visits that matter most.
 * This module does what SQLite's own recovery (`walIndexRecover` in `wal.c`) does, as a pure
 * function over Buffers, so the inspected files are never opened by SQLite and never changed:
 *
 * - WAL header (32 bytes, big-endian fields): magic `0x377f0682` (checksum words little-endian) or
 *   `0x377f0683` (big-endian), format version 3007000, page size, checkpoint sequence, salt-1,
 *   salt-2, checksum-1/2 over the first 24 bytes.
 * - Frames: a 24-byte header (page number, "database size in pages after commit" — non-zero only
 *   on a commit frame —, salt-1, salt-2, checksum-1/2) followed by one page. A frame is valid when
 *   its salts equal the header's and its checksum equals the cumulative checksum over the frame
 *   header's first 8 bytes and the page data, seeded by the previous frame's (or the header's)
 *   checksum. The first invalid frame ends the log (later frames are stale or torn).
 * - Only frames up to the last valid commit frame count; of those, the latest copy of each page
 *   wins, pages beyond the committed database size are dropped, and the image is cut or extended
 *   to that size.
 *
 * The result has header bytes 18/19 (write/read format version) set to 1 (rollback journal), so
 * an engine that has no WAL (sql.js on a buffer) opens it as an ordinary database, and the
 * in-header database size (offset 28) set from the last commit, with the version-valid-for number
 * (offset 92) made equal to the change counter (offset 24) so SQLite trusts it.
 *
 * Reference: https://www.sqlite.org/fileformat2.html §4 "The Write-Ahead Log" and §4.3 checksum.
 */

export const WAL_MAGIC_LE = 0x377f0682;
export const WAL_MAGIC_BE = 0x377f0683;
export const WAL_FORMAT_VERSION = 3007000;
export const WAL_HEADER_SIZE = 32;
export const WAL_FRAME_HEADER_SIZE = 24;

/** The 100-byte database header starts with this 16-byte string. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface WalHeader {
  magic: number;
  /** Byte order of the checksum words. */
  checksumOrder: 'le' | 'be';
  formatVersion: number;
  pageSize: number;
  checkpointSeq: number;
  salt1: number;
  salt2: number;
  checksum1: number;
  checksum2: number;
}

export interface WalApplyResult {
  /** The database image with the committed WAL frames applied (always a new Buffer, never the input). */
  image: Buffer;
  /** Frames belonging to committed transactions (the valid prefix up to the last commit frame). */
  framesApplied: number;
  /** Frames present in the file (whole or torn) that were not applied. */
  framesIgnored: number;
  /** Committed transactions found (valid commit frames). */
  commits: number;
  /** Distinct pages written into the image. */
  pagesWritten: number;
  /** Database size in pages after the last applied commit (undefined when nothing was applied). */
  dbPages?: number;
  /** The WAL header when it could be read. */
  header?: WalHeader;
  /** Human-readable problems (corrupt, truncated, mismatched WAL). Empty for a clean log. */
  warnings: string[];
}

/** One pass of SQLite's WAL checksum over `data[start, end)` (length a multiple of 8), seeded by `s`. */
export function walChecksum(
  data: Buffer,
  start: number,
  end: number,
  bigEndian: boolean,
  seed: readonly [number, number] = [0, 0],
): [number, number] {
  let s0 = seed[0] >>> 0;
  let s1 = seed[1] >>> 0;
  if ((end - start) % 8 !== 0) throw new RangeError('WAL checksum input must be a multiple of 8 bytes');
  if (bigEndian) {
    for (let i = start; i < end; i += 8) {
      s0 = (s0 + data.readUInt32BE(i) + s1) >>> 0;
      s1 = (s1 + data.readUInt32BE(i + 4) + s0) >>> 0;
    }
  } else {
    for (let i = start; i < end; i += 8) {
      s0 = (s0 + data.readUInt32LE(i) + s1) >>> 0;
      s1 = (s1 + data.readUInt32LE(i + 4) + s0) >>> 0;
    }
  }
  return [s0, s1];
}

/** Parse and check the 32-byte WAL header; returns the header or the reason it is unusable. */
export function readWalHeader(wal: Buffer): { header: WalHeader } | { error: string } {
  if (wal.length < WAL_HEADER_SIZE) return { error: `WAL is ${wal.length} bytes, shorter than its 32-byte header` };
  const magic = wal.readUInt32BE(0);
  if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) {
    return { error: `WAL magic 0x${magic.toString(16).padStart(8, '0')} is not 0x377f0682/0x377f0683` };
  }
  const header: WalHeader = {
    magic,
    checksumOrder: magic === WAL_MAGIC_BE ? 'be' : 'le',
    formatVersion: wal.readUInt32BE(4),
    pageSize: wal.readUInt32BE(8),
    checkpointSeq: wal.readUInt32BE(12),
    salt1: wal.readUInt32BE(16),
    salt2: wal.readUInt32BE(20),
    checksum1: wal.readUInt32BE(24),
    checksum2: wal.readUInt32BE(28),
  };
  if (header.formatVersion !== WAL_FORMAT_VERSION) {
    return { error: `WAL format version ${header.formatVersion} is not ${WAL_FORMAT_VERSION}` };
  }
  const ps = header.pageSize;
  if (ps < 512 || ps > 65536 || (ps & (ps - 1)) !== 0) return { error: `WAL page size ${ps} is not a power of two in 512..65536` };
  const [c1, c2] = walChecksum(wal, 0, 24, header.checksumOrder === 'be');
  if (c1 !== header.checksum1 || c2 !== header.checksum2) return { error: 'WAL header checksum does not match' };
  return { header };
}

/** Page size from a database header (offset 16, big-endian u16; 1 means 65536), or undefined. */
export function dbPageSize(db: Buffer): number | undefined {
  if (db.length < 100 || !db.subarray(0, 16).equals(SQLITE_MAGIC)) return undefined;
  const raw = db.readUInt16BE(16);
  const ps = raw === 1 ? 65536 : raw;
  if (ps < 512 || ps > 65536 || (ps & (ps - 1)) !== 0) return undefined;
  return ps;
}

/** Copy of `db` with header bytes 18/19 set to 1 (rollback mode): opens without a WAL. */
function rollbackCopy(db: Buffer): Buffer {
  const image = Buffer.from(db);
  if (image.length >= 100 && image.subarray(0, 16).equals(SQLITE_MAGIC)) {
    image[18] = 1;
    image[19] = 1;
  }
  return image;
}

/**
 * Apply the committed frames of `wal` onto a copy of `db`. Never throws on content: an unusable
 * WAL leaves the image as the main file (in rollback mode) with a warning. `wal` may be empty
 * (a cleanly closed database), which is not a warning.
 */
export function applyWal(db: Buffer, wal: Buffer | undefined): WalApplyResult {
  const warnings: string[] = [];
  const base = (extra: Partial<WalApplyResult> = {}): WalApplyResult => ({
    image: rollbackCopy(db),
    framesApplied: 0,
    framesIgnored: 0,
    commits: 0,
    pagesWritten: 0,
    warnings,
    ...extra,
  });
  if (wal === undefined || wal.length === 0) return base();

  const parsed = readWalHeader(wal);
  if ('error' in parsed) {
    warnings.push(`WAL ignored: ${parsed.error}`);
    return base();
  }
  const header = parsed.header;
  const pageSize = header.pageSize;
  const frameSize = WAL_FRAME_HEADER_SIZE + pageSize;
  const body = wal.length - WAL_HEADER_SIZE;
  const framesInFile = Math.ceil(body / frameSize);

  const dbPs = dbPageSize(db);
  if (db.length > 0 && dbPs === undefined) {
    warnings.push('WAL ignored: the main database file has no valid SQLite header');
    return base({ header, framesIgnored: framesInFile });
  }
  if (dbPs !== undefined && dbPs !== pageSize) {
    warnings.push(`WAL ignored: its page size ${pageSize} differs from the database's ${dbPs}`);
    return base({ header, framesIgnored: framesInFile });
  }

  const bigEndian = header.checksumOrder === 'be';
  let seed: [number, number] = [header.checksum1, header.checksum2];
  /** page number → offset of its page data in `wal`, for the committed prefix. */
  const committed = new Map<number, number>();
  const pending = new Map<number, number>();
  let framesApplied = 0;
  let pendingFrames = 0;
  let commits = 0;
  let dbPages: number | undefined;
  let stop: string | undefined;

  for (let i = 0; i < framesInFile; i++) {
    const off = WAL_HEADER_SIZE + i * frameSize;
    if (off + frameSize > wal.length) {
      stop = `frame ${i + 1} is truncated (${wal.length - off} of ${frameSize} bytes)`;
      break;
    }
    const pgno = wal.readUInt32BE(off);
    const commitSize = wal.readUInt32BE(off + 4);
    const salt1 = wal.readUInt32BE(off + 8);
    const salt2 = wal.readUInt32BE(off + 12);
    if (salt1 !== header.salt1 || salt2 !== header.salt2) {
      // Normal at the tail of a reused WAL (frames of an earlier generation): not a warning when
      // nothing after the last commit is pending; still reported below if a transaction is cut.
      stop = `frame ${i + 1} has salts of another WAL generation`;
      break;
    }
    if (pgno === 0) {
      stop = `frame ${i + 1} has page number 0`;
      break;
    }
    let sum = walChecksum(wal, off, off + 8, bigEndian, seed);
    sum = walChecksum(wal, off + WAL_FRAME_HEADER_SIZE, off + frameSize, bigEndian, sum);
    if (sum[0] !== wal.readUInt32BE(off + 16) || sum[1] !== wal.readUInt32BE(off + 20)) {
      stop = `frame ${i + 1} checksum does not match`;
      break;
    }
    seed = sum;
    pending.set(pgno, off + WAL_FRAME_HEADER_SIZE);
    pendingFrames++;
    if (commitSize !== 0) {
      for (const [p, o] of pending) committed.set(p, o);
      pending.clear();
      framesApplied += pendingFrames;
      pendingFrames = 0;
      commits++;
      dbPages = commitSize;
    }
  }

  const framesIgnored = framesInFile - framesApplied;
  if (stop !== undefined) {
    const staleTail = stop.includes('another WAL generation') && pendingFrames === 0;
    if (!staleTail) warnings.push(`WAL replay stopped: ${stop}; ${framesIgnored} frame(s) after the last commit ignored`);
  } else if (pendingFrames > 0) {
    warnings.push(`WAL ends inside a transaction: ${pendingFrames} uncommitted frame(s) ignored`);
  }

  if (dbPages === undefined) return base({ header, framesIgnored });

  // Every page of the image comes from the main file or from a committed frame: a commit that
  // claims more (up to 2^32 pages of 64 KiB) would only add zero pages — and, allocated as told,
  // exhaust memory. The image stops at the last page that exists; the header says so too.
  let held = Math.ceil(db.length / pageSize);
  for (const pgno of committed.keys()) if (pgno <= dbPages && pgno > held) held = pgno;
  if (dbPages > held) {
    warnings.push(`WAL commit claims a database of ${dbPages} pages; the file and the log hold only ${held}: the image stops there`);
    dbPages = held;
  }
  const size = dbPages * pageSize;
  const image = Buffer.alloc(size);
  db.copy(image, 0, 0, Math.min(db.length, size));
  let pagesWritten = 0;
  for (const [pgno, dataOff] of committed) {
    if (pgno > dbPages) continue; // truncated away by a later commit
    wal.copy(image, (pgno - 1) * pageSize, dataOff, dataOff + pageSize);
    pagesWritten++;
  }
  if (image.length >= 100 && image.subarray(0, 16).equals(SQLITE_MAGIC)) {
    image[18] = 1;
    image[19] = 1;
    image.writeUInt32BE(dbPages, 28);
    image.writeUInt32BE(image.readUInt32BE(24), 92);
  } else {
    warnings.push('database image has no valid SQLite header after the WAL replay');
  }
  return { image, framesApplied, framesIgnored, commits, pagesWritten, dbPages, header, warnings };
}
