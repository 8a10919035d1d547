/**
 * Cost messages: an agent process reports what its CLI has used so far, and
 * clients ask for the ledger (`superkick cost`).
 */
import { RequestType } from 'vscode-jsonrpc';

/** Tokens used with one model. `input` excludes the cached ones, which are counted apart (they are priced apart). */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * What one agent, one spawner's day or one day has cost. `usd` covers the
 * models the price table knows; it is null when none of the tokens could be
 * priced. `unpricedModels` lists models whose tokens are left out of `usd`.
 */
export interface CostTotals {
  usd: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  models: string[];
  unpricedModels: string[];
  updatedAt: string;
}

/**
 * Agent process → host (agent token). Everything the agent's CLI has used
 * since it started, per model: totals, not increments, so a report sent twice
 * (after a host restart) counts once. Totals never go down: a lower figure
 * than one already recorded is ignored.
 */
export namespace ReportUsage {
  export const method = 'superkick/cost/reportUsage' as const;
  export interface Params {
    /** Where the figures were read (a session file), for the log. */
    source: string;
    models: Record<string, TokenCounts>;
  }
  export const type = new RequestType<Params, void, void>(method);
}

export type CostGrouping = 'agent' | 'spawner' | 'day';

export interface AgentCostRow extends CostTotals { id: string; name: string; driver: string; spawner: string | null; workspace: string | null }
export interface DayCostRow extends CostTotals { day: string }
export interface SpawnerCostRow extends CostTotals { spawner: string; day: string }

/**
 * Client → host. The cost ledger. `day` (YYYY-MM-DD, local) narrows the day
 * and spawner rows to that day and the agents to those that spent on it. An
 * agent token sees only its own agent and no totals.
 */
export namespace GetCost {
  export const method = 'superkick/cost/get' as const;
  export interface Params { day?: string }
  export interface Result {
    agents: AgentCostRow[];
    days: DayCostRow[];
    spawners: SpawnerCostRow[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}
