/**
 * The peer of the GitHub benchmark: how one agent would watch its pull
 * request without Superkick's monitor framework. It finds the pull request
 * for its branch once, then on each `poll()` makes the same reads as the
 * `github` monitor (the pull request, the head commit's check runs and
 * combined status, reviews, conversation comments, line comments, and a
 * failing job's log) with plain fetch: no If-None-Match or If-Modified-Since, and nothing shared with the
 * other agents on the same pull request.
 *
 * It is kept as cheap as a naive poller can honestly be: every list in one
 * page of 100, and a failing job's log read once, not on every poll.
 */
import { GITHUB_API_VERSION } from '../../server/src/integrations/github/githubClient';

type Json = Record<string, unknown>;

export interface NaiveWatch {
  /** The API root (`https://api.github.com`, or the fake's URL). */
  baseUrl: string;
  token: string;
  owner: string;
  repo: string;
  branch: string;
}

export class NaiveGithubPoller {
  private number: number | undefined;
  private readonly logsRead = new Set<number>();
  private readonly seenComments = new Set<string>();
  private readonly finishedChecks = new Set<number>();
  /** New comments and finished checks noticed after the first poll: what this agent would have been told. */
  changesNoticed = 0;
  private polled = false;

  constructor(private readonly watch: NaiveWatch) {}

  /** Finds the open pull request for the branch, as the monitor's probe does. */
  async start(): Promise<void> {
    const { owner, repo, branch } = this.watch;
    const pulls = (await this.get(`/repos/${owner}/${repo}/pulls?head=${encodeURIComponent(`${owner}:${branch}`)}&state=open&per_page=10`)) as Json[];
    if (!pulls[0]) throw new Error(`naive poller: no open pull request for ${owner}/${repo}@${branch}`);
    this.number = Number(pulls[0].number);
  }

  async poll(): Promise<void> {
    if (this.number === undefined) throw new Error('naive poller: poll() before start()');
    const at = `/repos/${this.watch.owner}/${this.watch.repo}`;
    const pull = (await this.get(`${at}/pulls/${this.number}`)) as Json;
    const sha = String((pull.head as Json).sha);
    const checks = ((await this.get(`${at}/commits/${sha}/check-runs?per_page=100`)) as { check_runs: Json[] }).check_runs;
    // Older CI services report commit statuses; the monitor reads them too (none change in this workload).
    await this.get(`${at}/commits/${sha}/status?per_page=100`);
    const reviews = (await this.get(`${at}/pulls/${this.number}/reviews?per_page=100`)) as Json[];
    const issueComments = (await this.get(`${at}/issues/${this.number}/comments?per_page=100`)) as Json[];
    const reviewComments = (await this.get(`${at}/pulls/${this.number}/comments?per_page=100`)) as Json[];

    for (const run of checks) {
      const id = Number(run.id);
      if (run.status !== 'completed' || this.finishedChecks.has(id)) continue;
      this.finishedChecks.add(id);
      if (this.polled) this.changesNoticed += 1;
      if (['failure', 'timed_out'].includes(String(run.conclusion)) && !this.logsRead.has(id)) {
        this.logsRead.add(id);
        await this.get(`${at}/actions/jobs/${id}/logs`, 'text');
      }
    }
    const said = { review: reviews, issue: issueComments, line: reviewComments };
    for (const [kind, items] of Object.entries(said)) {
      for (const item of items) {
        const key = `${kind}:${String(item.id)}`;
        if (this.seenComments.has(key)) continue;
        this.seenComments.add(key);
        if (this.polled) this.changesNoticed += 1;
      }
    }
    this.polled = true;
  }

  private async get(path: string, as: 'json' | 'text' = 'json'): Promise<unknown> {
    const response = await fetch(`${this.watch.baseUrl}${path}`, {
      headers: { authorization: `token ${this.watch.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION },
    });
    if (!response.ok) throw new Error(`naive poller: GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    return as === 'json' ? response.json() : response.text();
  }
}
