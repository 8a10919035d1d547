/** Configuration and workspace methods (user only): check, show, watch; list, remove and trust workspaces. */
import { Host } from '../../protocol';
import type { ScopeChange } from '../workspaceConfigs';
import { absolutePath } from './params';
import type { RegisterRoutes } from '.';

export const configRoutes: RegisterRoutes = (routes, ctx) => {
  const { configs } = ctx;
  /** Without a workspace, the one the client named when it authenticated. */
  const workspaceParam = (value: unknown, named: string | null): string | null => {
    if (value === undefined || value === null || value === '') return named;
    return absolutePath(value, 'workspace');
  };
  routes.userRequest(Host.ConfigCheck.type, (params, caller) => configs.check(workspaceParam(params?.workspace, caller.workspace)));
  routes.userRequest(Host.ConfigShow.type, (params, caller) => configs.show(workspaceParam(params?.workspace, caller.workspace)));

  let watching = false;
  const onChanged = (change: ScopeChange) => {
    if (watching) routes.connection.sendNotification(Host.ConfigChanged.type, change).catch(() => undefined);
  };
  configs.on('changed', onChanged);
  routes.onClose(() => configs.off('changed', onChanged));
  routes.userRequest(Host.WatchConfig.type, () => {
    watching = true;
    return configs.allStatuses();
  });

  routes.userRequest(Host.ListWorkspaces.type, () => configs.list());
  routes.userRequest(Host.RemoveWorkspace.type, (params) => ({ removed: configs.remove(absolutePath(params?.workspace, 'workspace')) }));
  routes.userRequest(Host.TrustWorkspace.type, (params) => configs.trust(absolutePath(params?.workspace, 'workspace'), Boolean(params.revoke)));
};
