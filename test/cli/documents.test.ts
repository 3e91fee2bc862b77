// The document walk end to end: markings found, evidence without content, gaps listed.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../_helpers/windows-root.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baomi.js');
const SECRET_SENTENCE = '甲乙丙丁专项试验计划第七阶段参数为四十二';
const UNIQUE = 'ZQXJ-7F3K-LEAKCHECK';

let root: string;
let work: string;

function scan(args: string[], at = root) {
  return spawnSync(process.execPath, [BIN, 'scan', '--root', at, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
    timeout: 300_000,
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'baomi-docs-'));
  root = join(work, 'root');
  await cp(join(FIXTURES, 'roots', 'debian12-ws'), root, { recursive: true, verbatimSymlinks: true });
  const home = join(root, 'home', 'zhang');
  await mkdir(join(home, 'docs'), { recursive: true });
  // A marking with a unique sentence right after it: the sentence must appear in no output.
  await writeFile(join(home, 'docs', '计划.txt'), `机密★5年\n${SECRET_SENTENCE}${UNIQUE}\n`);
  await writeFile(join(home, 'docs', '说明.txt'), '我们要切实做好保密工作，保守国家秘密，增强机密性意识。\n');
  // GBK text
  await writeFile(join(home, 'docs', 'gbk.txt'), Buffer.from(new Uint8Array([0xc3, 0xd8, 0xc3, 0xdc, 0xa1, 0xef, 0x31, 0xc4, 0xea, 0x0a])));
  // a corrupt "docx"
  await writeFile(join(home, 'docs', 'broken.docx'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]));
  // a PDF over the size budget set below (plain bytes over the budget are still searched, a container is not opened)
  await writeFile(join(home, 'docs', 'big.bin'), Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(8192, 0x20)]));
  // plain bytes over the budget: read in pieces, so no gap
  await writeFile(join(home, 'docs', 'big.txt'), Buffer.alloc(8192, 0x41));
});

describe('documents.markings: what cannot be read is listed, never clean', () => {
  it('an image-only PDF, an encrypted PDF, a zip bomb and an encrypted zip member are coverage gaps', async () => {
    const r2 = join(work, 'root-gaps');
    await cp(join(FIXTURES, 'roots', 'debian12-ws'), r2, { recursive: true, verbatimSymlinks: true });
    const made = join(FIXTURES, 'documents', 'made');
    await mkdir(join(r2, 'home', 'docs'), { recursive: true });
    for (const f of ['scan.pdf', 'encrypted.pdf', 'bomb.zip', 'encrypted-member.zip']) await cp(join(made, f), join(r2, 'home', 'docs', f));
    const out = join(work, 'out-gaps');
    const r = scan(['--out', out, '--profile', 'nonclassified', '--only', 'document-classified-marking', '--format', 'json'], r2);
    const rep = JSON.parse(r.stdout);
    const gap = (name: string) => (rep.coverage as Array<{ path?: string; kind: string; reason: string }>).filter((c) => c.path?.startsWith(`/home/docs/${name}`));
    expect(gap('scan.pdf').map((c) => c.kind)).toContain('no-text-layer');
    expect(gap('scan.pdf').map((c) => c.reason).join(' ')).toMatch(/OCR/);
    expect(gap('encrypted.pdf').map((c) => c.kind)).toContain('encrypted');
    expect(gap('bomb.zip').map((c) => c.kind)).toContain('zip-bomb');
    expect(gap('encrypted-member.zip').map((c) => c.kind)).toContain('encrypted');
    // Counted in the summary; which ones make the scan incomplete is the README's exit-code table:
    // a zip bomb is bytes the tool could not read (blocking), an encrypted or image-only file is
    // content an officer checks by hand (counted, listed, not blocking).
    const blocking = (name: string) => gap(name).every((c) => (c as { blocking?: boolean }).blocking === true);
    expect(blocking('bomb.zip')).toBe(true);
    expect(gap('encrypted.pdf').some((c) => (c as { blocking?: boolean }).blocking)).toBe(false);
    expect(gap('scan.pdf').some((c) => (c as { blocking?: boolean }).blocking)).toBe(false);
    const nc = rep.summary.notChecked as { total: number; blocking: number; byKind: Record<string, number> };
    expect(nc.byKind['encrypted']).toBeGreaterThanOrEqual(2);
    expect(nc.byKind['zip-bomb']).toBeGreaterThanOrEqual(1);
    expect(nc.byKind['no-text-layer']).toBeGreaterThanOrEqual(1);
    expect(rep.summary.complete).toBe(false);
    expect(rep.summary.incomplete.join('\n')).toMatch(/zip-bomb|bomb\.zip/);
    expect(r.status).toBe(3);
    // The text report says how many could not be checked, by kind, in its summary.
    const zh = scan(['--out', join(work, 'out-gaps-zh'), '--profile', 'nonclassified', '--only', 'document-classified-marking', '--lang', 'zh'], r2);
    expect(zh.stdout).toMatch(/未能检查 \d+ 项（其中 \d+ 项使检查不完整）: .*已加密/);
  });

  it('only content an officer must check by hand (an encrypted PDF): listed and counted, the scan is complete', async () => {
    const r3 = join(work, 'root-encrypted');
    await cp(join(FIXTURES, 'roots', 'debian12-ws'), r3, { recursive: true, verbatimSymlinks: true });
    await mkdir(join(r3, 'home', 'docs'), { recursive: true });
    await cp(join(FIXTURES, 'documents', 'made', 'encrypted.pdf'), join(r3, 'home', 'docs', 'encrypted.pdf'));
    const r = scan(['--out', join(work, 'out-enc'), '--profile', 'nonclassified', '--only', 'document-classified-marking', '--format', 'json'], r3);
    const rep = JSON.parse(r.stdout);
    expect(rep.summary.notChecked.byKind['encrypted']).toBe(1);
    expect(rep.summary.complete).toBe(true);
    expect(r.status).toBe(0);
  });
});

