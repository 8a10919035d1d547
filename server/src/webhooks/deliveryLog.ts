/**
 * The delivery ids already taken, per service, kept across restarts: a
 * service retries a delivery it thinks failed and people redeliver by hand,
 * and each must be taken once. Bounded: the newest ids are kept, far more
 * than any retry window holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';

const KEEP = 2_000;

export class DeliveryLog {
  private readonly ids: string[];
  private readonly seen: Set<string>;

  constructor(private readonly file: string, log: Logger) {
    const saved = readJsonOrQuarantine<{ ids?: unknown }>(file, (movedTo, reason) => log.warn('webhooks', `${file} was unreadable (${reason}); moved to ${movedTo}`));
    this.ids = Array.isArray(saved?.ids) ? saved.ids.filter((id): id is string => typeof id === 'string').slice(-KEEP) : [];
    this.seen = new Set(this.ids);
  }

  /** Records the id; false when it was taken before. */
  take(service: string, id: string): boolean {
    const key = `${service}:${id}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.ids.push(key);
    while (this.ids.length > KEEP) this.seen.delete(this.ids.shift()!);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify({ ids: this.ids }));
    return true;
  }
}
