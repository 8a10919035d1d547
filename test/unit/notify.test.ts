/**
 * The notifier core without a host: routing by event type and by the agent's
 * assignment, templates, de-duplication that survives a restart, failures that
 * stay with their notifier, the command notifier's safety, the lifecycle
 * events and the bell guard.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import baseSchema from '../../schemas/superkick.schema.json';
import { SUPERVISION_EVENT_TYPES, type AgentRecord, type SupervisionEvent } from '../../server/src/protocol';
import type { Logger } from '../../server/src/common/logger';
import { superkickPaths } from '../../server/src/common/paths';
import { AgentStore } from '../../server/src/host/agentStore';
import { AgentRegistry } from '../../server/src/supervisor/agentRegistry';
import { SupervisionBus } from '../../server/src/supervisor/supervisionBus';
import { GoalTracker } from '../../server/src/goals/goalTracker';
import { TemplateEngine } from '../../server/src/templates';
import { NotifyDispatcher } from '../../server/src/notify/dispatcher';
import { NotifiedStore, RETENTION_MS, notifierKey } from '../../server/src/notify/notifiedStore';
import { NotificationFeed } from '../../server/src/notify/notificationFeed';
import type { Notification, NotifierEntry } from '../../server/src/notify/notifier';
import { SENT } from '../../server/src/notify/notifier';
import type { Integration } from '../../server/src/integrations';
import { INTEGRATIONS } from '../../server/src/integrations';
import { LifecycleEvents, exitedWithError } from '../../server/src/supervisor/lifecycleEvents';
import { BellGuard } from '../../server/src/cli/bellGuard';
import { ConfigLoader } from '../../server/src/config/loadConfig';
import { deadline, whenEvent } from '../helpers/waitFor';

function quietLog(): Logger & { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  return { errors, warnings, error: (tag, m) => errors.push(`[${tag}] ${m}`), warn: (tag, m) => warnings.push(`[${tag}] ${m}`), info: () => undefined, debug: () => undefined };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-notify-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function agentRecord(over: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id: 'a1',
    name: 'fixer',
    driver: 'claude',
    command: 'claude',
    args: [],
    cwd: '/src/app',
    state: 'working',
    stateSince: '2026-01-01T00:00:00.000Z',
    pid: 10,
    childPid: 11,
    createdAt: new Date().toISOString(),
    exitedAt: null,
    exitCode: null,
    signal: null,
    viewers: 0,
    connected: true,
    attachSocket: null,
    recording: null,
    workspace: '/ws',
    assignment: {},
    goal: null,
    hold: null,
    progress: null,
    cost: null,
    ...over,
  };
}

/** A notifier type that records what it is sent (or fails, when its entry says so). */
function recordingIntegration(sent: Notification[]): Integration {
  return {
    type: 'rec',
    section: 'notifiers',
    summary: 'records',
    configSchema: {},
    setupSnippet: '',
    notifier: (entry: NotifierEntry) => ({
      send: async (notification) => {
        if (entry.fail) throw new Error(String(entry.fail));
        sent.push(notification);
        return SENT;
      },
    }),
  };
}

function harness(notifiers: Record<string, unknown>, options: { agents?: AgentRecord[]; stateFile?: string; integrations?: Integration[]; workspaceRoot?: string } = {}) {
  const sent: Notification[] = [];
  const log = quietLog();
  const bus = new SupervisionBus();
  const root = options.workspaceRoot ?? tempDir();
  const agents = new Map((options.agents ?? [agentRecord({ workspace: root })]).map((a) => [a.id, a]));
  const feed = new NotificationFeed();
  const store = new NotifiedStore(options.stateFile ?? path.join(tempDir(), 'notified.json'), log);
  const dispatcher = new NotifyDispatcher({
    bus,
    registry: {
      record: (id) => {
        const found = agents.get(id);
        if (!found) throw new Error(`no agent ${id}`);
        return found;
      },
      link: () => {
        throw new Error('not connected');
      },
    },
    configs: { configOf: () => ({ notifiers }), list: () => [] },
    templates: { for: () => new TemplateEngine({ workspaceRoot: root, log }) },
    store,
    feed,
    log,
    integrations: options.integrations ?? [recordingIntegration(sent), ...INTEGRATIONS],
  });
  dispatcher.start();
  return { sent, log, bus, dispatcher, feed, store, root, agentId: [...agents.keys()][0] };
}