describe('documents.markings: archives and the recycle bin', () => {
  it('a marked docx inside a zip is evidence as a.zip!/b.docx; a deleted file is named by its $I record', async () => {
    const r3 = join(work, 'root-nested');
    await cp(join(FIXTURES, 'roots', 'debian12-ws'), r3, { recursive: true, verbatimSymlinks: true });
    const lab = join(FIXTURES, 'documents', 'labelled');
    await mkdir(join(r3, 'home', 'z'), { recursive: true });
    // zip holding the labelled positive w01 (made with Python's zipfile: a real zip writer)
    const zipPy = `import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[2],'报告/w01.docx')`;
    const zr = spawnSync('python3', ['-c', zipPy, join(r3, 'home', 'z', 'bundle.zip'), join(lab, 'w01-body-first-line.docx')], { encoding: 'utf8' });
    expect(zr.status, zr.stderr).toBe(0);
    // recycle bin: $R file = the positive document, $I = a real v2 record (fixtures/documents/made)
    const bin = join(r3, '$Recycle.Bin', 'S-1-5-21-1-2-3-1001');
    await mkdir(bin, { recursive: true });
    await cp(join(lab, 'w01-body-first-line.docx'), join(bin, '$RABC123.docx'));
    await cp(join(FIXTURES, 'documents', 'made', '$IABC123.docx'), join(bin, '$IABC123.docx'));
    const out = join(work, 'out-nested');
    const r = scan(['--out', out, '--profile', 'intranet', '--only', 'document-classified-marking', '--format', 'json'], r3);
    expect(r.status).toBe(1);
    const ev = JSON.parse(r.stdout).findings.map((f: { evidence: Record<string, unknown> }) => f.evidence) as Array<{ path: string; originalPath?: string; markings: Array<{ where: string; text: string }> }>;
    const zipped = ev.find((e) => e.path === '/home/z/bundle.zip')!;
    expect(zipped.markings[0]).toMatchObject({ text: '秘密★1年', where: '报告/w01.docx#word/document.xml' });
    const deleted = ev.find((e) => e.path.endsWith('$RABC123.docx'))!;
    expect(deleted.originalPath).toMatch(/^C:\\Users\\.+\\Desktop\\.+\.docx$/);
  });
});

describe('documents.markings: markup is always extracted', () => {
  it('an HTML file whose marking is written as character references after the first 4 MiB is still found', async () => {
    const r4 = join(work, 'root-html');
    await cp(join(FIXTURES, 'roots', 'debian12-ws'), r4, { recursive: true, verbatimSymlinks: true });
    await mkdir(join(r4, 'home', 'h'), { recursive: true });
    const filler = '<p>lorem ipsum dolor sit amet</p>\n'.repeat(150_000);
    await writeFile(join(r4, 'home', 'h', 'big.html'), `<html><body>\n${filler}<p>&#26426;&#23494;&#9733;10&#24180;</p>\n</body></html>\n`);
    const r = scan(['--out', join(work, 'out-html'), '--profile', 'nonclassified', '--only', 'document-classified-marking', '--format', 'json'], r4);
    const f = JSON.parse(r.stdout).findings as Array<{ evidence: { path: string; markings: Array<{ text: string }> } }>;
    expect(f.map((x) => [x.evidence.path, x.evidence.markings[0]!.text])).toEqual([['/home/h/big.html', '机密★10年']]);
  });
});

