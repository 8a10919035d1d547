/** Serves the MCP tools on stdio as one agent, until the agent's CLI closes our stdin. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { HostBridge } from './hostBridge';
import { CallLog } from './callLog';
import { createMcpServer } from './mcpServer';

export async function serveMcp(options: { socket: string; token: string | undefined; callLog: string | undefined }): Promise<void> {
  const bridge = new HostBridge(options.socket, options.token);
  const server = createMcpServer((type, params) => bridge.call(type, params), new CallLog(options.callLog));
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
}
