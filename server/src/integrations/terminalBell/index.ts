/** The terminal bell: rings in every attached viewer. */
import type { Integration } from '../integration';
import { terminalBellNotifierFactory } from './notifier';

export const terminalBellNotifier: Integration = {
  type: 'terminal_bell',
  section: 'notifiers',
  setupDefault: true,
  notifier: terminalBellNotifierFactory,
  summary: 'Rings the bell in every terminal attached to the agent, so a person looking elsewhere hears it.',
  configSchema: { type: 'object', properties: {} },
  setupSnippet: `bell:
  type: terminal_bell
  events: [agent_waiting, question_asked, approval_needed, budget_exceeded]
`,
};
