/**
 * The GitHub client against a tiny real HTTP server on 127.0.0.1 that answers
 * as GitHub does (ETag/304, Last-Modified, Link pages, x-ratelimit-*,
 * retry-after, 5xx, 401, an App's installation token): real Octokit, real
 * plugins, real fetch; nothing mocked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { createGithubClient, GITHUB_API_VERSION, type GithubClient } from '../../server/src/integrations/github/githubClient';
import { conditionalGet, conditionalList, type Conditional } from '../../server/src/integrations/github/conditionalRequest';
import { ConditionalCache } from '../../server/src/integrations/github/conditionalCache';
import { GithubRateLimited, SECONDARY_LIMIT_WAIT_MS } from '../../server/src/integrations/github/rateLimit';
import { githubCredentials } from '../../server/src/integrations/github/githubCredentials';
import { MonitorRetryError } from '../../server/src/monitors/monitorKind';
import { UserError } from '../../server/src/common/userError';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}
type Reply = { status: number; headers?: Record<string, string>; body?: unknown };
/** `hang`: never answer (a dead server). */
type Handler = (request: Seen) => Reply | 'hang';

/** A GitHub-shaped server: `routes` by "METHOD /path" (query ignored); every request is recorded. */
class TinyGithub {
  readonly seen: Seen[] = [];
  readonly routes = new Map<string, Handler>();
  private readonly server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const seen = { method: req.method!, url: req.url!, headers: req.headers };
      this.seen.push(seen);
      const handler = this.routes.get(`${req.method} ${req.url!.split('?')[0]}`);
      const reply = handler ? handler(seen) : { status: 404, body: { message: 'Not Found' } };
      if (reply === 'hang') return;
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(text && { 'content-type': 'application/json; charset=utf-8' }), ...RATE_HEADERS, ...reply.headers });
      res.end(text);
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The requests made to a path since `from`. */
  to(path: string, from = 0): Seen[] {
    return this.seen.slice(from).filter((request) => request.url.split('?')[0] === path);
  }
}

const RATE_HEADERS = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' };

