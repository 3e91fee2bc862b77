// The message catalogue of the reports: every word an officer reads about what could not be
// checked, evidence labels and observation values, in both languages, in one place. The text and
// HTML reports take their words from here; a test fails when an entry lacks a language, and when a
// coverage kind some probe emits has no words here.

import { CHECKLIST_FIELDS, CHECKLIST_VALUES } from './messages-checklist.js';

export interface Words {
  zh: string;
  en: string;
}

/** What could not be checked, by coverage kind (a probe's English reason stays in the JSON). */
export const COVERAGE_KINDS: Readonly<Record<string, Words>> = {
  unreadable: { zh: '无法读取', en: 'unreadable' },
  timeout: { zh: '超时未读完', en: 'timed out' },
  'too-large': { zh: '超过大小上限', en: 'over the size budget' },
  'zip-bomb': { zh: '压缩炸弹（解压后过大）', en: 'zip bomb (expands too far)' },
  changed: { zh: '读取时被修改', en: 'changed while read' },
  encrypted: { zh: '已加密，需人工核查', en: 'encrypted: check by hand' },
  'no-text-layer': { zh: '图片或扫描件（无文字层，需人工核查）', en: 'pictures or scans without a text layer: check by hand' },
  unsupported: { zh: '不支持的格式', en: 'format not read' },
  'unsupported-format': { zh: '不支持的格式', en: 'format not read' },
  corrupt: { zh: '文件已损坏', en: 'damaged file' },
  partial: { zh: '只读取了一部分', en: 'read in part' },
  symlinks: { zh: '符号链接（未跟随）', en: 'symbolic links (not followed)' },
  'not-regular': { zh: '特殊文件（管道、设备等），未读取', en: 'special files (pipes, devices…), not read' },
  missing: { zh: '不存在', en: 'missing' },
  'not-found': { zh: '未找到', en: 'not found' },
  empty: { zh: '文件为空', en: 'empty file' },
  'missing-tool': { zh: '缺少工具', en: 'a tool is missing' },
  'not-recorded': { zh: '系统未记录', en: 'not recorded by the system' },
  'not-collected': { zh: '未能采集', en: 'not collected' },
  inconsistent: { zh: '记录前后不一致', en: 'records disagree' },
  undated: { zh: '记录无法确定日期', en: 'records without a date' },
  clock: { zh: '系统时钟可能不准', en: "the machine's clock looks wrong" },
  'no-ledger': { zh: '未提供台账，无法核对登记情况', en: 'no ledger: registration not judged' },
  'dirty-hive': { zh: '注册表未完整写入（事务日志不可用）', en: 'registry hive not cleanly written (no usable transaction log)' },
  'hive-damaged': { zh: '注册表文件损坏', en: 'registry hive damaged' },
  'hive-truncated': { zh: '注册表文件被截断', en: 'registry hive truncated' },
  'hive-replayed': { zh: '注册表已按事务日志恢复', en: 'registry hive replayed from its transaction logs' },
  'hive-check-incomplete': { zh: '注册表完整性检查未完成', en: 'registry integrity check not finished' },
  'empty-volume': { zh: '磁盘为空（是否已挂载？）', en: 'empty volume (is the disk mounted?)' },
  interrupted: { zh: '检查中途停止（被中断或超时），未读完', en: 'stopped before the end (interrupted or out of time)' },
  'nothing-checked': { zh: '没有任何检查项可执行', en: 'nothing could be checked' },
  'in-use-system': { zh: '运行中的 Windows 锁定或只允许系统自身打开的文件和文件夹（内存、休眠、注册表文件，还原点），未读取；请用检查工具离线检查', en: 'files and folders the running Windows keeps locked or to itself (memory, hibernation, registry, restore points), not read: scan offline with the kit' },
  'last-access-updated': { zh: '本机的 NTFS 会更新“上次访问时间”：读取可能改变了文件的访问时间（如需保留，请用检查工具离线检查）', en: 'NTFS here updates last-access times: reading may have changed them (scan offline with the kit to keep them)' },
  'volume-not-scanned': { zh: '本机的其他分区未能检查（已加密或无法挂载）', en: "another volume of this machine was not scanned (encrypted, or not mountable)" },
  'volume-elsewhere': { zh: '本机的其他分区另有报告', en: 'another volume of this machine has a report of its own' },
  'needs-admin': { zh: '需要管理员权限（未以管理员身份运行，未能读取）', en: 'needs administrator rights (not run as administrator: not read)' },
  'drive-not-scanned': { zh: '未检查的驱动器（检查工具所在盘、可移动盘、网络盘或光驱）', en: "drives not scanned (the kit's own, removable, network or optical)" },
  'access-times-changed': { zh: '读取可能改变了文件的访问时间（请以 root 运行，或只读挂载）', en: 'reading may have changed access times (run as root, or mount read-only)' },
};

