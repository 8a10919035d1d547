/**
 * Records that cross the wire. Shared by the host, the agent process, the CLI
 * and (later) the VS Code extension.
 */
import type { AgentProgress } from './mcp';

export type AgentState = 'starting' | 'working' | 'idle' | 'waiting' | 'exited';

export interface AgentSpec {
  /** Program to run, as typed by the user (resolved against PATH by the agent process). */
  command: string;
  args: string[];
  cwd: string;
  name: string;
  driver: string;
  cols: number;
  rows: number;
  /** Lines of history kept for attach; deeper history lives in the output log. */
  history: number;
  /** Write an asciicast recording from the start. */
  record: boolean;
  /** The workspace whose superkick.yml applies to it (goals, monitors, notifiers, budgets); null: the user's config only. */
  workspace?: string | null;
  /** What it is supervised for; absent: nothing beyond its terminal. */
  assignment?: AgentAssignment;
  /**
   * Hand the program the Superkick MCP server (and the options its usage reader needs). Absent:
   * only when the program is the driver's CLI itself (its name is one of the driver's commands).
   */
  mcp?: boolean;
  /** The workspace's `drivers:` entry for its driver, filled in by the host when the agent is created. */
  driverOverride?: DriverOverride | null;
}

/** One driver's entry under `drivers:` in superkick.yml (config keys, snake_case); every list given replaces the profile's. */
export interface DriverOverride {
  commands?: string[];
  states?: { waiting?: string[]; working?: string[]; idle?: string[] };
  idle_settle_ms?: number;
}

/**
 * What an agent is supervised for, by name of entries in its workspace's
 * superkick.yml. Set when it is started (by a person or a spawner), never by the agent itself.
 */
export interface AgentAssignment {
  /** An entry under `goals:`; absent: none (the agent runs until it exits or is stopped). */
  goal?: string | null;
  /** Entries under `monitors:`; absent: every enabled monitor of the workspace whose probe applies. */
  monitors?: string[] | null;
  /** Entries under `notifiers:` told about it; absent: all. */
  notifiers?: string[] | null;
  /** Cost limit of this agent in US dollars (over `budget.per_agent_usd`). */
  budgetUsd?: number | null;
  /** Seconds after which it is stopped whatever its goal says (over `agents.max_duration`). */
  maxDurationS?: number | null;
  /** The spawner that started it. */
  spawner?: string | null;
  repository?: string | null;
  branch?: string | null;
  /** The dispatch that started it (spawned agents): host restarts find its agent by this key. */
  dispatchKey?: string | null;
  /** The git worktree made for it; goal-driven cleanup and `superkick worktrees` act only on these. */
  worktree?: string | null;
  /** The workflow step it is (its spawner entry's name) and the agent of the step before, if any. */
  previousAgent?: string | null;
}

export type GoalState = 'pending' | 'met' | 'failed';

/** Where an agent's goal stands. */
export interface GoalStatus {
  /** The entry name under `goals:` (or `max_duration` when only the time limit applies). */
  name: string;
  type: string;
  state: GoalState;
  /** The agent's own words (agent_signal) or what decided it. */
  summary: string | null;
  decidedAt: string | null;
  /** Who decided it: `agent`, `exit`, `command`, `timeout`, `person`. */
  decidedBy: string | null;
}

