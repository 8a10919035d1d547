/**
 * Runs every monitor of every live agent. It follows the agent registry
 * (agents come and go) and the `monitors:` section of each workspace; gives
 * each agent its assigned entries (or every enabled one whose probe applies);
 * polls each resource once per interval however many agents watch it, never
 * twice at once, with jitter and backoff; renders what changed through the
 * workspace's templates (outside text through the one sanitizer) and hands
 * it to the agents' injection queues, which type it in when they are idle.
 * What was seen and delivered is persisted (MonitorStore), so a restart
 * repeats nothing and loses nothing.
 */
import type { Logger } from '../common/logger';
import type { EffectiveConfig } from '../config/sections';
import { integrationFor } from '../integrations';
import type { AgentRecord, ConfigStatus, Monitors } from '../protocol';
import type { InjectionQueue } from '../supervisor/injectionQueue';
import type { AgentsChangedEvent } from '../supervisor/agentRegistry';
import { sanitizeUntrusted } from '../supervisor/untrustedText';
import { agentDrop, eventDrop, untrustedObject, type TemplateContext } from '../templates/drops';
import { overrideFromConfig, type RenderOptions } from '../templates/engine';
import { entriesForAgent } from './agentEntries';
import { systemClock, type Clock, type Timer } from '../common/clock';
import { MonitorRetryError, type MonitorEntry, type MonitorEnv, type MonitorEvent, type AnyMonitorKind, type MonitorResource } from './monitorKind';
import { MonitorStore } from './monitorStore';
import type { WebhookHint } from '../webhooks/webhookIntake';
import { DEFAULT_POLL_INTERVAL_S, backoffDelay, jittered } from './schedule';

const TAG = 'monitors';
/** A watching entry is probed again every this many of its intervals… */
const REPROBE_EVERY_INTERVALS = 10;
/** …and not more often than this: a probe may cost an API call (is there a PR for the branch?). */
const MIN_REPROBE_WHILE_WATCHING_MS = 5 * 60_000;

/** The parts of the host the manager uses, narrowed so unit tests can hand in fakes. */
export interface MonitorManagerDeps {
  registry: {
    list(): AgentRecord[];
    on(event: 'changed', listener: (change: AgentsChangedEvent) => void): unknown;
  };
  configs: {
    configOf(workspace: string | null): EffectiveConfig;
    allStatuses(): ConfigStatus[];
    on(event: 'section', listener: (change: { workspace: string | null; section: string }) => void): unknown;
  };
  queue: Pick<InjectionQueue, 'enqueue' | 'agentChanged'>;
  templates: { for(workspace: string | null): { render(name: string, context: TemplateContext, options?: RenderOptions): string } };
  /** `state/monitors.json`. */
  file: string;
  log: Logger;
  clock?: Clock;
  /** In [0, 1), for jitter. */
  random?: () => number;
  /** The monitor behaviour of a type; default: the registered integrations. */
  kindOf?: (type: string) => AnyMonitorKind | undefined;
}

interface Subscriber {
  agentId: string;
  entry: MonitorEntry;
}

/** One watched resource while someone watches it (or a poll of it is still running). */
interface ResourceRun {
  key: string;
  type: string;
  kind: AnyMonitorKind;
  resource: MonitorResource;
  /** By `<agent id>\0<entry name>`. */
  subscribers: Map<string, Subscriber>;
  timer: Timer | null;
  nextPollAt: number | null;
  polling: boolean;
  /** Woken while a poll ran: poll again right after it. */
  again: boolean;
  polls: number;
}

/** One entry of one agent. */
interface EntryWatch {
  name: string;
  type: string | null;
  /** The entry as configured, to notice when it changed. */
  signature: string;
  entry: MonitorEntry | null;
  kind: AnyMonitorKind | null;
  state: Monitors.MonitorEntryState;
  message: string | null;
  resources: string[];
  timer: Timer | null;
  nextProbeAt: number | null;
  failures: number;
}

interface AgentWatch {
  record: AgentRecord;
  entries: Map<string, EntryWatch>;
}

