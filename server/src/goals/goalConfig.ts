/** The goal settings of a workspace, read from its configuration in force. */
import type { WorkspaceConfigs } from '../host/workspaceConfigs';
import type { GoalConfig } from './goalTracker';

export function goalConfigOf(configs: WorkspaceConfigs, workspace: string | null): GoalConfig {
  const config = configs.configOf(workspace);
  const agents = (config.agents ?? {}) as { max_duration?: number };
  return {
    goals: (config.goals ?? {}) as GoalConfig['goals'],
    maxDurationS: agents.max_duration ?? null,
    heldBack: (name) => configs.heldBackOf(workspace).find((entry) => entry.path === `goals.${name}`)?.reason ?? null,
  };
}
