/**
 * The agents' integrated terminals: one per agent, reused when it is open.
 * Which agents had a terminal is remembered per workspace, so after a window
 * reload they can be reopened in one click (or at once, with the
 * `superkick.restoreTerminals` setting).
 */
import * as vscode from 'vscode';
import * as Host from '../../server/src/protocol/host';
import { AgentPseudoterminal } from './agentTerminal';
import type { HostLink } from './hostLink';

const REMEMBERED = 'superkick.openTerminals';

export class AgentTerminals implements vscode.Disposable {
  private readonly open = new Map<string, vscode.Terminal>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly writeEmitter = new vscode.EventEmitter<{ agentId: string; data: string }>();
  /** What every agent terminal writes (the attach snapshot, then the output): VS Code has no stable event for a terminal's data. */
  readonly onDidWrite = this.writeEmitter.event;

  constructor(private readonly link: HostLink, private readonly memory: vscode.Memento) {
    this.disposables.push(
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [id, open] of this.open) {
          if (open === terminal) {
            this.open.delete(id);
            void this.remember();
          }
        }
      }),
    );
  }

  /** Opens (or shows) the agent's terminal; resolves with it once the view is attached. */
  async attach(agentId: string): Promise<vscode.Terminal> {
    const existing = this.open.get(agentId);
    if (existing) {
      existing.show();
      return existing;
    }
    const resolved = await this.link.request(Host.ResolveAgent.type, { agent: agentId });
    const { record } = resolved;
    if (!resolved.attachToken || !record.attachSocket) throw new Error(`${record.name} (${record.id}) has exited; there is nothing to attach to`);
    const pty = new AgentPseudoterminal({ id: record.id, name: record.name, attachSocket: record.attachSocket, token: resolved.attachToken });
    pty.onDidWrite((data) => this.writeEmitter.fire({ agentId: record.id, data }));
    const terminal = vscode.window.createTerminal({ name: `${record.name} (${record.driver})`, pty, iconPath: new vscode.ThemeIcon('hubot') });
    this.open.set(record.id, terminal);
    await this.remember();
    terminal.show();
    return terminal;
  }

  /** Agents whose terminals were open when this window last closed or reloaded. */
  remembered(): string[] {
    return this.memory.get<string[]>(REMEMBERED, []);
  }

  /** Reopens the remembered terminals of agents still running; returns how many. */
  async restore(isRunning: (id: string) => boolean): Promise<number> {
    let reopened = 0;
    for (const id of this.remembered()) {
      if (!isRunning(id) || this.open.has(id)) continue;
      try {
        await this.attach(id);
        reopened += 1;
      } catch {
        // Gone since: nothing to reopen.
      }
    }
    return reopened;
  }

  private remember(): Thenable<void> {
    return this.memory.update(REMEMBERED, [...this.open.keys()]);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.writeEmitter.dispose();
    // The terminals go with the window; the agents and the memory of them stay.
  }
}
