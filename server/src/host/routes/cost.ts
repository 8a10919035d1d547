/**
 * Cost: agent processes report their CLI's usage; clients read the ledger
 * (`superkick cost`). An agent token reports and reads only its own agent.
 */
import { ResponseError } from 'vscode-jsonrpc';
import { Cost, ErrorCode } from '../../protocol';
import type { HostContext } from '../hostContext';
import { visibleAgent, type SessionRoutes } from './sessionRoutes';

export function registerCostRoutes(routes: SessionRoutes, ctx: HostContext): void {
  routes.agentRequest(Cost.ReportUsage.type, (params, agentId) => {
    if (!params || typeof params.models !== 'object' || params.models === null) throw new ResponseError(ErrorCode.InvalidParams, 'reportUsage needs models: { <model>: { input, output, cacheRead, cacheWrite } }');
    const record = ctx.registry.record(agentId);
    ctx.cost.record({ id: agentId, name: record.name, driver: record.driver, workspace: record.workspace, spawner: record.assignment.spawner ?? null }, params.models);
  });

  routes.request(Cost.GetCost.type, (params, caller) => {
    const day = params?.day;
    if (day !== undefined && (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))) {
      throw new ResponseError(ErrorCode.InvalidParams, `day "${String(day)}" is not a date: use YYYY-MM-DD`);
    }
    const rows = ctx.cost.rows(day);
    const only = visibleAgent(caller);
    if (only) return { agents: rows.agents.filter((row) => row.id === only), days: [], spawners: [] };
    return rows;
  });
}
