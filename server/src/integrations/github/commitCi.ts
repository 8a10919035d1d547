/**
 * A commit's CI as one read: its check runs and its combined status, both
 * conditional, the statuses read as runs (checkVerdict.ts). `ref` is a sha or
 * a branch; the validators of `previous` are used only for the same ref,
 * since another commit's checks are other resources. Returned `next` is JSON,
 * for a monitor's persisted state or a spawner's cache.
 */
import { statusesAsRuns } from './checkVerdict';
import { conditionalGet, type Conditional } from './conditionalRequest';
import type { GithubOctokit } from './githubClient';

type Json = Record<string, unknown>;

export interface CommitCiState {
  ref: string;
  checks: Conditional<Json[]>;
  status: Conditional<{ sha: string; statuses: Json[] }>;
}

export interface CommitCi {
  /** Check runs and commit statuses together. */
  runs: Json[];
  /** The commit the two reads agree on (for a branch ref they may see different heads: then undefined). */
  sha: string | undefined;
  /** Neither read changed since `previous`. */
  unchanged: boolean;
  next: CommitCiState;
}

export async function readCommitCi(octokit: GithubOctokit, owner: string, repo: string, ref: string, previous: CommitCiState | undefined, signal?: AbortSignal): Promise<CommitCi> {
  const before = previous?.ref === ref ? previous : undefined;
  const checks = await conditionalGet<{ check_runs: Json[] }, Json[]>(octokit, 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner, repo, ref, per_page: 100 }, before?.checks, (data) => data.check_runs, { signal });
  const status = await conditionalGet<{ sha: string; statuses: Json[] }, { sha: string; statuses: Json[] }>(octokit, 'GET /repos/{owner}/{repo}/commits/{ref}/status', { owner, repo, ref, per_page: 100 }, before?.status, (data) => ({ sha: data.sha, statuses: data.statuses }), { signal });
  const checksSha = checks.kept[0]?.head_sha;
  const agreed = typeof checksSha === 'string' && status.kept.statuses.length && status.kept.sha !== checksSha ? undefined : String(checksSha ?? status.kept.sha ?? '') || undefined;
  return {
    runs: [...checks.kept, ...statusesAsRuns(status.kept.statuses)],
    sha: agreed,
    unchanged: checks.notModified && status.notModified,
    next: { ref, checks: checks.next, status: status.next },
  };
}
