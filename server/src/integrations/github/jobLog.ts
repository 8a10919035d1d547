/**
 * The end of a failing GitHub Actions job's log, for the agent that has to
 * fix it. A check run's id is its job's id with Actions; other check
 * providers have no log here, and then the check's own summary has to do.
 */
import type { GithubClient } from './githubClient';

/** Lines of a failing job's log given to the agent. */
const LOG_TAIL_LINES = 60;

export async function jobLogTail(client: GithubClient, owner: string, repo: string, jobId: number, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const response = await client.octokit.request('GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs', { owner, repo, job_id: jobId, request: { signal } });
    const text = typeof response.data === 'string' ? response.data : Buffer.isBuffer(response.data) ? response.data.toString('utf8') : String(response.data ?? '');
    return text.split(/\r?\n/).filter((line) => line.length > 0).slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    // Not an Actions job, or its log expired.
    return undefined;
  }
}

