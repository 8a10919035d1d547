/**
 * The parts of the running host that serve clients, handed to every
 * connection and every route module. Built once, in hostServer.ts.
 */
import type { Logger } from '../common/logger';
import type { SuperkickPaths } from '../common/paths';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { InjectionQueue } from '../supervisor/injectionQueue';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import type { AgentLogReader } from './agentLogReader';
import type { GoalTracker } from '../goals/goalTracker';
import type { TemplateEngines } from '../templates/engines';
import type { WorkspaceConfigs } from './workspaceConfigs';
import type { MonitorManager } from '../monitors/monitorManager';

export interface HostContext {
  paths: SuperkickPaths;
  registry: AgentRegistry;
  queue: InjectionQueue;
  configs: WorkspaceConfigs;
  bus: SupervisionBus;
  goals: GoalTracker;
  templates: TemplateEngines;
  monitors: MonitorManager;
  clientToken: string;
  hostKey: string;
  log: Logger;
  logs: AgentLogReader;
  recordingPath: (id: string) => string;
  shutdown: () => void;
}
