/**
 * Every integration, registered in this one place: adding a service means a
 * new folder beside this file and one line here, and touches no core file.
 */
import type { Integration } from './integration';

export type { Integration, IntegrationSection } from './integration';

export const INTEGRATIONS: readonly Integration[] = [];

/** The integration registered for `type` in `section`, if any. */
export function integrationFor(section: Integration['section'], type: string): Integration | undefined {
  return INTEGRATIONS.find((integration) => integration.section === section && integration.type === type);
}
