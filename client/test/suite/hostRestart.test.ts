/** The host dies: the status bar says so, the extension comes back on its own (starting a host), and the agents are still there. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import { startAgentFromCli, stopAgent, superkick } from '../superkick';
import { until } from '../waitForEvent';

suite('host restart', () => {
  let agentId: string | undefined;
  suiteTeardown(async () => {
    if (agentId) await stopAgent(await superkick(), agentId);
  });

  test('a killed host is shown in the status bar, and the link reconnects to a new one with the same agents', async () => {
    const api = await superkick();
    const agent = await startAgentFromCli(api, 'survivor', 'echo still-here; exec cat');
    agentId = agent.id;
    const before = api.link.hostPid;
    assert.ok(before, 'the link knows the host pid');
    const lost = until(api.link.onDidChangeState, () => api.link.state === 'disconnected', 'the link to notice the host is gone');
    process.kill(before, 'SIGKILL');
    await lost;
    assert.match(api.statusBar.text, /host not connected/);
    await until(api.link.onDidChangeState, () => api.link.state === 'connected', 'the link to reconnect (starting a new host)');
    assert.notEqual(api.link.hostPid, before, 'a new host serves it');
    // The agent kept running and registered with the new host; the store, reloaded from it, shows it again.
    const back = await until(api.store.onDidChange, () => (api.store.loaded && api.store.get(agent.id)?.connected ? api.store.get(agent.id) : undefined), 'the agent, connected to the new host');
    assert.notEqual(back.state, 'exited');
    assert.doesNotMatch(api.statusBar.text, /not connected/);
  });
});
