/**
 * Turns what the agent registry sees into notifiable events on the bus:
 * - `agent_started`, once per agent, when its process first registers;
 * - `agent_waiting`, once per waiting spell (a prompt on its screen needs a person);
 * - `agent_idle`, once per idle spell that lasts `agents.idle_notify_after`
 *   seconds with nothing queued for the agent and its goal not reached;
 * - `agent_exited`, when it exits with an error or an unknown exit code.
 *
 * Each event's id comes from facts that survive a host restart (the agent id,
 * and for a spell the time it began, which the agent process reports), so a
 * restarted host that sees the same spell again publishes the same id and the
 * dispatcher's persisted marks keep it from being notified twice.
 */
import type { AgentRecord, SupervisionEventType } from '../protocol';
import type { Logger } from '../common/logger';
import { isPlainObject } from '../config/layers';
import type { EffectiveConfig } from '../config/sections';
import type { AgentsChangedEvent } from './agentRegistry';
import type { SupervisionBus } from './supervisionBus';

/** A minute: longer than the pause between a CLI's turns, short enough that a stuck agent is noticed. */
export const DEFAULT_IDLE_NOTIFY_AFTER_S = 60;

/** How people and Superkick itself stop a program (`superkick stop` sends SIGHUP, then SIGKILL): not an error. */
const STOP_SIGNALS = new Set([1, 2, 9, 15]);

export interface LifecycleDeps {
  registry: {
    on(event: 'changed', listener: (event: AgentsChangedEvent) => void): unknown;
    off(event: 'changed', listener: (event: AgentsChangedEvent) => void): unknown;
    list(options?: { includeExited?: boolean }): AgentRecord[];
    record(id: string): AgentRecord;
  };
  bus: SupervisionBus;
  /** Messages waiting for the agent (an agent with something queued is not idle for long). */
  queue: { pending(agentId: string): unknown[] };
  configs: { configOf(workspace: string | null): EffectiveConfig };
  log: Logger;
  now?: () => number;
}

/** What has been published for one agent in this host's life (the persisted marks cover the rest). */
interface Seen {
  started: boolean;
  exited: boolean;
  waitingSince: string | null;
  idleSince: string | null;
  idleTimer: NodeJS.Timeout | undefined;
}

/** Whether an exit is worth a person's attention. */
export function exitedWithError(record: Pick<AgentRecord, 'exitCode' | 'signal'>): boolean {
  if (record.signal !== null && record.signal !== undefined && record.signal !== 0) return !STOP_SIGNALS.has(record.signal);
  return record.exitCode === null || record.exitCode !== 0;
}

export class LifecycleEvents {
  private readonly seen = new Map<string, Seen>();
  private readonly now: () => number;
  private readonly listener = ({ record, removed }: AgentsChangedEvent) => this.observe(record, removed);

  constructor(private readonly deps: LifecycleDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Follows the registry from now on, after a look at every agent it already knows (a restarted host catches up here). */
  start(): void {
    this.deps.registry.on('changed', this.listener);
    for (const record of this.deps.registry.list({ includeExited: true })) this.observe(record);
  }

  stop(): void {
    this.deps.registry.off('changed', this.listener);
    for (const seen of this.seen.values()) clearTimeout(seen.idleTimer);
    this.seen.clear();
  }

  private observe(record: AgentRecord, removed = false): void {
    try {
      if (removed) {
        clearTimeout(this.seen.get(record.id)?.idleTimer);
        this.seen.delete(record.id);
        return;
      }
      const seen = this.seenFor(record.id);
      if (record.state !== 'idle') this.cancelIdle(seen);
      if (record.state === 'exited') {
        if (!seen.exited && exitedWithError(record)) {
          seen.exited = true;
          const how = record.signal ? `was killed by signal ${record.signal}` : record.exitCode === null ? 'exited with an unknown exit code' : `exited with code ${record.exitCode}`;
          this.publish('agent_exited', record.id, record, record.exitedAt, `${record.name} ${how}`, { exitCode: record.exitCode, signal: record.signal });
        }
        return;
      }
      // A pid means its process has registered: it runs.
      if (!seen.started && record.pid !== null) {
        seen.started = true;
        this.publish('agent_started', record.id, record, record.createdAt, null, {});
      }
      const since = record.stateSince ?? new Date(this.now()).toISOString();
      if (record.state === 'waiting' && seen.waitingSince !== since) {
        seen.waitingSince = since;
        this.publish('agent_waiting', `${record.id}:${since}`, record, since, null, {});
      }
      if (record.state === 'idle' && seen.idleSince !== since) this.scheduleIdle(seen, record, since);
    } catch (error) {
      this.deps.log.error('lifecycle', `could not follow agent ${record.id}: ${(error as Error).message}`);
    }
  }

  private scheduleIdle(seen: Seen, record: AgentRecord, since: string): void {
    this.cancelIdle(seen);
    seen.idleSince = since;
    const afterMs = this.idleNotifyAfterS(record.workspace) * 1000;
    const dueIn = Math.max(0, Date.parse(since) + afterMs - this.now());
    seen.idleTimer = setTimeout(() => this.idleDue(record.id, since, afterMs), Number.isFinite(dueIn) ? dueIn : afterMs);
    seen.idleTimer.unref();
  }

  private idleDue(id: string, since: string, afterMs: number): void {
    const seen = this.seen.get(id);
    if (seen) seen.idleTimer = undefined;
    let record: AgentRecord;
    try {
      record = this.deps.registry.record(id);
    } catch {
      return;
    }
    if (record.state !== 'idle' || (record.stateSince && record.stateSince !== since)) return;
    // Something queued goes in at this idle; an agent whose goal is decided is done, not stuck.
    if (this.deps.queue.pending(id).length) return;
    if (record.goal && record.goal.state !== 'pending') return;
    this.publish('agent_idle', `${id}:${since}`, record, new Date(Date.parse(since) + afterMs).toISOString(), null, { idleSeconds: Math.round(afterMs / 1000) });
  }

  private cancelIdle(seen: Seen): void {
    clearTimeout(seen.idleTimer);
    seen.idleTimer = undefined;
    seen.idleSince = null;
  }

  private idleNotifyAfterS(workspace: string | null): number {
    try {
      const agents = this.deps.configs.configOf(workspace).agents;
      const value = isPlainObject(agents) ? agents.idle_notify_after : undefined;
      if (typeof value === 'number' && value > 0) return value;
    } catch {
      // No configuration for it: the default.
    }
    return DEFAULT_IDLE_NOTIFY_AFTER_S;
  }

  private publish(type: SupervisionEventType, key: string, record: AgentRecord, occurredAt: string | null, summary: string | null, details: Record<string, unknown>): void {
    this.deps.log.debug('lifecycle', `${type} ${key}`);
    this.deps.bus.publish(type, key, { agentId: record.id, workspace: record.workspace, occurredAt: occurredAt ?? new Date(this.now()).toISOString(), summary, details });
  }

  private seenFor(id: string): Seen {
    let seen = this.seen.get(id);
    if (!seen) {
      seen = { started: false, exited: false, waitingSince: null, idleSince: null, idleTimer: undefined };
      this.seen.set(id, seen);
    }
    return seen;
  }
}
