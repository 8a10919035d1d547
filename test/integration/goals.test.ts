/**
 * Goals end to end with a real host: an agent_exit goal decided by the exit
 * code, a command goal polled until it passes (and the agent stopped as
 * on_met says), a person deciding by hand, max_duration stopping an agent,
 * clear errors for a goal that does not exist or is held back, and a pending
 * goal that is decided after a host restart.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';

const CONFIG = `goals:
  exits:
    type: agent_exit
  flag:
    type: command
    command: test -f done.flag
    poll_interval: 1
  flag_keep:
    type: command
    command: test -f kept.flag
    poll_interval: 1
    on_met: keep
`;

describe('goals', () => {
  const sandbox = new Sandbox();
  const project = path.join(sandbox.work, 'project');
  let watch: HostWatch;
  /** Waits for a line on stdin and exits with it as the exit code. */
  const exitWith = ['sh', '-c', 'read code; exit $code'];
  const start = (command: string[], flags: string[]) => sandbox.startAgent(command, ['--cwd', project, ...flags]);

  before(async () => {
    fs.mkdirSync(project);
    fs.mkdirSync(path.join(project, '.git'));
    fs.writeFileSync(path.join(project, 'superkick.yml'), CONFIG);
    await sandbox.runOk(['trust', project]);
    watch = await HostWatch.open(sandbox.dir);
  });
  after(async () => {
    watch?.close();
    await sandbox.cleanup();
  });

  it('decides an agent_exit goal by the exit code', async () => {
    const ok = await start(exitWith, ['--goal', 'exits']);
    const bad = await start(exitWith, ['--goal', 'exits']);
    assert.equal((await watch.until(ok, (r) => r.goal !== null, 'a pending goal')).goal?.state, 'pending');
    await sandbox.runOk(['inject', '--now', ok, '0']);
    await sandbox.runOk(['inject', '--now', bad, '3']);
    const met = await watch.until(ok, (r) => r.goal?.state !== 'pending', 'its goal decided');
    assert.equal(met.goal?.state, 'met');
    assert.equal(met.goal?.decidedBy, 'exit');
    const failed = await watch.until(bad, (r) => r.goal?.state !== 'pending', 'its goal decided');
    assert.equal(failed.goal?.state, 'failed');
    assert.match(failed.goal?.summary ?? '', /exited with code 3/);
  });

  it('polls a command goal until it passes, then stops the agent (on_met: stop)', async () => {
    const id = await start(['sleep', '600'], ['--goal', 'flag']);
    await watch.until(id, (r) => r.goal?.state === 'pending', 'a pending goal');
    fs.writeFileSync(path.join(project, 'done.flag'), '');
    const done = await watch.until(id, (r) => r.state === 'exited', 'stopped after its goal was met');
    assert.equal(done.goal?.state, 'met');
    assert.equal(done.goal?.decidedBy, 'command');
    const status = JSON.parse(await sandbox.runOk(['goal', 'status', id, '--json']));
    assert.equal(status[0].goal.state, 'met');
  });

  it('keeps the agent running when on_met is keep', async () => {
    const id = await start(['sleep', '600'], ['--goal', 'flag_keep']);
    await watch.until(id, (r) => r.goal?.state === 'pending', 'a pending goal');
    fs.writeFileSync(path.join(project, 'kept.flag'), '');
    await watch.until(id, (r) => r.goal?.state === 'met', 'its goal met');
    assert.notEqual((await sandbox.agent(id)).state, 'exited');
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('lets a person decide, and refuses to decide twice', async () => {
    const id = await start(['sleep', '600'], ['--goal', 'exits']);
    await watch.until(id, (r) => r.goal?.state === 'pending', 'a pending goal');
    await sandbox.runOk(['goal', 'fail', id, 'wrong', 'approach']);
    const failed = await watch.until(id, (r) => r.goal?.state === 'failed', 'failed by a person');
    assert.equal(failed.goal?.decidedBy, 'person');
    assert.equal(failed.goal?.summary, 'wrong approach');
    // on_failed defaults to keep: a person can look at it.
    assert.notEqual((await sandbox.agent(id)).state, 'exited');
    const again = await sandbox.run(['goal', 'met', id]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already failed \(decided by person\)/);
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('stops an agent that runs past its max_duration and fails its goal', async () => {
    const id = await start(['sleep', '600'], ['--goal', 'exits', '--max-duration', '1']);
    const stopped = await watch.until(id, (r) => r.state === 'exited', 'stopped at its max_duration');
    assert.equal(stopped.goal?.state, 'failed');
    assert.equal(stopped.goal?.decidedBy, 'timeout');
  });

  it('refuses a goal that does not exist, naming the ones that do', async () => {
    const result = await sandbox.run(['agent', '--headless', '--cwd', project, '--goal', 'flg', '--', 'sleep', '1']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no goal named "flg" in .*; goals: exits, flag, flag_keep/);
  });

  it('refuses a command goal held back until the workspace is trusted', async () => {
    const untrusted = path.join(sandbox.work, 'untrusted');
    fs.mkdirSync(untrusted);
    fs.writeFileSync(path.join(untrusted, 'superkick.yml'), CONFIG);
    const result = await sandbox.run(['agent', '--headless', '--cwd', untrusted, '--goal', 'flag', '--', 'sleep', '1']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /goal "flag" is held back: .*superkick trust/);
  });

  it('decides a pending goal after a host restart', async () => {
    fs.rmSync(path.join(project, 'done.flag'), { force: true });
    const id = await start(['sleep', '600'], ['--goal', 'flag']);
    await watch.until(id, (r) => r.goal?.state === 'pending', 'a pending goal');
    watch.close();
    await sandbox.killHost();
    fs.writeFileSync(path.join(project, 'done.flag'), '');
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
    const done = await watch.until(id, (r) => r.state === 'exited', 'stopped after its goal was met, by the new host');
    assert.equal(done.goal?.state, 'met');
  });
});
