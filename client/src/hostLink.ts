/**
 * The extension's one connection to the Superkick host: a vscode-languageclient
 * LanguageClient whose transport is the host's Unix socket. The same
 * connection carries the language features for superkick.yml and every
 * `superkick/*` request the views and commands make.
 *
 * The host outlives the window: closing or reloading it stops nothing. When
 * the host goes away the link says so once, then tries again with a growing
 * pause (starting the host on demand, as every client does), so a dead host
 * makes no storm of errors; the views re-watch when it is back.
 */
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, StreamInfo } from 'vscode-languageclient/node';
import { requireSideBundle } from '../../server/src/common/sideBundle';
import type { NotificationType, RequestType } from 'vscode-jsonrpc';
import type * as Host from '../../server/src/protocol/host';
import { superkickPaths, type SuperkickPaths } from '../../server/src/common/paths';
import { readClientToken } from '../../server/src/common/tokens';
import { startHostDaemon } from '../../server/src/common/hostDaemon';
import { connectSocket } from '../../server/src/common/unixSocket';

export type LinkState = 'connecting' | 'connected' | 'disconnected';

declare const SUPERKICK_BUNDLED: boolean | undefined;

type ClientModule = typeof import('./languageClientBundle');

/** Loaded on first connect (see languageClientBundle.ts). */
let clientModule: ClientModule | undefined;
function languageClient(): ClientModule {
  return (clientModule ??= typeof SUPERKICK_BUNDLED !== 'undefined' ? requireSideBundle<ClientModule>('languageclient') : (require('./languageClientBundle') as ClientModule));
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export class HostLink implements vscode.Disposable {
  readonly paths: SuperkickPaths = superkickPaths();
  private client: LanguageClient | undefined;
  private stateValue: LinkState = 'disconnected';
  private info: Host.Authenticate.Result | undefined;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  private disposed = false;
  /** Why the last attempt failed, for the status bar's tooltip. */
  lastError: string | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<LinkState>();
  /** Fires on every change; `connected` means requests may be sent (views watch again then). */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly output: vscode.LogOutputChannel, private readonly nodePath: () => string, private readonly workspace: () => string | undefined) {}

  get state(): LinkState {
    return this.stateValue;
  }

  get hostPid(): number | undefined {
    return this.info?.hostPid;
  }

  /** Connects now (starting the host if none runs), and again whenever the connection is lost. */
  async start(): Promise<void> {
    clearTimeout(this.retryTimer);
    if (this.disposed || this.stateValue === 'connecting' || this.stateValue === 'connected') return;
    this.setState('connecting');
    const { LanguageClient, State } = languageClient();
    const client = new LanguageClient('superkick', 'Superkick', () => this.openSocket(), this.clientOptions());
    this.client = client;
    for (const method of this.listeners.keys()) this.route(client, method);
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Stopped && this.client === client) this.lost();
    });
    try {
      await client.start();
      this.info = (client.initializeResult as { superkick?: Host.Authenticate.Result } | undefined)?.superkick;
      this.retryMs = FIRST_RETRY_MS;
      this.lastError = undefined;
      this.output.appendLine(`connected to the Superkick host (pid ${this.info?.hostPid ?? '?'}, ${this.info?.hostVersion ?? '?'}) at ${this.paths.hostSocket}`);
      this.setState('connected');
    } catch (error) {
      this.lastError = (error as Error).message;
      this.output.appendLine(`could not connect to the Superkick host: ${this.lastError}`);
      if (this.client === client) this.lost();
    }
  }

  /** Sends a `superkick/*` request; rejects when the host is not connected. */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    if (!this.client || this.stateValue !== 'connected') return Promise.reject(new Error('Superkick: the host is not connected'));
    return this.client.sendRequest(type.method, params) as Promise<R>;
  }

  /**
   * Listens for a host notification, on this connection and every later one.
   * vscode-jsonrpc keeps one handler per method, so the link registers one
   * per method and fans out to every listener (the views, the status bar and
   * the commands all follow DispatchChanged).
   */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    let listeners = this.listeners.get(type.method);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(type.method, listeners);
      if (this.client) this.route(this.client, type.method);
    }
    const listener = handler as (params: unknown) => void;
    listeners.add(listener);
    return new vscode.Disposable(() => listeners.delete(listener));
  }

  private route(client: LanguageClient, method: string): void {
    client.onNotification(method, (params: unknown) => {
      for (const listener of [...(this.listeners.get(method) ?? [])]) listener(params);
    });
  }

  /** Stops this window's connection, starts nothing new for a moment, then connects afresh (Restart host uses it). */
  async reconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.setState('disconnected');
    await client?.stop().catch(() => undefined);
    await this.start();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    // Ends only this window's connection: the host and its agents go on.
    void client?.dispose().catch(() => undefined);
    this.stateEmitter.dispose();
  }

  private lost(): void {
    if (this.disposed) return;
    const client = this.client;
    this.client = undefined;
    void client?.dispose().catch(() => undefined);
    if (this.stateValue === 'connected') this.output.appendLine('lost the connection to the Superkick host; trying again');
    this.setState('disconnected');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.start(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private setState(state: LinkState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }

  private async openSocket(): Promise<StreamInfo> {
    let socket: net.Socket;
    try {
      socket = await connectSocket(this.paths.hostSocket);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw error;
      this.output.appendLine(`no host is running for ${this.paths.root}; starting one with ${this.nodePath()}`);
      await startHostDaemon(this.paths, this.nodePath());
      socket = await connectSocket(this.paths.hostSocket);
    }
    return { reader: socket, writer: socket };
  }

  private clientOptions(): LanguageClientOptions {
    const { CloseAction, ErrorAction, RevealOutputChannelOn } = languageClient();
    return {
      documentSelector: [
        { scheme: 'file', pattern: '**/superkick.yml' },
        { scheme: 'file', pattern: this.paths.userConfig },
        { scheme: 'file', pattern: '**/.superkick/templates/**/*.liquid' },
      ],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // The token is read when connecting, so a host that made a new one is still reachable.
      initializationOptions: () => ({ superkick: { token: this.token(), client: 'vscode', workspace: this.workspace() } }),
      // Losing the host is reported once by the status bar, and retried by this link, not by the client.
      errorHandler: {
        error: () => ({ action: ErrorAction.Shutdown, handled: true }),
        closed: () => ({ action: CloseAction.DoNotRestart, handled: true }),
      },
      initializationFailedHandler: (error) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        return false;
      },
    };
  }

  private token(): string {
    return readClientToken(this.paths);
  }
}

