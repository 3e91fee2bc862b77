// The message catalogue of the command line: every help text, option description, example, exit-code
// meaning, usage error and stderr/stdout line the CLI itself writes, in Chinese and English. Re-exported
// by messages.ts; test/report/messages.test.ts fails when an entry lacks a language.
//
// `{name}` in a text is filled by cliText/cliWords (below) with the value given for `name`;
// `{name|one|many}` is `one` when that value is 1, else `many` (English plurals). In Chinese help, a literal the user types (an option value, `zh`) is written in 「」;
// command lines in examples start with `$ `.
//
// A command's help (src/cli/help.ts addCommand) uses the keys `<key>.summary` (one line, in the
// parent's list), `<key>.desc` (optional, the longer description), `<key>.examples` and
// `<key>.exit.<code>` for each exit code the command has.
import type { Words } from './messages.js';

export const CLI_WORDS = {
  // ---- commander's own words: section titles, usage, the help and version options ----
  'title.usage': { zh: '用法：', en: 'Usage:' },
  'title.arguments': { zh: '参数：', en: 'Arguments:' },
  'title.options': { zh: '选项：', en: 'Options:' },
  'title.globalOptions': { zh: '全局选项（任何命令都可用）：', en: 'Global Options:' },
  'title.commands': { zh: '命令：', en: 'Commands:' },
  'title.examples': { zh: '示例：', en: 'Examples:' },
  'title.exitCodes': { zh: '退出码：', en: 'Exit codes:' },
  'help.choices': { zh: '可选：{values}', en: 'choices: {values}' },
  'help.default': { zh: '默认：{value}', en: 'default: {value}' },
  'help.usageOptions': { zh: '[选项]', en: '[options]' },
  'help.usageCommand': { zh: '[命令]', en: '[command]' },
  'help.afterError': { zh: '（用 --help 查看用法）', en: '(run with --help for usage)' },
  'opt.help': { zh: '显示帮助', en: 'display help for command' },
  'opt.version': { zh: '显示版本号', en: 'output the version number' },
  'cmd.help': { zh: '显示某个命令的帮助', en: 'display help for command' },
  'opt.verbose': { zh: '在标准错误输出上记录进度', en: 'log progress to stderr' },
  'opt.logJson': { zh: '日志以 JSON 行格式输出到标准错误', en: 'log as JSON lines (pino) to stderr' },
  'opt.debug': { zh: '调试日志；出错时显示调用栈', en: 'debug logs; show stack traces on errors' },
  'opt.lang': {
    zh: '消息、帮助和报告的语言，「zh」为中文（默认按 LC_ALL / LC_MESSAGES / LANG 环境变量：zh_* 为中文，否则英文）',
    en: 'language of messages, help and reports (default from LC_ALL / LC_MESSAGES / LANG: zh_* gives zh, else en)',
  },

  // Placeholders in flags and usage lines (`--out <dir>`): the word between <> or [].
  'ph.dir': { zh: '目录', en: 'dir' },
  'ph.file': { zh: '文件', en: 'file' },
  'ph.files': { zh: '文件', en: 'files' },
  'ph.path': { zh: '路径', en: 'path' },
  'ph.paths': { zh: '路径', en: 'paths' },
  'ph.profile': { zh: '类别', en: 'profile' },
  'ph.level': { zh: '密级', en: 'level' },
  'ph.ids': { zh: '规则编号', en: 'ids' },
  'ph.id': { zh: '规则编号', en: 'id' },
  'ph.format': { zh: '格式', en: 'format' },
  'ph.lang': { zh: '语言', en: 'lang' },
  'ph.name': { zh: '名称', en: 'name' },
  'ph.ms': { zh: '毫秒', en: 'ms' },
  'ph.detail': { zh: '详略', en: 'detail' },
  'ph.n': { zh: '层数', en: 'n' },
  'ph.word': { zh: '关键词', en: 'word' },
  'ph.command': { zh: '命令', en: 'command' },
  'ph.dirs': { zh: '目录', en: 'dirs' },
  'ph.yyyy': { zh: '年份', en: 'yyyy' },

  // ---- commander's errors (unknown option, missing argument, invalid choice …) ----
  'cerr.prefix': { zh: '错误：', en: 'error: ' },
  'cerr.unknownOption': { zh: '未知选项 {flag}', en: "unknown option '{flag}'" },
  'cerr.unknownCommand': { zh: '未知命令「{name}」', en: "unknown command '{name}'" },
  'cerr.didYouMean': { zh: '（是否想用 {what}？）', en: '\n(Did you mean {what}?)' },
  'cerr.missingArgument': { zh: '缺少参数 {name}', en: "missing required argument '{name}'" },
  'cerr.optionMissingArgument': { zh: '选项 {flag} 缺少取值', en: "option '{flag}' argument missing" },
  'cerr.missingMandatory': { zh: '必须给出选项 {flag}', en: "required option '{flag}' not specified" },
  'cerr.invalidChoice': { zh: '选项 {flag} 的取值「{value}」无效，可选：{choices}', en: "option '{flag}' argument '{value}' is invalid. Allowed choices are {choices}." },
  'cerr.invalidValue': { zh: '选项 {flag} 的取值「{value}」无效', en: "option '{flag}' argument '{value}' is invalid." },
  'cerr.excessArguments': { zh: '参数过多：需要 {expected} 个，给了 {got} 个', en: 'too many arguments. Expected {expected} argument(s) but got {got}.' },
  'cerr.conflicting': { zh: '选项 {a} 不能与 {b} 同时使用', en: "option '{a}' cannot be used with option '{b}'" },
  'cerr.other': { zh: '命令行有误', en: 'the command line is wrong' },

  // ---- the program ----
  'program.summary': {
    zh: '保密检查：检查一台计算机（在线检查本机，或离线检查其硬盘）是否违反保密规定',
    en: '保密检查 — inspect a computer (live, or its disk offline) for secrecy-rule violations',
  },
  'program.desc': {
    zh:
      '保密检查：检查一台计算机（在线检查本机，或离线检查其硬盘）是否违反保密规定：无线网卡和蓝牙、' +
      '连接互联网的痕迹、未登记的优盘等存储设备、带密级标志（绝密★、机密★、秘密★）的文件。' +
      '每次检查写出经签名的 JSON、文本和 HTML 报告。用「baomi help 命令」查看各命令的帮助。',
    en:
      '保密检查 — inspect a computer (live, or its disk offline) for secrecy-rule violations: wireless ' +
      'modules, traces of internet use, unregistered USB storage, documents with classification markings. ' +
      'Each scan writes signed JSON, text and HTML reports. Run `baomi help COMMAND` for a command.',
  },
  'program.examples': {
    zh:
      '# 在线检查本机，报告写到检查工具优盘上的目录\n' +
      '$ baomi scan --ledger 台账.xlsx --out /media/kit/reports\n' +
      '# 离线检查挂载在 /mnt/disk 的硬盘，中文报告\n' +
      '$ baomi scan --root /mnt/disk --lang zh\n' +
      '# 核验报告的签名\n' +
      '$ baomi verify reports/host-20261206T080000Z.json',
    en:
      '# scan this machine, reports to the kit stick\n' +
      '$ baomi scan --ledger ledger.xlsx --out /media/kit/reports\n' +
      '# scan a disk mounted at /mnt/disk offline, report in Chinese\n' +
      '$ baomi scan --root /mnt/disk --lang zh\n' +
      "# check a report's signature\n" +
      '$ baomi verify reports/host-20261206T080000Z.json',
  },
  'program.exit.0': { zh: '成功；对于检查：检查完整，未发现问题', en: 'success; for a scan: complete, nothing found' },
  'program.exit.1': { zh: '发现问题（检查），或核验、规则用例未通过', en: 'findings (scan), or a verification or rule case failed' },
  'program.exit.2': { zh: '用法、配置或输入有误（如选项、台账、规则文件、密钥），或报告无法写入', en: 'usage, configuration or input error (flags, ledger, rule files, keys), or the report could not be written' },
  'program.exit.3': { zh: '检查未发现问题，但检查不完整', en: 'scan: nothing found, but the scan is incomplete' },
  'program.exit.130': { zh: '检查被中断（129 挂断、130 按 Ctrl+C、143 终止信号），已写出标记为不完整的签名报告', en: 'scan interrupted (129 hang-up, 130 Ctrl+C, 143 SIGTERM); a signed report marked incomplete was written' },

  // ---- main: what goes wrong outside any command ----
  'main.internal': { zh: '内部错误：{message}', en: 'internal error: {message}' },
  'main.debugHint': { zh: '加 --debug 重新运行可查看详细信息', en: 'run again with --debug for details' },
  'log.trace': { zh: '跟踪', en: 'trace' },
  'log.debug': { zh: '调试', en: 'debug' },
  'log.info': { zh: '信息', en: 'info' },
  'log.warn': { zh: '警告', en: 'warn' },
  'log.error': { zh: '错误', en: 'error' },
  'log.fatal': { zh: '严重错误', en: 'fatal' },
  'err.lang': { zh: '--lang 只能是「zh」或「en」，不能是「{value}」', en: '--lang must be zh or en, not "{value}"' },
  'err.target.E_NOT_FOUND': { zh: '{path}：文件或目录不存在', en: '{path}: no such file or directory' },
  'err.target.E_LOOP': { zh: '{path}：符号链接层数过多', en: '{path}: too many levels of symbolic links' },
  'err.target.E_NOT_DIR': { zh: '{path}：不是目录', en: '{path}: not a directory' },
  'err.target.E_IS_DIR': { zh: '{path}：是目录', en: '{path}: is a directory' },
  'err.target.E_ACCESS': { zh: '{path}：没有权限', en: '{path}: permission denied' },
  'err.target.E_ROOT': { zh: '{path}：无法作为检查的根目录读取', en: 'root {path} cannot be read' },
  'err.target.other': { zh: '{path}：无法读取', en: '{path}: cannot be read' },

  // ---- scan ----
  'scan.summary': {
    zh: '检查本机（在线）或挂载的硬盘（--root），写出签名的报告',
    en: 'scan this machine (live) or a mounted disk (--root) and write a signed report',
  },
  'scan.desc': {
    zh:
      '检查本机（在线）或挂载的硬盘（--root，离线只读），按规则判定，写出签名的 JSON、文本和 HTML 报告' +
      '（各带 .sig 签名文件），并在标准输出上打印文本报告。报告目录（--out）在检查开始前核对：' +
      '不能写入时不开始检查。未给出机器类别（--profile 或台账）时按最严格的涉密计算机判定，并在开始前说明。' +
      '在线检查请在断网环境或隔离的网络命名空间中运行。',
    en:
      'Scan this machine (live) or a disk mounted at --root (offline, read-only), judge it by the rules and ' +
      'write signed JSON, text and HTML reports (each with a .sig), printing the text report on stdout. ' +
      'The report folder (--out) is checked before anything is scanned. Without a class (--profile or a ' +
      'ledger row) the machine is judged as classified, the strictest, and this is said before the scan.',
  },
  'scan.opt.profile': {
    zh: '机器类别：「classified」涉密、「intranet」内网、「nonclassified」非涉密，也可写「涉密」「内网」「非涉密」（默认：台账中本机的类别，否则按最严格的涉密）',
    en: "machine class: classified | intranet | nonclassified, or 涉密 / 内网 / 非涉密 (default: the ledger row's class, else classified, the strictest)",
  },
  'scan.opt.level': {
    zh: '涉密计算机的密级：「秘密」「机密」「绝密」（默认：台账中的密级，否则秘密）',
    en: "a classified machine's level: 秘密 | 机密 | 绝密 (default: the ledger row's level, else 秘密)",
  },
  'scan.opt.root': {
    zh: '离线检查挂载在该目录的硬盘（只读），而不是本机；给「auto」时（在检查工具包的 U 盘系统中）自动查找本机的硬盘，逐个只读挂载，检查其中装有操作系统的每一个（加密卷记为未检查）',
    en: 'scan the disk mounted at DIR offline (read-only) instead of this machine; "auto" (in the USB kit\'s live system): find the computer\'s disks, mount each read-only and scan every one that holds an operating system (encrypted volumes are listed as not scanned)',
  },
  'scan.opt.rules': { zh: '追加规则文件或目录（可重复）；与内置规则同编号的规则替换内置规则', en: 'add a rule file or folder (repeatable); a rule with a built-in id replaces it' },
  'scan.opt.only': { zh: '只运行这些编号的规则（逗号分隔）', en: 'run only these rule ids (comma-separated)' },
  'scan.opt.ledger': { zh: '本单位计算机和存储介质台账：XLSX、CSV（UTF-8 或 GBK）或 YAML 文件', en: "the unit's register of computers and media (台账): XLSX, CSV (UTF-8/GBK) or YAML" },
  'scan.opt.paths': { zh: '查找文件时遍历的目录或文件（在线检查）', en: 'folders or files to walk for documents (live scans)' },
  'scan.opt.out': { zh: '报告文件写到的目录', en: 'where to write the report files' },
  'scan.opt.format': { zh: '标准输出上打印的内容：「text」文本报告，「json」完整的 JSON 报告', en: 'what to print on stdout' },
  'scan.opt.key': { zh: '签名用的 Ed25519 私钥（PEM 格式）（默认：配置目录中的本人密钥，首次使用时创建）', en: 'Ed25519 private key (PEM) to sign with (default: your key in the config dir, created on first use)' },
  'scan.opt.unit': { zh: '报告上的单位名称', en: 'unit (单位) name for the report' },
  'scan.opt.department': { zh: '报告上的部门名称', en: 'department (部门) for the report' },
  'scan.opt.probeTimeout': { zh: '统一设定每项检查的时限（毫秒）', en: "override every probe's time budget (ms)" },
  'scan.opt.evidence': { zh: '证据详略：「minimal」只记次数和站点，「full」还记录访问过的网址', en: 'minimal: counts and hosts; full: also visited URLs' },
  'scan.examples': {
    zh:
      '# 在线检查本机，按台账核对，报告写到检查工具优盘\n' +
      '$ baomi scan --ledger 台账.xlsx --out /media/kit/reports\n' +
      '# 离线检查挂载在 /mnt/disk 的硬盘（内网计算机），中文报告\n' +
      '$ baomi scan --root /mnt/disk --profile 内网 --lang zh\n' +
      '# 只查文件密级标志，指定目录\n' +
      '$ baomi scan --only documents-marked --paths /home/user/文档\n' +
      '# 在隔离的网络命名空间中在线检查\n' +
      '$ unshare -rn -- baomi scan --out /tmp/reports',
    en:
      '# scan this machine against the ledger, reports to the kit stick\n' +
      '$ baomi scan --ledger ledger.xlsx --out /media/kit/reports\n' +
      '# scan the disk mounted at /mnt/disk offline (an intranet computer), report in Chinese\n' +
      '$ baomi scan --root /mnt/disk --profile intranet --lang zh\n' +
      '# only the classification markings, in one folder\n' +
      '$ baomi scan --only documents-marked --paths /home/user/Documents\n' +
      '# a live scan in an isolated network namespace\n' +
      '$ unshare -rn -- baomi scan --out /tmp/reports',
  },
  'scan.exit.0': { zh: '检查完整，未发现问题', en: 'complete, nothing found' },
  'scan.exit.1': { zh: '发现问题（无论检查是否完整）', en: 'findings (complete or not)' },
  'scan.exit.2': {
    zh: '选项、台账、规则文件或密钥有误，或 --out 不可用（均未开始检查）；或报告写不出去（只打印在标准输出上）',
    en: 'a flag, the ledger, a rule file or the key is wrong, or --out is unusable (nothing was scanned); or the report could not be written (only printed)',
  },
  'scan.exit.3': { zh: '未发现问题，但检查不完整（有未能检查的项目）', en: 'nothing found, but the scan is incomplete (something could not be checked)' },
  'scan.exit.130': {
    zh: '检查被中断（129 挂断、130 按 Ctrl+C、143 终止信号）：已写出到目前为止的结果，签名并标记为不完整',
    en: 'interrupted (129 hang-up, 130 Ctrl+C, 143 SIGTERM): what was done so far was written, signed and marked incomplete',
  },
  'scan.err.profile': { zh: '--profile 只能是「classified」「intranet」「nonclassified」或「涉密」「内网」「非涉密」，不能是「{value}」', en: '--profile must be one of {list} (or 涉密 / 内网 / 非涉密), not "{value}"' },
  'scan.err.level': { zh: '--level 只能是 秘密、机密 或 绝密，不能是「{value}」', en: '--level must be 秘密, 机密 or 绝密 (secret, confidential, top-secret), not "{value}"' },
  'scan.err.levelNotClassified': { zh: '--level {level} 只用于涉密计算机，而 --profile 给出的是「{profile}」', en: '--level {level} is for classified (涉密) computers; --profile says {profile}' },
  'scan.err.format': { zh: '--format 只能是「text」或「json」，不能是「{value}」', en: '--format must be text or json, not "{value}"' },
  'scan.err.probeTimeout': { zh: '--probe-timeout 必须是正整数（毫秒）', en: '--probe-timeout must be a positive number of ms' },
  'scan.err.noPath': { zh: '{flag} {path}：文件或目录不存在', en: '{flag} {path}: no such file or directory' },
  'scan.err.ledger': {
    zh: '台账 {file} 有 {n} 个错误，未开始检查（可用 baomi ledger validate 检查台账）',
    en: '{n} problem(s) in the ledger {file}; nothing was scanned (check it with: baomi ledger validate)',
  },
  'scan.err.rules': { zh: '规则文件有 {n} 个问题，未开始检查', en: '{n} problem(s) in rule files; nothing was scanned' },
  'scan.err.only': { zh: '--only：没有这些编号的规则：{ids}', en: '--only: unknown rule id(s): {ids}' },
  'scan.noOsOffline': {
    zh: '{root} 下没有找到操作系统（没有 /Windows 目录，也没有 /etc/os-release 等版本文件或相应的目录结构）：只检查其中的文件，需要操作系统的检查项不适用',
    en: 'no operating system found under {root} (no Windows folder, no Linux release file or layout): its documents are scanned; the checks that need an operating system do not apply',
  },
  'scan.noOsLive': { zh: '无法识别本机的操作系统：需要操作系统的检查项无法运行', en: 'could not recognise the operating system of this machine: the checks that need it cannot run' },
  'scan.keyCreated': { zh: '已在 {path} 创建签名密钥（公钥在同一目录，名为 baomi.pub）', en: 'created a signing key at {path} (public key beside it as baomi.pub)' },
  'scan.signal': {
    zh: '收到 {signal}：停止检查，写出到目前为止的结果报告（再按一次立即退出）',
    en: '{signal}: stopping the scan; writing a report of what was done so far (again to quit at once)',
  },
  'scan.signalAgain': { zh: '再次收到 {signal}：立即退出，不写报告', en: '{signal} again: quitting without a report' },
  'scan.classHint': {
    zh: '{reason}；如不是涉密计算机，请用 --profile（内网 / 非涉密）或 --ledger 台账指定',
    en: '{reason}; if it is not a classified computer, say so with --profile (intranet / nonclassified) or --ledger',
  },
  'scan.fallback': {
    zh: '报告无法写到 {out}（{reason}），已改写到 {dir}',
    en: 'could not write the report to {out} ({reason}); it was written to {dir} instead',
  },
  'scan.written': {
    zh: '报告 {json}（签名 {sig}，文本 {txt}，HTML {html}；各带 .sig 签名文件）',
    en: 'report {json} (signature {sig}, text {txt}, HTML {html}; each with its .sig)',
  },
  'scan.exitLine': { zh: '退出码 {code}：{meaning}', en: 'exit code {code}: {meaning}' },
  'scan.lost': { zh: '{reason}；报告只打印在上面的标准输出中', en: '{reason}; the report was only printed above' },
  'out.fail': { zh: '--out {out}：{why}；未开始检查', en: '--out {out}: {why}; nothing was scanned' },
  'out.noPart': { zh: '路径的任何一级都不存在', en: 'no part of this path exists' },
  'out.virtualDir': { zh: '{dir} 是运行中系统的视图，不是磁盘：请把报告写到真实的目录', en: '{dir} is a view of the running system, not a disk: write reports to a real folder' },
  'out.virtualFs': { zh: '它位于 {kind}，是运行中系统的视图，不是磁盘：请把报告写到真实的目录', en: 'it is on {kind}, a view of the running system, not a disk: write reports to a real folder' },
  'out.onRoot': { zh: '--out {out} 在被检查的硬盘（{root}）上；请写到别处（如检查工具自己的优盘）', en: "--out {out} is on the inspected disk ({root}); write reports elsewhere (e.g. the kit's own stick)" },
  // problems of a rule file (src/engine/rules.ts, shape.ts): printed as file:line:column: field: text
  'rp.required': { zh: '缺少必填字段「{name}」', en: 'missing required field "{name}"' },
  'rp.unknownField': { zh: '未知字段「{name}」', en: 'unknown field "{name}"' },
  'rp.oneOf': { zh: '必须是以下之一：{list}', en: 'must be one of {list}' },
  'rp.pattern': { zh: '值的形式不对（应符合「{pattern}」）', en: 'must match pattern "{pattern}" (value does not have the expected form)' },
  'rp.type': { zh: '类型不对：应为「{type}」', en: 'must be {type}' },
  'rp.fewItems': { zh: '至少要有 {limit} 项', en: 'must NOT have fewer than {limit} items' },
  'rp.manyItems': { zh: '最多 {limit} 项', en: 'must NOT have more than {limit} items' },
  'rp.shortText': { zh: '至少要有 {limit} 个字符', en: 'must NOT have fewer than {limit} characters' },
  'rp.longText': { zh: '最多 {limit} 个字符', en: 'must NOT have more than {limit} characters' },
  'rp.range': { zh: '数值超出范围（「{detail}」）', en: '{detail}' },
  'rp.schema': { zh: '格式不对：「{detail}」', en: '{detail}' },
  'rp.severity': { zh: '严重程度必须是「high」「medium」「low」「info」之一，或按类别分别给出', en: 'must be high, medium, low or info, or a map of profile → severity' },
  'rp.yaml': { zh: 'YAML 语法错误：「{detail}」', en: 'YAML: {detail}' },
  'rp.yamlAlias': { zh: 'YAML 错误：「{detail}」（别名受限：规则文件中不应使用别名）', en: 'YAML: {detail} (aliases are limited: a rule file is not a place for them)' },
  'rp.tooMany': { zh: '一个文件中有 {n} 条规则，超过上限 {max}', en: '{n} rules in one file, more than {max}' },
  'rp.cannotRead': { zh: '无法读取：「{error}」', en: 'cannot read: {error}' },
  'rp.notFile': { zh: '无法读取：不是普通文件', en: 'cannot read: not a regular file' },
  'rp.tooLarge': { zh: '无法读取：文件过大（{size} 字节；规则文件最大 {max} 字节）', en: 'cannot read: too large ({size} bytes; a rule file may be at most {max})' },
  'rp.noOperator': { zh: '对「{subject}」的条件没有运算符（「equals」「in」「regex」「exists」「gt」「gte」「lt」「lte」「some」「every」）', en: 'condition on "{subject}" has no operator (equals, in, regex, exists, gt, gte, lt, lte, some, every)' },
  'rp.flagsWithoutRegex': { zh: '有「flags」却没有「regex」', en: '"flags" without "regex"' },
  'rp.badRegex': { zh: '正则表达式无效：「{error}」', en: 'invalid regex: {error}' },
  'rp.noFields': { zh: '「{at}」是一个值，没有下级字段，所以「{path}」不存在', en: '"{at}" has no fields (it is a value), so "{path}" does not exist' },
  'rp.unknownPath': { zh: '未知字段「{part}」{where}；已知字段：{known}', en: 'unknown field "{part}"{where}; known: {known}' },
  'rp.inField': { zh: '（在「{at}」中）', en: ' in "{at}"' },
  'rp.didYouMean': { zh: '（是不是「{near}」？）', en: ' (did you mean "{near}"?)' },
  'rp.context': { zh: '上下文：{detail}', en: 'context: {detail}' },
  'rp.neverValue': { zh: '{value} 不是「{subject}」会取的值（可取的值：{values}）', en: '{value} is never a value of "{subject}" (its values: {values})' },
  'rp.unknownProbe': { zh: '未知的检查项「{probe}」（已知：{known}）', en: 'unknown probe "{probe}" (known: {known})' },
  'rp.platform': { zh: '检查项 {probe} 不读取「{family}」系统（它读取：{list}）', en: 'probe {probe} does not read {family} targets (it reads: {list})' },
  'rp.caseShape': { zh: '与 {probe} 的观察结果不符：「{detail}」', en: 'does not fit the observations of {probe}: {detail}' },
  'rp.noSeverity': { zh: '类别「{profile}」列在「profiles」中，但没有给出它的严重程度', en: 'no severity for profile "{profile}" listed in profiles' },
  'rp.duplicate': { zh: '规则 ID「{id}」重复（首次定义于 {where}）', en: 'duplicate rule id "{id}" (first defined at {where})' },
  'scan.err.machineIdentity': { zh: '--machine-identity 不是检查工具写出的本机标识（JSON）', en: '--machine-identity is not the machine identity the kit writes (JSON)' },
  'scan.err.volumeNotes': { zh: '--volume-notes 不是检查工具写出的卷说明（JSON 列表）', en: '--volume-notes is not the list of volume notes the kit writes (JSON)' },
  'out.onInspectedDrive': { zh: '--out {out} 在被检查的驱动器（{drive}）上；请写到检查工具所在的优盘或不检查的驱动器', en: "--out {out} is on a drive being inspected ({drive}); write reports to the kit's stick or a drive not inspected" },
  'out.scratchOnInspectedDrive': { zh: '临时文件夹 {dir} 在被检查的驱动器（{drive}）上；请从检查工具优盘运行（baomi.cmd），或用 --out 指定不检查的驱动器', en: "the scratch folder {dir} is on a drive being inspected ({drive}); run from the kit (baomi.cmd), or give --out on a drive not inspected" },
  'out.cannotCreate': { zh: '无法创建 {dir}：{why}', en: 'cannot create {dir}: {why}' },
  'out.isFile': { zh: '这是文件，不是目录', en: 'it is a file, not a folder' },
  'out.cannotWrite': { zh: '无法写入：{why}', en: 'cannot write there: {why}' },
  'errno.EROFS': { zh: '文件系统只读（优盘写保护？）', en: 'the file system is read-only (a write-protected stick?)' },
  'errno.EACCES': { zh: '没有权限', en: 'permission denied' },
  'errno.EPERM': { zh: '不允许此操作', en: 'operation not permitted' },
  'errno.ENOSPC': { zh: '磁盘已满', en: 'the disk is full' },
  'errno.EDQUOT': { zh: '磁盘配额已用完', en: 'the disk quota is exhausted' },
  'errno.ENOTDIR': { zh: '路径中有一级是文件而不是目录', en: 'a part of the path is a file, not a folder' },
  'errno.ENAMETOOLONG': { zh: '路径过长', en: 'the path is too long' },
  'errno.ELOOP': { zh: '符号链接层数过多', en: 'too many symbolic links' },
  'errno.EIO': { zh: '输入输出错误（磁盘故障？）', en: 'input/output error (a failing disk?)' },
  'errno.ENOENT': { zh: '不存在', en: 'no such file or directory' },
  'errno.other': { zh: '系统错误（{code}）', en: '{message} [{code}]' },

  // ---- verify ----
  'verify.summary': {
    zh: '核验报告的签名，以及同目录下文本和 HTML 报告的签名',
    en: "check a report's signature and those of the text and HTML reports beside it",
  },
  'verify.desc': {
    zh:
      '核验报告（.json）的签名，以及同目录下同名的文本报告（.txt）和 HTML 报告（.html）各自的签名（.sig）。' +
      '每个文件一行：通过或失败及原因。给出 --pubkey 时还核验是否由该公钥对应的私钥签名；' +
      '否则只用报告自带的公钥核验：只能证明文件未被改动，不能证明是谁签的。',
    en:
      "Check a report's signature (REPORT.json with REPORT.json.sig) and those of the text and HTML reports " +
      'beside it (REPORT.txt, REPORT.html, each with its .sig). One line per file, OK or FAIL with the reason. ' +
      'With --pubkey also that they were signed by that key; without it the key each report carries is used: ' +
      'that proves a file is intact, not who signed it.',
  },
  'verify.arg.files': {
    zh: '报告的 .json 文件（同目录下的 .json.sig、.txt、.txt.sig、.html、.html.sig 一并核验）',
    en: 'report .json files (the .json.sig, .txt, .txt.sig, .html and .html.sig beside each)',
  },
  'verify.opt.pubkey': { zh: '报告必须由其签名的公钥（PEM 格式）', en: 'public key (PEM) the reports must be signed with' },
  'verify.examples': {
    zh:
      '# 核验一份报告及同目录下的文本和 HTML 报告\n' +
      '$ baomi verify reports/host-20261206T080000Z.json\n' +
      '# 核验一批报告都由本单位的密钥签名\n' +
      '$ baomi verify --pubkey keys/baomi.pub reports/*.json',
    en:
      '# a report and the text and HTML reports beside it\n' +
      '$ baomi verify reports/host-20261206T080000Z.json\n' +
      "# that all reports were signed with the unit's key\n" +
      '$ baomi verify --pubkey keys/baomi.pub reports/*.json',
  },
  'verify.exit.0': { zh: '所有文件都核验通过', en: 'every file verified' },
  'verify.exit.1': { zh: '有文件核验失败或缺失', en: 'a file failed or is missing' },
  'verify.exit.2': { zh: '用法有误，或 --pubkey 不是可读的 Ed25519 公钥', en: 'usage error, or --pubkey is not a readable Ed25519 public key' },
  'verify.ok': { zh: '通过  {file}  {keyId}', en: 'OK    {file}  {keyId}' },
  'verify.fail': { zh: '失败  {file}  {reason}', en: 'FAIL  {file}  {reason}' },
  'verify.why.cannotRead': { zh: '无法读取：{error}', en: 'cannot read: {error}' },
  'verify.why.cannotReadSig': { zh: '无法读取签名文件 {sig}：{error}', en: 'cannot read signature {sig}: {error}' },
  'verify.why.missing': { zh: '文件不存在', en: 'missing' },
  'verify.why.sigMissing': { zh: '签名文件 {sig} 不存在', en: 'signature {sig} missing' },
  'verify.why.badSig': { zh: '签名文件格式不对（应为一行 base64，64 字节的 Ed25519 签名）', en: 'signature file is not one line of base64 of a 64-byte Ed25519 signature' },
  'verify.why.notJson': { zh: '不是有效的 JSON（文件被改动过，或不是检查报告）', en: 'not valid JSON (the file was altered or is not a report)' },
  'verify.why.noSigner': { zh: '报告中没有签名密钥标识（signer.keyId）', en: 'report has no signer.keyId' },
  'verify.why.otherKey': { zh: '报告由密钥 {named} 签名，而给出的公钥是 {given}', en: 'report names key {named}, but the public key given is {given}' },
  'verify.why.noPublicKey': { zh: '报告中没有公钥；请用 --pubkey 给出', en: 'report carries no public key; give --pubkey' },
  'verify.why.badPublicKey': { zh: '报告中的公钥无法读取', en: 'report carries an unreadable public key' },
  'verify.why.keyIdMismatch': { zh: '报告的密钥标识与其中的公钥不符', en: 'report key id does not match the public key it carries' },
  'verify.why.mismatch': { zh: '签名与文件不符（文件被改动过，或由其他密钥签名）', en: 'signature does not match the file (it was altered, or signed by another key)' },
  'verify.why.needPubkey': { zh: '年度报告不带公钥：请用 --pubkey 给出签名者的公钥', en: 'an annual report carries no key of its own: give the signer\'s public key with --pubkey' },
  'verify.why.otherHtml': { zh: '签名有效，但不是这份报告的网页版（其中没有报告编号 {scanId}）', en: 'signed, but not the HTML of this report (scan id {scanId} not found in it)' },
  'verify.notChecked': { zh: '未核验：所属的报告未通过核验', en: 'not checked: the report it belongs to did not verify' },
  'verify.note': {
    zh: '注意：以上用每份报告自带的公钥核验，只能证明文件未被改动，不能证明是谁签的；用 --pubkey 核验签名来源',
    en: 'note: checked against the key each report carries: this proves the file is intact, not who signed it; give --pubkey to check origin',
  },

  // ---- inspect ----
  'inspect.summary': {
    zh: '解读单个文件（注册表、设备安装日志、内核日志、浏览器历史、无线网络配置或任意文档），显示其内容',
    en: 'decode one artifact (registry hive, setupapi log, kernel log, browser history, WLAN profile, or any document)',
  },
  'inspect.desc': {
    zh:
      '用检查时相同的解析程序解读单个文件，显示其中记录了什么，便于核查判定的依据。' +
      '文件类型按内容判断：注册表文件（如 SYSTEM、NTUSER.DAT）、设备安装日志（setupapi.dev.log）、' +
      '内核日志（/var/log/syslog、/var/log/kern.log、/var/log/messages，含轮转和 .gz）、浏览器历史数据库、无线网络配置（XML），' +
      '其他文件按文档读取：显示读取的文字部分、找到的密级标志及其依据、以及未计入的相似文字。',
    en:
      'Decode one artifact with the parsers the scan uses, to show what it holds and why a finding was made. ' +
      'The type is sniffed from the bytes: registry hive, setupapi log, kernel log (syslog, kern.log, ' +
      'messages; rotated or .gz), browser history, WLAN profile; any other file is read as a document: the ' +
      'text parts read, each marking with why it counted, and each near miss with why it did not.',
  },
  'inspect.arg.file': { zh: '要解读的文件', en: 'the file to decode' },
  'inspect.opt.key': { zh: '注册表：要显示的键（如 ControlSet001\\Enum\\USBSTOR）；会解析 CurrentControlSet', en: 'hive: the key to show (e.g. ControlSet001\\Enum\\USBSTOR); CurrentControlSet is resolved' },
  'inspect.opt.depth': { zh: '注册表：展开的子键层数（默认：给出 --key 时展开全部，根键不展开）', en: 'hive: levels of subkeys to expand (default: all under --key, none at the root)' },
  'inspect.opt.urls': { zh: '浏览器历史：同时列出访问过的互联网网址', en: 'browser history: also list the visited internet URLs' },
  'inspect.opt.usb': { zh: 'SYSTEM 注册表：列出其中记录的 USB 设备（按物理设备合并）', en: 'SYSTEM hive: the USB devices it recorded, merged per physical device' },
  'inspect.opt.keyword': { zh: '文档：同时查找本单位的这个关键词（可重复）', en: 'document: also look for this unit keyword (repeatable)' },
  'inspect.opt.noLogs': { zh: '注册表：按原样显示主文件，不重放同目录下的 .LOG1/.LOG2 事务日志', en: 'hive: show the primary file as is, without replaying the .LOG1/.LOG2 transaction logs beside it' },
  'inspect.opt.json': { zh: '以 JSON 格式输出', en: 'print JSON' },
  'inspect.examples': {
    zh:
      '# 注册表中记录的 USB 存储设备\n' +
      '$ baomi inspect /mnt/disk/Windows/System32/config/SYSTEM --usb\n' +
      '# 注册表的一个键及其下两层子键\n' +
      '$ baomi inspect SYSTEM --key ControlSet001\\Enum\\USBSTOR --depth 2\n' +
      '# 一份文档为什么被判定带有密级标志\n' +
      '$ baomi inspect 报告.docx --keyword 本单位',
    en:
      '# the USB storage devices a SYSTEM hive recorded\n' +
      '$ baomi inspect /mnt/disk/Windows/System32/config/SYSTEM --usb\n' +
      '# one key of a hive and two levels below it\n' +
      '$ baomi inspect SYSTEM --key ControlSet001\\Enum\\USBSTOR --depth 2\n' +
      '# why a document counts as marked\n' +
      '$ baomi inspect report.docx --keyword ACME',
  },
  'inspect.exit.0': { zh: '已解读并显示', en: 'decoded and shown' },
  'inspect.exit.2': {
    zh: '文件不存在或无法读取，不是所需的类型（如 --usb 需要 SYSTEM 注册表），或选项有误',
    en: 'the file is missing or unreadable, not of the kind an option needs (--usb needs a SYSTEM hive), or a flag is wrong',
  },
  'inspect.err.noFile': { zh: '{file}：文件不存在', en: '{file}: no such file' },
  'inspect.err.open': { zh: '{file}：无法打开（{why}）', en: '{file}: {why}' },
  'inspect.err.depth': { zh: '--depth 必须是不小于 0 的整数，不能是「{value}」', en: '--depth must be a whole number ≥ 0, not "{value}"' },
  'inspect.err.notSystemHive': { zh: '{file}：不是 SYSTEM 注册表（没有 ControlSet\\Enum）：--usb 需要 SYSTEM 注册表', en: '{file}: not a SYSTEM hive (no ControlSet\\Enum): --usb needs one' },
  'inspect.err.notHive': { zh: '{file}：不是可读的注册表文件（{code}）', en: '{file}: not a readable registry hive ({code}): {message}' },
  'inspect.err.noKey': { zh: '{file}：注册表中没有键「{key}」{ccs}', en: '{file}: no key "{key}" in this hive{ccs}' },
  'inspect.err.ccs': { zh: '（当前控制集 CurrentControlSet = {ccs}）', en: ' (CurrentControlSet = {ccs})' },
  'inspect.err.stopped': { zh: '{file}：读取中止（{kind}）', en: '{file}: reading it stopped ({kind}): {message}' },
  'inspect.err.notHistory': { zh: '{file}：是 SQLite 数据库，但不是可读的浏览器历史（{kind}）', en: '{file}: SQLite database, but not a readable browser history ({kind})' },
  'inspect.err.notWlan': { zh: '{file}：不是可读的无线网络配置', en: '{file}: not a readable WLAN profile' },

  // inspect's output: what one artifact holds
  'insp.setupapi.head': {
    zh: '设备安装日志 {file}（格式 {format}，{encoding}；{sections} 节，{devices} 条设备记录；时间为该机的本地时间）',
    en: "setupapi log {file}  (format {format}, {encoding}; {sections} sections, {devices} device records; times are the machine's local time)",
  },
  'insp.setupapi.line': { zh: '第 {line} 行', en: 'line {line}' },
  'insp.key.head': { zh: '[{path}]  最后写入 {time}', en: '[{path}]  last write {time}' },
  'insp.key.counts': { zh: '（子键 {subkeys} 个，值 {values} 个）', en: '  ({subkeys} subkeys, {values} values)' },
  'insp.key.root': { zh: '（根）', en: '(root)' },
  'insp.value.unreadable': { zh: '<无法读取：{error}>', en: '<unreadable: {error}>' },
  'insp.replay.noLogs': {
    zh: '未完整写入（序号不一致）：按原样显示，未重放事务日志（--no-logs）',
    en: 'DIRTY (sequence numbers differ): shown as is, transaction logs not replayed (--no-logs)',
  },
  'insp.replay.done': {
    zh: '未完整写入的注册表，已按系统加载时的方式重放事务日志后显示：{from}；序号 {a} → {b}{incomplete}（--no-logs 按原样显示）',
    en: 'dirty hive shown with its transaction logs replayed, as Windows loads it: {from}; sequence {a} → {b}{incomplete} (--no-logs shows the file as is)',
  },
  'insp.replay.newFormat': { zh: '{name}（{n} 条，序号 {first}–{last}）', en: '{name} ({n} {n|entry|entries}, sequence {first}–{last})' },
  'insp.replay.oldFormat': { zh: '{name}（旧格式，{pages} 页）', en: '{name} (old format, {pages} pages)' },
  'insp.replay.incomplete': { zh: '；重放不完整，最新的修改可能缺失：{problems}', en: '; REPLAY INCOMPLETE, newest changes may be missing: {problems}' },
  'insp.replay.not': {
    zh: '未完整写入（序号不一致）且未重放，最新的修改可能缺失：{why}',
    en: 'DIRTY (sequence numbers differ) and not replayed — the newest changes may be missing: {why}',
  },
  'insp.replay.noLog': { zh: '同目录下没有事务日志', en: 'no transaction log beside it' },
  'insp.hive.head': { zh: '注册表文件 {file}', en: 'registry hive {file}' },
  'insp.hive.format': { zh: '  注册表格式版本 {version}，最后写入 {time}，{bytes} 字节{truncated}', en: '  format regf {version}, last written {time}, {bytes} bytes{truncated}' },
  'insp.hive.notRecorded': { zh: '（未记录）', en: '(not recorded)' },
  'insp.hive.truncated': { zh: '，文件被截断', en: ', TRUNCATED' },
  'insp.usb.head': { zh: '{file} 中记录的 USB 设备：{n} 个（存储设备 {storage} 个，手机 {phones} 部）', en: 'USB devices recorded in {file}: {n} ({storage} storage, {phones} phones)' },
  'insp.usb.storage': { zh: '存储', en: 'storage' },
  'insp.usb.phone': { zh: '手机', en: 'phone' },
  'insp.usb.other': { zh: '其他', en: 'other' },
  'insp.usb.serialNotUnique': { zh: '（序列号不唯一）', en: '  (serial not unique)' },
  'insp.usb.times': { zh: '首次 {first}  最后 {last}', en: 'first {first}  last {last}' },
  'insp.usb.removed': { zh: '  拔出 {time}', en: '  removed {time}' },
  'insp.usb.connections': { zh: '  连接 {n} 次', en: '  connections {n}' },
  'insp.kernel.head': {
    zh: '内核日志 {file}：USB 设备 {n} 个（存储设备 {storage} 个，手机 {phones} 部）；时间按日志原样',
    en: 'kernel log {file}: {n} USB device(s) ({storage} storage, {phones} phones); times as logged',
  },
  'insp.history.head': { zh: '浏览器历史 {file}{wal}', en: 'browser history {file}{wal}' },
  'insp.history.wal': { zh: '（已重放 {wal}：{frames} 帧）', en: ' (+ {wal} replayed: {frames} frames)' },
  'insp.history.counts': {
    zh: '  {family} 格式版本 {schema}；访问 {total} 次，其中互联网 {internet} 次（{hosts} 个站点）',
    en: '  {family} schema {schema}; {total} visits, {internet} to the internet ({hosts} hosts)',
  },
  'insp.history.span': { zh: '  访问互联网的时间：{first} 至 {last}（UTC）', en: '  internet visits from {first} to {last} (UTC)' },
  'insp.wlan': {
    zh: '无线网络配置 {file}\n  网络名 {ssid}，连接方式「{mode}」，认证方式「{auth}」',
    en: 'Wi-Fi profile {file}\n  SSID {ssid}, connection {mode}, authentication {auth}',
  },
  'insp.doc.head': { zh: '文档 {file}', en: 'document {file}' },
  'insp.doc.format': { zh: '  格式 {format}，{bytes} 字节，SHA-256 {sha256}{embedded}', en: '  format {format}, {bytes} bytes, sha256 {sha256}{embedded}' },
  'insp.doc.embedded': { zh: '，打开了 {n} 个内嵌文件', en: ', {n} embedded file(s) opened' },
  'insp.doc.parts': { zh: '  读取的文字部分：', en: '  text parts read:' },
  'insp.doc.part': { zh: '    {name}（{chars} 个字符）', en: '    {name}  ({chars} characters)' },
  'insp.doc.none': { zh: '    （无）', en: '    (none)' },
  'insp.doc.markings': { zh: '  密级标志：', en: '  markings:' },
  'insp.doc.noMarkings': { zh: '  密级标志：无', en: '  markings: none' },
  'insp.doc.marking': { zh: '    {level}  「{text}」  位于 {where}  — 计入：{reasons}', en: '    {level}  "{text}"  in {where}  — counted: {reasons}' },
  'insp.doc.nearMisses': { zh: '  相似文字（不是密级标志）：', en: '  near misses (not markings):' },
  'insp.doc.nearMiss': { zh: '    {level}  「{text}」  位于 {where}  — 未计入：{reasons}', en: '    {level}  "{text}"  in {where}  — not counted: {reasons}' },

  // ---- kit ----
  'kit.summary': { zh: '检查工具包：在从 U 盘启动的系统中离线检查计算机', en: 'the bootable USB kit: scan machines offline from a live Linux' },
  'kit.examples': {
    zh: '# 生成工具包，复制到 U 盘\n$ baomi kit build --out /media/usb/baomi-kit --ledger 台账.xlsx',
    en: '# build a kit to copy onto a USB stick\n$ baomi kit build --out /media/usb/baomi-kit --ledger ledger.xlsx',
  },
  'kit.exit.0': { zh: '显示了帮助；其他退出码见各子命令', en: 'help shown; the subcommands have their own' },
  'kit.exit.2': { zh: '未知的子命令或选项', en: 'unknown subcommand or flag' },
  'kit.build.summary': {
    zh: '生成要复制到 U 盘的工具包目录：打包的命令行程序、linux-x64、linux-arm64 和 win-x64 的 Node.js 运行环境、规则、台账、工具包签名密钥、results/ 目录和启动脚本 baomi.sh、baomi.cmd',
    en: 'build a kit folder to copy onto a USB stick: bundled CLI, Node runtimes for linux-x64, linux-arm64 and win-x64 (npm packages), rules, ledger, a kit signing key, results/, launchers baomi.sh (Linux) and baomi.cmd (Windows)',
  },
  'kit.build.opt.out': { zh: '工具包目录（新目录或空目录）', en: 'folder for the kit (new or empty)' },
  'kit.build.opt.ledger': { zh: '工具包检查时使用的本单位台账', en: "the unit's ledger (台账) the kit's scans use" },
  'kit.build.opt.rules': { zh: '追加规则文件或目录（可重复）', en: 'add a rule file or folder (repeatable)' },
  'kit.build.opt.cache': {
    zh: '两次生成之间保存已获取的 Node.js 运行环境的目录（默认：$BAOMI_KIT_CACHE，否则 ~/.cache/baomi/kit）',
    en: 'where fetched Node runtimes are kept between builds (default: $BAOMI_KIT_CACHE, else ~/.cache/baomi/kit)',
  },
  'kit.build.examples': {
    zh:
      '# 生成带本单位台账的工具包\n' +
      '$ baomi kit build --out /media/usb/baomi-kit --ledger 台账.xlsx\n' +
      '# 追加本单位的规则，运行环境缓存放在指定目录\n' +
      '$ baomi kit build --out kit --rules 本单位规则/ --cache /var/cache/baomi',
    en:
      "# a kit with the unit's ledger\n" +
      '$ baomi kit build --out /media/usb/baomi-kit --ledger ledger.xlsx\n' +
      "# with the unit's own rules, runtimes cached in a given folder\n" +
      '$ baomi kit build --out kit --rules unit-rules/ --cache /var/cache/baomi',
  },
  'kit.build.exit.0': { zh: '已生成；标准输出上打印目录、签名密钥编号和大小', en: 'built; the folder, the signing key id and the size are printed' },
  'kit.build.exit.2': {
    zh: '--out 不是空目录或无法写入，台账或规则文件有错误，或无法获取 Node.js 运行环境（未生成工具包）',
    en: 'the --out folder is not empty or cannot be written, the ledger or a rule file has errors, or a Node runtime could not be fetched (no kit was built)',
  },

  // ---- results ----
  'results.summary': { zh: '工具包的检查结果目录', en: "a kit's results folder" },
  'results.examples': {
    zh: '# 核对工具包带回的检查结果\n$ baomi results list /media/usb/baomi-kit/results',
    en: '# check the results a kit brought back\n$ baomi results list /media/usb/baomi-kit/results',
  },
  'results.exit.0': { zh: '显示了帮助；其他退出码见各子命令', en: 'help shown; the subcommands have their own' },
  'results.exit.2': { zh: '未知的子命令或选项', en: 'unknown subcommand or flag' },
  'results.list.summary': {
    zh: '以表格列出批次记录（index.jsonl）；报告缺失、被改动（SHA-256 不符）或签名无效时标出，退出码为 1',
    en: 'the batch log (index.jsonl) as a table; flags a report that is missing, altered (SHA-256 differs) or badly signed, and then exits 1',
  },
  'results.list.arg.dir': { zh: '检查结果目录（上一级目录中有工具包公钥 kit.pub 时用它核验）', en: 'the results folder (the kit public key ../kit.pub is used when present)' },
  'results.list.opt.pubkey': { zh: '报告必须由其签名的公钥（PEM 格式）', en: 'public key (PEM) the reports must be signed with' },
  'results.list.opt.json': { zh: '以 JSON 格式输出', en: 'print JSON' },
  'results.list.examples': {
    zh:
      '# 列出工具包带回的报告，用工具包旁的 kit.pub 核验\n' +
      '$ baomi results list /media/usb/baomi-kit/results\n' +
      '# 用指定公钥核验，以 JSON 格式输出\n' +
      '$ baomi results list results --pubkey keys/kit.pub --json',
    en:
      '# the reports a kit brought back, checked with the kit.pub beside them\n' +
      '$ baomi results list /media/usb/baomi-kit/results\n' +
      '# checked against a given key, as JSON\n' +
      '$ baomi results list results --pubkey keys/kit.pub --json',
  },
  'results.list.exit.0': { zh: '每份报告都完好且签名有效', en: 'every report is there, intact and well signed' },
  'results.list.exit.1': {
    zh: '没有批次记录，记录有无法读取的行，或有报告缺失、被改动或签名无效',
    en: 'no batch log, a line of it cannot be read, or a report is missing, altered or badly signed',
  },
  'results.list.exit.2': { zh: '用法有误，或 --pubkey 不是可读的 Ed25519 公钥', en: 'usage error, or --pubkey is not a readable Ed25519 public key' },

  // ---- report (the annual report) ----
  'report.summary': {
    zh: '由多份签名报告生成年度自查报告：按 --out 的扩展名写成 .json、.md、.html、.xlsx 或 .docx；有文件未计入时退出码为 1',
    en: 'the annual report (年度自查报告) from many signed reports: .json, .md, .html, .xlsx or .docx by the --out extension; exit 1 when some file was not counted',
  },
  'report.desc': {
    zh:
      '核验各目录中每份检查报告的签名，汇总为年度自查报告：按 --out 的扩展名写成 .json、.md、.html、.xlsx 或 .docx。' +
      '未签名、被改动、由未知密钥签名或不是检查报告的文件不计入，并逐个列出原因。' +
      '报告默认为中文，给出 --lang 「en」 时为英文。',
    en:
      'Verify the signature of every report in the folders and aggregate them into the annual report (年度自查报告): ' +
      '.json, .md, .html, .xlsx or .docx by the --out extension. A file unsigned, altered, signed by an unknown key ' +
      'or not a report is not counted, and listed with its reason. The report is in Chinese unless --lang en is given.',
  },
  'report.arg.dirs': { zh: '存放签名报告的目录（包括子目录）', en: 'folders of signed reports (searched recursively)' },
  'report.opt.pubkey': { zh: '报告必须由其签名的公钥（PEM 格式，即各工具包的公钥；可给多个）', en: "public keys (PEM) the reports must be signed with (the kits' keys)" },
  'report.opt.out': { zh: '要写的报告：.json、.md、.html、.xlsx 或 .docx', en: 'the report to write: .json, .md, .html, .xlsx or .docx' },
  'report.opt.year': { zh: '只统计这一年（UTC）的检查', en: 'count only scans of this year (UTC)' },
  'report.opt.previous': { zh: '上一期报告所在的目录，用于整改情况（已整改、未整改、新发现）', en: "the previous period's report folders, for rectification (fixed / still open / new)" },
  'report.opt.key': { zh: '用这个私钥为年度报告签名（写出 文件.sig；上级用对应公钥以 baomi verify 核验）', en: 'sign the annual report with this private key (writes FILE.sig; checked with baomi verify and the public key)' },
  'report.opt.ledger': { zh: '各单位的台账：列出登记在册但从未在任何计算机上出现的介质', en: "the units' ledgers (台账): registered media never seen on any computer" },
  'report.examples': {
    zh:
      '# 汇总本年度各工具包带回的报告，写成 .docx 文档\n' +
      '$ baomi report reports/2026/ --pubkey keys/kit1.pub keys/kit2.pub --out 年度报告.docx --year 2026\n' +
      '# 与上一年度比较整改情况，并按台账核对介质\n' +
      '$ baomi report reports/2026/ --pubkey keys/kit1.pub --previous reports/2025/ --ledger 台账.xlsx --out 年度报告.html',
    en:
      "# this year's reports from the kits, as a Word document\n" +
      '$ baomi report reports/2026/ --pubkey keys/kit1.pub keys/kit2.pub --out annual.docx --year 2026 --lang en\n' +
      "# rectification against last year's reports, media checked against the ledger\n" +
      '$ baomi report reports/2026/ --pubkey keys/kit1.pub --previous reports/2025/ --ledger ledger.xlsx --out annual.html',
  },
  'report.exit.0': { zh: '已写出，每份报告都计入', en: 'written, every report counted' },
  'report.exit.1': {
    zh: '已写出，但有文件未计入（未签名、被改动、密钥未知、不是检查报告等；原因见标准错误输出）',
    en: 'written, but some file was not counted (unsigned, altered, unknown key, not a report…; the reasons are on stderr)',
  },
  'report.exit.2': {
    zh: '用法有误：没有目录或 --pubkey，--out 扩展名不对，--year 不是四位年份，公钥或台账无法使用，或报告无法写入',
    en: 'usage error: no folder or --pubkey, a wrong --out extension, --year not a four-digit year, an unusable key or ledger, or the report cannot be written',
  },

  // ---- keys ----
  'keys.summary': { zh: '管理签名密钥', en: 'manage signing keys' },
  'keys.examples': {
    zh: '# 为本单位生成一对签名密钥\n$ baomi keys generate --out keys',
    en: "# create the unit's signing key pair\n$ baomi keys generate --out keys",
  },
  'keys.exit.0': { zh: '显示了帮助；其他退出码见各子命令', en: 'help shown; the subcommands have their own' },
  'keys.exit.2': { zh: '未知的子命令或选项', en: 'unknown subcommand or flag' },
  'keys.generate.summary': { zh: '创建 Ed25519 密钥对：目录/baomi.key（私钥，权限 0600）和 目录/baomi.pub', en: 'create an Ed25519 key pair: DIR/baomi.key (private, 0600) and DIR/baomi.pub' },
  'keys.generate.opt.out': { zh: '密钥文件所在的目录', en: 'folder for the key files' },
  'keys.generate.opt.force': { zh: '覆盖已有的密钥', en: 'overwrite an existing key' },
  'keys.generate.examples': {
    zh: '# 生成密钥对，把 keys/baomi.pub 交给核验报告的人\n$ baomi keys generate --out keys\n# 检查时用这把私钥签名\n$ baomi scan --key keys/baomi.key',
    en: '# create a key pair; give keys/baomi.pub to whoever verifies reports\n$ baomi keys generate --out keys\n# sign scans with it\n$ baomi scan --key keys/baomi.key',
  },
  'keys.generate.exit.0': { zh: '已创建；标准输出上打印密钥编号和两个文件的路径', en: 'created; the key id and both paths are printed' },
  'keys.generate.exit.2': { zh: '密钥已存在（未给 --force），或目录无法写入', en: 'a key is already there (no --force), or the folder cannot be written' },
  'keys.private': { zh: '私钥：{path}', en: 'private key: {path}' },
  'keys.public': { zh: '公钥：{path}', en: 'public key:  {path}' },
  'keys.err.exists': { zh: '{path} 已存在，不覆盖签名密钥（用 --force 覆盖）', en: '{path} already exists; not overwriting a signing key' },
  'keys.err.read': { zh: '无法读取签名密钥 {path}', en: 'cannot read signing key {path}: {message}' },
  'keys.err.symlink': { zh: '签名密钥 {path} 是符号链接：请给出密钥文件本身', en: 'signing key {path} is a symbolic link: give the key file itself, not a link to it' },
  'keys.err.notFile': { zh: '签名密钥 {path} 不是普通文件', en: 'signing key {path} is not a regular file' },
  'keys.err.mode': { zh: '签名密钥 {path} 其他用户可读（权限 {mode}）：能读到它的人都能签发报告；用「chmod 600 {path}」修正', en: 'signing key {path} is readable by others (permissions {mode}): anyone who can read it can sign reports; fix with: chmod 600 {path}' },
  'keys.err.notPrivate': { zh: '{path} 不是 PEM/DER 格式的私钥', en: '{path} is not a private key in PEM/DER form' },
  'keys.err.notEd25519': { zh: '{path} 不是 Ed25519 密钥（本工具用 Ed25519 签名）', en: '{path} is not an Ed25519 key; baomi signs with Ed25519' },
  'keys.err.readPublic': { zh: '无法读取公钥 {path}', en: 'cannot read public key {path}' },
  'keys.err.noCreateLive': { zh: '{path} 没有签名密钥；在被检查的电脑上不新建密钥（那会写入这台电脑）：请从检查工具优盘运行，或用 --key 指定', en: 'no signing key at {path}, and none is made on the inspected machine (that would write on it): run from the kit, or give --key' },
  'keys.err.notPublic': { zh: '{path} 不是 Ed25519 公钥', en: '{path} is not an Ed25519 public key' },
  'keys.err.other': { zh: '签名密钥有误', en: 'signing key problem' },

  // ---- ledger ----
  'ledger.summary': { zh: '本单位计算机和存储介质台账', en: "the unit's register of computers and removable media (台账)" },
  'ledger.examples': {
    zh: '# 检查台账文件\n$ baomi ledger validate 台账.xlsx',
    en: '# check a ledger file\n$ baomi ledger validate ledger.xlsx',
  },
  'ledger.exit.0': { zh: '显示了帮助；其他退出码见各子命令', en: 'help shown; the subcommands have their own' },
  'ledger.exit.2': { zh: '未知的子命令或选项', en: 'unknown subcommand or flag' },
  'ledger.validate.summary': {
    zh: '检查台账文件（XLSX、UTF-8 或 GBK 编码的 CSV、YAML）：列出每个问题及其所在行',
    en: 'check a ledger file (XLSX, CSV in UTF-8 or GBK, YAML): every problem with its row',
  },
  'ledger.validate.arg.file': { zh: '台账文件', en: 'the ledger file' },
  'ledger.validate.examples': {
    zh: '# 检查台账，中文提示\n$ baomi ledger validate 台账.xlsx --lang zh\n# 检查 GBK 编码的 CSV 台账\n$ baomi ledger validate 台账.csv',
    en: '# check a ledger\n$ baomi ledger validate ledger.xlsx\n# a CSV ledger saved by Excel in GBK\n$ baomi ledger validate ledger.csv',
  },
  'ledger.validate.exit.0': { zh: '台账可用（可能有警告）', en: 'the ledger can be used (there may be warnings)' },
  'ledger.validate.exit.2': { zh: '台账有错误（每个错误带文件名和行号），或无法读取', en: 'the ledger has errors (each with file and row), or cannot be read' },
  'ledger.severity.error': { zh: '错误', en: 'error' },
  'ledger.severity.warning': { zh: '警告', en: 'warning' },
  'ledger.noLevel': { zh: '未注明等级 {n}', en: 'no level {n}' },
  'ledger.summaryLine': {
    zh: '{file}：介质 {media} 件{mediaByClass}；计算机 {computers} 台{computersByClass}{noUsb}{notInUse}',
    en: '{file}: {media} media{mediaByClass}, {computers} {computers|computer|computers}{computersByClass}{noUsb}{notInUse}',
  },
  'ledger.byClass': { zh: '（{parts}）', en: ' ({parts})' },
  'ledger.noUsb': { zh: '，其中禁止 USB 存储 {n} 台', en: ', {n} with USB storage forbidden' },
  'ledger.notInUse': { zh: '；不在用（停用/报废/丢失等）{n} 条', en: '; {n} not in use (retired, destroyed, lost…)' },
  'ledger.bad': { zh: '台账有 {errors} 个错误、{warnings} 个警告：改正错误后才能用于检查', en: '{errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}: fix the errors before using this ledger' },
  'ledger.ok': { zh: '台账可用（{warnings} 个警告）', en: 'ok ({warnings} {warnings|warning|warnings})' },
  'ledger.delim.comma': { zh: '逗号分隔', en: 'comma' },
  'ledger.delim.tab': { zh: '制表符分隔', en: 'tab' },
  'ledger.delim.semicolon': { zh: '分号分隔', en: 'semicolon' },

  // ---- rules ----
  'rules.summary': { zh: '列出、显示、检查和测试规则', en: 'list, show and validate rules' },
  'rules.examples': {
    zh: '# 列出内网计算机适用的规则\n$ baomi rules list --profile 内网\n# 检查并测试本单位的规则文件\n$ baomi rules validate 本单位规则/\n$ baomi rules test 本单位规则/',
    en: "# the rules for intranet computers\n$ baomi rules list --profile intranet\n# check and test the unit's own rule files\n$ baomi rules validate unit-rules/\n$ baomi rules test unit-rules/",
  },
  'rules.exit.0': { zh: '显示了帮助；其他退出码见各子命令', en: 'help shown; the subcommands have their own' },
  'rules.exit.2': { zh: '未知的子命令或选项', en: 'unknown subcommand or flag' },
  'rules.opt.rules': { zh: '追加规则文件或目录（可重复）', en: 'add a rule file or folder (repeatable)' },
  'rules.list.summary': { zh: '列出规则（内置规则和 --rules 追加的规则）', en: 'list the rules (built-in plus --rules)' },
  'rules.list.opt.profile': { zh: '只列出适用于这一类计算机的规则', en: 'only rules of this machine class' },
  'rules.list.examples': {
    zh: '# 全部规则（编号、检查项、各类计算机的严重程度、标题）\n$ baomi rules list\n# 涉密计算机适用的规则，含本单位追加的规则\n$ baomi rules list --profile 涉密 --rules 本单位规则/',
    en: '# every rule (id, probe, severity per class, title)\n$ baomi rules list\n# the rules for classified computers, with the unit\'s own\n$ baomi rules list --profile classified --rules unit-rules/',
  },
  'rules.list.exit.0': { zh: '已列出', en: 'listed' },
  'rules.list.exit.2': { zh: '规则文件有问题，或 --profile 有误', en: 'a rule file has problems, or --profile is wrong' },
  'rules.show.summary': { zh: '以 YAML 格式显示一条规则', en: 'show one rule as YAML' },
  'rules.show.arg.id': { zh: '规则编号（见 baomi rules list）', en: 'the rule id (see baomi rules list)' },
  'rules.show.examples': { zh: '# 显示一条内置规则\n$ baomi rules show machine-unidentifiable', en: '# one built-in rule\n$ baomi rules show machine-unidentifiable' },
  'rules.show.exit.0': { zh: '已显示', en: 'shown' },
  'rules.show.exit.2': { zh: '没有这个编号的规则，或规则文件有问题', en: 'no rule with that id, or a rule file has problems' },
  'rules.validate.summary': { zh: '检查规则文件（列出每个问题及其文件名和行号）', en: 'check rule files (every problem, with file and line)' },
  'rules.validate.arg.paths': { zh: '规则文件或目录', en: 'rule files or folders' },
  'rules.validate.examples': { zh: '# 检查本单位的规则目录\n$ baomi rules validate 本单位规则/', en: "# check the unit's rule folder\n$ baomi rules validate unit-rules/" },
  'rules.validate.exit.0': { zh: '规则文件没有问题', en: 'the rule files are fine' },
  'rules.validate.exit.2': { zh: '有问题（每个问题带文件名:行:列）', en: 'problems (each as file:line:column)' },
  'rules.test.summary': {
    zh: '运行规则中的用例（一台计算机、一项观察、预期的判定）',
    en: "run the rules' cases (a machine, an observation, the expected verdict)",
  },
  'rules.test.arg.paths': { zh: '规则文件或目录', en: 'rule files or folders' },
  'rules.test.examples': { zh: '# 运行本单位规则的用例\n$ baomi rules test 本单位规则/', en: "# run the cases of the unit's rules\n$ baomi rules test unit-rules/" },
  'rules.test.exit.0': { zh: '每个用例都得到预期的判定', en: 'every case gives its expected verdict' },
  'rules.test.exit.1': { zh: '有用例未通过，或有规则没有用例，或没有找到规则', en: 'a case failed, a rule has no case, or no rule was found' },
  'rules.test.exit.2': { zh: '规则文件无法加载（未运行任何用例）', en: 'the files do not load (no case was run)' },
  'rules.warning': { zh: '警告：{message}', en: 'warning: {message}' },
  'rules.err.problems': { zh: '规则文件有 {n} 个问题', en: '{n} problem(s) in rule files' },
  'rules.err.noRule': { zh: '没有编号为「{id}」的规则（见 baomi rules list）', en: 'no rule with id "{id}" (see: baomi rules list)' },
  'rules.validate.problems': { zh: '共 {n} 个问题', en: '{n} problem(s)' },
  'rules.validate.ok': { zh: '没有问题：{files} 个文件，{rules} 条规则', en: 'ok: {files} file(s), {rules} rule(s)' },
  'rules.test.problems': { zh: '共 {n} 个问题；未运行任何用例', en: '{n} problem(s); no case was run' },
  'rules.test.ok': { zh: '通过  {rule}：{name}', en: 'ok    {rule}: {name}' },
  'rules.test.fail': { zh: '失败  {rule}：{name}（{at}）：预期 {want}，实际 {got}', en: 'FAIL  {rule}: {name} ({at}): expected {want}, got {got}' },
  'rules.test.noCases': { zh: '失败  {rule}（{at}）：这条规则没有用例', en: 'FAIL  {rule} ({at}): the rule has no cases' },
  'rules.test.summaryLine': {
    zh: '通过 {passed}，失败 {failed}，规则 {rules} 条，其中 {without} 条没有用例',
    en: '{passed} passed, {failed} failed, {rules} rule(s), {without} without cases',
  },
} as const satisfies Record<string, Words>;

export type CliKey = keyof typeof CLI_WORDS;

/** Values put into a text's `{name}` slots. */
export type CliVars = Readonly<Record<string, string | number>>;

function fill(text: string, vars: CliVars | undefined): string {
  if (!vars) return text;
  return text
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (all, name: string, one: string, many: string) => (name in vars ? (Number(vars[name]) === 1 ? one : many) : all))
    .replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

/** A catalogue entry with its slots filled, in both languages (for an error rendered later). */
export function cliWords(key: CliKey, vars?: CliVars): Words {
  const w: Words = CLI_WORDS[key];
  return { zh: fill(w.zh, vars), en: fill(w.en, vars) };
}

/** A catalogue entry in one language, its slots filled. */
export function cliText(key: CliKey, lang: 'zh' | 'en', vars?: CliVars): string {
  return fill(CLI_WORDS[key][lang], vars);
}

/** Whether `key` is in the catalogue (for keys a helper builds from a prefix). */
export function isCliKey(key: string): key is CliKey {
  return Object.prototype.hasOwnProperty.call(CLI_WORDS, key);
}