export interface AgentRecord {
  id: string;
  name: string;
  driver: string;
  command: string;
  args: string[];
  cwd: string;
  state: AgentState;
  /** ISO timestamp: when it entered its current state (as the agent process saw it, so it survives a host restart). */
  stateSince?: string | null;
  /** Pid of the agent process (not of the child in its pty). */
  pid: number | null;
  /** Pid of the program in the pty. */
  childPid: number | null;
  /** ISO timestamp. */
  createdAt: string;
  exitedAt: string | null;
  exitCode: number | null;
  signal: number | null;
  viewers: number;
  /** Whether the agent process is currently connected to the host. */
  connected: boolean;
  /** Path of the agent's attach socket. */
  attachSocket: string | null;
  /** Path of the asciicast file being written, if recording. */
  recording: string | null;
  workspace: string | null;
  assignment: AgentAssignment;
  goal: GoalStatus | null;
  /** Held by Superkick (e.g. at its budget limit): nothing is injected until a person releases it. */
  hold: AgentHold | null;
  /** What the agent last reported through its MCP tool superkick_report_progress. */
  progress: AgentProgress | null;
  /** What the agent has cost so far, from its CLI's own usage records; null when its CLI exposes none (unknown, never zero). */
  cost: import('./cost').CostTotals | null;
}

export interface AgentHold {
  /** In plain words, with what releases it. */
  reason: string;
  /** What holds it: `budget`. */
  by: string;
  since: string;
}

/** Where outside (untrusted) text came from; shown to the agent with the text. */
export interface ExternalOrigin {
  /** What it is, e.g. "GitHub issue comment". */
  source: string;
  author?: string;
  url?: string;
}

/** Error codes carried by JSON-RPC errors, so clients can tell failures apart. */
export enum ErrorCode {
  Unauthenticated = -32001,
  Forbidden = -32002,
  NoSuchAgent = -32003,
  AmbiguousAgent = -32004,
  AgentGone = -32005,
  ConfigInvalid = -32006,
  /** The host could not do what was asked (a spawn failed, an approval expired); the message says why, for people. */
  Refused = -32007,
  InvalidParams = -32602,
}

/** A problem in a configuration file, at an exact place (1-based lines and columns; offsets for editors). */
export interface ConfigDiagnostic {
  file: string;
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
}

/** A workspace entry that would run commands and is not active until the user trusts it. */
export interface HeldBackEntry {
  /** `monitors.tests`. */
  path: string;
  reason: string;
  file: string;
  line: number;
  column: number;
}

/** How one scope's configuration stands: a workspace (merged over the user's file), or the user's file alone (`workspace: null`). */
export interface ConfigStatus {
  workspace: string | null;
  /** The files that exist and were read, the user's first. */
  files: string[];
  /** The files as they are now have no errors. */
  ok: boolean;
  /** The configuration in force is an older good one, because the files as they are now have errors. */
  usingLastGood: boolean;
  diagnostics: ConfigDiagnostic[];
  heldBack: HeldBackEntry[];
}

export interface WorkspaceInfo {
  root: string;
  /** Its superkick.yml (which may not exist). */
  file: string;
  addedAt: string;
  /** The folder is gone (it stays listed until removed). */
  missing: boolean;
  /** Entries that run commands: how many are live (trusted) and how many are held back. */
  trustedEntries: number;
  heldBackEntries: number;
  ok: boolean;
}

/**
 * Something people may want to hear about. Notifiers are routed by `type`
 * (the `events:` list of a notifier entry); `id` is stable for one happening,
 * so the same event is never notified twice, also across host restarts.
 */
export const SUPERVISION_EVENT_TYPES = [
  'agent_started',
  'agent_idle',
  'agent_waiting',
  'question_asked',
  'goal_met',
  'goal_failed',
  'budget_warning',
  'budget_exceeded',
  'approval_needed',
  'agent_exited',
  'spawn_failed',
  'worktree_kept',
] as const;
export type SupervisionEventType = (typeof SUPERVISION_EVENT_TYPES)[number];

export interface SupervisionEvent {
  /** Stable for one happening, e.g. `goal_met:3fa2…` — the dedupe key. */
  id: string;
  type: SupervisionEventType;
  agentId: string | null;
  workspace: string | null;
  occurredAt: string;
  /** One or more lines in plain words (an agent's summary, a question). */
  summary: string | null;
  url: string | null;
  /** Type-specific facts (budget figures, the question id, the exit code). */
  details: Record<string, unknown>;
}
