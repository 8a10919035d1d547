/**
 * Routes each supervision event to the notifiers that want it. For the
 * event's scope (the agent's workspace; the event's own, or the user's config
 * for an agent-less one) it takes the enabled `notifiers:` entries whose
 * `events` list has the type (default: all) and that the agent's assignment
 * allows (default: all), renders the text through the entry's `template` or
 * its integration's, and sends it. Every event also goes, once, to the feed
 * that clients such as the VS Code extension watch.
 *
 * De-duplication is at-most-once: the "told" mark is written (fsync'd) before
 * the send starts. A host killed between the mark and the send loses that one
 * notification; the other order would repeat it, and a person paged twice, or
 * a user's command run twice for one event, is worse than a missed line that
 * `superkick list` and the agent's state still show. A send that fails is
 * logged and kept as the notifier's last error; it is not retried.
 */
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import type { MessageConnection } from 'vscode-jsonrpc';
import { SUPERVISION_EVENT_TYPES, type AgentRecord, type Notify, type SupervisionEvent, type SupervisionEventType } from '../protocol';
import type { NotifierInfo, ShownNotification } from '../protocol/notify';
import type { Logger } from '../common/logger';
import { UserError } from '../common/userError';
import { isPlainObject } from '../config/layers';
import type { EffectiveConfig } from '../config/sections';
import { INTEGRATIONS, type Integration } from '../integrations';
import { agentDrop, eventDrop, overrideFromConfig, untrustedObject, type TemplateContext, type TemplateEngine } from '../templates';
import { sanitizeUntrusted } from '../supervisor/untrustedText';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import { suggestedActions } from './actions';
import type { NotificationFeed } from './notificationFeed';
import { RETENTION_MS, notifierKey, type NotifiedStore } from './notifiedStore';
import type { Notification, NotifierEntry, NotifierServices, SendOutcome } from './notifier';

const TAG = 'notify';
const DEFAULT_TEMPLATE = 'core/notification';
/**
 * The mark that an event was dispatched at all (to the client feed and every notifier then
 * configured). A configured notifier's key starts with its scope (a `/` path, or NUL for the
 * user's), so none can clash with it.
 */
const DISPATCHED = '\u0001dispatched';

export interface DispatcherDeps {
  bus: SupervisionBus;
  registry: { record(id: string): AgentRecord; link(id: string): MessageConnection };
  configs: { configOf(workspace: string | null): EffectiveConfig; list(): { root: string }[] };
  templates: { for(workspace: string | null): TemplateEngine };
  store: NotifiedStore;
  feed?: NotificationFeed;
  log: Logger;
  integrations?: readonly Integration[];
  now?: () => number;
}

/** A configured, enabled entry chosen for an event. */
interface Target {
  workspace: string | null;
  name: string;
  entry: NotifierEntry;
}

/** What one delivery did (the protocol's answer to TestNotifier). */
export type TestResult = Notify.TestNotifier.Result;

export class NotifyDispatcher {
  private readonly integrations: readonly Integration[];
  private readonly now: () => number;
  /** Sends still running (tests and shutdown wait on them). */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listener = (event: SupervisionEvent) => this.dispatch(event);
  /** While set, events are marked as told and nothing is sent (see `seed`). */
  private seeding = false;

  constructor(private readonly deps: DispatcherDeps) {
    this.integrations = deps.integrations ?? INTEGRATIONS;
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    this.deps.bus.on('event', this.listener);
  }

  stop(): void {
    this.deps.bus.off('event', this.listener);
  }

  /**
   * Runs `publishPast` (which publishes what already happened) with sending
   * off: its events are only marked as told. For a host that starts with no
   * notifier state (the first start of this version, or after a corrupt file
   * was moved aside), so that every agent exit of the last month is not
   * announced at once.
   */
  seed(publishPast: () => void): void {
    this.seeding = true;
    try {
      publishPast();
    } finally {
      this.seeding = false;
    }
  }

