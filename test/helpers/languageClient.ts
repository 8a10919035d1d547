/** A client of the host's language features over the host socket, as an editor would be, for waiting on published diagnostics. */
import * as net from 'node:net';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Language } from '../../server/src/protocol';
import { openHostConnection } from './hostConnection';
import { whenEvent } from './waitFor';

export class TestLanguageClient {
  readonly published: Language.PublishDiagnosticsParams[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly versions = new Map<string, number>();

  private constructor(readonly connection: MessageConnection, private readonly socket: net.Socket) {}

  /** Connects and authenticates with the user's token, or `token` (an agent's). */
  static async open(superkickDir: string, token?: string): Promise<TestLanguageClient> {
    return openHostConnection(superkickDir, { client: 'test-editor', token }, (connection, socket) => {
      const client = new TestLanguageClient(connection, socket);
      connection.onNotification(Language.PublishDiagnosticsNotification.type, (params) => {
        client.published.push(params);
        for (const listener of [...client.listeners]) listener();
      });
      return client;
    });
  }

  open(file: string, text: string): void {
    this.versions.set(file, 1);
    void this.connection.sendNotification(Language.DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: 'yaml', version: 1, text } });
  }

  /** Replaces the whole text (full sync); returns the new version. */
  change(file: string, text: string): number {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    void this.connection.sendNotification(Language.DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(file), version }, contentChanges: [{ text }] });
    return version;
  }

  close(file: string): void {
    void this.connection.sendNotification(Language.DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(file) } });
  }

  /** The first diagnostics published for `file` from now on that `predicate` accepts. */
  nextDiagnostics(file: string, predicate: (params: Language.PublishDiagnosticsParams) => boolean, what: string): Promise<Language.PublishDiagnosticsParams> {
    const from = this.published.length;
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => this.published.slice(from).find((p) => p.uri === uriOf(file) && predicate(p)),
      `diagnostics for ${file}: ${what}`,
    );
  }

  disconnect(): void {
    this.connection.dispose();
    this.socket.destroy();
  }
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}
