/**
 * The agent process's link to the host. It registers on every connection, and
 * when the host goes away it keeps trying, with backoff, so that a restarted
 * host finds every live agent again. The agent never depends on the link:
 * the program runs and viewers attach whether or not the host is there.
 */
import * as net from 'node:net';
import type { MessageConnection } from 'vscode-jsonrpc';
import { AgentLink, Cost, Host } from '../protocol';
import { rpcOverSocket } from '../common/rpcConnection';
import type { Logger } from '../common/logger';
import { withTimeout } from '../common/withTimeout';

const FIRST_RETRY_MS = 50;
/** Keep retries frequent: agents should be back in `list` soon after a host restart. */
const MAX_RETRY_MS = 2_000;
const EXIT_REPORT_TIMEOUT_MS = 5_000;

export interface HostLinkHandlers {
  registration: () => AgentLink.RegisterAgent.Params;
  input: (params: AgentLink.AgentInput.Params) => Promise<AgentLink.AgentInput.Result>;
  terminate: (params: AgentLink.AgentTerminate.Params) => void;
  record: (params: AgentLink.RecordOutput.Params) => Promise<AgentLink.RecordOutput.Result>;
  /** Ring the bell on every attached viewer. */
  bell: (params: AgentLink.RingBell.Params) => void;
  /** Called after each (re)registration. */
  registered?: () => void;
}

export class HostLink {
  private connection: MessageConnection | undefined;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly socketPath: string,
    private readonly token: string,
    private readonly handlers: HostLinkHandlers,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.connect();
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  status(params: AgentLink.AgentStatus.Params): void {
    this.connection?.sendNotification(AgentLink.AgentStatus.type, params).catch(() => undefined);
  }

  /** Reports the usage totals; false when the host could not be told. */
  async reportUsage(params: Cost.ReportUsage.Params): Promise<boolean> {
    const connection = this.connection;
    if (!connection) return false;
    try {
      await withTimeout(connection.sendRequest(Cost.ReportUsage.type, params), EXIT_REPORT_TIMEOUT_MS, 'the host to take the usage report');
      return true;
    } catch (error) {
      this.log.warn('agent.link', `could not report usage to the host: ${(error as Error).message}`);
      return false;
    }
  }

  /** Reports the exit; false when the host could not be told (the caller then leaves an exit file). */
  async exited(params: AgentLink.AgentExited.Params): Promise<boolean> {
    const connection = this.connection;
    if (!connection) return false;
    try {
      await withTimeout(connection.sendRequest(AgentLink.AgentExited.type, params), EXIT_REPORT_TIMEOUT_MS, 'the host to take the exit report');
      return true;
    } catch (error) {
      this.log.warn('agent.link', `could not report the exit to the host: ${(error as Error).message}`);
      return false;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.connection?.dispose();
    this.connection = undefined;
  }

  private connect(): void {
    if (this.closed) return;
    const socket = net.createConnection(this.socketPath);
    socket.once('error', () => {
      socket.destroy();
      this.scheduleRetry();
    });
    socket.once('connect', () => void this.handshake(socket));
  }

  private async handshake(socket: net.Socket): Promise<void> {
    const connection = rpcOverSocket(socket, { guard: false });
    connection.onRequest(AgentLink.AgentInput.type, (params) => this.handlers.input(params));
    connection.onRequest(AgentLink.AgentTerminate.type, (params) => this.handlers.terminate(params));
    connection.onRequest(AgentLink.RecordOutput.type, (params) => this.handlers.record(params));
    connection.onNotification(AgentLink.RingBell.type, (params) => this.handlers.bell(params ?? {}));
    connection.onClose(() => {
      if (this.connection === connection) {
        this.connection = undefined;
        this.log.info('agent.link', 'lost the host; reconnecting');
        this.scheduleRetry();
      }
    });
    connection.listen();
    try {
      await connection.sendRequest(Host.Authenticate.type, { token: this.token, client: 'agent' });
      this.connection = connection;
      await connection.sendRequest(AgentLink.RegisterAgent.type, this.handlers.registration());
      this.retryMs = FIRST_RETRY_MS;
      this.log.info('agent.link', 'registered with the host');
      this.handlers.registered?.();
    } catch (error) {
      this.log.warn('agent.link', `could not register with the host: ${(error as Error).message}`);
      if (this.connection === connection) this.connection = undefined;
      connection.dispose();
      socket.destroy();
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryMs * (0.75 + Math.random() / 2);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
