/**
 * Budgets against a scripted spending source: warn once near a limit, pause
 * at it (interrupt key pressed on a working agent, held so nothing is
 * injected), and a raise that releases it with a message to go on; at
 * midnight (a stepped clock) the day's limit starts again.
 */
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { AgentRegistry } from '../../server/src/supervisor/agentRegistry';
import { AgentStore } from '../../server/src/host/agentStore';
import { InjectionQueue } from '../../server/src/supervisor/injectionQueue';
import { SupervisionBus } from '../../server/src/supervisor/supervisionBus';
import { superkickPaths } from '../../server/src/common/paths';
import { BudgetGuard, type BudgetSettings } from '../../server/src/budget/budgetGuard';
import type { Spending } from '../../server/src/budget/spending';
import { SteppedClock } from '../helpers/steppedClock';
import { localDate } from '../../server/src/cost/costLedger';
import { driverNamed } from '../../server/src/drivers';
import type { Logger } from '../../server/src/common/logger';
import type { AgentSpec, SupervisionEvent } from '../../server/src/protocol';

const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** Each agent's cost so far, all of it spent on the clock's day (a new day starts at zero). */
class ScriptedSpending extends EventEmitter implements Spending {
  readonly agents = new Map<string, number | null>();
  private readonly spentOn = new Map<string, string>();
  constructor(private readonly today: () => string) {
    super();
  }
  spend(agentId: string, usd: number | null): void {
    this.agents.set(agentId, usd);
    this.spentOn.set(agentId, this.today());
    this.emit('changed', agentId);
  }
  agentUsd(agentId: string): number | null {
    return this.agents.get(agentId) ?? null;
  }
  dayUsd(day: string): number {
    return [...this.agents].reduce<number>((sum, [id, usd]) => sum + (this.spentOn.get(id) === day ? (usd ?? 0) : 0), 0);
  }
  spawnerDayUsd(): number {
    return 0;
  }
}

