/**
 * The host's cost ledger: what every agent has cost, and the same summed per
 * day (local date) and per spawner per day, persisted crash-safe in
 * state/cost.json. Agents report their CLI's usage as running totals per
 * model; the ledger keeps the highest figure seen for each, so a report
 * repeated after a host restart adds nothing, and what a report adds is
 * counted on the day it arrived. Dollars are priced when tokens are added,
 * with the agent's workspace's price table; tokens of a model without a price
 * stay unpriced (listed, never counted as free).
 *
 * Budgets subscribe to `changed`.
 */
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { CostTotals, TokenCounts } from '../protocol/cost';
import type { AgentCostRow, DayCostRow, SpawnerCostRow } from '../protocol/cost';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import { ensureDir } from '../common/secureDir';
import type { Logger } from '../common/logger';
import type { PriceTable } from './pricing';
import { addTokens, isEmpty, isTokenCounts, NO_TOKENS, tokensAdded } from './tokenCounts';

/** Tokens per model and what the priced ones cost. */
interface Bucket {
  models: Record<string, TokenCounts>;
  /** Dollars for the priced models' tokens. */
  usd: number;
  /** Models with tokens but no price. */
  unpriced: string[];
  updatedAt: string;
}

interface AgentEntry extends Bucket {
  name: string;
  driver: string;
  workspace: string | null;
  spawner: string | null;
  /** Local dates on which this agent spent. */
  days: string[];
}

interface LedgerFile {
  version: 1;
  agents: Record<string, AgentEntry>;
  days: Record<string, Bucket>;
  /** spawner → local date → bucket. */
  spawners: Record<string, Record<string, Bucket>>;
}

/** Who an agent is, as the ledger needs it. */
export interface CostedAgent { id: string; name: string; driver: string; workspace: string | null; spawner: string | null }

/** Emitted when a report added tokens: the agent's new totals, and its day's and its spawner's day's. */
export interface CostChange {
  agentId: string;
  agent: CostTotals;
  day: string;
  dayTotals: CostTotals;
  spawner: string | null;
  spawnerDayTotals: CostTotals | null;
}

const FILE_VERSION = 1;

export class CostLedger extends EventEmitter<{ changed: [CostChange] }> {
  private data: LedgerFile;
  private readonly warnedUnpriced = new Set<string>();

  /**
   * @param file state/cost.json
   * @param pricesFor the price table for an agent's workspace (its config's `pricing:` over the shipped one)
   */
  constructor(
    private readonly file: string,
    private readonly pricesFor: (workspace: string | null) => PriceTable,
    private readonly log: Logger,
  ) {
    super();
    this.data = this.load();
  }

  /**
   * Takes an agent's running totals per model. Returns whether anything was
   * added (then `changed` was emitted).
   */
  record(agent: CostedAgent, models: Record<string, TokenCounts>, now = new Date()): boolean {
    const day = localDate(now);
    const stamp = now.toISOString();
    const created = !this.data.agents[agent.id];
    const entry = (this.data.agents[agent.id] ??= { ...emptyBucket(stamp), name: agent.name, driver: agent.driver, workspace: agent.workspace, spawner: agent.spawner, days: [] });
    Object.assign(entry, { name: agent.name, driver: agent.driver, workspace: agent.workspace, spawner: agent.spawner });
    const prices = this.pricesFor(agent.workspace);
    let changed = false;
    for (const [model, totals] of Object.entries(models)) {
      if (!model || !isTokenCounts(totals)) continue;
      const added = tokensAdded(entry.models[model] ?? NO_TOKENS, totals);
      if (isEmpty(added)) continue;
      changed = true;
      const usd = prices.cost(model, added);
      if (usd === undefined) this.warnUnpriced(model, agent.id);
      const buckets = [entry, (this.data.days[day] ??= emptyBucket(stamp))];
      if (agent.spawner) buckets.push(((this.data.spawners[agent.spawner] ??= {})[day] ??= emptyBucket(stamp)));
      for (const bucket of buckets) addToBucket(bucket, model, added, usd, stamp);
    }
    // A session that has used nothing yet is still known: zero, not unknown.
    if (!changed && !created) return false;
    if (changed && !entry.days.includes(day)) entry.days.push(day);
    this.save();
    this.emit('changed', {
      agentId: agent.id,
      agent: totalsOf(entry),
      day,
      dayTotals: totalsOf(this.data.days[day] ?? emptyBucket(stamp)),
      spawner: agent.spawner,
      spawnerDayTotals: agent.spawner ? totalsOf(this.data.spawners[agent.spawner]?.[day] ?? emptyBucket(stamp)) : null,
    });
    return true;
  }

