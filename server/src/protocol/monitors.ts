/**
 * Monitors as the host runs them, for `superkick monitor list` and the VS
 * Code sidebar: each watched resource (one poll serves every agent on it) and
 * each agent's monitor entries (applies, does not apply, or an error to fix).
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';

/** One watched thing (a command in a folder, a pull request), polled once per interval for all its agents. */
export interface MonitorResourceStatus {
  /** `<type>:<kind's key>`. */
  key: string;
  type: string;
  /** Human description, e.g. `npm test in /src/app`. */
  label: string;
  workspaces: (string | null)[];
  /** Entry names that watch it. */
  entries: string[];
  /** Ids of the agents that watch it. */
  agents: string[];
  intervalS: number;
  /** Polls started since the host started. */
  polls: number;
  polling: boolean;
  lastPollAt: string | null;
  lastError: string | null;
  nextPollAt: string | null;
  /** Set while polls are held back after errors or because the source asked to wait. */
  backingOffUntil: string | null;
}

export type MonitorEntryState = 'probing' | 'watching' | 'not_applicable' | 'error';

/** One monitor entry for one agent. */
export interface MonitorEntryStatus {
  workspace: string | null;
  agentId: string;
  agentName: string;
  entry: string;
  /** Null when the entry does not exist. */
  type: string | null;
  state: MonitorEntryState;
  /** Why it does not apply, or the error (unknown entry, held back until trusted, probe failure). */
  message: string | null;
  /** Keys of the resources it watches. */
  resources: string[];
  /** When a failed or negative probe is tried again. */
  nextProbeAt: string | null;
}

/**
 * Client → host. Every monitor the caller may see (an agent's token: its own).
 * `workspace` limits the answer to agents of that workspace (null: agents
 * without one); absent: all.
 */
export namespace ListMonitors {
  export const method = 'superkick/monitors/list' as const;
  export interface Params { workspace?: string | null; }
  export interface Result { resources: MonitorResourceStatus[]; entries: MonitorEntryStatus[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Start receiving MonitorsChanged; answers the current status. */
export namespace WatchMonitors {
  export const method = 'superkick/monitors/watch' as const;
  export type Params = Record<string, never> | undefined;
  export type Result = ListMonitors.Result;
  export const type = new RequestType<Params, Result, void>(method);
}

/** Host → client, after WatchMonitors: a monitor polled; ask ListMonitors again. */
export namespace MonitorsChanged {
  export const method = 'superkick/monitors/changed' as const;
  export type Params = Record<string, never>;
  export const type = new NotificationType<Params>(method);
}
