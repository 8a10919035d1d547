/**
 * Every integration, registered in this one place: adding a service means a
 * new folder beside this file and one line here, and touches no core file.
 */
import type { Integration } from './integration';
import { agentExitGoal, agentSignalGoal } from './agent';
import { commandGoal, commandNotifier } from './command';
import { datadogSpawner } from './datadog';
import { GITHUB } from './github';
import { inboxSpawner } from './inbox';
import { localRuntime } from './local';
import { shellMonitor } from './shell';
import { terminalBellNotifier } from './terminalBell';

export type { Integration, IntegrationSection } from './integration';

export const INTEGRATIONS: readonly Integration[] = [
  localRuntime,
  datadogSpawner,
  inboxSpawner,
  shellMonitor,
  agentExitGoal,
  agentSignalGoal,
  commandGoal,
  commandNotifier,
  terminalBellNotifier,
  ...GITHUB,
];

/** The integration registered for `type` in `section`, if any. */
export function integrationFor(section: Integration['section'], type: string): Integration | undefined {
  return INTEGRATIONS.find((integration) => integration.section === section && integration.type === type);
}
