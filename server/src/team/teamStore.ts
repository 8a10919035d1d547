/**
 * Each team's log and artifact store, under `state/teams/<team id>/`: the log
 * is `log.jsonl` (one entry a line, appended), artifacts are files in
 * `artifacts/` replaced atomically. Teams come in a later issue; until then
 * every agent is a team of one (`teamOfAgent`), so the layout and the calls
 * are already the ones teams will share. Callers pass a team id the host
 * derived from an agent's token, never one an agent named.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, Mcp } from '../protocol';
import { writeFileAtomic } from '../common/atomicFile';
import { ensureDir } from '../common/secureDir';
import type { Logger } from '../common/logger';

export const TEAM_LIMITS = {
  /** A log entry is a note, not a file: bigger things go in an artifact. */
  messageChars: 16_000,
  artifactBytes: 1024 * 1024,
  artifactsPerTeam: 200,
  readDefault: 50,
  readMax: 500,
} as const;

/** An artifact name is one plain file name: no folders, so no way out of the team's store. */
const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TEAM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The team an agent belongs to. Until teams exist, each agent is its own. */
export function teamOfAgent(agentId: string): string {
  return `agent-${agentId}`;
}

export class TeamStore {
  /** The last seq of each team's log, counted once from its file. */
  private readonly lastSeq = new Map<string, number>();

  constructor(private readonly root: string, private readonly log: Logger) {}

  post(teamId: string, entry: { agentId: string; agentName: string; kind?: Mcp.TeamLogKind | null; message: unknown }): Mcp.TeamLogEntry {
    const message = requireText(entry.message, 'message', TEAM_LIMITS.messageChars);
    const kind = entry.kind ?? 'message';
    if (!Mcp.TEAM_LOG_KINDS.includes(kind)) invalid(`kind must be one of ${Mcp.TEAM_LOG_KINDS.join(', ')}, not "${String(kind)}"`);
    const dir = this.teamDir(teamId);
    ensureDir(dir);
    const seq = this.last(teamId) + 1;
    const written: Mcp.TeamLogEntry = { seq, at: new Date().toISOString(), agentId: entry.agentId, agentName: entry.agentName, kind, message };
    // One write of one line: a crash leaves at most a torn last line, which reading skips.
    fs.appendFileSync(path.join(dir, 'log.jsonl'), `${JSON.stringify(written)}\n`, { mode: 0o600 });
    this.lastSeq.set(teamId, seq);
    return written;
  }

  read(teamId: string, options: { limit?: unknown; since?: unknown } = {}): { entries: Mcp.TeamLogEntry[]; last: number } {
    const limit = optionalWhole(options.limit, 'limit', 1, TEAM_LIMITS.readMax) ?? TEAM_LIMITS.readDefault;
    const since = optionalWhole(options.since, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const all = this.entries(teamId);
    const newer = all.filter((entry) => entry.seq > since);
    return { entries: newer.slice(-limit), last: all.at(-1)?.seq ?? 0 };
  }

  putArtifact(teamId: string, name: unknown, content: unknown): Mcp.ArtifactInfo {
    const file = this.artifactFile(teamId, name);
    if (typeof content !== 'string') invalid('content must be a string (text; encode binary data as base64 yourself)');
    const bytes = Buffer.byteLength(content);
    if (bytes > TEAM_LIMITS.artifactBytes) invalid(`artifact "${name}" is ${bytes} bytes; the limit is ${TEAM_LIMITS.artifactBytes} bytes. Store a summary, or split it`);
    const dir = path.dirname(file);
    ensureDir(dir);
    if (!fs.existsSync(file) && fs.readdirSync(dir).filter((f) => !f.startsWith('.')).length >= TEAM_LIMITS.artifactsPerTeam) {
      invalid(`the store already holds ${TEAM_LIMITS.artifactsPerTeam} artifacts, the limit; replace one by putting under its name`);
    }
    writeFileAtomic(file, content, 0o600);
    return { teamId, name: name as string, bytes, updatedAt: new Date().toISOString() };
  }

  getArtifact(teamId: string, name: unknown): Mcp.ArtifactInfo & { content: string } {
    const file = this.artifactFile(teamId, name);
    let content: string;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
      content = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const names = this.artifactNames(teamId);
      invalid(`no artifact named "${name}"; ${names.length ? `the store holds: ${names.join(', ')}` : 'the store is empty'}`);
    }
    return { teamId, name: name as string, bytes: stat.size, updatedAt: stat.mtime.toISOString(), content };
  }

  artifactNames(teamId: string): string[] {
    try {
      return fs.readdirSync(path.join(this.teamDir(teamId), 'artifacts')).filter((f) => !f.startsWith('.')).sort();
    } catch {
      return [];
    }
  }

  private entries(teamId: string): Mcp.TeamLogEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.teamDir(teamId), 'log.jsonl'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: Mcp.TeamLogEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as Mcp.TeamLogEntry);
      } catch {
        this.log.warn('team.log', `skipped a torn line in the log of team ${teamId}`);
      }
    }
    return entries;
  }

  private last(teamId: string): number {
    let last = this.lastSeq.get(teamId);
    if (last === undefined) {
      last = this.entries(teamId).at(-1)?.seq ?? 0;
      this.lastSeq.set(teamId, last);
    }
    return last;
  }

  private teamDir(teamId: string): string {
    // Team ids come from the host, not from agents; checked anyway, as they become folder names.
    if (!TEAM_ID.test(teamId)) throw new Error(`invalid team id ${JSON.stringify(teamId)}`);
    return path.join(this.root, teamId);
  }

  private artifactFile(teamId: string, name: unknown): string {
    if (typeof name !== 'string' || !ARTIFACT_NAME.test(name)) {
      invalid(`artifact name ${JSON.stringify(name)} is not allowed: use 1–100 letters, digits, dots, dashes or underscores, starting with a letter or digit (no slashes)`);
    }
    return path.join(this.teamDir(teamId), 'artifacts', name);
  }
}

function invalid(message: string): never {
  throw new ResponseError(ErrorCode.InvalidParams, message);
}

export function requireText(value: unknown, name: string, maxChars: number): string {
  if (typeof value !== 'string' || !value.trim()) invalid(`${name} must be a non-empty string`);
  if (value.length > maxChars) invalid(`${name} is ${value.length} characters; the limit is ${maxChars}`);
  return value;
}

function optionalWhole(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) invalid(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return value;
}
