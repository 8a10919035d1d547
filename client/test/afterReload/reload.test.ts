/**
 * After `workbench.action.reloadWindow` (see reloadHandoff.ts): this is a new
 * extension host, and the host and agent from before are the same processes;
 * the agent terminal is remembered and reopens showing the screen as it was.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { loadBeforeReload } from '../reloadHandoff';
import { screenOf } from '../screen';
import { stopAgent, superkick, terminalTranscript } from '../superkick';

suite('window reload, after', () => {
  const before = loadBeforeReload();
  suiteTeardown(async () => stopAgent(await superkick(), before.agentId));

  test('the host and the agent are the same processes as before the reload', async () => {
    const api = await superkick();
    assert.equal(api.link.hostPid, before.hostPid, 'a new host was started');
    const record = api.store.get(before.agentId);
    assert.ok(record, `agent ${before.agentId} is not in the store after the reload`);
    assert.notEqual(record.state, 'exited');
    assert.equal(record.pid, before.agentPid);
    process.kill(before.agentPid, 0);
  });

  test('its terminal is remembered and reopens with the screen the agent kept', async () => {
    const api = await superkick();
    // The terminals of the agents the other tests stopped stayed open too; only the running agent's reopens.
    const remembered = api.terminals.remembered();
    assert.ok(remembered.includes(before.agentId) && remembered.length > 1, `remembered: ${remembered.join(', ')}`);
    const transcript = terminalTranscript(api, before.agentId);
    try {
      assert.equal(await vscode.commands.executeCommand('superkick.reopenTerminals'), 1);
      await transcript.until((text) => text.includes(before.printed), 'the screen from before the reload');
      // Printed long before this attach: it can only have come in the snapshot.
      const [snapshot] = transcript.writes;
      assert.ok(snapshot.startsWith('\x1bc'));
      assert.deepEqual(await screenOf(snapshot), { rows: [before.printed], cursor: { row: 1, column: 0 } });
    } finally {
      transcript.dispose();
    }
  });
});
