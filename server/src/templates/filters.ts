/**
 * The filters Superkick adds to Liquid. The seed's templates use `time`
 * (on "now" and on timestamps), `join` and `size` (both built in); the rest
 * are what prompts and notifications keep needing: bounded excerpts of long
 * text, quoting, and framing outside text so the agent can tell it apart.
 * Every filter is pure except for the clock and the framing nonce, which the
 * engine passes in so tests can pin them.
 */
import { randomBytes } from 'node:crypto';
import { toValue } from 'liquidjs';
import { frameExternal, sanitizeUntrusted } from '../supervisor/untrustedText';

export interface FilterEnvironment {
  /** What "now" means (tests pin it). */
  clock: () => Date;
  /** A fresh nonce for each framed block of outside text. */
  nonce: () => string;
}

export const DEFAULT_FILTER_ENVIRONMENT: FilterEnvironment = {
  clock: () => new Date(),
  nonce: () => randomBytes(6).toString('hex'),
};

type Filter = (value: unknown, ...args: unknown[]) => unknown;

/** Below this a number is a Unix time in seconds, above it in milliseconds (1e11 s is the year 5138, 1e11 ms is 1973). */
const SECONDS_LIMIT = 1e11;

/** A point in time from "now", a Date, epoch seconds or milliseconds, or a date string; undefined if it is none of those. */
export function toDate(value: unknown, clock: () => Date): Date | undefined {
  value = toValue(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value < SECONDS_LIMIT ? value * 1000 : value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.toLowerCase() === 'now') return clock();
  if (/^\d+(\.\d+)?$/.test(text)) return toDate(Number(text), clock);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatTime(date: Date, format: unknown): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  switch (format) {
    case 'date':
      return day;
    case 'iso':
      return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    default:
      // UTC with the zone spelled out: read by agents and people in any time zone.
      return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
  }
}

/** "45s", "3m 05s", "2h 03m", "3d 4h". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
  return `${Math.floor(seconds / 86400)}d ${Math.floor((seconds % 86400) / 3600)}h`;
}

function relative(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const span = Math.abs(seconds);
  const amount = span < 3600 ? `${Math.round(span / 60)} min` : span < 86400 ? `${Math.round(span / 3600)} h` : `${Math.round(span / 86400)} days`;
  return seconds > 0 ? `${amount} ago` : `in ${amount}`;
}

function text(value: unknown): string {
  // Liquid's `nil` and `empty` literals, and drops, arrive as objects that know their plain value.
  value = toValue(value);
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

function count(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function lines(value: unknown): string[] {
  return text(value).replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
}

export function superkickFilters(env: FilterEnvironment = DEFAULT_FILTER_ENVIRONMENT): Record<string, Filter> {
  return {
    /** `{{ "now" | time }}` → `2025-06-01 14:03:07 UTC`; `time: "iso"`, `time: "date"`. Anything that is not a time passes through. */
    time: (value, format) => {
      const date = toDate(value, env.clock);
      return date ? formatTime(date, format) : value ?? '';
    },
    /** `{{ agent.created_at | ago }}` → `12 min ago`. */
    ago: (value) => {
      const date = toDate(value, env.clock);
      return date ? relative(date, env.clock()) : value ?? '';
    },
    /** `{{ 3725 | duration }}` → `1h 02m` (seconds in). */
    duration: (value) => {
      const seconds = Number(value);
      return value !== null && value !== '' && Number.isFinite(seconds) ? formatDuration(seconds) : value ?? '';
    },
    /** The first N lines (default 20), then how many were left out. */
    truncate_lines: (value, max) => {
      const all = lines(value);
      const keep = count(max, 20);
      if (all.length <= keep) return all.join('\n');
      return [...all.slice(0, keep), `… (${all.length - keep} more lines)`].join('\n');
    },
    /** The last N lines (default 20), after how many were left out: for logs, where the end matters. */
    tail_lines: (value, max) => {
      const all = lines(value);
      const keep = count(max, 20);
      if (all.length <= keep) return all.join('\n');
      return [`… (${all.length - keep} earlier lines)`, ...all.slice(all.length - keep)].join('\n');
    },
    /** Each non-empty line indented by N spaces (default 2). */
    indent: (value, width) => {
      const prefix = ' '.repeat(count(width, 2));
      return lines(value).map((line) => (line ? prefix + line : line)).join('\n');
    },
    /** Each line as a Markdown quote (`> `). */
    quote: (value) => lines(value).map((line) => (line ? `> ${line}` : '>')).join('\n'),
    /** Whitespace folded to single spaces; with a width, cut there with an ellipsis. For titles and table cells. */
    one_line: (value, width) => {
      const line = text(value).replace(/\s+/g, ' ').trim();
      const max = count(width, 0);
      return max && line.length > max ? `${line.slice(0, Math.max(1, max - 1))}…` : line;
    },
    /**
     * Outside text, sanitized and framed with its origin and a fresh nonce so
     * the agent can tell where it starts and ends:
     * `{{ error.message | external: "Datadog error message", author, url }}`.
     */
    external: (value, source, author, url) =>
      frameExternal(text(value), { source: text(source) || 'an outside source', author: text(author) || undefined, url: text(url) || undefined }, env.nonce()),
    // Decoding filters could rebuild the escape sequences the sanitizer took out of outside text: their output is sanitized again.
    url_decode: (value) => sanitizeUntrusted(safeDecode(text(value))),
    base64_decode: (value) => sanitizeUntrusted(Buffer.from(text(value), 'base64').toString('utf8')),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
