/**
 * Tests of the regf (registry hive) reader on the real corpus hives in fixtures/windows/hives:
 * oracle listings made by hivexregedit, live hivexregedit/hivexml comparisons when installed,
 * known facts from the corpus MANIFEST, API behaviour, and hand-made corruptions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Hive,
  HiveError,
  RegKey,
  checkHiveIntegrity,
  decodeDeviceProperty,
  filetimeToIso,
  keyToJson,
  openHiveFile,
  openHiveFileSync,
  regTypeName,
  replayTransactionLogs,
  type RegValue,
} from '../../src/formats/regf.js';
import {
  CORPUS_HIVES,
  HIVES_DIR,
  TOPICS,
  diffListings,
  listHive,
  loadHiveBytes,
  parseRegFile,
  perlLatin1,
  type Listing,
} from './_regfile.js';
import { filetimePartsMs, msToIso } from '../../src/formats/regf/util.js';
import { ORACLES_REQUIRED } from '../_helpers/oracles.js';

const HB = 0x1000;

function open(name: string): Hive {
  return Hive.open(loadHiveBytes(name), { name });
}

/** Open a private, mutable copy of a fixture hive. */
function copyOf(name: string): Buffer {
  return Buffer.from(loadHiveBytes(name));
}

function expectHiveError(fn: () => unknown, code: string): HiveError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HiveError);
    expect((e as HiveError).code).toBe(code);
    return e as HiveError;
  }
  throw new Error(`expected HiveError ${code}, nothing thrown`);
}

/**
 * Skip (developer machine, with the reason) or fail (CI sets BAOMI_ORACLES_REQUIRED=1) when an oracle
 * tool is missing, so a comparison can never pass by not running.
 */
function needTool(have: boolean, what: string, ctx: { skip: (note?: string) => void }): void {
  if (!have) {
    if (ORACLES_REQUIRED) throw new Error(`${what} — required here (BAOMI_ORACLES_REQUIRED=1)`);
    ctx.skip(what);
  }
}

