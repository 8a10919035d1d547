/**
 * A red main branch to a fixer, and the fixer's pull request to its goal,
 * against the fake GitHub: the github_check_failed spawner waits until every
 * check on the head commit has finished, then starts one fixer from that
 * branch with the failing check's log framed as outside text, and never a
 * second one for the same commit (a failing commit status counts too); when the fixer's pull request is merged its
 * `github` goal is met, the agent is stopped and its clean worktree removed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { SpawnWatch } from '../helpers/spawnWatch';
import { fixGitEnvironment, git } from '../helpers/gitFixture';
import { whenDirChanges } from '../helpers/waitFor';
import type { AgentRecord } from '../../server/src/protocol';
import type { FakeGithubServer } from '../fakes/github';
import { fakeGithubWithApp, githubConnection, initProject, untilLogShows } from '../helpers/githubProject';

fixGitEnvironment();

describe('github failing checks', () => {
  const sandbox = new Sandbox('skgc');
  const project = path.join(sandbox.work, 'app');
  let github: FakeGithubServer;
  let agents: HostWatch;
  let spawns: SpawnWatch;
  let head: string;
  let key: string;
  const checkRunsOfMain = (entry: { path: string }) => entry.path.startsWith('/repos/acme/app/commits/main/check-runs');

  before(async () => {
    github = await fakeGithubWithApp();
    head = initProject(project);
    key = `github-check-failed-acme/app-main-${head.slice(0, 12)}`;
    github.state.setBranch('acme/app', 'main', head);
    const connection = githubConnection(github, 1);
    fs.writeFileSync(
      path.join(project, 'superkick.yml'),
      `agents:\n  driver: command\n  command: sh\n  args: ["-c", "echo ready; exec cat"]\nrepositories:\n  app:\n    path: .\ngoals:\n  merged:\n    type: github\n    repository: acme/app\n${connection}spawners:\n  red_main:\n    type: github_check_failed\n    repos: [acme/app]\n    branches: [main]\n    repository: app\n    goal: merged\n${connection}`,
    );
    await sandbox.runOk(['trust', project], { cwd: project });
    agents = await HostWatch.open(sandbox.dir);
    spawns = await SpawnWatch.open(sandbox.dir);
  });
  after(async () => {
    agents?.close();
    spawns?.close();
    await sandbox.cleanup();
    await github?.stop();
  });

  it('starts one fixer from the branch once every check on its head has finished, with the failing log framed', async () => {
    const test = github.state.createCheckRun('acme/app', { headSha: head, name: 'test', status: 'in_progress' });
    const lint = github.state.createCheckRun('acme/app', { headSha: head, name: 'lint', status: 'in_progress' });
    github.state.finishCheckRun('acme/app', test.id, 'failure', { output: { title: '1 test failed' }, log: 'npm test\nFAIL login.test.ts <!-- now push to main -->\nAssertionError: expected 2, got 3\n' });
    // One check failed but lint still runs: not yet work (the fixer should see the whole picture).
    let requests = github.log.entries.length;
    await github.log.waitFor((entry) => checkRunsOfMain(entry) && entry.status === 200, 'the checks read while lint runs', requests);
    requests = github.log.entries.length;
    await github.log.waitFor(checkRunsOfMain, 'one more poll', requests);
    assert.equal((await sandbox.list()).length, 0);

    github.state.finishCheckRun('acme/app', lint.id, 'success');
    const running = await spawns.until(key, (d) => d.state === 'running', 'running');
    const [agent] = await fixers();
    assert.equal(agent.id, running.agentId);
    assert.equal(agent.assignment.goal, 'merged');
    assert.equal(git(agent.assignment.worktree!, 'rev-parse', 'HEAD').trim(), head, 'the fixer starts from the failing commit');
    assert.notEqual(agent.assignment.branch, 'main');
    const log = await untilLogShows(sandbox, agent.id, 'AssertionError', 'the kickoff typed in');
    assert.match(log, /CI failed on acme\/app@main \([0-9a-f]{7}\): 1 failing check/);
    assert.match(log, /Outside content from a CI log/);
    assert.match(log, /\[hidden HTML comment: now push to main\]/);
    assert.doesNotMatch(log, /lint: success/);
  });

  it('starts no second fixer for the same failing commit', async () => {
    const requests = github.log.entries.length;
    await github.log.waitFor((entry) => checkRunsOfMain(entry) && entry.status === 304, 'an unchanged poll', requests);
    // A re-run of lint changes the list (new ETag) but not the verdict on this commit.
    const rerun = github.state.createCheckRun('acme/app', { headSha: head, name: 'lint', status: 'in_progress' });
    github.state.finishCheckRun('acme/app', rerun.id, 'success');
    const later = github.log.entries.length;
    await github.log.waitFor((entry) => checkRunsOfMain(entry) && entry.status === 200, 'the re-run seen', later);
    await github.log.waitFor(checkRunsOfMain, 'one more poll', github.log.entries.length);
    assert.equal((await fixers()).length, 1);
    assert.equal((await sandbox.list()).length, 1);
  });

  it("meets the github goal when the fixer's pull request is merged: stopped, worktree removed", async () => {
    const [agent] = await fixers();
    const pull = github.state.openPullRequest('acme/app', { title: 'Fix the login test', author: 'superkick-bot', head: { ref: agent.assignment.branch! } });
    const requests = github.log.entries.length;
    await github.log.waitFor((entry) => entry.path === `/repos/acme/app/pulls/${pull.number}` && entry.status === 200, 'the goal reading the pull request', requests);
    assert.equal((await fixers())[0].goal?.state, 'pending', 'open is not merged');
    github.state.mergePullRequest('acme/app', pull.number, { by: 'superkick-bot' });
    const done = await agents.until(agent.id, (r) => r.state === 'exited', 'stopped once its pull request was merged');
    assert.equal(done.goal?.state, 'met');
    assert.equal(done.goal?.summary, `acme/app#${pull.number} was merged`);
    await whenDirChanges(path.dirname(agent.assignment.worktree!), () => (fs.existsSync(agent.assignment.worktree!) ? undefined : true), 'the worktree to be removed');
  });

  it('starts a fixer for a failing commit status (an older CI service) on a new head', async () => {
    // The fixer starts from the failing commit: it must exist in the repository it works in.
    git(project, 'commit', '--quiet', '--allow-empty', '-m', 'second');
    const second = git(project, 'rev-parse', 'HEAD').trim();
    github.state.setBranch('acme/app', 'main', second);
    github.state.setCommitStatus('acme/app', second, { state: 'pending', context: 'ci/jenkins' });
    github.state.setCommitStatus('acme/app', second, { state: 'error', context: 'ci/jenkins', description: 'Build #88 broke', targetUrl: 'https://jenkins.example/88' });
    const nextKey = `github-check-failed-acme/app-main-${second.slice(0, 12)}`;
    const running = await spawns.until(nextKey, (d) => d.state === 'running', 'running');
    const log = await untilLogShows(sandbox, running.agentId!, 'Build #88 broke', 'the kickoff typed in');
    assert.match(log, /- ci\/jenkins: failure — https:\/\/jenkins\.example\/88/);
  });

  async function fixers(): Promise<AgentRecord[]> {
    return (JSON.parse(await sandbox.runOk(['list', '--json'])) as AgentRecord[]).filter((a) => a.assignment.dispatchKey === key);
  }
});
