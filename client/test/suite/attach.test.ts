/**
 * Attaching opens a VS Code terminal on the agent through the Pseudoterminal:
 * the first thing it writes is the agent's current screen, exactly, then the
 * program's output as it comes.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { screenOf } from '../screen';
import { runCli, startAgentFromCli, stopAgent, superkick, terminalTranscript } from '../superkick';
import { until } from '../waitForEvent';

suite('attach', () => {
  let agentId: string | undefined;
  suiteTeardown(async () => {
    if (agentId) await stopAgent(await superkick(), agentId);
  });

  test('superkick.attach opens a terminal whose first write is the agent screen', async () => {
    const api = await superkick();
    const record = await startAgentFromCli(api, 'attach-agent', 'printf "first line\\nsecond line\\n"; exec cat');
    agentId = record.id;
    const transcript = terminalTranscript(api, record.id);
    try {
      const opened = until(vscode.window.onDidOpenTerminal, () => vscode.window.terminals.find((terminal) => terminal.name === 'attach-agent (command)'), 'the agent terminal to open');
      await vscode.commands.executeCommand('superkick.attach', record.id);
      const terminal = await opened;
      // The snapshot comes first (it clears the terminal); whatever the program printed after it follows as output.
      await transcript.until((text) => text.includes('second line'), 'the agent output in the terminal');
      assert.ok(transcript.writes[0].startsWith('\x1bc'), 'the first write is not a snapshot that clears the terminal');
      assert.deepEqual(await screenOf(transcript.text()), { rows: ['first line', 'second line'], cursor: { row: 2, column: 0 } });
      assert.match(await runCli(['logs', '--plain', record.id]), /first line\r?\nsecond line/);

      // Typing in the terminal reaches the program (cat echoes each line).
      terminal.sendText('typed-in-vscode');
      await transcript.until((text) => text.split('typed-in-vscode').length >= 3, 'the typed line echoed by the pty and by cat');
    } finally {
      transcript.dispose();
    }
  });
});
