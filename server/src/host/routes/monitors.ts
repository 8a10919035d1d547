/** `superkick monitor list` and VS Code's Monitors view: what the host's monitors watch, for whom, and how their polls go. */
import { Monitors } from '../../protocol';
import type { HostContext } from '../hostContext';
import { visibleAgent, type SessionRoutes } from './sessionRoutes';

export function registerMonitorRoutes(routes: SessionRoutes, ctx: HostContext): void {
  routes.request(Monitors.ListMonitors.type, (params, caller) => ctx.monitors.status({ workspace: params.workspace, agentId: visibleAgent(caller) }));

  let unsubscribe: (() => void) | undefined;
  routes.onClose(() => unsubscribe?.());
  routes.userRequest(Monitors.WatchMonitors.type, () => {
    unsubscribe ??= ctx.monitors.onChange(() => void routes.connection.sendNotification(Monitors.MonitorsChanged.type, {}).catch(() => undefined));
    return ctx.monitors.status({});
  });
}
