/** `superkick server`: run the host (in the foreground, or as the on-demand daemon), stop it, or ask about it. */
import type { Command } from 'commander';
import { Host } from '../../protocol';
import { superkickPaths } from '../../common/paths';
import { signalReady } from '../../common/readyPipe';
import { UserError } from '../../common/userError';
import { printJson, withHost } from './withHost';

export function registerServer(program: Command): void {
  program
    .command('server')
    .description('run the Superkick host in the foreground (clients also start it on demand)')
    .option('--stop', 'stop the running host; agents keep running')
    .option('--status', 'say whether a host is running')
    .option('--json', 'machine-readable output')
    .option('--daemon', 'internal: started on demand, report readiness on fd 3')
    .action(async (options: { stop?: boolean; status?: boolean; json?: boolean; daemon?: boolean }) => {
      if (options.stop) {
        await withHost(async (host) => {
          const closed = new Promise<void>((resolve) => host.connection.onClose(() => resolve()));
          await host.connection.sendNotification(Host.ShutdownHost.type, {});
          await closed;
          if (options.json) printJson({ stopped: true, pid: host.info.hostPid });
          else console.log(`stopped the Superkick host (pid ${host.info.hostPid}); agents keep running`);
        }, { start: false });
        return;
      }
      if (options.status) {
        await withHost(async (host) => {
          const agents = await host.connection.sendRequest(Host.ListAgents.type, { includeExited: false });
          if (options.json) printJson({ running: true, pid: host.info.hostPid, version: host.info.hostVersion, socket: host.paths.hostSocket, agents: agents.length });
          else console.log(`Superkick host ${host.info.hostVersion} running, pid ${host.info.hostPid}, ${agents.length} live agent(s), socket ${host.paths.hostSocket}`);
        }, { start: false });
        return;
      }
      let host;
      try {
        const { startHost } = await import('../../host/hostServer');
        host = await startHost(superkickPaths());
      } catch (error) {
        if (options.daemon) signalReady({ ok: false, error: (error as Error).message, exitCode: error instanceof UserError ? error.exitCode : 1 });
        throw error;
      }
      const stop = () => void host.stop().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      process.on('SIGHUP', () => undefined);
      process.on('uncaughtException', (error) => host.log.error('host', `uncaught: ${error.stack ?? error.message}`));
      process.on('unhandledRejection', (error) => host.log.error('host', `unhandled rejection: ${(error as Error)?.stack ?? String(error)}`));
      if (options.daemon) signalReady({ ok: true, pid: process.pid, socket: host.paths.hostSocket });
      else console.log(`Superkick host listening on ${host.paths.hostSocket} (pid ${process.pid}); logs in ${host.paths.hostLog}`);
    });
}
