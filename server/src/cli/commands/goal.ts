/** `superkick goal`: where agents' goals stand; a person can decide one by hand. */
import type { Command } from 'commander';
import { Goals, Host, type AgentRecord } from '../../protocol';
import { age, table } from '../format';
import { printJson, withHost } from './withHost';

export function registerGoal(program: Command): void {
  const goal = program.command('goal').description("agents' goals: when each agent is done");

  goal
    .command('status', { isDefault: true })
    .description('show the goal of every agent (or one)')
    .argument('[agent]', 'id or name')
    .option('--json', 'machine-readable output')
    .action(async (agent: string | undefined, options: { json?: boolean }) => {
      const agents = await withHost(async (host) => {
        if (agent) return [(await host.connection.sendRequest(Host.ResolveAgent.type, { agent })).record];
        return host.connection.sendRequest(Host.ListAgents.type, { includeExited: true });
      });
      const rows = agents.map((a) => ({ id: a.id, name: a.name, goal: a.goal }));
      if (options.json) printJson(rows);
      else if (agents.length === 0) console.log('no agents');
      else console.log(goalsTable(agents));
    });

  for (const [verb, state] of [['met', 'met'], ['fail', 'failed']] as const) {
    goal
      .command(verb)
      .description(state === 'met' ? "mark an agent's goal met (its on_met end follows)" : "mark an agent's goal failed (its on_failed end follows)")
      .argument('<agent>', 'id or name')
      .argument('[summary...]', 'why, in a few words')
      .action(async (agent: string, summary: string[]) => {
        const result = await withHost((host) => host.connection.sendRequest(Goals.DecideGoal.type, { agent, state, summary: summary.join(' ') }));
        console.log(`${result.id}: goal ${result.goal?.name ?? ''} ${state}`);
      });
  }
}

function goalsTable(agents: AgentRecord[]): string {
  return table(
    ['ID', 'NAME', 'GOAL', 'TYPE', 'STATE', 'DECIDED', 'SUMMARY'],
    agents.map((a) => [
      a.id,
      a.name,
      a.goal?.name ?? a.assignment.goal ?? '-',
      a.goal?.type ?? '-',
      a.goal?.state ?? (a.assignment.goal ? 'pending' : 'none'),
      a.goal?.decidedAt ? `${age(a.goal.decidedAt)} ago by ${a.goal.decidedBy}` : '-',
      (a.goal?.summary ?? '').replace(/\s+/g, ' ').slice(0, 60),
    ]),
  );
}
