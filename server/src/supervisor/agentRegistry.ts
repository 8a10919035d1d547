/**
 * Every agent the host knows: the durable record (AgentStore) joined with the
 * live link to its agent process, when it is connected.
 */
import { EventEmitter } from 'node:events';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import { AgentLink, ErrorCode, type AgentRecord, type AgentSpec, type AgentState, type AgentHold, type Cost, type GoalStatus, type Mcp } from '../protocol';
import type { AgentStore, StoredAgent } from '../host/agentStore';
import { agentFilesDir, agentSocketPath, type SuperkickPaths } from '../common/paths';
import { isProcessAlive } from '../common/processes';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import { ensureDir } from '../common/secureDir';
import type { Logger } from '../common/logger';

/** An agent created but never registered by its process after this long did not start. */
const NEVER_STARTED_MS = 60_000;

interface LiveLink {
  connection: MessageConnection;
  viewers: number;
}

/** What an agent process leaves in `state/exits/` when the host was away as its program exited. */
export type ExitFile = AgentLink.AgentExited.Params;

export interface AgentsChangedEvent { record: AgentRecord; removed?: boolean }

export class AgentRegistry extends EventEmitter<{ changed: [AgentsChangedEvent]; exited: [string] }> {
  private readonly links = new Map<string, LiveLink>();
  /** An agent's cost for its record (the host's cost ledger); null: unknown. */
  costOf: (id: string) => Cost.CostTotals | null = () => null;

  constructor(private readonly store: AgentStore, private readonly paths: SuperkickPaths, private readonly log: Logger) {
    super();
  }

  /**
   * Agents whose process is gone without a word (killed, or died while the
   * host was away) are marked exited: with the code from their exit file if
   * they left one, else with an unknown code. Run at start, when an agent's
   * link drops, and now and then for agents that never came back.
   */
  reconcile(ids: Iterable<string> = this.store.all().map((agent) => agent.id)): void {
    for (const id of ids) {
      const agent = this.store.get(id);
      if (!agent || agent.state === 'exited' || this.links.has(id)) continue;
      const exit = this.readExitFile(agent.id);
      if (exit) {
        this.markExited(agent.id, exit);
      } else if (agent.pid === null ? Date.now() - Date.parse(agent.createdAt) > NEVER_STARTED_MS : !isProcessAlive(agent.pid)) {
        this.log.warn('host.registry', `agent ${agent.id} (pid ${agent.pid}) died without reporting an exit; its exit code is unknown`);
        this.markExited(agent.id, { exitCode: null, signal: null, finalScreen: '', exitedAt: new Date().toISOString() });
      }
    }
  }

  list(options: { includeExited?: boolean; only?: string } = {}): AgentRecord[] {
    return this.store
      .all()
      .filter((agent) => (options.only ? agent.id === options.only : true))
      .filter((agent) => options.includeExited !== false || agent.state !== 'exited')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((agent) => this.toRecord(agent));
  }

  record(id: string): AgentRecord {
    const agent = this.store.get(id);
    if (!agent) throw noSuchAgent(id, this.store.all());
    return this.toRecord(agent);
  }

  /**
   * An agent by id, or by name. A name shared by several agents resolves to
   * the one still running, if exactly one is.
   */
  resolve(nameOrId: string, visibleTo?: string): StoredAgent {
    const candidates = this.store.all().filter((agent) => !visibleTo || agent.id === visibleTo);
    const byId = candidates.find((agent) => agent.id === nameOrId);
    if (byId) return byId;
    const named = candidates.filter((agent) => agent.spec.name === nameOrId);
    const running = named.filter((agent) => agent.state !== 'exited');
    if (named.length === 1) return named[0];
    if (running.length === 1) return running[0];
    if (named.length > 1) {
      throw new ResponseError(ErrorCode.AmbiguousAgent, `the name "${nameOrId}" matches ${named.length} agents (${named.map((a) => a.id).join(', ')}); use an id`);
    }
    throw noSuchAgent(nameOrId, candidates);
  }

  create(spec: AgentSpec): StoredAgent {
    const id = this.newId();
    const agent: StoredAgent = {
      id,
      spec: { ...spec, name: this.uniqueName(spec.name) },
      state: 'starting',
      stateSince: new Date().toISOString(),
      pid: null,
      childPid: null,
      createdAt: new Date().toISOString(),
      exitedAt: null,
      exitCode: null,
      signal: null,
      attachSocket: agentSocketPath(this.paths, id),
      recording: null,
    };
    this.store.put(agent);
    this.emitChanged(id);
    return agent;
  }

