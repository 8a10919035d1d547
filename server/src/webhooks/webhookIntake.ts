/**
 * What an integration supplies to take webhook deliveries from its service:
 * how a delivery proves it came from there, what names it uniquely, and what
 * it may have changed. A delivery never becomes an event by itself: it wakes
 * the monitors and spawners it concerns, whose next poll (conditional, so
 * cheap) finds the change and turns it into the very events polling would,
 * once. So a delivery that is late, repeated, forged into a valid shape or
 * missed changes nothing polling would not — it only makes it sooner.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** What a delivery is about, for kinds to match against what they watch. Plain JSON. */
export interface WebhookHint {
  /** The intake's service (`github`). */
  service: string;
  /** The service's own event name (`issues`, `check_run`, …). */
  event: string;
  /** Service-specific facts (for GitHub: repository, issue and pull request numbers, branches, shas). */
  [fact: string]: unknown;
}

export interface WebhookIntake {
  /** Path `/webhooks/<service>` and key under `server.webhooks.secrets`. */
  service: string;
  /** Whether the raw body is signed with `secret` (constant time). Checked before anything else is read. */
  verify(headers: IncomingHttpHeaders, body: Buffer, secret: string): boolean;
  /** The delivery's unique id, for de-duplication across retries and redeliveries. */
  deliveryId(headers: IncomingHttpHeaders): string | undefined;
  /** What the delivery may have changed; none for pings and events nobody watches. Throws on a payload it cannot read. */
  hints(headers: IncomingHttpHeaders, payload: unknown): WebhookHint[];
}
