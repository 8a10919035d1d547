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
      for (const listener of [...watch.listeners]) listener();
    });
    connection.listen();
    const clientToken = token ?? fs.readFileSync(path.join(superkickDir, 'auth', 'client.token'), 'utf8').trim();
    await connection.sendRequest(Host.Authenticate.type, { token: clientToken, client: 'test' });
    for (const record of await connection.sendRequest(Host.WatchAgents.type, {})) watch.agents.set(record.id, record);
    return watch;
  }

  until(id: string, predicate: (record: AgentRecord) => boolean, what: string): Promise<AgentRecord> {
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => {
        const record = this.agents.get(id);
        return record && predicate(record) ? record : undefined;
      },
      `agent ${id}: ${what}`,
    );
  }

  close(): void {
    this.connection.dispose();
    this.socket.destroy();
  }
}
