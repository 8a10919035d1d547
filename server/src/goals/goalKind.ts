/**
 * What a goal type (an integration's `goals:` entry) does: watch the agent's
 * world and decide, once, whether the goal is met or failed. The tracker
 * gives each watch a context; the watch calls `decide` (again is a no-op).
 */
import type { AgentRecord, GoalState } from '../protocol';
import type { Logger } from '../common/logger';
import type { WebhookHint } from '../webhooks/webhookIntake';

export interface GoalWatchContext {
  /** The agent as it was when the watch started. */
  agent: AgentRecord;
  /** The goal's name under `goals:`. */
  name: string;
  /** The entry's keys (type-specific ones included). */
  entry: Record<string, unknown>;
  log: Logger;
  /** Decides the goal (only the first decision counts). */
  decide(state: Exclude<GoalState, 'pending'>, summary: string, decidedBy: string): void;
}

export interface GoalWatch {
  stop(): void;
  /** Optional: a webhook delivery may have decided the goal (a pull request merged): look now if it concerns this one (webhooks/webhookIntake.ts). */
  wake?(hint: WebhookHint): void;
}

export interface GoalKind {
  /** Starts watching for the goal (while the agent lives); nothing to watch for goals decided by events alone. */
  watch?(context: GoalWatchContext): GoalWatch;
  /** The agent's own superkick_signal_goal decides it (for other types the signal is recorded, not believed). */
  decidedByAgentSignal?: boolean;
  /** The agent's program exited while the goal was pending: decide, or leave it to the default (failed: it exited first). */
  agentExited?(context: GoalWatchContext, exit: { exitCode: number | null; signal: number | null }): void;
}
