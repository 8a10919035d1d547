/**
 * The `github` monitor: watches the open pull request of an agent's branch —
 * its checks and commit statuses, reviews, comments and mergeability — and
 * tells the agent what changed (pullRequestEvents.ts decides what). Every read is a conditional
 * request whose validators live in the resource's persisted state, so an
 * unchanged pull request costs 304s that do not count against the rate
 * limit, also after a restart; every agent on the same pull request shares
 * one poll. A rate limit becomes the manager's backoff (GithubRateLimited is
 * a MonitorRetryError), shown as "backing off until …".
 */
import type { AgentRecord } from '../../protocol';
import type { MonitorEntry, MonitorEnv, MonitorKind, MonitorProbe, MonitorResource } from '../../monitors/monitorKind';
import { agentBranch, pullRequestOf } from './agentPullRequest';
import { checksVerdict, isCommitStatus } from './checkVerdict';
import { readCommitCi, type CommitCiState } from './commitCi';
import { jobLogTail } from './jobLog';
import { AuthorPolicy } from './authorPolicy';
import { githubHintFor } from './githubWebhook';
import { conditionalGet, conditionalList, type Conditional } from './conditionalRequest';
import type { GithubClient } from './githubClient';
import { credentialKey, githubClientFor } from './sharedClients';
import { loginOf } from './drops';
import { pullRequestEvents, type PullRequestWatchState } from './pullRequestEvents';

type Json = Record<string, unknown>;

/** Deliveries that can change what this monitor reports about a pull request. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment', 'pull_request_review_thread', 'issue_comment', 'check_run', 'check_suite', 'status', 'push', 'workflow_run', 'workflow_job']);

export interface GithubMonitorParams {
  owner: string;
  repo: string;
  number: number;
  /** The entry's keys that reach GitHub (credentials, base URL, allowlist): JSON, persisted with the resource. */
  entry: Record<string, unknown>;
  entryName: string;
}

interface GithubMonitorState {
  events: PullRequestWatchState | null;
  pull?: Conditional<Json>;
  /** The head commit's check runs and statuses. */
  ci?: CommitCiState;
  reviews?: Conditional<Json[]>;
  issueComments?: Conditional<Json[]>;
  reviewComments?: Conditional<Json[]>;
}

export const githubMonitorKind: MonitorKind<GithubMonitorParams, GithubMonitorState> = {
  async probe(agent: AgentRecord, entry: MonitorEntry, env: MonitorEnv): Promise<MonitorProbe<GithubMonitorParams>> {
    const where = `monitors.${entry.name}`;
    const at = await agentBranch(agent, entry.config, where);
    if ('missing' in at) return { applies: false, reason: at.missing };
    const { owner, repo, branch } = at;
    const client = githubClientFor(entry.config, where, env.log);
    const pull = await pullRequestOf(client, at, 'open', env.signal);
    if (!pull) return { applies: false, reason: `no open pull request for ${owner}/${repo}@${branch} yet` };
    const number = Number(pull.number);
    return {
      applies: true,
      resources: [
        {
          key: `${client.baseUrl}/${owner}/${repo}#${number}`,
          label: `${owner}/${repo}#${number} (${branch})`,
          params: { owner, repo, number, entry: githubKeys(entry.config), entryName: entry.name },
          rateLimitGroup: `github:${client.baseUrl}:${credentialKey(entry.config)}`,
        },
      ],
    };
  },

  wakesPoll(params, hint) {
    const github = githubHintFor(hint, params.owner, params.repo);
    if (!github || !PULL_REQUEST_EVENTS.has(github.event)) return false;
    // A check or push that names no pull request (a fork's, say) may still be this one's: a 304 costs nothing.
    return !github.pullRequests.length || github.pullRequests.includes(params.number);
  },

  wakesProbe(hint) {
    return hint.service === 'github' && hint.event === 'pull_request' && ['opened', 'reopened', 'ready_for_review', 'edited'].includes(String(hint.action));
  },

  async poll(resource: MonitorResource<GithubMonitorParams>, previous: GithubMonitorState | null, env: MonitorEnv) {
    const { owner, repo, number, entry, entryName } = resource.params;
    const client = githubClientFor(entry, `monitors.${entryName}`, env.log);
    const octokit = client.octokit;
    const signal = env.signal;
    const base = { owner, repo };
    const pull = await conditionalGet<Json, Json>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: number }, previous?.pull, (data) => data, { signal });
    const sha = String((pull.kept.head as Json | undefined)?.sha ?? '');
    const ci = await readCommitCi(octokit, owner, repo, sha, previous?.ci, signal);
    const list = (route: string, before: Conditional<Json[]> | undefined) => conditionalList<Json, Json[]>(octokit, route, { ...base, pull_number: number, issue_number: number, per_page: 100 }, before, (items) => items, { signal });
    const reviews = await list('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', previous?.reviews);
    const issueComments = await list('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', previous?.issueComments);
    const reviewComments = await list('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', previous?.reviewComments);

    const policy = policyFor(entry, client, owner, repo, () => env.now().getTime());
    const authors = [...reviews.kept, ...issueComments.kept, ...reviewComments.kept].map((item) => loginOf(item.user));
    const allowedLogins = await policy.allowedAmong(authors);
    const look = { repository: { full_name: `${owner}/${repo}`, name: repo, owner: { login: owner } }, pull: pull.kept, checkRuns: ci.runs, reviews: reviews.kept, issueComments: issueComments.kept, reviewComments: reviewComments.kept, logTails: {} as Record<number, string> };
    // The log of a failing run is read once it is known to have failed (and not again while unchanged).
    if (!ci.unchanged) {
      const verdict = checksVerdict(look.checkRuns);
      for (const run of verdict.state === 'failed' ? verdict.failed.filter((failed) => !isCommitStatus(failed)) : []) {
        const tail = await jobLogTail(client, owner, repo, run.id, signal);
        if (tail) look.logTails[Number(run.id)] = tail;
      }
    }
    const { state, events } = pullRequestEvents(previous?.events ?? null, look, (name) => name !== null && allowedLogins.has(name));
    return {
      state: { events: state, pull: pull.next, ci: ci.next, reviews: reviews.next, issueComments: issueComments.next, reviewComments: reviewComments.next },
      events,
    };
  },
};

/** The keys that reach GitHub; the rest of the entry (type, poll_interval, …) is the manager's. */
function githubKeys(config: Record<string, unknown>): Record<string, unknown> {
  const keys = ['token', 'app_id', 'private_key', 'installation_id', 'base_url', 'allowed_authors'];
  return Object.fromEntries(keys.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
}

const policies = new Map<string, AuthorPolicy>();

/** One policy per repository and allowlist, shared by every pull request polled with the same client; `now` is the monitors' clock. */
function policyFor(entry: Record<string, unknown>, client: GithubClient, owner: string, repo: string, now: () => number): AuthorPolicy {
  const allowlist = Array.isArray(entry.allowed_authors) ? entry.allowed_authors.filter((name): name is string => typeof name === 'string') : null;
  const key = `${client.baseUrl}/${owner}/${repo}\0${JSON.stringify(allowlist)}`;
  let policy = policies.get(key);
  if (!policy) {
    policy = new AuthorPolicy(async (name) => {
      try {
        const response = await client.octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner, repo, username: name });
        return String((response.data as Json).permission ?? '') || null;
      } catch (error) {
        // Not a collaborator is GitHub's 404: no permission. Anything else is a failed lookup (not allowed either).
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    }, allowlist, now);
    policies.set(key, policy);
  }
  return policy;
}
