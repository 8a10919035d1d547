/**
 * Budgets: past `warn_at_percent` of a limit people are told; at the limit
 * the agent is paused and a person is asked. Pausing does not kill anything:
 * the agent's current turn is interrupted with its driver's interrupt key and
 * the agent is held (nothing is injected) until a person raises the budget
 * (`superkick budget raise`), which releases it with a message saying it may
 * go on, or stops it.
 *
 * Limits come from the agent's workspace (`budget:`) and its assignment
 * (`--budget`, a spawner's `budget_usd`): the agent's own cost, the day's
 * cost of all agents, and the day's cost of its spawner's agents. A raise is
 * headroom for that one agent, on whichever of its limits holds it. At local
 * midnight the day's limits start again: agents held by them go on by
 * themselves, told why.
 */
import { ResponseError } from 'vscode-jsonrpc';
import { AgentLink, ErrorCode, type AgentRecord } from '../protocol';
import type { AgentBudget, LimitStanding } from '../protocol/budget';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { InjectionQueue } from '../supervisor/injectionQueue';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import type { DriverProfile } from '../drivers/profile';
import type { Logger } from '../common/logger';
import { localDate } from '../cost/costLedger';
import { formatUsd, type Spending } from './spending';
import { systemClock, type Clock, type Timer } from '../common/clock';

export interface BudgetSettings {
  daily_usd?: number;
  per_agent_usd?: number;
  per_spawner_usd?: number;
  warn_at_percent?: number;
}

type LimitKind = LimitStanding['kind'];

const DEFAULT_WARN_PERCENT = 80;
const TAG = 'budget';
const LIMIT_WORDS: Record<LimitKind, string> = { agent: "this agent's budget", day: "today's budget for all agents", spawner: "today's budget for its spawner" };

export class BudgetGuard {
  /** Events already published by this host (the notifiers also de-duplicate, across restarts). */
  private readonly published = new Set<string>();
  /** Agents checked once already (each new one is checked when it first appears). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly registry: AgentRegistry,
    private readonly queue: InjectionQueue,
    private readonly bus: SupervisionBus,
    private readonly spending: Spending,
    private readonly settingsOf: (workspace: string | null) => BudgetSettings,
    private readonly profileOf: (agentId: string) => DriverProfile,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  private midnight: Timer | undefined;

  /** Checks every live agent now and whenever spending or budgets change. */
  start(): void {
    this.spending.on('changed', () => this.checkAll());
    // An agent started when today's (or its spawner's) budget is already spent is held from the start.
    this.registry.on('changed', ({ record, removed }) => {
      if (removed || record.state === 'exited' || this.seen.has(record.id)) return;
      this.seen.add(record.id);
      this.check(record);
    });
    this.checkAll();
    this.atNextMidnight();
  }

  stop(): void {
    this.midnight?.cancel();
    this.midnight = undefined;
  }

  checkAll(options: { newDay?: boolean } = {}): void {
    for (const record of this.registry.list({ includeExited: false })) {
      try {
        this.check(record, options);
      } catch (error) {
        this.log.error(TAG, `could not check the budget of ${record.id}: ${(error as Error).message}`);
      }
    }
  }

  standing(record: AgentRecord, day = localDate(new Date(this.clock.now()))): AgentBudget {
    const settings = this.settingsOf(record.workspace);
    const raisedUsd = this.registry.stored(record.id)?.budgetRaisedUsd ?? 0;
    const spentUsd = this.spending.agentUsd(record.id);
    const limits: LimitStanding[] = [];
    const add = (kind: LimitKind, limit: number | null | undefined, spent: number | null) => {
      if (!limit || spent === null) return;
      const limitUsd = limit + raisedUsd;
      limits.push({ kind, limitUsd, spentUsd: spent, percent: (spent / limitUsd) * 100 });
    };
    add('agent', record.assignment.budgetUsd ?? settings.per_agent_usd, spentUsd);
    add('day', settings.daily_usd, this.spending.dayUsd(day));
    if (record.assignment.spawner) add('spawner', settings.per_spawner_usd, this.spending.spawnerDayUsd(record.assignment.spawner, day));
    return { id: record.id, name: record.name, spentUsd, raisedUsd, limits, held: record.hold?.by === 'budget' };
  }

  /** A person gives one agent more headroom; a held agent that is now within its limits is released and told it may continue. */
  raise(agentId: string, usd: number): { budget: AgentBudget; released: boolean } {
    if (!Number.isFinite(usd) || usd <= 0) throw new ResponseError(ErrorCode.InvalidParams, `the amount must be a positive number of US dollars, not ${usd}`);
    const record = this.registry.record(agentId);
    if (record.state === 'exited') throw new ResponseError(ErrorCode.AgentGone, `agent ${agentId} has exited`);
    const raisedUsd = (this.registry.stored(agentId)?.budgetRaisedUsd ?? 0) + usd;
    this.registry.update(agentId, { budgetRaisedUsd: raisedUsd });
    this.log.info(TAG, `budget of ${agentId} raised by ${formatUsd(usd)} (raised ${formatUsd(raisedUsd)} in all)`);
    const wasHeld = record.hold?.by === 'budget';
    this.check(this.registry.record(agentId), { raisedBy: usd });
    const after = this.registry.record(agentId);
    return { budget: this.standing(after), released: wasHeld && !after.hold };
  }

