/**
 * Where a spawned agent's process runs. The spawn pipeline has prepared the
 * worktree and created the agent's record; a runtime only starts the agent
 * process (which owns the pty and dials the host) somewhere: on this machine
 * (`local`), in a container (`docker`), in a cluster. A runtime is an
 * integration in the `runtime` section; the pipeline never names one.
 */
import type { AgentSpec } from '../protocol';
import type { Logger } from '../common/logger';
import type { SuperkickPaths } from '../common/paths';

export interface RuntimeLaunch {
  /** The agent's id and token, as the host issued them. */
  id: string;
  token: string;
  /** The completed spec (its cwd is the worktree). */
  spec: AgentSpec;
  /** Variables added to the agent program's environment (the agent settings' `env`). */
  env: Record<string, string>;
}

export interface AgentRuntime {
  readonly type: string;
  /** Starts the agent process; resolves once it is serving (registered or about to), rejects with a reason people can read. */
  start(launch: RuntimeLaunch): Promise<void>;
}

export interface RuntimeContext {
  paths: SuperkickPaths;
  log: Logger;
}

/** Makes the runtime for one `runtime:` entry (its keys as configured). */
export type RuntimeFactory = (entry: Record<string, unknown>, context: RuntimeContext) => AgentRuntime;
