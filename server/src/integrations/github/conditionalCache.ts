/**
 * Conditionals kept in memory by key, for a caller with no persisted state
 * between polls (a spawner's poll gets none): the kind holds one cache and
 * passes `cache.get(key)` as `previous`, `cache.set(key, result.next)` after.
 * `toJSON()` and the constructor let a caller persist it when it can. Bounded:
 * the least recently used entries go first.
 */
import type { Conditional } from './conditionalRequest';

const DEFAULT_MAX_ENTRIES = 200;

export class ConditionalCache {
  private readonly entries = new Map<string, Conditional<unknown>>();

  constructor(saved: Record<string, Conditional<unknown>> = {}, private readonly maxEntries = DEFAULT_MAX_ENTRIES) {
    for (const [key, entry] of Object.entries(saved)) this.set(key, entry);
  }

  get<Kept>(key: string): Conditional<Kept> | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry as Conditional<Kept> | undefined;
  }

  set<Kept>(key: string, entry: Conditional<Kept>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  toJSON(): Record<string, Conditional<unknown>> {
    return Object.fromEntries(this.entries);
  }
}