  /** Resolves when every send started so far has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Never throws: it runs inside whoever published the event. */
  dispatch(published: SupervisionEvent): void {
    // An agent's or a stranger's words: no escape sequence may reach a person's terminal through any notifier.
    const event = published.summary === null ? published : { ...published, summary: sanitizeUntrusted(published.summary) };
    try {
      const occurred = Date.parse(event.occurredAt);
      if (Number.isFinite(occurred) && occurred < this.now() - RETENTION_MS) {
        // Older than the marks are kept: it is no news, and its mark may be gone.
        this.deps.log.debug(TAG, `${event.id}: happened ${event.occurredAt}, too long ago to notify`);
        return;
      }
      const agent = this.agentOf(event.agentId);
      const workspace = agent?.workspace ?? event.workspace ?? null;
      const targets = this.targetsFor(event, agent, workspace);
      // One write marks the event as dispatched and each target as told, before anything is sent.
      const fresh = new Set(this.deps.store.claim([DISPATCHED, ...targets.map((t) => notifierKey(t.workspace, t.name))], event.id));
      if (!fresh.has(DISPATCHED)) {
        // Published again (a restarted host catching up): old news, also for a notifier added since.
        this.deps.log.debug(TAG, `${event.id}: dispatched before`);
        return;
      }
      if (this.seeding) {
        this.deps.log.debug(TAG, `${event.id}: happened before notifier state was kept; marked, not sent`);
        return;
      }
      this.toFeed(event, agent, workspace);
      for (const target of targets) {
        if (!fresh.has(notifierKey(target.workspace, target.name))) {
          this.deps.log.debug(TAG, `${event.id}: ${target.name} was already told`);
          continue;
        }
        this.track(this.deliver(target, event, agent, false).then(() => undefined));
      }
    } catch (error) {
      this.deps.log.error(TAG, `could not dispatch ${event.id}: ${(error as Error).message}`);
    }
  }

  /** Every configured notifier of every scope, with how its sending has gone. */
  list(workspace?: string | null): NotifierInfo[] {
    const scopes = workspace !== undefined ? [workspace] : [null, ...this.deps.configs.list().map((w) => w.root)];
    return scopes.flatMap((scope) =>
      Object.entries(this.entriesOf(scope, true)).map(([name, entry]) => {
        const status = this.deps.store.status(notifierKey(scope, name));
        return {
          workspace: scope,
          name,
          type: entry.type,
          enabled: entry.enabled !== false,
          events: entry.events ?? [...SUPERVISION_EVENT_TYPES],
          ...status,
        };
      }),
    );
  }

  /**
   * Sends a made-up event through one notifier, whatever its `events` list
   * says and whether or not it was told before; the result says how it went.
   */
  async test(name: string, workspace: string | null, type: SupervisionEventType = 'agent_waiting', agentId?: string): Promise<TestResult> {
    const entries = this.entriesOf(workspace, true);
    const entry = entries[name];
    if (!entry) {
      const known = Object.keys(entries);
      throw new UserError(`no notifier named "${name}" in ${workspace ?? 'the user configuration'}; ${known.length ? `notifiers: ${known.join(', ')}` : 'none is configured'} (an untrusted workspace's command notifiers are held back: superkick config check)`);
    }
    if (entry.enabled === false) throw new UserError(`notifier "${name}" is disabled (enabled: false); enable it to test it`);
    const agent = agentId ? this.agentOf(agentId) : null;
    const event: SupervisionEvent = {
      id: `test:${crypto.randomBytes(4).toString('hex')}`,
      type,
      agentId: agent?.id ?? null,
      workspace,
      occurredAt: new Date(this.now()).toISOString(),
      summary: 'A test notification from Superkick (superkick notifier test).',
      url: null,
      details: { test: true },
    };
    return this.deliver({ workspace, name, entry }, event, agent, true);
  }

