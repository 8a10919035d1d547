/**
 * Host notifications as VS Code notifications, with their actions as
 * buttons: answer a question (an input box; the answer is queued into the
 * agent), approve or deny a spawn, raise a budget or stop the agent, attach,
 * open a link. Which event types pop up is the `superkick.notifications`
 * setting; the rest only reach the Superkick output channel.
 */
import * as vscode from 'vscode';
import * as Notify from '../../server/src/protocol/notify';
import type { SupervisionEventType } from '../../server/src/protocol/types';
import type { HostLink } from './hostLink';

export const DEFAULT_POP_UPS: SupervisionEventType[] = ['goal_met', 'goal_failed', 'agent_waiting', 'question_asked', 'approval_needed', 'budget_exceeded', 'spawn_failed', 'worktree_kept'];

/** The command that carries out each action kind, with the arguments it takes from the notification. */
const ACTIONS: Record<Notify.NotificationAction['kind'], (shown: Notify.ShownNotification, action: Notify.NotificationAction) => Thenable<unknown>> = {
  attach: (_shown, action) => vscode.commands.executeCommand('superkick.attach', action.agentId ?? undefined),
  answer: (shown) => vscode.commands.executeCommand('superkick.answerQuestion', shown.event.details.questionId, shown.event.summary, shown.event.details.choices),
  approve: (shown) => vscode.commands.executeCommand('superkick.approve', shown.event.details.approvalId),
  deny: (shown) => vscode.commands.executeCommand('superkick.deny', shown.event.details.approvalId),
  raise_budget: (_shown, action) => vscode.commands.executeCommand('superkick.raiseBudget', action.agentId ?? undefined),
  stop: (_shown, action) => vscode.commands.executeCommand('superkick.stop', action.agentId ?? undefined),
  open_url: (_shown, action) => (action.url ? vscode.env.openExternal(vscode.Uri.parse(action.url)) : Promise.resolve()),
};

export class Notifications implements vscode.Disposable {
  private watch: vscode.Disposable | undefined;
  private readonly shownEmitter = new vscode.EventEmitter<Notify.ShownNotification>();
  /** Every notification the host sent this window (tests follow it). */
  readonly onDidReceive = this.shownEmitter.event;

  constructor(private readonly link: HostLink, private readonly output: vscode.LogOutputChannel, private readonly popUps: () => readonly string[]) {
    link.onDidChangeState((state) => {
      if (state === 'connected') void this.start();
    });
  }

  private async start(): Promise<void> {
    this.watch?.dispose();
    this.watch = this.link.onNotification(Notify.NotificationShown.type, (shown) => this.show(shown));
    // A window with folders hears about its own workspaces, so two windows do not both pop up every event.
    const workspaces = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    // What came while this window was away goes to the output channel; only new events pop up.
    const { recent } = await this.link.request(Notify.WatchNotifications.type, workspaces.length ? { workspaces } : {}).catch(() => ({ recent: [] as Notify.ShownNotification[] }));
    for (const shown of recent) this.output.info(`(earlier) ${shown.text.trim()}`);
  }

  private show(shown: Notify.ShownNotification): void {
    this.shownEmitter.fire(shown);
    const text = shown.text.trim();
    this.output.info(text);
    if (!this.popUps().includes(shown.event.type)) return;
    const buttons = shown.actions.map((action) => action.title);
    const headline = text.split('\n')[0];
    const detail = text.split('\n').slice(1, 4).join(' · ');
    const message = detail ? `${headline} — ${detail}` : headline;
    const important = ['goal_failed', 'budget_exceeded', 'spawn_failed'].includes(shown.event.type);
    const shownMessage = important ? vscode.window.showWarningMessage(message, ...buttons) : vscode.window.showInformationMessage(message, ...buttons);
    void shownMessage.then((chosen) => {
      const action = shown.actions.find((a) => a.title === chosen);
      if (action) void ACTIONS[action.kind](shown, action);
    });
  }

  dispose(): void {
    this.watch?.dispose();
    this.shownEmitter.dispose();
  }
}
