/** Goals that only need the agent itself: it exits, or it says it is done through the MCP tool. */
import type { Integration } from '../integration';

export const agentExitGoal: Integration = {
  type: 'agent_exit',
  section: 'goals',
  summary: 'Met when the agent\'s program exits with status 0; failed on any other status.',
  configSchema: {
    type: 'object',
    properties: {
      success_exit_codes: { description: 'Exit codes that count as met (default [0]).', type: 'array', items: { type: 'integer', minimum: 0, maximum: 255 }, minItems: 1 },
    },
  },
  setupSnippet: `exits:
  type: agent_exit
  # success_exit_codes: [0]
`,
  goal: {
    agentExited(context, exit) {
      const codes = Array.isArray(context.entry.success_exit_codes) ? (context.entry.success_exit_codes as number[]) : [0];
      const how = exit.exitCode === null ? `was ended${exit.signal ? ` by signal ${exit.signal}` : ''}` : `exited with code ${exit.exitCode}`;
      context.decide(exit.exitCode !== null && codes.includes(exit.exitCode) ? 'met' : 'failed', `the program ${how}`, 'exit');
    },
  },
};

export const agentSignalGoal: Integration = {
  type: 'agent_signal',
  section: 'goals',
  setupDefault: true,
  summary: 'Met or failed when the agent calls the MCP tool superkick_signal_goal with `completed` or `failed` and a summary.',
  configSchema: {
    type: 'object',
    properties: {
      require_summary: { description: 'Refuse a signal without a summary, and ask the agent for one (default true).', type: 'boolean' },
    },
  },
  setupSnippet: `agent_says_done:
  type: agent_signal
`,
  goal: { decidedByAgentSignal: true },
};
