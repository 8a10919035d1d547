/** A client connection to a sandbox's host that follows AgentsChanged, for waiting on agent events. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Host, type AgentRecord } from '../../server/src/protocol';
import { rpcOverSocket } from '../../server/src/common/rpcConnection';
import { whenEvent } from './waitFor';

export class HostWatch {
  readonly agents = new Map<string, AgentRecord>();
  /** Every state each agent was reported in, in order (a state seen only between two waits is not lost). */
  readonly states = new Map<string, AgentRecord['state'][]>();
  private readonly listeners = new Set<() => void>();

  private constructor(readonly connection: MessageConnection, private readonly socket: net.Socket) {}

  static async open(superkickDir: string, token?: string): Promise<HostWatch> {
    const socket = net.createConnection(path.join(superkickDir, 'run', 'host.sock'));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const connection = rpcOverSocket(socket, { guard: false });
    const watch = new HostWatch(connection, socket);
    connection.onNotification(Host.AgentsChanged.type, ({ record, removed }) => {
      if (removed) watch.agents.delete(record.id);
      else watch.agents.set(record.id, record);
      watch.noteState(record);
      for (const listener of [...watch.listeners]) listener();
    });
    connection.listen();
    const clientToken = token ?? fs.readFileSync(path.join(superkickDir, 'auth', 'client.token'), 'utf8').trim();
    await connection.sendRequest(Host.Authenticate.type, { token: clientToken, client: 'test' });
    for (const record of await connection.sendRequest(Host.WatchAgents.type, {})) {
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

  /** A mark in an agent's state history, for `until(..., { since })`. */
  mark(id: string): number {
    return this.states.get(id)?.length ?? 0;
  }

  /** The states an agent went through since `mark`. */
  statesSince(id: string, mark: number): AgentRecord['state'][] {
    return (this.states.get(id) ?? []).slice(mark);
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
