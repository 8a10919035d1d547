/**
 * The cost ledger through a real host: an agent reports its usage with its
 * own token (as its agent process does), its record and `superkick cost` show
 * tokens and dollars, an agent token sees only its own cost, bad input gets a
 * clear error, and the ledger survives a kill -9 of the host.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { openHostConnection } from '../helpers/hostConnection';
import { whenEvent } from '../helpers/waitFor';
import { Cost } from '../../server/src/protocol';

describe('cost ledger in the host', () => {
  const sandbox = new Sandbox();
  let watch: HostWatch;
  let id: string;
  let other: string;
  let agentConnection: MessageConnection;
  const sonnet = { input: 1_000_000, output: 100_000, cacheRead: 2_000_000, cacheWrite: 0 };
  // 3 + 1.5 + 0.6 dollars at the shipped claude-sonnet-4 prices.
  const sonnetUsd = 5.1;

  /** Starts an agent that leaves its own token in a file, and returns its id and token. */
  const agentWithToken = async (name: string, extra: string[] = []) => {
    const file = path.join(sandbox.work, `${name}.token`);
    const agentId = await sandbox.startAgent(['sh', '-c', `printf %s "$SUPERKICK_AGENT_TOKEN" > ${file}; exec sleep 600`], ['--name', name, ...extra]);
    await whenEvent((listener) => {
      const watcher = fs.watch(sandbox.work, listener);
      return () => watcher.close();
    }, () => (fs.existsSync(file) && fs.readFileSync(file, 'utf8').length > 0 ? true : undefined), `${name} to write its token`);
    return { agentId, token: fs.readFileSync(file, 'utf8') };
  };

  before(async () => {
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
    const first = await agentWithToken('spender');
    id = first.agentId;
    other = (await agentWithToken('bystander')).agentId;
    agentConnection = await openHostConnection(sandbox.dir, { client: 'test-agent', token: first.token }, (connection) => connection);
  });
  after(async () => {
    agentConnection?.dispose();
    watch?.close();
    await sandbox.cleanup();
  });

  it('an agent without usage reports shows its cost as unknown', async () => {
    assert.equal((await sandbox.agent(id)).cost, null);
    assert.match(await sandbox.runOk(['list']), /spender.*\bunknown$/m);
  });

  it('a usage report lands on the record, in list and in superkick cost', async () => {
    await agentConnection.sendRequest(Cost.ReportUsage.type, { source: 'test', models: { 'claude-sonnet-4-5': sonnet } });
    const record = await watch.until(id, (r) => r.cost !== null, 'the cost on the record');
    assert.equal(record.cost!.inputTokens, sonnet.input);
    assert.equal(record.cost!.cacheReadTokens, sonnet.cacheRead);
    assert.equal(record.cost!.usd, sonnetUsd);
    assert.match(await sandbox.runOk(['list']), /spender.*\$5\.10$/m);
    const report = JSON.parse(await sandbox.runOk(['cost', '--json'])) as Cost.GetCost.Result;
    assert.deepEqual(report.agents.map((row) => [row.id, row.usd]), [[id, sonnetUsd]]);
    assert.equal(report.days.length, 1);
    assert.equal(report.days[0].usd, sonnetUsd);
    assert.deepEqual(report.spawners, []);
    const text = await sandbox.runOk(['cost']);
    assert.match(text, new RegExp(`^${id}\\s+spender\\s+command\\s+-\\s+1000000\\s+100000\\s+2000000\\s+0\\s+\\$5\\.10\\s+claude-sonnet-4-5$`, 'm'));
    assert.match(text, new RegExp(`^${report.days[0].day}\\s+1000000\\s+100000\\s+2000000\\s+0\\s+\\$5\\.10`, 'm'));
    assert.match(await sandbox.runOk(['cost', '--by', 'spawner']), /no spawner-started agent has spent anything/);
    assert.match(await sandbox.runOk(['cost', '--day', '1999-01-01']), /no agent has reported any usage/);
  });

  it('tokens of a model without a price are counted, and shown as not priced', async () => {
    await agentConnection.sendRequest(Cost.ReportUsage.type, { source: 'test', models: { 'claude-sonnet-4-5': sonnet, 'homebrew-7b': { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 } } });
    const record = await watch.until(id, (r) => r.cost?.unpricedModels.length === 1, 'the unpriced model on the record');
    assert.equal(record.cost!.usd, sonnetUsd, 'the priced part stays');
    assert.match(await sandbox.runOk(['list']), /spender.*\$5\.10 \+\?$/m);
    assert.match(await sandbox.runOk(['cost']), /homebrew-7b \(no price\)/);
    assert.match(fs.readFileSync(path.join(sandbox.dir, 'logs', 'host.log'), 'utf8'), /no price for model "homebrew-7b"/);
  });

  it("prices with the pricing: section of the agent's workspace over the shipped table", async () => {
    const workspace = path.join(sandbox.work, 'priced');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'superkick.yml'), 'pricing:\n  homebrew-: { input: 1, output: 2 }\n  claude-sonnet-4: { input: 1, output: 1, cache_read: 0, cache_write: 0 }\n');
    const { agentId, token } = await agentWithToken('priced', ['--cwd', workspace]);
    const connection = await openHostConnection(sandbox.dir, { client: 'test-agent', token }, (c) => c);
    try {
      await connection.sendRequest(Cost.ReportUsage.type, { source: 'test', models: { 'homebrew-7b': { input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0 }, 'claude-sonnet-4-5': sonnet } });
      const record = await watch.until(agentId, (r) => r.cost !== null, 'the cost on the record');
      assert.deepEqual(record.cost!.unpricedModels, []);
      assert.equal(record.cost!.usd, 3 + 1.1);
    } finally {
      connection.dispose();
      await sandbox.run(['stop', agentId, '--force']);
    }
  });

  it('an agent token reads only its own cost and cannot report for the user', async () => {
    const own = await agentConnection.sendRequest(Cost.GetCost.type, {});
    assert.deepEqual(own.agents.map((row) => row.id), [id]);
    assert.deepEqual(own.days, []);
    const user = await openHostConnection(sandbox.dir, { client: 'test-user' }, (connection) => connection);
    try {
      await assert.rejects(user.sendRequest(Cost.ReportUsage.type, { source: 'x', models: {} }), /for an agent's own token/);
    } finally {
      user.dispose();
    }
    assert.equal((await sandbox.agent(other)).cost, null, 'the other agent is untouched');
  });

  it('bad input gets a clear error', async () => {
    await assert.rejects(agentConnection.sendRequest(Cost.ReportUsage.type, { source: 'x', models: null } as never), /reportUsage needs models/);
    await assert.rejects(agentConnection.sendRequest(Cost.GetCost.type, { day: 'tomorrow' }), /day "tomorrow" is not a date: use YYYY-MM-DD/);
    const by = await sandbox.run(['cost', '--by', 'week']);
    assert.equal(by.code, 2);
    assert.match(by.stderr, /--by week: not a grouping; use one of agent, spawner, day/);
    const day = await sandbox.run(['cost', '--day', '24/11/2026']);
    assert.equal(day.code, 2);
    assert.match(day.stderr, /--day 24\/11\/2026: not a date; use YYYY-MM-DD/);
  });

  it('survives a kill -9 of the host, and a report repeated afterwards counts once', async () => {
    const before = JSON.parse(await sandbox.runOk(['cost', '--json'])) as Cost.GetCost.Result;
    agentConnection.dispose();
    await sandbox.killHost();
    await sandbox.runOk(['list']);
    assert.equal((await sandbox.agent(id)).cost!.usd, sonnetUsd);
    const token = fs.readFileSync(path.join(sandbox.work, 'spender.token'), 'utf8');
    agentConnection = await openHostConnection(sandbox.dir, { client: 'test-agent', token }, (connection) => connection);
    await agentConnection.sendRequest(Cost.ReportUsage.type, { source: 'test', models: { 'claude-sonnet-4-5': sonnet } });
    assert.equal(await agentConnection.sendRequest(Cost.GetCost.type, {}).then((r) => r.agents[0].usd), sonnetUsd);
    const after_ = JSON.parse(await sandbox.runOk(['cost', '--json'])) as Cost.GetCost.Result;
    assert.deepEqual(after_.days, before.days);
    assert.deepEqual(after_.agents.map((row) => row.usd), before.agents.map((row) => row.usd));
  });
});
