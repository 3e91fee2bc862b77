// Generated per-machine reports for the annual report's tests: hand-built `baomi.report/1` objects
// (the shape src/report/build.ts makes), signed as scan signs them (Ed25519 over the exact bytes of
// the .json, base64 in .json.sig). Made here, in the test, with a key made in the test.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, Severity } from '../../src/engine/types.js';
import type { Profile } from '../../src/engine/vocab.js';
import { prettyJson } from '../../src/report/json.js';
import { signatureText } from '../../src/report/sign.js';
import type { Report } from '../../src/report/types.js';
import { keyIdOf, publicKeyBase64 } from '../../src/sign/keys.js';

export interface Kit {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export function makeKit(): Kit {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export const RULES: Record<string, { zh: string; en: string; probe: string; severity: Severity }> = {
  'wireless-adapter-present': { zh: '存在无线模块', en: 'A wireless module is present', probe: 'wireless.adapters', severity: 'high' },
  'usb-storage-unregistered': { zh: '使用未登记的USB存储设备', en: 'Unregistered USB storage', probe: 'usb.history', severity: 'high' },
  'internet-history': { zh: '存在互联网使用痕迹', en: 'Signs of internet use', probe: 'network.history', severity: 'medium' },
  'machine-unidentifiable': { zh: '无法唯一识别该计算机', en: 'Cannot identify the computer', probe: 'identity', severity: 'low' },
};

export interface MachineSpec {
  host: string;
  machineId?: string;
  unit?: string;
  department?: string;
  profile: Profile;
  startedAt: string;
  /** Findings as `ruleId:item`; the id is stable per machine + rule + item. */
  findings?: string[];
  /** USB storage serials the machine recorded, with their ledger standing. */
  usb?: Array<{ serial: string; status?: string }>;
  /** Probes that failed (the scan is then incomplete). */
  failed?: string[];
}

function fid(machine: string, rule: string, item: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${machine}|${rule}|${item}`) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return `F-${h.toString(16).padStart(8, '0')}${'0'.repeat(12)}`;
}

export function synthReport(s: MachineSpec, kit: Kit): Report {
  const mid = s.machineId ?? `mid-${s.host}`;
  const findings: Finding[] = (s.findings ?? []).map((spec) => {
    const [ruleId, item = 'x'] = spec.split(':');
    const r = RULES[ruleId!]!;
    return { id: fid(mid, ruleId!, item), ruleId: ruleId!, severity: r.severity, title: { zh: r.zh, en: r.en }, basis: '自查自评', probe: r.probe, evidence: { name: item }, remediation: { zh: '整改。', en: 'Fix it.' } };
  });
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const failed = new Set(s.failed ?? []);
  const probes = ['identity', 'wireless.adapters', 'usb.history', 'network.history'].map((id) => ({
    id, status: failed.has(id) ? ('error' as const) : ('ok' as const), durationMs: 1, observations: 0, rules: Object.keys(RULES).filter((r) => RULES[r]!.probe === id), ...(failed.has(id) ? { message: 'boom' } : {}),
  }));
  return {
    schema: 'baomi.report/1',
    tool: { name: 'baomi', version: '0.1.0' },
    scan: {
      id: `scan-${s.host}-${s.startedAt}`,
      startedAt: s.startedAt,
      finishedAt: s.startedAt,
      profile: s.profile,
      profileAssumed: false,
      machineContext: { class: s.profile, ...(s.profile === 'classified' ? { level: '秘密' as const } : {}), levelRank: s.profile === 'classified' ? 1 : 0, source: 'flag', reason: { zh: '参数', en: 'flag' }, warnings: [] },
      mode: 'offline',
      root: '/mnt/x',
      os: { family: 'windows', detectedFrom: null },
      scanner: { hostname: 'kit', platform: 'linux-x64', node: 'v20' },
    },
    signer: { alg: 'Ed25519', keyId: kit.keyId, publicKey: publicKeyBase64(kit.publicKey) },
    machine: { hostname: s.host, machineId: mid, os: { family: 'windows', name: 'Windows 10' } },
    ...(s.unit !== undefined ? { unit: s.unit } : {}),
    ...(s.department !== undefined ? { department: s.department } : {}),
    rules: { count: 4, digest: 'sha256:0', ids: Object.keys(RULES).sort(), files: [] },
    probes,
    findings,
    inventory: {
      usbDevices: (s.usb ?? []).map((u) => ({ key: `usb:0781:5580:${u.serial}`, vid: '0781', pid: '5580', product: 'Extreme', serial: u.serial, serialUnique: true, storage: true, phone: false, ledger: { status: u.status ?? 'not-judged' } })),
    },
    coverage: failed.size > 0 ? [{ probe: [...failed][0]!, kind: 'unreadable', reason: 'x', blocking: true }] : [],
    summary: { findings: findings.length, bySeverity, complete: failed.size === 0, incomplete: failed.size > 0 ? ['probe failed'] : [], notChecked: { total: failed.size, blocking: failed.size, byKind: failed.size ? { unreadable: failed.size } : {} } },
  };
}

/** Write the report and its signature as scan does; returns the .json path. */
export async function writeSigned(dir: string, name: string, report: Report, kit: Kit): Promise<string> {
  await mkdir(dir, { recursive: true });
  const bytes = Buffer.from(prettyJson(report), 'utf8');
  const path = join(dir, `${name}.json`);
  await writeFile(path, bytes);
  await writeFile(`${path}.sig`, signatureText(bytes, kit.privateKey));
  return path;
}
