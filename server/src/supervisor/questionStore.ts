/**
 * Questions agents ask people (the MCP tool superkick_ask_human), kept in
 * `state/questions.json` until answered and for a while after, so a question
 * asked before a host restart can still be answered after it.
 */
import * as crypto from 'node:crypto';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, type AgentRecord, type Mcp } from '../protocol';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';

export const QUESTION_LIMITS = {
  questionChars: 4_000,
  choices: 10,
  choiceChars: 200,
  answerChars: 16_000,
  /** Answered questions beyond this many (oldest first) are forgotten. */
  keptAnswered: 200,
} as const;

interface StoreFile { version: 1; questions: Mcp.Question[] }

export class QuestionStore {
  private questions: Mcp.Question[] = [];

  constructor(private readonly file: string, private readonly log: Logger) {
    const loaded = readJsonOrQuarantine<StoreFile>(file, (movedTo, reason) =>
      log.error('host.questions', `questions file ${file} is corrupt (${reason}); moved it to ${movedTo}`),
    );
    if (loaded && Array.isArray(loaded.questions)) this.questions = loaded.questions;
  }

  ask(agent: AgentRecord, question: unknown, choices: unknown): Mcp.Question {
    const text = boundedText(question, 'question', QUESTION_LIMITS.questionChars);
    const options = choiceList(choices);
    const asked: Mcp.Question = {
      id: `q-${crypto.randomBytes(4).toString('hex')}`,
      agentId: agent.id,
      agentName: agent.name,
      workspace: agent.workspace,
      question: text,
      choices: options,
      askedAt: new Date().toISOString(),
      answer: null,
      answeredAt: null,
    };
    this.questions.push(asked);
    this.save();
    return asked;
  }

  list(options: { all?: boolean } = {}): Mcp.Question[] {
    return this.questions.filter((q) => options.all || q.answer === null);
  }

  get(id: unknown): Mcp.Question {
    const found = this.questions.find((q) => q.id === id);
    if (!found) {
      const open = this.list().map((q) => q.id);
      throw new ResponseError(ErrorCode.InvalidParams, `no question ${JSON.stringify(id)}; ${open.length ? `open questions: ${open.join(', ')}` : 'no question is open'} (superkick questions)`);
    }
    return found;
  }

  answer(id: unknown, answer: unknown): Mcp.Question {
    const question = this.get(id);
    if (question.answer !== null) throw new ResponseError(ErrorCode.InvalidParams, `question ${question.id} was already answered at ${question.answeredAt}`);
    question.answer = boundedText(answer, 'answer', QUESTION_LIMITS.answerChars);
    question.answeredAt = new Date().toISOString();
    const answered = this.questions.filter((q) => q.answer !== null);
    if (answered.length > QUESTION_LIMITS.keptAnswered) {
      const drop = new Set(answered.slice(0, answered.length - QUESTION_LIMITS.keptAnswered));
      this.questions = this.questions.filter((q) => !drop.has(q));
    }
    this.save();
    return question;
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, JSON.stringify({ version: 1, questions: this.questions } satisfies StoreFile, null, 1), 0o600);
    } catch (error) {
      this.log.error('host.questions', `could not write ${this.file}: ${(error as Error).message}`);
    }
  }
}

function boundedText(value: unknown, name: string, maxChars: number): string {
  if (typeof value !== 'string' || !value.trim()) throw new ResponseError(ErrorCode.InvalidParams, `${name} must be a non-empty string`);
  if (value.length > maxChars) throw new ResponseError(ErrorCode.InvalidParams, `${name} is ${value.length} characters; the limit is ${maxChars}`);
  return value;
}

function choiceList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((c) => typeof c !== 'string' || !c.trim())) throw new ResponseError(ErrorCode.InvalidParams, 'choices must be a list of non-empty strings');
  if (value.length > QUESTION_LIMITS.choices) throw new ResponseError(ErrorCode.InvalidParams, `at most ${QUESTION_LIMITS.choices} choices, not ${value.length}`);
  const long = value.find((c: string) => c.length > QUESTION_LIMITS.choiceChars);
  if (long) throw new ResponseError(ErrorCode.InvalidParams, `a choice is ${long.length} characters; the limit is ${QUESTION_LIMITS.choiceChars}`);
  return value as string[];
}