describe('notify: event types stay in step', () => {
  it('the schema offers exactly the supervision event types', () => {
    const events = (baseSchema.$defs.notifiersCommon.properties.events.items as { enum: string[] }).enum;
    assert.deepEqual(events, [...SUPERVISION_EVENT_TYPES]);
  });

  it('core/notification has a line for every event type, with and without an agent', () => {
    const engine = new TemplateEngine({ workspaceRoot: tempDir(), log: quietLog() });
    for (const type of SUPERVISION_EVENT_TYPES) {
      const event = { type, source: 'test', id: `${type}:1`, url: null, occurred_at: '2026-01-01T00:00:00Z', summary: 'Words.' };
      const withAgent = engine.render('core/notification', { agent: { ...agentDropFields(), exit_code: 3 }, event }, { strict: true });
      assert.doesNotMatch(withAgent, /ℹ️/, `${type} falls through to the generic line`);
      assert.match(withAgent, /fixer/);
      const alone = engine.render('core/notification', { agent: null, event }, { strict: true });
      assert.match(alone, /Superkick/);
      assert.doesNotMatch(alone, /superkick attach/);
    }
  });
});

function agentDropFields() {
  return { id: 'a1', name: 'fixer', driver: 'claude', state: 'idle' as const, cwd: '/x', command: 'claude', args: [], pid: 1, connected: true, viewers: 0, created_at: new Date().toISOString(), exited_at: null, exit_code: null, branch: null, repository: null, goal: null, spawned_by: null };
}

describe('notify: routing', () => {
  it('by event type (default: all) and by the agent assignment (default: all); disabled entries get nothing', () => {
    const { sent, bus, agentId } = harness({
      every: { type: 'rec' },
      goals: { type: 'rec', events: ['goal_met', 'goal_failed'] },
      off: { type: 'rec', enabled: false },
    });
    bus.publish('goal_met', agentId, { agentId });
    bus.publish('agent_waiting', `${agentId}:t1`, { agentId });
    assert.deepEqual(sent.map((n) => `${n.notifier} ${n.event.type}`).sort(), ['every agent_waiting', 'every goal_met', 'goals goal_met']);
  });

  it("an agent's assignment.notifiers limits who hears about it", () => {
    const root = tempDir();
    const { sent, bus } = harness({ one: { type: 'rec' }, two: { type: 'rec' } }, { agents: [agentRecord({ id: 'b1', workspace: root, assignment: { notifiers: ['two'] } })], workspaceRoot: root });
    bus.publish('goal_met', 'b1', { agentId: 'b1' });
    assert.deepEqual(sent.map((n) => n.notifier), ['two']);
  });

  it('renders with the entry template, an inline override, or a .liquid file in the workspace', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'note.liquid'), 'file: {{ agent.name }} {{ event.type }}');
    const { sent, bus, agentId } = harness(
      { shipped: { type: 'rec' }, inline: { type: 'rec', template: '{{ agent.name }} said {{ event.summary }}' }, file: { type: 'rec', template: 'note.liquid' } },
      { workspaceRoot: root },
    );
    bus.publish('goal_met', agentId, { agentId, summary: 'All green.\x1b[31m' });
    const text = Object.fromEntries(sent.map((n) => [n.notifier, n.text]));
    assert.match(text.shipped, /✅ fixer finished its goal/);
    assert.equal(text.inline, 'fixer said All green.', 'escape sequences from the summary are gone');
    assert.equal(text.file, 'file: fixer goal_met');
  });

  it('an integration can ship its own notification template', () => {
    const sent: Notification[] = [];
    const own = { ...recordingIntegration(sent), notificationTemplate: 'datadog/notification' };
    const { bus, agentId } = harness({ dd: { type: 'rec' } }, { integrations: [own] });
    bus.publish('goal_met', agentId, { agentId, summary: 'Fixed.' });
    assert.match(sent[0].text, /^fixer \(a1\): goal met/);
  });

  it('an agent-less event goes to the scope it names, rendered without an agent', () => {
    const { sent, bus } = harness({ all: { type: 'rec' } });
    bus.publish('approval_needed', 'spawn-1', { workspace: '/ws', summary: 'Spawn an agent for issue 7?' });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].agent, null);
    assert.match(sent[0].text, /Superkick needs an approval/);
  });
});

