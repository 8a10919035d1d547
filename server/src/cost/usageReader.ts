/**
 * What every usage reader does: find this agent's session file, read what
 * was appended since the last poll, and answer the running totals per model
 * since the agent started. Each reader keys what it counts by an id from the
 * file (a message id, a response id), so lines written twice, or the whole
 * file read again, count once.
 */
import type { TokenCounts } from '../protocol/cost';
import { addTokens, NO_TOKENS } from './tokenCounts';
import { JsonlTail } from './jsonlTail';

export type UsageByModel = Record<string, TokenCounts>;

export interface UsageReader {
  /** The session file being read; null until it is found. */
  readonly source: string | null;
  /** Reads what is new and returns the totals per model so far. */
  poll(): UsageByModel;
}

/** Where a model name is missing from the file, its tokens go under this name (unpriced, not dropped). */
export const UNKNOWN_MODEL = 'unknown-model';

/**
 * The shared part: a file found by `locate` (retried on each poll until it
 * exists), its new lines handed to `take`, and one usage entry per id.
 */
export abstract class SessionFileReader implements UsageReader {
  private tail: JsonlTail | undefined;
  private readonly entries = new Map<string, { model: string; tokens: TokenCounts }>();

  get source(): string | null {
    return this.tail?.file ?? null;
  }

  poll(): UsageByModel {
    if (!this.tail) {
      const file = this.locate();
      if (!file) return {};
      this.tail = new JsonlTail(file);
    }
    const { lines, restarted } = this.tail.read();
    if (restarted) this.restart();
    for (const line of lines) if (line && typeof line === 'object') this.take(line as Record<string, unknown>);
    return this.totals();
  }

  /** The session file once it exists, else undefined (asked again at the next poll). */
  protected abstract locate(): string | undefined;
  /** One parsed line of the file. */
  protected abstract take(line: Record<string, unknown>): void;
  /** The file is being read again from the start: forget what was learnt from its lines (entries are kept: ids make them idempotent). */
  protected restart(): void {}

  /** Records (or replaces: the last word on an id wins) the usage of one id. */
  protected put(id: string, model: string | undefined, tokens: TokenCounts): void {
    this.entries.set(id, { model: model || UNKNOWN_MODEL, tokens });
  }

  private totals(): UsageByModel {
    const totals: UsageByModel = {};
    for (const { model, tokens } of this.entries.values()) totals[model] = addTokens(totals[model] ?? NO_TOKENS, tokens);
    return totals;
  }
}

/** A time from a line (ISO string), or NaN. */
export function timeOf(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}
