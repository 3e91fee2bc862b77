/**
 * Classification markings (密级标志) in extracted document text: the grammar (rules/data/markings.yaml),
 * a normaliser, and a matcher that says, for every marking-like string, whether it is a **marking**
 * (the document carries this level) or a **mention** (a text talking about markings).
 *
 * Pipeline, per text part (body, header, sheet, slide, file name …):
 *   1. raw prefilter: ONE character-class search on the ORIGINAL text (`[密内]` for the built-in
 *      grammar: every keyword contains one of these characters, and normalising never creates a Han
 *      character). Parts without it stop here, before any allocation.
 *   2. normalise (normalizeForMarkings): full-width ASCII → ASCII, star variants → ★, zero-width
 *      characters dropped, whitespace next to CJK characters dropped — with a map back to offsets in
 *      the original text.
 *   3. literal prefilter: `includes` of each keyword (grammar + unit keywords) on the normalised text;
 *      a pattern's regex runs only when one of its keywords was seen (gitleaks' lesson: string search
 *      is cheap — and every match of a pattern must contain one of its keywords, which the loader
 *      and the tests check).
 *   4. regexes → candidates; overlapping candidates: the longest wins (密级:机密★10年 over 机密★10年
 *      over 机密).
 *   5. the heuristic below gives each candidate its verdict and the reasons for it.
 *
 * The heuristic — "marking or mention?"
 * -------------------------------------
 * A classification marking is a label, not a word in a sentence: it stands on a line or in a table
 * cell of its own, usually at the top of page one (GB/T 9704: top-left block, after the copy number;
 * older layouts: top right) or in the page header, and it has a shape — level ★ period (秘密★1年,
 * 绝密★启用前), or a 密级 label (密级：机密). A text ABOUT markings (a regulation, a training deck, a
 * self-inspection report, a ledger of classified devices) uses the same words inside sentences,
 * quotation marks, examples and table columns. So a candidate is a **mention** when any of these
 * holds (checked in this order):
 *   - it overlaps a hard negative (国家秘密, 商业秘密, 机密性, 绝密级, 非密, 设备密级, 秘密花园, 绝密档案 …),
 *     or touches one on the same line (秘密 ★★★★☆ is a rating); a hard negative read across a line or
 *     cell break is two words (工作秘密 in A1 over a header cell 任务名称 is not 秘密任务);
 *   - it is an unticked form option (密级：□绝密 □机密);
 *   - it is inside quotation marks “” 「」 『』 《》 〈〉 ‘’ "" on its line;
 *   - a mention verb stands just before it in its phrase (标注, 标明, 注明, 应当, 不得, 例如, 分为 …) or a
 *     word follows it directly (字样, 标志, 等, 的, 以上 …); 密级为/是机密 is a statement, not a label;
 *   - it is inside a sentence: text runs into it on both sides with no line/cell/space boundary, or
 *     a comma or colon (，、；：) runs into it (an enumeration, or the value of a field other than 密级);
 *   - a word runs into a star form with no period (共享秘密*, 咱俩的秘密☆);
 *   - a weak or medium form in a table's data cell: in a sheet (`sheet:` parts) any cell but the
 *     sheet's first; in other text a tab-separated cell below the first such row;
 *   - a weak or medium form on the line under a chat message header (a time to the second);
 *   - one of the 3 lines before it introduces examples (示例, 例如, 如下, 格式为 …);
 *   - all three state-secret levels would count in the part (a table or list of levels), or two
 *     would and the form is not strong (with two, the first strong candidate near the start keeps
 *     its verdict);
 * An asterisk (`*` ＊ ✱ …: `heuristics.asterisks`) read as the star is one only when a secrecy
 * period follows it (秘密*1年, but not *1年* emphasis) or it ends its line or cell, it is on the
 * level's line, and no asterisk stands right before the level: else it is a comment delimiter
 * (`/* 共享秘密 *\/`), emphasis or an emoticon (秘密*^_^*), and the level is judged as the bare word.
 * A weak form must be set apart by line/cell breaks or a wide gap (two spaces or more); a medium
 * form must start its line so: one space (`// 内部使用`, `第一章　秘密`) does not set a word apart.
 *
 * Otherwise the verdict depends on the strength of the form:
 *   - strong (★ after the level, a 密级 label, a ticked box, 内部资料 注意保存): a **marking**;
 *   - medium (level + period without ★, 内部资料/内部使用, 【机密】): a **marking** when it starts its
 *     line or cell and either stands alone there or is near the start of the part, in a page
 *     header/footer, or in the file name;
 *   - weak (the bare word 机密 / 内部 / 工作秘密): reported only when alone on its line or cell (else it
 *     is prose and not reported at all); a **marking** only near the start of the part, in a page
 *     header/footer or in the file name, and not when 密级 occurs earlier in the part (a value under
 *     a 密级 column: a ledger).
 * "Near the start" = at most `near_start_chars` (80) non-blank characters before it in the part.
 * Boundaries are read in the original text: line breaks, tabs (table cells), the part's start and end,
 * and runs of spaces (a single space counts unless the part puts spaces between all CJK characters,
 * as PDF text extraction does; in text with one glyph per line, line breaks do not count either);
 * in file names `-` `_` `.` `、` `+` separate words too.
 *
 * Results never carry surrounding text: `text` is the marking exactly as found in the original part.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { SECRET_LEVELS } from '../engine/vocab.js';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** Levels a result can carry: the three state-secret levels, the lower markings, a unit keyword. */
export type MarkingLevel = '绝密' | '机密' | '秘密' | '工作秘密' | '内部' | 'keyword';

export type MarkingVerdict = 'marking' | 'mention';

/** Strength of a form (see the heuristic above). */
export type MarkingForm = 'strong' | 'medium' | 'weak';

export interface MarkingPart {
  /** Where the text came from (the extractor's part name: `word/header1.xml`, `sheet:Sheet1`, `file-name` …). */
  name: string;
  text: string;
}

export interface MarkingHit {
  level: MarkingLevel;
  /** The marking exactly as found in the ORIGINAL part text (never surrounding text). */
  text: string;
  /** The part's name. */
  part: string;
  /** Offset of `text` in the original part text (UTF-16 code units). */
  offset: number;
  verdict: MarkingVerdict;
  /** Why it counted or not: 'star follows the level', 'standalone line', 'inside quotation' … */
  reasons: string[];
  /** Id of the grammar pattern that found it (`keyword` for unit keywords). */
  pattern: string;
}

export interface FindMarkingsOptions {
  /** Unit-defined keywords (project code names …): every occurrence is reported as level `keyword`. */
  keywords?: string[];
  /** Report mentions too (default true). With false only `verdict: 'marking'` results are returned. */
  mentions?: boolean;
  /**
   * The text parts are later windows of longer text (a big file read a window at a time): nothing
   * in them is near the start of the part.
   */
  continued?: boolean;
}

export interface CompiledPattern {
  id: string;
  why: string;
  form: MarkingForm;
  /** Fixed level, when the regex has no `level` group. */
  level: MarkingLevel | undefined;
  keywords: string[];
  /** Expanded source (fragments spliced in). */
  source: string;
  regex: RegExp;
}

export interface HardNegative {
  id: string;
  why: string;
  regex: RegExp;
}

