// Rule loading: YAML files → validated rules. Every problem in every file is collected (with file,
// line and field) before anything runs, so an officer fixing a rule file sees all of them at once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { canonicalJson } from '../report/json.js';
import { cliWords } from '../report/messages-cli.js';
import type { Words } from '../report/messages.js';
import { CONTEXT_SHAPE } from './context.js';
import { compileRegex, isContextRef, leafOperators } from './match.js';
import { conforms, enumValues, resolvePath, unlist, type Shape } from './shape.js';
import type { Condition, FieldCondition, Probe, Profile, Rule } from './types.js';

/** The folder of built-in rules shipped with the tool (`<package>/rules`). */
export const BUILTIN_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

export interface RuleProblem {
  file: string;
  line: number;
  column: number;
  /** Field path inside the file, e.g. `rules[2].match.all[0].regex`. */
  field: string;
  /** In English; `zh` in Chinese (both from the catalogue, rp.*). */
  message: string;
  zh?: string;
}

/** A problem's words from the catalogue, as RuleProblem fields. */
function rp(key: Parameters<typeof cliWords>[0], vars?: Record<string, string | number>, zhVars?: Record<string, string | number>): { message: string; zh: string } {
  return { message: cliWords(key, vars).en, zh: cliWords(key, { ...vars, ...zhVars }).zh };
}

/** A list of names as Chinese text quotes them: 「a」「b」. */
export function quotedZh(items: readonly unknown[]): string {
  return items.map((x) => `「${String(x)}」`).join('');
}

export interface LoadedRules {
  rules: Rule[];
  problems: RuleProblem[];
  warnings: string[];
  /** Rule files read, in order. */
  files: string[];
}

/** What one rule file may be: a unit's rules are a few KB; 1 MiB and 2,000 rules is far beyond any real need. */
export const RULE_BUDGET = { fileBytes: 1024 * 1024, rulesPerFile: 2000 };