function hasBinary(bin: string): boolean {
  // BAOMI_NO_HIVEX=1 simulates a machine without the hivex tools (to check the skip/fail path).
  if (process.env['BAOMI_NO_HIVEX'] === '1') return false;
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
describe('oracle listings (hivexregedit exports in fixtures)', () => {
  // Listings of a hive as it is on disk; those of a hive after its logs were replayed are tested in regf-log.test.ts.
  const allOracles = readdirSync(HIVES_DIR).filter((f) => f.endsWith('.oracle.reg')).sort();
  const oracleFiles = allOracles.filter((f) => !f.includes('.recovered-with-logs.'));

  it('covers every corpus hive, and every listing belongs to a corpus hive and a known topic', () => {
    expect(oracleFiles.length).toBe(55);
    expect(allOracles.filter((f) => f.includes('.recovered-with-logs.'))).toEqual([
      'win10-SYSTEM_B.recovered-with-logs.mounteddevices.oracle.reg',
      'win10-SYSTEM_B.recovered-with-logs.scsi.oracle.reg',
      'win10-SYSTEM_B.recovered-with-logs.usb.oracle.reg',
      'win10-SYSTEM_B.recovered-with-logs.wpdbusenum.oracle.reg',
    ]);
    const hiveNames = new Set(CORPUS_HIVES.map((h) => h.name));
    const seen = new Set<string>();
    for (const f of oracleFiles) {
      const m = /^(.*)\.([a-z0-9-]+)\.oracle\.reg$/.exec(f);
      expect(m, f).not.toBeNull();
      expect(hiveNames.has(m![1]!), f).toBe(true);
      expect(TOPICS[m![2]!], f).toBeDefined();
      seen.add(m![1]!);
    }
    expect([...seen].sort()).toEqual([...hiveNames].sort());
  });

  it.each(oracleFiles)('%s: same keys, value names, types and raw bytes', (file) => {
    const m = /^(.*)\.([a-z0-9-]+)\.oracle\.reg$/.exec(file)!;
    const h = CORPUS_HIVES.find((x) => x.name === m[1])!;
    const topic = TOPICS[m[2]!]!;
    expect(topic.kind).toBe(h.kind);
    const { listing, order, forms } = parseRegFile(readFileSync(join(HIVES_DIR, file), 'latin1'));
    // The first section is the exported key itself (in the hive's own letter case).
    expect(order[0]!.toLowerCase()).toBe(`${h.prefix}\\${topic.key}`.toLowerCase());
    // Only these forms occur in hivexregedit output (strings are always hex(1)/hex(7)).
    expect(forms.string + forms.strN + forms.hex + forms.continuation).toBe(0);
    const hive = open(h.name);
    const key = hive.getKey(topic.key);
    expect(key, `${topic.key} in ${h.name}`).toBeDefined();
    const mine = listHive(hive, key!, h.prefix);
    expect(mine.unreadable).toEqual([]);
    expect(mine.keyErrors).toEqual([]);
    expect(diffListings(listing, perlLatin1(mine.listing))).toEqual([]);
    expect(mine.listing.size).toBe(listing.size);
  });

  it('a topic without a listing is a key absent from that hive', () => {
    const files = new Set(oracleFiles);
    let absent = 0;
    for (const h of CORPUS_HIVES) {
      const hive = open(h.name);
      for (const [topic, t] of Object.entries(TOPICS)) {
        if (t.kind !== h.kind) continue;
        const has = files.has(`${h.name}.${topic}.oracle.reg`);
        expect(hive.getKey(t.key) !== undefined, `${h.name} ${topic}`).toBe(has);
        if (!has) absent++;
      }
    }
    // vbox-SYSTEM_2: no USBSTOR, WPDBUSENUM, BTHPORT\Parameters\Devices; win7-SYSTEM: no WPDBUSENUM, BTHPORT\…\Devices.
    expect(absent).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------
const HAVE_HIVEXREGEDIT = hasBinary('hivexregedit');
const HAVE_HIVEXML = hasBinary('hivexml');
const NO_HIVEX = 'not installed — on Debian/Ubuntu: apt-get install libwin-hivex-perl (hivexregedit) libhivex-bin (hivexml)';

describe('live hivexregedit comparison (keys without an oracle file)', () => {
  const cases: Array<{ hive: string; key: string; why: string }> = [
    { hive: 'plaso-xp-NTUSER.DAT', key: '\\', why: 'whole XP hive (format 1.3, lf lists, Latin-1 value name, 19 KB value in one cell)' },
    { hive: 'win7-SYSTEM', key: '\\ControlSet002\\services\\rdyboost', why: 'big-data (db) value of 197444 bytes' },
    { hive: 'win10-1709-SYSTEM', key: '\\ControlSet001\\Control\\DeviceContainers', why: 'device properties incl. a 24 KB STRING_LIST in db records' },
    { hive: 'win10-SYSTEM_B', key: '\\DriverDatabase\\DeviceIds\\PCI', why: 'ri index root with 2923 subkeys' },
    { hive: 'win10-NTUSER_BAGMRU.DAT', key: '\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist', why: 'UTF-16 (Hebrew) value name' },
  ];
  const tmp = mkdtempSync(join(tmpdir(), 'baomi-regf-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.for(cases)('$hive $key ($why)', { timeout: 60_000 }, ({ hive: name, key }, ctx) => {
    needTool(HAVE_HIVEXREGEDIT, `hivexregedit ${NO_HIVEX}`, ctx);
    const h = CORPUS_HIVES.find((x) => x.name === name)!;
    const file = join(tmp, name);
    writeFileSync(file, loadHiveBytes(name));
    const out = execFileSync('hivexregedit', ['--export', '--prefix', h.prefix, file, key], { maxBuffer: 1 << 30 });
    // hivexregedit prints names as Perl native strings: Latin-1 bytes (UTF-8 only for wider characters).
    const expected = parseRegFile(out.toString('latin1')).listing;
    const hive = open(name);
    const start = hive.getKey(key);
    expect(start).toBeDefined();
    const mine = listHive(hive, start!, h.prefix);
    // hivexregedit writes the root as "PREFIX\"; ours is PREFIX + "\" + "" — identical.
    expect(mine.unreadable).toEqual([]);
    expect(diffListings(expected, perlLatin1(mine.listing))).toEqual([]);
    expect(mine.listing.size).toBe(expected.size);
  });
});

/** hivexregedit --export of a whole hive file, parsed (names as Perl prints them: Latin-1). */
function hivexListing(file: string, prefix: string): Listing {
  const out = execFileSync('hivexregedit', ['--export', '--prefix', prefix, file, '\\'], { maxBuffer: 1 << 30 });
  return parseRegFile(out.toString('latin1')).listing;
}

describe('whole hives against hivexregedit --export (every corpus hive, and SYSTEM_B after log replay)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'baomi-regf-full-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const compared: string[] = [];
  const cases = [
    ...CORPUS_HIVES.map((h) => ({ name: h.name, prefix: h.prefix, bytes: (): Buffer => loadHiveBytes(h.name) })),
    {
      name: 'win10-SYSTEM_B+LOG1+LOG2',
      prefix: 'HKEY_LOCAL_MACHINE\\SYSTEM',
      bytes: (): Buffer => {
        const logs = ['LOG1', 'LOG2'].map((l) => ({ name: l, data: loadHiveBytes(`win10-SYSTEM_B.${l}`) }));
        const r = replayTransactionLogs(loadHiveBytes('win10-SYSTEM_B'), logs);
        expect(r.replayed).toBe(true);
        return r.bytes!;
      },
    },
  ];

  it.for(cases)('$name: every key, value name, type and byte', { timeout: 180_000 }, (c, ctx) => {
    needTool(HAVE_HIVEXREGEDIT, `hivexregedit ${NO_HIVEX}`, ctx);
    const file = join(tmp, c.name);
    const bytes = c.bytes();
    writeFileSync(file, bytes);
    const expected = hivexListing(file, c.prefix);
    const hive = Hive.open(bytes, { name: c.name });
    const mine = listHive(hive, hive.root(), c.prefix);
    expect(mine.unreadable).toEqual([]);
    expect(mine.keyErrors).toEqual([]);
    expect(diffListings(expected, perlLatin1(mine.listing))).toEqual([]);
    expect(mine.listing.size).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(1000);
    compared.push(`${c.name} (${expected.size} keys)`);
  });

  it('compared all of them: the 8 corpus hives and the replayed SYSTEM_B', (ctx) => {
    needTool(HAVE_HIVEXREGEDIT, `hivexregedit ${NO_HIVEX}`, ctx);
    console.log(`hivexregedit full-hive comparisons: ${compared.join(', ')}`);
    expect(compared).toHaveLength(CORPUS_HIVES.length + 1);
  });

  it('xp-corrupted-SYSTEM: our reader reads 1,687 keys and counts the cells it could not read', () => {
    const bytes = loadHiveBytes('xp-corrupted-SYSTEM');
    const hive = Hive.open(bytes, { name: 'xp-corrupted-SYSTEM' });
    const integrity = checkHiveIntegrity(hive);
    // The corpus MANIFEST's "167 cells unreadable" are the key tree's (subkey and value records);
    // reading every value's data as well finds 9 more values whose data cells are gone.
    expect(integrity).toMatchObject({ keys: 1687, values: 5625, keyProblems: 167, valueDataProblems: 9, unreadableCells: 176, complete: true });
    expect(integrity.examples[0]).toMatch(/E_HIVE_CELL|not allocated|cell/);
  });

  it('xp-corrupted-SYSTEM: hivexregedit refuses it (so no listing can be its oracle)', (ctx) => {
    needTool(HAVE_HIVEXREGEDIT, `hivexregedit ${NO_HIVEX}`, ctx);
    const bytes = loadHiveBytes('xp-corrupted-SYSTEM');
    const file = join(tmp, 'xp-corrupted-SYSTEM');
    writeFileSync(file, bytes);
    expect(() => execFileSync('hivexregedit', ['--export', '--prefix', 'HKEY_LOCAL_MACHINE\\SYSTEM', file, '\\'], { stdio: 'pipe' })).toThrow();
  });
});

/** Parse hivexml output into path → last-write ISO (seconds) and the header mtime. */
function parseHivexml(xml: string): { header: string | undefined; mtimes: Map<string, string | undefined> } {
  const unescape = (s: string): string =>
    s.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e: string) =>
      e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
    );
  const mtimes = new Map<string, string | undefined>();
  const stack: string[] = [];
  let header: string | undefined;
  let current: string | undefined;
  const re = /<node name="([^"]*)"[^>]*?(\/?)>|<\/node>|<mtime>([^<]*)<\/mtime>|<value\b[^>]*?\/?>/g;
  let depth = -1;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    if (m[0].startsWith('<node')) {
      depth++;
      if (depth > 0) stack.push(unescape(m[1]!));
      current = stack.join('\\');
      mtimes.set(current, undefined);
      if (m[2] === '/') {
        if (depth > 0) stack.pop();
        depth--;
        current = undefined;
      }
    } else if (m[0] === '</node>') {
      if (depth > 0) stack.pop();
      depth--;
      current = undefined;
    } else if (m[0].startsWith('<mtime>')) {
      if (depth < 0) header = m[3];
      else if (current !== undefined) mtimes.set(current, m[3]);
    } else current = undefined;
  }
  return { header, mtimes };
}

