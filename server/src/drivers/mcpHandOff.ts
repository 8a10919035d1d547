/**
 * How each CLI is handed the Superkick MCP server (`superkick mcp`, a stdio
 * server each agent CLI starts itself). The profile names the way; this
 * module spells out the arguments, environment and files for it. The agent
 * process applies it when it starts the program (agent/mcpLaunch.ts).
 */
import * as path from 'node:path';
import type { DriverProfile } from './profile';

export type McpHandOffKind = 'claude-mcp-config' | 'codex-config-flags' | 'gemini-home-overlay' | 'copilot-additional-config' | 'goose-extension' | 'none';

export interface McpServerCommand {
  command: string;
  args: string[];
  /** Variables the server needs from the agent's environment (its identity and token). */
  envNames: string[];
}

export interface McpHandOff {
  /** Put before the user's own arguments. */
  args: string[];
  env: Record<string, string>;
  /** Files to write (0600) before launch. */
  files: Array<{ path: string; contents: string }>;
  /** Symbolic links to make before launch (`path` → `target`). */
  links?: Array<{ path: string; target: string }>;
}

/**
 * What the launcher read of the user's own Gemini home, for the overlay: the
 * folder holding `.gemini`, the entries in it, and its parsed settings.json.
 */
export interface UserGeminiHome {
  home: string;
  entries: string[];
  settings: Record<string, unknown>;
}

/** The server's name as the CLIs see it; tools appear as e.g. `mcp__superkick__<tool>`. */
export const MCP_SERVER_NAME = 'superkick';

/** TOML basic string (Codex `-c key=value` takes TOML values). */
const toml = (value: string) => JSON.stringify(value);
const tomlArray = (values: string[]) => `[${values.map(toml).join(', ')}]`;

/**
 * @param dir a private directory for this agent's generated files
 * @param gemini the user's Gemini home as read by the launcher (Gemini only)
 */
export function mcpHandOff(driver: DriverProfile, server: McpServerCommand, dir: string, gemini?: UserGeminiHome): McpHandOff {
  const stdio = { command: server.command, args: server.args };
  switch (driver.mcp) {
    case 'claude-mcp-config': {
      // No dialog with --mcp-config (a project .mcp.json would ask); the tools are pre-allowed so calls never stop at "Do you want to proceed?".
      // A rule naming just the server (`mcp__superkick`) allows every tool of that server and nothing else.
      // Both options take lists (`<configs...>`): in the `--opt=value` form they take one value and leave the user's own arguments (a prompt) alone.
      const file = path.join(dir, 'claude-mcp.json');
      return {
        args: [`--mcp-config=${file}`, `--allowedTools=mcp__${MCP_SERVER_NAME}`],
        env: {},
        files: [{ path: file, contents: JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: { type: 'stdio', ...stdio } } }, null, 2) }],
      };
    }
    case 'codex-config-flags': {
      // Codex passes MCP servers only an allowlist of variables: ours must be named in env_vars.
      const key = `mcp_servers.${MCP_SERVER_NAME}`;
      return {
        args: [
          '-c', `${key}.command=${toml(server.command)}`,
          '-c', `${key}.args=${tomlArray(server.args)}`,
          '-c', `${key}.env_vars=${tomlArray(server.envNames)}`,
          '-c', `${key}.default_tools_approval_mode=${toml('approve')}`,
        ],
        env: {},
        files: [],
      };
    }
    case 'gemini-home-overlay': {
      // Gemini 0.61 skips a system settings file (GEMINI_CLI_SYSTEM_SETTINGS_PATH) unless root owns it and every folder above it,
      // and it has no flag for an MCP server. So it gets a private home (GEMINI_CLI_HOME) whose .gemini holds the user's
      // settings plus our server, and links to everything else of the user's .gemini (credentials, history, trusted folders).
      // Gemini drops variables whose names look secret (TOKEN, KEY) unless listed; `trust` skips the per-call prompt.
      const user = gemini ?? { home: '', entries: [], settings: {} };
      const home = path.join(dir, 'gemini-home');
      const geminiDir = path.join(home, '.gemini');
      const env = Object.fromEntries(server.envNames.map((name) => [name, `$${name}`]));
      const servers = { ...((user.settings.mcpServers as Record<string, unknown> | undefined) ?? {}), [MCP_SERVER_NAME]: { ...stdio, env, trust: true } };
      return {
        args: [],
        env: { GEMINI_CLI_HOME: home },
        files: [{ path: path.join(geminiDir, 'settings.json'), contents: JSON.stringify({ ...user.settings, mcpServers: servers }, null, 2) }],
        links: user.entries.filter((entry) => entry !== 'settings.json').map((entry) => ({ path: path.join(geminiDir, entry), target: path.join(user.home, '.gemini', entry) })),
      };
    }
    case 'copilot-additional-config': {
      const file = path.join(dir, 'copilot-mcp.json');
      const env = Object.fromEntries(server.envNames.map((name) => [name, `\${${name}}`]));
      return {
        args: ['--additional-mcp-config', `@${file}`],
        env: {},
        files: [{ path: file, contents: JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: { type: 'local', ...stdio, env, tools: ['*'] } } }, null, 2) }],
      };
    }
    case 'goose-extension':
      // Goose starts the extension with its own environment, which includes the agent's.
      return { args: ['--with-extension', [server.command, ...server.args].map(shellWord).join(' ')], env: {}, files: [] };
    case 'none':
      return { args: [], env: {}, files: [] };
  }
}

/** The profile's screen states once the MCP server was handed off: idle also needs `mcpReady` on the screen. */
export function statesWithMcpHandedOff(driver: DriverProfile): DriverProfile['states'] {
  const ready = driver.mcpReady;
  if (!ready) return driver.states;
  const both = (idle: string) => `(?:${idle})[\\s\\S]*(?:${ready})|(?:${ready})[\\s\\S]*(?:${idle})`;
  return { ...driver.states, idle: driver.states.idle.map(both) };
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
