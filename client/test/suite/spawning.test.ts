/**
 * Spawning as VS Code shows it: a spawner in the Spawners & Monitors view,
 * new work waiting in the Approvals view with an approval_needed
 * notification, approving it with the command (as its inline button does),
 * and the agent it starts appearing in the Agents tree in its own worktree.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type * as Notify from '../../../server/src/protocol/notify';
import type * as Spawn from '../../../server/src/protocol/spawn';
import { runCli, stopAgent, superkick, workspaceFolder } from '../superkick';
import { until } from '../waitForEvent';

const CONFIG = `# Superkick settings for this repository (see docs/configuration.md)
budget:
  daily_usd: 5
agents:
  driver: command
  command: sh
  args: ["-c", "echo spawned-agent-ready; exec cat"]
spawners:
  gated:
    type: inbox
    folder: .superkick/gated
    poll_interval: 1
    approval: required
`;

suite('spawning', () => {
  const file = () => path.join(workspaceFolder(), 'superkick.yml');
  let original: string | undefined;
  let agentId: string | undefined;
  suiteTeardown(async () => {
    if (agentId) await stopAgent(await superkick(), agentId);
    if (original !== undefined) fs.writeFileSync(file(), original);
    fs.rmSync(path.join(workspaceFolder(), '.superkick'), { recursive: true, force: true });
  });

  test('a spawner shows its polls, its work waits for approval, and approving it starts an agent in a worktree', async () => {
    const api = await superkick();
    const folder = workspaceFolder();
    // Worktrees start from a commit: the test workspace gets its first one.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('add', 'README.md');
    git('commit', '-q', '--allow-empty', '-m', 'start');
    original = fs.readFileSync(file(), 'utf8');
    fs.mkdirSync(path.join(folder, '.superkick', 'gated'), { recursive: true });
    const notified: Notify.ShownNotification[] = [];
    api.notifications.onDidReceive((shown) => notified.push(shown));
    fs.writeFileSync(file(), CONFIG);
    // The agent's program is a command from this file: it runs once the workspace is trusted.
    await runCli(['trust']);

    const polling = await until(api.watchersView.onDidChangeTreeData, () => api.watchersView.spawnerStatuses.find((s) => s.name === 'gated' && s.polls > 0), 'the gated spawner to poll, in the Spawners & Monitors view');
    assert.equal(polling.state, 'polling');
    assert.equal(polling.type, 'inbox');

    fs.writeFileSync(path.join(folder, '.superkick', 'gated', 'login.json'), JSON.stringify({ title: 'Fix the login form', body: 'It rejects valid emails.' }));
    const pending = await until(api.approvalsView.onDidChangeTreeData, () => api.approvalsView.pending.find((a) => a.key === 'inbox-gated-login'), 'the work in the Approvals view');
    const items = api.approvalsView.getChildren().map((node) => api.approvalsView.getTreeItem(node));
    assert.ok(items.some((item) => item.label === 'Fix the login form' && item.contextValue === 'approval'));
    await until(api.notifications.onDidReceive, () => notified.find((n) => n.event.type === 'approval_needed'), 'an approval_needed notification');
    const shown = notified.find((n) => n.event.type === 'approval_needed')!;
    assert.deepEqual(shown.actions.map((action) => action.kind).slice(0, 2), ['approve', 'deny']);

    const decided = await vscode.commands.executeCommand<Spawn.DecideApproval.Result | undefined>('superkick.approve', pending.id);
    assert.ok(decided, 'the approve command reported an error instead of a result');
    assert.equal(decided.approval.state, 'approved');
    assert.equal(decided.dispatch?.state, 'running');
    agentId = decided.dispatch!.agentId!;
    const agent = await until(api.store.onDidChange, () => api.store.get(agentId!), 'the spawned agent in the Agents tree');
    assert.equal(agent.assignment.dispatchKey, 'inbox-gated-login');
    assert.equal(agent.assignment.spawner, 'gated');
    assert.ok(agent.cwd !== folder && fs.existsSync(path.join(agent.cwd, 'README.md')), `it works in its own worktree (${agent.cwd})`);
    // Grouped under its spawner when agents started by hand are listed too; listed plainly when it is alone.
    const labels = api.agentsView.getChildren().map((node) => api.agentsView.getTreeItem(node).label);
    assert.ok(labels.includes('Spawner: gated') || labels.includes(agent.name), `the tree shows it (${labels.join(', ')})`);
    await until(api.approvalsView.onDidChangeTreeData, () => !api.approvalsView.pending.some((a) => a.id === pending.id) || undefined, 'the approval to leave the Approvals view');
    const dispatches = JSON.parse(await runCli(['dispatches', '--json'])) as Spawn.DispatchStatus[];
    assert.equal(dispatches.find((d) => d.key === 'inbox-gated-login')?.agentId, agentId);
  });
});
