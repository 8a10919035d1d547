/**
 * The injection queue of every agent, held by the host and persisted in
 * `state/queues.json`, so nothing queued is lost or typed twice across a host
 * restart. A message is typed in only when the agent's driver says it is
 * idle (never while a permission prompt waits): highest priority first, then
 * in arrival order; what is queued when the agent becomes idle goes in as one
 * submission. After a delivery the queue waits for the agent to leave idle
 * (it is working on what it got) before it delivers again.
 */
import * as crypto from 'node:crypto';
import type { Host } from '../protocol';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';
import { driverNamed, readsScreenState } from '../drivers';
import type { DriverProfile } from '../drivers/profile';
import type { AgentRecord } from '../protocol';

type QueuedMessage = Host.QueuedMessage;

/** Delivered messages joined into one submission are separated by a blank line. */
const JOIN_SEPARATOR = '\n\n';
/** If an agent stays idle this long after a delivery (the program ignored it), the queue goes on. */
const DELIVERY_SETTLE_MS = 10_000;

/** Types the text in; false when the agent deferred it (a person was typing), to be tried at its next idle. */
export type Deliver = (agentId: string, text: string, submit: boolean) => Promise<boolean>;

interface StoreFile { version: 1; seq: number; messages: QueuedMessage[] }

export class InjectionQueue {
  private messages: QueuedMessage[] = [];
  private seq = 0;
  /** Agents that were just given something and have not left idle yet. */
  private readonly delivered = new Map<string, number>();
  private readonly delivering = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly deliver: Deliver,
    private readonly log: Logger,
    /** The agent's current record, to look again when no change arrives (an agent back to idle before we saw it work). */
    private readonly recordOf: (agentId: string) => AgentRecord | undefined,
    /** The agent's driver profile, with its workspace's override: whether it reads idle from the screen. */
    private readonly profileOf: (agentId: string) => DriverProfile = (agentId) => driverNamed(this.recordOf(agentId)?.driver ?? 'command'),
  ) {
    const loaded = readJsonOrQuarantine<StoreFile>(file, (movedTo, reason) =>
      log.error('host.queue', `queue file ${file} is corrupt (${reason}); moved it to ${movedTo}`),
    );
    if (loaded && Array.isArray(loaded.messages)) {
      this.messages = loaded.messages;
      this.seq = Math.max(loaded.seq ?? 0, ...this.messages.map((m) => m.seq));
    }
  }

  enqueue(agentId: string, params: Pick<Host.InjectAgent.Params, 'text' | 'submit' | 'priority' | 'dedupeKey' | 'expiresInMs' | 'source'>): { message: QueuedMessage; position: number } {
    const now = Date.now();
    if (params.dedupeKey) this.messages = this.messages.filter((m) => !(m.agentId === agentId && m.dedupeKey === params.dedupeKey));
    const message: QueuedMessage = {
      id: crypto.randomBytes(4).toString('hex'),
      agentId,
      text: params.text,
      submit: params.submit !== false,
      source: params.source || 'cli',
      priority: params.priority ?? 0,
      dedupeKey: params.dedupeKey ?? null,
      createdAt: new Date(now).toISOString(),
      expiresAt: params.expiresInMs ? new Date(now + params.expiresInMs).toISOString() : null,
      seq: ++this.seq,
    };
    this.messages.push(message);
    this.save();
    const position = this.pending(agentId).findIndex((m) => m.id === message.id) + 1;
    return { message, position };
  }

  /** Undelivered messages of an agent, in delivery order (expired ones dropped). */
  pending(agentId: string): QueuedMessage[] {
    this.dropExpired();
    return this.messages.filter((m) => m.agentId === agentId).sort((a, b) => b.priority - a.priority || a.seq - b.seq);
  }

  /** Forget the queue of an agent that is gone (there is nowhere left to deliver it). */
  discard(agentId: string): void {
    const dropped = this.messages.filter((m) => m.agentId === agentId);
    this.delivered.delete(agentId);
    if (!dropped.length) return;
    this.messages = this.messages.filter((m) => m.agentId !== agentId);
    this.save();
    this.log.warn('host.queue', `agent ${agentId} is gone; dropped ${dropped.length} undelivered message(s): ${dropped.map((m) => m.id).join(', ')}`);
  }

  /** Called on every change of an agent's record. */
  agentChanged(record: AgentRecord): void {
    if (record.state === 'exited') {
      this.discard(record.id);
      return;
    }
    // A held agent (at its budget) gets nothing until a person releases it; its messages wait.
    if (record.hold) return;
    const since = this.delivered.get(record.id);
    if (since !== undefined) {
      if (record.state === 'idle' && Date.now() - since < DELIVERY_SETTLE_MS) return;
      this.delivered.delete(record.id);
    }
    if (record.connected && deliverable(record, this.profileOf(record.id))) void this.deliverTo(record.id);
  }

  private async deliverTo(agentId: string): Promise<void> {
    if (this.delivering.has(agentId)) return;
    const batch = this.pending(agentId);
    if (!batch.length) return;
    this.delivering.add(agentId);
    let typedIn = false;
    // Marked before typing: the program may start working (and be done) while the typing is still being awaited.
    this.delivered.set(agentId, Date.now());
    try {
      const text = batch.map((m) => m.text).join(JOIN_SEPARATOR);
      if (!(await this.deliver(agentId, text, batch.some((m) => m.submit)))) {
        this.delivered.delete(agentId);
        this.log.info('host.queue', `${agentId} deferred ${batch.length} message(s): a person submitted their own text first`);
        return;
      }
      const ids = new Set(batch.map((m) => m.id));
      this.messages = this.messages.filter((m) => !ids.has(m.id));
      this.save();
      typedIn = true;
      setTimeout(() => {
        const record = this.recordOf(agentId);
        if (record) this.agentChanged(record);
      }, DELIVERY_SETTLE_MS + 10).unref();
      this.log.info('host.queue', `delivered ${batch.length} message(s) to ${agentId}`);
    } catch (error) {
      this.delivered.delete(agentId);
      this.log.warn('host.queue', `could not deliver to ${agentId}, will retry when it is next idle: ${(error as Error).message}`);
    } finally {
      this.delivering.delete(agentId);
    }
    // Messages queued while this one was typed, for an agent that already went through its turn meanwhile.
    // (Not after a failure or a deferral: those wait for the agent's next idle, or this would retry at once, in a loop.)
    const record = this.recordOf(agentId);
    if (typedIn && record && this.pending(agentId).length) this.agentChanged(record);
  }

  private dropExpired(): void {
    const now = Date.now();
    const kept = this.messages.filter((m) => !m.expiresAt || Date.parse(m.expiresAt) > now);
    if (kept.length !== this.messages.length) {
      this.log.info('host.queue', `dropped ${this.messages.length - kept.length} expired message(s)`);
      this.messages = kept;
      this.save();
    }
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, JSON.stringify({ version: 1, seq: this.seq, messages: this.messages } satisfies StoreFile, null, 1));
    } catch (error) {
      this.log.error('host.queue', `could not write ${this.file}: ${(error as Error).message}`);
    }
  }
}

/**
 * Idle for a driver that reads the screen. A program whose driver reads
 * nothing (`command`) never says it is idle, so what is queued for it goes in
 * at once.
 */
function deliverable(record: AgentRecord, profile: DriverProfile): boolean {
  if (record.state === 'idle') return true;
  return record.state === 'working' && !readsScreenState(profile);
}
