/**
 * Spawning for clients: `superkick spawn`, the dispatches, approvals and
 * their decisions, and a feed of dispatch progress for VS Code.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, Spawn } from '../../protocol';
import type { RepositoryChoice, SpawnRequest } from '../../spawn/spawnRequest';
import type { WorkspaceConfigs } from '../workspaceConfigs';
import { absolutePath, requireString } from './params';
import type { RegisterRoutes } from '.';

export const spawnRoutes: RegisterRoutes = (routes, ctx) => {
  const { spawns } = ctx;

  routes.userRequest(Spawn.StartSpawn.type, (params) => spawns.submit(manualRequest(params, ctx.configs)));

  routes.request(Spawn.ListDispatches.type, (params, caller) => {
    if (caller.kind === 'agent') throw new ResponseError(ErrorCode.Forbidden, 'an agent token may not list dispatches');
    return { dispatches: spawns.dispatches(params?.workspace) };
  });

  routes.userRequest(Spawn.ReleaseDispatch.type, (params) => ({ dispatch: spawns.release(requireString(params?.key, 'key')) }));

  routes.userRequest(Spawn.ListApprovals.type, (params) => ({ approvals: spawns.approvalList(Boolean(params?.all)) }));

  routes.userRequest(Spawn.DecideApproval.type, (params) => {
    requireString(params?.id, 'id');
    if (params.decision !== 'approved' && params.decision !== 'denied') throw new ResponseError(ErrorCode.InvalidParams, 'decision must be "approved" or "denied"');
    return spawns.decide(params);
  });

  routes.request(Spawn.ListSpawners.type, (params, caller) => {
    if (caller.kind === 'agent') throw new ResponseError(ErrorCode.Forbidden, 'an agent token may not list spawners');
    return { spawners: ctx.spawners.status(params?.workspace) };
  });

  let watching = false;
  const onChanged = (event: Spawn.DispatchChanged.Params) => {
    if (watching) routes.connection.sendNotification(Spawn.DispatchChanged.type, event).catch(() => undefined);
  };
  spawns.on('changed', onChanged);
  routes.onClose(() => spawns.off('changed', onChanged));
  routes.userRequest(Spawn.WatchSpawns.type, () => {
    watching = true;
    return { dispatches: spawns.dispatches(), approvals: spawns.approvalList() };
  });
};

/** `superkick spawn`'s parameters as a spawn request. */
function manualRequest(params: Spawn.StartSpawn.Params, configs: WorkspaceConfigs): SpawnRequest {
  const workspace = configs.register(absolutePath(params?.workspace, 'workspace'));
  const template = requireString(params.template, 'template');
  if (!params.vars || typeof params.vars !== 'object' || Array.isArray(params.vars)) throw new ResponseError(ErrorCode.InvalidParams, 'vars must be an object of strings');
  const vars = nestVars(params.vars);
  // What the shipped kickoff reads of a task, so a spawn with only a title renders cleanly.
  if (vars.task && typeof vars.task === 'object') vars.task = { body: null, url: null, source: 'superkick spawn', ...(vars.task as object) };
  const title = typeof (vars.task as Record<string, unknown> | undefined)?.title === 'string' ? ((vars.task as Record<string, string>).title) : undefined;
  return {
    key: params.key ? requireString(params.key, 'key') : `manual-${crypto.randomBytes(4).toString('hex')}`,
    workspace,
    spawner: params.spawner ?? null,
    summary: title ?? `${template} in ${path.basename(workspace)}`,
    template,
    vars,
    repository: params.repository ? repositoryChoice(params.repository, configs.configOf(workspace).repositories) : null,
    baseRef: null,
    branch: params.branch ?? null,
    agent: { driver: params.driver, command: params.command, args: params.args },
    goal: params.goal ?? null,
    previousAgent: null,
    requestedBy: 'cli',
  };
}

/** `task.title=x` → `{ task: { title: "x" } }`. */
export function nestVars(flat: Record<string, string>): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    if (typeof value !== 'string') throw new ResponseError(ErrorCode.InvalidParams, `variable ${name} must be a string`);
    const parts = name.split('.');
    if (parts.some((part) => !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part))) throw new ResponseError(ErrorCode.InvalidParams, `"${name}" is not a variable name (letters, digits, _ and -, dotted for nesting)`);
    let at = vars;
    for (const part of parts.slice(0, -1)) {
      const next = at[part];
      if (typeof next === 'string') throw new ResponseError(ErrorCode.InvalidParams, `variable ${part} is both a value and has fields (${name})`);
      at = (at[part] ??= {}) as Record<string, unknown>;
    }
    at[parts[parts.length - 1]] = value;
  }
  return vars;
}

/** An entry under `repositories:`, a git URL, or a local path (absolute; the CLI resolves relative ones). */
function repositoryChoice(value: string, entries: unknown): RepositoryChoice {
  if (entries && typeof entries === 'object' && value in entries) return { entry: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^/\s]+@[^/\s]+:/.test(value)) return { git: value };
  if (value.startsWith('/')) return { local: value };
  throw new ResponseError(ErrorCode.InvalidParams, `repository "${value}" is neither an entry under repositories:, a git URL, nor an absolute path`);
}
