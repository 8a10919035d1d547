/**
 * What changed on a pull request between two looks, as monitor events: CI
 * failed or passed on the head commit, a review or a comment arrived, the
 * branch stopped merging cleanly. Pure: the GitHub monitor fetches (with
 * conditional requests) and hands each look here with the state of the one
 * before; this decides what an agent is told.
 *
 * - Event ids are stable for the same change (`ci_failure:<sha>`,
 *   `pr_review:<id>`), so the monitor framework tells each agent once,
 *   across polls and restarts, however many times a look reports it.
 * - Reviews and comments that were there at the first look are history, not
 *   news: only later ones become events.
 * - Only people allowed to steer the agent are passed on (`allowed`: write
 *   access by default, or an allowlist; a failed permission lookup means not
 *   allowed). What others write is counted in the state and dropped.
 */
import type { MonitorEvent } from '../../monitors/monitorKind';
import { checkRunDrop, commentDrop, pullRequestDrop, repositoryDrop, reviewDrop, type CheckRunDrop } from './drops';
import { checksVerdict } from './checkVerdict';

type Json = Record<string, unknown>;

/** One look at a pull request, as the REST API returned it. */
export interface PullRequestLook {
  repository: Json;
  pull: Json;
  /** Check runs on the head commit (`GET /repos/{o}/{r}/commits/{sha}/check-runs`). */
  checkRuns: Json[];
  reviews: Json[];
  /** The conversation (`/issues/{n}/comments`) and the diff's line comments (`/pulls/{n}/comments`). */
  issueComments: Json[];
  reviewComments: Json[];
  /** The end of the log of a failing check run, by its id, when it was read. */
  logTails?: Record<number, string>;
}

/** What is remembered between looks (persisted by the monitor framework). */
export interface PullRequestWatchState {
  /** Ids of reviews and comments already seen (told or dropped); at the first look, everything there. */
  seenReviews: number[];
  seenComments: string[];
  /** The last mergeable_state seen, to tell a new conflict once. */
  mergeableState: string | null;
  /** Reviews and comments dropped because their author may not steer the agent. */
  ignored: number;
}

/** A failing look outranks a comment in the agent's queue. */
const CI_PRIORITY = 10;

export function pullRequestEvents(previous: PullRequestWatchState | null, look: PullRequestLook, allowed: (login: string | null) => boolean): { state: PullRequestWatchState; events: MonitorEvent[] } {
  const repository = repositoryDrop(look.repository);
  const pullRequest = pullRequestDrop(look.pull);
  const events: MonitorEvent[] = [];
  const first = previous === null;
  const state: PullRequestWatchState = {
    seenReviews: [...(previous?.seenReviews ?? [])],
    seenComments: [...(previous?.seenComments ?? [])],
    mergeableState: pullRequest.mergeable_state,
    ignored: previous?.ignored ?? 0,
  };
  const base = { repository, pull_request: pullRequest };
  const url = pullRequest.html_url ?? undefined;

  const ci = ciEvent(look, base);
  if (ci) events.push({ ...ci, url });

  for (const raw of look.reviews) {
    const review = reviewDrop(raw);
    if (state.seenReviews.includes(review.id)) continue;
    state.seenReviews.push(review.id);
    if (first) continue;
    // A review's own line comments come with it, not as comments of their own.
    const lines = look.reviewComments.filter((comment) => comment.pull_request_review_id === review.id);
    for (const line of lines) markSeen(state, `review:${String(line.id)}`);
    if (review.state === 'PENDING') continue;
    if (!allowed(review.author)) {
      state.ignored += 1;
      continue;
    }
    events.push({
      id: `pr_review:${review.id}`,
      template: 'pr_review',
      variables: { ...base, review, comments: lines.map((line) => commentDrop(line, 'review')) },
      summary: `${review.author ?? 'someone'} reviewed #${pullRequest.number}: ${review.state.toLowerCase().replace('_', ' ')}`,
      url: review.html_url ?? url,
    });
  }

  const comments = [...look.issueComments.map((raw) => ({ raw, kind: 'issue' as const })), ...look.reviewComments.map((raw) => ({ raw, kind: 'review' as const }))].sort((a, b) =>
    String(a.raw.created_at ?? '').localeCompare(String(b.raw.created_at ?? '')),
  );
  for (const { raw, kind } of comments) {
    const key = `${kind}:${String(raw.id)}`;
    if (state.seenComments.includes(key)) continue;
    markSeen(state, key);
    if (first) continue;
    const comment = commentDrop(raw, kind);
    if (!allowed(comment.author)) {
      state.ignored += 1;
      continue;
    }
    events.push({
      id: `pr_comment:${key}`,
      template: 'pr_comment',
      variables: { ...base, comment },
      summary: `${comment.author ?? 'someone'} commented on #${pullRequest.number}`,
      url: comment.html_url ?? url,
    });
  }

  if (!first && pullRequest.mergeable_state === 'dirty' && previous?.mergeableState !== 'dirty') {
    events.push({
      id: `pr_conflict:${pullRequest.head_sha ?? ''}:${pullRequest.base_ref ?? ''}`,
      template: 'pr_conflict',
      variables: base,
      summary: `#${pullRequest.number} no longer merges cleanly into ${pullRequest.base_ref}`,
      url,
      priority: CI_PRIORITY,
    });
  }
  return { state, events };
}

/** The head commit's CI, once every check run on it has finished: failed (naming the failing ones) or passed. */
function ciEvent(look: PullRequestLook, base: Record<string, unknown>): Omit<MonitorEvent, 'url'> | undefined {
  const verdict = checksVerdict(look.checkRuns);
  const sha = String((look.pull.head as Json | undefined)?.sha ?? '');
  if (verdict.state === 'failed') {
    const { failed } = verdict;
    const drops: CheckRunDrop[] = failed.map((run) => checkRunDrop(run, look.logTails?.[run.id] ?? null));
    return {
      id: `ci_failure:${sha}:${failed.map((run) => run.id).sort((a, b) => a - b).join(',')}`,
      template: 'ci_failure',
      variables: { ...base, failed: drops },
      summary: `CI failed: ${failed.map((run) => run.name).join(', ')}`,
      priority: CI_PRIORITY,
    };
  }
  if (verdict.state === 'passed') {
    return { id: `ci_success:${sha}`, template: 'ci_success', variables: { ...base, checks: verdict.runs.map((run) => checkRunDrop(run)) }, summary: 'CI passed' };
  }
  return undefined;
}

function markSeen(state: PullRequestWatchState, key: string): void {
  if (!state.seenComments.includes(key)) state.seenComments.push(key);
}
