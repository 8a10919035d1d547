/**
 * The monitor manager with a fake monitor kind and a fake clock: which
 * entries an agent gets, one poll per resource however many agents watch it,
 * backoff after errors and rate limits, and what survives a restart. Time is
 * stepped, never slept.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../server/src/common/logger';
import type { AgentRecord, ConfigStatus } from '../../server/src/protocol';
import { SteppedClock } from '../helpers/steppedClock';
import { MonitorManager } from '../../server/src/monitors/monitorManager';
import { MonitorRetryError, type MonitorEvent, type MonitorKind, type MonitorPollResult, type MonitorProbe } from '../../server/src/monitors/monitorKind';
import { TemplateEngines } from '../../server/src/templates/engines';
import type { AgentsChangedEvent } from '../../server/src/supervisor/agentRegistry';

const quietLog = (): Logger & { warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, error: (_t, m) => warnings.push(m), warn: (_t, m) => warnings.push(m), info: () => {}, debug: () => {} };
};

function agent(id: string, overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id, name: `agent-${id}`, driver: 'command', command: 'sh', args: [], cwd: '/tmp', state: 'working', pid: 1, childPid: 2,
    createdAt: '2026-01-01T00:00:00Z', exitedAt: null, exitCode: null, signal: null, viewers: 0, connected: true,
    attachSocket: null, recording: null, workspace: '/ws', assignment: {}, goal: null, hold: null, progress: null, cost: null, ...overrides,
  };
}

/** A kind whose probe and poll the test scripts; it counts calls. */
class FakeKind implements MonitorKind<{ name: string }, { seen: number }> {
  probes = 0;
  current?: (state: { seen: number }) => MonitorEvent[];
  polls: string[] = [];
  probeResult: (record: AgentRecord) => MonitorProbe<{ name: string }> | Promise<MonitorProbe<{ name: string }>> = () => ({ applies: true, resources: [{ key: 'R', params: { name: 'R' }, label: 'thing R' }] });
  pollResult: (previous: { seen: number } | null) => MonitorPollResult<{ seen: number }> | Promise<MonitorPollResult<{ seen: number }>> = (previous) => ({ state: { seen: previous?.seen ?? 0 }, events: [] });
  async probe(record: AgentRecord): Promise<MonitorProbe<{ name: string }>> {
    this.probes += 1;
    return this.probeResult(record);
  }
  async poll(resource: { params: { name: string } }, previous: { seen: number } | null): Promise<MonitorPollResult<{ seen: number }>> {
    this.polls.push(resource.params.name);
    return this.pollResult(previous);
  }
}

const change = (id: string, value: string): MonitorEvent => ({ id, template: 'changed', variables: { item: { value } } });

