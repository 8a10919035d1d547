import type { CostLedger } from '../cost/costLedger';

/** What the budgets need to know about spending; the cost ledger provides it. */
export interface Spending {
  /** An agent's spending changed (its own, hence also its day's and its spawner's). */
  on(event: 'changed', listener: (agentId: string) => void): unknown;
  /** US dollars the agent has cost so far; null when its CLI exposes no usage. */
  agentUsd(agentId: string): number | null;
  /** US dollars of every agent on one local day (YYYY-MM-DD). */
  dayUsd(day: string): number;
  /** US dollars of the agents one spawner started, on one local day. */
  spawnerDayUsd(spawner: string, day: string): number;
}

/** The cost ledger, as budgets read it (priced sums only: an unknown cost is null, an unpriced day counts what was priced). */
export function ledgerSpending(ledger: CostLedger): Spending {
  return {
    on: (_event, listener) => ledger.on('changed', ({ agentId }) => listener(agentId)),
    agentUsd: (agentId) => ledger.agent(agentId)?.usd ?? null,
    dayUsd: (day) => ledger.day(day).usd ?? 0,
    spawnerDayUsd: (spawner, day) => ledger.spawnerDay(spawner, day).usd ?? 0,
  };
}

/** Dollars as people read them: cents, or more digits for sums under a cent. */
export function formatUsd(usd: number): string {
  return usd !== 0 && Math.abs(usd) < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