export interface MarkingHeuristics {
  nearStartChars: number;
  headerPart: RegExp;
  fileNamePart: RegExp;
  /** Part names that are spreadsheet sheets (one line a row, cells split by tabs). */
  sheetPart: RegExp;
  /** Star characters that are also asterisks (comment delimiters, emphasis, emoticons). */
  asterisks: string;
  /** A chat message header line (name, date, time to the second): the line under it is a message. */
  messageHeader: RegExp | undefined;
  verbWindow: number;
  verbsBefore: string[];
  wordsAfter: string[];
  exampleWords: string[];
  quotes: Array<[string, string]>;
  sentencePunct: string;
}

export interface MarkingGrammar {
  /** File it was loaded from. */
  path: string;
  version: number;
  /** Characters folded to ★ by the normaliser. */
  stars: string;
  patterns: CompiledPattern[];
  hardNegatives: HardNegative[];
  heuristics: MarkingHeuristics;
  /** Every keyword of every pattern (deduplicated). */
  keywords: string[];
}

export interface NormalizedText {
  text: string;
  /** `map[i]` is the offset in the original text of normalised character `i`; `map[text.length]` is the original length. */
  map: Uint32Array;
}

export class MarkingGrammarError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`${path}: invalid marking grammar:\n  ${problems.join('\n  ')}`);
    this.name = 'MarkingGrammarError';
  }
}

// ---------------------------------------------------------------------------------------------
// Grammar loading
// ---------------------------------------------------------------------------------------------

/** `<package>/rules/data/markings.yaml` (same depth from src/formats and dist/formats). */
export const DEFAULT_MARKING_GRAMMAR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'data', 'markings.yaml');

const LEVELS: ReadonlySet<string> = new Set(['绝密', '机密', '秘密', '工作秘密', '内部']);
const STATE_LEVELS: ReadonlySet<string> = new Set(SECRET_LEVELS);
const FORMS: ReadonlySet<string> = new Set(['strong', 'medium', 'weak']);
const GROUPS: ReadonlySet<string> = new Set(['level', 'star', 'period', 'period2', 'label', 'box', 'suffix', 'open', 'close']);

const grammarCache = new Map<string, MarkingGrammar>();

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0) ? (v as string[]) : undefined;
}

/**
 * Loads and checks a marking grammar (default: the built-in one), cached per path. Every problem is
 * collected and thrown at once as a {@link MarkingGrammarError}.
 */
export function loadMarkingGrammar(path: string = DEFAULT_MARKING_GRAMMAR): MarkingGrammar {
  const abs = resolve(path);
  const cached = grammarCache.get(abs);
  if (cached !== undefined) return cached;
  let doc: unknown;
  try {
    // YAML is loaded on first use: worker threads get the compiled grammar and never need it.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    doc = parse(readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new MarkingGrammarError(abs, [(e as Error).message]);
  }
  const g = compileGrammar(doc, abs);
  grammarCache.set(abs, g);
  return g;
}

