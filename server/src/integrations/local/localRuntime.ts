/** The local runtime: the agent process runs on this machine, detached, with the host's environment plus the agent's `env`. */
import { startAgentProcess } from '../../agent/startAgentProcess';
import type { AgentRuntime, RuntimeFactory } from '../../runtime/agentRuntime';

export const createLocalRuntime: RuntimeFactory = (): AgentRuntime => ({
  type: 'local',
  start: ({ id, token, spec, env }) => startAgentProcess(id, token, spec, { ...process.env, ...env }),
});
