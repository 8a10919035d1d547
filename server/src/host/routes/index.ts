/**
 * Every route module of the host, registered on each client connection. A
 * part of the host that serves protocol methods adds its file here.
 */
import type { HostContext } from '../hostContext';
import type { SessionRoutes } from './sessionRoutes';
import { agentRoutes } from './agents';
import { configRoutes } from './config';
import { goalRoutes } from './goals';
import { registerMcpRoutes } from './mcp';
import { registerNotifyRoutes } from './notify';
import { registerCostRoutes } from './cost';
import { budgetRoutes } from './budget';
import { registerMonitorRoutes } from './monitors';
import { spawnRoutes } from './spawn';
import { worktreeRoutes } from './worktrees';

export type RegisterRoutes = (routes: SessionRoutes, ctx: HostContext) => void;

export const ROUTES: readonly RegisterRoutes[] = [
  agentRoutes,
  configRoutes,
  goalRoutes,
  registerMcpRoutes,
  registerNotifyRoutes,
  registerCostRoutes,
  budgetRoutes,
  registerMonitorRoutes,
  spawnRoutes,
  worktreeRoutes,
];
