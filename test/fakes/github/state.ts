/**
 * What the fake GitHub knows: users and their tokens, repositories with their
 * collaborators, issues and pull requests (one numbering, as on GitHub: a pull
 * request is an issue too), comments, reviews, check runs and commit statuses.
 *
 * Tests change it only through the mutators here. Every mutator stamps the
 * records it touches with the fake clock's time, so `updated_at`, and with it
 * the ETag and Last-Modified of every response that shows the record, change.
 */
import { createHash } from 'node:crypto';
import type { FakeClock } from './clock';

/** A collaborator's role; `permission` in the API folds maintain into write and triage into read. */
export type RepositoryRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale';
export type CommitState = 'error' | 'failure' | 'pending' | 'success';
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
export type MergeableState = 'clean' | 'dirty' | 'blocked' | 'behind' | 'unstable' | 'unknown' | 'draft' | 'has_hooks';

export interface UserRecord {
  id: number;
  login: string;
  name: string | null;
  type: 'User' | 'Bot';
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface IssueCommentRecord {
  id: number;
  issueNumber: number;
  author: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

export interface ReviewRecord {
  id: number;
  author: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: number;
}

export interface ReviewCommentRecord {
  id: number;
  reviewId: number | null;
  inReplyTo: number | null;
  author: string;
  body: string;
  path: string;
  line: number;
  side: 'LEFT' | 'RIGHT';
  diffHunk: string;
  commitId: string;
  createdAt: number;
  updatedAt: number;
}

export interface PullRecord {
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  mergedAt: number | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** null while GitHub is still computing it, as the API says. */
  mergeable: boolean | null;
  mergeableState: MergeableState;
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  locked: boolean;
  comments: IssueCommentRecord[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  /** Present when the issue is a pull request. */
  pull?: PullRecord;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  output: { title: string | null; summary: string | null; text: string | null };
  detailsUrl: string | null;
  externalId: string;
  startedAt: number | null;
  completedAt: number | null;
  /** Its job's log (a GitHub Actions check run's id is its job's id); null: no log to download. */
  log: string | null;
  changedAt: number;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: CommitState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: number;
  updatedAt: number;
}

export interface RepositoryRecord {
  id: number;
  owner: string;
  name: string;
  description: string | null;
  private: boolean;
  defaultBranch: string;
  createdAt: number;
  updatedAt: number;
  pushedAt: number;
  roles: Map<string, RepositoryRole>;
  /** Branch name → head sha; a ref in the commits endpoints may be a branch name or a sha. */
  branches: Map<string, string>;
  labels: Map<string, LabelRecord>;
  issues: Map<number, IssueRecord>;
  checkRuns: CheckRunRecord[];
  statuses: StatusRecord[];
  /** When anything in the repository's issues and pulls last changed (Last-Modified of their lists). */
  issuesChangedAt: number;
}

export interface OpenIssue {
  title: string;
  body?: string | null;
  author: string;
  labels?: string[];
  assignees?: string[];
}

export interface OpenPullRequest extends OpenIssue {
  head: { ref: string; sha?: string };
  /** The base branch; the repository's default branch when left out. */
  base?: string;
  draft?: boolean;
  mergeable?: boolean | null;
  mergeableState?: MergeableState;
}

/** A stable made-up sha for a name, so a test need not invent forty hex digits. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export class GitHubState {
  readonly users = new Map<string, UserRecord>();
  /** token → login. */
  readonly tokens = new Map<string, string>();
  readonly repositories = new Map<string, RepositoryRecord>();
  private nextId = 1000;

  constructor(readonly clock: FakeClock) {}

  private id(): number {
    return this.nextId++;
  }

  addUser(user: { login: string; token?: string; name?: string; type?: 'User' | 'Bot' }): UserRecord {
    if (this.users.has(user.login)) throw new Error(`fake GitHub: user ${user.login} exists already`);
    const record: UserRecord = { id: this.id(), login: user.login, name: user.name ?? null, type: user.type ?? 'User' };
    this.users.set(user.login, record);
    if (user.token) this.addToken(user.login, user.token);
    return record;
  }

  addToken(login: string, token: string): void {
    this.user(login);
    this.tokens.set(token, login);
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  user(login: string): UserRecord {
    const user = this.users.get(login);
    if (!user) throw new Error(`fake GitHub: no user ${login} (add it with addUser)`);
    return user;
  }

  /** Users named in a mutator are made on the fly: a commenter need not have a token. */
  private ensureUser(login: string): UserRecord {
    return this.users.get(login) ?? this.addUser({ login, type: login.endsWith('[bot]') ? 'Bot' : 'User' });
  }

  addRepository(repository: { owner: string; name: string; defaultBranch?: string; private?: boolean; description?: string; collaborators?: Record<string, RepositoryRole> }): RepositoryRecord {
    const fullName = `${repository.owner}/${repository.name}`;
    if (this.repositories.has(fullName.toLowerCase())) throw new Error(`fake GitHub: repository ${fullName} exists already`);
    this.ensureUser(repository.owner);
    const now = this.clock.now();
    const defaultBranch = repository.defaultBranch ?? 'main';
    const record: RepositoryRecord = {
      id: this.id(),
      owner: repository.owner,
      name: repository.name,
      description: repository.description ?? null,
      private: repository.private ?? false,
      defaultBranch,
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      roles: new Map([[repository.owner, 'admin']]),
      branches: new Map([[defaultBranch, fakeSha(`${fullName}@${defaultBranch}`)]]),
      labels: new Map(),
      issues: new Map(),
      checkRuns: [],
      statuses: [],
      issuesChangedAt: now,
    };
    for (const [login, role] of Object.entries(repository.collaborators ?? {})) {
      this.ensureUser(login);
      record.roles.set(login, role);
    }
    // GitHub's repository lookups ignore case; so do ours.
    this.repositories.set(fullName.toLowerCase(), record);
    return record;
  }

  repository(fullName: string): RepositoryRecord {
    const repository = this.repositories.get(fullName.toLowerCase());
    if (!repository) throw new Error(`fake GitHub: no repository ${fullName} (add it with addRepository)`);
    return repository;
  }

  /** null removes the user from the collaborators. */
  setRole(fullName: string, login: string, role: RepositoryRole | null): void {
    const repository = this.repository(fullName);
    this.ensureUser(login);
    if (role === null) repository.roles.delete(login);
    else repository.roles.set(login, role);
  }

  setBranch(fullName: string, branch: string, sha: string): void {
    const repository = this.repository(fullName);
    repository.branches.set(branch, sha);
    repository.pushedAt = this.clock.now();
  }

  openIssue(fullName: string, issue: OpenIssue): IssueRecord {
    const repository = this.repository(fullName);
    this.ensureUser(issue.author);
    const now = this.clock.now();
    const record: IssueRecord = {
      id: this.id(),
      number: repository.issues.size + 1,
      title: issue.title,
      body: issue.body ?? null,
      author: issue.author,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      locked: false,
      comments: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
    };
    repository.issues.set(record.number, record);
    repository.issuesChangedAt = now;
    for (const label of issue.labels ?? []) this.attachLabel(repository, record, label);
    for (const login of issue.assignees ?? []) this.attachAssignee(record, login);
    return record;
  }

  issue(fullName: string, number: number): IssueRecord {
    const issue = this.repository(fullName).issues.get(number);
    if (!issue) throw new Error(`fake GitHub: no issue #${number} in ${fullName}`);
    return issue;
  }

  pull(fullName: string, number: number): IssueRecord & { pull: PullRecord } {
    const issue = this.issue(fullName, number);
    if (!issue.pull) throw new Error(`fake GitHub: #${number} in ${fullName} is an issue, not a pull request`);
    return issue as IssueRecord & { pull: PullRecord };
  }

  /** Stamps an issue (and its repository's lists) as changed now. */
  private touch(fullName: string, issue: IssueRecord): number {
    const now = this.clock.now();
    issue.updatedAt = now;
    this.repository(fullName).issuesChangedAt = now;
    return now;
  }

  private attachLabel(repository: RepositoryRecord, issue: IssueRecord, name: string): void {
    if (!repository.labels.has(name)) repository.labels.set(name, { id: this.id(), name, color: 'ededed', description: null });
    if (!issue.labels.includes(name)) issue.labels.push(name);
  }

  private attachAssignee(issue: IssueRecord, login: string): void {
    this.ensureUser(login);
    if (!issue.assignees.includes(login)) issue.assignees.push(login);
  }

  labelIssue(fullName: string, number: number, ...labels: string[]): void {
    const issue = this.issue(fullName, number);
    for (const label of labels) this.attachLabel(this.repository(fullName), issue, label);
    this.touch(fullName, issue);
  }

  unlabelIssue(fullName: string, number: number, label: string): void {
    const issue = this.issue(fullName, number);
    issue.labels = issue.labels.filter((name) => name !== label);
    this.touch(fullName, issue);
  }

  assignIssue(fullName: string, number: number, ...logins: string[]): void {
    const issue = this.issue(fullName, number);
    for (const login of logins) this.attachAssignee(issue, login);
    this.touch(fullName, issue);
  }

  editIssue(fullName: string, number: number, change: { title?: string; body?: string | null }): void {
    const issue = this.issue(fullName, number);
    if (change.title !== undefined) issue.title = change.title;
    if (change.body !== undefined) issue.body = change.body;
    this.touch(fullName, issue);
  }

  /** A new comment bumps the issue's `updated_at`, as on GitHub. */
  commentOnIssue(fullName: string, number: number, comment: { author: string; body: string }): IssueCommentRecord {
    const issue = this.issue(fullName, number);
    this.ensureUser(comment.author);
    const now = this.touch(fullName, issue);
    const record: IssueCommentRecord = { id: this.id(), issueNumber: number, author: comment.author, body: comment.body, createdAt: now, updatedAt: now };
    issue.comments.push(record);
    return record;
  }

  editIssueComment(fullName: string, commentId: number, body: string): void {
    for (const issue of this.repository(fullName).issues.values()) {
      const comment = issue.comments.find((candidate) => candidate.id === commentId);
      if (!comment) continue;
      comment.body = body;
      comment.updatedAt = this.touch(fullName, issue);
      return;
    }
    throw new Error(`fake GitHub: no issue comment ${commentId} in ${fullName}`);
  }

  closeIssue(fullName: string, number: number, options: { by?: string; reason?: 'completed' | 'not_planned' } = {}): void {
    const issue = this.issue(fullName, number);
    const now = this.touch(fullName, issue);
    issue.state = 'closed';
    issue.stateReason = issue.pull ? null : (options.reason ?? 'completed');
    issue.closedAt = now;
    issue.closedBy = options.by ?? issue.author;
  }

  reopenIssue(fullName: string, number: number): void {
    const issue = this.issue(fullName, number);
    if (issue.pull?.merged) throw new Error(`fake GitHub: #${number} in ${fullName} is merged and cannot be reopened`);
    this.touch(fullName, issue);
    issue.state = 'open';
    issue.stateReason = issue.pull ? null : 'reopened';
    issue.closedAt = null;
    issue.closedBy = null;
  }

  openPullRequest(fullName: string, pull: OpenPullRequest): IssueRecord & { pull: PullRecord } {
    const repository = this.repository(fullName);
    const baseRef = pull.base ?? repository.defaultBranch;
    const headSha = pull.head.sha ?? fakeSha(`${fullName}@${pull.head.ref}#${repository.issues.size + 1}`);
    repository.branches.set(pull.head.ref, headSha);
    const issue = this.openIssue(fullName, pull);
    issue.pull = {
      head: { ref: pull.head.ref, sha: headSha },
      base: { ref: baseRef, sha: repository.branches.get(baseRef) ?? fakeSha(`${fullName}@${baseRef}`) },
      draft: pull.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      mergeable: pull.mergeable === undefined ? true : pull.mergeable,
      mergeableState: pull.mergeableState ?? (pull.draft ? 'draft' : 'clean'),
      reviews: [],
      reviewComments: [],
    };
    return issue as IssueRecord & { pull: PullRecord };
  }

  /** A push to the pull request's branch: a new head sha (the checks of the old one stay with it). */
  pushToPullRequest(fullName: string, number: number, sha: string): void {
    const issue = this.pull(fullName, number);
    issue.pull.head.sha = sha;
    this.repository(fullName).branches.set(issue.pull.head.ref, sha);
    this.touch(fullName, issue);
  }

  setMergeable(fullName: string, number: number, mergeable: boolean | null, mergeableState: MergeableState): void {
    const issue = this.pull(fullName, number);
    issue.pull.mergeable = mergeable;
    issue.pull.mergeableState = mergeableState;
    this.touch(fullName, issue);
  }

  mergePullRequest(fullName: string, number: number, options: { by?: string } = {}): string {
    const issue = this.pull(fullName, number);
    if (issue.state !== 'open') throw new Error(`fake GitHub: #${number} in ${fullName} is ${issue.pull.merged ? 'merged' : 'closed'} already`);
    const now = this.touch(fullName, issue);
    const by = options.by ?? this.repository(fullName).owner;
    this.ensureUser(by);
    const mergeSha = fakeSha(`${fullName} merge #${number} ${issue.pull.head.sha}`);
    Object.assign(issue.pull, { merged: true, mergedAt: now, mergedBy: by, mergeCommitSha: mergeSha, mergeable: null, mergeableState: 'unknown' as const });
    Object.assign(issue, { state: 'closed' as const, closedAt: now, closedBy: by });
    this.setBranch(fullName, issue.pull.base.ref, mergeSha);
    return mergeSha;
  }

  addReview(fullName: string, number: number, review: { author: string; state: ReviewState; body?: string }): ReviewRecord {
    const issue = this.pull(fullName, number);
    this.ensureUser(review.author);
    const now = this.touch(fullName, issue);
    const record: ReviewRecord = { id: this.id(), author: review.author, state: review.state, body: review.body ?? '', commitId: issue.pull.head.sha, submittedAt: now };
    issue.pull.reviews.push(record);
    return record;
  }

  addReviewComment(
    fullName: string,
    number: number,
    comment: { author: string; body: string; path: string; line: number; side?: 'LEFT' | 'RIGHT'; reviewId?: number; inReplyTo?: number; diffHunk?: string },
  ): ReviewCommentRecord {
    const issue = this.pull(fullName, number);
    this.ensureUser(comment.author);
    const now = this.touch(fullName, issue);
    const record: ReviewCommentRecord = {
      id: this.id(),
      reviewId: comment.reviewId ?? null,
      inReplyTo: comment.inReplyTo ?? null,
      author: comment.author,
      body: comment.body,
      path: comment.path,
      line: comment.line,
      side: comment.side ?? 'RIGHT',
      diffHunk: comment.diffHunk ?? `@@ -${comment.line},1 +${comment.line},1 @@`,
      commitId: issue.pull.head.sha,
      createdAt: now,
      updatedAt: now,
    };
    issue.pull.reviewComments.push(record);
    return record;
  }

  createCheckRun(
    fullName: string,
    run: { headSha: string; name: string; status?: CheckStatus; detailsUrl?: string; log?: string; output?: Partial<CheckRunRecord['output']> },
  ): CheckRunRecord {
    const repository = this.repository(fullName);
    const now = this.clock.now();
    const status = run.status ?? 'queued';
    const record: CheckRunRecord = {
      id: this.id(),
      headSha: run.headSha,
      name: run.name,
      status,
      conclusion: null,
      output: { title: null, summary: null, text: null, ...run.output },
      detailsUrl: run.detailsUrl ?? null,
      externalId: '',
      startedAt: status === 'queued' ? null : now,
      completedAt: null,
      log: run.log ?? null,
      changedAt: now,
    };
    repository.checkRuns.push(record);
    return record;
  }

  checkRun(fullName: string, id: number): CheckRunRecord {
    const run = this.repository(fullName).checkRuns.find((candidate) => candidate.id === id);
    if (!run) throw new Error(`fake GitHub: no check run ${id} in ${fullName}`);
    return run;
  }

  startCheckRun(fullName: string, id: number): void {
    const run = this.checkRun(fullName, id);
    run.status = 'in_progress';
    run.startedAt = run.changedAt = this.clock.now();
  }

  finishCheckRun(fullName: string, id: number, conclusion: CheckConclusion, change: { output?: Partial<CheckRunRecord['output']>; log?: string } = {}): void {
    const run = this.checkRun(fullName, id);
    const now = this.clock.now();
    run.status = 'completed';
    run.conclusion = conclusion;
    run.startedAt ??= now;
    run.completedAt = run.changedAt = now;
    run.output = { ...run.output, ...change.output };
    if (change.log !== undefined) run.log = change.log;
  }

  setCommitStatus(fullName: string, sha: string, status: { state: CommitState; context?: string; description?: string; targetUrl?: string; creator?: string }): StatusRecord {
    const repository = this.repository(fullName);
    const now = this.clock.now();
    const creator = status.creator ?? repository.owner;
    this.ensureUser(creator);
    const record: StatusRecord = {
      id: this.id(),
      sha,
      state: status.state,
      context: status.context ?? 'default',
      description: status.description ?? null,
      targetUrl: status.targetUrl ?? null,
      creator,
      createdAt: now,
      updatedAt: now,
    };
    repository.statuses.push(record);
    return record;
  }

  /** A ref in `/commits/{ref}/…`: a branch name, or a sha (or its prefix of 7 or more). */
  resolveRef(repository: RepositoryRecord, ref: string): string | undefined {
    const branch = repository.branches.get(ref.replace(/^(refs\/)?heads\//, ''));
    if (branch) return branch;
    if (!/^[0-9a-f]{7,40}$/.test(ref)) return undefined;
    const known = [...repository.branches.values(), ...repository.checkRuns.map((run) => run.headSha), ...repository.statuses.map((status) => status.sha)];
    for (const issue of repository.issues.values()) if (issue.pull) known.push(issue.pull.head.sha, issue.pull.mergeCommitSha ?? '');
    return known.find((sha) => sha.startsWith(ref));
  }
}
