// A hostile disk cannot make a scan read outside --root (issue 12, item 1). In every place a probe
// reads one file — recycle-bin $I records, registry hives and their logs, user hives, the Linux
// identity files, browser history databases and their -wal, kernel logs, Wi-Fi profiles,
// NetworkManager connections, setupapi.dev.log, documents — and in folders probes list, the disk
// holds a symbolic link to a file (or folder) OUTSIDE the root. A full offline `baomi scan`
// (the CLI) must not follow one: nothing of the outside files (content, name, path) appears in
// anything the scan writes, and their access times do not move.
//
// Access times are a reader-independent witness only when the scan cannot use O_NOATIME on the
// outside files: run as root, the test runs the CLI as `nobody` (uid 65534), which does not own
// them — a read would then move their access time. Run as another user, the content checks remain.
// A link that stays INSIDE the root is followed inside it (the resolver's design): not tested here.
import { spawnSync } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes, HIVES, SOFTWARE_SAMPLE } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
/** In every outside file and name: found anywhere in the output, the scan read outside its root. */
const TOKEN = 'OUTSIDE-ZQX';
const MARKING = '绝密★长期';
const NOBODY = 65534;
const asNobody = process.getuid?.() === 0;
const OLD = new Date('2001-02-03T04:05:06Z');

/** A Windows 10 `$I` record (version 2) naming `original`. */
function recycleRecord(original: string): Buffer {
  const path = Buffer.from(`${original}\0`, 'utf16le');
  const b = Buffer.alloc(28 + path.length);
  b.writeBigUInt64LE(2n, 0);
  b.writeBigUInt64LE(4096n, 8);
  b.writeBigUInt64LE(132000000000000000n, 16);
  b.writeUInt32LE(path.length / 2, 24);
  path.copy(b, 28);
  return b;
}

type RootName = 'windows' | 'windows-system-link' | 'linux';

interface Plant {
  root: RootName;
  /** Where the link is, under the root. */
  place: string;
  /** The outside file it points to, or a folder of these files. */
  outside: Buffer | Record<string, Buffer>;
  /** The link's text: the outside path as an absolute host path, or climbing out with `..`. */
  link: 'absolute' | 'relative';
}

const text = (s: string): Buffer => Buffer.from(s);
const WIN_USER = 'Users/zhang';
const CHROME_WIN = `${WIN_USER}/AppData/Local/Google/Chrome/User Data/Default`;
const CHROME_LINUX = 'home/zhang/.config/google-chrome/Default';
const WLAN_IF = 'ProgramData/Microsoft/Wlansvc/Profiles/Interfaces';
const wlanXml = (ssid: string): Buffer =>
  text(
    `<?xml version="1.0"?>\n<WLANProfile xmlns="http://www.microsoft.com/networking/WLAN/profile/v1"><name>${ssid}</name><SSIDConfig><SSID><name>${ssid}</name></SSID></SSIDConfig>` +
      `<connectionType>ESS</connectionType><connectionMode>auto</connectionMode><MSM><security><authEncryption><authentication>WPA2PSK</authentication><encryption>AES</encryption></authEncryption></security></MSM></WLANProfile>\n`,
  );
const nmConnection = (ssid: string): Buffer => text(`[connection]\nid=${ssid}\nuuid=0f0e0d0c-0b0a-0908-0706-050403020100\ntype=wifi\n\n[wifi]\nmode=infrastructure\nssid=${ssid}\n`);
const kernelLog = (): Buffer =>
  text(
    `Jan  1 10:00:00 host kernel: [    1.0] usb 1-1: new high-speed USB device number 2 using xhci_hcd\n` +
      `Jan  1 10:00:00 host kernel: [    1.1] usb 1-1: New USB device found, idVendor=0bda, idProduct=8179\n` +
      `Jan  1 10:00:00 host kernel: [    1.2] usb 1-1: Product: ${TOKEN} 802.11n NIC\n` +
      `Jan  1 10:00:00 host kernel: [    1.3] usb 1-1: SerialNumber: ${TOKEN}0001\n` +
      `Jan  1 10:00:01 host kernel: [    2.0] usb-storage 1-1:1.0: USB Mass Storage device detected ${MARKING}\n`,
  );