  private async deliver(target: Target, event: SupervisionEvent, agent: AgentRecord | null, test: boolean): Promise<TestResult> {
    const key = notifierKey(target.workspace, target.name);
    const result: TestResult = { notifier: target.name, workspace: target.workspace, event, text: '', outcome: 'failed', detail: null };
    let outcome: SendOutcome;
    try {
      const integration = this.integrations.find((i) => i.section === 'notifiers' && i.type === target.entry.type);
      const template = integration?.notificationTemplate ?? DEFAULT_TEMPLATE;
      result.text = this.render(target.workspace, template, event, agent, target.entry.template);
      if (!integration?.notifier) {
        outcome = { sent: false, skipped: `notifiers of type "${target.entry.type}" cannot send yet` };
      } else {
        const notifier = integration.notifier(target.entry, this.services(target, agent));
        const notification: Notification = { event, text: result.text, agent, notifier: target.name, workspace: target.workspace, test };
        outcome = await notifier.send(notification);
      }
    } catch (error) {
      const message = (error as Error).message;
      this.deps.log.error(TAG, `notifier ${target.name}${target.workspace ? ` (${target.workspace})` : ''} failed on ${event.id}: ${message}`);
      this.deps.store.noteError(key, message);
      result.detail = message;
      return result;
    }
    if (outcome.sent) {
      this.deps.store.noteSent(key, event.id);
      this.deps.log.info(TAG, `${target.name} told of ${event.id}`);
      result.outcome = 'sent';
    } else {
      this.deps.log.debug(TAG, `${target.name} skipped ${event.id}: ${outcome.skipped}`);
      result.outcome = 'skipped';
      result.detail = outcome.skipped;
    }
    return result;
  }

  private toFeed(event: SupervisionEvent, agent: AgentRecord | null, workspace: string | null): void {
    const feed = this.deps.feed;
    if (!feed) return;
    let text: string;
    try {
      text = this.render(workspace, DEFAULT_TEMPLATE, event, agent);
    } catch (error) {
      this.deps.log.warn(TAG, `could not render ${DEFAULT_TEMPLATE} for ${event.id}: ${(error as Error).message}`);
      text = [event.type.replace(/_/g, ' '), event.summary ?? ''].filter(Boolean).join(': ');
    }
    const shown: ShownNotification = { event, text, agent, actions: suggestedActions(event, agent) };
    feed.publish(shown);
  }

  private render(workspace: string | null, template: string, event: SupervisionEvent, agent: AgentRecord | null, override?: string): string {
    const context: TemplateContext = {
      agent: agent ? agentDrop(agent) : null,
      event: eventDrop({
        type: event.type,
        source: typeof event.details.source === 'string' ? event.details.source : event.type.split('_')[0],
        id: event.id,
        url: event.url,
        occurredAt: event.occurredAt,
        summary: event.summary,
      }),
      details: untrustedObject(event.details),
    };
    const engine = this.deps.templates.for(workspace);
    return engine.render(template, context, { override: typeof override === 'string' && override.trim() ? overrideFromConfig(override) : undefined });
  }

  private targetsFor(event: SupervisionEvent, agent: AgentRecord | null, workspace: string | null): Target[] {
    const allowed = agent?.assignment.notifiers;
    return Object.entries(this.entriesOf(workspace, false))
      .filter(([, entry]) => !entry.events || entry.events.includes(event.type))
      .filter(([name]) => !allowed || allowed.includes(name))
      .map(([name, entry]) => ({ workspace, name, entry }));
  }

  /** The scope's `notifiers:` entries (held-back untrusted ones are not in its configuration at all). */
  private entriesOf(workspace: string | null, includeDisabled: boolean): Record<string, NotifierEntry> {
    let section: unknown;
    try {
      section = this.deps.configs.configOf(workspace).notifiers;
    } catch (error) {
      this.deps.log.warn(TAG, `no configuration for ${workspace ?? 'the user scope'}: ${(error as Error).message}`);
      return {};
    }
    if (!isPlainObject(section)) return {};
    const entries: Record<string, NotifierEntry> = {};
    for (const [name, entry] of Object.entries(section)) {
      if (!isPlainObject(entry) || typeof entry.type !== 'string') continue;
      if (!includeDisabled && entry.enabled === false) continue;
      entries[name] = entry as NotifierEntry;
    }
    return entries;
  }

  private services(target: Target, agent: AgentRecord | null): NotifierServices {
    return {
      log: this.deps.log,
      defaultCwd: target.workspace ?? agent?.cwd ?? os.homedir(),
      agentLink: (id) => {
        try {
          return this.deps.registry.link(id);
        } catch {
          return undefined;
        }
      },
    };
  }

  private agentOf(id: string | null | undefined): AgentRecord | null {
    if (!id) return null;
    try {
      return this.deps.registry.record(id);
    } catch {
      return null;
    }
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }
}
