/**
 * What the extension tests share: the running extension's API (activated,
 * connected, its agent list loaded), the repository's CLI run with the
 * system's Node and the same SUPERKICK_DIR (as a person in a terminal would),
 * and agent terminals read through the API's write event.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentRecord } from '../../server/src/protocol';
import type { SuperkickApi } from '../src/extension';
import { until } from './waitForEvent';

export const EXTENSION_ID = 'superkick.superkick';

export function superkickExtension(): vscode.Extension<SuperkickApi> {
  const extension = vscode.extensions.getExtension<SuperkickApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

/** The extension's API once its link to the host is up and the agent list has arrived. */
export async function superkick(): Promise<SuperkickApi> {
  const api = await superkickExtension().activate();
  await until(api.link.onDidChangeState, () => api.link.state === 'connected', 'the extension to connect to the Superkick host');
  await until(api.store.onDidChange, () => api.store.loaded, 'the agent list from the host');
  return api;
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the tests need the workspace folder the runner opened');
  return folder;
}

/** `superkick ARGS` from the repository's build, with the system's `node` (what the extension's host uses). */
export function runCli(args: string[]): Promise<string> {
  const cli = path.join(superkickExtension().extensionPath, 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    execFile('node', [cli, ...args], { cwd: workspaceFolder(), env: process.env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`superkick ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Starts a headless agent from the CLI running `sh -c script`; resolves with its record once the
 * extension's store shows it connected to the host (until then the host cannot stop it: "not
 * connected to the host").
 */
export async function startAgentFromCli(api: SuperkickApi, name: string, script: string): Promise<AgentRecord> {
  const record = JSON.parse(await runCli(['agent', '--headless', '--json', '--name', name, '--', 'sh', '-c', script])) as AgentRecord;
  return until(api.store.onDidChange, () => (api.store.get(record.id)?.connected ? api.store.get(record.id) : undefined), `agent ${name} (${record.id}) connected, in the extension's store`);
}

/** Everything the extension's terminal for `agentId` writes from now on, as one growing string. */
export function terminalTranscript(api: SuperkickApi, agentId: string): { text: () => string; writes: string[]; until: (check: (text: string) => boolean, what: string) => Promise<string>; dispose: () => void } {
  const writes: string[] = [];
  const subscription = api.terminals.onDidWrite((write) => {
    if (write.agentId === agentId) writes.push(write.data);
  });
  const text = () => writes.join('');
  return {
    text,
    writes,
    until: (check, what) =>
      until(api.terminals.onDidWrite, () => check(text()) && text(), what).catch((error: Error) => {
        throw new Error(`${error.message}; the terminal showed ${JSON.stringify(text().slice(-400))}`);
      }),
    dispose: () => subscription.dispose(),
  };
}

/** Stops an agent through the extension's command, confirmed (no modal), and waits for the store to see it exit. */
export async function stopAgent(api: SuperkickApi, agentId: string): Promise<void> {
  const stopped = await vscode.commands.executeCommand<AgentRecord | undefined>('superkick.stop', agentId, true);
  // The command shows its errors as notifications and returns nothing: the test would only time out.
  assert.ok(stopped, `superkick.stop ${agentId} failed (its message went to a notification)`);
  await until(api.store.onDidChange, () => api.store.get(agentId)?.state === 'exited', `agent ${agentId} to exit`);
}
