/**
 * The MCP server's connection to the host, as its agent: opened on the first
 * tool call, authenticated with the agent's own token, and opened again on a
 * later call if the host went away (it restarts; the agent and its CLI do not).
 * Every failure becomes an error whose message tells the model (and the person
 * reading its screen) what is wrong.
 */
import * as net from 'node:net';
import { ResponseError, type MessageConnection, type RequestType } from 'vscode-jsonrpc';
import { Host } from '../protocol';
import { withTimeout } from '../common/withTimeout';
import { rpcOverSocket } from '../common/rpcConnection';
import { VERSION } from '../common/version';
import { AGENT_ENV } from '../agent/agentEnv';

/** A call fails with this rather than hang when the host accepts the socket but never answers. */
const CALL_TIMEOUT_MS = 30_000;

export class BridgeError extends Error {}

export class HostBridge {
  private connected: MessageConnection | undefined;
  private opening: Promise<MessageConnection> | undefined;
  private readonly sockets = new WeakMap<MessageConnection, net.Socket>();

  constructor(private readonly socketPath: string, private readonly token: string | undefined) {}

  async call<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    const connection = await this.connection();
    try {
      return await withTimeout(connection.sendRequest(type, params as never), CALL_TIMEOUT_MS, `the host's answer to ${type.method}`);
    } catch (error) {
      if (error instanceof ResponseError) throw new BridgeError(error.message);
      this.drop(connection);
      throw new BridgeError(`the call to the Superkick host failed (${(error as Error).message}); its outcome is unknown, try again`);
    }
  }

  close(): void {
    if (this.connected) this.drop(this.connected);
  }

  private async connection(): Promise<MessageConnection> {
    if (!this.token) {
      throw new BridgeError(`${AGENT_ENV.token} is not set, so Superkick cannot tell which agent is calling. superkick mcp must be started by an agent's CLI running under Superkick (superkick agent -- <cli>), which passes the agent's token on`);
    }
    if (this.connected) return this.connected;
    this.opening ??= this.open(this.token).finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** Disposing the connection leaves its socket open, which would keep the process alive after the CLI is gone. */
  private drop(connection: MessageConnection): void {
    if (this.connected === connection) this.connected = undefined;
    connection.dispose();
    this.sockets.get(connection)?.destroy();
  }

  private async open(token: string): Promise<MessageConnection> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const connecting = net.createConnection(this.socketPath);
      connecting.once('connect', () => resolve(connecting));
      connecting.once('error', (error: NodeJS.ErrnoException) => {
        const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no host is listening there' : error.message;
        reject(new BridgeError(`cannot reach the Superkick host at ${this.socketPath}: ${why}. Is it running? (superkick list starts it; the agent reconnects by itself)`));
      });
    });
    socket.on('error', () => undefined);
    const connection = rpcOverSocket(socket, { guard: false });
    this.sockets.set(connection, socket);
    // The host restarted or went away: the next call opens a new connection.
    connection.onClose(() => this.drop(connection));
    connection.listen();
    try {
      const info = await withTimeout(connection.sendRequest(Host.Authenticate.type, { token, client: `mcp ${VERSION}` }), CALL_TIMEOUT_MS, 'the host to accept the token');
      if (info.principal !== 'agent') throw new BridgeError(`${AGENT_ENV.token} holds a token that is not an agent's; superkick mcp acts only as one agent`);
      this.connected = connection;
      return connection;
    } catch (error) {
      connection.dispose();
      socket.destroy();
      if (error instanceof BridgeError) throw error;
      if (error instanceof ResponseError) throw new BridgeError(`the Superkick host refused this agent's token: ${error.message}`);
      throw new BridgeError(`could not authenticate with the Superkick host at ${this.socketPath}: ${(error as Error).message}`);
    }
  }
}