export function formatProblem(p: RuleProblem, lang: 'zh' | 'en' = 'en'): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field ? p.field + ': ' : ''}${lang === 'zh' ? (p.zh ?? p.message) : p.message}`;
}

/** A problem in both languages (a usage error's detail lines). */
export function problemWords(p: RuleProblem): Words {
  return { zh: formatProblem(p, 'zh'), en: formatProblem(p, 'en') };
}

let validateFile: ValidateFunction | undefined;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const paramValidators = new Map<string, ValidateFunction>();

function fileValidator(): ValidateFunction {
  if (validateFile === undefined) {
    const schema = JSON.parse(readFileSync(join(BUILTIN_RULES_DIR, 'schema.json'), 'utf8')) as object;
    validateFile = ajv.compile(schema);
  }
  return validateFile;
}

function paramsValidator(probe: Probe): ValidateFunction | undefined {
  if (probe.paramsSchema === undefined) return undefined;
  let v = paramValidators.get(probe.id);
  if (v === undefined) {
    v = ajv.compile(probe.paramsSchema);
    paramValidators.set(probe.id, v);
  }
  return v;
}

/** `/rules/3/match/all/0` → ['rules', 3, 'match', 'all', 0] */
function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function pathToField(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Locates fields of one parsed YAML document by path, for line numbers. */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
  ) {}

  /**
   * Position of the field at `path`: the key of a map entry (where `field: value` is written),
   * the item of a sequence, or the key named `key` inside the node at `path`.
   */
  at(path: ReadonlyArray<string | number>, key?: string): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let best: unknown = node;
    for (const p of key !== undefined ? [...path, key] : path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && it.key.value === p);
        if (pair === undefined) break;
        best = isNode(pair.key) ? pair.key : best;
        node = pair.value;
      } else if (isSeq(node) && typeof p === 'number') {
        node = node.items[p];
        if (!isNode(node)) break;
        best = node;
      } else {
        break;
      }
    }
    const range = isNode(best) ? (best as Node).range : undefined;
    const pos = this.lc.linePos(range ? range[0] : 0);
    return { line: pos.line, column: pos.col };
  }
}

function ajvMessage(e: ErrorObject): { message: string; zh: string; key?: string } {
  const param = (k: string): string => String(e.params[k]);
  switch (e.keyword) {
    case 'required':
      return rp('rp.required', { name: param('missingProperty') });
    case 'additionalProperties':
      return { ...rp('rp.unknownField', { name: param('additionalProperty') }), key: param('additionalProperty') };
    case 'enum':
      return rp('rp.oneOf', { list: (e.params['allowedValues'] as unknown[]).map(String).join(', ') }, { list: quotedZh(e.params['allowedValues'] as unknown[]) });
    case 'pattern':
      return rp('rp.pattern', { pattern: param('pattern') });
    case 'type':
      return rp('rp.type', { type: param('type') });
    case 'minItems':
      return rp('rp.fewItems', { limit: param('limit') });
    case 'maxItems':
      return rp('rp.manyItems', { limit: param('limit') });
    case 'minLength':
      return rp('rp.shortText', { limit: param('limit') });
    case 'maxLength':
      return rp('rp.longText', { limit: param('limit') });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return rp('rp.range', { detail: e.message ?? e.keyword });
    case 'anyOf':
      if (e.message === SEVERITY_MESSAGE) return rp('rp.severity');
      return rp('rp.schema', { detail: e.message ?? e.keyword });
    default:
      return rp('rp.schema', { detail: e.message ?? e.keyword });
  }
}

const SEVERITY_MESSAGE = 'must be high, medium, low or info, or a map of profile → severity';

/** Keep the most useful ajv errors: drop the `if`/`anyOf` wrappers that only repeat a deeper error. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const out = errors.filter((e) => e.keyword !== 'if');
  // For `severity` (anyOf string | map) report one readable message instead of three.
  const seen = new Set<string>();
  const result: ErrorObject[] = [];
  for (const e of out) {
    if (/\/severity(\/|$)/.test(e.instancePath) && e.keyword !== 'anyOf') continue;
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    result.push(e.keyword === 'anyOf' && /\/severity$/.test(e.instancePath)
      ? { ...e, message: SEVERITY_MESSAGE }
      : e);
  }
  return result;
}

interface ParsedFile {
  file: string;
  builtin: boolean;
  rules: Array<{ raw: Record<string, unknown>; index: number; line: number; schemaOk: boolean }>;
  locator: Locator;
}

/** Parse and schema-check one file; problems are pushed, valid rules returned. */
function parseRuleFile(file: string, text: string, builtin: boolean, problems: RuleProblem[]): ParsedFile | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lc.linePos(err.pos[0]);
      problems.push({ file, line: pos.line, column: pos.col, field: '', ...rp('rp.yaml', { detail: err.message.split('\n')[0]! }) });
    }
    return undefined;
  }
  let data: unknown;
  try {
    // An alias bomb (aliases of aliases) is refused here, with the file, not as an internal error.
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    problems.push({ file, line: 1, column: 1, field: '', ...rp('rp.yamlAlias', { detail: (err as Error).message.split('\n')[0]! }) });
    return undefined;
  }
  const list0 = (data as { rules?: unknown } | null)?.rules;
  if (Array.isArray(list0) && list0.length > RULE_BUDGET.rulesPerFile) {
    problems.push({ file, line: 1, column: 1, field: 'rules', ...rp('rp.tooMany', { n: list0.length, max: RULE_BUDGET.rulesPerFile }) });
    return undefined;
  }
  const locator = new Locator(doc, lc);
  const validate = fileValidator();
  const schemaFailed = new Set<number>();
  if (!validate(data)) {
    for (const e of usefulErrors(validate.errors ?? [])) {
      const path = pointerToPath(e.instancePath);
      const { message, zh, key } = ajvMessage(e);
      const pos = locator.at(path, key);
      const field = pathToField(key !== undefined ? [...path, key] : path);
      problems.push({ file, ...pos, field, message, zh });
      if (path[0] === 'rules' && typeof path[1] === 'number') schemaFailed.add(path[1]);
    }
  }
  // Semantic checks still run on every rule-shaped item, so one pass reports every problem.
  const list = (data as { rules?: unknown } | null)?.rules;
  const rules = (Array.isArray(list) ? list : [])
    .map((raw: unknown, index: number) => ({ raw: raw as Record<string, unknown>, index, line: locator.at(['rules', index]).line, schemaOk: !schemaFailed.has(index) }))
    .filter((r) => r.raw !== null && typeof r.raw === 'object' && !Array.isArray(r.raw));
  return { file, builtin, rules, locator };
}

type Report = (path: Array<string | number>, words: { message: string; zh: string }, key?: string) => void;

/**
 * Walk a condition, checking what the schema cannot: regexes compile, leaves have an operator,
 * every `field` exists in the probe's observation shape and every `context` in the machine
 * context, and `equals`/`in` on an enumerated field use its known values. `shape` is undefined
 * when the probe is unknown (already reported).
 */
function checkCondition(cond: Condition, path: Array<string | number>, report: Report, shape: Shape | undefined): void {
  // Runs on rules that may also have schema errors: look only at what has the expected shape.
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return;
  for (const k of ['all', 'any', 'none'] as const) {
    if (k in cond) {
      const list = (cond as Record<string, unknown>)[k];
      if (Array.isArray(list)) list.forEach((c: Condition, i) => checkCondition(c, [...path, k, i], report, shape));
      return;
    }
  }
  if ('not' in cond) {
    checkCondition(cond.not, [...path, 'not'], report, shape);
    return;
  }
  const leaf = cond as FieldCondition;
  const subject = typeof leaf.field === 'string' ? leaf.field : typeof leaf.context === 'string' ? leaf.context : undefined;
  if (subject === undefined) return;
  if (leafOperators(leaf).length === 0) {
    report(path, rp('rp.noOperator', { subject }));
  }
  if (leaf.flags !== undefined && leaf.regex === undefined) report(path, rp('rp.flagsWithoutRegex'), 'flags');
  if (typeof leaf.regex === 'string' && (leaf.flags === undefined || typeof leaf.flags === 'string')) {
    try {
      compileRegex(leaf.regex, leaf.flags);
    } catch (err) {
      report([...path, 'regex'], rp('rp.badRegex', { error: (err as Error).message }));
    }
  }
  const where = typeof leaf.field === 'string' ? shape : CONTEXT_SHAPE;
  let reached: Shape[] | undefined;
  if (where !== undefined) {
    const r = resolvePath(where, subject);
    if (!r.ok) report(path, r, typeof leaf.field === 'string' ? 'field' : 'context');
    else reached = r.shapes;
  }
  for (const op of ['gt', 'gte', 'lt', 'lte', 'equals'] as const) {
    const v = leaf[op];
    if (isContextRef(v)) {
      const r = resolvePath(CONTEXT_SHAPE, v.context);
      if (!r.ok) report([...path, op], { message: cliWords('rp.context', { detail: r.message }).en, zh: cliWords('rp.context', { detail: r.zh }).zh });
    }
  }
  if (reached !== undefined) {
    const allowed = enumValues(reached);
    if (allowed !== undefined) {
      const written: Array<[string, unknown]> = [];
      if (Object.hasOwn(leaf, 'equals') && !isContextRef(leaf.equals)) written.push(['equals', leaf.equals]);
      if (Array.isArray(leaf.in)) for (const v of leaf.in) if (!isContextRef(v)) written.push(['in', v]);
      for (const [op, v] of written) {
        if (typeof v !== 'string' || !allowed.has(v)) {
          report([...path, op], rp('rp.neverValue', { value: JSON.stringify(v), subject, values: [...allowed].join(', ') }, { value: `「${JSON.stringify(v)}」`, values: quotedZh([...allowed]) }));
        }
      }
    }
    for (const op of ['some', 'every'] as const) {
      const inner = leaf[op];
      if (inner === undefined) continue;
      const elements = reached.map(unlist);
      checkCondition(inner, [...path, op], report, elements.length === 1 ? elements[0]! : { oneOf: elements });
    }
  } else {
    for (const op of ['some', 'every'] as const) if (leaf[op] !== undefined) checkCondition(leaf[op]!, [...path, op], report, undefined);
  }
}

/**
 * Files named by a path: the file itself, or every *.yaml/*.yml in a folder (sorted, recursive).
 * A folder named `data` holds data the rules use (id lists, the marking grammar), not rules.
 */
export async function ruleFilesAt(path: string): Promise<string[]> {
  const s = await stat(path);
  if (!s.isDirectory()) return [path];
  const out: string[] = [];
  for (const ent of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, ent.name);
    if (ent.isDirectory()) {
      if (ent.name !== 'data') out.push(...(await ruleFilesAt(p)));
    }
    else if (/\.ya?ml$/i.test(ent.name)) out.push(p);
  }
  return out;
}

export interface RuleSource {
  path: string;
  builtin: boolean;
}

/**
 * Load rules from the given sources (built-in first, then custom). A custom rule whose id is a
 * built-in id replaces the built-in (with a warning); duplicate ids within the built-ins or
 * within the custom files are errors, as are unknown probes and params their probe rejects.
 */
export async function loadRules(sources: RuleSource[], probes: ReadonlyMap<string, Probe>): Promise<LoadedRules> {
  const problems: RuleProblem[] = [];
  const warnings: string[] = [];
  const files: string[] = [];
  const parsed: ParsedFile[] = [];
  const seenFiles = new Set<string>();
  for (const src of sources) {
    let paths: string[];
    try {
      paths = await ruleFilesAt(src.path);
    } catch (err) {
      problems.push({ file: src.path, line: 0, column: 0, field: '', ...rp('rp.cannotRead', { error: (err as Error).message }) });
      continue;
    }
    if (paths.length === 0) warnings.push(`${src.path}: no rule files (*.yaml, *.yml) found`);
    for (const file of paths) {
      // The same file named twice (e.g. `rules validate rules/x.yaml` of a built-in) is read once.
      const real = await realpath(file).catch(() => file);
      if (seenFiles.has(real)) continue;
      seenFiles.add(real);
      const shown = displayPath(file);
      files.push(shown);
      let text: string;
      try {
        const st = await stat(file);
        if (!st.isFile()) {
          problems.push({ file: shown, line: 0, column: 0, field: '', ...rp('rp.notFile') });
          continue;
        }
        if (st.size > RULE_BUDGET.fileBytes) {
          problems.push({ file: shown, line: 0, column: 0, field: '', ...rp('rp.tooLarge', { size: st.size, max: RULE_BUDGET.fileBytes }) });
          continue;
        }
        text = await readFile(file, 'utf8');
      } catch (err) {
        problems.push({ file: shown, line: 0, column: 0, field: '', ...rp('rp.cannotRead', { error: (err as Error).message }) });
        continue;
      }
      const pf = parseRuleFile(shown, text, src.builtin, problems);
      if (pf) parsed.push(pf);
    }
  }

  const byId = new Map<string, Rule>();
  const firstSeen = new Map<string, { file: string; line: number; builtin: boolean }>();
  for (const pf of parsed) {
    for (const { raw, index, line, schemaOk } of pf.rules) {
      const at = (path: Array<string | number>, words: { message: string; zh: string }, key?: string): void => {
        const full: Array<string | number> = ['rules', index, ...path];
        problems.push({ file: pf.file, ...pf.locator.at(full, key), field: pathToField(key ? [...full, key] : full), message: words.message, zh: words.zh });
      };
      const rule = { ...(raw as unknown as Rule), source: { file: pf.file, line, builtin: pf.builtin } };
      const probe = typeof rule.probe === 'string' ? probes.get(rule.probe) : undefined;
      if (typeof rule.probe === 'string' && probe === undefined) {
        at(['probe'], rp('rp.unknownProbe', { probe: rule.probe, known: [...probes.keys()].sort().join(', ') }, { known: quotedZh([...probes.keys()].sort()) }));
      }
      const v = probe ? paramsValidator(probe) : undefined;
      const params = rule.params ?? {};
      if (v && typeof params === 'object' && !v(params)) {
        for (const e of v.errors ?? []) {
          const { key, ...words } = ajvMessage(e);
          at(['params', ...pointerToPath(e.instancePath)], words, key);
        }
      }
      checkCondition(rule.match, ['match'], at, probe?.observes);
      if (probe !== undefined) {
        for (const k of ['key', 'evidence'] as const) {
          const list = rule[k];
          if (!Array.isArray(list)) continue;
          list.forEach((f, i) => {
            if (typeof f !== 'string') return;
            const r = resolvePath(probe.observes, f);
            if (!r.ok) at([k, i], r);
          });
        }
        if (Array.isArray(rule.platforms)) {
          rule.platforms.forEach((f, i) => {
            // (a family the schema does not know is already a problem of its own)
            if ((f === 'linux' || f === 'windows') && !probe.platforms.includes(f)) at(['platforms', i], rp('rp.platform', { probe: probe.id, family: f, list: probe.platforms.join(', ') }, { list: quotedZh(probe.platforms) }));
          });
        }
        if (Array.isArray(rule.cases)) {
          rule.cases.forEach((c, i) => {
            if (c === null || typeof c !== 'object' || c.observation === null || typeof c.observation !== 'object') return;
            for (const m of conforms(c.observation, probe.observes, '', 5)) at(['cases', i, 'observation'], rp('rp.caseShape', { probe: probe.id, detail: m }));
          });
        }
      }
      if (rule.severity !== null && typeof rule.severity === 'object' && Array.isArray(rule.profiles)) {
        for (const p of rule.profiles) {
          if (rule.severity[p] === undefined) at(['severity'], rp('rp.noSeverity', { profile: p }));
        }
      }
      if (typeof rule.id !== 'string') continue;
      const prev = firstSeen.get(rule.id);
      if (prev !== undefined) {
        if (prev.builtin && !pf.builtin) {
          warnings.push(`${pf.file}:${line}: rule "${rule.id}" replaces the built-in rule of the same id (${prev.file}:${prev.line})`);
        } else {
          at(['id'], rp('rp.duplicate', { id: rule.id, where: `${prev.file}:${prev.line}` }));
          continue;
        }
      }
      firstSeen.set(rule.id, { file: pf.file, line, builtin: pf.builtin });
      if (schemaOk) byId.set(rule.id, rule);
    }
  }
  return { rules: problems.length === 0 ? [...byId.values()] : [], problems, warnings, files };
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** Rules that apply to a profile, optionally narrowed to some ids. */
export function selectRules(rules: Rule[], profile: Profile, only?: string[]): Rule[] {
  return rules.filter((r) => r.profiles.includes(profile) && (only === undefined || only.includes(r.id)));
}

/** Digest of a rule set (`sha256:` + hex over the canonical JSON of the rules, source left out). */
export function rulesDigest(rules: Rule[]): string {
  const data = rules
    .map(({ source: _source, ...r }) => r)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return 'sha256:' + createHash('sha256').update(canonicalJson(data)).digest('hex');
}