/** Checks and compiles a parsed grammar document (exported for tests of broken grammars). */
export function compileGrammar(doc: unknown, path = '<inline>'): MarkingGrammar {
  const problems: string[] = [];
  if (!isRecord(doc)) throw new MarkingGrammarError(path, ['the file is not a YAML mapping']);
  if (doc['version'] !== 1) problems.push('version: must be 1');
  const stars = typeof doc['stars'] === 'string' && doc['stars'].length > 0 ? doc['stars'] : '★';
  if (typeof doc['stars'] !== 'string' || !doc['stars'].includes('★')) problems.push('stars: must be a string containing ★');

  // Fragments, expanded in order.
  const fragments = new Map<string, string>();
  const expand = (src: string, where: string): string =>
    src.replace(/\{\{([a-z0-9_]+)\}\}/g, (_m, name: string) => {
      const f = fragments.get(name);
      if (f === undefined) {
        problems.push(`${where}: unknown fragment {{${name}}}`);
        return '';
      }
      return f;
    });
  if (!isRecord(doc['fragments'])) problems.push('fragments: must be a mapping');
  else {
    for (const [name, v] of Object.entries(doc['fragments'])) {
      if (typeof v !== 'string' || v === '') problems.push(`fragments.${name}: must be a non-empty string`);
      else fragments.set(name, expand(v, `fragments.${name}`));
    }
  }

  const patterns: CompiledPattern[] = [];
  const ids = new Set<string>();
  if (!Array.isArray(doc['patterns']) || doc['patterns'].length === 0) problems.push('patterns: must be a non-empty list');
  else {
    doc['patterns'].forEach((p: unknown, i: number) => {
      const where = `patterns[${i}]`;
      if (!isRecord(p)) return void problems.push(`${where}: must be a mapping`);
      const id = p['id'];
      if (typeof id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(id)) problems.push(`${where}.id: must be kebab-case`);
      else if (ids.has(id)) problems.push(`${where}.id: duplicate id "${id}"`);
      else ids.add(id);
      const w = `${where}${typeof id === 'string' ? ` (${id})` : ''}`;
      if (typeof p['why'] !== 'string' || p['why'].trim() === '') problems.push(`${w}.why: say why this pattern exists`);
      const form = p['form'];
      if (typeof form !== 'string' || !FORMS.has(form)) problems.push(`${w}.form: must be strong, medium or weak`);
      const level = p['level'];
      if (level !== undefined && (typeof level !== 'string' || !LEVELS.has(level))) problems.push(`${w}.level: must be one of ${[...LEVELS].join(', ')}`);
      const keywords = stringList(p['keywords']);
      if (keywords === undefined || keywords.length === 0) problems.push(`${w}.keywords: a non-empty list of strings (the prefilter needs them)`);
      if (typeof p['regex'] !== 'string' || p['regex'] === '') return void problems.push(`${w}.regex: must be a non-empty string`);
      const source = expand(p['regex'], `${w}.regex`);
      let regex: RegExp;
      try {
        // `d`: group indices, to find the star (runPattern judges what follows it).
        regex = new RegExp(source, 'gdu');
      } catch (e) {
        return void problems.push(`${w}.regex: ${(e as Error).message}`);
      }
      const groups = [...source.matchAll(/\(\?<([A-Za-z0-9_]+)>/g)].map((m) => m[1]!);
      for (const gname of groups) if (!GROUPS.has(gname)) problems.push(`${w}.regex: unknown named group "${gname}"`);
      if (level === undefined && !groups.includes('level')) problems.push(`${w}: needs a fixed level or a (?<level>…) group`);
      // A keyword not in the pattern would make the pattern blind (gitleaks PR #2260): at least check
      // that each one is written literally in the expanded regex.
      for (const k of keywords ?? []) if (!source.includes(k)) problems.push(`${w}.keywords: "${k}" does not occur literally in the regex`);
      if (typeof id === 'string' && typeof form === 'string' && FORMS.has(form) && keywords !== undefined) {
        patterns.push({
          id,
          why: String(p['why'] ?? ''),
          form: form as MarkingForm,
          level: typeof level === 'string' && LEVELS.has(level) ? (level as MarkingLevel) : undefined,
          keywords,
          source,
          regex,
        });
      }
    });
  }

  const hardNegatives: HardNegative[] = [];
  if (!Array.isArray(doc['hard_negatives'])) problems.push('hard_negatives: must be a list');
  else {
    doc['hard_negatives'].forEach((h: unknown, i: number) => {
      const where = `hard_negatives[${i}]`;
      if (!isRecord(h)) return void problems.push(`${where}: must be a mapping`);
      if (typeof h['id'] !== 'string') problems.push(`${where}.id: must be a string`);
      if (typeof h['why'] !== 'string' || h['why'].trim() === '') problems.push(`${where}.why: say why this is a hard negative`);
      if (typeof h['regex'] !== 'string' || h['regex'] === '') return void problems.push(`${where}.regex: must be a non-empty string`);
      try {
        hardNegatives.push({ id: String(h['id']), why: String(h['why']), regex: new RegExp(expand(h['regex'], `${where}.regex`), 'gu') });
      } catch (e) {
        problems.push(`${where}.regex: ${(e as Error).message}`);
      }
    });
  }

  const h = isRecord(doc['heuristics']) ? doc['heuristics'] : {};
  if (!isRecord(doc['heuristics'])) problems.push('heuristics: must be a mapping');
  const num = (k: string, dflt: number): number => {
    const v = h[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    problems.push(`heuristics.${k}: must be a non-negative integer`);
    return dflt;
  };
  const re = (k: string): RegExp => {
    const v = h[k];
    try {
      if (typeof v === 'string') return new RegExp(v, 'iu');
    } catch (e) {
      problems.push(`heuristics.${k}: ${(e as Error).message}`);
      return /(?!)/;
    }
    problems.push(`heuristics.${k}: must be a regex string`);
    return /(?!)/;
  };
  const list = (k: string): string[] => {
    const v = stringList(h[k]);
    if (v === undefined) problems.push(`heuristics.${k}: must be a list of non-empty strings`);
    return v ?? [];
  };
  const quotesRaw = h['quotes'];
  const quotes: Array<[string, string]> = [];
  if (!Array.isArray(quotesRaw)) problems.push('heuristics.quotes: must be a list of [open, close] pairs');
  else {
    for (const q of quotesRaw) {
      const pair = stringList(q);
      if (pair?.length === 2 && pair[0]!.length === 1 && pair[1]!.length === 1) quotes.push([pair[0]!, pair[1]!]);
      else problems.push(`heuristics.quotes: ${JSON.stringify(q)} is not a pair of single characters`);
    }
  }
  const heuristics: MarkingHeuristics = {
    nearStartChars: num('near_start_chars', 80),
    headerPart: re('header_part'),
    fileNamePart: re('file_name_part'),
    sheetPart: re('sheet_part'),
    asterisks: typeof h['asterisks'] === 'string' ? h['asterisks'] : '',
    messageHeader: h['message_header'] === undefined ? undefined : re('message_header'),
    verbWindow: num('verb_window', 6),
    verbsBefore: list('verbs_before'),
    wordsAfter: list('words_after'),
    exampleWords: list('example_words'),
    quotes,
    sentencePunct: typeof h['sentence_punct'] === 'string' ? h['sentence_punct'] : '',
  };
  if (typeof h['sentence_punct'] !== 'string') problems.push('heuristics.sentence_punct: must be a string');
  if (typeof h['asterisks'] !== 'string') problems.push('heuristics.asterisks: must be a string');
  else for (const ch of h['asterisks']) if (!stars.includes(ch)) problems.push(`heuristics.asterisks: "${ch}" is not one of the stars`);

  if (problems.length > 0) throw new MarkingGrammarError(path, problems);
  const keywords = [...new Set(patterns.flatMap((p) => p.keywords))];
  return { path, version: 1, stars, patterns, hardNegatives, heuristics, keywords };
}

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

// Character classes, as ranges [first, last] of UTF-16 code units, read through one table
// (CLASS) so that the normaliser's loop costs two array reads a character and the table is
// filled natively (TypedArray.fill) at load, not by a 65,536-step loop.

/** Characters dropped outright: zero-width spaces/joiners, word joiner, BOM, soft hyphen, bidi marks. */
const IGNORABLE_RANGES: ReadonlyArray<readonly [number, number]> = [[0x200b, 0x200d], [0x2060, 0x2060], [0xfeff, 0xfeff], [0x00ad, 0x00ad], [0x200e, 0x200f]];
/** Whitespace as the normaliser sees it (incl. ideographic space, NBSP, Word's \v and cell mark \x07). */
const WS_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x20, 0x20], [0x09, 0x0d], [0x07, 0x07], [0xa0, 0xa0], [0x3000, 0x3000], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x85, 0x85],
];
/** Han ideographs (BMP blocks and the surrogates of the supplementary ones). */
const HAN_RANGES: ReadonlyArray<readonly [number, number]> = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0xd840, 0xd87f], [0xdc00, 0xdfff]];
/**
 * "CJK-ish" characters next to which whitespace is dropped: Han, CJK punctuation, kana, radicals,
 * full-width forms, CJK quotes/dashes/ellipsis, ★ and the checkbox symbols.
 */
const CJKISH_RANGES: ReadonlyArray<readonly [number, number]> = [
  ...HAN_RANGES, [0x2e80, 0x2fdf], [0x3001, 0x30ff], [0x3100, 0x31ff], [0xfe30, 0xfe4f], [0xff00, 0xffef], [0x2605, 0x2605],
  [0x2018, 0x201d], [0x2014, 0x2014], [0x2026, 0x2026], [0x00b7, 0x00b7], [0x25a0, 0x25a1], [0x25a3, 0x25a3], [0x2610, 0x2612],
  [0x221a, 0x221a], [0x2713, 0x2714],
];
/** Mapped to a plain space: NBSP, ideographic space, narrow NBSP. */
const SPACE_RANGES: ReadonlyArray<readonly [number, number]> = [[0xa0, 0xa0], [0x3000, 0x3000], [0x202f, 0x202f]];

const IGNORABLE = 1;
const WS = 2;
const CJKISH = 4;
const HAN = 8;
const CLASS = new Uint8Array(65536);
for (const [bit, ranges] of [[IGNORABLE, IGNORABLE_RANGES], [WS, WS_RANGES], [CJKISH, CJKISH_RANGES], [HAN, HAN_RANGES]] as const) {
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) CLASS[c]! |= bit;
}

function isIgnorable(c: number): boolean {
  return ((CLASS[c] ?? 0) & IGNORABLE) !== 0;
}

function isWs(c: number): boolean {
  return ((CLASS[c] ?? 0) & WS) !== 0;
}

function isHan(c: number): boolean {
  return ((CLASS[c] ?? 0) & HAN) !== 0;
}

const tables = new WeakMap<MarkingGrammar, Uint16Array>();
/**
 * Every code unit's normalised form, once per grammar, 0 where it is itself: star variants → ★,
 * full-width ASCII → ASCII, NBSP / ideographic space → space.
 */
function unitTable(g: MarkingGrammar): Uint16Array {
  let unit = tables.get(g);
  if (unit === undefined) {
    unit = new Uint16Array(65536);
    for (let c = 0xff01; c <= 0xff5e; c++) unit[c] = c - 0xfee0;
    for (const [lo, hi] of SPACE_RANGES) unit.fill(0x20, lo, hi + 1);
    // Stars are BMP characters (checked by the tests); surrogate halves are never folded.
    for (const ch of g.stars) if (ch.length === 1) unit[ch.charCodeAt(0)] = 0x2605;
    tables.set(g, unit);
  }
  return unit;
}