/** Evidence and inventory field labels (zh); in English the field name itself is shown. */
export const FIELD_LABELS_ZH: Readonly<Record<string, string>> = {
  path: '路径', originalPath: '原路径', size: '大小', mtime: '修改时间', sha256: 'SHA-256', format: '格式', maxLevel: '最高密级',
  markings: '密级标志', level: '密级', text: '标志原文', where: '位置', key: '设备标识', vid: 'VID', pid: 'PID', serial: '序列号',
  vendor: '厂商', product: '型号', revision: '版本', manufacturer: '制造商', firstSeen: '首次连接', lastSeen: '最后连接',
  lastRemoved: '最后拔出', driveLetters: '盘符', volumeLabels: '卷标', volumeSerials: '卷序列号', users: '用户', ledger: '台账',
  status: '状态', name: '名称', kind: '类别', bus: '总线', driver: '驱动', presence: '存在情况', source: '来源', user: '用户',
  browser: '浏览器', internetVisits: '互联网访问次数', internetHosts: '互联网站点数', firstInternetVisit: '首次访问互联网',
  lastInternetVisit: '最后访问互联网', topHosts: '常访问站点', hostname: '主机名', remote: '远程地址', remotePort: '远程端口',
  process: '进程', reachable: '可达', pathBytes: '路径原始字节', pathEncoding: '路径编码', sources: '来源',
  medium: '网络类型', created: '创建时间', lastConnected: '最后连接', timesAreLocal: '时间为本地时间', address: '地址',
  firstUsed: '首次使用', lastUsed: '最后使用', gatewayMac: '网关 MAC', matchedBy: '识别依据', firstInstall: '首次安装',
  lastArrival: '最后接入', lastRemoval: '最后移除', ifaces: '接口', rfkill: '射频开关', driverBound: '驱动已加载',
  profile: '配置', typed: '输入网址数', internetTyped: '输入的互联网网址数', hosts: '站点', paired: '已配对', security: '加密方式',
  iface: '接口', storage: '存储设备', phone: '手机', attachedNow: '当前接入', interfaceClasses: '接口类别', serialRaw: '原始序列号', instanceId: '设备实例 ID', service: '驱动服务', pnpClass: '设备类别', linkState: '连接状态',
  proto: '协议', local: '本地地址', localPort: '本地端口', state: '状态', reachableTargets: '可达目标数', targets: '目标数',
  dnsResolved: '已解析域名数', defaultRoute: '默认路由', proxy: '代理', wal: 'WAL 日志', urls: '网址', firstSeenUtc: '首次连接（UTC）',
  connections: '连接次数', detail: '详情', friendlyName: '设备名称', serialUnique: '序列号唯一', category: '网络类别', guid: 'GUID',
  keyPath: '注册表键', managed: '受管', nameType: '类型代码', url: '网址', host: '站点', visits: '访问次数', ssid: 'SSID',
  interface: '网卡', mac: 'MAC',
  offset: '位置偏移', pattern: '标志形式', keyLastWrite: '键最后写入时间', family: '浏览器类型', schemaVersion: '数据库版本',
  totalVisits: '访问总次数', firstVisit: '首次访问', lastVisit: '最后访问', disabled: '已禁用', logLines: '日志行数', attaches: '接入次数',
  timesAreUtc: '时间为协调世界时', matchedBySerial: '按序列号识别', pathsTruncated: '路径被截断', autoConnect: '自动连接', id: '标识',
  warnings: '警告', trusted: '已信任', deviceClass: '设备类别码', adapter: '本机蓝牙适配器', ids: '设备 ID', stateSecret: '国家秘密', internal: '内部', keyword: '关键词', levels: '密级', maxRank: '最高密级等级',
};

