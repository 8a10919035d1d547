/** Budgets: where each agent stands against its limits, and a person raising one. */
import { RequestType } from 'vscode-jsonrpc';

export interface LimitStanding {
  /** `agent` (its own cost), `day` (all agents today), `spawner` (its spawner's agents today). */
  kind: 'agent' | 'day' | 'spawner';
  limitUsd: number;
  spentUsd: number;
  percent: number;
}

export interface AgentBudget {
  id: string;
  name: string;
  /** Null when its CLI exposes no usage (never shown as zero). */
  spentUsd: number | null;
  /** What people raised its limits by. */
  raisedUsd: number;
  limits: LimitStanding[];
  /** Paused at a limit, waiting for a person. */
  held: boolean;
}

/** Client → host. Budget standing of every live agent (an agent token: its own). */
export namespace ShowBudget {
  export const method = 'superkick/budget/show' as const;
  export interface Params { agent?: string; }
  export interface Result { day: string; agents: AgentBudget[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host (user only). Give an agent more headroom; a paused agent within its limits again is released and told to go on. */
export namespace RaiseBudget {
  export const method = 'superkick/budget/raise' as const;
  export interface Params { agent: string; usd: number; }
  export interface Result { budget: AgentBudget; released: boolean; }
  export const type = new RequestType<Params, Result, void>(method);
}