export class MonitorManager {
  private readonly store: MonitorStore;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly kindOf: (type: string) => AnyMonitorKind | undefined;
  private readonly agents = new Map<string, AgentWatch>();
  private readonly runs = new Map<string, ResourceRun>();
  /** Rate-limit group → when its source lets us ask again. */
  private readonly groupWaits = new Map<string, number>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private readonly env: MonitorEnv;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: MonitorManagerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.kindOf = deps.kindOf ?? ((type) => integrationFor('monitors', type)?.monitor);
    this.store = new MonitorStore(deps.file, deps.log, this.clock.now());
    this.env = { log: deps.log, now: () => new Date(this.clock.now()), signal: this.abort.signal };
  }

  start(): void {
    this.deps.registry.on('changed', ({ record, removed }) => {
      if (this.stopped) return;
      if (removed || record.state === 'exited') this.unfollow(record.id);
      else this.follow(record);
    });
    this.deps.configs.on('section', ({ workspace, section }) => {
      if (this.stopped || section !== 'monitors') return;
      for (const watch of this.agents.values()) if (watch.record.workspace === workspace) this.refresh(watch);
    });
    for (const record of this.deps.registry.list()) if (record.state !== 'exited') this.follow(record);
    // Events rendered before a crash but not yet queued go out now (to agents still alive).
    this.flushOutbox();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    for (const run of this.runs.values()) run.timer?.cancel();
    for (const watch of this.agents.values()) for (const entry of watch.entries.values()) entry.timer?.cancel();
  }

  /** Resolves once no probe or poll is running (tests step a fake clock, then wait for this). */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /**
   * A webhook delivery says something may have changed: the resources it
   * concerns are polled now, and entries that do not apply yet are probed
   * again when it might make them apply (a pull request opened). A poll is
   * conditional, so a wake for nothing costs a 304; a rate-limit wait or an
   * error backoff still holds. Returns how many polls and probes it started.
   */
  wake(hint: WebhookHint): number {
    if (this.stopped) return 0;
    let woken = 0;
    for (const run of this.runs.values()) {
      if (!run.subscribers.size || !this.safely(() => run.kind.wakesPoll?.(run.resource.params, hint) ?? false, false, `monitor ${run.key}: wakesPoll()`)) continue;
      const backingOff = this.store.resources.get(run.key)?.backingOffUntil;
      if (backingOff && Date.parse(backingOff) > this.clock.now()) continue;
      woken += 1;
      if (run.polling) run.again = true;
      else this.schedule(run, 0);
    }
    for (const watch of this.agents.values()) {
      for (const entry of watch.entries.values()) {
        const kind = entry.kind;
        if (entry.state !== 'not_applicable' || !entry.timer || !kind?.wakesProbe || !this.safely(() => kind.wakesProbe!(hint), false, `monitor "${entry.name}": wakesProbe()`)) continue;
        woken += 1;
        entry.timer.cancel();
        entry.timer = null;
        this.probe(watch, entry);
      }
    }
    return woken;
  }

  /** Calls `listener` after each poll (clients watching the monitors ask for the status again). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  status(filter: { workspace?: string | null; agentId?: string } = {}): Monitors.ListMonitors.Result {
    const visible = (record: AgentRecord) => (filter.agentId === undefined || record.id === filter.agentId) && (filter.workspace === undefined || record.workspace === filter.workspace);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const entries: Monitors.MonitorEntryStatus[] = [];
    for (const watch of this.agents.values()) {
      if (!visible(watch.record)) continue;
      for (const entry of watch.entries.values()) {
        entries.push({
          workspace: watch.record.workspace,
          agentId: watch.record.id,
          agentName: watch.record.name,
          entry: entry.name,
          type: entry.type,
          state: entry.state,
          message: entry.message,
          resources: [...entry.resources],
          nextProbeAt: iso(entry.nextProbeAt),
        });
      }
    }
    const resources: Monitors.MonitorResourceStatus[] = [];
    for (const run of this.runs.values()) {
      const subscribers = [...run.subscribers.values()].filter((s) => {
        const record = this.agents.get(s.agentId)?.record;
        return record && visible(record);
      });
      if (!subscribers.length) continue;
      const stored = this.store.resource(run.key, run.type);
      resources.push({
        key: run.key,
        type: run.type,
        label: run.resource.label,
        workspaces: [...new Set(subscribers.map((s) => this.agents.get(s.agentId)!.record.workspace))],
        entries: [...new Set(subscribers.map((s) => s.entry.name))],
        agents: [...new Set(subscribers.map((s) => s.agentId))],
        intervalS: this.intervalOf(run) / 1000,
        polls: run.polls,
        polling: run.polling,
        lastPollAt: stored.lastPollAt,
        lastError: stored.lastError,
        nextPollAt: iso(run.nextPollAt),
        backingOffUntil: stored.backingOffUntil && Date.parse(stored.backingOffUntil) > this.clock.now() ? stored.backingOffUntil : null,
      });
    }
    return { resources, entries };
  }

  // ---- agents and their entries

  private follow(record: AgentRecord): void {
    const known = this.agents.get(record.id);
    if (known) {
      known.record = record;
      return;
    }
    const watch: AgentWatch = { record, entries: new Map() };
    this.agents.set(record.id, watch);
    this.refresh(watch);
  }

  private unfollow(agentId: string): void {
    const watch = this.agents.get(agentId);
    if (watch) {
      for (const entry of watch.entries.values()) this.dropEntry(watch, entry);
      this.agents.delete(agentId);
    }
    if (this.store.forgetAgent(agentId)) this.store.save();
  }

  /** Brings an agent's entries in line with its workspace's configuration; unchanged entries keep running. */
  private refresh(watch: AgentWatch): void {
    const workspace = watch.record.workspace;
    let section: unknown;
    try {
      section = this.deps.configs.configOf(workspace).monitors;
    } catch (error) {
      this.deps.log.warn(TAG, `agent ${watch.record.id}: cannot read the configuration of ${workspace}: ${(error as Error).message}`);
      return;
    }
    const choices = entriesForAgent(watch.record, section, this.heldBack(workspace));
    const wanted = new Set<string>();
    for (const choice of choices) {
      const name = choice.error === undefined ? choice.entry.name : choice.name;
      wanted.add(name);
      const signature = JSON.stringify(choice);
      const existing = watch.entries.get(name);
      if (existing?.signature === signature) continue;
      if (existing) this.dropEntry(watch, existing);
      const entry: EntryWatch = {
        name,
        type: choice.error === undefined ? choice.entry.type : choice.type,
        signature,
        entry: choice.error === undefined ? choice.entry : null,
        kind: null,
        state: 'error',
        message: choice.error ?? null,
        resources: [],
        timer: null,
        nextProbeAt: null,
        failures: 0,
      };
      watch.entries.set(name, entry);
      if (choice.error !== undefined) {
        this.deps.log.warn(TAG, `agent ${watch.record.id} (${watch.record.name}): ${choice.error}`);
        continue;
      }
      entry.kind = this.kindOf(choice.entry.type) ?? null;
      if (!entry.kind) {
        entry.message = `monitor "${name}": type "${choice.entry.type}" cannot watch anything in this version of Superkick`;
        this.deps.log.warn(TAG, `agent ${watch.record.id}: ${entry.message}`);
        continue;
      }
      this.probe(watch, entry);
    }
    for (const entry of [...watch.entries.values()]) if (!wanted.has(entry.name)) this.dropEntry(watch, entry);
  }

  private dropEntry(watch: AgentWatch, entry: EntryWatch): void {
    entry.timer?.cancel();
    entry.timer = null;
    for (const key of entry.resources) this.unsubscribe(key, watch.record.id, entry.name);
    entry.resources = [];
    if (watch.entries.get(entry.name) === entry) watch.entries.delete(entry.name);
  }

  private current(watch: AgentWatch, entry: EntryWatch): boolean {
    return !this.stopped && this.agents.get(watch.record.id) === watch && watch.entries.get(entry.name) === entry;
  }

  private probe(watch: AgentWatch, entry: EntryWatch): void {
    const kind = entry.kind!;
    const config = entry.entry!;
    entry.state = entry.state === 'watching' ? 'watching' : 'probing';
    entry.nextProbeAt = null;
    this.track(
      (async () => {
        let retryAfterMs = 0;
        try {
          const probe = await kind.probe(watch.record, config, this.env);
          if (!this.current(watch, entry)) return;
          entry.failures = 0;
          if (!probe.applies) {
            this.release(watch, entry, []);
            entry.state = 'not_applicable';
            entry.message = sanitizeUntrusted(probe.reason);
            this.deps.log.debug(TAG, `agent ${watch.record.id}: monitor "${entry.name}" does not apply: ${entry.message}`);
            // It may apply later (a PR opened for the branch): asked again each interval.
            this.reprobe(watch, entry, this.entryIntervalMs(config));
            return;
          }
          entry.state = 'watching';
          entry.message = null;
          const keyed = probe.resources.map((resource) => ({ key: `${config.type}:${resource.key}`, resource }));
          this.release(watch, entry, keyed.map(({ key }) => key));
          for (const { key, resource } of keyed) {
            if (entry.resources.includes(key)) continue;
            entry.resources.push(key);
            this.subscribe(key, kind, resource, { agentId: watch.record.id, entry: config });
          }
          // What it watches can change (a new PR for the branch): asked again now and then, far less often than polls.
          this.reprobe(watch, entry, Math.max(REPROBE_EVERY_INTERVALS * this.entryIntervalMs(config), MIN_REPROBE_WHILE_WATCHING_MS));
          return;
        } catch (error) {
          if (!this.current(watch, entry)) return;
          if (error instanceof MonitorRetryError) retryAfterMs = error.retryAfterMs;
          entry.failures += 1;
          // An entry that already watches keeps watching what it had; the failed re-probe is only reported.
          if (entry.state !== 'watching') entry.state = 'error';
          entry.message = `probe failed: ${sanitizeUntrusted((error as Error)?.message ?? String(error))}`;
          this.deps.log.warn(TAG, `agent ${watch.record.id}: monitor "${entry.name}": ${entry.message}`);
        }
        this.reprobe(watch, entry, backoffDelay(this.entryIntervalMs(config), entry.failures, retryAfterMs));
      })(),
    );
  }

  /** Stops watching the entry's resources that are not in `keep`. */
  private release(watch: AgentWatch, entry: EntryWatch, keep: string[]): void {
    for (const key of entry.resources.filter((k) => !keep.includes(k))) this.unsubscribe(key, watch.record.id, entry.name);
    entry.resources = entry.resources.filter((k) => keep.includes(k));
  }

  private reprobe(watch: AgentWatch, entry: EntryWatch, delayMs: number): void {
    entry.nextProbeAt = this.clock.now() + delayMs;
    entry.timer = this.clock.after(delayMs, () => {
      entry.timer = null;
      if (this.current(watch, entry)) this.probe(watch, entry);
    });
  }

  private heldBack(workspace: string | null): Set<string> {
    const status = this.deps.configs.allStatuses().find((s) => s.workspace === workspace);
    return new Set((status?.heldBack ?? []).map((held) => held.path));
  }

  // ---- resources

  private subscribe(key: string, kind: AnyMonitorKind, resource: MonitorResource, subscriber: Subscriber): void {
    let run = this.runs.get(key);
    const fresh = !run;
    if (!run) {
      // The label may carry outside text (a pull request's title): it is shown in terminals.
      const label = sanitizeUntrusted(String(resource.label ?? resource.key)).replace(/\s+/g, ' ').trim();
      run = { key, type: subscriber.entry.type, kind, resource: { ...resource, label }, subscribers: new Map(), timer: null, nextPollAt: null, polling: false, again: false, polls: 0 };
      this.runs.set(key, run);
    }
    run.subscribers.set(`${subscriber.agentId}\0${subscriber.entry.name}`, subscriber);
    const stored = this.store.resources.get(key);
    if (fresh || (!run.timer && !run.polling)) {
      // After a restart, the schedule goes on from the last poll (and any backoff) rather than polling at once.
      const last = stored?.lastPollAt ? Date.parse(stored.lastPollAt) : null;
      const backoff = stored?.backingOffUntil ? Date.parse(stored.backingOffUntil) : 0;
      const due = Math.max(last === null ? 0 : last + this.intervalOf(run), backoff);
      this.schedule(run, Math.max(0, due - this.clock.now()));
    }
    if (stored?.state != null && kind.current) {
      // A late joiner hears how things stand now (ids it already has are skipped).
      const events = this.safely(() => kind.current!(stored.state), [], `monitor ${key}: current()`);
      if (events.length && this.fanOut(run, events, subscriber.agentId)) {
        this.store.save();
        this.flushOutbox();
      }
    }
  }

  private unsubscribe(key: string, agentId: string, entryName: string): void {
    const run = this.runs.get(key);
    if (!run) return;
    run.subscribers.delete(`${agentId}\0${entryName}`);
    if (run.subscribers.size) return;
    // Nobody needs it: stop polling. Its state stays in the store for whoever watches it next.
    run.timer?.cancel();
    run.timer = null;
    run.nextPollAt = null;
    if (!run.polling) this.runs.delete(key);
  }

  private schedule(run: ResourceRun, delayMs: number): void {
    const group = run.resource.rateLimitGroup;
    const groupUntil = group ? (this.groupWaits.get(group) ?? 0) : 0;
    if (groupUntil > this.clock.now() && groupUntil >= this.clock.now() + delayMs) {
      delayMs = groupUntil - this.clock.now();
      this.store.resource(run.key, run.type).backingOffUntil = new Date(groupUntil).toISOString();
    }
    run.timer?.cancel();
    run.nextPollAt = this.clock.now() + delayMs;
    run.timer = this.clock.after(delayMs, () => {
      run.timer = null;
      this.poll(run);
    });
  }

  private poll(run: ResourceRun): void {
    if (run.polling || this.stopped) return;
    run.polling = true;
    run.polls += 1;
    run.nextPollAt = null;
    const stored = this.store.resource(run.key, run.type);
    this.track(
      (async () => {
        let nextMs: number;
        const interval = this.intervalOf(run);
        try {
          const result = await run.kind.poll(run.resource, stored.state ?? null, this.env);
          const now = this.clock.now();
          stored.state = result.state ?? null;
          stored.failures = 0;
          stored.lastError = null;
          stored.lastPollAt = new Date(now).toISOString();
          const asked = result.retryAfterMs ?? 0;
          this.groupWait(run, asked);
          nextMs = asked > interval ? asked : jittered(interval, this.random());
          stored.backingOffUntil = asked > interval ? new Date(now + asked).toISOString() : null;
          this.fanOut(run, Array.isArray(result.events) ? result.events : []);
        } catch (error) {
          const now = this.clock.now();
          stored.failures += 1;
          stored.lastError = sanitizeUntrusted((error as Error)?.message ?? String(error));
          stored.lastPollAt = new Date(now).toISOString();
          const asked = error instanceof MonitorRetryError ? error.retryAfterMs : 0;
          this.groupWait(run, asked);
          nextMs = backoffDelay(interval, stored.failures, asked);
          stored.backingOffUntil = new Date(now + nextMs).toISOString();
          this.deps.log.warn(TAG, `${run.resource.label}: poll failed (${stored.failures} in a row): ${stored.lastError}; backing off until ${stored.backingOffUntil}`);
        }
        // The new state and the messages it produced are written together, before any is queued.
        this.store.save();
        this.flushOutbox();
        run.polling = false;
        this.changed();
        if (this.stopped) return;
        if (!run.subscribers.size) this.runs.delete(run.key);
        else this.schedule(run, run.again && !stored.failures ? 0 : nextMs);
        run.again = false;
      })(),
    );
  }

  /** The source asked `run` to wait: the other resources of its rate-limit group wait as long. */
  private groupWait(run: ResourceRun, askedMs: number): void {
    const group = run.resource.rateLimitGroup;
    if (!group || !(askedMs > 0)) return;
    const until = this.clock.now() + askedMs;
    if (until <= (this.groupWaits.get(group) ?? 0)) return;
    this.groupWaits.set(group, until);
    for (const other of this.runs.values()) {
      if (other === run || other.resource.rateLimitGroup !== group || !other.timer || (other.nextPollAt ?? 0) >= until) continue;
      this.schedule(other, until - this.clock.now());
    }
  }

  /** Renders each event for each watching agent that has not had it; true if any went into the outbox. */
  private fanOut(run: ResourceRun, events: MonitorEvent[], onlyAgent?: string): boolean {
    let added = false;
    const byAgent = new Map<string, Subscriber[]>();
    for (const subscriber of run.subscribers.values()) {
      if (onlyAgent !== undefined && subscriber.agentId !== onlyAgent) continue;
      byAgent.set(subscriber.agentId, [...(byAgent.get(subscriber.agentId) ?? []), subscriber]);
    }
    for (const event of events) {
      if (!event || typeof event.id !== 'string' || typeof event.template !== 'string') {
        this.deps.log.error(TAG, `${run.resource.label}: the ${run.type} monitor reported an event without an id or template; skipped`);
        continue;
      }
      const deliveryId = `${run.key}#${event.id}`;
      for (const [agentId, subscribers] of byAgent) {
        const watch = this.agents.get(agentId);
        if (!watch || this.store.wasDelivered(agentId, deliveryId)) continue;
        const subscriber = subscribers.find((s) => this.safely(() => (run.kind.wants ? run.kind.wants(event, s.entry) : true), false, `${run.type} wants()`));
        if (!subscriber) continue;
        const configured = subscriber.entry.config.priority;
        this.store.outbox.push({
          agentId,
          deliveryId,
          text: this.render(watch.record, subscriber.entry, event),
          priority: typeof configured === 'number' ? configured : typeof event.priority === 'number' ? event.priority : 0,
          source: `monitor:${subscriber.entry.name}`,
        });
        added = true;
      }
    }
    return added;
  }

  /** Hands the outbox to the agents' injection queues, then remembers each as delivered. */
  private flushOutbox(): void {
    if (!this.store.outbox.length) return;
    const touched = new Set<string>();
    const keep = [];
    for (const item of this.store.outbox) {
      if (!this.agents.has(item.agentId)) {
        this.deps.log.info(TAG, `agent ${item.agentId} is gone; dropped its undelivered monitor message ${item.deliveryId}`);
        continue;
      }
      try {
        // The dedupe key makes a repeat after a crash between these two steps replace, not double, a message still queued.
        this.deps.queue.enqueue(item.agentId, { text: item.text, submit: true, priority: item.priority, dedupeKey: `monitor:${item.deliveryId}`, source: item.source });
      } catch (error) {
        this.deps.log.error(TAG, `could not queue ${item.deliveryId} for agent ${item.agentId}: ${(error as Error).message}; kept for the next try`);
        keep.push(item);
        continue;
      }
      this.store.markDelivered(item.agentId, item.deliveryId);
      touched.add(item.agentId);
      this.deps.log.info(TAG, `queued ${item.deliveryId} for agent ${item.agentId}`);
    }
    this.store.outbox = keep;
    this.store.save();
    for (const agentId of touched) {
      const record = this.agents.get(agentId)?.record;
      if (record) this.deps.queue.agentChanged(record);
    }
  }

  private render(record: AgentRecord, entry: MonitorEntry, event: MonitorEvent): string {
    const engine = this.deps.templates.for(record.workspace);
    const drop = eventDrop(
      {
        type: event.template,
        source: entry.name,
        id: event.id,
        url: event.url === undefined ? null : sanitizeUntrusted(event.url),
        summary: event.summary === undefined ? null : sanitizeUntrusted(event.summary),
      },
      () => new Date(this.clock.now()),
    );
    const variables = untrustedObject(event.variables ?? {}) as Record<string, unknown>;
    const context: TemplateContext = { ...variables, agent: agentDrop(record), event: drop, monitor: { name: entry.name, type: entry.type } };
    const name = `${entry.type}/${event.template}`;
    const override = typeof entry.config.template === 'string' ? overrideFromConfig(entry.config.template) : undefined;
    let body: string | undefined;
    for (const attempt of override ? [override, undefined] : [undefined]) {
      try {
        body = engine.render(name, context, { override: attempt });
        break;
      } catch (error) {
        this.deps.log.error(TAG, `monitor "${entry.name}": cannot render ${attempt ? 'its template' : name}: ${(error as Error).message}`);
      }
    }
    // With no template at all, the event still reaches the agent, plainly.
    body ??= `${event.template.replace(/_/g, ' ')}${drop.summary ? `: ${drop.summary}` : ''}`;
    try {
      return engine.render('core/event', { event: drop, body }).trim();
    } catch (error) {
      this.deps.log.error(TAG, `cannot render core/event: ${(error as Error).message}`);
      return body.trim();
    }
  }

  // ---- helpers

  private entryIntervalMs(entry: MonitorEntry): number {
    const seconds = entry.config.poll_interval;
    return (typeof seconds === 'number' && seconds > 0 ? seconds : DEFAULT_POLL_INTERVAL_S) * 1000;
  }

  /** The shortest interval any watching entry asks for. */
  private intervalOf(run: ResourceRun): number {
    const intervals = [...run.subscribers.values()].map((s) => this.entryIntervalMs(s.entry));
    return intervals.length ? Math.min(...intervals) : DEFAULT_POLL_INTERVAL_S * 1000;
  }

  private safely<T>(fn: () => T, fallback: T, what: string): T {
    try {
      return fn();
    } catch (error) {
      this.deps.log.error(TAG, `${what} threw: ${(error as Error).message}`);
      return fallback;
    }
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => this.deps.log.error(TAG, `unexpected: ${(error as Error)?.stack ?? String(error)}`)).finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }
}
