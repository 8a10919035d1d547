/**
 * Where each agent's goal stands, and what follows when it is decided.
 *
 * An agent's goal is an entry under `goals:` in its workspace's
 * superkick.yml, named by its assignment. The tracker starts the goal type's
 * watch while the agent lives, takes the agent's own signal (the MCP tool
 * superkick_signal_goal), bounds every agent by `max_duration`, and decides
 * once: the decision is kept on the agent's record (so it survives a host
 * restart), people are told (goal_met / goal_failed on the bus), and the
 * configured end follows (`on_met` default stop, `on_failed` default keep).
 */
import { ResponseError } from 'vscode-jsonrpc';
import { AgentLink, ErrorCode, type AgentRecord, type GoalState, type GoalStatus } from '../protocol';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import type { Logger } from '../common/logger';
import type { WebhookHint } from '../webhooks/webhookIntake';
import { integrationFor } from '../integrations';
import type { GoalWatch, GoalWatchContext } from './goalKind';
import { Deadline } from '../common/deadline';

export interface GoalSignalResult {
  /** Whether the signal decided the goal (a goal already decided, or one that is not the agent's to call, is not changed). */
  accepted: boolean;
  /** Said back to the agent. */
  message: string;
  goal: GoalStatus | null;
}

/** The goal settings of an agent's workspace, as the tracker needs them. */
export interface GoalConfig {
  /** Entries under `goals:`. */
  goals: Record<string, Record<string, unknown>>;
  /** `agents.max_duration`, seconds. */
  maxDurationS: number | null;
  /** Why a named goal is missing, when it is held back by workspace trust. */
  heldBack(name: string): string | null;
}

type Decided = Exclude<GoalState, 'pending'>;

interface Slot {
  goal?: GoalWatch;
  deadline?: Deadline;
  goalDeadline?: Deadline;
}

const TAG = 'goals';

export class GoalTracker {
  private readonly watches = new Map<string, Slot>();
  /** Agents whose end is `stop`, stopped as soon as they are connected (a host restart may come between the decision and the stop). */
  private readonly toStop = new Set<string>();

  constructor(
    private readonly registry: AgentRegistry,
    private readonly bus: SupervisionBus,
    private readonly configOf: (workspace: string | null) => GoalConfig,
    private readonly log: Logger,
  ) {}

  /** Follows every agent from now on, picking up the ones that were running (or exited) while the host was away. */
  start(): void {
    this.registry.on('changed', ({ record, removed }) => {
      if (removed) this.unwatch(record.id);
      else if (record.state !== 'exited' && !this.watches.has(record.id)) this.follow(record);
      if (record.connected && this.toStop.delete(record.id)) void this.stopAgent(record.id);
      if (record.state === 'exited') this.toStop.delete(record.id);
    });
    this.registry.on('exited', (id) => this.agentExited(id));
    for (const record of this.registry.list()) {
      if (record.state === 'exited') this.agentExited(record.id);
      else this.follow(record);
    }
  }

  close(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }

  /** A webhook delivery: each pending goal's watch looks now if it concerns it. Returns how many watches were asked. */
  wake(hint: WebhookHint): number {
    let asked = 0;
    for (const [id, slot] of this.watches) {
      if (!slot.goal?.wake) continue;
      asked += 1;
      try {
        slot.goal.wake(hint);
      } catch (error) {
        this.log.error(TAG, `goal of ${id}: wake threw: ${(error as Error).message}`);
      }
    }
    return asked;
  }

  /**
   * Refuses an assignment whose goal does not exist in the workspace's
   * configuration, saying why (a typo, or held back until trusted).
   */
  checkAssignment(workspace: string | null, goal: string | null | undefined): void {
    if (!goal) return;
    const config = this.configOf(workspace);
    if (config.goals[goal]) return;
    const held = config.heldBack(goal);
    if (held) throw new ResponseError(ErrorCode.InvalidParams, `goal "${goal}" is held back: ${held}. Trust the workspace first (superkick trust)`);
    const known = Object.keys(config.goals);
    throw new ResponseError(ErrorCode.InvalidParams, `no goal named "${goal}" in ${workspace ?? 'the user configuration'}; ${known.length ? `goals: ${known.join(', ')}` : 'it has no goals: section'}`);
  }