/**
 * Normalises text for marking search, keeping a map back to the original offsets:
 * full-width ASCII → half-width, the grammar's star variants (☆ * ＊ ✭ …) → ★, zero-width characters
 * and soft hyphens removed, NBSP / ideographic space → space, and every whitespace run (spaces, tabs,
 * line breaks, U+3000 …) that touches a CJK character, CJK punctuation or ★ on either side removed;
 * so is a run holding a line break between two digits (PDF text with one glyph per line: 1⏎0年).
 * Other whitespace runs are kept (mapped one to one).
 */
export function normalizeForMarkings(text: string, grammar: MarkingGrammar = loadMarkingGrammar()): NormalizedText {
  const unit = unitTable(grammar);
  const n = text.length;
  const out = new Uint16Array(n);
  const map = new Uint32Array(n + 1);
  let o = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = CLASS[c]!;
    if (k & IGNORABLE) {
      i++;
      continue;
    }
    if (k & WS) {
      // The whole run (ignorables inside it included), then the next significant character.
      let j = i + 1;
      while (j < n && CLASS[text.charCodeAt(j)]! & (WS | IGNORABLE)) j++;
      const prev = o > 0 ? out[o - 1]! : -1;
      const nc = j < n ? text.charCodeAt(j) : -1;
      const next = nc >= 0 ? unit[nc]! || nc : -1;
      // Dropped next to CJK, and between two digits across a line break (one glyph per line: 1\n0年).
      let drop = (prev >= 0 && (CLASS[prev]! & CJKISH) !== 0) || (next >= 0 && (CLASS[next]! & CJKISH) !== 0);
      if (!drop && prev >= 0x30 && prev <= 0x39 && next >= 0x30 && next <= 0x39) {
        for (let q = i; q < j && !drop; q++) if (isLineBreak(text.charCodeAt(q))) drop = true;
      }
      if (!drop) {
        for (let q = i; q < j; q++) {
          const cq = text.charCodeAt(q);
          if (CLASS[cq]! & IGNORABLE) continue;
          out[o] = unit[cq]! || cq;
          map[o++] = q;
        }
      }
      i = j;
      continue;
    }
    out[o] = unit[c]! || c;
    map[o++] = i;
    i++;
  }
  map[o] = n;
  const str = Buffer.from(out.buffer, 0, o * 2).toString('utf16le');
  return { text: str, map: map.subarray(0, o + 1) };
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

interface Candidate {
  pattern: CompiledPattern;
  /** Normalised [start, end). */
  start: number;
  end: number;
  level: MarkingLevel;
  star: boolean;
  period: boolean;
  label: string | undefined;
  box: string | undefined;
  suffix: boolean;
  bracket: boolean;
  /** The regex took an asterisk for the star, and it is not one (why): the rest stands on its own evidence. */
  notStar?: string;
}

/** Boundary found scanning away from a candidate in the original text. */
type BoundaryKind = 'edge' | 'line' | 'cell' | 'space' | 'sep';

interface Side {
  /** Boundary between the candidate and the nearest significant character, if any. */
  boundary: BoundaryKind | undefined;
  /** Nearest significant character on that side (undefined at the part's edge). */
  ch: string | undefined;
  /** Whitespace characters (not line/cell breaks) between the candidate and that character. */
  spaces: number;
}

/**
 * A boundary that sets a word apart as a label: a line or cell break, the part's edge, a file-name
 * separator, or a run of two spaces or more (a layout gap). A single space is not: `// 内部使用`,
 * ` * 秘密` (a comment leader), `第一章　秘密` (a chapter title) keep words on one line.
 */
function strongBoundary(s: Side): boolean {
  return s.boundary !== undefined && (s.boundary !== 'space' || s.spaces >= 2);
}

interface PartContext {
  name: string;
  orig: string;
  norm: NormalizedText;
  /** PDF-style text: single spaces between CJK characters are not boundaries. */
  cjkSpaced: boolean;
  /** One glyph per line: line breaks are not boundaries. */
  glyphLines: boolean;
  isHeader: boolean;
  isFileName: boolean;
  /** A spreadsheet sheet (one line a row, tab-separated cells). */
  isSheet: boolean;
  /** A later window of a longer text (FindMarkingsOptions.continued). */
  continued: boolean;
}

/** Line-breaking characters (Word's \v line break and \x07 cell mark included). */
function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0x07 || c === 0x2028 || c === 0x2029 || c === 0x85;
}

const rawCache = new WeakMap<MarkingGrammar, Map<string, RegExp>>();

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * The raw prefilter for a grammar plus unit keywords: one character class over the ORIGINAL text,
 * from a set of characters such that every keyword contains one of them and normalising cannot
 * create them (Han characters are never changed; an ASCII character may come from its full-width
 * form, ★ from any star variant, so those forms are added).
 */
export function rawPrefilter(grammar: MarkingGrammar, unitKeywords: string[] = []): RegExp {
  let byGrammar = rawCache.get(grammar);
  if (byGrammar === undefined) {
    byGrammar = new Map();
    rawCache.set(grammar, byGrammar);
  }
  const key = unitKeywords.join('\u0000');
  const hit = byGrammar.get(key);
  if (hit !== undefined) return hit;
  const chosen = new Set<string>();
  // Greedy set cover over the keywords' Han characters.
  let left = [...new Set([...grammar.keywords, ...unitKeywords])].filter((k) => k.length > 0);
  while (left.length > 0) {
    const count = new Map<string, number>();
    for (const k of left) for (const ch of new Set(k)) if (isHan(ch.charCodeAt(0))) count.set(ch, (count.get(ch) ?? 0) + 1);
    let best: string | undefined;
    let bestN = 0;
    for (const [ch, c] of count) if (c > bestN) [best, bestN] = [ch, c];
    if (best === undefined) {
      // A keyword without Han characters: its first character and every raw form of it.
      const ch = left[0]![0]!;
      const c = ch.charCodeAt(0);
      chosen.add(ch);
      if (c >= 0x21 && c <= 0x7e) chosen.add(String.fromCharCode(c + 0xfee0));
      if (ch === '★') for (const s of grammar.stars) chosen.add(s);
      left = left.filter((k) => !k.includes(ch));
      continue;
    }
    const b = best;
    chosen.add(b);
    left = left.filter((k) => !k.includes(b));
  }
  const raw = new RegExp(`[${[...chosen].map(escapeRe).join('')}]`, 'u');
  byGrammar.set(key, raw);
  return raw;
}

