// The CLI as a kit runs it (the bundle's entry point; baomi.sh sets BAOMI_KIT to the kit's folder).
// Outside a kit (no BAOMI_KIT) it is the plain CLI. In a kit:
// - no arguments is `scan --root auto` (on Windows, started by baomi.cmd: `scan` of this running machine);
// - `scan` gets the kit's key, rules, ledger and results/ unless given;
// - the machine's class comes from --profile or the ledger row matched by the target's identity,
//   else the officer is asked on the terminal; with no terminal the scan is refused (exit 2), never
//   guessed; the department comes from the ledger row when not given;
// - every report written to results/ gets its line in results/index.jsonl.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSync, closeSync, createReadStream, createWriteStream } from 'node:fs';
import { main } from '../cli/main.js';
import { langOfArgv, terminalText } from '../cli/common.js';
import type { Lang } from '../report/text.js';
import { KIT_MSG, kitWords } from '../report/messages-kit.js';
import { appendNotScanned, indexNewReports, reportNames, type IndexEntry } from './batch.js';
import { mkdir } from 'node:fs/promises';
import { identifyTarget } from './identify.js';
import { KIT_JSON, type KitManifest } from './manifest.js';
import { scanAuto } from './auto.js';


/** The value of `--name v` / `--name=v` in argv (last one wins, as commander does), or undefined. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  argv.forEach((a, i) => {
    if (a === name) v = argv[i + 1];
    else if (a.startsWith(`${name}=`)) v = a.slice(name.length + 1);
  });
  return v;
}

export function hasFlag(argv: readonly string[], name: string): boolean {
  return argv.some((a) => a === name || a.startsWith(`${name}=`));
}

/** `scan` arguments with the kit's defaults added where the officer gave none. */
export function withKitDefaults(args: readonly string[], kitDir: string, kit: KitManifest, keyPath: string): string[] {
  const out = [...args];
  if (!hasFlag(out, '--key')) out.push('--key', keyPath);
  if (!hasFlag(out, '--rules')) for (const r of kit.rules) out.push('--rules', join(kitDir, r));
  if (!hasFlag(out, '--ledger') && kit.ledger !== undefined) out.push('--ledger', join(kitDir, kit.ledger));
  if (!hasFlag(out, '--out')) out.push('--out', join(kitDir, 'results'));
  return out;
}

const CHOICES: Record<string, string> = { '1': 'classified', '2': 'intranet', '3': 'nonclassified' };

/** The terminal to ask on: /dev/tty, or on Windows the console (CONIN$ / CONOUT$). */
export function terminalDevices(platform: NodeJS.Platform = process.platform): { input: string; output: string } {
  return platform === 'win32' ? { input: 'CONIN$', output: 'CONOUT$' } : { input: '/dev/tty', output: '/dev/tty' };
}

/** Ask the officer on the terminal: the class, undefined when none was chosen, null when there is no terminal. */
async function askProfile(lang: Lang): Promise<string | undefined | null> {
  const dev = terminalDevices();
  try {
    closeSync(openSync(dev.input, 'r+'));
  } catch {
    return null; // no controlling terminal
  }
  const input = createReadStream(dev.input);
  const output = createWriteStream(dev.output);
  const rl = createInterface({ input, output, terminal: true });
  try {
    for (let i = 0; i < 3; i++) {
      const a = (await rl.question(KIT_MSG.profileAsk[lang])).trim();
      if (a === '') return undefined;
      const c = CHOICES[a] ?? (Object.values(CHOICES).includes(a) ? a : undefined);
      if (c) return c;
    }
    return undefined;
  } finally {
    rl.close();
    input.destroy();
    output.end();
  }
}

/** The class the officer chose, or the exit code (2) when there is no terminal or the question was cancelled; `where` follows the no-terminal message. */
async function askProfileOrRefuse(lang: Lang, where = ''): Promise<string | number> {
  const chosen = await askProfile(lang);
  if (chosen === null) {
    process.stderr.write(`${terminalText(`baomi: ${kitWords(KIT_MSG.profileNone, lang)}${where}`)}\n`);
    return 2;
  }
  if (chosen === undefined) {
    process.stderr.write(`baomi: ${KIT_MSG.profileCancelled[lang]}\n`);
    return 2;
  }
  return chosen;
}

async function loadKit(kitDir: string): Promise<KitManifest> {
  return JSON.parse(await readFile(join(kitDir, KIT_JSON), 'utf8')) as KitManifest;
}

/**
 * One kit scan of one root: class and department settled first (ledger, flag, terminal), then
 * `baomi scan`, then the index lines. Returns the exit code.
 */
/** The class (and level, department) a scan was judged with: a data volume of the same machine is judged alike. */
/** The identity a system volume's report gave its machine, handed to the machine's data volumes. */
export interface IdentityOfVolume {
  hostname?: string;
  machineId?: string;
  hardware?: { serial: string };
  identifiedBy: string;
}

export interface SettledClass {
  profile: string;
  level?: string;
  department?: string;
}

