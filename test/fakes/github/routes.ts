/**
 * The REST endpoints the fake answers, as a table of path patterns. A handler
 * reads the state and returns what to send; headers common to every response
 * (rate limits, ETag, Last-Modified, the 304 decision) are the server's job.
 */
import { createHmac } from 'node:crypto';
import { paginate } from './pagination';
import type { GitHubState, IssueRecord, PullRecord, RepositoryRecord } from './state';
import * as wire from './wireShapes';

export const DOCS = 'https://docs.github.com/rest';

export type Reply =
  | { kind: 'json'; status: number; body: unknown; lastModified?: number; link?: string }
  | { kind: 'redirect'; location: string };

export interface RouteContext {
  state: GitHubState;
  origins: wire.Origins;
  /** The absolute URL asked for. */
  url: URL;
  params: string[];
  /** The login of the token's user. */
  viewer: string;
  /** Signs the job-log download URLs, which need no token (as GitHub's signed blob URLs). */
  logSecret: string;
}

export const json = (status: number, body: unknown, extra: { lastModified?: number; link?: string } = {}): Reply => ({ kind: 'json', status, body, ...extra });
export const notFound = (): Reply => json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
const validationFailed = (field: string, value: string, documentation: string): Reply =>
  json(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field, code: 'invalid', value }], documentation_url: `${DOCS}/${documentation}`, status: '422' });

type Handler = (context: RouteContext) => Reply;

/** The repository named in the path, or undefined when it does not exist or the viewer may not see it (GitHub says 404 for both). */
function visibleRepository(context: RouteContext): RepositoryRecord | undefined {
  const repository = context.state.repositories.get(`${context.params[0]}/${context.params[1]}`.toLowerCase());
  if (!repository) return undefined;
  if (repository.private && !repository.roles.has(context.viewer)) return undefined;
  return repository;
}

function withRepository(handler: (context: RouteContext, repository: RepositoryRecord) => Reply): Handler {
  return (context) => {
    const repository = visibleRepository(context);
    return repository ? handler(context, repository) : notFound();
  };
}

function issueIn(repository: RepositoryRecord, number: string): IssueRecord | undefined {
  return repository.issues.get(Number(number));
}

function pullIn(repository: RepositoryRecord, number: string): (IssueRecord & { pull: PullRecord }) | undefined {
  const issue = issueIn(repository, number);
  return issue?.pull ? (issue as IssueRecord & { pull: PullRecord }) : undefined;
}

const latestOf = (times: number[], floor: number) => Math.max(floor, ...times);

/** `since` is an ISO 8601 timestamp; anything updated at or after it stays. */
function sinceOf(url: URL): number | undefined | 'invalid' {
  const since = url.searchParams.get('since');
  if (since === null) return undefined;
  const ms = Date.parse(since);
  return Number.isFinite(ms) ? ms : 'invalid';
}

