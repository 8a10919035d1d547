/**
 * Gemini CLI's usage: its chat recording
 * `~/.gemini/tmp/<project>/chats/session-<time>-<first 8 characters of the session id>.jsonl`.
 * The first line holds the session's metadata (`sessionId`); then each line
 * is a message (appended again when it changes: its tokens arrive after its
 * text), a `{"$set": …}` update (which may carry a `messages` array) or a
 * `{"$rewindTo": id}`. A message of type `gemini` holds `model` and `tokens`
 * (`input` = prompt tokens including the cached ones, `cached`, `output`,
 * `thoughts`, `tool`): counted per message id, the last line winning. A
 * rewind does not undo what was billed, so it is ignored.
 *
 * Which session is this agent's: Superkick starts Gemini CLI with
 * `--session-id <uuid>` (usageLaunch.ts), so the file is the one whose name
 * ends with that id's first 8 characters and whose metadata names the id.
 * A session resumed with `--resume` is not found (its cost shows as zero
 * tokens).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TokenCounts } from '../protocol/cost';
import { count } from './tokenCounts';
import { listDir } from './claudeUsage';
import { SessionFileReader } from './usageReader';

export interface GeminiSession {
  home: string;
  sessionId: string;
}

export class GeminiUsageReader extends SessionFileReader {
  constructor(private readonly session: GeminiSession) {
    super();
  }

  protected locate(): string | undefined {
    const tmp = path.join(this.session.home, '.gemini', 'tmp');
    const suffix = `-${this.session.sessionId.slice(0, 8)}.jsonl`;
    for (const project of listDir(tmp)) {
      const chats = path.join(tmp, project, 'chats');
      for (const name of listDir(chats)) {
        if (name.startsWith('session-') && name.endsWith(suffix) && firstLineNames(path.join(chats, name), this.session.sessionId)) return path.join(chats, name);
      }
    }
    return undefined;
  }

  protected take(line: Record<string, unknown>): void {
    const set = line.$set as { messages?: unknown } | undefined;
    const messages = set && Array.isArray(set.messages) ? set.messages : [line];
    for (const message of messages) this.takeMessage((message ?? {}) as Record<string, unknown>);
  }

  private takeMessage(message: Record<string, unknown>): void {
    if (message.type !== 'gemini' || typeof message.id !== 'string' || !message.tokens || typeof message.tokens !== 'object') return;
    this.put(message.id, typeof message.model === 'string' ? message.model : undefined, geminiTokens(message.tokens as Record<string, unknown>));
  }
}

/** Gemini counts cached tokens inside the prompt's; thoughts are billed as output, tool-use prompts as input. */
function geminiTokens(tokens: Record<string, unknown>): TokenCounts {
  const cached = count(tokens.cached);
  return { input: Math.max(0, count(tokens.input) - cached) + count(tokens.tool), output: count(tokens.output) + count(tokens.thoughts), cacheRead: cached, cacheWrite: 0 };
}

function firstLineNames(file: string, sessionId: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const got = fs.readSync(fd, buffer, 0, buffer.length, 0);
      const end = buffer.subarray(0, got).indexOf(0x0a);
      const line = JSON.parse(buffer.subarray(0, end < 0 ? got : end).toString('utf8')) as { sessionId?: unknown };
      return line.sessionId === sessionId;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}