  /** The agent's own word, through the MCP tool. */
  signal(agentId: string, status: 'completed' | 'failed', summary: string): GoalSignalResult {
    const record = this.registry.record(agentId);
    if (record.goal && record.goal.state !== 'pending') {
      return { accepted: false, message: `the goal was already ${record.goal.state} (decided by ${record.goal.decidedBy}); nothing changed`, goal: record.goal };
    }
    const state: Decided = status === 'completed' ? 'met' : 'failed';
    const entry = this.entryOf(record);
    if (entry && !integrationFor('goals', String(entry.type))?.goal?.decidedByAgentSignal) {
      // A goal checked from outside (a command, a merged PR) is not decided by the agent saying so.
      this.log.info(TAG, `agent ${agentId} signalled ${state} for goal ${record.assignment.goal} (${entry.type}); recorded, not decisive`);
      return { accepted: false, message: `your goal "${record.assignment.goal}" is of type ${entry.type} and is checked by Superkick, not decided by this signal; keep working until it is met`, goal: record.goal };
    }
    this.decide(agentId, state, summary, 'agent');
    return { accepted: true, message: `goal ${state}; Superkick has recorded it`, goal: this.registry.record(agentId).goal };
  }

  /** A person decides (superkick goal met|fail). */
  decideByPerson(agentId: string, state: Decided, summary: string): GoalStatus | null {
    const record = this.registry.record(agentId);
    if (record.goal && record.goal.state !== 'pending') {
      throw new ResponseError(ErrorCode.InvalidParams, `the goal of ${agentId} was already ${record.goal.state} (decided by ${record.goal.decidedBy})`);
    }
    this.decide(agentId, state, summary, 'person');
    return this.registry.record(agentId).goal;
  }

  private follow(record: AgentRecord): void {
    const slot: Slot = {};
    this.watches.set(record.id, slot);
    const config = this.configOf(record.workspace);
    const entry = this.entryOf(record);
    const name = record.assignment.goal ?? null;
    if (name && !record.goal) {
      this.registry.setGoal(record.id, { name, type: String(entry?.type ?? 'unknown'), state: 'pending', summary: entry ? null : `no goal named "${name}" in the configuration`, decidedAt: null, decidedBy: null });
    }
    const pending = !record.goal || record.goal.state === 'pending';
    if (record.goal && !pending && this.endOf(record, record.goal.state as Decided) === 'stop') this.stopWhenConnected(record.id);
    const started = Date.parse(record.createdAt);

    const maxDurationS = record.assignment.maxDurationS ?? config.maxDurationS;
    if (maxDurationS) {
      slot.deadline = new Deadline(started + maxDurationS * 1000, () => this.overran(record.id, maxDurationS));
    }
    if (!pending || !entry || !name) return;
    const goalLimitS = typeof entry.max_duration === 'number' ? entry.max_duration : null;
    if (goalLimitS) {
      slot.goalDeadline = new Deadline(started + goalLimitS * 1000, () => this.decide(record.id, 'failed', `not met within the goal's max_duration of ${goalLimitS}s`, 'timeout'));
    }
    const kind = integrationFor('goals', String(entry.type))?.goal;
    if (kind?.watch) {
      try {
        slot.goal = kind.watch(this.context(record, name, entry, () => this.watches.get(record.id) === slot));
      } catch (error) {
        this.log.error(TAG, `could not watch goal ${name} of ${record.id}: ${(error as Error).message}`);
      }
    }
  }

