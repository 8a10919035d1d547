/** Connecting to a sandbox's sockets the way clients do, for the test clients built on them. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Host } from '../../server/src/protocol';
import { rpcOverSocket } from '../../server/src/common/rpcConnection';
import { connectSocket } from '../../server/src/common/unixSocket';

export { connectSocket } from '../../server/src/common/unixSocket';

/**
 * A JSON-RPC connection to the host, authenticated with the user's token or
 * `token`. `setup` builds the client and registers its notification handlers
 * before the connection listens, so none is missed.
 */
export async function openHostConnection<T>(
  superkickDir: string,
  options: { client: string; token?: string },
  setup: (connection: MessageConnection, socket: net.Socket) => T,
): Promise<T> {
  const socket = await connectSocket(path.join(superkickDir, 'run', 'host.sock'));
  const connection = rpcOverSocket(socket, { guard: false });
  const client = setup(connection, socket);
  connection.listen();
  const token = options.token ?? fs.readFileSync(path.join(superkickDir, 'auth', 'client.token'), 'utf8').trim();
  await connection.sendRequest(Host.Authenticate.type, { token, client: options.client });
  return client;
}
