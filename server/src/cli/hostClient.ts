/**
 * The CLI's connection to the host, starting the host on demand: a detached
 * `superkick server --daemon` whose readiness the CLI waits for on a pipe.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import { Host } from '../protocol';
import { rpcOverSocket } from '../common/rpcConnection';
import { superkickPaths, type SuperkickPaths } from '../common/paths';
import { readClientToken } from '../common/tokens';
import { startHostDaemon } from '../common/hostDaemon';
import { connectSocket } from '../common/unixSocket';
import { UserError } from '../common/userError';

export { cliEntry, startHostDaemon } from '../common/hostDaemon';
import { checkPrivateDir } from '../common/secureDir';
import { currentWorkspace } from '../config/workspaceRoot';

export interface HostClient {
  connection: MessageConnection;
  paths: SuperkickPaths;
  info: Host.Authenticate.Result;
  close(): void;
}



function clientToken(paths: SuperkickPaths): string {
  try {
    return readClientToken(paths);
  } catch (error) {
    // Inside a container an agent has only its own token.
    const agentToken = process.env.SUPERKICK_AGENT_TOKEN;
    if (agentToken) return agentToken;
    throw error;
  }
}


export async function connectHost(options: { start?: boolean; client?: string; workspace?: string | null } = {}): Promise<HostClient> {
  const paths = superkickPaths();
  let socket: net.Socket;
  try {
    if (fs.existsSync(paths.run)) checkPrivateDir(paths.run);
    socket = await connectSocket(paths.hostSocket);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw new UserError(`cannot reach the Superkick host at ${paths.hostSocket}: ${(error as Error).message}`);
    if (options.start === false) throw new UserError(`no Superkick host is running for ${paths.root}`, 3);
    await startHostDaemon(paths);
    socket = await connectSocket(paths.hostSocket);
  }
  const connection = rpcOverSocket(socket, { guard: false });
  socket.on('error', () => undefined);
  // Without this a request pending when the host goes away would never settle, and the CLI would exit 0 in silence.
  connection.onClose(() => connection.dispose());
  connection.listen();
  let info: Host.Authenticate.Result;
  try {
    // Naming our workspace registers it with the host (SPEC 14a), which then follows its superkick.yml.
    info = await connection.sendRequest(Host.Authenticate.type, { token: clientToken(paths), client: options.client ?? 'cli', workspace: options.workspace === null ? undefined : (options.workspace ?? currentWorkspace()) });
  } catch (error) {
    connection.dispose();
    socket.destroy();
    throw asUserError(error);
  }
  return {
    connection,
    paths,
    info,
    close: () => {
      connection.dispose();
      socket.destroy();
    },
  };
}

/** Host errors carry a message meant for people; show it as is. */
export function asUserError(error: unknown): Error {
  if (error instanceof ResponseError) return new UserError(error.message);
  return error as Error;
}
