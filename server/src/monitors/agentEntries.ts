/**
 * Which monitor entries an agent gets: the ones its assignment names (each
 * must exist, be enabled and be trusted, or the agent's listing says why),
 * or else every enabled entry of its workspace (whose probes then decide).
 */
import type { AgentRecord } from '../protocol';
import type { MonitorEntry } from './monitorKind';

export type EntryChoice = { entry: MonitorEntry; error?: undefined } | { name: string; type: string | null; error: string };

export function entriesForAgent(agent: AgentRecord, section: unknown, heldBack: ReadonlySet<string>): EntryChoice[] {
  const configured = isObject(section) ? section : {};
  const entryOf = (name: string): MonitorEntry | undefined => {
    const config = configured[name];
    return isObject(config) && typeof config.type === 'string' ? { name, type: config.type, config } : undefined;
  };
  const assigned = agent.assignment?.monitors;
  if (!assigned) {
    return Object.keys(configured)
      .map(entryOf)
      .filter((entry): entry is MonitorEntry => Boolean(entry) && entry!.config.enabled !== false)
      .map((entry) => ({ entry }));
  }
  return [...new Set(assigned)].map((name): EntryChoice => {
    const entry = entryOf(name);
    if (entry) return entry.config.enabled === false ? { name, type: entry.type, error: `monitor "${name}" is disabled (enabled: false) in the configuration` } : { entry };
    if (heldBack.has(`monitors.${name}`)) {
      return { name, type: null, error: `monitor "${name}" runs commands and is held back until you trust the workspace (superkick trust)` };
    }
    const known = Object.keys(configured);
    return { name, type: null, error: `no monitor named "${name}" in the configuration${known.length ? ` (known: ${known.join(', ')})` : ' (it has no monitors: section)'}` };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
