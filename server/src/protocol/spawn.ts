/**
 * Spawning: turning new work (an event from a spawner, or `superkick spawn`)
 * into an agent in a fresh worktree, exactly once per dispatch key; the
 * approvals people give first; and the worktrees agents leave behind.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';

export type DispatchState = 'claimed' | 'spawning' | 'running' | 'done' | 'failed';

/** The steps of one dispatch, in order; progress names the one under way. */
export const SPAWN_STEPS = ['approval', 'repository', 'worktree', 'setup', 'runtime', 'kickoff'] as const;
export type SpawnStep = (typeof SPAWN_STEPS)[number];

/** One dispatch as people see it. */
export interface DispatchStatus {
  key: string;
  state: DispatchState;
  /** The spawner entry that made it, or null for `superkick spawn`. */
  spawner: string | null;
  workspace: string | null;
  /** One line: what the work is. */
  summary: string;
  /** Set once the agent exists. */
  agentId: string | null;
  /** While waiting for a person. */
  approvalId: string | null;
  /** The step under way (claimed/spawning), or null. */
  step: SpawnStep | null;
  /** Why it failed, or how it ended. */
  reason: string | null;
  claimedAt: string;
  updatedAt: string;
}

export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired';

export interface ApprovalStatus {
  /** The short id people type: `superkick approve 3f9a2c`. */
  id: string;
  key: string;
  spawner: string;
  workspace: string;
  summary: string;
  state: ApprovalState;
  /** The exact content that will be injected, frozen when the approval was asked. */
  snapshot: unknown;
  snapshotSha256: string;
  requestedAt: string;
  expiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
}

/**
 * Client → host (user only). Start an agent from a kickoff template through
 * the spawn pipeline (`superkick spawn`, VS Code's "Spawn from template").
 * The same `key` twice starts one agent: the second answer is `already`.
 */
export namespace StartSpawn {
  export const method = 'superkick/spawn/start' as const;
  export interface Params {
    /** The workspace whose superkick.yml applies (absolute path). */
    workspace: string;
    /** A template name (`core/kickoff`) or a file path. */
    template: string;
    /** Template variables; dotted names nest (`task.title=…`). */
    vars: Record<string, string>;
    /** The dispatch key; default: a fresh one. */
    key?: string;
    /**
     * Where the agent works: an entry under `repositories:`, a local path, or
     * a git URL; default: the workspace's own repository.
     */
    repository?: string;
    /** A spawner entry whose settings (agent, goal, setup, budget, monitors, …) apply. */
    spawner?: string;
    /** The branch's name; default: rendered from the key. */
    branch?: string;
    /** Over the spawner's or the workspace's `agents:` settings. */
    driver?: string;
    command?: string;
    args?: string[];
    goal?: string;
  }
  export interface Result {
    /** `started`: an agent runs; `awaiting_approval`: a person must approve first; `already`: the key was taken. */
    outcome: 'started' | 'awaiting_approval' | 'already';
    dispatch: DispatchStatus;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Recent dispatches, newest first. */
export namespace ListDispatches {
  export const method = 'superkick/spawn/dispatches' as const;
  export interface Params { workspace?: string | null; }
  export interface Result { dispatches: DispatchStatus[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host (user only). Forget a failed dispatch so its event may spawn again. */
export namespace ReleaseDispatch {
  export const method = 'superkick/spawn/release' as const;
  export interface Params { key: string; }
  export interface Result { dispatch: DispatchStatus; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Approvals: pending ones, or all kept ones with `all`. */
export namespace ListApprovals {
  export const method = 'superkick/spawn/approvals' as const;
  export interface Params { all?: boolean; }
  export interface Result { approvals: ApprovalStatus[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host (user only). Approve or deny one; an approval starts the spawn from its snapshot. */
export namespace DecideApproval {
  export const method = 'superkick/spawn/decide' as const;
  export interface Params {
    id: string;
    decision: 'approved' | 'denied';
    /** Who decided, for the audit trail (default: the user's login name). */
    by?: string;
    note?: string;
  }
  export interface Result { approval: ApprovalStatus; dispatch: DispatchStatus | null; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** One worktree an agent was given. */
export interface WorktreeRow {
  dir: string;
  branch: string | null;
  /** The repository's git directory. */
  gitDir: string | null;
  agentId: string | null;
  agentName: string | null;
  /** The agent's state, or null when it is gone. */
  agentState: string | null;
  goalState: 'pending' | 'met' | 'failed' | null;
  dispatchKey: string | null;
  /** Whether the folder is still there. */
  exists: boolean;
  uncommitted: number;
  unpushed: number;
  processes: number;
  /** Why it may not be removed now (empty: it may). */
  blockers: string[];
}

/** Client → host. Every worktree spawned agents were given, with what removing it would lose. */
export namespace ListWorktrees {
  export const method = 'superkick/spawn/worktrees' as const;
  export interface Params { workspace?: string | null; }
  export interface Result { worktrees: WorktreeRow[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Client → host (user only). Remove worktrees of exited agents, with the same
 * guards as goal-driven cleanup; `agent` limits it to one, `dryRun` only says.
 */
export namespace PruneWorktrees {
  export const method = 'superkick/spawn/prune' as const;
  export interface Params { agent?: string; dryRun?: boolean; }
  export interface Result { removed: WorktreeRow[]; kept: WorktreeRow[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Start receiving DispatchChanged; answers the current dispatches. */
export namespace WatchSpawns {
  export const method = 'superkick/spawn/watch' as const;
  export type Params = Record<string, never> | undefined;
  export interface Result { dispatches: DispatchStatus[]; approvals: ApprovalStatus[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Host → client, after WatchSpawns: a dispatch moved (a step began, it ran, it failed), with a line of progress. */
export namespace DispatchChanged {
  export const method = 'superkick/spawn/changed' as const;
  export interface Params { dispatch: DispatchStatus; message: string | null; }
  export const type = new NotificationType<Params>(method);
}

/** One configured spawner entry as the host runs it. */
export interface SpawnerStatus {
  workspace: string | null;
  name: string;
  type: string;
  /** `polling` (running), `disabled` (enabled: false), `error` (its settings are wrong: see lastError), `not_yet` (the type spawns nothing yet). */
  state: 'polling' | 'disabled' | 'error' | 'not_yet';
  intervalS: number;
  polls: number;
  lastPollAt: string | null;
  lastError: string | null;
  nextPollAt: string | null;
  /** After failed polls (a rate limit, an outage): no poll before this. */
  backingOffUntil: string | null;
  /** Work seen in the last poll, and how much of it was new. */
  lastFound: number;
  lastNew: number;
  /** Dispatches of this entry not finished yet, and its `max_agents`. */
  active: number;
  maxAgents: number;
}

/** Client → host. Every spawner entry of every registered workspace, with its polls. */
export namespace ListSpawners {
  export const method = 'superkick/spawn/spawners' as const;
  export interface Params { workspace?: string | null; }
  export interface Result { spawners: SpawnerStatus[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Host → client, after WatchSpawns: a spawner polled or the spawners changed; ask ListSpawners again. */
export namespace SpawnersChanged {
  export const method = 'superkick/spawn/spawnersChanged' as const;
  export type Params = Record<string, never>;
  export const type = new NotificationType<Params>(method);
}
