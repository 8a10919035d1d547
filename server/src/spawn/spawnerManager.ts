/**
 * Runs the spawner entries of every registered workspace: polls each on its
 * interval (at once when its kind says new work may have arrived), backs off
 * after errors, and hands new work to the spawn service while the entry is
 * under its `max_agents`. Work already dispatched is skipped by key; work
 * beyond `max_agents` is simply seen again at a later poll, so nothing is
 * lost and nothing is queued twice. A config change restarts only the
 * entries whose settings changed.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../common/logger';
import type { WorkspaceConfigs } from '../host/workspaceConfigs';
import type { Spawn } from '../protocol';
import { integrationFor } from '../integrations';
import { sha256OfJson } from './canonicalJson';
import type { SpawnService } from './spawnService';
import type { AnySpawnerKind, SpawnerEntry, SpawnWork } from './spawnerKind';
import type { WebhookHint } from '../webhooks/webhookIntake';

const DEFAULT_INTERVAL_S = 60;
const MAX_BACKOFF_S = 15 * 60;
const TAG = 'spawners';

interface Running {
  entry: SpawnerEntry;
  hash: string;
  kind?: AnySpawnerKind;
  params?: unknown;
  status: Spawn.SpawnerStatus;
  timer?: NodeJS.Timeout;
  watch?: { close(): void };
  abort: AbortController;
  polling: boolean;
  /** Woken while a poll ran: poll again right after it. */
  again: boolean;
  failures: number;
  /** How long the source asked to be left alone after the last failure (a rate limit's retry-after). */
  retryAfterMs: number;
  /** What the last poll logged, by topic, so the same line is not logged at every poll. */
  said: Map<string, string>;
}

export class SpawnerManager extends EventEmitter<{ changed: [] }> {
  private readonly entries = new Map<string, Running>();
  private stopped = false;
  private readonly resync = () => this.sync();

  constructor(private readonly deps: { configs: WorkspaceConfigs; spawns: SpawnService; log: Logger }) {
    super();
  }

  start(): void {
    this.deps.configs.on('changed', this.resync);
    this.deps.configs.on('section', this.resync);
    this.sync();
  }

  stop(): void {
    this.stopped = true;
    this.deps.configs.off('changed', this.resync);
    this.deps.configs.off('section', this.resync);
    for (const running of this.entries.values()) this.halt(running);
    this.entries.clear();
  }

  status(workspace?: string | null): Spawn.SpawnerStatus[] {
    return [...this.entries.values()]
      .filter((running) => workspace === undefined || running.entry.workspace === workspace)
      .map((running) => ({ ...running.status, active: this.deps.spawns.activeFor(running.entry.workspace, running.entry.name) }));
  }

  /** Polls an entry now (tests, and `wake` from a kind's watch). */
  wake(workspace: string | null, name: string): void {
    const running = this.entries.get(idOf(workspace, name));
    if (running) this.poll(running);
  }

  /** A webhook delivery may bring new work: the entries it concerns poll now, unless backing off. Returns how many. */
  wakeFor(hint: WebhookHint): number {
    let woken = 0;
    for (const running of this.entries.values()) {
      if (!running.kind?.wakesOn || running.status.state !== 'polling' || running.failures) continue;
      let concerned = false;
      try {
        concerned = running.kind.wakesOn(running.params, hint);
      } catch (error) {
        this.deps.log.error(TAG, `${label(running.entry)}: wakesOn threw: ${(error as Error).message}`);
      }
      if (!concerned) continue;
      woken += 1;
      this.poll(running);
    }
    return woken;
  }

  private sync(): void {
    if (this.stopped) return;
    const wanted = new Map<string, SpawnerEntry>();
    for (const { root } of this.deps.configs.list()) {
      const section = this.deps.configs.configOf(root).spawners;
      if (!section || typeof section !== 'object') continue;
      for (const [name, config] of Object.entries(section as Record<string, Record<string, unknown>>)) {
        if (config && typeof config.type === 'string') wanted.set(idOf(root, name), { name, type: config.type, workspace: root, config });
      }
    }
    for (const [id, running] of this.entries) {
      const entry = wanted.get(id);
      if (!entry || sha256OfJson(entry.config) !== running.hash) {
        this.halt(running);
        this.entries.delete(id);
      }
    }
    for (const [id, entry] of wanted) if (!this.entries.has(id)) this.entries.set(id, this.launch(entry));
    this.emit('changed');
  }