  /** The day's limits are spent per local day: at midnight every agent is checked again, and those held by yesterday's go on. */
  private atNextMidnight(): void {
    const now = new Date(this.clock.now());
    const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1);
    this.midnight = this.clock.after(next.getTime() - now.getTime(), () => {
      this.log.info(TAG, `a new day (${localDate(new Date(this.clock.now()))}): the day's budgets start again`);
      this.checkAll({ newDay: true });
      this.atNextMidnight();
    });
  }

  private check(record: AgentRecord, options: { raisedBy?: number; newDay?: boolean } = {}): void {
    const day = localDate(new Date(this.clock.now()));
    const budget = this.standing(record, day);
    const warnAt = this.settingsOf(record.workspace).warn_at_percent ?? DEFAULT_WARN_PERCENT;
    const over = budget.limits.find((limit) => limit.spentUsd >= limit.limitUsd);
    for (const limit of budget.limits) {
      if (limit !== over && limit.percent >= warnAt && limit.spentUsd < limit.limitUsd) {
        // Keyed by the limit in force: after a raise, nearing the new limit warns again.
        this.publishOnce('budget_warning', limitKey(record, limit, day), {
          agentId: record.id,
          workspace: record.workspace,
          summary: `${record.name} has spent ${formatUsd(limit.spentUsd)} of ${LIMIT_WORDS[limit.kind]} (${formatUsd(limit.limitUsd)})`,
          details: { ...limit },
        });
      }
    }
    const held = record.hold?.by === 'budget';
    if (over && !held) this.pause(record, over, day);
    // Held since an earlier day (the host was down at midnight): the new day is why it goes on.
    else if (!over && held) this.release(record, budget, { ...options, newDay: options.newDay || (!options.raisedBy && localDate(new Date(record.hold!.since)) !== day) });
  }

  private publishOnce(...[type, key, fields]: Parameters<SupervisionBus['publish']>): void {
    const id = `${type}:${key}`;
    if (this.published.has(id)) return;
    this.published.add(id);
    this.bus.publish(type, key, fields);
  }

  private pause(record: AgentRecord, limit: LimitStanding, day: string): void {
    const reason = `reached ${LIMIT_WORDS[limit.kind]}: ${formatUsd(limit.spentUsd)} of ${formatUsd(limit.limitUsd)}. Raise it with: superkick budget raise ${record.id} <usd>, or stop it with: superkick stop ${record.id}`;
    this.registry.setHold(record.id, { reason, by: 'budget', since: new Date(this.clock.now()).toISOString() });
    this.log.warn(TAG, `agent ${record.id} paused: ${reason}`);
    const key = this.profileOf(record.id).interruptKey;
    if (key && record.state === 'working' && record.connected) {
      // Its turn is interrupted, not its process: the conversation stays, ready to go on.
      this.registry
        .link(record.id)
        .sendRequest(AgentLink.AgentInput.type, { text: key, submit: false, queued: false })
        .catch((error: Error) => this.log.warn(TAG, `could not interrupt ${record.id}: ${error.message}`));
    }
    this.publishOnce('budget_exceeded', limitKey(record, limit, day), {
      agentId: record.id,
      workspace: record.workspace,
      summary: `${record.name} is paused: it ${reason}`,
      details: { ...limit, actions: ['raise', 'stop'] },
    });
  }

  private release(record: AgentRecord, budget: AgentBudget, cause: { raisedBy?: number; newDay?: boolean }): void {
    const limits = budget.limits.map((limit) => `${LIMIT_WORDS[limit.kind]} is now ${formatUsd(limit.limitUsd)}, ${formatUsd(limit.spentUsd)} spent`).join('; ');
    const who = cause.raisedBy ? `A person raised your budget by ${formatUsd(cause.raisedBy)}` : cause.newDay ? "A new day began and the day's budget starts again" : 'Your budget was raised';
    this.log.info(TAG, `agent ${record.id} released: ${limits}`);
    this.queue.enqueue(record.id, {
      text: `Superkick: ${who} (${limits}). You may continue with your task where you left off.`,
      submit: true,
      priority: 100,
      source: 'budget',
      dedupeKey: 'budget-release',
    });
    // Queued before the hold ends: it goes in first, with what waited during the pause, as one turn.
    this.registry.setHold(record.id, null);
  }
}

/** What a warning or a pause is about, to tell it once: the agent, the limit in force, and for a day's limit the day. */
function limitKey(record: AgentRecord, limit: LimitStanding, day: string): string {
  return `${record.id}:${limit.kind}:${limit.limitUsd}${limit.kind === 'agent' ? '' : `:${day}`}`;
}
