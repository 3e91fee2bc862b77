/**
 * Browser histories built to hurt their reader, made here with sql.js (the schema is Chrome 63's, as
 * in fixtures/browsers/chrome/dfirlabs-History-63.0.3239.108, `sqlite3 .schema`):
 *
 * - {@link chromeHistory}: the real schema with one statement swapped (a generated `visit_time`, a
 *   `meta` view over an endless recursive CTE…) — things a schema check can recognise;
 * - {@link indexBomb}: a well-formed schema whose `visits_url_index` b-tree has interior pages that
 *   all point at the same child, level after level: 341^(depth+1) × 100 index entries in a few pages
 *   (depth 1: 11.7 million, ~5 s of sql.js; depth 2: 4 × 10^9, half an hour).
 *   SQLite walks that index for the visit counts (`SCAN v USING INDEX visits_url_index`) with a
 *   streaming GROUP BY, so reading it costs time and no memory: only a time budget stops it.
 * - {@link tableBomb}: the same on the `visits` table itself, indexes of `visits` left out: the
 *   GROUP BY then sorts every row — memory that SQLite's heap cap stops.
 * - {@link manyUrls}: a plain history with many distinct URLs (a big result for the reader's heap).
 */
import { loadSqlJs } from '../../src/formats/browser-history.js';

export const PAGE = 4096;

export const CHROME_TABLES = {
  meta: 'CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR)',
  urls: 'CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT,url LONGVARCHAR,title LONGVARCHAR,visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT NULL,last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL)',
  visits:
    'CREATE TABLE visits(id INTEGER PRIMARY KEY,url INTEGER NOT NULL,visit_time INTEGER NOT NULL,from_visit INTEGER,transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,visit_duration INTEGER DEFAULT 0 NOT NULL)',
  visit_source: 'CREATE TABLE visit_source(id INTEGER PRIMARY KEY,source INTEGER NOT NULL)',
} as const;

export const CHROME_INDEXES = [
  'CREATE INDEX visits_url_index ON visits (url)',
  'CREATE INDEX visits_from_index ON visits (from_visit)',
  'CREATE INDEX visits_time_index ON visits (visit_time)',
  'CREATE INDEX urls_url_index ON urls (url)',
];

/**
 * A visit_time that costs SQLite about a third of a second per row read: deterministic (so allowed
 * in a generated column) and depending on the row (so not folded into a constant). Summarised as
 * before this change, 100 such visits took 35 s; 10,000 take an hour.
 */
export const EXPENSIVE_VISIT_TIME =
  "visit_time INTEGER GENERATED ALWAYS AS (13300000000000000 + length(replace(hex(zeroblob(4000000 + id % 2)), '0', 'ab'))) VIRTUAL";

/** An endless recursive CTE that yields nothing: a query over it never returns and never grows. */
export const ENDLESS = 'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c WHERE n < 0';

/** The Chrome 63 schema (statements replaced by name when given), with `visits` visits to one URL. */
export async function chromeHistory(
  replace: Partial<Record<keyof typeof CHROME_TABLES, string>> = {},
  opts: {
    visits?: number;
    indexes?: boolean;
    /**
     * CREATE statements written into `sqlite_master` after the rows are in (`PRAGMA writable_schema`,
     * as a hand-edited file would have them): a generated column made so costs nothing to build.
     */
    rewrite?: Partial<Record<keyof typeof CHROME_TABLES, string>>;
  } = {},
): Promise<Buffer> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA page_size = ${PAGE}`);
    for (const [name, sql] of Object.entries(CHROME_TABLES)) db.run(replace[name as keyof typeof CHROME_TABLES] ?? sql);
    // An index on a generated visit_time would compute it for every row inserted here: left out then.
    const generated = /GENERATED/i.test(replace.visits ?? '');
    if (opts.indexes !== false) for (const sql of CHROME_INDEXES) if (!(generated && sql.includes('(visit_time)'))) db.run(sql);
    const isTable = (name: string): boolean =>
      db.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${name}'`).length > 0;
    if (isTable('meta')) db.run(`INSERT INTO meta VALUES ('version', '37'), ('last_compatible_version', '16')`);
    if (isTable('urls')) {
      db.run(`INSERT INTO urls (id, url, title, visit_count, typed_count, last_visit_time, hidden) VALUES (1, 'https://www.example.org/', '', 1, 0, 13300000000000000, 0)`);
    }
    const n = opts.visits ?? 100;
    if (isTable('visits') && n > 0) {
      const cols = generated ? 'id, url, from_visit, transition, segment_id, visit_duration' : 'id, url, visit_time, from_visit, transition, segment_id, visit_duration';
      const vals = generated ? 'n, 1, 0, 805306368, 0, 0' : 'n, 1, 13300000000000000 + n * 1000000, 0, 805306368, 0, 0';
      db.run(`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${n}) INSERT INTO visits (${cols}) SELECT ${vals} FROM c`);
    }
    if (opts.rewrite !== undefined) {
      const version = Number(db.exec('PRAGMA schema_version')[0]!.values[0]![0]);
      db.run('PRAGMA writable_schema = ON');
      for (const [name, sql] of Object.entries(opts.rewrite)) db.run('UPDATE sqlite_master SET sql = ? WHERE name = ?', [sql, name]);
      db.run(`PRAGMA schema_version = ${version + 1}`);
      db.run('PRAGMA writable_schema = OFF');
    }
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

