/**
 * The host's durable record of every agent: `state/agents.json`, replaced
 * atomically on each change. Live facts (connection, viewers) are not stored;
 * after a restart the agents that are still alive re-register and bring them.
 */
import type { AgentHold, AgentRecord, AgentSpec, GoalStatus, Mcp } from '../protocol';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';

/** What survives a restart: the spec and the lifecycle facts. Viewers and the link are live-only. */
export type StoredAgent = Pick<
  AgentRecord,
  'id' | 'state' | 'pid' | 'childPid' | 'createdAt' | 'exitedAt' | 'exitCode' | 'signal' | 'attachSocket' | 'recording'
> & { spec: AgentSpec; goal?: GoalStatus | null; hold?: AgentHold | null; budgetRaisedUsd?: number; progress?: Mcp.AgentProgress | null; stateSince?: string | null };

interface StoreFile {
  version: 1;
  agents: StoredAgent[];
}

export class AgentStore {
  private readonly agents = new Map<string, StoredAgent>();

  constructor(private readonly file: string, private readonly log: Logger) {
    const loaded = readJsonOrQuarantine<StoreFile>(file, (movedTo, reason) =>
      log.error('host.state', `state file ${file} is corrupt (${reason}); moved it to ${movedTo} and started with no agents`),
    );
    if (loaded && Array.isArray(loaded.agents)) {
      for (const agent of loaded.agents) {
        if (agent && typeof agent.id === 'string' && agent.spec) this.agents.set(agent.id, agent);
      }
    } else if (loaded) {
      log.error('host.state', `state file ${file} has no agents list; ignoring it`);
    }
  }

  all(): StoredAgent[] {
    return [...this.agents.values()];
  }

  get(id: string): StoredAgent | undefined {
    return this.agents.get(id);
  }

  has(id: string): boolean {
    return this.agents.has(id);
  }

  put(agent: StoredAgent): void {
    this.agents.set(agent.id, agent);
    this.save();
  }

  update(id: string, change: Partial<StoredAgent>): StoredAgent | undefined {
    const agent = this.agents.get(id);
    if (!agent) return undefined;
    const before = JSON.stringify(agent);
    Object.assign(agent, change);
    if (JSON.stringify(agent) !== before) this.save();
    return agent;
  }

  remove(id: string): void {
    if (this.agents.delete(id)) this.save();
  }

  private save(): void {
    const data: StoreFile = { version: 1, agents: this.all() };
    try {
      writeFileAtomic(this.file, JSON.stringify(data, null, 1));
    } catch (error) {
      this.log.error('host.state', `could not write ${this.file}: ${(error as Error).message}`);
    }
  }
}
