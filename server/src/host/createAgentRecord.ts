/**
 * Creating an agent's record, the one way: for a client's CreateAgent and for
 * the spawn pipeline alike. Its workspace is registered (its superkick.yml is
 * followed from now on), its driver gets the workspace's `drivers:` override,
 * and a goal it names must exist (or be held back, which is said).
 */
import type { AgentSpec, DriverOverride } from '../protocol';
import { agentToken } from '../common/tokens';
import type { HostContext } from './hostContext';
import { absolutePath } from './routes/params';

export interface CreatedAgent {
  id: string;
  token: string;
  attachSocket: string;
  spec: AgentSpec;
}

export function createAgentRecord(ctx: Pick<HostContext, 'configs' | 'goals' | 'registry' | 'hostKey'>, spec: AgentSpec): CreatedAgent {
  if (spec.workspace) spec.workspace = ctx.configs.register(absolutePath(spec.workspace, 'workspace'));
  const drivers = ctx.configs.configOf(spec.workspace ?? null).drivers as Record<string, DriverOverride> | undefined;
  spec.driverOverride = drivers?.[spec.driver] ?? null;
  ctx.goals.checkAssignment(spec.workspace ?? null, spec.assignment?.goal);
  const agent = ctx.registry.create(spec);
  return { id: agent.id, token: agentToken(ctx.hostKey, agent.id), attachSocket: agent.attachSocket!, spec: agent.spec };
}