const setupapi = (): Buffer =>
  text(
    `[Device Install Log]\r\n     OS Version = 10.0.19041\r\n\r\n` +
      `>>>  [Device Install (Hardware initiated) - USBSTOR\\Disk&Ven_${TOKEN}&Prod_Stick&Rev_1.00\\${TOKEN}0001&0]\r\n` +
      `>>>  Section start 2020/01/02 03:04:05.678\r\n<<<  Section end 2020/01/02 03:04:06.000\r\n<<<  [Exit status: SUCCESS]\r\n`,
  );
const markedText = (): Buffer => text(`${MARKING}\n${TOKEN} 这一段内容只在磁盘之外\n`);

/** Every place, table-driven. */
function plants(): Plant[] {
  const chromeHistory = fixtureBytes(join(FIXTURES, 'browsers', 'chrome', 'plaso-History'));
  const wal = Buffer.concat([text(`${TOKEN}-wal `), Buffer.alloc(4096, 0x20)]);
  return [
    // Windows disk
    { root: 'windows', place: '$Recycle.Bin/S-1-5-21-1-2-3-1001/$IABC123.docx', outside: recycleRecord(`C:\\Users\\zhang\\Desktop\\${MARKING}-${TOKEN}.docx`), link: 'absolute' },
    { root: 'windows', place: '$Recycle.Bin/S-1-5-21-1-2-3-1001/$IDEF456.txt', outside: recycleRecord(`C:\\Users\\zhang\\${MARKING}-${TOKEN}-2.txt`), link: 'relative' },
    { root: 'windows', place: 'Windows/System32/config/SOFTWARE', outside: fixtureBytes(SOFTWARE_SAMPLE), link: 'absolute' },
    { root: 'windows', place: 'Windows/System32/config/SYSTEM.LOG1', outside: fixtureBytes(join(HIVES, 'win10-SYSTEM_B.LOG1.xz')), link: 'absolute' },
    { root: 'windows', place: 'Windows/System32/config/SYSTEM.LOG2', outside: fixtureBytes(join(HIVES, 'win10-SYSTEM_B.LOG2.xz')), link: 'relative' },
    { root: 'windows', place: `${WIN_USER}/NTUSER.DAT`, outside: fixtureBytes(join(HIVES, 'plaso-win7-NTUSER-WIN7.DAT')), link: 'absolute' },
    { root: 'windows', place: `${WLAN_IF}/{11111111-2222-3333-4444-555555555555}/{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}.xml`, outside: wlanXml(`${TOKEN}-WIFI`), link: 'absolute' },
    // a folder probes list, outside
    { root: 'windows', place: `${WLAN_IF}/{99999999-2222-3333-4444-555555555555}`, outside: { [`{${TOKEN}}.xml`]: wlanXml(`${TOKEN}-WIFI-DIR`) }, link: 'absolute' },
    { root: 'windows', place: 'Windows/INF/setupapi.dev.log', outside: setupapi(), link: 'absolute' },
    { root: 'windows', place: `${CHROME_WIN}/History`, outside: chromeHistory, link: 'absolute' },
    { root: 'windows', place: `${CHROME_WIN}/History-wal`, outside: wal, link: 'relative' },
    { root: 'windows', place: `${WIN_USER}/Documents/${MARKING}.txt`, outside: markedText(), link: 'absolute' },
    { root: 'windows', place: `${WIN_USER}/Desktop`, outside: { [`${TOKEN}.txt`]: markedText() }, link: 'relative' },
    // Windows disk whose SYSTEM hive itself is the link
    { root: 'windows-system-link', place: 'Windows/System32/config/SYSTEM', outside: fixtureBytes(join(HIVES, 'vbox-SYSTEM_2.xz')), link: 'absolute' },
    { root: 'windows-system-link', place: 'Windows/System32/config/SYSTEM.LOG1', outside: fixtureBytes(join(HIVES, 'win10-SYSTEM_B.LOG1.xz')), link: 'relative' },
    // Linux disk
    { root: 'linux', place: 'etc/hostname', outside: text(`${TOKEN.toLowerCase()}-host\n`), link: 'absolute' },
    { root: 'linux', place: 'etc/os-release', outside: text(`NAME="${TOKEN}"\nID=${TOKEN.toLowerCase()}\nPRETTY_NAME="${TOKEN} Linux"\n`), link: 'relative' },
    { root: 'linux', place: 'etc/machine-id', outside: text('0123456789abcdef0123456789abcdef\n'), link: 'absolute' },
    { root: 'linux', place: 'var/log/syslog', outside: kernelLog(), link: 'absolute' },
    { root: 'linux', place: 'var/log/kern.log', outside: kernelLog(), link: 'relative' },
    { root: 'linux', place: 'etc/NetworkManager/system-connections/outside.nmconnection', outside: nmConnection(`${TOKEN}-WIFI`), link: 'absolute' },
    { root: 'linux', place: 'run/NetworkManager/system-connections', outside: { 'x.nmconnection': nmConnection(`${TOKEN}-WIFI-DIR`) }, link: 'absolute' },
    { root: 'linux', place: `${CHROME_LINUX}/History`, outside: chromeHistory, link: 'relative' },
    { root: 'linux', place: `${CHROME_LINUX}/History-wal`, outside: wal, link: 'absolute' },
    { root: 'linux', place: 'home/zhang/docs/报告.txt', outside: markedText(), link: 'absolute' },
    { root: 'linux', place: 'home/zhang/linked-docs', outside: { [`${TOKEN}.txt`]: markedText() }, link: 'relative' },
  ];
}

