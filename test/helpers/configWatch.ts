/** A client connection to a sandbox's host that follows ConfigChanged, for waiting on configuration reloads. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Host, type ConfigStatus } from '../../server/src/protocol';
import { rpcOverSocket } from '../../server/src/common/rpcConnection';
import { whenEvent } from './waitFor';

export class ConfigWatch {
  readonly changes: Host.ConfigChanged.Params[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(readonly connection: MessageConnection, private readonly socket: net.Socket) {}

  static async open(superkickDir: string): Promise<ConfigWatch> {
    const socket = net.createConnection(path.join(superkickDir, 'run', 'host.sock'));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const connection = rpcOverSocket(socket, { guard: false });
    const watch = new ConfigWatch(connection, socket);
    connection.onNotification(Host.ConfigChanged.type, (change) => {
      watch.changes.push(change);
      for (const listener of [...watch.listeners]) listener();
    });
    connection.listen();
    const token = fs.readFileSync(path.join(superkickDir, 'auth', 'client.token'), 'utf8').trim();
    await connection.sendRequest(Host.Authenticate.type, { token, client: 'test' });
    await connection.sendRequest(Host.WatchConfig.type, {});
    return watch;
  }

  /** The first change (from now on) of `workspace` that `predicate` accepts. */
  next(workspace: string, predicate: (change: Host.ConfigChanged.Params) => boolean, what: string): Promise<Host.ConfigChanged.Params> {
    const from = this.changes.length;
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => this.changes.slice(from).find((change) => change.status.workspace === workspace && predicate(change)),
      `${workspace}: ${what}`,
    );
  }

  close(): void {
    this.connection.dispose();
    this.socket.destroy();
  }
}

export type { ConfigStatus };
