/** A client connection to a sandbox's host that follows AgentsChanged, for waiting on agent events. */
import * as net from 'node:net';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Host, type AgentRecord } from '../../server/src/protocol';
import { openHostConnection } from './hostConnection';
import { whenEvent } from './waitFor';

export class HostWatch {
  readonly agents = new Map<string, AgentRecord>();
  /** Every state each agent was reported in, in order (a state seen only between two waits is not lost). */
  readonly states = new Map<string, AgentRecord['state'][]>();
  private readonly listeners = new Set<() => void>();

  private constructor(readonly connection: MessageConnection, private readonly socket: net.Socket) {}

  static async open(superkickDir: string, token?: string): Promise<HostWatch> {
    const watch = await openHostConnection(superkickDir, { client: 'test', token }, (connection, socket) => {
      const opened = new HostWatch(connection, socket);
      connection.onNotification(Host.AgentsChanged.type, ({ record, removed }) => {
        if (removed) opened.agents.delete(record.id);
        else opened.agents.set(record.id, record);
        opened.noteState(record);
        for (const listener of [...opened.listeners]) listener();
      });
      return opened;
    });
    for (const record of await watch.connection.sendRequest(Host.WatchAgents.type, {})) {
      watch.agents.set(record.id, record);
      watch.noteState(record);
    }
    return watch;
  }

  private noteState(record: AgentRecord): void {
    const seen = this.states.get(record.id) ?? [];
    if (seen.at(-1) !== record.state) seen.push(record.state);
    this.states.set(record.id, seen);
  }

  until(id: string, predicate: (record: AgentRecord) => boolean, what: string, ms?: number): Promise<AgentRecord> {
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => {
        const record = this.agents.get(id);
        return record && predicate(record) ? record : undefined;
      },
      `agent ${id}: ${what} (states: ${(this.states.get(id) ?? []).join(' → ')})`,
      ms,
    );
  }

  close(): void {
    this.connection.dispose();
    this.socket.destroy();
  }
}
