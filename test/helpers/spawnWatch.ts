/** A client connection to a sandbox's host that follows dispatch progress (WatchSpawns), for waiting on spawn events. */
import type * as net from 'node:net';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Spawn } from '../../server/src/protocol';
import { openHostConnection } from './hostConnection';
import { whenEvent } from './waitFor';

export class SpawnWatch {
  readonly dispatches = new Map<string, Spawn.DispatchStatus>();
  /** Every progress line, per key, in order. */
  readonly messages = new Map<string, string[]>();
  /** The spawners' status, read again after each SpawnersChanged. */
  spawners: Spawn.SpawnerStatus[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(readonly connection: MessageConnection, private readonly socket: net.Socket) {}

  static async open(superkickDir: string): Promise<SpawnWatch> {
    const watch = await openHostConnection(superkickDir, { client: 'test' }, (connection, socket) => {
      const opened = new SpawnWatch(connection, socket);
      connection.onNotification(Spawn.DispatchChanged.type, ({ dispatch, message }) => {
        opened.dispatches.set(dispatch.key, dispatch);
        if (message) opened.messages.set(dispatch.key, [...(opened.messages.get(dispatch.key) ?? []), message]);
        opened.tell();
      });
      connection.onNotification(Spawn.SpawnersChanged.type, () => void opened.readSpawners());
      return opened;
    });
    for (const dispatch of (await watch.connection.sendRequest(Spawn.WatchSpawns.type, {})).dispatches) watch.dispatches.set(dispatch.key, dispatch);
    await watch.readSpawners();
    return watch;
  }

  /** Resolves once the spawner entry `name` satisfies `predicate`. */
  spawnerUntil(name: string, predicate: (spawner: Spawn.SpawnerStatus) => boolean, what: string, ms?: number): Promise<Spawn.SpawnerStatus> {
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => this.spawners.find((s) => s.name === name && predicate(s)),
      `spawner ${name}: ${what}`,
      ms,
    );
  }

  private async readSpawners(): Promise<void> {
    try {
      this.spawners = (await this.connection.sendRequest(Spawn.ListSpawners.type, {})).spawners;
    } catch {
      return; // closed
    }
    this.tell();
  }

  private tell(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves once some dispatch whose key passes `key` satisfies `predicate`. */
  until(key: string | ((key: string) => boolean), predicate: (dispatch: Spawn.DispatchStatus) => boolean, what: string, ms?: number): Promise<Spawn.DispatchStatus> {
    const matches = typeof key === 'string' ? (k: string) => k === key : key;
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => [...this.dispatches.values()].find((d) => matches(d.key) && predicate(d)),
      `dispatch ${typeof key === 'string' ? key : '(matching)'}: ${what}`,
      ms,
    );
  }

  close(): void {
    this.connection.dispose();
    this.socket.destroy();
  }
}
