/**
 * The host daemon: takes the lock, listens on `run/host.sock` (0600 in a 0700
 * directory), serves clients and agent processes, and keeps the agents'
 * records. It holds no terminal: agents outlive it.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { superkickPaths, type SuperkickPaths } from '../common/paths';
import { ensureDir, ensurePrivateDir } from '../common/secureDir';
import { fileLogger, type Logger } from '../common/logger';
import { readClientToken, readHostKey } from '../common/tokens';
import { UserError } from '../common/userError';
import { acquireLock } from './lock';
import { AgentStore } from './agentStore';
import { AgentLogReader } from './agentLogReader';
import { ClientSession } from './clientSession';
import { AgentRegistry } from '../supervisor/agentRegistry';
import { InjectionQueue } from '../supervisor/injectionQueue';
import { AgentLink } from '../protocol';
import { driverNamed } from '../drivers';
import { applyDriverOverride } from '../drivers/overrides';
import { checkTemplate } from '../templates';
import { WorkspaceConfigs } from './workspaceConfigs';
import { SupervisionBus } from '../supervisor/supervisionBus';
import { GoalTracker } from '../goals/goalTracker';
import { goalConfigOf } from '../goals/goalConfig';
import { TemplateEngines } from '../templates/engines';
import { QuestionStore } from '../supervisor/questionStore';
import { TeamStore } from '../team/teamStore';
import { NotifyDispatcher } from '../notify/dispatcher';
import { NotificationFeed } from '../notify/notificationFeed';
import { NotifiedStore } from '../notify/notifiedStore';
import { LifecycleEvents } from '../supervisor/lifecycleEvents';
import { startCostLedger } from '../cost/hostCost';
import { BudgetGuard, type BudgetSettings } from '../budget/budgetGuard';
import { ledgerSpending } from '../budget/spending';
import { MonitorManager } from '../monitors/monitorManager';
import { startWebhooks } from '../webhooks/webhookService';
import { SpawnService } from '../spawn/spawnService';
import { SpawnerManager } from '../spawn/spawnerManager';
import { Workflows } from '../spawn/workflows';
import { createAgentRecord } from './createAgentRecord';
import { WorktreeJanitor } from '../spawn/worktreeJanitor';

export interface RunningHost {
  paths: SuperkickPaths;
  log: Logger;
  stop(): Promise<void>;
}

export function prepareDirs(paths: SuperkickPaths): void {
  fs.mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  ensurePrivateDir(paths.run);
  ensurePrivateDir(paths.agentSockets);
  ensurePrivateDir(paths.auth);
  for (const dir of [paths.state, paths.exits, paths.screens, paths.logs, paths.agentLogs, paths.recordings]) ensureDir(dir);
}

export async function startHost(paths = superkickPaths()): Promise<RunningHost> {
  prepareDirs(paths);
  const lock = acquireLock(paths.hostLock);
  if (!lock.acquired) throw new UserError(`a Superkick host is already running for ${paths.root} (pid ${lock.holderPid})`, 2);

  const log = fileLogger(paths.hostLog);
  try {
    // We hold the lock, so a socket file left here belongs to a host that died.
    if (fs.existsSync(paths.hostSocket)) {
      log.warn('host.socket', `removing stale socket ${paths.hostSocket} left by a host that did not shut down`);
      fs.rmSync(paths.hostSocket, { force: true });
    }
    const clientToken = readClientToken(paths);
    const hostKey = readHostKey(paths);
    const store = new AgentStore(paths.agentsState, log);
    const registry = new AgentRegistry(store, paths, log);
    registry.reconcile();
    const bus = new SupervisionBus();
    const templates = new TemplateEngines(log);
    const questions = new QuestionStore(paths.questionsState, log);
    const teams = new TeamStore(paths.teams, log);
    // An agent's driver profile with its workspace's override, as its agent process reads its screen.
    const profileOf = (agentId: string) => {
      const spec = store.get(agentId)?.spec;
      return applyDriverOverride(driverNamed(spec?.driver ?? 'command'), spec?.driverOverride);
    };
    const queue = new InjectionQueue(
      paths.queues,
      async (agentId, text, submit) => {
        const result = await registry.link(agentId).sendRequest(AgentLink.AgentInput.type, { text, submit, queued: true });
        return !result.deferred;
      },
      log,
      (agentId) => (store.has(agentId) ? registry.record(agentId) : undefined),
      profileOf,
    );
    registry.on('changed', ({ record, removed }) => (removed ? queue.discard(record.id) : queue.agentChanged(record)));
    // Catch agent processes that die while disconnected (started before a restart and killed before re-registering).
    const sweep = setInterval(() => registry.reconcile(), 30_000);
    sweep.unref();

    // Template strings are parsed at load, so a Liquid syntax error is a config error with a position.
    const configs = new WorkspaceConfigs(paths, log, { checkTemplate });
    configs.start();
    const goals = new GoalTracker(registry, bus, (workspace) => goalConfigOf(configs, workspace), log);

    // Listening before the lifecycle catches up on the agents it already knows (their events are de-duplicated).
    const notifications = new NotificationFeed();
    const notified = new NotifiedStore(paths.notifiedState, log);
    const notify = new NotifyDispatcher({ bus, registry, configs, templates, store: notified, feed: notifications, log });
    notify.start();
    const lifecycle = new LifecycleEvents({ registry, bus, queue, configs, log });
    if (notified.blank) notify.seed(() => lifecycle.start());
    else lifecycle.start();
    // After the notifiers listen: goals decided while the host was away (an agent exited) are told.
    goals.start();
    const cost = startCostLedger(paths, configs, registry, log);
    const budgets = new BudgetGuard(registry, queue, bus, ledgerSpending(cost), (workspace) => (configs.configOf(workspace).budget ?? {}) as BudgetSettings, profileOf, log);
    budgets.start();
    configs.on('section', ({ section }) => {
      if (section === 'budget') budgets.checkAll();
    });
    const monitors = new MonitorManager({ registry, configs, queue, templates, file: paths.monitorsState, log });
    monitors.start();
    const spawns: SpawnService = new SpawnService({
      paths,
      configs,
      registry,
      queue,
      templates,
      bus,
      log,
      createAgent: (spec) => createAgentRecord({ configs, goals, registry, hostKey }, spec),
    });
    spawns.start();
    const workflows = new Workflows({ bus, registry, configs, spawns, teams, log });
    workflows.start();
    const spawners = new SpawnerManager({ configs, spawns, log });
    spawners.start();
    // After the notifiers listen: a worktree kept while the host was away is told (once: its event id is the agent's).
    const worktrees = new WorktreeJanitor({ registry, bus, configs, log });
    worktrees.start();
    const webhooks = startWebhooks({ configs, monitors, spawners, goals, paths, log });

    const logs = new AgentLogReader(paths.agentLogs);
    const sockets = new Set<net.Socket>();
    let stopping: Promise<void> | undefined;
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      try {
        new ClientSession(socket, {
          paths,
          registry,
          bus,
          goals,
          templates,
          questions,
          teams,
          notify,
          notifications,
          cost,
          budgets,
          monitors,
          spawns,
          spawners,
          worktrees,
          queue,
          configs,
          clientToken,
          hostKey,
          log,
          logs,
          recordingPath: (id) => path.join(paths.recordings, `${id}-${new Date().toISOString().replace(/[:.]/g, '-')}.cast`),
          shutdown: () => void stop(),
        });
      } catch (error) {
        log.error('host.socket', `could not serve a connection: ${(error as Error).message}`);
        socket.destroy();
      }
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(paths.hostSocket, () => {
        server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(paths.hostSocket, 0o600);
    server.on('error', (error) => log.error('host.socket', `server error: ${error.message}`));
    log.info('host', `listening on ${paths.hostSocket} (pid ${process.pid})`);

    const stop = (): Promise<void> => {
      clearInterval(sweep);
      goals.close();
      lifecycle.stop();
      budgets.stop();
      notify.stop();
      monitors.stop();
      spawners.stop();
      workflows.stop();
      spawns.stop();
      worktrees.stop();
      void webhooks.stop();
      configs.close();
      stopping ??= new Promise<void>((resolve) => {
        log.info('host', 'shutting down; agents keep running');
        server.close(() => resolve());
        // End (not destroy) so that answers already written, like the one to ShutdownHost, arrive.
        for (const socket of sockets) socket.end();
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 1_000).unref();
      }).finally(() => {
        fs.rmSync(paths.hostSocket, { force: true });
        lock.release();
      });
      return stopping;
    };
    return { paths, log, stop };
  } catch (error) {
    lock.release();
    throw error;
  }
}
