// Issue #12, "done when": one disk holding every hostile input at once — a link out of the root, a
// FIFO as a log and as a document, a marking hidden behind a NUL, a PDF made to explode, a browser
// history made to hang SQLite, names with escape sequences — and a unit rule with a catastrophic
// regex. The scan finishes and exits, stays under the README's memory bound (300 MB), reports each
// as a finding or a named gap, and reads nothing outside its root.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { issuePdf } from '../formats/docs/_pdf-bomb.js';
import { requireTool, skipWithout } from '../_helpers/oracles.js';
import { FIXTURES } from '../_helpers/windows-root.js';
import { chromeHistory, EXPENSIVE_VISIT_TIME } from './sqlite-hostile.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
const OUTSIDE_TOKEN = 'OUTSIDE-ROOT-7Q2Z';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
let work: string;
let root: string;
let outside: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-hostile-all-'));
  root = join(work, 'root');
  outside = join(work, 'outside.txt');
  await writeFile(outside, `绝密★长期\n${OUTSIDE_TOKEN}\n`);
  await utimes(outside, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
  await cp(join(FIXTURES, 'roots', 'debian12-ws'), root, { recursive: true, verbatimSymlinks: true });
  const docs = join(root, 'home', 'zhang', 'docs');
  await mkdir(docs, { recursive: true });
  // links out of the root, as a document, as the host name and as a log
  await symlink(outside, join(docs, 'link-out.txt'));
  await symlink(`../../../../../../../..${outside}`, join(docs, 'link-up.txt'));
  await rm(join(root, 'var', 'log', 'kern.log'), { force: true });
  await symlink(outside, join(root, 'var', 'log', 'kern.log'));
  // FIFOs as a log and as a document
  await rm(join(root, 'var', 'log', 'syslog'), { force: true });
  execFileSync('mkfifo', [join(root, 'var', 'log', 'syslog')]);
  execFileSync('mkfifo', [join(docs, '会议纪要.docx')]);
  // a marking behind a NUL; a PDF made to explode; a name with escape sequences
  await writeFile(join(docs, 'hidden.txt'), Buffer.concat([Buffer.alloc(16), Buffer.from('绝密★长期\n关于某项任务的通知\n')]));
  await writeFile(join(docs, 'bomb.pdf'), issuePdf());
  await writeFile(join(docs, 'x\u001b[2J\r.txt'), '秘密★1年\n');
  // a browser history whose visit_time is an expensive generated column
  const prof = join(root, 'home', 'zhang', '.config', 'google-chrome', 'Default');
  await mkdir(prof, { recursive: true });
  await writeFile(join(prof, 'History'), await chromeHistory({}, { visits: 2000, rewrite: { visits: `CREATE TABLE visits(id INTEGER PRIMARY KEY, url INTEGER NOT NULL, ${EXPENSIVE_VISIT_TIME}, from_visit INTEGER, transition INTEGER DEFAULT 0 NOT NULL, segment_id INTEGER, visit_duration INTEGER DEFAULT 0 NOT NULL)` } }));
  // the host name a catastrophic rule regex will meet
  await writeFile(join(root, 'etc', 'hostname'), 'a'.repeat(36) + '!\n');
  await writeFile(join(work, 'redos.yaml'), `rules:
  - id: host-redos
    title: { zh: 测试, en: test }
    severity: low
    profiles: [classified, intranet, nonclassified]
    basis: test
    probe: identity
    match: { field: hostname, regex: '^(a+)+$' }
    remediation: { zh: 无, en: none }
`);
});

describe('a disk holding every hostile input at once', () => {
  it.skipIf(skipWithout('time'))('finishes, exits, stays under 300 MB, names each, reads nothing outside its root', async () => {
    const time = requireTool('time');
    const out = join(work, 'out');
    const started = Date.now();
    const r = spawnSync(time, ['-f', 'maxrss-kb=%M', process.execPath, BIN, 'scan', '--root', root, '--profile', 'nonclassified', '--rules', join(work, 'redos.yaml'), '--out', out, '--lang', 'zh'], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(1);
    const rss = Number(/maxrss-kb=(\d+)/.exec(r.stderr)?.[1]);
    console.log(`hostile disk: ${seconds.toFixed(1)} s, peak RSS ${Math.round(rss / 1024)} MB`);
    expect(rss).toBeGreaterThan(0);
    expect(rss * 1024).toBeLessThan(300 * 1024 * 1024);

    const jsonFile = (await readdir(out)).find((f) => f.endsWith('.json'))!;
    const text = await readFile(join(out, jsonFile), 'utf8');
    const rep = JSON.parse(text) as { findings: Array<{ ruleId: string; evidence: Record<string, unknown> }>; coverage: Array<{ kind: string; path?: string; reason: string }> };
    // nothing from outside the root
    expect(text).not.toContain(OUTSIDE_TOKEN);
    expect(r.stdout).not.toContain(OUTSIDE_TOKEN);
    expect((await stat(outside)).atimeMs).toBe(new Date('2001-01-01T00:00:00Z').getTime());
    // findings: the hidden marking and the escaped name; none for links out
    const docs = rep.findings.filter((f) => f.ruleId === 'document-classified-marking').map((f) => String(f.evidence['path']));
    expect(docs).toContain('/home/zhang/docs/hidden.txt');
    expect(docs.some((p) => p.startsWith('/home/zhang/docs/x\\x1b[2J\\x0d'))).toBe(true);
    expect(docs.filter((p) => p.includes('link-'))).toEqual([]);
    // named gaps: the bomb, the FIFOs, the hostile history
    const gap = (p: string) => rep.coverage.filter((c) => c.path === p).map((c) => c.kind);
    expect(gap('/home/zhang/docs/bomb.pdf')).toContain('zip-bomb');
    expect(gap('/home/zhang/docs/会议纪要.docx').length).toBeGreaterThan(0);
    expect(rep.coverage.some((c) => c.path === '/var/log/syslog')).toBe(true);
    expect(rep.coverage.some((c) => c.path?.endsWith('google-chrome/Default/History'))).toBe(true);
    // the terminal got nothing raw
    expect(r.stdout).not.toMatch(RAW);
  }, 320_000);
});
