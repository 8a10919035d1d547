/**
 * The state's records as GitHub's REST API writes them (API version
 * 2022-11-28; field names and nesting from the REST docs and
 * @octokit/openapi-types: simple-user, repository, issue, pull-request,
 * check-run, combined-commit-status, review, review-comment, issue-comment).
 * Fields the fake has no data for are there with GitHub's empty values, so a
 * client that reads them gets the type it expects.
 *
 * `api` is the fake's origin (where the `url` fields point); `web` is where the
 * `html_url` fields point: the fake's origin too, as on GitHub Enterprise
 * Server, so nothing in a response leads to github.com.
 */
import { isoSeconds } from './clock';
import type { CheckRunRecord, GitHubState, IssueCommentRecord, IssueRecord, PullRecord, RepositoryRecord, RepositoryRole, ReviewCommentRecord, ReviewRecord, StatusRecord } from './state';

export interface Origins {
  api: string;
  web: string;
}

type Json = Record<string, unknown>;

const iso = (ms: number | null) => (ms === null ? null : isoSeconds(ms));
const nodeId = (kind: string, id: number) => Buffer.from(`${kind}${id}`).toString('base64');

export function simpleUser(state: GitHubState, origins: Origins, login: string): Json {
  const user = state.user(login);
  const url = `${origins.api}/users/${login}`;
  return {
    login,
    id: user.id,
    node_id: nodeId('U_', user.id),
    avatar_url: `${origins.web}/avatars/${login}`,
    gravatar_id: '',
    url,
    html_url: `${origins.web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

/** `GET /user`: the private-user shape, the simple user and a profile. */
export function authenticatedUser(state: GitHubState, origins: Origins, login: string): Json {
  const user = state.user(login);
  return { ...simpleUser(state, origins, login), name: user.name, company: null, blog: '', location: null, email: null, hireable: null, bio: null, twitter_username: null, public_repos: 0, public_gists: 0, followers: 0, following: 0, created_at: '2020-01-01T00:00:00Z', updated_at: '2020-01-01T00:00:00Z' };
}

export function permissionFlags(role: RepositoryRole | undefined): Json {
  const rank = role ? ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role) : -1;
  return { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: rank >= 0 };
}

/** The legacy `permission` value GitHub reports beside `role_name`. */
export function legacyPermission(role: RepositoryRole): 'admin' | 'write' | 'read' {
  if (role === 'admin') return 'admin';
  if (role === 'maintain' || role === 'write') return 'write';
  return 'read';
}

export function repository(state: GitHubState, origins: Origins, repo: RepositoryRecord, viewer: string | undefined): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const url = `${origins.api}/repos/${fullName}`;
  const role = viewer ? repo.roles.get(viewer) : undefined;
  return {
    id: repo.id,
    node_id: nodeId('R_', repo.id),
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner: simpleUser(state, origins, repo.owner),
    html_url: `${origins.web}/${fullName}`,
    description: repo.description,
    fork: false,
    url,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    clone_url: `${origins.web}/${fullName}.git`,
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.updatedAt),
    pushed_at: iso(repo.pushedAt),
    default_branch: repo.defaultBranch,
    visibility: repo.private ? 'private' : 'public',
    archived: false,
    disabled: false,
    has_issues: true,
    open_issues_count: [...repo.issues.values()].filter((issue) => issue.state === 'open').length,
    // Only a signed-in viewer gets its own permissions, as on GitHub; a public repository reads as pull for anyone.
    ...(viewer ? { permissions: role ? permissionFlags(role) : { ...permissionFlags(undefined), pull: !repo.private } } : {}),
  };
}

function label(origins: Origins, repo: RepositoryRecord, name: string): Json {
  const record = repo.labels.get(name)!;
  return { id: record.id, node_id: nodeId('LA_', record.id), url: `${origins.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`, name, color: record.color, default: false, description: record.description };
}

function authorAssociation(repo: RepositoryRecord, login: string): string {
  if (login === repo.owner) return 'OWNER';
  return repo.roles.has(login) ? 'COLLABORATOR' : 'NONE';
}

export function issue(state: GitHubState, origins: Origins, repo: RepositoryRecord, record: IssueRecord): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const url = `${origins.api}/repos/${fullName}/issues/${record.number}`;
  const assignees = record.assignees.map((login) => simpleUser(state, origins, login));
  return {
    id: record.id,
    node_id: nodeId(record.pull ? 'PR_' : 'I_', record.id),
    url,
    repository_url: `${origins.api}/repos/${fullName}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${origins.web}/${fullName}/${record.pull ? 'pull' : 'issues'}/${record.number}`,
    number: record.number,
    state: record.state,
    state_reason: record.stateReason,
    title: record.title,
    body: record.body,
    user: simpleUser(state, origins, record.author),
    labels: record.labels.map((name) => label(origins, repo, name)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: record.locked,
    active_lock_reason: null,
    comments: record.comments.length,
    ...(record.pull
      ? {
          pull_request: {
            url: `${origins.api}/repos/${fullName}/pulls/${record.number}`,
            html_url: `${origins.web}/${fullName}/pull/${record.number}`,
            diff_url: `${origins.web}/${fullName}/pull/${record.number}.diff`,
            patch_url: `${origins.web}/${fullName}/pull/${record.number}.patch`,
            merged_at: iso(record.pull.mergedAt),
          },
          draft: record.pull.draft,
        }
      : {}),
    closed_at: iso(record.closedAt),
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
    closed_by: record.closedBy ? simpleUser(state, origins, record.closedBy) : null,
    author_association: authorAssociation(repo, record.author),
  };
}

function branchEnd(state: GitHubState, origins: Origins, repo: RepositoryRecord, end: PullRecord['head']): Json {
  return { label: `${repo.owner}:${end.ref}`, ref: end.ref, sha: end.sha, user: simpleUser(state, origins, repo.owner), repo: repository(state, origins, repo, undefined) };
}

/** The list form (`pull-request-simple`): no merge state or counts, which GitHub computes only for one pull. */
export function pullSimple(state: GitHubState, origins: Origins, repo: RepositoryRecord, record: IssueRecord & { pull: PullRecord }): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const url = `${origins.api}/repos/${fullName}/pulls/${record.number}`;
  const asIssue = issue(state, origins, repo, record);
  return {
    url,
    id: record.id,
    node_id: asIssue.node_id,
    html_url: asIssue.html_url,
    diff_url: `${asIssue.html_url}.diff`,
    patch_url: `${asIssue.html_url}.patch`,
    issue_url: asIssue.url,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    comments_url: asIssue.comments_url,
    statuses_url: `${origins.api}/repos/${fullName}/statuses/${record.pull.head.sha}`,
    number: record.number,
    state: record.state,
    locked: record.locked,
    title: record.title,
    user: asIssue.user,
    body: record.body,
    labels: asIssue.labels,
    milestone: null,
    active_lock_reason: null,
    created_at: asIssue.created_at,
    updated_at: asIssue.updated_at,
    closed_at: asIssue.closed_at,
    merged_at: iso(record.pull.mergedAt),
    merge_commit_sha: record.pull.mergeCommitSha,
    assignee: asIssue.assignee,
    assignees: asIssue.assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: branchEnd(state, origins, repo, record.pull.head),
    base: branchEnd(state, origins, repo, record.pull.base),
    author_association: asIssue.author_association,
    auto_merge: null,
    draft: record.pull.draft,
  };
}

export function pull(state: GitHubState, origins: Origins, repo: RepositoryRecord, record: IssueRecord & { pull: PullRecord }): Json {
  return {
    ...pullSimple(state, origins, repo, record),
    merged: record.pull.merged,
    mergeable: record.pull.mergeable,
    rebaseable: record.pull.mergeable,
    mergeable_state: record.pull.mergeableState,
    merged_by: record.pull.mergedBy ? simpleUser(state, origins, record.pull.mergedBy) : null,
    comments: record.comments.length,
    review_comments: record.pull.reviewComments.length,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

export function issueComment(state: GitHubState, origins: Origins, repo: RepositoryRecord, record: IssueCommentRecord): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const isPull = Boolean(repo.issues.get(record.issueNumber)?.pull);
  return {
    id: record.id,
    node_id: nodeId('IC_', record.id),
    url: `${origins.api}/repos/${fullName}/issues/comments/${record.id}`,
    html_url: `${origins.web}/${fullName}/${isPull ? 'pull' : 'issues'}/${record.issueNumber}#issuecomment-${record.id}`,
    body: record.body,
    user: simpleUser(state, origins, record.author),
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
    issue_url: `${origins.api}/repos/${fullName}/issues/${record.issueNumber}`,
    author_association: authorAssociation(repo, record.author),
  };
}

export function review(state: GitHubState, origins: Origins, repo: RepositoryRecord, number: number, record: ReviewRecord): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: record.id,
    node_id: nodeId('PRR_', record.id),
    user: simpleUser(state, origins, record.author),
    body: record.body,
    state: record.state,
    html_url: `${origins.web}/${fullName}/pull/${number}#pullrequestreview-${record.id}`,
    pull_request_url: `${origins.api}/repos/${fullName}/pulls/${number}`,
    author_association: authorAssociation(repo, record.author),
    submitted_at: record.state === 'PENDING' ? undefined : iso(record.submittedAt),
    commit_id: record.commitId,
  };
}

