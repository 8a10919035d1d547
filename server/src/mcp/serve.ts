/** Serves the MCP tools on stdio as one agent, until the agent's CLI closes our stdin. */
import * as fs from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { HostBridge } from './hostBridge';
import { CallLog } from './callLog';
import { createMcpServer } from './mcpServer';

export async function serveMcp(options: { socket: string; token: string | undefined; callLog: string | undefined; readyFile?: string }): Promise<void> {
  const bridge = new HostBridge(options.socket, options.token);
  const server = createMcpServer((type, params) => bridge.call(type, params), new CallLog(options.callLog));
  // The CLI has initialized the session (it lists the tools next): the agent process may type now.
  server.server.oninitialized = () => {
    if (!options.readyFile) return;
    try {
      fs.writeFileSync(options.readyFile, `${new Date().toISOString()}\n`, { mode: 0o600 });
    } catch {
      // Not fatal: the agent process stops waiting after a while.
    }
  };
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