  /** An agent's totals; null when nothing was ever reported for it (its cost is unknown). */
  agent(id: string): CostTotals | null {
    const entry = this.data.agents[id];
    return entry ? totalsOf(entry) : null;
  }

  /** All agents' totals on a local date (YYYY-MM-DD). */
  day(day: string): CostTotals {
    return totalsOf(this.data.days[day] ?? emptyBucket(''));
  }

  /** The totals of the agents one spawner started, on a local date. */
  spawnerDay(spawner: string, day: string): CostTotals {
    return totalsOf(this.data.spawners[spawner]?.[day] ?? emptyBucket(''));
  }

  /** Rows for `superkick cost`; `day` narrows them to that date. */
  rows(day?: string): { agents: AgentCostRow[]; days: DayCostRow[]; spawners: SpawnerCostRow[] } {
    const agents = Object.entries(this.data.agents)
      .filter(([, entry]) => !day || entry.days.includes(day))
      .map(([id, entry]) => ({ id, name: entry.name, driver: entry.driver, spawner: entry.spawner, workspace: entry.workspace, ...totalsOf(entry) }));
    const days = Object.entries(this.data.days)
      .filter(([date]) => !day || date === day)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, bucket]) => ({ day: date, ...totalsOf(bucket) }));
    const spawners = Object.entries(this.data.spawners).flatMap(([spawner, byDay]) =>
      Object.entries(byDay)
        .filter(([date]) => !day || date === day)
        .map(([date, bucket]) => ({ spawner, day: date, ...totalsOf(bucket) })),
    );
    spawners.sort((a, b) => a.day.localeCompare(b.day) || a.spawner.localeCompare(b.spawner));
    return { agents, days, spawners };
  }

  private warnUnpriced(model: string, agentId: string): void {
    if (this.warnedUnpriced.has(model)) return;
    this.warnedUnpriced.add(model);
    this.log.warn('host.cost', `no price for model "${model}" (agent ${agentId}): its tokens are counted but not priced; add it under pricing: in superkick.yml`);
  }

  private load(): LedgerFile {
    const loaded = readJsonOrQuarantine<LedgerFile>(this.file, (movedTo, reason) => this.log.error('host.cost', `cost ledger ${this.file} is corrupt (${reason}); moved to ${movedTo}, starting empty`));
    if (loaded && loaded.version === FILE_VERSION && loaded.agents && loaded.days && loaded.spawners) return loaded;
    if (loaded) this.log.error('host.cost', `cost ledger ${this.file} has an unknown layout (version ${String(loaded.version)}); starting empty`);
    return { version: FILE_VERSION, agents: {}, days: {}, spawners: {} };
  }

  private save(): void {
    try {
      ensureDir(path.dirname(this.file));
      writeFileAtomic(this.file, JSON.stringify(this.data));
    } catch (error) {
      this.log.error('host.cost', `could not save the cost ledger: ${(error as Error).message}`);
    }
  }
}

/** YYYY-MM-DD in the host's local time zone: a "day" is the person's day. */
export function localDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

function emptyBucket(stamp: string): Bucket {
  return { models: {}, usd: 0, unpriced: [], updatedAt: stamp };
}

function addToBucket(bucket: Bucket, model: string, added: TokenCounts, usd: number | undefined, stamp: string): void {
  bucket.models[model] = addTokens(bucket.models[model] ?? NO_TOKENS, added);
  if (usd === undefined) {
    if (!bucket.unpriced.includes(model)) bucket.unpriced.push(model);
  } else {
    bucket.usd += usd;
  }
  bucket.updatedAt = stamp;
}

function totalsOf(bucket: Bucket): CostTotals {
  const tokens = Object.values(bucket.models).reduce(addTokens, NO_TOKENS);
  const models = Object.keys(bucket.models);
  const allUnpriced = models.length > 0 && models.every((model) => bucket.unpriced.includes(model));
  return {
    usd: allUnpriced ? null : roundUsd(bucket.usd),
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    cacheReadTokens: tokens.cacheRead,
    cacheWriteTokens: tokens.cacheWrite,
    models,
    unpricedModels: [...bucket.unpriced],
    updatedAt: bucket.updatedAt,
  };
}

/** Sub-cent precision is kept (a turn can cost a fraction of a cent) but float noise is not. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
