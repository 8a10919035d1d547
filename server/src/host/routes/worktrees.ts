/** `superkick worktrees`: the worktrees agents were given, and pruning the ones exited agents left. */
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, Spawn } from '../../protocol';
import type { RegisterRoutes } from '.';
import { visibleAgent } from './sessionRoutes';

export const worktreeRoutes: RegisterRoutes = (routes, ctx) => {
  routes.request(Spawn.ListWorktrees.type, async (params, caller) => ({
    worktrees: await ctx.worktrees.rows({ workspace: params?.workspace ?? null, agentId: visibleAgent(caller) }),
  }));

  routes.userRequest(Spawn.PruneWorktrees.type, (params) => {
    if (params?.agent !== undefined && (typeof params.agent !== 'string' || !params.agent)) throw new ResponseError(ErrorCode.InvalidParams, 'agent must be a non-empty string (an id or a name)');
    if (params?.dryRun !== undefined && typeof params.dryRun !== 'boolean') throw new ResponseError(ErrorCode.InvalidParams, 'dryRun must be true or false');
    return ctx.worktrees.prune({ agent: params?.agent, dryRun: params?.dryRun });
  });
};
