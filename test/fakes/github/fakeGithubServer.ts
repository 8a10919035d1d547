/**
 * A real HTTP server on 127.0.0.1 that answers like api.github.com: the
 * request passes, in GitHub's order, the gateway (injected 5xx), the API
 * version check, authentication, the secondary and the primary rate limit,
 * then the route; every GET gets an ETag and, where it has one, Last-Modified,
 * and a conditional request that matches gets 304 without using up the quota.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from './clock';
import { etagOf, httpDate, isNotModified } from './conditional';
import { DEFAULT_LIMIT, DEFAULT_WINDOW_SECONDS, RateLimits } from './rateLimits';
import { RequestLog, type LoggedRequest } from './requestLog';
import { DOCS, logSignature, notFound, route, type Reply } from './routes';
import { GitHubState } from './state';

/** The API versions GitHub accepts in X-GitHub-Api-Version (https://docs.github.com/rest/about-the-rest-api/api-versions). */
export const SUPPORTED_API_VERSIONS = ['2022-11-28'];
const DEFAULT_API_VERSION = '2022-11-28';

const GATEWAY_MESSAGES: Record<number, string> = { 500: 'Server Error', 502: 'Server Error', 503: 'Service Unavailable', 504: 'We couldn\'t respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.' };

export interface FakeGithubOptions {
  /** The primary limit per user per window (GitHub: 5000 an hour for a personal token). */
  rateLimit?: number;
  rateLimitWindowSeconds?: number;
}

export class FakeGithubServer {
  readonly clock = new FakeClock();
  readonly state = new GitHubState(this.clock);
  readonly rateLimits: RateLimits;
  readonly log = new RequestLog();
  private readonly logSecret = randomBytes(16).toString('hex');
  private failures: { remaining: number; status: number } | undefined;

  private constructor(
    private readonly server: http.Server,
    options: FakeGithubOptions,
  ) {
    this.rateLimits = new RateLimits(this.clock, { limit: options.rateLimit ?? DEFAULT_LIMIT, windowSeconds: options.rateLimitWindowSeconds ?? DEFAULT_WINDOW_SECONDS });
  }

