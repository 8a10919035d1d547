/**
 * The status bar item: how many agents run, how many wait for a person
 * (a prompt on their screen, or an open question), and today's cost. Its
 * colour is the host's health, as rust-analyzer shows its server's: plain
 * when connected, warning while connecting, error when the host is gone.
 * Clicking it opens the Superkick sidebar.
 */
import * as vscode from 'vscode';
import * as Cost from '../../server/src/protocol/cost';
import * as Mcp from '../../server/src/protocol/mcp';
import { localDate } from '../../server/src/cost/costLedger';
import type { AgentStore } from './agentStore';
import type { HostLink } from './hostLink';

/** Questions and cost are asked again at most this often while agents change (they change with them). */
const REFRESH_MS = 1_000;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('superkick.status', vscode.StatusBarAlignment.Left, 50);
  private openQuestions = new Set<string>();
  private todayUsd: number | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly store: AgentStore, private readonly link: HostLink) {
    this.item.name = 'Superkick';
    this.item.command = 'workbench.view.extension.superkick';
    store.onDidChange(() => {
      this.render();
      this.scheduleRefresh();
    });
    link.onDidChangeState(() => this.render());
    this.render();
    this.item.show();
  }

  /** The text now shown (tests read it). */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const state = this.link.state;
    if (state !== 'connected') {
      this.item.text = state === 'connecting' ? '$(loading~spin) Superkick' : '$(debug-disconnect) Superkick: host not connected';
      this.item.backgroundColor = new vscode.ThemeColor(state === 'connecting' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
      this.item.tooltip = state === 'connecting' ? 'Connecting to the Superkick host…' : `The Superkick host is not connected${this.link.lastError ? `: ${this.link.lastError}` : ''}. Retrying; agents keep running.`;
      return;
    }
    const agents = this.store.all().filter((agent) => agent.state !== 'exited');
    const waiting = agents.filter((agent) => agent.state === 'waiting' || this.openQuestions.has(agent.id)).length;
    const parts = [`$(pulse) ${agents.length}`];
    if (waiting) parts.push(`$(bell-dot) ${waiting}`);
    if (this.todayUsd !== null) parts.push(`$${this.todayUsd.toFixed(2)}`);
    this.item.text = parts.join('  ');
    this.item.backgroundColor = waiting ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = `Superkick: ${agents.length} agent(s) running, ${waiting} waiting for you${this.todayUsd !== null ? `, $${this.todayUsd.toFixed(2)} today` : ''} (host pid ${this.link.hostPid ?? '?'})`;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer || this.link.state !== 'connected') return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_MS);
  }

  private async refresh(): Promise<void> {
    try {
      const [questions, cost] = await Promise.all([this.link.request(Mcp.ListQuestions.type, {}), this.link.request(Cost.GetCost.type, { day: localDate(new Date()) })]);
      this.openQuestions = new Set(questions.filter((question) => question.answer === null).map((question) => question.agentId));
      this.todayUsd = cost.days[0]?.usd ?? null;
    } catch {
      // Not connected any more: the next change asks again.
    }
    this.render();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.item.dispose();
  }
}
