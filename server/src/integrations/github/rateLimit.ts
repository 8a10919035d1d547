/**
 * GitHub's rate limits, read from a refused response
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * a `retry-after` header says exactly how long; `x-ratelimit-remaining: 0` is
 * the primary limit, over until `x-ratelimit-reset`; otherwise a 403/429 that
 * names the secondary limit asks for at least a minute. A monitor must not
 * sleep that out inside a poll: the wait travels as the error's
 * `retryAfterMs`, and the MonitorManager backs off the whole rate-limit group
 * and shows "backing off until …".
 */
import { MonitorRetryError } from '../../monitors/monitorKind';

export type RateLimitKind = 'primary' | 'secondary';

/** GitHub's documented minimum wait after a secondary limit that gives no retry-after. */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;

/** The primary limit's reset is a whole second; waiting one more avoids asking a moment too early. */
const RESET_MARGIN_MS = 1_000;

export type ResponseHeaders = Record<string, string | number | undefined>;

/** GitHub refused a request for its rate limit; `retryAfterMs` is how long to leave it alone. */
export class GithubRateLimited extends MonitorRetryError {
  constructor(
    message: string,
    retryAfterMs: number,
    readonly kind: RateLimitKind,
    /** `x-ratelimit-resource` (core, search, graphql, …) when GitHub said. */
    readonly resource: string | undefined,
  ) {
    super(message, retryAfterMs);
    this.name = 'GithubRateLimited';
  }
}

/** What the rate-limit headers of any response say (absent on some GHES setups where limits are off). */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  resetAt: Date;
  resource: string | undefined;
}

export function rateLimitStatus(headers: ResponseHeaders): RateLimitStatus | undefined {
  const limit = numberHeader(headers, 'x-ratelimit-limit');
  const remaining = numberHeader(headers, 'x-ratelimit-remaining');
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return { limit, remaining, resetAt: new Date(reset * 1000), resource: stringHeader(headers, 'x-ratelimit-resource') };
}

/**
 * The rate limit a refused response (`status`, its headers and GitHub's
 * message) stands for, or undefined when it is not one (a 403 for a missing
 * permission is not).
 */
export function rateLimitRefusal(status: number, headers: ResponseHeaders, message: string, now: number): GithubRateLimited | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const resource = stringHeader(headers, 'x-ratelimit-resource');
  const primary = stringHeader(headers, 'x-ratelimit-remaining') === '0';
  const kind: RateLimitKind = primary ? 'primary' : 'secondary';
  const on = resource ? ` (${resource})` : '';

  const retryAfterMs = retryAfterOf(headers, now);
  if (retryAfterMs !== undefined) {
    return new GithubRateLimited(`GitHub's ${kind} rate limit${on}: it asked to wait ${seconds(retryAfterMs)}`, retryAfterMs, kind, resource);
  }
  if (primary) {
    const reset = numberHeader(headers, 'x-ratelimit-reset');
    const wait = reset === undefined ? SECONDARY_LIMIT_WAIT_MS : Math.max(reset * 1000 - now, 0) + RESET_MARGIN_MS;
    const limit = numberHeader(headers, 'x-ratelimit-limit');
    const of = limit === undefined ? '' : ` of ${limit} requests an hour`;
    return new GithubRateLimited(`GitHub's primary rate limit${on}${of} is used up until ${new Date(now + wait).toISOString()}`, wait, kind, resource);
  }
  if (status === 429 || /secondary rate limit|abuse/i.test(message)) {
    return new GithubRateLimited(`GitHub's secondary rate limit${on}: waiting ${seconds(SECONDARY_LIMIT_WAIT_MS)} as GitHub asks`, SECONDARY_LIMIT_WAIT_MS, kind, resource);
  }
  return undefined;
}

/** `retry-after` in seconds or as an HTTP date (RFC 9110), as milliseconds from `now`. */
function retryAfterOf(headers: ResponseHeaders, now: number): number | undefined {
  const value = stringHeader(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

function stringHeader(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

function numberHeader(headers: ResponseHeaders, name: string): number | undefined {
  const value = stringHeader(headers, name);
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}