let work: string;
let outside: string;
const roots = {} as Record<RootName, string>;
/** Every outside file and folder, for the access-time check. */
const outsidePaths: string[] = [];
let planted = 0;

async function makeRoots(): Promise<void> {
  roots.windows = join(work, 'win');
  roots['windows-system-link'] = join(work, 'win2');
  roots.linux = join(work, 'linux');
  // Windows: a real SYSTEM hive whose base block is dirty (its logs are needed, and are links)
  const cfg = join(roots.windows, 'Windows', 'System32', 'config');
  await mkdir(cfg, { recursive: true });
  await writeFile(join(cfg, 'SYSTEM'), fixtureBytes(join(HIVES, 'win10-SYSTEM_B.xz')));
  // $R files beside the $I links: what the recycle bin names them by comes from the $I record
  const bin = join(roots.windows, '$Recycle.Bin', 'S-1-5-21-1-2-3-1001');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, '$RABC123.docx'), text('plain deleted text\n'));
  await writeFile(join(bin, '$RDEF456.txt'), text('plain deleted text\n'));
  await mkdir(join(roots.windows, 'Windows', 'INF'), { recursive: true });
  await mkdir(join(roots['windows-system-link'], 'Windows', 'System32', 'config'), { recursive: true });
  await cp(join(FIXTURES, 'roots', 'debian12-wifi'), roots.linux, { recursive: true, verbatimSymlinks: true });
  await mkdir(join(roots.linux, 'var', 'log'), { recursive: true });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-hostile-'));
  outside = join(work, `outside-${TOKEN}`);
  await mkdir(outside);
  await makeRoots();
  let n = 0;
  for (const p of plants()) {
    const target = join(outside, `${TOKEN}-${++n}-${p.place.split('/').pop()!.replace(/[{}$]/g, '')}`);
    if (Buffer.isBuffer(p.outside)) await writeFile(target, p.outside);
    else {
      await mkdir(target);
      for (const [name, bytes] of Object.entries(p.outside)) {
        await writeFile(join(target, name), bytes);
        outsidePaths.push(join(target, name));
      }
    }
    outsidePaths.push(target);
    const at = join(roots[p.root], p.place);
    await mkdir(dirname(at), { recursive: true });
    await rm(at, { recursive: true, force: true });
    // relative: climbs far above the root (`..` stops at the root when resolved inside it)
    await symlink(p.link === 'absolute' ? target : join('../'.repeat(12), relative('/', target)), at);
    planted++;
  }
  // the scan (as nobody) must be able to read the roots, and write its report and keys
  await chmod(work, 0o755);
  for (const d of [join(work, 'out'), join(work, 'cfg'), join(work, 'home')]) {
    await mkdir(d, { recursive: true });
    if (asNobody) await chown(d, NOBODY, NOBODY);
  }
  spawnSync('chmod', ['-R', 'a+rX', work]);
  // old access times: a read now would move them (relatime updates an atime older than a day)
  for (const p of outsidePaths) await utimes(p, OLD, (await stat(p)).mtime);
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

