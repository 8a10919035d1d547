/**
 * Spawns through a bench host's pipeline (`Spawn.StartSpawn`, what `superkick
 * spawn` sends) and times each from the request to the agent's program
 * running: the first AgentsChanged in which the agent's record has left
 * `starting` with its program's pid. The dispatch's progress (DispatchChanged)
 * says where the time went. Afterwards it stops the agents it made
 * (Host.StopAgent) and removes their worktrees (Spawn.PruneWorktrees).
 */
import { Host, Spawn, type AgentRecord } from '../server/src/protocol';
import { log, now, waitGone, withTimeout } from './common';
import type { SuperkickWorld } from './superkick';

export interface HostSpawn {
  agentId: string;
  /** From the request to the agent's program running. */
  ms: number;
  /** From the request to StartSpawn's answer. */
  answeredMs: number;
  /** Each step the dispatch went through, in order, with the time it began (ms after the request). */
  steps: Array<{ step: string; ms: number }>;
}

export class HostSpawner {
  private readonly runningAt = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private readonly spawned: string[] = [];
  /** Each agent's process, as its records said. */
  private readonly pidOf = new Map<string, number>();
  private readonly progress = new Map<string, Array<{ step: string; at: number }>>();

  private constructor(
    private readonly sk: SuperkickWorld,
    /** The workspace whose superkick.yml applies. */
    private readonly workspace: string,
    /** The agent program and its arguments. */
    private readonly program: string[],
  ) {}

  static async open(sk: SuperkickWorld, workspace: string, program: string[]): Promise<HostSpawner> {
    const spawner = new HostSpawner(sk, workspace, program);
    sk.connection.onNotification(Host.AgentsChanged.type, ({ record }) => spawner.seen(record));
    sk.connection.onNotification(Spawn.DispatchChanged.type, ({ dispatch }) => spawner.stepped(dispatch.key, dispatch.step));
    for (const record of await sk.connection.sendRequest(Host.WatchAgents.type, {})) spawner.seen(record);
    await sk.connection.sendRequest(Spawn.WatchSpawns.type, {});
    return spawner;
  }

  private stepped(key: string, step: string | null): void {
    const steps = this.progress.get(key) ?? [];
    if (step && steps.at(-1)?.step !== step) steps.push({ step, at: now() });
    this.progress.set(key, steps);
  }

  private seen(record: AgentRecord): void {
    if (record.pid) this.pidOf.set(record.id, record.pid);
    if (record.state === 'starting' || !record.childPid || this.runningAt.has(record.id)) return;
    const at = now();
    this.runningAt.set(record.id, at);
    this.waiters.get(record.id)?.(at);
    this.waiters.delete(record.id);
  }

  /** One spawn with a fresh key, from `repository` (a local path or a git URL). */
  async spawn(key: string, repository: string): Promise<HostSpawn> {
    const start = now();
    const result = await this.sk.connection.sendRequest(Spawn.StartSpawn.type, {
      workspace: this.workspace,
      template: 'core/kickoff',
      vars: { 'task.title': `bench spawn ${key}` },
      key,
      repository,
      driver: 'command',
      command: this.program[0],
      args: this.program.slice(1),
    });
    const answered = now();
    const agentId = result.dispatch.agentId;
    if (result.outcome !== 'started' || !agentId) throw new Error(`spawn ${key} did not start an agent: ${result.outcome}, ${result.dispatch.state}: ${result.dispatch.reason ?? ''}`);
    this.spawned.push(agentId);
    const running = this.runningAt.get(agentId) ?? (await withTimeout(new Promise<number>((resolve) => this.waiters.set(agentId, resolve)), 30_000, `agent ${agentId} of spawn ${key} to run`));
    const steps = (this.progress.get(key) ?? []).filter((entry) => entry.at >= start).map((entry) => ({ step: entry.step, ms: entry.at - start }));
    return { agentId, ms: running - start, answeredMs: answered - start, steps };
  }

  /** Stops every agent it spawned and removes their worktrees. */
  async dispose(): Promise<void> {
    for (const agent of this.spawned.splice(0)) {
      try {
        const record = await withTimeout(this.sk.connection.sendRequest(Host.StopAgent.type, { agent, force: true }), 10_000, `agent ${agent} to stop`);
        // The agent process reports the exit, then ends: its worktree is free once it has.
        const agentPid = record.pid ?? this.pidOf.get(agent);
        if (agentPid) await waitGone(agentPid, 10_000);
        const pruned = await this.sk.connection.sendRequest(Spawn.PruneWorktrees.type, { agent });
        for (const kept of pruned.kept) log(`  worktree ${kept.dir} of ${agent} kept: ${kept.blockers.join('; ')}`);
      } catch (error) {
        log(`  cleaning up spawned agent ${agent} failed: ${(error as Error).message}`);
      }
    }
  }
}
