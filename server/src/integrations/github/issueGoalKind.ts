/**
 * The `github_issue` goal: met when the agent's issue is closed as completed
 * (failed when it is closed as not planned). The issue is the one the agent
 * was spawned for (its dispatch key, spawnWork.ts), or the entry's `issue:
 * owner/name#number`. Read with a conditional request every `poll_interval`,
 * and at once when a webhook delivery about the issue arrives.
 */
import type { GoalKind, GoalWatchContext } from '../../goals/goalKind';
import { conditionalGet, type Conditional } from './conditionalRequest';
import { goalPoll } from '../../goals/goalPoll';
import { githubHintFor } from './githubWebhook';
import { githubClientFor } from './sharedClients';
import { issueOfKey } from './spawnWork';

type Json = Record<string, unknown>;

const DEFAULT_POLL_S = 60;

export const issueGoalKind: GoalKind = {
  watch(context: GoalWatchContext) {
    const target = issueOf(context);
    if (!target) {
      context.log.warn('goals', `goal ${context.name} of ${context.agent.id}: no GitHub issue to watch (not spawned for one, and no issue: owner/name#number)`);
      return { stop: () => undefined };
    }
    const intervalMs = Number(context.entry.poll_interval ?? DEFAULT_POLL_S) * 1000;
    let previous: Conditional<Json> | undefined;
    const where = `${target.owner}/${target.repo}#${target.number}`;
    const look = async (signal: AbortSignal) => {
      const client = githubClientFor(context.entry, `goals.${context.name}`, context.log);
      const result = await conditionalGet<Json, Json>(client.octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: target.owner, repo: target.repo, issue_number: target.number }, previous, (data) => ({ state: data.state, state_reason: data.state_reason, html_url: data.html_url }), { signal });
      previous = result.next;
      if (result.kept.state !== 'closed') return;
      if (result.kept.state_reason === 'not_planned') context.decide('failed', `${where} was closed as not planned`, 'github');
      else context.decide('met', `${where} was closed`, 'github');
    };
    const poll = goalPoll(intervalMs, look, (error) => context.log.warn('goals', `goal ${context.name} of ${context.agent.id}: could not read the issue: ${error.message}`));
    return {
      stop: poll.stop,
      wake(hint) {
        const github = githubHintFor(hint, target.owner, target.repo);
        if (github?.event === 'issues' && github.issues.includes(target.number)) poll.now();
      },
    };
  },
};

function issueOf(context: GoalWatchContext): { owner: string; repo: string; number: number } | undefined {
  const configured = typeof context.entry.issue === 'string' ? /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#(\d+)$/.exec(context.entry.issue) : null;
  if (configured) return { owner: configured[1], repo: configured[2], number: Number(configured[3]) };
  return issueOfKey(context.agent.assignment.dispatchKey ?? '');
}
