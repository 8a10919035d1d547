/**
 * Starts an agent process on this machine, detached, and waits until it
 * says it is serving. Used by `superkick agent` and by the local runtime.
 */
import type { AgentSpec } from '../protocol';
import { startDaemon } from '../common/readyPipe';
import { UserError } from '../common/userError';
import { cliEntry } from '../cli/hostClient';
import { AGENT_ENV, agentProcessMallocEnv } from './agentEnv';

export async function startAgentProcess(id: string, token: string, spec: AgentSpec, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ready = await startDaemon([cliEntry(), '__agent'], {
    cwd: spec.cwd,
    env: { ...env, ...agentProcessMallocEnv(env), [AGENT_ENV.id]: id, [AGENT_ENV.token]: token, [AGENT_ENV.spec]: JSON.stringify(spec) },
  });
  if (!ready.ok) throw new UserError(ready.error, ready.exitCode);
}