describe('notify: de-duplication and failures', () => {
  it('the same event id reaches a notifier once, also after a restart with the same state file', () => {
    const stateFile = path.join(tempDir(), 'notified.json');
    const workspaceRoot = tempDir();
    const first = harness({ n: { type: 'rec' } }, { stateFile, workspaceRoot });
    first.bus.publish('goal_met', first.agentId, { agentId: first.agentId });
    first.bus.publish('goal_met', first.agentId, { agentId: first.agentId });
    assert.equal(first.sent.length, 1);
    const second = harness({ n: { type: 'rec' }, late: { type: 'rec' } }, { stateFile, workspaceRoot });
    second.bus.publish('goal_met', second.agentId, { agentId: second.agentId });
    assert.equal(second.sent.length, 0, 'not again after a restart, and not to a notifier added since: it is old news');
    second.bus.publish('goal_failed', second.agentId, { agentId: second.agentId });
    assert.deepEqual(second.sent.map((n) => n.notifier), ['n', 'late'], 'another event still goes');
  });

  it('what a host with no notifier state catches up on is marked, not sent (no flood on the first start)', () => {
    const { sent, bus, agentId, dispatcher, feed, store } = harness({ n: { type: 'rec' } });
    assert.equal(store.blank, true);
    const shown: string[] = [];
    feed.on('shown', (n) => shown.push(n.event.id));
    dispatcher.seed(() => bus.publish('agent_exited', agentId, { agentId }));
    bus.publish('agent_exited', agentId, { agentId });
    assert.deepEqual([sent.length, shown.length], [0, 0]);
    bus.publish('goal_met', agentId, { agentId });
    assert.deepEqual([sent.length, shown], [1, ['goal_met:a1']]);
  });

  it('events older than the marks are kept are dropped, so a forgotten mark cannot repeat one', () => {
    const { sent, bus, agentId } = harness({ n: { type: 'rec' } });
    bus.publish('agent_exited', agentId, { agentId, occurredAt: new Date(Date.now() - RETENTION_MS - 60_000).toISOString() });
    assert.equal(sent.length, 0);
  });

  it('a corrupt state file is moved aside and notifying goes on', () => {
    const dir = tempDir();
    const stateFile = path.join(dir, 'notified.json');
    fs.writeFileSync(stateFile, '{"marks": {');
    const { sent, bus, agentId, log } = harness({ n: { type: 'rec' } }, { stateFile });
    bus.publish('goal_met', agentId, { agentId });
    assert.equal(sent.length, 1);
    assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('notified.json.corrupt-')));
    assert.match(log.errors.join('\n'), /corrupt/);
  });

  it('the marks are bounded', () => {
    const file = path.join(tempDir(), 'notified.json');
    let now = Date.now() - RETENTION_MS;
    const store = new NotifiedStore(file, quietLog(), { maxMarks: 100, now: () => now });
    store.claim(['n'], 'old');
    now += 60_000;
    for (let i = 0; i < 150; i++) store.claim(['n'], `e${i}`);
    assert.equal(store.size, 100);
    assert.equal(store.wasTold('n', 'e149'), true);
    assert.equal(store.wasTold('n', 'e49'), false);
    assert.equal(store.wasTold('n', 'old'), false, 'older than the retention');
    assert.equal(new NotifiedStore(file, quietLog(), { maxMarks: 100, now: () => now }).wasTold('n', 'e149'), true, 'read back from the file');
  });

  it('a failing notifier is logged and keeps its error; the others still get the event', async () => {
    const { sent, bus, agentId, dispatcher, store, log, root } = harness({ broken: { type: 'rec', fail: 'the webhook said 500' }, fine: { type: 'rec' } });
    bus.publish('goal_met', agentId, { agentId });
    await dispatcher.settled();
    assert.deepEqual(sent.map((n) => n.notifier), ['fine']);
    const broken = dispatcher.list(root).find((n) => n.name === 'broken')!;
    assert.equal(broken.lastError, 'the webhook said 500');
    assert.equal(dispatcher.list(root).find((n) => n.name === 'fine')!.sent, 1);
    assert.match(log.errors.join('\n'), /notifier broken .*failed on goal_met:a1: the webhook said 500/);
    assert.ok(store.wasTold(notifierKey(root, 'broken'), 'goal_met:a1'), 'at-most-once: the mark stays');
  });

  it('notifier test bypasses de-duplication and the events list', async () => {
    const { sent, dispatcher } = harness({ only: { type: 'rec', events: ['goal_met'] }, off: { type: 'rec', enabled: false } });
    const one = await dispatcher.test('only', '/ws', 'agent_waiting');
    const two = await dispatcher.test('only', '/ws', 'agent_waiting');
    assert.equal(one.outcome, 'sent');
    assert.equal(two.outcome, 'sent');
    assert.equal(sent.length, 2);
    await assert.rejects(dispatcher.test('nope', '/ws'), /no notifier named "nope" in \/ws; notifiers: only, off/);
    await assert.rejects(dispatcher.test('off', '/ws'), /notifier "off" is disabled \(enabled: false\); enable it to test it/);
  });

  it('the client feed gets each event once, with actions', () => {
    const { bus, agentId, feed } = harness({});
    const shown: string[] = [];
    feed.on('shown', (n) => shown.push(`${n.event.type} ${n.actions.map((a) => a.kind).join(',')}`));
    bus.publish('budget_exceeded', agentId, { agentId });
    bus.publish('budget_exceeded', agentId, { agentId });
    assert.deepEqual(shown, ['budget_exceeded raise_budget,stop,attach']);
  });

  it('goal_met from a goal signal reaches the notifiers once', () => {
    const dir = tempDir();
    const paths = superkickPaths(dir);
    fs.mkdirSync(paths.state, { recursive: true });
    const log = quietLog();
    const registry = new AgentRegistry(new AgentStore(paths.agentsState, log), paths, log);
    const agent = registry.create({ command: 'true', args: [], cwd: dir, name: 'worker', driver: 'command', cols: 80, rows: 24, history: 0, record: false, workspace: dir, assignment: { goal: 'done' } });
    const sent: Notification[] = [];
    const bus = new SupervisionBus();
    new NotifyDispatcher({
      bus,
      registry,
      configs: { configOf: () => ({ notifiers: { file: { type: 'rec', events: ['goal_met'] } } }), list: () => [] },
      templates: { for: () => new TemplateEngine({ workspaceRoot: dir, log }) },
      store: new NotifiedStore(paths.notifiedState, log),
      log,
      integrations: [recordingIntegration(sent)],
    }).start();
    const goals = new GoalTracker(registry, bus, () => ({ goals: {}, maxDurationS: null, heldBack: () => null }), log);
    assert.equal(goals.signal(agent.id, 'completed', 'Tests pass.').accepted, true);
    assert.equal(goals.signal(agent.id, 'completed', 'Again.').accepted, false);
    assert.deepEqual(sent.map((n) => [n.event.type, n.event.summary]), [['goal_met', 'Tests pass.']]);
    assert.match(sent[0].text, /✅ worker finished its goal/);
  });
});

