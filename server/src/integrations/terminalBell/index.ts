/** The terminal bell: rings in every attached viewer. */
import type { Integration } from '../integration';

export const terminalBellNotifier: Integration = {
  type: 'terminal_bell',
  section: 'notifiers',
  setupDefault: true,
  summary: 'Rings the bell in every terminal attached to the agent, so a person looking elsewhere hears it.',
  configSchema: { type: 'object', properties: {} },
  setupSnippet: `bell:
  type: terminal_bell
  events: [agent_waiting, approval_needed]
`,
};