describe('budget guard', () => {
  let registry: AgentRegistry;
  let queue: InjectionQueue;
  let spending: ScriptedSpending;
  let guard: BudgetGuard;
  let events: SupervisionEvent[];
  let typed: Array<{ text: string; queued: boolean }>;
  let settings: BudgetSettings;
  let clock: SteppedClock;

  const spec = (budgetUsd?: number): AgentSpec => ({ command: 'claude', args: [], cwd: '/tmp', name: 'fixer', driver: 'claude', cols: 80, rows: 24, history: 10, record: false, workspace: null, assignment: budgetUsd ? { budgetUsd } : {} });
  /** An agent connected through a fake link that records what is typed into it. */
  const agent = (budgetUsd?: number, state: 'working' | 'idle' = 'working') => {
    const created = registry.create(spec(budgetUsd));
    const link = { sendRequest: async (_type: unknown, params: { text: string; queued: boolean }) => (typed.push(params), { bytes: params.text.length, deferred: false }) };
    registry.register({ id: created.id, spec: created.spec, pid: process.pid, childPid: null, state, viewers: 0, attachSocket: '/nowhere', recording: null, createdAt: created.createdAt }, link as unknown as MessageConnection);
    return created.id;
  };

  beforeEach(() => {
    const paths = superkickPaths(fs.mkdtempSync(path.join(os.tmpdir(), 'sk-budget-')));
    fs.mkdirSync(paths.state, { recursive: true });
    registry = new AgentRegistry(new AgentStore(paths.agentsState, quiet), paths, quiet);
    typed = [];
    queue = new InjectionQueue(paths.queues, async () => true, quiet, (id) => registry.record(id));
    const bus = new SupervisionBus();
    events = [];
    bus.on('event', (event) => events.push(event));
    // An evening, local time: the day's budget starts again in an hour.
    clock = new SteppedClock(new Date(2026, 10, 24, 23, 0, 0).getTime());
    spending = new ScriptedSpending(() => localDate(new Date(clock.now())));
    settings = {};
    guard = new BudgetGuard(registry, queue, bus, spending, () => settings, (id) => driverNamed(registry.record(id).driver), quiet, clock);
    guard.start();
  });

  it('warns once past warn_at_percent, then pauses at the limit: interrupts the turn and holds the agent', () => {
    const id = agent(1);
    spending.spend(id, 0.5);
    assert.equal(events.length, 0);
    spending.spend(id, 0.85);
    spending.spend(id, 0.9);
    assert.deepEqual(events.map((e) => e.type), ['budget_warning']);
    assert.match(events[0].summary ?? '', /fixer has spent \$0\.85 of this agent's budget \(\$1\.00\)/);

    spending.spend(id, 1.02);
    assert.deepEqual(events.map((e) => e.type), ['budget_warning', 'budget_exceeded']);
    assert.deepEqual(typed, [{ text: '\x1b', submit: false, queued: false }], 'Esc, the claude driver\'s interrupt key, pressed at once');
    const held = registry.record(id);
    assert.equal(held.hold?.by, 'budget');
    assert.match(held.hold?.reason ?? '', /superkick budget raise/);
    assert.equal(registry.record(id).state, 'working', 'paused, not killed');

    // Held: a message queued for it waits, even when it is idle.
    queue.enqueue(id, { text: 'CI failed', submit: true });
    registry.status(id, { state: 'idle', viewers: 0, recording: null });
    assert.equal(queue.pending(id).length, 1);
  });

  it('releases a held agent when a person raises its budget, telling it to go on', () => {
    const id = agent(1);
    spending.spend(id, 1.5);
    assert.equal(registry.record(id).hold?.by, 'budget');
    const small = guard.raise(id, 0.25);
    assert.equal(small.released, false, 'still over: $1.50 of $1.25');
    const enough = guard.raise(id, 1);
    assert.equal(enough.released, true);
    assert.equal(registry.record(id).hold, null);
    assert.equal(enough.budget.limits[0].limitUsd, 2.25);
    const [message] = queue.pending(id);
    assert.match(message.text, /A person raised your budget by \$1\.00 .*You may continue/);
    assert.equal(message.source, 'budget');
  });

  it('applies the day limit across agents and never guesses an unknown cost', () => {
    settings = { daily_usd: 2 };
    const a = agent();
    const b = agent(undefined, 'idle');
    const unknown = agent();
    spending.spend(unknown, null);
    spending.spend(a, 1.2);
    spending.spend(b, 0.9);
    assert.equal(registry.record(a).hold?.by, 'budget');
    assert.equal(registry.record(b).hold?.by, 'budget');
    assert.match(registry.record(a).hold?.reason ?? '', /today's budget for all agents: \$2\.10 of \$2\.00/);
    // The day's limit holds every agent, also one whose own cost is unknown; only the working ones had a turn to interrupt.
    assert.equal(registry.record(unknown).hold?.by, 'budget');
    assert.deepEqual(typed.map((t) => t.text), ['\x1b', '\x1b']);
    const standing = guard.standing(registry.record(unknown));
    assert.equal(standing.spentUsd, null, 'unknown, never guessed as zero');
    assert.deepEqual(standing.limits.map((l) => l.kind), ['day']);
  });

  it("releases agents held by the day's limit at midnight, telling them why; an agent's own limit still holds", async () => {
    settings = { daily_usd: 1 };
    const held = agent(undefined, 'idle');
    const ownLimit = agent(0.5, 'idle');
    spending.spend(held, 0.7);
    spending.spend(ownLimit, 0.6);
    assert.equal(registry.record(held).hold?.by, 'budget');
    await clock.advance(59 * 60_000);
    assert.equal(registry.record(held).hold?.by, 'budget', 'still today');
    await clock.advance(2 * 60_000);
    assert.equal(registry.record(held).hold, null);
    assert.match(queue.pending(held)[0].text, /A new day began and the day's budget starts again .*You may continue/);
    assert.equal(registry.record(ownLimit).hold?.by, 'budget', 'its own $0.50 is spent whatever the day');
    // And the next day's spending is held again when it reaches the limit.
    spending.spend(held, 1.1);
    assert.equal(registry.record(held).hold?.by, 'budget');
    assert.equal(events.filter((e) => e.type === 'budget_exceeded' && e.agentId === held).length, 2, 'told on each day');
  });

  it('releases them after a host that was down at midnight starts again, with the same words', async () => {
    settings = { daily_usd: 1 };
    const held = agent(undefined, 'idle');
    spending.spend(held, 1.2);
    guard.stop();
    await clock.advance(2 * 3600_000);
    const restarted = new BudgetGuard(registry, queue, new SupervisionBus(), spending, () => settings, (id) => driverNamed(registry.record(id).driver), quiet, clock);
    restarted.start();
    restarted.stop();
    assert.equal(registry.record(held).hold, null);
    assert.match(queue.pending(held)[0].text, /A new day began/);
  });

  it("holds an agent started after today's budget is spent", () => {
    settings = { daily_usd: 1 };
    const spender = agent();
    spending.spend(spender, 1.5);
    const late = agent(undefined, 'idle');
    assert.equal(registry.record(late).hold?.by, 'budget');
    assert.match(registry.record(late).hold?.reason ?? '', /today's budget for all agents/);
  });

  it('refuses a raise that is not a positive amount', () => {
    const id = agent(1);
    assert.throws(() => guard.raise(id, -1), /positive number of US dollars/);
    assert.throws(() => guard.raise(id, Number.NaN), /positive number/);
  });
});
