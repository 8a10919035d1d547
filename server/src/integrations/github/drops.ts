/**
 * GitHub's objects as templates see them: repository, issue, pull request,
 * check run, review and comment, built from the REST API's JSON (field names
 * as GitHub documents them) by one function each. Everything a person outside
 * wrote (titles, bodies, names, labels, check output, logs) goes through the
 * one sanitizer here; templates still frame long bodies with `external`.
 * Absent facts are null, never missing, so `{% if issue.body %}` works in
 * strict rendering.
 */
import { sanitizeUntrusted } from '../../supervisor/untrustedText';

type Json = Record<string, unknown>;

export interface RepositoryDrop {
  full_name: string;
  owner: string;
  name: string;
  default_branch: string | null;
  html_url: string | null;
  private: boolean;
}

export interface IssueDrop {
  number: number;
  title: string;
  body: string | null;
  state: string;
  labels: string[];
  assignees: string[];
  author: string | null;
  html_url: string | null;
  comments: number;
  created_at: string | null;
  updated_at: string | null;
}

export interface PullRequestDrop extends Omit<IssueDrop, 'labels' | 'assignees' | 'comments'> {
  draft: boolean;
  merged: boolean;
  mergeable: boolean | null;
  mergeable_state: string | null;
  head_ref: string | null;
  head_sha: string | null;
  base_ref: string | null;
}

export interface CheckRunDrop {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  html_url: string | null;
  details_url: string | null;
  started_at: string | null;
  completed_at: string | null;
  /** The last lines of the failing job's log, when it was read; outside text. */
  log_tail: string | null;
}

export interface ReviewDrop {
  id: number;
  state: string;
  body: string | null;
  author: string | null;
  html_url: string | null;
  submitted_at: string | null;
}

export interface CommentDrop {
  id: number;
  /** `issue` (the conversation) or `review` (on a line of the diff). */
  kind: 'issue' | 'review';
  body: string;
  author: string | null;
  html_url: string | null;
  created_at: string | null;
  /** For review comments: the file and line. */
  path: string | null;
  line: number | null;
}

export function repositoryDrop(repo: Json): RepositoryDrop {
  const owner = loginOf(repo.owner) ?? text(repo.full_name)?.split('/')[0] ?? '';
  return {
    full_name: text(repo.full_name) ?? `${owner}/${text(repo.name) ?? ''}`,
    owner,
    name: text(repo.name) ?? '',
    default_branch: text(repo.default_branch),
    html_url: text(repo.html_url),
    private: repo.private === true,
  };
}

export function issueDrop(issue: Json): IssueDrop {
  return {
    number: num(issue.number),
    title: outside(issue.title) ?? '',
    body: outside(issue.body),
    state: text(issue.state) ?? 'open',
    labels: list(issue.labels).map((label) => outside(typeof label === 'string' ? label : (label as Json)?.name) ?? '').filter(Boolean),
    assignees: list(issue.assignees).map(loginOf).filter((name): name is string => Boolean(name)),
    author: loginOf(issue.user),
    html_url: text(issue.html_url),
    comments: num(issue.comments),
    created_at: text(issue.created_at),
    updated_at: text(issue.updated_at),
  };
}

export function pullRequestDrop(pull: Json): PullRequestDrop {
  const head = (pull.head ?? {}) as Json;
  const base = (pull.base ?? {}) as Json;
  return {
    number: num(pull.number),
    title: outside(pull.title) ?? '',
    body: outside(pull.body),
    state: text(pull.state) ?? 'open',
    author: loginOf(pull.user),
    html_url: text(pull.html_url),
    created_at: text(pull.created_at),
    updated_at: text(pull.updated_at),
    draft: pull.draft === true,
    merged: pull.merged === true || Boolean(pull.merged_at),
    mergeable: typeof pull.mergeable === 'boolean' ? pull.mergeable : null,
    mergeable_state: text(pull.mergeable_state),
    head_ref: outside(head.ref),
    head_sha: text(head.sha),
    base_ref: outside(base.ref),
  };
}

export function checkRunDrop(run: Json, logTail: string | null = null): CheckRunDrop {
  const output = (run.output ?? {}) as Json;
  return {
    id: num(run.id),
    name: outside(run.name) ?? '',
    status: text(run.status) ?? 'completed',
    conclusion: text(run.conclusion),
    title: outside(output.title),
    summary: outside(output.summary),
    text: outside(output.text),
    html_url: text(run.html_url),
    details_url: text(run.details_url),
    started_at: text(run.started_at),
    completed_at: text(run.completed_at),
    log_tail: logTail === null ? null : sanitizeUntrusted(logTail),
  };
}

export function reviewDrop(review: Json): ReviewDrop {
  return {
    id: num(review.id),
    state: text(review.state) ?? 'COMMENTED',
    body: outside(review.body) || null,
    author: loginOf(review.user),
    html_url: text(review.html_url),
    submitted_at: text(review.submitted_at),
  };
}

export function commentDrop(comment: Json, kind: CommentDrop['kind']): CommentDrop {
  return {
    id: num(comment.id),
    kind,
    body: outside(comment.body) ?? '',
    author: loginOf(comment.user),
    html_url: text(comment.html_url),
    created_at: text(comment.created_at),
    path: kind === 'review' ? outside(comment.path) : null,
    line: kind === 'review' && typeof comment.line === 'number' ? comment.line : null,
  };
}

/** A string GitHub generated (a URL, a sha, a state): kept as is. */
function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A string a person wrote: through the one sanitizer. */
function outside(value: unknown): string | null {
  return typeof value === 'string' ? sanitizeUntrusted(value) : null;
}

/** A GitHub user object's login, sanitized; null when there is none. */
export function loginOf(user: unknown): string | null {
  const name = user && typeof user === 'object' ? (user as Json).login : undefined;
  return typeof name === 'string' ? sanitizeUntrusted(name) : null;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
