// Messages the engine and the probes emit as a key with parameters (a `Msg`), rendered by the
// reports in the report's language. The JSON keeps the key, the parameters and the English text
// side by side (`text`), so that a reader of the JSON needs no catalogue, and the reports never
// translate English by matching it.
//
// Parameters that are identifiers or device strings (a driver, an interface, a device's name, a
// VID:PID) are shown as they are; in Chinese a device or driver name is set in 「」 so that a reader
// (and the report tests) see it is quoted from the machine, not a word of the report.

export type MsgParams = Readonly<Record<string, string | number>>;

/** A message: catalogue key, parameters, and its English text (for the JSON). */
export interface Msg {
  key: string;
  params?: MsgParams;
  text: string;
}

interface Entry {
  zh: (p: MsgParams) => string;
  en: (p: MsgParams) => string;
}

const s = (p: MsgParams, k: string): string => String(p[k] ?? '?');

const MODE_ZH: Readonly<Record<string, string>> = { live: '在线', offline: '离线' };
const OS_NAME: Readonly<Record<string, string>> = { windows: 'Windows', linux: 'Linux' };

export const MESSAGES: Readonly<Record<string, Entry>> = {
  // ── the engine: why a probe did not run, or did not finish
  'probe.mode': {
    zh: (p) => `只在${String(p['modes']).split('/').map((m) => MODE_ZH[m] ?? m).join('或')}检查时运行，本次为${MODE_ZH[s(p, 'mode')] ?? s(p, 'mode')}检查`,
    en: (p) => `runs only on ${s(p, 'modes')} targets, this scan is ${s(p, 'mode')}`,
  },
  'probe.no-os-offline': { zh: () => '该磁盘上没有操作系统', en: () => 'no operating system on this volume' },
  'probe.os-unknown': { zh: () => '无法识别本机的操作系统', en: () => 'the operating system of this machine could not be recognised' },
  'probe.no-collector': { zh: () => '不支持该操作系统', en: (p) => `no collector for ${s(p, 'family')} targets` },
  // a rule about settings of one OS family (`platforms:` in the rule file), on a target of another
  'rule.platform': {
    zh: (p) => `该项只检查${s(p, 'platforms').split('/').map((f) => `「${OS_NAME[f] ?? f}」`).join('或')}系统，本机是「${OS_NAME[s(p, 'family')] ?? s(p, 'family')}」系统`,
    en: (p) => `checks ${s(p, 'platforms').split('/').map((f) => OS_NAME[f] ?? f).join(' or ')} settings only, this machine runs ${OS_NAME[s(p, 'family')] ?? s(p, 'family')}`,
  },
  'probe.interrupted': { zh: () => '检查被中断', en: () => 'interrupted' },
  'probe.interrupted-partial': {
    zh: (p) => `检查被中断；保留了中断前的 ${s(p, 'observations')} 项结果`,
    en: (p) => `interrupted; the ${s(p, 'observations')} result(s) found before are kept`,
  },
  'probe.timeout': { zh: (p) => `未在时限内完成（${s(p, 'ms')} 毫秒）`, en: (p) => `did not finish within ${s(p, 'ms')} ms` },
  'probe.timeout-partial': {
    zh: (p) => `未在时限内完成（${s(p, 'ms')} 毫秒）；保留了超时前的 ${s(p, 'observations')} 项结果`,
    en: (p) => `did not finish within ${s(p, 'ms')} ms; the ${s(p, 'observations')} result(s) found before are kept`,
  },
  'probe.error': { zh: () => '检查出错（错误详情见 JSON 报告）', en: (p) => s(p, 'detail') },

  // ── why an adapter was judged wireless (wireless.adapters `matchedBy`)
  'wireless.pci-class': { zh: (p) => `PCI 类代码 ${s(p, 'class')}（无线控制器）`, en: (p) => `PCI class ${s(p, 'class')}` },
  'wireless.pci-class-windows': { zh: () => 'PCI 类代码 0280 或 0D（无线控制器）', en: () => 'PCI class code 0280/0D (wireless)' },
  'wireless.usb-class': { zh: () => 'USB 类代码 E0（无线控制器）', en: () => 'USB class e0 (wireless controller)' },
  'wireless.usb-class-windows': { zh: () => 'USB 类代码 E0（无线控制器）', en: () => 'USB class E0 (wireless controller)' },
  'wireless.known-usb': {
    zh: (p) => `USB 设备 ${s(p, 'vid')}:${s(p, 'pid')} 在已知无线设备列表中「${s(p, 'name')}」`,
    en: (p) => s(p, 'source'),
  },
  'wireless.sysfs-net': { zh: () => '网络接口具有无线扩展', en: () => 'network interface with wireless extensions' },
  'wireless.sysfs-ieee80211': { zh: () => 'IEEE 802.11 无线设备', en: () => 'IEEE 802.11 radio (ieee80211 class)' },
  'wireless.sysfs-bluetooth': { zh: () => '蓝牙控制器', en: () => 'Bluetooth controller (bluetooth class)' },
  'wireless.sysfs-wwan': { zh: () => '蜂窝调制解调器（移动网络）', en: () => 'cellular modem (wwan class)' },
  'wireless.rfkill': { zh: (p) => `射频开关（类型「${s(p, 'type')}」）`, en: (p) => `rfkill switch of type ${s(p, 'type')}` },
  'wireless.bluetoothd-folder': { zh: () => '蓝牙服务的适配器目录 /var/lib/bluetooth/<地址>', en: () => 'bluetoothd adapter folder /var/lib/bluetooth/<address>' },
  'wireless.log-controller': {
    zh: (p) => `内核日志：蓝牙控制器 ${s(p, 'iface')} 已注册`,
    en: (p) => `kernel log: Bluetooth controller ${s(p, 'iface')} registered ("Bluetooth: ${s(p, 'iface')}: …")`,
  },
  'wireless.log-phy': {
    zh: (p) => `内核日志：802.11 无线设备 ${s(p, 'iface')} 已注册`,
    en: (p) => `kernel log: 802.11 radio ${s(p, 'iface')} registered ("ieee80211 ${s(p, 'iface')}: …")`,
  },
  'wireless.log-association': {
    zh: (p) => `内核日志：无线网卡 ${s(p, 'iface')} 曾连接或认证到无线接入点`,
    en: (p) => `kernel log: Wi-Fi interface ${s(p, 'iface')} associated or authenticated with an access point`,
  },
  'wireless.log-link': { zh: (p) => `内核日志：无线网卡 ${s(p, 'iface')} 已启用`, en: (p) => `kernel log: Wi-Fi interface ${s(p, 'iface')} brought up` },
  'wireless.log-firmware': { zh: (p) => `内核日志：驱动「${s(p, 'driver')}」加载了固件`, en: (p) => `kernel log: ${s(p, 'driver')} loaded firmware` },
  'wireless.log-driver': {
    zh: (p) => `内核日志：${p['kind'] === 'wifi' ? '无线网卡' : '蓝牙'}驱动「${s(p, 'driver')}」${p['device'] !== undefined ? `（设备 ${s(p, 'device')}）` : ''}`,
    en: (p) => `kernel log: ${p['kind'] === 'wifi' ? 'Wi-Fi' : 'Bluetooth'} driver ${s(p, 'driver')}${p['device'] !== undefined ? ` on device ${s(p, 'device')}` : ''}`,
  },
  'wireless.log-usb-known': {
    zh: (p) => `内核日志：接入 USB 设备 ${s(p, 'vid')}:${s(p, 'pid')}，在已知无线设备列表中「${s(p, 'name')}」`,
    en: (p) => `kernel log: USB ${s(p, 'vid')}:${s(p, 'pid')} attached — ${s(p, 'source')}`,
  },
  'wireless.log-usb-bound': {
    zh: (p) => `内核日志：USB 设备 ${s(p, 'vid')}:${s(p, 'pid')}（端口 ${s(p, 'busPath')}）由无线驱动「${s(p, 'driver')}」接管`,
    en: (p) => `kernel log: USB ${s(p, 'vid')}:${s(p, 'pid')} at ${s(p, 'busPath')} bound by the wireless driver ${s(p, 'driver')}`,
  },
  'wireless.win-iftype-80211': { zh: () => '网络接口类型 71（IEEE 802.11 无线网络）', en: () => '*IfType 71 (IEEE 802.11)' },
  'wireless.win-iftype-wwan': { zh: (p) => `网络接口类型 ${s(p, 'ifType')}（移动宽带）`, en: (p) => `*IfType ${s(p, 'ifType')} (WWAN)` },
  'wireless.win-desc-wifi': { zh: () => '网卡描述表明是无线网卡', en: () => 'network adapter description says wireless' },
  'wireless.win-desc-wwan': { zh: () => '网卡描述表明是移动宽带网卡', en: () => 'network adapter description says mobile broadband' },
  'wireless.win-bt-net': {
    zh: () => '蓝牙网络适配器（个人局域网或串口仿真）：曾安装蓝牙协议栈',
    en: () => 'Bluetooth network adapter (PAN/RFCOMM): the Bluetooth stack was installed',
  },
  'wireless.win-bt-class': { zh: () => '设备类别为蓝牙 {e0cbf06c-…}', en: () => 'device class Bluetooth {e0cbf06c-…}' },
  'wireless.win-bthusb': { zh: () => '驱动服务 BTHUSB（蓝牙无线电）', en: () => 'driver service BTHUSB (Bluetooth radio)' },
  'wireless.win-live-media': {
    zh: (p) => `网卡当前的物理介质类型为「${s(p, 'type')}」（无线）`,
    en: (p) => `network adapter's physical media type now: ${s(p, 'type')}`,
  },
  'wireless.win-orphan-net-key': { zh: () => '只有网卡驱动记录，没有对应的设备记录', en: () => 'network driver key without a device instance' },
};

/** A message of the catalogue (its English text kept beside the key for the JSON). */
export function msg(key: string, params?: MsgParams): Msg {
  const e = MESSAGES[key];
  if (e === undefined) throw new Error(`no message ${key} in the catalogue`);
  return params !== undefined && Object.keys(params).length > 0 ? { key, params, text: e.en(params) } : { key, text: e.en({}) };
}

/** Is this value a message (`{ key, text }` with a key of the catalogue)? */
export function isMsg(v: unknown): v is Msg {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as Msg).key === 'string' && typeof (v as Msg).text === 'string' && MESSAGES[(v as Msg).key] !== undefined;
}

/** A message in a language; an unknown key (a newer report) falls back to its English text. */
export function msgText(m: Msg, lang: 'zh' | 'en'): string {
  const e = MESSAGES[m.key];
  if (e === undefined) return m.text;
  return e[lang](m.params ?? {});
}
