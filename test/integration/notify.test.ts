/**
 * Notifiers through the real host: a `command` notifier hears of an agent that
 * exits with an error exactly once, also after the host is killed and comes
 * back; event fields full of shell syntax stay data; a failing or hanging
 * notifier is reported and the others still run; an untrusted workspace's
 * command notifier never runs; the terminal bell reaches attached terminals;
 * clients watching notifications (VS Code) get each event with its actions.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Attach, Host, Notify, type AgentRecord } from '../../server/src/protocol';
import type { NotifierInfo, ShownNotification } from '../../server/src/protocol/notify';
import { CLI, Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { TestViewer } from '../helpers/testViewer';
import { TestTerminal } from '../helpers/terminal';
import { openHostConnection } from '../helpers/hostConnection';
import { whenEvent } from '../helpers/waitFor';

/** A git repository (a `.git` folder marks it) with a superkick.yml. */
function makeWorkspace(sandbox: Sandbox, name: string, config: string): string {
  const root = path.join(sandbox.work, name);
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.writeFileSync(path.join(root, 'superkick.yml'), config);
  return fs.realpathSync(root);
}

function readOr(file: string, otherwise = ''): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return otherwise;
  }
}

/** Waits until `file` (watched through its folder) satisfies `check`. */
function untilFile(file: string, check: (text: string) => boolean, what: string): Promise<string> {
  return whenEvent(
    (listener) => {
      const watcher = fs.watch(path.dirname(file), listener);
      return () => watcher.close();
    },
    () => {
      const text = readOr(file);
      return check(text) ? text : undefined;
    },
    what,
  );
}

/** Shows one Claude-shaped screen (REAL-CLIS.md) and stays: `waiting` (a permission prompt) or `idle`. */
const FAKE_CLAUDE = `import sys, time
RULE = '\\u2500' * 50
SCREENS = {
  'waiting': ('\\u25cf Bash(rm -rf build)\\r\\n Do you want to proceed?\\r\\n \\u276f 1. Yes\\r\\n   2. No', ''),
  'idle': ('\\u273b Worked for 2s', '  ? for shortcuts'),
}
body, footer = SCREENS[sys.argv[1]]
sys.stdout.write('\\x1b[2J\\x1b[H' + body + '\\r\\n' + RULE + '\\r\\n\\u276f \\r\\n' + RULE + '\\r\\n' + footer)
sys.stdout.flush()
time.sleep(300)
`;

/** Starts a headless agent in `cwd` and gives its id. */
async function agentIn(sandbox: Sandbox, cwd: string, command: string[], extra: string[] = []): Promise<string> {
  return (await sandbox.runOk(['agent', '--headless', ...extra, '--', ...command], { cwd })).trim();
}

async function notifiers(sandbox: Sandbox, cwd: string): Promise<NotifierInfo[]> {
  return JSON.parse(await sandbox.runOk(['notifier', 'list', '--json'], { cwd })) as NotifierInfo[];
}

