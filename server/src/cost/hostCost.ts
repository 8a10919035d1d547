/**
 * The host's cost ledger, wired in: priced with each workspace's effective
 * `pricing:` over the shipped table, persisted in state/cost.json, and shown
 * on agent records (a change re-announces the agent).
 */
import type { SuperkickPaths } from '../common/paths';
import type { Logger } from '../common/logger';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { WorkspaceConfigs } from '../host/workspaceConfigs';
import { CostLedger } from './costLedger';
import { PriceTable, type ConfiguredPrice } from './pricing';

export function startCostLedger(paths: SuperkickPaths, configs: WorkspaceConfigs, registry: AgentRegistry, log: Logger): CostLedger {
  const pricesFor = (workspace: string | null) => new PriceTable(configs.configOf(workspace).pricing as Record<string, ConfiguredPrice> | undefined);
  const ledger = new CostLedger(paths.costState, pricesFor, log);
  registry.costOf = (id) => ledger.agent(id);
  ledger.on('changed', ({ agentId }) => registry.refresh(agentId));
  return ledger;
}
