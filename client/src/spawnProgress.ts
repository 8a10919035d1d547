/**
 * Long host work as progress notifications: while a dispatch clones, makes
 * its worktree and runs its setup commands, a notification shows the step it
 * is on, whoever started it (a spawner, a workflow, a person). It closes when
 * the agent runs or the dispatch fails.
 */
import * as vscode from 'vscode';
import * as Spawn from '../../server/src/protocol/spawn';
import type { HostLink } from './hostLink';

interface Shown {
  report: (message: string) => void;
  finish: () => void;
}

export class SpawnProgress implements vscode.Disposable {
  private watch: vscode.Disposable | undefined;
  private readonly shown = new Map<string, Shown>();

  constructor(private readonly link: HostLink) {
    link.onDidChangeState((state) => {
      if (state === 'connected') void this.start();
      else this.finishAll();
    });
  }

  private async start(): Promise<void> {
    this.watch?.dispose();
    this.watch = this.link.onNotification(Spawn.DispatchChanged.type, ({ dispatch, message }) => this.update(dispatch, message));
    await this.link.request(Spawn.WatchSpawns.type, {}).catch(() => undefined);
  }

  private update(dispatch: Spawn.DispatchStatus, message: string | null): void {
    const busy = dispatch.state === 'spawning' || (dispatch.state === 'claimed' && !dispatch.approvalId);
    const current = this.shown.get(dispatch.key);
    if (!busy) {
      current?.finish();
      this.shown.delete(dispatch.key);
      return;
    }
    const line = `${dispatch.step ?? dispatch.state}: ${message ?? ''}`;
    if (current) {
      current.report(line);
      return;
    }
    let report: (message: string) => void = () => undefined;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Superkick: ${dispatch.summary}` }, (progress) => {
      report = (text) => progress.report({ message: text });
      report(line);
      return done;
    });
    this.shown.set(dispatch.key, { report: (text) => report(text), finish: () => finish() });
  }

  private finishAll(): void {
    for (const shown of this.shown.values()) shown.finish();
    this.shown.clear();
  }

  dispose(): void {
    this.watch?.dispose();
    this.finishAll();
  }
}