interface World {
  manager: MonitorManager;
  clock: SteppedClock;
  kind: FakeKind;
  queued: { agentId: string; text: string; priority?: number; dedupeKey?: string; source?: string }[];
  registry: EventEmitter & { agents: AgentRecord[] };
  configs: EventEmitter & { monitors: Record<string, unknown>; heldBack: string[] };
  log: ReturnType<typeof quietLog>;
  file: string;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Lets the work a fired timer started finish before the clock moves on. */
const settle = (w: { manager: MonitorManager }) => () => w.manager.settled();

function world(options: { agents: AgentRecord[]; monitors: Record<string, unknown>; file?: string; clock?: SteppedClock; kind?: FakeKind; failEnqueue?: boolean }): World {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-mon-'));
  dirs.push(dir);
  const file = options.file ?? path.join(dir, 'monitors.json');
  const clock = options.clock ?? new SteppedClock();
  const kind = options.kind ?? new FakeKind();
  const log = quietLog();
  const queued: World['queued'] = [];
  const registry = Object.assign(new EventEmitter(), { agents: options.agents });
  const configs = Object.assign(new EventEmitter(), { monitors: options.monitors, heldBack: [] as string[] });
  const manager = new MonitorManager({
    registry: { list: () => registry.agents, on: (event, listener) => registry.on(event, listener) },
    configs: {
      configOf: () => ({ monitors: configs.monitors }),
      allStatuses: () => [{ workspace: '/ws', heldBack: configs.heldBack.map((p) => ({ path: p, reason: 'not trusted', file: 'x', line: 1, column: 1 })) } as unknown as ConfigStatus],
      on: (event, listener) => configs.on(event, listener),
    },
    queue: {
      enqueue: (agentId, params) => {
        if (options.failEnqueue) throw new Error('disk full');
        queued.push({ agentId, ...params });
        return { message: {} as never, position: 1 };
      },
      agentChanged: () => {},
    },
    templates: new TemplateEngines(log),
    file,
    log,
    clock,
    random: () => 0.5,
    kindOf: (type) => (type === 'fake' ? kind : undefined),
  });
  return { manager, clock, kind, queued, registry, configs, log, file };
}

/** Starts the manager and lets its first probes and the polls due at once run. */
async function begin(w: World): Promise<void> {
  w.manager.start();
  await w.manager.settled();
  await w.clock.advance(0, settle(w));
}

const FAKE = { type: 'fake', poll_interval: 10, template: 'changed {{ item.value }}' };

describe('monitor manager', () => {
  it('polls a resource at once, then every interval, and queues each change once, wrapped and rendered', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    let n = 0;
    w.kind.pollResult = () => ({ state: { seen: ++n }, events: n === 2 ? [change(`c${n}`, 'red')] : [] });
    await begin(w);
    assert.equal(w.kind.polls.length, 1);
    await w.clock.advance(9_999, settle(w));
    assert.equal(w.kind.polls.length, 1, 'not before the interval');
    await w.clock.advance(1, settle(w));
    assert.equal(w.kind.polls.length, 2);
    assert.equal(w.queued.length, 1);
    assert.equal(w.queued[0].agentId, 'a1');
    assert.equal(w.queued[0].source, 'monitor:watch');
    assert.match(w.queued[0].text, /^SUPERKICK \[2026-01-01 00:00:10 UTC\]: changed from watch\nchanged red$/);
    await w.clock.advance(10_000, settle(w));
    assert.equal(w.kind.polls.length, 3);
    assert.equal(w.queued.length, 1, 'nothing new');
    const status = w.manager.status();
    assert.equal(status.resources.length, 1);
    assert.deepEqual(status.resources[0].agents, ['a1']);
    assert.equal(status.resources[0].polls, 3);
    assert.equal(status.resources[0].nextPollAt, new Date(w.clock.now() + 10_000).toISOString());
    w.manager.stop();
  });

  it('a probe that does not apply polls nothing, says why, and is asked again each interval', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    w.kind.probeResult = () => ({ applies: false, reason: 'no pull request for branch main' });
    await begin(w);
    await w.clock.advance(30_000, settle(w));
    assert.equal(w.kind.polls.length, 0);
    assert.equal(w.kind.probes, 4);
    const [entry] = w.manager.status().entries;
    assert.equal(entry.state, 'not_applicable');
    assert.equal(entry.message, 'no pull request for branch main');
    w.kind.probeResult = () => ({ applies: true, resources: [{ key: 'R', params: { name: 'R' }, label: 'thing R' }] });
    await w.clock.advance(10_000, settle(w));
    assert.equal(w.manager.status().entries[0].state, 'watching');
    assert.equal(w.kind.polls.length, 1);
    w.manager.stop();
  });

