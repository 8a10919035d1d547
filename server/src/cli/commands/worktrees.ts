/**
 * `superkick worktrees`: the worktrees agents were given and what removing each
 * would lose; `superkick worktrees prune` removes the ones exited agents left
 * that hold no work.
 */
import type { Command } from 'commander';
import { Spawn } from '../../protocol';
import { table } from '../format';
import { printJson, withHost } from './withHost';

export function registerWorktrees(program: Command): void {
  const worktrees = program.command('worktrees').description("agents' git worktrees: what each holds, and removing the ones exited agents left");

  worktrees
    .command('list', { isDefault: true })
    .alias('ls')
    .description('every worktree an agent was given: its agent, goal, branch, and what removing it would lose')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Spawn.ListWorktrees.type, {}));
      if (options.json) printJson(result.worktrees);
      else if (result.worktrees.length === 0) console.log('no agent was given a worktree');
      else console.log(worktreesTable(result.worktrees));
    });

  worktrees
    .command('prune')
    .description('remove the worktrees of exited agents that hold no work (uncommitted changes, unpushed commits, live processes keep one); never forced')
    .option('--agent <agent>', "only this agent's worktree (id or name)")
    .option('--dry-run', 'only say what would be removed')
    .option('--json', 'machine-readable output')
    .action(async (options: { agent?: string; dryRun?: boolean; json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Spawn.PruneWorktrees.type, { agent: options.agent, dryRun: Boolean(options.dryRun) }));
      if (options.json) printJson(result);
      else console.log(formatPrune(result, Boolean(options.dryRun)));
    });
}

export function worktreesTable(rows: Spawn.WorktreeRow[], home = process.env.HOME ?? ''): string {
  const shortDir = (dir: string) => (home && dir.startsWith(home + '/') ? `~${dir.slice(home.length)}` : dir);
  return table(
    ['AGENT', 'STATE', 'GOAL', 'BRANCH', 'DIR', 'STATUS'],
    rows.map((row) => [row.agentName ? `${row.agentName} (${row.agentId})` : (row.agentId ?? '-'), row.agentState ?? 'gone', row.goalState ?? '-', row.branch ?? '-', shortDir(row.dir), statusOf(row)]),
  );
}

function statusOf(row: Spawn.WorktreeRow): string {
  if (!row.exists) return 'removed';
  return row.blockers.length ? row.blockers.join('; ') : 'clean';
}

export function formatPrune(result: Spawn.PruneWorktrees.Result, dryRun: boolean): string {
  const out: string[] = [];
  for (const row of result.removed) out.push(`${dryRun ? 'would remove' : 'removed'} ${row.dir} (agent ${row.agentId})`);
  for (const row of result.kept) {
    out.push(`kept ${row.dir} (agent ${row.agentId}):`);
    for (const blocker of row.blockers) out.push(`  - ${blocker}`);
  }
  if (out.length === 0) out.push('no worktree of an agent to prune');
  return out.join('\n');
}
