/**
 * GitHub's primary rate limit (a quota per user per window, `core` resource)
 * and the secondary limit a test switches on
 * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 * Time is the fake clock's, so a test moves past a reset instead of waiting.
 */
import { epochSeconds, type FakeClock } from './clock';

export const DEFAULT_LIMIT = 5000;
export const DEFAULT_WINDOW_SECONDS = 3600;

export interface Quota {
  limit: number;
  used: number;
  /** When the window ends and `used` goes back to 0 (ms on the fake clock). */
  resetAt: number;
}

export interface SecondaryLimit {
  status: 403 | 429;
  /** Fake-clock ms until which every request is refused. */
  until: number;
}

export class RateLimits {
  private readonly quotas = new Map<string, Quota>();
  private secondary: SecondaryLimit | undefined;

  constructor(
    private readonly clock: FakeClock,
    private readonly defaults: { limit: number; windowSeconds: number } = { limit: DEFAULT_LIMIT, windowSeconds: DEFAULT_WINDOW_SECONDS },
  ) {}

  /** The user's quota, with a window that has ended started again. */
  quotaOf(login: string): Quota {
    const now = this.clock.now();
    let quota = this.quotas.get(login);
    if (!quota || now >= quota.resetAt) {
      quota = { limit: quota?.limit ?? this.defaults.limit, used: 0, resetAt: now + this.defaults.windowSeconds * 1000 };
      this.quotas.set(login, quota);
    }
    return quota;
  }

  remaining(login: string): number {
    const quota = this.quotaOf(login);
    return Math.max(0, quota.limit - quota.used);
  }

  /** One request that counts. */
  spend(login: string): void {
    const quota = this.quotaOf(login);
    if (quota.used < quota.limit) quota.used++;
  }

  /** For a test: set what is left of a user's quota now, and optionally when it resets. */
  set(login: string, change: { limit?: number; remaining?: number; resetInSeconds?: number }): Quota {
    const quota = this.quotaOf(login);
    if (change.limit !== undefined) quota.limit = change.limit;
    if (change.remaining !== undefined) quota.used = Math.max(0, quota.limit - change.remaining);
    if (change.resetInSeconds !== undefined) quota.resetAt = this.clock.now() + change.resetInSeconds * 1000;
    return quota;
  }

  headers(login: string): Record<string, string> {
    const quota = this.quotaOf(login);
    return {
      'x-ratelimit-limit': String(quota.limit),
      'x-ratelimit-remaining': String(Math.max(0, quota.limit - quota.used)),
      'x-ratelimit-used': String(quota.used),
      'x-ratelimit-reset': String(epochSeconds(quota.resetAt)),
      'x-ratelimit-resource': 'core',
    };
  }

  /** Every request is refused for `retryAfterSeconds` (fake-clock time) with `retry-after`. */
  startSecondaryLimit(options: { retryAfterSeconds: number; status?: 403 | 429 }): void {
    this.secondary = { status: options.status ?? 403, until: this.clock.now() + options.retryAfterSeconds * 1000 };
  }

  stopSecondaryLimit(): void {
    this.secondary = undefined;
  }

  /** The secondary limit in force now, with the whole seconds left to wait, or undefined. */
  secondaryInForce(): { status: 403 | 429; retryAfterSeconds: number } | undefined {
    if (!this.secondary) return undefined;
    const left = this.secondary.until - this.clock.now();
    if (left <= 0) {
      this.secondary = undefined;
      return undefined;
    }
    return { status: this.secondary.status, retryAfterSeconds: Math.ceil(left / 1000) };
  }

  reset(): void {
    this.quotas.clear();
    this.secondary = undefined;
  }
}
