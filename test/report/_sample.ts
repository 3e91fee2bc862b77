// A hand-built report for formatter and signing tests (no probe runs).
import type { Report } from '../../src/report/types.js';

export function sampleReport(signer: { keyId: string; publicKey: string } = { keyId: 'sha256:' + '0'.repeat(64), publicKey: '' }): Report {
  return {
    schema: 'baomi.report/1',
    tool: { name: 'baomi', version: '0.1.0' },
    scan: {
      id: '00000000-0000-4000-8000-000000000001',
      startedAt: '2026-11-23T08:00:00.123Z',
      finishedAt: '2026-11-23T08:00:05.456Z',
      profile: 'classified',
      profileAssumed: false,
      machineContext: {
        class: 'classified',
        level: '机密',
        levelRank: 2,
        source: 'ledger',
        levelSource: 'ledger',
        reason: { zh: '台账 台账.xlsx[计算机]:3（编号 JSJ-001）按主机名与本机对应，登记为涉密（机密）', en: 'ledger row 台账.xlsx[计算机]:3 (id JSJ-001) matches this computer by host name and registers it as classified (机密)' },
        ledgerRow: { id: 'JSJ-001', at: '台账.xlsx[计算机]:3', matchedBy: 'hostname' },
        warnings: [],
      },
      mode: 'offline',
      root: '/mnt/target',
      os: { family: 'windows', detectedFrom: '/Windows/System32/config' },
      scanner: { hostname: 'kit', platform: 'linux-x64', node: 'v20.20.2' },
    },
    signer: { alg: 'Ed25519', ...signer },
    machine: { hostname: 'WS-张三-01', machineId: 'abc', os: { family: 'windows', name: 'Windows 10 Pro' }, macs: [], disks: [], sources: {} },
    unit: '某某局',
    department: '办公室',
    rules: { count: 2, digest: 'sha256:' + '1'.repeat(64), ids: ['usb-storage-unregistered', 'wireless-adapter-present'], files: ['rules/x.yaml'] },
    probes: [
      { id: 'identity', status: 'ok', durationMs: 12, observations: 1, rules: [] },
      { id: 'network.reachability', status: 'not-applicable', durationMs: 0, message: 'runs only on live targets, this scan is offline', msg: { key: 'probe.mode', params: { modes: 'live', mode: 'offline' }, text: 'runs only on live targets, this scan is offline' }, observations: 0, rules: ['internet-reachable'] },
      { id: 'usb.history', status: 'timeout', durationMs: 30000, message: 'did not finish within 30000 ms', msg: { key: 'probe.timeout', params: { ms: 30000 }, text: 'did not finish within 30000 ms' }, observations: 0, rules: ['usb-storage-unregistered'] },
    ],
    findings: [
      {
        id: 'F-0123456789abcdef0123',
        ruleId: 'wireless-adapter-present',
        severity: 'high',
        title: { zh: '存在无线网卡', en: 'A wireless adapter is present' },
        basis: '自查自评 四(七)6',
        probe: 'wireless.adapters',
        evidence: { name: 'Broadcom 802.11n Network Adapter', ids: ['PCI\\VEN_14E4&DEV_4727'], where: { hive: 'SYSTEM', key: 'ControlSet001\\Control\\Class' } },
        remediation: { zh: '拆除无线模块。', en: 'Remove the wireless module.' },
      },
      {
        id: 'F-fedcba9876543210fedc',
        ruleId: 'machine-unidentifiable',
        severity: 'low',
        title: { zh: '无法唯一识别该计算机', en: 'Cannot identify the computer' },
        basis: '自查自评 四(七)11',
        probe: 'identity',
        evidence: { hostname: 'WS-张三-01' },
        remediation: { zh: '登记。', en: 'Register it.' },
      },
    ],
    inventory: {},
    coverage: [{ probe: 'usb.history', path: '/Windows/INF/setupapi.dev.log', kind: 'corrupt', reason: 'unreadable section at line 12', blocking: false }],
    summary: { findings: 2, bySeverity: { high: 1, medium: 0, low: 1, info: 0 }, complete: false, incomplete: ['probe usb.history timed out: did not finish within 30000 ms'], notChecked: { total: 1, blocking: 0, byKind: { encrypted: 1 } } },
  };
}
