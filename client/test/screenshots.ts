/**
 * The scene for the README's screenshots (`npm run screenshots`): real agents
 * started from the CLI, the Superkick sidebar, an attached agent terminal, and
 * a superkick.yml with a mistake. For each picture it logs
 * `superkick-screenshot <name> <text on screen>` and waits until the runner
 * has saved it (`<name>.done` in SUPERKICK_TEST_STATE).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { whenDirChanges } from '../../test/helpers/waitFor';
import { startAgentFromCli, superkick, terminalTranscript, workspaceFolder } from './superkick';
import { until } from './waitForEvent';

export async function stageScreenshots(): Promise<void> {
  const api = await superkick();
  await startAgentFromCli(api, 'docs-writer', 'echo "Reading docs/ to update the README…"; exec cat');
  const agent = await startAgentFromCli(api, 'test-fixer', 'printf "\\033[1mtest-fixer\\033[0m ready: send me a failing test\\n> "; exec cat');
  const file = path.join(workspaceFolder(), 'superkick.yml');
  const uri = vscode.Uri.file(file);
  await stageSpawnerWithApproval(api, file);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  // The chat side bar is empty offline; the picture is about the agents.
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.view.extension.superkick');
  const transcript = terminalTranscript(api, agent.id);
  await vscode.commands.executeCommand('superkick.attach', agent.id);
  await transcript.until((text) => text.includes('ready'), 'the agent screen in its terminal');
  await vscode.commands.executeCommand('superkick.inject', agent.id, 'npm test -- test/unit/config.test.ts fails on line 12');
  await transcript.until((text) => text.split('fails on line 12').length >= 3, 'the sent message echoed by the agent');
  transcript.dispose();
  await shoot('agents-and-terminal', 'test-fixer');

  const diagnosed = until(vscode.languages.onDidChangeDiagnostics, () => vscode.languages.getDiagnostics(uri).length > 0, 'diagnostics for superkick.yml');
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), 'monitors:\n  tests:\n    type: shel\n    command: npm test\n'));
  await diagnosed;
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await shoot('superkick-yml-diagnostics', 'did you mean');
}

/** A spawner that found work which waits for approval, so the sidebar shows all three views at work. */
async function stageSpawnerWithApproval(api: Awaited<ReturnType<typeof superkick>>, file: string): Promise<void> {
  const folder = workspaceFolder();
  const env = { ...process.env, GIT_AUTHOR_NAME: 'docs', GIT_AUTHOR_EMAIL: 'docs@example.com', GIT_COMMITTER_NAME: 'docs', GIT_COMMITTER_EMAIL: 'docs@example.com' };
  execFileSync('git', ['add', 'README.md'], { cwd: folder, env });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'start'], { cwd: folder, env });
  fs.mkdirSync(path.join(folder, '.superkick', 'inbox'), { recursive: true });
  fs.appendFileSync(file, 'spawners:\n  triage:\n    type: inbox\n    folder: .superkick/inbox\n    poll_interval: 5\n    approval: required\n');
  await until(api.watchersView.onDidChangeTreeData, () => api.watchersView.spawnerStatuses.some((s) => s.name === 'triage' && s.polls > 0), 'the triage spawner to poll');
  fs.writeFileSync(path.join(folder, '.superkick', 'inbox', 'issue-42.json'), JSON.stringify({ title: 'Login fails on Safari', body: 'Users on Safari 17 cannot sign in.' }));
  await until(api.approvalsView.onDidChangeTreeData, () => api.approvalsView.pending.length > 0, 'the work to wait for approval');
}

async function shoot(name: string, visibleText: string): Promise<void> {
  const state = process.env.SUPERKICK_TEST_STATE;
  if (!state) throw new Error('SUPERKICK_TEST_STATE is not set: run with npm run screenshots');
  console.log(`superkick-screenshot ${name} ${visibleText}`);
  await whenDirChanges(state, () => fs.existsSync(path.join(state, `${name}.done`)) || undefined, `the runner to save ${name}.png`, 120_000);
}