/** Observation values an officer reads (enumerations), in Chinese; others are shown as they are. */
export const VALUE_WORDS_ZH: Readonly<Record<string, string>> = {
  wifi: '无线网卡', bluetooth: '蓝牙', wwan: '无线上网卡', receiver: '无线键鼠接收器', radio: '无线模块',
  'wifi-network': '保存的无线网络', 'bluetooth-device': '配对的蓝牙设备', 'hostapd-config': '无线热点配置',
  browser: '浏览器记录', 'network-profile': '网络配置', 'typed-urls': '输入的网址',
  tcp: '「TCP」', tcp6: '「TCP」（「IPv6」）', udp: '「UDP」', udp6: '「UDP」（「IPv6」）', ESTABLISHED: '已建立连接',
  up: '已连通', down: '未连通', disconnected: '已断开', 'not-present': '设备不在', testing: '测试中', dormant: '休眠', 'lower-layer-down': '下层未连通',
  present: '当前存在', 'present-at-last-boot': '上次开机时存在', installed: '曾安装（已移除）', recorded: '系统有记录',
  mobile: '移动网络', wireless: '无线', wired: '有线', other: '其他',
  registered: '已登记', unregistered: '未登记', unjudgeable: '无法核对', 'not-judged': '未核对',
  classified: '涉密', intranet: '内网', nonclassified: '非涉密', true: '是', false: '否',
  virtual: '虚拟设备', platform: '主板集成', sdio: 'SDIO', unknown: '未知', pci: 'PCI', usb: 'USB',
  unblocked: '未阻断', 'soft-blocked': '软件阻断', 'hard-blocked': '硬件阻断',
};

/**
 * Fields whose values are a parser's English details (a browser history's `warnings`): a Chinese
 * report shows how many there are and where to read them; the JSON keeps them.
 */
export const DETAIL_FIELDS: ReadonlySet<string> = new Set(['warnings']);

export function detailCountZh(n: number): string {
  return `${n} 条（详情见 JSON 报告）`;
}

/** The words of a coverage kind, or the kind itself when it has none (a test keeps that from happening). */
export function kindWords(kind: string, lang: 'zh' | 'en'): string {
  return COVERAGE_KINDS[kind]?.[lang] ?? kind;
}

export { MESSAGES, isMsg, msg, msgText, type Msg, type MsgParams } from './messages-keys.js';
export * from './messages-checklist.js';

/** The Chinese label of an evidence or inventory field, from every part of the catalogue. */
export function fieldLabelZh(k: string): string | undefined {
  return FIELD_LABELS_ZH[k] ?? CHECKLIST_FIELDS[k]?.zh;
}

/** The Chinese word for an observation value (an enumeration or a yes/no), from every part of the catalogue. */
export function valueWordZh(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'boolean' ? (VALUE_WORDS_ZH[String(v)] ?? CHECKLIST_VALUES[String(v)]?.zh) : undefined;
}
export * from './messages-cli.js';
export * from './messages-markings.js';
export * from './messages-kit.js';
export * from './messages-annual.js';
