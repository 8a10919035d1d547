/**
 * The fake's time: real time plus an offset a test can move forward, so a
 * rate-limit window can end without waiting an hour while a client that
 * really sleeps (octokit's retry after `retry-after`) still sees time pass.
 */
export class FakeClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Moves the fake's time forward; never back, as GitHub's reset times only grow. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`FakeClock.advance: ${ms} ms is not a forward step`);
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /**
   * Stops time where it is, so a test's expected timestamps and retry-after
   * values do not depend on how long the machine took; only `advance` moves it
   * then. Leave it running for a client that really sleeps until a reset.
   */
  freeze(): void {
    this.frozenAt ??= this.now();
  }
}

/** GitHub's timestamp format: ISO 8601 in UTC to the second (`2011-04-22T13:33:48Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
