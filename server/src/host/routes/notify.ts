/** Notifiers on a client connection: watch notifications (VS Code), list notifiers, send a test event. */
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, Notify, SUPERVISION_EVENT_TYPES, type SupervisionEventType } from '../../protocol';
import type { ShownNotification } from '../../protocol/notify';
import { UserError } from '../../common/userError';
import type { HostContext } from '../hostContext';
import type { SessionRoutes } from './sessionRoutes';

export function registerNotifyRoutes(routes: SessionRoutes, ctx: HostContext): void {
  let watching: ((shown: ShownNotification) => void) | undefined;
  const unwatch = () => {
    if (watching) ctx.notifications.off('shown', watching);
    watching = undefined;
  };

  routes.userRequest(Notify.WatchNotifications.type, (params) => {
    const only = Array.isArray(params?.workspaces) ? new Set(params.workspaces.filter((w): w is string => typeof w === 'string')) : undefined;
    const wanted = (shown: ShownNotification) => !only || only.has(shown.agent?.workspace ?? shown.event.workspace ?? '');
    unwatch();
    watching = (shown) => {
      if (wanted(shown)) routes.connection.sendNotification(Notify.NotificationShown.type, shown).catch(() => undefined);
    };
    ctx.notifications.on('shown', watching);
    return { recent: ctx.notifications.recent().filter(wanted) };
  });

  routes.userRequest(Notify.ListNotifiers.type, (params) => ctx.notify.list(params?.workspace === undefined ? undefined : workspaceParam(params.workspace)));

  routes.userRequest(Notify.TestNotifier.type, async (params, caller) => {
    if (typeof params?.name !== 'string' || !params.name) throw new ResponseError(ErrorCode.InvalidParams, 'name must be the name of an entry under notifiers:');
    const type = params.eventType ?? 'agent_waiting';
    if (!SUPERVISION_EVENT_TYPES.includes(type as SupervisionEventType)) {
      throw new ResponseError(ErrorCode.InvalidParams, `unknown event type ${JSON.stringify(type)}; event types: ${SUPERVISION_EVENT_TYPES.join(', ')}`);
    }
    const workspace = params.workspace === undefined ? caller.workspace : workspaceParam(params.workspace);
    const agentId = params.agent ? ctx.registry.resolve(params.agent).id : undefined;
    try {
      return await ctx.notify.test(params.name, workspace, type, agentId);
    } catch (error) {
      if (error instanceof UserError) throw new ResponseError(ErrorCode.InvalidParams, error.message);
      throw error;
    }
  });

  routes.onClose(unwatch);
}

function workspaceParam(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !value.startsWith('/')) throw new ResponseError(ErrorCode.InvalidParams, `workspace must be an absolute path or null, not ${JSON.stringify(value)}`);
  return value;
}
