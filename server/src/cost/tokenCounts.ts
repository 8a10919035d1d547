/** Small arithmetic on token counts, shared by the readers and the ledger. */
import type { TokenCounts } from '../protocol/cost';

export const NO_TOKENS: TokenCounts = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

const FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return { input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite };
}

/** What `next` adds to `previous`, field by field; a field that went down adds nothing. */
export function tokensAdded(previous: TokenCounts, next: TokenCounts): TokenCounts {
  const added = { ...NO_TOKENS };
  for (const field of FIELDS) added[field] = Math.max(0, next[field] - previous[field]);
  return added;
}

export function isEmpty(tokens: TokenCounts): boolean {
  return FIELDS.every((field) => tokens[field] === 0);
}

/** A count from a file: a non-negative integer, else 0 (a missing or garbled field counts nothing). */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function isTokenCounts(value: unknown): value is TokenCounts {
  if (!value || typeof value !== 'object') return false;
  return FIELDS.every((field) => typeof (value as Record<string, unknown>)[field] === 'number' && (value as Record<string, number>)[field] >= 0);
}
