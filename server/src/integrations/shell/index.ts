/** The shell monitor: runs a command now and then and tells the agent when its result changes. */
import type { Integration } from '../integration';
import { shellMonitorKind } from './shellMonitorKind';

export const shellMonitor: Integration = {
  type: 'shell',
  section: 'monitors',
  summary: 'Runs a command on every poll and queues its output for the agent when the exit status changes (or on failure).',
  runsCommands: true,
  monitor: shellMonitorKind,
  configSchema: {
    type: 'object',
    properties: {
      command: { description: 'The command, run with `sh -c` in the agent\'s working directory.', type: 'string', minLength: 1 },
      timeout: { description: 'Seconds after which the command is killed and counted as failed (default 60).', type: 'integer', minimum: 1 },
      notify_on: { description: 'When to tell the agent: `failure` (each failing run), `change` (exit status changed) or `always`. Default `change`.', enum: ['failure', 'change', 'always'] },
      max_output_lines: { description: 'Lines of output (the last ones) that go into the message (default 50).', type: 'integer', minimum: 1, maximum: 10000 },
    },
    required: ['command'],
  },
  setupSnippet: `tests:
  type: shell
  command: npm test --silent   # run in the agent's working directory
  # poll_interval: 120          # seconds between runs
  # notify_on: change           # failure | change | always
  # timeout: 60
`,
};
