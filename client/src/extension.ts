/**
 * The Superkick extension: activated by a workspace with superkick.yml or by
 * using a Superkick view or command. It connects to the one long-lived host
 * (starting it with the system's Node if none runs), and shows the agents,
 * their terminals and the host's health. Deactivating ends only this
 * window's connection: the host and every agent keep running.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import * as Host from '../../server/src/protocol/host';
import { AgentStore } from './agentStore';
import { AgentsView } from './agentsView';
import { ApprovalsView } from './approvalsView';
import { registerCommands } from './commands';
import { HostLink } from './hostLink';
import { DEFAULT_POP_UPS, Notifications } from './notifications';
import { SpawnProgress } from './spawnProgress';
import { StatusBar } from './statusBar';
import { AgentTerminals } from './terminals';
import { WatchersView } from './watchersView';

/** What the extension hands its tests (and other extensions) through `exports`. */
export interface SuperkickApi {
  link: HostLink;
  store: AgentStore;
  statusBar: StatusBar;
  terminals: AgentTerminals;
  agentsView: AgentsView;
  watchersView: WatchersView;
  approvalsView: ApprovalsView;
  notifications: Notifications;
  /** How long `activate` itself took, in milliseconds (the host connects after it returns). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): SuperkickApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Superkick', { log: true });
  const settings = () => vscode.workspace.getConfiguration('superkick');
  const nodePath = () => settings().get<string>('nodePath') || 'node';
  const workspace = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

  const link = new HostLink(output, nodePath, workspace);
  const store = new AgentStore(link);
  const terminals = new AgentTerminals(link, context.workspaceState);
  const statusBar = new StatusBar(store, link);
  const agentsView = new AgentsView(store, link);
  const watchersView = new WatchersView(link);
  const approvalsView = new ApprovalsView(link);
  const notifications = new Notifications(link, output, () => settings().get<string[]>('notifications') ?? DEFAULT_POP_UPS);
  context.subscriptions.push(
    output,
    link,
    store,
    terminals,
    statusBar,
    watchersView,
    approvalsView,
    notifications,
    new SpawnProgress(link),
    vscode.window.registerTreeDataProvider('superkick.agents', agentsView),
    vscode.window.registerTreeDataProvider('superkick.watchers', watchersView),
    vscode.window.registerTreeDataProvider('superkick.approvals', approvalsView),
    ...registerCommands({ extensionUri: context.extensionUri, link, store, terminals, output, nodePath }),
  );

  // Trusting the workspace in VS Code trusts its superkick.yml for Superkick too (SPEC 14a).
  const trustFolders = async () => {
    if (!vscode.workspace.isTrusted || link.state !== 'connected') return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      await link.request(Host.TrustWorkspace.type, { workspace: folder.uri.fsPath }).catch((error: Error) => output.appendLine(`could not trust ${folder.uri.fsPath}: ${error.message}`));
    }
  };
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void trustFolders()));

  let offeredRestore = false;
  context.subscriptions.push(
    link.onDidChangeState((state) => {
      if (state !== 'connected') return;
      void trustFolders();
      if (offeredRestore) return;
      offeredRestore = true;
      void offerTerminalRestore(terminals, store, settings().get<boolean>('restoreTerminals') ?? false);
    }),
  );
  void link.start();
  return { link, store, statusBar, terminals, agentsView, watchersView, approvalsView, notifications, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Subscriptions dispose the connection; nothing else ends with the window.
}

/** After a reload: reopen the agents' terminals that were open, at once or on one click. */
async function offerTerminalRestore(terminals: AgentTerminals, store: AgentStore, automatic: boolean): Promise<void> {
  await new Promise<void>((resolve) => {
    if (store.loaded) resolve();
    else {
      const once = store.onDidChange(() => {
        if (!store.loaded) return;
        once.dispose();
        resolve();
      });
    }
  });
  const alive = (id: string) => store.isRunning(id);
  const waiting = terminals.remembered().filter(alive);
  if (!waiting.length) return;
  if (automatic) {
    await terminals.restore(alive);
    return;
  }
  const answer = await vscode.window.showInformationMessage(`Superkick: reopen the terminals of ${waiting.length} running agent(s)?`, 'Reopen');
  if (answer === 'Reopen') await terminals.restore(alive);
}
