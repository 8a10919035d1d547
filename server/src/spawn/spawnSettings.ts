/**
 * Everything a spawn needs from the configuration, resolved once per request
 * in one place: the request's own choices, over the spawner entry, over the
 * repository entry, over the workspace's `agents:` defaults. A missing or
 * held-back entry is an error here, before anything is made.
 */
import * as path from 'node:path';
import { UserError } from '../common/userError';
import { isPlainObject } from '../config/layers';
import type { EffectiveConfig } from '../config/sections';
import { driverNamed } from '../drivers';
import { integrationFor } from '../integrations';
import type { AnySpawnerKind } from './spawnerKind';
import type { RepositorySourceConfig } from '../repository';
import type { HeldBackEntry } from '../protocol';
import type { SpawnRequest } from './spawnRequest';

export const DEFAULT_KICKOFF_TEMPLATE = 'core/kickoff';
export const DEFAULT_BRANCH_PREFIX = 'superkick/';
const DEFAULT_APPROVAL_EXPIRY_S = 24 * 60 * 60;
const DEFAULT_SETUP_TIMEOUT_S = 600;

export interface AgentLaunchSettings {
  driver: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  history: number;
  record: boolean;
}

export interface RepositorySettings {
  /** The entry's name, or the source in words. */
  name: string;
  source: RepositorySourceConfig;
  baseBranch: string | null;
  /** A `branchName()` pattern. */
  branchPattern: string;
  include: string[];
}

export interface SpawnSettings {
  approval: 'required' | 'auto';
  approvalExpiresS: number;
  /** The repository's setup commands, then the spawner's. */
  setup: string[];
  setupTimeoutS: number;
  kickoffTemplate: string;
  /** A `kickoff_template` written in the spawner entry (Liquid source or a file). */
  kickoffOverride: string | null;
  goal: string | null;
  monitors: string[] | null;
  notifiers: string[] | null;
  budgetUsd: number | null;
  maxDurationS: number | null;
  agent: AgentLaunchSettings;
  repository: RepositorySettings;
  runtime: { type: string; entry: Record<string, unknown> };
  /** `runtime.worktree_root`, or null for the default. */
  worktreeRoot: string | null;
  /** Workflow: the spawner entry whose step follows when this agent's goal is met. */
  next: string | null;
}

type Entry = Record<string, unknown>;

export function spawnSettings(request: SpawnRequest, config: EffectiveConfig, heldBack: readonly HeldBackEntry[]): SpawnSettings {
  const spawner = request.spawner ? entryOf(config, 'spawners', request.spawner, heldBack) : {};
  const agents = object(config.agents);
  const own = object(spawner.agent);
  const driver = request.agent.driver ?? string(own.driver) ?? string(agents.driver) ?? 'claude';
  const profile = driverNamed(driver);
  const command = request.agent.command ?? string(own.command) ?? string(agents.command) ?? profile.commands[0];
  if (!command) {
    const held = heldBack.find((entry) => entry.path === 'agents.command' || entry.path === `spawners.${request.spawner}`);
    if (held) throw new UserError(`${held.path} is held back until you trust this workspace (superkick trust): ${held.reason}`);
    throw new UserError(`no program to start for a spawned agent with the ${driver} driver: set agents.command (or the spawner's agent.command) in superkick.yml`);
  }
  const args = request.agent.args ?? strings(own.args) ?? strings(agents.args) ?? [];
  const repository = repositorySettings(request, spawner, config, heldBack);
  const runtime = object(config.runtime);
  const kind = request.spawner ? spawnerKindOf(string(spawner.type)) : undefined;
  return {
    approval: spawner.approval === 'required' ? 'required' : 'auto',
    approvalExpiresS: number(spawner.approval_expires_after) ?? DEFAULT_APPROVAL_EXPIRY_S,
    setup: [...(strings(object(repository.entry).setup) ?? []), ...(strings(spawner.setup) ?? [])],
    setupTimeoutS: number(spawner.setup_timeout) ?? DEFAULT_SETUP_TIMEOUT_S,
    kickoffTemplate: request.template ?? kind?.kickoffTemplate ?? DEFAULT_KICKOFF_TEMPLATE,
    kickoffOverride: request.template ? null : (string(spawner.kickoff_template) ?? null),
    goal: request.goal ?? string(spawner.goal) ?? null,
    monitors: strings(spawner.monitors) ?? null,
    notifiers: strings(spawner.notifiers) ?? null,
    budgetUsd: number(spawner.budget_usd) ?? null,
    maxDurationS: number(spawner.max_duration) ?? number(own.max_duration) ?? null,
    agent: {
      driver: profile.name,
      command,
      args,
      env: { ...stringMap(agents.env), ...stringMap(own.env) },
      history: number(own.history_lines) ?? number(agents.history_lines) ?? 10_000,
      record: Boolean(own.record ?? agents.record),
    },
    repository: repository.settings,
    runtime: { type: string(runtime.type) ?? 'local', entry: runtime },
    worktreeRoot: string(runtime.worktree_root) ?? null,
    next: string(spawner.next) ?? null,
  };
}