interface Scan {
  status: number | null;
  signal: string | null;
  ms: number;
  /** stdout, stderr and every file the scan wrote (JSON report, signature, text). */
  output: string;
  report: { coverage: Array<{ kind: string; path?: string; reason: string }>; target: { os?: unknown } } & Record<string, unknown>;
}

function scan(name: RootName): Promise<Scan> {
  return (async () => {
    const out = join(work, 'out', name);
    await mkdir(out);
    if (asNobody) await chown(out, NOBODY, NOBODY);
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, 'scan', '--profile', 'classified', '--root', roots[name], '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), HOME: join(work, 'home'), NO_COLOR: '1' },
      timeout: 180_000,
      ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    const ms = Date.now() - started;
    let output = `${r.stdout}\n${r.stderr}`;
    let report: Scan['report'] = { coverage: [], target: {} };
    for (const f of await readdir(out)) {
      const body = await readFile(join(out, f), 'utf8');
      output += `\n${body}`;
      if (f.endsWith('.json')) report = JSON.parse(body) as Scan['report'];
    }
    return { status: r.status, signal: r.signal, ms, output, report };
  })();
}

describe('a symbolic link out of the root is never followed, by any probe', () => {
  const scans = {} as Record<RootName, Scan>;

  beforeAll(async () => {
    for (const name of ['windows', 'windows-system-link', 'linux'] as const) scans[name] = await scan(name);
  }, 600_000);

  it('planted a link in every place a probe reads one file, and in folders probes list', () => {
    expect(planted).toBe(26);
    expect(plants().filter((p) => !Buffer.isBuffer(p.outside))).toHaveLength(4);
  });

  it.each(['windows', 'windows-system-link', 'linux'] as const)('%s: the scan ends with a report that shows nothing from outside the root', (name) => {
    const s = scans[name];
    expect(s.signal, s.output.slice(0, 2000)).toBeNull();
    expect([0, 1, 3]).toContain(s.status);
    expect(s.report.coverage.length).toBeGreaterThan(0);
    const lower = s.output.toLowerCase();
    expect(lower).not.toContain(TOKEN.toLowerCase());
    expect(s.output).not.toContain(outside);
    expect(s.output).not.toContain(MARKING);
    // the outside bytes as the report would show them: the Chrome fixture's URLs, the hives' names
    expect(s.output).not.toMatch(/plaso|dfirlabs/i);
  });

  it('the hives behind links are reported as not read, never parsed', () => {
    const gaps = (name: RootName, path: string) => scans[name].report.coverage.filter((c) => c.path === path);
    expect(gaps('windows-system-link', '/Windows/System32/config/SYSTEM').length).toBeGreaterThan(0);
    expect(gaps('windows', '/Windows/System32/config/SOFTWARE').length).toBeGreaterThan(0);
    // SYSTEM needed its logs: they were not read (the links lead nowhere inside the disk)
    const system = gaps('windows', '/Windows/System32/config/SYSTEM').map((c) => c.reason).join('\n');
    expect(system).toMatch(/LOG1|log/i);
  });

  it('no outside file or folder had its access time moved', async () => {
    const moved: string[] = [];
    for (const p of outsidePaths) if ((await stat(p)).atime.getTime() !== OLD.getTime()) moved.push(p);
    expect(moved).toEqual([]);
    expect(outsidePaths.length).toBe(planted + 4);
  });
});
