/** The command palette's "Send Message to Agent…" with its arguments given: the text reaches the program and is submitted. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { Host } from '../../../server/src/protocol';
import { runCli, startAgentFromCli, stopAgent, superkick, terminalTranscript } from '../superkick';

suite('inject', () => {
  let agentId: string | undefined;
  suiteTeardown(async () => {
    if (agentId) await stopAgent(await superkick(), agentId);
  });

  test('superkick.inject (id, text) types the text into the agent and presses Enter', async () => {
    const api = await superkick();
    const record = await startAgentFromCli(api, 'inject-agent', 'echo ready; exec cat');
    agentId = record.id;
    const transcript = terminalTranscript(api, record.id);
    try {
      await vscode.commands.executeCommand('superkick.attach', record.id);
      await transcript.until((text) => text.includes('ready'), 'the agent screen');
      const result = await vscode.commands.executeCommand<Host.InjectAgent.Result | undefined>('superkick.inject', record.id, 'ping-from-palette');
      assert.ok(result, 'the command reported an error instead of a result');
      // Twice: the terminal echoes what was typed, and cat prints the line once Enter submitted it.
      await transcript.until((text) => text.split('ping-from-palette').length >= 3, 'the injected line echoed and printed back by cat');
      assert.equal((await runCli(['logs', '--plain', record.id])).split('ping-from-palette').length, 3);
    } finally {
      transcript.dispose();
    }
  });
});
