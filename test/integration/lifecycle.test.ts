/** Start, list, inject, logs, stop; names and ids; the errors a person sees for bad input. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { Host } from '../../server/src/protocol';
import { startDaemon } from '../../server/src/common/readyPipe';
import { AGENT_ENV } from '../../server/src/agent/agentEnv';

describe('agent lifecycle', () => {
  const sandbox = new Sandbox();
  let watch: HostWatch;

  before(async () => {
    await sandbox.runOk(['list']); // starts the host on demand
    watch = await HostWatch.open(sandbox.dir);
  });
  after(async () => {
    watch?.close();
    await sandbox.cleanup();
  });

  it('starts a headless agent, lists it, types into it, shows its log and stops it', async () => {
    const id = await sandbox.startAgent(['bash', '--norc', '--noprofile'], ['--name', 'shell']);
    assert.match(id, /^[0-9a-f]{8}$/);
    const listed = await sandbox.agent(id);
    assert.equal(listed.name, 'shell');
    assert.equal(listed.driver, 'command');
    assert.equal(listed.state, 'working');
    assert.equal(listed.cwd, sandbox.work);
    assert.ok(listed.childPid && listed.childPid > 0);
    assert.equal(listed.viewers, 0);

    const table = await sandbox.runOk(['list']);
    assert.match(table, /^ID\s+NAME\s+DRIVER\s+STATE\s+CWD\s+PID\s+AGE\s+VIEWERS/m);
    assert.match(table, new RegExp(`${id}\\s+shell\\s+command\\s+working`));

    // By name, as well as by id.
    await sandbox.runOk(['inject', 'shell', 'echo marker-$((6*7))']);
    const log = await waitForLog(sandbox, id, 'marker-42');
    assert.ok(log.includes('marker-42'));

    const stopped = JSON.parse(await sandbox.runOk(['stop', id, '--json']));
    assert.equal(stopped.state, 'exited');
    assert.equal(stopped.signal, 1, 'stop hangs up the program (SIGHUP), as closing a terminal does');
    const after = await sandbox.agent(id);
    assert.equal(after.state, 'exited');
  });

  it('stops an agent asked to stop while it is still starting, once its process is up', async () => {
    const created = await watch.connection.sendRequest(Host.CreateAgent.type, { command: 'sleep', args: ['600'], cwd: sandbox.work, name: 'early', driver: 'command', cols: 80, rows: 24, history: 10, record: false });
    assert.equal(watch.agents.get(created.id)?.state ?? 'starting', 'starting');
    // Asked before the agent process exists (a click on a fresh "starting" agent): the stop waits for it.
    const stopped = watch.connection.sendRequest(Host.StopAgent.type, { agent: created.id });
    const ready = await startDaemon([CLI, '__agent'], { cwd: sandbox.work, env: { ...sandbox.env, [AGENT_ENV.id]: created.id, [AGENT_ENV.token]: created.token, [AGENT_ENV.spec]: JSON.stringify(created.spec) } });
    assert.ok(ready.ok);
    const record = await stopped;
    assert.equal(record.state, 'exited');
  });

  it('reports the exit code of a program that ends by itself', async () => {
    const id = await sandbox.startAgent(['sh', '-c', 'read line; exit 7']);
    await sandbox.runOk(['inject', id, 'go']);
    const record = await watch.until(id, (r) => r.state === 'exited', 'exit');
    assert.equal(record.exitCode, 7);
  });

  it('says which agents exist when asked for one that does not', async () => {
    const id = await sandbox.startAgent(['sleep', '600']);
    const result = await sandbox.run(['inject', 'nobody', 'hi']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no agent named nobody/);
    assert.match(result.stderr, new RegExp(id));
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('refuses an ambiguous name and asks for an id', async () => {
    const a = await sandbox.startAgent(['sleep', '600'], ['--name', 'twin']);
    await sandbox.runOk(['stop', a, '--force']);
    const b = await sandbox.startAgent(['sleep', '600'], ['--name', 'twin']);
    // One running and one exited: the running one wins.
    const inject = await sandbox.run(['inject', 'twin', 'x', '--json']);
    assert.equal(inject.code, 0, inject.stderr);
    assert.equal(JSON.parse(inject.stdout).id, b);
    await sandbox.runOk(['stop', b, '--force']);
    const ambiguous = await sandbox.run(['stop', 'twin']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /matches 2 agents/);
  });

  it('exits 127 and names the command when it does not exist', async () => {
    const result = await sandbox.run(['agent', '--headless', '--', 'no-such-program-xyz']);
    assert.equal(result.code, 127);
    assert.match(result.stderr, /command not found: no-such-program-xyz/);
  });

  it('gives unique names to agents started with the same command', async () => {
    const first = await sandbox.startAgent(['sleep', '600']);
    const second = await sandbox.startAgent(['sleep', '600']);
    const names = (await sandbox.list()).filter((a) => a.id === first || a.id === second).map((a) => a.name);
    assert.notEqual(names[0], names[1]);
    await sandbox.runOk(['stop', first, '--force']);
    await sandbox.runOk(['stop', second, '--force']);
  });

  it('prints JSON for the host status and prunes exited agents', async () => {
    const status = JSON.parse(await sandbox.runOk(['server', '--status', '--json']));
    assert.equal(status.running, true);
    const pruned = JSON.parse(await sandbox.runOk(['prune', '--json']));
    assert.ok(pruned.removed.length >= 1);
    assert.ok((await sandbox.list()).every((a) => a.state !== 'exited'));
  });
});

async function waitForLog(sandbox: Sandbox, id: string, text: string): Promise<string> {
  // The log is a file the agent appends to; follow it through the CLI until the text shows up.
  for (let attempt = 0; attempt < 200; attempt++) {
    const log = await sandbox.runOk(['logs', id, '--plain']);
    if (log.includes(text)) return log;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`log of ${id} never showed ${text}`);
}