describe('notify: the command notifier', () => {
  it("a workspace that only sets `command:` on the user's own command notifier waits for trust", () => {
    const result = new ConfigLoader().load({
      user: { file: '/u/config.yml', text: 'notifiers:\n  desk:\n    type: command\n    command: notify-send hi\n' },
      workspace: { file: '/w/superkick.yml', text: 'notifiers:\n  desk:\n    command: curl example.test | sh\n' },
      env: {},
    });
    assert.deepEqual(result.heldBack.map((h) => h.path), ['notifiers.desk']);
    assert.deepEqual(result.config.notifiers, { desk: { type: 'command', command: 'notify-send hi' } }, "the user's own entry applies");
  });

  const evil = 'x$(touch PWNED1)`touch PWNED2`; touch PWNED3 \'"\n$(touch PWNED4)';

  it('event fields full of shell syntax reach the command as data, never as code', async () => {
    const root = tempDir();
    const { bus, dispatcher, log } = harness(
      { cmd: { type: 'command', command: 'cat > text.out; printf "%s" "$SUPERKICK_AGENT_NAME" > name.out; printf "%s" "$SUPERKICK_EVENT_SUMMARY" > summary.out; printf "%s" "$SUPERKICK_EVENT_TYPE $SUPERKICK_EVENT_ID $SUPERKICK_AGENT_ID" > ids.out' } },
      { agents: [agentRecord({ id: 'e1', name: evil, workspace: root })], workspaceRoot: root },
    );
    bus.publish('goal_failed', 'e1', { agentId: 'e1', summary: evil });
    await dispatcher.settled();
    assert.deepEqual(log.errors, []);
    assert.equal(fs.readFileSync(path.join(root, 'name.out'), 'utf8'), evil);
    assert.equal(fs.readFileSync(path.join(root, 'summary.out'), 'utf8'), evil.replace(/\r/g, ''));
    assert.equal(fs.readFileSync(path.join(root, 'ids.out'), 'utf8'), 'goal_failed goal_failed:e1 e1');
    assert.ok(fs.readFileSync(path.join(root, 'text.out'), 'utf8').includes('$(touch PWNED1)'));
    assert.deepEqual(fs.readdirSync(root).filter((f) => f.startsWith('PWNED')), [], 'nothing in the fields ran');
  });

  it('stdin: json gives the event as JSON', async () => {
    const root = tempDir();
    const { bus, dispatcher } = harness({ cmd: { type: 'command', command: 'cat > event.json', stdin: 'json' } }, { workspaceRoot: root });
    bus.publish('goal_met', 'a1', { agentId: 'a1', summary: 'done' });
    await dispatcher.settled();
    const event = JSON.parse(fs.readFileSync(path.join(root, 'event.json'), 'utf8')) as SupervisionEvent & { text: string; agent: AgentRecord };
    assert.equal(event.id, 'goal_met:a1');
    assert.equal(event.summary, 'done');
    assert.equal(event.agent.name, 'fixer');
    assert.match(event.text, /finished its goal/);
  });

  it('a failing and a hanging command are reported (the hanging one killed with what it started); another notifier still runs', async () => {
    const root = tempDir();
    const { bus, dispatcher } = harness(
      {
        fails: { type: 'command', command: 'echo "no route to pager" >&2; exit 1' },
        hangs: { type: 'command', command: 'sleep 300 & echo $! > child.pid; wait', timeout: 1 },
        works: { type: 'command', command: 'cat > ok.out' },
      },
      { workspaceRoot: root },
    );
    bus.publish('agent_exited', 'a1', { agentId: 'a1' });
    await deadline(dispatcher.settled(), 'the sends to finish');
    const byName = Object.fromEntries(dispatcher.list(root).map((n) => [n.name, n]));
    assert.equal(byName.fails.lastError, 'the command exited with code 1: no route to pager');
    assert.match(byName.hangs.lastError!, /timed out after 1 s; its process group was killed/);
    assert.equal(byName.works.sent, 1);
    assert.ok(fs.existsSync(path.join(root, 'ok.out')));
    const child = Number(fs.readFileSync(path.join(root, 'child.pid'), 'utf8'));
    await deadline(
      new Promise<void>((resolve) => {
        const check = () => {
          try {
            process.kill(child, 0);
            setTimeout(check, 20);
          } catch {
            resolve();
          }
        };
        check();
      }),
      'the background child to be killed',
    );
  });
});

