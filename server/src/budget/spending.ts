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

/** The local calendar day of a moment, as YYYY-MM-DD. */
export function localDay(at = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Dollars as people read them: cents, or more digits for sums under a cent. */
export function formatUsd(usd: number): string {
  return usd !== 0 && Math.abs(usd) < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
