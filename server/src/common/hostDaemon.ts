/**
 * Where the bundled CLI is, and starting the host from it: shared by the CLI
 * (any command starts the host on demand) and the VS Code extension, which
 * must not load the CLI's client code to do so.
 */
import * as path from 'node:path';
import type { SuperkickPaths } from './paths';
import { startDaemon } from './readyPipe';
import { UserError } from './userError';

/** The bundled CLI, which is also the host and the agent process. */
export function cliEntry(): string {
  return path.join(__dirname, 'cli.js');
}

/** Starts `superkick server --daemon` and waits until it serves; `node` is the Node to run it with (default: this one). */
export async function startHostDaemon(paths: SuperkickPaths, node?: string): Promise<void> {
  const ready = await startDaemon([cliEntry(), 'server', '--daemon'], { env: { ...process.env, SUPERKICK_DIR: paths.root }, node });
  // Losing a start race to another starter is fine: that host serves us.
  if (!ready.ok && ready.exitCode !== 2) throw new UserError(`could not start the Superkick host: ${ready.error} (see ${paths.hostLog})`);
}