export function reviewComment(state: GitHubState, origins: Origins, repo: RepositoryRecord, number: number, record: ReviewCommentRecord): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    url: `${origins.api}/repos/${fullName}/pulls/comments/${record.id}`,
    pull_request_review_id: record.reviewId,
    id: record.id,
    node_id: nodeId('PRRC_', record.id),
    diff_hunk: record.diffHunk,
    path: record.path,
    position: record.line,
    original_position: record.line,
    commit_id: record.commitId,
    original_commit_id: record.commitId,
    ...(record.inReplyTo === null ? {} : { in_reply_to_id: record.inReplyTo }),
    user: simpleUser(state, origins, record.author),
    body: record.body,
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
    html_url: `${origins.web}/${fullName}/pull/${number}#discussion_r${record.id}`,
    pull_request_url: `${origins.api}/repos/${fullName}/pulls/${number}`,
    author_association: authorAssociation(repo, record.author),
    line: record.line,
    original_line: record.line,
    side: record.side,
    start_line: null,
    start_side: null,
    subject_type: 'line',
  };
}

export function checkRun(origins: Origins, repo: RepositoryRecord, record: CheckRunRecord): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const url = `${origins.api}/repos/${fullName}/check-runs/${record.id}`;
  return {
    id: record.id,
    head_sha: record.headSha,
    node_id: nodeId('CR_', record.id),
    external_id: record.externalId,
    url,
    html_url: `${origins.web}/${fullName}/actions/runs/${record.id}/job/${record.id}`,
    details_url: record.detailsUrl ?? `${origins.web}/${fullName}/actions/runs/${record.id}/job/${record.id}`,
    status: record.status,
    conclusion: record.conclusion,
    started_at: iso(record.startedAt),
    completed_at: iso(record.completedAt),
    output: { ...record.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: record.name,
    check_suite: { id: record.id + 1_000_000 },
    app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
    pull_requests: [],
  };
}