  it('a watching entry is probed again now and then and follows what the probe names', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    await begin(w);
    assert.deepEqual(w.manager.status().resources.map((r) => r.label), ['thing R']);
    w.kind.probeResult = () => ({ applies: true, resources: [{ key: 'S', params: { name: 'S' }, label: 'thing S' }] });
    await w.clock.advance(299_999, settle(w));
    assert.equal(w.kind.probes, 1, 'not before ten intervals and five minutes');
    await w.clock.advance(1, settle(w));
    assert.equal(w.kind.probes, 2);
    assert.deepEqual(w.manager.status().resources.map((r) => r.label), ['thing S']);
    assert.equal(w.kind.polls.at(-1), 'S', 'the new resource is polled at once');
    const polledR = w.kind.polls.filter((name) => name === 'R').length;
    w.kind.probeResult = () => {
      throw new Error('API down');
    };
    await w.clock.advance(600_000, settle(w));
    const [entry] = w.manager.status().entries;
    assert.equal(entry.state, 'watching', 'a failed re-probe keeps what it watched');
    assert.equal(entry.message, 'probe failed: API down');
    assert.equal(w.kind.polls.filter((name) => name === 'R').length, polledR, 'the old resource is no longer polled');
    w.manager.stop();
  });

  it('a probe that throws is reported and retried with backoff', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    w.kind.probeResult = () => {
      throw new Error('GitHub said 502');
    };
    await begin(w);
    const [entry] = w.manager.status().entries;
    assert.equal(entry.state, 'error');
    assert.equal(entry.message, 'probe failed: GitHub said 502');
    assert.equal(entry.nextProbeAt, new Date(w.clock.now() + 20_000).toISOString());
    w.manager.stop();
  });

  it('an unknown, disabled or untrusted monitor named in the assignment is an error on the agent, and the rest still run', async () => {
    const w = world({
      agents: [agent('a1', { assignment: { monitors: ['watch', 'tests', 'typo', 'off'] } })],
      monitors: { watch: FAKE, off: { ...FAKE, enabled: false } },
    });
    w.configs.heldBack = ['monitors.tests'];
    await begin(w);
    const byName = new Map(w.manager.status().entries.map((e) => [e.entry, e]));
    assert.equal(byName.get('watch')!.state, 'watching');
    assert.equal(byName.get('typo')!.state, 'error');
    assert.equal(byName.get('typo')!.message, 'no monitor named "typo" in the configuration (known: watch, off)');
    assert.match(byName.get('tests')!.message!, /held back until you trust the workspace \(superkick trust\)/);
    assert.match(byName.get('off')!.message!, /is disabled/);
    assert.ok(w.log.warnings.some((m) => m.includes('no monitor named "typo"')));
    assert.equal(w.kind.polls.length, 1);
    w.manager.stop();
  });

  it('without an assignment, an agent gets every enabled monitor of its workspace; a type without monitor behaviour is an error', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE, off: { ...FAKE, enabled: false }, other: { type: 'nothing' } } });
    await begin(w);
    const entries = w.manager.status().entries;
    assert.deepEqual(entries.map((e) => [e.entry, e.state]), [['watch', 'watching'], ['other', 'error']]);
    assert.match(entries[1].message!, /type "nothing" cannot watch anything/);
    w.manager.stop();
  });

  it('two agents and two entries on one resource cost one poll per interval; each agent gets each event once', async () => {
    const w = world({ agents: [agent('a1'), agent('a2')], monitors: { watch: FAKE, again: { ...FAKE, poll_interval: 20 } } });
    let n = 0;
    w.kind.pollResult = () => ({ state: { seen: ++n }, events: n === 2 ? [change('x', 'blue')] : [] });
    await begin(w);
    await w.clock.advance(10_000, settle(w));
    assert.equal(w.kind.polls.length, 2, 'one poll at start, one after the shortest interval');
    assert.deepEqual(w.queued.map((q) => q.agentId).sort(), ['a1', 'a2']);
    const [resource] = w.manager.status().resources;
    assert.deepEqual(resource.agents.sort(), ['a1', 'a2']);
    assert.deepEqual(resource.entries.sort(), ['again', 'watch']);
    assert.equal(resource.intervalS, 10);
    w.manager.stop();
  });

  it('never polls one resource twice at once, and stops when no live agent needs it', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    let release!: () => void;
    w.kind.pollResult = () => new Promise((resolve) => (release = () => resolve({ state: { seen: 1 }, events: [] })));
    w.manager.start();
    await new Promise(setImmediate);
    void w.clock.advance(0, settle(w));
    await new Promise(setImmediate);
    assert.equal(w.kind.polls.length, 1);
    // Time passes while the poll hangs: nothing else starts (the timer is armed only after a poll ends).
    const stepping = w.clock.advance(60_000, settle(w));
    await new Promise(setImmediate);
    assert.equal(w.kind.polls.length, 1);
    release();
    await stepping;
    w.kind.pollResult = () => ({ state: { seen: 1 }, events: [] });
    await w.clock.advance(10_000, settle(w));
    const polls = w.kind.polls.length;
    w.registry.emit('changed', { record: agent('a1', { state: 'exited' }) } satisfies AgentsChangedEvent);
    await w.clock.advance(60_000, settle(w));
    assert.equal(w.kind.polls.length, polls, 'no polls after the only agent exited');
    assert.deepEqual(w.manager.status(), { resources: [], entries: [] });
    w.manager.stop();
  });

  it('backs off after errors (visible), honours a retry-after, recovers, and loses no event', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    const script: (() => MonitorPollResult<{ seen: number }>)[] = [
      () => ({ state: { seen: 0 }, events: [] }),
      () => {
        throw new Error('connection refused');
      },
      () => {
        throw new MonitorRetryError('rate limited (x-ratelimit-remaining: 0)', 300_000);
      },
      () => ({ state: { seen: 1 }, events: [change('e1', 'after the outage')], retryAfterMs: 45_000 }),
      () => ({ state: { seen: 1 }, events: [] }),
    ];
    w.kind.pollResult = () => script.shift()!();
    await begin(w);
    await w.clock.advance(10_000, settle(w));
    assert.equal(w.kind.polls.length, 2);
    let [resource] = w.manager.status().resources;
    assert.equal(resource.lastError, 'connection refused');
    assert.equal(resource.backingOffUntil, new Date(w.clock.now() + 20_000).toISOString(), 'interval × 2 after the first failure');
    await w.clock.advance(19_999, settle(w));
    assert.equal(w.kind.polls.length, 2, 'waits out the backoff');
    await w.clock.advance(1, settle(w));
    assert.equal(w.kind.polls.length, 3);
    [resource] = w.manager.status().resources;
    assert.equal(resource.backingOffUntil, new Date(w.clock.now() + 300_000).toISOString(), 'the retry-after is longer than the backoff, so it wins');
    await w.clock.advance(299_999, settle(w));
    assert.equal(w.kind.polls.length, 3);
    await w.clock.advance(1, settle(w));
    assert.equal(w.kind.polls.length, 4);
    assert.equal(w.queued.length, 1, 'the change made during the outage arrives');
    [resource] = w.manager.status().resources;
    assert.equal(resource.lastError, null);
    assert.equal(resource.backingOffUntil, new Date(w.clock.now() + 45_000).toISOString(), 'a source asking for a longer wait on success is honoured too');
    await w.clock.advance(44_999, settle(w));
    assert.equal(w.kind.polls.length, 4);
    await w.clock.advance(1, settle(w));
    assert.equal(w.kind.polls.length, 5);
    assert.equal(w.manager.status().resources[0].backingOffUntil, null);
    w.manager.stop();
  });

  it('resources that share a rate limit all wait when one is told to', async () => {
    const w = world({
      agents: [agent('a1', { assignment: { monitors: ['watch'] } }), agent('a2', { assignment: { monitors: ['slow'] } })],
      monitors: { watch: FAKE, slow: { ...FAKE, poll_interval: 20 } },
    });
    w.kind.probeResult = (record) => {
      const name = record.id === 'a1' ? 'R' : 'S';
      return { applies: true, resources: [{ key: name, params: { name }, label: `thing ${name}`, rateLimitGroup: 'token-1' }] };
    };
    const start = w.clock.now();
    w.kind.pollResult = () => ({ state: { seen: 0 }, events: [] });
    await begin(w);
    assert.deepEqual(w.kind.polls.sort(), ['R', 'S']);
    w.kind.pollResult = () => {
      throw new MonitorRetryError('secondary rate limit', 120_000);
    };
    await w.clock.advance(10_000, settle(w));
    assert.deepEqual(w.kind.polls.slice(2), ['R']);
    const byLabel = new Map(w.manager.status().resources.map((r) => [r.label, r]));
    assert.equal(byLabel.get('thing S')!.nextPollAt, new Date(start + 130_000).toISOString(), 'S waits with R instead of polling at 20 s');
    assert.equal(byLabel.get('thing S')!.backingOffUntil, new Date(start + 130_000).toISOString());
    w.kind.pollResult = () => ({ state: { seen: 0 }, events: [] });
    await w.clock.advance(119_999, settle(w));
    assert.deepEqual(w.kind.polls.slice(2), ['R']);
    await w.clock.advance(1, settle(w));
    assert.ok(w.kind.polls.slice(3).includes('S'), 'S polls once the wait is over');
    w.manager.stop();
  });

  it('outside text in event variables is sanitized before any template sees it', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    w.kind.pollResult = () => ({ state: { seen: 1 }, events: [change('e', 'evil\x1b]0;title\x07\x1b[201~\rrm -rf ~\u202e')] });
    await begin(w);
    assert.equal(w.queued.length, 1);
    const text = w.queued[0].text;
    assert.ok(text.endsWith('changed evil\nrm -rf ~'), JSON.stringify(text));
    assert.doesNotMatch(text, /[\x1b\x07\r\u202e]/);
    w.manager.stop();
  });

  it('after a restart nothing is queued again, the schedule goes on, and a late joiner hears how things stand', async () => {
    const clock = new SteppedClock();
    const kind = new FakeKind();
    kind.current = (state: { seen: number }) => (state.seen ? [change(`c${state.seen}`, 'still red')] : []);
    kind.pollResult = () => ({ state: { seen: 1 }, events: [change('c1', 'red')] });
    const first = world({ agents: [agent('a1')], monitors: { watch: FAKE }, clock, kind });
    await begin(first);
    assert.equal(first.queued.length, 1);
    first.manager.stop();

    await clock.advance(3_000, settle(first));
    const second = world({ agents: [agent('a1'), agent('a2')], monitors: { watch: FAKE }, clock, kind, file: first.file });
    await begin(second);
    assert.equal(kind.polls.length, 1, 'no poll at start: the last one was 3 s ago');
    assert.deepEqual(second.queued.map((q) => q.agentId), ['a2'], 'a1 had c1 already; a2 joins while it stands');
    assert.equal(second.manager.status().resources[0].nextPollAt, new Date(clock.now() + 7_000).toISOString());
    await clock.advance(7_000, settle(second));
    assert.equal(kind.polls.length, 2);
    assert.equal(second.queued.length, 1, 'c1 again from the poll goes to nobody');
    second.manager.stop();
  });

  it('an event seen but not queued before a crash is queued after the restart', async () => {
    const clock = new SteppedClock();
    const kind = new FakeKind();
    kind.pollResult = () => ({ state: { seen: 1 }, events: [change('c1', 'red')] });
    const first = world({ agents: [agent('a1')], monitors: { watch: FAKE }, clock, kind, failEnqueue: true });
    await begin(first);
    first.manager.stop();
    const stored = JSON.parse(fs.readFileSync(first.file, 'utf8'));
    assert.equal(stored.outbox.length, 1);

    const second = world({ agents: [agent('a1')], monitors: { watch: FAKE }, clock, kind, file: first.file });
    await begin(second);
    assert.equal(second.queued.length, 1);
    assert.match(second.queued[0].text, /changed red/);
    assert.equal(second.queued[0].dedupeKey, 'monitor:fake:R#c1');
    assert.deepEqual(JSON.parse(fs.readFileSync(first.file, 'utf8')).outbox, []);
    second.manager.stop();
  });

  it('a changed monitors section restarts only the entries that changed', async () => {
    const w = world({ agents: [agent('a1')], monitors: { watch: FAKE } });
    await begin(w);
    assert.equal(w.kind.probes, 1);
    w.configs.monitors = { watch: FAKE, more: { ...FAKE, poll_interval: 5 } };
    w.configs.emit('section', { workspace: '/ws', section: 'monitors' });
    await w.manager.settled();
    assert.equal(w.kind.probes, 2, 'only the new entry is probed');
    assert.equal(w.manager.status().resources[0].intervalS, 5);
    w.configs.monitors = {};
    w.configs.emit('section', { workspace: '/ws', section: 'monitors' });
    assert.deepEqual(w.manager.status(), { resources: [], entries: [] });
    w.manager.stop();
  });
});
