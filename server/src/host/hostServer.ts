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
import { checkTemplate } from '../templates';
import { WorkspaceConfigs } from './workspaceConfigs';
import { SupervisionBus } from '../supervisor/supervisionBus';
import { GoalTracker } from '../goals/goalTracker';
import { TemplateEngines } from '../templates/engines';
import { MonitorManager } from '../monitors/monitorManager';

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
    const goals = new GoalTracker(registry, bus, log);
    const templates = new TemplateEngines(log);
    const queue = new InjectionQueue(
      paths.queues,
      async (agentId, text, submit) => {
        const result = await registry.link(agentId).sendRequest(AgentLink.AgentInput.type, { text, submit, queued: true });
        return !result.deferred;
      },
      log,
      (agentId) => (store.has(agentId) ? registry.record(agentId) : undefined),
    );
    registry.on('changed', ({ record, removed }) => (removed ? queue.discard(record.id) : queue.agentChanged(record)));
    // Catch agent processes that die while disconnected (started before a restart and killed before re-registering).
    const sweep = setInterval(() => registry.reconcile(), 30_000);
    sweep.unref();

    // Template strings are parsed at load, so a Liquid syntax error is a config error with a position.
    const configs = new WorkspaceConfigs(paths, log, { checkTemplate });
    configs.start();
    const monitors = new MonitorManager({ registry, configs, queue, templates, file: paths.monitorsState, log });
    monitors.start();

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
          monitors,
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
      monitors.stop();
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
