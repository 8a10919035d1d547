/**
 * What monitors remember across host restarts, in `state/monitors.json`
 * (crash-safe writes): each resource's poll state, the events rendered for
 * an agent but not yet handed to its injection queue (the outbox), and the
 * event ids each agent was already given. A poll's new state and the
 * messages it produced are written together, before they are queued, so a
 * crash can neither lose an event (the outbox is queued after the restart)
 * nor repeat one (its id is in `delivered` once queued).
 */
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';

export interface StoredResource {
  type: string;
  /** The kind's own memory (an ETag, the last exit status); null before the first successful poll. */
  state: unknown;
  lastPollAt: string | null;
  lastError: string | null;
  failures: number;
  backingOffUntil: string | null;
}

/** A rendered message waiting to be handed to an agent's injection queue. */
export interface OutboxItem {
  agentId: string;
  /** `<resource key>#<event id>`: what `delivered` remembers. */
  deliveryId: string;
  text: string;
  priority: number;
  source: string;
}

interface StoreFile {
  version: 1;
  resources: Record<string, StoredResource>;
  outbox: OutboxItem[];
  delivered: Record<string, string[]>;
}

/** Event ids remembered per agent; far more than one agent sees in its life, a bound against a monitor that fires on every poll. */
const MAX_DELIVERED_PER_AGENT = 2_000;
/** A resource nobody has polled for this long is forgotten. */
const FORGET_RESOURCE_MS = 7 * 24 * 3_600_000;

export class MonitorStore {
  readonly resources = new Map<string, StoredResource>();
  outbox: OutboxItem[] = [];
  private readonly delivered = new Map<string, Set<string>>();

  constructor(private readonly file: string, private readonly log: Logger, now = Date.now()) {
    const loaded = readJsonOrQuarantine<StoreFile>(file, (movedTo, reason) =>
      log.error('monitors', `monitor state ${file} is corrupt (${reason}); moved it to ${movedTo} and starting afresh`),
    );
    if (!loaded || loaded.version !== 1) return;
    for (const [key, resource] of Object.entries(loaded.resources ?? {})) {
      const last = resource.lastPollAt ? Date.parse(resource.lastPollAt) : 0;
      if (now - last < FORGET_RESOURCE_MS) this.resources.set(key, resource);
    }
    this.outbox = Array.isArray(loaded.outbox) ? loaded.outbox : [];
    for (const [agentId, ids] of Object.entries(loaded.delivered ?? {})) this.delivered.set(agentId, new Set(ids));
  }

  resource(key: string, type: string): StoredResource {
    let resource = this.resources.get(key);
    if (!resource) {
      resource = { type, state: null, lastPollAt: null, lastError: null, failures: 0, backingOffUntil: null };
      this.resources.set(key, resource);
    }
    return resource;
  }

  wasDelivered(agentId: string, deliveryId: string): boolean {
    return Boolean(this.delivered.get(agentId)?.has(deliveryId)) || this.outbox.some((item) => item.agentId === agentId && item.deliveryId === deliveryId);
  }

  markDelivered(agentId: string, deliveryId: string): void {
    let ids = this.delivered.get(agentId);
    if (!ids) this.delivered.set(agentId, (ids = new Set()));
    ids.add(deliveryId);
    // Sets iterate in insertion order: the oldest go first.
    for (const old of ids) {
      if (ids.size <= MAX_DELIVERED_PER_AGENT) break;
      ids.delete(old);
    }
  }

  /** An agent that is gone: nothing more can be delivered to it. */
  forgetAgent(agentId: string): boolean {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((item) => item.agentId !== agentId);
    return this.delivered.delete(agentId) || before !== this.outbox.length;
  }

  save(): void {
    const data: StoreFile = {
      version: 1,
      resources: Object.fromEntries(this.resources),
      outbox: this.outbox,
      delivered: Object.fromEntries([...this.delivered].map(([agentId, ids]) => [agentId, [...ids]])),
    };
    try {
      writeFileAtomic(this.file, JSON.stringify(data));
    } catch (error) {
      this.log.error('monitors', `could not write ${this.file}: ${(error as Error).message}`);
    }
  }
}
