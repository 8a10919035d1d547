/** Budget methods: standing against limits, and a person raising one. */
import { ResponseError } from 'vscode-jsonrpc';
import { Budget, ErrorCode } from '../../protocol';
import { localDate } from '../../cost/costLedger';
import { visibleAgent } from './sessionRoutes';
import type { RegisterRoutes } from '.';

export const budgetRoutes: RegisterRoutes = (routes, ctx) => {
  routes.request(Budget.ShowBudget.type, (params, caller) => {
    const only = params?.agent ? ctx.registry.resolve(params.agent, visibleAgent(caller)).id : visibleAgent(caller);
    const day = localDate(new Date());
    const agents = ctx.registry.list({ includeExited: false, only }).map((record) => ctx.budgets.standing(record, day));
    return { day, agents };
  });

  routes.userRequest(Budget.RaiseBudget.type, (params) => {
    if (typeof params?.agent !== 'string' || !params.agent) throw new ResponseError(ErrorCode.InvalidParams, 'agent must be a non-empty string');
    const agent = ctx.registry.resolve(params.agent);
    return ctx.budgets.raise(agent.id, Number(params.usd));
  });
};
