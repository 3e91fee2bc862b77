// Stable JSON: object keys sorted by UTF-16 code units at every level (the order RFC 8785 uses),
// `undefined` dropped, bigint written as a decimal string. The same report object always gives
// the same bytes, which is what the signature covers.

function normalise(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = normalise(v);
  }
  return out;
}

/** Compact canonical JSON (for digests and ids). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

/** Pretty canonical JSON with a final newline (for report files). */
export function prettyJson(value: unknown): string {
  return JSON.stringify(normalise(value), null, 2) + '\n';
}
