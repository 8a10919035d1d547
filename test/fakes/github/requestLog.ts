/** What the fake GitHub was asked and how it answered, for tests and the bench to count. */
import { whenEvent } from '../../helpers/waitFor';

export interface LoggedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  status: number;
  /** The login the token belongs to, or null (no token, or an unknown one). */
  user: string | null;
  /** Whether it used up one of the user's primary rate limit (a 304 does not, as on GitHub). */
  counted: boolean;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  private readonly listeners = new Set<(entry: LoggedRequest) => void>();

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
  }

  /** Calls `listener` after each answered request; returns the unsubscribe. */
  onRequest(listener: (entry: LoggedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the first answered request (from index `from`) that `match`
   * accepts: how a test waits for a poller's next request instead of sleeping.
   */
  waitFor(match: (entry: LoggedRequest) => boolean, what: string, from = 0): Promise<LoggedRequest> {
    return whenEvent(
      (listener) => this.onRequest(listener),
      () => this.entries.slice(from).find(match),
      `fake GitHub: ${what} (requests so far: ${this.entries.length})`,
    );
  }

  get counters(): { total: number; notModified: number; counted: number; errors: number } {
    return {
      total: this.entries.length,
      notModified: this.entries.filter((entry) => entry.status === 304).length,
      counted: this.entries.filter((entry) => entry.counted).length,
      errors: this.entries.filter((entry) => entry.status >= 400).length,
    };
  }

  clear(): void {
    this.entries.length = 0;
  }
}
