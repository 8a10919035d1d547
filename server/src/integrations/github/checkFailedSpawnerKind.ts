/**
 * The `github_check_failed` spawner: when the checks (and commit statuses)
 * on the head of a watched branch have all finished and some failed, a fixer agent starts from that
 * branch, with the failing checks and the end of their logs in its kickoff.
 * One fixer per failing head commit (spawnWork.ts names the key), so the
 * same failure never starts a second one; a new failing commit is new work.
 *
 * Each poll reads the branch's check runs and combined status with
 * conditional requests, so a branch whose CI did not change costs 304s; the logs of a failing
 * commit are read once.
 */
import type { SpawnerEntry, SpawnerKind, SpawnWork } from '../../spawn/spawnerKind';
import { checksVerdict, isCommitStatus } from './checkVerdict';
import { readCommitCi, type CommitCiState } from './commitCi';
import { ConditionalCache } from './conditionalCache';
import { conditionalGet } from './conditionalRequest';
import { githubHintFor } from './githubWebhook';
import type { GithubClient } from './githubClient';
import { jobLogTail } from './jobLog';
import { repositoryList, type RepositoryName } from './repositoryNames';
import { githubClientFor } from './sharedClients';
import { checkFailedWork } from './spawnWork';

type Json = Record<string, unknown>;

export interface CheckFailedSpawnerParams {
  where: string;
  repos: RepositoryName[];
  /** Watched branches; empty: each repository's default branch. */
  branches: string[];
  /** Only these checks (by name) count; empty: all of them. */
  checks: string[];
  config: Record<string, unknown>;
}

/** Deliveries that can change a branch's checks. */
const CHECK_EVENTS = new Set(['check_run', 'check_suite', 'status', 'workflow_run', 'workflow_job', 'push']);

/** Validators and log tails per entry, kept between polls. */
const caches = new Map<string, ConditionalCache>();

export const checkFailedSpawnerKind: SpawnerKind<CheckFailedSpawnerParams> = {
  kickoffTemplate: 'github/check_failed',

  params(entry: SpawnerEntry): CheckFailedSpawnerParams {
    const where = `spawners.${entry.name}`;
    const repos = repositoryList(entry.config.repos, `${where}.repos`);
    return { where, repos, branches: strings(entry.config.branches), checks: strings(entry.config.checks), config: entry.config };
  },

  wakesOn(params, hint) {
    return params.repos.some(({ owner, repo }) => {
      const github = githubHintFor(hint, owner, repo);
      if (!github || !CHECK_EVENTS.has(github.event)) return false;
      return !params.branches.length || !github.branches.length || github.branches.some((branch) => params.branches.includes(branch));
    });
  },

  async poll(params, env): Promise<SpawnWork[]> {
    const client = githubClientFor(params.config, params.where, env.log);
    let cache = caches.get(params.where);
    if (!cache) caches.set(params.where, (cache = new ConditionalCache()));
    const signal = env.signal;
    const work: SpawnWork[] = [];
    for (const { owner, repo } of params.repos) {
      const repositoryKey = `${owner}/${repo}`;
      const repository = await conditionalGet<Json, Json>(client.octokit, 'GET /repos/{owner}/{repo}', { owner, repo }, cache.get(repositoryKey), (data) => ({ full_name: data.full_name, name: data.name, owner: data.owner, default_branch: data.default_branch, html_url: data.html_url, private: data.private }), { signal });
      cache.set(repositoryKey, repository.next);
      const branches = params.branches.length ? params.branches : [String(repository.kept.default_branch ?? 'main')];
      for (const branch of branches) {
        const ciKey = `${owner}/${repo}@${branch}:ci`;
        const ci = await readCommitCi(client.octokit, owner, repo, branch, cache.get<CommitCiState>(ciKey)?.kept, signal);
        cache.set(ciKey, { kept: ci.next });
        // No sha: the branch moved between the two reads; the next poll sees it settled.
        const sha = ci.sha;
        if (!sha) continue;
        const counted = params.checks.length ? ci.runs.filter((run) => params.checks.includes(String(run.name))) : ci.runs;
        const verdict = checksVerdict(counted);
        if (verdict.state !== 'failed') continue;
        const tails = await logTails(cache, client, owner, repo, sha, verdict.failed.filter((run) => !isCommitStatus(run)), signal);
        const found = checkFailedWork(repository.kept, branch, sha, verdict.failed, tails);
        if (found) work.push(found);
      }
    }
    return work;
  },
};

/** The failing jobs' log tails of one commit, read once and remembered with the commit. */
async function logTails(cache: ConditionalCache, client: GithubClient, owner: string, repo: string, sha: string, failed: Array<{ id: number }>, signal: AbortSignal): Promise<Record<number, string>> {
  const key = `${owner}/${repo}@${sha}:logs`;
  const known = cache.get<Record<number, string>>(key);
  if (known) return known.kept;
  const tails: Record<number, string> = {};
  for (const run of failed) {
    const tail = await jobLogTail(client, owner, repo, run.id, signal);
    if (tail) tails[run.id] = tail;
  }
  cache.set(key, { kept: tails });
  return tails;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length > 0) : [];
}
