/** Plain commands: a goal met when a command exits 0, a notifier that runs a command per event. */
import type { Integration } from '../integration';
import { commandGoalKind } from './commandGoal';

export const commandGoal: Integration = {
  type: 'command',
  section: 'goals',
  summary: 'Met when a command, run now and then in the agent\'s working directory, exits 0.',
  runsCommands: true,
  configSchema: {
    type: 'object',
    properties: {
      command: { description: 'The command, run with `sh -c` in the agent\'s working directory; exit 0 means the goal is met.', type: 'string', minLength: 1 },
      poll_interval: { description: 'Seconds between runs (default 60).', type: 'integer', minimum: 1 },
      timeout: { description: 'Seconds after which one run is killed and counted as not met (default 300).', type: 'integer', minimum: 1 },
      fail_on_exit_code: { description: 'Exit codes that mean the goal failed rather than "not yet".', type: 'array', items: { type: 'integer', minimum: 1, maximum: 255 } },
    },
    required: ['command'],
  },
  setupSnippet: `tests_pass:
  type: command
  command: npm test --silent   # exit 0 means done
  # poll_interval: 60
  # timeout: 300
`,
  goal: commandGoalKind,
};

export const commandNotifier: Integration = {
  type: 'command',
  section: 'notifiers',
  summary: 'Runs a command for each event, with the rendered text on its standard input and the event in SUPERKICK_EVENT_* variables.',
  runsCommands: true,
  configSchema: {
    type: 'object',
    properties: {
      command: { description: 'The command, run with `sh -c`; the notification text is on its standard input.', type: 'string', minLength: 1 },
      timeout: { description: 'Seconds after which it is killed (default 30).', type: 'integer', minimum: 1 },
    },
    required: ['command'],
  },
  setupSnippet: `desktop:
  type: command
  command: notify-send Superkick "$(cat)"
  # events: [agent_waiting, goal_met, goal_failed]
`,
};
