/**
 * Workspace trust, the pure part. A workspace's superkick.yml can make
 * Superkick run commands (setup commands, the shell monitor, `command` goals
 * and notifiers, an agent's program), so each entry that would is held back
 * until the user trusts it. Trust is kept per workspace (by real path) as a
 * hash of each such entry as written: editing an entry, or adding a new one,
 * holds that entry back again until `superkick trust`; other edits do not.
 */
import * as crypto from 'node:crypto';
import { integrationFor, type IntegrationSection } from '../integrations';
import { isPlainObject } from './layers';
import { dotted, toPointer } from './pointer';
import { ENTRY_NOUN, ENTRY_SECTIONS } from './sections';

/** What the user trusted in one workspace: entry pointer → hash of the entry as written then. */
export interface TrustRecord {
  trustedAt: string;
  entries: Record<string, string>;
}

/** One part of a workspace file that would run commands. */
export interface CommandEntry {
  pointer: string;
  segments: string[];
  /** Why it needs trust, for people. */
  reason: string;
  hash: string;
}

export interface HeldBack {
  /** `monitors.tests`. */
  path: string;
  pointer: string;
  reason: string;
}

/**
 * Every part of `written` (a workspace layer's data) that would run commands.
 * `under` is what the layers beneath give (the user's file): a workspace entry
 * without a `type:` of its own merges onto theirs, so it runs what their type
 * runs, and a changed key there must wait for trust as much as a new entry.
 */
export function commandEntries(written: Record<string, unknown>, patterns: readonly string[][], under: Record<string, unknown> = {}): CommandEntry[] {
  const reasons = new Map<string, { segments: string[]; reasons: string[] }>();
  const add = (segments: string[], reason: string) => {
    const pointer = toPointer(segments);
    const found = reasons.get(pointer) ?? { segments, reasons: [] };
    if (!found.reasons.includes(reason)) found.reasons.push(reason);
    reasons.set(pointer, found);
  };
  for (const section of [...ENTRY_SECTIONS] as IntegrationSection[]) {
    const entries = written[section];
    if (!isPlainObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const beneath = valueAt(under, [section, name]);
      const typeOf = (value: unknown) => (isPlainObject(value) && typeof value.type === 'string' ? value.type : undefined);
      const type = typeOf(entry) ?? typeOf(beneath);
      if (type && integrationFor(section, type)?.runsCommands) add([section, name], `a "${type}" ${ENTRY_NOUN[section]} runs commands`);
    }
  }
  for (const pattern of patterns) {
    for (const match of expand(written, pattern)) {
      const star = pattern.indexOf('*');
      const unit = star < 0 ? match : match.slice(0, star + 1);
      const key = match.slice(unit.length).join('.') || match[match.length - 1];
      add(unit, star < 0 ? `"${dotted(match)}" runs commands` : `its "${key}" runs commands`);
    }
  }
  return [...reasons.entries()].map(([pointer, { segments, reasons: why }]) => ({
    pointer,
    segments,
    reason: why.join('; '),
    hash: hashOf(valueAt(written, segments)),
  }));
}

/** The entries not covered by `trust` (never trusted, or changed since). */
export function heldBack(entries: readonly CommandEntry[], trust: TrustRecord | undefined): HeldBack[] {
  return entries
    .filter((entry) => trust?.entries[entry.pointer] !== entry.hash)
    .map((entry) => ({
      path: dotted(entry.segments),
      pointer: entry.pointer,
      reason: trust?.entries[entry.pointer]
        ? `${entry.reason}, and it changed since you trusted this workspace on ${trust.trustedAt.slice(0, 10)}`
        : `${entry.reason}, and this workspace's commands are not trusted`,
    }));
}

/** A trust record for everything that runs commands now. */
export function trustAll(entries: readonly CommandEntry[], now = new Date()): TrustRecord {
  return { trustedAt: now.toISOString(), entries: Object.fromEntries(entries.map((entry) => [entry.pointer, entry.hash])) };
}

/** `value` without the held-back parts. */
export function withoutHeldBack(value: Record<string, unknown>, held: readonly CommandEntry[] | readonly { pointer: string; segments?: string[] }[]): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const entry of held) {
    const segments = 'segments' in entry && entry.segments ? entry.segments : [];
    const parent = valueAt(copy, segments.slice(0, -1));
    if (isPlainObject(parent)) delete parent[segments[segments.length - 1]];
  }
  return copy;
}

function expand(value: unknown, pattern: readonly string[], at: string[] = []): string[][] {
  if (!pattern.length) return value === undefined || value === null ? [] : [at];
  if (!isPlainObject(value)) return [];
  const [head, ...rest] = pattern;
  const keys = head === '*' ? Object.keys(value) : head in value ? [head] : [];
  return keys.flatMap((key) => expand(value[key], rest, [...at, key]));
}

export function valueAt(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (isPlainObject(current)) current = current[segment];
    else if (Array.isArray(current)) current = current[Number(segment)];
    else return undefined;
  }
  return current;
}

function hashOf(value: unknown): string {
  return crypto.createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