/** Offset in the normalised text of the first character at or after original offset `o`. */
function toNorm(map: Uint32Array, o: number): number {
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (map[mid]! < o) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

let hanTable: Uint8Array | undefined;

/** `\p{Script=Han}` for a code point (a table for the BMP, built once; the regex for the rest). */
function isHanScript(cp: number): boolean {
  if (cp > 0xffff) return /\p{Script=Han}/u.test(String.fromCodePoint(cp));
  if (hanTable === undefined) {
    // One regex pass over every BMP character from U+2E80 (surrogates as spaces): native, not
    // 53,000 tests from a cold loop.
    hanTable = new Uint8Array(0x10000);
    const from = 0x2e80;
    const units = new Uint16Array(0x10000 - from);
    for (let c = from; c <= 0xffff; c++) units[c - from] = c >= 0xd800 && c <= 0xdfff ? 0x20 : c;
    const all = Buffer.from(units.buffer).toString('utf16le');
    for (const m of all.matchAll(/\p{Script=Han}+/gu)) hanTable.fill(1, from + m.index, from + m.index + m[0].length);
  }
  return hanTable[cp] === 1;
}

/** JavaScript's `trim` whitespace (line terminators excluded: they end lines before this is asked). */
function isTrimWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0c || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * How the part is laid out: CJK spaced out character by character (`机 密 ★`), or one glyph per
 * line (vertical text). One pass over at most the first 20,000 characters, no allocation: this
 * runs on every part that holds a keyword.
 */
function partStyle(text: string): { cjkSpaced: boolean; glyphLines: boolean } {
  const n = Math.min(text.length, 20_000);
  // Han + space + Han, and Han + Han (code points, as the /u regexes of the first version counted).
  let spaced = 0;
  let adjacent = 0;
  let prev2Han = false; // the code point two back is Han and the previous is a space
  let prevHan = false;
  // Lines split at \r\n, \n, \r, \v, U+2028, U+2029; a line counts when it is not blank; "tiny"
  // when its trimmed length is at most two code points.
  let lines = 0;
  let tiny = 0;
  let cp = 0; // code points in the current line
  let first = -1;
  let last = -1;
  const endLine = (): void => {
    if (first >= 0) {
      lines++;
      if (last - first + 1 <= 2) tiny++;
    }
    cp = 0;
    first = -1;
    last = -1;
  };
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c === 0x0a || c === 0x0b || c === 0x2028 || c === 0x2029 || c === 0x0d) {
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a && i + 1 < n) i++;
      endLine();
      prevHan = false;
      prev2Han = false;
      continue;
    }
    if (!isTrimWs(c)) {
      if (first < 0) first = cp;
      last = cp;
    }
    cp++;
    const han = isHanScript(c);
    if (han && prevHan) adjacent++;
    if (han && prev2Han) spaced++;
    prev2Han = prevHan && c === 0x20;
    prevHan = han;
  }
  endLine();
  const cjkSpaced = spaced >= 3 && spaced >= adjacent;
  const glyphLines = lines >= 6 && tiny / lines >= 0.6;
  return { cjkSpaced, glyphLines };
}

/** Is this whitespace run (of `spaces` characters, `ideographic` when it holds U+3000) a boundary? */
function spaceBoundary(ctx: PartContext, spaces: number, ideographic: boolean): boolean {
  return spaces > 0 && (spaces >= 2 || ideographic || !ctx.cjkSpaced);
}

/** Characters that separate words in file names: - _ . 、 + */
function isNameSep(c: number): boolean {
  return c === 0x2d || c === 0x5f || c === 0x2e || c === 0x3001 || c === 0x2b;
}

/** Scans from original offset `from` in direction `dir` (-1 back, +1 forward) to the nearest significant character. */
function side(ctx: PartContext, from: number, dir: -1 | 1): Side {
  const t = ctx.orig;
  let i = dir < 0 ? from - 1 : from;
  let spaces = 0;
  let ideographic = false;
  let hard: BoundaryKind | undefined;
  while (i >= 0 && i < t.length) {
    const c = t.charCodeAt(i);
    if (isIgnorable(c)) {
      // skipped
    } else if (c === 0x09) {
      hard ??= 'cell';
    } else if (isLineBreak(c)) {
      if (!ctx.glyphLines) hard ??= 'line';
    } else if (isWs(c)) {
      spaces++;
      if (c === 0x3000) ideographic = true;
    } else if (ctx.isFileName && isNameSep(c)) {
      hard ??= 'sep';
    } else {
      const boundary = hard ?? (spaceBoundary(ctx, spaces, ideographic) ? 'space' : undefined);
      return { boundary, ch: String.fromCharCode(c), spaces };
    }
    i += dir;
  }
  return { boundary: 'edge', ch: undefined, spaces };
}

/**
 * Original offset where the phrase around a candidate ends in direction `dir`: the first line/cell
 * break or space boundary, at most `limit` characters away.
 */
function phraseEdge(ctx: PartContext, from: number, dir: -1 | 1, limit: number): number {
  const t = ctx.orig;
  let i = dir < 0 ? from - 1 : from;
  let spaces = 0;
  let ideographic = false;
  let last = from;
  for (let steps = 0; i >= 0 && i < t.length && steps < limit; steps++, i += dir) {
    const c = t.charCodeAt(i);
    if (isIgnorable(c)) continue;
    if (c === 0x09 || (!ctx.glyphLines && isLineBreak(c)) || (ctx.isFileName && isNameSep(c))) return last;
    if (isWs(c) || isLineBreak(c)) {
      spaces++;
      if (c === 0x3000) ideographic = true;
      continue;
    }
    if (spaceBoundary(ctx, spaces, ideographic)) return last;
    spaces = 0;
    ideographic = false;
    last = dir < 0 ? i : i + 1;
  }
  return last;
}

/** The nearest hard boundary (line break, tab; part edge) around the original span. */
function segment(ctx: PartContext, os: number, oe: number): [number, number] {
  const t = ctx.orig;
  let a = os;
  while (a > 0 && os - a < 400) {
    const c = t.charCodeAt(a - 1);
    if (c === 0x09 || (!ctx.glyphLines && isLineBreak(c))) break;
    a--;
  }
  let b = oe;
  while (b < t.length && b - oe < 400) {
    const c = t.charCodeAt(b);
    if (c === 0x09 || (!ctx.glyphLines && isLineBreak(c))) break;
    b++;
  }
  return [a, b];
}

/** Is there a line/cell break in the original text between normalised characters `n - 1` and `n`? */
function hardBreakBetween(ctx: PartContext, n: number): boolean {
  const map = ctx.norm.map;
  if (n <= 0 || n >= map.length - 1) return false;
  for (let k = map[n - 1]! + 1; k < map[n]!; k++) {
    const c = ctx.orig.charCodeAt(k);
    if (c === 0x09 || (!ctx.glyphLines && isLineBreak(c))) return true;
  }
  return false;
}

function isSentenceChar(ch: string | undefined, punct: string): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return isHan(c) || /[\p{L}\p{N}]/u.test(ch) || punct.includes(ch);
}

/** Is the span inside a quotation on its line/cell (an opening quote before it closes after it)? */
function quoted(ctx: PartContext, grammar: MarkingGrammar, os: number, oe: number): boolean {
  const [a, b] = segment(ctx, os, oe);
  const lo = Math.max(a, os - 80);
  const hi = Math.min(b, oe + 80);
  const before = ctx.orig.slice(lo, os);
  const after = ctx.orig.slice(oe, hi);
  for (const [open, close] of grammar.heuristics.quotes) {
    if (open === close) {
      const n = before.split(open).length - 1;
      if (n % 2 === 1 && after.includes(close)) return true;
    } else {
      const o = before.lastIndexOf(open);
      if (o >= 0 && before.indexOf(close, o) < 0 && after.includes(close)) return true;
    }
  }
  return false;
}