describe('documents.markings through the CLI', () => {
  it('finds the marking on a non-classified machine, ignores mentions, lists gaps, and leaks no content', async () => {
    const rules = join(work, 'unit.yaml');
    await writeFile(rules, `rules:
  - id: document-keyword
    title: { zh: 关键词, en: keyword }
    severity: medium
    profiles: [nonclassified]
    basis: test
    probe: documents.markings
    params: { keywords: ['${UNIQUE}'], maxFileBytes: 4096 }
    match: { field: keyword, equals: true }
    key: [path]
    evidence: [path, markings]
    remediation: { zh: 无, en: none }
`);
    const out = join(work, 'out');
    const r = scan(['--profile', 'nonclassified', '--out', out, '--rules', rules, '--only', 'document-classified-marking,document-keyword', '--format', 'json']);
    expect(r.status).toBe(1);
    const files = await readdir(out);
    const json = await readFile(join(out, files.find((f) => f.endsWith('.json'))!), 'utf8');
    const txt = await readFile(join(out, files.find((f) => f.endsWith('.txt'))!), 'utf8');
    const rep = JSON.parse(json);
    const marked = rep.findings.filter((f: { ruleId: string }) => f.ruleId === 'document-classified-marking');
    expect(marked.map((f: { evidence: { path: string } }) => f.evidence.path)).toEqual(['/home/zhang/docs/gbk.txt', '/home/zhang/docs/计划.txt']);
    const plan = marked.find((f: { evidence: { path: string } }) => f.evidence.path.endsWith('计划.txt')).evidence;
    expect(plan.markings).toEqual([
      { level: '机密', text: '机密★5年', where: 'text', offset: 0, pattern: expect.any(String) },
      { level: 'keyword', text: UNIQUE, where: 'text', offset: 26, pattern: 'keyword' },
    ]);
    expect(plan.sha256).toMatch(/^[0-9a-f]{64}$/);
    // the keyword rule (same walk: one probe run) found the unit keyword — and only its own text
    const kw = rep.findings.filter((f: { ruleId: string }) => f.ruleId === 'document-keyword');
    expect(kw).toHaveLength(1);
    expect(rep.probes.filter((p: { id: string }) => p.id === 'documents.markings')).toHaveLength(1);
    // mentions are not findings
    expect(json).not.toContain('说明.txt');
    // no content around a marking anywhere
    for (const out of [json, txt, r.stdout, r.stderr]) expect(out).not.toContain(SECRET_SENTENCE);
    // gaps: the corrupt docx and the file over the budget are listed with their paths
    const cov = rep.coverage as Array<{ path?: string; kind: string }>;
    expect(cov.find((c) => c.path === '/home/zhang/docs/broken.docx')?.kind).toBe('corrupt');
    expect(cov.find((c) => c.path === '/home/zhang/docs/big.bin')?.kind).toBe('too-large');
    expect(cov.find((c) => c.path === '/home/zhang/docs/big.txt')).toBeUndefined();
  });
});

describe('documents.markings live, on named paths', () => {
  it('--paths takes folders (relative to where baomi runs) and single files; nothing outside them is read', async () => {
    const live = join(work, 'live');
    await mkdir(join(live, 'folder', 'deep'), { recursive: true });
    await writeFile(join(live, 'one.txt'), '绝密★长期\n');
    await writeFile(join(live, 'other.txt'), '绝密★长期\n');
    await writeFile(join(live, 'folder', 'deep', 'two.txt'), '秘密★1年\n');
    const out = join(work, 'out-live');
    const r = spawnSync(process.execPath, [BIN, 'scan', '--paths', join(live, 'one.txt'), 'folder', '--out', out, '--profile', 'nonclassified', '--only', 'document-classified-marking', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cfg'), NO_COLOR: '1' },
      timeout: 300_000,
      cwd: live, // a relative path is the user's, not the target root's
    });
    const rep = JSON.parse(r.stdout);
    expect(rep.findings.map((f: { evidence: { path: string } }) => f.evidence.path).sort()).toEqual([join(live, 'folder', 'deep', 'two.txt'), join(live, 'one.txt')]);
    expect(rep.inventory.documentScan.files).toBe(2);
  });
});

