/**
 * The agents as the host last told this window: filled by WatchAgents when
 * the link connects, kept current by AgentsChanged notifications (never by
 * polling). The tree, the status bar and the commands read it.
 */
import * as vscode from 'vscode';
import * as Host from '../../server/src/protocol/host';
import type { AgentRecord } from '../../server/src/protocol/types';
import type { HostLink } from './hostLink';

export class AgentStore implements vscode.Disposable {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watch: vscode.Disposable | undefined;

  constructor(private readonly link: HostLink) {
    this.disposables.push(link.onDidChangeState((state) => (state === 'connected' ? void this.rewatch() : this.forget())));
  }

  all(): AgentRecord[] {
    return [...this.agents.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): AgentRecord | undefined {
    return this.agents.get(id);
  }

  /** Known and not exited. */
  isRunning(id: string): boolean {
    const agent = this.agents.get(id);
    return agent !== undefined && agent.state !== 'exited';
  }

  /** Whether the host has answered since the link (re)connected: an empty list then means "no agents", not "unknown". */
  loaded = false;

  private async rewatch(): Promise<void> {
    this.watch?.dispose();
    this.watch = this.link.onNotification(Host.AgentsChanged.type, ({ record, removed }) => {
      if (removed) this.agents.delete(record.id);
      else this.agents.set(record.id, record);
      this.changedEmitter.fire();
    });
    try {
      const records = await this.link.request(Host.WatchAgents.type, {});
      this.agents.clear();
      for (const record of records) this.agents.set(record.id, record);
      this.loaded = true;
    } catch {
      // The link dropped meanwhile; it watches again when it is back.
    }
    this.changedEmitter.fire();
  }

  private forget(): void {
    this.loaded = false;
    this.changedEmitter.fire();
  }

  dispose(): void {
    this.watch?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.changedEmitter.dispose();
  }
}
