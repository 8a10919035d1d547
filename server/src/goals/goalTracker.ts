/**
 * Where each agent's goal stands. This first slice takes the agent's own
 * signal (the MCP tool superkick_signal_goal) and records it on the agent;
 * the goal types that watch from outside (exit, command, max_duration) and
 * the configured end (stop, keep) are added on top.
 */
import type { GoalStatus } from '../protocol';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import type { Logger } from '../common/logger';

export interface GoalSignalResult {
  /** Whether the signal decided the goal (a goal already decided, or one that is not the agent's to call, is not changed). */
  accepted: boolean;
  /** Said back to the agent. */
  message: string;
  goal: GoalStatus | null;
}

export class GoalTracker {
  constructor(
    private readonly registry: AgentRegistry,
    private readonly bus: SupervisionBus,
    private readonly log: Logger,
  ) {}

  signal(agentId: string, status: 'completed' | 'failed', summary: string): GoalSignalResult {
    const record = this.registry.record(agentId);
    if (record.goal && record.goal.state !== 'pending') {
      return { accepted: false, message: `the goal was already ${record.goal.state} (${record.goal.decidedBy}); nothing changed`, goal: record.goal };
    }
    const state = status === 'completed' ? 'met' : 'failed';
    const goal: GoalStatus = {
      name: record.assignment.goal ?? 'agent_signal',
      type: 'agent_signal',
      state,
      summary,
      decidedAt: new Date().toISOString(),
      decidedBy: 'agent',
    };
    this.registry.setGoal(agentId, goal);
    this.log.info('goals', `agent ${agentId} signalled its goal ${state}: ${summary.split('\n')[0]}`);
    this.bus.publish(state === 'met' ? 'goal_met' : 'goal_failed', agentId, { agentId, workspace: record.workspace, summary });
    return { accepted: true, message: `goal ${state}; Superkick has recorded it`, goal };
  }
}
