// Child process of scan-windows-live.test.ts, run under `unshare -rn` (a network namespace with only
// loopback: the live scan's reachability probe sends nothing anywhere). Runs `baomi scan` as on a
// running Windows machine from the built dist/, with the machine of the spec (drives as folders,
// recorded command outputs). Writes {code, calls, scratch} to the result file.
//   node _winlive-scan.mjs SPEC.json FLAGS.json RESULT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', '..', 'dist');
const { scanCommand } = await import(join(dist, 'cli', 'scan.js'));
const { cliContext } = await import(join(dist, 'cli', 'common.js'));
const { RecordedRunner } = await import(join(dist, 'target', 'runner.js'));
const { WindowsLiveTarget } = await import(join(dist, 'target', 'windows-live.js'));

const [specFile, flagsFile, resultFile] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
const flags = JSON.parse(readFileSync(flagsFile, 'utf8'));
const runner = RecordedRunner.fromSpec(spec.recorded);
const scratch = [];
let code;
try {
  code = await scanCommand(flags, cliContext(flags.lang ?? 'en'), {
    openWindowsLive: async (o) => {
      scratch.push(o.scratch);
      return WindowsLiveTarget.open({ runner, scratch: o.scratch, kitLetter: spec.kitLetter, hostRootOf: (l) => spec.drives[l] ?? join(spec.drives.C, '..', `missing-${l}`) });
    },
  });
} catch (err) {
  code = err?.exitCode ?? 2;
  process.stderr.write(`${err?.message ?? err}\n`);
}
writeFileSync(resultFile, JSON.stringify({ code, calls: runner.calls, scratch }));
process.exit(0);
