/** GitHub work for the spawn pipeline: which issues are work, their stable keys and kickoff variables; a failing branch head as one piece of work. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFailedWork, issueKey, issueWork, matchingIssues } from '../../server/src/integrations/github/spawnWork';

const repository = { full_name: 'acme/app', name: 'app', owner: { login: 'acme' } };
const issue = (number: number, over: Record<string, unknown> = {}) => ({ number, title: `Issue ${number}`, state: 'open', labels: [{ name: 'superkick' }], assignees: [], user: { login: 'bo' }, ...over });

describe('github spawn work', () => {
  it('takes open issues with every label (and the assignee), never pull requests', () => {
    const issues = [issue(1), issue(2, { labels: [{ name: 'Superkick' }, { name: 'bug' }] }), issue(3, { labels: [] }), issue(4, { state: 'closed' }), issue(5, { pull_request: { url: 'x' } }), issue(6, { assignees: [{ login: 'ana' }] })];
    assert.deepEqual(matchingIssues(issues, { labels: ['superkick'] }).map((i) => i.number), [1, 2, 6]);
    assert.deepEqual(matchingIssues(issues, { labels: ['superkick', 'bug'] }).map((i) => i.number), [2]);
    assert.deepEqual(matchingIssues(issues, { labels: [], assignee: 'ANA' }).map((i) => i.number), [6]);
  });

  it('names an issue by a stable key, with its last comments and its repository as the source', () => {
    const comments = Array.from({ length: 7 }, (_, i) => ({ id: i, body: `c${i}`, user: { login: 'bo' } }));
    const work = issueWork(repository, issue(42, { title: 'Login\u200b fails\non Safari' }), comments);
    assert.equal(work.key, 'github-issue-acme/app-42');
    assert.equal(work.key, issueKey('acme/app', 42));
    assert.equal(work.summary, 'acme/app#42: Login fails on Safari');
    assert.deepEqual(work.repository, { github: 'acme/app' });
    assert.deepEqual((work.vars.comments as Array<{ body: string }>).map((c) => c.body), ['c2', 'c3', 'c4', 'c5', 'c6']);
  });

  it('makes one piece of work per failing branch head, starting from that branch', () => {
    const failing = [{ id: 9, name: 'lint', conclusion: 'failure' }, { id: 8, name: 'test', conclusion: 'failure' }];
    const work = checkFailedWork(repository, 'main', 'abcdef1234567890', failing, { 8: 'make: *** [test] Error 1' })!;
    assert.equal(work.key, 'github-check-failed-acme/app-main-abcdef123456');
    assert.equal(work.baseRef, 'main');
    assert.equal(work.summary, 'acme/app@main: 2 checks failed');
    assert.equal((work.vars.check as { name: string; log_tail: string }).name, 'test');
    assert.deepEqual((work.vars.failing as Array<{ name: string; log_tail: string | null }>).map((c) => [c.name, c.log_tail]), [['test', 'make: *** [test] Error 1'], ['lint', null]]);
    assert.equal(checkFailedWork(repository, 'main', 'abc', []), undefined);
  });
});
