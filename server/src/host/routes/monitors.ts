/** `superkick monitor list`: what the host's monitors watch, for whom, and how their polls go. */
import { Monitors } from '../../protocol';
import type { HostContext } from '../hostContext';
import { visibleAgent, type SessionRoutes } from './sessionRoutes';

export function registerMonitorRoutes(routes: SessionRoutes, ctx: HostContext): void {
  routes.request(Monitors.ListMonitors.type, (params, caller) => ctx.monitors.status({ workspace: params.workspace, agentId: visibleAgent(caller) }));
}