/** Does a line among the few before the candidate's line introduce examples? */
function exampleBefore(ctx: PartContext, grammar: MarkingGrammar, os: number, phraseStart: number): string | undefined {
  // The same phrase: "示例：秘密★1年".
  const same = ctx.orig.slice(Math.max(0, phraseStart - 12), os).replace(/\s+/g, '');
  for (const w of grammar.heuristics.exampleWords) if (same.includes(w)) return w;
  // Up to 3 non-empty lines before, within 160 characters.
  const [a] = segment(ctx, os, os);
  const prevText = ctx.orig.slice(Math.max(0, a - 160), a);
  const lines = prevText.split(/[\n\r\v\t\u2028\u2029]/).filter((l) => l.trim() !== '').slice(-3);
  for (const l of lines) {
    const s = l.replace(/\s+/g, '');
    for (const w of grammar.heuristics.exampleWords) if (s.includes(w)) return w;
  }
  return undefined;
}

/** Does the non-blank line before the one holding original offset `os` match `re`? */
function previousLine(ctx: PartContext, os: number, re: RegExp): boolean {
  const t = ctx.orig;
  let a = os;
  while (a > 0 && !isLineBreak(t.charCodeAt(a - 1))) a--;
  const lines = t.slice(Math.max(0, a - 200), a).split(/[\n\r\v\u2028\u2029]/).filter((l) => l.trim() !== '');
  const prev = lines[lines.length - 1];
  return prev !== undefined && re.test(prev);
}

/** Is original offset `os` on the first line of the part that holds a tab (the first row of a table)? */
function firstTableRow(ctx: PartContext, os: number): boolean {
  const t = ctx.orig;
  let a = os;
  while (a > 0 && !isLineBreak(t.charCodeAt(a - 1))) a--;
  const tab = t.indexOf('\t');
  return tab < 0 || tab >= a;
}

function nearStart(ctx: PartContext, limit: number, s: number): boolean {
  const t = ctx.norm.text;
  let count = 0;
  for (let i = 0; i < s; i++) {
    const c = t.charCodeAt(i);
    if (!isWs(c) && ++count > limit) return false;
  }
  return true;
}

function groupsOf(m: RegExpExecArray): Record<string, string | undefined> {
  return (m.groups ?? {}) as Record<string, string | undefined>;
}

/**
 * Is the character the regex read as the star really one? A star glyph (★ ☆ ✩ …) always is. An
 * asterisk (`*` and its kin, `heuristics.asterisks`) is also a comment delimiter (`/* 共享秘密 *\/`,
 * ` * ` leaders of a comment block), emphasis (`*秘密*`) and part of emoticons (`秘密*^_^*`), so it
 * counts only when what follows says it is a marking's star: a secrecy period (`秘密*1年`), or the
 * end of its line or cell (`秘密*` alone on a line, typed for ★). Returns why not, or undefined.
 */
function asteriskNotStar(ctx: PartContext, grammar: MarkingGrammar, levelAt: number, starAt: number, period: boolean, periodEnd: number): string | undefined {
  const t = ctx.norm.text;
  const map = ctx.norm.map;
  const os = map[starAt]!;
  if (!grammar.heuristics.asterisks.includes(ctx.orig[os]!)) return undefined;
  if (hardBreakBetween(ctx, starAt)) return 'the asterisk is on another line (a comment leader)';
  if (levelAt > 0 && t[levelAt - 1] === '★' && grammar.heuristics.asterisks.includes(ctx.orig[map[levelAt - 1]!]!) && !hardBreakBetween(ctx, levelAt)) {
    return 'an asterisk before the level too (emphasis)';
  }
  if (period) {
    // `*1年*`: the period wrapped in asterisks is emphasis, not a marking's period.
    const pe = toNorm(map, periodEnd);
    if (t[pe] === '★' && grammar.heuristics.asterisks.includes(ctx.orig[map[pe]!]!) && !hardBreakBetween(ctx, pe)) return 'an asterisk after the period too (emphasis)';
    return undefined;
  }
  const after = side(ctx, os + 1, 1);
  if (strongBoundary(after)) return undefined;
  return 'the asterisk is followed by neither a secrecy period nor the end of the line';
}

/** Candidates of one pattern over the normalised text (period trimmed when a line/cell break splits it off). */
function runPattern(ctx: PartContext, grammar: MarkingGrammar, p: CompiledPattern, out: Candidate[]): void {
  const t = ctx.norm.text;
  p.regex.lastIndex = 0;
  for (let m = p.regex.exec(t); m !== null; m = p.regex.exec(t)) {
    if (m[0] === '') {
      p.regex.lastIndex++;
      continue;
    }
    const g = groupsOf(m);
    const start = m.index;
    let end = start + m[0].length;
    const levelText = p.level ?? g['level'];
    if (levelText === undefined || !LEVELS.has(levelText)) continue;
    let period = g['period'] ?? g['period2'];
    if (period !== undefined) {
      // Periods always end the match. Split off by a line/cell break (a table of levels: 绝密 | 30年)?
      const ps = end - period.length;
      if (hardBreakBetween(ctx, ps)) {
        period = undefined;
        end = ps;
        if (p.id === 'level-period') continue; // what is left is the bare word: the `bare` pattern has it
        // For 密级…保密期限 cut the dangling 保密期限 too.
        const cut = t.slice(start, end).replace(/保密期限:?$/, '');
        end = start + cut.length;
      }
    }
    let star = g['star'] !== undefined;
    let notStar: string | undefined;
    const starAt = m.indices?.groups?.['star']?.[0];
    if (star && starAt !== undefined && starAt < end) {
      notStar = asteriskNotStar(ctx, grammar, m.indices?.groups?.['level']?.[0] ?? start, starAt, period !== undefined, ctx.norm.map[end - 1]! + 1);
      if (notStar !== undefined) {
        // The match ends before the asterisk; what is left is judged on its own evidence.
        star = false;
        period = undefined;
        end = starAt;
      }
    }
    out.push({
      pattern: p,
      start,
      end,
      level: levelText as MarkingLevel,
      star,
      ...(notStar !== undefined ? { notStar } : {}),
      period: period !== undefined,
      label: g['label'],
      box: g['box'],
      suffix: g['suffix'] !== undefined,
      bracket: g['open'] !== undefined,
    });
  }
}

const CHECKED_BOXES = '■☑☒✓✔√▣';

interface Judged {
  c: Candidate;
  verdict: MarkingVerdict;
  reasons: string[];
  /** Form after evidence. */
  strength: MarkingForm;
  nearStart: boolean;
  /** Not reported at all (a bare word in prose). */
  drop: boolean;
}

