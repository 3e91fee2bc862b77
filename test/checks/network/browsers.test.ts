/**
 * Discovery of browser history on offline roots built here in temp folders — a Linux (UOS-like)
 * home layout and a Windows `Users/…/AppData/…` layout — holding the real fixture databases at the
 * places the browsers keep them. The roots are hashed before and after: nothing may be written.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectBrowserHistory, type BrowserHistoryItem } from '../../../src/checks/network/_browsers.js';
import { FsTarget } from '../../../src/target/fs-target.js';

const F = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'browsers');
const PLASO_CHROME = readFileSync(join(F, 'chrome', 'plaso-History'));
const DFIR_CHROME = readFileSync(join(F, 'chrome', 'dfirlabs-History-63.0.3239.108'));
const PLASO_FF = readFileSync(join(F, 'firefox', 'plaso-places.sqlite'));
const DFIR_FF = readFileSync(join(F, 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite'));
const DFIR_FF_WAL = readFileSync(join(F, 'firefox', 'dfirlabs-firefox-67.0', 'places.sqlite-wal'));
/** Deterministic noise: not SQLite. */
const RANDOM = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24));

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function makeRoot(files: Record<string, Buffer | string>, links: Record<string, string> = {}, dirs: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'baomi-browsers-'));
  roots.push(root);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const [p, to] of Object.entries(links)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    symlinkSync(to, join(root, p));
  }
  return root;
}

