/**
 * The `github` goal: met when the agent's pull request is merged (`when:
 * merged`, the default) or when every check run and commit status on its
 * head has passed (`when: checks_green`; merged counts too). Closed without
 * merging fails it. The pull request is the newest one from the agent's
 * branch (agentPullRequest.ts), looked for until the agent opens it; then it
 * and its head's CI are read with conditional requests every
 * `poll_interval`, so waiting for a review costs 304s, and at once when a
 * webhook delivery about it arrives.
 */
import type { GoalKind, GoalWatchContext } from '../../goals/goalKind';
import type { GoalState } from '../../protocol';
import { goalPoll } from '../../goals/goalPoll';
import { agentBranch, pullRequestOf, type AgentBranch } from './agentPullRequest';
import { checksVerdict } from './checkVerdict';
import { readCommitCi, type CommitCiState } from './commitCi';
import { conditionalGet, type Conditional } from './conditionalRequest';
import { githubHintFor } from './githubWebhook';
import { githubClientFor } from './sharedClients';

type Json = Record<string, unknown>;

export type PullRequestGoalWhen = 'merged' | 'checks_green';

export interface PullRequestFacts {
  /** owner/name */
  repository: string;
  number: number;
  state: string;
  merged: boolean;
  headSha: string;
}

const DEFAULT_POLL_S = 60;
/** Deliveries that can merge or close the pull request, or finish its checks. */
const DECIDING_EVENTS = new Set(['pull_request', 'check_run', 'check_suite', 'status', 'workflow_run']);

/** The goal's decision from what GitHub says now; undefined: still pending. */
export function pullRequestOutcome(pull: PullRequestFacts, checkRuns: Json[] | null, when: PullRequestGoalWhen): { state: Exclude<GoalState, 'pending'>; summary: string } | undefined {
  const name = `${pull.repository}#${pull.number}`;
  if (pull.merged) return { state: 'met', summary: `${name} was merged` };
  if (pull.state === 'closed') return { state: 'failed', summary: `${name} was closed without merging` };
  if (when === 'checks_green' && checkRuns && checksVerdict(checkRuns).state === 'passed') {
    return { state: 'met', summary: `every check passed on ${name} (${pull.headSha.slice(0, 7)})` };
  }
  return undefined;
}

export const pullRequestGoalKind: GoalKind = {
  watch(context: GoalWatchContext) {
    const when: PullRequestGoalWhen = context.entry.when === 'checks_green' ? 'checks_green' : 'merged';
    const where = `goals.${context.name}`;
    const intervalMs = Number(context.entry.poll_interval ?? DEFAULT_POLL_S) * 1000;
    let pull: Conditional<Json> | undefined;
    /** Where the agent works, once known: what a webhook delivery is matched against. */
    let watched: AgentBranch | undefined;
    let ci: CommitCiState | undefined;
    let lastProblem = '';

    const look = async (signal: AbortSignal) => {
      const client = githubClientFor(context.entry, where, context.log);
      const at = await agentBranch(context.agent, context.entry, where);
      if ('missing' in at) return note(at.missing);
      watched = at;
      let number = Number(pull?.kept.number);
      if (!pull) {
        const newest = await pullRequestOf(client, at, 'all', signal);
        if (!newest) return note(`no pull request from ${at.owner}/${at.repo}@${at.branch} yet`);
        number = Number(newest.number);
      }
      const read = await conditionalGet<Json, Json>(client.octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: at.owner, repo: at.repo, pull_number: number }, pull, (data) => ({ number: data.number, state: data.state, merged: data.merged === true || Boolean(data.merged_at), head: { sha: (data.head as Json | undefined)?.sha } }), { signal });
      pull = read.next;
      const facts: PullRequestFacts = { repository: `${at.owner}/${at.repo}`, number, state: String(read.kept.state), merged: read.kept.merged === true, headSha: String((read.kept.head as Json).sha ?? '') };
      let runs: Json[] | null = null;
      if (when === 'checks_green' && !facts.merged && facts.state === 'open' && facts.headSha) {
        const read = await readCommitCi(client.octokit, at.owner, at.repo, facts.headSha, ci, signal);
        ci = read.next;
        runs = read.runs;
      }
      const outcome = pullRequestOutcome(facts, runs, when);
      if (outcome) context.decide(outcome.state, outcome.summary, 'github');
    };

    /** Says once why there is nothing to decide yet (not every poll). */
    const note = (problem: string) => {
      if (problem !== lastProblem) context.log.info('goals', `goal ${context.name} of ${context.agent.id}: ${problem}`);
      lastProblem = problem;
    };

    // Known before the first look, so that a delivery that comes first is matched.
    agentBranch(context.agent, context.entry, where).then(
      (at) => void (!('missing' in at) && (watched ??= at)),
      () => undefined,
    );
    const poll = goalPoll(intervalMs, look, (error) => context.log.warn('goals', `goal ${context.name} of ${context.agent.id}: could not read the pull request: ${error.message}`));
    return {
      stop: poll.stop,
      wake(hint) {
        const github = watched && githubHintFor(hint, watched.owner, watched.repo);
        if (!github || !DECIDING_EVENTS.has(github.event)) return;
        const number = pull ? Number(pull.kept.number) : undefined;
        if ((number !== undefined && github.pullRequests.includes(number)) || github.branches.includes(watched!.branch)) poll.now();
      },
    };
  },
};