/** A resource whose ETag follows its content, answering 304 to a matching If-None-Match as GitHub does. */
function etagged(content: () => unknown): Handler {
  return (request) => {
    const body = content();
    const etag = `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
    return { status: 200, headers: { etag }, body };
  };
}

const github = new TinyGithub();
let client: GithubClient;
const clientFor = (baseUrl: string, token = 'test-token') => createGithubClient({ auth: { token }, baseUrl, retryBaseMs: 1 });

before(async () => {
  await github.start();
  client = clientFor(github.url);
});
after(() => github.stop());

describe('github client: requests', () => {
  it('sends the token, the API version and a superkick User-Agent', async () => {
    github.routes.set('GET /user', () => ({ status: 200, body: { login: 'octocat' } }));
    const from = github.seen.length;
    const { data } = await client.octokit.request('GET /user');
    assert.equal(data.login, 'octocat');
    const [request] = github.to('/user', from);
    assert.equal(request.headers.authorization, 'token test-token');
    assert.equal(request.headers['x-github-api-version'], GITHUB_API_VERSION);
    assert.match(request.headers['user-agent']!, /^superkick\/\S+ /);
    assert.equal(client.rateLimits().get('core')?.remaining, 4990);
  });

  it('honours a GitHub Enterprise base URL (https://HOST/api/v3)', async () => {
    github.routes.set('GET /api/v3/repos/acme/app', () => ({ status: 200, body: { full_name: 'acme/app' } }));
    const ghes = clientFor(`${github.url}/api/v3/`);
    assert.equal(ghes.baseUrl, `${github.url}/api/v3`);
    const { data } = await ghes.octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' });
    assert.equal(data.full_name, 'acme/app');
  });

  it('retries a server error, then gives up after its retries', async () => {
    let calls = 0;
    github.routes.set('GET /flaky', () => (++calls === 1 ? { status: 502, body: { message: 'Server Error' } } : { status: 200, body: { ok: true } }));
    const { data } = await client.octokit.request('GET /flaky');
    assert.deepEqual(data, { ok: true });
    assert.equal(calls, 2);

    let broken = 0;
    github.routes.set('GET /broken', () => (broken++, { status: 500, body: { message: 'Server Error' } }));
    await assert.rejects(client.octokit.request('GET /broken'), (error: { status?: number }) => error.status === 500);
    assert.equal(broken, 3, 'the first try and two retries');
  });

  it('does not retry a 404 and says so', async () => {
    const from = github.seen.length;
    await assert.rejects(client.octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'gone' }), (error: { status?: number }) => error.status === 404);
    assert.equal(github.to('/repos/acme/gone', from).length, 1);
  });

  it('gives up on a server that does not answer', async () => {
    github.routes.set('GET /hangs', () => 'hang');
    const impatient = createGithubClient({ auth: { token: 't' }, baseUrl: github.url, retries: 0, requestTimeoutMs: 300 });
    await assert.rejects(impatient.octokit.request('GET /hangs'), (error: Error) => /aborted|timeout/i.test(error.message));
  });

  it('turns a 401 into a UserError that names the credentials', async () => {
    github.routes.set('GET /user/bad', () => ({ status: 401, body: { message: 'Bad credentials' } }));
    await assert.rejects(client.octokit.request('GET /user/bad'), (error: Error) => error instanceof UserError && /refused the credentials \(401 Bad credentials/.test(error.message));
  });
});

describe('github client: rate limits', () => {
  it('a primary limit (remaining 0) waits until the reset, without retrying', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    let calls = 0;
    github.routes.set('GET /limited/primary', () => (calls++, {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'core' },
      body: { message: 'API rate limit exceeded for user ID 1.' },
    }));
    const error = await client.octokit.request('GET /limited/primary').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GithubRateLimited, String(error));
    assert.ok(error instanceof MonitorRetryError, 'the monitor manager backs off on it as it is');
    assert.equal(error.kind, 'primary');
    assert.equal(error.resource, 'core');
    const expected = reset * 1000 + 1000 - Date.now();
    assert.ok(Math.abs(error.retryAfterMs - expected) < 2000, `${error.retryAfterMs} ≈ ${expected}`);
    assert.match(error.message, /primary rate limit \(core\) of 5000 requests an hour is used up until/);
    assert.equal(calls, 1);
  });

  it('a secondary limit waits as long as retry-after says', async () => {
    github.routes.set('GET /limited/secondary', () => ({
      status: 403,
      headers: { 'retry-after': '30' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
    }));
    const error = await client.octokit.request('GET /limited/secondary').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GithubRateLimited);
    assert.equal(error.kind, 'secondary');
    assert.equal(error.retryAfterMs, 30_000);
  });

  it('a secondary limit without retry-after, or a bare 429, waits a minute', async () => {
    github.routes.set('GET /limited/secondary-bare', () => ({ status: 403, body: { message: 'You have exceeded a secondary rate limit.' } }));
    github.routes.set('GET /limited/429', () => ({ status: 429, body: { message: 'Too Many Requests' } }));
    for (const path of ['/limited/secondary-bare', '/limited/429']) {
      const from = github.seen.length;
      const error = await client.octokit.request(`GET ${path}`).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof GithubRateLimited, `${path}: ${String(error)}`);
      assert.equal(error.kind, 'secondary');
      assert.equal(error.retryAfterMs, SECONDARY_LIMIT_WAIT_MS);
      assert.equal(github.to(path, from).length, 1, `${path} is not retried`);
    }
  });

  it('a 403 for a missing permission is not a rate limit', async () => {
    github.routes.set('GET /forbidden', () => ({ status: 403, body: { message: 'Resource not accessible by integration' } }));
    const error = await client.octokit.request('GET /forbidden').then(() => undefined, (e: unknown) => e);
    assert.ok(!(error instanceof GithubRateLimited));
    assert.equal((error as { status?: number }).status, 403);
  });
});

describe('github client: conditional requests', () => {
  it('the second identical GET sends If-None-Match and gets the remembered body on a 304; a change comes back new', async () => {
    let title = 'First';
    github.routes.set('GET /repos/acme/app/pulls/7', etagged(() => ({ number: 7, title, body: 'long text we do not keep' })));
    const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
    const params = { owner: 'acme', repo: 'app', pull_number: 7 };
    const keep = (pull: { title: string }) => ({ title: pull.title });
    const from = github.seen.length;

    const first = await conditionalGet(client.octokit, route, params, null, keep);
    assert.deepEqual(first.kept, { title: 'First' });
    assert.equal(first.notModified, false);
    assert.match(first.next.etag!, /^W\/"/);
    // What a monitor persists is JSON and only what it kept.
    const persisted = JSON.parse(JSON.stringify(first.next)) as Conditional<{ title: string }>;
    assert.deepEqual(Object.keys(persisted).sort(), ['etag', 'kept']);

    const second = await conditionalGet(client.octokit, route, params, persisted, keep);
    assert.deepEqual(second, { kept: { title: 'First' }, notModified: true, next: persisted });
    const requests = github.to('/repos/acme/app/pulls/7', from);
    assert.equal(requests[0].headers['if-none-match'], undefined);
    assert.equal(requests[1].headers['if-none-match'], persisted.etag);

    title = 'Second';
    const third = await conditionalGet(client.octokit, route, params, second.next, keep);
    assert.deepEqual(third.kept, { title: 'Second' });
    assert.equal(third.notModified, false);
    assert.notEqual(third.next.etag, persisted.etag);
  });

  it('falls back to If-Modified-Since when the resource has only Last-Modified', async () => {
    const lastModified = 'Tue, 24 Nov 2026 10:00:00 GMT';
    github.routes.set('GET /dated', (request) =>
      request.headers['if-modified-since'] === lastModified ? { status: 304 } : { status: 200, headers: { 'last-modified': lastModified }, body: { n: 1 } },
    );
    const first = await conditionalGet(client.octokit, 'GET /dated', {}, null, (data: { n: number }) => data.n);
    assert.deepEqual(first.next, { lastModified, kept: 1 });
    const second = await conditionalGet(client.octokit, 'GET /dated', {}, first.next, (data: { n: number }) => data.n);
    assert.equal(second.notModified, true);
    assert.equal(second.kept, 1);
  });

  it('reads every page of a changed list and only the first of an unchanged one', async () => {
    let items = Array.from({ length: 5 }, (_, i) => ({ id: i + 1 }));
    const pageOf = (url: string) => Number(new URL(url, 'http://x').searchParams.get('page') ?? '1');
    github.routes.set('GET /repos/acme/app/issues', (request) => {
      const page = pageOf(request.url);
      const slice = items.slice((page - 1) * 2, page * 2);
      const reply = etagged(() => slice)(request) as Reply;
      const last = Math.ceil(items.length / 2);
      if (page < last) reply.headers = { ...reply.headers, link: `<${github.url}/repos/acme/app/issues?per_page=2&page=${page + 1}>; rel="next", <${github.url}/repos/acme/app/issues?per_page=2&page=${last}>; rel="last"` };
      return reply;
    });
    const keep = (list: { id: number }[]) => list.map((issue) => issue.id);
    const params = { owner: 'acme', repo: 'app', per_page: 2 };
    let from = github.seen.length;
    const first = await conditionalList(client.octokit, 'GET /repos/{owner}/{repo}/issues', params, null, keep);
    assert.deepEqual(first.kept, [1, 2, 3, 4, 5]);
    assert.equal(github.to('/repos/acme/app/issues', from).length, 3);

    from = github.seen.length;
    const unchanged = await conditionalList(client.octokit, 'GET /repos/{owner}/{repo}/issues', params, first.next, keep);
    assert.equal(unchanged.notModified, true);
    assert.deepEqual(unchanged.kept, [1, 2, 3, 4, 5]);
    assert.equal(github.to('/repos/acme/app/issues', from).length, 1);

    items = [{ id: 6 }, ...items];
    const changed = await conditionalList(client.octokit, 'GET /repos/{owner}/{repo}/issues', params, unchanged.next, keep, { maxPages: 2 });
    assert.equal(changed.notModified, false);
    assert.deepEqual(changed.kept, [6, 1, 2, 3], 'at most maxPages pages');
  });

  it('a cache keyed in memory remembers conditionals, persists as JSON and forgets the least recently used', async () => {
    const cache = new ConditionalCache({}, 2);
    cache.set('a', { etag: '"a"', kept: 1 });
    cache.set('b', { etag: '"b"', kept: 2 });
    assert.equal(cache.get<number>('a')?.kept, 1);
    cache.set('c', { etag: '"c"', kept: 3 });
    assert.deepEqual(Object.keys(cache.toJSON()).sort(), ['a', 'c']);
    const restored = new ConditionalCache(JSON.parse(JSON.stringify(cache)));
    assert.deepEqual(restored.get('c'), { etag: '"c"', kept: 3 });
    assert.equal(restored.size, 2);
  });
});

describe('github client: a GitHub App installation', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  it('mints an installation token with an RS256 JWT, uses it, and reuses it until it nears expiry', async () => {
    const jwts: Record<string, unknown>[] = [];
    let minted = 0;
    github.routes.set('POST /app/installations/42/access_tokens', (request) => {
      const [header, payload, signature] = String(request.headers.authorization).replace(/^Bearer /, '').split('.');
      const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
      if (!valid) return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number; exp: number; iss: string };
      jwts.push({ header: JSON.parse(Buffer.from(header, 'base64url').toString()), ...claims });
      minted++;
      return { status: 201, body: { token: `ghs_minted${minted}`, expires_at: new Date(Date.now() + 3600_000).toISOString() } };
    });
    github.routes.set('GET /installation/repositories', (request) =>
      request.headers.authorization === `token ghs_minted1` ? { status: 200, body: { total_count: 0, repositories: [] } } : { status: 401, body: { message: 'Bad credentials' } },
    );

    const credentials = githubCredentials({ app_id: 1234, private_key: pem, installation_id: 42, base_url: github.url }, {}, 'monitors.pr');
    const app = createGithubClient({ ...credentials, retryBaseMs: 1 });
    const [one, two] = await Promise.all([app.octokit.request('GET /installation/repositories'), app.octokit.request('GET /installation/repositories')]);
    assert.equal(one.data.total_count, 0);
    assert.equal(two.data.total_count, 0);
    await app.octokit.request('GET /installation/repositories');
    assert.equal(minted, 1, 'one mint shared by concurrent requests and reused');
    const [jwt] = jwts as { header: unknown; iat: number; exp: number; iss: string }[];
    assert.deepEqual(jwt.header, { alg: 'RS256', typ: 'JWT' });
    assert.equal(jwt.iss, '1234');
    assert.ok(jwt.exp - jwt.iat <= 600, 'GitHub refuses a JWT that lives longer than ten minutes');
    assert.ok(jwt.iat <= Date.now() / 1000);
  });

  it('a key of the wrong kind, or a JWT GitHub refuses, is a clear error', async () => {
    const { privateKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(
      () => githubCredentials({ app_id: 1, private_key: ecKey.export({ type: 'pkcs8', format: 'pem' }).toString(), installation_id: 42 }, {}, 'monitors.pr'),
      (error: Error) => error instanceof UserError && /GitHub App keys are RSA/.test(error.message),
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const app = createGithubClient({ ...githubCredentials({ app_id: 1, private_key: other, installation_id: 42, base_url: github.url }, {}, 'x'), retryBaseMs: 1 });
    await assert.rejects(app.octokit.request('GET /installation/repositories'), (error: Error) => error instanceof UserError && /401 A JSON web token could not be decoded/.test(error.message));
  });
});

describe('github credentials', () => {
  it('a token from the entry, else GITHUB_TOKEN; the base URL from the entry, else GITHUB_API_URL', () => {
    assert.deepEqual(githubCredentials({ token: 'abc' }, { GITHUB_TOKEN: 'env' }, 'x'), { auth: { token: 'abc' }, baseUrl: 'https://api.github.com' });
    assert.deepEqual(githubCredentials({}, { GITHUB_TOKEN: 'env', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }, 'x'), {
      auth: { token: 'env' },
      baseUrl: 'https://ghe.example.com/api/v3',
    });
  });

  it('says what to do when there are none, or too many, or a bad URL', () => {
    const fails = (config: Record<string, unknown>, pattern: RegExp) =>
      assert.throws(() => githubCredentials(config, {}, 'monitors.pr'), (error: Error) => error instanceof UserError && pattern.test(error.message));
    fails({}, /^monitors\.pr: no GitHub credentials: set GITHUB_TOKEN, or give the entry a token/);
    fails({ token: 'a', app_id: 1 }, /either token or app_id/);
    fails({ app_id: 1, installation_id: 3 }, /missing private_key/);
    fails({ token: 'a', base_url: 'https://github.com' }, /is the website; the API is https:\/\/api\.github\.com/);
    fails({ token: 'a', base_url: 'ghe.example.com' }, /is not a URL/);
  });
});
