/**
 * What templates see. Drops are plain objects with snake_case keys (Liquid's
 * convention), built from our records by one function each, so a renamed
 * field is a type error here rather than a blank in a prompt. Absent facts
 * are `null`, never missing: in strict mode a missing key is an error, and
 * `{% if agent.branch %}` must work before branches exist.
 */
import type { AgentRecord, AgentState } from '../protocol';
import { sanitizeUntrusted } from '../supervisor/untrustedText';

export interface AgentDrop {
  id: string;
  name: string;
  driver: string;
  state: AgentState;
  cwd: string;
  command: string;
  args: string[];
  pid: number | null;
  connected: boolean;
  viewers: number;
  created_at: string;
  exited_at: string | null;
  exit_code: number | null;
  branch: string | null;
  repository: string | null;
  goal: string | null;
  spawned_by: string | null;
}

/** Facts about an agent from elsewhere than its record (they win over the record's assignment). */
export interface AgentExtras {
  branch?: string | null;
  repository?: string | null;
  goal?: string | null;
  spawnedBy?: string | null;
}

export function agentDrop(record: AgentRecord, extras: AgentExtras = {}): AgentDrop {
  return {
    id: record.id,
    name: record.name,
    driver: record.driver,
    state: record.state,
    cwd: record.cwd,
    command: record.command,
    args: [...record.args],
    pid: record.childPid,
    connected: record.connected,
    viewers: record.viewers,
    created_at: record.createdAt,
    exited_at: record.exitedAt,
    exit_code: record.exitCode,
    branch: extras.branch ?? record.assignment.branch ?? null,
    repository: extras.repository ?? record.assignment.repository ?? null,
    goal: extras.goal ?? record.assignment.goal ?? null,
    spawned_by: extras.spawnedBy ?? record.assignment.spawner ?? null,
  };
}

/** One team log entry as the teams feature will store it. */
export interface TeamLogEntryInput {
  id: string;
  team: string;
  /** Agent id of the author, or "user". */
  author: string;
  authorName?: string | null;
  /** `message`, `decision`, `status`, … */
  kind: string;
  text: string;
  /** ISO timestamp. */
  createdAt: string;
}

export interface TeamLogEntryDrop {
  id: string;
  team: string;
  author: string;
  author_name: string;
  kind: string;
  text: string;
  created_at: string;
}

export function teamLogEntryDrop(entry: TeamLogEntryInput): TeamLogEntryDrop {
  return {
    id: entry.id,
    team: entry.team,
    author: entry.author,
    author_name: entry.authorName ?? entry.author,
    kind: entry.kind,
    // Written by another agent, which outside text may have steered: it reaches a pty, so it is cleaned like outside text.
    text: sanitizeUntrusted(entry.text),
    created_at: entry.createdAt,
  };
}

/** What happened, for injected-event and notification templates. */
export interface EventInput {
  /** e.g. `alert_triggered`, `goal_met`, `agent_exited`. */
  type: string;
  /** The config entry that saw it, e.g. the monitor's name. */
  source: string;
  id?: string | null;
  url?: string | null;
  /** ISO timestamp; defaults to now. */
  occurredAt?: string;
  summary?: string | null;
}

export interface EventDrop {
  type: string;
  source: string;
  id: string | null;
  url: string | null;
  occurred_at: string;
  summary: string | null;
}

export function eventDrop(event: EventInput, now: () => Date = () => new Date()): EventDrop {
  return {
    type: event.type,
    source: event.source,
    id: event.id ?? null,
    url: event.url ?? null,
    occurred_at: event.occurredAt ?? now().toISOString(),
    summary: event.summary ?? null,
  };
}

/** Deeper than any real payload; a guard against cycles and hostile nesting. */
const MAX_DEPTH = 12;

/**
 * An integration's object (an alert, an issue, a Slack message) made safe to
 * render: every string in it, at any depth, goes through the one sanitizer,
 * and keys become snake_case. Integrations pass their objects through this
 * before handing them to a template; the `external` filter then frames the
 * long bodies.
 */
export function untrustedObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return sanitizeUntrusted(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return typeof value === 'object' ? null : value;
  if (Array.isArray(value)) return value.map((item) => untrustedObject(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[snakeCase(key)] = untrustedObject(item, depth + 1);
  return out;
}

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase();
}

/** The variables every template may use; integrations add their own objects beside these. */
export interface TemplateContext {
  agent?: AgentDrop | null;
  event?: EventDrop | null;
  team_log_entry?: TeamLogEntryDrop | null;
  [object: string]: unknown;
}
