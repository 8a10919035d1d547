/** The MCP server's tools as a client sees them (in memory, no host): names, schemas, argument checks, error results, the call record. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { RequestType } from 'vscode-jsonrpc';
import { Mcp } from '../../server/src/protocol';
import { createMcpServer } from '../../server/src/mcp/mcpServer';
import { CallLog, readCallLog } from '../../server/src/mcp/callLog';
import { HostBridge } from '../../server/src/mcp/hostBridge';
import type { Forward } from '../../server/src/mcp/tools';

interface Sent { method: string; params: unknown }

async function connect(forward: Forward, logFile?: string): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(forward, new CallLog(logFile)).connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  return client;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');
}

describe('MCP tools', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-mcp-'));
  const logFile = path.join(dir, 'calls.jsonl');
  const sent: Sent[] = [];
  let client: Client;
  const answers: Record<string, unknown> = {
    [Mcp.SignalGoal.method]: { accepted: true, message: 'goal met; Superkick has recorded it', goal: null },
    [Mcp.AskHuman.method]: { id: 'q-1234' },
    [Mcp.ReportProgress.method]: { progress: { message: 'x', percent: 40, at: '' } },
  };
  const forward: Forward = async <P, R>(type: RequestType<P, R, void>, params: P) => {
    sent.push({ method: type.method, params });
    if (!(type.method in answers)) throw new Error(`the host says no to ${type.method}`);
    return answers[type.method] as R;
  };

  before(async () => {
    client = await connect(forward, logFile);
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every tool with a description and a JSON input schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'superkick_artifact_get',
      'superkick_artifact_put',
      'superkick_ask_human',
      'superkick_report_progress',
      'superkick_signal_goal',
      'superkick_team_log_post',
      'superkick_team_log_read',
    ]);
    for (const tool of tools) {
      assert.ok((tool.description ?? '').length > 40, `${tool.name} has a real description`);
      assert.equal(tool.inputSchema.type, 'object');
      for (const [key, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        assert.ok((schema as { description?: string }).description, `${tool.name}.${key} is described`);
      }
    }
    const signal = tools.find((t) => t.name === 'superkick_signal_goal')!;
    assert.deepEqual(signal.inputSchema.required?.sort(), ['status', 'summary']);
    assert.deepEqual((signal.inputSchema.properties as Record<string, { enum?: string[] }>).status.enum, ['completed', 'failed']);
  });

  it('forwards a valid call as its host request and returns the host message', async () => {
    const result = await client.callTool({ name: 'superkick_signal_goal', arguments: { status: 'completed', summary: 'All tests pass' } });
    assert.ok(!result.isError);
    assert.equal(textOf(result), 'goal met; Superkick has recorded it');
    assert.deepEqual(sent.at(-1), { method: Mcp.SignalGoal.method, params: { status: 'completed', summary: 'All tests pass' } });
  });

  it('says the question was sent and never waits for the answer', async () => {
    const result = await client.callTool({ name: 'superkick_ask_human', arguments: { question: 'Which database?', choices: ['postgres', 'sqlite'] } });
    assert.match(textOf(result), /q-1234 was sent.*Do not wait/s);
    assert.deepEqual(sent.at(-1)?.params, { question: 'Which database?', choices: ['postgres', 'sqlite'] });
  });

  it('rejects bad arguments before anything reaches the host, saying which', async () => {
    const before = sent.length;
    for (const [name, args, field] of [
      ['superkick_signal_goal', { status: 'done', summary: 'x' }, 'status'],
      ['superkick_signal_goal', { status: 'completed' }, 'summary'],
      ['superkick_report_progress', { message: 'half', percent: 150 }, 'percent'],
      ['superkick_team_log_read', { limit: 0 }, 'limit'],
      ['superkick_team_log_post', { message: 'x', kind: 'gossip' }, 'kind'],
      ['superkick_ask_human', { question: 'q', choices: 'yes' }, 'choices'],
    ] as const) {
      const result = await client.callTool({ name, arguments: args });
      assert.equal(result.isError, true, `${name} ${JSON.stringify(args)}`);
      assert.match(textOf(result), new RegExp(field), `${name}: the message names ${field}: ${textOf(result)}`);
    }
    assert.equal(sent.length, before);
  });

  it('returns a host failure as an error result the model can read, and records every call', async () => {
    const result = await client.callTool({ name: 'superkick_artifact_get', arguments: { name: 'plan.md' } });
    assert.equal(result.isError, true);
    assert.equal(textOf(result), 'superkick_artifact_get failed: the host says no to superkick/mcp/artifactGet');
    const calls = readCallLog(logFile);
    assert.deepEqual(calls.map((c) => [c.tool, c.ok]).slice(-1), [['superkick_artifact_get', false]]);
    assert.deepEqual(calls.find((c) => c.tool === 'superkick_signal_goal')?.arguments, { status: 'completed', summary: 'All tests pass' });
  });

  it('without a token, or with no host at the socket, still lists its tools and says what is wrong on a call', async () => {
    const socket = path.join(dir, 'nothing.sock');
    for (const [token, expected] of [
      [undefined, /SUPERKICK_AGENT_TOKEN is not set.*superkick agent/],
      ['skagent_x_y', /cannot reach the Superkick host at .*nothing\.sock: no host is listening there/],
    ] as const) {
      const bridge = new HostBridge(socket, token);
      const lonely = await connect((type, params) => bridge.call(type, params));
      assert.equal((await lonely.listTools()).tools.length, 7);
      const result = await lonely.callTool({ name: 'superkick_report_progress', arguments: { message: 'starting' } });
      assert.equal(result.isError, true);
      assert.match(textOf(result), expected);
      await lonely.close();
    }
  });
});
