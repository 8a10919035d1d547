/** Goals: a person decides an agent's goal by hand (its status travels on AgentRecord.goal). */
import { RequestType } from 'vscode-jsonrpc';
import type { GoalStatus } from './types';

/** Client → host (user only). Mark an agent's pending goal met or failed; the configured end follows. */
export namespace DecideGoal {
  export const method = 'superkick/goals/decide' as const;
  export interface Params { agent: string; state: 'met' | 'failed'; summary?: string; }
  export interface Result { id: string; goal: GoalStatus | null; }
  export const type = new RequestType<Params, Result, void>(method);
}
