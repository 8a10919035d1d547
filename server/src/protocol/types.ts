/**
 * Records that cross the wire. Shared by the host, the agent process, the CLI
 * and (later) the VS Code extension.
 */

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
}

export interface AgentRecord {
  id: string;
  name: string;
  driver: string;
  command: string;
  args: string[];
  cwd: string;
  state: AgentState;
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
