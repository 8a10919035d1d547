/** `superkick budget`: agents against their cost limits; `raise` releases one paused at its limit. */
import type { Command } from 'commander';
import { Budget } from '../../protocol';
import { UserError } from '../../common/userError';
import { formatUsd } from '../../budget/spending';
import { table } from '../format';
import { printJson, withHost } from './withHost';

export function registerBudget(program: Command): void {
  const budget = program.command('budget').description('cost limits: where each agent stands, and raising a limit');

  budget
    .command('show', { isDefault: true })
    .description('every live agent against its limits (agent, day, spawner)')
    .argument('[agent]', 'id or name')
    .option('--json', 'machine-readable output')
    .action(async (agent: string | undefined, options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Budget.ShowBudget.type, { agent }));
      if (options.json) return printJson(result);
      if (!result.agents.length) return console.log('no live agents');
      console.log(
        table(
          ['ID', 'NAME', 'SPENT', 'LIMITS', 'STATE'],
          result.agents.map((a) => [
            a.id,
            a.name,
            a.spentUsd === null ? 'unknown' : formatUsd(a.spentUsd),
            a.limits.map((l) => `${l.kind} ${formatUsd(l.spentUsd)}/${formatUsd(l.limitUsd)} (${Math.round(l.percent)}%)`).join(', ') || 'none',
            a.held ? 'PAUSED: raise or stop it' : 'ok',
          ]),
        ),
      );
    });

  budget
    .command('raise')
    .description('give an agent more to spend; one paused at its limit goes on')
    .argument('<agent>', 'id or name')
    .argument('<usd>', 'US dollars to add to its limits')
    .action(async (agent: string, usd: string) => {
      const amount = Number(usd.replace(/^\$/, ''));
      if (!Number.isFinite(amount) || amount <= 0) throw new UserError(`the amount must be a positive number of US dollars, not "${usd}"`);
      const result = await withHost((host) => host.connection.sendRequest(Budget.RaiseBudget.type, { agent, usd: amount }));
      const limits = result.budget.limits.map((l) => `${l.kind} ${formatUsd(l.spentUsd)}/${formatUsd(l.limitUsd)}`).join(', ') || 'no limits';
      if (result.released) console.log(`${result.budget.id}: raised by ${formatUsd(amount)} (${limits}); released: it has been told it may continue`);
      else if (result.budget.held) console.log(`${result.budget.id}: raised by ${formatUsd(amount)} (${limits}); still over a limit, still paused`);
      else console.log(`${result.budget.id}: raised by ${formatUsd(amount)} (${limits})`);
    });
}
