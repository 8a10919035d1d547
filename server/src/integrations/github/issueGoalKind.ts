/**
 * The `github_issue` goal: met when the agent's issue is closed as completed
 * (failed when it is closed as not planned). The issue is the one the agent
 * was spawned for (its dispatch key, spawnWork.ts), or the entry's `issue:
 * owner/name#number`. Read with a conditional request every `poll_interval`.
 */
import type { GoalKind, GoalWatchContext } from '../../goals/goalKind';
import { conditionalGet, type Conditional } from './conditionalRequest';
import { githubClientFor } from './sharedClients';
import { issueOfKey } from './spawnWork';

type Json = Record<string, unknown>;

const DEFAULT_POLL_S = 60;

export const issueGoalKind: GoalKind = {
  watch(context: GoalWatchContext) {
    const target = issueOf(context);
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    if (!target) {
      context.log.warn('goals', `goal ${context.name} of ${context.agent.id}: no GitHub issue to watch (not spawned for one, and no issue: owner/name#number)`);
      return { stop: () => undefined };
    }
    const intervalMs = Number(context.entry.poll_interval ?? DEFAULT_POLL_S) * 1000;
    let previous: Conditional<Json> | undefined;
    const look = async () => {
      try {
        const client = githubClientFor(context.entry, `goals.${context.name}`, context.log);
        const result = await conditionalGet<Json, Json>(client.octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: target.owner, repo: target.repo, issue_number: target.number }, previous, (data) => ({ state: data.state, state_reason: data.state_reason, html_url: data.html_url }));
        previous = result.next;
        if (stopped) return;
        if (result.kept.state === 'closed') {
          const where = `${target.owner}/${target.repo}#${target.number}`;
          if (result.kept.state_reason === 'not_planned') context.decide('failed', `${where} was closed as not planned`, 'github');
          else context.decide('met', `${where} was closed`, 'github');
          return;
        }
      } catch (error) {
        context.log.warn('goals', `goal ${context.name} of ${context.agent.id}: could not read the issue: ${(error as Error).message}`);
      }
      if (!stopped) timer = setTimeout(() => void look(), intervalMs);
    };
    timer = setTimeout(() => void look(), intervalMs);
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  },
};

function issueOf(context: GoalWatchContext): { owner: string; repo: string; number: number } | undefined {
  const configured = typeof context.entry.issue === 'string' ? /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#(\d+)$/.exec(context.entry.issue) : null;
  if (configured) return { owner: configured[1], repo: configured[2], number: Number(configured[3]) };
  return issueOfKey(context.agent.assignment.dispatchKey ?? '');
}
