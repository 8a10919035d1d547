/**
 * When to poll next: on the interval with a little jitter (many agents
 * started together must not poll in lockstep), and after errors an
 * exponential backoff with a cap, never sooner than the source asked.
 */

/** Default seconds between polls when an entry gives no `poll_interval`. */
export const DEFAULT_POLL_INTERVAL_S = 60;
/** Backoff never waits longer than this, so a source that recovers is noticed within a quarter hour. */
export const MAX_BACKOFF_MS = 15 * 60_000;
/** ±10% of the interval. */
const JITTER = 0.1;

/** The interval with jitter; `random` is in [0, 1). */
export function jittered(intervalMs: number, random: number): number {
  return Math.round(intervalMs * (1 + JITTER * (2 * random - 1)));
}

/** The wait after the `failures`-th failure in a row (1 = the first): interval × 2^failures, capped, at least what the source asked. */
export function backoffDelay(intervalMs: number, failures: number, retryAfterMs = 0): number {
  const exponential = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(failures, 20));
  return Math.max(exponential, retryAfterMs);
}
