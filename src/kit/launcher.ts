// baomi.sh, the kit's launcher (POSIX sh, for the live system the officer boots): picks the Node
// runtime for the CPU (uname -m), unpacks it into a private folder in memory — the stick may be
// mounted noexec, and nothing is written to the inspected machine — copies the kit's private key
// there with mode 0600 (a FAT stick gives every file 0755), sets the assets' environment variables
// to the kit's copies, and runs the bundled CLI with that node, explicitly.
import { KIT_ARCHES, KIT_ASSETS } from './assets.js';
import { KIT_MSG } from '../report/messages-kit.js';

/** Single-quote for sh. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function msg(key: 'shUnknownCpu' | 'shNoRuntime' | 'shNoGzip' | 'shNoTmp'): string {
  return `baomi_say ${q(KIT_MSG[key].zh)} ${q(KIT_MSG[key].en)}`;
}

export function launcherScript(opts: { keyPath: string; nativeArches: readonly string[] }): string {
  const cases = KIT_ARCHES.map((a) => `  ${a.uname.join('|')}) ARCH=${a.arch} ;;`).join('\n');
  const assetEnv = KIT_ASSETS.filter((a) => a.env !== undefined)
    .map((a) => `${a.env}="$KIT/app/${a.to}"; export ${a.env}`)
    .join('\n');
  return `#!/bin/sh
# baomi USB kit launcher (written by \`baomi kit build\`; POSIX sh).
#   sh baomi.sh                 scan this machine's disks offline (scan --root auto)
#   sh baomi.sh scan --root DIR scan a mounted disk; the kit's key, rules, ledger and results/ are the defaults
#   sh baomi.sh <command> ...   any other baomi command (verify, results list, ledger validate ...)
set -u
baomi_say() {
  case "\${LC_ALL:-\${LC_MESSAGES:-\${LANG:-}}}" in zh*|ZH*) printf '%s\\n' "$1" >&2 ;; *) printf '%s\\n' "$2" >&2 ;; esac
}
KIT=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P) || exit 2
case "$(uname -m)" in
${cases}
  *) ${msg('shUnknownCpu')}; exit 2 ;;
esac
RT="$KIT/runtime/linux-$ARCH/node.gz"
[ -f "$RT" ] || { ${msg('shNoRuntime')}; exit 2; }
command -v gzip >/dev/null 2>&1 || { ${msg('shNoGzip')}; exit 2; }
WORK=
baomi_cleanup() { [ -n "$WORK" ] && rm -rf -- "$WORK"; WORK=; }
trap 'baomi_cleanup' EXIT
trap 'baomi_cleanup; exit 130' INT
trap 'baomi_cleanup; exit 143' TERM
trap 'baomi_cleanup; exit 129' HUP
UID_NOW=$(id -u 2>/dev/null || echo 0)
for base in "\${TMPDIR:-}" /dev/shm "/run/user/$UID_NOW" /tmp; do
  [ -n "$base" ] && [ -d "$base" ] && [ -w "$base" ] || continue
  d=$(umask 077; mktemp -d "$base/baomi-kit.XXXXXX" 2>/dev/null) || continue
  if gzip -dc "$RT" > "$d/node" 2>/dev/null && chmod 700 "$d/node" && "$d/node" -e 0 >/dev/null 2>&1; then
    WORK=$d
    break
  fi
  rm -rf -- "$d"
done
[ -n "$WORK" ] || { ${msg('shNoTmp')}; exit 2; }
(umask 077; cat "$KIT/${opts.keyPath}" > "$WORK/kit.key") || exit 2
chmod 600 "$WORK/kit.key"
BAOMI_KIT=$KIT; export BAOMI_KIT
BAOMI_KIT_KEY=$WORK/kit.key; export BAOMI_KIT_KEY
BAOMI_KIT_TMP=$WORK; export BAOMI_KIT_TMP
${assetEnv}
if [ ! -f "$KIT/app/build/linux-$ARCH/baomi_native.node" ]; then BAOMI_NATIVE=0; export BAOMI_NATIVE; fi
"$WORK/node" "$KIT/app/dist/bundle/baomi.js" "$@"
rc=$?
baomi_cleanup
exit $rc
`;
}
