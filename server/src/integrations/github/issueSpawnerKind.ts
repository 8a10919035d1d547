/**
 * The `github_issue` spawner: open issues with the entry's labels (and
 * assignee) in its repositories become work, one agent per issue
 * (spawnWork.ts names the key). Each poll lists a repository's issues
 * newest-updated first with a conditional request, so a quiet repository
 * costs a 304; an issue's latest comments are read (conditionally too) for
 * its kickoff.
 */
import { UserError } from '../../common/userError';
import type { SpawnerEntry, SpawnerKind, SpawnWork } from '../../spawn/spawnerKind';
import { ConditionalCache } from './conditionalCache';
import { conditionalList } from './conditionalRequest';
import { githubHintFor } from './githubWebhook';
import { repositoryList, type RepositoryName } from './repositoryNames';
import { githubClientFor } from './sharedClients';
import { issueWork, matchingIssues, type IssueFilter } from './spawnWork';

type Json = Record<string, unknown>;

export interface IssueSpawnerParams {
  where: string;
  repos: RepositoryName[];
  filter: IssueFilter;
  config: Record<string, unknown>;
}

/** Validators of the lists read, per entry and URL: between polls a quiet repository answers 304. */
const caches = new Map<string, ConditionalCache>();

export const issueSpawnerKind: SpawnerKind<IssueSpawnerParams> = {
  kickoffTemplate: 'github/issue_opened',

  params(entry: SpawnerEntry): IssueSpawnerParams {
    const where = `spawners.${entry.name}`;
    const repos = repositoryList(entry.config.repos, `${where}.repos`);
    const labels = Array.isArray(entry.config.labels) ? entry.config.labels.filter((label): label is string => typeof label === 'string') : ['superkick'];
    const assignee = typeof entry.config.assignee === 'string' ? entry.config.assignee : undefined;
    if (!labels.length && !assignee) throw new UserError(`${where}: give labels or an assignee, or every open issue would start an agent`);
    return { where, repos, filter: { labels, assignee }, config: entry.config };
  },

  wakesOn(params, hint) {
    return params.repos.some(({ owner, repo }) => {
      const github = githubHintFor(hint, owner, repo);
      return Boolean(github && (github.event === 'issues' || (github.event === 'issue_comment' && !github.pullRequests.length)));
    });
  },

  async poll(params, env): Promise<SpawnWork[]> {
    const client = githubClientFor(params.config, params.where, env.log);
    let cache = caches.get(params.where);
    if (!cache) caches.set(params.where, (cache = new ConditionalCache()));
    const work: SpawnWork[] = [];
    for (const { owner, repo } of params.repos) {
      const query: Record<string, unknown> = { owner, repo, state: 'open', sort: 'updated', direction: 'desc', per_page: 100 };
      if (params.filter.labels.length) query.labels = params.filter.labels.join(',');
      if (params.filter.assignee) query.assignee = params.filter.assignee;
      const listKey = `${owner}/${repo}:issues`;
      const issues = await conditionalList<Json, Json[]>(client.octokit, 'GET /repos/{owner}/{repo}/issues', query, cache.get(listKey), (items) => items, { signal: env.signal });
      cache.set(listKey, issues.next);
      for (const issue of matchingIssues(issues.kept, params.filter)) {
        const commentsKey = `${owner}/${repo}#${String(issue.number)}:comments`;
        const comments = await conditionalList<Json, Json[]>(client.octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: issue.number, per_page: 100 }, cache.get(commentsKey), (items) => items.slice(-10), { signal: env.signal });
        cache.set(commentsKey, comments.next);
        work.push(issueWork({ full_name: `${owner}/${repo}`, name: repo, owner: { login: owner } }, issue, comments.kept));
      }
    }
    return work;
  },
};