function listIssues(context: RouteContext, repository: RepositoryRecord): Reply {
  const query = context.url.searchParams;
  const state = query.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) return validationFailed('state', state, 'issues/issues#list-repository-issues');
  const sort = query.get('sort') ?? 'created';
  if (!['created', 'updated', 'comments'].includes(sort)) return validationFailed('sort', sort, 'issues/issues#list-repository-issues');
  const direction = query.get('direction') ?? 'desc';
  if (!['asc', 'desc'].includes(direction)) return validationFailed('direction', direction, 'issues/issues#list-repository-issues');
  const since = sinceOf(context.url);
  if (since === 'invalid') return validationFailed('since', query.get('since')!, 'issues/issues#list-repository-issues');
  const labels = (query.get('labels') ?? '').split(',').map((label) => label.trim()).filter(Boolean);
  const assignee = query.get('assignee');
  const creator = query.get('creator');

  const sortKey = (issue: IssueRecord) => (sort === 'updated' ? issue.updatedAt : sort === 'comments' ? issue.comments.length : issue.createdAt);
  const matching = [...repository.issues.values()]
    .filter((issue) => state === 'all' || issue.state === state)
    .filter((issue) => labels.every((label) => issue.labels.some((name) => name.toLowerCase() === label.toLowerCase())))
    .filter((issue) => assignee === null || (assignee === 'none' ? issue.assignees.length === 0 : assignee === '*' ? issue.assignees.length > 0 : issue.assignees.includes(assignee)))
    .filter((issue) => creator === null || issue.author === creator)
    .filter((issue) => since === undefined || issue.updatedAt >= since)
    // Ties fall back to the number, so pages never shuffle between requests.
    .sort((a, b) => (sortKey(a) - sortKey(b) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
  const page = paginate(matching, context.url);
  return json(
    200,
    page.items.map((issue) => wire.issue(context.state, context.origins, repository, issue)),
    { lastModified: repository.issuesChangedAt, link: page.link },
  );
}

function listIssueComments(context: RouteContext, repository: RepositoryRecord): Reply {
  const issue = issueIn(repository, context.params[2]);
  if (!issue) return notFound();
  const since = sinceOf(context.url);
  if (since === 'invalid') return validationFailed('since', context.url.searchParams.get('since')!, 'issues/comments#list-issue-comments');
  const page = paginate(
    issue.comments.filter((comment) => since === undefined || comment.updatedAt >= since),
    context.url,
  );
  return json(
    200,
    page.items.map((comment) => wire.issueComment(context.state, context.origins, repository, comment)),
    { lastModified: issue.updatedAt, link: page.link },
  );
}

function listPulls(context: RouteContext, repository: RepositoryRecord): Reply {
  const query = context.url.searchParams;
  const state = query.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) return validationFailed('state', state, 'pulls/pulls#list-pull-requests');
  const sort = query.get('sort') ?? 'created';
  if (!['created', 'updated', 'popularity', 'long-running'].includes(sort)) return validationFailed('sort', sort, 'pulls/pulls#list-pull-requests');
  // GitHub: "Default: desc when sort is created or sort is not specified, otherwise asc."
  const direction = query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const head = query.get('head');
  const base = query.get('base');
  const headMatches = (pull: PullRecord) => {
    if (head === null) return true;
    const [owner, branch] = head.includes(':') ? head.split(':', 2) : [repository.owner, head];
    return owner.toLowerCase() === repository.owner.toLowerCase() && pull.head.ref === branch;
  };
  const sortKey = (issue: IssueRecord) => (sort === 'updated' ? issue.updatedAt : sort === 'popularity' ? issue.comments.length : issue.createdAt);
  const pulls = [...repository.issues.values()]
    .filter((issue): issue is IssueRecord & { pull: PullRecord } => issue.pull !== undefined)
    .filter((issue) => state === 'all' || issue.state === state)
    .filter((issue) => headMatches(issue.pull) && (base === null || issue.pull.base.ref === base))
    .sort((a, b) => (sortKey(a) - sortKey(b) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
  const page = paginate(pulls, context.url);
  return json(
    200,
    page.items.map((issue) => wire.pullSimple(context.state, context.origins, repository, issue)),
    { lastModified: repository.issuesChangedAt, link: page.link },
  );
}

/** A branch name or a sha; a full sha the fake never heard of is taken as a commit with nothing on it. */
function commitOf(context: RouteContext, repository: RepositoryRecord, ref: string): string | undefined {
  return context.state.resolveRef(repository, ref) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
}

const noCommit = (ref: string): Reply => json(422, { message: `No commit found for SHA: ${ref}`, documentation_url: `${DOCS}/checks/runs#list-check-runs-for-a-git-reference`, status: '422' });

function listCheckRuns(context: RouteContext, repository: RepositoryRecord): Reply {
  const ref = context.params[2];
  const sha = commitOf(context, repository, ref);
  if (!sha) return noCommit(ref);
  const query = context.url.searchParams;
  const name = query.get('check_name');
  const status = query.get('status');
  const filter = query.get('filter') ?? 'latest';
  let runs = repository.checkRuns.filter((run) => run.headSha === sha);
  const changedAt = latestOf(runs.map((run) => run.changedAt), repository.createdAt);
  // "latest" keeps the newest run of each name, as a re-run replaces the one before it.
  if (filter === 'latest') runs = runs.filter((run) => !runs.some((other) => other.name === run.name && other.id > run.id));
  runs = runs.filter((run) => (name === null || run.name === name) && (status === null || run.status === status)).reverse();
  const page = paginate(runs, context.url);
  return json(
    200,
    { total_count: runs.length, check_runs: page.items.map((run) => wire.checkRun(context.origins, repository, run)) },
    { lastModified: changedAt, link: page.link },
  );
}

function combinedStatus(context: RouteContext, repository: RepositoryRecord): Reply {
  const ref = context.params[2];
  const sha = commitOf(context, repository, ref);
  if (!sha) return noCommit(ref);
  const { body, changedAt } = wire.combinedStatus(context.state, context.origins, repository, sha);
  return json(200, body, { lastModified: changedAt });
}

export function logSignature(secret: string, repository: RepositoryRecord, jobId: number): string {
  return createHmac('sha256', secret).update(`${repository.id}/${jobId}`).digest('hex').slice(0, 24);
}

function jobLogs(context: RouteContext, repository: RepositoryRecord): Reply {
  const run = repository.checkRuns.find((candidate) => candidate.id === Number(context.params[2]));
  if (!run) return notFound();
  // GitHub answers 410 Gone once a log has expired; a job with no log reads the same.
  if (run.log === null) return json(410, { message: 'Gone', documentation_url: `${DOCS}/actions/workflow-jobs#download-job-logs-for-a-workflow-run`, status: '410' });
  return { kind: 'redirect', location: `${context.origins.api}/_fake/job-logs/${repository.id}/${run.id}?sig=${logSignature(context.logSecret, repository, run.id)}` };
}

function collaboratorPermission(context: RouteContext, repository: RepositoryRecord): Reply {
  const login = context.params[2];
  const role = repository.roles.get(login);
  if (!role || !context.state.users.has(login)) return notFound();
  return json(200, {
    permission: wire.legacyPermission(role),
    role_name: role,
    user: { ...wire.simpleUser(context.state, context.origins, login), permissions: wire.permissionFlags(role), role_name: role },
  });
}

const OWNER_REPO = '/repos/([^/]+)/([^/]+)';

/** Method GET only: the fake is read-only on the wire; tests change it through the state's mutators. */
export const ROUTES: Array<[RegExp, Handler]> = [
  [/^\/user$/, (context) => json(200, wire.authenticatedUser(context.state, context.origins, context.viewer))],
  [new RegExp(`^${OWNER_REPO}$`), withRepository((context, repository) => json(200, wire.repository(context.state, context.origins, repository, context.viewer), { lastModified: repository.updatedAt }))],
  [new RegExp(`^${OWNER_REPO}/issues$`), withRepository(listIssues)],
  [
    new RegExp(`^${OWNER_REPO}/issues/(\\d+)$`),
    withRepository((context, repository) => {
      const issue = issueIn(repository, context.params[2]);
      return issue ? json(200, wire.issue(context.state, context.origins, repository, issue), { lastModified: issue.updatedAt }) : notFound();
    }),
  ],
  [new RegExp(`^${OWNER_REPO}/issues/(\\d+)/comments$`), withRepository(listIssueComments)],
  [new RegExp(`^${OWNER_REPO}/pulls$`), withRepository(listPulls)],
  [
    new RegExp(`^${OWNER_REPO}/pulls/(\\d+)$`),
    withRepository((context, repository) => {
      const issue = pullIn(repository, context.params[2]);
      return issue ? json(200, wire.pull(context.state, context.origins, repository, issue), { lastModified: issue.updatedAt }) : notFound();
    }),
  ],
  [
    new RegExp(`^${OWNER_REPO}/pulls/(\\d+)/reviews$`),
    withRepository((context, repository) => {
      const issue = pullIn(repository, context.params[2]);
      if (!issue) return notFound();
      const page = paginate(issue.pull.reviews, context.url);
      return json(200, page.items.map((review) => wire.review(context.state, context.origins, repository, issue.number, review)), { lastModified: issue.updatedAt, link: page.link });
    }),
  ],
  [
    new RegExp(`^${OWNER_REPO}/pulls/(\\d+)/comments$`),
    withRepository((context, repository) => {
      const issue = pullIn(repository, context.params[2]);
      if (!issue) return notFound();
      const since = sinceOf(context.url);
      if (since === 'invalid') return validationFailed('since', context.url.searchParams.get('since')!, 'pulls/comments#list-review-comments-on-a-pull-request');
      const page = paginate(issue.pull.reviewComments.filter((comment) => since === undefined || comment.updatedAt >= since), context.url);
      return json(200, page.items.map((comment) => wire.reviewComment(context.state, context.origins, repository, issue.number, comment)), { lastModified: issue.updatedAt, link: page.link });
    }),
  ],
  [new RegExp(`^${OWNER_REPO}/commits/([^/]+)/check-runs$`), withRepository(listCheckRuns)],
  [new RegExp(`^${OWNER_REPO}/commits/([^/]+)/status$`), withRepository(combinedStatus)],
  [new RegExp(`^${OWNER_REPO}/actions/jobs/(\\d+)/logs$`), withRepository(jobLogs)],
  [new RegExp(`^${OWNER_REPO}/collaborators/([^/]+)/permission$`), withRepository(collaboratorPermission)],
];

export function route(path: string): { handler: Handler; params: string[] } | undefined {
  for (const [pattern, handler] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { handler, params: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return undefined;
}
