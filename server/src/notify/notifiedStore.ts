/**
 * What each notifier has been told, kept in `state/notified.json` so that the
 * same event is never notified twice, also across host restarts; and how each
 * notifier's sending has gone (for `superkick notifier list`).
 *
 * Bounded: marks older than RETENTION_MS are dropped, and past MAX_MARKS the
 * oldest go. The dispatcher drops events older than the retention too, so a
 * forgotten mark can never let an old event through again.
 */
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';

/** A month: far longer than any happening stays news, and long enough for a host that was off over a holiday. */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** A few events per agent: thousands of agents' worth, in a file of a few hundred KB. */
export const MAX_MARKS = 20_000;

export interface NotifierStatus {
  sent: number;
  lastSentAt: string | null;
  lastEventId: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

interface StoreFile {
  version: 1;
  /** Mark key → when it was claimed (epoch ms). */
  marks: Record<string, number>;
  notifiers: Record<string, NotifierStatus>;
}

const TAG = 'notify.state';

/** One notifier of one scope: `<workspace or "">\0<name>`. */
export function notifierKey(workspace: string | null, name: string): string {
  return `${workspace ?? ''}\0${name}`;
}

export class NotifiedStore {
  private readonly marks = new Map<string, number>();
  private readonly notifiers = new Map<string, NotifierStatus>();

  private readonly now: () => number;
  private readonly maxMarks: number;
  /** No usable state was found (a first start, or a corrupt file moved aside): nothing is known to have been told. */
  readonly blank: boolean;

  constructor(private readonly file: string, private readonly log: Logger, options: { now?: () => number; maxMarks?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.maxMarks = options.maxMarks ?? MAX_MARKS;
    const loaded = readJsonOrQuarantine<StoreFile>(file, (movedTo, reason) =>
      log.error(TAG, `${file} is corrupt (${reason}); moved it to ${movedTo}. Events already notified may be notified again`),
    );
    if (loaded && typeof loaded.marks === 'object' && loaded.marks) {
      for (const [key, at] of Object.entries(loaded.marks)) if (typeof at === 'number') this.marks.set(key, at);
    }
    this.blank = !loaded;
    if (loaded && typeof loaded.notifiers === 'object' && loaded.notifiers) {
      for (const [key, status] of Object.entries(loaded.notifiers)) this.notifiers.set(key, { ...emptyStatus(), ...status });
    }
  }

  /**
   * Marks `eventId` as told to each notifier and writes that down before it
   * returns; gives back the notifiers that had not been told yet (only those
   * may be sent to). See the dispatcher for why the mark comes first.
   */
  claim(notifiers: readonly string[], eventId: string): string[] {
    const fresh = notifiers.filter((notifier) => !this.marks.has(markKey(notifier, eventId)));
    if (!fresh.length) return [];
    const at = this.now();
    for (const notifier of fresh) this.marks.set(markKey(notifier, eventId), at);
    this.save();
    return fresh;
  }

  wasTold(notifier: string, eventId: string): boolean {
    return this.marks.has(markKey(notifier, eventId));
  }

  noteSent(notifier: string, eventId: string): void {
    const status = this.statusOf(notifier);
    status.sent++;
    status.lastSentAt = new Date(this.now()).toISOString();
    status.lastEventId = eventId;
    this.save();
  }

  noteError(notifier: string, message: string): void {
    const status = this.statusOf(notifier);
    status.lastError = message;
    status.lastErrorAt = new Date(this.now()).toISOString();
    this.save();
  }

  status(notifier: string): NotifierStatus {
    return { ...(this.notifiers.get(notifier) ?? emptyStatus()) };
  }

  get size(): number {
    return this.marks.size;
  }

  private statusOf(notifier: string): NotifierStatus {
    let status = this.notifiers.get(notifier);
    if (!status) {
      status = emptyStatus();
      this.notifiers.set(notifier, status);
    }
    return status;
  }

  private prune(): void {
    const oldest = this.now() - RETENTION_MS;
    for (const [key, at] of this.marks) if (at < oldest) this.marks.delete(key);
    // A Map iterates in insertion order, which is claim order (the file is written and read in that order too).
    for (const key of this.marks.keys()) {
      if (this.marks.size <= this.maxMarks) break;
      this.marks.delete(key);
    }
  }

  private save(): void {
    this.prune();
    const data: StoreFile = { version: 1, marks: Object.fromEntries(this.marks), notifiers: Object.fromEntries(this.notifiers) };
    try {
      writeFileAtomic(this.file, JSON.stringify(data));
    } catch (error) {
      // Sending goes on (this process still remembers); only a restart could repeat what was not written.
      this.log.error(TAG, `could not write ${this.file}: ${(error as Error).message}`);
    }
  }
}

function markKey(notifier: string, eventId: string): string {
  return `${notifier}\0${eventId}`;
}

function emptyStatus(): NotifierStatus {
  return { sent: 0, lastSentAt: null, lastEventId: null, lastError: null, lastErrorAt: null };
}
