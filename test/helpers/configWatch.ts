/** A client connection to a sandbox's host that follows ConfigChanged, for waiting on configuration reloads. */
import * as net from 'node:net';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Host, type ConfigStatus } from '../../server/src/protocol';
import { openHostConnection } from './hostConnection';
import { whenEvent } from './waitFor';

export class ConfigWatch {
  readonly changes: Host.ConfigChanged.Params[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(readonly connection: MessageConnection, private readonly socket: net.Socket) {}

  static async open(superkickDir: string): Promise<ConfigWatch> {
    const watch = await openHostConnection(superkickDir, { client: 'test' }, (connection, socket) => {
      const opened = new ConfigWatch(connection, socket);
      connection.onNotification(Host.ConfigChanged.type, (change) => {
        opened.changes.push(change);
        for (const listener of [...opened.listeners]) listener();
      });
      return opened;
    });
    await watch.connection.sendRequest(Host.WatchConfig.type, {});
    return watch;
  }

  /** The first change (from now on) of `workspace` (null: the user's config.yml alone) that `predicate` accepts. */
  next(workspace: string | null, predicate: (change: Host.ConfigChanged.Params) => boolean, what: string): Promise<Host.ConfigChanged.Params> {
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
