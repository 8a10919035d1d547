/** Goal methods: a person decides an agent's goal. */
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, Goals } from '../../protocol';
import type { RegisterRoutes } from '.';

export const goalRoutes: RegisterRoutes = (routes, ctx) => {
  routes.userRequest(Goals.DecideGoal.type, (params) => {
    if (typeof params?.agent !== 'string' || !params.agent) throw new ResponseError(ErrorCode.InvalidParams, 'agent must be a non-empty string');
    if (params.state !== 'met' && params.state !== 'failed') throw new ResponseError(ErrorCode.InvalidParams, 'state must be "met" or "failed"');
    const agent = ctx.registry.resolve(params.agent);
    const goal = ctx.goals.decideByPerson(agent.id, params.state, params.summary?.trim() || `marked ${params.state} by a person`);
    return { id: agent.id, goal };
  });
};
