/**
 * GitHub work as the spawn pipeline takes it: a labelled (or assigned) issue,
 * and a failing check on a watched branch. Pure: the spawners fetch, this
 * decides what is work and names it. Dispatch keys are stable for the same
 * work (`github-issue-acme/app-42`; one fixer per failing head commit of a
 * branch), so a replay, a second poll or a host restart never starts a second
 * agent for it.
 */
import type { SpawnWork } from '../../spawn/spawnerKind';
import { checkRunDrop, commentDrop, issueDrop, repositoryDrop } from './drops';

type Json = Record<string, unknown>;

export interface IssueFilter {
  /** Every one of these labels (none: any). */
  labels: string[];
  /** This login must be among the assignees (absent: any). */
  assignee?: string;
}

/** Comments shown in an issue's kickoff: the most recent ones. */
export const KICKOFF_COMMENTS = 5;

export function issueKey(fullName: string, number: number): string {
  return `github-issue-${fullName}-${number}`;
}

/** The issue a dispatch key names (issueKey's inverse), or undefined for other keys. */
export function issueOfKey(key: string): { owner: string; repo: string; number: number } | undefined {
  const match = /^github-issue-([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)-(\d+)$/.exec(key);
  return match ? { owner: match[1], repo: match[2], number: Number(match[3]) } : undefined;
}

/** Open issues (not pull requests: GitHub lists those as issues too) that match the filter. */
export function matchingIssues(issues: Json[], filter: IssueFilter): Json[] {
  return issues.filter((issue) => {
    if (issue.pull_request || issue.state !== 'open') return false;
    const labels = (Array.isArray(issue.labels) ? issue.labels : []).map((label) => (typeof label === 'string' ? label : String((label as Json)?.name ?? ''))).map((name) => name.toLowerCase());
    if (!filter.labels.every((label) => labels.includes(label.toLowerCase()))) return false;
    if (filter.assignee) {
      const assignees = (Array.isArray(issue.assignees) ? issue.assignees : []).map((user) => String((user as Json)?.login ?? '').toLowerCase());
      if (!assignees.includes(filter.assignee.toLowerCase())) return false;
    }
    return true;
  });
}

/** One issue as work; `comments` are its latest comments, oldest first. */
export function issueWork(repository: Json, issue: Json, comments: Json[]): SpawnWork {
  const repo = repositoryDrop(repository);
  const drop = issueDrop(issue);
  return {
    key: issueKey(repo.full_name, drop.number),
    summary: `${repo.full_name}#${drop.number}: ${drop.title.replace(/\s+/g, ' ').slice(0, 100)}`,
    vars: { repository: repo, issue: drop, comments: comments.slice(-KICKOFF_COMMENTS).map((comment) => commentDrop(comment, 'issue')) },
    repository: { github: repo.full_name },
  };
}

/**
 * A failing check on a watched branch as work: one per branch head, starting
 * from that branch. `check` is the first that failed; `failing` has them all,
 * each with its log's tail when `logTails` (by check run id) has one.
 */
export function checkFailedWork(repository: Json, branch: string, sha: string, failing: Json[], logTails: Record<number, string> = {}): SpawnWork | undefined {
  if (!failing.length || !sha) return undefined;
  const repo = repositoryDrop(repository);
  const drops = [...failing].sort((a, b) => Number(a.id) - Number(b.id)).map((run) => checkRunDrop(run, logTails[Number(run.id)] ?? null));
  const check = drops[0];
  return {
    key: `github-check-failed-${repo.full_name}-${branch}-${sha.slice(0, 12)}`,
    summary: `${repo.full_name}@${branch}: ${failing.length === 1 ? `"${check.name}" failed` : `${failing.length} checks failed`}`,
    vars: { repository: repo, branch, sha, check, failing: drops },
    repository: { github: repo.full_name },
    baseRef: branch,
  };
}
