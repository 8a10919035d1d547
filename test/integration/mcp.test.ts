/**
 * `superkick mcp` against a real host: an MCP client (the SDK's, over stdio,
 * running the built CLI) acts as agent A with A's token. Its calls decide A's
 * goal, set A's progress, ask a question that `superkick questions` lists and
 * `superkick answer` queues into A, and use A's own team log and artifacts —
 * never B's, whatever it sends. A bad token and a host that is down give clear
 * errors; a restarted host is reached again. And an agent started with a
 * driver gets the server handed to its program.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, Host, Mcp } from '../../server/src/protocol';
import { readCallLog } from '../../server/src/mcp/callLog';
import { CLI, REPO, Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { openHostConnection } from '../helpers/hostConnection';
import { BASH } from '../helpers/cli';
import { deadline, exitOf, whenEvent } from '../helpers/waitFor';
import { TestViewer } from '../helpers/testViewer';
import { ViewerScreen } from '../helpers/viewerScreen';

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

const textOf = (result: ToolResult) => (result.content as Array<{ text: string }>).map((c) => c.text).join('\n');

describe('superkick mcp', () => {
  const sandbox = new Sandbox('skmcp');
  const logFile = path.join(sandbox.work, 'mcp-calls.jsonl');
  const clients: Client[] = [];
  let watch: HostWatch;
  let a: string;
  let b: string;
  let tokenA: string;
  let tokenB: string;
  let clientA: Client;
  let clientB: Client;

  async function mcpClient(token: string | undefined, log = logFile): Promise<Client> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...sandbox.env, SUPERKICK_MCP_LOG: log })) if (value !== undefined) env[key] = value;
    if (token) env.SUPERKICK_AGENT_TOKEN = token;
    else delete env.SUPERKICK_AGENT_TOKEN;
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], env, cwd: sandbox.work, stderr: 'inherit' }));
    clients.push(client);
    return client;
  }

  const call = (client: Client, name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
    const result = await call(client, name, args);
    assert.ok(!result.isError, `${name}: ${textOf(result)}`);
    return textOf(result);
  }
  const tokenOf = async (id: string) => (await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id })).attachToken!;

  before(async () => {
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
    a = await sandbox.startAgent(BASH, ['--name', 'alpha']);
    b = await sandbox.startAgent(BASH, ['--name', 'beta']);
    [tokenA, tokenB] = [await tokenOf(a), await tokenOf(b)];
    clientA = await mcpClient(tokenA);
    clientB = await mcpClient(tokenB);
  });
  after(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    watch?.close();
    await sandbox.cleanup();
  });

  it("signal_goal decides the calling agent's goal, with its summary, and records the call", async () => {
    const text = await callOk(clientA, 'superkick_signal_goal', { status: 'completed', summary: 'Fixed the flaky test' });
    assert.match(text, /goal met/);
    const record = await watch.until(a, (r) => r.goal?.state === 'met', 'goal met');
    assert.equal(record.goal?.summary, 'Fixed the flaky test');
    assert.equal(record.goal?.decidedBy, 'agent');
    assert.equal(watch.agents.get(b)?.goal, null, "B's goal is untouched");
    const calls = readCallLog(logFile).filter((c) => c.tool === 'superkick_signal_goal');
    assert.deepEqual(calls.map((c) => [c.ok, c.arguments]), [[true, { status: 'completed', summary: 'Fixed the flaky test' }]]);
    // A decided goal stays decided.
    assert.match(await callOk(clientA, 'superkick_signal_goal', { status: 'failed', summary: 'changed my mind' }), /already met.*nothing changed/);
  });

  it('report_progress shows on the agent record', async () => {
    await callOk(clientA, 'superkick_report_progress', { message: 'running the suite', percent: 60 });
    const record = await watch.until(a, (r) => r.progress?.message === 'running the suite', 'progress');
    assert.equal(record.progress?.percent, 60);
    assert.equal(watch.agents.get(b)?.progress, null);
  });

  it('ask_human returns at once; the question is listed, and the answer is queued into the agent that asked', async () => {
    const text = await callOk(clientA, 'superkick_ask_human', { question: 'Which database should I use?', choices: ['postgres', 'sqlite'] });
    const id = /Question (q-[0-9a-f]+) was sent/.exec(text)?.[1];
    assert.ok(id, text);
    const listed = JSON.parse(await sandbox.runOk(['questions', '--json'])) as Mcp.Question[];
    assert.deepEqual(listed.map((q) => [q.id, q.agentId, q.question, q.choices]), [[id, a, 'Which database should I use?', ['postgres', 'sqlite']]]);
    assert.match(await sandbox.runOk(['questions']), new RegExp(`${id}\\s+alpha \\(${a}\\).*Which database should I use\\? \\[postgres / sqlite\\]`));

    const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: a });
    const viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!, { cols: 200, rows: 30 });
    const screen = new ViewerScreen(viewer, 200, 30);
    try {
      const answered = JSON.parse(await sandbox.runOk(['answer', '--json', id!, 'sqlite,', 'it', 'is', 'a', 'prototype'])) as Mcp.AnswerQuestion.Result;
      assert.equal(answered.question.answer, 'sqlite, it is a prototype');
      // A plain program (bash) takes queued text at once: the answer is typed into A's terminal, framed as a person's answer to its question.
      const typed = await screen.until(/sqlite, it is a prototype/, 'the answer typed into A');
      assert.match(typed, new RegExp(`A person answered your question ${id} \\(asked with superkick_ask_human: "Which database should I use\\?"\\):`));
    } finally {
      screen.close();
      viewer.close();
    }
    assert.deepEqual(JSON.parse(await sandbox.runOk(['queue', b, '--json'])), []);
    assert.deepEqual(JSON.parse(await sandbox.runOk(['questions', '--json'])), [], 'no longer open');

    const again = await sandbox.run(['answer', id!, 'postgres']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`question ${id} was already answered`));
    const unknown = await sandbox.run(['answer', 'q-nope', 'x']);
    assert.match(unknown.stderr, /no question "q-nope"; no question is open \(superkick questions\)/);
  });

  it("team log and artifacts round-trip in the agent's own store, and B sees none of A's", async () => {
    await callOk(clientA, 'superkick_team_log_post', { message: 'Plan: fix parser first', kind: 'decision' });
    await callOk(clientA, 'superkick_team_log_post', { message: 'parser fixed' });
    const read = JSON.parse(await callOk(clientA, 'superkick_team_log_read', {})) as Mcp.TeamLogRead.Result;
    assert.equal(read.teamId, `agent-${a}`);
    assert.deepEqual(read.entries.map((e) => [e.seq, e.kind, e.message, e.agentName]), [
      [1, 'decision', 'Plan: fix parser first', 'alpha'],
      [2, 'message', 'parser fixed', 'alpha'],
    ]);
    const newer = JSON.parse(await callOk(clientA, 'superkick_team_log_read', { since: 1 })) as Mcp.TeamLogRead.Result;
    assert.deepEqual(newer.entries.map((e) => e.seq), [2]);

    assert.match(await callOk(clientA, 'superkick_artifact_put', { name: 'plan.md', content: '# Plan\n- parser\n' }), /stored artifact "plan.md" \(16 bytes\)/);
    assert.equal(await callOk(clientA, 'superkick_artifact_get', { name: 'plan.md' }), '# Plan\n- parser\n');
    assert.ok(fs.existsSync(path.join(sandbox.dir, 'state', 'teams', `agent-${a}`, 'artifacts', 'plan.md')));

    const empty = JSON.parse(await callOk(clientB, 'superkick_team_log_read', {})) as Mcp.TeamLogRead.Result;
    assert.deepEqual([empty.teamId, empty.entries, empty.last], [`agent-${b}`, [], 0]);
    const missing = await call(clientB, 'superkick_artifact_get', { name: 'plan.md' });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /no artifact named "plan.md"; the store is empty/);
  });

  it('refuses artifact names that leave the store, and oversized content, saying why', async () => {
    for (const name of ['../../../auth/client.token', 'a/b', '.hidden', '..']) {
      const result = await call(clientA, 'superkick_artifact_put', { name, content: 'x' });
      assert.equal(result.isError, true, name);
      assert.match(textOf(result), /artifact name .* is not allowed: use 1–100 letters, digits, dots, dashes or underscores/, name);
      const get = await call(clientA, 'superkick_artifact_get', { name });
      assert.match(textOf(get), /is not allowed/, name);
    }
    const big = await call(clientA, 'superkick_artifact_put', { name: 'big.txt', content: 'x'.repeat(1024 * 1024 + 1) });
    assert.match(textOf(big), /is 1048577 bytes; the limit is 1048576 bytes/);
    assert.deepEqual(fs.readdirSync(path.join(sandbox.dir, 'state', 'teams', `agent-${a}`, 'artifacts')), ['plan.md']);
  });

  it("takes the agent from the token: an agent id in the parameters is ignored, and the user's token cannot call agent tools", async () => {
    const raw = await openHostConnection(sandbox.dir, { client: 'test', token: tokenA }, (connection) => connection);
    await raw.sendRequest(Mcp.ReportProgress.type, { message: 'from A, naming B', agentId: b, id: b } as Mcp.ReportProgress.Params);
    await watch.until(a, (r) => r.progress?.message === 'from A, naming B', "A's progress");
    assert.equal(watch.agents.get(b)?.progress, null);
    await assert.rejects(raw.sendRequest(Mcp.ListQuestions.type, {}), (error: { code: number }) => error.code === ErrorCode.Forbidden);
    raw.dispose();
    await assert.rejects(watch.connection.sendRequest(Mcp.SignalGoal.type, { status: 'completed', summary: 'user pretending' }), /for an agent's own token/);
    assert.equal(watch.agents.get(b)?.goal, null);
  });

  it('with a bad token, a user token or none: the tools are listed and each call says what is wrong', async () => {
    const clientToken = fs.readFileSync(path.join(sandbox.dir, 'auth', 'client.token'), 'utf8').trim();
    for (const [token, expected] of [
      [`${tokenA.slice(0, -4)}0000`, /the Superkick host refused this agent's token: wrong token/],
      [clientToken, /holds a token that is not an agent's/],
      [undefined, /SUPERKICK_AGENT_TOKEN is not set/],
    ] as const) {
      const client = await mcpClient(token);
      assert.equal((await client.listTools()).tools.length, 7);
      const result = await call(client, 'superkick_report_progress', { message: 'hello' });
      assert.equal(result.isError, true);
      assert.match(textOf(result), expected);
    }
  });

  it('ends when its CLI closes its stdin, also after it has talked to the host', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp'], { env: { ...sandbox.env, SUPERKICK_AGENT_TOKEN: tokenB }, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout! });
    const answered = new Promise<string>((resolve) => lines.on('line', (line) => line.includes('"id":2') && resolve(line)));
    const send = (message: object) => child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'superkick_report_progress', arguments: { message: 'raw client' } } });
    assert.match(await deadline(answered, 'the tool result'), /progress recorded/);
    child.stdin!.end();
    assert.equal(await exitOf(child), 0);
  });

  it('says the host is down while it is, and reaches it again after it restarted', async () => {
    await sandbox.killHost();
    const down = await call(clientA, 'superkick_report_progress', { message: 'while down' });
    assert.equal(down.isError, true);
    assert.match(textOf(down), /cannot reach the Superkick host at .*host\.sock: no host is listening there/);
    await sandbox.runOk(['list']);
    watch.close();
    watch = await HostWatch.open(sandbox.dir);
    await callOk(clientA, 'superkick_report_progress', { message: 'after the restart' });
    await watch.until(a, (r) => r.progress?.message === 'after the restart', 'progress after the restart');
    // What was asked and answered before the restart is still known.
    const questions = JSON.parse(await sandbox.runOk(['questions', '--all', '--json'])) as Mcp.Question[];
    assert.deepEqual(questions.map((q) => [q.agentId, q.answer]), [[a, 'sqlite, it is a prototype']]);
  });

  it('refuses to answer an agent that has exited, and keeps the question open', async () => {
    const gone = await sandbox.startAgent(['bash', '-c', 'read line']);
    const client = await mcpClient(await tokenOf(gone));
    const id = /Question (q-[0-9a-f]+)/.exec(await callOk(client, 'superkick_ask_human', { question: 'Still there?' }))![1];
    await sandbox.runOk(['stop', gone, '--force']);
    const result = await sandbox.run(['answer', id, 'yes']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`agent ${gone} \\(.*\\), which asked ${id}, has exited; the answer cannot reach it`));
    assert.deepEqual((JSON.parse(await sandbox.runOk(['questions', '--json'])) as Mcp.Question[]).map((q) => q.id), [id]);
  });

  it("leaves a wrapper's arguments alone: with --driver claude, a program that is not claude gets no hand-off unless --mcp says so", async () => {
    const marker = path.join(sandbox.work, 'wrapper-args.txt');
    const id = await sandbox.startAgent(['sh', '-c', `printf '%s|' "$@" > ${marker}; exec sleep 600`, 'wrapper', 'one', 'two'], ['--driver', 'claude', '--name', 'wrapped']);
    await whenEvent((listener) => {
      const watcher = fs.watch(sandbox.work, listener);
      return () => watcher.close();
    }, () => (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').length ? true : undefined), 'the wrapper to write its arguments');
    assert.equal(fs.readFileSync(marker, 'utf8'), 'one|two|');
    await sandbox.runOk(['stop', '--force', id]);
  });

  it("hands a driver's program the MCP server: the CLI starts it from the hand-off and calls as its agent; list shows the user's arguments", async () => {
    const program = path.join(REPO, 'test', 'fakes', 'mcpCallingCli.mjs');
    const id = await sandbox.startAgent([program, 'superkick_report_progress', '{"message":"via hand-off"}'], ['--driver', 'claude', '--mcp', '--name', 'handed']);
    const record = await watch.until(id, (r) => Boolean(r.progress?.message.startsWith('via hand-off')), 'progress from the handed-off server');
    const dir = path.join(sandbox.dir, 'state', 'agents', id);
    const config = path.join(dir, 'claude-mcp.json');
    // The hand-off first, then the usage reader's session id (cost), then what the user typed.
    const argv = JSON.parse(record.progress!.message.slice('via hand-off argv='.length)) as string[];
    assert.deepEqual(argv.slice(0, 3), [`--mcp-config=${config}`, '--allowedTools=mcp__superkick', '--session-id']);
    assert.match(argv[3], /^[0-9a-f-]{36}$/);
    assert.deepEqual(argv.slice(4), ['superkick_report_progress', '{"message":"via hand-off"}']);
    assert.deepEqual(record.args, ['superkick_report_progress', '{"message":"via hand-off"}'], 'the spec keeps what the user typed');
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(config).mode & 0o777, 0o600);
    const server = JSON.parse(fs.readFileSync(config, 'utf8')).mcpServers.superkick;
    assert.deepEqual(server.args, [CLI, 'mcp', '--socket', path.join(sandbox.dir, 'run', 'host.sock'), '--call-log', path.join(dir, 'mcp-calls.jsonl'), '--ready-file', path.join(dir, 'mcp-ready')]);
    // The server said the CLI connected (the agent process holds "idle" back until then).
    assert.ok(fs.existsSync(path.join(dir, 'mcp-ready')));
    // The host saw the call before the server answered it: the record is written by the time the CLI shows the result.
    const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
    const viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!, { cols: 200, rows: 30 }, true);
    const screen = new ViewerScreen(viewer, 200, 30);
    try {
      await screen.until(/FAKE-CLI: ok: progress recorded/, 'the tool result in the fake CLI');
    } finally {
      screen.close();
      viewer.close();
    }
    assert.deepEqual(readCallLog(path.join(dir, 'mcp-calls.jsonl')).map((c) => [c.tool, c.ok]), [['superkick_report_progress', true]]);
    // Forgetting the agent removes its private folder too.
    await sandbox.runOk(['stop', id]);
    await sandbox.runOk(['prune', id]);
    assert.ok(!fs.existsSync(dir));
  });
});