  static async start(options: FakeGithubOptions = {}): Promise<FakeGithubServer> {
    const server = http.createServer();
    const fake = new FakeGithubServer(server, options);
    server.on('request', (request, response) => fake.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return fake;
  }

  /** The API root, for a client's base URL (octokit's `baseUrl`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `count` requests are answered with `status` (500, 502, 503, 504) before anything else is looked at. */
  failNext(count: number, status: 500 | 502 | 503 | 504 = 502): void {
    this.failures = count > 0 ? { remaining: count, status } : undefined;
  }

  /** Forgets the request log, the quotas used, the secondary limit and pending failures; keeps the state. */
  reset(): void {
    this.log.clear();
    this.rateLimits.reset();
    this.failures = undefined;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    // A body, if any, is not read: every endpoint is a GET. Drain it so the socket stays usable.
    request.resume();
    const url = new URL(request.url ?? '/', this.url);
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const entry: LoggedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname + url.search,
      status: 0,
      user: null,
      counted: false,
      ifNoneMatch: header('if-none-match') ?? null,
      ifModifiedSince: header('if-modified-since') ?? null,
    };
    const headers: Record<string, string> = {};
    const send = (status: number, body: string | undefined, contentType = 'application/json; charset=utf-8') => {
      entry.status = status;
      if (body !== undefined) headers['content-type'] = contentType;
      response.writeHead(status, headers).end(body);
      this.log.add(entry);
    };
    const sendJson = (status: number, body: unknown) => send(status, JSON.stringify(body));

    if (url.pathname.startsWith('/_fake/job-logs/')) {
      this.serveJobLog(url, send);
      return;
    }
    // The log download above is blob storage, not the API: only API answers carry these.
    Object.assign(headers, {
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': DEFAULT_API_VERSION,
      vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
    });
    if (this.failures) {
      const status = this.failures.status;
      if (--this.failures.remaining <= 0) this.failures = undefined;
      sendJson(status, { message: GATEWAY_MESSAGES[status] ?? 'Server Error', documentation_url: DOCS, status: String(status) });
      return;
    }
    const version = header('x-github-api-version');
    if (version !== undefined && !SUPPORTED_API_VERSIONS.includes(version)) {
      sendJson(400, { message: `API version ${version} is not supported.`, documentation_url: `${DOCS}/overview/api-versions`, status: '400' });
      return;
    }
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];
    if (token === undefined) {
      sendJson(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' });
      return;
    }
    const viewer = this.state.tokens.get(token);
    if (viewer === undefined) {
      sendJson(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      return;
    }
    entry.user = viewer;

    const secondary = this.rateLimits.secondaryInForce();
    if (secondary) {
      headers['retry-after'] = String(secondary.retryAfterSeconds);
      Object.assign(headers, this.rateLimits.headers(viewer));
      sendJson(secondary.status, {
        message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${headers['x-github-request-id']}.`,
        documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(secondary.status),
      });
      return;
    }
    if (url.pathname === '/rate_limit') {
      // Asking for the rate limit does not count against it (GitHub's docs say so).
      Object.assign(headers, this.rateLimits.headers(viewer));
      const quota = this.rateLimits.quotaOf(viewer);
      const core = { limit: quota.limit, used: quota.used, remaining: Math.max(0, quota.limit - quota.used), reset: Math.floor(quota.resetAt / 1000) };
      sendJson(200, { resources: { core, search: { limit: 30, used: 0, remaining: 30, reset: core.reset }, graphql: { limit: 5000, used: 0, remaining: 5000, reset: core.reset } }, rate: core });
      return;
    }
    if (this.rateLimits.remaining(viewer) === 0) {
      Object.assign(headers, this.rateLimits.headers(viewer));
      sendJson(403, {
        message: `API rate limit exceeded for user ID ${this.state.user(viewer).id}. If you reach out to GitHub Support for help, please include the request ID ${headers['x-github-request-id']}.`,
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
        status: '403',
      });
      return;
    }

    const found = request.method === 'GET' ? route(url.pathname) : undefined;
    const reply: Reply = found ? found.handler({ state: this.state, origins: { api: this.url, web: this.url }, url, params: found.params, viewer, logSecret: this.logSecret }) : notFound();
    if (reply.kind === 'json' && reply.status === 200) {
      const body = JSON.stringify(reply.body);
      headers.etag = etagOf(body, viewer);
      if (reply.lastModified !== undefined) headers['last-modified'] = httpDate(reply.lastModified);
      if (reply.link) headers.link = reply.link;
      if (isNotModified({ ifNoneMatch: header('if-none-match'), ifModifiedSince: header('if-modified-since') }, headers.etag, reply.lastModified)) {
        Object.assign(headers, this.rateLimits.headers(viewer));
        send(304, undefined);
        return;
      }
      this.spend(entry, viewer, headers);
      send(200, body);
      return;
    }
    this.spend(entry, viewer, headers);
    if (reply.kind === 'redirect') {
      headers.location = reply.location;
      send(302, undefined);
    } else sendJson(reply.status, reply.body);
  }

  private spend(entry: LoggedRequest, viewer: string, headers: Record<string, string>): void {
    this.rateLimits.spend(viewer);
    entry.counted = true;
    Object.assign(headers, this.rateLimits.headers(viewer));
  }

  /** The signed download URL a job-logs redirect points at: no token, no rate limit, plain text. */
  private serveJobLog(url: URL, send: (status: number, body: string | undefined, contentType?: string) => void): void {
    const [, repositoryId, jobId] = /^\/_fake\/job-logs\/(\d+)\/(\d+)$/.exec(url.pathname) ?? [];
    const repository = [...this.state.repositories.values()].find((candidate) => String(candidate.id) === repositoryId);
    const run = repository?.checkRuns.find((candidate) => String(candidate.id) === jobId);
    if (!repository || !run || run.log === null || url.searchParams.get('sig') !== logSignature(this.logSecret, repository, run.id)) {
      // Blob storage answers a bad signature with an XML error; a plain text one says the same here.
      send(403, 'AuthenticationFailed: the signature of this log URL does not match\n', 'text/plain; charset=utf-8');
      return;
    }
    send(200, run.log, 'text/plain; charset=utf-8');
  }
}

