/**
 * What `superkick mcp` (the stdio MCP server an agent's CLI starts) asks the
 * host on the agent's behalf, and what the user answers back. The agent
 * requests are for an agent's own token only: the host takes the agent's id
 * from the token, never from the parameters, so an agent can act only on itself.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { GoalStatus } from './types';

/** Agent → host. The agent says its goal is reached (`completed`) or cannot be (`failed`). */
export namespace SignalGoal {
  export const method = 'superkick/mcp/signalGoal' as const;
  export interface Params { status: 'completed' | 'failed'; summary: string; }
  export interface Result { accepted: boolean; message: string; goal: GoalStatus | null; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Agent → host. Where the agent is in its work; shown on its record (`AgentRecord.progress`). */
export namespace ReportProgress {
  export const method = 'superkick/mcp/reportProgress' as const;
  export interface Params { message: string; percent?: number | null; }
  export interface Result { progress: AgentProgress; }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Agent → host. A question for a person. It returns at once; the person's
 * answer is typed into the agent later, through its injection queue.
 */
export namespace AskHuman {
  export const method = 'superkick/mcp/askHuman' as const;
  export interface Params { question: string; choices?: string[] | null; }
  export type Result = Question;
  export const type = new RequestType<Params, Result, void>(method);
}

/** Agent → host. The newest entries of the agent's team log, oldest first. */
export namespace TeamLogRead {
  export const method = 'superkick/mcp/teamLogRead' as const;
  export interface Params { limit?: number | null; since?: number | null; }
  export interface Result { teamId: string; entries: TeamLogEntry[]; /** The newest entry's seq: pass it as `since` to read only what is new. */ last: number; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Agent → host. Add an entry to the agent's team log. */
export namespace TeamLogPost {
  export const method = 'superkick/mcp/teamLogPost' as const;
  export interface Params { message: string; kind?: TeamLogKind | null; }
  export type Result = TeamLogEntry;
  export const type = new RequestType<Params, Result, void>(method);
}

/** Agent → host. Store a named text artifact in the agent's team store (replacing one of the same name). */
export namespace ArtifactPut {
  export const method = 'superkick/mcp/artifactPut' as const;
  export interface Params { name: string; content: string; }
  export type Result = ArtifactInfo;
  export const type = new RequestType<Params, Result, void>(method);
}

/** Agent → host. Read a named artifact from the agent's team store. */
export namespace ArtifactGet {
  export const method = 'superkick/mcp/artifactGet' as const;
  export interface Params { name: string; }
  export type Result = ArtifactInfo & { content: string };
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host (user only). The questions agents asked, newest last; answered ones too with `all`. */
export namespace ListQuestions {
  export const method = 'superkick/questions/list' as const;
  export interface Params { all?: boolean; }
  export type Result = Question[];
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host (user only). Answer a question: the answer is queued into the agent that asked. */
export namespace AnswerQuestion {
  export const method = 'superkick/questions/answer' as const;
  export interface Params { questionId: string; text: string; }
  export interface Result { question: Question; messageId: string; position: number; }
  export const type = new RequestType<Params, Result, void>(method);
}

export interface AgentProgress {
  message: string;
  /** 0–100, when the agent gave one. */
  percent: number | null;
  /** ISO timestamp. */
  at: string;
}

export interface Question {
  id: string;
  agentId: string;
  agentName: string;
  workspace: string | null;
  question: string;
  choices: string[];
  askedAt: string;
  answer: string | null;
  answeredAt: string | null;
}

export const TEAM_LOG_KINDS = ['message', 'decision', 'status'] as const;
export type TeamLogKind = (typeof TEAM_LOG_KINDS)[number];

export interface TeamLogEntry {
  /** 1, 2, … within the team's log. */
  seq: number;
  at: string;
  agentId: string;
  agentName: string;
  kind: TeamLogKind;
  message: string;
}

export interface ArtifactInfo {
  teamId: string;
  name: string;
  bytes: number;
  updatedAt: string;
}
