/**
 * What an integration supplies to be a spawner: a poll that says what work
 * there is now. The host's SpawnerManager does everything around it: the
 * entries of each workspace, timers, backoff after errors, `max_agents`, and
 * handing each piece of work to the spawn service, whose dispatch ledger
 * makes sure the same work (the same key) never gets a second agent however
 * often a poll reports it. A kind keeps no timers and writes no files.
 */
import type { Logger } from '../common/logger';
import type { WebhookHint } from '../webhooks/webhookIntake';
import type { RepositoryChoice } from './spawnRequest';

/** One named entry under `spawners:` as the manager hands it to a kind. */
export interface SpawnerEntry {
  name: string;
  type: string;
  workspace: string | null;
  /** The entry's keys as configured (the kind's own and the common ones). */
  config: Record<string, unknown>;
}

/** One piece of work a poll found. */
export interface SpawnWork {
  /**
   * Stable for the same work across polls, restarts and replays, and unique
   * across spawners (start it with the type: `github-issue-acme/app-42`).
   */
  key: string;
  /** One line for people (`acme/app#42: Login fails on Safari`). */
  summary: string;
  /** The kickoff template's variables (JSON). Outside text goes in as it came; templates frame it. */
  vars: Record<string, unknown>;
  /** Where the agent should work, when the work says so (an issue's repository); else the entry's `repository`. */
  repository?: RepositoryChoice;
  /** A branch to start from (a failing check's branch). */
  baseRef?: string;
}

export interface SpawnerEnv {
  log: Logger;
  now(): Date;
  /** Aborted when the entry is stopped or the host stops. */
  signal: AbortSignal;
}

export interface SpawnerKind<Params = unknown> {
  /** The shipped kickoff template for this kind's work (a spawner's `kickoff_template` overrides it). */
  kickoffTemplate: string;
  /** Reads an entry's own keys; throws a UserError people can act on. */
  params(entry: SpawnerEntry): Params;
  /**
   * The work there is now (already-dispatched work may be reported again; it
   * is skipped by key). A throw is retried with backoff; an error with a
   * `retryAfterMs` (a rate limit) is retried no sooner than that.
   */
  poll(params: Params, env: SpawnerEnv): Promise<SpawnWork[]>;
  /** Optional: calls `wake` when new work may have arrived (a file appeared), so it is polled at once. */
  watch?(params: Params, wake: () => void): { close(): void };
  /** Optional: whether a webhook delivery may bring this entry new work, so it is polled at once (webhooks/webhookIntake.ts). */
  wakesOn?(params: Params, hint: WebhookHint): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpawnerKind = SpawnerKind<any>;