/**
 * The combined status: the newest status of each context; failure if any is
 * error or failure, pending if any is pending or there are none, else success.
 */
export function combinedStatus(state: GitHubState, origins: Origins, repo: RepositoryRecord, sha: string): { body: Json; changedAt: number } {
  const latest = new Map<string, StatusRecord>();
  for (const status of repo.statuses) if (status.sha === sha) latest.set(status.context, status);
  const statuses = [...latest.values()].reverse();
  const states = statuses.map((status) => status.state);
  const combined = states.some((s) => s === 'error' || s === 'failure') ? 'failure' : states.length === 0 || states.includes('pending') ? 'pending' : 'success';
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    changedAt: Math.max(repo.createdAt, ...statuses.map((status) => status.updatedAt)),
    body: {
      state: combined,
      statuses: statuses.map((status) => ({
        url: `${origins.api}/repos/${fullName}/statuses/${sha}`,
        avatar_url: `${origins.web}/avatars/${status.creator}`,
        id: status.id,
        node_id: nodeId('SC_', status.id),
        state: status.state,
        description: status.description,
        target_url: status.targetUrl,
        context: status.context,
        created_at: iso(status.createdAt),
        updated_at: iso(status.updatedAt),
      })),
      sha,
      total_count: statuses.length,
      repository: repository(state, origins, repo, undefined),
      commit_url: `${origins.api}/repos/${fullName}/commits/${sha}`,
      url: `${origins.api}/repos/${fullName}/commits/${sha}/status`,
    },
  };
}