/** The registered spawner kind for a type, if the type spawns anything yet. */
export function spawnerKindOf(type: string | undefined): AnySpawnerKind | undefined {
  return type ? integrationFor('spawners', type)?.spawner : undefined;
}

function repositorySettings(request: SpawnRequest, spawner: Entry, config: EffectiveConfig, heldBack: readonly HeldBackEntry[]): { settings: RepositorySettings; entry: Entry } {
  const choice = request.repository ?? (string(spawner.repository) ? { entry: string(spawner.repository)! } : null);
  let name: string;
  let entry: Entry = {};
  let source: RepositorySourceConfig;
  if (choice && 'entry' in choice) {
    name = choice.entry;
    entry = entryOf(config, 'repositories', choice.entry, heldBack);
    source = sourceOf(entry, request.workspace, choice.entry);
  } else if (choice) {
    source = choice;
    name = Object.values(choice)[0];
  } else {
    if (!request.workspace) throw new UserError('no repository to spawn in: name one (--repo) or start from a workspace that is a git repository');
    source = { local: request.workspace };
    name = path.basename(request.workspace);
  }
  const prefix = string(entry.branch_prefix) ?? DEFAULT_BRANCH_PREFIX;
  return {
    entry,
    settings: {
      name,
      source,
      baseBranch: request.baseRef ?? string(entry.base_branch) ?? null,
      branchPattern: string(entry.branch_pattern) ?? `${prefix}{{key}}`,
      include: strings(entry.include) ?? [],
    },
  };
}

function sourceOf(entry: Entry, workspace: string | null, name: string): RepositorySourceConfig {
  if (typeof entry.path === 'string') return { local: path.resolve(workspace ?? process.cwd(), entry.path) };
  if (typeof entry.url === 'string') return { git: entry.url };
  if (typeof entry.github === 'string') return { github: entry.github };
  throw new UserError(`repository "${name}": give one of path, url or github`);
}

function entryOf(config: EffectiveConfig, section: 'spawners' | 'repositories', name: string, heldBack: readonly HeldBackEntry[]): Entry {
  const entries = object(config[section]);
  const entry = entries[name];
  if (isPlainObject(entry)) return entry;
  const held = heldBack.find((h) => h.path === `${section}.${name}`);
  if (held) throw new UserError(`${section}.${name} is held back until you trust this workspace (superkick trust): ${held.reason}`);
  const known = Object.keys(entries);
  throw new UserError(`no entry "${name}" under ${section}: in superkick.yml${known.length ? ` (known: ${known.join(', ')})` : ''}`);
}

function object(value: unknown): Entry {
  return isPlainObject(value) ? value : {};
}
function string(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}
function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(object(value)).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));
}