/** A Firefox `places.sqlite` (the tables the summary reads), `moz_historyvisits` replaced when given. */
export async function firefoxHistory(historyvisits?: string): Promise<Buffer> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, rev_host LONGVARCHAR, visit_count INTEGER DEFAULT 0)');
    db.run(historyvisits ?? 'CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, from_visit INTEGER, place_id INTEGER, visit_date INTEGER, visit_type INTEGER, session INTEGER)');
    db.run(`INSERT INTO moz_places (id, url) VALUES (1, 'https://www.example.org/')`);
    db.run('PRAGMA user_version = 52');
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

function rootPage(image: Buffer, name: string): Promise<number> {
  return loadSqlJs().then((SQL) => {
    const db = new SQL.Database(image);
    try {
      return Number(db.exec(`SELECT rootpage FROM sqlite_master WHERE name = '${name}'`)[0]!.values[0]![0]);
    } finally {
      db.close();
    }
  });
}

/**
 * `image` with the b-tree rooted at `root` (a single leaf page) multiplied: the leaf copied to a new
 * page, `depth` interior pages stacked on it (each: `cells` cells and the right-most pointer, all to
 * the page below), and the root turned into one more such page.
 */
function bomb(image: Buffer, root: number, depth: number, interiorFlag: 0x02 | 0x05, cell: (child: number) => Buffer): Buffer {
  const pages = image.length / PAGE;
  if (image[(root - 1) * PAGE] !== (interiorFlag === 0x05 ? 0x0d : 0x0a)) throw new Error('bomb: the root is not a single leaf page');
  const out = Buffer.alloc((pages + 1 + depth) * PAGE);
  image.copy(out);
  const leaf = pages + 1;
  image.copy(out, (leaf - 1) * PAGE, (root - 1) * PAGE, root * PAGE);
  const interior = (pgno: number, child: number): void => {
    const pg = out.subarray((pgno - 1) * PAGE, pgno * PAGE);
    pg.fill(0);
    const c = cell(child);
    const k = Math.floor((PAGE - 12) / (c.length + 2));
    const start = PAGE - k * c.length;
    pg[0] = interiorFlag;
    pg.writeUInt16BE(k, 3);
    pg.writeUInt16BE(start, 5);
    pg.writeUInt32BE(child, 8);
    for (let i = 0; i < k; i++) {
      pg.writeUInt16BE(start + i * c.length, 12 + 2 * i);
      c.copy(pg, start + i * c.length);
    }
  };
  let below = leaf;
  for (let d = 0; d < depth; d++) {
    interior(leaf + 1 + d, below);
    below = leaf + 1 + d;
  }
  interior(root, below);
  out.writeUInt32BE(pages + 1 + depth, 28); // in-header page count (valid: offset 92 = offset 24, as exported)
  return out;
}

/** Chrome history whose `visits_url_index` holds 341^(depth+1) × 100 entries in `depth` + 1 extra pages. */
export async function indexBomb(depth = 2): Promise<Buffer> {
  const image = await chromeHistory({}, { visits: 100 });
  const root = await rootPage(image, 'visits_url_index');
  // index interior cell: left child, payload size 5, record (header 3: int8, int8) url = 1, rowid = 1
  return bomb(image, root, depth, 0x02, (child) => {
    const c = Buffer.from([0, 0, 0, 0, 5, 3, 1, 1, 1, 1]);
    c.writeUInt32BE(child, 0);
    return c;
  });
}

/** Chrome history without the `visits` indexes whose `visits` table holds 584^(depth+1) × 100 rows. */
export async function tableBomb(depth = 2): Promise<Buffer> {
  const image = await chromeHistory({}, { visits: 100, indexes: false });
  const root = await rootPage(image, 'visits');
  // table interior cell: left child, rowid key 100 (one-byte varint)
  return bomb(image, root, depth, 0x05, (child) => {
    const c = Buffer.from([0, 0, 0, 0, 100]);
    c.writeUInt32BE(child, 0);
    return c;
  });
}

/** A plain Chrome history with `n` distinct URLs of ~`len` characters, one visit each. */
export async function manyUrls(n: number, len = 200): Promise<Buffer> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    for (const sql of Object.values(CHROME_TABLES)) db.run(sql);
    db.run(`INSERT INTO meta VALUES ('version', '37')`);
    db.run(
      `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${n})
       INSERT INTO urls (id, url, title, visit_count, typed_count, last_visit_time, hidden)
       SELECT n, 'https://h' || n || '.example.org/' || substr(hex(zeroblob(${len})), 1, ${len}) || n, '', 1, 0, 13300000000000000, 0 FROM c`,
    );
    db.run('INSERT INTO visits (id, url, visit_time, transition, visit_duration) SELECT id, id, 13300000000000000 + id, 805306368, 0 FROM urls');
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}
