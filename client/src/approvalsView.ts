/**
 * The Approvals tree: spawns waiting for a person, with Approve and Deny
 * inline. The tooltip shows the exact snapshot the agent will be told. It
 * follows DispatchChanged (an approval asked, decided or expired moves its
 * dispatch), never a timer.
 */
import * as vscode from 'vscode';
import * as Spawn from '../../server/src/protocol/spawn';
import type { HostLink } from './hostLink';

type Node = { kind: 'approval'; approval: Spawn.ApprovalStatus } | { kind: 'message'; text: string };

export class ApprovalsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private approvals: Spawn.ApprovalStatus[] = [];
  private watch: vscode.Disposable | undefined;

  constructor(private readonly link: HostLink) {
    link.onDidChangeState((state) => {
      if (state === 'connected') void this.start();
      else this.changed.fire(undefined);
    });
  }

  /** Pending approvals as last shown (commands and tests read it). */
  get pending(): readonly Spawn.ApprovalStatus[] {
    return this.approvals;
  }

  getChildren(node?: Node): Node[] {
    if (node) return [];
    if (this.link.state !== 'connected') return [{ kind: 'message', text: 'The Superkick host is not connected' }];
    return this.approvals.length ? this.approvals.map((approval) => ({ kind: 'approval', approval })) : [{ kind: 'message', text: 'Nothing waits for approval' }];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    const { approval } = node;
    const item = new vscode.TreeItem(approval.summary.split('\n')[0]);
    item.id = `approval:${approval.id}`;
    item.iconPath = new vscode.ThemeIcon('shield');
    item.description = `${approval.spawner} · ${approval.id} · expires ${new Date(approval.expiresAt).toLocaleString()}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${approval.summary}\n\nWhat the agent will be told (frozen now, sha256 ${approval.snapshotSha256.slice(0, 12)}…):\n`);
    tooltip.appendCodeblock(JSON.stringify(approval.snapshot, null, 2).slice(0, 4000), 'json');
    item.tooltip = tooltip;
    item.contextValue = 'approval';
    return item;
  }

  async refresh(): Promise<void> {
    try {
      this.approvals = (await this.link.request(Spawn.ListApprovals.type, {})).approvals;
    } catch {
      return;
    }
    this.changed.fire(undefined);
  }

  private async start(): Promise<void> {
    this.watch?.dispose();
    this.watch = this.link.onNotification(Spawn.DispatchChanged.type, () => void this.refresh());
    await this.link.request(Spawn.WatchSpawns.type, {}).catch(() => undefined);
    await this.refresh();
  }

  dispose(): void {
    this.watch?.dispose();
    this.changed.dispose();
  }
}