function judge(ctx: PartContext, grammar: MarkingGrammar, c: Candidate): Judged {
  const h = grammar.heuristics;
  const map = ctx.norm.map;
  const t = ctx.norm.text;
  const os = map[c.start]!;
  const oe = map[c.end - 1]! + 1;
  const before = side(ctx, os, -1);
  const after = side(ctx, oe, 1);
  const reasons: string[] = [];
  const result = (verdict: MarkingVerdict, strength: MarkingForm, near = false, drop = false): Judged => ({ c, verdict, reasons, strength, nearStart: near, drop });

  let strength: MarkingForm = c.pattern.form;
  if (c.notStar !== undefined) {
    reasons.push(`not a star: ${c.notStar}`);
    // Without the star, a level word with no other evidence is the bare word.
    if (c.label === undefined && c.box === undefined && !c.suffix && !c.bracket) strength = 'weak';
  }
  if (c.star) reasons.push('star follows the level');
  if (c.period) reasons.push('secrecy period follows');
  if (c.label !== undefined) reasons.push('密级 label');
  if (c.suffix) reasons.push('notice follows (注意保存 …)');
  if (c.bracket) reasons.push('in brackets');
  if (c.box !== undefined) reasons.push(CHECKED_BOXES.includes(c.box) ? 'ticked box' : 'unticked box (a form template)');
  if (c.star || c.label !== undefined || c.suffix || (c.box !== undefined && CHECKED_BOXES.includes(c.box))) strength = 'strong';
  else if (c.period && strength === 'weak') strength = 'medium';

  const alone = before.boundary !== undefined && after.boundary !== undefined;
  // Set apart as a label: line/cell breaks or wide gaps on both sides (a single space is not enough).
  const aloneStrict = strongBoundary(before) && strongBoundary(after);
  const kindOf = (b: BoundaryKind | undefined): string => (b === 'cell' ? 'cell' : b === 'space' ? 'space' : 'line');
  // A bare word that is not alone on its line/cell is prose: not reported at all.
  if (strength === 'weak' && !aloneStrict) return result('mention', strength, false, true);

  // --- mention checks, in order ---
  for (const hn of grammar.hardNegatives) {
    const lo = Math.max(0, c.start - 8);
    const window = t.slice(lo, Math.min(t.length, c.end + 8));
    hn.regex.lastIndex = 0;
    for (let m = hn.regex.exec(window); m !== null; m = hn.regex.exec(window)) {
      if (m[0] === '') {
        hn.regex.lastIndex++;
        continue;
      }
      // Overlapping, or touching on the same line (a level right before ★★ is a rating; the
      // "*" placeholders PowerPoint leaves on the lines above a note are not).
      const hs = lo + m.index;
      const he = hs + m[0].length;
      // A match across a line or cell break is two words, not one (工作秘密 in A1 above a header
      // cell 任务名称 is not 秘密任务).
      let split = false;
      for (let k = hs + 1; k < he && !split; k++) split = hardBreakBetween(ctx, k);
      if (split) continue;
      const overlap = hs < c.end && he > c.start;
      const touch = !overlap && (he === c.start || hs === c.end) && !hardBreakBetween(ctx, he === c.start ? he : c.end);
      if (overlap || touch) {
        reasons.push(`hard negative: ${hn.id}`);
        return result('mention', strength);
      }
    }
  }
  if (c.box !== undefined && !CHECKED_BOXES.includes(c.box)) return result('mention', strength);
  if (quoted(ctx, grammar, os, oe)) {
    reasons.push('inside quotation');
    return result('mention', strength);
  }
  const phraseStart = before.boundary !== undefined ? os : phraseEdge(ctx, os, -1, 4 * h.verbWindow);
  const phraseEnd = after.boundary !== undefined ? oe : phraseEdge(ctx, oe, 1, 4 * h.verbWindow);
  const segStartN = toNorm(map, phraseStart);
  const segEndN = toNorm(map, phraseEnd);
  const pre = t.slice(Math.max(segStartN, c.start - h.verbWindow), c.start);
  const post = t.slice(c.end, Math.min(segEndN, c.end + h.verbWindow));
  for (const v of h.verbsBefore) {
    if (v.length === 1 ? pre.endsWith(v) : pre.includes(v)) {
      reasons.push(`mention verb before: ${v}`);
      return result('mention', strength);
    }
  }
  for (const w of h.wordsAfter) {
    if (post.startsWith(w)) {
      reasons.push(`mention word after: ${w}`);
      return result('mention', strength);
    }
  }
  if (c.label !== undefined && /[为是]$/.test(c.label)) {
    reasons.push('stated in a sentence (密级为/是 …)');
    return result('mention', strength);
  }
  const prevIn = before.boundary === undefined && isSentenceChar(before.ch, h.sentencePunct);
  const nextIn = after.boundary === undefined && isSentenceChar(after.ch, h.sentencePunct);
  // A comma or colon running into it: part of an enumeration, or the value of a field that is not
  // 密级 (发现文件：机密★5年-….docx in a report); ticked boxes (密级：☑秘密) excepted.
  const joined = before.boundary === undefined && before.ch !== undefined && '，、；,;：:'.includes(before.ch) && c.box === undefined;
  if ((prevIn && nextIn) || joined) {
    reasons.push('inside a sentence');
    return result('mention', strength);
  }
  // A word runs into the level and no period follows the star (共享秘密*, 咱俩的秘密☆): the level
  // ends a word of the sentence, it does not begin a marking. With a period (…工作机密★2年) the shape
  // is unmistakable: extractors join a footnote or a text box to the sentence it is anchored in.
  // (A 密级 label, a box or a bracket before it is evidence enough.)
  if (c.star && !c.period && c.label === undefined && c.box === undefined && !c.bracket && before.boundary === undefined && before.ch !== undefined && /\p{L}/u.test(before.ch)) {
    reasons.push('text runs into it');
    return result('mention', strength);
  }
  // A chat export: the line above is a message header (name, date and time to the second).
  if (strength !== 'strong' && grammar.heuristics.messageHeader !== undefined && previousLine(ctx, os, grammar.heuristics.messageHeader)) {
    reasons.push('a chat message (the line above is a message header)');
    return result('mention', strength);
  }
  // A table's data cell: in a sheet, anything but the sheet's first cell; in other text, a cell
  // below the first row of tab-separated cells. A value in a list (a film titled 秘密, a column of
  // 内部/外部), not a label of the file. Strong forms keep their verdict; the first cell, the print
  // header and the file name are where a sheet is marked.
  if (strength !== 'strong' && !ctx.isHeader && !ctx.isFileName) {
    const dataCell = ctx.isSheet ? ctx.continued || !nearStart(ctx, 0, c.start) : (before.boundary === 'cell' || after.boundary === 'cell') && !firstTableRow(ctx, os);
    if (dataCell) {
      reasons.push(ctx.isSheet ? 'a data cell of the sheet (not its first cell)' : 'a data cell of a table (not its first row)');
      return result('mention', strength);
    }
  }
  const ex = exampleBefore(ctx, grammar, os, phraseStart);
  if (ex !== undefined) {
    reasons.push(`example or list introduced by ${ex}`);
    return result('mention', strength);
  }

  // --- position evidence ---
  const near = !ctx.continued && nearStart(ctx, h.nearStartChars, c.start);
  if (alone) reasons.push(before.boundary === 'space' || after.boundary === 'space' ? 'set apart by spaces' : `standalone ${kindOf(before.boundary === 'edge' ? after.boundary : before.boundary)}`);
  else if (before.boundary !== undefined) reasons.push(`starts its ${kindOf(before.boundary === 'edge' ? 'line' : before.boundary)}`);
  if (near) reasons.push('near start of part');
  if (ctx.isHeader) reasons.push('in page header/footer');
  if (ctx.isFileName) reasons.push('in file name');
  const placed = near || ctx.isHeader || ctx.isFileName;

  if (strength === 'strong') return result('marking', strength, near);
  if (strength === 'medium') {
    if (strongBoundary(before) && (aloneStrict || placed)) return result('marking', strength, near);
    reasons.push(!strongBoundary(before) ? 'does not start its line' : 'not alone on its line and far from the start');
    return result('mention', strength, near);
  }
  // weak, alone on its line/cell
  if (c.pattern.form === 'weak' && t.lastIndexOf('密级', c.start - 2) >= 0) {
    // A value under a 密级 column or field earlier in the part: a ledger (台账) or register of
    // classified items, not this document's marking (密级 right before it is the `label` pattern).
    reasons.push('a value in a table or list with a 密级 column');
    return result('mention', strength, near);
  }
  if (placed) return result('marking', strength, near);
  reasons.push('a bare word far from the start');
  return result('mention', strength, near);
}

