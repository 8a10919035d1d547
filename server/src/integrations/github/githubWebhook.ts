/**
 * GitHub webhook deliveries (https://docs.github.com/en/webhooks): signed
 * with `X-Hub-Signature-256`, named by `X-GitHub-Delivery`, of the event in
 * `X-GitHub-Event`. Each becomes a hint naming the repository and the issues,
 * pull requests, branches and commits it touched; the monitor and spawners
 * here decide from that whether to look now (their `wakesPoll`, `wakesProbe`
 * and `wakesOn`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookHint, WebhookIntake } from '../../webhooks/webhookIntake';
import { verifyWebhookSignature } from './webhookSignature';

type Json = Record<string, unknown>;

export interface GithubHint extends WebhookHint {
  service: 'github';
  /** owner/name as GitHub spells it. */
  repository: string;
  action: string | null;
  issues: number[];
  pullRequests: number[];
  branches: string[];
  shas: string[];
}

export const githubWebhook: WebhookIntake = {
  service: 'github',

  verify(headers, body, secret) {
    return verifyWebhookSignature(secret, body, header(headers, 'x-hub-signature-256'));
  },

  deliveryId(headers) {
    return header(headers, 'x-github-delivery');
  },

  hints(headers, payload) {
    const event = header(headers, 'x-github-event');
    if (!event) throw new Error('no X-GitHub-Event header');
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('the payload is not a JSON object');
    if (event === 'ping') return [];
    const body = payload as Json;
    const repository = String((body.repository as Json | undefined)?.full_name ?? '');
    // Deliveries about an organization or an app rather than a repository: nothing here watches those.
    if (!repository) return [];
    const hint: GithubHint = { service: 'github', event, repository, action: typeof body.action === 'string' ? body.action : null, issues: [], pullRequests: [], branches: [], shas: [] };
    const issue = body.issue as Json | undefined;
    const pull = body.pull_request as Json | undefined;
    if (issue) {
      hint.issues.push(Number(issue.number));
      if (issue.pull_request) hint.pullRequests.push(Number(issue.number));
    }
    if (pull) {
      hint.pullRequests.push(Number(pull.number));
      addHead(hint, pull.head as Json | undefined);
    }
    const run = (body.check_run ?? body.check_suite ?? body.workflow_run ?? body.workflow_job) as Json | undefined;
    if (run) {
      const suite = (run.check_suite ?? run) as Json;
      addText(hint.shas, run.head_sha ?? suite.head_sha);
      addText(hint.branches, run.head_branch ?? suite.head_branch);
      for (const linked of list(run.pull_requests ?? suite.pull_requests)) hint.pullRequests.push(Number((linked as Json).number));
    }
    if (event === 'status') {
      addText(hint.shas, body.sha);
      for (const branch of list(body.branches)) addText(hint.branches, (branch as Json).name);
    }
    if (event === 'push' && typeof body.ref === 'string' && body.ref.startsWith('refs/heads/')) {
      hint.branches.push(body.ref.slice('refs/heads/'.length));
      addText(hint.shas, body.after);
    }
    hint.issues = unique(hint.issues.filter(Number.isInteger));
    hint.pullRequests = unique(hint.pullRequests.filter(Number.isInteger));
    return [hint];
  },
};

/** The hint is GitHub's and about `owner/repo` (names compare as GitHub does: ignoring case). */
export function githubHintFor(hint: WebhookHint, owner: string, repo: string): GithubHint | undefined {
  if (hint.service !== 'github' || typeof hint.repository !== 'string') return undefined;
  return hint.repository.toLowerCase() === `${owner}/${repo}`.toLowerCase() ? (hint as GithubHint) : undefined;
}

function addHead(hint: GithubHint, head: Json | undefined): void {
  addText(hint.branches, head?.ref);
  addText(hint.shas, head?.sha);
}

function addText(into: string[], value: unknown): void {
  if (typeof value === 'string' && value && !into.includes(value)) into.push(value);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
