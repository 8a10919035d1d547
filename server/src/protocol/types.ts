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
  InvalidParams = -32602,
}
