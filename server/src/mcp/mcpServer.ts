/**
 * `superkick mcp`'s MCP server: the tools of tools.ts over any MCP transport
 * (stdio when an agent's CLI starts it; in memory in unit tests). Each call is
 * forwarded to the host as the agent; a failure is returned as a tool error
 * result the model can read (the server itself never fails a call).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../common/version';
import { MCP_TOOLS, type Forward } from './tools';
import type { CallLog } from './callLog';

export function createMcpServer(forward: Forward, calls: CallLog): McpServer {
  const server = new McpServer(
    { name: 'superkick', version: VERSION },
    { instructions: 'Superkick supervises this agent. Use these tools to signal your goal, report progress, ask a person a question, and share notes and artifacts with your team.' },
  );
  for (const tool of MCP_TOOLS) {
    server.registerTool(tool.name, { title: tool.title, description: tool.description, inputSchema: tool.inputSchema }, async (args: Record<string, unknown>) => {
      const at = new Date().toISOString();
      try {
        const text = await tool.run(args, forward);
        calls.write({ at, tool: tool.name, arguments: args, ok: true, text });
        return { content: [{ type: 'text' as const, text }] };
      } catch (error) {
        const text = `${tool.name} failed: ${(error as Error).message}`;
        calls.write({ at, tool: tool.name, arguments: args, ok: false, text });
        return { content: [{ type: 'text' as const, text }], isError: true };
      }
    });
  }
  return server;
}
