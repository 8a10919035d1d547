/** `superkick mcp`: the stdio MCP server an agent's CLI starts; it acts as that agent (its token) towards the host. */
import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { superkickPaths } from '../../common/paths';
import { AGENT_ENV } from '../../agent/agentEnv';
import { HostBridge } from '../../mcp/hostBridge';
import { CallLog } from '../../mcp/callLog';
import { createMcpServer } from '../../mcp/mcpServer';

/** Names a file that gets one JSON line per tool call, when `--call-log` is not given. */
export const MCP_LOG_ENV = 'SUPERKICK_MCP_LOG';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description("serve Superkick's MCP tools on stdio, as the agent named by SUPERKICK_AGENT_TOKEN (started by the agent's CLI)")
    .option('--socket <path>', 'the host socket (default: $SUPERKICK_DIR/run/host.sock)')
    .option('--call-log <file>', `append a JSON line per tool call to this file (default: $${MCP_LOG_ENV})`)
    .action(async (options: { socket?: string; callLog?: string }) => {
      const bridge = new HostBridge(options.socket ?? superkickPaths().hostSocket, process.env[AGENT_ENV.token] || undefined);
      const server = createMcpServer((type, params) => bridge.call(type, params), new CallLog(options.callLog ?? (process.env[MCP_LOG_ENV] || undefined)));
      const transport = new StdioServerTransport();
      // The CLI ends us by closing our stdin; then nothing is left to serve.
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', () => resolve());
      });
      await server.connect(transport);
      await closed;
      bridge.close();
      await server.close().catch(() => undefined);
    });
}
