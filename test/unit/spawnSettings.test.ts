/** How a spawn request's settings resolve: request over spawner over repository over `agents:`, and clear errors for what is missing or held back. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSettings } from '../../server/src/spawn/spawnSettings';
import { worktreeFolder } from '../../server/src/spawn/spawnPipeline';
import { nestVars } from '../../server/src/host/routes/spawn';
import type { SpawnRequest } from '../../server/src/spawn/spawnRequest';

const request = (over: Partial<SpawnRequest> = {}): SpawnRequest => ({
  key: 'k-1',
  workspace: '/src/app',
  spawner: null,
  summary: 's',
  template: null,
  vars: {},
  repository: null,
  baseRef: null,
  branch: null,
  agent: {},
  goal: null,
  previousAgent: null,
  requestedBy: 'cli',
  ...over,
});

const config = {
  agents: { driver: 'codex', env: { A: '1' } },
  repositories: { app: { path: '../app', base_branch: 'main', branch_prefix: 'bot/', include: ['.env'], setup: ['npm ci'] }, remote: { url: 'https://git.example/app.git' } },
  spawners: {
    tickets: { type: 'inbox', folder: 'x', repository: 'app', setup: ['make'], goal: 'tests', approval: 'required', agent: { driver: 'claude', env: { B: '2' } }, budget_usd: 3, next: 'review' },
  },
  runtime: { type: 'local', worktree_root: '/wt' },
};

describe('spawn settings', () => {
  it('uses the workspace itself and the agents defaults when nothing else is named', () => {
    const settings = spawnSettings(request(), config, []);
    assert.deepEqual(settings.repository.source, { local: '/src/app' });
    assert.equal(settings.repository.branchPattern, 'superkick/{{key}}');
    assert.equal(settings.agent.driver, 'codex');
    assert.equal(settings.agent.command, 'codex');
    assert.equal(settings.approval, 'auto');
    assert.equal(settings.kickoffTemplate, 'core/kickoff');
    assert.equal(settings.worktreeRoot, '/wt');
  });

  it('layers the spawner over its repository over the agents defaults', () => {
    const settings = spawnSettings(request({ spawner: 'tickets' }), config, []);
    assert.deepEqual(settings.repository.source, { local: '/src/app' }, 'path is relative to the workspace');
    assert.equal(settings.repository.branchPattern, 'bot/{{key}}');
    assert.equal(settings.repository.baseBranch, 'main');
    assert.deepEqual(settings.repository.include, ['.env']);
    assert.deepEqual(settings.setup, ['npm ci', 'make'], "the repository's setup first");
    assert.equal(settings.agent.driver, 'claude');
    assert.deepEqual(settings.agent.env, { A: '1', B: '2' });
    assert.equal(settings.goal, 'tests');
    assert.equal(settings.approval, 'required');
    assert.equal(settings.budgetUsd, 3);
    assert.equal(settings.next, 'review');
    assert.equal(settings.kickoffTemplate, 'inbox/task', "the spawner kind's shipped kickoff");
  });

  it('lets the request win, and takes a git URL entry as a git source', () => {
    const settings = spawnSettings(request({ spawner: 'tickets', repository: { entry: 'remote' }, agent: { driver: 'command', command: 'sh' }, goal: 'other', baseRef: 'release', template: 'mine/kickoff' }), config, []);
    assert.deepEqual(settings.repository.source, { git: 'https://git.example/app.git' });
    assert.equal(settings.repository.baseBranch, 'release');
    assert.equal(settings.agent.command, 'sh');
    assert.equal(settings.goal, 'other');
    assert.equal(settings.kickoffTemplate, 'mine/kickoff');
  });

  it('says what is missing, and what is held back until trust', () => {
    assert.throws(() => spawnSettings(request({ spawner: 'nope' }), config, []), /no entry "nope" under spawners: in superkick.yml \(known: tickets\)/);
    assert.throws(() => spawnSettings(request({ repository: { entry: 'gone' } }), config, []), /no entry "gone" under repositories/);
    assert.throws(
      () => spawnSettings(request({ spawner: 'held' }), config, [{ path: 'spawners.held', reason: 'its "setup" runs commands', file: '', line: 1, column: 1 }]),
      /spawners.held is held back until you trust this workspace \(superkick trust\): its "setup" runs commands/,
    );
    assert.throws(() => spawnSettings(request({ agent: { driver: 'command' } }), {}, []), /no program to start .* set agents.command/);
    assert.throws(() => spawnSettings(request({ workspace: null }), {}, []), /no repository to spawn in/);
  });
});

describe('spawn helpers', () => {
  it('nests dotted variables and refuses odd names', () => {
    assert.deepEqual(nestVars({ 'task.title': 'T', 'task.body': 'B', n: '1' }), { task: { title: 'T', body: 'B' }, n: '1' });
    assert.throws(() => nestVars({ 'a b': 'x' }), /not a variable name/);
    assert.throws(() => nestVars({ a: 'x', 'a.b': 'y' }), /both a value and has fields/);
  });

  it('names worktree folders readably and uniquely per key', () => {
    assert.match(worktreeFolder('github-issue-acme/app-42'), /^github-issue-acme-app-42-[0-9a-f]{8}$/);
    assert.notEqual(worktreeFolder('a/b'), worktreeFolder('a-b'));
    assert.match(worktreeFolder('../../etc'), /^etc-[0-9a-f]{8}$/);
  });
});
