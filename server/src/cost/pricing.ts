/**
 * Prices per model, in USD per million tokens: the shipped table
 * (defaultPrices.json, dated) under the `pricing:` section of the
 * configuration. A model takes the price of the longest key it starts with
 * (`*` in a key matches anything); configured keys win over shipped ones.
 * A model no key matches has no price: its tokens stay unpriced, never free.
 */
import type { TokenCounts } from '../protocol/cost';
import shipped from './defaultPrices.json';

export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** One entry of the `pricing:` section (snake_case as in superkick.yml). */
export interface ConfiguredPrice { input: number; output: number; cache_read?: number; cache_write?: number }

interface Rule { key: string; matches: (model: string) => boolean; price: ModelPrice }

export const SHIPPED_PRICES_AS_OF: string = shipped.asOf;

export class PriceTable {
  private readonly rules: Rule[];

  /** @param configured the `pricing:` section, already validated by the schema (may be undefined) */
  constructor(configured?: Record<string, ConfiguredPrice | null> | null) {
    const toRules = (entries: Record<string, ConfiguredPrice | null>) =>
      Object.entries(entries)
        .filter((entry): entry is [string, ConfiguredPrice] => Boolean(entry[1]))
        .map(([key, price]) => ({ key, matches: keyMatcher(key), price: fromConfigured(price) }))
        // Longest literal part first: `gpt-5-mini` before `gpt-5`.
        .sort((a, b) => b.key.replace(/\*/g, '').length - a.key.replace(/\*/g, '').length);
    this.rules = [...toRules(configured ?? {}), ...toRules(shipped.models as Record<string, ConfiguredPrice>)];
  }

  priceOf(model: string): ModelPrice | undefined {
    return this.rules.find((rule) => rule.matches(model))?.price;
  }

  /** The cost of `tokens` with `model`, or undefined when the model has no price. */
  cost(model: string, tokens: TokenCounts): number | undefined {
    const price = this.priceOf(model);
    if (!price) return undefined;
    const perToken = (count: number, usdPerMillion: number) => (count * usdPerMillion) / 1_000_000;
    return perToken(tokens.input, price.input) + perToken(tokens.output, price.output) + perToken(tokens.cacheRead, price.cacheRead) + perToken(tokens.cacheWrite, price.cacheWrite);
  }
}

function fromConfigured(price: ConfiguredPrice): ModelPrice {
  // A cache price left out costs what plain input costs: an over-estimate rather than free tokens.
  return { input: price.input, output: price.output, cacheRead: price.cache_read ?? price.input, cacheWrite: price.cache_write ?? price.input };
}

function keyMatcher(key: string): (model: string) => boolean {
  if (!key.includes('*')) return (model) => model.startsWith(key);
  const pattern = new RegExp(`^${key.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}`);
  return (model) => pattern.test(model);
}
