/**
 * The tools `superkick mcp` offers an agent: for each, the name the model
 * sees, a description written for the model, the input schema (zod, turned
 * into JSON Schema by the MCP SDK) and the host request it becomes. The host
 * checks every argument again: these schemas help the model, they are not the guard.
 */
import { z } from 'zod';
import type { RequestType } from 'vscode-jsonrpc';
import { Mcp } from '../protocol';
import { QUESTION_LIMITS } from '../supervisor/questionStore';
import { TEAM_LIMITS } from '../team/teamStore';

/** Sends one request to the host as this agent; rejects with a message meant for the model. */
export type Forward = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodRawShape;
  /** Runs the call through the host; the text is what the model reads back. */
  run(args: Record<string, unknown>, forward: Forward): Promise<string>;
}

function tool<S extends z.ZodRawShape>(definition: { name: string; title: string; description: string; inputSchema: S; run(args: z.infer<z.ZodObject<S>>, forward: Forward): Promise<string> }): McpTool {
  return definition as unknown as McpTool;
}

const ARTIFACT_NAME_HINT = '1–100 letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. "plan.md")';

export const MCP_TOOLS: readonly McpTool[] = [
  tool({
    name: 'superkick_signal_goal',
    title: 'Signal goal',
    description:
      'Tell Superkick, which supervises you, that your assigned goal is done ("completed") or cannot be done ("failed"), with a short summary for the people watching. ' +
      'Call it once, when the work is really finished (or you are stuck for good); the goal is then decided and people are notified.',
    inputSchema: {
      status: z.enum(['completed', 'failed']).describe('"completed" when the goal is reached; "failed" when it cannot be reached'),
      summary: z.string().min(1).max(8_000).describe('What was done (or why it failed), in a few lines a person can read'),
    },
    run: async (args, forward) => {
      const result = await forward(Mcp.SignalGoal.type, { status: args.status, summary: args.summary });
      return result.message;
    },
  }),
  tool({
    name: 'superkick_report_progress',
    title: 'Report progress',
    description: 'Tell the people supervising you where you are in your work (shown next to you in Superkick). Cheap: call it at milestones. It does not end your goal.',
    inputSchema: {
      message: z.string().min(1).max(1_000).describe('One line on what you are doing now or just finished'),
      percent: z.number().min(0).max(100).optional().describe('How far along you think you are, 0 to 100'),
    },
    run: async (args, forward) => {
      const { progress } = await forward(Mcp.ReportProgress.type, { message: args.message, percent: args.percent ?? null });
      return `progress recorded${progress.percent === null ? '' : ` (${progress.percent}%)`}`;
    },
  }),
  tool({
    name: 'superkick_ask_human',
    title: 'Ask a person',
    description:
      'Ask the people supervising you a question (they are notified). It returns at once: do NOT wait for the answer. ' +
      'Continue with what you can, or end your turn; the answer will be typed in to you as a new message, starting with "A person answered your question".',
    inputSchema: {
      question: z.string().min(1).max(QUESTION_LIMITS.questionChars).describe('The question, with the context a person needs to answer it'),
      choices: z.array(z.string().min(1).max(QUESTION_LIMITS.choiceChars)).max(QUESTION_LIMITS.choices).optional().describe('Suggested answers, if the question has a few obvious ones'),
    },
    run: async (args, forward) => {
      const question = await forward(Mcp.AskHuman.type, { question: args.question, choices: args.choices ?? null });
      return `Question ${question.id} was sent to the people supervising you. Do not wait for it: the answer will be typed in to you as a new message when a person gives it.`;
    },
  }),
  tool({
    name: 'superkick_team_log_read',
    title: 'Read the team log',
    description:
      "Read your team's shared log (messages, decisions and status notes posted with superkick_team_log_post), oldest first. " +
      'Pass `since` = the `last` number from your previous read to get only newer entries.',
    inputSchema: {
      limit: z.number().int().min(1).max(TEAM_LIMITS.readMax).optional().describe(`At most this many of the newest entries (default ${TEAM_LIMITS.readDefault})`),
      since: z.number().int().min(0).optional().describe('Only entries with a seq greater than this'),
    },
    run: async (args, forward) => JSON.stringify(await forward(Mcp.TeamLogRead.type, { limit: args.limit ?? null, since: args.since ?? null }), null, 1),
  }),
  tool({
    name: 'superkick_team_log_post',
    title: 'Post to the team log',
    description: "Add an entry to your team's shared log, which teammates and the people supervising you read: a message, a decision you made, or a status note.",
    inputSchema: {
      message: z.string().min(1).max(TEAM_LIMITS.messageChars).describe('The entry; put long material in an artifact instead'),
      kind: z.enum(Mcp.TEAM_LOG_KINDS).optional().describe('"message" (default), "decision" or "status"'),
    },
    run: async (args, forward) => {
      const entry = await forward(Mcp.TeamLogPost.type, { message: args.message, kind: args.kind ?? null });
      return `posted as entry ${entry.seq}`;
    },
  }),
  tool({
    name: 'superkick_artifact_put',
    title: 'Store an artifact',
    description: `Store a text artifact (a plan, a report, notes) under a name in your team's store, replacing one of the same name. Names: ${ARTIFACT_NAME_HINT}. At most ${TEAM_LIMITS.artifactBytes} bytes.`,
    inputSchema: {
      name: z.string().min(1).max(100).describe(`The artifact's name: ${ARTIFACT_NAME_HINT}`),
      content: z.string().describe('The text to store'),
    },
    run: async (args, forward) => {
      const info = await forward(Mcp.ArtifactPut.type, { name: args.name, content: args.content });
      return `stored artifact "${info.name}" (${info.bytes} bytes)`;
    },
  }),
  tool({
    name: 'superkick_artifact_get',
    title: 'Read an artifact',
    description: "Read a text artifact from your team's store by name (as stored with superkick_artifact_put). An unknown name lists the names the store holds.",
    inputSchema: {
      name: z.string().min(1).max(100).describe("The artifact's name"),
    },
    run: async (args, forward) => (await forward(Mcp.ArtifactGet.type, { name: args.name })).content,
  }),
];
