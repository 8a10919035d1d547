/**
 * A fake GitHub REST API (api.github.com, version 2022-11-28) for Superkick's
 * tests and the bench: a real node:http server on 127.0.0.1:0 that speaks
 * GitHub's wire format. Start it with `FakeGithubServer.start()`, point a
 * client's base URL at `server.url`, shape the world with `server.state`'s
 * mutators, and read `server.log` to see what the client asked.
 *
 * Implemented (GET only):
 * - `/user`, `/rate_limit` (does not count against the limit)
 * - `/repos/{o}/{r}` (private repositories are 404 to non-collaborators)
 * - `/repos/{o}/{r}/issues`: state, labels (all must match), assignee (login, none, *),
 *   creator, since, sort (created, updated, comments), direction; pull requests are
 *   included with a `pull_request` key, as on GitHub
 * - `/repos/{o}/{r}/issues/{n}`, `/repos/{o}/{r}/issues/{n}/comments` (since)
 * - `/repos/{o}/{r}/pulls` (state, head=owner:branch, base, sort, direction), `/pulls/{n}`
 *   (merged, mergeable, mergeable_state), `/pulls/{n}/reviews`, `/pulls/{n}/comments` (since)
 * - `/repos/{o}/{r}/commits/{ref}/check-runs` (check_name, status, filter=latest|all;
 *   `{total_count, check_runs}`) and `/commits/{ref}/status` (combined); ref is a branch or a sha
 * - `/repos/{o}/{r}/actions/jobs/{id}/logs`: 302 to a signed text/plain URL on the same server
 *   (a check run's id is its job's id, as with GitHub Actions); 410 when the job has no log
 * - `/repos/{o}/{r}/collaborators/{user}/permission`: {permission, role_name, user}; 404 for a
 *   user who is not a collaborator
 * - Every list: per_page (default 30, max 100), page, and a Link header (prev, next, last, first).
 * - Every GET 200: a weak ETag and, where the resource has a time, Last-Modified; If-None-Match and
 *   If-Modified-Since give 304 with no body, which does not use up the quota.
 * - Headers: x-ratelimit-limit/remaining/used/reset/resource, x-github-request-id,
 *   content-type `application/json; charset=utf-8`; X-GitHub-Api-Version other than 2022-11-28 is 400.
 * - Auth: `token X` or `Bearer X`; none is 401 "Requires authentication", an unknown one
 *   401 "Bad credentials". Primary limit per user (403 with remaining 0 until the reset),
 *   a secondary limit switch (403 or 429 with retry-after), `failNext(n, 5xx)`.
 * - A movable clock (`server.clock.advance`, `freeze`) for rate-limit resets and timestamps.
 *   x-ratelimit-reset is in the fake clock's time, while octokit's throttling plugin
 *   subtracts the real `Date.now()`: for a client that waits out a primary limit, leave the
 *   clock running and set a short reset (`rateLimits.set(login, { remaining: 0, resetInSeconds: 1 })`).
 * - `server.log`: every request (method, path, status, user, counted, If-None-Match sent),
 *   `counters`, and `waitFor(match)` to wait for a poller's next request.
 * - Errors carry GitHub's body: `{message, documentation_url, status}`; 422 "Validation Failed"
 *   for a bad state/sort/direction/since, "No commit found for SHA" for an unknown ref.
 * - Webhooks, GitHub's side (`WebhookSender`): `issues`, `pull_request`, `check_run` and `ping`
 *   payloads built from the state, POSTed signed with Hookshot's headers to a receiver.
 *
 * Not implemented: any write over the wire (POST, PATCH, PUT, DELETE answer 404: tests change
 * the state through its mutators), GraphQL, search, webhook configuration endpoints and other
 * delivery events, events and timelines, labels and
 * milestones endpoints, check suites and annotations, workflow runs, the issues list's
 * `mentioned` and `milestone` filters, `Accept` media types (raw, html, diff), the anonymous
 * 60-an-hour limit (every request needs a token), and GitHub's Enterprise `/api/v3` prefix.
 */
export { FakeGithubServer, SUPPORTED_API_VERSIONS, type FakeGithubOptions } from './fakeGithubServer';
export { FakeClock } from './clock';
export { GitHubState, fakeSha, type RepositoryRole, type CheckConclusion, type CommitState, type ReviewState, type MergeableState } from './state';
export type { LoggedRequest } from './requestLog';
export { WebhookSender, type Delivery, type DeliverOptions } from './webhookSender';
