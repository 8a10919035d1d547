/**
 * The host dies and comes back; two hosts race; garbage, oversized frames and
 * corrupt state. Agents survive all of it, and nothing is lost.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { TestViewer } from '../helpers/testViewer';
import { connectSocket } from '../helpers/hostConnection';
import { whenEvent, deadline, exitOf } from '../helpers/waitFor';
import { Host } from '../../server/src/protocol';
import { rpcOverSocket } from '../../server/src/common/rpcConnection';

async function resolveAgent(sandbox: Sandbox, id: string): Promise<Host.ResolveAgent.Result> {
  const watch = await HostWatch.open(sandbox.dir);
  try {
    return await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
  } finally {
    watch.close();
  }
}

describe('host restart', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());

  it('after kill -9 of the host, a new host finds live agents and marks dead ones exited with their code', async () => {
    const survivor = await sandbox.startAgent(['bash', '--norc', '--noprofile'], ['--name', 'survivor']);
    const quitter = await sandbox.startAgent(['sh', '-c', 'read x; exit 4'], ['--name', 'quitter']);
    const victim = await sandbox.startAgent(['sleep', '600'], ['--name', 'victim']);
    const quitterAttach = await resolveAgent(sandbox, quitter);
    const victimRecord = await sandbox.agent(victim);

    await sandbox.killHost();
    assert.ok(fs.existsSync(path.join(sandbox.dir, 'run', 'host.sock')), 'the dead host left its socket behind');

    // While the host is away: one agent's program exits, another agent process is killed outright.
    const viewer = await TestViewer.connect(quitterAttach.record.attachSocket!, quitterAttach.attachToken!);
    viewer.type('x\r');
    assert.equal((await viewer.untilExit()).exitCode, 4);
    process.kill(victimRecord.childPid!, 'SIGKILL');
    process.kill(victimRecord.pid!, 'SIGKILL');
    await viewer.until(() => (viewer.closed ? true : undefined), 'the quitter to close its socket');

    // Any command brings a new host up; the stale socket does not stop it.
    await sandbox.runOk(['list']);
    const watch = await HostWatch.open(sandbox.dir);
    try {
      const back = await watch.until(survivor, (r) => r.connected, 'survivor re-registers');
      assert.equal(back.state, 'working');
      const quit = await watch.until(quitter, (r) => r.state === 'exited', 'quitter marked exited');
      assert.equal(quit.exitCode, 4);
      const dead = await watch.until(victim, (r) => r.state === 'exited', 'victim marked exited');
      assert.equal(dead.exitCode, null, 'an agent killed with the host away has no known exit code');
    } finally {
      watch.close();
    }
    // The survivor still works end to end.
    await sandbox.runOk(['inject', 'survivor', 'exit 9']);
    const stopped = JSON.parse(await sandbox.runOk(['stop', survivor, '--json']));
    assert.equal(stopped.exitCode, 9);
  });

  it('lets exactly one of two racing hosts run', async () => {
    await sandbox.runOk(['server', '--stop']);
    const a = sandbox.spawn(['server']);
    const b = sandbox.spawn(['server']);
    let stderr = '';
    let stdout = '';
    for (const child of [a, b]) child.stderr!.on('data', (chunk) => (stderr += chunk));
    const listening = whenEvent(
      (listener) => {
        for (const child of [a, b]) child.stdout!.on('data', (chunk) => ((stdout += chunk), listener()));
        return () => undefined;
      },
      () => (stdout.includes('listening on') ? true : undefined),
      'the winning host to listen',
    );
    const [loser, winner] = await deadline(
      new Promise<[number, typeof a]>((resolve) => {
        a.once('exit', (code) => resolve([code ?? -1, b]));
        b.once('exit', (code) => resolve([code ?? -1, a]));
      }),
      'one racing host to give up',
    );
    assert.equal(loser, 2);
    assert.match(stderr, /already running/);
    // Losing is quick; the winner may still be loading its configuration.
    await listening;
    const status = JSON.parse(await sandbox.runOk(['server', '--status', '--json']));
    assert.equal(status.pid, winner.pid);
    await sandbox.runOk(['server', '--stop']);
    assert.equal(await exitOf(winner), 0);
  });

  it('moves a corrupt state file aside, logs why, and starts', async () => {
    const state = path.join(sandbox.dir, 'state', 'agents.json');
    fs.writeFileSync(state, '{"version": 1, "agents": [ {broken');
    const list = await sandbox.runOk(['list', '--json']);
    assert.deepEqual(JSON.parse(list), []);
    const aside = fs.readdirSync(path.dirname(state)).filter((name) => name.startsWith('agents.json.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(fs.readFileSync(path.join(path.dirname(state), aside[0]), 'utf8'), '{"version": 1, "agents": [ {broken');
    assert.match(fs.readFileSync(path.join(sandbox.dir, 'logs', 'host.log'), 'utf8'), /ERROR .*state file .* is corrupt/);
  });
});

describe('bad input on the sockets', () => {
  const sandbox = new Sandbox();
  before(() => sandbox.runOk(['list']));
  after(() => sandbox.cleanup());

  const closed = (socket: net.Socket) => deadline(new Promise<void>((resolve) => socket.once('close', () => resolve())), 'the connection to close');

  it('closes a host connection that sends garbage, and keeps serving', async () => {
    const socket = await connectSocket(path.join(sandbox.dir, 'run', 'host.sock'));
    socket.on('error', () => undefined);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed(socket);
    assert.match(fs.readFileSync(path.join(sandbox.dir, 'logs', 'host.log'), 'utf8'), /ERROR .*closing connection: malformed message header/);
    assert.deepEqual(JSON.parse(await sandbox.runOk(['list', '--json'])), []);
  });

  it('closes a host connection that announces an oversized message', async () => {
    const socket = await connectSocket(path.join(sandbox.dir, 'run', 'host.sock'));
    socket.on('error', () => undefined);
    socket.write('Content-Length: 999999999\r\n\r\n{"jsonrpc":"2.0"');
    await closed(socket);
    assert.match(fs.readFileSync(path.join(sandbox.dir, 'logs', 'host.log'), 'utf8'), /exceeds the limit/);
    await sandbox.runOk(['list']);
  });

  it('closes a host connection with invalid JSON in a valid frame', async () => {
    const socket = await connectSocket(path.join(sandbox.dir, 'run', 'host.sock'));
    socket.on('error', () => undefined);
    const body = '{this is not json';
    socket.write(`Content-Length: ${body.length}\r\n\r\n${body}`);
    await closed(socket);
    await sandbox.runOk(['list']);
  });

  it('closes an attach connection that sends garbage or an oversized frame; the agent is unaffected', async () => {
    const id = await sandbox.startAgent(['bash', '--norc', '--noprofile']);
    const record = await sandbox.agent(id);
    const garbage = await connectSocket(record.attachSocket!);
    garbage.on('error', () => undefined);
    garbage.write(Buffer.from([0xff, 0, 0, 0, 1, 0x41]));
    await closed(garbage);
    const huge = await connectSocket(record.attachSocket!);
    huge.on('error', () => undefined);
    const header = Buffer.alloc(5);
    header.writeUInt8(1, 0);
    header.writeUInt32BE(512 * 1024 * 1024, 1);
    huge.write(header);
    await closed(huge);
    const agentLog = fs.readFileSync(path.join(sandbox.dir, 'logs', 'agents', `${id}.agent.log`), 'utf8');
    assert.match(agentLog, /unknown attach frame type 255/);
    assert.match(agentLog, /exceeds the limit/);
    await sandbox.runOk(['inject', id, 'exit 6']);
    const stopped = JSON.parse(await sandbox.runOk(['stop', id, '--json']));
    assert.equal(stopped.exitCode, 6);
  });
});

describe('socket security', () => {
  it('refuses a run directory with group/other access, saying why', async () => {
    const sandbox = new Sandbox();
    try {
      fs.mkdirSync(path.join(sandbox.dir, 'run'), { recursive: true, mode: 0o755 });
      fs.chmodSync(path.join(sandbox.dir, 'run'), 0o755);
      const result = await sandbox.run(['list']);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /run has mode 755, which lets group\/other in; refusing to use it\. Run: chmod 700/);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('keeps sockets 0600 and directories 0700 even under umask 000', async () => {
    const sandbox = new Sandbox();
    try {
      const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
      const id = execFileSync('sh', ['-c', `umask 000; exec "${process.execPath}" "${cli}" agent --headless -- sleep 600`], { env: sandbox.env, cwd: sandbox.work }).toString().trim();
      const mode = (file: string) => (fs.statSync(path.join(sandbox.dir, file)).mode & 0o777).toString(8);
      assert.equal(mode('run'), '700');
      assert.equal(mode('run/host.sock'), '600');
      assert.equal(mode(`run/agents/${id}.sock`), '600');
      assert.equal(mode('auth'), '700');
      assert.equal(mode('auth/client.token'), '600');
      assert.equal(mode('auth/host.key'), '600');
      for (const dir of ['state', 'logs', 'logs/agents']) assert.equal(mode(dir), '755', `${dir} is not writable by others`);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('rejects a wrong token with a clear error and closes the connection', async () => {
    const sandbox = new Sandbox();
    try {
      await sandbox.runOk(['list']);
      await assert.rejects(HostWatch.open(sandbox.dir, 'not-the-token'), /wrong token/);
      await assert.rejects(HostWatch.open(sandbox.dir, ''), /no token/);
      // And the host hangs up.
      const socket = net.createConnection(path.join(sandbox.dir, 'run', 'host.sock'));
      socket.on('error', () => undefined);
      const hungUp = deadline(new Promise<void>((resolve) => socket.once('close', () => resolve())), 'the host to close the connection');
      const connection = rpcOverSocket(socket, { guard: false });
      connection.listen();
      await assert.rejects(connection.sendRequest(Host.Authenticate.type, { token: 'forged', client: 'test' }), /wrong token/);
      await hungUp;
      assert.match(fs.readFileSync(path.join(sandbox.dir, 'logs', 'host.log'), 'utf8'), /rejected a connection .*wrong token/);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('lets an agent token act only on its own agent', async () => {
    const sandbox = new Sandbox();
    try {
      const mine = await sandbox.startAgent(['sleep', '600'], ['--name', 'mine']);
      const other = await sandbox.startAgent(['sleep', '600'], ['--name', 'other']);
      const token = (await resolveAgent(sandbox, mine)).attachToken!;
      const asAgent = await HostWatch.open(sandbox.dir, token);
      try {
        const visible = await asAgent.connection.sendRequest(Host.ListAgents.type, {});
        assert.deepEqual(visible.map((a) => a.id), [mine]);
        await assert.rejects(asAgent.connection.sendRequest(Host.InjectAgent.type, { agent: other, text: 'x', submit: true }), /no agent named/);
        await assert.rejects(
          asAgent.connection.sendRequest(Host.CreateAgent.type, { command: 'sh', args: [], cwd: '/', name: 'x', driver: 'command', cols: 80, rows: 24, history: 10, record: false }),
          /an agent token may not do this/,
        );
        const injected = await asAgent.connection.sendRequest(Host.InjectAgent.type, { agent: mine, text: 'x', submit: false });
        assert.equal(injected.id, mine);
      } finally {
        asAgent.close();
      }
      // The program inside the agent is handed its own token.
      const env = fs.readFileSync(`/proc/${(await sandbox.agent(mine)).childPid}/environ`, 'utf8').split('\0');
      assert.ok(env.includes(`SUPERKICK_AGENT_TOKEN=${token}`));
      assert.ok(env.includes(`SUPERKICK_AGENT_ID=${mine}`));
      assert.ok(!env.some((entry) => entry.startsWith('SUPERKICK_AGENT_SPEC=')));
      // The agent process's own malloc tuning is not passed on to the program.
      assert.ok(!env.some((entry) => entry.startsWith('MALLOC_ARENA_MAX=') || entry.startsWith('SUPERKICK_SET_MALLOC')));
      const agentEnv = fs.readFileSync(`/proc/${(await sandbox.agent(mine)).pid}/environ`, 'utf8').split('\0');
      assert.ok(agentEnv.includes('MALLOC_ARENA_MAX=2'));
    } finally {
      await sandbox.cleanup();
    }
  });
});
