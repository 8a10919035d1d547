/**
 * GitHub's side of a webhook (https://docs.github.com/en/webhooks): payloads
 * built from the fake's state in the shapes GitHub delivers (the REST shapes
 * of the issue, pull request, check run and repository, plus `action` and
 * `sender`), and a delivery POSTed the way GitHub's Hookshot does: JSON body,
 * `X-GitHub-Event`, a fresh `X-GitHub-Delivery` GUID, `X-GitHub-Hook-ID`, the
 * installation target headers, and `X-Hub-Signature-256` (and the legacy
 * SHA-1 `X-Hub-Signature`) over the exact bytes sent.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { FakeGithubServer } from './fakeGithubServer';
import * as wire from './wireShapes';

type Json = Record<string, unknown>;

export interface Delivery {
  id: string;
  status: number;
  body: string;
}

export interface DeliverOptions {
  /** Resend a delivery (GitHub's "Redeliver" keeps the GUID). */
  id?: string;
  /** Sign with another secret (a forged delivery), or leave the signature out (null). */
  signWith?: string | null;
  /** Send these bytes instead of the payload's JSON (still signed, unless signWith says otherwise). */
  rawBody?: string;
}

const HOOK_ID = 4242;

export class WebhookSender {
  constructor(private readonly fake: FakeGithubServer, private readonly receiverUrl: () => string, private readonly secret: string) {}

  issues(fullName: string, number: number, action: string, sender: string): Json {
    const repo = this.fake.state.repository(fullName);
    return { action, issue: wire.issue(this.fake.state, this.origins, repo, this.fake.state.issue(fullName, number)), ...this.common(fullName, sender) };
  }

  pullRequest(fullName: string, number: number, action: string, sender: string): Json {
    const repo = this.fake.state.repository(fullName);
    return { action, number, pull_request: wire.pull(this.fake.state, this.origins, repo, this.fake.state.pull(fullName, number)), ...this.common(fullName, sender) };
  }

  /** `sender` is whoever's app reported the run (an Actions run: the fake's `github-actions` user, added if missing). */
  checkRun(fullName: string, id: number, action: string, sender = 'github-actions'): Json {
    const state = this.fake.state;
    const repo = state.repository(fullName);
    const record = state.checkRun(fullName, id);
    const run = wire.checkRun(this.origins, repo, record);
    // A delivery's check run names its suite's branch and the open pull requests whose head it is.
    const branch = [...repo.branches].find(([, sha]) => sha === record.headSha)?.[0] ?? null;
    const pulls = [...repo.issues.values()].filter((issue) => issue.pull && issue.state === 'open' && issue.pull.head.sha === record.headSha);
    run.check_suite = { id: record.id + 1_000_000, head_branch: branch, head_sha: record.headSha, status: record.status, conclusion: record.conclusion };
    run.pull_requests = pulls.map((issue) => ({ number: issue.number, head: { ref: issue.pull!.head.ref, sha: issue.pull!.head.sha }, base: { ref: issue.pull!.base.ref, sha: issue.pull!.base.sha } }));
    if (!state.users.has(sender)) state.addUser({ login: sender, type: 'Bot' });
    return { action, check_run: run, ...this.common(fullName, sender) };
  }

  ping(fullName: string): Json {
    return { zen: 'Keep it logically awesome.', hook_id: HOOK_ID, hook: { type: 'Repository', id: HOOK_ID, events: ['*'], active: true }, ...this.common(fullName, this.fake.state.repository(fullName).owner) };
  }

  async deliver(event: string, payload: Json, options: DeliverOptions = {}): Promise<Delivery> {
    const id = options.id ?? randomUUID();
    const body = options.rawBody ?? JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/7f3a2b1',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': String(HOOK_ID),
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String((payload.repository as Json | undefined)?.id ?? 0),
    };
    const secret = options.signWith === undefined ? this.secret : options.signWith;
    if (secret !== null) {
      headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      headers['x-hub-signature'] = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
    }
    const response = await fetch(this.receiverUrl(), { method: 'POST', headers, body });
    return { id, status: response.status, body: await response.text() };
  }

  private get origins(): wire.Origins {
    return { api: this.fake.url, web: this.fake.url };
  }

  private common(fullName: string, sender: string): Json {
    const state = this.fake.state;
    return { repository: wire.repository(state, this.origins, state.repository(fullName), undefined), sender: wire.simpleUser(state, this.origins, sender) };
  }
}
