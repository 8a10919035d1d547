import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pullRequestOutcome, type PullRequestFacts } from '../../server/src/integrations/github/pullRequestGoalKind';
import { checksVerdict, statusesAsRuns } from '../../server/src/integrations/github/checkVerdict';

const open: PullRequestFacts = { repository: 'acme/app', number: 7, state: 'open', merged: false, headSha: '1a2b3c4d5e6f' };
const run = (id: number, name: string, conclusion: string | null, started = '2026-11-25T10:00:00Z') => ({ id, name, status: conclusion ? 'completed' : 'in_progress', conclusion, started_at: started });

describe('the github goal', () => {
  it('is met by a merge, in either mode, and failed by a close without one', () => {
    assert.deepEqual(pullRequestOutcome({ ...open, state: 'closed', merged: true }, null, 'merged'), { state: 'met', summary: 'acme/app#7 was merged' });
    assert.equal(pullRequestOutcome({ ...open, state: 'closed', merged: true }, [run(1, 'test', 'failure')], 'checks_green')?.state, 'met');
    assert.deepEqual(pullRequestOutcome({ ...open, state: 'closed' }, null, 'merged'), { state: 'failed', summary: 'acme/app#7 was closed without merging' });
  });

  it('waits while open; with checks_green, until every check on the head passed', () => {
    const green = [run(1, 'test', 'success'), run(2, 'lint', 'skipped')];
    assert.equal(pullRequestOutcome(open, green, 'merged'), undefined);
    assert.deepEqual(pullRequestOutcome(open, green, 'checks_green'), { state: 'met', summary: 'every check passed on acme/app#7 (1a2b3c4)' });
    assert.equal(pullRequestOutcome(open, [run(1, 'test', 'success'), run(2, 'lint', null)], 'checks_green'), undefined);
    assert.equal(pullRequestOutcome(open, [run(1, 'test', 'failure')], 'checks_green'), undefined);
    assert.equal(pullRequestOutcome(open, [], 'checks_green'), undefined, 'no checks is not green');
  });
});

describe('checksVerdict', () => {
  it('counts only the newest run of each check', () => {
    const rerun = [run(1, 'test', 'failure', '2026-11-25T10:00:00Z'), run(2, 'test', 'success', '2026-11-25T10:05:00Z')];
    assert.equal(checksVerdict(rerun).state, 'passed');
    const failedAgain = [run(1, 'test', 'success', '2026-11-25T10:00:00Z'), run(2, 'test', 'timed_out', '2026-11-25T10:05:00Z')];
    const verdict = checksVerdict(failedAgain);
    assert.equal(verdict.state, 'failed');
    assert.deepEqual(verdict.state === 'failed' && verdict.failed.map((r) => r.id), [2]);
  });

  it('is running while any check runs, and none without checks', () => {
    assert.equal(checksVerdict([run(1, 'test', 'failure'), run(2, 'lint', null)]).state, 'running');
    assert.equal(checksVerdict([]).state, 'none');
  });

  it('reads commit statuses as runs: pending runs, error fails, and they count with the check runs', () => {
    const status = (id: number, context: string, state: string) => ({ id, context, state, description: `${context} says ${state}`, target_url: `https://ci.example/${id}`, created_at: '2026-11-25T10:00:00Z', updated_at: '2026-11-25T10:01:00Z' });
    const green = [run(1, 'test', 'success')];
    assert.equal(checksVerdict([...green, ...statusesAsRuns([status(5, 'ci/jenkins', 'pending')])]).state, 'running');
    assert.equal(checksVerdict([...green, ...statusesAsRuns([status(5, 'ci/jenkins', 'success')])]).state, 'passed');
    const verdict = checksVerdict([...green, ...statusesAsRuns([status(5, 'ci/jenkins', 'error')])]);
    assert.equal(verdict.state, 'failed');
    assert.deepEqual(verdict.state === 'failed' && verdict.failed.map((r) => [r.name, r.html_url, (r.output as { title: string }).title]), [['ci/jenkins', 'https://ci.example/5', 'ci/jenkins says error']]);
  });
});