/** Every entry under root (not following symlinks): kind, size, mtime, sha256 — the root's fingerprint. */
function fingerprint(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(root, r));
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(join(root, r))}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${st.mtimeMs}`;
        walk(r);
      } else out[r] = `file ${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(join(root, r))).digest('hex')}`;
    }
  };
  walk('');
  return out;
}

const pick = (i: BrowserHistoryItem) => ({
  user: i.user,
  browser: i.browser,
  profile: i.profile,
  path: i.path,
  family: i.family,
  totalVisits: i.totalVisits,
  internetVisits: i.internetVisits,
});

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
  'bob:x:1001:1001::/home/bob:/bin/bash',
  'carol:x:1002:1002::/data/home/carol:/bin/bash',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');

function linuxRoot(): string {
  return makeRoot(
    {
      'etc/os-release': 'NAME="UnionTech OS Desktop"\nID=uos\n',
      'etc/passwd': PASSWD,
      'home/alice/.config/google-chrome/Default/History': PLASO_CHROME,
      'home/alice/.config/google-chrome/Profile 1/History': RANDOM,
      'home/alice/.config/google-chrome/Local State': '{}',
      'home/alice/.mozilla/firefox/profiles.ini': '[Profile0]\nName=default-release\nIsRelative=1\nPath=c81od3v4.default-release\nDefault=1\n',
      'home/alice/.mozilla/firefox/c81od3v4.default-release/places.sqlite': DFIR_FF,
      'home/alice/.mozilla/firefox/c81od3v4.default-release/places.sqlite-wal': DFIR_FF_WAL,
      'home/bob/.config/browser360/Default/History': DFIR_CHROME,
      'home/bob/.config/someapp/cache/History': 'not a database, just a text file called History\n',
      'root/.config/qaxbrowser/Default/History': DFIR_CHROME,
      'data/home/carol/.config/browser/Default/History': DFIR_CHROME,
      'data/home/carol/.config/SomeVendor/SomeBrowser/Default/History': PLASO_CHROME,
    },
    { 'home/dave': '/home/alice' }, // a second name for alice's home: no duplicates
  );
}

describe('Linux layout (offline)', () => {
  it('finds every user\'s history, in Chrome, Firefox (+WAL), 360, QAX, deepin and an unknown Chromium browser; corrupt file in coverage; root untouched', async () => {
    const root = linuxRoot();
    const before = fingerprint(root);
    const target = await FsTarget.open('offline', root);
    expect(target.os.family).toBe('linux');
    const { items, coverage } = await collectBrowserHistory(target, {});

    // sorted by user, then path (code-point order)
    expect(items.map(pick)).toEqual([
      { user: 'alice', browser: 'Google Chrome', profile: 'Default', path: '/home/alice/.config/google-chrome/Default/History', family: 'chromium', totalVisits: 69, internetVisits: 69 },
      { user: 'alice', browser: 'Firefox', profile: 'c81od3v4.default-release', path: '/home/alice/.mozilla/firefox/c81od3v4.default-release/places.sqlite', family: 'firefox', totalVisits: 4, internetVisits: 4 },
      { user: 'bob', browser: '360 Secure Browser (360安全浏览器)', profile: 'Default', path: '/home/bob/.config/browser360/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
      { user: 'carol', browser: 'Chromium-based (SomeVendor/SomeBrowser)', profile: 'Default', path: '/data/home/carol/.config/SomeVendor/SomeBrowser/Default/History', family: 'chromium', totalVisits: 69, internetVisits: 69 },
      { user: 'carol', browser: 'deepin Browser (deepin/UOS 浏览器)', profile: 'Default', path: '/data/home/carol/.config/browser/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
      { user: 'root', browser: 'QAX Browser (奇安信可信浏览器)', profile: 'Default', path: '/root/.config/qaxbrowser/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
    ]);

    const ff = items.find((i) => i.family === 'firefox')!;
    expect(ff.wal).toBe('/home/alice/.mozilla/firefox/c81od3v4.default-release/places.sqlite-wal');
    expect(ff.lastVisit).toBe('2019-05-30T17:24:43.834Z');
    expect(ff.topHosts.map((h) => h.host)).toEqual(['www.mozilla.org', 'raw.githubusercontent.com', 'www.google.com']);
    const chrome = items[0]!;
    expect(chrome.firstVisit).toBe('2011-04-07T12:03:11.000Z');
    expect(chrome.lastVisit).toBe('2011-05-23T08:37:27.061Z');
    expect(chrome.topHosts).toHaveLength(10);
    expect(chrome.wal).toBeNull();
    expect(chrome.urls).toBeUndefined(); // minimal evidence by default

    expect(coverage).toEqual([
      {
        kind: 'corrupt',
        path: '/home/alice/.config/google-chrome/Profile 1/History',
        reason: expect.stringContaining('Google Chrome history: not a SQLite 3 database'),
        blocking: true,
      },
    ]);
    expect(fingerprint(root)).toEqual(before);
  });

  it('evidence full adds the internet URLs (the Google search in the WAL among them)', async () => {
    const root = linuxRoot();
    const target = await FsTarget.open('offline', root);
    const { items } = await collectBrowserHistory(target, { evidence: 'full' });
    const ff = items.find((i) => i.family === 'firefox')!;
    expect(ff.urls!.map((u) => u.url)).toContain('https://www.google.com/search?client=firefox-b-d&q=plaso+log2timeline');
    expect(items[0]!.urls).toHaveLength(55);
  });

  it('files over the size cap are coverage items (too-large), not skipped', async () => {
    const root = linuxRoot();
    const before = fingerprint(root);
    const target = await FsTarget.open('offline', root);
    const { items, coverage } = await collectBrowserHistory(target, { maxBytes: 100_000 });
    // plaso History (79,872 B) fits; the 114,688-B Chrome 63 files and the 5 MB places.sqlite do not
    expect(items.map((i) => i.path)).toEqual([
      '/home/alice/.config/google-chrome/Default/History',
      '/data/home/carol/.config/SomeVendor/SomeBrowser/Default/History',
    ]);
    const tooLarge = coverage.filter((c) => c.kind === 'too-large').map((c) => c.path).sort();
    expect(tooLarge).toEqual([
      '/data/home/carol/.config/browser/Default/History',
      '/home/alice/.mozilla/firefox/c81od3v4.default-release/places.sqlite',
      '/home/bob/.config/browser360/Default/History',
      '/root/.config/qaxbrowser/Default/History',
    ]);
    expect(coverage.every((c) => c.blocking === true)).toBe(true);
    expect(fingerprint(root)).toEqual(before);
  });

  it('an unreadable -wal beside a database: coverage for the WAL, the database still summarised from the main file', async () => {
    const root = makeRoot(
      { 'etc/os-release': 'ID=debian\n', 'home/u/.mozilla/firefox/p.default/places.sqlite': DFIR_FF },
      {},
      ['home/u/.mozilla/firefox/p.default/places.sqlite-wal'], // a folder where the WAL should be: cannot be read
    );
    const target = await FsTarget.open('offline', root);
    const { items, coverage } = await collectBrowserHistory(target, {});
    expect(items.map((i) => [i.totalVisits, i.wal])).toEqual([[1, null]]);
    expect(items[0]!.warnings).toEqual(['the -wal beside the database could not be read: its recent visits are missing']);
    expect(coverage).toEqual([
      { kind: 'unreadable', path: '/home/u/.mozilla/firefox/p.default/places.sqlite-wal', reason: expect.stringContaining('write-ahead log cannot be read'), blocking: true },
    ]);
  });

  it('a damaged WAL is replayed up to its last good commit and reported as partial coverage', async () => {
    const root = makeRoot({
      'etc/os-release': 'ID=debian\n',
      'home/u/.mozilla/firefox/p.default/places.sqlite': DFIR_FF,
      'home/u/.mozilla/firefox/p.default/places.sqlite-wal': DFIR_FF_WAL.subarray(0, 32 + 40 * 32792 + 5000),
    });
    const target = await FsTarget.open('offline', root);
    const { items, coverage } = await collectBrowserHistory(target, {});
    expect(items.map((i) => i.totalVisits)).toEqual([3]);
    expect(items[0]!.warnings.join('\n')).toMatch(/frame 41 is truncated/);
    expect(coverage).toEqual([
      { kind: 'partial', path: '/home/u/.mozilla/firefox/p.default/places.sqlite-wal', reason: expect.stringContaining('replayed up to there') },
    ]);
  });

  it('Firefox profiles kept outside the home (profiles.ini IsRelative=0) are read; a missing one is said', async () => {
    const root = makeRoot({
      'etc/os-release': 'ID=kylin\n',
      'home/u/.mozilla/firefox/profiles.ini':
        '[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=work\nIsRelative=0\nPath=/data/ff/work\n\n[Profile1]\nName=gone\nIsRelative=0\nPath=/mnt/usb/ffprofile\n',
      'data/ff/work/places.sqlite': PLASO_FF,
    });
    const target = await FsTarget.open('offline', root);
    const { items, coverage } = await collectBrowserHistory(target, {});
    expect(items.map(pick)).toEqual([
      { user: 'u', browser: 'Firefox', profile: 'work', path: '/data/ff/work/places.sqlite', family: 'firefox', totalVisits: 1, internetVisits: 1 },
    ]);
    expect(coverage).toEqual([{ kind: 'not-found', path: '/mnt/usb/ffprofile/places.sqlite', reason: expect.stringContaining('profiles.ini') }]);
  });

  it('stops when its signal is aborted', async () => {
    const target = await FsTarget.open('offline', linuxRoot());
    const ac = new AbortController();
    ac.abort(new Error('time budget spent'));
    await expect(collectBrowserHistory(target, { signal: ac.signal })).rejects.toThrow('time budget spent');
  });
});

describe('Windows layout (offline)', () => {
  function windowsRoot(): string {
    return makeRoot(
      {
        'Users/Carol/AppData/Local/Microsoft/Edge/User Data/Default/History': DFIR_CHROME,
        'Users/Carol/AppData/Roaming/Mozilla/Firefox/Profiles/x1y2z3.default/places.sqlite': PLASO_FF,
        'Users/Carol/NTUSER.DAT': 'x',
        'Users/dave/AppData/Roaming/360se6/User Data/Default/History': DFIR_CHROME,
        'Users/dave/AppData/Local/Tencent/QQBrowser/User Data/Default/History': PLASO_CHROME,
        'Users/dave/AppData/Local/360Chrome/Chrome/User Data/Default/History': RANDOM,
        'Users/dave/AppData/Roaming/SogouExplorer/HistoryUrl3.db': 'SQLite format 3\0…',
        // folder names in other letter case, as NTFS allows: matched case-insensitively
        'Users/eve/appdata/local/google/chrome/user data/Profile 2/History': PLASO_CHROME,
        'Users/erin/AppData/Roaming/Mozilla/Firefox/Profiles/c81od3v4.default-release/places.sqlite': DFIR_FF,
        'Users/erin/AppData/Roaming/Mozilla/Firefox/Profiles/c81od3v4.default-release/places.sqlite-wal': DFIR_FF_WAL,
        'Users/frank/AppData/Local/Google/Chrome/User Data/Default/History': Buffer.alloc(0),
        'Users/Public/Desktop/desktop.ini': 'x',
        // not in the table: found by the layout sweep; and a non-SQLite "History" of some other program, ignored
        'Users/Carol/AppData/Local/2345Explorer/User Data/Default/History': DFIR_CHROME,
        'Users/Carol/AppData/Local/SomeTool/User Data/cache/History': 'plain text',
        'Documents and Settings/olduser/Local Settings/Application Data/Google/Chrome/User Data/Default/History': DFIR_CHROME,
      },
      { 'Users/All Users': '/ProgramData' },
      ['Windows/System32/config', 'ProgramData'],
    );
  }

  it('finds Edge, Firefox, 360, QQ, Chrome (any letter case, XP layout too); corrupt, Sogou and empty files in coverage; root untouched', async () => {
    const root = windowsRoot();
    const before = fingerprint(root);
    const target = await FsTarget.open('offline', root);
    expect(target.os.family).toBe('windows');
    const { items, coverage } = await collectBrowserHistory(target, {});

    expect(items.map(pick)).toEqual([
      { user: 'Carol', browser: 'Chromium-based (2345Explorer)', profile: 'Default', path: '/Users/Carol/AppData/Local/2345Explorer/User Data/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
      { user: 'Carol', browser: 'Microsoft Edge', profile: 'Default', path: '/Users/Carol/AppData/Local/Microsoft/Edge/User Data/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
      { user: 'Carol', browser: 'Firefox', profile: 'x1y2z3.default', path: '/Users/Carol/AppData/Roaming/Mozilla/Firefox/Profiles/x1y2z3.default/places.sqlite', family: 'firefox', totalVisits: 1, internetVisits: 1 },
      { user: 'dave', browser: 'QQ Browser (QQ浏览器)', profile: 'Default', path: '/Users/dave/AppData/Local/Tencent/QQBrowser/User Data/Default/History', family: 'chromium', totalVisits: 69, internetVisits: 69 },
      { user: 'dave', browser: '360 Secure Browser (360安全浏览器)', profile: 'Default', path: '/Users/dave/AppData/Roaming/360se6/User Data/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
      { user: 'erin', browser: 'Firefox', profile: 'c81od3v4.default-release', path: '/Users/erin/AppData/Roaming/Mozilla/Firefox/Profiles/c81od3v4.default-release/places.sqlite', family: 'firefox', totalVisits: 4, internetVisits: 4 },
      { user: 'eve', browser: 'Google Chrome', profile: 'Profile 2', path: '/Users/eve/AppData/Local/Google/Chrome/User Data/Profile 2/History', family: 'chromium', totalVisits: 69, internetVisits: 69 },
      { user: 'olduser', browser: 'Google Chrome', profile: 'Default', path: '/Documents and Settings/olduser/Local Settings/Application Data/Google/Chrome/User Data/Default/History', family: 'chromium', totalVisits: 1, internetVisits: 1 },
    ]);
    expect(items.find((i) => i.user === 'erin')!.topHosts.map((h) => h.host)).toContain('www.google.com');

    const byPath = Object.fromEntries(coverage.map((c) => [c.path, c]));
    expect(Object.keys(byPath).sort()).toEqual([
      '/Users/dave/AppData/Local/360Chrome/Chrome/User Data/Default/History',
      '/Users/dave/AppData/Roaming/SogouExplorer/HistoryUrl3.db',
      '/Users/frank/AppData/Local/Google/Chrome/User Data/Default/History',
    ]);
    expect(byPath['/Users/dave/AppData/Local/360Chrome/Chrome/User Data/Default/History']).toMatchObject({ kind: 'corrupt', blocking: true });
    expect(byPath['/Users/dave/AppData/Roaming/SogouExplorer/HistoryUrl3.db']).toMatchObject({ kind: 'unsupported-format', blocking: true });
    expect(byPath['/Users/frank/AppData/Local/Google/Chrome/User Data/Default/History']).toMatchObject({ kind: 'empty' });
    expect(fingerprint(root)).toEqual(before);
  });

  it('a Windows root with no browser at all: nothing found, nothing to report', async () => {
    const root = makeRoot({ 'Users/x/NTUSER.DAT': 'x' }, {}, ['Windows/System32/config']);
    const target = await FsTarget.open('offline', root);
    expect(await collectBrowserHistory(target, {})).toEqual({ items: [], coverage: [] });
  });
});
