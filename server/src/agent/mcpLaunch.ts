/**
 * Hands the agent's CLI the Superkick MCP server at launch: the driver's
 * hand-off (drivers/mcpHandOff.ts) with this same CLI as the server
 * (`node cli.js mcp --socket <host socket>`), its files written 0600 in the
 * agent's private folder. Only the launched program's argv changes: the
 * agent's spec keeps the arguments the user typed, as `list` shows them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentFilesDir, type SuperkickPaths } from '../common/paths';
import { ensurePrivateDir } from '../common/secureDir';
import { writeFileAtomic } from '../common/atomicFile';
import { cliEntry } from '../cli/hostClient';
import type { DriverProfile } from '../drivers/profile';
import { mcpHandOff, type UserGeminiHome } from '../drivers/mcpHandOff';
import { AGENT_ENV } from './agentEnv';

/** The MCP server's own record of the calls it handled, in the agent's private folder. */
export function mcpCallLogPath(paths: SuperkickPaths, id: string): string {
  return path.join(agentFilesDir(paths, id), 'mcp-calls.jsonl');
}

/** The options to put before the program's own arguments, and the environment to add, that hand its CLI the MCP server. */
/** Written by `superkick mcp` once the agent's CLI has connected to it (see mcpGate.ts). */
export function mcpReadyPath(paths: SuperkickPaths, id: string): string {
  return path.join(agentFilesDir(paths, id), 'mcp-ready');
}

export function launchWithMcp(driver: DriverProfile, paths: SuperkickPaths, id: string, env: NodeJS.ProcessEnv, warn: (message: string) => void): { args: string[]; env: Record<string, string> } {
  if (driver.mcp === 'none') return { args: [], env: {} };
  let gemini: UserGeminiHome | undefined;
  if (driver.mcp === 'gemini-home-overlay') {
    try {
      gemini = userGeminiHome(env);
    } catch (error) {
      // Without the user's settings the overlay would lose them (their sign-in): better no MCP server than a broken CLI.
      warn(`not handing Gemini the Superkick MCP server: ${(error as Error).message}`);
      return { args: [], env: {} };
    }
  }
  const dir = agentFilesDir(paths, id);
  const server = {
    command: process.execPath,
    // The socket is named outright: CLIs pass MCP servers only some of their environment (SUPERKICK_DIR may not arrive).
    args: [cliEntry(), 'mcp', '--socket', paths.hostSocket, '--call-log', mcpCallLogPath(paths, id), '--ready-file', mcpReadyPath(paths, id)],
    envNames: [AGENT_ENV.token],
  };
  const handOff = mcpHandOff(driver, server, dir, gemini);
  ensurePrivateDir(paths.agentFiles);
  ensurePrivateDir(dir);
  for (const file of handOff.files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true, mode: 0o700 });
    writeFileAtomic(file.path, file.contents, 0o600);
  }
  for (const link of handOff.links ?? []) {
    fs.rmSync(link.path, { force: true, recursive: true }); // a link or what an earlier run left: never what it points to
    fs.symlinkSync(link.target, link.path);
  }
  return { args: handOff.args, env: handOff.env };
}

/** The user's Gemini home (theirs, or the one GEMINI_CLI_HOME names): its .gemini entries and settings. */
function userGeminiHome(env: NodeJS.ProcessEnv): UserGeminiHome {
  const home = env.GEMINI_CLI_HOME || env.HOME || os.homedir();
  const dir = path.join(home, '.gemini');
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return { home, entries, settings: {} };
  }
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
  } catch {
    return { home, entries, settings: {} };
  }
  try {
    return { home, entries, settings: JSON.parse(text) as Record<string, unknown> };
  } catch (error) {
    throw new Error(`${path.join(dir, 'settings.json')} is not plain JSON (${(error as Error).message}); remove its comments to have the server handed over`);
  }
}
