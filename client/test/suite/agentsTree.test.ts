/** An agent started from the CLI appears in the Agents tree, with its state, without a refresh. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { startAgentFromCli, stopAgent, superkick } from '../superkick';
import { until } from '../waitForEvent';

suite('Agents tree', () => {
  let agentId: string | undefined;
  suiteTeardown(async () => {
    if (agentId) await stopAgent(await superkick(), agentId);
  });

  test('lists an agent started from the CLI', async () => {
    const api = await superkick();
    const record = await startAgentFromCli(api, 'tree-agent', 'echo hello; exec cat');
    agentId = record.id;
    const node = await until(
      api.agentsView.onDidChangeTreeData,
      () => api.agentsView.getChildren().find((child) => child.kind === 'agent' && child.agent.id === record.id),
      `${record.id} among the tree's children`,
    );
    const item = api.agentsView.getTreeItem(node);
    assert.equal(item.label, 'tree-agent');
    assert.equal(item.id, record.id);
    assert.match(String(item.description), /^(starting|working|idle) · command · /);
    assert.deepEqual(item.command?.arguments, [record.id]);
    assert.match(api.statusBar.text, /^\$\(pulse\) [1-9]/);
    // The view itself is contributed and can be shown.
    await vscode.commands.executeCommand('superkick.agents.focus');
  });
});