/**
 * Finds classification markings (and mentions of them) in the text parts of one document.
 * Results are in part order, then by offset.
 */
export function findMarkings(parts: ReadonlyArray<MarkingPart>, grammar: MarkingGrammar = loadMarkingGrammar(), opts: FindMarkingsOptions = {}): MarkingHit[] {
  const out: MarkingHit[] = [];
  let short: MarkingPart[] = [];
  const flush = (): void => {
    if (short.length > 0) out.push(...findInParts(short, grammar, opts));
    short = [];
  };
  for (const part of parts) {
    if (part.text.length <= PART_WINDOW) {
      short.push(part);
      continue;
    }
    flush();
    // A long part (a 5 MB web page's text, a big sheet) is matched window by window: the
    // normaliser's arrays and copies then cost a window, not the part (6–8 bytes a character).
    // Each hit is taken from one window only: the one where it has at least MARGIN characters of
    // context on both sides (a later window's left edge is not a line start).
    const n = part.text.length;
    for (let start = 0; start < n; start += PART_WINDOW - PART_OVERLAP) {
      const end = Math.min(n, start + PART_WINDOW);
      const last = end === n;
      const from = start === 0 ? 0 : start + PART_MARGIN;
      const to = last ? n : end - PART_OVERLAP + PART_MARGIN;
      const window = { name: part.name, text: part.text.slice(start, end) };
      for (const h of findInParts([window], grammar, { ...opts, continued: opts.continued === true || start > 0 })) {
        const offset = h.offset + start;
        if (offset >= from && offset < to) out.push({ ...h, offset });
      }
      if (last) break;
    }
  }
  flush();
  return out;
}

/** Parts longer than this many characters are matched in windows of this size (see findMarkings). */
export const PART_WINDOW = 1024 * 1024;
/** Overlap between the windows of a long part, and the context a hit needs to be judged in one (text-stream.ts cuts the same windows). */
export const PART_OVERLAP = 4096;
export const PART_MARGIN = 1024;

function findInParts(parts: ReadonlyArray<MarkingPart>, grammar: MarkingGrammar, opts: FindMarkingsOptions): MarkingHit[] {
  const unit = [...new Set((opts.keywords ?? []).map((k) => normalizeForMarkings(k, grammar).text.trim()).filter((k) => k !== ''))];
  const raw = rawPrefilter(grammar, unit);
  const order = new Map(grammar.patterns.map((p, i) => [p, i]));
  const out: MarkingHit[] = [];
  for (const part of parts) {
    // 1. One combined search on the original text.
    if (!raw.test(part.text)) continue;
    const norm = normalizeForMarkings(part.text, grammar);
    // 2. Literal keywords on the normalised text (a handful of `includes`).
    const seen = new Set(grammar.keywords.filter((k) => norm.text.includes(k)));
    const unitSeen = unit.filter((k) => norm.text.includes(k));
    if (seen.size === 0 && unitSeen.length === 0) continue;
    const isFileName = grammar.heuristics.fileNamePart.test(part.name);
    const ctx: PartContext = {
      name: part.name,
      orig: part.text,
      norm,
      ...partStyle(part.text),
      isHeader: grammar.heuristics.headerPart.test(part.name),
      isFileName,
      isSheet: grammar.heuristics.sheetPart.test(part.name),
      // a file name is whole whatever window the text around it was cut from
      continued: opts.continued === true && !isFileName,
    };
    const hits: MarkingHit[] = [];
    const emit = (c: { start: number; end: number }, level: MarkingLevel, verdict: MarkingVerdict, reasons: string[], pattern: string): void => {
      const os = norm.map[c.start]!;
      const oe = norm.map[c.end - 1]! + 1;
      hits.push({ level, text: part.text.slice(os, oe), part: part.name, offset: os, verdict, reasons, pattern });
    };

    // 3. Regexes of the patterns whose keywords were seen.
    const cands: Candidate[] = [];
    for (const p of grammar.patterns) if (p.keywords.some((k) => seen.has(k))) runPattern(ctx, grammar, p, cands);
    // Overlaps: the longest candidate wins; on a tie, the pattern listed first.
    cands.sort((a, b) => b.end - b.start - (a.end - a.start) || order.get(a.pattern)! - order.get(b.pattern)! || a.start - b.start);
    const kept: Candidate[] = [];
    const taken = new Uint8Array(norm.text.length);
    for (const c of cands) {
      let free = true;
      for (let i = c.start; i < c.end && free; i++) if (taken[i] === 1) free = false;
      if (!free) continue;
      taken.fill(1, c.start, c.end);
      kept.push(c);
    }
    kept.sort((a, b) => a.start - b.start);

    // 4. Verdicts.
    const judged = kept.map((c) => judge(ctx, grammar, c)).filter((j) => !j.drop);
    // Lists and tables of levels: the part names several state-secret levels.
    // Only candidates that would count are looked at (a quoted mention lists nothing); form
    // checkboxes list every level by design (the ticked one is the answer), so they are left out.
    const listed = judged.filter((j) => STATE_LEVELS.has(j.c.level) && j.c.box === undefined && j.verdict === 'marking');
    const levels = new Set(listed.map((j) => j.c.level));
    if (levels.size >= 2) {
      let first = true;
      for (const j of listed) {
        const keepFirst = first && j.nearStart && j.strength === 'strong' && levels.size < 3;
        first = false;
        if (j.verdict !== 'marking' || keepFirst) continue;
        if (j.strength !== 'strong' || levels.size >= 3) {
          j.verdict = 'mention';
          j.reasons.push(levels.size >= 3 ? 'all three levels listed in the part' : 'several levels listed in the part');
        }
      }
    }
    for (const j of judged) if (j.verdict === 'marking' || opts.mentions !== false) emit(j.c, j.c.level, j.verdict, j.reasons, j.c.pattern.id);

    // Unit keywords: every occurrence counts, wherever it stands.
    for (const k of unitSeen) {
      for (let i = norm.text.indexOf(k); i >= 0; i = norm.text.indexOf(k, i + k.length)) emit({ start: i, end: i + k.length }, 'keyword', 'marking', ['unit keyword'], 'keyword');
    }
    hits.sort((a, b) => a.offset - b.offset);
    out.push(...hits);
  }
  return out;
}