describe('live hivexml comparison (key paths and last-write times of whole hives)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'baomi-regf-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it.for(['plaso-xp-NTUSER.DAT', 'win7-NTUSER.DAT', 'plaso-win7-NTUSER-WIN7.DAT', 'win10-NTUSER_BAGMRU.DAT'])('%s', { timeout: 60_000 }, (name, ctx) => {
    needTool(HAVE_HIVEXML, `hivexml ${NO_HIVEX}`, ctx);
    const file = join(tmp, name);
    writeFileSync(file, loadHiveBytes(name));
    // hivexml opens /dev/stdout itself, which fails on a socket pipe: let the shell redirect to a file.
    execFileSync('sh', ['-c', 'hivexml "$1" > "$2"', 'sh', file, `${file}.xml`]);
    const { header, mtimes } = parseHivexml(readFileSync(`${file}.xml`, 'utf8'));
    const hive = open(name);
    if (header !== undefined) expect(hive.header.lastWritten.slice(0, 19) + 'Z').toBe(header);
    const mine = new Map<string, string>();
    for (const k of hive.walk()) mine.set(k.path, k.lastWrite.slice(0, 19) + 'Z');
    expect(mine.size).toBe(mtimes.size);
    const bad: string[] = [];
    for (const [p, t] of mtimes) {
      if (!mine.has(p)) bad.push(`missing ${p}`);
      else if (t !== undefined && mine.get(p) !== t) bad.push(`${p}: ${mine.get(p)} != ${t}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(mtimes.size).toBeGreaterThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------
describe('whole corpus hives', () => {
  it.each(CORPUS_HIVES.map((h) => h.name))('%s: header checks pass and a full walk decodes every value without error', (name) => {
    const bytes = loadHiveBytes(name);
    const hive = open(name);
    const hd = hive.header;
    expect(hd.signature).toBe('regf');
    expect(hd.majorVersion).toBe(1);
    expect([3, 5]).toContain(hd.minorVersion);
    expect(hd.checksumValid).toBe(true);
    expect(hive.warnings).toEqual([]);
    expect(hive.truncated).toBe(false);
    expect(hd.hiveBinsDataSize + HB).toBeLessThanOrEqual(bytes.length);
    expect(hive.dirty).toBe(bytes.readUInt32LE(4) !== bytes.readUInt32LE(8));
    const root = hive.root();
    expect(root.isRoot).toBe(true);
    expect(root.path).toBe('');
    expect(root.flags & 0x4).toBe(0x4);
    let keys = 0;
    let values = 0;
    let errors = 0;
    const t0 = performance.now();
    const walked: RegKey[] = [];
    for (const k of hive.walk()) {
      keys++;
      walked.push(k);
      for (const v of k.values()) {
        values++;
        v.data;
      }
    }
    for (const k of walked) errors += k.errors.length;
    const ms = performance.now() - t0;
    expect(errors).toBe(0);
    expect(keys).toBeGreaterThan(1000);
    console.log(`${name}: ${keys} keys, ${values} values in ${ms.toFixed(0)} ms (${Math.round(keys / (ms / 1000))} keys/s, ${(bytes.length / 1048576 / (ms / 1000)).toFixed(1)} MB/s)`);
  });

  it('dirty flags as stored: the four Windows 10 hives and vbox are dirty, the Windows 7/XP ones clean', () => {
    const dirty = CORPUS_HIVES.filter((h) => open(h.name).dirty).map((h) => h.name).sort();
    expect(dirty).toEqual(['vbox-SYSTEM_2', 'win10-1709-SYSTEM', 'win10-NTUSER_BAGMRU.DAT', 'win10-SYSTEM_B']);
  });

  it('full walk of the largest hive (win10-1709-SYSTEM, 15 MB) with all data decoded is fast', () => {
    const bytes = loadHiveBytes('win10-1709-SYSTEM');
    const t0 = performance.now();
    const hive = Hive.open(bytes);
    let keys = 0;
    let dataBytes = 0;
    for (const k of hive.walk()) {
      keys++;
      k.lastWrite;
      for (const v of k.values()) dataBytes += v.raw.length + (v.data === undefined ? 1 : 0);
    }
    const ms = performance.now() - t0;
    expect(keys).toBe(43211);
    console.log(`win10-1709-SYSTEM full walk: ${keys} keys, ${(dataBytes / 1048576).toFixed(1)} MB value data, ${ms.toFixed(0)} ms = ${Math.round(keys / (ms / 1000))} keys/s, ${(bytes.length / 1048576 / (ms / 1000)).toFixed(1)} MB/s of hive`);
    expect(ms).toBeLessThan(10_000);
  });
});

// ---------------------------------------------------------------------------------------------
describe('lookup and API', () => {
  it('opens lazily: only the base block, first bin header and root key are needed', () => {
    const buf = copyOf('win10-1709-SYSTEM');
    const hive = Hive.open(buf);
    const root = hive.root();
    // Wipe every cell except the root key: open() still succeeds, reading keys then reports errors.
    const keep = [HB + root.offset, HB + root.offset - 4 + -buf.readInt32LE(HB + root.offset)];
    buf.fill(0, HB + 32, keep[0]);
    buf.fill(0, keep[1]);
    const lazy = Hive.open(buf);
    const lazyRoot = lazy.root();
    expect(lazyRoot.name).toBe(root.name);
    expect(lazyRoot.subkeys()).toEqual([]);
    expect(lazyRoot.partial).toBe(true);
    expect(lazy.getKey('Select')).toBeUndefined();
  });

  it('getKey is case-insensitive, takes an optional leading backslash, and returns canonical paths', () => {
    const hive = open('win7-SYSTEM');
    const a = hive.getKey('ControlSet001\\Enum\\USBSTOR');
    const b = hive.getKey('\\controlset001\\ENUM\\usbstor\\');
    expect(a).toBeDefined();
    expect(b?.offset).toBe(a?.offset);
    expect(b?.path).toBe('ControlSet001\\Enum\\USBSTOR');
    expect(b?.name).toBe('USBSTOR');
    expect(hive.getKey('')?.isRoot).toBe(true);
    expect(hive.getKey('\\')?.isRoot).toBe(true);
    expect(hive.getKey('ControlSet001\\Enum\\NoSuchKey')).toBeUndefined();
    // A plain Uint8Array (not a Buffer), at a non-zero offset of its ArrayBuffer, works the same.
    const bytes = loadHiveBytes('win7-SYSTEM');
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 16);
    expect(Hive.open(padded.subarray(16)).getKey('controlset001\\enum\\usbstor')?.offset).toBe(a?.offset);
    expect(hive.getKey('ControlSet001\\Enum\\USBSTOR\\x\\y')).toBeUndefined();
  });

  it('resolves CurrentControlSet through Select\\Current', () => {
    for (const h of CORPUS_HIVES.filter((x) => x.kind === 'SYSTEM')) {
      const hive = open(h.name);
      expect(hive.currentControlSet()).toBe('ControlSet001');
      expect(hive.resolvePath('CurrentControlSet\\Enum\\USB')).toBe('ControlSet001\\Enum\\USB');
      expect(hive.resolvePath('\\currentcontrolset')).toBe('ControlSet001');
      expect(hive.resolvePath('ControlSet002\\Enum')).toBe('ControlSet002\\Enum');
      expect(hive.getKey('CurrentControlSet\\Enum\\USB')?.path).toBe('ControlSet001\\Enum\\USB');
    }
    const user = open('win7-NTUSER.DAT');
    expect(user.currentControlSet()).toBeUndefined();
    expect(user.resolvePath('\\CurrentControlSet\\x')).toBe('CurrentControlSet\\x');
    expect(user.getKey('CurrentControlSet')).toBeUndefined();
  });

  it('reads the USB storage devices and computer names listed in the corpus MANIFEST', () => {
    const w7 = open('win7-SYSTEM');
    const usbstor = w7.getKey('CurrentControlSet\\Enum\\USBSTOR')!;
    expect(usbstor.subkeyNames()).toEqual(['Disk&Ven_HP&Prod_v100w&Rev_1024']);
    const dev = usbstor.subkey('disk&ven_hp&prod_v100w&rev_1024')!.subkeys();
    expect(dev.map((k) => k.name)).toEqual(['AA951D0000007252&0']);
    expect(dev[0]!.value('friendlyname')?.data).toBe('HP v100w USB Device');
    expect(dev[0]!.value('CompatibleIDs')?.data).toEqual(['USBSTOR\\Disk', 'USBSTOR\\RAW']);
    expect(dev[0]!.value('Capabilities')?.data).toBe(0x10);
    expect(dev[0]!.value('Capabilities')?.typeName).toBe('REG_DWORD');

    const b = open('win10-SYSTEM_B');
    const serials = b.getKey('CurrentControlSet\\Enum\\USBSTOR\\Disk&Ven_SanDisk&Prod_Extreme&Rev_0001')!.subkeyNames();
    expect(serials.sort()).toEqual(['AA010215170355310594&0', 'AA010603160707470215&0']);
    expect(open('vbox-SYSTEM_2').getKey('CurrentControlSet\\Enum\\USBSTOR')).toBeUndefined();

    const names: Record<string, string> = {
      'win7-SYSTEM': 'WKS-WIN732BITA',
      'win10-SYSTEM_B': 'DESKTOP-PM6C56D',
      'win10-1709-SYSTEM': 'DESKTOP-2KGM189',
      'vbox-SYSTEM_2': 'SENSEI',
    };
    for (const [hive, cn] of Object.entries(names)) {
      const v = open(hive).getKey('CurrentControlSet\\Control\\ComputerName\\ComputerName')?.value('ComputerName');
      expect(v?.typeName).toBe('REG_SZ');
      expect(v?.data).toBe(cn);
    }
  });

  it('MountedDevices maps E: of win7-SYSTEM to the HP USB stick (binary data, UTF-16 inside)', () => {
    const v = open('win7-SYSTEM').getKey('MountedDevices')!.value('\\DosDevices\\E:')!;
    expect(v.type).toBe(3);
    expect(v.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(v.raw).toString('utf16le')).toMatch(/^_\?\?_USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0#\{53f56307-/);
  });

  it('decodes device properties (0xFFFF00NN) and keeps the raw type number', () => {
    const hive = open('win10-SYSTEM_B');
    const props = hive.getKey('CurrentControlSet\\Enum\\USBSTOR\\Disk&Ven_SanDisk&Prod_Extreme&Rev_0001\\AA010603160707470215&0\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}')!;
    const install = props.subkey('0064')!.value('')!;
    expect(install.type).toBe(0xffff0010);
    expect(install.typeName).toBe('REG_0xFFFF0010');
    expect(install.data).toBeInstanceOf(Uint8Array);
    const p = install.deviceProperty()!;
    expect(p.typeName).toBe('FILETIME');
    expect(p.value).toBe(filetimeToIso(Buffer.from(install.raw).readBigUInt64LE(0)));
    expect(p.value).toBe('2018-03-27T09:22:21.949Z');
    const parent = props.subkey('000A')!.value('')!;
    expect(parent.deviceProperty()).toEqual({ devpropType: 0x12, typeName: 'STRING', value: 'USB\\VID_0781&PID_5580\\AA010603160707470215' });
    expect(decodeDeviceProperty(1, new Uint8Array(2))).toBeUndefined();
    expect(decodeDeviceProperty(0xffff2012, Buffer.from('a\0bc\0\0', 'utf16le'))?.value).toEqual(['a', 'bc']);
    expect(decodeDeviceProperty(0xffff0011, Uint8Array.of(0xff))?.value).toBe(true);
    expect(decodeDeviceProperty(0xffff000d, Buffer.from('00112233445566778899aabbccddeeff', 'hex'))?.value).toBe('{33221100-5544-7766-8899-aabbccddeeff}');
  });

  it('reads big-data (db) values and pre-Vista large values stored in one cell', () => {
    const w7 = open('win7-SYSTEM');
    const boot = w7.getKey('ControlSet002\\services\\rdyboost\\Parameters')!.value('BootPlan')!;
    expect(boot.dataSize).toBe(197444);
    expect(boot.raw.length).toBe(197444);
    const xp = open('plaso-xp-NTUSER.DAT');
    expect(xp.header.minorVersion).toBe(3);
    const pc = xp.getKey('Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartPage')!.value('ProgramsCache')!;
    expect(pc.raw.length).toBe(19242);
  });

  it('QWORD, default values, Latin-1 names, class names, timestamps', () => {
    const hive = open('win7-SYSTEM');
    let qword: RegValue | undefined;
    for (const k of hive.walk(hive.getKey('ControlSet001\\Control'))) {
      qword = k.values().find((v) => v.type === 11 && v.dataSize === 8);
      if (qword) break;
    }
    expect(typeof qword?.data).toBe('bigint');
    expect(qword?.data).toBe(Buffer.from(qword!.raw).readBigUInt64LE(0));

    const cn = hive.getKey('ControlSet001\\Control\\ComputerName\\ComputerName')!;
    expect(cn.value('')).toBeDefined();
    expect(cn.value('')!.name).toBe('');

    const xp = open('plaso-xp-NTUSER.DAT');
    const mui = xp.getKey('Software\\Microsoft\\Windows\\ShellNoRoam\\MUICache')!;
    const latin1 = mui.values().find((v) => v.name.includes('Niðurhal'));
    expect(latin1?.flags).toBe(1); // stored in Latin-1 ("compressed")
    const ua = open('win10-NTUSER_BAGMRU.DAT').getKey('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{F4E57C4B-2036-45F0-A9AB-443BCFE33D9F}\\Count')!;
    const utf16 = ua.values().find((v) => v.name.includes('תומר'));
    expect(utf16?.flags).toBe(0); // stored in UTF-16LE
    expect(utf16?.name).toMatch(/^P:\\Hfref\\.*תומר - Puebzr\.yax$/); // ROT13 of "C:\Users\…"

    const jd = hive.getKey('ControlSet001\\Control\\Lsa\\JD')!;
    expect(jd.className()).toMatch(/^[0-9a-f]{8}$/);
    expect(cn.className()).toBeUndefined();

    const usb = hive.getKey('ControlSet001\\Enum\\USBSTOR')!;
    expect(usb.lastWrite).toBe('2012-04-07T10:31:37.640Z');
    expect(usb.lastWriteDate.toISOString()).toBe(usb.lastWrite);
    expect(typeof usb.lastWriteFiletime).toBe('bigint');
    expect(filetimeToIso(usb.lastWriteFiletime)).toBe(usb.lastWrite);
    expect(hive.header.lastWritten).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(filetimeToIso(0n)).toBe('1601-01-01T00:00:00.000Z');
    expect(regTypeName(7)).toBe('REG_MULTI_SZ');
    expect(regTypeName(0xffff0012)).toBe('REG_0xFFFF0012');
    expect(regTypeName(0x200000)).toBe('REG_0x00200000');
  });

  it('FILETIME conversion is exact and matches Date#toISOString over the whole range', () => {
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    const cases: Array<[number, number]> = [[0, 0], [0xffffffff, 0xffffffff], [0xd53e8000, 0x019db1de], [9999, 0x01d24521]];
    for (let i = 0; i < 20000; i++) cases.push([rnd(), i % 2 ? rnd() : 0x01c00000 + (rnd() % 0x00400000)]);
    for (const [low, high] of cases) {
      const ft = (BigInt(high) << 32n) | BigInt(low);
      const ms = Number((ft - 116444736000000000n) / 10000n - (ft < 116444736000000000n && (ft - 116444736000000000n) % 10000n !== 0n ? 1n : 0n));
      expect(filetimePartsMs(low, high)).toBe(ms);
      expect(msToIso(ms)).toBe(new Date(ms).toISOString());
      expect(filetimeToIso(ft)).toBe(new Date(Number(ft / 10000n) - 11644473600000).toISOString());
    }
  });

  it('walk is pre-order, honours maxDepth and maxKeys; parent() goes up', () => {
    const hive = open('win7-SYSTEM');
    const start = hive.getKey('ControlSet001\\Enum\\USBSTOR')!;
    const paths = [...hive.walk(start)].map((k) => k.path);
    expect(paths[0]).toBe(start.path);
    expect(paths[1]).toBe('ControlSet001\\Enum\\USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024');
    expect(paths.every((p) => p.startsWith(start.path))).toBe(true);
    expect(paths.length).toBe(37);
    const shallow = [...hive.walk(start, { maxDepth: 1 })];
    expect(shallow.map((k) => k.path)).toEqual(paths.slice(0, 2));
    expect(shallow[1]!.errors.map((e) => e.code)).toEqual(['E_HIVE_LIMIT']);
    expect([...hive.walk(undefined, { maxKeys: 5 })].length).toBe(5);
    const deep = hive.getKey(paths[paths.length - 1]!)!;
    const up = deep.parent()!;
    expect(up.path).toBe(deep.path.slice(0, deep.path.lastIndexOf('\\')));
    expect(hive.getKey(up.path)?.offset).toBe(up.offset);
    expect(hive.getKey('Select')!.parent()!.isRoot).toBe(true);
    expect(hive.root().parent()).toBeUndefined();
  });

  it('keyToJson renders plain JSON (no bigint), summaries unless recursive', () => {
    const hive = open('win7-SYSTEM');
    const key = hive.getKey('ControlSet001\\Enum\\USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024\\AA951D0000007252&0')!;
    const flat = keyToJson(key);
    expect(flat.path).toBe(key.path);
    expect(flat.lastWrite).toBe(key.lastWrite);
    expect(flat.values!.find((v) => v.name === 'FriendlyName')).toEqual({ name: 'FriendlyName', type: 'REG_SZ', data: 'HP v100w USB Device' });
    expect(flat.values!.find((v) => v.name === 'Capabilities')).toEqual({ name: 'Capabilities', type: 'REG_DWORD', data: 16 });
    expect(flat.values!.find((v) => v.name === 'CompatibleIDs')?.data).toEqual(['USBSTOR\\Disk', 'USBSTOR\\RAW']);
    expect(flat.subkeys!.map((s) => s.name)).toEqual(key.subkeyNames());
    expect(flat.subkeys!.every((s) => s.values === undefined && s.subkeys === undefined)).toBe(true);
    const deep = keyToJson(hive.getKey('ControlSet001\\Enum\\USBSTOR')!, { recursive: true });
    const text = JSON.stringify(deep);
    expect(JSON.parse(text)).toEqual(deep);
    expect(text).toContain('"HP v100w USB Device"');
    const md = keyToJson(hive.getKey('MountedDevices')!);
    const e = md.values!.find((v) => v.name === '\\DosDevices\\E:')!;
    expect(e.type).toBe('REG_BINARY');
    expect(e.data).toBe(Buffer.from(hive.getKey('MountedDevices')!.value('\\DosDevices\\E:')!.raw).toString('hex'));
    const b = open('win10-SYSTEM_B');
    const prop = keyToJson(b.getKey('ControlSet001\\Enum\\USBSTOR\\Disk&Ven_SanDisk&Prod_Extreme&Rev_0001\\AA010603160707470215&0\\Properties\\{83da6326-97a6-4088-9453-a1923f573b29}\\0064')!);
    expect(prop.values).toEqual([{ name: '', type: 'REG_0xFFFF0010', data: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
    let q: RegValue | undefined;
    for (const k of hive.walk(hive.getKey('ControlSet001\\Control'))) if ((q = k.values().find((v) => v.type === 11 && v.dataSize === 8))) break;
    const qj = keyToJson(hive.getKey(q!.keyPath)!).values!.find((v) => v.name === q!.name)!;
    expect(['number', 'string']).toContain(typeof qj.data);
    expect(String(qj.data)).toBe(String(q!.data));
  });

  it('openHiveFile / openHiveFileSync read files read-only and report I/O errors as HiveError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baomi-regf-'));
    try {
      const file = join(dir, 'SYSTEM');
      writeFileSync(file, loadHiveBytes('vbox-SYSTEM_2'));
      const a = await openHiveFile(file);
      expect(a.name).toBe(file);
      expect(a.getKey('Select')?.value('Current')?.data).toBe(1);
      expect(openHiveFileSync(file, { name: 'SYSTEM' }).name).toBe('SYSTEM');
      await expect(openHiveFile(join(dir, 'missing'))).rejects.toMatchObject({ name: 'HiveError', code: 'E_HIVE_IO' });
      expectHiveError(() => openHiveFileSync(join(dir, 'missing')), 'E_HIVE_IO');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('corrupt input', () => {
  const NAME = 'win7-NTUSER.DAT';
  /** Absolute offset of a cell's data (after the size field). */
  const data = (rel: number): number => HB + rel + 4;
  /** The first key (pre-order) matching `pred`. */
  const findKey = (hive: Hive, pred: (k: RegKey) => boolean): RegKey => {
    for (const k of hive.walk()) if (pred(k)) return k;
    throw new Error('no such key');
  };
  /** Walk everything and decode everything; returns the errors seen. Only HiveError may surface. */
  const walkAll = (hive: Hive): HiveError[] => {
    const errs: HiveError[] = [];
    const keys: RegKey[] = [];
    for (const k of hive.walk()) {
      keys.push(k);
      for (const v of k.values()) if (v.error) errs.push(v.error);
    }
    for (const k of keys) errs.push(...k.errors);
    return errs;
  };

  it('rejects short, foreign and non-primary files with typed errors', () => {
    expectHiveError(() => Hive.open(new Uint8Array(0)), 'E_HIVE_TRUNCATED');
    expectHiveError(() => Hive.open(Buffer.from('reg')), 'E_HIVE_TRUNCATED');
    const good = copyOf(NAME);
    expectHiveError(() => Hive.open(good.subarray(0, 4096)), 'E_HIVE_TRUNCATED');
    expectHiveError(() => Hive.open(Buffer.from('PK\x03\x04 not a hive at all')), 'E_HIVE_SIGNATURE');
    const b1 = copyOf(NAME);
    b1.write('regx', 0, 'latin1');
    expectHiveError(() => Hive.open(b1), 'E_HIVE_SIGNATURE');
    const b2 = copyOf(NAME);
    b2.writeUInt32LE(2, 20);
    expectHiveError(() => Hive.open(b2), 'E_HIVE_VERSION');
    const b3 = copyOf(NAME);
    b3.writeUInt32LE(1, 28); // a transaction log's base block
    expectHiveError(() => Hive.open(b3), 'E_HIVE_FILE_TYPE');
    const b4 = copyOf(NAME);
    b4.write('xbin', HB, 'latin1');
    expectHiveError(() => Hive.open(b4), 'E_HIVE_SIGNATURE');
  });

  it('rejects a bad root cell offset: out of range, misaligned, not a key, free cell', () => {
    const root = Hive.open(copyOf(NAME)).header.rootCellOffset;
    const withRoot = (off: number): Buffer => {
      const b = copyOf(NAME);
      b.writeUInt32LE(off, 36);
      return b;
    };
    expectHiveError(() => Hive.open(withRoot(0x7ffffff0)), 'E_HIVE_OFFSET');
    expectHiveError(() => Hive.open(withRoot(0xffffffff)), 'E_HIVE_OFFSET');
    expectHiveError(() => Hive.open(withRoot(root + 2)), 'E_HIVE_OFFSET');
    const hive = Hive.open(copyOf(NAME));
    const withValueAsRoot = withRoot(findKey(hive, (k) => k.valueCount > 0).valueOffsets()[0]!);
    expectHiveError(() => Hive.open(withValueAsRoot), 'E_HIVE_RECORD');
    const free = copyOf(NAME);
    free.writeInt32LE(-free.readInt32LE(HB + root), HB + root); // positive size = unallocated
    expectHiveError(() => Hive.open(free), 'E_HIVE_CELL');
    const huge = copyOf(NAME);
    huge.writeInt32LE(-0x7ffffff8, HB + root); // cell size larger than the file
    expectHiveError(() => Hive.open(huge), 'E_HIVE_CELL');
  });

  it('marks dirty hives and bad checksums without refusing them', () => {
    const b = copyOf(NAME);
    b.writeUInt32LE(b.readUInt32LE(4) + 1, 4);
    const hive = Hive.open(b);
    expect(hive.dirty).toBe(true);
    expect(hive.header.checksumValid).toBe(false);
    expect(hive.warnings).toContain('base block checksum mismatch');
    expect(hive.getKey('Software\\Microsoft')).toBeDefined();
  });

  it('reads a truncated file partially, marking it truncated and reporting what is missing', () => {
    const full = copyOf(NAME);
    const hive = Hive.open(full.subarray(0, Math.floor(full.length * 0.6)));
    expect(hive.truncated).toBe(true);
    expect(hive.warnings.some((w) => w.includes('truncated'))).toBe(true);
    const errs = walkAll(hive);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((e) => e instanceof HiveError)).toBe(true);
    expect(errs.some((e) => e.code === 'E_HIVE_OFFSET' || e.code === 'E_HIVE_CELL')).toBe(true);
    expect([...hive.walk()].length).toBeGreaterThan(10);
  });

  it('an ri list pointing to itself is a cycle, not a hang', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.subkeyCount >= 2);
    const list = data(k.subkeyListOffset);
    b.write('ri', list, 'latin1');
    b.writeUInt16LE(1, list + 2);
    b.writeUInt32LE(k.subkeyListOffset, list + 4);
    const again = Hive.open(b).getKey(k.path)!;
    expect(again.subkeys()).toEqual([]);
    expect(again.errors.map((e) => e.code)).toContain('E_HIVE_CYCLE');
    expect(again.partial).toBe(true);
    expect(walkAll(Hive.open(b)).some((e) => e.code === 'E_HIVE_CYCLE')).toBe(true);
  });

  it('overlapping lists (ri referring twice to another key\'s list) yield each subkey once and are reported', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.subkeyCount >= 1 && x.subkeys().filter((s) => s.subkeyCount >= 2).length >= 1);
    const donor = k.subkeys().find((s) => s.subkeyCount >= 2)!;
    const donorNames = donor.subkeyNames();
    const list = data(k.subkeyListOffset);
    b.write('ri', list, 'latin1');
    b.writeUInt16LE(2, list + 2);
    b.writeUInt32LE(donor.subkeyListOffset, list + 4);
    b.writeUInt32LE(donor.subkeyListOffset, list + 8);
    const h2 = Hive.open(b);
    const k2 = h2.getKey(k.path)!;
    expect(k2.subkeyNames()).toEqual(donorNames);
    expect(k2.errors.some((e) => e.code === 'E_HIVE_CYCLE')).toBe(true);
    // The same key cells are now reachable from two parents: the walk visits each once.
    const offsets = [...h2.walk()].map((x) => x.offset);
    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it('a subkey entry pointing back to an ancestor does not loop; the other subkeys stay readable', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.path.includes('\\') && x.subkeyCount >= 3);
    const names = k.subkeyNames();
    b.writeUInt32LE(hive.header.rootCellOffset, data(k.subkeyListOffset) + 4); // lf entry 0 → root
    const h2 = Hive.open(b);
    const total = [...h2.walk()].length;
    expect(total).toBeLessThan(5000);
    const k2 = h2.getKey(k.path)!;
    expect(k2.subkeyNames().slice(1)).toEqual(names.slice(1));
    const json = keyToJson(k2, { recursive: true });
    expect(JSON.stringify(json).length).toBeLessThan(10_000_000);
    expect(JSON.stringify(json)).toContain('already visited');
  });

  it('a broken subkey list entry makes the key partial, other subkeys readable', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.subkeyCount >= 3);
    const names = k.subkeyNames();
    const list = data(k.subkeyListOffset);
    b.writeUInt32LE(0x7ffffff8, list + 4 + 8); // lf entry 1 → far outside the file
    const k2 = Hive.open(b).getKey(k.path)!;
    expect(k2.subkeyNames()).toEqual([names[0], ...names.slice(2)]);
    expect(k2.partial).toBe(true);
    expect(k2.errors.map((e) => e.code)).toEqual(['E_HIVE_OFFSET']);
    // A subkey whose cell is marked free (positive size) is skipped the same way.
    const c = copyOf(NAME);
    const sub = Hive.open(c).getKey(k.path)!.subkeyOffsets()[0]!;
    c.writeInt32LE(-c.readInt32LE(HB + sub), HB + sub);
    const k3 = Hive.open(c).getKey(k.path)!;
    expect(k3.subkeyNames()).toEqual(names.slice(1));
    expect(k3.errors.map((e) => e.code)).toEqual(['E_HIVE_CELL']);
  });

  it('li lists are read; absurd list counts are bounded by the cell size', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.subkeyCount >= 3);
    const names = k.subkeyNames();
    const list = data(k.subkeyListOffset);
    const offs = [...k.subkeyOffsets()];
    b.write('li', list, 'latin1');
    offs.forEach((o, i) => b.writeUInt32LE(o, list + 4 + i * 4));
    expect(Hive.open(b).getKey(k.path)!.subkeyNames()).toEqual(names);
    b.writeUInt16LE(0xffff, list + 2);
    const k2 = Hive.open(b).getKey(k.path)!;
    const t0 = performance.now();
    k2.subkeys();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(k2.errors.some((e) => e.code === 'E_HIVE_RECORD' && e.message.includes('declares 65535'))).toBe(true);
  });

  it('absurd value data sizes fail with HiveError, without allocating', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.values().some((v) => !v.dataInline && v.dataSize > 8));
    const v = k.values().find((x) => !x.dataInline && x.dataSize > 8)!;
    const vk = data(v.offset);
    const orig = b.readUInt32LE(vk + 4);
    b.writeUInt32LE(0x7fffffff, vk + 4); // 2 GB
    const get = (): RegValue => Hive.open(b).getKey(k.path)!.value(v.name)!;
    expectHiveError(() => get().raw, 'E_HIVE_DATA');
    expect(get().error?.code).toBe('E_HIVE_DATA');
    b.writeUInt32LE(0x80000008, vk + 4); // inline data longer than 4 bytes
    expectHiveError(() => get().data, 'E_HIVE_DATA');
    b.writeUInt32LE(orig, vk + 4);
    expect(get().raw.length).toBe(orig);
    // Data cell whose size runs past the end of the file.
    const dataCell = HB + v.dataOffset;
    b.writeInt32LE(-0x7ffffff8, dataCell);
    expectHiveError(() => get().raw, 'E_HIVE_CELL');
    const json = keyToJson(Hive.open(b).getKey(k.path)!);
    const jv = json.values!.find((x) => x.name === v.name)!;
    expect(jv.data).toBeNull();
    expect(jv.error).toMatch(/runs past the end/);
    // Data offset out of range.
    b.writeUInt32LE(0xfffffff0, vk + 8);
    expectHiveError(() => get().raw, 'E_HIVE_OFFSET');
  });

  it('broken big-data records fail with HiveError', () => {
    const b = copyOf('win7-SYSTEM');
    const hive = Hive.open(b);
    const v = hive.getKey('ControlSet002\\services\\rdyboost\\Parameters')!.value('BootPlan')!;
    const db = data(v.dataOffset);
    expect(b.toString('latin1', db, db + 2)).toBe('db');
    const segList = b.readUInt32LE(db + 4);
    const get = (): RegValue => Hive.open(b).getKey('ControlSet002\\services\\rdyboost\\Parameters')!.value('BootPlan')!;
    b.writeUInt16LE(0xffff, db + 2); // more segments than the list holds
    expectHiveError(() => get().raw, 'E_HIVE_DATA');
    b.writeUInt16LE(2, db + 2); // too few segments for the declared length
    expectHiveError(() => get().raw, 'E_HIVE_DATA');
    b.writeUInt16LE(13, db + 2);
    b.writeUInt32LE(0x7ffffff0, data(segList) + 4); // segment 1 out of range
    expectHiveError(() => get().raw, 'E_HIVE_OFFSET');
  });

  it('oversized names and value lists are bounded', () => {
    const b = copyOf(NAME);
    const hive = Hive.open(b);
    const k = findKey(hive, (x) => x.subkeyCount >= 2);
    const child = k.subkeys()[0]!;
    b.writeUInt16LE(0xffff, data(child.offset) + 72); // key name length
    const k2 = Hive.open(b).getKey(k.path)!;
    expect(k2.subkeys().length).toBe(k.subkeyCount - 1);
    expect(k2.errors[0]?.code).toBe('E_HIVE_RECORD');

    const c = copyOf(NAME);
    const kv = findKey(Hive.open(c), (x) => x.valueCount >= 2);
    c.writeUInt32LE(0xffffffff, data(kv.offset) + 36); // value count
    const kv2 = Hive.open(c).getKey(kv.path)!;
    const vals = kv2.values();
    expect(vals.length).toBeLessThan(100_000);
    expect(kv2.errors.length).toBeGreaterThan(0);
    expect(kv2.errors.length).toBeLessThanOrEqual(65);
    expect(kv2.errors[0]!.code).toBe('E_HIVE_RECORD');
  });
});
