/**
 * Webhook intake against GitHub-shaped deliveries: with every poll an hour
 * apart, a signed `issues` delivery starts the labelled issue's agent at once,
 * and `pull_request` and `check_run` deliveries bring its pull request's
 * failing CI to it at once; the same delivery twice is taken once; unsigned,
 * forged, malformed and misaddressed deliveries are refused with clear
 * statuses and change nothing, and the host carries on; a bad edit of
 * `server.webhooks` changes nothing, a new secret takes over; an `issues`
 * closed delivery meets the agent's issue goal at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { SpawnWatch } from '../helpers/spawnWatch';
import { HostWatch } from '../helpers/hostWatch';
import { ConfigWatch } from '../helpers/configWatch';
import { fixGitEnvironment } from '../helpers/gitFixture';
import { whenDirChanges } from '../helpers/waitFor';
import type { AgentRecord, Spawn } from '../../server/src/protocol';
import { WebhookSender, type FakeGithubServer } from '../fakes/github';
import { fakeGithubWithApp, githubConnection, initProject, untilLogShows } from '../helpers/githubProject';

fixGitEnvironment();

const SECRET = 'hook-secret-42';

describe('github webhooks', () => {
  const sandbox = new Sandbox('skgw');
  const project = path.join(sandbox.work, 'app');
  let github: FakeGithubServer;
  let spawns: SpawnWatch;
  let agents: HostWatch;
  let receiver: string;
  let hooks: WebhookSender;
  const key = 'github-issue-acme/app-1';
  const issuePolls = async () => (JSON.parse(await sandbox.runOk(['spawners', '--json'])) as Spawn.SpawnerStatus[]).find((s) => s.name === 'issues')!.polls;

  before(async () => {
    github = await fakeGithubWithApp({ bo: 'write' });
    initProject(project);
    const connection = githubConnection(github, 3600);
    fs.mkdirSync(sandbox.dir, { recursive: true });
    fs.writeFileSync(path.join(sandbox.dir, 'config.yml'), `server:\n  webhooks:\n    listen: 127.0.0.1:0\n    secrets:\n      github: ${SECRET}\n`);
    fs.writeFileSync(
      path.join(project, 'superkick.yml'),
      `agents:\n  driver: command\n  command: sh\n  args: ["-c", "echo ready; exec cat"]\nrepositories:\n  app:\n    path: .\ngoals:\n  closed:\n    type: github_issue\n${connection}monitors:\n  pr:\n    type: github\n    repository: acme/app\n${connection}spawners:\n  issues:\n    type: github_issue\n    repos: [acme/app]\n    repository: app\n    goal: closed\n${connection}`,
    );
    await sandbox.runOk(['trust', project], { cwd: project });
    spawns = await SpawnWatch.open(sandbox.dir);
    agents = await HostWatch.open(sandbox.dir);
    const addressFile = path.join(sandbox.dir, 'run', 'webhooks.json');
    receiver = await whenDirChanges(path.dirname(addressFile), () => (fs.existsSync(addressFile) ? (JSON.parse(fs.readFileSync(addressFile, 'utf8')) as { services: Record<string, string> }).services.github : undefined), 'the receiver listening');
    hooks = new WebhookSender(github, () => receiver, SECRET);
    // The spawner's first poll (at start) has happened: the next one is an hour away.
    await github.log.waitFor((entry) => entry.path.startsWith('/repos/acme/app/issues?'), 'the first poll of the issues');
  });
  after(async () => {
    spawns?.close();
    agents?.close();
    await sandbox.cleanup();
    await github?.stop();
  });

  it('refuses unsigned, forged, malformed and misaddressed deliveries, and takes a ping', async () => {
    const ping = hooks.ping('acme/app');
    assert.equal((await hooks.deliver('ping', ping)).status, 202);
    const unsigned = await hooks.deliver('issues', ping, { signWith: null });
    assert.equal(unsigned.status, 401);
    assert.equal((await hooks.deliver('issues', ping, { signWith: 'guessed' })).status, 401);
    const malformed = await hooks.deliver('issues', ping, { rawBody: '{"action": "opened", ' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body, /unreadable payload/);
    assert.equal((await fetch(receiver.replace(/github$/, 'slack'), { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(receiver)).status, 405);
    assert.equal((await hooks.deliver('ping', ping)).status, 202, 'still taking deliveries');
    assert.equal(github.log.entries.filter((entry) => entry.path.startsWith('/repos/acme/app/issues?')).length, 1, 'none of them made the spawner look');
  });

  it('starts the agent of an issue labelled between polls as soon as its delivery arrives', async () => {
    github.state.openIssue('acme/app', { title: 'Crash on save', body: 'It crashes.', author: 'bo', labels: ['superkick'] });
    const delivery = await hooks.deliver('issues', hooks.issues('acme/app', 1, 'labeled', 'bo'));
    assert.equal(delivery.status, 202);
    assert.match(delivery.body, /"accepted"/);
    await spawns.until(key, (d) => d.state === 'running', 'running');
    assert.equal(await issuePolls(), 2, 'the start-up poll, and the one the delivery woke (the next scheduled one is an hour away)');

    // GitHub retries, or someone presses Redeliver: same GUID, taken once.
    const again = await hooks.deliver('issues', hooks.issues('acme/app', 1, 'labeled', 'bo'), { id: delivery.id });
    assert.equal(again.status, 200);
    assert.match(again.body, /"duplicate"/);
    // A new delivery about the same issue wakes a poll that finds the same work: still one agent.
    const requests = github.log.entries.length;
    assert.equal((await hooks.deliver('issues', hooks.issues('acme/app', 1, 'edited', 'bo'))).status, 202);
    await github.log.waitFor((entry) => entry.path.startsWith('/repos/acme/app/issues?'), 'the poll the edit woke', requests);
    assert.equal((await agentsOf()).length, 1);
    const dispatches = JSON.parse(await sandbox.runOk(['dispatches', '--json'])) as Array<{ key: string }>;
    assert.equal(dispatches.filter((d) => d.key === key).length, 1);
  });

  it("brings the agent's pull request and its failing CI to it as soon as the deliveries arrive", async () => {
    const [agent] = await agentsOf();
    const pull = github.state.openPullRequest('acme/app', { title: 'Fix the crash', author: 'superkick-bot', head: { ref: agent.assignment.branch! } });
    const head = pull.pull.head.sha;
    const run = github.state.createCheckRun('acme/app', { headSha: head, name: 'test', status: 'in_progress' });
    assert.equal((await hooks.deliver('pull_request', hooks.pullRequest('acme/app', pull.number, 'opened', 'superkick-bot'))).status, 202);
    // The probe finds the pull request, and the first poll takes what is there as the starting point.
    await github.log.waitFor((entry) => entry.path.startsWith(`/repos/acme/app/commits/${head}/check-runs`), 'the first poll of the new pull request');
    github.state.finishCheckRun('acme/app', run.id, 'failure', { output: { title: '1 test failed' }, log: 'FAIL save.test.ts\nTypeError: cannot read properties of undefined\n' });
    assert.equal((await hooks.deliver('check_run', hooks.checkRun('acme/app', run.id, 'completed'))).status, 202);
    const log = await untilLogShows(sandbox, agent.id, 'TypeError: cannot read properties', 'the CI failure typed in');
    assert.match(log, new RegExp(`CI failed on your pull request #${pull.number}`));
  });

  it('follows its settings in config.yml: a bad edit leaves it as it was, a new secret takes over from the old', async () => {
    const userConfig = path.join(sandbox.dir, 'config.yml');
    const addressFile = path.join(sandbox.dir, 'run', 'webhooks.json');
    const config = await ConfigWatch.open(sandbox.dir);
    try {
      const rejected = config.next(null, (change) => !change.status.ok, 'the bad edit rejected');
      fs.writeFileSync(userConfig, `server:\n  webhooks:\n    listen: somewhere\n    secrets:\n      github: other\n`);
      await rejected;
      assert.equal((await hooks.deliver('ping', hooks.ping('acme/app'))).status, 202, 'still taking deliveries signed with the last good secret');

      // The receiver starts again with the new secret: its address file is written anew.
      const address = () => JSON.parse(fs.readFileSync(addressFile, 'utf8')) as { services: Record<string, string>; since: string };
      const before = address().since;
      fs.writeFileSync(userConfig, `server:\n  webhooks:\n    listen: 127.0.0.1:0\n    secrets:\n      github: rotated\n`);
      receiver = await whenDirChanges(path.dirname(addressFile), () => {
        try {
          const now = address();
          return now.since === before ? undefined : now.services.github;
        } catch {
          return undefined; // between the old file's removal and the new one
        }
      }, 'the receiver listening with the new secret');
      assert.equal((await hooks.deliver('ping', hooks.ping('acme/app'))).status, 401, 'the old secret no longer signs');
      assert.equal((await hooks.deliver('ping', hooks.ping('acme/app'), { signWith: 'rotated' })).status, 202);
    } finally {
      config.close();
    }
  });

  it("meets the agent's issue goal as soon as the delivery of its closing arrives", async () => {
    const [agent] = await agentsOf();
    assert.equal(agent.goal?.state, 'pending');
    github.state.closeIssue('acme/app', 1, { by: 'bo' });
    assert.equal((await hooks.deliver('issues', hooks.issues('acme/app', 1, 'closed', 'bo'), { signWith: 'rotated' })).status, 202);
    const done = await agents.until(agent.id, (r) => r.state === 'exited', 'stopped once its issue was closed (the next look was an hour away)');
    assert.equal(done.goal?.state, 'met');
  });

  async function agentsOf(): Promise<AgentRecord[]> {
    return (JSON.parse(await sandbox.runOk(['list', '--json'])) as AgentRecord[]).filter((a) => a.assignment.dispatchKey === key);
  }
});
