/**
 * Workflows: spawner entries chained by `next:`. When an agent's goal is met
 * and its spawner entry names a next step, that step's spawner starts an
 * agent with the results: the summary the agent gave, its branch (the new
 * worktree starts from it) and the artifacts it stored. The step's key is
 * derived from the one before, so a goal decided twice, or a host restart
 * in between, still starts the next step once. The chain is checked for
 * loops when the configuration is loaded (config/validate.ts).
 */
import type { Logger } from '../common/logger';
import type { WorkspaceConfigs } from '../host/workspaceConfigs';
import type { AgentRecord, GoalStatus } from '../protocol';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import { teamOfAgent, type TeamStore } from '../team/teamStore';
import type { SpawnRequest } from './spawnRequest';
import type { SpawnService } from './spawnService';

export interface WorkflowDeps {
  bus: SupervisionBus;
  registry: AgentRegistry;
  configs: WorkspaceConfigs;
  spawns: SpawnService;
  teams: TeamStore;
  log: Logger;
}

export class Workflows {
  private readonly onGoal = ({ agentId, goal }: { agentId: string; goal: GoalStatus }) => {
    if (goal.state === 'met') void this.advance(agentId, goal);
  };

  constructor(private readonly deps: WorkflowDeps) {}

  start(): void {
    this.deps.bus.on('goalDecided', this.onGoal);
  }

  stop(): void {
    this.deps.bus.off('goalDecided', this.onGoal);
  }

  /** The next step's key: one per step of one piece of work. */
  static stepKey(previousKey: string, step: string): string {
    return `${previousKey}>${step}`;
  }

  private async advance(agentId: string, goal: GoalStatus): Promise<void> {
    const { registry, configs, spawns, log } = this.deps;
    let agent: AgentRecord;
    try {
      agent = registry.record(agentId);
    } catch {
      return;
    }
    const { spawner, dispatchKey, branch } = agent.assignment;
    if (!spawner || !dispatchKey) return;
    const entries = (configs.configOf(agent.workspace).spawners ?? {}) as Record<string, { next?: unknown; repository?: unknown }>;
    const next = entries[spawner]?.next;
    if (typeof next !== 'string') return;
    const before = spawns.ledger.get(dispatchKey)?.details as { request?: SpawnRequest } | undefined;
    const request = before?.request;
    const key = Workflows.stepKey(dispatchKey, next);
    if (spawns.has(key)) return;
    log.info('workflows', `${spawner} met its goal (agent ${agentId}); starting step "${next}" as ${key}`);
    try {
      await spawns.submit({
        key,
        workspace: agent.workspace,
        spawner: next,
        summary: request ? `${request.summary} — ${next}` : `${next} after ${spawner}`,
        template: null,
        vars: {
          ...(request?.vars ?? {}),
          previous: {
            step: spawner,
            agent: agentId,
            branch: branch ?? null,
            summary: goal.summary,
            artifacts: this.artifactsOf(agentId),
          },
        },
        // The same repository as the step before, starting from its branch.
        repository: request?.repository ?? (typeof entries[spawner]?.repository === 'string' ? { entry: entries[spawner].repository as string } : null),
        baseRef: branch ?? null,
        branch: null,
        agent: {},
        goal: null,
        previousAgent: agentId,
        requestedBy: 'workflow',
      });
    } catch (error) {
      log.warn('workflows', `step "${next}" after ${agentId} did not start: ${(error as Error).message}`);
    }
  }

  private artifactsOf(agentId: string): string[] {
    try {
      return this.deps.teams.artifactNames(teamOfAgent(agentId));
    } catch {
      return [];
    }
  }
}
