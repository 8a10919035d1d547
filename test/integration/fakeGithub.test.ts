/**
 * The fake GitHub (test/fakes/github/) on the wire, with plain fetch: what a
 * GitHub client sees must be what api.github.com sends (paths, JSON shapes,
 * Link pagination, ETag and 304, rate-limit headers and errors), or tests of
 * Superkick's GitHub integration against it prove nothing.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeGithubServer, fakeSha } from '../fakes/github';

const TOKEN = 'ghp_alice';
const REPO = 'acme/app';

let server: FakeGithubServer;

function api(path: string, options: { token?: string | null; headers?: Record<string, string>; redirect?: 'follow' | 'manual' } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `token ${token}`;
  return fetch(`${server.url}${path}`, { headers, redirect: options.redirect });
}

async function getJson<T = any>(path: string, options: Parameters<typeof api>[1] = {}): Promise<{ response: Response; body: T }> {
  const response = await api(path, options);
  assert.equal(response.status, 200, `GET ${path}: ${response.status} ${await response.clone().text()}`);
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  return { response, body: (await response.json()) as T };
}

/** `<url>; rel="next", …` → { next: url, … }, the way octokit's paginate reads it. */
function linkRels(header: string | null): Record<string, string> {
  const rels: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part);
    if (match) rels[match[2]] = match[1];
  }
  return rels;
}

const remaining = (response: Response) => Number(response.headers.get('x-ratelimit-remaining'));