  register(params: AgentLink.RegisterAgent.Params, connection: MessageConnection): void {
    const existing = this.store.get(params.id);
    const fields = {
      state: params.state,
      stateSince: params.stateSince ?? sinceFor(existing, params.state),
      pid: params.pid,
      childPid: params.childPid,
      attachSocket: params.attachSocket,
      recording: params.recording,
    };
    if (existing) {
      this.store.update(params.id, fields);
    } else {
      // An agent the host forgot (its state file was lost): adopt it.
      this.store.put({ id: params.id, spec: params.spec, createdAt: params.createdAt, exitedAt: null, exitCode: null, signal: null, ...fields });
    }
    this.links.set(params.id, { connection, viewers: params.viewers });
    this.log.info('host.registry', `agent ${params.id} (${params.spec.name}) registered, pid ${params.pid}`);
    this.emitChanged(params.id);
  }

  status(id: string, params: AgentLink.AgentStatus.Params): void {
    const link = this.links.get(id);
    if (link) link.viewers = params.viewers;
    // Exit is reported only by AgentExited, which carries the exit code.
    if (params.state === 'exited') this.store.update(id, { recording: params.recording });
    else this.store.update(id, { state: params.state, stateSince: params.stateSince ?? sinceFor(this.store.get(id), params.state), recording: params.recording });
    this.emitChanged(id);
  }

  exited(id: string, params: AgentLink.AgentExited.Params): void {
    this.markExited(id, params);
  }

  disconnected(id: string, connection: MessageConnection): void {
    const link = this.links.get(id);
    if (!link || link.connection !== connection) return;
    this.links.delete(id);
    this.log.info('host.registry', `agent ${id} disconnected`);
    this.emitChanged(id);
    this.reconcile([id]);
  }

