/**
 * Claude Code's usage: its session file
 * `<config dir>/projects/<cwd with every non-alphanumeric character as "-">/<session id>.jsonl`
 * (config dir: $CLAUDE_CONFIG_DIR, else ~/.claude). Each assistant line holds
 * `message.id`, `message.model` and `message.usage` (Anthropic's fields);
 * one message is written as several lines (one per content block) carrying
 * the same usage, so usage is counted per message id, the last line winning.
 *
 * Which session is this agent's: Superkick starts Claude Code with
 * `--session-id <uuid>` (see usageLaunch.ts), so the file name is known.
 * When the person resumes a session (`--resume <id>`, `--continue`), the
 * resumed id is used if given, else the newest session file changed since
 * the agent started; only messages written since then are counted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { count } from './tokenCounts';
import { SessionFileReader, timeOf } from './usageReader';

export interface ClaudeSession {
  /** The agent's HOME and CLAUDE_CONFIG_DIR as its CLI sees them. */
  home: string;
  configDir?: string;
  cwd: string;
  /** The session id it was started with, when known. */
  sessionId: string | null;
  /** Epoch ms: messages before this belong to an earlier run of a resumed session. */
  startedAt: number;
}

export class ClaudeUsageReader extends SessionFileReader {
  constructor(private readonly session: ClaudeSession) {
    super();
  }

  protected locate(): string | undefined {
    const projects = path.join(this.session.configDir || path.join(this.session.home, '.claude'), 'projects');
    const projectDir = path.join(projects, claudeProjectSlug(this.session.cwd));
    const { sessionId } = this.session;
    if (sessionId) {
      const direct = path.join(projectDir, `${sessionId}.jsonl`);
      if (fs.existsSync(direct)) return direct;
      // Very long paths are shortened by Claude Code in its own way: look for the id in every project.
      return listDir(projects)
        .map((dir) => path.join(projects, dir, `${sessionId}.jsonl`))
        .find((file) => fs.existsSync(file));
    }
    return listDir(projectDir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => ({ file: path.join(projectDir, name), mtime: mtimeOf(path.join(projectDir, name)) }))
      .filter(({ mtime }) => mtime >= this.session.startedAt)
      .sort((a, b) => b.mtime - a.mtime)[0]?.file;
  }

  protected take(line: Record<string, unknown>): void {
    if (line.type !== 'assistant') return;
    const message = line.message as { id?: unknown; model?: unknown; usage?: Record<string, unknown> } | undefined;
    if (!message?.usage || typeof message.id !== 'string') return;
    // Claude Code writes placeholder messages it made up itself (errors, interruptions) under the model "<synthetic>": no tokens were billed.
    if (message.model === '<synthetic>') return;
    if (timeOf(line.timestamp) < this.session.startedAt) return;
    const usage = message.usage;
    this.put(message.id, typeof message.model === 'string' ? message.model : undefined, {
      input: count(usage.input_tokens),
      output: count(usage.output_tokens),
      cacheRead: count(usage.cache_read_input_tokens),
      cacheWrite: count(usage.cache_creation_input_tokens),
    });
  }
}

/** The directory name Claude Code gives a project: its absolute path with every character other than a letter or digit replaced by "-". */
export function claudeProjectSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

export function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
