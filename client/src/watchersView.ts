/**
 * The Spawners & Monitors tree: each spawner entry (state, agents against
 * max_agents, last poll, what it found, next poll, last error) and each
 * watched monitor resource (its agents, last and next poll, backing off).
 * It asks the host again when the host says something changed (a poll
 * ended), never on a timer.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as Monitors from '../../server/src/protocol/monitors';
import * as Spawn from '../../server/src/protocol/spawn';
import type { HostLink } from './hostLink';

type Node =
  | { kind: 'group'; label: 'Spawners' | 'Monitors' }
  | { kind: 'spawner'; spawner: Spawn.SpawnerStatus }
  | { kind: 'monitor'; monitor: Monitors.MonitorResourceStatus }
  | { kind: 'message'; text: string };

export class WatchersView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private spawners: Spawn.SpawnerStatus[] = [];
  private monitors: Monitors.MonitorResourceStatus[] = [];
  private watches: vscode.Disposable[] = [];
  private pending = false;

  constructor(private readonly link: HostLink) {
    link.onDidChangeState((state) => (state === 'connected' ? void this.watch() : this.clear()));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (this.link.state !== 'connected') return [{ kind: 'message', text: 'The Superkick host is not connected' }];
      return [{ kind: 'group', label: 'Spawners' }, { kind: 'group', label: 'Monitors' }];
    }
    if (node.kind !== 'group') return [];
    if (node.label === 'Spawners') return this.spawners.length ? this.spawners.map((spawner) => ({ kind: 'spawner', spawner })) : [{ kind: 'message', text: 'No spawners configured (spawners: in superkick.yml)' }];
    return this.monitors.length ? this.monitors.map((monitor) => ({ kind: 'monitor', monitor })) : [{ kind: 'message', text: 'No monitor is watching anything' }];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'message':
        return new vscode.TreeItem(node.text);
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.label === 'Spawners' ? this.spawners.length : this.monitors.length);
        return item;
      }
      case 'spawner':
        return spawnerItem(node.spawner);
      case 'monitor':
        return monitorItem(node.monitor);
    }
  }

  /** The spawners as last shown (tests read it). */
  get spawnerStatuses(): readonly Spawn.SpawnerStatus[] {
    return this.spawners;
  }

  private async watch(): Promise<void> {
    this.disposeWatches();
    this.watches = [this.link.onNotification(Spawn.SpawnersChanged.type, () => this.refresh()), this.link.onNotification(Monitors.MonitorsChanged.type, () => this.refresh())];
    try {
      await this.link.request(Spawn.WatchSpawns.type, {});
      this.monitors = (await this.link.request(Monitors.WatchMonitors.type, {})).resources;
      this.spawners = (await this.link.request(Spawn.ListSpawners.type, {})).spawners;
    } catch {
      // Lost meanwhile; watched again on reconnect.
    }
    this.changed.fire(undefined);
  }

  /** Polls end in bursts; one refresh serves the burst. */
  private refresh(): void {
    if (this.pending) return;
    this.pending = true;
    setTimeout(async () => {
      this.pending = false;
      try {
        const [spawners, monitors] = await Promise.all([this.link.request(Spawn.ListSpawners.type, {}), this.link.request(Monitors.ListMonitors.type, {})]);
        this.spawners = spawners.spawners;
        this.monitors = monitors.resources;
      } catch {
        return;
      }
      this.changed.fire(undefined);
    }, 200);
  }

  private clear(): void {
    this.disposeWatches();
    this.changed.fire(undefined);
  }

  private disposeWatches(): void {
    for (const watch of this.watches) watch.dispose();
    this.watches = [];
  }

  dispose(): void {
    this.disposeWatches();
    this.changed.dispose();
  }
}

function spawnerItem(spawner: Spawn.SpawnerStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(spawner.name);
  item.id = `spawner:${spawner.workspace ?? ''}:${spawner.name}`;
  const icon = spawner.state === 'error' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.red')) : spawner.backingOffUntil || spawner.lastError ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow')) : spawner.state === 'polling' ? new vscode.ThemeIcon('radio-tower') : new vscode.ThemeIcon('circle-slash');
  item.iconPath = icon;
  const parts = [spawner.type, spawner.state === 'polling' ? `${spawner.active}/${spawner.maxAgents} active` : spawner.state.replace('_', ' ')];
  if (spawner.lastPollAt) parts.push(`polled ${clock(spawner.lastPollAt)}: ${spawner.lastFound} found, ${spawner.lastNew} new`);
  if (spawner.backingOffUntil) parts.push(`backing off until ${clock(spawner.backingOffUntil)}`);
  else if (spawner.nextPollAt) parts.push(`next ${clock(spawner.nextPollAt)}`);
  if (spawner.lastError) parts.push(`error: ${spawner.lastError}`);
  item.description = parts.join(' · ');
  item.tooltip = `${spawner.name} (${spawner.type})${spawner.workspace ? ` in ${path.basename(spawner.workspace)}` : ''}\n${parts.join('\n')}`;
  item.contextValue = 'spawner';
  return item;
}

function monitorItem(monitor: Monitors.MonitorResourceStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(monitor.label);
  item.id = `monitor:${monitor.key}`;
  item.iconPath = monitor.backingOffUntil || monitor.lastError ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('eye');
  const parts = [monitor.entries.join(', '), `${monitor.agents.length} agent(s)`, `every ${monitor.intervalS}s`];
  if (monitor.lastPollAt) parts.push(`polled ${clock(monitor.lastPollAt)}`);
  if (monitor.polling) parts.push('polling now');
  else if (monitor.nextPollAt) parts.push(`next ${clock(monitor.nextPollAt)}`);
  if (monitor.backingOffUntil) parts.push(`backing off until ${clock(monitor.backingOffUntil)}`);
  if (monitor.lastError) parts.push(`error: ${monitor.lastError}`);
  item.description = parts.join(' · ');
  item.tooltip = `${monitor.type}: ${monitor.label}\n${parts.join('\n')}`;
  item.contextValue = 'monitor';
  return item;
}

function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString();
}