  private agentExited(id: string): void {
    const record = this.registry.record(id);
    this.unwatch(id);
    if (!record.goal || record.goal.state !== 'pending') return;
    const entry = this.entryOf(record);
    const kind = entry ? integrationFor('goals', String(entry.type))?.goal : undefined;
    const exit = { exitCode: record.exitCode, signal: record.signal };
    if (kind?.agentExited && entry && record.assignment.goal) kind.agentExited(this.context(record, record.assignment.goal, entry), exit);
    // Whatever the type did not decide, the agent's exit ends: it cannot reach its goal any more.
    this.decide(id, 'failed', `the agent exited (code ${record.exitCode ?? 'unknown'}) before its goal was met`, 'exit');
  }

  private overran(id: string, seconds: number): void {
    const record = this.registry.record(id);
    if (record.state === 'exited') return;
    this.log.warn(TAG, `agent ${id} ran past its max_duration of ${seconds}s; stopping it`);
    if (!record.goal || record.goal.state === 'pending') {
      if (!record.goal) this.registry.setGoal(id, { name: 'max_duration', type: 'max_duration', state: 'pending', summary: null, decidedAt: null, decidedBy: null });
      this.decide(id, 'failed', `ran past its max_duration of ${seconds}s and was stopped`, 'timeout', { end: 'none' });
    }
    this.stopWhenConnected(id);
  }

  private decide(id: string, state: Decided, summary: string, decidedBy: string, options: { end?: 'none' } = {}): void {
    const record = this.registry.record(id);
    if (record.goal && record.goal.state !== 'pending') return;
    const goal: GoalStatus = {
      name: record.goal?.name ?? record.assignment.goal ?? 'agent_signal',
      type: record.goal?.type ?? 'agent_signal',
      state,
      summary,
      decidedAt: new Date().toISOString(),
      decidedBy,
    };
    this.registry.setGoal(id, goal);
    const slot = this.watches.get(id);
    slot?.goal?.stop();
    slot?.goalDeadline?.cancel();
    this.log.info(TAG, `goal ${goal.name} of agent ${id} ${state} (by ${decidedBy}): ${summary.split('\n')[0]}`);
    this.bus.publish(state === 'met' ? 'goal_met' : 'goal_failed', id, { agentId: id, workspace: record.workspace, summary, details: { goal: goal.name, type: goal.type, decidedBy } });
    this.bus.emit('goalDecided', { agentId: id, goal });
    if (options.end === 'none' || record.state === 'exited') return;
    if (this.endOf(record, state) === 'stop') this.stopWhenConnected(id);
  }

  /** `on_met` (default stop) or `on_failed` (default keep) of the agent's goal entry; an agent with no goal entry is kept (nothing configured its end). */
  private endOf(record: AgentRecord, state: Decided): 'stop' | 'keep' {
    const entry = this.entryOf(record);
    if (!entry) return 'keep';
    return (state === 'met' ? (entry?.on_met ?? 'stop') : (entry?.on_failed ?? 'keep')) as 'stop' | 'keep';
  }

  private stopWhenConnected(id: string): void {
    const record = this.registry.record(id);
    if (record.state === 'exited') return;
    if (record.connected) void this.stopAgent(id);
    else this.toStop.add(id);
  }

  private async stopAgent(id: string): Promise<void> {
    try {
      await this.registry.link(id).sendRequest(AgentLink.AgentTerminate.type, { force: false });
    } catch (error) {
      this.log.warn(TAG, `could not stop agent ${id}: ${(error as Error).message}`);
    }
  }

  /** `live`: whether decisions still count (a watch's look that ends after the watch was stopped decides nothing). */
  private context(record: AgentRecord, name: string, entry: Record<string, unknown>, live: () => boolean = () => true): GoalWatchContext {
    return { agent: record, name, entry, log: this.log, decide: (state, summary, decidedBy) => live() && this.decide(record.id, state, summary, decidedBy) };
  }

  private entryOf(record: AgentRecord): Record<string, unknown> | undefined {
    const name = record.assignment.goal;
    return name ? this.configOf(record.workspace).goals[name] : undefined;
  }

  private unwatch(id: string): void {
    const slot = this.watches.get(id);
    if (!slot) return;
    slot.goal?.stop();
    slot.deadline?.cancel();
    slot.goalDeadline?.cancel();
    this.watches.delete(id);
  }

}
