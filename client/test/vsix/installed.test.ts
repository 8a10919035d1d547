/**
 * The packaged extension, installed from its .vsix (not the repository): it
 * activates, starts the host with its own dist/cli.js and the node-pty it
 * ships, and shows an agent started from its CLI.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import { startAgentFromCli, stopAgent, superkick, superkickExtension } from '../superkick';
import { until } from '../waitForEvent';

suite('installed .vsix', () => {
  test('activates from the extensions folder and lists a CLI agent', async () => {
    const extension = superkickExtension();
    assert.ok(extension.isActive, 'not activated by workspaceContains:superkick.yml');
    assert.ok(extension.extensionPath.startsWith(`${process.env.SUPERKICK_TEST_EXTENSIONS}${path.sep}`), `loaded from ${extension.extensionPath}, not from the installed .vsix`);
    const api = await superkick();
    const record = await startAgentFromCli(api, 'vsix-agent', 'echo hello; exec cat');
    await until(api.agentsView.onDidChangeTreeData, () => api.agentsView.getChildren().some((child) => child.kind === 'agent' && child.agent.id === record.id), `${record.id} in the tree`);
    await stopAgent(api, record.id);
  });
});
