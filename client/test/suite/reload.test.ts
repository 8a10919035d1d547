/** Before the window reload (see reloadHandoff.ts): an agent runs and its terminal is open. */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { saveBeforeReload } from '../reloadHandoff';
import { startAgentFromCli, superkick, terminalTranscript } from '../superkick';
import { until } from '../waitForEvent';

suite('window reload, before', () => {
  test('an agent with an open terminal is left running for after the reload', async () => {
    const api = await superkick();
    const printed = 'printed-before-the-reload';
    const record = await startAgentFromCli(api, 'reload-agent', `echo ${printed}; exec cat`);
    const transcript = terminalTranscript(api, record.id);
    try {
      await vscode.commands.executeCommand('superkick.attach', record.id);
      await transcript.until((text) => text.includes(printed), 'the agent output in its terminal');
    } finally {
      transcript.dispose();
    }
    assert.ok(api.terminals.remembered().includes(record.id), 'its open terminal is not remembered');
    // The record is listed when the agent is started; its pid comes when the agent process registers.
    const agentPid = await until(api.store.onDidChange, () => api.store.get(record.id)?.pid ?? undefined, `the pid of agent ${record.id}`);
    const hostPid = api.link.hostPid;
    assert.ok(hostPid);
    saveBeforeReload({ agentId: record.id, agentPid, hostPid, printed });
  });
});