export async function kitScanOne(
  scanArgs: string[],
  lang: Lang,
  volume?: { device: string; notes: string[] },
  machine?: {
    settled?: SettledClass;
    data?: boolean;
    onSettled?: (c: SettledClass) => void;
    /** A data volume: the identity of its machine's system volume (`--machine-identity`). */
    identity?: IdentityOfVolume;
    /** The index line of the report written (a system volume's identity is taken from it). */
    onIndexed?: (e: IndexEntry) => void;
  },
): Promise<number> {
  const isAuto = volume !== undefined;
  const root = flagValue(scanArgs, '--root');
  const out = flagValue(scanArgs, '--out') ?? 'baomi-reports';
  let args = [...scanArgs];
  let profileSource: string | undefined;
  if (root === undefined && !hasFlag(args, '--profile') && !hasFlag(args, '--ledger')) {
    // This running machine, with no ledger to find it in: ask, never guess (with a ledger the scan
    // finds the machine's row by its identity).
    const chosen = await askProfileOrRefuse(lang);
    if (typeof chosen === 'number') return chosen;
    args.push('--profile', chosen);
    profileSource = 'prompt';
  } else if (root !== undefined) {
    const ledger = flagValue(args, '--ledger');
    const id = await identifyTarget(resolve(root), ledger).catch(() => undefined);
    if (id?.context.source === 'ledger') {
      profileSource = 'ledger';
      const dep = id.ledgerEntry?.department;
      if (dep !== undefined && !hasFlag(args, '--department')) args.push('--department', dep);
      machine?.onSettled?.({ profile: id.context.class, ...(id.context.level ? { level: id.context.level } : {}), ...(dep !== undefined ? { department: dep } : {}) });
    } else if (!hasFlag(args, '--profile') && machine?.data && machine.settled) {
      // A data volume (nothing on it says which machine it is): the class its system volume was judged with.
      const c = machine.settled;
      args.push('--profile', c.profile);
      if (c.level !== undefined && !hasFlag(args, '--level')) args.push('--level', c.level);
      if (c.department !== undefined && !hasFlag(args, '--department')) args.push('--department', c.department);
      profileSource = 'system-volume';
    } else if (!hasFlag(args, '--profile')) {
      // id undefined: the target could not be opened; scan says why (exit 2) below.
      if (id !== undefined) {
        const chosen = await askProfileOrRefuse(lang, isAuto ? ` (${root})` : '');
        if (typeof chosen === 'number') return chosen;
        args.push('--profile', chosen);
        profileSource = 'prompt';
        machine?.onSettled?.({ profile: chosen });
      }
    } else if (!machine?.data) {
      const p = flagValue(args, '--profile')!;
      const l = flagValue(args, '--level');
      machine?.onSettled?.({ profile: p, ...(l !== undefined ? { level: l } : {}) });
    }
  }
  if (machine?.data && machine.identity && !hasFlag(args, '--machine-identity')) args.push('--machine-identity', JSON.stringify(machine.identity));
  const before = await reportNames(out);
  const code = await main(args);
  try {
    const added = await indexNewReports(out, before, code, profileSource, volume);
    for (const e of added) machine?.onIndexed?.(e);
  } catch (err) {
    process.stderr.write(`${terminalText(`baomi: ${kitWords(KIT_MSG.indexFailed, lang, { file: join(out, 'index.jsonl'), why: (err as Error).message })}`)}\n`);
    return code === 0 ? 3 : code;
  }
  return code;
}

export async function kitMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const kitDir = env['BAOMI_KIT'];
  if (kitDir === undefined || kitDir === '') return main(argv);
  const kit = await loadKit(kitDir);
  // No arguments: from the booted kit, every disk of the machine offline; on a running Windows PC
  // (baomi.cmd), this machine live.
  const args = argv.length === 0 ? (process.platform === 'win32' ? ['scan'] : ['scan', '--root', 'auto']) : argv;
  if (args[0] !== 'scan') return main(args);
  const lang = langOfArgv(args, env);
  const keyPath = env['BAOMI_KIT_KEY'] || join(kitDir, kit.key);
  const scanArgs = withKitDefaults(args, kitDir, kit, keyPath);
  if (flagValue(scanArgs, '--root') === 'auto') {
    const out = flagValue(scanArgs, '--out')!;
    let settled: SettledClass | undefined;
    let conflicting = false;
    let machineIdentity: IdentityOfVolume | undefined;
    let identityConflict = false;
    return scanAuto(scanArgs, {
      lang,
      kitDir,
      scanOne: (a, v) =>
        kitScanOne(a, lang, { device: v.device, notes: [...v.notes.map((n) => n.kind), ...(v.data ? ['data-volume'] : [])] }, {
          ...(settled ? { settled } : {}),
          ...(v.data ? { data: true } : {}),
          ...(v.data && machineIdentity ? { identity: machineIdentity } : {}),
          onIndexed: (e) => {
            if (v.data || identityConflict) return;
            const id: IdentityOfVolume = {
              ...(e.machine.hostname ? { hostname: e.machine.hostname } : {}),
              ...(e.machine.machineId ? { machineId: e.machine.machineId } : {}),
              ...(e.machine.hardwareSerial ? { hardware: { serial: e.machine.hardwareSerial } } : {}),
              identifiedBy: v.device,
            };
            if (id.hostname === undefined && id.machineId === undefined) return;
            // two systems naming the machine differently: a data volume is not given either name
            if (machineIdentity === undefined) machineIdentity = id;
            else if (machineIdentity.hostname !== id.hostname || machineIdentity.machineId !== id.machineId) {
              machineIdentity = undefined;
              identityConflict = true;
            }
          },
          onSettled: (c) => {
            // several system volumes judged differently: a data volume is asked about, not guessed
            if (conflicting) return;
            if (settled === undefined || (settled.profile === c.profile && settled.level === c.level)) settled = c;
            else {
              settled = undefined;
              conflicting = true;
            }
          },
        }),
      notScanned: async (v) => {
        await mkdir(out, { recursive: true });
        await appendNotScanned(out, v);
      },
    });
  }
  return kitScanOne(scanArgs, lang);
}

// Run when this file is the program (the bundle, or node dist/kit/entry.js).
const self = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (self) process.exitCode = await kitMain(process.argv.slice(2));
