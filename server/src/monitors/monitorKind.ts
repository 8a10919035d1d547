/**
 * What an integration supplies to be a monitor: a probe (does it apply to
 * this agent, and what exactly would it watch?) and a poll (what changed
 * since last time?). The host's MonitorManager does everything around them:
 * which agents get which entries, one poll per resource however many agents
 * watch it, timers with jitter, backoff, persistence of what was seen and
 * delivered, rendering, sanitizing and queueing. A kind keeps no timers and
 * writes no files; what it must remember between polls it returns as `state`.
 */
import type { Logger } from '../common/logger';
import type { WebhookHint } from '../webhooks/webhookIntake';
import type { AgentRecord } from '../protocol';

/** One named entry under `monitors:` as the manager hands it to a kind. */
export interface MonitorEntry {
  /** The entry's name in superkick.yml (`tests`). */
  name: string;
  /** Its `type:`. */
  type: string;
  /** The entry's keys as configured (the kind's own keys and the common ones). */
  config: Record<string, unknown>;
}

/** One thing a kind watches: two agents (or two entries) that probe to the same key share it. */
export interface MonitorResource<Params = unknown> {
  /**
   * What identifies the watched thing for this kind, e.g. `["<cwd>","<command>"]`
   * for the shell monitor or `owner/repo#12` for a pull request. The manager
   * prefixes it with the type, so kinds need not make it globally unique.
   */
  key: string;
  /** What `poll` needs (JSON: it is persisted). When several entries share a key, the first one's params are used. */
  params: Params;
  /** A short human description for `superkick monitor list`. */
  label: string;
  /**
   * Resources that share one rate limit (all pull requests read with one
   * GitHub token): when a poll of one is told to wait (`retryAfterMs`, a
   * MonitorRetryError), every resource of the group waits as long.
   */
  rateLimitGroup?: string;
}

export type MonitorProbe<Params = unknown> =
  | { applies: true; resources: MonitorResource<Params>[] }
  | { applies: false; reason: string };

/** What a kind gets to work with on every call. */
export interface MonitorEnv {
  log: Logger;
  now(): Date;
  /** Aborted when the host stops; long requests should give up. */
  signal: AbortSignal;
}

/** A change to tell the agents that watch a resource. */
export interface MonitorEvent {
  /**
   * Stable for the same change (a comment id, a check run's id and status, a
   * run counter kept in state): an agent is given one event id once, across
   * restarts, however many entries or polls report it.
   */
  id: string;
  /** The template, within the integration's folder (`shell_alert` → templates/shell/shell_alert.liquid). It also becomes `event.type`. */
  template: string;
  /**
   * Template variables (`{ run: {...} }`). Every string in them is treated as
   * outside text and goes through the one sanitizer before any template sees it.
   */
  variables: Record<string, unknown>;
  /** Used when the entry sets no `priority` (a kind may rank a failing check over a comment). */
  priority?: number;
  summary?: string;
  url?: string;
}

export interface MonitorPollResult<State = unknown> {
  /** What to remember for the next poll (JSON; persisted): an ETag, the last seen ids, the last exit status. */
  state: State;
  /** Changes since `previous`, oldest first. */
  events: MonitorEvent[];
  /** The source asked us to wait at least this long before the next poll (rate limits, Retry-After). */
  retryAfterMs?: number;
}

/** A poll or probe failure that says when to try again (a 429 with Retry-After, an exhausted rate limit). */
export class MonitorRetryError extends Error {
  constructor(message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = 'MonitorRetryError';
  }
}

/** A kind of any params and state, as the core holds them: opaque JSON it stores and hands back. */
export type AnyMonitorKind = MonitorKind<any, any>;

export interface MonitorKind<Params = unknown, State = unknown> {
  /**
   * Whether the entry applies to the agent and what it would watch. May do
   * I/O (is there a PR for the agent's branch?); a throw is reported and the
   * probe tried again with backoff; `applies: false` is probed again each
   * interval. A watching entry is probed again every 10 intervals (at least
   * 5 minutes): resources it no longer names stop, new ones start.
   */
  probe(agent: AgentRecord, entry: MonitorEntry, env: MonitorEnv): Promise<MonitorProbe<Params>>;
  /** One look at the resource. `previous` is null on the first poll ever. Never called twice at once for one resource. */
  poll(resource: MonitorResource<Params>, previous: State | null, env: MonitorEnv): Promise<MonitorPollResult<State>>;
  /** Whether an entry wants an event (the shell monitor's `notify_on`); absent: every event goes to every entry. */
  wants?(event: MonitorEvent, entry: MonitorEntry): boolean;
  /**
   * Events that describe how things stand now, for an agent that starts
   * watching a resource someone else has been polling (a check that is
   * already failing). Ids the agent already has are not given again.
   */
  current?(state: State): MonitorEvent[];
  /** Whether a webhook delivery may have changed this resource, so it is polled now (webhooks/webhookIntake.ts). */
  wakesPoll?(params: Params, hint: WebhookHint): boolean;
  /** Whether a webhook delivery may make an entry that does not apply yet apply (a pull request opened), so it is probed now. */
  wakesProbe?(hint: WebhookHint): boolean;
}
