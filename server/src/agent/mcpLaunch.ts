/**
 * Hands the agent's CLI the Superkick MCP server at launch: the driver's
 * hand-off (drivers/mcpHandOff.ts) with this same CLI as the server
 * (`node cli.js mcp --socket <host socket>`), its files written 0600 in the
 * agent's private folder. Only the launched program's argv changes: the
 * agent's spec keeps the arguments the user typed, as `list` shows them.
 */
import * as path from 'node:path';
import type { AgentSpec } from '../protocol';
import { agentFilesDir, type SuperkickPaths } from '../common/paths';
import { ensurePrivateDir } from '../common/secureDir';
import { writeFileAtomic } from '../common/atomicFile';
import { cliEntry } from '../cli/hostClient';
import type { DriverProfile } from '../drivers/profile';
import { mcpHandOff } from '../drivers/mcpHandOff';
import { AGENT_ENV } from './agentEnv';

/** The MCP server's own record of the calls it handled, in the agent's private folder. */
export function mcpCallLogPath(paths: SuperkickPaths, id: string): string {
  return path.join(agentFilesDir(paths, id), 'mcp-calls.jsonl');
}

export function launchWithMcp(driver: DriverProfile, spec: AgentSpec, paths: SuperkickPaths, id: string): { args: string[]; env: Record<string, string> } {
  if (driver.mcp === 'none') return { args: spec.args, env: {} };
  const dir = agentFilesDir(paths, id);
  const server = {
    command: process.execPath,
    // The socket is named outright: CLIs pass MCP servers only some of their environment (SUPERKICK_DIR may not arrive).
    args: [cliEntry(), 'mcp', '--socket', paths.hostSocket, '--call-log', mcpCallLogPath(paths, id)],
    envNames: [AGENT_ENV.token],
  };
  const handOff = mcpHandOff(driver, server, dir);
  ensurePrivateDir(paths.agentFiles);
  ensurePrivateDir(dir);
  for (const file of handOff.files) writeFileAtomic(file.path, file.contents, 0o600);
  return { args: [...handOff.args, ...spec.args], env: handOff.env };
}
