/**
 * Every route module of the host, registered on each client connection. A
 * part of the host that serves protocol methods adds its file here.
 */
import type { HostContext } from '../hostContext';
import type { SessionRoutes } from './sessionRoutes';
import { registerMonitorRoutes } from './monitors';

export type RegisterRoutes = (routes: SessionRoutes, ctx: HostContext) => void;

export const ROUTES: readonly RegisterRoutes[] = [registerMonitorRoutes];
