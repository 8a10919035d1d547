/** `superkick cost`: what the agents have cost, from the host's ledger. */
import type { Command } from 'commander';
import { Cost } from '../../protocol';
import { UserError } from '../../common/userError';
import { table, usdLabel } from '../format';
import { printJson, withHost } from './withHost';

const GROUPINGS: readonly Cost.CostGrouping[] = ['agent', 'spawner', 'day'];

export function registerCost(program: Command): void {
  program
    .command('cost')
    .description('what the agents have cost: tokens and US dollars per agent, per spawner per day, per day')
    .option('--json', 'machine-readable output (every grouping)')
    .option('--day <YYYY-MM-DD>', 'only that day (local time): its totals, and the agents that spent on it')
    .option('--by <grouping>', `rows per ${GROUPINGS.join(', ')} (default: agents, then totals per day)`)
    .action(async (options: { json?: boolean; day?: string; by?: string }) => {
      if (options.by !== undefined && !GROUPINGS.includes(options.by as Cost.CostGrouping)) {
        throw new UserError(`--by ${options.by}: not a grouping; use one of ${GROUPINGS.join(', ')}`, 2);
      }
      if (options.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.day)) throw new UserError(`--day ${options.day}: not a date; use YYYY-MM-DD`, 2);
      const result = await withHost((host) => host.connection.sendRequest(Cost.GetCost.type, { day: options.day }));
      if (options.json) {
        printJson(result);
        return;
      }
      const by = options.by as Cost.CostGrouping | undefined;
      const sections: string[] = [];
      if (!by || by === 'agent') sections.push(result.agents.length ? agentRows(result.agents) : 'no agent has reported any usage');
      if (by === 'spawner') sections.push(result.spawners.length ? spawnerRows(result.spawners) : 'no spawner-started agent has spent anything');
      if (!by || by === 'day') sections.push(result.days.length ? dayRows(result.days) : 'nothing spent on any day');
      console.log(sections.join('\n\n'));
    });
}

const tokenCells = (row: Cost.CostTotals) => [String(row.inputTokens), String(row.outputTokens), String(row.cacheReadTokens), String(row.cacheWriteTokens)];
const TOKEN_HEADER = ['INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE'];
const modelsCell = (row: Cost.CostTotals) => row.models.map((model) => (row.unpricedModels.includes(model) ? `${model} (no price)` : model)).join(', ') || '-';

function agentRows(rows: Cost.AgentCostRow[]): string {
  return table(['AGENT', 'NAME', 'DRIVER', 'SPAWNER', ...TOKEN_HEADER, 'USD', 'MODELS'], rows.map((row) => [row.id, row.name, row.driver, row.spawner ?? '-', ...tokenCells(row), usdLabel(row), modelsCell(row)]));
}

function spawnerRows(rows: Cost.SpawnerCostRow[]): string {
  return table(['DAY', 'SPAWNER', ...TOKEN_HEADER, 'USD', 'MODELS'], rows.map((row) => [row.day, row.spawner, ...tokenCells(row), usdLabel(row), modelsCell(row)]));
}

function dayRows(rows: Cost.DayCostRow[]): string {
  return table(['DAY', ...TOKEN_HEADER, 'USD', 'MODELS'], rows.map((row) => [row.day, ...tokenCells(row), usdLabel(row), modelsCell(row)]));
}
