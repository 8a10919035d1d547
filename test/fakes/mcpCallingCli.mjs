#!/usr/bin/env node
// A stand-in for an agent CLI that Superkick hands its MCP server the way it
// hands Claude Code (`--mcp-config=FILE --allowedTools=…` before the user's
// arguments): it starts the server from that file, as Claude Code would, with
// its whole environment, calls the tool its own arguments name, prints the
// result and the arguments it was given, and stays until stopped.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

// Superkick may also add `--session-id <uuid>` (the usage reader's), which takes a value.
const argv = process.argv.slice(2).filter((arg, i, all) => arg !== '--session-id' && all[i - 1] !== '--session-id');
const handOff = argv.filter((arg) => arg.startsWith('--'));
const [tool, json] = argv.filter((arg) => !arg.startsWith('--'));
const configFile = handOff.find((arg) => arg.startsWith('--mcp-config='))?.slice('--mcp-config='.length);
if (!configFile) {
  console.log(`FAKE-CLI: no --mcp-config among ${JSON.stringify(process.argv.slice(2))}`);
  process.exit(3);
}
const server = JSON.parse(readFileSync(configFile, 'utf8')).mcpServers.superkick;
const client = new Client({ name: 'fake-cli', version: '0' });
await client.connect(new StdioClientTransport({ command: server.command, args: server.args, env: process.env }));
const args = JSON.parse(json);
args.message = `${args.message} argv=${JSON.stringify(process.argv.slice(2))}`;
const result = await client.callTool({ name: tool, arguments: args });
console.log(`FAKE-CLI: ${result.isError ? 'error' : 'ok'}: ${result.content.map((c) => c.text).join(' ')}`);
setInterval(() => undefined, 1 << 30);
