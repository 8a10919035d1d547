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
import type { BudgetGuard } from '../budget/budgetGuard';
import type { TemplateEngines } from '../templates/engines';
import type { WorkspaceConfigs } from './workspaceConfigs';
import type { QuestionStore } from '../supervisor/questionStore';
import type { TeamStore } from '../team/teamStore';
import type { NotifyDispatcher } from '../notify/dispatcher';
import type { NotificationFeed } from '../notify/notificationFeed';
import type { CostLedger } from '../cost/costLedger';
import type { MonitorManager } from '../monitors/monitorManager';
import type { SpawnService } from '../spawn/spawnService';
import type { SpawnerManager } from '../spawn/spawnerManager';
import type { WorktreeJanitor } from '../spawn/worktreeJanitor';

export interface HostContext {
  paths: SuperkickPaths;
  registry: AgentRegistry;
  queue: InjectionQueue;
  configs: WorkspaceConfigs;
  bus: SupervisionBus;
  goals: GoalTracker;
  templates: TemplateEngines;
  questions: QuestionStore;
  teams: TeamStore;
  /** Routes supervision events to the configured notifiers. */
  notify: NotifyDispatcher;
  /** Notifications for clients that show them (the VS Code extension). */
  notifications: NotificationFeed;
  /** What each agent has cost, per day and per spawner (cost/costLedger.ts); budgets subscribe to its `changed`. */
  cost: CostLedger;
  /** Cost limits: warn, pause and ask, raise. */
  budgets: BudgetGuard;
  monitors: MonitorManager;
  /** Spawning: dispatches, approvals, progress. */
  spawns: SpawnService;
  /** The configured spawners' polls. */
  spawners: SpawnerManager;
  /** Agents' worktrees: the list, pruning, and cleanup once a goal is met. */
  worktrees: WorktreeJanitor;
  clientToken: string;
  hostKey: string;
  log: Logger;
  logs: AgentLogReader;
  recordingPath: (id: string) => string;
  shutdown: () => void;
}
