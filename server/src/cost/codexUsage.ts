/**
 * Codex's usage: its session ("rollout") files
 * `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`
 * (CODEX_HOME defaults to ~/.codex). The first line, `session_meta`, names the
 * session's cwd and start time; `turn_context` lines name each turn's model;
 * a `token_usage_record` line gives one model response's usage, by response
 * id. Older Codex versions write only `event_msg` / `token_count` lines with
 * running totals (`info.total_token_usage`): those are used when a file has
 * no per-response records, and their growth is put on the current model.
 *
 * Which session is this agent's: Codex has no option to name its session, so
 * the reader takes the first rollout file whose `session_meta` has the
 * agent's cwd and a start time at or after the agent's, and that no other
 * agent has claimed (usageClaims.ts). Two Codex agents started in the same
 * cwd with the same CODEX_HOME at nearly the same moment each get one of the
 * two sessions, possibly swapped; a resumed session (`codex resume`) keeps
 * writing an older file and is not found (its cost shows as zero tokens).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TokenCounts } from '../protocol/cost';
import { count, NO_TOKENS, tokensAdded, addTokens } from './tokenCounts';
import { listDir } from './claudeUsage';
import { SessionFileReader, timeOf, UNKNOWN_MODEL } from './usageReader';

export interface CodexSession {
  codexHome: string;
  cwd: string;
  /** Epoch ms. */
  startedAt: number;
  /**
   * Takes a rollout file for this agent; false when another agent took it
   * first. Keeps two Codex agents in one cwd from reading the same session.
   */
  claim?: (file: string) => boolean;
}

/** Codex may stamp its session a little before the agent process noted its own start (clock reads, rounding). */
const START_SLACK_MS = 2_000;
/** Reading the opening line of a candidate file stops here: session_meta carries long instructions, but not this long. */
const META_LIMIT_BYTES = 1 << 20;

export class CodexUsageReader extends SessionFileReader {
  private readonly rejected = new Set<string>();
  private readonly turnModels = new Map<string, string>();
  private currentModel: string | undefined;
  private sawRecords = false;
  /** Running totals from token_count lines, and what of them was already put on a model. */
  private lastTotal: TokenCounts = NO_TOKENS;
  private fromTotals = new Map<string, TokenCounts>();

  constructor(private readonly session: CodexSession) {
    super();
  }

  protected locate(): string | undefined {
    const sessions = path.join(this.session.codexHome, 'sessions');
    const candidates: Array<{ file: string; started: number }> = [];
    for (const dayDir of dayDirs(sessions, this.session.startedAt)) {
      for (const name of listDir(dayDir)) {
        const file = path.join(dayDir, name);
        if (!name.startsWith('rollout-') || !name.endsWith('.jsonl') || this.rejected.has(file)) continue;
        const meta = readSessionMeta(file);
        if (!meta) continue; // still being written: look again at the next poll
        if (meta.cwd === this.session.cwd && meta.started >= this.session.startedAt - START_SLACK_MS) candidates.push({ file, started: meta.started });
        else this.rejected.add(file);
      }
    }
    for (const { file } of candidates.sort((a, b) => a.started - b.started)) {
      if (!this.session.claim || this.session.claim(file)) return file;
      this.rejected.add(file);
    }
    return undefined;
  }

  protected take(line: Record<string, unknown>): void {
    const payload = (line.payload ?? {}) as Record<string, unknown>;
    if (line.type === 'turn_context') {
      if (typeof payload.model === 'string') {
        this.currentModel = payload.model;
        if (typeof payload.turn_id === 'string') this.turnModels.set(payload.turn_id, payload.model);
      }
    } else if (line.type === 'token_usage_record' && typeof payload.response_id === 'string') {
      this.sawRecords = true;
      const model = (typeof payload.turn_id === 'string' && this.turnModels.get(payload.turn_id)) || this.currentModel;
      this.put(payload.response_id, model, openaiTokens(payload.usage));
    } else if (line.type === 'event_msg' && payload.type === 'token_count' && !this.sawRecords) {
      const info = payload.info as { total_token_usage?: unknown } | null | undefined;
      if (!info?.total_token_usage) return;
      const total = openaiTokens(info.total_token_usage);
      const model = this.currentModel ?? UNKNOWN_MODEL;
      const added = tokensAdded(this.lastTotal, total);
      this.lastTotal = total;
      this.fromTotals.set(model, addTokens(this.fromTotals.get(model) ?? NO_TOKENS, added));
      this.put(`totals:${model}`, model, this.fromTotals.get(model)!);
    }
  }

  protected override restart(): void {
    this.lastTotal = NO_TOKENS;
    this.fromTotals = new Map();
  }
}

/** OpenAI counts cached input inside `input_tokens`, and reasoning inside `output_tokens`. */
function openaiTokens(value: unknown): TokenCounts {
  const usage = (value ?? {}) as Record<string, unknown>;
  const cached = count(usage.cached_input_tokens);
  return { input: Math.max(0, count(usage.input_tokens) - cached), output: count(usage.output_tokens), cacheRead: cached, cacheWrite: count(usage.cache_write_input_tokens) };
}

/** The date folders a session started at `startedAt` can be in: that day and the next, in local time and UTC, until today. */
function dayDirs(sessions: string, startedAt: number): string[] {
  const dirs = new Set<string>();
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let at = startedAt - 86_400_000; at <= Date.now() + 86_400_000; at += 86_400_000) {
    const day = new Date(at);
    dirs.add(path.join(sessions, String(day.getFullYear()), pad(day.getMonth() + 1), pad(day.getDate())));
    dirs.add(path.join(sessions, String(day.getUTCFullYear()), pad(day.getUTCMonth() + 1), pad(day.getUTCDate())));
  }
  return [...dirs];
}

/** The session_meta of a rollout file (its first line), or undefined while that line is incomplete. */
function readSessionMeta(file: string): { cwd: string; started: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let text = Buffer.alloc(0);
    for (let offset = 0; offset < META_LIMIT_BYTES; ) {
      const got = fs.readSync(fd, buffer, 0, buffer.length, offset);
      if (got === 0) return undefined;
      text = Buffer.concat([text, buffer.subarray(0, got)]);
      offset += got;
      const end = text.indexOf(0x0a);
      if (end < 0) continue;
      const line = JSON.parse(text.subarray(0, end).toString('utf8')) as { type?: string; timestamp?: string; payload?: { cwd?: unknown; timestamp?: string } };
      if (line.type !== 'session_meta' || typeof line.payload?.cwd !== 'string') return { cwd: '', started: 0 };
      return { cwd: line.payload.cwd, started: timeOf(line.payload.timestamp ?? line.timestamp) };
    }
    return { cwd: '', started: 0 };
  } catch {
    return { cwd: '', started: 0 };
  } finally {
    fs.closeSync(fd);
  }
}
