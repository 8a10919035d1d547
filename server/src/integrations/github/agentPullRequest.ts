/**
 * Which GitHub repository and branch an agent works on, and its pull request
 * there: shared by the pull request monitor (its probe) and the `github`
 * goal. The repository is the entry's `repository:`, else the agent's
 * assignment when it names one (owner/name), else the clone's `origin` when
 * it points at a GitHub-like host; the branch is the assignment's, else the
 * checked-out one.
 */
import type { AgentRecord } from '../../protocol';
import { UserError } from '../../common/userError';
import { git } from '../../repository/git';
import { ConditionalCache } from './conditionalCache';
import { conditionalGet } from './conditionalRequest';
import type { GithubClient } from './githubClient';
import { REPOSITORY_NAME } from './repositoryNames';

type Json = Record<string, unknown>;

export interface AgentBranch {
  owner: string;
  repo: string;
  branch: string;
}

/** The agent's repository and branch, or why there is none (yet). */
export async function agentBranch(agent: AgentRecord, config: Record<string, unknown>, where: string): Promise<AgentBranch | { missing: string }> {
  const repository = configuredRepository(agent, config, where) ?? (await originRepository(agent.cwd));
  if (!repository) return { missing: 'no GitHub repository: give the entry repository: owner/name, or work in a clone of one' };
  const branch = agent.assignment.branch ?? (await currentBranch(agent.cwd));
  if (!branch) return { missing: `${agent.cwd} is on no branch` };
  const [, owner, repo] = REPOSITORY_NAME.exec(repository)!;
  return { owner, repo, branch };
}

/**
 * The newest pull request from `branch` in the given state (`open`, or `all`
 * to also find one already merged or closed), or undefined. Asked
 * conditionally and shared per client (so per credentials): every agent on
 * the branch, and every probe after the first, costs a 304 until something
 * changes, and lookups made at the same moment are one request.
 */
export function pullRequestOf(client: GithubClient, at: AgentBranch, state: 'open' | 'all', signal?: AbortSignal): Promise<Json | undefined> {
  let shared = lookups.get(client);
  if (!shared) lookups.set(client, (shared = { cache: new ConditionalCache(), inflight: new Map() }));
  const key = `${at.owner}/${at.repo}@${at.branch}:${state}`;
  const running = shared.inflight.get(key);
  if (running) return running;
  const { cache, inflight } = shared;
  const params = { owner: at.owner, repo: at.repo, head: `${at.owner}:${at.branch}`, state, sort: 'created', direction: 'desc', per_page: 1 };
  const lookup = conditionalGet<Json[], Json | null>(client.octokit, 'GET /repos/{owner}/{repo}/pulls', params, cache.get(key), (data) => data[0] ?? null, { signal })
    .then((result) => {
      cache.set(key, result.next);
      return result.kept ?? undefined;
    })
    .finally(() => inflight.delete(key));
  inflight.set(key, lookup);
  return lookup;
}

const lookups = new WeakMap<GithubClient, { cache: ConditionalCache; inflight: Map<string, Promise<Json | undefined>> }>();

function configuredRepository(agent: AgentRecord, config: Record<string, unknown>, where: string): string | undefined {
  const configured = typeof config.repository === 'string' ? config.repository : undefined;
  if (configured) {
    if (!REPOSITORY_NAME.test(configured)) throw new UserError(`${where}.repository: expected owner/name, got "${configured}"`);
    return configured;
  }
  const assigned = agent.assignment.repository;
  return assigned && REPOSITORY_NAME.test(assigned) ? assigned : undefined;
}

/** owner/name from the clone's `origin` remote, when it is on a GitHub host. */
function originRepository(cwd: string): Promise<string | undefined> {
  return gitOutput(cwd, ['remote', 'get-url', 'origin']).then((url) => {
    const match = url && /[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
    return match ? `${match[1]}/${match[2]}` : undefined;
  });
}

function currentBranch(cwd: string): Promise<string | undefined> {
  return gitOutput(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
}

/** git's answer, trimmed, or undefined when git fails or prints nothing (no remote, a detached HEAD). */
function gitOutput(cwd: string, args: string[]): Promise<string | undefined> {
  return git(args, { cwd, timeoutMs: 10_000 }).then(
    (out) => out.trim() || undefined,
    () => undefined,
  );
}
