/**
 * `superkick spawn`: start an agent from a kickoff template through the spawn
 * pipeline (worktree, setup, runtime), exactly once per `--key`; and the
 * approvals and dispatches around it: `approvals`, `approve`, `deny`,
 * `dispatches [release KEY]`.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { Spawn } from '../../protocol';
import { findWorkspaceRoot } from '../../config/workspaceRoot';
import { UserError } from '../../common/userError';
import { age, plainText, table } from '../format';
import { printJson, withHost } from './withHost';

interface SpawnOptions {
  template: string;
  var?: string[];
  key?: string;
  repo?: string;
  spawner?: string;
  branch?: string;
  driver?: string;
  goal?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerSpawn(program: Command): void {
  program
    .command('spawn')
    .description('start an agent on a piece of work: a fresh worktree and branch, setup commands, then the agent with its kickoff prompt')
    .argument('[command...]', 'the program to start (after --); default: the configured agent')
    .option('--template <name>', 'the kickoff template (core/kickoff, or your own under .superkick/templates/)', 'core/kickoff')
    .option('--var <name=value>', 'a template variable; dotted names nest (--var task.title="Fix login"); repeat for more', collect)
    .option('--key <key>', 'the dispatch key: the same key twice starts one agent (default: a fresh one)')
    .option('--repo <repo>', 'where it works: an entry under repositories:, a local path or a git URL (default: this workspace)')
    .option('--spawner <name>', "a spawner entry whose settings apply (agent, goal, setup, approval, budget, monitors)")
    .option('--branch <name>', 'the new branch (default: from the repository\'s branch pattern and the key)')
    .option('--driver <driver>', 'how to read its screen (default: agents.driver)')
    .option('--goal <name>', 'an entry under goals: that says when it is done')
    .option('--json', 'print the dispatch as JSON')
    .option('--quiet', 'do not print progress')
    .action(async (words: string[], options: SpawnOptions) => {
      const workspace = findWorkspaceRoot(process.cwd());
      const [command, ...args] = words;
      const params: Spawn.StartSpawn.Params = {
        workspace,
        template: options.template,
        vars: parseVars(options.var ?? []),
        ...(options.key ? { key: options.key } : {}),
        ...(options.repo ? { repository: repositoryArgument(options.repo) } : {}),
        ...(options.spawner ? { spawner: options.spawner } : {}),
        ...(options.branch ? { branch: options.branch } : {}),
        ...(options.driver ? { driver: options.driver } : {}),
        ...(options.goal ? { goal: options.goal } : {}),
        ...(command ? { command, args } : {}),
      };
      const result = await withHost(async (host) => {
        if (!options.quiet && !options.json) {
          host.connection.onNotification(Spawn.DispatchChanged.type, ({ dispatch, message }) => {
            if (message && (!params.key || dispatch.key === params.key) && dispatch.state !== 'running') process.stderr.write(`  ${dispatch.step ?? dispatch.state}: ${plainText(message)}\n`);
          });
          await host.connection.sendRequest(Spawn.WatchSpawns.type, {});
        }
        return host.connection.sendRequest(Spawn.StartSpawn.type, params);
      });
      if (options.json) {
        printJson(result);
        return;
      }
      console.log(describeOutcome(result));
    });

  program
    .command('approvals')
    .description('spawns waiting for a person to approve them (with --all: decided and expired ones too)')
    .option('--all', 'also the decided and expired ones still kept')
    .option('--json', 'machine-readable output, with the exact snapshot each approval covers')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const { approvals } = await withHost((host) => host.connection.sendRequest(Spawn.ListApprovals.type, { all: Boolean(options.all) }));
      if (options.json) {
        printJson(approvals);
        return;
      }
      if (!approvals.length) {
        console.log(options.all ? 'no approvals' : 'nothing waits for approval');
        return;
      }
      console.log(
        table(
          ['ID', 'STATE', 'SPAWNER', 'WORK', 'ASKED', 'EXPIRES', 'DECIDED BY'],
          approvals.map((a) => [a.id, a.state, a.spawner, plainText(a.summary).slice(0, 60), `${age(a.requestedAt)} ago`, a.state === 'pending' ? a.expiresAt.slice(0, 16).replace('T', ' ') : '-', a.decidedBy ?? '-']),
        ),
      );
    });

  for (const [name, decision, verb] of [
    ['approve', 'approved', 'approve it: the agent is started and told exactly what the approval shows'],
    ['deny', 'denied', 'deny it: nothing is started, and the same work is not asked about again'],
  ] as const) {
    program
      .command(name)
      .description(`decide a pending approval: ${verb}`)
      .argument('<id>', 'the approval id (superkick approvals)')
      .option('--note <text>', 'why, for the audit trail')
      .option('--json', 'print the approval and its dispatch as JSON')
      .action(async (id: string, options: { note?: string; json?: boolean }) => {
        const result = await withHost((host) => host.connection.sendRequest(Spawn.DecideApproval.type, { id, decision, ...(options.note ? { note: options.note } : {}) }));
        if (options.json) {
          printJson(result);
          return;
        }
        console.log(`approval ${id} ${decision} (${plainText(result.approval.summary)})`);
        if (result.dispatch) console.log(describeDispatch(result.dispatch));
        if (decision === 'approved' && result.dispatch?.state === 'failed') process.exitCode = 1;
      });
  }

  program
    .command('spawners')
    .description('the configured spawners: what each found at its last poll, its errors, its next poll')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { spawners } = await withHost((host) => host.connection.sendRequest(Spawn.ListSpawners.type, {}));
      if (options.json) {
        printJson(spawners);
        return;
      }
      if (!spawners.length) {
        console.log('no spawners are configured (spawners: in superkick.yml)');
        return;
      }
      console.log(
        table(
          ['SPAWNER', 'TYPE', 'WORKSPACE', 'STATE', 'AGENTS', 'LAST POLL', 'FOUND', 'NEXT POLL', 'ERROR'],
          spawners.map((s) => [
            s.name,
            s.type,
            s.workspace ? path.basename(s.workspace) : '-',
            s.state,
            `${s.active}/${s.maxAgents}`,
            s.lastPollAt ? `${age(s.lastPollAt)} ago` : '-',
            s.polls ? `${s.lastFound} (${s.lastNew} new)` : '-',
            s.nextPollAt ? s.nextPollAt.slice(11, 19) : '-',
            plainText(s.backingOffUntil ? `backing off until ${s.backingOffUntil.slice(11, 19)} UTC: ${s.lastError ?? ''}` : (s.lastError ?? '')).slice(0, 90),
          ]),
        ),
      );
    });

  const dispatches = program
    .command('dispatches')
    .description('the work turned into agents: each dispatch key, its state and agent')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Spawn.ListDispatches.type, {}));
      if (options.json) {
        printJson(result.dispatches);
        return;
      }
      if (!result.dispatches.length) {
        console.log('no dispatches');
        return;
      }
      console.log(
        table(
          ['KEY', 'STATE', 'SPAWNER', 'AGENT', 'WORK', 'AGE', 'REASON'],
          result.dispatches.map((d) => [d.key, d.step && d.state !== 'running' ? `${d.state} (${d.step})` : d.state, d.spawner ?? '-', d.agentId ?? '-', plainText(d.summary).slice(0, 50), age(d.claimedAt), plainText(d.reason ?? '').split('\n')[0].slice(0, 60)]),
        ),
      );
    });
  dispatches
    .command('release')
    .description('forget a failed dispatch, so the same work may be spawned again')
    .argument('<key>', 'the dispatch key')
    .action(async (key: string) => {
      const result = await withHost((host) => host.connection.sendRequest(Spawn.ReleaseDispatch.type, { key }));
      console.log(`released ${result.dispatch.key}; the next delivery of its work spawns afresh`);
    });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseVars(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UserError(`--var wants name=value, not "${pair}"`);
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return vars;
}

/** A relative path is made absolute here; entry names and URLs go as they are. */
function repositoryArgument(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^/\s]+@[^/\s]+:/.test(value)) return value;
  if (value.startsWith('.') || value.includes('/')) return path.resolve(value);
  return value;
}

function describeOutcome(result: Spawn.StartSpawn.Result): string {
  const { dispatch } = result;
  switch (result.outcome) {
    case 'started':
      return describeDispatch(dispatch);
    case 'awaiting_approval':
      return `waiting for approval ${dispatch.approvalId}: superkick approve ${dispatch.approvalId} (or deny ${dispatch.approvalId})`;
    case 'already':
      return `key "${dispatch.key}" was already dispatched: ${dispatch.agentId ? `agent ${dispatch.agentId}` : 'no agent yet'} (${dispatch.state}${dispatch.reason ? `: ${plainText(dispatch.reason).split('\n')[0]}` : ''})`;
  }
}

function describeDispatch(dispatch: Spawn.DispatchStatus): string {
  if (dispatch.state === 'failed') return `spawn failed: ${plainText(dispatch.reason ?? 'unknown reason')}`;
  if (dispatch.agentId) return `started agent ${dispatch.agentId} (key ${dispatch.key}); attach with: superkick attach ${dispatch.agentId}`;
  return `dispatch ${dispatch.key}: ${dispatch.state}`;
}
