/**
 * Budgets through a real host: usage reported with the agent's own token
 * (as its agent process does) crosses the warning, then the limit; the
 * agent is paused and held (a message queued meanwhile waits), people are
 * asked through the notification feed, a too-small raise keeps it paused,
 * and a raise that covers the spend releases it with a message to go on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { openHostConnection } from '../helpers/hostConnection';
import { TestViewer } from '../helpers/testViewer';
import { ViewerScreen } from '../helpers/viewerScreen';
import { whenEvent } from '../helpers/waitFor';
import { Budget, Cost, Host, Notify } from '../../server/src/protocol';

/** Input-only usage of the shipped claude-sonnet-4 price ($3 per million input tokens). */
const usage = (usd: number) => ({ 'claude-sonnet-4-5': { input: Math.round((usd / 3) * 1_000_000), output: 0, cacheRead: 0, cacheWrite: 0 } });

describe('budgets', () => {
  const sandbox = new Sandbox();
  let watch: HostWatch;
  let asAgent: MessageConnection;
  let feed: MessageConnection;
  const shown: Notify.ShownNotification[] = [];
  const listeners = new Set<() => void>();
  const notified = (type: string) =>
    whenEvent(
      (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      () => shown.find((n) => n.event.type === type),
      `a ${type} notification (got: ${shown.map((n) => n.event.type).join(', ')})`,
    );
  let id: string;
  let screen: ViewerScreen;

  before(async () => {
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
    feed = await openHostConnection(sandbox.dir, { client: 'test-feed' }, (connection) => {
      connection.onNotification(Notify.NotificationShown.type, (notification) => {
        shown.push(notification);
        for (const listener of [...listeners]) listener();
      });
      return connection;
    });
    await feed.sendRequest(Notify.WatchNotifications.type, {});
    // `cat` shows what is typed into it; the command driver takes queued text at once, unless the agent is held.
    id = await sandbox.startAgent(['cat'], ['--name', 'spender', '--budget', '1']);
    const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
    asAgent = await openHostConnection(sandbox.dir, { client: 'test-agent', token: resolved.attachToken! }, (connection) => connection);
    const viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!, { cols: 200, rows: 30 });
    screen = new ViewerScreen(viewer, 200, 30);
  });
  after(async () => {
    asAgent?.dispose();
    feed?.dispose();
    watch?.close();
    await sandbox.cleanup();
  });

  it('warns past warn_at_percent, then pauses at the limit and asks people', async () => {
    await asAgent.sendRequest(Cost.ReportUsage.type, { source: 'test', models: usage(0.9) });
    const warning = await notified('budget_warning');
    assert.equal(warning.event.agentId, id);
    assert.match(warning.event.summary ?? '', /spender has spent \$0\.90 of this agent's budget \(\$1\.00\)/);
    assert.equal((await sandbox.agent(id)).hold, null);

    await asAgent.sendRequest(Cost.ReportUsage.type, { source: 'test', models: usage(1.2) });
    const held = await watch.until(id, (r) => r.hold !== null, 'paused at its budget');
    assert.equal(held.hold?.by, 'budget');
    assert.notEqual(held.state, 'exited', 'paused, not killed');
    const exceeded = await notified('budget_exceeded');
    assert.deepEqual(exceeded.actions.map((a) => a.kind).slice(0, 2), ['raise_budget', 'stop']);
    assert.match(exceeded.text, /reached its budget/);
    assert.match(await sandbox.runOk(['budget']), new RegExp(`${id}\\s+spender\\s+\\$1\\.20\\s+agent \\$1\\.20/\\$1\\.00 \\(120%\\)\\s+PAUSED`));
  });

  it('holds what is queued for a paused agent; a raise that covers the spend releases it with a message to go on', async () => {
    await sandbox.runOk(['inject', id, 'queued while paused']);
    const small = await sandbox.runOk(['budget', 'raise', id, '0.1']);
    assert.match(small, /still over a limit, still paused/);
    assert.equal((await sandbox.agent(id)).hold?.by, 'budget');

    const raised = await sandbox.runOk(['budget', 'raise', id, '$1']);
    assert.match(raised, /released: it has been told it may continue/);
    const typed = await screen.until(/queued while paused/, 'the held message typed in after the release');
    // The release message comes first (higher priority); the message that waited follows, in the same turn.
    assert.match(typed, /A person raised your budget by \$1\.00 \(this agent's budget is now \$2\.10, \$1\.20 spent\)\. You may continue[^]*queued while paused/);
    assert.equal((await sandbox.agent(id)).hold, null);
    const standing = (JSON.parse(await sandbox.runOk(['budget', '--json'])) as Budget.ShowBudget.Result).agents.find((a) => a.id === id)!;
    assert.equal(standing.raisedUsd, 1.1);
    assert.equal(standing.held, false);
  });

  it('refuses a raise that is not a positive amount, and one for an unknown agent', async () => {
    const negative = await sandbox.run(['budget', 'raise', id, '-5']);
    assert.notEqual(negative.code, 0);
    assert.match(negative.stderr, /positive number of US dollars/);
    const unknown = await sandbox.run(['budget', 'raise', 'nobody', '5']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no agent named nobody/);
  });
});