describe('fake GitHub REST API', () => {
  before(async () => {
    server = await FakeGithubServer.start();
    // Frozen: timestamps and retry-after values must not depend on the machine's speed.
    server.clock.freeze();
    const state = server.state;
    state.addUser({ login: 'alice', token: TOKEN, name: 'Alice' });
    state.addUser({ login: 'mallory', token: 'ghp_mallory' });
    state.addRepository({ owner: 'acme', name: 'app', collaborators: { alice: 'write', maia: 'maintain', rita: 'read' } });
    state.addRepository({ owner: 'acme', name: 'secret', private: true, collaborators: { alice: 'admin' } });
    for (let n = 1; n <= 45; n++) {
      state.openIssue(REPO, { title: `issue ${n}`, body: `body ${n}`, author: n % 2 ? 'bob' : 'carol', labels: n % 3 === 0 ? ['bug', 'agent'] : n % 5 === 0 ? ['bug'] : [] });
    }
    state.assignIssue(REPO, 10, 'alice');
    state.closeIssue(REPO, 7);
    state.openPullRequest(REPO, { title: 'feature one', author: 'alice', head: { ref: 'feature-one' }, labels: ['agent'] });
    state.openPullRequest(REPO, { title: 'feature two', author: 'bob', head: { ref: 'feature-two' }, base: 'release', draft: true });
    state.openPullRequest(REPO, { title: 'feature three', author: 'carol', head: { ref: 'feature-three' } });
    state.mergePullRequest(REPO, 48, { by: 'alice' });
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(() => server.reset());

  it('walks every page of the issues list through the Link header, pull requests included', async () => {
    const seen: number[] = [];
    let next: string | undefined = `/repos/${REPO}/issues?state=all&per_page=10`;
    const pages: Array<Record<string, string>> = [];
    while (next) {
      const { response, body } = await getJson<Array<{ number: number; pull_request?: { url: string } }>>(next);
      seen.push(...body.map((issue) => issue.number));
      const rels = linkRels(response.headers.get('link'));
      pages.push(rels);
      next = rels.next?.slice(server.url.length);
    }
    assert.deepEqual(seen, Array.from({ length: 48 }, (_, i) => 48 - i), 'every issue and pull request once, newest first');
    assert.equal(pages.length, 5);
    assert.deepEqual(Object.keys(pages[0]).sort(), ['last', 'next'], 'the first page has no prev or first');
    assert.deepEqual(Object.keys(pages[2]).sort(), ['first', 'last', 'next', 'prev']);
    assert.deepEqual(Object.keys(pages[4]).sort(), ['first', 'prev'], 'the last page has no next or last');
    const last = new URL(pages[0].last);
    assert.equal(last.searchParams.get('page'), '5');
    assert.equal(last.searchParams.get('state'), 'all', 'the links keep the filters');

    const { body: firstPage } = await getJson<Array<{ number: number; pull_request?: { url: string; merged_at: string | null } }>>(`/repos/${REPO}/issues?state=all&per_page=5`);
    const merged = firstPage.find((issue) => issue.number === 48)!;
    assert.equal(merged.pull_request?.url, `${server.url}/repos/${REPO}/pulls/48`);
    assert.ok(merged.pull_request?.merged_at, 'a merged pull request says when in the issues list');
    assert.equal(firstPage.find((issue) => issue.number === 45)!.pull_request, undefined, 'an issue has no pull_request key');
  });

  it('filters the issues list by state, labels (all of them), assignee, since and sorts it', async () => {
    const numbers = async (query: string) => (await getJson<Array<{ number: number }>>(`/repos/${REPO}/issues?per_page=100&${query}`)).body.map((issue) => issue.number);
    assert.ok(!(await numbers('')).includes(7), 'state defaults to open');
    assert.deepEqual(await numbers('state=closed'), [48, 7]);
    assert.deepEqual(await numbers('labels=bug,agent&direction=asc'), [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45]);
    assert.deepEqual(await numbers('labels=agent&state=all'), [46, 45, 42, 39, 36, 33, 30, 27, 24, 21, 18, 15, 12, 9, 6, 3]);
    assert.deepEqual(await numbers('assignee=alice'), [10]);
    assert.equal((await numbers('assignee=none')).includes(10), false);
    assert.deepEqual(await numbers('assignee=*'), [10]);

    server.clock.advance(60_000);
    const since = new Date(server.clock.now()).toISOString();
    server.clock.advance(1_000);
    server.state.labelIssue(REPO, 2, 'later');
    server.state.commentOnIssue(REPO, 31, { author: 'carol', body: 'still broken' });
    assert.deepEqual(await numbers(`since=${since}&sort=updated&direction=asc`), [2, 31]);
    assert.equal((await numbers('sort=comments'))[0], 31, 'the most commented first');

    const bad = await api(`/repos/${REPO}/issues?state=shut`);
    assert.equal(bad.status, 422);
    assert.equal(((await bad.json()) as { message: string }).message, 'Validation Failed');
  });

  it('answers an unchanged resource with 304 and no body, not counted; a new comment gives 200 and a new ETag', async () => {
    const path = `/repos/${REPO}/issues/5/comments`;
    const first = await getJson<unknown[]>(path);
    const etag = first.response.headers.get('etag')!;
    assert.match(etag, /^W\/"[0-9a-f]+"$/);
    const lastModified = first.response.headers.get('last-modified')!;
    assert.ok(lastModified);

    const logged = server.log.waitFor((entry) => entry.status === 304, 'a 304 in the log', 1);
    const again = await api(path, { headers: { 'if-none-match': etag } });
    assert.equal((await logged).ifNoneMatch, etag);
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(remaining(again), remaining(first.response), 'a 304 does not use up the quota');
    const byDate = await api(path, { headers: { 'if-modified-since': lastModified } });
    assert.equal(byDate.status, 304);
    assert.deepEqual(server.log.counters, { total: 3, notModified: 2, counted: 1, errors: 0 });
    assert.deepEqual(
      server.log.entries.map((entry) => [entry.status, entry.counted, entry.ifNoneMatch]),
      [
        [200, true, null],
        [304, false, etag],
        [304, false, null],
      ],
    );

    server.clock.advance(2_000);
    const comment = server.state.commentOnIssue(REPO, 5, { author: 'carol', body: 'me too' });
    const changed = await api(path, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(remaining(changed), remaining(first.response) - 1);
    const comments = (await changed.json()) as Array<{ body: string; user: { login: string }; html_url: string }>;
    assert.equal(comments.at(-1)!.body, 'me too');
    assert.equal(comments.at(-1)!.user.login, 'carol');
    assert.match(comments.at(-1)!.html_url, new RegExp(`/${REPO}/issues/5#issuecomment-\\d+$`));
    assert.equal((await api(path, { headers: { 'if-modified-since': lastModified } })).status, 200, 'newer than the date sent');

    const issue = (await getJson<{ comments: number; updated_at: string }>(`/repos/${REPO}/issues/5`)).body;
    assert.equal(issue.comments, 1);
    assert.equal(Date.parse(issue.updated_at), Math.floor(comment.createdAt / 1000) * 1000, 'a comment bumps the issue');
  });

  it('refuses with 403 once the primary limit is used up, until the reset', async () => {
    const quota = server.rateLimits.set('alice', { remaining: 1, resetInSeconds: 120 });
    const last = await api(`/repos/${REPO}`);
    assert.equal(last.status, 200);
    assert.equal(remaining(last), 0);
    const reset = Number(last.headers.get('x-ratelimit-reset'));
    assert.equal(reset, Math.floor(quota.resetAt / 1000));

    const refused = await api(`/repos/${REPO}`);
    assert.equal(refused.status, 403);
    assert.equal(remaining(refused), 0);
    assert.equal(refused.headers.get('x-ratelimit-resource'), 'core');
    assert.equal(Number(refused.headers.get('x-ratelimit-reset')), reset);
    assert.match(((await refused.json()) as { message: string }).message, /^API rate limit exceeded for user ID \d+\./);
    const other = await api(`/repos/${REPO}`, { token: 'ghp_mallory' });
    assert.equal(other.status, 200, 'the quota is per user');

    const rateLimit = (await getJson<{ resources: { core: { remaining: number; reset: number } } }>('/rate_limit')).body;
    assert.deepEqual(rateLimit.resources.core, { limit: 5000, used: 5000, remaining: 0, reset });

    server.clock.advance(121_000);
    const afterReset = await api(`/repos/${REPO}`);
    assert.equal(afterReset.status, 200);
    assert.equal(remaining(afterReset), 4999);
  });

  it('refuses everything with retry-after while a secondary limit is on', async () => {
    server.rateLimits.startSecondaryLimit({ retryAfterSeconds: 30 });
    const refused = await api(`/repos/${REPO}/issues`);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.match(((await refused.json()) as { message: string }).message, /^You have exceeded a secondary rate limit/);
    server.clock.advance(10_000);
    assert.equal((await api(`/repos/${REPO}/issues`)).headers.get('retry-after'), '20');
    server.clock.advance(20_000);
    assert.equal((await api(`/repos/${REPO}/issues`)).status, 200);

    server.rateLimits.startSecondaryLimit({ retryAfterSeconds: 5, status: 429 });
    assert.equal((await api('/user')).status, 429);
    assert.deepEqual(server.log.counters, { total: 4, notModified: 0, counted: 1, errors: 3 });
  });

  it('fails the next requests with the 5xx asked for, then serves again', async () => {
    server.failNext(2, 502);
    assert.equal((await api('/user')).status, 502);
    const second = await api('/user');
    assert.equal(second.status, 502);
    assert.equal(((await second.json()) as { message: string }).message, 'Server Error');
    assert.equal((await api('/user')).status, 200);
    server.failNext(1, 503);
    assert.equal((await api('/user')).status, 503);
    assert.equal((await api('/user')).status, 200);
  });

  it('checks the token: none, unknown, token and Bearer schemes, and the API version', async () => {
    const missing = await api('/user', { token: null });
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as { message: string }).message, 'Requires authentication');
    const unknown = await api('/user', { token: 'ghp_nope' });
    assert.equal(unknown.status, 401);
    assert.deepEqual(await unknown.json(), { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });

    const bearer = await getJson<{ login: string; name: string }>('/user', { token: null, headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bearer.body.login, 'alice');
    assert.equal(bearer.body.name, 'Alice');
    assert.equal((await getJson<{ login: string }>('/user', { token: 'ghp_mallory' })).body.login, 'mallory');

    assert.equal((await api('/user', { headers: { 'x-github-api-version': '2022-11-28' } })).status, 200);
    assert.equal((await api('/user', { headers: { 'x-github-api-version': '2019-01-01' } })).status, 400);
  });

  it('reports a collaborator\'s permission and 404 for anyone else; private repositories hide from outsiders', async () => {
    const writer = (await getJson<{ permission: string; role_name: string; user: { login: string; permissions: { push: boolean; admin: boolean } } }>(`/repos/${REPO}/collaborators/alice/permission`)).body;
    assert.equal(writer.permission, 'write');
    assert.equal(writer.role_name, 'write');
    assert.equal(writer.user.login, 'alice');
    assert.deepEqual([writer.user.permissions.push, writer.user.permissions.admin], [true, false]);
    assert.equal((await getJson(`/repos/${REPO}/collaborators/maia/permission`)).body.permission, 'write', 'maintain reads as write');
    assert.equal((await getJson(`/repos/${REPO}/collaborators/rita/permission`)).body.permission, 'read');
    assert.equal((await getJson(`/repos/${REPO}/collaborators/acme/permission`)).body.permission, 'admin', 'the owner');

    const outsider = await api(`/repos/${REPO}/collaborators/mallory/permission`);
    assert.equal(outsider.status, 404);
    assert.deepEqual(await outsider.json(), { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    server.state.setRole(REPO, 'mallory', 'triage');
    const triage = (await getJson<{ permission: string; role_name: string }>(`/repos/${REPO}/collaborators/mallory/permission`)).body;
    assert.deepEqual([triage.permission, triage.role_name], ['read', 'triage']);
    server.state.setRole(REPO, 'mallory', null);

    assert.equal((await getJson<{ private: boolean }>('/repos/acme/secret')).body.private, true);
    assert.equal((await api('/repos/acme/secret', { token: 'ghp_mallory' })).status, 404);
    assert.equal((await api('/repos/acme/secret/issues', { token: 'ghp_mallory' })).status, 404);
    const repo = (await getJson<{ default_branch: string; full_name: string; permissions: { push: boolean } }>(`/repos/${REPO}`)).body;
    assert.deepEqual([repo.default_branch, repo.full_name, repo.permissions.push], ['main', REPO, true]);
    assert.equal((await api('/repos/acme/app/wiki')).status, 404);
    assert.equal((await fetch(`${server.url}/repos/${REPO}/issues`, { method: 'POST', headers: { authorization: `token ${TOKEN}` }, body: '{}' })).status, 404, 'writes are not served');
  });

  it('lists pull requests by head and base, and shows one with its merge state, reviews and review comments', async () => {
    const titles = async (query: string) => (await getJson<Array<{ title: string }>>(`/repos/${REPO}/pulls?${query}`)).body.map((pull) => pull.title);
    assert.deepEqual(await titles(''), ['feature two', 'feature one']);
    assert.deepEqual(await titles('state=closed'), ['feature three']);
    assert.deepEqual(await titles('head=acme:feature-two'), ['feature two']);
    assert.deepEqual(await titles('head=someone-else:feature-two'), []);
    assert.deepEqual(await titles('base=release'), ['feature two']);

    const merged = (await getJson(`/repos/${REPO}/pulls/48`)).body;
    assert.deepEqual([merged.state, merged.merged, merged.merged_by.login, merged.head.ref, merged.base.ref], ['closed', true, 'alice', 'feature-three', 'main']);
    assert.match(merged.merge_commit_sha, /^[0-9a-f]{40}$/);
    assert.equal((await api(`/repos/${REPO}/pulls/5`)).status, 404, 'an issue is not a pull request');

    server.state.setMergeable(REPO, 46, false, 'dirty');
    const review = server.state.addReview(REPO, 46, { author: 'carol', state: 'CHANGES_REQUESTED', body: 'please split' });
    server.state.addReviewComment(REPO, 46, { author: 'carol', body: 'off by one', path: 'src/a.ts', line: 12, reviewId: review.id });
    const pull = (await getJson(`/repos/${REPO}/pulls/46`)).body;
    assert.deepEqual([pull.merged, pull.mergeable, pull.mergeable_state, pull.review_comments, pull.head.sha.length], [false, false, 'dirty', 1, 40]);
    const reviews = (await getJson<Array<{ id: number; state: string; user: { login: string }; body: string; submitted_at: string; commit_id: string }>>(`/repos/${REPO}/pulls/46/reviews`)).body;
    assert.deepEqual(
      reviews.map((r) => [r.id, r.state, r.user.login, r.body, r.commit_id]),
      [[review.id, 'CHANGES_REQUESTED', 'carol', 'please split', pull.head.sha]],
    );
    assert.match(reviews[0].submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const comments = (await getJson<Array<{ pull_request_review_id: number; path: string; line: number; body: string }>>(`/repos/${REPO}/pulls/46/comments`)).body;
    assert.deepEqual(comments.map((c) => [c.pull_request_review_id, c.path, c.line, c.body]), [[review.id, 'src/a.ts', 12, 'off by one']]);
  });

  it('reports check runs and the combined status of a ref, and hands job logs out through a redirect', async () => {
    const sha = server.state.pull(REPO, 47).pull.head.sha;
    const build = server.state.createCheckRun(REPO, { headSha: sha, name: 'build', status: 'in_progress', log: 'step 1\nerror: tests failed\n' });
    const lint = server.state.createCheckRun(REPO, { headSha: sha, name: 'lint' });
    server.state.finishCheckRun(REPO, build.id, 'failure', { output: { title: '2 tests failed', summary: 'see the log' } });
    type Runs = { total_count: number; check_runs: Array<{ id: number; name: string; status: string; conclusion: string | null; head_sha: string; output: { title: string | null; summary: string | null } }> };

    const byBranch = await getJson<Runs>(`/repos/${REPO}/commits/feature-two/check-runs`);
    const bySha = await getJson<Runs>(`/repos/${REPO}/commits/${sha}/check-runs`);
    assert.deepEqual(byBranch.body, bySha.body, 'a branch name and its head sha are the same ref');
    assert.equal(bySha.body.total_count, 2);
    const failed = bySha.body.check_runs.find((run) => run.name === 'build')!;
    assert.deepEqual([failed.status, failed.conclusion, failed.head_sha, failed.output.title, failed.output.summary], ['completed', 'failure', sha, '2 tests failed', 'see the log']);
    assert.equal(bySha.body.check_runs.find((run) => run.name === 'lint')!.status, 'queued');

    // A re-run replaces the old run under filter=latest (the default), not under filter=all.
    const rerun = server.state.createCheckRun(REPO, { headSha: sha, name: 'build' });
    server.state.finishCheckRun(REPO, rerun.id, 'success');
    const latest = (await getJson<Runs>(`/repos/${REPO}/commits/${sha}/check-runs`)).body;
    assert.deepEqual(latest.check_runs.map((run) => [run.name, run.conclusion]).sort(), [['build', 'success'], ['lint', null]]);
    assert.equal((await getJson<Runs>(`/repos/${REPO}/commits/${sha}/check-runs?filter=all`)).body.total_count, 3);
    assert.equal((await getJson<Runs>(`/repos/${REPO}/commits/${sha}/check-runs?check_name=lint`)).body.total_count, 1);
    assert.equal((await api(`/repos/${REPO}/commits/no-such-branch/check-runs`)).status, 422);

    const statusOf = async () => (await getJson<{ state: string; total_count: number; sha: string; statuses: Array<{ context: string; state: string }> }>(`/repos/${REPO}/commits/${sha}/status`)).body;
    assert.deepEqual([(await statusOf()).state, (await statusOf()).total_count], ['pending', 0], 'no statuses reads pending');
    server.state.setCommitStatus(REPO, sha, { state: 'pending', context: 'ci/deploy' });
    server.state.setCommitStatus(REPO, sha, { state: 'success', context: 'ci/docs' });
    assert.equal((await statusOf()).state, 'pending');
    server.state.setCommitStatus(REPO, sha, { state: 'success', context: 'ci/deploy' });
    const green = await statusOf();
    assert.deepEqual([green.state, green.total_count, green.sha], ['success', 2, sha], 'the newest status of each context counts');
    server.state.setCommitStatus(REPO, sha, { state: 'error', context: 'ci/docs' });
    assert.equal((await statusOf()).state, 'failure');

    const redirect = await api(`/repos/${REPO}/actions/jobs/${build.id}/logs`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location')!;
    assert.ok(location.startsWith(`${server.url}/`), `the log URL is on the fake: ${location}`);
    const log = await fetch(location);
    assert.equal(log.status, 200);
    assert.equal(log.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await log.text(), 'step 1\nerror: tests failed\n');
    assert.equal((await fetch(location.replace(/sig=\w+/, 'sig=forged'))).status, 403);
    const followed = await api(`/repos/${REPO}/actions/jobs/${build.id}/logs`);
    assert.equal(await followed.text(), 'step 1\nerror: tests failed\n', 'fetch follows the redirect');
    assert.equal((await api(`/repos/${REPO}/actions/jobs/${lint.id}/logs`)).status, 410, 'a job with no log');
    assert.equal(server.state.resolveRef(server.state.repository(REPO), sha.slice(0, 7)), sha);
    assert.notEqual(fakeSha('a'), fakeSha('b'));
  });
});
