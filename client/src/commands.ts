/**
 * The command palette and context-menu commands. Each takes an agent id (from
 * the tree's context menu or a test) or asks for one with a quick pick.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import * as Budget from '../../server/src/protocol/budget';
import * as Host from '../../server/src/protocol/host';
import * as Mcp from '../../server/src/protocol/mcp';
import * as Spawn from '../../server/src/protocol/spawn';
import type { AgentRecord } from '../../server/src/protocol/types';
import { cliEntry } from '../../server/src/common/hostDaemon';
import { DRIVERS } from '../../server/src/drivers';
import type { AgentStore } from './agentStore';
import type { HostLink } from './hostLink';
import { recordingsOf, showRecording } from './recordingView';
import type { AgentTerminals } from './terminals';

export interface CommandDeps {
  extensionUri: vscode.Uri;
  link: HostLink;
  store: AgentStore;
  terminals: AgentTerminals;
  output: vscode.LogOutputChannel;
  nodePath: () => string;
}

/** An id given by a caller, a node of the Agents tree (its context menu), or nothing: then a pick. */
type AgentArgument = string | { agent: { id: string } } | undefined;

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { link, store, terminals } = deps;
  const command = (name: string, run: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(name, async (...args: never[]) => {
      try {
        return await run(...args);
      } catch (error) {
        void vscode.window.showErrorMessage(`Superkick: ${(error as Error).message}`);
        return undefined;
      }
    });

  const pick = (argument: AgentArgument, filter: (agent: AgentRecord) => boolean, placeHolder: string) => pickAgent(store, argument, filter, placeHolder);
  const running = (agent: AgentRecord) => agent.state !== 'exited';

  return [
    command('superkick.attach', async (argument: AgentArgument) => {
      const agent = await pick(argument, running, 'Attach to which agent?');
      return agent && terminals.attach(agent.id);
    }),

    command('superkick.inject', async (argument: AgentArgument, given?: string) => {
      const agent = await pick(argument, running, 'Send a message to which agent?');
      if (!agent) return undefined;
      const text = given ?? (await vscode.window.showInputBox({ title: `Message for ${agent.name}`, prompt: 'Typed in when the agent is idle (queued until then)', ignoreFocusOut: true }));
      if (!text) return undefined;
      const result = await link.request(Host.InjectAgent.type, { agent: agent.id, text, submit: true, source: 'vscode' });
      void vscode.window.setStatusBarMessage(result.queued ? `Superkick: queued for ${agent.name} (position ${result.position})` : `Superkick: sent to ${agent.name}`, 4000);
      return result;
    }),

    command('superkick.stop', async (argument: AgentArgument, confirmed?: boolean) => {
      const agent = await pick(argument, running, 'Stop which agent?');
      if (!agent) return undefined;
      if (!confirmed) {
        const answer = await vscode.window.showWarningMessage(`Stop ${agent.name} (${agent.id})? Its program is ended.`, { modal: true }, 'Stop');
        if (answer !== 'Stop') return undefined;
      }
      return link.request(Host.StopAgent.type, { agent: agent.id });
    }),

    command('superkick.copyId', async (argument: AgentArgument) => {
      const agent = await pick(argument, () => true, 'Copy the id of which agent?');
      if (agent) await vscode.env.clipboard.writeText(agent.id);
    }),

    command('superkick.startAgent', async () => {
      const driver = await vscode.window.showQuickPick(
        DRIVERS.map((profile) => ({ label: profile.name, description: profile.commands[0] ?? 'any program' })),
        { title: 'Start agent: which CLI?', ignoreFocusOut: true },
      );
      if (!driver) return undefined;
      const folder = await pickFolder();
      if (!folder) return undefined;
      let program = DRIVERS.find((profile) => profile.name === driver.label)?.commands[0];
      if (!program) program = await vscode.window.showInputBox({ title: 'Start agent: the program to run', prompt: 'A command line, e.g. bash', ignoreFocusOut: true });
      if (!program) return undefined;
      const prompt = await vscode.window.showInputBox({ title: 'Start agent: first message (optional)', prompt: 'Typed in when the agent is ready; leave empty to start without one', ignoreFocusOut: true });
      const words = program.split(/\s+/).filter(Boolean);
      const started = await runCli(deps, ['agent', '--headless', '--json', '--driver', driver.label, '--cwd', folder, '--', ...words]);
      const record = JSON.parse(started) as AgentRecord;
      if (prompt) await link.request(Host.InjectAgent.type, { agent: record.id, text: prompt, submit: true, source: 'vscode' });
      await terminals.attach(record.id);
      return record;
    }),

    command('superkick.spawnFromTemplate', async (given?: Spawn.StartSpawn.Params) => {
      const params = given ?? (await askSpawn());
      if (!params) return undefined;
      // Progress (clone, worktree, setup) shows in its own notification (spawnProgress.ts).
      const result = await link.request(Spawn.StartSpawn.type, params);
      const { dispatch } = result;
      if (result.outcome === 'awaiting_approval') void vscode.window.showInformationMessage(`Superkick: waiting for approval ${dispatch.approvalId}`);
      else if (result.outcome === 'already') void vscode.window.showInformationMessage(`Superkick: "${dispatch.key}" was already dispatched${dispatch.agentId ? ` to agent ${dispatch.agentId}` : ''}`);
      else if (dispatch.agentId) void terminals.attach(dispatch.agentId);
      return result;
    }),

    ...(['approve', 'deny'] as const).map((verb) =>
      command(`superkick.${verb}`, async (argument?: string | { approval?: Spawn.ApprovalStatus }) => {
        const id = typeof argument === 'string' ? argument : (argument?.approval?.id ?? (await pickApproval(verb)));
        if (!id) return undefined;
        const note = verb === 'deny' ? await vscode.window.showInputBox({ title: 'Deny: why? (optional, kept in the audit trail)' }) : undefined;
        const result = await link.request(Spawn.DecideApproval.type, { id, decision: verb === 'approve' ? 'approved' : 'denied', ...(note ? { note } : {}) });
        void vscode.window.setStatusBarMessage(`Superkick: ${result.approval.summary.split('\n')[0]} ${result.approval.state}`, 4000);
        if (verb === 'approve' && result.dispatch?.state === 'failed') throw new Error(result.dispatch.reason ?? 'the spawn failed');
        return result;
      }),
    ),

    command('superkick.raiseBudget', async (argument: AgentArgument, given?: number) => {
      const agent = await pick(argument, running, 'Raise the budget of which agent?');
      if (!agent) return undefined;
      const usd = given ?? Number(await vscode.window.showInputBox({ title: `Raise ${agent.name}'s budget by (US dollars)`, value: '5', validateInput: (text) => (Number(text) > 0 ? undefined : 'a positive amount') }));
      if (!(usd > 0)) return undefined;
      return link.request(Budget.RaiseBudget.type, { agent: agent.id, usd });
    }),

    command('superkick.answerQuestion', async (questionId?: string, question?: string, choices?: string[]) => {
      const id = questionId ?? (await pickQuestion());
      if (!id) return undefined;
      const text = choices?.length
        ? (await vscode.window.showQuickPick([...choices, 'Something else…'], { title: question ?? 'Answer' })) ?? ''
        : '';
      const answer = text && text !== 'Something else…' ? text : await vscode.window.showInputBox({ title: question ?? 'Answer the agent', prompt: 'Queued into the agent; typed in when it is idle', ignoreFocusOut: true });
      if (!answer) return undefined;
      return link.request(Mcp.AnswerQuestion.type, { questionId: id, text: answer });
    }),

    command('superkick.openRecording', async (argument: AgentArgument) => {
      const agent = await pick(argument, () => true, 'Open the recording of which agent?');
      if (!agent) return undefined;
      const files = recordingsOf(link.paths.recordings, agent.id);
      if (!files.length) throw new Error(`${agent.name} has no recording; start one with \`superkick record ${agent.id}\` or the agent setting record: true`);
      const how = await vscode.window.showQuickPick(['Play', 'Open as text'], { title: `Recording of ${agent.name}` });
      if (how === 'Play') return showRecording(deps.extensionUri, files[0], agent.name);
      if (how === 'Open as text') return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(files[0])));
      return undefined;
    }),

    command('superkick.showHostLog', async () => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(link.paths.hostLog));
      await vscode.window.showTextDocument(document, { preview: true });
    }),

    command('superkick.restartHost', async () => {
      const answer = await vscode.window.showWarningMessage('Restart the Superkick host? Agents keep running; every window reconnects.', { modal: true }, 'Restart');
      if (answer !== 'Restart') return;
      await runCli(deps, ['server', '--stop']).catch(() => undefined);
      await link.reconnect();
    }),

    command('superkick.reopenTerminals', async () => {
      const count = await terminals.restore((id) => store.isRunning(id));
      void vscode.window.setStatusBarMessage(`Superkick: reopened ${count} terminal(s)`, 4000);
      return count;
    }),
  ];

  async function pickApproval(verb: string): Promise<string | undefined> {
    const { approvals } = await link.request(Spawn.ListApprovals.type, {});
    if (!approvals.length) throw new Error('nothing waits for approval');
    const chosen = await vscode.window.showQuickPick(
      approvals.map((approval) => ({ label: approval.summary.split('\n')[0], description: `${approval.id} · ${approval.spawner}`, id: approval.id })),
      { placeHolder: `${verb === 'approve' ? 'Approve' : 'Deny'} which spawn?` },
    );
    return chosen?.id;
  }

  async function pickQuestion(): Promise<string | undefined> {
    const questions = (await link.request(Mcp.ListQuestions.type, {})).filter((question) => question.answer === null);
    if (!questions.length) throw new Error('no agent is waiting for an answer');
    const chosen = await vscode.window.showQuickPick(
      questions.map((question) => ({ label: question.question.split('\n')[0], description: question.agentName, id: question.id })),
      { placeHolder: 'Answer which question?' },
    );
    return chosen?.id;
  }

  async function askSpawn(): Promise<Spawn.StartSpawn.Params | undefined> {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!workspace) throw new Error('open a folder first: a spawn works in a repository');
    const template = await vscode.window.showInputBox({ title: 'Spawn from template: which template?', value: 'core/kickoff', ignoreFocusOut: true });
    if (!template) return undefined;
    const title = await vscode.window.showInputBox({ title: 'Spawn from template: the task', prompt: 'One line: what should the agent do?', ignoreFocusOut: true });
    if (!title) return undefined;
    const body = await vscode.window.showInputBox({ title: 'Spawn from template: details (optional)', ignoreFocusOut: true });
    return { workspace, template, vars: { 'task.title': title, ...(body ? { 'task.body': body } : {}) } };
  }
}

async function pickAgent(store: AgentStore, argument: AgentArgument, filter: (agent: AgentRecord) => boolean, placeHolder: string): Promise<AgentRecord | undefined> {
  const id = typeof argument === 'string' ? argument : argument?.agent.id;
  if (id) {
    const agent = store.get(id);
    if (!agent) throw new Error(`no agent ${id}`);
    return agent;
  }
  const candidates = store.all().filter(filter);
  if (!candidates.length) throw new Error('no agent to choose from');
  const chosen = await vscode.window.showQuickPick(
    candidates.map((agent) => ({ label: agent.name, description: `${agent.id} · ${agent.state} · ${agent.driver}`, detail: agent.cwd, agent })),
    { placeHolder },
  );
  return chosen?.agent;
}

async function pickFolder(): Promise<string | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri.fsPath;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Start the agent in which folder?' }))?.uri.fsPath;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Start the agent here' });
  return chosen?.[0]?.fsPath;
}

/** Runs the bundled `superkick` CLI with the system Node (the one its native modules were built for). */
function runCli(deps: CommandDeps, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(deps.nodePath(), [cliEntry(), ...args], { env: process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim().replace(/^superkick: /, '') || error.message));
      else resolve(stdout);
    });
  });
}
