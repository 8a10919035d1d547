/**
 * The Agents tree: each agent with its state, driver, repository and branch,
 * goal, cost and age, grouped by the spawner that started it when more than
 * one kind is there. Context values (`agent.working`, `agent.exited`, …)
 * drive the context menu.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentRecord } from '../../server/src/protocol/types';
import type { AgentStore } from './agentStore';
import type { HostLink } from './hostLink';

type Node = { kind: 'group'; label: string; agents: AgentRecord[] } | { kind: 'agent'; agent: AgentRecord } | { kind: 'message'; text: string };

const BY_HAND = 'Started by hand';

export class AgentsView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: AgentStore, private readonly link: HostLink) {
    store.onDidChange(() => this.changed.fire(undefined));
    link.onDidChangeState(() => this.changed.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'group') return node.agents.map((agent) => ({ kind: 'agent', agent }));
    if (node) return [];
    if (this.link.state !== 'connected') return [{ kind: 'message', text: this.link.state === 'connecting' ? 'Connecting to the Superkick host…' : 'The Superkick host is not connected' }];
    const agents = this.store.all();
    const groups = new Map<string, AgentRecord[]>();
    for (const agent of agents) {
      const group = agent.assignment.spawner ? `Spawner: ${agent.assignment.spawner}` : BY_HAND;
      groups.set(group, [...(groups.get(group) ?? []), agent]);
    }
    if (groups.size <= 1) return agents.map((agent) => ({ kind: 'agent', agent }));
    return [...groups.entries()].map(([label, members]) => ({ kind: 'group', label, agents: members }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.agents.length}`;
      return item;
    }
    return agentItem(node.agent);
  }
}

export function agentItem(agent: AgentRecord, now = Date.now()): vscode.TreeItem {
  const item = new vscode.TreeItem(agent.name, vscode.TreeItemCollapsibleState.None);
  item.id = agent.id;
  item.iconPath = stateIcon(agent);
  const where = agent.assignment.repository ? `${agent.assignment.repository}${agent.assignment.branch ? ` @ ${agent.assignment.branch}` : ''}` : path.basename(agent.cwd);
  const goal = agent.goal ? `${agent.goal.name} ${agent.goal.state}` : agent.assignment.goal ? `${agent.assignment.goal} pending` : null;
  item.description = [agent.state, agent.driver, where, goal, costLabel(agent), age(agent.createdAt, now)].filter(Boolean).join(' · ');
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(agent.name)}** \`${agent.id}\`\n\n`);
  tooltip.appendMarkdown(`${agent.state}${agent.hold ? ' (paused: budget)' : ''} · ${agent.driver} · \`${escape(agent.cwd)}\`\n\n`);
  if (goal) tooltip.appendMarkdown(`Goal: ${escape(goal)}${agent.goal?.summary ? ` — ${escape(agent.goal.summary)}` : ''}\n\n`);
  if (agent.progress) tooltip.appendMarkdown(`Progress: ${escape(JSON.stringify(agent.progress))}\n\n`);
  item.tooltip = tooltip;
  item.contextValue = `agent.${agent.state}${agent.hold ? '.held' : ''}`;
  item.command = agent.state === 'exited' ? undefined : { command: 'superkick.attach', title: 'Attach', arguments: [agent.id] };
  return item;
}

function stateIcon(agent: AgentRecord): vscode.ThemeIcon {
  if (agent.hold) return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.orange'));
  switch (agent.state) {
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'working':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'idle':
      return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('charts.green'));
    case 'waiting':
      return new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('charts.yellow'));
    case 'exited':
      return agent.exitCode === 0 ? new vscode.ThemeIcon('pass') : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('charts.red'));
  }
}

function costLabel(agent: AgentRecord): string | null {
  const usd = agent.cost?.usd;
  return typeof usd === 'number' ? `$${usd.toFixed(2)}` : null;
}

function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