describe('notify: lifecycle events', () => {
  class FakeRegistry extends EventEmitter<{ changed: [{ record: AgentRecord; removed?: boolean }] }> {
    readonly records = new Map<string, AgentRecord>();
    list(): AgentRecord[] {
      return [...this.records.values()];
    }
    record(id: string): AgentRecord {
      const found = this.records.get(id);
      if (!found) throw new Error('gone');
      return found;
    }
    set(record: AgentRecord): void {
      this.records.set(record.id, record);
      this.emit('changed', { record });
    }
  }

  function lifecycle(registry: FakeRegistry, options: { queued?: number; idleAfter?: number } = {}) {
    const bus = new SupervisionBus();
    const events: SupervisionEvent[] = [];
    bus.on('event', (e) => events.push(e));
    const translator = new LifecycleEvents({
      registry,
      bus,
      queue: { pending: () => new Array(options.queued ?? 0) },
      configs: { configOf: () => ({ agents: { idle_notify_after: options.idleAfter ?? 1 } }) },
      log: quietLog(),
    });
    translator.start();
    return { events, bus, translator, ids: () => events.map((e) => e.id) };
  }

  it('started once, waiting once per spell (the same spell after a restart has the same id), exited only with an error', () => {
    const registry = new FakeRegistry();
    const { ids, translator } = lifecycle(registry);
    registry.set(agentRecord({ id: 'w', pid: null, state: 'starting' }));
    registry.set(agentRecord({ id: 'w', state: 'working' }));
    registry.set(agentRecord({ id: 'w', state: 'working', viewers: 1 }));
    registry.set(agentRecord({ id: 'w', state: 'waiting', stateSince: 't1' }));
    registry.set(agentRecord({ id: 'w', state: 'waiting', stateSince: 't1', viewers: 2 }));
    registry.set(agentRecord({ id: 'w', state: 'working', stateSince: 't2' }));
    registry.set(agentRecord({ id: 'w', state: 'waiting', stateSince: 't3' }));
    assert.deepEqual(ids(), ['agent_started:w', 'agent_waiting:w:t1', 'agent_waiting:w:t3']);
    translator.stop();
    const again = lifecycle(registry);
    assert.deepEqual(again.ids(), ['agent_started:w', 'agent_waiting:w:t3'], 'a restarted host publishes the same ids (the dispatcher drops them)');
    registry.set(agentRecord({ id: 'w', state: 'exited', exitCode: 0 }));
    registry.set(agentRecord({ id: 'x', state: 'exited', exitCode: 2, exitedAt: '2026-01-01T00:00:00Z' }));
    assert.deepEqual(again.ids().slice(2), ['agent_exited:x']);
    again.translator.stop();
  });

  it('what counts as exiting with an error', () => {
    assert.equal(exitedWithError({ exitCode: 0, signal: null }), false);
    assert.equal(exitedWithError({ exitCode: 1, signal: null }), true);
    assert.equal(exitedWithError({ exitCode: null, signal: null }), true, 'unknown');
    assert.equal(exitedWithError({ exitCode: 0, signal: 1 }), false, 'stopped with SIGHUP by superkick stop');
    assert.equal(exitedWithError({ exitCode: 0, signal: 11 }), true, 'a crash');
  });

  it('idle for a while with nothing queued and the goal open: agent_idle once; not when something is queued', async () => {
    const registry = new FakeRegistry();
    const { events, bus, translator } = lifecycle(registry);
    const since = new Date(Date.now() - 5_000).toISOString();
    registry.set(agentRecord({ id: 'i', state: 'idle', stateSince: since }));
    registry.set(agentRecord({ id: 'i', state: 'idle', stateSince: since, viewers: 1 }));
    await whenEvent(
      (listener) => {
        bus.on('event', listener);
        return () => bus.off('event', listener);
      },
      () => (events.length > 1 ? true : undefined),
      'agent_idle',
    );
    assert.deepEqual(events.map((e) => e.id), ['agent_started:i', `agent_idle:i:${since}`]);
    translator.stop();

    const queued = new FakeRegistry();
    const busy = lifecycle(queued, { queued: 1, idleAfter: 1 });
    const met = new FakeRegistry();
    const done = lifecycle(met, { idleAfter: 1 });
    queued.set(agentRecord({ id: 'q', state: 'idle', stateSince: since }));
    met.set(agentRecord({ id: 'm', state: 'idle', stateSince: since, goal: { name: 'g', type: 'agent_signal', state: 'met', summary: null, decidedAt: null, decidedBy: 'agent' } }));
    // Both timers were due at once; a timer set after them fires after them.
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(busy.ids(), ['agent_started:q']);
    assert.deepEqual(done.ids(), ['agent_started:m']);
    busy.translator.stop();
    done.translator.stop();
  });
});

describe('notify: the bell guard', () => {
  it('rings at once on plain output, holds inside an OSC string until it ends (BEL or ST), even across chunks', () => {
    const guard = new BellGuard();
    assert.equal(guard.output(Buffer.from('hello \x1b[31mred\x1b[0m')), false);
    assert.equal(guard.ring(), true);
    assert.equal(guard.output(Buffer.from('\x1b]0;my ti')), false);
    assert.equal(guard.ring(), false, 'inside a title: held');
    assert.equal(guard.output(Buffer.from('tle still')), false);
    assert.equal(guard.output(Buffer.from('\x07more')), true, 'the title ended: the held bell goes');
    assert.equal(guard.output(Buffer.from('\x1bP+q')), false);
    assert.equal(guard.ring(), false);
    assert.equal(guard.output(Buffer.from('abc\x1b')), false, 'a lone ESC at the end of a chunk');
    assert.equal(guard.output(Buffer.from('\\')), true, 'ST split across chunks');
    assert.equal(guard.output(Buffer.from('\x1b]8;;http://x')), false);
    assert.equal(guard.ring(), false);
    assert.equal(guard.redrawn(), true, 'a snapshot starts from a clean state');
  });
});
