/** `superkick mcp`: the stdio MCP server an agent's CLI starts; it acts as that agent (its token) towards the host. */
import type { Command } from 'commander';
import { superkickPaths } from '../../common/paths';
import { AGENT_ENV } from '../../agent/agentEnv';
import { requireSideBundle } from '../../common/sideBundle';

declare const SUPERKICK_BUNDLED: boolean | undefined;

/** Names a file that gets one JSON line per tool call, when `--call-log` is not given. */
export const MCP_LOG_ENV = 'SUPERKICK_MCP_LOG';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description("serve Superkick's MCP tools on stdio, as the agent named by SUPERKICK_AGENT_TOKEN (started by the agent's CLI)")
    .option('--socket <path>', 'the host socket (default: $SUPERKICK_DIR/run/host.sock)')
    .option('--call-log <file>', `append a JSON line per tool call to this file (default: $${MCP_LOG_ENV})`)
    .option('--ready-file <file>', 'write this file once the CLI has connected (how the agent process knows the tools are there before it types)')
    .action(async (options: { socket?: string; callLog?: string; readyFile?: string }) => {
      const { serveMcp } = typeof SUPERKICK_BUNDLED !== 'undefined' ? requireSideBundle<typeof import('../../mcp/sideBundle')>('mcp') : await import('../../mcp/sideBundle');
      await serveMcp({ socket: options.socket ?? superkickPaths().hostSocket, token: process.env[AGENT_ENV.token] || undefined, callLog: options.callLog ?? (process.env[MCP_LOG_ENV] || undefined), readyFile: options.readyFile });
    });
}
