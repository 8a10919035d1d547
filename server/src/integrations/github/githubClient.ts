/**
 * The one way Superkick talks to GitHub's REST API: an Octokit with GitHub's
 * recommended pacing (the throttling plugin: one write a second, searches
 * spaced), a few retries of server errors (the retry plugin), a token or a
 * GitHub App installation, and any base URL (GitHub Enterprise Server:
 * `https://HOST/api/v3`). Rate limits are never slept out here: a refused
 * request throws GithubRateLimited carrying the wait, so a monitor's poll
 * returns at once and the MonitorManager shows that it is backing off.
 */
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../../common/logger';
import { UserError } from '../../common/userError';
import { VERSION } from '../../common/version';
import { GITHUB_API_URL, normalizeBaseUrl } from './githubUrls';
import { InstallationTokens, type GithubAppCredentials, type MintInstallationToken } from './installationTokens';
import { rateLimitRefusal, rateLimitStatus, type RateLimitStatus, type ResponseHeaders } from './rateLimit';

/** The REST API version we are written against (https://docs.github.com/en/rest/about-the-rest-api/api-versions). */
export const GITHUB_API_VERSION = '2022-11-28';

const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_BASE_MS = 1_000;
/** One call, its retries included: a request that hangs longer holds its monitor's poll; better to fail and back off. */
const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/**
 * Statuses a retry cannot fix. Beyond the plugin's own list: 429 is a rate
 * limit (waited out by the manager, not retried here) and 409 a conflict.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

export type GithubAuth = { token: string } | { app: GithubAppCredentials };

export interface GithubClientOptions {
  auth: GithubAuth;
  /** Default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3. */
  baseUrl?: string;
  log?: Logger;
  /** Retries of a 5xx or a failed connection (default 2), waiting base × 1, 4, 9, … ms between them. */
  retries?: number;
  retryBaseMs?: number;
  requestTimeoutMs?: number;
}

const ThrottledOctokit = Octokit.plugin(throttling, retry);
export type GithubOctokit = InstanceType<typeof ThrottledOctokit>;

export interface GithubClient {
  readonly octokit: GithubOctokit;
  readonly baseUrl: string;
  /** The last rate-limit headers seen per resource (`core`, `search`, …), for people asking how much is left. */
  rateLimits(): ReadonlyMap<string, RateLimitStatus>;
}

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? GITHUB_API_URL);
  const log = options.log;
  const tag = 'github.client';
  const rateLimits = new Map<string, RateLimitStatus>();

  const octokit = new ThrottledOctokit({
    baseUrl,
    userAgent: `superkick/${VERSION}`,
    ...('token' in options.auth ? { auth: options.auth.token } : { authStrategy: installationAuth(options.auth.app) }),
    log: {
      debug: (message: string) => log?.debug(tag, message),
      info: (message: string) => log?.info(tag, message),
      warn: (message: string) => log?.warn(tag, message),
      error: (message: string) => log?.error(tag, message),
    },
    throttle: {
      // Returning false hands the refusal on: it becomes GithubRateLimited below, with the wait.
      onRateLimit: (retryAfterS: number, request: { method: string; url: string }) => {
        log?.warn(tag, `primary rate limit on ${request.method} ${request.url}: ${retryAfterS} s to wait`);
        return false;
      },
      onSecondaryRateLimit: (retryAfterS: number, request: { method: string; url: string }) => {
        log?.warn(tag, `secondary rate limit on ${request.method} ${request.url}: ${retryAfterS} s to wait`);
        return false;
      },
    },
    retry: { retries: options.retries ?? DEFAULT_RETRIES, retryAfterBaseValue: options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, doNotRetry: DO_NOT_RETRY },
  });

  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  octokit.hook.before('request', (request) => {
    request.headers['x-github-api-version'] ??= GITHUB_API_VERSION;
    const given = request.request?.signal as AbortSignal | undefined;
    const timeout = AbortSignal.timeout(timeoutMs);
    request.request = { ...request.request, signal: given ? AbortSignal.any([given, timeout]) : timeout };
  });
  octokit.hook.after('request', (response) => noteRateLimit(rateLimits, response.headers as ResponseHeaders));
  // Registered after the plugins, so it sees what is left once they are done retrying.
  octokit.hook.error('request', (error) => {
    const response = (error as { response?: { headers: ResponseHeaders } }).response;
    if (response) noteRateLimit(rateLimits, response.headers);
    throw githubError(error, baseUrl);
  });

  return { octokit, baseUrl, rateLimits: () => rateLimits };
}

/** The error a caller gets: GithubRateLimited for a rate limit, a UserError for credentials GitHub refused, else Octokit's own. */
function githubError(error: unknown, baseUrl: string): unknown {
  const { status, response, message } = error as { status?: number; response?: { headers: ResponseHeaders }; message?: string };
  if (typeof status !== 'number' || !response) return error;
  const limited = rateLimitRefusal(status, response.headers, message ?? '', Date.now());
  if (limited) return limited;
  if (status === 401) {
    return new UserError(`GitHub at ${baseUrl} refused the credentials (401 ${message}): check the entry's token (or GITHUB_TOKEN), or the app's id, key and installation`);
  }
  return error;
}

function noteRateLimit(rateLimits: Map<string, RateLimitStatus>, headers: ResponseHeaders): void {
  const status = rateLimitStatus(headers);
  if (status) rateLimits.set(status.resource ?? 'core', status);
}

/**
 * An Octokit auth strategy for a GitHub App installation: every request gets
 * the installation's token, except one that brings its own authorization (the
 * mint request, with the app's JWT).
 */
function installationAuth(app: GithubAppCredentials) {
  return ({ request }: { request: GithubOctokit['request'] }) => {
    const mint: MintInstallationToken = async (installationId, jwt) => {
      const { data } = await request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: installationId,
        headers: { authorization: `Bearer ${jwt}` },
      });
      return { token: data.token, expiresAt: new Date(data.expires_at) };
    };
    const tokens = new InstallationTokens(app, mint);
    const auth = async () => ({ type: 'token', tokenType: 'installation', token: await tokens.token() });
    const hook = async (send: GithubOctokit['request'], route: string, parameters?: Record<string, unknown>) => {
      const endpoint = send.endpoint.merge(route, parameters);
      if (endpoint.headers.authorization) return send(endpoint as never);
      endpoint.headers.authorization = `token ${await tokens.token()}`;
      try {
        return await send(endpoint as never);
      } catch (error) {
        if ((error as { status?: number }).status === 401) tokens.forget();
        throw error;
      }
    };
    return Object.assign(auth, { hook });
  };
}
