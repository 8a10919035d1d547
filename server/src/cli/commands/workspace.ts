/** `superkick workspace list|remove` and `superkick trust`: the workspaces the host follows, and what may run from them. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../common/userError';
import { Host } from '../../protocol';
import { findWorkspaceRoot, realPath } from '../../config/workspaceRoot';
import { age, table } from '../format';
import { printJson, withHost } from './withHost';

export function registerWorkspace(program: Command): void {
  const workspace = program.command('workspace').description('the workspaces the host follows (registered when a command runs in one)');

  workspace
    .command('list')
    .alias('ls')
    .description('every registered workspace, its configuration and its trust')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const workspaces = await withHost((host) => host.connection.sendRequest(Host.ListWorkspaces.type, {}));
      if (options.json) printJson(workspaces);
      else if (!workspaces.length) console.log('no workspaces yet; any superkick command run in one registers it');
      else {
        console.log(
          table(
            ['WORKSPACE', 'CONFIG', 'TRUST', 'ADDED'],
            workspaces.map((w) => [
              w.root,
              w.missing ? 'folder missing' : w.ok ? 'ok' : 'errors (superkick config check)',
              w.heldBackEntries ? `${w.heldBackEntries} held back` : w.trustedEntries ? 'trusted' : '-',
              age(w.addedAt),
            ]),
          ),
        );
      }
    });

  workspace
    .command('remove')
    .alias('rm')
    .description('forget a workspace and its trust; its configuration stops applying (a command run in it registers it again)')
    .argument('<dir>', 'the workspace folder')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Host.RemoveWorkspace.type, { workspace: realPath(dir) }), { workspace: null });
      if (options.json) printJson(result);
      else if (result.removed) console.log(`removed ${result.removed}`);
      else {
        console.log(`${realPath(dir)} is not a registered workspace`);
        process.exitCode = 1;
      }
    });
}

export function registerTrust(program: Command): void {
  program
    .command('trust')
    .description("let a workspace's superkick.yml run commands (setup, shell monitors, command goals and notifiers), as written now")
    .argument('[dir]', 'the workspace (default: the one this directory is in)')
    .option('--revoke', 'trust none of it any more')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, options: { revoke?: boolean; json?: boolean }) => {
      if (dir !== undefined && !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`${dir}: no such folder`);
      const root = findWorkspaceRoot(dir ?? process.cwd());
      const result = await withHost((host) => host.connection.sendRequest(Host.TrustWorkspace.type, { workspace: root, revoke: options.revoke }));
      if (options.json) printJson(result);
      else if (options.revoke) console.log(result.revoked ? `${result.workspace}: trust revoked; its commands are held back` : `${result.workspace} was not trusted`);
      else if (!result.trusted.length) console.log(`${result.workspace}: trusted (nothing was held back)`);
      else {
        console.log(`${result.workspace}: trusted; now live:`);
        for (const entry of result.trusted) console.log(`  ${entry.path}: ${entry.reason.replace(/, and this workspace's commands are not trusted$|, and it changed since .*$/, '')}`);
      }
    });
}