  private launch(entry: SpawnerEntry): Running {
    const intervalS = typeof entry.config.poll_interval === 'number' ? entry.config.poll_interval : DEFAULT_INTERVAL_S;
    const maxAgents = typeof entry.config.max_agents === 'number' ? entry.config.max_agents : 1;
    const running: Running = {
      entry,
      hash: sha256OfJson(entry.config),
      abort: new AbortController(),
      polling: false,
      again: false,
      failures: 0,
      retryAfterMs: 0,
      said: new Map(),
      status: { workspace: entry.workspace, name: entry.name, type: entry.type, state: 'polling', intervalS, polls: 0, lastPollAt: null, lastError: null, nextPollAt: null, backingOffUntil: null, lastFound: 0, lastNew: 0, active: 0, maxAgents },
    };
    if (entry.config.enabled === false) {
      running.status.state = 'disabled';
      return running;
    }
    running.kind = integrationFor('spawners', entry.type)?.spawner;
    if (!running.kind) {
      running.status.state = 'not_yet';
      running.status.lastError = `the ${entry.type} spawner arrives with its integration; this entry validates but finds no work yet`;
      return running;
    }
    try {
      running.params = running.kind.params(entry);
    } catch (error) {
      running.status.state = 'error';
      running.status.lastError = (error as Error).message;
      this.deps.log.error(TAG, `${label(entry)}: ${running.status.lastError}`);
      return running;
    }
    running.watch = running.kind.watch?.(running.params, () => this.poll(running));
    this.deps.log.info(TAG, `${label(entry)}: polling every ${intervalS}s`);
    // Staggered a little so that many entries started together do not poll in the same instant.
    this.schedule(running, Math.random() * 250);
    return running;
  }

  private schedule(running: Running, delayMs: number): void {
    clearTimeout(running.timer);
    running.status.nextPollAt = new Date(Date.now() + delayMs).toISOString();
    running.timer = setTimeout(() => this.poll(running), delayMs);
    running.timer.unref();
  }

  private poll(running: Running): void {
    if (this.stopped || running.abort.signal.aborted || !running.kind) return;
    if (running.polling) {
      running.again = true;
      return;
    }
    running.polling = true;
    running.status.nextPollAt = null;
    void this.pollOnce(running).finally(() => {
      running.polling = false;
      this.emit('changed');
      if (running.abort.signal.aborted) return;
      if (running.again) {
        running.again = false;
        this.poll(running);
        return;
      }
      const delayMs = running.failures ? Math.max(Math.min(running.status.intervalS * 2 ** running.failures, MAX_BACKOFF_S) * 1000, running.retryAfterMs) : running.status.intervalS * 1000;
      running.status.backingOffUntil = running.failures ? new Date(Date.now() + delayMs).toISOString() : null;
      this.schedule(running, delayMs);
    });
  }

  private async pollOnce(running: Running): Promise<void> {
    const { entry } = running;
    let work: SpawnWork[];
    try {
      work = await running.kind!.poll(running.params, { log: this.deps.log, now: () => new Date(), signal: running.abort.signal });
      running.failures = 0;
      running.status.lastError = null;
    } catch (error) {
      running.failures += 1;
      running.status.lastError = (error as Error).message;
      const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
      running.retryAfterMs = typeof asked === 'number' && asked > 0 ? asked : 0;
      this.deps.log.warn(TAG, `${label(entry)}: poll failed (${running.failures} in a row): ${running.status.lastError}`);
      return;
    } finally {
      running.status.polls += 1;
      running.status.lastPollAt = new Date().toISOString();
    }
    const fresh = work.filter((item) => !this.deps.spawns.has(item.key));
    running.status.lastFound = work.length;
    running.status.lastNew = fresh.length;
    const said = new Map<string, string>();
    /** Logs a line once while it stays true, not at every poll (an entry polls every few seconds). */
    const tell = (topic: string, level: 'info' | 'warn', message: string) => {
      said.set(topic, message);
      if (running.said.get(topic) !== message) this.deps.log[level](TAG, `${label(entry)}: ${message}`);
    };
    try {
      await this.submitAll(running, fresh, tell);
    } finally {
      running.said = said;
    }
  }

  private async submitAll(running: Running, fresh: SpawnWork[], tell: (topic: string, level: 'info' | 'warn', message: string) => void): Promise<void> {
    const { entry } = running;
    for (const item of fresh) {
      if (running.abort.signal.aborted) return;
      if (this.deps.spawns.activeFor(entry.workspace, entry.name) >= running.status.maxAgents) {
        tell('max_agents', 'info', `${fresh.length} new item(s), at max_agents ${running.status.maxAgents}; the rest waits for a later poll`);
        return;
      }
      try {
        await this.deps.spawns.submit({
          key: item.key,
          workspace: entry.workspace,
          spawner: entry.name,
          summary: item.summary,
          template: null,
          vars: item.vars,
          // A repository named in the entry wins: the work says where it came from, the entry where to work on it.
          repository: typeof entry.config.repository === 'string' ? null : (item.repository ?? null),
          baseRef: item.baseRef ?? null,
          branch: null,
          agent: {},
          goal: null,
          previousAgent: null,
          requestedBy: 'spawner',
        });
      } catch (error) {
        // The dispatch is marked failed and spawn_failed told, or (wrong settings) the key is left for a later poll; the next item still gets its turn.
        running.status.lastError = `${item.key}: ${(error as Error).message}`;
        tell(`refused:${item.key}`, 'warn', running.status.lastError);
      }
    }
  }

  private halt(running: Running): void {
    running.abort.abort();
    clearTimeout(running.timer);
    running.watch?.close();
  }
}

function idOf(workspace: string | null, name: string): string {
  return `${workspace ?? ''}\0${name}`;
}

function label(entry: SpawnerEntry): string {
  return `spawner "${entry.name}"${entry.workspace ? ` of ${entry.workspace}` : ''}`;
}