  /**
   * The agent's link, waiting up to `ms` for a live agent that is not linked
   * yet: one still starting (its process not registered), or one that has
   * not re-registered since this host started. A person who stops an agent
   * at such a moment should not be told it is "not connected".
   */
  async linkWhenStarted(id: string, ms = 15_000): Promise<MessageConnection> {
    const agent = this.store.get(id);
    if (this.links.has(id) || !agent || agent.state === 'exited') return this.link(id);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off('changed', onChanged);
        resolve();
      };
      const onChanged = ({ record }: AgentsChangedEvent) => {
        if (record.id === id && (this.links.has(id) || record.state === 'exited')) done();
      };
      const timer = setTimeout(done, ms);
      this.on('changed', onChanged);
    });
    return this.link(id);
  }

  link(id: string): MessageConnection {
    const link = this.links.get(id);
    if (!link) {
      const agent = this.store.get(id);
      const why = agent?.state === 'exited' ? `has exited (code ${agent.exitCode ?? 'unknown'})` : 'is not connected to the host';
      throw new ResponseError(ErrorCode.AgentGone, `agent ${id} ${why}`);
    }
    return link.connection;
  }

  /** Records where the agent's goal stands (persisted with the agent). */
  setGoal(id: string, goal: GoalStatus | null): void {
    if (!this.store.get(id)) return;
    this.store.update(id, { goal });
    this.emitChanged(id);
  }

  /** Holds the agent (nothing is injected) or, with null, releases it; persisted with the agent. */
  setHold(id: string, hold: AgentHold | null): void {
    if (!this.store.get(id)) return;
    this.store.update(id, { hold });
    this.emitChanged(id);
  }

  /** The durable facts of an agent, for the parts of the host that keep some of their own on it (budget raises). */
  stored(id: string): StoredAgent | undefined {
    return this.store.get(id);
  }

  update(id: string, change: Pick<Partial<StoredAgent>, 'budgetRaisedUsd'>): void {
    if (this.store.update(id, change)) this.emitChanged(id);
  }

  /** Records what the agent last said about its progress (persisted with the agent). */
  setProgress(id: string, progress: Mcp.AgentProgress | null): void {
    if (!this.store.get(id)) return;
    this.store.update(id, { progress });
    this.emitChanged(id);
  }

  /** Announces an agent's record again (its cost changed). */
  refresh(id: string): void {
    this.emitChanged(id);
  }

  finalScreen(id: string): string | null {
    try {
      return fs.readFileSync(this.screenFile(id), 'utf8');
    } catch {
      return null;
    }
  }

  waitForExit(id: string): Promise<void> {
    if (this.store.get(id)?.state === 'exited') return Promise.resolve();
    return new Promise((resolve) => {
      const onExit = (exitedId: string) => {
        if (exitedId !== id) return;
        this.off('exited', onExit);
        resolve();
      };
      this.on('exited', onExit);
    });
  }

  /** Drops an agent whose process never started (its spawn failed at the runtime), so no record of it is left. */
  discardUnstarted(id: string): void {
    const agent = this.store.get(id);
    if (!agent || agent.pid !== null || this.links.has(id)) return;
    const record = this.toRecord(agent);
    this.store.remove(id);
    fs.rmSync(agentFilesDir(this.paths, id), { recursive: true, force: true });
    this.emit('changed', { record, removed: true });
  }

  prune(id?: string): string[] {
    const removed: string[] = [];
    for (const agent of this.store.all()) {
      if (agent.state !== 'exited' || (id && agent.id !== id)) continue;
      const record = this.toRecord(agent);
      this.store.remove(agent.id);
      fs.rmSync(this.screenFile(agent.id), { force: true });
      fs.rmSync(agentFilesDir(this.paths, agent.id), { recursive: true, force: true });
      removed.push(agent.id);
      this.emit('changed', { record, removed: true });
    }
    return removed;
  }

  private markExited(id: string, exit: ExitFile): void {
    if (!this.store.get(id)) return;
    try {
      ensureDir(this.paths.screens);
      writeFileAtomic(this.screenFile(id), exit.finalScreen);
    } catch (error) {
      this.log.error('host.registry', `could not keep the final screen of ${id}: ${(error as Error).message}`);
    }
    this.store.update(id, { state: 'exited', stateSince: exit.exitedAt, exitCode: exit.exitCode, signal: exit.signal, exitedAt: exit.exitedAt, recording: null });
    fs.rmSync(path.join(this.paths.exits, `${id}.json`), { force: true });
    this.log.info('host.registry', `agent ${id} exited with code ${exit.exitCode}${exit.signal ? ` (signal ${exit.signal})` : ''}`);
    this.emitChanged(id);
    this.emit('exited', id);
  }

  private readExitFile(id: string): ExitFile | undefined {
    return readJsonOrQuarantine<ExitFile>(path.join(this.paths.exits, `${id}.json`), (movedTo, reason) =>
      this.log.error('host.registry', `exit file of ${id} is corrupt (${reason}); moved to ${movedTo}`),
    );
  }

  private screenFile(id: string): string {
    return path.join(this.paths.screens, `${id}.txt`);
  }

  private toRecord(agent: StoredAgent): AgentRecord {
    const link = this.links.get(agent.id);
    return {
      id: agent.id,
      name: agent.spec.name,
      driver: agent.spec.driver,
      command: agent.spec.command,
      args: agent.spec.args,
      cwd: agent.spec.cwd,
      state: agent.state as AgentState,
      stateSince: agent.stateSince ?? null,
      pid: agent.pid,
      childPid: agent.childPid,
      createdAt: agent.createdAt,
      exitedAt: agent.exitedAt,
      exitCode: agent.exitCode,
      signal: agent.signal,
      viewers: link?.viewers ?? 0,
      connected: Boolean(link),
      attachSocket: agent.state === 'exited' ? null : agent.attachSocket,
      recording: agent.recording,
      workspace: agent.spec.workspace ?? null,
      assignment: agent.spec.assignment ?? {},
      goal: agent.goal ?? null,
      hold: agent.hold ?? null,
      progress: agent.progress ?? null,
      cost: this.costOf(agent.id),
    };
  }

  private emitChanged(id: string): void {
    const agent = this.store.get(id);
    if (agent) this.emit('changed', { record: this.toRecord(agent) });
  }

  private newId(): string {
    for (;;) {
      const id = crypto.randomBytes(4).toString('hex');
      if (!this.store.has(id)) return id;
    }
  }

  private uniqueName(base: string): string {
    const taken = new Set(this.store.all().filter((a) => a.state !== 'exited').map((a) => a.spec.name));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

/** When a state reported without its start began: unchanged, it goes on; changed, it begins now. */
function sinceFor(agent: StoredAgent | undefined, state: AgentState): string {
  return agent && agent.state === state && agent.stateSince ? agent.stateSince : new Date().toISOString();
}

function noSuchAgent(name: string, known: StoredAgent[]): ResponseError<void> {
  const ids = known.map((agent) => `${agent.id} (${agent.spec.name})`);
  const list = ids.length ? `known agents: ${ids.join(', ')}` : 'there are no agents';
  return new ResponseError(ErrorCode.NoSuchAgent, `no agent named ${name}; ${list}`);
}
