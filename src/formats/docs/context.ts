/** Per-file extraction state: collected parts, embedded files, gaps, and the limits being enforced. */
import type { DocFormat, Embedded, ExtractMeta, ExtractOptions, Gap, GapKind, TextPart } from './types.js';
import { DEFAULT_LIMITS } from './types.js';

/** Thrown internally to stop extraction (abort, timeout, a global cap); turned into a gap by `extractText`. */
export class StopError extends Error {
  constructor(
    readonly kind: GapKind,
    message: string,
  ) {
    super(message);
    this.name = 'StopError';
  }
}

export class Ctx {
  readonly parts: TextPart[] = [];
  readonly embedded: Embedded[] = [];
  readonly gaps: Gap[] = [];
  readonly meta: ExtractMeta = {};
  format: DocFormat = 'unknown';

  readonly maxExpandedBytes: number;
  readonly maxRatio: number;
  readonly maxMembers: number;
  readonly maxTextChars: number;
  readonly name: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly lazy: boolean;
  private readonly deadline: number;

  /** Bytes decompressed or copied out so far (counted against maxExpandedBytes). */
  expanded = 0;
  textChars = 0;
  members = 0;
  private truncated = false;

  constructor(opts: ExtractOptions) {
    this.maxExpandedBytes = opts.maxExpandedBytes ?? DEFAULT_LIMITS.maxExpandedBytes;
    this.maxRatio = opts.maxRatio ?? DEFAULT_LIMITS.maxRatio;
    this.maxMembers = opts.maxMembers ?? DEFAULT_LIMITS.maxMembers;
    this.maxTextChars = opts.maxTextChars ?? DEFAULT_LIMITS.maxTextChars;
    this.name = opts.name;
    this.signal = opts.signal;
    this.lazy = opts.lazyEmbedded === true;
    const t = opts.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
    this.deadline = t > 0 ? Date.now() + t : Infinity;
  }

  /** Throws a StopError when aborted or past the time budget. Call between units of work. */
  check(): void {
    if (this.signal?.aborted) throw new StopError('timeout', 'aborted by the caller');
    if (Date.now() > this.deadline) throw new StopError('timeout', 'time budget for this file exceeded');
  }

  /** Milliseconds left in the time budget (Infinity when none). */
  remainingMs(): number {
    return this.deadline - Date.now();
  }

  gap(kind: GapKind, reason: string, part?: string): void {
    if (this.gaps.length >= 1000) return;
    const g: Gap = part === undefined ? { kind, reason } : { kind, reason, part };
    if (!this.gaps.some((x) => x.kind === g.kind && x.reason === g.reason && x.part === g.part)) this.gaps.push(g);
  }

  /** Adds a text part (whitespace-only text is dropped); enforces maxTextChars. */
  part(name: string, text: string): void {
    if (!/\S/.test(text)) return;
    if (this.truncated) return;
    const room = this.maxTextChars - this.textChars;
    if (text.length > room) {
      text = text.slice(0, Math.max(0, room));
      this.truncated = true;
      this.gap('partial', `text output capped at ${this.maxTextChars} characters`, name);
      if (!text) return;
    }
    this.textChars += text.length;
    this.parts.push({ name, text });
  }

  /** Reserves `n` bytes of the expansion budget; false (and a gap) when it is exhausted. */
  reserve(n: number, what: string): boolean {
    if (this.expanded + n > this.maxExpandedBytes) {
      this.gap('too-large', `expanded-size budget of ${this.maxExpandedBytes} bytes exhausted`, what);
      return false;
    }
    this.expanded += n;
    return true;
  }

  /** Counts one member / stream / mail part; false (and a gap) past maxMembers. */
  countMember(): boolean {
    this.members++;
    if (this.members > this.maxMembers) {
      this.gap('zip-bomb', `more than ${this.maxMembers} members; the rest were not read`);
      return false;
    }
    return true;
  }

  embed(name: string, bytes: Uint8Array): void {
    this.embedded.push({ name, bytes });
  }

  /**
   * An embedded file read only when wanted (ExtractOptions.lazyEmbedded), else read now. `head`
   * gives its first bytes cheaply. What load() reserves from the expansion budget is given back
   * by release(): the budget then bounds what is held at once, not what is read in all.
   */
  embedLazy(name: string, load: () => Uint8Array | null, head?: () => Uint8Array | null, stream?: Embedded['stream']): void {
    if (this.lazy) {
      let held = 0;
      this.embedded.push({
        name,
        bytes: new Uint8Array(0),
        load: () => {
          const before = this.expanded;
          const b = load();
          held = this.expanded - before;
          return b;
        },
        ...(head ? { head } : {}),
        ...(stream ? { stream } : {}),
        release: () => {
          this.expanded -= held;
          held = 0;
        },
      });
      return;
    }
    const b = load();
    if (b) this.embed(name, b);
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