describe('notifiers in the host', () => {
  const sandbox = new Sandbox('skn');
  after(() => sandbox.cleanup());

  it('a command notifier hears of an agent that exited with an error once, also after the host is killed and restarted', async () => {
    const log = path.join(sandbox.work, 'events.log');
    const root = makeWorkspace(
      sandbox,
      'dedupe',
      `notifiers:\n  log:\n    type: command\n    events: [agent_exited, goal_met]\n    command: printf '%s %s\\n' "$SUPERKICK_EVENT_ID" "$SUPERKICK_EVENT_TYPE" >> ${log}\n`,
    );
    await sandbox.runOk(['trust'], { cwd: root });
    const first = await agentIn(sandbox, root, ['sh', '-c', 'exit 3']);
    await untilFile(log, (text) => text.includes(`agent_exited:${first}`), 'the first exit to be notified');
    // The host notes the send once the command has finished; kill it only after that (the mark itself was written before the command ran).
    await untilFile(path.join(sandbox.dir, 'logs', 'host.log'), (t) => t.includes(`log told of agent_exited:${first}`), 'the send to be noted');

    const sleeper = await agentIn(sandbox, root, ['sleep', '300']);
    const before = await new HostWatchScope(sandbox).until(sleeper, (r) => r.connected && r.state === 'working' && Boolean(r.stateSince), 'the sleeper to run');

    await sandbox.killHost();
    await sandbox.runOk(['list'], { cwd: root }); // starts the host again; it catches up on every agent it knows
    const back = await new HostWatchScope(sandbox).until(sleeper, (r) => r.connected, 'the sleeper to re-register');
    assert.equal(back.stateSince, before.stateSince, 'a state spell keeps its start across a host restart (it keys agent_waiting and agent_idle)');
    await sandbox.runOk(['stop', '--force', sleeper]);
    const second = await agentIn(sandbox, root, ['sh', '-c', 'exit 4']);
    const text = await untilFile(log, (t) => t.includes(`agent_exited:${second}`), 'the second exit to be notified');
    assert.deepEqual(text.trim().split('\n'), [`agent_exited:${first} agent_exited`, `agent_exited:${second} agent_exited`]);

    const clean = await agentIn(sandbox, root, ['true']);
    await new HostWatchScope(sandbox).until(clean, (r) => r.state === 'exited', 'a clean exit');
    const [info] = await notifiers(sandbox, root);
    assert.equal(info.name, 'log');
    assert.equal(info.sent, 2, 'the count survived the restart; a clean exit is no error');
    assert.equal(info.lastEventId, `agent_exited:${second}`);
    assert.deepEqual(info.events, ['agent_exited', 'goal_met']);
  });

  it('event fields full of shell syntax reach the command as data: nothing in them runs', async () => {
    const root = makeWorkspace(
      sandbox,
      'meta',
      `notifiers:\n  out:\n    type: command\n    events: [agent_exited]\n    command: cat > text.out; printf '%s' "$SUPERKICK_AGENT_NAME" > name.out; printf '%s' "$SUPERKICK_EVENT_JSON" > event.out\n`,
    );
    await sandbox.runOk(['trust'], { cwd: root });
    const name = `$(touch PWNED1)\`touch PWNED2\`;touch PWNED3;'"|| touch PWNED4 & $((1+1))`;
    const id = await agentIn(sandbox, root, ['sh', '-c', 'exit 1'], ['--name', name]);
    await untilFile(path.join(root, 'event.out'), (t) => t.length > 0, 'the notifier to run');
    await untilFile(path.join(root, 'name.out'), (t) => t.length > 0, 'the name to be written');
    assert.equal(readOr(path.join(root, 'name.out')), name);
    assert.equal((JSON.parse(readOr(path.join(root, 'event.out'))) as { agentId: string }).agentId, id);
    assert.ok(readOr(path.join(root, 'text.out')).includes(`${name} exited with code 1`), readOr(path.join(root, 'text.out')));
    for (const dir of [root, sandbox.work, path.dirname(sandbox.dir)]) assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('PWNED')), [], `nothing ran in ${dir}`);
  });

  it("a failing and a hanging notifier are reported, and the others still get the event; an untrusted workspace's command never runs", async (t) => {
    t.after(() => fs.rmSync(path.join(sandbox.dir, 'config.yml'), { force: true }));
    const userLog = path.join(sandbox.work, 'user.log');
    fs.writeFileSync(path.join(sandbox.dir, 'config.yml'), `notifiers:\n  mine:\n    type: command\n    events: [agent_exited]\n    command: printf '%s\\n' "$SUPERKICK_EVENT_ID" >> ${userLog}\n`);
    const trusted = makeWorkspace(
      sandbox,
      'failing',
      `notifiers:\n  fails:\n    type: command\n    events: [agent_exited]\n    command: echo "pager unreachable" >&2; exit 1\n  hangs:\n    type: command\n    events: [agent_exited]\n    command: sleep 300\n    timeout: 1\n  works:\n    type: command\n    events: [agent_exited]\n    command: cat > works.out\n`,
    );
    await sandbox.runOk(['trust'], { cwd: trusted });
    const untrustedOut = path.join(sandbox.work, 'untrusted.out');
    const untrusted = makeWorkspace(sandbox, 'untrusted', `notifiers:\n  sneaky:\n    type: command\n    command: touch ${untrustedOut}\n`);
    const check = await sandbox.run(['config', 'check'], { cwd: untrusted });
    assert.match(check.stdout, /notifiers\.sneaky: a "command" notifier runs commands; its "command" runs commands, and this workspace's commands are not trusted/);

    const failing = await agentIn(sandbox, trusted, ['sh', '-c', 'exit 5']);
    await untilFile(path.join(trusted, 'works.out'), (t) => t.includes('exited with code 5'), 'the working notifier to run');
    const hostLog = path.join(sandbox.dir, 'logs', 'host.log');
    await untilFile(hostLog, (t) => t.includes(`notifier hangs (${trusted}) failed on agent_exited:${failing}`), 'the hanging notifier to time out');
    const byName = Object.fromEntries((await notifiers(sandbox, trusted)).filter((n) => n.workspace === trusted).map((n) => [n.name, n]));
    assert.equal(byName.fails.lastError, 'the command exited with code 1: pager unreachable');
    assert.match(byName.hangs.lastError ?? '', /timed out after 1 s/);
    assert.equal(byName.works.sent, 1);
    assert.equal(byName.mine.sent, 1, `the user's own notifier applies in every workspace: ${readOr(userLog)}`);

    const sneaky = await agentIn(sandbox, untrusted, ['sh', '-c', 'exit 6']);
    await untilFile(userLog, (t) => t.includes(`agent_exited:${sneaky}`), "the user's notifier to hear of the untrusted workspace's agent");
    assert.equal(fs.existsSync(untrustedOut), false, "the untrusted workspace's command did not run");
    assert.deepEqual((await notifiers(sandbox, untrusted)).filter((n) => n.workspace === untrusted).map((n) => n.name), ['mine'], 'the held-back entry is not configured at all');
  });

  it('a waiting spell and a long idle spell are each notified once, also when the host restarts during them', async () => {
    const log = path.join(sandbox.work, 'spells.log');
    const root = makeWorkspace(
      sandbox,
      'spells',
      `agents:\n  idle_notify_after: 1\nnotifiers:\n  log:\n    type: command\n    events: [agent_waiting, agent_idle, agent_exited]\n    command: printf '%s\\n' "$SUPERKICK_EVENT_ID" >> ${log}\n`,
    );
    fs.writeFileSync(path.join(root, 'fake_claude.py'), FAKE_CLAUDE);
    await sandbox.runOk(['trust'], { cwd: root });
    const waiting = await agentIn(sandbox, root, ['python3', 'fake_claude.py', 'waiting'], ['--driver', 'claude']);
    const idle = await agentIn(sandbox, root, ['python3', 'fake_claude.py', 'idle'], ['--driver', 'claude']);
    await untilFile(log, (t) => t.includes(`agent_waiting:${waiting}:`) && t.includes(`agent_idle:${idle}:`), 'the waiting and the idle spell to be notified');
    const hostLog = path.join(sandbox.dir, 'logs', 'host.log');
    await untilFile(hostLog, (t) => t.includes(`log told of agent_idle:${idle}:`) && t.includes(`log told of agent_waiting:${waiting}:`), 'both sends to be noted');

    await sandbox.killHost();
    await sandbox.runOk(['list'], { cwd: root });
    const watch = await HostWatch.open(sandbox.dir);
    try {
      for (const id of [waiting, idle]) await watch.until(id, (r) => r.connected, 'to re-register with the restarted host');
      // An event after the restart marks the point by which the old spells would have been notified again.
      const failing = await agentIn(sandbox, root, ['sh', '-c', 'exit 7']);
      const text = await untilFile(log, (t) => t.includes(`agent_exited:${failing}`), 'the later exit to be notified');
      const lines = text.trim().split('\n');
      assert.equal(lines.filter((l) => l.startsWith(`agent_waiting:${waiting}:`)).length, 1, text);
      assert.equal(lines.filter((l) => l.startsWith(`agent_idle:${idle}:`)).length, 1, text);
      assert.equal(lines.length, 3, text);
    } finally {
      watch.close();
      await sandbox.runOk(['stop', '--force', waiting]);
      await sandbox.runOk(['stop', '--force', idle]);
    }
  });

  it('the terminal bell rings on attached terminals, and watching clients get each notification with its actions', async () => {
    const root = makeWorkspace(sandbox, 'bell', 'notifiers:\n  bell:\n    type: terminal_bell\n    events: [agent_waiting, approval_needed]\n');
    const feed: ShownNotification[] = [];
    const feedListeners = new Set<() => void>();
    const client = await openHostConnection(sandbox.dir, { client: 'test-vscode' }, (connection) => {
      connection.onNotification(Notify.NotificationShown.type, (shown: ShownNotification) => {
        feed.push(shown);
        for (const listener of [...feedListeners]) listener();
      });
      return connection;
    });
    await client.sendRequest(Notify.WatchNotifications.type, { workspaces: [root] });
    const id = await agentIn(sandbox, root, ['sleep', '300'], ['--name', 'sleeper']);
    const watch = await HostWatch.open(sandbox.dir);
    try {
      const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
      const viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!);
      const terminal = new TestTerminal(process.execPath, [CLI, 'attach', id], { env: sandbox.env, cwd: root });
      try {
        await watch.until(id, (r) => r.viewers === 2, 'two viewers attached');
        const test = JSON.parse(await sandbox.runOk(['notifier', 'test', 'bell', '--agent', id, '--json'], { cwd: root })) as { outcome: string };
        assert.equal(test.outcome, 'sent');
        await viewer.until(() => (viewer.frames.some((f) => f.type === Attach.FrameType.Bell) ? true : undefined), 'a Bell frame');
        await terminal.waitForOutput('\x07', 'BEL in the attached terminal');
        assert.ok(!viewer.output.includes(0x07), 'the bell is not program output');
      } finally {
        viewer.close();
        terminal.kill();
      }

      await whenEvent(
        (listener) => {
          feedListeners.add(listener);
          return () => feedListeners.delete(listener);
        },
        () => (feed.some((n) => n.event.id === `agent_started:${id}`) ? true : undefined),
        'agent_started in the feed',
      );
      const started = feed.find((n) => n.event.id === `agent_started:${id}`)!;
      assert.match(started.text, /▶ sleeper started/);
      assert.deepEqual(started.actions.map((a) => a.kind), ['attach']);
      assert.equal(feed.filter((n) => n.event.id === `agent_started:${id}`).length, 1);

      const missing = await sandbox.run(['notifier', 'test', 'nope'], { cwd: root });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no notifier named "nope" in .*bell; notifiers: bell/);
      for (const [args, message] of [
        [['notifier', 'test', 'bell', '--event', 'coffee_break'], /option '--event <type>' argument 'coffee_break' is invalid\. Allowed choices are agent_started, agent_idle/],
        [['notifier', 'test', 'bell', '--agent', 'nobody'], /no agent named nobody/],
        [['notifier', 'list', '-w', path.join(root, 'missing')], /--workspace .*missing: no such folder/],
      ] as const) {
        const bad = await sandbox.run([...args], { cwd: root });
        assert.equal(bad.code, 1, args.join(' '));
        assert.match(bad.stderr, message);
      }
      const skipped = await sandbox.runOk(['notifier', 'test', 'bell'], { cwd: root });
      assert.match(skipped, /bell did not send it: the event is about no agent/);
      const listed = await sandbox.runOk(['notifier', 'list'], { cwd: root });
      assert.match(listed, /^WORKSPACE +NAME +TYPE +EVENTS +SENT +LAST SENT +LAST ERROR$/m);
      assert.match(listed, /bell +bell +terminal_bell +agent_waiting,approval_needed +1 /);
      await sandbox.runOk(['stop', '--force', id]);
    } finally {
      watch.close();
      client.dispose();
    }
  });
});

/** A HostWatch opened for one wait, then closed. */
class HostWatchScope {
  constructor(private readonly sandbox: Sandbox) {}
  async until(id: string, predicate: Parameters<HostWatch['until']>[1], what: string): Promise<AgentRecord> {
    const watch = await HostWatch.open(this.sandbox.dir);
    try {
      return await watch.until(id, predicate, what);
    } finally {
      watch.close();
    }
  }
}
