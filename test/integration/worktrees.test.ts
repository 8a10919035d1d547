/**
 * Agents' worktrees through a real host: a met goal removes a clean worktree
 * once its agent exits; one holding work (an uncommitted file, an unpushed
 * commit, a live process) is kept and people are told once; `superkick
 * worktrees` shows why; `prune` removes only clean worktrees of exited agents;
 * `keep_worktrees` turns the automatic cleanup off; and a cleanup the host
 * was away for happens at its next start.
 *
 * Agents are created through the protocol, as the spawn pipeline does, with
 * `assignment.worktree` set and their process started in the worktree.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Host, Spawn, type AgentAssignment } from '../../server/src/protocol';
import { createWorktree, LocalRepositorySource } from '../../server/src/repository';
import { startDaemon } from '../../server/src/common/readyPipe';
import { isProcessAlive } from '../../server/src/common/processes';
import { AGENT_ENV } from '../../server/src/agent/agentEnv';
import { CLI, Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { openHostConnection } from '../helpers/hostConnection';
import { deadline, whenDirChanges } from '../helpers/waitFor';
import { fixGitEnvironment, git } from '../helpers/gitFixture';

fixGitEnvironment();


function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const untilIn = whenDirChanges;

const untilGone = (dir: string) => untilIn(path.dirname(dir), () => (fs.existsSync(dir) ? undefined : true), `${dir} to be removed`);
const occurrences = (text: string, part: string) => text.split(part).length - 1;

function untilProcessGone(pid: number): Promise<void> {
  return deadline(
    new Promise<void>((resolve) => {
      const check = () => (isProcessAlive(pid) ? setTimeout(check, 20) : resolve());
      check();
    }),
    `pid ${pid} to exit`,
  );
}

const GOALS = `goals:
  done:
    type: agent_signal
  done_keep:
    type: agent_signal
    on_met: keep
`;

describe('worktrees', () => {
  const sandbox = new Sandbox('skw');
  const project = path.join(sandbox.work, 'project');
  const keeping = path.join(sandbox.work, 'keeping');
  const worktreeRoot = path.join(sandbox.work, 'wt');
  const notified = path.join(sandbox.work, 'notified.log');
  const hostLog = path.join(sandbox.dir, 'logs', 'host.log');
  const started: number[] = [];
  let watch: HostWatch;
  let user: MessageConnection;
  let count = 0;

  /** A fresh worktree of `repo` on its own branch, as the spawn pipeline makes one. */
  async function newWorktree(repo = project): Promise<{ dir: string; branch: string }> {
    const branch = `agent-${++count}`;
    const made = await createWorktree({ repo: await new LocalRepositorySource(repo).resolve(), branch, dir: path.join(worktreeRoot, branch) });
    return { dir: made.dir, branch: made.branch };
  }

  /** Creates an agent working in `worktree` and starts its process there, as `superkick agent --headless` does. */
  async function startAgent(worktree: { dir: string; branch: string }, assignment: AgentAssignment, workspace = project): Promise<{ id: string; token: string }> {
    const created = await user.sendRequest(Host.CreateAgent.type, {
      command: 'sleep',
      args: ['600'],
      cwd: worktree.dir,
      name: path.basename(worktree.dir),
      driver: 'command',
      cols: 80,
      rows: 24,
      history: 100,
      record: false,
      workspace,
      mcp: false,
      assignment: { ...assignment, worktree: worktree.dir, branch: worktree.branch, repository: workspace, dispatchKey: `test:${worktree.branch}` },
    });
    const ready = await startDaemon([CLI, '__agent'], {
      cwd: worktree.dir,
      env: { ...sandbox.env, [AGENT_ENV.id]: created.id, [AGENT_ENV.token]: created.token, [AGENT_ENV.spec]: JSON.stringify(created.spec) },
    });
    assert.ok(ready.ok, `the agent process started (${ready.ok ? '' : ready.error})`);
    await watch.until(created.id, (r) => r.connected && (!assignment.goal || r.goal?.state === 'pending'), 'running');
    return { id: created.id, token: created.token };
  }

  async function rows(): Promise<Spawn.WorktreeRow[]> {
    return JSON.parse(await sandbox.runOk(['worktrees', '--json'])) as Spawn.WorktreeRow[];
  }

  /** Marks the goal met (its end, by default, stops the agent) and waits for the exit. */
  async function meetGoal(id: string): Promise<void> {
    await sandbox.runOk(['goal', 'met', id]);
    await watch.until(id, (r) => r.state === 'exited', 'stopped after its goal was met');
  }

  const untilKeptTold = (id: string) => untilIn(sandbox.work, () => (readOr(notified).includes(`worktree_kept:${id}`) ? readOr(notified) : undefined), `worktree_kept of ${id} to be notified`);

  before(async () => {
    for (const repo of [project, keeping]) {
      fs.mkdirSync(repo);
      git(repo, 'init', '--quiet');
      fs.writeFileSync(path.join(repo, 'README.md'), 'hello\n');
      git(repo, 'add', 'README.md');
      git(repo, 'commit', '--quiet', '-m', 'first');
    }
    fs.writeFileSync(
      path.join(project, 'superkick.yml'),
      `${GOALS}notifiers:\n  log:\n    type: command\n    events: [worktree_kept]\n    command: printf '%s\\n' "$SUPERKICK_EVENT_ID" >> ${notified}\n`,
    );
    fs.writeFileSync(path.join(keeping, 'superkick.yml'), `runtime:\n  type: local\n  keep_worktrees: true\n${GOALS}`);
    fs.mkdirSync(worktreeRoot);
    await sandbox.runOk(['trust', project]);
    await sandbox.runOk(['trust', keeping]);
    watch = await HostWatch.open(sandbox.dir);
    user = await openHostConnection(sandbox.dir, { client: 'test' }, (connection) => connection);
  });

  after(async () => {
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    watch?.close();
    user?.dispose();
    await sandbox.cleanup();
  });

  it('removes a clean worktree once its goal is met and its agent has exited', async () => {
    const worktree = await newWorktree();
    const { id } = await startAgent(worktree, { goal: 'done' });
    const [row] = (await rows()).filter((r) => r.agentId === id);
    assert.equal(row.exists, true);
    assert.equal(row.goalState, 'pending');
    assert.deepEqual(row.blockers.filter((b) => !/live process/.test(b)), [`agent ${id} is still running`]);
    await meetGoal(id);
    await untilGone(worktree.dir);
    const [after] = (await rows()).filter((r) => r.agentId === id);
    assert.equal(after.exists, false, 'the record keeps its assignment; the row says the folder is gone');
    assert.equal(after.goalState, 'met');
    assert.match(await sandbox.runOk(['worktrees']), new RegExp(`${worktree.branch}\\s+\\S+\\s+removed`));
    // The branch stays: its commits remain reachable.
    assert.equal(git(project, 'branch', '--list', worktree.branch).replace('*', '').trim(), worktree.branch);
  });

  it('keeps a worktree with an uncommitted file, tells people once, and shows why', async () => {
    const worktree = await newWorktree();
    const { id } = await startAgent(worktree, { goal: 'done' });
    fs.writeFileSync(path.join(worktree.dir, 'notes.txt'), 'work in progress\n');
    await meetGoal(id);
    await untilKeptTold(id);
    assert.ok(fs.existsSync(path.join(worktree.dir, 'notes.txt')));
    const [row] = (await rows()).filter((r) => r.agentId === id);
    assert.equal(row.uncommitted, 1);
    assert.deepEqual(row.blockers, ['1 uncommitted change(s): ?? notes.txt']);
    const table = await sandbox.runOk(['worktrees']);
    assert.match(table, /^AGENT\s+STATE\s+GOAL\s+BRANCH\s+DIR\s+STATUS$/m);
    assert.match(table, new RegExp(`\\(${id}\\)\\s+exited\\s+met\\s+${worktree.branch}\\s+.*1 uncommitted change\\(s\\): \\?\\? notes\\.txt`));
  });

  it('keeps a worktree with an unpushed commit', async () => {
    const worktree = await newWorktree();
    const { id } = await startAgent(worktree, { goal: 'done' });
    fs.writeFileSync(path.join(worktree.dir, 'fix.ts'), 'export {};\n');
    git(worktree.dir, 'add', 'fix.ts');
    git(worktree.dir, 'commit', '--quiet', '-m', 'the fix');
    await meetGoal(id);
    await untilKeptTold(id);
    const [row] = (await rows()).filter((r) => r.agentId === id);
    assert.equal(row.unpushed, 1);
    assert.equal(row.blockers.length, 1);
    assert.match(row.blockers[0], /^1 unpushed commit\(s\): [0-9a-f]+ the fix$/);
  });

  it('keeps a worktree with a live process inside', async () => {
    const worktree = await newWorktree();
    const { id } = await startAgent(worktree, { goal: 'done' });
    const server = spawn('sleep', ['600'], { cwd: worktree.dir, stdio: 'ignore' });
    started.push(server.pid!);
    try {
      await meetGoal(id);
      await untilKeptTold(id);
      const [row] = (await rows()).filter((r) => r.agentId === id);
      assert.equal(row.processes, 1);
      assert.deepEqual(row.blockers, [`1 live process(es) inside: ${server.pid} sleep`]);
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('prunes by hand: a dry run removes nothing; prune removes clean worktrees of exited agents and keeps the others', async () => {
    const clean = await newWorktree();
    const dirty = await newWorktree();
    const live = await newWorktree();
    // A failed goal never cleans up: a person should look first.
    const failed = await startAgent(clean, { goal: 'done' });
    await sandbox.runOk(['goal', 'fail', failed.id]);
    await sandbox.runOk(['stop', '--force', failed.id]);
    const plain = await startAgent(dirty, {});
    fs.writeFileSync(path.join(dirty.dir, 'scratch.txt'), 'x\n');
    await sandbox.runOk(['stop', '--force', plain.id]);
    const running = await startAgent(live, {});
    await watch.until(failed.id, (r) => r.state === 'exited' && !r.connected, 'exited');
    await watch.until(plain.id, (r) => r.state === 'exited' && !r.connected, 'exited');
    await untilProcessGone((await sandbox.agent(failed.id)).pid!);
    await untilProcessGone((await sandbox.agent(plain.id)).pid!);

    // An agent sees only its own worktree, and may not prune.
    const asAgent = await openHostConnection(sandbox.dir, { client: 'test-agent', token: running.token }, (connection) => connection);
    try {
      const own = await asAgent.sendRequest(Spawn.ListWorktrees.type, {});
      assert.deepEqual(own.worktrees.map((r) => r.agentId), [running.id]);
      await assert.rejects(asAgent.sendRequest(Spawn.PruneWorktrees.type, {}), /an agent token may not do this/);
    } finally {
      asAgent.dispose();
    }

    const mine = (result: Spawn.PruneWorktrees.Result) => ({
      removed: result.removed.map((r) => r.agentId).filter((a) => [failed.id, plain.id, running.id].includes(a!)),
      kept: result.kept.filter((r) => [failed.id, plain.id, running.id].includes(r.agentId!)),
    });
    const dry = mine(JSON.parse(await sandbox.runOk(['worktrees', 'prune', '--dry-run', '--json'])));
    assert.deepEqual(dry.removed, [failed.id]);
    assert.deepEqual(dry.kept.map((r) => [r.agentId, r.blockers[0]]), [
      [plain.id, '1 uncommitted change(s): ?? scratch.txt'],
      [running.id, `agent ${running.id} is still running`],
    ]);
    assert.ok(fs.existsSync(clean.dir), 'a dry run removes nothing');
    assert.match((await sandbox.runOk(['worktrees', 'prune', '--dry-run', '--agent', failed.id])).trim(), new RegExp(`^would remove ${clean.dir} \\(agent ${failed.id}\\)$`));

    const refused = await sandbox.run(['worktrees', 'prune', '--agent', 'no-such-agent']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /no agent named no-such-agent/);

    const text = await sandbox.runOk(['worktrees', 'prune']);
    assert.match(text, new RegExp(`^removed ${clean.dir} \\(agent ${failed.id}\\)$`, 'm'));
    assert.match(text, new RegExp(`^kept ${dirty.dir} \\(agent ${plain.id}\\):\\n  - 1 uncommitted change\\(s\\): \\?\\? scratch\\.txt$`, 'm'));
    assert.equal(fs.existsSync(clean.dir), false);
    assert.ok(fs.existsSync(path.join(dirty.dir, 'scratch.txt')));
    assert.ok(fs.existsSync(live.dir));
    await sandbox.runOk(['stop', '--force', running.id]);
  });

  it('leaves worktrees alone when the runtime says keep_worktrees, and a person can still prune them', async () => {
    const worktree = await newWorktree(keeping);
    const { id } = await startAgent(worktree, { goal: 'done' }, keeping);
    await meetGoal(id);
    await untilIn(path.dirname(hostLog), () => (readOr(hostLog).includes(`worktree ${worktree.dir} of agent ${id} kept: the workspace's runtime has keep_worktrees: true`) ? true : undefined), 'the cleanup to be skipped');
    assert.ok(fs.existsSync(worktree.dir));
    await untilProcessGone((await sandbox.agent(id)).pid!);
    const result = JSON.parse(await sandbox.runOk(['worktrees', 'prune', '--agent', id, '--json'])) as Spawn.PruneWorktrees.Result;
    assert.deepEqual(result.removed.map((r) => r.agentId), [id]);
    assert.equal(fs.existsSync(worktree.dir), false);
  });

  it('cleans up at the next start what a met goal left while the host was away, and does not tell a kept worktree twice', async () => {
    const clean = await newWorktree();
    const dirty = await newWorktree();
    const gone = await startAgent(clean, { goal: 'done_keep' });
    const held = await startAgent(dirty, { goal: 'done' });
    fs.writeFileSync(path.join(dirty.dir, 'draft.md'), 'x\n');
    await meetGoal(held.id);
    await untilKeptTold(held.id);
    // on_met: keep, so the agent runs on after its goal is met; the host goes before the agent does.
    await sandbox.runOk(['goal', 'met', gone.id]);
    await watch.until(gone.id, (r) => r.goal?.state === 'met', 'its goal met');
    const agent = await sandbox.agent(gone.id);
    watch.close();
    user.dispose();
    await sandbox.killHost();
    process.kill(agent.childPid!, 'SIGKILL');
    await untilProcessGone(agent.pid!);
    assert.ok(fs.existsSync(clean.dir));

    await sandbox.runOk(['list']); // starts the host again
    watch = await HostWatch.open(sandbox.dir);
    user = await openHostConnection(sandbox.dir, { client: 'test' }, (connection) => connection);
    await untilGone(clean.dir);
    assert.equal((await sandbox.agent(gone.id)).state, 'exited');
    // The restarted host looked at the kept one again and found it still held.
    await untilIn(path.dirname(hostLog), () => (occurrences(readOr(hostLog), `worktree ${dirty.dir} of agent ${held.id} kept after its goal was met`) === 2 ? true : undefined), 'the kept worktree to be checked again');
    await rows();
    assert.equal(occurrences(readOr(notified), `worktree_kept:${held.id}`), 1, 'people were told once');
    assert.ok(fs.existsSync(dirty.dir));
  });
});
